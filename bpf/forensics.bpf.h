/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A violation's forensics: the kernel stack of the fault that committed
 * it and the VMA's handlers (who answered ->pfn_mkwrite), taken where it
 * is committed, so that no other fault pays anything for it: for the
 * two-step route in finish_mkwrite_fault() or wp_page_reuse() (wp.bpf.h),
 * for an unexpected PFN mismatch in the insert, under the PTE lock, once
 * it holds the entry it is about to compare (mismatch_forensics()).  With
 * --stacks, also the faults of the classes asked for, as they close
 * (fault.bpf.h close_fault(): stacks_wanted()).  Sent ahead of the fault's
 * record, which says so.
 */
#ifndef DT_FORENSICS_BPF_H
#define DT_FORENSICS_BPF_H

static __always_inline void take_forensics(void *ctx, struct inflight *f,
					   struct vm_fault *vmf)
{
	const struct vm_operations_struct *ops;
	struct dt_forensics_event *fe;
	long n;

	/* hist and serve send no records; one per fault is enough */
	if (hist_mode || f->ev.forensics)
		return;
	fe = bpf_ringbuf_reserve(&events, sizeof(*fe), 0);
	if (!fe)
		return;		/* the ring buffer is full: so is it for the record */
	fe->ts_ns = f->ev.ts_ns;
	fe->tid = f->ev.tid;
	n = bpf_get_stack(ctx, fe->stack, sizeof(fe->stack), 0);
	fe->nframes = n > 0 ? n / sizeof(fe->stack[0]) : 0;
	ops = BPF_CORE_READ(vmf, vma, vm_ops);
	fe->pfn_mkwrite = (__u64)BPF_CORE_READ(ops, pfn_mkwrite);
	fe->fault = (__u64)BPF_CORE_READ(ops, fault);
	bpf_ringbuf_submit(fe, 0);
	f->ev.forensics = 1;
}

/*
 * An mkwrite PTE insert that holds @entry, present with another PFN than
 * the one asked for, on a shared mapping and not the zero page: the case
 * of the kernel's WARN_ON_ONCE (insert_pfn(), insert_page_into_pte_locked()),
 * which userspace classifies pfn_mismatch "unexpected" (dt_classify.h
 * mismatch_kind()).  Every other insert pays this compare only.
 */
static __always_inline void mismatch_forensics(void *ctx, struct inflight *f,
					       __u64 entry)
{
	__u64 pfn = (entry & X86_PFN_MASK) >> 12;	/* a PTE: 4 KiB frames */

	if (!(f->ev.seen & DT_SEEN_MKWRITE_ARG) || !present(entry) ||
	    pfn == f->ev.req_pfn || pfn == zero_pfn ||
	    !(f->ev.vm_flags & DT_VM_SHARED))
		return;
	take_forensics(ctx, f, (struct vm_fault *)f->vmf);
}

/*
 * --stacks: whether the fault of @ev, about to close, is of a class asked
 * for, by the rules userspace applies (dt_classify.h), as hist decides.
 * Not called at all without --stacks: stacks_mask is a constant of the
 * loaded program, and the verifier removes the branch.
 */
static __noinline bool stacks_wanted(const struct dt_event *ev)
{
	struct dt_classify_ctx cx = {
		.zero = { .pte = zero_pfn, .pmd = huge_zero_pfn },
		.layout = DT_PTE_UNKNOWN,	/* the class needs no software bit */
		.exact = exact,
	};
	struct dt_verdict v;

	dt_classify(ev, &cx, &v);
	return stacks_mask & (1U << v.cls);
}

#endif /* DT_FORENSICS_BPF_H */
