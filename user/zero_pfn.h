/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DT_ZERO_PFN_H
#define DT_ZERO_PFN_H

#include "dt_entry.h"

/*
 * Learns this boot's zero-page PFNs by mapping them into ourselves and
 * reading /proc/self/pagemap (PFNs are only shown to CAP_SYS_ADMIN).
 * A PFN it cannot learn stays 0; returns -1 if the 4 KiB one is unknown.
 */
int dt_zero_pfns_learn(struct dt_zero_pfns *z);

#endif
