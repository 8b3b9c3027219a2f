#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# boot.sh's silence watch, proven by making a guest go silent: the guest
# boots and idles, then its vCPUs are stopped through QEMU's monitor ("stop":
# what a vCPU that no longer runs looks like from the host, while QEMU
# itself still answers).  boot.sh must then give the guest up within
# DAXTRACE_VM_SILENCE plus its polling, exit 5, and report the console, the
# last heartbeat and each vCPU's RIP; a guest that keeps its heartbeat
# going with nothing else to say must not be given up.
# Prints PASS/FAIL vm/KERNEL/silence/... lines.
#
#   flock /tmp/daxtrace-vm.lock tests/vm/silence.sh
# Environment: KERNEL (6.1).
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/vm/common.sh
KERNEL=${KERNEL:-6.1}
export DAXTRACE_VM_KERNEL=$KERNEL
VM=build/vm-silence-$KERNEL
SILENCE=40
HEARTBEAT=5
failed=0

ok() { echo "PASS vm/$KERNEL/silence/$1"; }
bad() { echo "FAIL vm/$KERNEL/silence/$1: $2"; failed=1; }

# monitor CMD: one command to the running boot.sh's QEMU monitor
monitor() {
	python3 - "$VM/image/.monitor" "$1" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
time.sleep(1)
s.close()
EOF
}

# wait_for PATTERN FILE SECS: PATTERN in FILE within SECS
wait_for() {
	local i

	for ((i = 0; i < $3; i++)); do
		grep -q "$1" "$2" 2>/dev/null && return 0
		sleep 1
	done
	return 1
}

rm -rf "$VM"
mkdir -p "$VM/payload"
# The payload idles longer than the heartbeat would let a silent guest
# live: with the heartbeat alone on the console it must not be given up
# (phase 1); then its vCPUs are stopped (phase 2).
cat >"$VM/payload/guest-run.sh" <<'EOF'
echo "@@SILENCE-READY"
sleep 100000
EOF
tests/vm/mkimage.sh "$VM/image" "$VM/payload" >"$VM/mkimage.log" 2>&1 ||
	{ bad image "mkimage.sh failed: $(tail -n 3 "$VM/mkimage.log")"; exit 1; }

start=$(date +%s)
DAXTRACE_VM_SMP=1 DAXTRACE_VM_HEARTBEAT=$HEARTBEAT DAXTRACE_VM_SILENCE=$SILENCE \
	tests/vm/boot.sh "$VM/image" "$VM/results.txt" "$VM/console.log" 900 \
	2>"$VM/boot.err" &
boot=$!
if ! wait_for '^@@SILENCE-READY' "$VM/results.txt" 600; then
	bad boot "the guest did not start its payload in 600 s: $(tail -n 3 "$VM/boot.err")"
	kill "$boot" 2>/dev/null
	wait "$boot"
	exit 1
fi
# Phase 1: only the heartbeat, for longer than SILENCE.
sleep $((SILENCE + 20))
if kill -0 "$boot" 2>/dev/null; then
	ok alive-kept
else
	bad alive-kept "boot.sh gave up a guest whose heartbeat went on: $(grep boot.sh: "$VM/boot.err" | head -n 1)"
fi
beats=$(grep -c '^DAXTRACE-VM: alive at ' "$VM/console.log")
[ "$beats" -ge $((SILENCE / HEARTBEAT)) ] && ok heartbeat ||
	bad heartbeat "$beats heartbeat lines in $((SILENCE + 20)) s at one per $HEARTBEAT s"

# Phase 2: the vCPUs stop.
monitor stop
stopped=$(date +%s)
rc=0
wait "$boot" || rc=$?
took=$(($(date +%s) - stopped))
[ "$rc" -eq 5 ] && ok exit-5 || bad exit-5 "boot.sh exit $rc, not 5 (silent guest)"
# the watch polls every 5 s and asks the monitor for up to 20 s
[ "$took" -ge $((SILENCE - HEARTBEAT)) ] && [ "$took" -le $((SILENCE + 30)) ] && ok within ||
	bad within "given up $took s after the vCPUs stopped (silence $SILENCE s)"
grep -q "^boot.sh: the guest went silent: nothing on either port for [0-9]* s" "$VM/boot.err" &&
	ok reported || bad reported "no 'went silent' line: $(head -n 2 "$VM/boot.err")"
grep -q '^(last heartbeat) DAXTRACE-VM: alive at ' "$VM/boot.err" &&
	ok last-heartbeat || bad last-heartbeat "the last heartbeat is not in the report"
grep -q 'DAXTRACE-VM: kernel .*_text at ' "$VM/boot.err" &&
	ok console || bad console "the console's start is not in the report"
# the vCPU's RIP, as an offset into the kernel image (the guest printed
# its _text), its privilege level, HLT and RFLAGS.IF: what "stop" found
rip=$(grep -E '^  vCPU 0: RIP [0-9a-f]{16} \(_text\+0x[0-9a-f]+\) CPL [0-3], (halted|running), interrupts (on|off)$' "$VM/boot.err")
if [ -n "$rip" ]; then
	ok vcpu-state
	echo "#$rip"
else
	bad vcpu-state "no vCPU 0 state in the report: $(sed -n '/guest state/,$p' "$VM/boot.err" | head -n 5 | tr '\n' ' ')"
fi
[ ! -e "$VM/image/.monitor" ] && ok cleanup || bad cleanup "the monitor socket was left behind"
echo "# given up $took s after the vCPUs stopped; boot $(($(date +%s) - start)) s in all"
exit $failed
