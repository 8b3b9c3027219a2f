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
	return write_new_file(argc, argv, "pmd_write FILE MIB", MAP_SHARED, SZ_2M, 1,
			      SZ_2M);
}
