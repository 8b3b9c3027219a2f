/* SPDX-License-Identifier: GPL-2.0 */
#ifndef USER_REPORT_H
#define USER_REPORT_H

#include "options.h"

/* `daxtrace report FILE`: replay a recording; returns the exit code. */
int dt_report(const struct dt_options *o);

#endif
