// SPDX-License-Identifier: GPL-2.0
/*
 * The xfstests generic/437 race on a MAP_PRIVATE mapping of an allocated
 * file: one thread reads every page while another writes (COW) and drops
 * the range with MADV_DONTNEED.  A read fault then finds the anonymous COW
 * page where it meant to map storage: pfn_mismatch private_cow, benign.
 * Counts vary run to run: expect cow > 0, private_cow > 0, unexpected == 0.
 */
#include <pthread.h>
#include "workload.h"

static char *map;
static size_t len;
static unsigned long rounds;
static volatile int done;

static void *reader(void *arg)
{
	(void)arg;
	while (!done)
		read_every(map, len, PAGE_SZ);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	int fd;

	if (argc != 3)
		usage_exit("cow_race FILE ROUNDS");
	rounds = strtoul(argv[2], NULL, 0);
	len = SZ_2M;
	fd = make_file(argv[1], len, 1);
	map = map_file(fd, len, 0, MAP_PRIVATE, PAGE_SZ, 0);
	if (pthread_create(&t, NULL, reader, NULL))
		die("pthread_create");
	for (unsigned long r = 0; r < rounds; r++) {
		write_every(map, len, PAGE_SZ);
		if (madvise(map, len, MADV_DONTNEED))
			die("madvise");
	}
	done = 1;
	pthread_join(t, NULL);
	return munmap(map, len) || close(fd);
}
