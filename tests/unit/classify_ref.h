/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The classification rules as include/dt_classify.h had them before its
 * entries were decoded lazily (issue 17): every entry decoded in full by
 * dt_entry_decode() up front.  Kept, renamed ref_*, so that test_classify
 * can show the lean rules give the same verdict for any record, the way
 * json_ref.h keeps the old NDJSON writer.
 */
#ifndef CLASSIFY_REF_H
#define CLASSIFY_REF_H

#include "dt_classify.h"

struct ref_facts {
	bool write;
	bool shared;
	bool inserted;
	struct dt_entry orig, before, after;
};

static inline bool ref_has(const struct dt_event *ev, unsigned int bits)
{
	return ev->seen & bits;
}

static inline enum dt_mismatch ref_mismatch_kind(const struct dt_event *ev,
				      const struct ref_facts *f)
{
	if (!ref_has(ev, DT_SEEN_BEFORE) || !f->before.present)
		return DT_MISMATCH_NONE;
	if (f->before.pfn == ev->req_pfn)
		return DT_MISMATCH_NONE;
	if (f->before.zero)
		return DT_MISMATCH_ZERO_PAGE;
	if (!f->shared)
		return DT_MISMATCH_PRIVATE_COW;
	return DT_MISMATCH_UNEXPECTED;
}

/* A shared DAX PTE made writable outside insert_pfn(): the 4.13 route. */
static inline bool ref_two_step(const struct dt_event *ev, const struct ref_facts *f)
{
	if (!f->shared)
		return false;
	if (ref_has(ev, DT_SEEN_FINISH_MKWRITE | DT_SEEN_WP_REUSE))
		return true;
	return ref_has(ev, DT_SEEN_WP) && ref_has(ev, DT_SEEN_WP_AFTER) &&
	       !f->inserted && f->after.present && f->after.write &&
	       !(f->orig.present && f->orig.write);
}

/*
 * do_wp_page() left a private mapping's entry on another page: only
 * wp_page_copy() does that.  Read off the entries rather than probing
 * wp_page_copy(), which runs for every anonymous COW fault on the box.
 */
static inline bool ref_private_copy(const struct dt_event *ev, const struct ref_facts *f)
{
	if (f->shared || !ref_has(ev, DT_SEEN_WP) || !ref_has(ev, DT_SEEN_WP_AFTER) ||
	    !ref_has(ev, DT_SEEN_ORIG))
		return false;
	return f->orig.present && f->after.present && f->orig.pfn != f->after.pfn;
}

static inline bool ref_orig_is_zero(const struct dt_event *ev, const struct ref_facts *f)
{
	if (!ref_has(ev, DT_SEEN_ORIG) || !f->orig.present)
		return false;
	if (f->orig.zero)
		return true;
	/* a present PMD replaced by other storage can only be the huge zero page */
	return ev->size == DT_SIZE_PMD && f->inserted && f->orig.pfn != ev->req_pfn;
}

static inline enum dt_class ref_write_class(const struct dt_event *ev,
				 const struct ref_facts *f)
{
	if (ref_orig_is_zero(ev, f) && (f->inserted || !ref_has(ev, DT_SEEN_INSERT)))
		return f->inserted ? DT_CLASS_ZERO_UPGRADE : DT_CLASS_OTHER;
	if (f->inserted) {
		if (f->before.present)
			return DT_CLASS_RO_UPGRADE;
		if (ev->size == DT_SIZE_PMD && ref_has(ev, DT_SEEN_ORIG) &&
		    f->orig.present)
			return DT_CLASS_RO_UPGRADE;
		return DT_CLASS_WRITE;
	}
	return DT_CLASS_OTHER;
}

/* Without insert probes: what fault flags and result codes allow. */
static inline enum dt_class ref_inferred_class(const struct dt_event *ev,
				    const struct ref_facts *f)
{
	if (!(ev->result & DT_VM_FAULT_NOPAGE))
		return ref_has(ev, DT_SEEN_FALLBACK) ? DT_CLASS_FALLBACK :
						   DT_CLASS_OTHER;
	if (!f->write)
		return DT_CLASS_READ;
	if (ev->fault_flags & DT_FAULT_FLAG_MKWRITE)
		return f->orig.zero ? DT_CLASS_ZERO_UPGRADE :
				      DT_CLASS_RO_UPGRADE;
	return DT_CLASS_WRITE;
}

static inline enum dt_class ref_decide(const struct dt_event *ev, const struct ref_facts *f,
			    const struct dt_classify_ctx *cx,
			    struct dt_verdict *v)
{
	/*
	 * Both need the entry the insert found and the final one: without the
	 * insert probes they are not decided at all, never from indirect
	 * evidence.  A mismatch comes before the result: from 6.15,
	 * insert_page_into_pte_locked() answers an upgrade whose PFN differs
	 * with -EFAULT, VM_FAULT_SIGBUS (up to 6.14 insert_pfn() skipped the
	 * update and the fault ended VM_FAULT_NOPAGE): the same mismatch, its
	 * consequence in the record's result.
	 */
	if (cx->exact) {
		v->mismatch = ref_mismatch_kind(ev, f);
		if (v->mismatch != DT_MISMATCH_NONE)
			return DT_CLASS_PFN_MISMATCH;
	}
	if (ev->result & DT_VM_FAULT_ERROR)
		return DT_CLASS_ERROR;
	if ((ev->result & DT_VM_FAULT_RETRY) && !f->inserted)
		return DT_CLASS_RETRY;
	if (cx->exact && ref_two_step(ev, f))
		return DT_CLASS_TWO_STEP;
	if (ref_has(ev, DT_SEEN_WP_COPY | DT_SEEN_COW_PAGE) || ref_private_copy(ev, f) ||
	    (ev->result & DT_VM_FAULT_DONE_COW))
		return DT_CLASS_COW;
	if (ref_has(ev, DT_SEEN_HOLE))
		return DT_CLASS_HOLE;
	if (!cx->exact) {
		v->inferred = true;
		return ref_inferred_class(ev, f);
	}
	if (!f->inserted && ref_has(ev, DT_SEEN_FALLBACK))
		return DT_CLASS_FALLBACK;
	if (f->write)
		return ref_write_class(ev, f);
	return f->inserted ? DT_CLASS_READ : DT_CLASS_OTHER;
}

static inline void ref_dt_classify(const struct dt_event *ev, const struct dt_classify_ctx *cx,
		 struct dt_verdict *v)
{
	struct ref_facts f;

	__builtin_memset(&f, 0, sizeof(f));
	f.write = ev->fault_flags & DT_FAULT_FLAG_WRITE;
	f.shared = ev->vm_flags & DT_VM_SHARED;
	f.inserted = ref_has(ev, DT_SEEN_INSERT | DT_SEEN_INSERT_PMD | DT_SEEN_INSERT_PUD);

	dt_entry_decode(ev->orig, ev->size, cx->layout, &cx->zero, &f.orig);
	dt_entry_decode(ev->before, ev->size, cx->layout, &cx->zero, &f.before);
	dt_entry_decode(ev->after, ev->size, cx->layout, &cx->zero, &f.after);

	__builtin_memset(v, 0, sizeof(*v));
	v->cls = ref_decide(ev, &f, cx, v);
	v->violation = v->cls == DT_CLASS_TWO_STEP ||
		       v->mismatch == DT_MISMATCH_UNEXPECTED;
}

#endif
