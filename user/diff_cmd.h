/* SPDX-License-Identifier: GPL-2.0 */
#ifndef USER_DIFF_CMD_H
#define USER_DIFF_CMD_H

#include "options.h"

/* `daxtrace diff`: returns the exit code (enum dt_exit). */
int dt_diff_main(const struct dt_options *o);

#endif
