// SPDX-License-Identifier: GPL-2.0
/*
 * How fast `daxtrace report` can replay a recording: writes N events
 * (5,000,000 by default) to a temporary file, maps it and times
 * dt_record_open() + dt_record_next() over it, best of three passes.
 * The target is 5 million events/s on one core.
 *
 *	replay_bench [N]   ->   "record: R events/s" and "replay: R events/s"
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "record.h"
#include "bench_clock.h"

#define PASSES	3

static struct dt_event event(unsigned long i)
{
	struct dt_event e = {
		.ts_ns = 1000000000ULL + i * 997, .latency_ns = 1500 + i % 4096,
		.ino = 12 + i % 7, .pgoff = i, .address = 0x7f0000000000ULL + (i << 12),
		.vm_flags = 0xfb, .after = (0x12345ULL + i) << 12 | 0x263,
		.req_pfn = 0x12345 + i, .pid = 42, .tid = 42 + i % 8,
		.dev = 259 << 20, .fault_flags = i & 1, .result = 0x100,
		.seen = 0x101f, .inserts = 1, .size = 0, .comm = "workload",
	};
	return e;
}

static FILE *temp_file(char *path, size_t size)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(path, size, "%s/replay_bench.XXXXXX", dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	unlink(path);	/* gone when we exit, however we exit */
	return fdopen(fd, "w+");
}

static int write_events(FILE *f, unsigned long n)
{
	struct dt_record_header h = { .kernel = "bench", .exact = true };
	struct dt_record_trailer t = { .events = n };

	if (dt_record_write_header(f, &h))
		return -1;
	for (unsigned long i = 0; i < n; i++) {
		struct dt_event e = event(i);

		if (dt_record_write_event(f, &e))
			return -1;
	}
	if (dt_record_write_trailer(f, &t))
		return -1;
	return fflush(f);
}

/* one replay; the checksum of a field keeps the decode from being elided */
static int replay(const void *buf, size_t len, unsigned long n, __u64 *sum)
{
	struct dt_record_reader r;
	struct dt_record_header h;
	struct dt_event e;
	char err[256];
	int rc;

	*sum = 0;
	if (dt_record_open(&r, buf, len, &h, err, sizeof(err))) {
		fprintf(stderr, "replay: %s\n", err);
		return -1;
	}
	while ((rc = dt_record_next(&r, &e, err, sizeof(err))) == 1)
		*sum += e.pgoff + e.comm[0];
	if (rc || r.events_read != n) {
		fprintf(stderr, "replay: %s\n", rc ? err : "wrong event count");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 5000000;
	char path[4096];
	FILE *f = temp_file(path, sizeof(path));
	double t0, best = 1e30;
	__u64 sum;
	size_t len;
	void *buf;

	if (!f) {
		perror(path);
		return 1;
	}
	t0 = bench_now();
	if (write_events(f, n)) {
		perror("write");
		return 1;
	}
	printf("record: %.0f events/s\n", n / (bench_now() - t0));
	len = ftell(f);
	buf = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fileno(f), 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (int pass = 0; pass < PASSES; pass++) {
		t0 = bench_now();
		if (replay(buf, len, n, &sum))
			return 1;
		t0 = bench_now() - t0;
		if (t0 < best)
			best = t0;
	}
	printf("replay: %.0f events/s (%lu events, %.0f MB/s, sum %llx)\n",
	       n / best, n, len / best / 1e6, (unsigned long long)sum);
	munmap(buf, len);
	/* for the whole pipeline (daxtrace report): the same events in a file */
	if (argc > 2) {
		FILE *keep = fopen(argv[2], "w");

		if (!keep || write_events(keep, n) || fclose(keep)) {
			perror(argv[2]);
			return 1;
		}
	}
	fclose(f);
	return 0;
}
