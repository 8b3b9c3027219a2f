/* SPDX-License-Identifier: GPL-2.0 */
#ifndef USER_DAX_PATH_H
#define USER_DAX_PATH_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include "devdax.h"

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
/*
 * Reads device-DAX device @dev's name, alignment and size under @sysfs
 * ("/sys"): SYSFS/dev/char/M:m is a link to the device's directory, whose
 * "align" and "size" are in bytes.  -1 when it is not there (the device is
 * gone); a missing attribute leaves its field 0.
 */
int dt_devdax_read_sysfs(const char *sysfs, __u32 dev, struct dt_devdax_dev *out);
/*
 * A dt_dev_namer (histset.h) of the running system: the kernel's name of
 * char device @dev with @devdax ("dax0.0"), else of block device @dev
 * ("pmem0"), from /sys/dev; -1 when sysfs has none (an anonymous dev).
 */
int dt_dev_name(void *ctx, __u32 dev, bool devdax, char *buf, size_t len);

#endif
