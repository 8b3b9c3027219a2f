// SPDX-License-Identifier: GPL-2.0
/*
 * The era is read off BTF (user/era_btf.c): built here with libbpf's BTF
 * writer as each kernel has it, so no kernel is needed.
 */
#include <string.h>
#include <bpf/btf.h>
#include "unit.h"
#include "era.h"

/* Adds function @name with parameters @params (NULL-terminated) to @btf. */
static void add_func(struct btf *btf, const char *name, const char *const *params)
{
	int ulong = btf__find_by_name_kind(btf, "unsigned long", BTF_KIND_INT);
	int proto;

	if (ulong <= 0)
		ulong = btf__add_int(btf, "unsigned long", 8, 0);
	proto = btf__add_func_proto(btf, ulong);
	for (int i = 0; params[i]; i++)
		btf__add_func_param(btf, params[i], ulong);
	btf__add_func(btf, name, BTF_FUNC_STATIC, proto);
}

static const char *const pfn_params[] = { "vma", "addr", "pfn", "prot",
					  "mkwrite", NULL };
static const char *const page_params[] = { "vma", "pte", "addr", "page",
					   "prot", "mkwrite", NULL };
/* 6.12's insert_page_into_pte_locked(): no mkwrite yet */
static const char *const old_page_params[] = { "vma", "pte", "addr", "page",
					       "prot", NULL };
static const char *const vmf_page_params[] = { "vmf", "page", "write", NULL };

static enum dt_era detect(struct btf *btf, char *why)
{
	enum dt_era era = dt_era_detect(btf, why, 128);

	btf__free(btf);
	return era;
}

/* 6.1 and 6.12: insert_pfn(), an older insert_page_into_pte_locked() */
static void test_pfn_era(void)
{
	struct btf *btf = btf__new_empty();
	char why[128];

	add_func(btf, "insert_pfn", pfn_params);
	add_func(btf, "insert_page_into_pte_locked", old_page_params);
	CHECK_EQ(detect(btf, why), DT_ERA_PFN);
	CHECK(strstr(why, "insert_pfn(vma, addr, pfn, prot, mkwrite)"));
}

/* 7.2: insert_pfn() stays for other callers; the page era wins */
static void test_page_era(void)
{
	struct btf *btf = btf__new_empty();
	char why[128];

	add_func(btf, "insert_pfn", pfn_params);
	add_func(btf, "vmf_insert_page_mkwrite", vmf_page_params);
	add_func(btf, "insert_page_into_pte_locked", page_params);
	CHECK_EQ(detect(btf, why), DT_ERA_PAGE);
	CHECK(strstr(why, "vmf_insert_page_mkwrite()"));
}

/* a signature daxtrace does not read: no era, never a guess */
static void test_unknown_signatures(void)
{
	static const char *const renamed[] = { "vma", "ptep", "addr", "page",
					       "prot", "mkwrite", NULL };
	static const char *const longer[] = { "vma", "pte", "addr", "page",
					      "prot", "mkwrite", "flags", NULL };
	static const char *const pfn4[] = { "vma", "addr", "pfn", "prot", NULL };
	struct btf *btf;
	char why[128];

	btf = btf__new_empty();
	add_func(btf, "vmf_insert_page_mkwrite", vmf_page_params);
	add_func(btf, "insert_page_into_pte_locked", renamed);
	add_func(btf, "insert_pfn", pfn_params);
	CHECK_EQ(detect(btf, why), DT_ERA_UNKNOWN);
	CHECK(strstr(why, "but no insert_page_into_pte_locked"));

	btf = btf__new_empty();
	add_func(btf, "vmf_insert_page_mkwrite", vmf_page_params);
	add_func(btf, "insert_page_into_pte_locked", longer);
	CHECK_EQ(detect(btf, why), DT_ERA_UNKNOWN);

	btf = btf__new_empty();
	add_func(btf, "vmf_insert_page_mkwrite", vmf_page_params);
	CHECK_EQ(detect(btf, why), DT_ERA_UNKNOWN);

	btf = btf__new_empty();
	add_func(btf, "insert_pfn", pfn4);
	CHECK_EQ(detect(btf, why), DT_ERA_UNKNOWN);
	CHECK(strstr(why, "neither"));

	btf = btf__new_empty();
	CHECK_EQ(detect(btf, why), DT_ERA_UNKNOWN);

	CHECK_EQ(dt_era_detect(NULL, why, sizeof(why)), DT_ERA_UNKNOWN);
	CHECK(strstr(why, "no kernel BTF"));
}

static void test_names(void)
{
	CHECK(!strcmp(dt_era_name(DT_ERA_PFN), "pfn"));
	CHECK(!strcmp(dt_era_name(DT_ERA_PAGE), "page"));
	CHECK(!strcmp(dt_era_name(DT_ERA_UNKNOWN), "unknown"));
	CHECK_EQ(dt_era_parse("page"), DT_ERA_PAGE);
	CHECK_EQ(dt_era_parse("pfn"), DT_ERA_PFN);
	CHECK_EQ(dt_era_parse("folio"), DT_ERA_UNKNOWN);
	CHECK(strstr(dt_era_about(DT_ERA_PAGE), "insert_page_into_pte_locked"));
}

int main(void)
{
	RUN(test_pfn_era);
	RUN(test_page_era);
	RUN(test_unknown_signatures);
	RUN(test_names);
	return UNIT_EXIT();
}
