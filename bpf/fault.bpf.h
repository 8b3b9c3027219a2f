/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fault's record, from open to close, and what the probes of every era
 * report into it.  The era files (insert_pfn.bpf.h, insert_page.bpf.h)
 * only turn their kernel's arguments into PFNs and entries and call the
 * on_*() hooks here: what an insert means for the record is written once.
 */
#ifndef DT_FAULT_BPF_H
#define DT_FAULT_BPF_H

/*
 * Waking the reader for every record costs an irq_work per fault; wake it
 * once a batch is waiting instead (it also polls every 100 ms).
 */
static __always_inline __u64 wakeup_flag(void)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes ?
	       BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

/*
 * @ctx: the program's, for the stack --stacks asks for; NULL where the
 * fault is not closing on its own path (a stale record flushed).
 */
static __always_inline void close_fault(void *ctx, struct inflight *f,
					__u32 result)
{
	f->ev.result = result;
	if (!(f->ev.seen & DT_SEEN_UNTIMED))
		f->ev.latency_ns = bpf_ktime_get_ns() - f->ev.ts_ns;
	/*
	 * The entry the insert left, read once the fault is done with it;
	 * hist, which keeps only the class, where the class depends on it.
	 */
	if (f->pte_ptr && !(f->ev.seen & DT_SEEN_AFTER) &&
	    (!hist_mode || dt_class_needs_after(&f->ev))) {
		f->ev.after = read_u64((void *)f->pte_ptr);
		f->ev.seen |= DT_SEEN_AFTER;
	}
	if (stacks_mask && ctx && !hist_mode && stacks_wanted(&f->ev))
		take_forensics(ctx, f, (struct vm_fault *)f->vmf);
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
 * Start a record for @vmf, or join the one already open for it.  A record
 * left open by an earlier fault (a PMD fallback whose PTE fault never
 * came, a missed return probe) is flushed first so nothing is lost.
 */
static __always_inline struct inflight *open_fault(struct vm_fault *vmf,
						   const struct vmf_fields *a,
						   const struct file_id *file,
						   __u8 origin, __u8 size,
						   bool untimed, bool btf)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct inflight *f;

	f = slot_of(id);
	if (!f)
		return NULL;
	/*
	 * A PMD fault on a record whose PMD fault fell back is a new fault
	 * that reuses the stack slot of the vm_fault: one __handle_mm_fault()
	 * tries the PMD once.  From 6.6, ext4 (no ->map_pages) retries under
	 * mmap_lock the PTE fault a fallback leads to under the per-VMA
	 * lock: the first attempt is a fallback record of its own.
	 */
	if (f->vmf == (__u64)vmf &&
	    !(size == DT_SIZE_PMD && f->state == STATE_FALLBACK)) {
		f->ev.size = size;
		if (origin == ORIGIN_WP)
			f->origin = ORIGIN_WP;
		if (untimed)
			f->ev.seen |= DT_SEEN_UNTIMED;
		f->state = STATE_OPEN;
		return f;
	}
	if (f->vmf) {
		if (f->state != STATE_FALLBACK)
			stat_inc(DT_STAT_STALE);
		close_fault(NULL, f, f->ev.result);
	}

	if ((filter_dev && file->dev != filter_dev) ||
	    (filter_ino && file->ino != filter_ino))
		return NULL;
	__builtin_memset(&f->ev, 0, sizeof(f->ev));
	f->pte_ptr = 0;
	f->pmd_ptr = 0;
	f->state = STATE_OPEN;
	f->in_insert = 0;
	set_pmd_open(f, false);
	f->origin = origin;
	f->vmf = (__u64)vmf;
	f->ev.dev = file->dev;
	f->ev.ino = file->ino;
	/*
	 * An untimed record's time stamp is its return's in the stream;
	 * hist, which keeps no time stamps, needs none.
	 */
	if (untimed)
		f->ev.seen = DT_SEEN_UNTIMED;	/* its latency is unknown, not 0 */
	if (!untimed || !hist_mode)
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

/*
 * ---- what the insert probes of every era report ----
 *
 * A PTE insert begins: @pfn asked for (flag bits stripped), to be mapped
 * writable and dirty or not.
 */
static __always_inline void on_pte_insert(struct inflight *f, __u64 pfn,
					  bool mkwrite)
{
	f->in_insert = 1;
	f->pte_ptr = 0;
	f->ev.inserts++;
	f->ev.req_pfn = pfn;
	f->ev.seen |= DT_SEEN_INSERT;
	if (mkwrite)
		f->ev.seen |= DT_SEEN_MKWRITE_ARG;
}

/*
 * The insert holds the page-table lock on @pte, whose entry is @entry:
 * what it will compare against.  The entry after is read through @pte
 * when the fault ends (close_fault(), or do_wp_page()'s return).
 */
static __always_inline void on_pte_locked(struct inflight *f, __u64 pte,
					  __u64 entry)
{
	f->pte_ptr = pte;
	f->ev.before = entry;
	f->ev.seen |= DT_SEEN_BEFORE;
}

/*
 * A PMD insert for @vmf begins, asking for @pfn: the PMD's entry now (the
 * insert takes its lock later).
 */
static __always_inline int on_pmd_insert(struct vm_fault *vmf, __u64 pfn,
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
	f->ev.req_pfn = pfn;
	f->ev.before = read_entry((__u64 *)pmd, btf);
	f->ev.seen |= DT_SEEN_INSERT_PMD | DT_SEEN_BEFORE;
	if (write)
		f->ev.seen |= DT_SEEN_MKWRITE_ARG;
	return 0;
}

/*
 * The PMD insert returned: the entry it left.  @vmf is the fexit
 * argument (btf); kretprobes have none and read the PMD the insert began on.
 */
/*
 * A PUD insert for @vmf (device DAX at 1 GiB) begins, asking for @pfn:
 * the PUD's entry now; the entry after is read as the fault ends
 * (devdax.bpf.h).
 */
static __always_inline int on_pud_insert(struct vm_fault *vmf, __u64 pfn,
					 bool write, bool btf)
{
	struct inflight *f = fault_of(vmf);
	pud_t *pud;

	if (!f)
		return 0;
	pud = btf ? vmf->pud : BPF_CORE_READ(vmf, pud);
	f->pmd_ptr = (__u64)pud;
	f->ev.size = DT_SIZE_PUD;
	f->ev.inserts++;
	f->ev.req_pfn = pfn;
	f->ev.before = read_entry((__u64 *)pud, btf);
	f->ev.seen |= DT_SEEN_INSERT_PUD | DT_SEEN_BEFORE;
	if (write)
		f->ev.seen |= DT_SEEN_MKWRITE_ARG;
	return 0;
}

static __always_inline int on_pmd_inserted(struct vm_fault *vmf, bool btf)
{
	struct inflight *f = current_fault();

	if (!f || !f->pmd_ptr)
		return 0;
	f->ev.after = btf ? vmf->pmd->pmd : read_u64((void *)f->pmd_ptr);
	f->ev.seen |= DT_SEEN_AFTER;
	f->pmd_ptr = 0;
	return 0;
}

#endif /* DT_FAULT_BPF_H */
