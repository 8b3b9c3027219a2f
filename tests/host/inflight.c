// SPDX-License-Identifier: GPL-2.0
/*
 * A task that dies mid-fault must not keep its in-flight record: run the
 * real programs with BPF_PROG_TEST_RUN in this thread's context (raw
 * tracepoints allow it on any kernel since 5.10, no DAX needed).
 * dax_pte_fault opens a record for a fault that never completes, then
 * sched_process_exit must drop it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daxtrace.skel.h"

static int run(struct bpf_program *prog, __u64 *args, int nargs)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args,
		    .ctx_size_in = nargs * sizeof(__u64));

	return bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
}

static int count(struct bpf_map *map)
{
	__u32 key, next;
	void *prev = NULL;
	int n = 0;

	while (!bpf_map_get_next_key(bpf_map__fd(map), prev, &next)) {
		key = next;
		prev = &key;
		n++;
	}
	return n;
}

int main(void)
{
	/* inode, vmf, result: bogus pointers, read as zeros by the programs */
	__u64 fault[3] = { 0x1000, 0x2000, 0 }, task[2] = { 0, 0 };
	struct daxtrace_bpf *skel;
	struct bpf_program *prog;
	int opened, left, ok;

	skel = daxtrace_bpf__open();
	if (!skel) {
		printf("FAIL host/inflight_exit: cannot open the object\n");
		return 1;
	}
	bpf_object__for_each_program(prog, skel->obj)
		if (bpf_program__type(prog) == BPF_PROG_TYPE_TRACING)
			bpf_program__set_autoload(prog, false);
	if (daxtrace_bpf__load(skel)) {
		printf("FAIL host/inflight_exit: cannot load\n");
		return 1;
	}
	if (run(skel->progs.dax_pte_fault, fault, 3)) {
		printf("SKIP host/inflight_exit: BPF_PROG_TEST_RUN unsupported here\n");
		daxtrace_bpf__destroy(skel);
		return 0;
	}
	opened = count(skel->maps.inflight);
	run(skel->progs.on_task_exit, task, 1);
	left = count(skel->maps.inflight);
	ok = opened == 1 && left == 0;
	printf("%s host/inflight_exit%s", ok ? "PASS" : "FAIL", ok ? "\n" : ": ");
	if (!ok)
		printf("%d record(s) opened, %d left after exit (want 1, 0)\n",
		       opened, left);
	daxtrace_bpf__destroy(skel);
	return !ok;
}
