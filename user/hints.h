/* SPDX-License-Identifier: GPL-2.0 */
/* What to change when PMD faults fall back: one hint per reason. */
#ifndef USER_HINTS_H
#define USER_HINTS_H

#include <stdbool.h>
#include <stdio.h>
#include "dt_fallback.h"

/*
 * The hint for @r in the user's terms, or NULL when there is none.  Each
 * says what the kernel refused; advice is given only where it was shown
 * to work in the VM suite (tests/vm, scenarios pmd_* and xfs_*).
 */
const char *dt_fallback_hint(enum dt_fallback r);
/*
 * "why no 2 MiB mappings:" and the hint of each reason @counts holds
 * (counts[DT_FB_MAX]); nothing when no PMD fault fell back.
 */
void dt_hints_print(FILE *out, const __u64 *counts);

#endif
