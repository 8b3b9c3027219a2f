/* SPDX-License-Identifier: GPL-2.0 */
#ifndef USER_REPORT_H
#define USER_REPORT_H

#include <stdio.h>
#include "dt_hist.h"
#include "options.h"

/* `daxtrace report FILE`: replay a recording; returns the exit code. */
int dt_report(const struct dt_options *o);
/*
 * `daxtrace diff`'s view of the recording @path: its JSON summary, as
 * `report -q -s json` prints it (with --split-exec @split_glob, or NULL),
 * written to @json, and its latencies per class in @lat.  0, or -1 with
 * the reason on stderr.
 */
int dt_report_digest(const char *path, const char *split_glob, FILE *json,
		     struct dt_hist lat[DT_CLASS_MAX]);

#endif
