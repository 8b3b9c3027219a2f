// SPDX-License-Identifier: GPL-2.0
#include "unit.h"
#include "events.h"
#include "rnd.h"
#include "classify.h"
#include "classify_ref.h"

static const struct dt_classify_ctx exact = {
	.zero = { .pte = ZERO_PFN, .pmd = HUGE_ZERO_PFN }, .exact = true,
};
static const struct dt_classify_ctx inferred = {
	.zero = { .pte = ZERO_PFN, .pmd = HUGE_ZERO_PFN }, .exact = false,
};

static struct dt_verdict classify(struct dt_event e,
				  const struct dt_classify_ctx *cx)
{
	struct dt_verdict v;

	dt_classify(&e, cx, &v);
	return v;
}

static void test_one_step_write(void)
{
	struct dt_verdict v = classify(ev_write(), &exact);

	CHECK_EQ(v.cls, DT_CLASS_WRITE);
	CHECK(!v.violation && !v.inferred);
	CHECK_EQ(v.mismatch, DT_MISMATCH_NONE);
}

static void test_read_and_hole(void)
{
	CHECK_EQ(classify(ev_read(), &exact).cls, DT_CLASS_READ);
	CHECK_EQ(classify(ev_hole(), &exact).cls, DT_CLASS_HOLE);
}

static void test_ro_upgrade(void)
{
	struct dt_verdict v = classify(ev_ro_upgrade(), &exact);

	CHECK_EQ(v.cls, DT_CLASS_RO_UPGRADE);
	CHECK(!v.violation);
}

static void test_zero_upgrade(void)
{
	CHECK_EQ(classify(ev_zero_upgrade(), &exact).cls, DT_CLASS_ZERO_UPGRADE);
}

/* a zero-page upgrade that bailed out before inserting is not a success */
static void test_zero_upgrade_without_insert(void)
{
	struct dt_event e = ev_zero_upgrade();

	e.seen &= ~(DT_SEEN_INSERT | DT_SEEN_BEFORE | DT_SEEN_AFTER |
		    DT_SEEN_MKWRITE_ARG);
	CHECK_EQ(classify(e, &exact).cls, DT_CLASS_OTHER);
}

static void test_two_step_finish_mkwrite(void)
{
	struct dt_verdict v = classify(ev_two_step(), &exact);

	CHECK_EQ(v.cls, DT_CLASS_TWO_STEP);
	CHECK(v.violation);
}

/* finish_mkwrite_fault inlined: still caught by the final PTE */
static void test_two_step_final_pte(void)
{
	struct dt_event e = ev_base(DT_FAULT_FLAG_WRITE | DT_FAULT_FLAG_MKWRITE);

	e.seen = DT_SEEN_WP | DT_SEEN_ORIG | DT_SEEN_WP_AFTER;
	e.orig = DAX_RO(PFN);
	e.after = DAX_RW(PFN);
	e.result = 0;
	CHECK_EQ(classify(e, &exact).cls, DT_CLASS_TWO_STEP);
	e.after = DAX_RO(PFN);	/* nothing changed: not an upgrade */
	CHECK_EQ(classify(e, &exact).cls, DT_CLASS_OTHER);
}

static void test_two_step_private_is_not(void)
{
	struct dt_event e = ev_base(DT_FAULT_FLAG_WRITE);

	e.vm_flags &= ~DT_VM_SHARED;
	e.seen = DT_SEEN_WP | DT_SEEN_WP_REUSE;
	CHECK(classify(e, &exact).cls != DT_CLASS_TWO_STEP);
}

static void test_cow(void)
{
	struct dt_event e = ev_base(DT_FAULT_FLAG_WRITE);

	e.vm_flags &= ~DT_VM_SHARED;
	e.seen = DT_SEEN_WP | DT_SEEN_WP_COPY;
	CHECK_EQ(classify(e, &exact).cls, DT_CLASS_COW);
	e.seen = DT_SEEN_DAX_FAULT | DT_SEEN_COW_PAGE | DT_SEEN_DONE;
	e.result = DT_VM_FAULT_DONE_COW;
	CHECK_EQ(classify(e, &exact).cls, DT_CLASS_COW);
	CHECK_EQ(classify(e, &inferred).cls, DT_CLASS_COW);
}

/* do_wp_page() on a private mapping: a copy shows as a new PFN after it */
static void test_private_copy_from_entries(void)
{
	struct dt_event e = ev_base(DT_FAULT_FLAG_WRITE);

	e.vm_flags &= ~DT_VM_SHARED;
	e.seen = DT_SEEN_WP | DT_SEEN_ORIG | DT_SEEN_WP_AFTER;
	e.orig = DAX_RO(PFN);
	e.after = PTE(OTHER_PFN, P | RW | D | A | NX);
	e.result = 0;
	CHECK_EQ(classify(e, &exact).cls, DT_CLASS_COW);
	e.orig = ZERO_PTE;
	CHECK_EQ(classify(e, &exact).cls, DT_CLASS_COW);
	/* the same page made writable again: reused, not copied */
	e.orig = PTE(OTHER_PFN, P | A | NX);
	CHECK(classify(e, &exact).cls != DT_CLASS_COW);
	/* entry gone by return (truncate, zap): nothing to compare */
	e.orig = DAX_RO(PFN);
	e.after = 0;
	CHECK(classify(e, &exact).cls != DT_CLASS_COW);
	/* no final read: no claim */
	e.after = PTE(OTHER_PFN, P | RW | D | A | NX);
	e.seen &= ~DT_SEEN_WP_AFTER;
	CHECK(classify(e, &exact).cls != DT_CLASS_COW);
	/* a shared mapping is never copied */
	e.seen |= DT_SEEN_WP_AFTER;
	e.vm_flags |= DT_VM_SHARED;
	CHECK(classify(e, &exact).cls != DT_CLASS_COW);
}

static void test_mismatch_kinds(void)
{
	struct dt_event e = ev_read();
	struct dt_verdict v;

	e.before = PTE(OTHER_PFN, P | RW | D | A);	/* anon COW page */
	e.vm_flags &= ~DT_VM_SHARED;
	v = classify(e, &exact);
	CHECK_EQ(v.cls, DT_CLASS_PFN_MISMATCH);
	CHECK_EQ(v.mismatch, DT_MISMATCH_PRIVATE_COW);
	CHECK(!v.violation);

	e = ev_write();
	e.before = ZERO_PTE;
	v = classify(e, &exact);
	CHECK_EQ(v.mismatch, DT_MISMATCH_ZERO_PAGE);
	CHECK(!v.violation);

	e = ev_write();
	e.before = DAX_RO(OTHER_PFN);
	v = classify(e, &exact);
	CHECK_EQ(v.cls, DT_CLASS_PFN_MISMATCH);
	CHECK_EQ(v.mismatch, DT_MISMATCH_UNEXPECTED);
	CHECK(v.violation);
}

/* pfn_t flag bits above bit 52 must not make a mismatch by themselves */
static void test_same_pfn_is_not_mismatch(void)
{
	struct dt_event e = ev_ro_upgrade();

	e.before |= NX;
	CHECK_EQ(classify(e, &exact).cls, DT_CLASS_RO_UPGRADE);
}

static void test_error_wins(void)
{
	struct dt_event e = ev_write();

	e.result = DT_VM_FAULT_SIGBUS;
	CHECK_EQ(classify(e, &exact).cls, DT_CLASS_ERROR);
	e = ev_base(0);
	e.seen = DT_SEEN_DAX_FAULT | DT_SEEN_DONE;
	e.result = DT_VM_FAULT_OOM;
	CHECK_EQ(classify(e, &inferred).cls, DT_CLASS_ERROR);
}

/*
 * 6.15 on: insert_page_into_pte_locked() refuses an upgrade onto another
 * PFN with -EFAULT, which the fault returns as VM_FAULT_SIGBUS.  The
 * mismatch is what happened; SIGBUS stays in the record's result.
 */
static void test_mismatch_before_error(void)
{
	struct dt_event e = ev_ro_upgrade();
	struct dt_verdict v;

	e.before = DAX_RO(OTHER_PFN);
	e.after = e.before;
	e.result = DT_VM_FAULT_SIGBUS;
	v = classify(e, &exact);
	CHECK_EQ(v.cls, DT_CLASS_PFN_MISMATCH);
	CHECK_EQ(v.mismatch, DT_MISMATCH_UNEXPECTED);
	CHECK(v.violation);
	/* the zero page there: the kernel's benign case, still SIGBUS on 6.15+ */
	e.before = ZERO_PTE;
	v = classify(e, &exact);
	CHECK_EQ(v.mismatch, DT_MISMATCH_ZERO_PAGE);
	CHECK(!v.violation);
	/* without the insert probes: an error, nothing more is claimed */
	v = classify(e, &inferred);
	CHECK_EQ(v.cls, DT_CLASS_ERROR);
	CHECK_EQ(v.mismatch, DT_MISMATCH_NONE);
}

/* ev_retry(): a fault the kernel repeats, which inserted nothing */
static void test_retry(void)
{
	struct dt_event e = ev_retry();
	struct dt_verdict v;

	v = classify(e, &exact);
	CHECK_EQ(v.cls, DT_CLASS_RETRY);
	CHECK(!v.violation);
	CHECK_EQ(classify(e, &inferred).cls, DT_CLASS_RETRY);
	/* a retry that inserted something is not a bare retry */
	e = ev_write();
	e.result |= DT_VM_FAULT_RETRY;
	CHECK_EQ(classify(e, &exact).cls, DT_CLASS_WRITE);
}

/*
 * Inferred mode: no insert probes, so neither two_step nor pfn_mismatch
 * is ever decided, whatever the entries seem to say.
 */
static void test_inferred_claims_nothing(void)
{
	struct dt_event e = ev_two_step();
	struct dt_verdict v;

	v = classify(e, &inferred);
	CHECK(v.cls != DT_CLASS_TWO_STEP);
	CHECK(!v.violation);
	/* the 7.2 false violation: an upgrade done by the DAX fault, inserts unseen */
	e = ev_ro_upgrade();
	e.seen = DT_SEEN_DAX_FAULT | DT_SEEN_DONE | DT_SEEN_ORIG | DT_SEEN_WP |
		 DT_SEEN_WP_AFTER;
	v = classify(e, &inferred);
	CHECK_EQ(v.cls, DT_CLASS_RO_UPGRADE);
	CHECK(v.inferred && !v.violation);
	e = ev_read();
	e.before = PTE(OTHER_PFN, P | RW | D | A);
	e.vm_flags &= ~DT_VM_SHARED;
	v = classify(e, &inferred);
	CHECK(v.cls != DT_CLASS_PFN_MISMATCH);
	CHECK_EQ(v.mismatch, DT_MISMATCH_NONE);
}

/*
 * The page era (6.15 on), as 7.2 wrote it: a hole is an insert of the zero
 * page; DAX PTEs are a folio's (not special), and an upgrade leaves the
 * entry writable but not yet dirty (insert_page_into_pte_locked() sets
 * young and write only).
 */
static void test_page_era(void)
{
	struct dt_event e = ev_hole();
	const unsigned long long folio_ro = PTE(PFN, P | A) | NX;

	CHECK_EQ(classify(e, &exact).cls, DT_CLASS_HOLE);
	e = ev_ro_upgrade();
	e.orig = folio_ro;
	e.before = folio_ro;
	e.after = PTE(PFN, P | RW | A) | NX;
	CHECK_EQ(classify(e, &exact).cls, DT_CLASS_RO_UPGRADE);
	e = ev_read();
	e.after = folio_ro;
	CHECK_EQ(classify(e, &exact).cls, DT_CLASS_READ);
}

static void test_pmd(void)
{
	struct dt_event e = ev_write();

	e.size = DT_SIZE_PMD;
	e.seen = DT_SEEN_DAX_FAULT | DT_SEEN_DONE | DT_SEEN_INSERT_PMD |
		 DT_SEEN_BEFORE | DT_SEEN_AFTER | DT_SEEN_MKWRITE_ARG |
		 DT_SEEN_ORIG;
	e.req_pfn = 0x40000;
	e.orig = 0;
	e.after = PTE(0x40000ULL, P | RW | D | A | PSE | DEVMAP);
	CHECK_EQ(classify(e, &exact).cls, DT_CLASS_WRITE);
	/* huge zero PMD at entry, gone by the time of the insert */
	e.orig = PTE(HUGE_ZERO_PFN, P | A | PSE);
	CHECK_EQ(classify(e, &exact).cls, DT_CLASS_ZERO_UPGRADE);
	/* read-only storage PMD at entry, same PFN */
	e.orig = PTE(0x40000ULL, P | A | PSE | DEVMAP);
	e.before = e.orig;
	CHECK_EQ(classify(e, &exact).cls, DT_CLASS_RO_UPGRADE);
}

static void test_fallback(void)
{
	struct dt_event e = ev_base(DT_FAULT_FLAG_WRITE);

	e.size = DT_SIZE_PMD;
	e.seen = DT_SEEN_DAX_FAULT | DT_SEEN_DONE | DT_SEEN_FALLBACK;
	e.result = DT_VM_FAULT_FALLBACK;
	CHECK_EQ(classify(e, &exact).cls, DT_CLASS_FALLBACK);
	CHECK_EQ(classify(e, &inferred).cls, DT_CLASS_FALLBACK);
	/* the PTE fault that follows decides the class */
	e = ev_write();
	e.seen |= DT_SEEN_FALLBACK;
	CHECK_EQ(classify(e, &exact).cls, DT_CLASS_WRITE);
}

/* tracepoint-only: no insert probes, decisions from flags and orig_pte */
static void test_inferred(void)
{
	struct dt_event e;
	struct dt_verdict v;

	e = ev_write();
	e.seen = DT_SEEN_DAX_FAULT | DT_SEEN_DONE;
	v = classify(e, &inferred);
	CHECK_EQ(v.cls, DT_CLASS_WRITE);
	CHECK(v.inferred);

	e = ev_ro_upgrade();
	e.seen = DT_SEEN_DAX_FAULT | DT_SEEN_DONE | DT_SEEN_ORIG;
	CHECK_EQ(classify(e, &inferred).cls, DT_CLASS_RO_UPGRADE);

	e = ev_zero_upgrade();
	e.seen = DT_SEEN_DAX_FAULT | DT_SEEN_DONE | DT_SEEN_ORIG;
	CHECK_EQ(classify(e, &inferred).cls, DT_CLASS_ZERO_UPGRADE);

	e = ev_read();
	e.seen = DT_SEEN_DAX_FAULT | DT_SEEN_DONE;
	CHECK_EQ(classify(e, &inferred).cls, DT_CLASS_READ);

	e = ev_hole();
	e.seen = DT_SEEN_DAX_FAULT | DT_SEEN_DONE | DT_SEEN_HOLE;
	CHECK_EQ(classify(e, &inferred).cls, DT_CLASS_HOLE);
}

static void test_names_round_trip(void)
{
	for (int i = 0; i < DT_CLASS_MAX; i++)
		CHECK_EQ(dt_class_parse(dt_class_name(i)), i);
	CHECK_EQ(dt_class_parse("nonsense"), -1);
	CHECK(dt_class_name(DT_CLASS_MAX)[0] == '?');
}


/* one of @n values */
#define PICK(...) ({							\
	const __u64 __v[] = { __VA_ARGS__ };				\
	__v[rnd() % (sizeof(__v) / sizeof(__v[0]))];			\
})

/*
 * An entry the rules tell apart: none, the requested PFN or another one,
 * read-only or writable, the zero pages, huge or not, PROT_NONE, random
 * software and flag bits on top; or any 64 bits.
 */
static __u64 rnd_entry(void)
{
	__u64 pfn = PICK(PFN, OTHER_PFN, ZERO_PFN, HUGE_ZERO_PFN,
			 HUGE_ZERO_PFN + 1, 0, rnd() & 0xffffffffffULL);
	__u64 bits = PICK(0, P, P | RW, 1ULL << 8, (1ULL << 8) | RW, rnd() & 0xfff);

	if (rnd() % 8 == 0)
		return rnd();
	return PTE(pfn, bits) | (rnd() & 1 ? PSE : 0) | (rnd() & (0x3fULL << 57)) |
	       (rnd() & 1 ? PTE(rnd() & 0x1ff, 0) : 0) | (rnd() & NX);
}

/*
 * The rules with lazily decoded entries against the ones that decoded all
 * three in full (classify_ref.h): the same verdict for every record, over
 * four million records shaped to reach every rule, in every context; and
 * the same without the final entry where dt_class_needs_after() says it
 * does not count.
 */
static void test_lean_matches_reference(void)
{
	int bad = 0;

	for (int i = 0; i < 4000000; i++) {
		struct dt_classify_ctx c = {
			.zero = { .pte = rnd() % 4 ? ZERO_PFN : 0,
				  .pmd = rnd() % 4 ? HUGE_ZERO_PFN : 0 },
			.layout = rnd() % DT_PTE_LAYOUTS, .exact = rnd() & 1,
		};
		struct dt_event e = {
			.fault_flags = PICK(0, DT_FAULT_FLAG_WRITE,
					    DT_FAULT_FLAG_WRITE | DT_FAULT_FLAG_MKWRITE,
					    DT_FAULT_FLAG_MKWRITE, rnd()),
			.vm_flags = rnd() & 1 ? DT_VM_SHARED | 0x3 : 0x3,
			.result = PICK(DT_VM_FAULT_NOPAGE, 0, DT_VM_FAULT_RETRY,
				       DT_VM_FAULT_FALLBACK, DT_VM_FAULT_DONE_COW,
				       DT_VM_FAULT_ERROR & rnd(), rnd()),
			.req_pfn = PICK(PFN, OTHER_PFN, ZERO_PFN, HUGE_ZERO_PFN,
					rnd() & 0xffffffffffULL),
			.seen = (rnd() & rnd()) | (rnd() & 1 ? INSERT_SEEN : 0),
			.size = rnd() % 3 ? DT_SIZE_PTE : rnd() % 4 ? DT_SIZE_PMD : DT_SIZE_PUD,
			.orig = rnd_entry(), .before = rnd_entry(),
			.after = rnd_entry(),
		};
		struct dt_verdict want, got;

		if (rnd() & 1)
			e.before = e.orig;
		if (rnd() & 1)
			e.req_pfn = (e.before & X86_PFN_MASK) >> 12;
		ref_dt_classify(&e, &c, &want);
		/* as hist has it: the final entry read only where it counts */
		if (!dt_class_needs_after(&e) && rnd() & 1) {
			e.after = 0;
			e.seen &= ~DT_SEEN_AFTER;
		}
		dt_classify(&e, &c, &got);
		if ((want.cls != got.cls || want.mismatch != got.mismatch ||
		     want.violation != got.violation ||
		     want.inferred != got.inferred) && bad++ < 5)
			fprintf(stderr, "record %d: class %d/%d mismatch %d/%d "
				"violation %d/%d inferred %d/%d\n", i, want.cls,
				got.cls, want.mismatch, got.mismatch,
				want.violation, got.violation, want.inferred,
				got.inferred);
	}
	CHECK_EQ(bad, 0);
}

int main(void)
{
	RUN(test_one_step_write);
	RUN(test_read_and_hole);
	RUN(test_ro_upgrade);
	RUN(test_zero_upgrade);
	RUN(test_zero_upgrade_without_insert);
	RUN(test_two_step_finish_mkwrite);
	RUN(test_two_step_final_pte);
	RUN(test_two_step_private_is_not);
	RUN(test_cow);
	RUN(test_private_copy_from_entries);
	RUN(test_mismatch_kinds);
	RUN(test_same_pfn_is_not_mismatch);
	RUN(test_error_wins);
	RUN(test_mismatch_before_error);
	RUN(test_retry);
	RUN(test_inferred_claims_nothing);
	RUN(test_page_era);
	RUN(test_pmd);
	RUN(test_fallback);
	RUN(test_inferred);
	RUN(test_names_round_trip);
	RUN(test_lean_matches_reference);
	return UNIT_EXIT();
}
