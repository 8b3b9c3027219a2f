// SPDX-License-Identifier: GPL-2.0
/*
 * The DAX insert path of the running kernel, read off its BTF.
 *
 * Up to 6.14, fs/dax.c maps a PTE with vmf_insert_mixed(_mkwrite)() ->
 * insert_pfn(vma, addr, pfn, prot, mkwrite), which takes the page-table
 * lock through __get_locked_pte().  From 6.15 DAX memory is folios: PTEs
 * go through vmf_insert_page_mkwrite() -> insert_page() ->
 * insert_page_into_pte_locked(vma, pte, addr, page, prot, mkwrite), PMDs
 * through vmf_insert_folio_pmd().  insert_pfn() and the PMD pfn inserts
 * stay for other callers, so their presence says nothing: the era is the
 * newer one as soon as its entry point exists, and each era is recognised
 * by its own function with the signature daxtrace reads.
 */
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include "era.h"

/*
 * The parameter names of function @fn in @btf, or -1 if it is not there.
 * @names gets up to @max of them.
 */
static int func_params(const struct btf *btf, const char *fn,
		       const char **names, int max)
{
	const struct btf_param *p;
	const struct btf_type *t;
	int id, n;

	id = btf__find_by_name_kind(btf, fn, BTF_KIND_FUNC);
	if (id <= 0)
		return -1;
	t = btf__type_by_id(btf, btf__type_by_id(btf, id)->type);
	if (!t || !btf_is_func_proto(t))
		return -1;
	n = btf_vlen(t);
	p = btf_params(t);
	for (int i = 0; i < n && i < max; i++)
		names[i] = btf__name_by_offset(btf, p[i].name_off);
	return n;
}

/* @fn exists with exactly the parameters @want (NULL-terminated). */
static bool has_signature(const struct btf *btf, const char *fn,
			  const char *const *want)
{
	const char *names[8] = { 0 };
	int n = func_params(btf, fn, names, 8), i;

	for (i = 0; want[i]; i++)
		if (i >= n || !names[i] || strcmp(names[i], want[i]))
			return false;
	return i == n;
}

enum dt_era dt_era_detect(const struct btf *btf, char *why, size_t whylen)
{
	static const char *const page_args[] = { "vma", "pte", "addr", "page",
						 "prot", "mkwrite", NULL };
	static const char *const pfn_args[] = { "vma", "addr", "pfn", "prot",
						"mkwrite", NULL };

	if (!btf) {
		snprintf(why, whylen, "no kernel BTF to read the insert path from");
		return DT_ERA_UNKNOWN;
	}
	if (btf__find_by_name_kind(btf, "vmf_insert_page_mkwrite", BTF_KIND_FUNC) > 0) {
		if (has_signature(btf, "insert_page_into_pte_locked", page_args)) {
			snprintf(why, whylen, "vmf_insert_page_mkwrite() and "
				 "insert_page_into_pte_locked(..., mkwrite) in BTF");
			return DT_ERA_PAGE;
		}
		snprintf(why, whylen, "vmf_insert_page_mkwrite() in BTF, but no "
			 "insert_page_into_pte_locked(vma, pte, addr, page, prot, mkwrite)");
		return DT_ERA_UNKNOWN;
	}
	if (has_signature(btf, "insert_pfn", pfn_args)) {
		snprintf(why, whylen, "insert_pfn(vma, addr, pfn, prot, mkwrite) in "
			 "BTF, no vmf_insert_page_mkwrite()");
		return DT_ERA_PFN;
	}
	snprintf(why, whylen, "neither vmf_insert_page_mkwrite() nor "
		 "insert_pfn(vma, addr, pfn, prot, mkwrite) in BTF");
	return DT_ERA_UNKNOWN;
}

