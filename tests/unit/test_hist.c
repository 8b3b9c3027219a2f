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

/* the slot of @ns by the definition: the first k with ns <= 2^k, slowly */
static unsigned int ref_slot(__u64 ns)
{
	unsigned int k = 0;

	while (k < DT_HIST_SLOTS - 1 && ns > (1ULL << k))
		k++;
	return k;
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
	/* slot k is (2^(k-1), 2^k] ns: its bound is in it, one ns more is not */
	CHECK_EQ(dt_hist_slot(0), 0);
	CHECK_EQ(dt_hist_slot(1), 0);
	CHECK_EQ(dt_hist_slot(2), 1);
	CHECK_EQ(dt_hist_slot(3), 2);
	CHECK_EQ(dt_hist_slot(4), 2);
	CHECK_EQ(dt_hist_slot(5), 3);
	CHECK_EQ(dt_hist_slot(8), 3);
	CHECK_EQ(dt_hist_slot(9), 4);
	CHECK_EQ(dt_hist_slot(1000), 10);
	CHECK_EQ(dt_hist_slot(1024), 10);
	CHECK_EQ(dt_hist_slot(1025), 11);
	for (unsigned int k = 1; k < DT_HIST_SLOTS - 1; k++) {
		__u64 le = dt_hist_slot_le_ns(k);

		CHECK(le == 1ULL << k);
		CHECK_EQ(dt_hist_slot(le / 2), k - 1);
		CHECK_EQ(dt_hist_slot(le / 2 + 1), k);
		CHECK_EQ(dt_hist_slot(le), k);
		CHECK_EQ(dt_hist_slot(le + 1), k + 1);
	}
	CHECK(dt_hist_slot_le_ns(0) == 1);
}

static void test_slot_clamps(void)
{
	__u64 top = dt_hist_slot_le_ns(DT_HIST_SLOTS - 2);	/* 2^30 ns */

	CHECK(top == 1ULL << 30);
	CHECK_EQ(dt_hist_slot(top), DT_HIST_SLOTS - 2);
	CHECK_EQ(dt_hist_slot(top + 1), DT_HIST_SLOTS - 1);
	/* past the last slot's lower edge: clamped, never out of range */
	CHECK_EQ(dt_hist_slot(2 * top + 1), DT_HIST_SLOTS - 1);
	CHECK_EQ(dt_hist_slot(1ULL << 63), DT_HIST_SLOTS - 1);
	CHECK_EQ(dt_hist_slot((1ULL << 63) + 1), DT_HIST_SLOTS - 1);
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
	CHECK_EQ(h.slots[0], 1);
	CHECK_EQ(h.slots[10], 2);	/* 999, 1000 in (512, 1024] */
	CHECK_EQ(h.slots[11], 2);	/* 1999, 2000 in (1024, 2048] */
	CHECK_EQ(h.slots[12], 2);	/* 3999, 4000 in (2048, 4096] */
	CHECK_EQ(h.slots[23], 1);	/* 5 ms in (2^22, 2^23] ns */
	CHECK_EQ(h.slots[DT_HIST_SLOTS - 1], 1);
	for (int i = 1; i < DT_HIST_SLOTS - 1; i++)
		if (i < 10 || (i > 12 && i != 23))
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
	CHECK_EQ(h.slots[15], 1);	/* (16384, 32768] ns */
	/* the median of the timed sample alone */
	CHECK(dt_hist_percentile(&h, 0.5) > 16384 &&
	      dt_hist_percentile(&h, 0.5) <= 32768);
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

	h.slots[13] = 10;			/* (4096, 8192] ns */
	CHECK_EQ(dt_hist_percentile(&h, 0), 4096);
	CHECK_EQ(dt_hist_percentile(&h, 0.25), 5120);
	CHECK_EQ(dt_hist_percentile(&h, 0.5), 6144);
	CHECK_EQ(dt_hist_percentile(&h, 1), 8192);

	/* slot 0 starts at 0 */
	memset(&h, 0, sizeof(h));
	h.slots[0] = 4;
	CHECK_EQ(dt_hist_percentile(&h, 0), 0);
	CHECK_EQ(dt_hist_percentile(&h, 1), 1);

	/* a single sample from real dt_hist_add() */
	memset(&h, 0, sizeof(h));
	dt_hist_add(&h, 20 * US);		/* (16384, 32768] ns */
	CHECK_EQ(dt_hist_percentile(&h, 0.5), 24576);
}

/*
 * 16 in (1024, 2048] ns, 48 in (4096, 8192], 64 in (16384, 32768]: 128.
 * p50: rank 64 is the last sample of (4096, 8192]: its upper edge.
 * p75: rank 96, 32 into the last 64: 16384 + 16384 * 32/64 = 24576.
 * p99: rank 126.72, 62.72 into them: 16384 + 16384 * 62.72/64 = 32440.32.
 * p10: rank 12.8 of the first 16: 1024 + 1024 * 12.8/16 = 1843.2.
 */
static void test_percentile_crafted(void)
{
	struct dt_hist h = { 0 };

	h.slots[11] = 16;
	h.slots[13] = 48;
	h.slots[15] = 64;
	CHECK_NEAR(dt_hist_percentile(&h, 0.10), 1843);
	CHECK_EQ(dt_hist_percentile(&h, 0.5), 8192);
	CHECK_EQ(dt_hist_percentile(&h, 0.75), 24576);
	CHECK_NEAR(dt_hist_percentile(&h, 0.99), 32440);
	CHECK_EQ(dt_hist_percentile(&h, 0), 1024);
	CHECK_EQ(dt_hist_percentile(&h, 1), 32768);
}

/*
 * A long tail: 99 fast samples of 1.5 us in (1024, 2048] ns and 1 slow
 * one of 1.5 ms in (2^20, 2^21] ns.  p50 = 1024 + 1024 * 50/99, p99 = the
 * top of the fast slot (rank 99 is its last sample), p99.5 = halfway
 * through the slow one.
 */
static void test_percentile_tail(void)
{
	struct dt_hist h = { 0 };

	for (int i = 0; i < 99; i++)
		dt_hist_add(&h, 1500);
	dt_hist_add(&h, 1500 * US);
	CHECK_NEAR(dt_hist_percentile(&h, 0.5), 1541);	/* 1541.17 ns */
	CHECK_NEAR(dt_hist_percentile(&h, 0.99), 2048);
	CHECK_NEAR(dt_hist_percentile(&h, 0.995), 1572864);
	CHECK_EQ(dt_hist_percentile(&h, 1), 2097152);
}

/* the open top slot spans (2^30, 2^31] ns, however large the samples */
static void test_percentile_clamped(void)
{
	struct dt_hist h = { 0 };

	dt_hist_add(&h, UINT64_MAX);
	CHECK(dt_hist_percentile(&h, 1) == 1ULL << 31);
	CHECK(dt_hist_percentile(&h, 0) == 1ULL << 30);
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

	/* the header, and no rows: there is no non-empty slot */
	CHECK(!strcmp(s, "     nsecs               : count    distribution\n"));
	free(s);
}

/* both histograms of README.md, byte for byte (biolatency's layout, in ns) */
static void test_print_readme(void)
{
	static const char *const want_read =
		"     nsecs               : count    distribution\n"
		"      4097 -> 8192       : 4012     |****************************************|\n"
		"      8193 -> 16384      : 55       |                                        |\n"
		"     16385 -> 32768      : 11       |                                        |\n"
		"     32769 -> 65536      : 7        |                                        |\n"
		"     65537 -> 131072     : 2        |                                        |\n"
		"    131073 -> 262144     : 6        |                                        |\n"
		"    262145 -> 524288     : 1        |                                        |\n"
		"    524289 -> 1048576    : 1        |                                        |\n"
		"   1048577 -> 2097152    : 0        |                                        |\n"
		"   2097153 -> 4194304    : 0        |                                        |\n"
		"   4194305 -> 8388608    : 1        |                                        |\n";
	static const char *const want_ro =
		"     nsecs               : count    distribution\n"
		"      4097 -> 8192       : 4022     |****************************************|\n"
		"      8193 -> 16384      : 41       |                                        |\n"
		"     16385 -> 32768      : 8        |                                        |\n"
		"     32769 -> 65536      : 7        |                                        |\n"
		"     65537 -> 131072     : 12       |                                        |\n"
		"    131073 -> 262144     : 5        |                                        |\n"
		"    262145 -> 524288     : 1        |                                        |\n";
	/* the first row, 4097 -> 8192 ns, is slot 13 */
	struct dt_hist read = { .slots = { [13] = 4012, 55, 11, 7, 2, 6, 1,
					   1, 0, 0, 1 } };
	struct dt_hist ro = { .slots = { [13] = 4022, 41, 8, 7, 12, 5, 1 } };
	char *s;

	s = render(&read);
	CHECK(!strcmp(s, want_read));
	free(s);
	s = render(&ro);
	CHECK(!strcmp(s, want_ro));
	free(s);
}

/* rows span the non-empty slots; the largest row has 40 stars */
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
			"0 -> 1 ", "2 -> 2 ", "3 -> 4 ", "5 -> 8 ",
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

/* rows start at the first non-empty slot; the open top slot ends at inf */
static void test_print_top_slot(void)
{
	struct dt_hist h = { 0 };
	char *s;

	dt_hist_add(&h, UINT64_MAX);
	s = render(&h);
	CHECK_EQ(count_lines(s), 2);
	CHECK(strstr(s, "\n1073741825 -> inf        : 1        "
			"|****************************************|\n"));
	dt_hist_add(&h, 1ULL << 30);
	dt_hist_add(&h, 1ULL << 30);
	free(s);
	s = render(&h);
	CHECK_EQ(count_lines(s), 3);
	CHECK(strstr(s, "\n 536870913 -> 1073741824 : 2        "
			"|****************************************|\n"));
	CHECK(strstr(s, "\n1073741825 -> inf        : 1        "
			"|********************                    |\n"));
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
