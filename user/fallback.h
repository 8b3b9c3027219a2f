/* SPDX-License-Identifier: GPL-2.0 */
/* Names of the PMD fallback reasons; the decision is in include/dt_fallback.h. */
#ifndef USER_FALLBACK_H
#define USER_FALLBACK_H

#include "daxtrace.h"
#include "dt_fallback.h"

const char *dt_fallback_name(enum dt_fallback r);
/* Returns the reason for @name, or -1. */
int dt_fallback_parse(const char *name);
/* @ev's PMD fallback reason, or -1 when no PMD fault of it fell back. */
int dt_fallback_of(const struct dt_event *ev);

#endif
