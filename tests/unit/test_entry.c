// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "unit.h"
#include "events.h"
#include "dt_entry.h"
#include "layout.h"

static const struct dt_zero_pfns zero = { .pte = ZERO_PFN, .pmd = HUGE_ZERO_PFN };

static void test_none(void)
{
	struct dt_entry e;

	dt_entry_decode(0, DT_SIZE_PTE, DT_PTE_DEVMAP58, &zero, &e);
	CHECK(!e.present && !e.write && !e.zero);
	CHECK_EQ(e.pfn, 0);
	/* a swap entry is not present: its bits must not be read as flags */
	dt_entry_decode(0x3fffffffffffeULL << 1 & ~1ULL & ~(1ULL << 8),
			DT_SIZE_PTE, DT_PTE_DEVMAP58, &zero, &e);
	CHECK(!e.present);
}

static void test_dax_pte(void)
{
	struct dt_entry e;

	dt_entry_decode(DAX_RW(PFN) | NX, DT_SIZE_PTE, DT_PTE_DEVMAP58, &zero, &e);
	CHECK(e.present && e.write && e.dirty && e.young && e.special && e.devmap);
	CHECK(!e.zero && !e.huge);
	CHECK_EQ(e.pfn, PFN);
	dt_entry_decode(DAX_RO(PFN), DT_SIZE_PTE, DT_PTE_DEVMAP58, &zero, &e);
	CHECK(e.present && !e.write && !e.dirty);
}

static void test_zero_pte(void)
{
	struct dt_entry e;
	struct dt_zero_pfns unknown = { 0 };

	dt_entry_decode(ZERO_PTE, DT_SIZE_PTE, DT_PTE_DEVMAP58, &zero, &e);
	CHECK(e.zero && !e.devmap);
	CHECK_EQ(e.pfn, ZERO_PFN);
	dt_entry_decode(ZERO_PTE, DT_SIZE_PTE, DT_PTE_DEVMAP58, &unknown, &e);
	CHECK(!e.zero);
}

/* bit 12 of a huge PMD is its PAT bit, not part of the PFN */
static void test_huge_pmd(void)
{
	struct dt_entry e;

	dt_entry_decode(PTE(0x40000ULL, P | RW | PSE) | (1ULL << 12),
			DT_SIZE_PMD, DT_PTE_DEVMAP58, &zero, &e);
	CHECK(e.huge);
	CHECK_EQ(e.pfn, 0x40000);
	dt_entry_decode(PTE(HUGE_ZERO_PFN, P | PSE), DT_SIZE_PMD, DT_PTE_DEVMAP58, &zero, &e);
	CHECK(e.zero);
	/* a PMD that points to a page table is not a huge mapping */
	dt_entry_decode(PTE(0x777ULL, P | RW | A), DT_SIZE_PMD, DT_PTE_DEVMAP58, &zero, &e);
	CHECK(!e.huge && !e.zero);
	CHECK_EQ(e.pfn, 0x777);
}

/*
 * A huge PUD (device DAX at 1 GiB): its PFN starts at bit 30 (the PAT bit
 * at 12 and the bits under 30 are not the PFN's); no 1 GiB zero page.
 */
static void test_huge_pud(void)
{
	struct dt_entry e;

	dt_entry_decode(PTE(0x140000ULL, P | RW | PSE | A) | (1ULL << 12) | (1ULL << 21),
			DT_SIZE_PUD, DT_PTE_NODEVMAP, &zero, &e);
	CHECK(e.huge && e.write && e.present);
	CHECK_EQ(e.pfn, 0x140000);
	dt_entry_decode(PTE(HUGE_ZERO_PFN, P | PSE), DT_SIZE_PUD, DT_PTE_NODEVMAP, &zero, &e);
	CHECK(!e.zero);
	/* a PUD that points to a PMD table is not a huge mapping */
	dt_entry_decode(PTE(0x777ULL, P | RW | A), DT_SIZE_PUD, DT_PTE_NODEVMAP, &zero, &e);
	CHECK(!e.huge && !e.zero);
	CHECK_EQ(e.pfn, 0x777);
}

/*
 * Entries as each kernel of the matrix wrote them in the VM (the "after"
 * of daxtrace records), decoded with that kernel's layout.
 */
static void test_layout_6_1(void)
{
	struct dt_entry e;

	/* a one-step write: special, devmap at 58, dirty */
	dt_entry_decode(0x8400000048400a67ULL, DT_SIZE_PTE, DT_PTE_DEVMAP58, &zero, &e);
	CHECK(e.present && e.write && e.dirty && e.young && e.special && e.devmap);
	CHECK(!e.saved_dirty);
	CHECK_EQ(e.has, DT_HAS_DEVMAP);
	CHECK_EQ(e.pfn, 0x48400);
}

static void test_layout_6_12(void)
{
	struct dt_entry e;

	/* a read: devmap at 57, bit 58 clear */
	dt_entry_decode(0x8200000048200225ULL, DT_SIZE_PTE, DT_PTE_DEVMAP57, &zero, &e);
	CHECK(e.present && !e.write && !e.dirty && e.young && e.special && e.devmap);
	CHECK_EQ(e.has, DT_HAS_DEVMAP | DT_HAS_SAVED_DIRTY);
	CHECK_EQ(e.pfn, 0x48200);
	/* read with the old layout, the same entry has no devmap: the 6.12 bug */
	dt_entry_decode(0x8200000048200225ULL, DT_SIZE_PTE, DT_PTE_DEVMAP58, &zero, &e);
	CHECK(!e.devmap);
	/* pte_mkdirty() of a read-only entry sets bit 58: dirty, not devmap */
	dt_entry_decode(0x8600000048200225ULL, DT_SIZE_PTE, DT_PTE_DEVMAP57, &zero, &e);
	CHECK(e.dirty && e.saved_dirty && e.devmap && !e.write);
}

static void test_layout_7_2(void)
{
	struct dt_entry e;

	/* an upgrade: writable, not yet dirty, a folio (not special) */
	dt_entry_decode(0x8000000048200027ULL, DT_SIZE_PTE, DT_PTE_NODEVMAP, &zero, &e);
	CHECK(e.present && e.write && !e.dirty && e.young && !e.special);
	CHECK_EQ(e.has, DT_HAS_SAVED_DIRTY);
	CHECK(!e.devmap);
	/* bit 57 means nothing there */
	dt_entry_decode(0x8200000048200027ULL, DT_SIZE_PTE, DT_PTE_NODEVMAP, &zero, &e);
	CHECK(!e.devmap);
	dt_entry_decode(0x8400000048200025ULL, DT_SIZE_PTE, DT_PTE_NODEVMAP, &zero, &e);
	CHECK(e.dirty && e.saved_dirty);
}

static void test_layout_unknown(void)
{
	struct dt_entry e;

	dt_entry_decode(0x8600000048200265ULL, DT_SIZE_PTE, DT_PTE_UNKNOWN, &zero, &e);
	CHECK_EQ(e.has, 0);
	CHECK(!e.devmap && !e.saved_dirty);
	CHECK(e.dirty);		/* the hardware bit is the same everywhere */
	CHECK_EQ(e.pfn, 0x48200);
}

static void test_layout_of_release(void)
{
	CHECK_EQ(dt_pte_layout_of("5.10.0-30-amd64"), DT_PTE_DEVMAP58);
	CHECK_EQ(dt_pte_layout_of("6.1.0-57-amd64"), DT_PTE_DEVMAP58);
	CHECK_EQ(dt_pte_layout_of("6.5.13"), DT_PTE_DEVMAP58);
	CHECK_EQ(dt_pte_layout_of("6.6"), DT_PTE_DEVMAP57);
	CHECK_EQ(dt_pte_layout_of("6.12.117+deb12-amd64"), DT_PTE_DEVMAP57);
	CHECK_EQ(dt_pte_layout_of("6.16.12-rc1"), DT_PTE_DEVMAP57);
	CHECK_EQ(dt_pte_layout_of("6.17.0"), DT_PTE_NODEVMAP);
	CHECK_EQ(dt_pte_layout_of("6.18.44-fc-v857"), DT_PTE_NODEVMAP);
	CHECK_EQ(dt_pte_layout_of("7.2.13+deb14-amd64"), DT_PTE_NODEVMAP);
	CHECK_EQ(dt_pte_layout_of(""), DT_PTE_UNKNOWN);
	CHECK_EQ(dt_pte_layout_of("6"), DT_PTE_UNKNOWN);
	CHECK_EQ(dt_pte_layout_of("linux"), DT_PTE_UNKNOWN);
	CHECK_EQ(dt_pte_layout_of("6.x"), DT_PTE_UNKNOWN);
	CHECK_EQ(dt_pte_layout_of(NULL), DT_PTE_UNKNOWN);
	for (int l = 0; l < DT_PTE_LAYOUTS; l++)
		CHECK(dt_pte_layout_name(l)[0] != '\0');
	CHECK(!strcmp(dt_pte_layout_name(DT_PTE_DEVMAP57), "devmap57"));
}

int main(void)
{
	RUN(test_none);
	RUN(test_dax_pte);
	RUN(test_zero_pte);
	RUN(test_huge_pmd);
	RUN(test_huge_pud);
	RUN(test_layout_6_1);
	RUN(test_layout_6_12);
	RUN(test_layout_7_2);
	RUN(test_layout_unknown);
	RUN(test_layout_of_release);
	return UNIT_EXIT();
}
