/* SPDX-License-Identifier: GPL-2.0 */
/* Fault latency over time as an SVG heatmap: `daxtrace report --svg`. */
#ifndef DT_HEATMAP_H
#define DT_HEATMAP_H

#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#define DT_HEATMAP_COLUMNS	60	/* time bins when opts->columns is 0 */
#define DT_HEATMAP_MAX_COLUMNS	1000

struct dt_heat_point {
	__u64 t_ns;
	__u64 lat_ns;
	int cls;		/* enum dt_class */
};

struct dt_heatmap_opts {
	const char *title;	/* NULL: a default title */
	int columns;		/* time bins, DT_HEATMAP_COLUMNS when 0 */
};

/*
 * Writes a standalone SVG 1.1 document: one panel per class that has
 * events, in enum order, time on x and log2 latency rows on y, colour by
 * the log of the count.  @o may be NULL.  Returns 0, or -1 on bad
 * arguments (a class out of range, columns out of [0, MAX]; nothing is
 * written) or when writing or allocating fails.
 */
int dt_heatmap_svg(FILE *out, const struct dt_heat_point *pts, size_t n,
		   const struct dt_heatmap_opts *o);

/* Row of a latency: k for [2^k, 2^(k+1)) us, and 0 below 1 us. */
int dt_heatmap_row(__u64 lat_ns);
/* "0-2us", "2-4us", ... "512-1024us", "1-2ms", ... "2^30-2^31us". */
void dt_heatmap_row_label(int row, char *buf, size_t len);

#endif
