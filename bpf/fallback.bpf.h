/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why a PMD fault fell back: the facts dt_fallback_reason()
 * (include/dt_fallback.h) decides from, gathered while the fault runs,
 * and the decision when fs_dax:dax_pmd_fault_done says VM_FAULT_FALLBACK.
 *
 * The tracepoint's own fields decide the first four checks; how far the
 * fault got past them is told by the iomap:iomap_iter tracepoint (the
 * extent), fs_dax:dax_pmd_load_hole_fallback (the huge zero page) and
 * dax_direct_access()'s return (the storage).  Each is optional: what a
 * missing one would decide is DT_FB_UNKNOWN (or DT_FB_STORAGE).
 */
#ifndef DT_FALLBACK_BPF_H
#define DT_FALLBACK_BPF_H

/* set by userspace once attached: enum dt_fb_source of the probes that did */
__u8 fb_have = 0;

/* A PMD fault starts (dax_pmd_fault): what dax_fault_check_fallback() reads. */
static __always_inline void pmd_facts_open(struct inflight *f,
					   const struct vmf_fields *a, bool btf)
{
	struct vm_area_struct *vma = a->vma;	/* not a CO-RE access */
	struct dt_pmd_facts *p = &f->pmd;

	__builtin_memset(p, 0, sizeof(*p));
	p->address = a->address;
	p->pgoff = a->pgoff;
	p->vm_flags = a->vm_flags;
	p->fault_flags = a->flags;
	if (btf) {
		p->vm_start = vma->vm_start;
		p->vm_end = vma->vm_end;
	} else {
		p->vm_start = BPF_CORE_READ(vma, vm_start);
		p->vm_end = BPF_CORE_READ(vma, vm_end);
	}
	p->have = fb_have;
	set_pmd_open(f, true);
}

/* The PMD fault ends with @result: decide the reason if it fell back. */
static __always_inline void pmd_facts_close(struct inflight *f, __u64 max_pgoff,
					    int result)
{
	if (!f->pmd_open)
		return;
	set_pmd_open(f, false);
	if (!(result & DT_VM_FAULT_FALLBACK))
		return;
	f->pmd.max_pgoff = max_pgoff;
	f->ev.pmd_fallback = dt_fallback_reason(&f->pmd);
}

/* This thread's PMD fault, between dax_pmd_fault and its _done. */
static __always_inline struct inflight *pmd_fault(void)
{
	struct inflight *f;

	/* most calls come with none open anywhere: one load, no slot lookup */
	if (!pmd_faults_open)
		return NULL;
	f = current_fault();

	return f && f->pmd_open ? f : NULL;
}

/*
 * iomap_iter() is called: from its second call of a fault on, the iomap
 * is the extent the filesystem's iomap_begin gave the call before (its
 * length is 0 before any begin).  In 6.1 and 6.12 the tracepoint fires
 * after iomap_end and before the iomap is cleared, in 7.2 on entry: the
 * same view.  iomap_length() is computed as the kernel does.
 */
static __always_inline int on_iomap_iter(struct iomap_iter *iter, bool btf)
{
	struct inflight *f = pmd_fault();
	__u64 end, src_end, len, pos, length, off;
	struct dt_pmd_facts *p;
	__u16 src_type;

	if (!f)
		return 0;
	p = &f->pmd;
	if (p->iters < 255)
		p->iters++;
	if (btf) {
		length = iter->iomap.length;
		off = iter->iomap.offset;
		pos = iter->pos;
		len = iter->len;
		src_type = iter->srcmap.type;
		src_end = iter->srcmap.offset + iter->srcmap.length;
		p->iomap_type = iter->iomap.type;
		p->iomap_flags = iter->iomap.flags;
	} else {
		length = BPF_CORE_READ(iter, iomap.length);
		off = BPF_CORE_READ(iter, iomap.offset);
		pos = BPF_CORE_READ(iter, pos);
		len = BPF_CORE_READ(iter, len);
		src_type = BPF_CORE_READ(iter, srcmap.type);
		src_end = BPF_CORE_READ(iter, srcmap.offset) +
			  BPF_CORE_READ(iter, srcmap.length);
		p->iomap_type = BPF_CORE_READ(iter, iomap.type);
		p->iomap_flags = BPF_CORE_READ(iter, iomap.flags);
	}
	if (!length)
		return 0;
	p->iomap_seen = 1;
	end = off + length;
	if (src_type != DT_IOMAP_HOLE && src_end < end)
		end = src_end;
	end -= pos;
	p->iomap_len = len < end ? len : end;
	return 0;
}

SEC("raw_tp/iomap_iter")
int BPF_PROG(iomap_iter, struct iomap_iter *iter, const void *ops,
	     unsigned long caller)
{
	return on_iomap_iter(iter, false);
}

SEC("tp_btf/iomap_iter")
int BPF_PROG(tb_iomap_iter, struct iomap_iter *iter, const void *ops,
	     unsigned long caller)
{
	return on_iomap_iter(iter, true);
}

SEC("raw_tp/dax_pmd_load_hole_fallback")
int BPF_PROG(dax_pmd_load_hole_fallback, struct inode *inode,
	     struct vm_fault *vmf)
{
	struct inflight *f = fault_of(vmf);

	if (f && f->pmd_open)
		f->pmd.zero_fallback = 1;
	return 0;
}

/*
 * dax_direct_access(dax_dev, pgoff, nr_pages, mode, kaddr, pfn) returned
 * @ret pages from the PFN in *@pfn (pfn_t up to 6.16, unsigned long
 * after: one word either way, pfn_t's flags in its top bits).  Only the
 * PMD fault's own call, for 512 pages, is of interest.
 */
static __always_inline void on_dda_ret(struct inflight *f, long nr_pages,
				       __u64 pfn_ptr, long ret)
{
	struct dt_pmd_facts *p = &f->pmd;

	if (nr_pages != DT_FB_PMD_PAGES)
		return;
	p->dda_seen = 1;
	p->dda_ret = ret;
	p->dda_pfn = ret > 0 && pfn_ptr ?
		     read_u64((void *)pfn_ptr) & DT_PFN_MASK : 0;
}

SEC("fexit/dax_direct_access")
int BPF_PROG(fx_dax_direct_access, void *dax_dev, __u64 pgoff, long nr_pages,
	     int mode, void *kaddr, void *pfn, long ret)
{
	struct inflight *f;

	/* a PTE fault's call (1 page) is of no interest: leave before the lookup */
	if (nr_pages != DT_FB_PMD_PAGES)
		return 0;
	f = pmd_fault();
	if (f)
		on_dda_ret(f, nr_pages, (__u64)pfn, ret);
	return 0;
}

/*
 * kretprobe mode: the entry keeps what the return needs.  BPF_KPROBE
 * names five arguments; pfn is the sixth (x86-64: r9).
 */
SEC("kprobe/dax_direct_access")
int BPF_KPROBE(dax_direct_access, void *dax_dev, __u64 pgoff, long nr_pages)
{
	struct inflight *f;

	if (nr_pages != DT_FB_PMD_PAGES)
		return 0;
	f = pmd_fault();
	if (f) {
		f->dda_nr = nr_pages;
		f->dda_pfn_ptr = ctx->r9;
	}
	return 0;
}

SEC("kretprobe/dax_direct_access")
int BPF_KRETPROBE(dax_direct_access_ret, long ret)
{
	struct inflight *f = pmd_fault();

	if (f && f->dda_pfn_ptr) {
		on_dda_ret(f, f->dda_nr, f->dda_pfn_ptr, ret);
		f->dda_pfn_ptr = 0;
	}
	return 0;
}

#endif /* DT_FALLBACK_BPF_H */
