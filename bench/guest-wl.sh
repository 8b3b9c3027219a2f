#!/bin/sh
# shellcheck shell=dash
# guest-wl.sh WORKLOAD [ARG...] -- in the bench VM, the command every tracer
# runs: the workload with bench/faultclock.so preloaded (its fault loop
# timed from inside, on stderr; one line per loop, summed by the caller), then, while the tracer is still attached:
#   BENCH_HWM=1        our parent's peak RSS (VmHWM) on stderr: under
#                      "daxtrace -- guest-wl.sh", the parent is daxtrace,
#                      and reading it here beats its exit; faultclock.so
#                      also times the parent's CPU use (BENCH_TRACER_PID)
#   BENCH_PROFILE=FILE bpftool's per-program run_cnt/run_time_ns into FILE
#                      (kernel.bpf_stats_enabled must be 1)
# Only the workload gets the preload: the tracer's own mmap()s stay untimed.
# BENCH_LOOPS=N BENCH_FILE=F: run it N times, removing F and committing the
# journal in between (untimed), for workloads that a 512 MiB pmem cannot
# hold long enough at once.
i=0
rc=0
# under daxtrace: faultclock.so also reads its CPU time (its parent: us)
if [ "${BENCH_HWM:-}" = 1 ]; then
	export BENCH_TRACER_PID=$PPID
fi
while [ $i -lt "${BENCH_LOOPS:-1}" ] && [ $rc -eq 0 ]; do
	LD_PRELOAD=/payload/bench/faultclock.so BENCH_TIMING=1 "$@"
	rc=$?
	i=$((i + 1))
	if [ $i -lt "${BENCH_LOOPS:-1}" ] && [ -n "${BENCH_FILE:-}" ]; then
		rm -f "$BENCH_FILE"
		sync
	fi
done
if [ "${BENCH_HWM:-}" = 1 ]; then
	echo "bench: parent_$(grep VmHWM /proc/$PPID/status | tr -s ' \t' ' ')" >&2
fi
if [ -n "${BENCH_PROFILE:-}" ]; then
	/payload/bench/bpftool -j prog show >"$BENCH_PROFILE" 2>&1
fi
exit $rc
