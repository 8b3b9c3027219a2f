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

/*
 * @len bytes of @fd from file offset @off, at a 2 MiB-aligned address.
 * The whole 2 MiB ranges the mapping touches stay inside the PROT_NONE
 * reservation, which faults nothing: no other mapping can have a page
 * table there, whose PMD would not be none and let no PMD fault happen
 * (a 1 MiB mapping at the top of a 3 MiB reservation shared its 2 MiB
 * with the next mapping up, where ASLR put one, on 6.1).
 */
static char *map_at(int fd, size_t len, off_t off, int flags, int huge)
{
	size_t span = (len + SZ_2M - 1) & ~(SZ_2M - 1);
	char *resv, *p;

	resv = mmap(NULL, span + SZ_2M, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (resv == MAP_FAILED)
		die("mmap reserve");
	p = (char *)(((uintptr_t)resv + SZ_2M - 1) & ~(uintptr_t)(SZ_2M - 1));
	p = mmap(p, len, PROT_READ | PROT_WRITE, flags | MAP_FIXED, fd, off);
	if (p == MAP_FAILED)
		die("mmap");
	if (madvise(p, len, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		die("madvise");
	return p;
}

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
		write_every(map_at(fd, len, 0, MAP_SHARED, 0), len, SZ_2M);
	p = map_at(fd, len, off, flags, 1);
	/* short: only the first MiB is inside the file */
	write_every(p, !strcmp(mode, "short") ? SZ_1M : len, SZ_2M);
	return munmap(p, len) || close(fd);
}
