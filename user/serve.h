/* SPDX-License-Identifier: GPL-2.0 */
#ifndef USER_SERVE_H
#define USER_SERVE_H

#include "options.h"

/* `daxtrace serve` until SIGINT or SIGTERM; returns the exit code. */
int dt_serve(const struct dt_options *o);

#endif
