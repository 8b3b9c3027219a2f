/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the BPF side counted: its histograms (hist mode: `daxtrace hist`
 * and `daxtrace serve`) and its stats, read out of the maps.
 */
#ifndef USER_KCOUNTS_H
#define USER_KCOUNTS_H

#include "daxtrace.h"
#include "histset.h"

struct daxtrace_bpf;

/* @now := every histogram the maps hold (cumulative since load). */
void dt_kcounts_hists(struct daxtrace_bpf *skel, enum dt_hist_by by,
		      struct dt_histset *now);
/* @tot := each enum dt_stat, summed over the CPUs */
void dt_kcounts_stats(struct daxtrace_bpf *skel, __u64 tot[DT_STAT_MAX]);

#endif
