/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `daxtrace diff A B`: two runs side by side (a kernel before and after a
 * patch, two kernels' xfstests).  Each side is its summary's counts, as
 * the JSON summary names them (read by jflat), and for a recording its
 * latencies per class.  Pure: the inputs are read by diff_input.c.
 */
#ifndef USER_DIFF_H
#define USER_DIFF_H

#include <stdio.h>
#include "dt_hist.h"
#include "jflat.h"
#include "rules.h"

struct dt_diff_side {
	const char *file;
	const char *kind;		/* "recording" or "summary" */
	struct dt_jflat counts;		/* the JSON summary's integers */
	bool timed;			/* lat[] holds a recording's latencies */
	struct dt_hist lat[DT_CLASS_MAX];
};

/* --fail-on RULE: a check --expect rule, judged on B or (delta.) on B - A */
struct dt_diff_rule {
	char text[64];
	bool delta;
	char path[128];			/* the count's jflat path */
	enum dt_rule_op op;
	__s64 n;
	/* dt_diff_judge()'s outcome */
	__s64 value;
	bool holds;
};

#define DT_DIFF_MAX_RULES 32

/*
 * The side's summary is one daxtrace wrote: 0, or -1 with @err (not a
 * summary; or the two sides were traced with different fidelity, so that
 * two_step and pfn_mismatch are counted on one side only).
 */
int dt_diff_validate(const struct dt_diff_side *a, const struct dt_diff_side *b,
		     char *err, int errlen);
int dt_diff_rule_parse(struct dt_diff_rule *r, const char *s, char *err, int errlen);
/* Judges @r; -1 with @err when a side does not count what it is about. */
int dt_diff_judge(struct dt_diff_rule *r, const struct dt_diff_side *a,
		  const struct dt_diff_side *b, char *err, int errlen);
/*
 * The latency @q (0.5, 0.99) of a log2 histogram: the upper bound of the
 * slot it falls in (slot k: (2^(k-1), 2^k] ns), 0 with no timed fault.
 */
__u64 dt_hist_quantile_bound(const struct dt_hist *h, double q);
void dt_diff_text(FILE *out, const struct dt_diff_side *a,
		  const struct dt_diff_side *b);
void dt_diff_json(FILE *out, const struct dt_diff_side *a,
		  const struct dt_diff_side *b,
		  const struct dt_diff_rule *rules, int nrules);

#endif
