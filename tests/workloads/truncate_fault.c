// SPDX-License-Identifier: GPL-2.0
/*
 * Map a file, truncate it to zero, then touch N pages: each fault lies
 * beyond EOF and ends in SIGBUS, so expect error == N, half reads and half
 * writes.  The workload counts its own SIGBUSes and fails if they differ.
 */
#include <setjmp.h>
#include <signal.h>
#include "workload.h"

static sigjmp_buf env;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(env, 1);
}

int main(int argc, char **argv)
{
	volatile unsigned long sigbus = 0;
	unsigned long pages;
	size_t len;
	char *p;
	int fd;

	if (argc != 3)
		usage_exit("truncate_fault FILE PAGES");
	pages = strtoul(argv[2], NULL, 0);
	len = pages * PAGE_SZ;
	fd = make_file(argv[1], len, 1);
	p = map_file(fd, len, 0, MAP_SHARED, PAGE_SZ, 0);
	if (ftruncate(fd, 0))
		die("ftruncate");
	signal(SIGBUS, on_sigbus);
	for (unsigned long i = 0; i < pages; i++) {
		if (sigsetjmp(env, 1)) {
			sigbus++;
			continue;
		}
		if (i & 1)
			((volatile char *)p)[i * PAGE_SZ] = 1;
		else
			(void)((volatile char *)p)[i * PAGE_SZ];
	}
	if (sigbus != pages) {
		fprintf(stderr, "truncate_fault: %lu SIGBUS for %lu pages\n",
			(unsigned long)sigbus, pages);
		return 1;
	}
	return munmap(p, len) || close(fd);
}
