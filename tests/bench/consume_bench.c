// SPDX-License-Identifier: GPL-2.0
/*
 * The stream reader's per-record work on the host, as live mode does it:
 * dt_consume() on records shaped like rtw_allocated's (a read fault, then
 * its read-only upgrade), NDJSON into /dev/null through stdio's default
 * buffer as live.c leaves it.  Meant to be run under callgrind, which counts the
 * instructions per record that the VM bench's icount clock charges:
 *
 *	valgrind --tool=callgrind --toggle-collect=consume_all consume_bench N [summary]
 *
 * "summary" turns the per-file breakdown on, as `daxtrace --json` without
 * -s none does.  Prints the wall time per record too, for a rough look.
 */
#include <stdlib.h>
#include <string.h>
#include "consume.h"
#include "bench_clock.h"

#define NR_EVENTS	1024	/* a power of two: cycled through with a mask */

/* the file is named once, when first seen: no need to resolve it here */
static const char *namer(void *ctx, __u32 dev, __u64 ino, __u32 pid)
{
	(void)ctx, (void)dev, (void)ino, (void)pid;
	return "/mnt/ext4/bench";
}

#define PRESENT	(1ULL << 0)
#define RW	(1ULL << 1)
#define ACC	(1ULL << 5)
#define DIRTY	(1ULL << 6)
#define SPEC	(1ULL << 9)
#define DEVMAP	(1ULL << 58)

static struct dt_event event(unsigned long i)
{
	unsigned long page = i / 2;
	__u64 pfn = 0x440000 + page;
	__u64 ro = pfn << 12 | PRESENT | ACC | SPEC | DEVMAP;
	struct dt_event e = {
		.ts_ns = 81000000000ULL + i * 4711, .latency_ns = 2100 + i % 977,
		.ino = 12, .pgoff = page, .address = 0x7f3a12000000ULL + (page << 12),
		.vm_flags = DT_VM_SHARED | 0x3, .req_pfn = pfn,
		.pid = 4242, .tid = 4242, .dev = 259 << 20, .result = DT_VM_FAULT_NOPAGE,
		.inserts = 1, .comm = "read_then_write",
	};

	if (!(i & 1)) {		/* the read fault */
		e.seen = DT_SEEN_DAX_FAULT | DT_SEEN_DONE | DT_SEEN_INSERT |
			 DT_SEEN_BEFORE | DT_SEEN_AFTER | DT_SEEN_ORIG;
		e.after = ro;
	} else {		/* its upgrade: do_wp_page, insert_pfn(mkwrite) */
		e.fault_flags = DT_FAULT_FLAG_WRITE;
		e.seen = DT_SEEN_DAX_FAULT | DT_SEEN_DONE | DT_SEEN_INSERT |
			 DT_SEEN_BEFORE | DT_SEEN_AFTER | DT_SEEN_ORIG |
			 DT_SEEN_MKWRITE_ARG | DT_SEEN_WP;
		e.orig = e.before = ro;
		e.after = ro | RW | DIRTY;
	}
	return e;
}

/* noipa: callgrind's --toggle-collect needs it by this very name */
__attribute__((noipa)) static void consume_all(struct dt_consumer *c,
					       const struct dt_event *ev,
					       unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		dt_consume(c, &ev[i & (NR_EVENTS - 1)]);
	dt_consumer_flush(c);
	fflush(c->out);
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 1000000;
	bool summary = argc > 2 && !strcmp(argv[2], "summary");
	static struct dt_event ev[NR_EVENTS];
	struct dt_consumer c = {
		.stream = DT_STREAM_JSON, .breakdown = summary, .namer = namer,
		.cx = { .zero = { .pte = 0x2f00 }, .exact = true },
	};
	double t;

	c.out = fopen("/dev/null", "w");
	if (!c.out || dt_consumer_init(&c)) {
		perror("consume_bench");
		return 1;
	}
	for (unsigned long i = 0; i < NR_EVENTS; i++)
		ev[i] = event(i);
	t = bench_now();
	consume_all(&c, ev, n);
	t = bench_now() - t;
	printf("consume: %lu records, %.0f ns/record (%s)\n", n, t * 1e9 / n,
	       summary ? "--json" : "-j -s none");
	dt_consumer_free(&c);
	fclose(c.out);
	return 0;
}
