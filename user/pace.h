/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When the stream's reader drains the ring buffer next.
 *
 * A record committed to an empty ring buffer wakes its reader; one
 * committed behind others does not (bpf_ringbuf_commit()).  A reader that
 * drains the ring as soon as it wakes leaves it empty, so the next record
 * wakes it again: on a busy CPU, a wake-up, two context switches, an
 * epoll_wait() and a write() for every few records.  After a drain that
 * found records, the reader instead sleeps a moment and drains what
 * gathered meanwhile without waiting to be woken; a drain that finds
 * nothing goes back to waiting.  The sleep is bounded so that the ring,
 * at the rate the last drain measured, fills to a quarter at most.
 */
#ifndef DT_PACE_H
#define DT_PACE_H

#include <linux/types.h>

/* longest sleep: what a record may wait before it is printed */
#define DT_PACE_MAX_NS		2000000ULL
/* rings smaller than this many records are drained as soon as woken */
#define DT_PACE_MIN_RECORDS	4096

/*
 * @n records were drained, @gap_ns after the drain before; the ring holds
 * @cap records.  Returns how long to sleep before draining again, 0 to
 * wait for the next record instead.
 */
__u64 dt_pace_sleep_ns(__u64 n, __u64 gap_ns, __u64 cap);

#endif
