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

/* the files whose names went out (struct dt_file_event), for this run */
struct file_key {
	__u64 ino;
	__u32 s_dev;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__uint(map_flags, BPF_F_NO_PREALLOC);	/* no memory until a violation */
	__type(key, struct file_key);
	__type(value, __u8);
} named_files SEC(".maps");

/*
 * @file's name, as its dentries give it now, up to DT_PATH_DEPTH of
 * them: the path from the root of its filesystem, without the mount,
 * which userspace finds from s_dev.  A device-DAX file is its /dev node.
 * Once per file; when the map is full, each time.
 */
static __always_inline void send_file_name(struct file *file, const struct file_key *key)
{
	struct dentry *d, *parent;
	struct dt_file_event *fn;
	__u8 one = 1;

	if (bpf_map_lookup_elem(&named_files, key))
		return;
	fn = bpf_ringbuf_reserve(&events, sizeof(*fn), 0);
	if (!fn)
		return;		/* not named: the next violation on it tries again */
	fn->ino = key->ino;
	fn->s_dev = key->s_dev;
	fn->nnames = 0;
	fn->rooted = 0;
	fn->pad = 0;
	d = BPF_CORE_READ(file, f_path.dentry);
	for (int i = 0; i < DT_PATH_DEPTH && d; i++) {
		parent = BPF_CORE_READ(d, d_parent);
		if (parent == d) {	/* the root names no component */
			fn->rooted = 1;
			d = NULL;
			break;
		}
		if (bpf_probe_read_kernel_str(fn->names[i], DT_DENTRY_NAME_LEN,
					      BPF_CORE_READ(d, d_name.name)) < 0)
			break;
		fn->nnames = i + 1;
		d = parent;
	}
	/* DT_PATH_DEPTH names and the root just above them */
	if (d && fn->nnames == DT_PATH_DEPTH && BPF_CORE_READ(d, d_parent) == d)
		fn->rooted = 1;
	bpf_ringbuf_submit(fn, 0);
	bpf_map_update_elem(&named_files, key, &one, BPF_ANY);
}

static __always_inline void take_forensics(void *ctx, struct inflight *f,
					   struct vm_fault *vmf)
{
	const struct vm_operations_struct *ops;
	struct dt_forensics_event *fe;
	struct file_key key = {};
	struct file *file;
	long n;

	/* hist and serve send no records; one per fault is enough */
	if (hist_mode || f->ev.forensics)
		return;
	file = BPF_CORE_READ(vmf, vma, vm_file);
	if (file) {
		key.ino = BPF_CORE_READ(file, f_inode, i_ino);
		key.s_dev = BPF_CORE_READ(file, f_inode, i_sb, s_dev);
		send_file_name(file, &key);
	}
	fe = bpf_ringbuf_reserve(&events, sizeof(*fe), 0);
	if (!fe)
		return;		/* the ring buffer is full: so is it for the record */
	fe->ts_ns = f->ev.ts_ns;
	fe->tid = f->ev.tid;
	fe->ino = key.ino;
	fe->s_dev = key.s_dev;
	fe->pad = 0;
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
