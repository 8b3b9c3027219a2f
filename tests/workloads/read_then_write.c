// SPDX-License-Identifier: GPL-2.0
/*
 * Read, then write, every page of a file whose blocks are allocated and
 * written: read == pages (read-only storage PTEs), then ro_upgrade == pages
 * (do_wp_page -> pfn_mkwrite -> insert_pfn(mkwrite) on the same PFN).
 * With "sparse", the file is a hole: hole == pages, zero_upgrade == pages.
 * With "existing", FILE is used as it is (it must be MIB long).
 * With "private", a MAP_PRIVATE mapping: read == pages, then cow == pages
 * (do_wp_page -> wp_page_copy; no DAX fault, the file is untouched).
 */
#include "workload.h"

int main(int argc, char **argv)
{
	int flags = MAP_SHARED;
	size_t len;
	char *p;
	int fd;

	if (argc == 5 && !strcmp(argv[4], "private"))
		flags = MAP_PRIVATE;
	else if (argc != 4)
		argc = 0;
	if (argc < 4 || (strcmp(argv[3], "allocated") &&
			 strcmp(argv[3], "sparse") && strcmp(argv[3], "existing")))
		usage_exit("read_then_write FILE MIB allocated|sparse|existing [private]");
	len = strtoul(argv[2], NULL, 0) * SZ_1M;
	if (!strcmp(argv[3], "existing"))
		fd = open(argv[1], O_RDWR);
	else
		fd = make_file(argv[1], len, !strcmp(argv[3], "allocated"));
	if (fd < 0)
		die(argv[1]);
	p = map_file(fd, len, 0, flags, PAGE_SZ, 0);
	read_every(p, len, PAGE_SZ);
	write_every(p, len, PAGE_SZ);
	return munmap(p, len) || close(fd);
}
