// SPDX-License-Identifier: GPL-2.0
/*
 * The software bits of an x86-64 PTE by kernel version.  No kernel
 * interface says where they are, and BTF has no #define: the version is
 * the evidence (arch/x86/include/asm/pgtable_types.h of each release).
 *   - up to 6.5: _PAGE_BIT_SOFTW4 is 58 and _PAGE_BIT_DEVMAP is SOFTW4;
 *   - 6.6 (user shadow stacks): SOFTW4 became 57 and SOFTW5 58, which is
 *     _PAGE_BIT_SAVED_DIRTY on x86-64: pte_mkdirty() of a read-only entry
 *     sets it instead of Dirty, pte_dirty() reads both;
 *   - 6.17: _PAGE_DEVMAP and pte_devmap() are gone.
 */
#include <stdlib.h>
#include "layout.h"

enum dt_pte_layout dt_pte_layout_of(const char *release)
{
	char *end;
	long major, minor;

	if (!release)
		return DT_PTE_UNKNOWN;
	major = strtol(release, &end, 10);
	if (end == release || *end != '.')
		return DT_PTE_UNKNOWN;
	release = end + 1;
	minor = strtol(release, &end, 10);
	if (end == release || major < 3 || minor < 0)
		return DT_PTE_UNKNOWN;
	if (major < 6 || (major == 6 && minor < 6))
		return DT_PTE_DEVMAP58;
	if (major == 6 && minor < 17)
		return DT_PTE_DEVMAP57;
	return DT_PTE_NODEVMAP;
}

const char *dt_pte_layout_name(enum dt_pte_layout layout)
{
	switch (layout) {
	case DT_PTE_DEVMAP58:
		return "devmap58";
	case DT_PTE_DEVMAP57:
		return "devmap57";
	case DT_PTE_NODEVMAP:
		return "nodevmap";
	default:
		return "unknown";
	}
}
