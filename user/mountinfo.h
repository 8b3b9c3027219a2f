/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One line of /proc/PID/mountinfo (proc(5)), split into the fields
 * daxtrace reads: the device, the root and mount point (their \ooo
 * escapes undone), the mount's options and the superblock's.  Shared by
 * --path (is the filesystem DAX?), forensics (a file under its mount) and
 * serve (the fs label).  Pure logic, unit-tested.
 */
#ifndef DT_MOUNTINFO_H
#define DT_MOUNTINFO_H

#include <linux/types.h>

#define DT_MOUNTINFO_LINE	8192	/* a line longer is not one daxtrace reads */

struct dt_mountinfo_line {
	__u32 dev;		/* kernel dev_t: MAJOR << 20 | MINOR */
	char root[4096];	/* the directory of the filesystem mounted */
	char point[4096];	/* where */
	char opts[1024];	/* the mount's options: "rw,relatime" */
	char super_opts[1024];	/* the superblock's, after " - fstype source " */
};

/* 0 with @out filled, or -1: not a mountinfo line (@line is not changed) */
int dt_mountinfo_parse(const char *line, struct dt_mountinfo_line *out);

#endif
