#!/bin/sh
# shellcheck shell=dash disable=SC2317 # busybox ash; run_* are called by name
# The bench, inside the test VM (busybox sh), installed as
# /payload/guest-run.sh by bench/run.sh; output on the results channel.
#
# On ext4 -o dax, every workload runs REPS times under every tracer, the
# tracers interleaved (rotated each repetition) so that drift of the host
# hits them all alike.  Each run prints
#   @@RUN WORKLOAD TRACER REP FAULT_NS|FAIL
# FAULT_NS being the workload's own fault-loop time (faultclock.so or
# anon_faults' BENCH_TIMING): tracer start-up is not in it.  Then one
# untimed stream run per workload with its JSON summary (@@LOST), and with
# PROFILE=1 one run per BPF tracer with bpftool's per-program statistics
# (@@PROF).  bench/table.py turns this into the table.
P=/payload
W=$P/workloads
B=$P/bench
TR=/sys/kernel/tracing
T=/tmp/bench
REPS=4
PROFILE=1
# a run taking longer has hung: report it and go on
RUN_TIMEOUT=150
# overrides written by bench/run.sh: REPS, PROFILE, ONLY
[ -f $P/env ] && . $P/env

# NAME LOOPS REPX WORKLOAD ARGS ($F is the test file).  Sizes make each
# fault loop last about 0.6-1 s untraced under TCG; pmd_write's 208 faults
# of 2 MiB fill the filesystem in 0.2 s, so it runs three times over.  REPX
# multiplies REPS: the anonymous workloads' target (5%) is below the run-
# to-run noise of a TCG guest, and their runs are short.
workloads() {
	cat <<'LIST'
write_new	1 1 $W/write_new $F 48
rtw_allocated	1 1 $W/read_then_write $F 160 allocated
rtw_sparse	1 1 $W/read_then_write $F 32 sparse
pmd_write	3 1 $W/pmd_write $F 416
anon_write	1 3 $W/anon_faults 64 4 write
anon_cow	1 3 $W/anon_faults 64 3 cow
rtw_user	2 1 $W/read_then_write $F 64 allocated
devdax_read	1 1 $W/devdax_touch /dev/dax1.0 64 4096 read
LIST
}

# The sum of the fault-loop times reported in FILE (one line per process).
fault_ns() {
	awk -F= '/^bench: fault_ns=/ { s += $2; n++ }
		 END { if (n) print s; else print "FAIL" }' "$1"
}

# Every run starts from the same filesystem: no file, nothing in the
# journal.  Freed blocks are not reusable before the commit, and a nearly
# full filesystem would make the next run wait for one.
fresh_fs() {
	rm -f "$F"
	sync
}

# The full NDJSON stream, to /dev/null: formatting is part of the cost.
run_stream() {
	BENCH_HWM=1 $P/daxtrace -j -s none -- sh $B/guest-wl.sh "$@" >/dev/null
}

# The stream as users run it: NDJSON into a file on tmpfs, the default
# summary (and so the per-file breakdown) on.
run_streamfile() {
	local rc

	BENCH_HWM=1 $P/daxtrace --json -- sh $B/guest-wl.sh "$@" >$T/user.ndjson
	rc=$?

	rm -f $T/user.ndjson
	return $rc
}

run_hist() {
	BENCH_HWM=1 $P/daxtrace hist -- sh $B/guest-wl.sh "$@" >/dev/null
}

# The fs_dax tracepoints alone: no PTE before/after, classes inferred.
run_histtp() {
	BENCH_HWM=1 $P/daxtrace hist -m tracepoint -- sh $B/guest-wl.sh "$@" >/dev/null
}

# Empty programs at daxtrace's attach points (bench/floor.c): the floor.
run_floor() {
	$B/floor -- sh $B/guest-wl.sh "$@"
}

# The same with the PMD fallback reason points: the stream's floor.
run_sfloor() {
	$B/floor --reasons -- sh $B/guest-wl.sh "$@"
}

run_untraced() {
	sh $B/guest-wl.sh "$@"
}

# Entries the ring buffers dropped so far (all CPUs).
tracefs_overrun() {
	cat $TR/per_cpu/cpu*/stats | awk '/^overrun:/ { s += $2 } END { print s + 0 }'
}

# The kernel's fs_dax tracepoints, drained by cat as a consumer would.
run_tracefs() {
	local rc pid before

	: >$TR/trace
	before=$(tracefs_overrun)
	echo 1 >$TR/events/fs_dax/enable
	cat $TR/trace_pipe >/dev/null &
	pid=$!
	sh $B/guest-wl.sh "$@"
	rc=$?
	echo 0 >$TR/events/fs_dax/enable
	kill $pid
	wait $pid 2>/dev/null
	echo "bench: tracefs_overrun=$(($(tracefs_overrun) - before))" >&2
	return $rc
}

# Kprobes registered and enabled now (bpftrace's are perf kprobes).
kprobes_live() {
	grep -vc DISABLED /sys/kernel/debug/kprobes/list 2>/dev/null
}

# wait_attached FILE PID BASE: bpftrace prints "Attaching N probes..."
# before it attaches them one by one, which takes seconds under TCG; a
# workload started then runs half traced.  Wait until every k(ret)probe of
# the script is live (BASE: those live before).  Gives up after 120 s or
# if bpftrace died.
wait_attached() {
	local i=0 want

	want=$(($3 + $(grep -c '^k\(ret\)\{0,1\}probe:' $T/daxfaults.bt)))
	while ! grep -q '^Attaching [0-9]* probe' "$1" ||
	      [ "$(kprobes_live)" -lt "$want" ]; do
		kill -0 "$2" 2>/dev/null || return 1
		[ $i -ge 600 ] && return 1
		sleep 0.2
		i=$((i + 1))
	done
}

# stop_bpftrace PID: bpftrace 0.17 notices SIGINT only when it interrupts
# its epoll_wait(); one landing between two calls sets its flag but nobody
# looks, and it runs on forever.  Repeat the signal until it is gone.
stop_bpftrace() {
	local i=0 st

	kill -INT "$1"
	# until it exits: a zombie or gone
	while st=$(cut -d' ' -f3 /proc/$1/stat 2>/dev/null) &&
	      [ -n "$st" ] && [ "$st" != Z ]; do
		sleep 0.1
		i=$((i + 1))
		if [ $((i % 30)) -eq 0 ]; then
			echo "bench: bpftrace_sigint_again=$((i / 10)) s" >&2
			kill -INT "$1"
		fi
	done
	wait "$1"
}

# The bpftrace script with this kernel's PTE insert function, the one
# daxtrace's era probes: insert_pfn up to 6.14, then
# insert_page_into_pte_locked.
bpftrace_script() {
	local fn

	fn=$($P/daxtrace probes 2>/dev/null | awk '/^insert path:/ {
		print $3 == "page" ? "insert_page_into_pte_locked" : "insert_pfn" }')
	sed "s/INSERT_FN/${fn:-insert_pfn}/" $B/daxfaults.bt >$T/daxfaults.bt
}

run_bpftrace() {
	local rc pid base

	base=$(kprobes_live)
	$B/bpftrace $T/daxfaults.bt >$T/bt.out 2>&1 &
	pid=$!
	if ! wait_attached $T/bt.out $pid "$base"; then
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		sed 's/^/bench: bpftrace: /' $T/bt.out >&2
		return 1
	fi
	sh $B/guest-wl.sh "$@"
	rc=$?
	stop_bpftrace $pid || rc=1
	# the counts say whether its probes saw the faults at all
	echo "bench: bpftrace_counts=$(grep -E '^@[a-z_]+: [0-9]+$' $T/bt.out |
		tr -d '@ ' | tr '\n' ',')" >&2
	return $rc
}

# Every thread's state and kernel stack: what a hung run waits for.
dump_tasks() {
	local d

	for d in /proc/[0-9]*/task/[0-9]*; do
		echo "$(cat $d/comm 2>/dev/null) tid ${d##*/}" \
		     "state $(cut -d' ' -f3 $d/stat 2>/dev/null)" \
		     "wchan $(cat $d/wchan 2>/dev/null)"
		sed 's/^/    /' $d/stack 2>/dev/null
	done
}

# Kill what a run started, found by name: this VM runs nothing else.
kill_run() {
	local d

	for d in /proc/[0-9]*; do
		case $(cat $d/comm 2>/dev/null) in
		daxtrace|floor|bpftrace|cat|write_new|read_then_write|pmd_write|anon_faults|devdax_touch)
			kill -9 ${d#/proc/} 2>/dev/null ;;
		esac
	done
}

# watchdog NAME TRACER REP: a run that hangs is reported on the results
# channel (fd 3) with every thread's kernel stack, then killed.
watchdog() {
	sleep "$RUN_TIMEOUT"
	{
		echo "@@HANG $1 $2 $3 after $RUN_TIMEOUT s"
		dump_tasks | sed "s/^/@@HANG $1 $2 $3 /"
	} >&3
	kill_run
}

# guarded NAME TRACER REP CMD...: CMD under the watchdog.
guarded() {
	local wd rc

	watchdog "$1" "$2" "$3" &
	wd=$!
	shift 3
	"$@"
	rc=$?
	kill $wd 2>/dev/null
	return $rc
}

# run_one TRACER NAME REP WORKLOAD...: one timed run and its @@RUN line.
run_one() {
	local tracer=$1 name=$2 rep=$3 ns

	shift 3
	fresh_fs
	if guarded "$name" "$tracer" "$rep" "run_$tracer" "$@" 2>$T/err; then
		ns=$(fault_ns $T/err)
	else
		ns=FAIL
	fi
	echo "@@RUN $name $tracer $rep $ns"
	# peak RSS, overruns, bpftrace counts; failures in full
	if [ "$ns" = FAIL ]; then
		sed "s/^/@@ERR $name $tracer $rep /" $T/err
	else
		grep -v '^bench: fault_ns=' $T/err |
			sed -n "s/^bench: \([A-Za-z_]*\)[:=] *\(.*\)/@@INFO $name $tracer $rep \1 \2/p"
	fi
}

# rotate N WORD...: the words, starting at the Nth (0-based), wrapped.
rotate() {
	local n=$1 i=0 w head='' tail=''

	shift
	n=$((n % $#))
	for w in "$@"; do
		if [ $i -lt $n ]; then
			head="$head $w"
		else
			tail="$tail $w"
		fi
		i=$((i + 1))
	done
	echo $tail $head
}

# The tracers of workload NAME: rtw_user compares the stream as users run
# it with the bench's stream and hist, in the same boot; streamfile runs
# there only.  devdax_read: the tracers that see device DAX (no fs_dax
# tracepoint fires for it: histtp, tracefs and bpftrace's script would
# time an untraced run).
tracers_of() {
	local t

	if [ "$1" = devdax_read ]; then
		for t in $TRACERS; do
			case $t in
			untraced|stream|hist|floor) echo $t ;;
			esac
		done
		return
	fi
	if [ "$1" != rtw_user ]; then
		echo $TRACERS
		return
	fi
	for t in $TRACERS; do
		case $t in
		untraced|stream|hist) echo $t ;;
		esac
	done
	echo streamfile
}

# bench_workload NAME REPX WORKLOAD...
bench_workload() {
	local name=$1 reps=$(($2 * REPS)) rep=1 t

	shift 2
	while [ $rep -le $reps ]; do
		# shellcheck disable=SC2046 # word list
		for t in $(rotate $((rep - 1)) $(tracers_of "$name")); do
			run_one "$t" "$name" "$rep" "$@"
		done
		rep=$((rep + 1))
	done
}

# Untimed: the stream's JSON summary says how many faults there were and
# whether the ring buffer overflowed.  Stdout to tmpfs, like a real consumer
# writing a file, keeps the summary (its last line).
lost_run() {
	local name=$1

	shift
	fresh_fs
	guarded "$name" lost 0 $P/daxtrace -j -s json -- sh $B/guest-wl.sh "$@" \
		>$T/stream.ndjson 2>$T/err
	echo "@@LOST $name $? $(tail -n 1 $T/stream.ndjson)"
	rm -f $T/stream.ndjson
}

# Untimed: each BPF program's run count and time, read while attached.
profile_run() {
	local tracer=$1 name=$2

	shift 2
	fresh_fs
	: >$T/prof.json
	export BENCH_PROFILE=$T/prof.json
	guarded "$name" "profile-$tracer" 0 "run_$tracer" "$@" 2>$T/err
	echo "@@PROF $name $tracer $? $(tr -d '\n' <$T/prof.json)"
	unset BENCH_PROFILE
}

detect_tracers() {
	TRACERS="untraced stream"
	if $P/daxtrace hist --help >/dev/null 2>&1; then
		TRACERS="$TRACERS hist histtp"
	else
		echo "@@NOTE hist: 'daxtrace hist --help' failed: no hist subcommand"
	fi
	TRACERS="$TRACERS floor sfloor"
	$B/floor -- true 2>&1 | sed -n 's/^floor: /@@NOTE floor: /p' | tee $T/floor.notes
	# the points sfloor adds
	$B/floor --reasons -- true 2>&1 | sed -n 's/^floor: /@@NOTE floor: /p' |
		grep -vxF -f $T/floor.notes | sed 's/^@@NOTE floor: /@@NOTE sfloor: /'
	if [ -d $TR/events/fs_dax ]; then
		TRACERS="$TRACERS tracefs"
	else
		echo "@@NOTE tracefs: no $TR/events/fs_dax"
	fi
	if [ -x $B/bpftrace ]; then
		TRACERS="$TRACERS bpftrace"
		bpftrace_script
		echo "@@NOTE bpftrace: $(grep -o 'kprobe:insert[a-z_]*' $T/daxfaults.bt)"
	else
		echo "@@NOTE bpftrace: not in the payload"
	fi
	echo "@@TRACERS $TRACERS"
	# under TCG, hpet makes every ktime read (bpf_ktime_get_ns) an MMIO exit
	echo "@@CLOCK $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
	echo "@@CMDLINE $(cat /proc/cmdline)"
}

# QEMU backs guest memory, pmem included, with host pages it allocates at
# first touch: whichever run touched a page first would pay for that.
# Touch all of pmem and most free RAM once, before anything is timed.
warm_up() {
	local mib

	dd if=/dev/zero of=/dev/pmem0 bs=1M 2>/dev/null
	dd if=/dev/zero of=/dev/pmem1 bs=1M 2>/dev/null
	mib=$(awk '/^MemAvailable:/ { print int($2 / 1024 * 0.8) }' /proc/meminfo)
	$W/anon_faults "$mib" 1
}

setup() {
	mkdir -p $T
	# bpftrace 0.17 still sizes RLIMIT_MEMLOCK for its maps
	ulimit -l unlimited
	warm_up
	mkfs.ext4 -q -F -b 4096 /dev/pmem0 >$T/mkfs.log 2>&1 || {
		echo "@@ERROR mkfs"
		cat $T/mkfs.log
		exit 1
	}
	mount -t ext4 -o dax /dev/pmem0 /mnt/ext4 || { echo "@@ERROR mount"; exit 1; }
	grep -q '/mnt/ext4 .*dax' /proc/mounts || { echo "@@ERROR not dax"; exit 1; }
	F=/mnt/ext4/bench
	# the second region, a 4K device-DAX device (dax1.0): device_dax is
	# loaded before any tracer starts, so each attaches its kprobes
	if $B/ndctl create-namespace -f -e namespace1.0 -m devdax -a 4K >$T/ndctl.log 2>&1 &&
		[ -c /dev/dax1.0 ]; then
		echo "@@NOTE devdax: /dev/dax1.0, align $(cat /sys/bus/dax/devices/dax1.0/align), device_dax loaded for every run"
	else
		echo "@@NOTE devdax: no /dev/dax1.0 ($(tail -n 1 $T/ndctl.log)): devdax_read fails"
	fi
}

selected() {
	[ -z "${ONLY:-}" ] || echo " $ONLY " | grep -q " $1 "
}

main() {
	local name loops args start

	# the results channel, for the watchdog whatever a run redirects
	exec 3>&1
	setup
	echo "@@KERNEL $(uname -r)"
	echo "@@CPUS $(grep -c ^processor /proc/cpuinfo)"
	echo "@@REPS $REPS"
	detect_tracers
	start=$(cut -d' ' -f1 /proc/uptime)
	export BENCH_FILE=$F
	workloads | while read -r name loops repx args; do
		selected "$name" || continue
		eval "set -- $args"
		export BENCH_LOOPS=$loops
		bench_workload "$name" "$repx" "$@"
		lost_run "$name" "$@"
	done
	if [ "$PROFILE" = 1 ]; then
		echo 1 >/proc/sys/kernel/bpf_stats_enabled
		workloads | while read -r name loops _ args; do
			selected "$name" || continue
			[ "$name" = rtw_user ] && continue
			eval "set -- $args"
			export BENCH_LOOPS=$loops
			for t in $(tracers_of "$name"); do
				case $t in
				stream|hist|histtp|floor|sfloor|bpftrace) profile_run "$t" "$name" "$@" ;;
				esac
			done
		done
		echo 0 >/proc/sys/kernel/bpf_stats_enabled
	fi
	fresh_fs
	umount /mnt/ext4
	echo "@@ELAPSED $(awk -v s="$start" '{ print int($1 - s) }' /proc/uptime)"
}

main "$@"
exit 0
