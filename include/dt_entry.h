/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decode raw x86-64 page-table entries.  Shared by userspace and the BPF
 * programs (which classify in the kernel for `daxtrace hist`), so it is
 * header-only C with no library calls.
 *
 * x86-64 entry bits: arch/x86/include/asm/pgtable_types.h.  Only present
 * entries are decoded: a non-present one may be a swap or migration entry,
 * whose bits mean something else.
 */
#ifndef DT_ENTRY_H
#define DT_ENTRY_H

#ifndef __VMLINUX_H__
#include <stdbool.h>
#endif
#include "daxtrace.h"

struct dt_entry {
	bool present;
	bool write;
	bool dirty;
	bool young;
	bool special;
	bool devmap;
	bool huge;
	bool zero;	/* the shared zero page (4 KiB) or huge zero page */
	__u64 pfn;
};

/* PFNs of the zero pages on this boot; 0 when unknown. */
struct dt_zero_pfns {
	__u64 pte;
	__u64 pmd;
};

#define X86_PRESENT	(1ULL << 0)
#define X86_RW		(1ULL << 1)
#define X86_ACCESSED	(1ULL << 5)
#define X86_DIRTY	(1ULL << 6)
#define X86_PSE		(1ULL << 7)
#define X86_PROTNONE	(1ULL << 8)	/* pte_present() counts it */
#define X86_SPECIAL	(1ULL << 9)
#define X86_DEVMAP	(1ULL << 58)	/* _PAGE_BIT_SOFTW4; gone in 6.17 */
#define X86_PFN_MASK	0x000ffffffffff000ULL
/* huge PMDs keep their PAT bit at 12, so the PFN starts at bit 21 */
#define X86_PMD_PFN_MASK 0x000fffffffe00000ULL

static inline void dt_entry_decode(__u64 val, enum dt_size size,
		     const struct dt_zero_pfns *zero, struct dt_entry *e)
{
	__u64 mask = X86_PFN_MASK;

	__builtin_memset(e, 0, sizeof(*e));
	if (!(val & (X86_PRESENT | X86_PROTNONE)))
		return;
	e->present = true;
	e->write = val & X86_RW;
	e->young = val & X86_ACCESSED;
	e->dirty = val & X86_DIRTY;
	e->special = val & X86_SPECIAL;
	e->devmap = val & X86_DEVMAP;
	if (size == DT_SIZE_PMD) {
		e->huge = val & X86_PSE;
		if (e->huge)
			mask = X86_PMD_PFN_MASK;
	}
	e->pfn = (val & mask) >> 12;
	if (size == DT_SIZE_PMD)
		e->zero = e->huge && zero->pmd && e->pfn == zero->pmd;
	else
		e->zero = zero->pte && e->pfn == zero->pte;
}

#endif
