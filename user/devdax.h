/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device-DAX devices a trace saw: each one's name (dax0.0), alignment
 * and size, read from sysfs the first time a record names its number, or
 * from a recording's device records; and the names of the driver's
 * reasons (include/dt_devdax.h).  Pure logic, unit-tested; sysfs is read
 * by dt_devdax_read_sysfs() (dax_path.c).
 */
#ifndef DT_DEVDAX_USER_H
#define DT_DEVDAX_USER_H

#include <stdbool.h>
#include <stdio.h>
#include "dt_devdax.h"

#define DT_DEVDAX_DEVS		16	/* devices named; more are counted as "M:m" */
#define DT_DEVDAX_NAME_LEN	32

struct dt_devdax_dev {
	__u32 dev;		/* kernel dev_t of the character device */
	char name[DT_DEVDAX_NAME_LEN];	/* "dax0.0"; "" when sysfs had none */
	struct dt_devdax_geom geom;	/* align 0: unknown */
	__u64 faults;		/* records of it consumed */
	__u64 why[DT_DD_MAX];	/* ... per reason */
};

struct dt_devdax_devs {
	int n;
	__u64 unnamed;		/* records of devices past DT_DEVDAX_DEVS */
	struct dt_devdax_dev v[DT_DEVDAX_DEVS];
};

const char *dt_devdax_why_name(enum dt_devdax_why w);
/* The device of @dev, or NULL when the table does not hold it. */
struct dt_devdax_dev *dt_devdax_find(struct dt_devdax_devs *t, __u32 dev);
const struct dt_devdax_dev *dt_devdax_find_const(const struct dt_devdax_devs *t,
						 __u32 dev);
/* Adds @d (its counts zeroed); NULL when the table is full. */
struct dt_devdax_dev *dt_devdax_add(struct dt_devdax_devs *t,
				    const struct dt_devdax_dev *d);
/* What a refusal for @w asks of the user, or NULL (none: no fault of ours). */
const char *dt_devdax_hint(enum dt_devdax_why w);
/* "dax0.0 (2M-aligned, 1 GiB)": the device as a summary names it */
void dt_devdax_describe(char *out, size_t len, const struct dt_devdax_dev *d);

#endif
