/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-flight record of each thread's fault, and where it lives: the
 * slot allocator.
 */
#ifndef DT_SLOTS_BPF_H
#define DT_SLOTS_BPF_H

/* include/linux/sched.h: unchanged since 2.6 */
#define PF_EXITING 0x00000004

enum dt_origin {
	ORIGIN_DAX = 1,	/* opened by dax_pte_fault / dax_pmd_fault */
	ORIGIN_WP,	/* a write-protect fault: do_wp_page()'s return closes it */
};

enum dt_state {
	STATE_OPEN = 0,
	STATE_FALLBACK,	/* PMD fell back; the PTE fault follows */
	STATE_SYNC,	/* MAP_SYNC: insert follows after fsync */
};

/*
 * One slot per thread, taken at its first DAX fault and given back when
 * the thread exits (or execs, taking its leader's TID): a fault only
 * fills it in place.  Found in each of the
 * several program runs of a fault, so the finding must be cheap: a thread
 * owns the entry of the array "fast" at its TID modulo the array's size
 * (an array lookup is inlined, a few instructions), and a thread whose
 * entry another thread holds falls back to task-local storage (a helper
 * call of some 115 instructions on 6.1).  Only the owner writes an entry
 * it holds: its faults, its exit and its exec (both tracepoints run in
 * the thread itself).
 */
struct inflight {
	struct dt_event ev;
	__u64 vmf;		/* identity of the fault; 0: slot idle */
	__u64 pte_ptr;		/* the PTE the insert locked (on_pte_locked()) */
	__u64 pmd_ptr;
	__u32 owner;		/* fast entries: the TID holding it, 0: free */
	__u32 claims;		/* fast entries: 1 while held; see claim_fast() */
	__u8 origin;
	__u8 state;
	__u8 in_insert;
	__u8 pmd_open;		/* between dax_pmd_fault and its _done */
	/* after the head tests/host/inflight.c mirrors */
	struct dt_pmd_facts pmd;	/* a PMD fault's, for its fallback reason */
	__u64 dda_pfn_ptr;	/* kprobe on dax_direct_access: its pfn argument */
	__s64 dda_nr;		/* and its nr_pages */
};

/*
 * PMD faults between dax_pmd_fault and its _done, on all threads: the
 * reason points (iomap_iter and dax_direct_access run in every DAX fault,
 * and iomap_iter for every other iomap user too) leave at once while it
 * is 0.  A thread sees its own PMD fault counted (an atomic add is
 * ordered before its later loads); one that exits with its PMD fault
 * open leaves the count high: slower exits, never a missed fact.
 */
__u64 pmd_faults_open = 0;

static __always_inline void set_pmd_open(struct inflight *f, bool open)
{
	if (f->pmd_open == open)
		return;
	f->pmd_open = open;
	__sync_fetch_and_add(&pmd_faults_open, open ? 1 : -1);
}

/*
 * Set by userspace once sched_process_exit and sched_process_exec are
 * attached: only then can a thread take a fast slot, which its exit (or
 * an exec that changes its TID) must give back.
 */
bool fast_ok = false;
/* threads whose slot is in task storage: none, and a miss costs no lookup */
__u64 slow_slots = 0;

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct inflight);
} inflight SEC(".maps");

/* a power of two: the slot index is TID & fast_mask */
#define DT_FAST_SLOTS 4096
/* DT_FAST_SLOTS - 1; less in tests (DAXTRACE_FAST_SLOTS), to make threads share */
const volatile __u32 fast_mask = DT_FAST_SLOTS - 1;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DT_FAST_SLOTS);
	__type(key, __u32);
	__type(value, struct inflight);
} fast SEC(".maps");

/* This thread's slot in task storage (made if @create), NULL if none */
static __always_inline struct inflight *task_slot(bool create)
{
	return bpf_task_storage_get(&inflight, bpf_get_current_task_btf(), 0,
				    create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
}

/* The fast entry of thread @tid, held by it or not (NULL: cannot be). */
static __always_inline struct inflight *fast_entry(__u32 tid)
{
	__u32 idx = tid & fast_mask;

	return bpf_map_lookup_elem(&fast, &idx);
}

/* Thread @tid's slot, its fast entry @fe or in task storage; NULL if none yet. */
static __always_inline struct inflight *find_slot(struct inflight *fe, __u32 tid)
{
	if (fe->owner == tid)
		return fe;
	return slow_slots ? task_slot(false) : NULL;
}

/* This thread's open fault, if any. */
static __always_inline struct inflight *current_fault(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct inflight *fe = fast_entry(tid), *f;

	if (!fe)
		return NULL;
	f = find_slot(fe, tid);

	if (f && f->vmf)
		return f;
	return NULL;
}

/* The in-flight record of this task if it belongs to this vm_fault. */
static __always_inline struct inflight *fault_of(struct vm_fault *vmf)
{
	struct inflight *f = current_fault();

	if (f && f->vmf == (__u64)vmf)
		return f;
	return NULL;
}

/*
 * Take @f for @tid if no thread holds it.  Exclusion rests on claims
 * alone: every taker adds one and reads it back, and as all adds to one
 * word are ordered, a taker reads 1 only if no other holds a unit (a
 * holder keeps its unit until it gives the entry back); racing takers may
 * all lose, and fall back to task storage.  owner is only a hint here
 * (plain add and loads: no BPF v3 atomics needed).
 *
 * An exiting thread takes none: its entry is given back at
 * sched_process_exit, which on some kernels comes before the exit's last
 * user-memory accesses (robust futexes, clear_child_tid) could fault.
 */
static __always_inline bool claim_fast(struct inflight *f, __u32 tid)
{
	struct task_struct *task = (void *)bpf_get_current_task();

	/* a probe read: raw tracepoints and kprobes claim too (once a thread) */
	if (!fast_ok || f->owner || (BPF_CORE_READ(task, flags) & PF_EXITING))
		return false;
	__sync_fetch_and_add(&f->claims, 1);
	if (f->claims == 1 && !f->owner) {
		f->owner = tid;
		f->vmf = 0;
		return true;
	}
	__sync_fetch_and_add(&f->claims, -1);
	return false;
}

/* This thread's slot, taken (idle) on its first traced fault. */
static __always_inline struct inflight *slot_of(__u64 id)
{
	__u32 tid = (__u32)id;
	struct inflight *fe = fast_entry(tid), *f;

	if (!fe)
		return NULL;
	f = find_slot(fe, tid);
	if (f)
		return f;
	/* a slot exists only for traced tasks: later faults skip this check */
	if (!task_traced(id >> 32))
		return NULL;
	if (claim_fast(fe, tid))
		return fe;
	f = task_slot(true);
	if (f)
		__sync_fetch_and_add(&slow_slots, 1);
	else
		stat_inc(DT_STAT_CTX_FULL);
	return f;
}

/* Give back @tid's fast entry if it holds it; false if it holds none. */
static __always_inline bool release_fast(__u32 tid)
{
	struct inflight *f = fast_entry(tid);

	if (!f || f->owner != tid)
		return false;
	f->vmf = 0;
	f->owner = 0;
	__sync_fetch_and_add(&f->claims, -1);
	return true;
}

#endif /* DT_SLOTS_BPF_H */
