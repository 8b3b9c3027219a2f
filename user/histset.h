/* SPDX-License-Identifier: GPL-2.0 */
/* A set of latency histograms keyed by class, size and --by group. */
#ifndef USER_HISTSET_H
#define USER_HISTSET_H

#include <stdio.h>
#include "classify.h"
#include "dt_hist.h"
#include "summary.h"

#define DT_HISTSET_MAX 10240	/* as many as the BPF map holds */

struct dt_histset {
	struct dt_hist_key *keys;
	struct dt_hist *hists;
	int n;
	__u64 dropped;		/* samples for keys past the cap */
};

int dt_histset_init(struct dt_histset *s);
void dt_histset_free(struct dt_histset *s);
void dt_histset_reset(struct dt_histset *s);
/* Adds @h under @k (merging into an existing key). */
void dt_histset_merge(struct dt_histset *s, const struct dt_hist_key *k,
		      const struct dt_hist *h);
/* The key userspace derives for one record, as BPF derives it in hist mode. */
void dt_hist_key_of(struct dt_hist_key *k, const struct dt_event *ev,
		    const struct dt_verdict *v, enum dt_hist_by by);
/*
 * Adds every histogram's count to @sum (classes, mismatches, sizes), and
 * with --by reason (@by) its PMD fallbacks per reason.
 */
void dt_histset_summarize(const struct dt_histset *s, struct dt_summary *sum,
			  bool inferred, enum dt_hist_by by);
/*
 * --by dev: the name of device @dev into @buf (a device-DAX char device's
 * with @devdax, else a block device's), 0; or -1 when it has none.  @ctx:
 * whatever the namer reads them from (a recording's devices), or NULL.
 */
typedef int (*dt_dev_namer)(void *ctx, __u32 dev, bool devdax, char *buf, size_t len);
#define DT_DEV_NAME_LEN	64
/* @buf: the name by @namer, or "MAJOR:MINOR" (@namer NULL or it had none) */
const char *dt_dev_label(char *buf, size_t len, __u32 dev, bool devdax,
			 dt_dev_namer namer, void *ctx);
/* --by dev's devices named by @namer (NULL: by their numbers) */
void dt_histset_print(FILE *out, const struct dt_histset *s, enum dt_hist_by by,
		      dt_dev_namer namer, void *ctx);

#endif
