/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a DAX fault made its page writable: the classification rules.
 *
 * Header-only and free of library calls so that one copy of the rules
 * serves the userspace reports (and their unit tests and fuzzers) and the
 * BPF programs, which classify in the kernel for `daxtrace hist`.
 *
 * Order matters: a PFN mismatch or an error says more about a fault than
 * how it would otherwise have ended, and a two-step upgrade is a violation
 * whatever else happened.  Without exact records (no insert probes for
 * this kernel), two_step and pfn_mismatch are never decided.
 */
#ifndef DT_CLASSIFY_H
#define DT_CLASSIFY_H

#include "dt_entry.h"

/* The names are a contract (README, tests, CI users): append only. */
enum dt_class {
	DT_CLASS_WRITE,
	DT_CLASS_READ,
	DT_CLASS_HOLE,
	DT_CLASS_RO_UPGRADE,
	DT_CLASS_ZERO_UPGRADE,
	DT_CLASS_COW,
	DT_CLASS_TWO_STEP,
	DT_CLASS_PFN_MISMATCH,
	DT_CLASS_ERROR,
	DT_CLASS_FALLBACK,
	DT_CLASS_OTHER,
	DT_CLASS_RETRY,	/* VM_FAULT_RETRY, nothing inserted: the kernel repeats it */
	DT_CLASS_MAX,
};

enum dt_mismatch {
	DT_MISMATCH_NONE,
	DT_MISMATCH_ZERO_PAGE,
	DT_MISMATCH_PRIVATE_COW,
	DT_MISMATCH_UNEXPECTED,
	DT_MISMATCH_MAX,
};

/* What the classifier may rely on beyond the record itself. */
struct dt_devdax_devs;

struct dt_classify_ctx {
	struct dt_zero_pfns zero;
	/* userspace: the device-DAX devices seen, which records name (NULL in BPF) */
	const struct dt_devdax_devs *devdax;
	__u8 layout;	/* enum dt_pte_layout of the traced kernel */
	__u8 era;	/* enum dt_era: its insert path (printed, not used here) */
	bool exact;	/* this era's insert probes attached: before/after are real */
};

struct dt_verdict {
	enum dt_class cls;
	enum dt_mismatch mismatch;
	bool violation;
	bool inferred;	/* decided from fault flags, not from the entries */
	__u8 devdax_why;	/* enum dt_devdax_why: set by userspace (consume.c) */
};

/*
 * What the rules know of a record.  The three entries stay raw and each
 * rule decodes only the bits it reads (below): in the kernel, where
 * `daxtrace hist` classifies every fault, decoding all three in full cost
 * more than the rest of the program.  The answers are dt_entry_decode()'s
 * present, write, pfn and zero in any layout (the software bits never
 * decide a class); tests/unit/test_classify.c checks that both agree.
 */
struct facts {
	bool write;
	bool shared;
	bool inserted;
	__u8 size;	/* enum dt_size: how to read the entries */
	const struct dt_zero_pfns *zero;
	__u64 orig, before, after;
};

static inline bool has(const struct dt_event *ev, unsigned int bits)
{
	return ev->seen & bits;
}

/* pte_present(): a PROT_NONE entry counts */
static inline bool present(__u64 e)
{
	return e & (X86_PRESENT | X86_PROTNONE);
}

static inline bool writable(__u64 e)
{
	return present(e) && (e & X86_RW);
}

/* The PFN of a present entry: a huge PMD keeps its PAT bit at 12. */
static inline __u64 pfn_of(const struct facts *f, __u64 e)
{
	if (f->size == DT_SIZE_PMD && (e & X86_PSE))
		return (e & X86_PMD_PFN_MASK) >> 12;
	if (f->size == DT_SIZE_PUD && (e & X86_PSE))
		return (e & X86_PUD_PFN_MASK) >> 12;
	return (e & X86_PFN_MASK) >> 12;
}

/* The shared zero page (a PTE) or the huge zero page (a huge PMD). */
static inline bool is_zero(const struct facts *f, __u64 e)
{
	__u64 zero_pfn;

	if (!present(e))
		return false;
	if (f->size == DT_SIZE_PMD)
		zero_pfn = e & X86_PSE ? f->zero->pmd : 0;
	else if (f->size == DT_SIZE_PTE)
		zero_pfn = f->zero->pte;
	else
		return false;	/* no huge zero page of 1 GiB */
	return zero_pfn && pfn_of(f, e) == zero_pfn;
}

static inline enum dt_mismatch mismatch_kind(const struct dt_event *ev,
				      const struct facts *f)
{
	if (!has(ev, DT_SEEN_BEFORE) || !present(f->before))
		return DT_MISMATCH_NONE;
	if (pfn_of(f, f->before) == ev->req_pfn)
		return DT_MISMATCH_NONE;
	if (is_zero(f, f->before))
		return DT_MISMATCH_ZERO_PAGE;
	if (!f->shared)
		return DT_MISMATCH_PRIVATE_COW;
	return DT_MISMATCH_UNEXPECTED;
}

/* A shared DAX PTE made writable outside insert_pfn(): the 4.13 route. */
static inline bool two_step(const struct dt_event *ev, const struct facts *f)
{
	if (!f->shared)
		return false;
	if (has(ev, DT_SEEN_FINISH_MKWRITE | DT_SEEN_WP_REUSE))
		return true;
	return has(ev, DT_SEEN_WP) && has(ev, DT_SEEN_WP_AFTER) &&
	       !f->inserted && writable(f->after) && !writable(f->orig);
}

/*
 * do_wp_page() left a private mapping's entry on another page: only
 * wp_page_copy() does that.  Read off the entries rather than probing
 * wp_page_copy(), which runs for every anonymous COW fault on the box.
 */
static inline bool private_copy(const struct dt_event *ev, const struct facts *f)
{
	if (f->shared || !has(ev, DT_SEEN_WP) || !has(ev, DT_SEEN_WP_AFTER) ||
	    !has(ev, DT_SEEN_ORIG))
		return false;
	return present(f->orig) && present(f->after) &&
	       pfn_of(f, f->orig) != pfn_of(f, f->after);
}

static inline bool orig_is_zero(const struct dt_event *ev, const struct facts *f)
{
	if (!has(ev, DT_SEEN_ORIG) || !present(f->orig))
		return false;
	if (is_zero(f, f->orig))
		return true;
	/* a present PMD replaced by other storage can only be the huge zero page */
	return ev->size == DT_SIZE_PMD && f->inserted &&
	       pfn_of(f, f->orig) != ev->req_pfn;
}

static inline enum dt_class write_class(const struct dt_event *ev,
				 const struct facts *f)
{
	if (orig_is_zero(ev, f) && (f->inserted || !has(ev, DT_SEEN_INSERT)))
		return f->inserted ? DT_CLASS_ZERO_UPGRADE : DT_CLASS_OTHER;
	if (f->inserted) {
		if (present(f->before))
			return DT_CLASS_RO_UPGRADE;
		if (ev->size == DT_SIZE_PMD && has(ev, DT_SEEN_ORIG) &&
		    present(f->orig))
			return DT_CLASS_RO_UPGRADE;
		return DT_CLASS_WRITE;
	}
	return DT_CLASS_OTHER;
}

/* Without insert probes: what fault flags and result codes allow. */
static inline enum dt_class inferred_class(const struct dt_event *ev,
				    const struct facts *f)
{
	if (!(ev->result & DT_VM_FAULT_NOPAGE))
		return has(ev, DT_SEEN_FALLBACK) ? DT_CLASS_FALLBACK :
						   DT_CLASS_OTHER;
	if (!f->write)
		return DT_CLASS_READ;
	if (ev->fault_flags & DT_FAULT_FLAG_MKWRITE)
		return is_zero(f, f->orig) ? DT_CLASS_ZERO_UPGRADE :
					     DT_CLASS_RO_UPGRADE;
	return DT_CLASS_WRITE;
}

/*
 * Whether a record's class can depend on the entry its fault left: only a
 * write-protect fault's (two_step(), private_copy()).  daxtrace hist reads
 * that entry for these alone, saving a probe read on every other fault.
 */
static inline bool dt_class_needs_after(const struct dt_event *ev)
{
	return has(ev, DT_SEEN_WP);
}

static inline enum dt_class decide(const struct dt_event *ev, const struct facts *f,
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
		v->mismatch = mismatch_kind(ev, f);
		if (v->mismatch != DT_MISMATCH_NONE)
			return DT_CLASS_PFN_MISMATCH;
	}
	if (ev->result & DT_VM_FAULT_ERROR)
		return DT_CLASS_ERROR;
	if ((ev->result & DT_VM_FAULT_RETRY) && !f->inserted)
		return DT_CLASS_RETRY;
	if (cx->exact && two_step(ev, f))
		return DT_CLASS_TWO_STEP;
	if (has(ev, DT_SEEN_WP_COPY | DT_SEEN_COW_PAGE) || private_copy(ev, f) ||
	    (ev->result & DT_VM_FAULT_DONE_COW))
		return DT_CLASS_COW;
	if (has(ev, DT_SEEN_HOLE))
		return DT_CLASS_HOLE;
	if (!cx->exact) {
		v->inferred = true;
		return inferred_class(ev, f);
	}
	if (!f->inserted && has(ev, DT_SEEN_FALLBACK))
		return DT_CLASS_FALLBACK;
	if (f->write)
		return write_class(ev, f);
	return f->inserted ? DT_CLASS_READ : DT_CLASS_OTHER;
}

/*
 * The classes decide() reaches through inferred_class() without exact
 * probes, the only ones it marks inferred; error, retry, cow and hole are
 * facts in either mode.  For totals rebuilt from histogram keys.
 */
static inline bool dt_class_inferable(enum dt_class cls)
{
	switch (cls) {
	case DT_CLASS_WRITE:
	case DT_CLASS_READ:
	case DT_CLASS_RO_UPGRADE:
	case DT_CLASS_ZERO_UPGRADE:
	case DT_CLASS_FALLBACK:
	case DT_CLASS_OTHER:
		return true;
	default:
		return false;
	}
}

static inline void dt_classify(const struct dt_event *ev, const struct dt_classify_ctx *cx,
		 struct dt_verdict *v)
{
	struct facts f = {
		.write = ev->fault_flags & DT_FAULT_FLAG_WRITE,
		.shared = ev->vm_flags & DT_VM_SHARED,
		.inserted = has(ev, DT_SEEN_INSERT | DT_SEEN_INSERT_PMD |
				    DT_SEEN_INSERT_PUD),
		.size = ev->size,
		.zero = &cx->zero,
		.orig = ev->orig,
		.before = ev->before,
		.after = ev->after,
	};

	__builtin_memset(v, 0, sizeof(*v));
	v->cls = decide(ev, &f, cx, v);
	v->violation = v->cls == DT_CLASS_TWO_STEP ||
		       v->mismatch == DT_MISMATCH_UNEXPECTED;
}

#endif
