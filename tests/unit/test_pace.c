// SPDX-License-Identifier: GPL-2.0
/* The stream reader's pacing (user/pace.c): how long it lets records gather. */
#include "unit.h"
#include "pace.h"

#define MS	1000000ULL
#define CAP	30840ULL	/* the default 4 MiB ring of 136-byte records */

/* nothing drained: wait to be woken, whatever the gap */
static void test_idle_waits(void)
{
	CHECK_EQ(dt_pace_sleep_ns(0, 100 * MS, CAP), 0);
	CHECK_EQ(dt_pace_sleep_ns(0, 0, CAP), 0);
}

/* a slow trickle sleeps the longest: a record waits DT_PACE_MAX_NS at most */
static void test_trickle_sleeps_max(void)
{
	CHECK_EQ(dt_pace_sleep_ns(1, 100 * MS, CAP), DT_PACE_MAX_NS);
	CHECK_EQ(dt_pace_sleep_ns(1, ~0ULL, CAP), DT_PACE_MAX_NS);
	CHECK_EQ(dt_pace_sleep_ns(400, 2 * MS, CAP), DT_PACE_MAX_NS);
}

/* at a high rate, the sleep lets a quarter of the ring fill, no more */
static void test_fast_fills_a_quarter(void)
{
	/* 4 M records/s: 250 ns each, a quarter (7710) in 1.93 ms */
	__u64 ns = dt_pace_sleep_ns(500, 125000, CAP);

	CHECK_EQ(ns, 250 * (CAP / 4));
	CHECK(ns < DT_PACE_MAX_NS);
	/* faster than a record per ns: the sleep rounds to nothing */
	CHECK_EQ(dt_pace_sleep_ns(1000, 10, CAP), 0);
}

/* a drain that found a quarter or more: drain again at once */
static void test_full_drains_at_once(void)
{
	CHECK_EQ(dt_pace_sleep_ns(CAP / 4, 100 * MS, CAP), 0);
	CHECK_EQ(dt_pace_sleep_ns(CAP, 100 * MS, CAP), 0);
}

/* a small ring (--ringbuf-kb) is never left to fill */
static void test_small_ring_never_sleeps(void)
{
	CHECK_EQ(dt_pace_sleep_ns(1, 100 * MS, DT_PACE_MIN_RECORDS - 1), 0);
	CHECK_EQ(dt_pace_sleep_ns(1, 100 * MS, 30), 0);
	CHECK(dt_pace_sleep_ns(1, 100 * MS, DT_PACE_MIN_RECORDS) > 0);
}

int main(void)
{
	RUN(test_idle_waits);
	RUN(test_trickle_sleeps_max);
	RUN(test_fast_fills_a_quarter);
	RUN(test_full_drains_at_once);
	RUN(test_small_ring_never_sleeps);
	return UNIT_EXIT();
}
