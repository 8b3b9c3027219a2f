/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --split-exec GLOB: faults in groups by the process tree.  A traced
 * process that execs a file matching GLOB starts a group named after it;
 * its descendants belong to it, until one of them execs a match in turn.
 * For xfstests, the glob tests/STAR/STAR (STAR being '*', which a C
 * comment cannot hold before a '/') gives a group per test: check runs
 * each as "exec ./tests/generic/437".  Fed the fork and exec events in
 * their order among the faults (struct dt_proc_event).
 */
#ifndef USER_SPLIT_H
#define USER_SPLIT_H

#include <stdio.h>
#include "summary.h"

#define DT_SPLIT_NAME_LEN	DT_PROC_PATH_LEN

struct dt_split_group {
	char name[DT_SPLIT_NAME_LEN];
	struct dt_summary sum;	/* its faults, counted like the run's */
};

struct dt_split {
	const char *glob;
	/* pid -> group index + 1 (0: in none): open addressing, grown at 1/2 */
	struct { __u32 pid, group; } *pids;
	size_t cap, used;
	struct dt_split_group *groups;
	int ngroups, capgroups;
	struct dt_summary outside;	/* faults of processes in no group */
};

int dt_split_init(struct dt_split *s, const char *glob);
void dt_split_free(struct dt_split *s);
/* A process event, in the order the kernel sent it; -1 out of memory. */
int dt_split_event(struct dt_split *s, const struct dt_proc_event *pe);
/* The totals of the group process @pid belongs to (or of none). */
struct dt_summary *dt_split_sum(struct dt_split *s, __u32 pid);
/*
 * The group name @path starts, if it matches the glob: the shortest tail
 * of @path (after a '/', or all of it, a leading "./" aside) that matches,
 * '*' not crossing '/'.  "./tests/generic/437" with tests/STAR/STAR
 * gives "tests/generic/437".  NULL if it does not match.
 */
const char *dt_split_match(const char *glob, const char *path);
/* "groups":{"NAME":{...},...} (and "(none)" for faults outside any). */
void dt_split_json(FILE *out, const struct dt_split *s, bool exact);
/* A table: a row per group, a column per class seen. */
void dt_split_print(FILE *out, const struct dt_split *s, bool exact);

#endif
