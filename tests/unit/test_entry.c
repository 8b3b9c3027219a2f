// SPDX-License-Identifier: GPL-2.0
#include "unit.h"
#include "events.h"
#include "dt_entry.h"

static const struct dt_zero_pfns zero = { .pte = ZERO_PFN, .pmd = HUGE_ZERO_PFN };

static void test_none(void)
{
	struct dt_entry e;

	dt_entry_decode(0, DT_SIZE_PTE, &zero, &e);
	CHECK(!e.present && !e.write && !e.zero);
	CHECK_EQ(e.pfn, 0);
	/* a swap entry is not present: its bits must not be read as flags */
	dt_entry_decode(0x3fffffffffffeULL << 1 & ~1ULL & ~(1ULL << 8),
			DT_SIZE_PTE, &zero, &e);
	CHECK(!e.present);
}

static void test_dax_pte(void)
{
	struct dt_entry e;

	dt_entry_decode(DAX_RW(PFN) | NX, DT_SIZE_PTE, &zero, &e);
	CHECK(e.present && e.write && e.dirty && e.young && e.special && e.devmap);
	CHECK(!e.zero && !e.huge);
	CHECK_EQ(e.pfn, PFN);
	dt_entry_decode(DAX_RO(PFN), DT_SIZE_PTE, &zero, &e);
	CHECK(e.present && !e.write && !e.dirty);
}

static void test_zero_pte(void)
{
	struct dt_entry e;
	struct dt_zero_pfns unknown = { 0 };

	dt_entry_decode(ZERO_PTE, DT_SIZE_PTE, &zero, &e);
	CHECK(e.zero && !e.devmap);
	CHECK_EQ(e.pfn, ZERO_PFN);
	dt_entry_decode(ZERO_PTE, DT_SIZE_PTE, &unknown, &e);
	CHECK(!e.zero);
}

/* bit 12 of a huge PMD is its PAT bit, not part of the PFN */
static void test_huge_pmd(void)
{
	struct dt_entry e;

	dt_entry_decode(PTE(0x40000ULL, P | RW | PSE) | (1ULL << 12),
			DT_SIZE_PMD, &zero, &e);
	CHECK(e.huge);
	CHECK_EQ(e.pfn, 0x40000);
	dt_entry_decode(PTE(HUGE_ZERO_PFN, P | PSE), DT_SIZE_PMD, &zero, &e);
	CHECK(e.zero);
	/* a PMD that points to a page table is not a huge mapping */
	dt_entry_decode(PTE(0x777ULL, P | RW | A), DT_SIZE_PMD, &zero, &e);
	CHECK(!e.huge && !e.zero);
	CHECK_EQ(e.pfn, 0x777);
}

int main(void)
{
	RUN(test_none);
	RUN(test_dax_pte);
	RUN(test_zero_pte);
	RUN(test_huge_pmd);
	return UNIT_EXIT();
}
