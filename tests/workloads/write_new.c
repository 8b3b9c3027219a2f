// SPDX-License-Identifier: GPL-2.0
/*
 * Write every 4 KiB page of a new sparse file through a shared mapping.
 * Each fault allocates and inserts a writable, dirty PTE in one step:
 * expect write == pages and nothing else.
 */
#include "workload.h"

int main(int argc, char **argv)
{
	size_t len;
	char *p;
	int fd;

	if (argc != 3)
		usage_exit("write_new FILE MIB");
	len = strtoul(argv[2], NULL, 0) * SZ_1M;
	fd = make_file(argv[1], len, 0);
	p = map_file(fd, len, MAP_SHARED, PAGE_SZ, 0);
	write_every(p, len, PAGE_SZ);
	return munmap(p, len) || close(fd);
}
