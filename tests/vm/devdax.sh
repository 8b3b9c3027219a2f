#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Device DAX in the test VM: the pmem region at memmap=2G!4G in 6 GiB of
# guest RAM (its devdax data start 1 GiB aligned: one PUD fits; a second
# region at 6400M is /dev/pmem1, an ext4 -o dax beside it), made a
# devdax namespace at 4K, 2M and 1G by Debian's ndctl, each read and
# written by devdax_touch under daxtrace; tests/vm/devdax_check.py judges
# daxtrace's records and summary against the kernel's own count of
# dev_dax_huge_fault() calls per size and result.  Prints PASS/FAIL
# devdax/KERNEL/... lines.
#
# Environment: KERNEL (a name of tests/vm/kernels.conf, default 7.2),
# VM_TIMEOUT (900).  Needs ndctl on the host (tests/deps.sh): its binary
# and libraries go into the image.
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/vm/common.sh
KERNEL=${KERNEL:-7.2}
export DAXTRACE_VM_KERNEL=$KERNEL
VM=build/vm-devdax-$KERNEL

kernel_field "$KERNEL" dist >/dev/null || { echo "FAIL devdax/$KERNEL/kernel: unknown KERNEL"; exit 1; }
command -v ndctl >/dev/null || { echo "FAIL devdax/$KERNEL/deps: no ndctl (tests/deps.sh)"; exit 1; }
rm -rf "$VM"
mkdir -p "$VM/payload/workloads"
cp daxtrace "$VM/payload/"
cp "$(command -v ndctl)" "$VM/payload/"
cp tests/vm/guest-devdax.sh "$VM/payload/guest-run.sh"
cp build/tests/workloads/devdax_touch build/tests/workloads/write_new "$VM/payload/workloads/"
if ! DAXTRACE_VM_EXTRA_MODULES="dax_pmem device_dax" \
	tests/vm/mkimage.sh "$VM/image" "$VM/payload" >"$VM/mkimage.log" 2>&1; then
	echo "FAIL devdax/$KERNEL/image: mkimage failed: $(tail -n 3 "$VM/mkimage.log")"
	exit 1
fi
# -cpu max: 1 GiB pages (pdpe1gb), which the default TCG model lacks
# and a second region past a gap (its own /dev/pmem1, for file DAX)
if ! DAXTRACE_VM_MEM=6G DAXTRACE_VM_PMEM='2G!4G 256M!6400M' DAXTRACE_VM_QEMU="-cpu max" \
	tests/vm/boot.sh "$VM/image" "$VM/results.txt" "$VM/console.log" \
	"${VM_TIMEOUT:-900}" 2>"$VM/boot.err"; then
	echo "FAIL devdax/$KERNEL/boot: the VM did not complete ($(head -n 1 "$VM/boot.err"); console $VM/console.log)"
	tail -n 40 "$VM/boot.err" >&2
	exit 1
fi
tests/vm/devdax_check.py "$VM/results.txt" "$KERNEL"
