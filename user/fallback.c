// SPDX-License-Identifier: GPL-2.0
/* The PMD fallback reasons' names: a contract (README, check rules), append only. */
#include <string.h>
#include "fallback.h"

static const char *const names[DT_FB_MAX] = {
	[DT_FB_UNKNOWN] = "unknown",
	[DT_FB_MISALIGNED] = "misaligned",
	[DT_FB_PRIVATE_WRITE] = "private_write",
	[DT_FB_VMA_RANGE] = "vma_range",
	[DT_FB_PAST_EOF] = "past_eof",
	[DT_FB_CONFLICT] = "conflict",
	[DT_FB_FS_ERROR] = "fs_error",
	[DT_FB_EXTENT_SHORT] = "extent_short",
	[DT_FB_EXTENT_UNMAPPED] = "extent_unmapped",
	[DT_FB_STORAGE] = "storage",
	[DT_FB_STORAGE_SHORT] = "storage_short",
	[DT_FB_STORAGE_MISALIGNED] = "storage_misaligned",
	[DT_FB_ZERO_PAGE] = "zero_page",
};

const char *dt_fallback_name(enum dt_fallback r)
{
	return (unsigned int)r < DT_FB_MAX ? names[r] : "?";
}

int dt_fallback_parse(const char *name)
{
	for (int i = 0; i < DT_FB_MAX; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

/*
 * Recordings older than minor 4 carry 0 (unknown) with every fallback; a
 * value past the last reason (a newer daxtrace's) is unknown here too.
 */
int dt_fallback_of(const struct dt_event *ev)
{
	/*
	 * A device-DAX attempt that fell back is no fs/dax.c PMD fallback:
	 * the driver refuses a fault larger than the device's alignment and
	 * nothing else (drivers/dax/device.c); its record's class (fallback)
	 * and size say it.
	 */
	if (!(ev->seen & DT_SEEN_FALLBACK) || (ev->seen & DT_SEEN_DEVDAX))
		return -1;
	return ev->pmd_fallback < DT_FB_MAX ? ev->pmd_fallback : DT_FB_UNKNOWN;
}
