// SPDX-License-Identifier: GPL-2.0
/*
 * The in-flight record lives in the faulting task's own storage: run the
 * real programs with BPF_PROG_TEST_RUN in this thread's context (raw
 * tracepoints allow it on any kernel since 5.10, no DAX needed), and read
 * this task's slot back through a pidfd.  dax_pte_fault must open a record
 * in it, dax_pte_fault_done must close it (slot idle again).  A task that
 * dies mid-fault cannot keep a record: its storage goes with it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daxtrace.h"
#include "daxtrace.skel.h"

/* the head of struct inflight in bpf/daxtrace.bpf.c */
struct slot_head {
	struct dt_event ev;
	__u64 vmf;
};

static int run(struct bpf_program *prog, __u64 *args, int nargs)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args,
		    .ctx_size_in = nargs * sizeof(__u64));

	return bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
}

/* This task's slot: its vmf, 0 if idle, -1 if there is no slot. */
static long long slot_vmf(struct bpf_map *map, int pidfd)
{
	char value[1024];
	struct slot_head h;

	if (bpf_map__value_size(map) > sizeof(value) ||
	    bpf_map_lookup_elem(bpf_map__fd(map), &pidfd, value))
		return -1;
	memcpy(&h, value, sizeof(h));
	return (long long)h.vmf;
}

int main(void)
{
	/* inode, vmf, result: bogus pointers, read as zeros by the programs */
	__u64 fault[3] = { 0x1000, 0x2000, 0 }, done[3] = { 0x1000, 0x2000, 0x100 };
	long long before, opened, closed;
	struct daxtrace_bpf *skel;
	struct bpf_program *prog;
	int pidfd, ok;

	skel = daxtrace_bpf__open();
	if (!skel) {
		printf("FAIL host/inflight_slot: cannot open the object\n");
		return 1;
	}
	bpf_object__for_each_program(prog, skel->obj)
		if (bpf_program__type(prog) == BPF_PROG_TYPE_TRACING)
			bpf_program__set_autoload(prog, false);
	pidfd = syscall(SYS_pidfd_open, getpid(), 0);
	if (daxtrace_bpf__load(skel) || pidfd < 0) {
		printf("FAIL host/inflight_slot: cannot load (or no pidfd)\n");
		daxtrace_bpf__destroy(skel);
		return 1;
	}
	before = slot_vmf(skel->maps.inflight, pidfd);
	if (run(skel->progs.dax_pte_fault, fault, 3)) {
		printf("SKIP host/inflight_slot: BPF_PROG_TEST_RUN unsupported here\n");
		daxtrace_bpf__destroy(skel);
		return 0;
	}
	opened = slot_vmf(skel->maps.inflight, pidfd);
	run(skel->progs.dax_pte_fault_done, done, 3);
	closed = slot_vmf(skel->maps.inflight, pidfd);
	ok = before == -1 && opened == 0x2000 && closed == 0;
	printf("%s host/inflight_slot%s", ok ? "PASS" : "FAIL", ok ? "\n" : ": ");
	if (!ok)
		printf("slot vmf before/opened/closed %lld/%#llx/%lld (want -1/0x2000/0)\n",
		       before, opened, closed);
	close(pidfd);
	daxtrace_bpf__destroy(skel);
	return !ok;
}
