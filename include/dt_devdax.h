/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why the device-DAX driver refused a fault: decided from the record
 * (size, result, inserts, vm_flags, address, pgoff, the VMA's alignment
 * that bpf/devdax.bpf.h puts in it) and the device's geometry (its
 * alignment and size, from sysfs when the device was first seen).
 *
 * Header-only and free of library calls: the unit tests and fuzzers
 * reach the same code as the live run and report.
 *
 * drivers/dax/device.c, the same in 6.1, 6.12 and 7.2 (__dev_dax_pte_fault,
 * _pmd_, _pud_, inlined into dev_dax_huge_fault), checks in this order:
 *	1. check_vma(): the device alive, VM_MAYSHARE, the VMA's start and
 *	   end aligned to the device, the VMA DAX: else VM_FAULT_SIGBUS
 *	2. the device's alignment larger than the fault: VM_FAULT_SIGBUS
 *	   (a PTE fault on a 2M device: the kernel made no PMD attempt,
 *	   MADV_NOHUGEPAGE or PR_SET_THP_DISABLE on the VMA)
 *	3. the fault larger than the device's alignment: VM_FAULT_FALLBACK,
 *	   the driver's only fallback (x86-64 has PUD THP: the
 *	   !CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD stub is not built)
 *	4. the unit outside the VMA: VM_FAULT_SIGBUS; never with 1. passed,
 *	   both ends are multiples of the unit
 *	5. dax_pgoff_to_phys() finds no range holding the whole unit (past
 *	   the device's end): VM_FAULT_SIGBUS
 * then the insert, whose own result the record has (inserts > 0).
 * The device alive (1.) and a unit across two ranges of a device of many
 * (5.) are not seen: a SIGBUS the rest does not explain is "unexplained".
 */
#ifndef DT_DEVDAX_H
#define DT_DEVDAX_H

#include "daxtrace.h"

#define DT_VM_MAYSHARE	0x00000080ULL

/* Stored nowhere (decided when read): the names are a contract, append only. */
enum dt_devdax_why {
	DT_DD_NONE = 0,		/* not refused: mapped, or the insert's own result */
	DT_DD_ALIGN_SMALLER,	/* FALLBACK: the device's unit is smaller than the fault */
	DT_DD_ALIGN_LARGER,	/* SIGBUS: the fault is smaller than the device's unit */
	DT_DD_PAST_END,		/* SIGBUS: the unit ends past the device's end */
	DT_DD_VMA_UNALIGNED,	/* SIGBUS: the VMA's start or end is not aligned to the device */
	DT_DD_PRIVATE,		/* SIGBUS: the mapping is not shared */
	DT_DD_UNEXPLAINED,	/* SIGBUS none of the checks seen explains */
	DT_DD_UNKNOWN,		/* the device's geometry or the VMA's alignment unseen */
	DT_DD_MAX,
};

/* What sysfs says of one device-DAX device; align 0: not read. */
struct dt_devdax_geom {
	__u64 align;		/* bytes: 4096, 2 MiB or 1 GiB */
	__u64 size;		/* bytes */
};

static inline __u64 dt_devdax_fault_bytes(__u8 size)
{
	return size == DT_SIZE_PTE ? 4096ULL :
	       size == DT_SIZE_PMD ? 2ULL << 20 : 1ULL << 30;
}

static inline enum dt_devdax_why dt_devdax_why(const struct dt_event *ev,
					       const struct dt_devdax_geom *g)
{
	__u64 bytes, unit_pgoff;

	if (!(ev->seen & DT_SEEN_DEVDAX) || ev->inserts)
		return DT_DD_NONE;
	/* 3. is the only fallback the driver has: no geometry needed */
	if (ev->result & DT_VM_FAULT_FALLBACK)
		return DT_DD_ALIGN_SMALLER;
	if (!(ev->result & DT_VM_FAULT_SIGBUS))
		return DT_DD_NONE;
	if (!(ev->vm_flags & DT_VM_MAYSHARE))
		return DT_DD_PRIVATE;
	if (!g || !g->align || !(ev->seen & DT_SEEN_VMA_ALIGN) ||
	    ev->size >= DT_SIZES)
		return DT_DD_UNKNOWN;
	if (ev->pmd_fallback < 64 && (1ULL << ev->pmd_fallback) < g->align)
		return DT_DD_VMA_UNALIGNED;
	bytes = dt_devdax_fault_bytes(ev->size);
	if (g->align > bytes)
		return DT_DD_ALIGN_LARGER;
	if (g->align < bytes)	/* would have been 3.'s fallback */
		return DT_DD_UNEXPLAINED;
	unit_pgoff = ev->pgoff - ((ev->address & (bytes - 1)) >> 12);
	if (unit_pgoff + (bytes >> 12) > g->size >> 12)
		return DT_DD_PAST_END;
	return DT_DD_UNEXPLAINED;
}

#endif /* DT_DEVDAX_H */
