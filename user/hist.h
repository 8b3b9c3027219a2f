/* SPDX-License-Identifier: GPL-2.0 */
/* Log2 latency histograms in userspace: fill, print, percentiles. */
#ifndef USER_HIST_H
#define USER_HIST_H

#include <stdio.h>
#include "dt_hist.h"

void dt_hist_add(struct dt_hist *h, __u64 lat_ns);
void dt_hist_merge(struct dt_hist *into, const struct dt_hist *from);
__u64 dt_hist_count(const struct dt_hist *h);
/*
 * The latency under which a fraction @p (0..1) of the samples fall,
 * interpolated linearly inside its log2 bucket; 0 when empty.
 */
__u64 dt_hist_percentile(const struct dt_hist *h, double p);
/* biolatency's layout: "usecs : count distribution" with a star bar */
void dt_hist_print(FILE *out, const struct dt_hist *h);

#endif
