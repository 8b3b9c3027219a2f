// SPDX-License-Identifier: GPL-2.0
/*
 * The hints.  Each was checked against the kernel's source (fs/dax.c,
 * dax_iomap_pmd_fault()) and, where it gives advice, against a VM
 * scenario where following it turned the fallbacks into PMD mappings:
 * pmd_write (aligned address and offset, a file of whole 2 MiB),
 * xfs_stripe_pmd_write and xfs_rt_pmd_write (32 PMD writes on xfs, 6.1,
 * 6.12 and 7.2), xfs_extsize_pmd_write (an extent size hint alone: all
 * 32 still fall back).
 */
#include "hints.h"
#include "fallback.h"

static const char *const hints[DT_FB_MAX] = {
	[DT_FB_UNKNOWN] =
		"the probes that tell why were missing (see 'daxtrace probes')",
	[DT_FB_MISALIGNED] =
		"the address and the file offset disagree within 2 MiB: map at a "
		"2 MiB-aligned address and a file offset that is a multiple of 2 MiB",
	[DT_FB_PRIVATE_WRITE] =
		"a write to a MAP_PRIVATE mapping copies the page (COW): expected, "
		"nothing to fix; only MAP_SHARED writes the file in place",
	[DT_FB_VMA_RANGE] =
		"the mapping does not cover the whole 2 MiB around the address: map "
		"whole multiples of 2 MiB at a 2 MiB-aligned address",
	[DT_FB_PAST_EOF] =
		"the file ends inside the 2 MiB range: give it a size that is a "
		"multiple of 2 MiB before mapping it",
	[DT_FB_CONFLICT] =
		"4 KiB entries of the file were already in the 2 MiB range (a "
		"4 KiB-only or misaligned mapping faulted it first): the range "
		"stays 4 KiB while they are there",
	[DT_FB_FS_ERROR] =
		"the file system failed to map the range (iomap_begin returned an "
		"error): see the kernel log",
	[DT_FB_EXTENT_SHORT] =
		"the file system's extent at the address is shorter than 2 MiB",
	[DT_FB_EXTENT_UNMAPPED] =
		"a write found an extent neither mapped nor shared (the kernel "
		"warns once): a file system bug",
	[DT_FB_STORAGE] =
		"the storage refused 2 MiB at the extent's address (no "
		"dax_direct_access probe to tell why: see 'daxtrace probes')",
	[DT_FB_STORAGE_SHORT] =
		"the DAX device gave less than 2 MiB contiguous at the extent's address",
	[DT_FB_STORAGE_MISALIGNED] =
		"the file system placed the extent at a disk address that is not "
		"2 MiB aligned.  On xfs: make it with a 2 MiB stripe unit "
		"(mkfs.xfs -d su=2m,sw=1; on a device under 1 GiB also "
		"agcount=2, or mkfs refuses the log), or put the files on a "
		"realtime device with 2 MiB extents (mkfs.xfs -r rtdev=DEV,"
		"extsize=2m; xfs_io -c 'chattr +t' on their directory); an "
		"extent size hint alone (xfs_io -c 'extsize 2m') does not align it",
	[DT_FB_ZERO_PAGE] =
		"a read of a hole could not map the huge zero page",
};

const char *dt_fallback_hint(enum dt_fallback r)
{
	return (unsigned int)r < DT_FB_MAX ? hints[r] : NULL;
}

void dt_hints_print(FILE *out, const __u64 *counts)
{
	bool any = false;

	for (int i = 0; i < DT_FB_MAX; i++) {
		const char *h = dt_fallback_hint(i);

		if (!counts[i] || !h)
			continue;
		if (!any)
			fputs("why no 2 MiB mappings:\n", out);
		any = true;
		fprintf(out, "  %s (%llu): %s\n", dt_fallback_name(i),
			counts[i], h);
	}
}
