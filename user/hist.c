// SPDX-License-Identifier: GPL-2.0
#include "hist.h"

#define BAR_WIDTH 40

void dt_hist_add(struct dt_hist *h, __u64 lat_ns)
{
	h->slots[dt_hist_slot(lat_ns)]++;
	h->sum_ns += lat_ns;
}

void dt_hist_add_event(struct dt_hist *h, const struct dt_event *ev)
{
	if (ev->seen & DT_SEEN_UNTIMED)
		h->untimed++;
	else
		dt_hist_add(h, ev->latency_ns);
}

void dt_hist_merge(struct dt_hist *into, const struct dt_hist *from)
{
	for (int i = 0; i < DT_HIST_SLOTS; i++)
		into->slots[i] += from->slots[i];
	into->sum_ns += from->sum_ns;
	into->untimed += from->untimed;
}

__u64 dt_hist_timed(const struct dt_hist *h)
{
	__u64 n = 0;

	for (int i = 0; i < DT_HIST_SLOTS; i++)
		n += h->slots[i];
	return n;
}

__u64 dt_hist_count(const struct dt_hist *h)
{
	return dt_hist_timed(h) + h->untimed;
}

/*
 * Slot i holds (2^(i-1), 2^i] ns, slot 0 [0, 1] ns.  The last slot has no
 * upper bound: percentiles take it as one more doubling.
 */
static void slot_range_ns(int i, double *lo, double *hi)
{
	*lo = i ? (double)(1ULL << (i - 1)) : 0;
	*hi = (double)(1ULL << i);
}

__u64 dt_hist_percentile(const struct dt_hist *h, double p)
{
	__u64 total = dt_hist_timed(h), seen = 0;
	double rank, lo, hi;

	if (!total)
		return 0;
	rank = p * total;
	for (int i = 0; i < DT_HIST_SLOTS; i++) {
		if (!h->slots[i] || seen + h->slots[i] < rank) {
			seen += h->slots[i];
			continue;
		}
		slot_range_ns(i, &lo, &hi);
		return lo + (hi - lo) * (rank - seen) / h->slots[i];
	}
	slot_range_ns(DT_HIST_SLOTS - 1, &lo, &hi);
	return hi;
}

static void print_bar(FILE *out, __u64 n, __u64 max)
{
	int stars = max ? (int)(n * BAR_WIDTH / max) : 0;

	fputc('|', out);
	for (int i = 0; i < BAR_WIDTH; i++)
		fputc(i < stars ? '*' : ' ', out);
	fputs("|\n", out);
}

void dt_hist_print(FILE *out, const struct dt_hist *h)
{
	int first = -1, last = -1;
	__u64 max = 0;

	/*
	 * Every row from the first non-empty one to the last: the rows under
	 * a microsecond are empty for any fault, and biolatency's rows from
	 * 0 would be ten lines of zeroes here.
	 */
	for (int i = 0; i < DT_HIST_SLOTS; i++) {
		if (!h->slots[i])
			continue;
		if (first < 0)
			first = i;
		last = i;
		if (h->slots[i] > max)
			max = h->slots[i];
	}
	fprintf(out, "%*s%-*s : count    distribution\n", 5, "", 19, "nsecs");
	for (int i = first < 0 ? 0 : first; i <= last; i++) {
		/* inclusive bounds: (2^(i-1), 2^i] */
		__u64 lo = i ? (1ULL << (i - 1)) + 1 : 0;

		if (i == DT_HIST_SLOTS - 1)
			fprintf(out, "%10llu -> %-10s : %-8llu ", lo, "inf", h->slots[i]);
		else
			fprintf(out, "%10llu -> %-10llu : %-8llu ", lo,
				dt_hist_slot_le_ns(i), h->slots[i]);
		print_bar(out, h->slots[i], max);
	}
}
