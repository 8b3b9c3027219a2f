// SPDX-License-Identifier: GPL-2.0
/*
 * daxtrace: follow one DAX write fault from entry to return.
 *
 * A fault is "opened" by the first DAX-relevant event of a task (the fs_dax
 * fault tracepoints, or do_wp_page() on a DAX VMA), collects what the kernel
 * did on the way (insert_pfn() and the PTE it found, pfn_mkwrite's
 * fallbacks) in a per-task in-flight record, and is "closed" (sent to the
 * ring buffer) when the outermost function it belongs to returns: the DAX
 * fault handler, or do_wp_page() for a write-protect fault.  The record is
 * matched to later events by the struct vm_fault pointer: it is the same
 * object all the way from __handle_mm_fault() down to the filesystem.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "daxtrace.h"
#include "dt_classify.h"
#include "dt_hist.h"

/* include/linux/fs.h: unchanged since 4.x */
#define S_DAX (1 << 13)
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
	__u64 pte_ptr;		/* from __get_locked_pte() inside insert_pfn() */
	__u64 pmd_ptr;
	__u32 owner;		/* fast entries: the TID holding it, 0: free */
	__u32 claims;		/* fast entries: 1 while held; see claim_fast() */
	__u8 origin;
	__u8 state;
	__u8 in_insert;
};

const volatile bool filter_tgid = false;
const volatile bool follow_forks = false;
/* --path: one filesystem (dev) or one file (dev and inode) */
const volatile __u32 filter_dev = 0;
const volatile __u64 filter_ino = 0;
/* hist mode: classify here and count, send no records */
const volatile bool hist_mode = false;
const volatile __u8 hist_by = DT_BY_NONE;
const volatile __u64 zero_pfn = 0;
const volatile __u64 huge_zero_pfn = 0;
/* wake userspace when this much is waiting in the ring buffer */
const volatile __u64 wakeup_bytes = 1 << 20;
/* set by userspace once it knows whether the insert probes attached */
bool exact = false;
/*
 * Set by userspace when do_wp_page()'s return is probed: a DAX fault that
 * pfn_mkwrite started inside it is then closed there, not at its _done.
 * Until then (attaching) the fexit opens nothing either.
 */
bool wp_ret = false;
/* set by userspace when finish_mkwrite_fault()'s fentry (which opens) attached */
bool finish_opens = false;
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

/* tgids to trace when filter_tgid is set; children join on fork */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, DT_MAX_PROCS_DEFAULT);	/* --max-procs */
	__type(key, __u32);
	__type(value, __u8);
} traced SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct dt_hist_key);
	__type(value, struct dt_hist);
} hists SEC(".maps");

/* hist without --by: the same histograms, at dt_hist_flat_index() */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DT_HIST_FLAT);
	__type(key, __u32);
	__type(value, struct dt_hist);
} hist_flat SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DT_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __always_inline void stat_inc(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	if (v)
		(*v)++;
}

static __always_inline bool task_traced(__u32 tgid)
{
	if (!filter_tgid)
		return true;
	return bpf_map_lookup_elem(&traced, &tgid) != NULL;
}

/*
 * Every body below comes in two builds, chosen by a constant @btf that
 * inlining folds away.  fentry/fexit and tp_btf programs get BTF pointers:
 * a field is one plain load (the JIT guards it against faults).  kprobes
 * and raw tracepoints get bare addresses, read with helper calls: there,
 * copy the head of each struct with one probe read instead of a dozen
 * BPF_CORE_READ()s, CO-RE giving each field's offset in the running
 * kernel.  A field lying beyond the copy reads as 0 (the verifier sees
 * constant offsets, so that costs nothing where it fits).
 */
#define HEAD_BYTES 128

struct head {
	__u64 q[HEAD_BYTES / 8];	/* 8-aligned: stack loads must be aligned */
};

/* Copy the head of *@ptr, a @type, up to the end of its field @last. */
#define head_read(h, ptr, type, last) ({				\
	__u32 __len = bpf_core_field_offset(type, last) +		\
		      bpf_core_field_size(type, last);			\
	bpf_probe_read_kernel((h)->q, __len < HEAD_BYTES ? __len : HEAD_BYTES, \
			      (ptr));					\
})

/* @type's field @field, of C type @vtype, from the copy */
#define head_get(h, type, field, vtype) ({				\
	__u32 __off = bpf_core_field_offset(type, field);		\
	__off + sizeof(vtype) <= HEAD_BYTES ?				\
		*(vtype *)((char *)(h)->q + __off) : (vtype)0;		\
})

/* What a record needs of struct vm_fault (fields up to its cow_page) and its VMA. */
struct vmf_fields {
	struct vm_area_struct *vma;
	__u64 pgoff;
	__u64 address;
	__u64 pmd;		/* pmd_t *: PMD faults read the entry */
	__u64 orig_pte;
	__u64 vm_flags;
	__u32 flags;
	bool cow_page;
};

static __always_inline void read_vmf(struct vm_fault *vmf, struct vmf_fields *a,
				     bool btf)
{
	struct vm_area_struct *vma;
	struct head h;

	if (btf) {
		a->vma = vmf->vma;
		a->pgoff = vmf->pgoff;
		a->address = vmf->address;
		a->pmd = (__u64)vmf->pmd;
		a->orig_pte = vmf->orig_pte.pte;
		a->flags = vmf->flags;
		a->cow_page = vmf->cow_page;
		a->vm_flags = a->vma->vm_flags;
		return;
	}
	head_read(&h, vmf, struct vm_fault, cow_page);
	vma = head_get(&h, struct vm_fault, vma, struct vm_area_struct *);
	a->vma = vma;
	a->pgoff = head_get(&h, struct vm_fault, pgoff, __u64);
	a->address = head_get(&h, struct vm_fault, address, __u64);
	a->pmd = head_get(&h, struct vm_fault, pmd, __u64);
	a->orig_pte = head_get(&h, struct vm_fault, orig_pte, __u64);
	a->flags = head_get(&h, struct vm_fault, flags, __u32);
	a->cow_page = head_get(&h, struct vm_fault, cow_page, __u64);
	a->vm_flags = BPF_CORE_READ(vma, vm_flags);
}

/* Which file: the inode's device, number and flags. */
struct file_id {
	__u64 ino;
	__u32 dev;
	__u32 i_flags;
};

static __always_inline void read_inode(struct inode *inode, struct file_id *id,
				       bool btf)
{
	struct super_block *sb;
	struct head h;

	if (btf) {
		id->i_flags = inode->i_flags;
		id->ino = inode->i_ino;
		id->dev = inode->i_sb->s_dev;
		return;
	}
	head_read(&h, inode, struct inode, i_ino);
	id->i_flags = head_get(&h, struct inode, i_flags, __u32);
	id->ino = head_get(&h, struct inode, i_ino, __u64);
	sb = head_get(&h, struct inode, i_sb, struct super_block *);
	id->dev = BPF_CORE_READ(sb, s_dev);
}

static __always_inline __u64 read_u64(const void *ptr)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), ptr);
	return v;
}

/* A page-table entry (pte_t or pmd_t: one word on every arch we build for) */
static __always_inline __u64 read_entry(const __u64 *ptr, bool btf)
{
	return btf ? *ptr : read_u64(ptr);
}

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

static __always_inline void hist_key(struct dt_hist_key *k,
				     const struct dt_event *ev,
				     const struct dt_verdict *v)
{
	k->cls = v->cls;
	k->mismatch = v->mismatch;
	k->size = ev->size;
	switch (hist_by) {
	case DT_BY_FS:
		k->dev = ev->dev;
		break;
	case DT_BY_COMM:
		__builtin_memcpy(k->comm, ev->comm, sizeof(k->comm));
		break;
	case DT_BY_PID:
		k->pid = ev->pid;
		break;
	case DT_BY_FILE:
		k->dev = ev->dev;
		k->ino = ev->ino;
		break;
	}
}

/* The histogram of this key in the hash, made on first use. */
static __always_inline struct dt_hist *hist_of(const struct dt_event *ev,
					       const struct dt_verdict *v)
{
	static const struct dt_hist empty;
	struct dt_hist_key key = {};
	struct dt_hist *h;

	hist_key(&key, ev, v);
	h = bpf_map_lookup_elem(&hists, &key);
	if (h)
		return h;
	bpf_map_update_elem(&hists, &key, &empty, BPF_NOEXIST);
	return bpf_map_lookup_elem(&hists, &key);
}

/* hist mode: the same rules userspace applies, then one slot increment */
static __noinline int hist_account(struct dt_event *ev)
{
	struct dt_classify_ctx cx = {
		.zero = { .pte = zero_pfn, .pmd = huge_zero_pfn },
		.exact = exact,
	};
	struct dt_verdict v;
	struct dt_hist *h;
	unsigned int slot;
	__u32 idx;

	dt_classify(ev, &cx, &v);
	if (hist_by == DT_BY_NONE) {
		idx = dt_hist_flat_index(v.cls, v.mismatch, ev->size);
		h = bpf_map_lookup_elem(&hist_flat, &idx);
	} else {
		h = hist_of(ev, &v);
	}
	if (!h) {
		stat_inc(DT_STAT_HIST_FULL);
		return 0;
	}
	if (ev->seen & DT_SEEN_UNTIMED) {
		__sync_fetch_and_add(&h->untimed, 1);
		return 0;
	}
	/*
	 * slot < 32 already, but clang folds that knowledge away: hide the
	 * value from it, then mask so the verifier sees the bound.
	 */
	slot = dt_hist_slot(ev->latency_ns);
	asm volatile("" : "+r"(slot));
	slot &= DT_HIST_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
	__sync_fetch_and_add(&h->sum_ns, ev->latency_ns);
	return 0;
}

/*
 * Waking the reader for every record costs an irq_work per fault; wake it
 * once a batch is waiting instead (it also polls every 100 ms).
 */
static __always_inline __u64 wakeup_flag(void)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes ?
	       BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

static __always_inline void close_fault(struct inflight *f, __u32 result)
{
	f->ev.result = result;
	if (!(f->ev.seen & DT_SEEN_UNTIMED))
		f->ev.latency_ns = bpf_ktime_get_ns() - f->ev.ts_ns;
	/* the entry insert_pfn() left, read once the fault is done with it */
	if (f->pte_ptr && !(f->ev.seen & DT_SEEN_AFTER)) {
		f->ev.after = read_u64((void *)f->pte_ptr);
		f->ev.seen |= DT_SEEN_AFTER;
	}
	if (hist_mode)
		hist_account(&f->ev);
	else if (bpf_ringbuf_output(&events, &f->ev, sizeof(f->ev), wakeup_flag()))
		stat_inc(DT_STAT_LOST);
	f->vmf = 0;
}

static __always_inline void note_orig(struct inflight *f,
				      const struct vmf_fields *a)
{
	f->ev.fault_flags = a->flags;
	/* orig_pte is only meaningful once a PTE was found present */
	if (f->ev.size == DT_SIZE_PTE && (a->flags & DT_FAULT_FLAG_MKWRITE)) {
		f->ev.orig = a->orig_pte;
		f->ev.seen |= DT_SEEN_ORIG;
	}
	if (a->cow_page)
		f->ev.seen |= DT_SEEN_COW_PAGE;
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

/*
 * The task's name.  With BTF, two plain loads: bpf_get_current_comm()
 * copies it byte by byte, some 150 instructions of every record.
 */
static __always_inline void read_comm(char *comm, bool btf)
{
	struct task_struct *task;

	if (!btf) {
		bpf_get_current_comm(comm, DT_COMM_LEN);
		return;
	}
	task = bpf_get_current_task_btf();
	((__u64 *)comm)[0] = *(__u64 *)&task->comm[0];
	((__u64 *)comm)[1] = *(__u64 *)&task->comm[8];
	comm[DT_COMM_LEN - 1] = 0;
}

/*
 * Start a record for @vmf, or join the one already open for it.  A record
 * left open by an earlier fault (a PMD fallback whose PTE fault never
 * came, a missed return probe) is flushed first so nothing is lost.
 */
static __always_inline struct inflight *open_fault(struct vm_fault *vmf,
						   const struct vmf_fields *a,
						   const struct file_id *file,
						   __u8 origin, __u8 size, bool btf)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct inflight *f;

	f = slot_of(id);
	if (!f)
		return NULL;
	if (f->vmf == (__u64)vmf) {
		f->ev.size = size;
		if (origin == ORIGIN_WP)
			f->origin = ORIGIN_WP;
		f->state = STATE_OPEN;
		return f;
	}
	if (f->vmf) {
		if (f->state != STATE_FALLBACK)
			stat_inc(DT_STAT_STALE);
		close_fault(f, f->ev.result);
	}

	if ((filter_dev && file->dev != filter_dev) ||
	    (filter_ino && file->ino != filter_ino))
		return NULL;
	__builtin_memset(&f->ev, 0, sizeof(f->ev));
	f->pte_ptr = 0;
	f->pmd_ptr = 0;
	f->state = STATE_OPEN;
	f->in_insert = 0;
	f->origin = origin;
	f->vmf = (__u64)vmf;
	f->ev.dev = file->dev;
	f->ev.ino = file->ino;
	f->ev.ts_ns = bpf_ktime_get_ns();
	f->ev.pid = id >> 32;
	f->ev.tid = (__u32)id;
	f->ev.size = size;
	f->ev.vm_flags = a->vm_flags;
	f->ev.pgoff = a->pgoff;
	f->ev.address = a->address;
	/* hist mode keys on comm only when asked to */
	if (!hist_mode || hist_by == DT_BY_COMM)
		read_comm(f->ev.comm, btf);
	return f;
}

/* ---- fault envelope: fs_dax tracepoints (stable ABI, always present) ---- */

static __always_inline int dax_fault(struct inode *inode, struct vm_fault *vmf,
				     __u8 size, bool btf)
{
	struct file_id file;
	struct vmf_fields a;
	struct inflight *f;
	__u8 origin;

	read_vmf(vmf, &a, btf);
	read_inode(inode, &file, btf);
	/*
	 * pfn_mkwrite: do_wp_page() called us, and without an entry probe
	 * there (fexit mode) this is where its record starts.
	 */
	origin = wp_ret && (a.flags & DT_FAULT_FLAG_MKWRITE) ? ORIGIN_WP :
							       ORIGIN_DAX;
	f = open_fault(vmf, &a, &file, origin, size, btf);
	if (!f)
		return 0;
	f->ev.seen |= DT_SEEN_DAX_FAULT;
	note_orig(f, &a);
	if (size == DT_SIZE_PMD) {
		f->ev.orig = read_entry(btf ? (__u64 *)vmf->pmd : (__u64 *)a.pmd,
					btf);
		f->ev.seen |= DT_SEEN_ORIG;
	}
	return 0;
}

static __always_inline int dax_fault_done(struct vm_fault *vmf, int result)
{
	struct inflight *f = fault_of(vmf);

	if (!f)
		return 0;
	f->ev.seen |= DT_SEEN_DONE;
	f->ev.result = result;
	if (result & DT_VM_FAULT_FALLBACK) {
		f->ev.seen |= DT_SEEN_FALLBACK;
		f->state = STATE_FALLBACK;
		return 0;
	}
	if (result & DT_VM_FAULT_NEEDDSYNC) {
		f->state = STATE_SYNC;
		return 0;
	}
	if (f->origin == ORIGIN_DAX)
		close_fault(f, result);
	return 0;
}

SEC("raw_tp/dax_pte_fault")
int BPF_PROG(dax_pte_fault, struct inode *inode, struct vm_fault *vmf, int result)
{
	return dax_fault(inode, vmf, DT_SIZE_PTE, false);
}

SEC("raw_tp/dax_pte_fault_done")
int BPF_PROG(dax_pte_fault_done, struct inode *inode, struct vm_fault *vmf,
	     int result)
{
	return dax_fault_done(vmf, result);
}

SEC("raw_tp/dax_pmd_fault")
int BPF_PROG(dax_pmd_fault, struct inode *inode, struct vm_fault *vmf,
	     unsigned long max_pgoff, int result)
{
	return dax_fault(inode, vmf, DT_SIZE_PMD, false);
}

/*
 * tp_btf twins of the two opening tracepoints: the same tracepoint, with
 * BTF-typed arguments, so the fields are plain loads.  Userspace loads
 * them wherever BTF has them, but for -m kprobe (the helper-read build
 * throughout); the raw_tp versions stand in elsewhere.
 * The other tracepoints only look up the open record: nothing to gain.
 */
SEC("tp_btf/dax_pte_fault")
int BPF_PROG(tb_dax_pte_fault, struct inode *inode, struct vm_fault *vmf,
	     int result)
{
	return dax_fault(inode, vmf, DT_SIZE_PTE, true);
}

SEC("tp_btf/dax_pmd_fault")
int BPF_PROG(tb_dax_pmd_fault, struct inode *inode, struct vm_fault *vmf,
	     unsigned long max_pgoff, int result)
{
	return dax_fault(inode, vmf, DT_SIZE_PMD, true);
}

SEC("raw_tp/dax_pmd_fault_done")
int BPF_PROG(dax_pmd_fault_done, struct inode *inode, struct vm_fault *vmf,
	     unsigned long max_pgoff, int result)
{
	return dax_fault_done(vmf, result);
}

static __always_inline int dax_hole(struct vm_fault *vmf)
{
	struct inflight *f = fault_of(vmf);

	if (f)
		f->ev.seen |= DT_SEEN_HOLE;
	return 0;
}

SEC("raw_tp/dax_load_hole")
int BPF_PROG(dax_load_hole, struct inode *inode, struct vm_fault *vmf)
{
	return dax_hole(vmf);
}

SEC("raw_tp/dax_pmd_load_hole")
int BPF_PROG(dax_pmd_load_hole, struct inode *inode, struct vm_fault *vmf)
{
	return dax_hole(vmf);
}

/* MAP_SYNC: the entry is made writable after the fsync, then the fault ends. */
SEC("raw_tp/dax_insert_pfn_mkwrite")
int BPF_PROG(dax_insert_pfn_mkwrite, struct inode *inode, struct vm_fault *vmf,
	     int result)
{
	struct inflight *f = fault_of(vmf);

	if (!f || f->state != STATE_SYNC)
		return 0;
	f->ev.seen |= DT_SEEN_SYNC;
	f->state = STATE_OPEN;
	if (f->origin == ORIGIN_DAX)
		close_fault(f, result);
	return 0;
}

/*
 * ---- kernel functions: one body each, attached as fentry/fexit where the
 * kernel allows BPF trampolines, else as kprobe/kretprobe ----
 */

/*
 * Open a write-protect record for @vmf if its VMA is a DAX file's.  The
 * kprobe build calls it at do_wp_page() entry; fexit builds have no entry
 * program (a trampoline with both ends cost every anonymous COW fault of
 * the machine 5%), so there a record opens at the DAX fault pfn_mkwrite
 * runs, or here at the return, untimed, when none did (a private COW).
 */
static __always_inline struct inflight *wp_open(struct vm_fault *vmf, bool btf)
{
	struct file_id file;
	struct vmf_fields a;
	struct inflight *f;
	struct file *filp;

	/* leave non-DAX VMAs at once: most calls are anonymous COW faults */
	filp = btf ? vmf->vma->vm_file : BPF_CORE_READ(vmf, vma, vm_file);
	if (!filp)
		return NULL;
	read_inode(btf ? filp->f_inode : BPF_CORE_READ(filp, f_inode), &file, btf);
	if (!(file.i_flags & S_DAX))
		return NULL;
	read_vmf(vmf, &a, btf);
	f = open_fault(vmf, &a, &file, ORIGIN_WP, DT_SIZE_PTE, btf);
	if (!f)
		return NULL;
	f->ev.seen |= DT_SEEN_WP | DT_SEEN_ORIG;
	f->ev.fault_flags = a.flags;
	f->ev.orig = a.orig_pte;
	return f;
}

/* A record with no start time: its latency is unknown, not zero. */
static __always_inline struct inflight *wp_open_untimed(struct vm_fault *vmf)
{
	struct inflight *f = wp_open(vmf, true);

	if (f)
		f->ev.seen |= DT_SEEN_UNTIMED;
	return f;
}

/*
 * fexit builds: a write-protect fault on a DAX VMA that no DAX fault saw
 * (a private COW, a two-step through wp_page_reuse()) opens at its end,
 * untimed.  With FAULT_FLAG_MKWRITE set, pfn_mkwrite ran: its DAX fault
 * opened the record, or finish_mkwrite_fault() did for a two-step; a
 * record missing then was left out on purpose (--path, -p) or could not
 * be had, and one opened here would be a second, false two_step.
 */
static __always_inline struct inflight *wp_open_late(struct vm_fault *vmf)
{
	if (!wp_ret || ((vmf->flags & DT_FAULT_FLAG_MKWRITE) && finish_opens))
		return NULL;
	return wp_open_untimed(vmf);
}

/* @vmf: the fexit argument (btf), else NULL: the record's own pointer */
static __always_inline int wp_exit(struct vm_fault *vmf, long ret, bool btf)
{
	struct inflight *f;
	pte_t *pte;

	if (btf) {
		f = fault_of(vmf);
		if (!f || f->origin != ORIGIN_WP) {
			f = wp_open_late(vmf);
			if (!f)
				return 0;
		}
		pte = vmf->pte;
	} else {
		f = current_fault();
		if (!f || f->origin != ORIGIN_WP)
			return 0;
		vmf = (struct vm_fault *)f->vmf;
		pte = BPF_CORE_READ(vmf, pte);
	}
	f->ev.seen |= DT_SEEN_WP;
	/* the final entry, whoever wrote it: catches a two-step upgrade */
	if (pte) {
		f->ev.after = read_entry((__u64 *)pte, btf);
		f->ev.seen |= DT_SEEN_WP_AFTER;
		/* the entry insert_pfn() locked: close_fault() need not read it again */
		if ((__u64)pte == f->pte_ptr)
			f->ev.seen |= DT_SEEN_AFTER;
	}
	close_fault(f, (__u32)ret);
	return 0;
}

static __always_inline int mark(struct vm_fault *vmf, __u32 bit)
{
	struct inflight *f = fault_of(vmf);

	if (f)
		f->ev.seen |= bit;
	return 0;
}

/* pfn is pfn_t (u64 with flags on top) before 6.17, unsigned long after */
static __always_inline int insert_enter(__u64 pfn, bool mkwrite)
{
	struct inflight *f = current_fault();

	if (!f)
		return 0;
	f->in_insert = 1;
	f->pte_ptr = 0;
	f->ev.inserts++;
	f->ev.req_pfn = pfn & DT_PFN_MASK;
	f->ev.seen |= DT_SEEN_INSERT;
	if (mkwrite)
		f->ev.seen |= DT_SEEN_MKWRITE_ARG;
	return 0;
}

/* __get_locked_pte() returns with the PTL held: this is the entry insert_pfn() sees */
static __always_inline int locked_pte(pte_t *pte, bool btf)
{
	struct inflight *f = current_fault();

	/* the first __get_locked_pte() after insert_pfn() entry is its own */
	if (!f || !f->in_insert || f->pte_ptr || !pte)
		return 0;
	f->pte_ptr = (__u64)pte;
	f->ev.before = read_entry((__u64 *)pte, btf);
	f->ev.seen |= DT_SEEN_BEFORE;
	return 0;
}

static __always_inline int insert_pmd(struct vm_fault *vmf, __u64 pfn,
				      bool write, bool btf)
{
	struct inflight *f = fault_of(vmf);
	pmd_t *pmd;

	if (!f)
		return 0;
	pmd = btf ? vmf->pmd : BPF_CORE_READ(vmf, pmd);
	f->pmd_ptr = (__u64)pmd;
	f->ev.size = DT_SIZE_PMD;
	f->ev.inserts++;
	f->ev.req_pfn = pfn & DT_PFN_MASK;
	f->ev.before = read_entry((__u64 *)pmd, btf);
	f->ev.seen |= DT_SEEN_INSERT_PMD | DT_SEEN_BEFORE;
	if (write)
		f->ev.seen |= DT_SEEN_MKWRITE_ARG;
	return 0;
}

static __always_inline int insert_pmd_exit(struct vm_fault *vmf, bool btf)
{
	struct inflight *f = current_fault();

	if (!f || !f->pmd_ptr)
		return 0;
	f->ev.after = btf ? vmf->pmd->pmd : read_u64((void *)f->pmd_ptr);
	f->ev.seen |= DT_SEEN_AFTER;
	f->pmd_ptr = 0;
	return 0;
}

/* kprobes: every kernel with CONFIG_KPROBES */

SEC("kprobe/do_wp_page")
int BPF_KPROBE(do_wp_page, struct vm_fault *vmf)
{
	wp_open(vmf, false);
	return 0;
}

SEC("kretprobe/do_wp_page")
int BPF_KRETPROBE(do_wp_page_ret, long ret)
{
	return wp_exit(NULL, ret, false);
}

SEC("kprobe/finish_mkwrite_fault")
int BPF_KPROBE(finish_mkwrite_fault, struct vm_fault *vmf)
{
	return mark(vmf, DT_SEEN_FINISH_MKWRITE);
}

SEC("kprobe/wp_page_reuse")
int BPF_KPROBE(wp_page_reuse, struct vm_fault *vmf)
{
	return mark(vmf, DT_SEEN_WP_REUSE);
}

SEC("kprobe/insert_pfn")
int BPF_KPROBE(insert_pfn, struct vm_area_struct *vma, unsigned long addr,
	       __u64 pfn, unsigned long prot, bool mkwrite)
{
	return insert_enter(pfn, mkwrite);
}

SEC("kretprobe/__get_locked_pte")
int BPF_KRETPROBE(get_locked_pte_ret, pte_t *pte)
{
	return locked_pte(pte, false);
}

/* <= 6.16: vmf_insert_pfn_pmd_prot(vmf, pfn_t, pgprot, write) */
SEC("kprobe/vmf_insert_pfn_pmd_prot")
int BPF_KPROBE(vmf_insert_pfn_pmd_prot, struct vm_fault *vmf, __u64 pfn,
	       unsigned long prot, bool write)
{
	return insert_pmd(vmf, pfn, write, false);
}

/* >= 6.3: vmf_insert_pfn_pmd(vmf, pfn, write) is a real function */
SEC("kprobe/vmf_insert_pfn_pmd")
int BPF_KPROBE(vmf_insert_pfn_pmd, struct vm_fault *vmf, __u64 pfn, bool write)
{
	return insert_pmd(vmf, pfn, write, false);
}

SEC("kretprobe/vmf_insert_pfn_pmd")
int BPF_KRETPROBE(vmf_insert_pfn_pmd_ret, long ret)
{
	return insert_pmd_exit(NULL, false);
}

/*
 * fentry/fexit: cheaper than kprobes, bound to their target at load time.
 * Userspace loads each only where its target exists and trampolines are
 * allowed; the argument lists follow the 6.1 prototypes, and a pfn_t
 * argument is one 8-byte slot like the unsigned long that replaced it.
 */

/*
 * do_wp_page() mostly serves anonymous COW faults, on every process: the
 * exit alone (no entry program) leaves them after two plain loads.
 */
SEC("fexit/do_wp_page")
int BPF_PROG(fx_do_wp_page, struct vm_fault *vmf, long ret)
{
	if (!vmf->vma->vm_file)
		return 0;
	return wp_exit(vmf, ret, true);
}

/*
 * pfn_mkwrite returned without mapping and the PTE is made writable here:
 * the two-step route.  Without an entry probe on do_wp_page() no record
 * may be open: open it (untimed) so the fexit closes it as one.
 */
SEC("fentry/finish_mkwrite_fault")
int BPF_PROG(fe_finish_mkwrite_fault, struct vm_fault *vmf)
{
	struct inflight *f = fault_of(vmf);

	if (!f && wp_ret)
		f = wp_open_untimed(vmf);
	if (f)
		f->ev.seen |= DT_SEEN_FINISH_MKWRITE;
	return 0;
}

SEC("fentry/wp_page_reuse")
int BPF_PROG(fe_wp_page_reuse, struct vm_fault *vmf)
{
	return mark(vmf, DT_SEEN_WP_REUSE);
}

SEC("fentry/insert_pfn")
int BPF_PROG(fe_insert_pfn, struct vm_area_struct *vma, unsigned long addr,
	     __u64 pfn, unsigned long prot, bool mkwrite)
{
	return insert_enter(pfn, mkwrite);
}

SEC("fexit/__get_locked_pte")
int BPF_PROG(fx_get_locked_pte, struct mm_struct *mm, unsigned long addr,
	     spinlock_t **ptl, pte_t *pte)
{
	return locked_pte(pte, true);
}

SEC("fentry/vmf_insert_pfn_pmd_prot")
int BPF_PROG(fe_vmf_insert_pfn_pmd_prot, struct vm_fault *vmf, __u64 pfn,
	     unsigned long prot, bool write)
{
	return insert_pmd(vmf, pfn, write, true);
}

SEC("fexit/vmf_insert_pfn_pmd_prot")
int BPF_PROG(fx_vmf_insert_pfn_pmd_prot, struct vm_fault *vmf, __u64 pfn,
	     unsigned long prot, bool write, long ret)
{
	return insert_pmd_exit(vmf, true);
}

SEC("fentry/vmf_insert_pfn_pmd")
int BPF_PROG(fe_vmf_insert_pfn_pmd, struct vm_fault *vmf, __u64 pfn, bool write)
{
	return insert_pmd(vmf, pfn, write, true);
}

SEC("fexit/vmf_insert_pfn_pmd")
int BPF_PROG(fx_vmf_insert_pfn_pmd, struct vm_fault *vmf, __u64 pfn,
	     bool write, long ret)
{
	return insert_pmd_exit(vmf, true);
}

/* ---- task bookkeeping ---- */

/* raw tracepoints: no tracefs needed, present on every kernel we support */
SEC("raw_tp/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	__u8 one = 1;

	if (!follow_forks || ptgid == ctgid)
		return 0;
	if (!bpf_map_lookup_elem(&traced, &ptgid))
		return 0;
	/* the set is full (--max-procs): the child goes untraced, counted */
	if (bpf_map_update_elem(&traced, &ctgid, &one, BPF_ANY))
		stat_inc(DT_STAT_FORK_FULL);
	return 0;
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

/*
 * An exiting thread gives its slot back, a record still open in it
 * dropped as the task storage one goes with its task; a traced process
 * leaves the set with its last thread.  That is not always the leader
 * (it may exit first), and the leader's exit is not always the end: when
 * another thread execs, the leader exits and the process goes on.  do_exit()
 * counts the thread out of signal->live before this tracepoint.
 */
SEC("raw_tp/sched_process_exit")
int BPF_PROG(on_task_exit)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id, tgid = id >> 32;

	if (!release_fast(tid) && slow_slots && task_slot(false))
		__sync_fetch_and_add(&slow_slots, -1);
	if (follow_forks && !BPF_CORE_READ(task, signal, live.counter))
		bpf_map_delete_elem(&traced, &tgid);
	return 0;
}

/*
 * A thread other than the leader that execs takes the leader's TID
 * (de_thread()): give back the entry of its old one, which no exit will.
 */
SEC("raw_tp/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if ((__u32)old_pid != tid)
		release_fast(old_pid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
