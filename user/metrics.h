/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `daxtrace serve`: the Prometheus text exposition (0.0.4) and OpenMetrics
 * 1.0 of what the kernel counted.  Pure text from counts: the daemon
 * (user/serve.c) reads the maps, this writes them out.
 */
#ifndef USER_METRICS_H
#define USER_METRICS_H

#include <stdbool.h>
#include <stdio.h>
#include "histset.h"
#include "summary.h"

/* --by comm: at most this many comm label values, the rest fold into one */
#define DT_METRICS_MAX_COMMS	64
#define DT_METRICS_OTHER	"[other]"
/* hist slots with a finite upper bound: the last one is open-ended */
#define DT_METRICS_BUCKETS	(DT_HIST_SLOTS - 1)

enum dt_metrics_format {
	DT_METRICS_PROMETHEUS,		/* text/plain; version=0.0.4 */
	DT_METRICS_OPENMETRICS,		/* application/openmetrics-text 1.0.0 */
};

/* The fs label of a device: its mount point, or NULL for "MAJ:MIN". */
typedef const char *(*dt_fs_namer)(void *ctx, __u32 dev);

struct dt_metrics {
	const struct dt_histset *hs;	/* the kernel's histograms, cumulative */
	enum dt_hist_by by;		/* DT_BY_NONE, _FS, _DEV or _COMM */
	dt_fs_namer fs_name;
	dt_dev_namer dev_name;		/* --by dev: the device's name, or NULL */
	void *dev_ctx;
	void *fs_ctx;
	bool exact;			/* two_step and pfn_mismatch decided */
	const char *mode;		/* --mode */
	const char *insert_path;	/* the era */
	const struct dt_probe_state *probes;
	int nprobes;
	__u64 lost, stale, untracked;	/* the BPF side's stats */
	const char *version;
	const char *kernel;		/* uname -r */
};

/* Writes the whole exposition; returns -1 if @out failed or memory ran out. */
int dt_metrics_write(FILE *out, const struct dt_metrics *m,
		     enum dt_metrics_format f);
/* OpenMetrics when the Accept header prefers it, else the 0.0.4 text. */
enum dt_metrics_format dt_metrics_negotiate(const char *accept);
const char *dt_metrics_content_type(enum dt_metrics_format f);

#endif
