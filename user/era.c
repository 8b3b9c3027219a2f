// SPDX-License-Identifier: GPL-2.0
/* The names of the insert paths (enum dt_era); era_btf.c tells them apart. */
#include <string.h>
#include "era.h"

const char *dt_era_name(enum dt_era era)
{
	switch (era) {
	case DT_ERA_PFN:
		return "pfn";
	case DT_ERA_PAGE:
		return "page";
	default:
		return "unknown";
	}
}

const char *dt_era_about(enum dt_era era)
{
	switch (era) {
	case DT_ERA_PFN:
		return "insert_pfn() under __get_locked_pte(), "
		       "vmf_insert_pfn_pmd(); up to 6.14";
	case DT_ERA_PAGE:
		return "vmf_insert_page_mkwrite() -> insert_page_into_pte_locked(), "
		       "vmf_insert_folio_pmd(); 6.15 on";
	default:
		return "no insert path daxtrace knows";
	}
}

enum dt_era dt_era_parse(const char *name)
{
	if (!strcmp(name, "pfn"))
		return DT_ERA_PFN;
	if (!strcmp(name, "page"))
		return DT_ERA_PAGE;
	return DT_ERA_UNKNOWN;
}
