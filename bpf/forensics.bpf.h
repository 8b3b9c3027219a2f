/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A violation's forensics: the kernel stack of the fault that took the
 * two-step route and the VMA's handlers (who answered ->pfn_mkwrite),
 * taken where the route is taken (finish_mkwrite_fault(),
 * wp_page_reuse()), so that no other fault pays anything for it.  Sent
 * ahead of the fault's record, which says so.
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

#endif /* DT_FORENSICS_BPF_H */
