/* SPDX-License-Identifier: GPL-2.0 */
#ifndef USER_LIVE_H
#define USER_LIVE_H

#include "options.h"

/* A live session (trace, probes, hist, check, record); returns the exit code. */
int dt_live(const struct dt_options *o);
/* CLOCK_MONOTONIC, the clock bpf_ktime_get_ns() reads */
__u64 dt_now_ns(void);

#endif
