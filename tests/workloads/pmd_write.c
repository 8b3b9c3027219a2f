// SPDX-License-Identifier: GPL-2.0
/*
 * Touch one byte in each 2 MiB of a sparse file through a 2 MiB-aligned
 * shared mapping.  Where the filesystem serves PMDs (ext4), expect one
 * write fault of size pmd per 2 MiB; where it falls back (xfs), one write
 * fault of size pte per 2 MiB, each marked as fallen back.
 */
#include "workload.h"

int main(int argc, char **argv)
{
	size_t len;
	char *p;
	int fd;

	if (argc != 3)
		usage_exit("pmd_write FILE MIB");
	len = strtoul(argv[2], NULL, 0) * SZ_1M;
	fd = make_file(argv[1], len, 0);
	p = map_file(fd, len, MAP_SHARED, SZ_2M, 1);
	write_every(p, len, SZ_2M);
	return munmap(p, len) || close(fd);
}
