/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records shaped like the ones the BPF side emits for each kernel path
 * (mm/memory.c, fs/dax.c in 6.1): the unit tests build on these.
 */
#ifndef EVENTS_H
#define EVENTS_H

#include "daxtrace.h"

#define PFN		0x12345ULL
#define OTHER_PFN	0x54321ULL
#define ZERO_PFN	0x2f00ULL
#define HUGE_ZERO_PFN	0x3400ULL

/* x86 entry bits */
#define P	(1ULL << 0)
#define RW	(1ULL << 1)
#define A	(1ULL << 5)
#define D	(1ULL << 6)
#define PSE	(1ULL << 7)
#define SPEC	(1ULL << 9)
#define DEVMAP	(1ULL << 58)
#define NX	(1ULL << 63)

#define PTE(pfn, bits)	(((pfn) << 12) | (bits))
#define DAX_RO(pfn)	PTE(pfn, P | A | SPEC | DEVMAP)
#define DAX_RW(pfn)	PTE(pfn, P | RW | D | A | SPEC | DEVMAP)
#define ZERO_PTE	PTE(ZERO_PFN, P | A | SPEC | NX)

#define INSERT_SEEN (DT_SEEN_DAX_FAULT | DT_SEEN_DONE | DT_SEEN_INSERT | \
		     DT_SEEN_BEFORE | DT_SEEN_AFTER)

static inline struct dt_event ev_base(unsigned int flags)
{
	return (struct dt_event){
		.fault_flags = flags,
		.vm_flags = DT_VM_SHARED | 0x3,
		.result = DT_VM_FAULT_NOPAGE,
		.req_pfn = PFN,
		.pid = 42, .tid = 42, .comm = "workload",
	};
}

/* handle_pte_fault -> do_shared_fault -> dax fault -> insert_pfn(mkwrite) */
static inline struct dt_event ev_write(void)
{
	struct dt_event e = ev_base(DT_FAULT_FLAG_WRITE);

	e.seen = INSERT_SEEN | DT_SEEN_MKWRITE_ARG;
	e.after = DAX_RW(PFN);
	e.inserts = 1;
	return e;
}

static inline struct dt_event ev_read(void)
{
	struct dt_event e = ev_base(0);

	e.seen = INSERT_SEEN;
	e.after = DAX_RO(PFN);
	e.inserts = 1;
	return e;
}

static inline struct dt_event ev_hole(void)
{
	struct dt_event e = ev_read();

	e.seen |= DT_SEEN_HOLE;
	e.req_pfn = ZERO_PFN;
	e.after = ZERO_PTE;
	return e;
}

/* do_wp_page -> wp_pfn_shared -> pfn_mkwrite -> insert_pfn on the same PFN */
static inline struct dt_event ev_ro_upgrade(void)
{
	struct dt_event e = ev_write();

	e.fault_flags |= DT_FAULT_FLAG_MKWRITE;
	e.seen |= DT_SEEN_WP | DT_SEEN_ORIG;
	e.orig = DAX_RO(PFN);
	e.before = DAX_RO(PFN);
	return e;
}

/* the zero PTE is unmapped by dax_insert_entry() before insert_pfn() */
static inline struct dt_event ev_zero_upgrade(void)
{
	struct dt_event e = ev_write();

	e.fault_flags |= DT_FAULT_FLAG_MKWRITE;
	e.seen |= DT_SEEN_WP | DT_SEEN_ORIG;
	e.orig = ZERO_PTE;
	return e;
}

/* the 4.13 route: finish_mkwrite_fault() made the PTE writable (a violation) */
static inline struct dt_event ev_two_step(void)
{
	struct dt_event e = ev_base(DT_FAULT_FLAG_WRITE | DT_FAULT_FLAG_MKWRITE);

	e.seen = DT_SEEN_WP | DT_SEEN_ORIG | DT_SEEN_FINISH_MKWRITE |
		 DT_SEEN_WP_AFTER;
	e.orig = DAX_RO(PFN);
	e.after = DAX_RW(PFN);
	e.result = 0;
	return e;
}

/*
 * 6.6 on, ext4: a write-protect fault under the per-VMA lock returns
 * VM_FAULT_RETRY from vmf_can_call_fault() before any DAX code runs; the
 * record opens late at do_wp_page()'s return, the entry unchanged.
 */
static inline struct dt_event ev_retry(void)
{
	struct dt_event e = ev_base(DT_FAULT_FLAG_WRITE);

	e.fault_flags |= 0x1a54;	/* ...ORIG_PTE_VALID, VMA_LOCK */
	e.seen = DT_SEEN_WP | DT_SEEN_ORIG | DT_SEEN_WP_AFTER | DT_SEEN_UNTIMED;
	e.orig = DAX_RO(PFN);
	e.after = DAX_RO(PFN);
	e.result = DT_VM_FAULT_RETRY;
	return e;
}

#endif
