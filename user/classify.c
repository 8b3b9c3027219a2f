// SPDX-License-Identifier: GPL-2.0
/* The class names: a contract (README, tests, CI users), append only. */
#include <string.h>
#include "classify.h"

static const char *const class_names[DT_CLASS_MAX] = {
	[DT_CLASS_WRITE] = "write",
	[DT_CLASS_READ] = "read",
	[DT_CLASS_HOLE] = "hole",
	[DT_CLASS_RO_UPGRADE] = "ro_upgrade",
	[DT_CLASS_ZERO_UPGRADE] = "zero_upgrade",
	[DT_CLASS_COW] = "cow",
	[DT_CLASS_TWO_STEP] = "two_step",
	[DT_CLASS_PFN_MISMATCH] = "pfn_mismatch",
	[DT_CLASS_ERROR] = "error",
	[DT_CLASS_FALLBACK] = "fallback",
	[DT_CLASS_OTHER] = "other",
	[DT_CLASS_RETRY] = "retry",
};

static const char *const mismatch_names[DT_MISMATCH_MAX] = {
	[DT_MISMATCH_NONE] = "none",
	[DT_MISMATCH_ZERO_PAGE] = "zero_page",
	[DT_MISMATCH_PRIVATE_COW] = "private_cow",
	[DT_MISMATCH_UNEXPECTED] = "unexpected",
};

const char *dt_class_name(enum dt_class cls)
{
	return (unsigned int)cls < DT_CLASS_MAX ? class_names[cls] : "?";
}

const char *dt_mismatch_name(enum dt_mismatch m)
{
	return (unsigned int)m < DT_MISMATCH_MAX ? mismatch_names[m] : "?";
}

const char *dt_size_name(enum dt_size size)
{
	static const char *const names[DT_SIZES] = {
		[DT_SIZE_PTE] = "pte", [DT_SIZE_PMD] = "pmd", [DT_SIZE_PUD] = "pud",
	};

	return (unsigned int)size < DT_SIZES ? names[size] : "?";
}

int dt_class_parse(const char *name)
{
	for (int i = 0; i < DT_CLASS_MAX; i++)
		if (!strcmp(name, class_names[i]))
			return i;
	return -1;
}
