/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why a DAX PMD fault fell back to PTEs: the reason dax_iomap_pmd_fault()
 * (fs/dax.c) had, decided from what the probes saw of that fault.
 *
 * Header-only and free of library calls: the BPF programs decide the
 * reason when the fault ends (fs_dax:dax_pmd_fault_done) and store it in
 * the record; the unit tests and fuzzers reach the same code.
 *
 * The kernel checks, in this order, the same in 6.1, 6.12 and 7.2:
 *
 *  dax_fault_check_fallback(), from the vm_fault and max_pgoff alone,
 *  which the tracepoint has:
 *	1. (pgoff & PG_PMD_COLOUR) != ((address >> PAGE_SHIFT) & PG_PMD_COLOUR)
 *	2. a write on a mapping without VM_SHARED (it would COW)
 *	3. the 2 MiB range around address crosses vm_start or vm_end
 *	4. (index | PG_PMD_COLOUR) >= max_pgoff: it ends past end of file
 *  then:
 *	5. grab_mapping_entry() finds a 4 KiB entry in the range: the only
 *	   fallback before the first iomap_iter() call
 *	6. iomap_iter() fails (the filesystem's iomap_begin or iomap_end)
 *	7. iomap_length() < PMD_SIZE: the extent is shorter than 2 MiB
 *	8. a read of a hole or unwritten extent: dax_pmd_load_hole() could
 *	   not map the huge zero page (dax_pmd_load_hole_fallback)
 *	9. a write to an extent neither IOMAP_MAPPED nor IOMAP_F_SHARED
 *	   (the kernel's WARN_ON_ONCE)
 *     10. dax_iomap_direct_access() fails: dax_direct_access() gives
 *	   less than 2 MiB (or an error), a PFN not 2 MiB aligned, or (up
 *	   to 6.16) pages without devmap, or no kernel address.
 * After a successful dax_direct_access() of 2 MiB nothing returns
 * VM_FAULT_FALLBACK: the PMD insert returns NOPAGE, SIGBUS or OOM.
 */
#ifndef DT_FALLBACK_H
#define DT_FALLBACK_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/*
 * Stored in records and recordings (0 in recordings older than minor 4,
 * which had no reason): append only.  The names are a contract too.
 */
enum dt_fallback {
	DT_FB_UNKNOWN = 0,	/* the probes that decide it were missing */
	DT_FB_MISALIGNED,	/* address and file offset disagree within 2 MiB */
	DT_FB_PRIVATE_WRITE,	/* a write on a private mapping: COW */
	DT_FB_VMA_RANGE,	/* the 2 MiB range crosses the VMA's start or end */
	DT_FB_PAST_EOF,		/* the 2 MiB range ends past end of file */
	DT_FB_CONFLICT,		/* 4 KiB entries already in the range */
	DT_FB_FS_ERROR,		/* the filesystem failed to map the range */
	DT_FB_EXTENT_SHORT,	/* the extent is shorter than 2 MiB */
	DT_FB_EXTENT_UNMAPPED,	/* a write to an extent not mapped nor shared */
	DT_FB_STORAGE,		/* dax_direct_access refused 2 MiB; why not seen */
	DT_FB_STORAGE_SHORT,	/* dax_direct_access gave less than 2 MiB */
	DT_FB_STORAGE_MISALIGNED, /* the storage PFN is not 2 MiB aligned */
	DT_FB_ZERO_PAGE,	/* the huge zero page could not be mapped */
	DT_FB_MAX,
};

#define DT_FB_PMD_PAGES		512ULL	/* PG_PMD_NR on x86-64 */
#define DT_FB_PMD_SIZE		(DT_FB_PMD_PAGES << 12)
#define DT_FB_COLOUR		(DT_FB_PMD_PAGES - 1)

/* include/linux/iomap.h: unchanged since 4.x */
#define DT_IOMAP_HOLE		0
#define DT_IOMAP_MAPPED		2
#define DT_IOMAP_UNWRITTEN	3
#define DT_IOMAP_F_SHARED	0x4

/* Which probes fed dt_pmd_facts (dt_pmd_facts.have) */
enum dt_fb_source {
	DT_FB_SRC_ITER	= 1 << 0,	/* iomap:iomap_iter */
	DT_FB_SRC_DDA	= 1 << 1,	/* dax_direct_access's return */
	DT_FB_SRC_HOLE	= 1 << 2,	/* fs_dax:dax_pmd_load_hole_fallback */
};

/* What the probes saw of one PMD fault, from its start to its end. */
struct dt_pmd_facts {
	/* the vm_fault and the tracepoint's max_pgoff */
	__u64 address;
	__u64 pgoff;
	__u64 vm_start;
	__u64 vm_end;
	__u64 vm_flags;
	__u64 max_pgoff;
	/* the extent of the last iomap_iter() that followed a begin */
	__u64 iomap_len;	/* iomap_length() */
	__s64 dda_ret;		/* dax_direct_access(): pages, or -errno */
	__u64 dda_pfn;		/* the PFN it gave (pfn_t's flags stripped) */
	__u32 fault_flags;
	__u16 iomap_type;
	__u16 iomap_flags;
	__u8 iters;		/* iomap_iter() calls (saturating) */
	__u8 iomap_seen;	/* an iomap_iter() call saw a begun extent */
	__u8 dda_seen;		/* dax_direct_access() of 2 MiB returned */
	__u8 zero_fallback;	/* dax_pmd_load_hole_fallback fired */
	__u8 have;		/* enum dt_fb_source: probes attached */
	__u8 pad[3];
};

/*
 * The reason of a fault that returned VM_FAULT_FALLBACK, by the kernel's
 * checks in the kernel's order: what fired last tells where it stopped.
 */
static inline enum dt_fallback dt_fallback_reason(const struct dt_pmd_facts *p)
{
	__u64 pmd_addr = p->address & ~(DT_FB_PMD_SIZE - 1);
	int write = p->fault_flags & 0x1;	/* FAULT_FLAG_WRITE */
	__u64 index = p->pgoff & ~DT_FB_COLOUR;	/* XA_STATE_ORDER's */

	if ((p->pgoff & DT_FB_COLOUR) != ((p->address >> 12) & DT_FB_COLOUR))
		return DT_FB_MISALIGNED;
	if (write && !(p->vm_flags & 0x8))	/* VM_SHARED */
		return DT_FB_PRIVATE_WRITE;
	if (pmd_addr < p->vm_start || pmd_addr + DT_FB_PMD_SIZE > p->vm_end)
		return DT_FB_VMA_RANGE;
	if ((index | DT_FB_COLOUR) >= p->max_pgoff)
		return DT_FB_PAST_EOF;
	if (!(p->have & DT_FB_SRC_ITER))
		return DT_FB_UNKNOWN;
	if (!p->iters)
		return DT_FB_CONFLICT;
	if (!p->iomap_seen)
		return DT_FB_FS_ERROR;
	if (p->iomap_len < DT_FB_PMD_SIZE)
		return DT_FB_EXTENT_SHORT;
	if (!write && (p->iomap_type == DT_IOMAP_UNWRITTEN ||
		       p->iomap_type == DT_IOMAP_HOLE))
		return p->zero_fallback ? DT_FB_ZERO_PAGE : DT_FB_UNKNOWN;
	if (p->iomap_type != DT_IOMAP_MAPPED &&
	    !(p->iomap_flags & DT_IOMAP_F_SHARED))
		return DT_FB_EXTENT_UNMAPPED;
	/* the extent passed: only dax_iomap_direct_access() is left */
	if (!(p->have & DT_FB_SRC_DDA) || !p->dda_seen)
		return DT_FB_STORAGE;
	if (p->dda_ret < (__s64)DT_FB_PMD_PAGES)
		return DT_FB_STORAGE_SHORT;
	if (p->dda_pfn & DT_FB_COLOUR)
		return DT_FB_STORAGE_MISALIGNED;
	return DT_FB_STORAGE;
}

#endif /* DT_FALLBACK_H */
