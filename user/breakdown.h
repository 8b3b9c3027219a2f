/* SPDX-License-Identifier: GPL-2.0 */
/* The end-of-trace tables: faults per process and per file, per class. */
#ifndef USER_BREAKDOWN_H
#define USER_BREAKDOWN_H

#include <stdio.h>
#include "classify.h"
#include "dt_hist.h"

#define DT_GROUPS_MAX	4096	/* per table; later groups fold into one */
#define DT_NAME_LEN	128

struct dt_group {
	__u64 a, b;		/* pid, 0 | dev, ino */
	char comm[DT_COMM_LEN];
	char name[DT_NAME_LEN];
	__u64 faults;
	__u64 classes[DT_CLASS_MAX];
	__u64 mismatches;
	__u64 pmd_fallbacks;	/* PMD faults of it that fell back */
	struct dt_hist lat;
	bool used;
};

struct dt_group_table {
	struct dt_group *slots;	/* DT_GROUPS_MAX, open addressing */
	struct dt_group other;	/* everything past the cap */
	int used;
	/*
	 * The slot found last: a stream's records come in runs of one process
	 * and one file, and this spares them the hash and the probe.  Never
	 * &other, which moves with a copy of the table.
	 */
	struct dt_group *last;
};

/* Names a file for the table; may return NULL (dev:inode is printed). */
typedef const char *(*dt_file_namer)(void *ctx, __u32 dev, __u64 ino, __u32 pid);

struct dt_breakdown {
	struct dt_group_table procs, files;
	dt_file_namer namer;
	void *namer_ctx;
};

int dt_breakdown_init(struct dt_breakdown *b, dt_file_namer namer, void *ctx);
void dt_breakdown_free(struct dt_breakdown *b);
void dt_breakdown_add(struct dt_breakdown *b, const struct dt_event *ev,
		      const struct dt_verdict *v);
void dt_breakdown_print(FILE *out, const struct dt_breakdown *b);

#endif
