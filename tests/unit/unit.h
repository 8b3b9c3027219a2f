/* SPDX-License-Identifier: GPL-2.0 */
/* A minimal unit-test harness: one PASS/FAIL line per test function. */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>

static int unit_checks_failed;
static int unit_tests_failed;
static int unit_tests_run;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			unit_checks_failed++;				\
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n",	\
				__FILE__, __LINE__, #cond);		\
		}							\
	} while (0)

#define CHECK_EQ(a, b)							\
	do {								\
		long long _a = (long long)(a), _b = (long long)(b);	\
		if (_a != _b) {						\
			unit_checks_failed++;				\
			fprintf(stderr, "%s:%d: %s == %lld, want %lld\n", \
				__FILE__, __LINE__, #a, _a, _b);	\
		}							\
	} while (0)

#define RUN(fn)								\
	do {								\
		int _before = unit_checks_failed;			\
		fn();							\
		unit_tests_run++;					\
		if (unit_checks_failed != _before) {			\
			unit_tests_failed++;				\
			printf("FAIL unit/%s\n", #fn);			\
		} else {						\
			printf("PASS unit/%s\n", #fn);			\
		}							\
	} while (0)

#define UNIT_EXIT() (unit_tests_failed ? 1 : 0)

#endif
