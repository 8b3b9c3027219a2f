/* SPDX-License-Identifier: GPL-2.0 */
/* Addresses of kernel symbols, from /proc/kallsyms. */
#ifndef USER_KALLSYMS_H
#define USER_KALLSYMS_H

#include <linux/types.h>

/*
 * The address of the kernel (not module) symbol @name, 0 if absent or
 * hidden (kptr_restrict shows zeros to those without CAP_SYSLOG).
 */
__u64 dt_kallsyms_addr(const char *name);

#endif
