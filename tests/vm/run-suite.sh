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
# the suite's xfs_* scenarios make their own xfs on pmem1, with pmem2 as
# its realtime device: three regions, apart, inside 3 GiB of guest RAM
if [ -z "${GUEST:-}" ]; then
	export DAXTRACE_VM_MEM=${DAXTRACE_VM_MEM:-3G}
	export DAXTRACE_VM_PMEM=${DAXTRACE_VM_PMEM:-512M!1G 320M!1600M 128M!2000M}
fi

payload() {
	rm -rf "$VM/payload"
	mkdir -p "$VM/payload/workloads"
	cp daxtrace "$VM/payload/"
	cp "$GUEST_SCRIPT" "$VM/payload/guest-run.sh"
	cp build/tests/workloads/* "$VM/payload/workloads/"
	# the positive controls' modules, built for this kernel (a failed
	# build fails the control scenarios: "did not run" or exit 125)
	if [ -z "${GUEST:-}" ] && ! tests/kmod/build.sh "$DAXTRACE_VM_KERNEL" \
		"$VM/payload/kmod" >"$VM/kmod.log" 2>&1; then
		echo "FAIL vm/$DAXTRACE_VM_KERNEL/kmod: tests/kmod/build.sh failed: $(tail -n 1 "$VM/kmod.log")"
		rm -rf "$VM/payload/kmod"
	fi
	{
		echo "FILESYSTEMS='$FILESYSTEMS'"
		echo "ONLY='${ONLY:-}'"
	} >"$VM/payload/env"
}

image() {
	payload
	tests/vm/mkimage.sh "$VM/image" "$VM/payload" >"$VM/mkimage.log" 2>&1 || {
		echo "FAIL vm/$DAXTRACE_VM_KERNEL/image: mkimage failed"
		tail -n 30 "$VM/mkimage.log"
		exit 1
	}
}

boot() {	# boot RESULTS CONSOLE
	tests/vm/boot.sh "$VM/image" "$1" "$2" "${VM_TIMEOUT:-1500}"
}

# unfinished RESULTS: the filesystems of FILESYSTEMS whose scenarios did
# not all run (guest-run.sh ends each with "@@FS-DONE fs")
unfinished() {
	local fs left=

	for fs in $FILESYSTEMS; do
		grep -qx "@@FS-DONE $fs" "$1" 2>/dev/null || left="$left $fs"
	done
	echo "${left# }"
}

# without FS... RESULTS: RESULTS minus the scenario blocks of those
# filesystems
without() {
	awk -v drop=" $1 " '
		/^@@BEGIN / { skip = index(drop, " " $2 " ") > 0 }
		/^@@FS-DONE / { skip = 0 }
		!skip' "$2"
}

image
rm -f "$VM"/results.*.txt "$VM"/console.*.log
if ! boot "$VM/results.txt" "$VM/console.log"; then
	left=$(unfinished "$VM/results.txt")
	if [ -n "${GUEST:-}" ] || [ -z "$left" ]; then
		echo "FAIL vm/$DAXTRACE_VM_KERNEL/boot: the VM did not complete (console above, full log $VM/console.log)"
	else
		# A guest that stops early (under TCG on a loaded host a vCPU
		# has been seen to stop taking timer interrupts) is booted
		# once more for the filesystems it did not finish.  Each
		# filesystem is judged from one boot, never pieced together
		# from two; a second stop fails.
		echo "NOTE vm/$DAXTRACE_VM_KERNEL/boot: the VM stopped before finishing $left (console above, full log $VM/console.log); booting once more for $left"
		mv "$VM/results.txt" "$VM/results.first.txt"
		mv "$VM/console.log" "$VM/console.first.log"
		FILESYSTEMS=$left image	# for this call only
		boot "$VM/results.retry.txt" "$VM/console.log" ||
			echo "FAIL vm/$DAXTRACE_VM_KERNEL/boot: the VM did not complete, twice (console above, full log $VM/console.log)"
		{ without "$left" "$VM/results.first.txt"; cat "$VM/results.retry.txt"; } >"$VM/results.txt"
	fi
fi
if [ -n "${GUEST:-}" ]; then
	grep -v '^@@' "$VM/results.txt"
	grep -q '^@@GUEST-EXIT 0' "$VM/results.txt"
	exit
fi
grep '^@@PROBES ' "$VM/results.txt" | sed 's/^@@PROBES /  /' || true
ONLY=${ONLY:-} tests/vm/check.py "$VM/results.txt" "$DAXTRACE_VM_KERNEL" "$FILESYSTEMS"
