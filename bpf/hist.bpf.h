/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daxtrace hist: classify each closed fault here, with the rules userspace
 * applies (include/dt_classify.h), and count it in its log2 histogram: no
 * record leaves the kernel.
 */
#ifndef DT_HIST_BPF_H
#define DT_HIST_BPF_H

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct dt_hist_key);
	__type(value, struct dt_hist);
} hists SEC(".maps");

/* hist without --by: the same histograms, at dt_hist_flat_index() */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DT_HIST_FLAT);
	__type(key, __u32);
	__type(value, struct dt_hist);
} hist_flat SEC(".maps");

static __always_inline void hist_key(struct dt_hist_key *k,
				     const struct dt_event *ev,
				     const struct dt_verdict *v)
{
	k->cls = v->cls;
	k->mismatch = v->mismatch;
	k->size = ev->size;
	switch (hist_by) {
	case DT_BY_FS:
		k->dev = ev->dev;
		break;
	case DT_BY_DEV:
		/* a block and a char device may share a number: kept apart */
		k->dev = ev->dev;
		k->devdax = !!(ev->seen & DT_SEEN_DEVDAX);
		break;
	case DT_BY_COMM:
		__builtin_memcpy(k->comm, ev->comm, sizeof(k->comm));
		break;
	case DT_BY_PID:
		k->pid = ev->pid;
		break;
	case DT_BY_FILE:
		k->dev = ev->dev;
		k->ino = ev->ino;
		break;
	case DT_BY_REASON:
		k->fallback = dt_hist_fallback(ev->seen, ev->pmd_fallback);
		break;
	}
}

/* The histogram of this key in the hash, made on first use. */
static __always_inline struct dt_hist *hist_of(const struct dt_event *ev,
					       const struct dt_verdict *v)
{
	static const struct dt_hist empty;
	struct dt_hist_key key = {};
	struct dt_hist *h;

	hist_key(&key, ev, v);
	h = bpf_map_lookup_elem(&hists, &key);
	if (h)
		return h;
	bpf_map_update_elem(&hists, &key, &empty, BPF_NOEXIST);
	return bpf_map_lookup_elem(&hists, &key);
}

/* hist mode: the same rules userspace applies, then one slot increment */
static __noinline int hist_account(struct dt_event *ev)
{
	struct dt_classify_ctx cx = {
		.zero = { .pte = zero_pfn, .pmd = huge_zero_pfn },
		.layout = DT_PTE_UNKNOWN,	/* the class needs no software bit */
		.exact = exact,
	};
	struct dt_verdict v;
	struct dt_hist *h;
	unsigned int slot;
	__u32 idx;

	dt_classify(ev, &cx, &v);
	if (hist_by == DT_BY_NONE) {
		idx = dt_hist_flat_index(v.cls, v.mismatch, ev->size);
		h = bpf_map_lookup_elem(&hist_flat, &idx);
	} else {
		h = hist_of(ev, &v);
	}
	if (!h) {
		stat_inc(DT_STAT_HIST_FULL);
		return 0;
	}
	if (ev->seen & DT_SEEN_UNTIMED) {
		__sync_fetch_and_add(&h->untimed, 1);
		return 0;
	}
	/*
	 * slot < 32 already, but clang folds that knowledge away: hide the
	 * value from it, then mask so the verifier sees the bound.
	 */
	slot = dt_hist_slot(ev->latency_ns);
	asm volatile("" : "+r"(slot));
	slot &= DT_HIST_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
	__sync_fetch_and_add(&h->sum_ns, ev->latency_ns);
	return 0;
}

#endif /* DT_HIST_BPF_H */
