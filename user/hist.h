/* SPDX-License-Identifier: GPL-2.0 */
/* Log2 latency histograms in userspace: fill, print, percentiles. */
#ifndef USER_HIST_H
#define USER_HIST_H

#include <stdio.h>
#include "dt_hist.h"

void dt_hist_add(struct dt_hist *h, __u64 lat_ns);
/* One record: its latency, or one more untimed fault if it has none. */
void dt_hist_add_event(struct dt_hist *h, const struct dt_event *ev);
void dt_hist_merge(struct dt_hist *into, const struct dt_hist *from);
/* every fault counted, timed or not */
__u64 dt_hist_count(const struct dt_hist *h);
/* the faults in the slots: those with a latency */
__u64 dt_hist_timed(const struct dt_hist *h);
/*
 * The latency under which a fraction @p (0..1) of the timed samples fall,
 * interpolated linearly inside its log2 bucket; 0 when none.
 */
__u64 dt_hist_percentile(const struct dt_hist *h, double p);
/* biolatency's layout in ns, rows from the first non-empty slot to the last */
void dt_hist_print(FILE *out, const struct dt_hist *h);

#endif
