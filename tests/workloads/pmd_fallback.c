// SPDX-License-Identifier: GPL-2.0
/*
 * One PMD fault per 2 MiB that dax_iomap_pmd_fault() must refuse, for a
 * reason of its own (fs/dax.c, the same in 6.1, 6.12 and 7.2):
 *
 *   offset   a 4 MiB mapping at file offset 4 KiB, 2 MiB-aligned address:
 *            2 attempts whose address and pgoff disagree within 2 MiB
 *   private  a 4 MiB MAP_PRIVATE mapping written: 2 attempts (a write on
 *            a private mapping would COW)
 *   vma      a 1 MiB mapping of a 4 MiB file: 1 attempt whose 2 MiB
 *            range ends past the VMA
 *   short    a 2 MiB mapping of a 1 MiB file: 1 attempt whose 2 MiB
 *            range ends past end of file
 *   ptes     a 4 MiB file written through a 4 KiB-only mapping (one page
 *            in each 2 MiB), then through a 2 MiB-aligned shared one:
 *            2 attempts that find 4 KiB entries in the range
 *
 * Every file is sparse; each attempt is followed by the PTE fault the
 * kernel falls back to.
 */
#include "workload.h"

int main(int argc, char **argv)
{
	const char *mode = argc == 3 ? argv[2] : "";
	size_t file = 4 * SZ_1M, len = 4 * SZ_1M;
	int flags = MAP_SHARED, fd;
	off_t off = 0;
	char *p;

	if (!strcmp(mode, "offset")) {
		file = 6 * SZ_1M;
		off = PAGE_SZ;
	} else if (!strcmp(mode, "private")) {
		flags = MAP_PRIVATE;
	} else if (!strcmp(mode, "vma")) {
		len = SZ_1M;
	} else if (!strcmp(mode, "short")) {
		file = SZ_1M;
		len = SZ_2M;
	} else if (strcmp(mode, "ptes")) {
		usage_exit("pmd_fallback FILE offset|private|vma|short|ptes");
	}
	fd = make_file(argv[1], file, 0);
	if (!strcmp(mode, "ptes"))
		write_every(map_file(fd, len, 0, MAP_SHARED, SZ_2M, 0), len, SZ_2M);
	p = map_file(fd, len, off, flags, SZ_2M, 1);
	/* short: only the first MiB is inside the file */
	write_every(p, !strcmp(mode, "short") ? SZ_1M : len, SZ_2M);
	return munmap(p, len) || close(fd);
}
