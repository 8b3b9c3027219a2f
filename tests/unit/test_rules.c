// SPDX-License-Identifier: GPL-2.0
/*
 * `daxtrace check` rules (user/rules.c): parsing --forbid and --expect,
 * which faults offend, and the verdict against a run's totals.  Exit 1 of
 * `check` rests on these, so a rule misread is a CI gate silently open.
 */
#include <string.h>
#include "unit.h"
#include "rules.h"

#define ERRLEN 256

/* a fault no PMD fallback was part of */
static const struct dt_event no_fb;

static int init(struct dt_rules *rs, const char *forbid, const char *expect,
		char *err)
{
	const char *f[1] = { forbid }, *e[1] = { expect };

	err[0] = '\0';
	return dt_rules_init(rs, f, forbid ? 1 : 0, e, expect ? 1 : 0, err,
			     ERRLEN);
}

static struct dt_verdict verdict(enum dt_class cls, enum dt_mismatch m)
{
	struct dt_verdict v = { .cls = cls, .mismatch = m };

	v.violation = cls == DT_CLASS_TWO_STEP || m == DT_MISMATCH_UNEXPECTED;
	return v;
}

static void test_defaults(void)
{
	struct dt_rules rs;
	char err[ERRLEN];

	CHECK_EQ(dt_rules_init(&rs, NULL, 0, NULL, 0, err, ERRLEN), 0);
	CHECK_EQ(rs.n, 2);
	CHECK(rs.r[0].forbid);
	CHECK_EQ(rs.r[0].cls, DT_CLASS_TWO_STEP);
	CHECK_EQ(rs.r[0].mismatch, DT_MISMATCH_NONE);
	CHECK(!strcmp(rs.r[0].text, "forbid two_step"));
	CHECK(rs.r[1].forbid);
	CHECK_EQ(rs.r[1].cls, DT_CLASS_PFN_MISMATCH);
	CHECK_EQ(rs.r[1].mismatch, DT_MISMATCH_UNEXPECTED);
	CHECK(!strcmp(rs.r[1].text, "forbid pfn_mismatch.unexpected"));
}

static void test_forbid_lists(void)
{
	const char *forbid[] = { "ro_upgrade,zero_upgrade", "cow", "write" };
	struct dt_rules rs;
	char err[ERRLEN];

	CHECK_EQ(dt_rules_init(&rs, forbid, 3, NULL, 0, err, ERRLEN), 0);
	CHECK_EQ(rs.n, 6);
	CHECK_EQ(rs.r[2].cls, DT_CLASS_RO_UPGRADE);
	CHECK_EQ(rs.r[3].cls, DT_CLASS_ZERO_UPGRADE);
	CHECK_EQ(rs.r[4].cls, DT_CLASS_COW);
	CHECK_EQ(rs.r[5].cls, DT_CLASS_WRITE);
	for (int i = 2; i < 6; i++) {
		CHECK(rs.r[i].forbid);
		CHECK_EQ(rs.r[i].mismatch, DT_MISMATCH_NONE);
	}
	/* each token of a list is its own rule, named alone */
	CHECK(!strcmp(rs.r[2].text, "forbid ro_upgrade"));
	CHECK(!strcmp(rs.r[3].text, "forbid zero_upgrade"));

	/* every class name is accepted (two_step is the default rule itself) */
	for (int c = 0; c < DT_CLASS_MAX; c++) {
		CHECK_EQ(init(&rs, dt_class_name(c), NULL, err), 0);
		CHECK_EQ(rs.n, c == DT_CLASS_TWO_STEP ? 2 : 3);
		CHECK_EQ(rs.r[rs.n - 1].cls, c == DT_CLASS_TWO_STEP ?
			 DT_CLASS_PFN_MISMATCH : c);
	}
}

/* a rule given twice, or a default given again, is judged once */
static void test_forbid_duplicates(void)
{
	struct dt_rules rs;
	char err[ERRLEN];

	CHECK_EQ(init(&rs, "two_step", NULL, err), 0);
	CHECK_EQ(rs.n, 2);
	CHECK(!strcmp(rs.r[0].text, "forbid two_step"));
	CHECK_EQ(init(&rs, "pfn_mismatch.unexpected", NULL, err), 0);
	CHECK_EQ(rs.n, 2);
	CHECK_EQ(init(&rs, "cow,cow", NULL, err), 0);
	CHECK_EQ(rs.n, 3);
	CHECK(!strcmp(rs.r[2].text, "forbid cow"));
	/* every mismatch kind is another rule than the unexpected ones */
	CHECK_EQ(init(&rs, "pfn_mismatch", NULL, err), 0);
	CHECK_EQ(rs.n, 3);
	CHECK_EQ(rs.r[2].mismatch, DT_MISMATCH_NONE);
}

static void test_forbid_mismatch_kinds(void)
{
	struct dt_rules rs;
	char err[ERRLEN];

	CHECK_EQ(init(&rs, "pfn_mismatch.zero_page,pfn_mismatch.private_cow,"
			   "pfn_mismatch", NULL, err), 0);
	CHECK_EQ(rs.n, 5);
	CHECK_EQ(rs.r[2].cls, DT_CLASS_PFN_MISMATCH);
	CHECK_EQ(rs.r[2].mismatch, DT_MISMATCH_ZERO_PAGE);
	CHECK_EQ(rs.r[3].cls, DT_CLASS_PFN_MISMATCH);
	CHECK_EQ(rs.r[3].mismatch, DT_MISMATCH_PRIVATE_COW);
	CHECK_EQ(rs.r[4].cls, DT_CLASS_PFN_MISMATCH);
	CHECK_EQ(rs.r[4].mismatch, DT_MISMATCH_NONE);
	CHECK(!strcmp(rs.r[3].text, "forbid pfn_mismatch.private_cow"));
}

/* rejected, and the message names the offending token */
static void check_bad_forbid(const char *list, const char *token)
{
	struct dt_rules rs;
	char err[ERRLEN], quoted[64];

	snprintf(quoted, sizeof(quoted), "'%s'", token);
	CHECK_EQ(init(&rs, list, NULL, err), -1);
	CHECK(strstr(err, quoted) != NULL);
	CHECK(strstr(err, "--forbid") != NULL);
}

static void test_forbid_rejects(void)
{
	check_bad_forbid("nope", "nope");
	check_bad_forbid("write,nope,read", "nope");
	check_bad_forbid("Write", "Write");
	check_bad_forbid("write ", "write ");
	check_bad_forbid("pfn_mismatch.bogus", "pfn_mismatch.bogus");
	check_bad_forbid("pfn_mismatch.none", "pfn_mismatch.none");
	check_bad_forbid("pfn_mismatch.", "pfn_mismatch.");
	check_bad_forbid("write.zero_page", "write.zero_page");
	check_bad_forbid(".unexpected", ".unexpected");
	/* empty tokens: a list that starts, ends or doubles a comma */
	check_bad_forbid("", "");
	check_bad_forbid(",write", "");
	check_bad_forbid("write,", "");
	check_bad_forbid("write,,read", "");
	/* longer than any name: rejected, not cut to a valid prefix */
	check_bad_forbid("two_step_and_then_some_more_text_until_it_is_long",
			 "two_step_and_then_some_more_text_until_it_is_long");
}

static void check_expect(const char *s, int cls, int m, enum dt_rule_op op,
			 __u64 n)
{
	struct dt_rules rs;
	char err[ERRLEN], text[80];

	CHECK_EQ(init(&rs, NULL, s, err), 0);
	CHECK_EQ(rs.n, 3);
	CHECK(!rs.r[2].forbid);
	CHECK_EQ(rs.r[2].cls, cls);
	CHECK_EQ(rs.r[2].mismatch, m);
	CHECK_EQ(rs.r[2].op, op);
	CHECK(rs.r[2].n == n);
	snprintf(text, sizeof(text), "expect %s", s);
	CHECK(!strcmp(rs.r[2].text, text));
}

static void test_expect_ops(void)
{
	check_expect("write=4096", DT_CLASS_WRITE, 0, DT_OP_EQ, 4096);
	check_expect("read>0", DT_CLASS_READ, 0, DT_OP_GT, 0);
	check_expect("cow>=1", DT_CLASS_COW, 0, DT_OP_GE, 1);
	check_expect("hole<5", DT_CLASS_HOLE, 0, DT_OP_LT, 5);
	check_expect("error<=16", DT_CLASS_ERROR, 0, DT_OP_LE, 16);
	check_expect("pfn_mismatch.private_cow>=1", DT_CLASS_PFN_MISMATCH,
		     DT_MISMATCH_PRIVATE_COW, DT_OP_GE, 1);
	check_expect("write=18446744073709551615", DT_CLASS_WRITE, 0,
		     DT_OP_EQ, 18446744073709551615ULL);
	check_expect("write=0", DT_CLASS_WRITE, 0, DT_OP_EQ, 0);
}

static void check_bad_expect(const char *s)
{
	struct dt_rules rs;
	char err[ERRLEN], quoted[80];
	int ret;

	snprintf(quoted, sizeof(quoted), "'%s'", s);
	ret = init(&rs, NULL, s, err);
	if (ret != -1) {
		fprintf(stderr, "--expect '%s' accepted as count %llu\n", s,
			rs.r[rs.n - 1].n);
		CHECK_EQ(ret, -1);
		return;
	}
	CHECK(strstr(err, quoted) != NULL);
	CHECK(strstr(err, "--expect") != NULL);
}

static void test_expect_rejects(void)
{
	check_bad_expect("write");
	check_bad_expect("write=");
	check_bad_expect("write>=");
	check_bad_expect("write=-1");
	check_bad_expect("write=1x");
	check_bad_expect("write=0x10");
	check_bad_expect("nope=1");
	check_bad_expect("write==1");
	check_bad_expect("write=>1");
	check_bad_expect("write<>1");
	check_bad_expect("=1");
	check_bad_expect("pfn_mismatch.bogus=1");
	check_bad_expect("write=18446744073709551616");	/* 2^64 */
	/* a negative count hidden behind blanks strtoull() skips */
	check_bad_expect("write= -1");
	check_bad_expect("write=\t-5");
}

static void test_offends(void)
{
	struct dt_rules rs;
	char err[ERRLEN];
	struct dt_verdict v;

	CHECK_EQ(dt_rules_init(&rs, NULL, 0, NULL, 0, err, ERRLEN), 0);
	CHECK(dt_rules_offends(&rs, &no_fb, &(struct dt_verdict){ .cls = DT_CLASS_TWO_STEP }));
	v = verdict(DT_CLASS_PFN_MISMATCH, DT_MISMATCH_UNEXPECTED);
	CHECK(dt_rules_offends(&rs, &no_fb, &v));
	/* the benign kinds are not forbidden by default */
	v = verdict(DT_CLASS_PFN_MISMATCH, DT_MISMATCH_PRIVATE_COW);
	CHECK(!dt_rules_offends(&rs, &no_fb, &v));
	v = verdict(DT_CLASS_PFN_MISMATCH, DT_MISMATCH_ZERO_PAGE);
	CHECK(!dt_rules_offends(&rs, &no_fb, &v));
	for (int c = 0; c < DT_CLASS_MAX; c++) {
		if (c == DT_CLASS_TWO_STEP || c == DT_CLASS_PFN_MISMATCH)
			continue;
		v = verdict(c, DT_MISMATCH_NONE);
		CHECK(!dt_rules_offends(&rs, &no_fb, &v));
	}

	/* a whole-class forbid takes every kind */
	CHECK_EQ(init(&rs, "pfn_mismatch,ro_upgrade", NULL, err), 0);
	v = verdict(DT_CLASS_PFN_MISMATCH, DT_MISMATCH_ZERO_PAGE);
	CHECK(dt_rules_offends(&rs, &no_fb, &v));
	v = verdict(DT_CLASS_RO_UPGRADE, DT_MISMATCH_NONE);
	CHECK(dt_rules_offends(&rs, &no_fb, &v));
	v = verdict(DT_CLASS_ZERO_UPGRADE, DT_MISMATCH_NONE);
	CHECK(!dt_rules_offends(&rs, &no_fb, &v));

	/* a kind forbid takes only that kind */
	CHECK_EQ(init(&rs, "pfn_mismatch.zero_page", NULL, err), 0);
	v = verdict(DT_CLASS_PFN_MISMATCH, DT_MISMATCH_ZERO_PAGE);
	CHECK(dt_rules_offends(&rs, &no_fb, &v));
	v = verdict(DT_CLASS_PFN_MISMATCH, DT_MISMATCH_PRIVATE_COW);
	CHECK(!dt_rules_offends(&rs, &no_fb, &v));

	/* expectations never make a single fault offend */
	CHECK_EQ(init(&rs, NULL, "write=0", err), 0);
	v = verdict(DT_CLASS_WRITE, DT_MISMATCH_NONE);
	CHECK(!dt_rules_offends(&rs, &no_fb, &v));
}

/* a run's totals: 4096 write, 3 two_step, 39 private_cow, 1 zero_page */
static struct dt_summary run_totals(void)
{
	struct dt_summary s = { 0 };

	s.classes[DT_CLASS_WRITE] = 4096;
	s.classes[DT_CLASS_READ] = 10;
	s.classes[DT_CLASS_TWO_STEP] = 3;
	s.classes[DT_CLASS_PFN_MISMATCH] = 40;
	s.mismatch[DT_MISMATCH_PRIVATE_COW] = 39;
	s.mismatch[DT_MISMATCH_ZERO_PAGE] = 1;
	s.faults = 4096 + 10 + 3 + 40;
	return s;
}

static void test_finish_and_verdict(void)
{
	const char *forbid[] = { "pfn_mismatch.zero_page,hole" };
	const char *expect[] = {
		"write=4096", "write=4095", "write>4095", "write>4096",
		"write>=4096", "write>=4097", "write<4097", "write<4096",
		"write<=4096", "write<=4095", "pfn_mismatch.private_cow=39",
		"pfn_mismatch=40", "cow>=1",
	};
	static const struct { __u64 count; bool holds; } want[] = {
		{ 3, false },		/* forbid two_step */
		{ 0, true },		/* forbid pfn_mismatch.unexpected */
		{ 1, false },		/* forbid pfn_mismatch.zero_page */
		{ 0, true },		/* forbid hole */
		{ 4096, true }, { 4096, false }, { 4096, true }, { 4096, false },
		{ 4096, true }, { 4096, false }, { 4096, true }, { 4096, false },
		{ 4096, true }, { 4096, false },
		{ 39, true }, { 40, true }, { 0, false },
	};
	struct dt_summary s = run_totals();
	struct dt_rules rs;
	char err[ERRLEN];
	int broken = 0;

	CHECK_EQ(dt_rules_init(&rs, forbid, 1, expect, 13, err, ERRLEN), 0);
	CHECK_EQ(rs.n, 17);
	dt_rules_finish(&rs, &s, true);
	for (int i = 0; i < rs.n && i < 17; i++) {
		if (rs.r[i].count != want[i].count ||
		    dt_rule_holds(&rs.r[i]) != want[i].holds)
			fprintf(stderr, "rule %d '%s'\n", i, rs.r[i].text);
		CHECK_EQ(rs.r[i].count, want[i].count);
		CHECK_EQ(dt_rule_holds(&rs.r[i]), want[i].holds);
		broken += !want[i].holds;
	}
	CHECK_EQ(dt_rules_broken(&rs), broken);
	CHECK_EQ(broken, 8);

	/* a clean run breaks nothing the defaults forbid */
	memset(&s, 0, sizeof(s));
	CHECK_EQ(dt_rules_init(&rs, NULL, 0, NULL, 0, err, ERRLEN), 0);
	dt_rules_finish(&rs, &s, true);
	CHECK_EQ(dt_rules_broken(&rs), 0);
	/* finish overwrites the counts of an earlier run */
	s = run_totals();
	dt_rules_finish(&rs, &s, true);
	CHECK_EQ(dt_rules_broken(&rs), 1);
	s.classes[DT_CLASS_TWO_STEP] = 0;
	dt_rules_finish(&rs, &s, true);
	CHECK_EQ(dt_rules_broken(&rs), 0);
}

/*
 * Inferred mode: rules on two_step and pfn_mismatch cannot be judged (the
 * counts were never taken), neither kept nor broken; the rest are.
 */
static void test_rules_inferred(void)
{
	const char *forbid[] = { "ro_upgrade,pfn_mismatch.private_cow" };
	const char *expect[] = { "write=0", "two_step=0" };
	struct dt_summary s = run_totals();
	struct dt_rules rs;
	char err[ERRLEN];

	CHECK_EQ(dt_rules_init(&rs, forbid, 1, expect, 2, err, ERRLEN), 0);
	CHECK_EQ(rs.n, 6);
	dt_rules_finish(&rs, &s, false);
	CHECK(rs.r[0].unavailable);	/* forbid two_step */
	CHECK(rs.r[1].unavailable);	/* forbid pfn_mismatch.unexpected */
	CHECK(!rs.r[2].unavailable);	/* forbid ro_upgrade */
	CHECK(rs.r[3].unavailable);	/* forbid pfn_mismatch.private_cow */
	CHECK(!rs.r[4].unavailable);	/* expect write=0 */
	CHECK(rs.r[5].unavailable);	/* expect two_step=0 */
	CHECK(dt_rule_holds(&rs.r[0]) && dt_rule_holds(&rs.r[5]));
	/* write 4096 breaks its expect; no ro_upgrade */
	CHECK_EQ(dt_rules_broken(&rs), 1);
	/* the same rules, exact: two_step 3 breaks both its rules */
	dt_rules_finish(&rs, &s, true);
	CHECK(!rs.r[0].unavailable && !dt_rule_holds(&rs.r[0]));
	CHECK(!dt_rule_holds(&rs.r[5]));
}

/*
 * DT_RULES_MAX rules fit, with the two defaults; one more is refused.
 * --expect rules of different counts are different rules (a repeated
 * --forbid is one: test_forbid_duplicates).
 */
static void test_rules_cap(void)
{
	static char texts[DT_RULES_MAX][24];
	const char *expect[DT_RULES_MAX];
	const char *forbid[1] = { "read" };
	struct dt_rules rs;
	char err[ERRLEN];

	for (int i = 0; i < DT_RULES_MAX; i++) {
		snprintf(texts[i], sizeof(texts[i]), "write>=%d", i);
		expect[i] = texts[i];
	}
	CHECK_EQ(dt_rules_init(&rs, NULL, 0, expect, DT_RULES_MAX - 2, err,
			       ERRLEN), 0);
	CHECK_EQ(rs.n, DT_RULES_MAX);

	err[0] = '\0';
	CHECK_EQ(dt_rules_init(&rs, NULL, 0, expect, DT_RULES_MAX - 1, err,
			       ERRLEN), -1);
	CHECK(strstr(err, "too many rules") != NULL);
	CHECK(rs.n <= DT_RULES_MAX);

	err[0] = '\0';
	CHECK_EQ(dt_rules_init(&rs, forbid, 1, expect, DT_RULES_MAX - 2, err,
			       ERRLEN), -1);
	CHECK(strstr(err, "too many rules") != NULL);

	/* a long comma list of one class is one rule, far from the cap */
	CHECK_EQ(init(&rs, "read,read,read,read,read,read,read,read,read,read,"
			   "read,read,read,read,read,read,read,read,read,read,"
			   "read,read,read,read,read,read,read,read,read,read,"
			   "read,read,read,read,read,read,read,read,read,read,"
			   "read,read,read,read,read,read,read,read,read,read,"
			   "read,read,read,read,read,read,read,read,read,read,"
			   "read,read,read", NULL, err), 0);
	CHECK_EQ(rs.n, 3);
}

/* --expect 'pmd_fallback=0', --forbid pmd_fallback.REASON */
static void test_pmd_fallback_rules(void)
{
	struct dt_event fb = { .seen = DT_SEEN_FALLBACK,
			       .pmd_fallback = DT_FB_STORAGE_MISALIGNED };
	struct dt_verdict v = verdict(DT_CLASS_WRITE, DT_MISMATCH_NONE);
	struct dt_summary s = { .faults = 32, .pmd_fallbacks = 32 };
	struct dt_rules rs;
	char err[ERRLEN];

	s.classes[DT_CLASS_WRITE] = 32;
	s.fallback[DT_FB_STORAGE_MISALIGNED] = 32;
	CHECK_EQ(init(&rs, "pmd_fallback.storage_misaligned", "pmd_fallback=0", err), 0);
	CHECK(dt_rules_offends(&rs, &fb, &v));
	CHECK(!dt_rules_offends(&rs, &no_fb, &v));
	dt_rules_finish(&rs, &s, true);
	CHECK_EQ(dt_rules_broken(&rs), 2);
	CHECK_EQ(rs.r[2].count, 32);
	CHECK_EQ(rs.r[3].count, 32);
	CHECK(!strcmp(rs.r[3].text, "expect pmd_fallback=0"));

	/* another reason: the fault does not offend, the count is 0 */
	CHECK_EQ(init(&rs, "pmd_fallback.misaligned", "pmd_fallback.conflict<1", err), 0);
	CHECK(!dt_rules_offends(&rs, &fb, &v));
	dt_rules_finish(&rs, &s, true);
	CHECK_EQ(dt_rules_broken(&rs), 0);

	/* every reason; no fallback at all holds */
	CHECK_EQ(init(&rs, "pmd_fallback", NULL, err), 0);
	CHECK(dt_rules_offends(&rs, &fb, &v));
	fb.pmd_fallback = DT_FB_UNKNOWN;
	CHECK(dt_rules_offends(&rs, &fb, &v));
	memset(&s, 0, sizeof(s));
	dt_rules_finish(&rs, &s, false);	/* fidelity does not matter */
	CHECK_EQ(dt_rules_broken(&rs), 0);
	CHECK(!rs.r[2].unavailable);

	/* hist totals carry no reasons: unavailable, neither held nor broken */
	s.fallbacks_uncounted = true;
	CHECK_EQ(init(&rs, NULL, "pmd_fallback>5", err), 0);
	dt_rules_finish(&rs, &s, true);
	CHECK(rs.r[2].unavailable);
	CHECK_EQ(dt_rules_broken(&rs), 0);

	CHECK_EQ(init(&rs, "pmd_fallback.bogus", NULL, err), -1);
	CHECK(strstr(err, "pmd_fallback.bogus"));
	CHECK_EQ(init(&rs, NULL, "pmd_fallback.=1", err), -1);
	CHECK_EQ(init(&rs, "pmd_fallback.", NULL, err), -1);
}

/* size.pte|pmd|pud: faults of a size; devdax[.WHY]: the driver's refusals */
static void test_size_and_devdax_rules(void)
{
	struct dt_event pud = { .size = DT_SIZE_PUD, .seen = DT_SEEN_DEVDAX };
	struct dt_verdict v = verdict(DT_CLASS_WRITE, DT_MISMATCH_NONE);
	struct dt_verdict refused = verdict(DT_CLASS_FALLBACK, DT_MISMATCH_NONE);
	struct dt_summary s = { .faults = 33, .devdax_refused = 1 };
	struct dt_rules rs;
	char err[ERRLEN];

	s.sizes[DT_SIZE_PMD] = 32;
	s.sizes[DT_SIZE_PUD] = 1;
	s.devdax_why[DT_DD_ALIGN_SMALLER] = 1;
	refused.devdax_why = DT_DD_ALIGN_SMALLER;
	CHECK_EQ(init(&rs, "size.pud", "size.pud>=1", err), 0);
	CHECK(dt_rules_offends(&rs, &pud, &v));
	CHECK(!dt_rules_offends(&rs, &no_fb, &v));	/* a pte fault */
	dt_rules_finish(&rs, &s, false);	/* sizes are counted in any mode */
	CHECK(!rs.r[3].unavailable);
	CHECK_EQ(rs.r[3].count, 1);
	CHECK_EQ(dt_rules_broken(&rs), 1);	/* the forbid */
	CHECK(!strcmp(rs.r[3].text, "expect size.pud>=1"));

	CHECK_EQ(init(&rs, "devdax.align_smaller", "devdax=0", err), 0);
	CHECK(dt_rules_offends(&rs, &pud, &refused));
	CHECK(!dt_rules_offends(&rs, &pud, &v));
	dt_rules_finish(&rs, &s, true);
	CHECK_EQ(rs.r[2].count, 1);
	CHECK_EQ(rs.r[3].count, 1);
	CHECK_EQ(dt_rules_broken(&rs), 2);
	CHECK_EQ(init(&rs, "devdax.past_end", NULL, err), 0);
	CHECK(!dt_rules_offends(&rs, &pud, &refused));
	dt_rules_finish(&rs, &s, true);
	CHECK_EQ(dt_rules_broken(&rs), 0);
	/* hist totals: no reasons, unavailable */
	s.fallbacks_uncounted = true;
	CHECK_EQ(init(&rs, NULL, "devdax>5", err), 0);
	dt_rules_finish(&rs, &s, true);
	CHECK(rs.r[2].unavailable);

	CHECK_EQ(init(&rs, NULL, "size.huge=1", err), -1);
	CHECK(strstr(err, "size.pte|pmd|pud"));
	CHECK_EQ(init(&rs, NULL, "size=1", err), -1);
	CHECK_EQ(init(&rs, "devdax.none", NULL, err), -1);
	CHECK_EQ(init(&rs, "devdax.bogus", NULL, err), -1);
}

int main(void)
{
	RUN(test_defaults);
	RUN(test_forbid_lists);
	RUN(test_forbid_duplicates);
	RUN(test_forbid_mismatch_kinds);
	RUN(test_forbid_rejects);
	RUN(test_expect_ops);
	RUN(test_expect_rejects);
	RUN(test_offends);
	RUN(test_finish_and_verdict);
	RUN(test_rules_cap);
	RUN(test_rules_inferred);
	RUN(test_pmd_fallback_rules);
	RUN(test_size_and_devdax_rules);
	return UNIT_EXIT();
}
