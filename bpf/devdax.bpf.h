/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device DAX (drivers/dax/device.c, the device_dax module): /dev/daxX.Y
 * mapped shared, whole units of the device's alignment.  Its faults never
 * reach fs/dax.c, so no fs_dax tracepoint fires for them:
 * dev_dax_huge_fault(vmf, size) is their envelope.  dev_dax_fault()
 * tail-calls it for a PTE fault on every kernel of the matrix, so this one
 * function sees them all.  Its second argument is an enum page_entry_size
 * on 6.1 (PE_SIZE_PTE 0, PMD 1, PUD 2), an order from 6.6 (0, 9, 18).
 *
 * The inserts it makes are the era probes' (insert_pfn.bpf.h,
 * insert_page.bpf.h), joined to this record by the task (PTE) or the
 * vm_fault (PMD, PUD).  Each call is one record: a PUD or PMD attempt the
 * driver refuses with VM_FAULT_FALLBACK (the device is aligned finer than
 * the fault) is a fallback record of its own, the smaller fault the kernel
 * then makes another.  A shared device-DAX mapping has no write-notify:
 * a read fault maps the unit writable, and the write that follows takes
 * no fault at all.  Why the driver refused one (VM_FAULT_FALLBACK or
 * VM_FAULT_SIGBUS) is decided in userspace from the record, the VMA's
 * alignment and the device's (include/dt_devdax.h).
 */
#ifndef DT_DEVDAX_BPF_H
#define DT_DEVDAX_BPF_H

static __always_inline __u8 devdax_size(__u32 size_or_order)
{
	if (size_or_order == 0)
		return DT_SIZE_PTE;
	if (size_or_order == 1 || size_or_order == 9)
		return DT_SIZE_PMD;
	return DT_SIZE_PUD;
}

/*
 * log2 of the largest power of two dividing both ends of the VMA: what
 * check_vma() compares with the device's alignment ("unaligned vma").
 * 64 when both are 0 (no VMA is).  Six steps, no loop.
 */
static __always_inline __u8 vma_align_shift(__u64 start, __u64 end)
{
	__u64 v = start | end;
	__u8 n = 0;

	if (!v)
		return 64;
	if (!(v & 0xffffffffULL)) { n += 32; v >>= 32; }
	if (!(v & 0xffffULL)) { n += 16; v >>= 16; }
	if (!(v & 0xffULL)) { n += 8; v >>= 8; }
	if (!(v & 0xfULL)) { n += 4; v >>= 4; }
	if (!(v & 0x3ULL)) { n += 2; v >>= 2; }
	if (!(v & 0x1ULL))
		n += 1;
	return n;
}

static __always_inline int devdax_enter(struct vm_fault *vmf, __u32 size_or_order)
{
	struct file_id file = {};
	struct vm_area_struct *vma;
	struct vmf_fields a;
	struct inflight *f;
	struct inode *inode;

	read_vmf(vmf, &a, true, false);
	/* the character device: its number (251:0), as a file's is its fs's */
	vma = a.vma;
	inode = BPF_CORE_READ(vma, vm_file, f_inode);
	file.dev = BPF_CORE_READ(inode, i_rdev);
	file.ino = BPF_CORE_READ(inode, i_ino);
	f = open_fault(vmf, &a, &file, ORIGIN_DAX, devdax_size(size_or_order),
		       false, false);
	if (!f)
		return 0;
	f->ev.seen |= DT_SEEN_DEVDAX | DT_SEEN_VMA_ALIGN;
	f->ev.fault_flags = a.flags;
	/*
	 * No file-DAX PMD fallback is ever decided on a device-DAX record:
	 * its byte holds the VMA's alignment, from which userspace tells
	 * the driver's reasons apart (include/dt_devdax.h)
	 */
	f->ev.pmd_fallback = vma_align_shift(BPF_CORE_READ(vma, vm_start),
					     BPF_CORE_READ(vma, vm_end));
	return 0;
}

static __always_inline int devdax_exit(void *ctx, struct inflight *f, __u32 ret)
{
	if (!f || !(f->ev.seen & DT_SEEN_DEVDAX))
		return 0;
	if (ret & DT_VM_FAULT_FALLBACK)
		f->ev.seen |= DT_SEEN_FALLBACK;
	/* a PUD insert has no return probe: its entry is read here */
	if (f->ev.size == DT_SIZE_PUD && f->pmd_ptr) {
		f->ev.after = read_u64((void *)f->pmd_ptr);
		f->ev.seen |= DT_SEEN_AFTER;
		f->pmd_ptr = 0;
	}
	close_fault(ctx, f, ret);
	return 0;
}

/* a trampoline on the module's function (its BTF), else the kprobes below */
SEC("fentry/dev_dax_huge_fault")
int BPF_PROG(fe_dev_dax_huge_fault, struct vm_fault *vmf, unsigned int size)
{
	return devdax_enter(vmf, size);
}

SEC("fexit/dev_dax_huge_fault")
int BPF_PROG(fx_dev_dax_huge_fault, struct vm_fault *vmf, unsigned int size, long ret)
{
	return devdax_exit(ctx, current_fault(), (__u32)ret);
}

SEC("kprobe/dev_dax_huge_fault")
int BPF_KPROBE(dev_dax_huge_fault, struct vm_fault *vmf, unsigned int size)
{
	return devdax_enter(vmf, size);
}

SEC("kretprobe/dev_dax_huge_fault")
int BPF_KRETPROBE(dev_dax_huge_fault_ret, long ret)
{
	return devdax_exit(ctx, current_fault(), (__u32)ret);
}

#endif /* DT_DEVDAX_BPF_H */
