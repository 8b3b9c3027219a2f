/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pfn era (up to 6.14; enum dt_era DT_ERA_PFN): fs/dax.c maps a PTE
 * with vmf_insert_mixed(_mkwrite)() -> insert_pfn(vma, addr, pfn, prot,
 * mkwrite), which takes the PTE lock through __get_locked_pte(): its
 * return is the entry insert_pfn() compares against.  PMDs go through
 * vmf_insert_pfn_pmd_prot() (up to 6.3), then vmf_insert_pfn_pmd(); the
 * huge zero page is set by dax_pmd_load_hole() itself, no insert.  pfn is
 * a pfn_t (flag bits on top) up to 6.16: one register either way.
 * Userspace loads these programs only on a kernel of this era.
 */
#ifndef DT_INSERT_PFN_BPF_H
#define DT_INSERT_PFN_BPF_H

static __always_inline int insert_enter(__u64 pfn, bool mkwrite)
{
	struct inflight *f = current_fault();

	if (f)
		on_pte_insert(f, pfn & DT_PFN_MASK, mkwrite);
	return 0;
}

/* __get_locked_pte() returns with the PTL held: this is the entry insert_pfn() sees */
static __always_inline int locked_pte(void *ctx, pte_t *pte, bool btf)
{
	struct inflight *f = current_fault();
	__u64 entry;

	/* the first __get_locked_pte() after insert_pfn() entry is its own */
	if (!f || !f->in_insert || f->pte_ptr || !pte)
		return 0;
	entry = read_entry((__u64 *)pte, btf);
	on_pte_locked(f, (__u64)pte, entry);
	mismatch_forensics(ctx, f, entry);
	return 0;
}

/* kprobes */

SEC("kprobe/insert_pfn")
int BPF_KPROBE(insert_pfn, struct vm_area_struct *vma, unsigned long addr,
	       __u64 pfn, unsigned long prot, bool mkwrite)
{
	return insert_enter(pfn, mkwrite);
}

SEC("kretprobe/__get_locked_pte")
int BPF_KRETPROBE(get_locked_pte_ret, pte_t *pte)
{
	return locked_pte(ctx, pte, false);
}

/* <= 6.3: vmf_insert_pfn_pmd_prot(vmf, pfn_t, pgprot, write) */
SEC("kprobe/vmf_insert_pfn_pmd_prot")
int BPF_KPROBE(vmf_insert_pfn_pmd_prot, struct vm_fault *vmf, __u64 pfn,
	       unsigned long prot, bool write)
{
	return on_pmd_insert(vmf, pfn & DT_PFN_MASK, write, false);
}

SEC("kretprobe/vmf_insert_pfn_pmd_prot")
int BPF_KRETPROBE(vmf_insert_pfn_pmd_prot_ret, long ret)
{
	return on_pmd_inserted(NULL, false);
}

/* >= 6.4: vmf_insert_pfn_pmd(vmf, pfn, write) is a real function */
SEC("kprobe/vmf_insert_pfn_pmd")
int BPF_KPROBE(vmf_insert_pfn_pmd, struct vm_fault *vmf, __u64 pfn, bool write)
{
	return on_pmd_insert(vmf, pfn & DT_PFN_MASK, write, false);
}

SEC("kretprobe/vmf_insert_pfn_pmd")
int BPF_KRETPROBE(vmf_insert_pfn_pmd_ret, long ret)
{
	return on_pmd_inserted(NULL, false);
}

/* device DAX at 1 GiB: <= 6.3 vmf_insert_pfn_pud_prot(), then vmf_insert_pfn_pud() */
SEC("kprobe/vmf_insert_pfn_pud_prot")
int BPF_KPROBE(vmf_insert_pfn_pud_prot, struct vm_fault *vmf, __u64 pfn,
	       unsigned long prot, bool write)
{
	return on_pud_insert(vmf, pfn & DT_PFN_MASK, write, false);
}

SEC("kprobe/vmf_insert_pfn_pud")
int BPF_KPROBE(vmf_insert_pfn_pud, struct vm_fault *vmf, __u64 pfn, bool write)
{
	return on_pud_insert(vmf, pfn & DT_PFN_MASK, write, false);
}

/*
 * fentry/fexit: the argument lists follow the 6.1 prototypes; a pfn_t
 * argument is one 8-byte slot like the unsigned long that replaced it,
 * and a pgprot_t one register.
 */

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
	return locked_pte(ctx, pte, true);
}

SEC("fentry/vmf_insert_pfn_pmd_prot")
int BPF_PROG(fe_vmf_insert_pfn_pmd_prot, struct vm_fault *vmf, __u64 pfn,
	     unsigned long prot, bool write)
{
	return on_pmd_insert(vmf, pfn & DT_PFN_MASK, write, true);
}

SEC("fexit/vmf_insert_pfn_pmd_prot")
int BPF_PROG(fx_vmf_insert_pfn_pmd_prot, struct vm_fault *vmf, __u64 pfn,
	     unsigned long prot, bool write, long ret)
{
	return on_pmd_inserted(vmf, true);
}

SEC("fentry/vmf_insert_pfn_pmd")
int BPF_PROG(fe_vmf_insert_pfn_pmd, struct vm_fault *vmf, __u64 pfn, bool write)
{
	return on_pmd_insert(vmf, pfn & DT_PFN_MASK, write, true);
}

SEC("fexit/vmf_insert_pfn_pmd")
int BPF_PROG(fx_vmf_insert_pfn_pmd, struct vm_fault *vmf, __u64 pfn,
	     bool write, long ret)
{
	return on_pmd_inserted(vmf, true);
}

SEC("fentry/vmf_insert_pfn_pud_prot")
int BPF_PROG(fe_vmf_insert_pfn_pud_prot, struct vm_fault *vmf, __u64 pfn,
	     unsigned long prot, bool write)
{
	return on_pud_insert(vmf, pfn & DT_PFN_MASK, write, true);
}

SEC("fentry/vmf_insert_pfn_pud")
int BPF_PROG(fe_vmf_insert_pfn_pud, struct vm_fault *vmf, __u64 pfn, bool write)
{
	return on_pud_insert(vmf, pfn & DT_PFN_MASK, write, true);
}

#endif /* DT_INSERT_PFN_BPF_H */
