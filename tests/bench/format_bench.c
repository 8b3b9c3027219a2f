// SPDX-License-Identifier: GPL-2.0
/*
 * How fast dt_format_json() turns records into NDJSON: formats N records
 * (2,000,000 by default) into /dev/null, best of three passes.  Beside it,
 * as a yardstick that does not move with the formatter, the same lines
 * written preformatted: the cost of stdio and write() alone.
 *
 *	format_bench [N]   ->   "fwrite: R records/s" and "format: R records/s"
 */
#include <stdlib.h>
#include <string.h>
#include "format.h"
#include "bench_clock.h"

#define PASSES	3
#define NR_EVENTS	1024	/* a power of two: cycled through with a mask */

struct sample {
	struct dt_event ev;
	struct dt_verdict v;
	char *line;	/* its NDJSON, for the yardstick */
	size_t len;
};

static const struct dt_classify_ctx cx = {
	.zero = { .pte = 0x2f00 }, .exact = true,
};

/* a mix like a busy workload's: mostly reads and writes on one file */
static struct dt_event event(unsigned long i)
{
	struct dt_event e = {
		.ts_ns = 1000000000000ULL + i * 99991, .latency_ns = 1500 + i % 4096,
		.ino = 12 + i % 7, .pgoff = i * 3, .address = 0x7f0000000000ULL + (i << 12),
		.vm_flags = 0xfb, .before = i % 5 ? 0 : (0x12345ULL + i) << 12 | 0x225,
		.after = (0x12345ULL + i) << 12 | (i & 1 ? 0x267 : 0x225),
		.req_pfn = 0x12345 + i, .pid = 4242, .tid = 4242 + i % 8,
		.dev = 259 << 20 | 1, .fault_flags = i & 1, .result = 0x100,
		.seen = 0x101f | (i % 5 ? 0 : 0x4000), .inserts = 1,
		.comm = "workload",
	};
	return e;
}

static int prepare(struct sample *s)
{
	for (unsigned long i = 0; i < NR_EVENTS; i++) {
		FILE *f = open_memstream(&s[i].line, &s[i].len);

		if (!f)
			return -1;
		s[i].ev = event(i);
		dt_classify(&s[i].ev, &cx, &s[i].v);
		dt_format_json(f, &s[i].ev, &s[i].v, &cx);
		if (fclose(f))
			return -1;
	}
	return 0;
}

/* seconds for the best of PASSES runs of @n records */
static double best_of(FILE *out, const struct sample *s, unsigned long n,
		      bool preformatted)
{
	double best = 1e30;

	for (int pass = 0; pass < PASSES; pass++) {
		double t0 = bench_now();

		for (unsigned long i = 0; i < n; i++) {
			const struct sample *p = &s[i & (NR_EVENTS - 1)];

			if (preformatted)
				fwrite(p->line, 1, p->len, out);
			else
				dt_format_json(out, &p->ev, &p->v, &cx);
		}
		fflush(out);
		t0 = bench_now() - t0;
		if (t0 < best)
			best = t0;
	}
	return best;
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 2000000;
	static struct sample s[NR_EVENTS];
	FILE *out = fopen("/dev/null", "w");
	double t;

	if (!out || prepare(s)) {
		perror("format_bench");
		return 1;
	}
	t = best_of(out, s, n, true);
	printf("fwrite: %.0f records/s (the same lines preformatted, %.0f ns/record)\n",
	       n / t, t * 1e9 / n);
	t = best_of(out, s, n, false);
	printf("format: %.0f records/s (NDJSON, one core, %.0f ns/record)\n",
	       n / t, t * 1e9 / n);
	for (int i = 0; i < NR_EVENTS; i++)
		free(s[i].line);
	fclose(out);
	return 0;
}
