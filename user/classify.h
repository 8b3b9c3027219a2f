/* SPDX-License-Identifier: GPL-2.0 */
/* How a DAX fault made its page writable: the rules, free of BPF. */
#ifndef DT_CLASSIFY_H
#define DT_CLASSIFY_H

#include <stdbool.h>
#include "daxtrace.h"
#include "entry.h"

/* The names are a contract (README, tests, CI users): append only. */
enum dt_class {
	DT_CLASS_WRITE,
	DT_CLASS_READ,
	DT_CLASS_HOLE,
	DT_CLASS_RO_UPGRADE,
	DT_CLASS_ZERO_UPGRADE,
	DT_CLASS_COW,
	DT_CLASS_TWO_STEP,
	DT_CLASS_PFN_MISMATCH,
	DT_CLASS_ERROR,
	DT_CLASS_FALLBACK,
	DT_CLASS_OTHER,
	DT_CLASS_MAX,
};

enum dt_mismatch {
	DT_MISMATCH_NONE,
	DT_MISMATCH_ZERO_PAGE,
	DT_MISMATCH_PRIVATE_COW,
	DT_MISMATCH_UNEXPECTED,
	DT_MISMATCH_MAX,
};

/* What the classifier may rely on beyond the record itself. */
struct dt_classify_ctx {
	struct dt_zero_pfns zero;
	bool exact;	/* insert probes attached: before/after are real */
};

struct dt_verdict {
	enum dt_class cls;
	enum dt_mismatch mismatch;
	bool violation;
	bool inferred;	/* decided from fault flags, not from the entries */
};

void dt_classify(const struct dt_event *ev, const struct dt_classify_ctx *cx,
		 struct dt_verdict *v);
const char *dt_class_name(enum dt_class cls);
const char *dt_mismatch_name(enum dt_mismatch m);
/* Returns the class for @name, or -1. */
int dt_class_parse(const char *name);

#endif
