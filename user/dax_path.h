/* SPDX-License-Identifier: GPL-2.0 */
#ifndef USER_DAX_PATH_H
#define USER_DAX_PATH_H

#include <linux/types.h>

/* What --path selects: one file, or (ino == 0) one filesystem. */
struct dt_path_filter {
	__u32 dev;	/* kernel dev_t: MAJOR << 20 | MINOR */
	__u64 ino;
};

/*
 * Resolves --path PATH: a regular file must be in DAX mode (statx
 * STATX_ATTR_DAX), a directory must be on a filesystem mounted with dax.
 * Returns -1 with a message in @err otherwise.
 */
int dt_path_filter(const char *path, struct dt_path_filter *f,
		   char *err, int errlen);
/*
 * Resolves --dev DEV (daxX.Y, or a path): a character device whose sysfs
 * subsystem is dax.  Filters on its device number, as the BPF side keys
 * a device-DAX fault.  Returns -1 with a message in @err otherwise.
 */
int dt_dev_filter(const char *dev, struct dt_path_filter *f, char *err, int errlen);

#endif
