#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# boot.sh OUT_DIR RESULTS_FILE CONSOLE_LOG [TIMEOUT_SECS]
#
# Boot the image built by mkimage.sh under QEMU (TCG: no KVM needed) with
# 512 MiB of emulated pmem at 1 GiB (memmap=512M!1G -> /dev/pmem0; more
# regions with DAXTRACE_VM_PMEM).  The
# first serial port (the console) goes to CONSOLE_LOG, the second (the
# payload's output) to RESULTS_FILE.  The guest has no network unless
# DAXTRACE_VM_HOSTFWD asks for one (-nic none:
# also skips the iPXE option ROM).
#
# Exit: 0 the guest reported "@@GUEST-EXIT 0"; 1 it reported another code;
#       2 usage or host error; 3 no "@@GUEST-EXIT" line (boot failure,
#       panic, QEMU error); 4 the guest kernel locked up (a soft lockup on
#       the console: under TCG a vCPU has been seen to stop taking timer
#       interrupts; QEMU is stopped then instead of waiting for TIMEOUT);
#       5 the guest went silent: neither port grew for DAXTRACE_VM_SILENCE
#       seconds although its /init prints a heartbeat on the console every
#       DAXTRACE_VM_HEARTBEAT; QEMU is stopped, and what its vCPUs were
#       doing is reported with the console (guest-state.py); 124 timeout.
#
# Environment: DAXTRACE_VM_MEM (2G), DAXTRACE_VM_SMP (2), DAXTRACE_VM_TCG
# (QEMU's TCG threading, "single" by default: see run_qemu),
# DAXTRACE_VM_APPEND (extra kernel command line arguments),
# DAXTRACE_VM_HEARTBEAT (seconds between the guest's "alive" lines, 30),
# DAXTRACE_VM_SILENCE (seconds of silence on both ports after which the
# guest is given up, 300: ten heartbeats missed; 0 waits for TIMEOUT),
# DAXTRACE_VM_QEMU (extra QEMU arguments, split on spaces: "-icount
# shift=0,sleep=off" for the bench),
# DAXTRACE_VM_PMEM (the emulated pmem regions, memmap= SIZE!START specs
# split on spaces, one /dev/pmemN each in address order; default
# "512M!1G"; they must lie in guest RAM and not touch each other, or the
# kernel merges them into one device), DAXTRACE_VM_HOSTROOT (1: the host's
# / shared read-only over virtio-9p, mount tag "hostroot", for payloads
# that run the host's own userland in a chroot; tests/xfstests does),
# DAXTRACE_VM_HOSTFWD ("HOSTPORT:GUESTPORT[,...]": a virtio-net NIC on
# QEMU's user network instead of none, each HOSTPORT of 127.0.0.1
# forwarded to GUESTPORT of the guest, which is 10.0.2.15 on slirp's
# 10.0.2.0/24; the guest needs DAXTRACE_VM_EXTRA_MODULES="virtio_pci?
# virtio_net" from mkimage.sh; tests/vm/serve.sh does).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

# What the guest's /init (mkimage.sh) prints as its heartbeat.
HEARTBEAT_LINE='^DAXTRACE-VM: alive at '

check_tools()
{
	need_tool qemu-system-x86_64 qemu-system-x86
	need_tool timeout coreutils
}

# qemu_path PATH: escape for a -chardev option value, where ',' separates.
qemu_path()
{
	printf '%s' "$1" | sed 's/,/,,/g'
}

# show_console WHY: a failed boot must be visible, never a silent skip.
# The heartbeat lines are left out but for the last one: it says when the
# guest was last seen alive.
show_console()
{
	echo "boot.sh: $1; last 80 lines of $console:" >&2
	echo "-------- console --------" >&2
	# Drop SeaBIOS's terminal escapes: they garble a CI log.
	grep -v "$HEARTBEAT_LINE" "$console" 2>/dev/null | tail -n 80 |
		sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g' >&2 || true
	grep "$HEARTBEAT_LINE" "$console" 2>/dev/null | tail -n 1 |
		sed 's/^/(last heartbeat) /' >&2 || true
	if [ -s "$out/.state" ]; then
		echo "-------- guest state --------" >&2
		cat "$out/.state" >&2
	fi
	echo "-------------------------" >&2
}

# port_bytes: what the guest has written to both serial ports so far.
port_bytes()
{
	local c r

	c=$(stat -c %s "$console" 2>/dev/null) || c=0
	r=$(stat -c %s "$results" 2>/dev/null) || r=0
	echo $((c + r))
}

# watch_guest PID: stop QEMU once the guest can no longer finish, instead
# of waiting for the timeout, which may be 50 min away: a soft lockup on
# the console (the kernel cannot recover from it here), or silence on both
# ports for DAXTRACE_VM_SILENCE s while the guest's heartbeat should have
# printed every DAXTRACE_VM_HEARTBEAT s.  A payload that is merely slow
# (an xfstests test that prints nothing for minutes) keeps the heartbeat
# going and is left to TIMEOUT.  Before QEMU is stopped its monitor is
# asked where the vCPUs are (guest-state.py), into $out/.state.
watch_guest()
{
	local bytes last=-1 seen now

	seen=$(date +%s)
	while kill -0 "$1" 2>/dev/null; do
		if grep -q 'BUG: soft lockup' "$console" 2>/dev/null; then
			: >"$out/.lockup"
			kill "$1" 2>/dev/null
			return
		fi
		bytes=$(port_bytes)
		now=$(date +%s)
		if [ "$bytes" != "$last" ]; then
			last=$bytes
			seen=$now
		elif [ "$silence" -gt 0 ] && [ $((now - seen)) -ge "$silence" ]; then
			echo $((now - seen)) >"$out/.silent"
			timeout 20 "$here/guest-state.py" "$monitor" "$console" \
				>"$out/.state" 2>&1 || true
			kill "$1" 2>/dev/null
			return
		fi
		sleep 5
	done
}

# nic_args: -nic none, or the user network with DAXTRACE_VM_HOSTFWD's
# forwards, on 127.0.0.1 only (nothing else on the host reaches the
# guest).  romfile= empty: no iPXE option ROM, as with -nic none.
nic_args()
{
	local fwd="" pair

	if [ -z "${DAXTRACE_VM_HOSTFWD:-}" ]; then
		echo "-nic none"
		return
	fi
	for pair in $(echo "$DAXTRACE_VM_HOSTFWD" | tr ',' ' '); do
		case $pair in
		[0-9]*:[0-9]*) fwd="$fwd,hostfwd=tcp:127.0.0.1:${pair%%:*}-:${pair#*:}" ;;
		*) die "DAXTRACE_VM_HOSTFWD: '$pair' is not HOSTPORT:GUESTPORT" ;;
		esac
	done
	echo "-netdev user,id=n0$fwd -device virtio-net-pci,netdev=n0,romfile="
}

run_qemu()
{
	local append="console=ttyS0 panic=-1 quiet loglevel=4" region
	local hb=${DAXTRACE_VM_HEARTBEAT:-30}
	local share=()

	for region in ${DAXTRACE_VM_PMEM:-512M!1G}; do
		append="$append memmap=$region"
	done
	append="$append daxtrace.heartbeat=$hb ${DAXTRACE_VM_APPEND:-}"
	if [ "${DAXTRACE_VM_HOSTROOT:-0}" = 1 ]; then
		# security_model=none: files keep the host's owners and modes,
		# which a chroot into them needs.  multidevs=remap: / spans
		# several host filesystems, whose inode numbers would collide
		# in the guest's 9p cache otherwise.
		# shellcheck disable=SC2054 # one QEMU option value, its commas are QEMU's
		share=(-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap)
	fi
	# thread=single: the vCPUs take turns on one host thread.  With one
	# thread per vCPU (QEMU 7.2's default), a vCPU was seen to execute
	# an int3 the kernel had already patched back to its instruction
	# ("Oops: int3" in sched_clock_cpu at 1.8 s of boot on 6.12, and at
	# ttwu_do_activate while the other CPU freed a BPF program's JIT
	# image, on 6.12 and 7.2): the code bytes dumped show the int3
	# already gone, so the vCPU ran a translation QEMU made while it was
	# there, after text_poke_bp() had finished and its int3 handler no
	# longer knew the address.  Taking turns, a vCPU runs only after the
	# other's write has invalidated the translations of that page.
	# run in the background: exec, so that its PID is timeout's, which
	# passes a SIGTERM on to QEMU; DAXTRACE_VM_QEMU is split into words
	# shellcheck disable=SC2086
	exec timeout -k 10 "$tmo" qemu-system-x86_64 \
		-accel "tcg,thread=${DAXTRACE_VM_TCG:-single}" ${DAXTRACE_VM_QEMU:-} \
		-m "${DAXTRACE_VM_MEM:-2G}" \
		-smp "${DAXTRACE_VM_SMP:-2}" \
		-nographic -display none -no-reboot \
		-monitor "unix:$(qemu_path "$monitor"),server=on,wait=off" \
		$nic \
		"${share[@]}" \
		-kernel "$out/vmlinuz" \
		-initrd "$out/initramfs.cpio.gz" \
		-append "$append" \
		-chardev "file,id=con,path=$(qemu_path "$console")" \
		-chardev "file,id=res,path=$(qemu_path "$results")" \
		-serial chardev:con \
		-serial chardev:res \
		</dev/null
}

main()
{
	local rc=0 start code qemu region n

	if [ $# -lt 3 ] || [ $# -gt 4 ]; then
		die "usage: $0 OUT_DIR RESULTS_FILE CONSOLE_LOG [TIMEOUT_SECS]"
	fi
	out=$1
	results=$2
	console=$3
	tmo=${4:-900}
	case $tmo in
	''|*[!0-9]*) die "TIMEOUT_SECS must be a number of seconds: '$tmo'" ;;
	esac
	if [ ! -f "$out/vmlinuz" ] || [ ! -f "$out/initramfs.cpio.gz" ]; then
		die "$out: no vmlinuz/initramfs.cpio.gz (run mkimage.sh first)"
	fi
	silence=${DAXTRACE_VM_SILENCE:-300}
	for n in "$silence" "${DAXTRACE_VM_HEARTBEAT:-30}"; do
		case $n in
		''|*[!0-9]*) die "DAXTRACE_VM_SILENCE and DAXTRACE_VM_HEARTBEAT must be seconds: '$n'" ;;
		esac
	done
	check_tools
	for region in ${DAXTRACE_VM_PMEM:-512M!1G}; do
		case $region in
		[0-9]*!*[0-9]*) ;;
		*) die "DAXTRACE_VM_PMEM: '$region' is not a SIZE!START memmap region" ;;
		esac
	done

	case ${DAXTRACE_VM_TCG:-single} in
	single|multi) ;;
	*) die "DAXTRACE_VM_TCG must be single or multi, not '$DAXTRACE_VM_TCG'" ;;
	esac
	nic=$(nic_args)

	# Stale results from an earlier run must never pass for new ones.
	rm -f "$results" "$console"
	: >"$results"
	: >"$console"

	start=$(date +%s)
	monitor=$out/.monitor
	rm -f "$out/.lockup" "$out/.silent" "$out/.state" "$monitor"
	run_qemu &
	qemu=$!
	watch_guest "$qemu" &
	wait "$qemu" || rc=$?
	rm -f "$monitor"
	log "qemu exited with $rc after $(($(date +%s) - start)) s"

	# The guest tty may add \r before \n; callers want plain lines.
	sed -i 's/\r//g' "$results" "$console"

	if [ -e "$out/.lockup" ]; then
		rm -f "$out/.lockup"
		show_console "the guest kernel locked up (soft lockup); QEMU stopped"
		exit 4
	fi
	if [ -e "$out/.silent" ]; then
		show_console "the guest went silent: nothing on either port for $(cat "$out/.silent") s (heartbeat every ${DAXTRACE_VM_HEARTBEAT:-30} s); QEMU stopped"
		rm -f "$out/.silent" "$out/.state"
		exit 5
	fi
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		show_console "timed out after $tmo s"
		exit 124
	fi
	code=$(sed -n 's/^@@GUEST-EXIT \([0-9]*\).*/\1/p' "$results" | tail -n 1)
	if [ -z "$code" ]; then
		show_console "no @@GUEST-EXIT line in $results (qemu exit $rc)"
		exit 3
	fi
	if [ "$code" -ne 0 ]; then
		log "guest reported exit $code; see $results"
		exit 1
	fi
	exit 0
}

main "$@"
