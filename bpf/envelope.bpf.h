/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The envelope of every DAX fault, in every era: the fs_dax tracepoints,
 * a stable ABI (include/trace/events/fs_dax.h; the arguments read here
 * have not moved since 4.x).  They open a record, mark a hole, note a
 * PMD fallback or a MAP_SYNC fault, and close what they opened.
 */
#ifndef DT_ENVELOPE_BPF_H
#define DT_ENVELOPE_BPF_H

/* include/linux/fs.h: unchanged since 4.x */
#define S_DAX (1 << 13)

static __always_inline int dax_fault(struct inode *inode, struct vm_fault *vmf,
				     __u8 size, bool btf)
{
	struct file_id file;
	struct vmf_fields a;
	struct inflight *f;
	__u8 origin;

	/* what hist leaves out: see hist_needs_file(), hist_needs_where() */
	read_vmf(vmf, &a, hist_needs_where(size), btf);
	read_inode(inode, &file, hist_needs_file(), btf);
	/*
	 * pfn_mkwrite: do_wp_page() called us, and without an entry probe
	 * there (fexit mode) this is where its record starts.
	 */
	origin = wp_ret && (a.flags & DT_FAULT_FLAG_MKWRITE) ? ORIGIN_WP :
							       ORIGIN_DAX;
	f = open_fault(vmf, &a, &file, origin, size, false, btf);
	if (!f)
		return 0;
	f->ev.seen |= DT_SEEN_DAX_FAULT;
	note_orig(f, &a);
	if (size == DT_SIZE_PMD) {
		f->ev.orig = read_entry(btf ? (__u64 *)vmf->pmd : (__u64 *)a.pmd,
					btf);
		f->ev.seen |= DT_SEEN_ORIG;
		pmd_facts_open(f, &a, btf);
	}
	return 0;
}

/* @pmd: the PMD tracepoint, whose @max_pgoff a fallback's reason needs */
static __always_inline int dax_fault_done(void *ctx, struct vm_fault *vmf,
					  int result, bool pmd, __u64 max_pgoff)
{
	struct inflight *f = fault_of(vmf);

	if (!f)
		return 0;
	if (pmd)
		pmd_facts_close(f, max_pgoff, result);
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
		close_fault(ctx, f, result);
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
	return dax_fault_done(ctx, vmf, result, false, 0);
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
	return dax_fault_done(ctx, vmf, result, true, max_pgoff);
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
		close_fault(ctx, f, result);
	return 0;
}

#endif /* DT_ENVELOPE_BPF_H */
