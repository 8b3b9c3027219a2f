/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Naming the file of a violation: a dt_file_event (the dentries the BPF
 * side walked) under its mount point, from /proc/PID/mountinfo; kept by
 * device and inode.  Pure logic, unit-tested (tests/unit/test_filenames.c).
 */
#ifndef DT_FILENAMES_H
#define DT_FILENAMES_H

#include <stdbool.h>
#include <stdio.h>
#include "daxtrace.h"

#define DT_FILE_LEN	256	/* a file's path, cut to fit */

/* Where a filesystem is mounted: its mount point, and which of its directories. */
struct dt_mount {
	char point[DT_FILE_LEN];
	char root[DT_FILE_LEN];	/* "/" unless a bind mount of a directory */
};

/*
 * The mount of the filesystem of @s_dev (the kernel's dev_t, as the
 * superblock has it) from @mi, in the format of /proc/PID/mountinfo: the
 * one of its root when there is one, else the first.  0, or -1: none.
 */
int dt_mountinfo_find(FILE *mi, __u32 s_dev, struct dt_mount *m);
/*
 * The file of @fe as a path into @out: under @m's mount point, or, with @m
 * NULL (no mount names it), "dev MAJOR:MINOR:" and the path in its
 * filesystem.  "/..." stands for what is above a walk that stopped short
 * of the root; "" when no name was read.
 */
void dt_file_path(char *out, size_t len, const struct dt_file_event *fe,
		  const struct dt_mount *m);

/* The files named so far, by device and inode: an open-addressing table. */
struct dt_filename {
	__u64 ino;
	__u32 s_dev;
	bool used;
	char path[DT_FILE_LEN];
};

struct dt_filenames {
	struct dt_filename *v;
	size_t n, cap;		/* cap a power of two, or 0 */
};

/* 0, or -1 out of memory; a file named again takes its new name */
int dt_filenames_put(struct dt_filenames *t, __u32 s_dev, __u64 ino, const char *path);
/* its path, or NULL when never named */
const char *dt_filenames_get(const struct dt_filenames *t, __u32 s_dev, __u64 ino);
void dt_filenames_free(struct dt_filenames *t);

#endif
