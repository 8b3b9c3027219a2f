/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading kernel structures, in the two builds every probe body has: BTF
 * pointers (plain loads) or bare addresses (helper reads, with CO-RE
 * offsets), so that one source serves fentry/tp_btf and kprobe/raw_tp.
 */
#ifndef DT_CORE_READ_BPF_H
#define DT_CORE_READ_BPF_H

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

/*
 * @where: the fault's address and file offset too (with BTF each field is
 * a guarded load; the helper build copies them with the rest anyway).
 */
static __always_inline void read_vmf(struct vm_fault *vmf, struct vmf_fields *a,
				     bool where, bool btf)
{
	struct vm_area_struct *vma;
	struct head h;

	if (btf) {
		a->vma = vmf->vma;
		a->pgoff = where ? vmf->pgoff : 0;
		a->address = where ? vmf->address : 0;
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

/* @ids: its device and number too, not only its flags (as read_vmf()'s @where) */
static __always_inline void read_inode(struct inode *inode, struct file_id *id,
				       bool ids, bool btf)
{
	struct super_block *sb;
	struct head h;

	if (btf) {
		id->i_flags = inode->i_flags;
		id->ino = ids ? inode->i_ino : 0;
		id->dev = ids ? inode->i_sb->s_dev : 0;
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
 * The PFN of a struct page (x86-64, SPARSEMEM_VMEMMAP: page - vmemmap).
 * vmemmap_base moves with KASLR: read once from where /proc/kallsyms says
 * it is, and kept.  A folio's PFN is its first page's.
 */
__u64 vmemmap_start = 0;

static __always_inline __u64 page_pfn(__u64 page)
{
	__u64 base = vmemmap_start;

	if (!base) {
		base = read_u64((const void *)vmemmap_base_addr);
		vmemmap_start = base;
	}
	return (page - base) / bpf_core_type_size(struct page);
}

#endif /* DT_CORE_READ_BPF_H */
