/* SPDX-License-Identifier: GPL-2.0 */
/* Which x86-64 PTE layout (enum dt_pte_layout) a kernel release has. */
#ifndef USER_LAYOUT_H
#define USER_LAYOUT_H

#include "dt_entry.h"

/* The layout of kernel @release ("6.12.117+deb12-amd64"), from its version. */
enum dt_pte_layout dt_pte_layout_of(const char *release);
/* "devmap58", "devmap57", "nodevmap", "unknown" */
const char *dt_pte_layout_name(enum dt_pte_layout layout);

#endif
