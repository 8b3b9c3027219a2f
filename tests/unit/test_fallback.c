// SPDX-License-Identifier: GPL-2.0
/*
 * dt_fallback_reason(): each check of dax_iomap_pmd_fault() (fs/dax.c,
 * 6.1, 6.12, 7.2) in the kernel's order, with the facts the probes give.
 */
#include "unit.h"
#include <string.h>
#include "fallback.h"

#define MB2	(2ULL << 20)
#define BASE	0x7f0000000000ULL	/* 2 MiB aligned */
#define ALL	(DT_FB_SRC_ITER | DT_FB_SRC_DDA | DT_FB_SRC_HOLE)

/* A shared 64 MiB mapping of a 64 MiB file, a write at its second 2 MiB. */
static struct dt_pmd_facts aligned_write(void)
{
	return (struct dt_pmd_facts){
		.address = BASE + MB2 + 0x123, .pgoff = 512,
		.vm_start = BASE, .vm_end = BASE + 32 * MB2,
		.vm_flags = DT_VM_SHARED | 0x3, .max_pgoff = 16384,
		.fault_flags = DT_FAULT_FLAG_WRITE, .have = ALL,
	};
}

/* ... whose iomap_iter saw a whole mapped extent */
static struct dt_pmd_facts past_iomap(void)
{
	struct dt_pmd_facts p = aligned_write();

	p.iters = 2;
	p.iomap_seen = 1;
	p.iomap_len = MB2;
	p.iomap_type = DT_IOMAP_MAPPED;
	return p;
}

static void test_tracepoint_checks(void)
{
	struct dt_pmd_facts p = aligned_write();

	p.pgoff = 513;		/* one page off: the colours disagree */
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_MISALIGNED);
	p = aligned_write();
	p.vm_flags = 0x3;
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_PRIVATE_WRITE);
	p.fault_flags = 0;	/* a read of a private mapping may be a PMD */
	CHECK(dt_fallback_reason(&p) != DT_FB_PRIVATE_WRITE);
	p = aligned_write();
	p.vm_start = BASE + MB2 + 4096;
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_VMA_RANGE);
	p = aligned_write();
	p.vm_end = BASE + MB2 + MB2 - 4096;
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_VMA_RANGE);
	p.vm_end = BASE + MB2 + MB2;	/* ending exactly there is fine */
	CHECK(dt_fallback_reason(&p) != DT_FB_VMA_RANGE);
	p = aligned_write();
	p.max_pgoff = 512 + 511;	/* the range's last page is past EOF */
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_PAST_EOF);
	p.max_pgoff = 1024;
	CHECK(dt_fallback_reason(&p) != DT_FB_PAST_EOF);
}

/* The kernel's order: the first check that fails is the reason. */
static void test_order(void)
{
	struct dt_pmd_facts p = aligned_write();

	p.pgoff = 1;
	p.vm_flags = 0;
	p.max_pgoff = 1;
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_MISALIGNED);
	p.pgoff = 0;
	p.address = BASE;
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_PRIVATE_WRITE);
	p.vm_flags = DT_VM_SHARED;
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_PAST_EOF);
}

static void test_past_the_checks(void)
{
	struct dt_pmd_facts p = aligned_write();

	/* no iomap_iter at all: grab_mapping_entry() refused */
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_CONFLICT);
	/* one call, no extent: the filesystem failed */
	p.iters = 1;
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_FS_ERROR);
	p = past_iomap();
	p.iomap_len = MB2 - 4096;
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_EXTENT_SHORT);
	p = past_iomap();
	p.iomap_type = DT_IOMAP_UNWRITTEN;
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_EXTENT_UNMAPPED);
	p.iomap_flags = DT_IOMAP_F_SHARED;	/* reflinked: COW, allowed */
	CHECK(dt_fallback_reason(&p) != DT_FB_EXTENT_UNMAPPED);
}

static void test_hole_read(void)
{
	struct dt_pmd_facts p = past_iomap();

	p.fault_flags = 0;
	p.iomap_type = DT_IOMAP_HOLE;
	p.zero_fallback = 1;
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_ZERO_PAGE);
	p.zero_fallback = 0;
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_UNKNOWN);
}

static void test_storage(void)
{
	struct dt_pmd_facts p = past_iomap();

	/* xfs as made by default: a 2 MiB extent 96 KiB into the device */
	p.dda_seen = 1;
	p.dda_ret = 512;
	p.dda_pfn = 0x40000 + 24;
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_STORAGE_MISALIGNED);
	p.dda_ret = 100;
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_STORAGE_SHORT);
	p.dda_ret = -34;
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_STORAGE_SHORT);
	/* whole and aligned, refused all the same (devmap, kaddr) */
	p.dda_ret = 512;
	p.dda_pfn = 0x40000;
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_STORAGE);
}

/* What a missing probe would have decided is unknown, never guessed. */
static void test_missing_sources(void)
{
	struct dt_pmd_facts p = aligned_write();

	p.have = 0;
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_UNKNOWN);
	p.pgoff = 3;	/* the tracepoint's own checks need nothing more */
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_MISALIGNED);
	p = past_iomap();
	p.have = DT_FB_SRC_ITER;
	p.dda_seen = 1;
	p.dda_ret = 1;
	CHECK_EQ(dt_fallback_reason(&p), DT_FB_STORAGE);
}

static void test_names(void)
{
	for (int i = 0; i < DT_FB_MAX; i++) {
		CHECK(strcmp(dt_fallback_name(i), "?"));
		CHECK_EQ(dt_fallback_parse(dt_fallback_name(i)), i);
	}
	CHECK_EQ(dt_fallback_parse("storage_misaligned"), DT_FB_STORAGE_MISALIGNED);
	CHECK_EQ(dt_fallback_parse("nope"), -1);
	CHECK(!strcmp(dt_fallback_name(DT_FB_MAX), "?"));
}

static void test_of_event(void)
{
	struct dt_event e = { 0 };

	CHECK_EQ(dt_fallback_of(&e), -1);
	e.pmd_fallback = DT_FB_CONFLICT;
	CHECK_EQ(dt_fallback_of(&e), -1);	/* no fallback seen */
	e.seen = DT_SEEN_FALLBACK;
	CHECK_EQ(dt_fallback_of(&e), DT_FB_CONFLICT);
	e.pmd_fallback = 200;			/* a newer daxtrace's */
	CHECK_EQ(dt_fallback_of(&e), DT_FB_UNKNOWN);
}

int main(void)
{
	RUN(test_tracepoint_checks);
	RUN(test_order);
	RUN(test_past_the_checks);
	RUN(test_hole_read);
	RUN(test_storage);
	RUN(test_missing_sources);
	RUN(test_names);
	RUN(test_of_event);
	return UNIT_EXIT();
}
