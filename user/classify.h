/* SPDX-License-Identifier: GPL-2.0 */
/* Names of the classes; the rules themselves are in include/dt_classify.h. */
#ifndef USER_CLASSIFY_H
#define USER_CLASSIFY_H

#include "dt_classify.h"

const char *dt_class_name(enum dt_class cls);
const char *dt_mismatch_name(enum dt_mismatch m);
/* "pte", "pmd", "pud" */
const char *dt_size_name(enum dt_size size);
/* Returns the class for @name, or -1. */
int dt_class_parse(const char *name);

#endif
