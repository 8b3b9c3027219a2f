/* SPDX-License-Identifier: GPL-2.0 */
#ifndef USER_RESOLVE_H
#define USER_RESOLVE_H

#include <linux/types.h>

/*
 * Names the file (dev, ino) by finding it among the mappings of @pid in
 * /proc/PID/maps, where a faulting file is almost always still mapped.
 * Falls back to "MOUNTPOINT inode N" (the process may have unmapped it
 * by then); NULL when even the mount is unknown (dev:inode is printed).
 */
const char *dt_resolve_file(void *ctx, __u32 dev, __u64 ino, __u32 pid);

#endif
