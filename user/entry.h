/* SPDX-License-Identifier: GPL-2.0 */
/* Decode raw x86-64 page-table entries copied by the BPF side. */
#ifndef DT_ENTRY_H
#define DT_ENTRY_H

#include <stdbool.h>
#include <linux/types.h>
#include "daxtrace.h"

struct dt_entry {
	bool present;
	bool write;
	bool dirty;
	bool young;
	bool special;
	bool devmap;
	bool huge;
	bool zero;	/* the shared zero page (4 KiB) or huge zero page */
	__u64 pfn;
};

/* PFNs of the zero pages on this boot; 0 when unknown. */
struct dt_zero_pfns {
	__u64 pte;
	__u64 pmd;
};

void dt_entry_decode(__u64 val, enum dt_size size,
		     const struct dt_zero_pfns *zero, struct dt_entry *e);

#endif
