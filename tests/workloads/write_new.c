// SPDX-License-Identifier: GPL-2.0
/*
 * Write every 4 KiB page of a new sparse file through a shared mapping.
 * Each fault allocates and inserts a writable, dirty PTE in one step:
 * expect write == pages and nothing else.
 */
#include "workload.h"

int main(int argc, char **argv)
{
	return write_new_file(argc, argv, "write_new FILE MIB", MAP_SHARED, PAGE_SZ, 0,
			      PAGE_SZ);
}
