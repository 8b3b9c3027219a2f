/* SPDX-License-Identifier: GPL-2.0 */
/* Totals over a trace, and their text and JSON forms. */
#ifndef DT_SUMMARY_H
#define DT_SUMMARY_H

#include <stdio.h>
#include "classify.h"
#include "devdax.h"
#include "dt_fallback.h"
#include "dt_points.h"

/* how a point that was not needed "attached": the other end did its work */
#define DT_PROBE_UNNEEDED "unneeded"

struct dt_probe_state {
	const char *name;
	const char *how;	/* "kprobe", "raw_tracepoint", ... or NULL */
	const char *why;	/* when not attached: the reason */
};

struct dt_summary {
	__u64 faults;
	__u64 classes[DT_CLASS_MAX];
	__u64 mismatch[DT_MISMATCH_MAX];
	__u64 sizes[DT_SIZES];	/* enum dt_size */
	__u64 violations;
	__u64 inferred;
	__u64 lost;		/* dropped by the ring buffer */
	__u64 stale;		/* records flushed unfinished */
	__u64 ctx_full;		/* faults with no room for a record */
	__u64 untraced_children; /* forked when the traced set was full */
	__u64 pmd_fallbacks;	/* PMD faults that fell back to PTEs */
	__u64 fallback[DT_FB_MAX];	/* ... per reason */
	bool fallbacks_uncounted; /* totals without records (hist): no reasons */
	__u64 devdax_refused;	/* device-DAX faults the driver refused */
	__u64 devdax_why[DT_DD_MAX];	/* ... per reason (dt_verdict.devdax_why) */
};

/*
 * What the trace could see, printed with its totals.  Without @exact,
 * two_step and pfn_mismatch were not decided (no insert probes): their
 * counts and the violations are unavailable, null in JSON.
 */
struct dt_split;

struct dt_trace_info {
	bool exact;
	enum dt_era era;
	__u8 layout;		/* enum dt_pte_layout */
	const struct dt_probe_state *probes;
	int nprobes;
	const struct dt_split *split;	/* --split-exec groups, or NULL */
	const struct dt_devdax_devs *devdax;	/* the device-DAX devices seen, or NULL */
};

/*
 * NULL when device DAX was traced (its envelope attached), else why not:
 * a kind of DAX mapping is never counted exact unseen.
 */
const char *dt_devdax_untraced(const struct dt_probe_state *p, int n);

void dt_summary_add(struct dt_summary *s, const struct dt_event *ev,
		    const struct dt_verdict *v);
/*
 * Counts @n faults of one verdict at once (hist mode totals): with no
 * record, PMD fallbacks are not counted, and the summary says so.
 */
void dt_summary_count(struct dt_summary *s, enum dt_size size,
		      const struct dt_verdict *v, __u64 n);
/*
 * Counts @n faults of one verdict whose PMD fallback is known (hist --by
 * reason): @reason, an enum dt_fallback, or -1 for none.
 */
void dt_summary_count_fallback(struct dt_summary *s, enum dt_size size,
			       const struct dt_verdict *v, __u64 n, int reason);
/* Whether @cls is counted at all when the trace is not exact. */
bool dt_class_seen(enum dt_class cls, bool exact);
void dt_summary_json(FILE *out, const struct dt_summary *s,
		     const struct dt_trace_info *t);
/* {"faults":N,"classes":{...},"pfn_mismatch":{...},"violations":N} of @s */
void dt_summary_counts_json(FILE *out, const struct dt_summary *s, bool exact);
void dt_summary_text(FILE *out, const struct dt_summary *s,
		     const struct dt_trace_info *t);

#endif
