// SPDX-License-Identifier: GPL-2.0
/*
 * pmem_client FILE MIB: what a PMDK client does, with Debian's libpmem
 * and libpmemobj.
 *
 * libpmem: pmem_map_file() creates FILE (MIB MiB, allocated with
 * posix_fallocate) and maps it where it chooses (2 MiB aligned, MAP_SYNC
 * on DAX), then each 4 KiB page is written and persisted with
 * pmem_persist().  Where the filesystem serves PMDs, one PMD write fault
 * per 2 MiB; where it does not, one fallback per 2 MiB and a PTE fault
 * per page.
 *
 * libpmemobj: pmemobj_create() makes the pool FILE.pool of MIB MiB (its
 * headers and heap laid out by the library), a root object is allocated,
 * and one transaction snapshots it, allocates a zeroed object and links
 * it; the pool is closed and removed, so the scenario leaves only FILE.
 * The library's function API, not its TX_BEGIN macros: those setjmp(),
 * and -Wextra's -Wclobbered rightly objects to locals around them.
 */
#include "workload.h"
#include <libpmem.h>
#include <libpmemobj.h>

#define OBJ_SIZE	(64UL << 10)

struct root {
	PMEMoid obj;
	uint64_t count;
};

static int pmem_half(const char *path, size_t len)
{
	size_t mapped;
	int is_pmem;
	char *p;

	unlink(path);
	p = pmem_map_file(path, len, PMEM_FILE_CREATE | PMEM_FILE_EXCL,
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

/* One transaction: snapshot the root, allocate an object, link it. */
static int transaction(PMEMobjpool *pop, struct root *r)
{
	PMEMoid obj;

	if (pmemobj_tx_begin(pop, NULL, TX_PARAM_NONE))
		return -1;
	if (pmemobj_tx_add_range_direct(r, sizeof(*r)))
		goto abort;
	obj = pmemobj_tx_zalloc(OBJ_SIZE, 1);
	if (OID_IS_NULL(obj))
		goto abort;
	r->obj = obj;
	r->count++;
	pmemobj_tx_commit();
	return pmemobj_tx_end();
abort:
	pmemobj_tx_abort(errno ? errno : EINVAL);
	pmemobj_tx_end();
	return -1;
}

static int obj_half(const char *path, size_t len)
{
	struct root *r;
	PMEMobjpool *pop;
	PMEMoid root;
	int rc;

	unlink(path);
	pop = pmemobj_create(path, "daxtrace", len, 0644);
	if (!pop) {
		fprintf(stderr, "pmemobj_create: %s\n", pmemobj_errormsg());
		return 1;
	}
	root = pmemobj_root(pop, sizeof(*r));
	if (OID_IS_NULL(root)) {
		fprintf(stderr, "pmemobj_root: %s\n", pmemobj_errormsg());
		pmemobj_close(pop);
		return 1;
	}
	r = pmemobj_direct(root);
	printf("pmem_client: pool of %zu bytes, root at %p\n", len, (void *)r);
	rc = transaction(pop, r);
	if (rc)
		fprintf(stderr, "transaction: %s\n", pmemobj_errormsg());
	else if (r->count != 1 || OID_IS_NULL(r->obj))
		rc = -1;
	pmemobj_close(pop);
	if (unlink(path))
		die(path);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	char pool[4096];
	size_t len;

	if (argc != 3)
		usage_exit("pmem_client FILE MIB");
	len = strtoul(argv[2], NULL, 0) * SZ_1M;
	if (snprintf(pool, sizeof(pool), "%s.pool", argv[1]) >= (int)sizeof(pool))
		usage_exit("pmem_client FILE MIB (FILE shorter)");
	if (pmem_half(argv[1], len))
		return 1;
	return obj_half(pool, len);
}
