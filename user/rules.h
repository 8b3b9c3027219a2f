/* SPDX-License-Identifier: GPL-2.0 */
/* `daxtrace check` rules: forbidden classes and expected counts. */
#ifndef USER_RULES_H
#define USER_RULES_H

#include <stdbool.h>
#include "classify.h"
#include "fallback.h"
#include "summary.h"

#define DT_RULES_MAX 64

enum dt_rule_op { DT_OP_EQ, DT_OP_GT, DT_OP_GE, DT_OP_LT, DT_OP_LE };

struct dt_rule {
	bool forbid;		/* else an expectation */
	int cls;		/* enum dt_class */
	int mismatch;		/* DT_MISMATCH_NONE: the whole class */
	bool pmd_fallback;	/* about PMD fallbacks, not a class (cls -1) */
	int reason;		/* ... of this enum dt_fallback; -1: every one */
	bool by_size;		/* "size.pud": the faults of one size (cls -1) */
	int size;		/* ... enum dt_size */
	bool devdax;		/* "devdax[.WHY]": device-DAX refusals (cls -1) */
	int why;		/* ... of this enum dt_devdax_why; -1: every one */
	enum dt_rule_op op;
	__u64 n;
	__u64 count;		/* what the run produced */
	bool unavailable;	/* the run could not count it (inferred mode) */
	char text[64];		/* "forbid two_step", "expect write=4096" */
};

struct dt_rules {
	struct dt_rule r[DT_RULES_MAX];
	int n;
};

/*
 * Builds the rule set: the default forbids (two_step and
 * pfn_mismatch.unexpected), then @forbid lists (comma-separated) and
 * @expect rules.  Returns -1 with @err on a bad rule.
 */
int dt_rules_init(struct dt_rules *rs, const char *const *forbid, int nforbid,
		  const char *const *expect, int nexpect, char *err, int errlen);
/* True when this fault (@ev, classed @v) breaks a forbid rule (print it). */
bool dt_rules_offends(const struct dt_rules *rs, const struct dt_event *ev,
		      const struct dt_verdict *v);
/*
 * Fills each rule's count from the run's totals.  Without @exact, a rule
 * on two_step or pfn_mismatch is unavailable: it neither holds nor breaks;
 * so is a rule on PMD fallbacks when @s has no records to count them.
 */
void dt_rules_finish(struct dt_rules *rs, const struct dt_summary *s, bool exact);
/* What @s counts of the class (or kind) @r is about. */
__u64 dt_rule_count(const struct dt_rule *r, const struct dt_summary *s);
/* True when the rule is kept (or unavailable: nothing to judge). */
bool dt_rule_holds(const struct dt_rule *r);
int dt_rules_broken(const struct dt_rules *rs);

#endif
