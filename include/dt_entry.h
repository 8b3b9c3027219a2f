/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decode raw x86-64 page-table entries.  Shared by userspace and the BPF
 * programs (which classify in the kernel for `daxtrace hist`), so it is
 * header-only C with no library calls.
 *
 * x86-64 entry bits: arch/x86/include/asm/pgtable_types.h, whose software
 * bits moved between kernels (enum dt_pte_layout).  Only present entries
 * are decoded: a non-present one may be a swap or migration entry, whose
 * bits mean something else.
 */
#ifndef DT_ENTRY_H
#define DT_ENTRY_H

#ifndef __VMLINUX_H__
#include <stdbool.h>
#endif
#include "daxtrace.h"

/*
 * Where the software bits sit, per kernel (arch/x86/include/asm/
 * pgtable_types.h).  Chosen at start from the running kernel's release
 * (user/layout.c) and stored in recordings: values are fixed.
 */
enum dt_pte_layout {
	DT_PTE_DEVMAP58 = 0,	/* up to 6.5: devmap is bit 58 (_PAGE_BIT_SOFTW4) */
	DT_PTE_DEVMAP57 = 1,	/* 6.6-6.16: the shadow-stack series renumbered
				 * SOFTW4 to 57 (devmap) and made 58 SOFTW5,
				 * the saved-dirty bit of read-only entries */
	DT_PTE_NODEVMAP = 2,	/* 6.17 on: devmap removed; saved-dirty at 58 */
	DT_PTE_UNKNOWN = 3,	/* a release daxtrace cannot read: no software bits */
	DT_PTE_LAYOUTS,
};

/* Fields an entry of a layout has (struct dt_entry.has). */
enum dt_entry_has {
	DT_HAS_DEVMAP		= 1 << 0,
	DT_HAS_SAVED_DIRTY	= 1 << 1,
};

struct dt_entry {
	bool present;
	bool write;
	bool dirty;	/* as pte_dirty(): Dirty, or saved-dirty where it exists */
	bool saved_dirty; /* a read-only entry's dirty bit, moved to bit 58 */
	bool young;
	bool special;
	bool devmap;
	bool huge;
	bool zero;	/* the shared zero page (4 KiB) or huge zero page */
	__u8 has;	/* enum dt_entry_has: the fields this kernel has */
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
#define X86_SOFTW4	(1ULL << 57)	/* devmap in 6.6-6.16 */
#define X86_SOFTW5	(1ULL << 58)	/* saved-dirty from 6.6; devmap before */
#define X86_PFN_MASK	0x000ffffffffff000ULL
/* huge PMDs keep their PAT bit at 12, so the PFN starts at bit 21 */
#define X86_PMD_PFN_MASK 0x000fffffffe00000ULL
/* a huge PUD's PFN starts at bit 30 */
#define X86_PUD_PFN_MASK 0x000fffffc0000000ULL

static inline __u8 dt_entry_fields(enum dt_pte_layout layout)
{
	switch (layout) {
	case DT_PTE_DEVMAP58:
		return DT_HAS_DEVMAP;
	case DT_PTE_DEVMAP57:
		return DT_HAS_DEVMAP | DT_HAS_SAVED_DIRTY;
	case DT_PTE_NODEVMAP:
		return DT_HAS_SAVED_DIRTY;
	default:
		return 0;
	}
}

static inline void dt_entry_decode(__u64 val, enum dt_size size,
				   enum dt_pte_layout layout,
				   const struct dt_zero_pfns *zero,
				   struct dt_entry *e)
{
	__u64 mask = X86_PFN_MASK;

	__builtin_memset(e, 0, sizeof(*e));
	e->has = dt_entry_fields(layout);
	if (!(val & (X86_PRESENT | X86_PROTNONE)))
		return;
	e->present = true;
	e->write = val & X86_RW;
	e->young = val & X86_ACCESSED;
	e->special = val & X86_SPECIAL;
	if (e->has & DT_HAS_SAVED_DIRTY)
		e->saved_dirty = val & X86_SOFTW5;
	e->dirty = (val & X86_DIRTY) || e->saved_dirty;
	if (layout == DT_PTE_DEVMAP58)
		e->devmap = val & X86_SOFTW5;
	else if (layout == DT_PTE_DEVMAP57)
		e->devmap = val & X86_SOFTW4;
	if (size == DT_SIZE_PMD || size == DT_SIZE_PUD) {
		e->huge = val & X86_PSE;
		if (e->huge)
			mask = size == DT_SIZE_PUD ? X86_PUD_PFN_MASK : X86_PMD_PFN_MASK;
	}
	e->pfn = (val & mask) >> 12;
	if (size == DT_SIZE_PMD)
		e->zero = e->huge && zero->pmd && e->pfn == zero->pmd;
	else if (size == DT_SIZE_PTE)
		e->zero = zero->pte && e->pfn == zero->pte;
}

#endif
