// SPDX-License-Identifier: GPL-2.0
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include "zero_pfn.h"

#define PM_PRESENT	(1ULL << 63)
#define PM_PFN_MASK	((1ULL << 55) - 1)
#define SZ_2M		(2UL << 20)

static __u64 pagemap_pfn(int fd, const void *addr)
{
	long psize = sysconf(_SC_PAGESIZE);
	off_t off = (uintptr_t)addr / psize * sizeof(__u64);
	__u64 ent;

	if (pread(fd, &ent, sizeof(ent), off) != sizeof(ent))
		return 0;
	if (!(ent & PM_PRESENT))
		return 0;
	return ent & PM_PFN_MASK;
}

/* Reading untouched private anonymous memory maps the zero page. */
static __u64 read_zero_pfn(int fd, size_t len, size_t align, bool huge)
{
	volatile const char *p;
	char *map;
	__u64 pfn;

	map = mmap(NULL, len + align, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	if (map == MAP_FAILED)
		return 0;
	p = (const char *)(((uintptr_t)map + align - 1) & ~(uintptr_t)(align - 1));
	if (huge)
		madvise((void *)p, len, MADV_HUGEPAGE);
	(void)p[0];
	pfn = pagemap_pfn(fd, (const void *)p);
	munmap(map, len + align);
	return pfn;
}

int dt_zero_pfns_learn(struct dt_zero_pfns *z)
{
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);

	*z = (struct dt_zero_pfns){ 0 };
	if (fd < 0)
		return -1;
	z->pte = read_zero_pfn(fd, 4096, 4096, false);
	z->pmd = read_zero_pfn(fd, SZ_2M, SZ_2M, true);
	/* THP off or use_zero_page=0: we got the 4 KiB one again */
	if (z->pmd == z->pte || (z->pmd & 511))
		z->pmd = 0;
	close(fd);
	return z->pte ? 0 : -1;
}
