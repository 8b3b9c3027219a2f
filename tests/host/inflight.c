// SPDX-License-Identifier: GPL-2.0
/*
 * Where the in-flight record lives: run the real programs with
 * BPF_PROG_TEST_RUN in this thread's context (raw tracepoints allow it on
 * any kernel since 5.10, no DAX needed) and read the slots back.
 * dax_pte_fault must open a record, dax_pte_fault_done close it (slot
 * idle again), in the slot the thread owns:
 *  - task storage (read through a pidfd) until userspace sets fast_ok;
 *  - then the fast array entry at TID modulo its size, which
 *    sched_process_exit's program gives back;
 *  - task storage again while another thread holds that entry;
 * and an exec that changes a thread's TID gives back the old one's entry.
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
	__u64 pte_ptr;
	__u64 pmd_ptr;
	__u32 owner;
	__u32 claims;
};

#define FAST_SLOTS 4096		/* DT_FAST_SLOTS */
#define NO_SLOT (-1LL)

static struct daxtrace_bpf *skel;
static int pidfd, fails;
static __u32 tid, fast_idx;

static int run(struct bpf_program *prog, __u64 *args, int nargs)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args,
		    .ctx_size_in = nargs * sizeof(__u64));

	return bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
}

static bool read_slot(struct bpf_map *map, const void *key, struct slot_head *h)
{
	char value[1024];

	if (bpf_map__value_size(map) > sizeof(value) ||
	    bpf_map_lookup_elem(bpf_map__fd(map), key, value))
		return false;
	memcpy(h, value, sizeof(*h));
	return true;
}

/* This thread's task-storage slot: its vmf, 0 if idle, NO_SLOT if none. */
static long long storage_vmf(void)
{
	struct slot_head h;

	return read_slot(skel->maps.inflight, &pidfd, &h) ? (long long)h.vmf : NO_SLOT;
}

static struct slot_head fast_entry(void)
{
	struct slot_head h = {};

	read_slot(skel->maps.fast, &fast_idx, &h);
	return h;
}

static void expect(const char *name, bool ok, const char *fmt, long long a,
		   long long b, long long c)
{
	printf("%s host/inflight_%s", ok ? "PASS" : "FAIL", name);
	if (!ok) {
		printf(": ");
		printf(fmt, a, b, c);
	}
	printf("\n");
	fails += !ok;
}

/* inode, vmf, result: bogus pointers, read as zeros by the programs */
static __u64 fault[3] = { 0x1000, 0x2000, 0 }, done[3] = { 0x1000, 0x2000, 0x100 };

static void test_storage(void)
{
	long long before = storage_vmf(), opened, closed;

	run(skel->progs.dax_pte_fault, fault, 3);
	opened = storage_vmf();
	run(skel->progs.dax_pte_fault_done, done, 3);
	closed = storage_vmf();
	expect("storage", before == NO_SLOT && opened == 0x2000 && closed == 0 &&
	       fast_entry().owner == 0 && skel->bss->slow_slots == 1,
	       "storage vmf before/opened/closed %lld/%#llx/%lld (want -1/0x2000/0)",
	       before, opened, closed);
}

static void test_fast(void)
{
	struct slot_head opened, closed;
	__u64 exit_args[1] = { 0 };

	/* the exit gives the storage slot back: a new fault may take a fast one */
	run(skel->progs.on_task_exit, exit_args, 1);
	skel->bss->fast_ok = true;
	run(skel->progs.dax_pte_fault, fault, 3);
	opened = fast_entry();
	run(skel->progs.dax_pte_fault_done, done, 3);
	closed = fast_entry();
	expect("fast", opened.owner == tid && opened.vmf == 0x2000 &&
	       closed.owner == tid && closed.vmf == 0 && closed.claims == 1 &&
	       storage_vmf() == 0 && skel->bss->slow_slots == 0,
	       "fast owner %lld vmf opened/closed %#llx/%lld",
	       opened.owner, opened.vmf, closed.vmf);
	run(skel->progs.on_task_exit, exit_args, 1);
	closed = fast_entry();
	expect("fast_exit", closed.owner == 0 && closed.claims == 0,
	       "after exit: owner %lld claims %lld (want 0/0)", closed.owner,
	       closed.claims, 0);
}

/* Another thread holds this TID's fast entry: the record goes to storage. */
static void test_collision(void)
{
	struct slot_head h = {}, after;
	char value[1024] = {};
	long long opened;

	h.owner = tid + FAST_SLOTS;
	h.claims = 1;
	memcpy(value, &h, sizeof(h));
	bpf_map_update_elem(bpf_map__fd(skel->maps.fast), &fast_idx, value, BPF_ANY);
	run(skel->progs.dax_pte_fault, fault, 3);
	opened = storage_vmf();
	after = fast_entry();
	run(skel->progs.dax_pte_fault_done, done, 3);
	expect("collision", opened == 0x2000 && storage_vmf() == 0 &&
	       after.owner == tid + FAST_SLOTS && after.vmf == 0 &&
	       after.claims == 1 && skel->bss->slow_slots == 1,
	       "storage vmf %#llx, fast owner %lld claims %lld", opened,
	       after.owner, after.claims);
}

/*
 * A thread that execs takes its leader's TID: sched_process_exec gives
 * back the entry of its old one (here, the holder test_collision made).
 */
static void test_exec(void)
{
	__u64 args[3] = { 0, tid + FAST_SLOTS, 0 };
	struct slot_head freed;

	run(skel->progs.on_exec, args, 3);
	freed = fast_entry();
	expect("exec", freed.owner == 0 && freed.claims == 0,
	       "entry of the old TID: owner %lld claims %lld (want 0/0)",
	       freed.owner, freed.claims, 0);
}

int main(void)
{
	struct bpf_program *prog;

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
	tid = gettid();
	fast_idx = tid & (FAST_SLOTS - 1);
	if (run(skel->progs.dax_pte_fault_done, done, 3)) {
		printf("SKIP host/inflight_slot: BPF_PROG_TEST_RUN unsupported here\n");
		daxtrace_bpf__destroy(skel);
		return 0;
	}
	test_storage();
	test_fast();
	test_collision();
	test_exec();
	close(pidfd);
	daxtrace_bpf__destroy(skel);
	return fails != 0;
}
