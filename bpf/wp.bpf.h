/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The write-protect path, every era: a write to a present read-only DAX
 * PTE goes through do_wp_page().  On a shared mapping it ends in
 * pfn_mkwrite (the DAX fault, which upgrades the entry in its insert), or
 * in the two-step route, finish_mkwrite_fault() / wp_page_reuse(); on a
 * private one in wp_page_copy().  do_wp_page()'s return gives the final
 * entry, whoever wrote it, and its result (VM_FAULT_RETRY when the fault
 * must be repeated under mmap_lock).
 */
#ifndef DT_WP_BPF_H
#define DT_WP_BPF_H

/*
 * Open a write-protect record for @vmf if its VMA is a DAX file's.  The
 * kprobe build calls it at do_wp_page() entry; fexit builds have no entry
 * program (a trampoline with both ends cost every anonymous COW fault of
 * the machine 5%), so there a record opens at the DAX fault pfn_mkwrite
 * runs, or here at the return, untimed, when none did (a private COW).
 */
static __always_inline struct inflight *wp_open(struct vm_fault *vmf,
						bool untimed, bool btf)
{
	struct file_id file;
	struct vmf_fields a;
	struct inflight *f;
	struct file *filp;

	/* leave non-DAX VMAs at once: most calls are anonymous COW faults */
	filp = btf ? vmf->vma->vm_file : BPF_CORE_READ(vmf, vma, vm_file);
	if (!filp)
		return NULL;
	read_inode(btf ? filp->f_inode : BPF_CORE_READ(filp, f_inode), &file,
		   hist_needs_file(), btf);
	if (!(file.i_flags & S_DAX))
		return NULL;
	read_vmf(vmf, &a, hist_needs_where(DT_SIZE_PTE), btf);
	f = open_fault(vmf, &a, &file, ORIGIN_WP, DT_SIZE_PTE, untimed, btf);
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
	return wp_open(vmf, true, true);
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
static __always_inline int wp_exit(void *ctx, struct vm_fault *vmf, long ret,
				   bool btf)
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
		/* the entry the insert locked: close_fault() need not read it again */
		if ((__u64)pte == f->pte_ptr)
			f->ev.seen |= DT_SEEN_AFTER;
	}
	close_fault(ctx, f, (__u32)ret);
	return 0;
}

/* kprobes: every kernel with CONFIG_KPROBES */

SEC("kprobe/do_wp_page")
int BPF_KPROBE(do_wp_page, struct vm_fault *vmf)
{
	wp_open(vmf, false, false);
	return 0;
}

SEC("kretprobe/do_wp_page")
int BPF_KRETPROBE(do_wp_page_ret, long ret)
{
	return wp_exit(ctx, NULL, ret, false);
}

/* the two-step route: marked, and its forensics taken (forensics.bpf.h) */
static __always_inline int mark_two_step(void *ctx, struct vm_fault *vmf, __u32 bit)
{
	struct inflight *f = fault_of(vmf);

	if (f) {
		f->ev.seen |= bit;
		take_forensics(ctx, f, vmf);
	}
	return 0;
}

SEC("kprobe/finish_mkwrite_fault")
int BPF_KPROBE(finish_mkwrite_fault, struct vm_fault *vmf)
{
	return mark_two_step(ctx, vmf, DT_SEEN_FINISH_MKWRITE);
}

SEC("kprobe/wp_page_reuse")
int BPF_KPROBE(wp_page_reuse, struct vm_fault *vmf)
{
	return mark_two_step(ctx, vmf, DT_SEEN_WP_REUSE);
}

/* fentry/fexit: bound to their target at load time */

/*
 * do_wp_page() mostly serves anonymous COW faults, on every process: the
 * exit alone (no entry program) leaves them after two plain loads.
 */
SEC("fexit/do_wp_page")
int BPF_PROG(fx_do_wp_page, struct vm_fault *vmf, long ret)
{
	if (!vmf->vma->vm_file)
		return 0;
	return wp_exit(ctx, vmf, ret, true);
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
	if (f) {
		f->ev.seen |= DT_SEEN_FINISH_MKWRITE;
		take_forensics(ctx, f, vmf);
	}
	return 0;
}

SEC("fentry/wp_page_reuse")
int BPF_PROG(fe_wp_page_reuse, struct vm_fault *vmf)
{
	return mark_two_step(ctx, vmf, DT_SEEN_WP_REUSE);
}

#endif /* DT_WP_BPF_H */
