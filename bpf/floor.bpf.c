// SPDX-License-Identifier: GPL-2.0
/*
 * The floor under daxtrace's cost (make bench only): an empty program for
 * every tracepoint and trampoline alternative of include/dt_points.h, the
 * same section as daxtrace's own.  bench/floor.c attaches, per point of
 * the running kernel's era, the first that loads, as daxtrace's default
 * mode does; what this costs a workload is the price of the attach points
 * themselves (trampolines, tracepoint dispatch, BPF entry and exit),
 * whatever the programs do.  kprobes are built too: bench/floor.c attaches
 * those of a point that has no other kind (device DAX's, in a module).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "dt_points.h"

#define EMPTY(sec, name)			\
	SEC(sec)				\
	int name(void *ctx)			\
	{					\
		return 0;			\
	}

#define FLOOR_RAW_TP(prog, target)	EMPTY("raw_tp/" #target, prog)
#define FLOOR_TP_BTF(prog, target)	EMPTY("tp_btf/" #target, prog)
#define FLOOR_FENTRY(prog, target)	EMPTY("fentry/" #target, prog)
#define FLOOR_FEXIT(prog, target)	EMPTY("fexit/" #target, prog)
#define FLOOR_KPROBE(prog, target)	EMPTY("kprobe/" #target, prog)
#define FLOOR_KRETPROBE(prog, target)	EMPTY("kretprobe/" #target, prog)
#define FLOOR_KPROBE_ENTRY(prog, target) EMPTY("kprobe/" #target, prog)

#define FLOOR_POINT(...)
#define FLOOR_ALT(id, kind, prog, target) FLOOR_##kind(prog, target)

DT_POINT_TABLE(FLOOR_POINT, FLOOR_ALT)

char LICENSE[] SEC("license") = "GPL";
