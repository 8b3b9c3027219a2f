// SPDX-License-Identifier: GPL-2.0
/*
 * Log2 latency histograms (include/dt_hist.h, user/hist.c): the bucket
 * boundaries BPF and userspace share, percentiles, and biolatency's layout.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "hist.h"

#define US	1000ULL

/* |a - b| <= 1: percentiles go through a double and are truncated */
#define CHECK_NEAR(a, b)						\
	do {								\
		long long _d = (long long)(a) - (long long)(b);	\
		if (_d < -1 || _d > 1)					\
			CHECK_EQ(a, b);					\
	} while (0)

static char *render(const struct dt_hist *h)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	dt_hist_print(f, h);
	fclose(f);
	return buf;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* the slot of @ns by the definition, computed the slow way */
static unsigned int ref_slot(__u64 ns)
{
	__u64 us = ns / US;
	unsigned int i = 0;

	while (us >= 2) {
		us >>= 1;
		i++;
	}
	return i < DT_HIST_SLOTS ? i : DT_HIST_SLOTS - 1;
}

static void test_log2(void)
{
	CHECK_EQ(dt_log2(0), 0);
	CHECK_EQ(dt_log2(1), 0);
	CHECK_EQ(dt_log2(2), 1);
	CHECK_EQ(dt_log2(3), 1);
	CHECK_EQ(dt_log2(4), 2);
	for (unsigned int k = 1; k < 64; k++) {
		__u64 p = 1ULL << k;

		CHECK_EQ(dt_log2(p - 1), k - 1);
		CHECK_EQ(dt_log2(p), k);
		CHECK_EQ(dt_log2(p + 1), k == 1 ? 1 : k);
		/* every lower bit set: each halving step must see them */
		CHECK_EQ(dt_log2(p | (p - 1)), k);
	}
	CHECK_EQ(dt_log2(1ULL << 63), 63);
	CHECK_EQ(dt_log2(UINT64_MAX), 63);
}

static void test_slot_boundaries(void)
{
	/* slot 0 is [0, 2) us: the sub-microsecond ones join [1, 2) */
	CHECK_EQ(dt_hist_slot(0), 0);
	CHECK_EQ(dt_hist_slot(999), 0);
	CHECK_EQ(dt_hist_slot(1000), 0);
	CHECK_EQ(dt_hist_slot(1999), 0);
	CHECK_EQ(dt_hist_slot(2000), 1);
	CHECK_EQ(dt_hist_slot(3999), 1);
	CHECK_EQ(dt_hist_slot(4000), 2);
	CHECK_EQ(dt_hist_slot(7999), 2);
	CHECK_EQ(dt_hist_slot(8000), 3);
	for (unsigned int i = 1; i < DT_HIST_SLOTS; i++) {
		__u64 lo = (1ULL << i) * US;

		CHECK_EQ(dt_hist_slot(lo - 1), i - 1);
		CHECK_EQ(dt_hist_slot(lo), i);
		CHECK_EQ(dt_hist_slot(2 * lo - 1), i);
	}
}

static void test_slot_clamps(void)
{
	__u64 top = (1ULL << (DT_HIST_SLOTS - 1)) * US;

	CHECK_EQ(dt_hist_slot(top - 1), DT_HIST_SLOTS - 2);
	CHECK_EQ(dt_hist_slot(top), DT_HIST_SLOTS - 1);
	/* past the last slot's upper edge: clamped, never out of range */
	CHECK_EQ(dt_hist_slot(2 * top), DT_HIST_SLOTS - 1);
	CHECK_EQ(dt_hist_slot(1ULL << 63), DT_HIST_SLOTS - 1);
	CHECK_EQ(dt_hist_slot(UINT64_MAX), DT_HIST_SLOTS - 1);
}

/* the loop-free slot agrees with the definition across the range */
static void test_slot_matches_definition(void)
{
	__u64 x = 0x9e3779b97f4a7c15ULL;

	for (__u64 ns = 0; ns < 70000; ns += 7)
		CHECK_EQ(dt_hist_slot(ns), ref_slot(ns));
	for (int i = 0; i < 100000; i++) {
		__u64 ns;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		ns = x >> (x & 63);	/* spread over every magnitude */
		CHECK_EQ(dt_hist_slot(ns), ref_slot(ns));
	}
}

static void test_add_count_sum(void)
{
	static const __u64 lat[] = { 0, 999, 1000, 1999, 2000, 3999, 4000,
				     5000000, UINT64_MAX / 4 };
	struct dt_hist h = { 0 };
	__u64 sum = 0;

	CHECK_EQ(dt_hist_count(&h), 0);
	for (size_t i = 0; i < sizeof(lat) / sizeof(lat[0]); i++) {
		dt_hist_add(&h, lat[i]);
		sum += lat[i];
	}
	CHECK_EQ(dt_hist_count(&h), 9);
	CHECK(h.sum_ns == sum);
	CHECK_EQ(h.slots[0], 4);
	CHECK_EQ(h.slots[1], 2);
	CHECK_EQ(h.slots[2], 1);
	CHECK_EQ(h.slots[12], 1);	/* 5000 us in [4096, 8192) */
	CHECK_EQ(h.slots[DT_HIST_SLOTS - 1], 1);
	for (int i = 3; i < DT_HIST_SLOTS - 1; i++)
		if (i != 12)
			CHECK_EQ(h.slots[i], 0);
}

/*
 * A record opened late (no start time) has no latency: it counts as a
 * fault, and stays out of the slots, the sum and the percentiles.
 */
static void test_untimed(void)
{
	struct dt_event timed = { .latency_ns = 20 * US };
	struct dt_event untimed = { .seen = DT_SEEN_UNTIMED | DT_SEEN_WP };
	struct dt_hist h = { 0 }, into = { 0 };

	dt_hist_add_event(&h, &timed);
	dt_hist_add_event(&h, &untimed);
	dt_hist_add_event(&h, &untimed);
	CHECK_EQ(dt_hist_count(&h), 3);
	CHECK_EQ(dt_hist_timed(&h), 1);
	CHECK_EQ(h.untimed, 2);
	CHECK(h.sum_ns == 20 * US);
	CHECK_EQ(h.slots[4], 1);	/* [16, 32) us */
	/* the median of the timed sample alone */
	CHECK(dt_hist_percentile(&h, 0.5) >= 16 * US &&
	      dt_hist_percentile(&h, 0.5) < 32 * US);
	dt_hist_merge(&into, &h);
	dt_hist_merge(&into, &h);
	CHECK_EQ(into.untimed, 4);
	CHECK_EQ(dt_hist_count(&into), 6);

	/* untimed only: counted, no percentile */
	memset(&h, 0, sizeof(h));
	dt_hist_add_event(&h, &untimed);
	CHECK_EQ(dt_hist_count(&h), 1);
	CHECK(dt_hist_percentile(&h, 0.99) == 0);
}

static void test_merge(void)
{
	struct dt_hist a = { 0 }, b = { 0 }, want = { 0 };

	for (int i = 0; i < DT_HIST_SLOTS; i++) {
		a.slots[i] = i;
		b.slots[i] = 1000 * i + 1;
		want.slots[i] = 1001 * i + 1;
	}
	a.sum_ns = 123;
	b.sum_ns = 1ULL << 40;
	dt_hist_merge(&a, &b);
	CHECK(!memcmp(a.slots, want.slots, sizeof(want.slots)));
	CHECK(a.sum_ns == (1ULL << 40) + 123);
	CHECK_EQ(dt_hist_count(&a), dt_hist_count(&want));
	/* the source is untouched */
	CHECK_EQ(b.slots[5], 5001);

	/* merging into an empty histogram copies */
	memset(&want, 0, sizeof(want));
	dt_hist_merge(&want, &b);
	CHECK(!memcmp(&want, &b, sizeof(b)));
}

static void test_percentile_empty(void)
{
	struct dt_hist h = { 0 };

	CHECK_EQ(dt_hist_percentile(&h, 0), 0);
	CHECK_EQ(dt_hist_percentile(&h, 0.5), 0);
	CHECK_EQ(dt_hist_percentile(&h, 0.99), 0);
	CHECK_EQ(dt_hist_percentile(&h, 1), 0);
}

/* one bucket: a straight line from its lower to its upper edge */
static void test_percentile_one_bucket(void)
{
	struct dt_hist h = { 0 };

	h.slots[3] = 10;			/* [8, 16) us */
	CHECK_EQ(dt_hist_percentile(&h, 0), 8 * US);
	CHECK_EQ(dt_hist_percentile(&h, 0.25), 10 * US);
	CHECK_EQ(dt_hist_percentile(&h, 0.5), 12 * US);
	CHECK_EQ(dt_hist_percentile(&h, 1), 16 * US);

	/* slot 0 starts at 0, not at 1 us */
	memset(&h, 0, sizeof(h));
	h.slots[0] = 4;
	CHECK_EQ(dt_hist_percentile(&h, 0), 0);
	CHECK_EQ(dt_hist_percentile(&h, 0.5), 1 * US);
	CHECK_EQ(dt_hist_percentile(&h, 0.75), 1500);
	CHECK_EQ(dt_hist_percentile(&h, 1), 2 * US);

	/* a single sample from real dt_hist_add() */
	memset(&h, 0, sizeof(h));
	dt_hist_add(&h, 20 * US);		/* [16, 32) us */
	CHECK_EQ(dt_hist_percentile(&h, 0.5), 24 * US);
}

/*
 * 16 in [2, 4) us, 48 in [8, 16) us, 64 in [32, 64) us: 128 samples.
 * p50: rank 64 is the last sample of [8, 16): its upper edge, 16 us.
 * p75: rank 96, 32 into the 64 of [32, 64): 32 + 32 * 32/64 = 48 us.
 * p99: rank 126.72, 62.72 into [32, 64): 32 + 32 * 62.72/64 = 63.36 us.
 * p10: rank 12.8 of the 16 in [2, 4): 2 + 2 * 12.8/16 = 3.6 us.
 */
static void test_percentile_crafted(void)
{
	struct dt_hist h = { 0 };

	h.slots[1] = 16;
	h.slots[3] = 48;
	h.slots[5] = 64;
	CHECK_NEAR(dt_hist_percentile(&h, 0.10), 3600);
	CHECK_EQ(dt_hist_percentile(&h, 0.5), 16 * US);
	CHECK_EQ(dt_hist_percentile(&h, 0.75), 48 * US);
	CHECK_NEAR(dt_hist_percentile(&h, 0.99), 63360);
	CHECK_EQ(dt_hist_percentile(&h, 0), 2 * US);
	CHECK_EQ(dt_hist_percentile(&h, 1), 64 * US);
}

/*
 * A long tail: 99 fast samples in [1, 2) us (slot 0) and 1 slow one in
 * [1024, 2048) us.  p50 = 0 + 2 * 50/99, p99 = the top of slot 0 (rank 99
 * is its last sample), p99.5 = halfway through the slow bucket.
 */
static void test_percentile_tail(void)
{
	struct dt_hist h = { 0 };

	for (int i = 0; i < 99; i++)
		dt_hist_add(&h, 1500);
	dt_hist_add(&h, 1500 * US);
	CHECK_NEAR(dt_hist_percentile(&h, 0.5), 1010);	/* 1010.10 ns */
	CHECK_NEAR(dt_hist_percentile(&h, 0.99), 2 * US);
	CHECK_NEAR(dt_hist_percentile(&h, 0.995), 1536 * US);
	CHECK_EQ(dt_hist_percentile(&h, 1), 2048 * US);
}

/* the top slot's upper edge is 2^32 us, however large the samples */
static void test_percentile_clamped(void)
{
	struct dt_hist h = { 0 };

	dt_hist_add(&h, UINT64_MAX);
	CHECK(dt_hist_percentile(&h, 1) == (1ULL << 32) * US);
	CHECK(dt_hist_percentile(&h, 0) == (1ULL << 31) * US);
}

static void test_percentile_monotonic(void)
{
	static const __u64 shapes[][DT_HIST_SLOTS] = {
		{ [0] = 1, [31] = 1 },
		{ [1] = 16, [3] = 48, [5] = 64 },
		{ [0] = 7, [1] = 3, [2] = 1, [9] = 1000, [10] = 1, [20] = 5 },
		{ [4] = 1 },
	};

	for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		struct dt_hist h = { 0 };
		__u64 prev = 0;

		memcpy(h.slots, shapes[s], sizeof(h.slots));
		for (int i = 0; i <= 1000; i++) {
			__u64 v = dt_hist_percentile(&h, i / 1000.0);

			if (v < prev)
				CHECK_EQ(v, prev);
			prev = v;
		}
	}
}

static void test_print_empty(void)
{
	struct dt_hist h = { 0 };
	char *s = render(&h);

	/* the header, and no rows: there is no last non-empty slot */
	CHECK(!strcmp(s, "     usecs               : count    distribution\n"));
	free(s);
}

/* both histograms of README.md, byte for byte (biolatency's layout) */
static void test_print_readme(void)
{
	static const char *const want_read =
		"     usecs               : count    distribution\n"
		"         0 -> 1          : 0        |                                        |\n"
		"         2 -> 3          : 0        |                                        |\n"
		"         4 -> 7          : 9        |                                        |\n"
		"         8 -> 15         : 872      |***********                             |\n"
		"        16 -> 31         : 3020     |****************************************|\n"
		"        32 -> 63         : 121      |*                                       |\n"
		"        64 -> 127        : 41       |                                        |\n"
		"       128 -> 255        : 24       |                                        |\n"
		"       256 -> 511        : 3        |                                        |\n"
		"       512 -> 1023       : 1        |                                        |\n"
		"      1024 -> 2047       : 2        |                                        |\n"
		"      2048 -> 4095       : 1        |                                        |\n"
		"      4096 -> 8191       : 2        |                                        |\n";
	static const char *const want_ro =
		"     usecs               : count    distribution\n"
		"         0 -> 1          : 0        |                                        |\n"
		"         2 -> 3          : 0        |                                        |\n"
		"         4 -> 7          : 0        |                                        |\n"
		"         8 -> 15         : 20       |                                        |\n"
		"        16 -> 31         : 2526     |****************************************|\n"
		"        32 -> 63         : 1417     |**********************                  |\n"
		"        64 -> 127        : 34       |                                        |\n"
		"       128 -> 255        : 75       |*                                       |\n"
		"       256 -> 511        : 21       |                                        |\n"
		"       512 -> 1023       : 1        |                                        |\n"
		"      1024 -> 2047       : 0        |                                        |\n"
		"      2048 -> 4095       : 2        |                                        |\n";
	struct dt_hist read = { .slots = { [2] = 9, 872, 3020, 121, 41, 24, 3,
					   1, 2, 1, 2 } };
	struct dt_hist ro = { .slots = { [3] = 20, 2526, 1417, 34, 75, 21, 1,
					 0, 2 } };
	char *s;

	s = render(&read);
	CHECK(!strcmp(s, want_read));
	free(s);
	s = render(&ro);
	CHECK(!strcmp(s, want_ro));
	free(s);
}

/* rows stop at the last non-empty slot; the largest row has 40 stars */
static void test_print_rows_and_bar(void)
{
	struct dt_hist h = { 0 };
	char *s, *line;
	int row = 0;

	h.slots[0] = 1;
	h.slots[2] = 4;
	h.slots[3] = 3;
	s = render(&h);
	CHECK_EQ(count_lines(s), 1 + 4);
	line = strchr(s, '\n') + 1;
	while (*line) {
		static const int want_stars[] = { 10, 0, 40, 30 };
		static const char *const want_range[] = {
			"0 -> 1 ", "2 -> 3 ", "4 -> 7 ", "8 -> 15 ",
		};
		char *bar = strchr(line, '|'), *end = strchr(line, '\n');
		int stars = 0;

		CHECK(strstr(line, want_range[row]) != NULL);
		CHECK(bar && end && end[-1] == '|' && end - bar == 42);
		for (char *p = bar + 1; p < end - 1; p++)
			stars += *p == '*';
		CHECK_EQ(stars, want_stars[row]);
		line = end + 1;
		row++;
	}
	CHECK_EQ(row, 4);
	free(s);
}

/* the top slot prints its range in full: 2^31 -> 2^32 - 1 */
static void test_print_top_slot(void)
{
	struct dt_hist h = { 0 };
	char *s;

	dt_hist_add(&h, UINT64_MAX);
	s = render(&h);
	CHECK_EQ(count_lines(s), 1 + DT_HIST_SLOTS);
	CHECK(strstr(s, "\n2147483648 -> 4294967295 : 1        "
			"|****************************************|\n"));
	CHECK(strstr(s, "\n1073741824 -> 2147483647 : 0        |"));
	free(s);
}

int main(void)
{
	RUN(test_log2);
	RUN(test_slot_boundaries);
	RUN(test_slot_clamps);
	RUN(test_slot_matches_definition);
	RUN(test_add_count_sum);
	RUN(test_untimed);
	RUN(test_merge);
	RUN(test_percentile_empty);
	RUN(test_percentile_one_bucket);
	RUN(test_percentile_crafted);
	RUN(test_percentile_tail);
	RUN(test_percentile_clamped);
	RUN(test_percentile_monotonic);
	RUN(test_print_empty);
	RUN(test_print_readme);
	RUN(test_print_rows_and_bar);
	RUN(test_print_top_slot);
	return UNIT_EXIT();
}
