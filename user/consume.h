/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What happens to each record, live or replayed from a recording: classify,
 * count, and feed whichever outputs the command asked for.  One path for
 * both, so `report` reproduces exactly what the live run said.
 */
#ifndef USER_CONSUME_H
#define USER_CONSUME_H

#include <stdio.h>
#include "breakdown.h"
#include "devdax.h"
#include "format.h"
#include "forensics.h"
#include "heatmap.h"
#include "histset.h"
#include "rules.h"
#include "split.h"
#include "summary.h"

enum dt_stream { DT_STREAM_NONE, DT_STREAM_TEXT, DT_STREAM_JSON };

struct dt_consumer {
	/* what to produce; set before dt_consumer_init() */
	enum dt_stream stream;
	bool breakdown;
	bool checking;		/* print faults that break a forbid rule */
	bool hist;		/* fill hs from records (report --hist) */
	bool heat;		/* keep points for the SVG heatmap */
	enum dt_hist_by by;
	FILE *out;
	FILE *record;		/* record mode: where events are written */
	dt_file_namer namer;
	const char *split_glob;	/* --split-exec: group faults by process tree */
	struct dt_classify_ctx cx;
	__u64 t0_ns;
	/*
	 * Reads a device-DAX device first named by a record (live: sysfs),
	 * or NULL (report: the recording's device records name them).
	 */
	int (*devdax_read)(__u32 dev, struct dt_devdax_dev *out);

	/* what it has seen */
	struct dt_summary sum;
	struct dt_devdax_devs devdax;	/* the device-DAX devices seen */
	struct dt_breakdown bd;
	struct dt_rules rules;
	struct dt_histset hs;
	struct dt_split split;	/* with split_glob */
	struct dt_heat_point *heat_pts;
	size_t nheat, capheat;
	__u64 offending;
	/* the first offending records, for the JUnit failure text */
	FILE *offend_mem;
	char *offend_buf;
	size_t offend_len;
	/* JSON lines not yet handed to out: see dt_consumer_flush() */
	char *jbuf;
	size_t jlen;
	struct dt_json_memo *memo;	/* with jbuf */
	/*
	 * Batches go to out's descriptor with write(2), after out's own
	 * buffer: stdio would first copy them into that buffer (4 KiB a
	 * batch, with rep movsb, one instruction a byte under the bench's
	 * icount clock).  Live mode sets it; out must have a descriptor.
	 */
	bool out_raw;
	bool out_broken;	/* stdout went away (EPIPE): stop printing */
	/*
	 * Violations' forensics that arrived ahead of their records (which
	 * have forensics set): matched by tid and ts_ns, the oldest dropped
	 * when more wait than this (a record lost in the ring buffer).
	 */
#define DT_FORENSICS_PENDING 8
	struct dt_forensics pending[DT_FORENSICS_PENDING];
	int npending;
	int record_errno;	/* first failed write to the recording */
	int split_errno;	/* the groups could not grow: incomplete */
};

int dt_consumer_init(struct dt_consumer *c);
void dt_consumer_free(struct dt_consumer *c);
void dt_consume(struct dt_consumer *c, const struct dt_event *ev);
/*
 * JSON records are gathered in the consumer's own buffer and reach out in
 * one fwrite() per DT_JSON_BUF bytes (a record's fwrite() cost a tenth of
 * its formatting): call this before anything else is written to out, and
 * wherever out is flushed.
 */
void dt_consumer_flush(struct dt_consumer *c);
/* A fork or exec of --split-exec, in its order among the faults. */
/* A recording's device record: @d is the device its faults name. */
void dt_consume_devdax(struct dt_consumer *c, const struct dt_devdax_dev *d);
void dt_consume_proc(struct dt_consumer *c, const struct dt_proc_event *pe);
/* A violation's forensics, symbolized, ahead of its fault's record. */
void dt_consume_forensics(struct dt_consumer *c, const struct dt_forensics *fo);

#endif
