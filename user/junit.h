/* SPDX-License-Identifier: GPL-2.0 */
/* JUnit XML for `daxtrace check --junit FILE`, as GitLab and Jenkins read it. */
#ifndef DT_JUNIT_H
#define DT_JUNIT_H

#include <stdbool.h>
#include <stdio.h>

struct dt_junit_case {
	const char *name;		/* required */
	const char *classname;		/* NULL: the suite name */
	double time_s;
	/* NULL: passed.  With @skipped, the reason for skipping. */
	const char *failure_message;
	const char *failure_text;	/* body, may be long, any bytes */
	bool skipped;
};

/*
 * Writes one <testsuites> holding one <testsuite> of @n cases.  Every
 * string may hold any bytes: the output is well-formed XML 1.0 regardless.
 * @timestamp_iso8601 and @hostname may be NULL (attribute left out).
 * Returns 0, or -1 on bad arguments (nothing written) or a write error.
 */
int dt_junit_write(FILE *out, const char *suite_name,
		   const struct dt_junit_case *cases, int n, double time_s,
		   const char *timestamp_iso8601, const char *hostname);


#endif
