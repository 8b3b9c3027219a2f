// SPDX-License-Identifier: GPL-2.0
/*
 * Write every page of a new sparse file through a MAP_SYNC mapping.  The
 * fault returns VM_FAULT_NEEDDSYNC, the filesystem syncs its metadata, and
 * dax_insert_pfn_mkwrite() inserts the PTE writable: write == pages.
 */
#include "workload.h"

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif

int main(int argc, char **argv)
{
	size_t len;
	char *p;
	int fd;

	if (argc != 3)
		usage_exit("map_sync_write FILE MIB");
	len = strtoul(argv[2], NULL, 0) * SZ_1M;
	fd = make_file(argv[1], len, 0);
	p = map_file(fd, len, MAP_SHARED_VALIDATE | MAP_SYNC, PAGE_SZ, 0);
	write_every(p, len, PAGE_SZ);
	return munmap(p, len) || close(fd);
}
