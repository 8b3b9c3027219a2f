// SPDX-License-Identifier: GPL-2.0
/*
 * pmem_client FILE MIB: what a PMDK client does, with Debian's libpmem:
 * pmem_map_file() creates FILE (MIB MiB, allocated with posix_fallocate)
 * and maps it where it chooses (2 MiB aligned, MAP_SYNC on DAX), then
 * each 4 KiB page is written and persisted with pmem_persist().  Where
 * the filesystem serves PMDs, one PMD write fault per 2 MiB; where it
 * does not, one fallback per 2 MiB and a PTE fault per page.
 */
#include "workload.h"
#include <libpmem.h>

int main(int argc, char **argv)
{
	size_t len, mapped;
	int is_pmem;
	char *p;

	if (argc != 3)
		usage_exit("pmem_client FILE MIB");
	len = strtoul(argv[2], NULL, 0) * SZ_1M;
	unlink(argv[1]);
	p = pmem_map_file(argv[1], len, PMEM_FILE_CREATE | PMEM_FILE_EXCL,
			  0644, &mapped, &is_pmem);
	if (!p) {
		fprintf(stderr, "pmem_map_file: %s\n", pmem_errormsg());
		return 1;
	}
	printf("pmem_client: %zu bytes at %p, is_pmem %d\n", mapped, (void *)p,
	       is_pmem);
	for (size_t off = 0; off < mapped; off += PAGE_SZ) {
		memset(p + off, 0x5a, 64);
		pmem_persist(p + off, 64);
	}
	return pmem_unmap(p, mapped);
}
