// SPDX-License-Identifier: GPL-2.0
/*
 * Fault in anonymous memory, again and again: map MIB of private anonymous
 * memory, touch every 4 KiB page, unmap, ROUNDS times.  Nothing here is
 * DAX: daxtrace must count no fault, and its cost on this loop is the cost
 * it puts on every other process of the machine.
 *
 * "write" stores to each page (do_anonymous_page only).  "cow" reads each
 * page first, mapping the shared zero page, then writes it: the write is a
 * write-protect fault through do_wp_page(), which daxtrace kprobes for
 * every process, DAX or not.
 *
 * With BENCH_TIMING=1 in the environment, prints "bench: fault_ns=N" on
 * stderr: the wall time of the fault loop alone (bench/ reads it).
 */
#include "workload.h"
#include <time.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void one_round(size_t len, int cow)
{
	char *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	/* THP would turn 512 faults into one: keep them 4 KiB like DAX's */
	if (madvise(p, len, MADV_NOHUGEPAGE))
		die("madvise");
	if (cow)
		read_every(p, len, PAGE_SZ);
	write_every(p, len, PAGE_SZ);
	if (munmap(p, len))
		die("munmap");
}

int main(int argc, char **argv)
{
	unsigned long rounds;
	unsigned long long t0;
	const char *timing;
	size_t len;
	int cow = 0;

	if (argc < 3 || argc > 4 ||
	    (argc == 4 && strcmp(argv[3], "write") && strcmp(argv[3], "cow")))
		usage_exit("anon_faults MIB ROUNDS [write|cow]");
	len = strtoul(argv[1], NULL, 0) * SZ_1M;
	rounds = strtoul(argv[2], NULL, 0);
	if (!len || !rounds)
		usage_exit("anon_faults MIB ROUNDS [write|cow]");
	if (argc == 4)
		cow = !strcmp(argv[3], "cow");
	t0 = now_ns();
	for (unsigned long i = 0; i < rounds; i++)
		one_round(len, cow);
	timing = getenv("BENCH_TIMING");
	if (timing && !strcmp(timing, "1"))
		fprintf(stderr, "bench: fault_ns=%llu\n", now_ns() - t0);
	return 0;
}
