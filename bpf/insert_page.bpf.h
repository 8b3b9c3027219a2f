/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page era (6.15 on; enum dt_era DT_ERA_PAGE): DAX memory is folios.
 * fs/dax.c maps a PTE, the zero page of a hole included, with
 * vmf_insert_page_mkwrite() -> insert_page() -> insert_page_into_pte_locked
 * (vma, pte, addr, page, prot, mkwrite), called with the PTE lock held: its
 * entry is the one it compares against (mm/memory.c).  A present entry
 * with another PFN is refused there: -EBUSY for a read (the fault ends
 * VM_FAULT_NOPAGE), -EFAULT and a WARN_ON_ONCE unless it is the zero page
 * for an upgrade (VM_FAULT_SIGBUS).  PMDs, the huge zero page included, go
 * through vmf_insert_folio_pmd(vmf, folio, write).  The PFN of a page or
 * folio is page_pfn() (core_read.bpf.h).
 * Userspace loads these programs only on a kernel of this era.
 */
#ifndef DT_INSERT_PAGE_BPF_H
#define DT_INSERT_PAGE_BPF_H

static __always_inline int pte_insert_locked(void *ctx, pte_t *pte, __u64 page,
					     bool mkwrite, bool btf)
{
	struct inflight *f = current_fault();
	__u64 entry;

	if (!f || !pte)
		return 0;
	entry = read_entry((__u64 *)pte, btf);
	on_pte_insert(f, page_pfn(page), mkwrite);
	on_pte_locked(f, (__u64)pte, entry);
	mismatch_forensics(ctx, f, entry);
	return 0;
}

/* kprobes: BPF_KPROBE names five arguments; mkwrite is the sixth (x86-64: r9) */

SEC("kprobe/insert_page_into_pte_locked")
int BPF_KPROBE(insert_page_locked, struct vm_area_struct *vma, pte_t *pte,
	       unsigned long addr, struct page *page, unsigned long prot)
{
	return pte_insert_locked(ctx, pte, (__u64)page, (bool)ctx->r9, false);
}

SEC("kprobe/vmf_insert_folio_pmd")
int BPF_KPROBE(vmf_insert_folio_pmd, struct vm_fault *vmf, struct folio *folio,
	       bool write)
{
	return on_pmd_insert(vmf, page_pfn((__u64)folio), write, false);
}

/* device DAX at 1 GiB */
SEC("kprobe/vmf_insert_folio_pud")
int BPF_KPROBE(vmf_insert_folio_pud, struct vm_fault *vmf, struct folio *folio,
	       bool write)
{
	return on_pud_insert(vmf, page_pfn((__u64)folio), write, false);
}

SEC("kretprobe/vmf_insert_folio_pmd")
int BPF_KRETPROBE(vmf_insert_folio_pmd_ret, long ret)
{
	return on_pmd_inserted(NULL, false);
}

/*
 * fentry/fexit: a pgprot_t argument is one register.  The verifier types
 * a page or folio argument as a pointer, which allows no arithmetic:
 * bpf_get_func_arg() gives its address as a number (the verifier inlines it).
 */

SEC("fentry/insert_page_into_pte_locked")
int BPF_PROG(fe_insert_page_locked, struct vm_area_struct *vma, pte_t *pte,
	     unsigned long addr, struct page *page, unsigned long prot,
	     bool mkwrite)
{
	__u64 page_addr = 0;

	bpf_get_func_arg(ctx, 3, &page_addr);
	return pte_insert_locked(ctx, pte, page_addr, mkwrite, true);
}

SEC("fentry/vmf_insert_folio_pmd")
int BPF_PROG(fe_vmf_insert_folio_pmd, struct vm_fault *vmf, struct folio *folio,
	     bool write)
{
	__u64 folio_addr = 0;

	bpf_get_func_arg(ctx, 1, &folio_addr);
	return on_pmd_insert(vmf, page_pfn(folio_addr), write, true);
}

SEC("fexit/vmf_insert_folio_pmd")
int BPF_PROG(fx_vmf_insert_folio_pmd, struct vm_fault *vmf, struct folio *folio,
	     bool write, long ret)
{
	return on_pmd_inserted(vmf, true);
}

SEC("fentry/vmf_insert_folio_pud")
int BPF_PROG(fe_vmf_insert_folio_pud, struct vm_fault *vmf, struct folio *folio,
	     bool write)
{
	__u64 folio_addr = 0;

	bpf_get_func_arg(ctx, 1, &folio_addr);
	return on_pud_insert(vmf, page_pfn(folio_addr), write, true);
}

#endif /* DT_INSERT_PAGE_BPF_H */
