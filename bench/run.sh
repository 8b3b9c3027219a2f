#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/run.sh: the tracer-overhead bench (make bench).  Builds a payload
# (daxtrace, the workloads, bench/faultclock.so, bpftrace, bpftool and
# bench/guest-bench.sh), boots the test VM of tests/vm once, and turns the
# guest's raw lines into a table of time ratios against the untraced runs,
# saved as bench/results/DATE_KERNEL.txt and printed.
#
# Expects `make daxtrace workloads` and build/bench/faultclock.so (bench.mk
# builds them).  Environment: BENCH_CLOCK (icount), BENCH_REPS (2 with
# icount, 4 with tcg), BENCH_PROFILE (1: bpftool per-program statistics),
# KERNEL (a kernel of tests/vm/kernels.conf: 6.1, 6.12, 7.2; default 6.1),
# BENCH_ONLY="workload ..." (all), VM_TIMEOUT (1800 s); the tests/vm
# variables (DAXTRACE_VM_MEM, ...) apply too.
#
# BENCH_CLOCK=icount (the default): QEMU counts instructions (-icount
# shift=0: the guest clock advances 1 ns per guest instruction executed),
# so a run's time is the work the guest did, whatever else the host runs:
# the same run repeats to within 0.1%.  One vCPU (icount cannot bring up a
# second one here), so a tracer's userspace side shares it with the
# workload and its cost counts too.  BENCH_CLOCK=tcg: wall-clock time
# under multi-threaded TCG on 2 vCPUs, as measured before; on a 2-core
# host, runs of one command spread 1.2-2.3x.
#
# The guest boots with tsc=reliable unless DAXTRACE_VM_APPEND is set (set
# it empty for QEMU's HPET): QEMU's TSC fails the kernel's calibration, and
# every HPET read is then an emulated MMIO access of ~3 us, which real
# hardware's TSC does in ~20 ns.  BPF timestamps (bpf_ktime_get_ns) go
# through the clocksource and would pay that twice per fault, while ftrace
# stamps its events with its "local" clock (sched_clock), not the
# clocksource: an emulator cost, not a tracer cost.
set -eu
export DAXTRACE_VM_APPEND="${DAXTRACE_VM_APPEND-tsc=reliable}"
# ext4 on the first pmem region (/dev/pmem0), and a second made a 4K
# device-DAX device (dax1.0) by ndctl for the devdax workload: with
# device_dax loaded, daxtrace attaches its kprobes in every run
export DAXTRACE_VM_PMEM="${DAXTRACE_VM_PMEM-512M!1G 256M!1536M}"
export DAXTRACE_VM_EXTRA_MODULES="${DAXTRACE_VM_EXTRA_MODULES-dax_pmem device_dax}"
BENCH_CLOCK=${BENCH_CLOCK:-icount}
case $BENCH_CLOCK in
icount)
	export DAXTRACE_VM_SMP=1
	export DAXTRACE_VM_QEMU="-icount shift=0,sleep=off"
	: "${BENCH_REPS:=2}"
	;;
tcg)
	: "${BENCH_REPS:=4}"
	;;
*)
	echo "bench: error: BENCH_CLOCK must be icount or tcg, not '$BENCH_CLOCK'" >&2
	exit 2
	;;
esac
cd "$(dirname "$0")/.."
. tests/vm/common.sh
# the kernel of the matrix (tests/vm/kernels.conf): make bench KERNEL=7.2
export DAXTRACE_VM_KERNEL=${KERNEL:-$DAXTRACE_VM_KERNEL}
kernel_field "$DAXTRACE_VM_KERNEL" dist >/dev/null ||
	die "unknown KERNEL '$DAXTRACE_VM_KERNEL' (known: $(kernel_names))"
OUT=build/bench
# one VM work dir per kernel: benches of two kernels can run side by side
VMOUT=$OUT/vm-$DAXTRACE_VM_KERNEL
PAYLOAD=$VMOUT/payload
LOCKUPS=0

die()
{
	echo "bench: error: $*" >&2
	exit 2
}

check_inputs()
{
	local f

	for f in daxtrace "$OUT/faultclock.so" build/tests/workloads/anon_faults; do
		[ -e "$f" ] || die "$f missing (run: make -f Makefile -f bench/bench.mk bench)"
	done
	command -v python3 >/dev/null || die "python3 not found (apt-get install python3)"
}

# bpftrace runs in the guest from the host's package: install it once.
need_bpftrace()
{
	command -v bpftrace >/dev/null && return
	echo "bench: installing bpftrace (Debian package) for the comparison" >&2
	if ! apt-get install -y bpftrace >"$OUT/apt.log" 2>&1; then
		apt-get update >>"$OUT/apt.log" 2>&1 || true
		apt-get install -y bpftrace >>"$OUT/apt.log" 2>&1 ||
			echo "bench: bpftrace unavailable: its column will read n/a" >&2
	fi
}

# Host-side replay throughput, if that bench has been built.
replay_rate()
{
	local bin=build/tests/replay_bench

	[ -x "$bin" ] || return 0
	timeout 600 "$bin" 2>&1 | sed -n 's/.*replay: *\([0-9.eE+]*\) *events\/s.*/\1/p' |
		tail -n 1
}

make_payload()
{
	rm -rf "$PAYLOAD"
	mkdir -p "$PAYLOAD/workloads" "$PAYLOAD/bench"
	cp daxtrace "$PAYLOAD/"
	cp build/tests/workloads/* "$PAYLOAD/workloads/"
	cp bench/guest-bench.sh "$PAYLOAD/guest-run.sh"
	cp bench/guest-wl.sh bench/bpftrace/daxfaults.bt "$OUT/faultclock.so" \
	   "$OUT/floor" "$PAYLOAD/bench/"
	# mkimage.sh brings every payload ELF's shared libraries along
	! command -v bpftrace >/dev/null || cp "$(command -v bpftrace)" "$PAYLOAD/bench/"
	! command -v bpftool >/dev/null || cp "$(command -v bpftool)" "$PAYLOAD/bench/"
	! command -v ndctl >/dev/null || cp "$(command -v ndctl)" "$PAYLOAD/bench/"
	{
		echo "REPS='$BENCH_REPS'"
		echo "PROFILE='${BENCH_PROFILE:-1}'"
		echo "ONLY='${BENCH_ONLY:-}'"
	} >"$PAYLOAD/env"
}

boot_guest()
{
	local attempt rc

	tests/vm/mkimage.sh "$VMOUT/image" "$PAYLOAD" >"$VMOUT/mkimage.log" 2>&1 || {
		tail -n 30 "$VMOUT/mkimage.log" >&2
		die "mkimage failed (log: $VMOUT/mkimage.log)"
	}
	# a guest kernel lockup (boot.sh exit 4) is the emulator's, not a
	# result: boot once more, and say so in the table
	for attempt in 1 2; do
		rc=0
		# no heartbeat: nothing but the workloads runs in the measured
		# guest (its clock is the instruction count: icount), so the
		# silence watch is off too and the timeout is the bound
		DAXTRACE_VM_HEARTBEAT=0 DAXTRACE_VM_SILENCE=0 \
		tests/vm/boot.sh "$VMOUT/image" "$VMOUT/results.txt" "$VMOUT/console.log" \
			"${VM_TIMEOUT:-1800}" || rc=$?
		[ "$rc" -eq 4 ] && [ "$attempt" -eq 1 ] || break
		cp "$VMOUT/console.log" "$VMOUT/console-lockup.log"
		LOCKUPS=$((LOCKUPS + 1))
		echo "bench: the guest kernel locked up; booting again (console: $VMOUT/console-lockup.log)" >&2
	done
	[ "$rc" -eq 0 ] ||
		die "the VM did not complete (results: $VMOUT/results.txt, console: $VMOUT/console.log)"
}

# The commit measured; the bench runs the work tree, so say if bpf/ or
# user/ differ from it.
revision()
{
	local rev

	rev=$(git rev-parse --short HEAD 2>/dev/null) || { echo unknown; return; }
	git diff-index --quiet HEAD -- bpf user 2>/dev/null || rev="$rev+changes in bpf/ or user/"
	echo "$rev"
}

# results_file KERNEL: bench/results/DATE_KERNEL.txt, never overwriting an
# earlier run of the same day: later ones numbered after the highest.
results_file()
{
	local base n=2 f k

	base=bench/results/$(date +%F)_$1
	if [ ! -e "$base.txt" ]; then
		echo "$base.txt"
		return
	fi
	for f in "$base"-*.txt; do
		k=${f#"$base"-}
		k=${k%.txt}
		case $k in
		''|*[!0-9]*) continue ;;
		esac
		[ "$k" -lt "$n" ] || n=$((k + 1))
	done
	echo "$base-$n.txt"
}

main()
{
	local start replay kver file load

	start=$(date +%s)
	load=$(cut -d' ' -f1 /proc/loadavg)
	mkdir -p "$OUT" "$VMOUT" bench/results
	check_inputs
	need_bpftrace
	replay=$(replay_rate)
	make_payload
	boot_guest
	kver=$(sed -n 's/^@@KERNEL //p' "$VMOUT/results.txt")
	[ -n "$kver" ] || kver=$(cat "$VMOUT/image/kernel-version")
	file=$(results_file "$kver")
	bench/table.py "$VMOUT/results.txt" --replay "${replay:-}" \
		--rev "$(revision)" \
		--host-secs "$(($(date +%s) - start))" \
		--host-load "$load/$(cut -d' ' -f1 /proc/loadavg)" \
		--lockups "$LOCKUPS" --clock "$BENCH_CLOCK" >"$file"
	cat "$file"
	echo "bench: saved $file (raw guest output: $VMOUT/results.txt)" >&2
}

main "$@"
