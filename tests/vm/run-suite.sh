#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds the payload (daxtrace, workloads, guest script), boots the test VM
# once, and judges the scenario results with check.py.
#
# Environment: KERNEL (a name of tests/vm/kernels.conf; default 6.1),
# FILESYSTEMS="ext4 xfs" (default), ONLY="scenario ...", DAXTRACE_VM_CACHE
# (kernel package cache), VM_TIMEOUT (seconds), GUEST=tests/vm/guest-demo.sh
# to run the demo instead of the suite.
set -eu
cd "$(dirname "$0")/../.."
. tests/vm/common.sh
export DAXTRACE_VM_KERNEL=${KERNEL:-$DAXTRACE_VM_KERNEL}
kernel_field "$DAXTRACE_VM_KERNEL" dist >/dev/null ||
	die "unknown KERNEL '$DAXTRACE_VM_KERNEL' (known: $(kernel_names))"
GUEST_SCRIPT=${GUEST:-tests/vm/guest-run.sh}
# one work dir per guest script and kernel: the suite, the demo and the
# bench can run side by side
VM=build/vm-$(basename "$GUEST_SCRIPT" .sh)-$DAXTRACE_VM_KERNEL
FILESYSTEMS=${FILESYSTEMS:-ext4 xfs}

payload() {
	rm -rf "$VM/payload"
	mkdir -p "$VM/payload/workloads"
	cp daxtrace "$VM/payload/"
	cp "$GUEST_SCRIPT" "$VM/payload/guest-run.sh"
	cp build/tests/workloads/* "$VM/payload/workloads/"
	{
		echo "FILESYSTEMS='$FILESYSTEMS'"
		echo "ONLY='${ONLY:-}'"
	} >"$VM/payload/env"
}

payload
tests/vm/mkimage.sh "$VM/image" "$VM/payload" >"$VM/mkimage.log" 2>&1 || {
	echo "FAIL vm/$DAXTRACE_VM_KERNEL/image: mkimage failed"
	tail -n 30 "$VM/mkimage.log"
	exit 1
}
if ! tests/vm/boot.sh "$VM/image" "$VM/results.txt" "$VM/console.log" "${VM_TIMEOUT:-1500}"; then
	echo "FAIL vm/$DAXTRACE_VM_KERNEL/boot: the VM did not complete (console above, full log $VM/console.log)"
fi
if [ -n "${GUEST:-}" ]; then
	grep -v '^@@' "$VM/results.txt"
	grep -q '^@@GUEST-EXIT 0' "$VM/results.txt"
	exit
fi
grep '^@@PROBES ' "$VM/results.txt" | sed 's/^@@PROBES /  /' || true
ONLY=${ONLY:-} tests/vm/check.py "$VM/results.txt" "$DAXTRACE_VM_KERNEL" "$FILESYSTEMS"
