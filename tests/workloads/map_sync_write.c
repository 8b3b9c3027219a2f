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
	return write_new_file(argc, argv, "map_sync_write FILE MIB",
			      MAP_SHARED_VALIDATE | MAP_SYNC, PAGE_SZ, 0, PAGE_SZ);
}
