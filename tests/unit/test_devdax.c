// SPDX-License-Identifier: GPL-2.0
/*
 * Device DAX in userspace (include/dt_devdax.h, user/devdax.c): each of
 * the driver's reasons decided from a record as bpf/devdax.bpf.h fills
 * it, in drivers/dax/device.c's order; the table of devices; how the
 * summary describes one.
 */
#include <stdlib.h>
#include <string.h>
#include "devdax.h"
#include "unit.h"

#define MIB2	(2ULL << 20)
#define GIB	(1ULL << 30)

static const struct dt_devdax_geom g2m = { .align = MIB2, .size = 2 * GIB - MIB2 * 8 };
static const struct dt_devdax_geom g4k = { .align = 4096, .size = 2 * GIB };

/* a devdax record: VMA 1 GiB aligned (shift 30), shared, nothing inserted */
static struct dt_event dd(__u8 size, __u32 result)
{
	return (struct dt_event){
		.seen = DT_SEEN_DEVDAX | DT_SEEN_VMA_ALIGN | DT_SEEN_DONE,
		.vm_flags = DT_VM_SHARED | DT_VM_MAYSHARE | 0x3,
		.size = size, .result = result, .pmd_fallback = 30,
		.address = 0x7f0000000000ULL, .pgoff = 0,
	};
}

static void test_not_refused(void)
{
	struct dt_event e = dd(DT_SIZE_PMD, DT_VM_FAULT_NOPAGE);

	CHECK_EQ(dt_devdax_why(&e, &g2m), DT_DD_NONE);
	/* an insert's own SIGBUS is the insert's, not a check of the driver */
	e.result = DT_VM_FAULT_SIGBUS;
	e.inserts = 1;
	CHECK_EQ(dt_devdax_why(&e, &g2m), DT_DD_NONE);
	/* a file-DAX record is never given a device reason */
	e = dd(DT_SIZE_PMD, DT_VM_FAULT_FALLBACK);
	e.seen &= ~DT_SEEN_DEVDAX;
	CHECK_EQ(dt_devdax_why(&e, &g2m), DT_DD_NONE);
}

/* the driver's only fallback, known without the device's geometry */
static void test_fallback(void)
{
	struct dt_event e = dd(DT_SIZE_PMD, DT_VM_FAULT_FALLBACK);

	CHECK_EQ(dt_devdax_why(&e, &g4k), DT_DD_ALIGN_SMALLER);
	CHECK_EQ(dt_devdax_why(&e, NULL), DT_DD_ALIGN_SMALLER);
	e = dd(DT_SIZE_PUD, DT_VM_FAULT_FALLBACK);
	CHECK_EQ(dt_devdax_why(&e, &g2m), DT_DD_ALIGN_SMALLER);
}

static void test_sigbus(void)
{
	struct dt_event e = dd(DT_SIZE_PTE, DT_VM_FAULT_SIGBUS);

	/* a PTE fault on a 2M device: no PMD attempt (MADV_NOHUGEPAGE) */
	CHECK_EQ(dt_devdax_why(&e, &g2m), DT_DD_ALIGN_LARGER);
	/* 1. comes first: a VMA 4 KiB aligned on a 2M device */
	e.pmd_fallback = 12;
	CHECK_EQ(dt_devdax_why(&e, &g2m), DT_DD_VMA_UNALIGNED);
	e.pmd_fallback = 21;
	CHECK_EQ(dt_devdax_why(&e, &g2m), DT_DD_ALIGN_LARGER);
	/* not shared: before anything that needs the geometry */
	e.vm_flags &= ~DT_VM_MAYSHARE;
	CHECK_EQ(dt_devdax_why(&e, NULL), DT_DD_PRIVATE);
	/* nothing to decide from: unknown, never a guess */
	e = dd(DT_SIZE_PTE, DT_VM_FAULT_SIGBUS);
	CHECK_EQ(dt_devdax_why(&e, NULL), DT_DD_UNKNOWN);
	e.seen &= ~DT_SEEN_VMA_ALIGN;
	CHECK_EQ(dt_devdax_why(&e, &g2m), DT_DD_UNKNOWN);
	e = dd(DT_SIZE_PTE, DT_VM_FAULT_SIGBUS);
	CHECK_EQ(dt_devdax_why(&e, &(struct dt_devdax_geom){ 0 }), DT_DD_UNKNOWN);
}

/* 5.: the unit (the fault's, aligned down) ends past the device's end */
static void test_past_end(void)
{
	__u64 units = g2m.size / MIB2;	/* 1016 units of 2 MiB */
	struct dt_event e = dd(DT_SIZE_PMD, DT_VM_FAULT_SIGBUS);

	/* the last unit, touched in its middle: inside */
	e.pgoff = (units - 1) * 512 + 300;
	e.address = 0x7f0000000000ULL + (300 << 12);
	CHECK_EQ(dt_devdax_why(&e, &g2m), DT_DD_UNEXPLAINED);
	/* the unit after it */
	e.pgoff += 512;
	CHECK_EQ(dt_devdax_why(&e, &g2m), DT_DD_PAST_END);
	/* a PTE fault on a 4K device, one page past the end */
	e = dd(DT_SIZE_PTE, DT_VM_FAULT_SIGBUS);
	e.pgoff = g4k.size >> 12;
	CHECK_EQ(dt_devdax_why(&e, &g4k), DT_DD_PAST_END);
	e.pgoff--;
	CHECK_EQ(dt_devdax_why(&e, &g4k), DT_DD_UNEXPLAINED);
	/* a SIGBUS of a fault larger than the unit: not the driver's answer */
	e = dd(DT_SIZE_PMD, DT_VM_FAULT_SIGBUS);
	CHECK_EQ(dt_devdax_why(&e, &g4k), DT_DD_UNEXPLAINED);
}

static void test_names_and_hints(void)
{
	CHECK(!strcmp(dt_devdax_why_name(DT_DD_ALIGN_SMALLER), "align_smaller"));
	CHECK(!strcmp(dt_devdax_why_name(DT_DD_PAST_END), "past_end"));
	CHECK(!strcmp(dt_devdax_why_name(DT_DD_MAX), "?"));
	CHECK(!dt_devdax_hint(DT_DD_NONE));
	for (int w = DT_DD_NONE + 1; w < DT_DD_MAX; w++) {
		CHECK(strcmp(dt_devdax_why_name(w), "?"));
		CHECK(dt_devdax_hint(w) != NULL);
	}
}

static void test_table(void)
{
	struct dt_devdax_devs t = { 0 };
	struct dt_devdax_dev d = { .dev = 251 << 20, .name = "dax0.0", .faults = 9 };

	CHECK(!dt_devdax_find(&t, 251 << 20));
	CHECK(dt_devdax_add(&t, &d) == &t.v[0]);
	CHECK_EQ(t.v[0].faults, 0);	/* counts start at 0 */
	CHECK(dt_devdax_find(&t, 251 << 20) == &t.v[0]);
	for (int i = 1; i < DT_DEVDAX_DEVS; i++) {
		d.dev = 251 << 20 | i;
		CHECK(dt_devdax_add(&t, &d) != NULL);
	}
	d.dev = 252 << 20;
	CHECK(!dt_devdax_add(&t, &d));
	CHECK_EQ(t.n, DT_DEVDAX_DEVS);
	CHECK(dt_devdax_find_const(&t, 251 << 20 | 15) == &t.v[15]);
}

static void test_describe(void)
{
	struct dt_devdax_dev d = { .dev = 251 << 20 | 1, .name = "dax0.1",
				   .geom = { .align = MIB2, .size = 2 * GIB - 8 * MIB2 } };
	char s[96];

	dt_devdax_describe(s, sizeof(s), &d);
	CHECK(!strcmp(s, "dax0.1 (2M-aligned, 2032 MiB)"));
	d.geom = (struct dt_devdax_geom){ .align = GIB, .size = GIB };
	dt_devdax_describe(s, sizeof(s), &d);
	CHECK(!strcmp(s, "dax0.1 (1G-aligned, 1 GiB)"));
	d.geom = (struct dt_devdax_geom){ .align = 4096, .size = 12288 };
	dt_devdax_describe(s, sizeof(s), &d);
	CHECK(!strcmp(s, "dax0.1 (4K-aligned, 12 KiB)"));
	d.name[0] = '\0';
	d.geom.align = 0;
	dt_devdax_describe(s, sizeof(s), &d);
	CHECK(!strcmp(s, "dev 251:1 (alignment unknown)"));
}

int main(void)
{
	RUN(test_not_refused);
	RUN(test_fallback);
	RUN(test_sigbus);
	RUN(test_past_end);
	RUN(test_names_and_hints);
	RUN(test_table);
	RUN(test_describe);
	return UNIT_EXIT();
}
