/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which DAX insert path the running kernel has (enum dt_era), chosen
 * before load from the kernel's BTF: the functions that exist and their
 * signatures.  An era daxtrace does not know is DT_ERA_UNKNOWN (classes
 * inferred), never a guess.
 */
#ifndef USER_ERA_H
#define USER_ERA_H

#include <stddef.h>
#include "dt_points.h"

struct btf;

/*
 * The era of the kernel @btf describes (NULL: no BTF, unknown).  @why
 * gets the evidence, or what was missing, in a short sentence.
 */
enum dt_era dt_era_detect(const struct btf *btf, char *why, size_t whylen);
/* "pfn", "page", "unknown" */
const char *dt_era_name(enum dt_era era);
/* What the era means in the kernel's terms, for `daxtrace probes`. */
const char *dt_era_about(enum dt_era era);
/* The era of @name ("pfn", ...), DT_ERA_UNKNOWN for anything else. */
enum dt_era dt_era_parse(const char *name);

#endif
