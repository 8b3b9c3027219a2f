// SPDX-License-Identifier: GPL-2.0
/*
 * The latency heatmap.  Points are counted into a classes x rows x columns
 * grid, so memory does not grow with the trace, then every class that has
 * events becomes a panel.  Panels share rows, columns and the colour
 * scale: the same cell means the same thing in each, and they compare.
 */
#include <limits.h>
#include <stdlib.h>
#include "classify.h"
#include "heatmap.h"
#include "xml.h"		/* dt_xml_escape() */

/* Layout in px.  Whole-pixel cells rasterise without seams between them. */
#define PLOT_W		720	/* aimed at; cells are whole pixels wide */
#define MIN_CELL_W	2
#define ROW_H		14
#define MARGIN_L	96	/* room for the "2^53-2^54us" row label */
#define MARGIN_R	24
#define MIN_W		560	/* room for the legend */
#define HEADER_H	72
#define PANEL_TITLE_H	24
#define AXIS_H		32
#define FOOTER_H	24
#define LEGEND_X	(MARGIN_L + 180)
#define LEGEND_STEPS	8
#define SWATCH_W	24
#define X_TICKS		5

struct grid {
	int cols, rmin, nrows;
	__u64 t0, span;			/* first event; last minus first */
	__u64 events[DT_CLASS_MAX];
	__u64 cmin, cmax;		/* over the non-empty cells */
	__u64 *cnt;			/* [DT_CLASS_MAX][nrows][cols] */
};

struct layout {
	int cell_w, plot_w, plot_h, panel_h, width, height;
};

/* YlOrRd: light yellow for the fewest events, dark red for the most. */
static const unsigned char ramp[][3] = {
	{ 0xff, 0xed, 0xa0 }, { 0xfe, 0xd9, 0x76 }, { 0xfe, 0xb2, 0x4c },
	{ 0xfd, 0x8d, 0x3c }, { 0xfc, 0x4e, 0x2a }, { 0xe3, 0x1a, 0x1c },
	{ 0xbd, 0x00, 0x26 }, { 0x80, 0x00, 0x26 },
};
#define RAMP_N	((int)(sizeof(ramp) / sizeof(ramp[0])))

int dt_heatmap_row(__u64 lat_ns)
{
	__u64 us = lat_ns / 1000;

	return us ? 63 - __builtin_clzll(us) : 0;
}

void dt_heatmap_row_label(int row, char *buf, size_t len)
{
	/* units step by 1024 as in biolatency: "1-2ms" is [1024, 2048) us */
	static const char *const unit[] = { "us", "ms", "s" };

	if (row <= 0)
		snprintf(buf, len, "0-2us");
	else if (row < 30)
		snprintf(buf, len, "%u-%u%s", 1u << row % 10, 2u << row % 10,
			 unit[row / 10]);
	else
		snprintf(buf, len, "2^%d-2^%dus", row, row + 1);
}

/* First pass: the extent of the data, which sizes the grid. */
static int scan(const struct dt_heat_point *pts, size_t n, struct grid *g)
{
	__u64 t1 = 0;
	int rmax = 0;

	g->t0 = ~0ULL;
	g->rmin = INT_MAX;
	for (size_t i = 0; i < n; i++) {
		int r = dt_heatmap_row(pts[i].lat_ns);

		if ((unsigned int)pts[i].cls >= DT_CLASS_MAX)
			return -1;
		g->t0 = pts[i].t_ns < g->t0 ? pts[i].t_ns : g->t0;
		t1 = pts[i].t_ns > t1 ? pts[i].t_ns : t1;
		g->rmin = r < g->rmin ? r : g->rmin;
		rmax = r > rmax ? r : rmax;
	}
	g->span = t1 - g->t0;
	g->nrows = rmax - g->rmin + 1;
	if (!g->span)
		g->cols = 1;
	return 0;
}

static int col_of(const struct grid *g, __u64 t)
{
	unsigned __int128 c;

	if (!g->span)
		return 0;
	/* 128 bits: (t - t0) * cols passes 2^64 once a trace spans 213 days */
	c = (unsigned __int128)(t - g->t0) * g->cols / g->span;
	return c < (unsigned int)g->cols ? (int)c : g->cols - 1;
}

static __u64 *cell(const struct grid *g, int cls, int r, int c)
{
	return &g->cnt[((size_t)cls * g->nrows + r) * g->cols + c];
}

static int fill(const struct dt_heat_point *pts, size_t n, struct grid *g)
{
	size_t cells = (size_t)DT_CLASS_MAX * g->nrows * g->cols;

	g->cnt = calloc(cells, sizeof(*g->cnt));
	if (!g->cnt)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int r = dt_heatmap_row(pts[i].lat_ns) - g->rmin;

		(*cell(g, pts[i].cls, r, col_of(g, pts[i].t_ns)))++;
		g->events[pts[i].cls]++;
	}
	g->cmin = ~0ULL;
	for (size_t i = 0; i < cells; i++) {
		if (!g->cnt[i])
			continue;
		g->cmin = g->cnt[i] < g->cmin ? g->cnt[i] : g->cmin;
		g->cmax = g->cnt[i] > g->cmax ? g->cnt[i] : g->cmax;
	}
	return 0;
}

/*
 * log2 without libm, which the unit tests do not link: halving gives the
 * integer part, then each squaring gives one bit of the fraction.
 */
static double log2_of(double x)
{
	double r = 0, bit = 1;

	while (x >= 2) {
		x /= 2;
		r++;
	}
	for (int i = 0; i < 20; i++) {
		bit /= 2;
		x *= x;
		if (x >= 2) {
			x /= 2;
			r += bit;
		}
	}
	return r;
}

/* The ramp colour at @f in [0, 1]. */
static void colour_at(double f, char buf[16])
{
	double pos = (f < 0 ? 0 : f > 1 ? 1 : f) * (RAMP_N - 1);
	int i = pos >= RAMP_N - 1 ? RAMP_N - 2 : (int)pos;
	double w = pos - i;
	unsigned int rgb[3];

	for (int k = 0; k < 3; k++)
		rgb[k] = (unsigned int)(ramp[i][k] +
					(ramp[i + 1][k] - ramp[i][k]) * w + 0.5);
	snprintf(buf, 16, "#%02x%02x%02x", rgb[0] & 0xff, rgb[1] & 0xff,
		 rgb[2] & 0xff);
}

/* Log scale: a cell of 10 events stays visible beside one of 10000. */
static void colour_of(const struct grid *g, __u64 count, char buf[16])
{
	double lo = log2_of(g->cmin), hi = log2_of(g->cmax);

	colour_at(hi > lo ? (log2_of(count) - lo) / (hi - lo) : 1, buf);
}

static void secs_str(double s, char buf[32])
{
	if (s < 100)
		snprintf(buf, 32, "%.3g", s);
	else
		snprintf(buf, 32, "%.0f", s);
}

/* Seconds from the first event to the start of column @c. */
static double col_secs(const struct grid *g, int c)
{
	return (double)g->span * c / g->cols / 1e9;
}

static void svg_open(FILE *out, int w, int h, int x, const char *title)
{
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
		"width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		"font-family=\"sans-serif\" font-size=\"11\">\n<title>",
		w, h, w, h);
	dt_xml_escape(out, title, false);
	fprintf(out, "</title>\n<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n"
		"<text x=\"%d\" y=\"24\" font-size=\"16\" font-weight=\"bold\">",
		w, h, x);
	dt_xml_escape(out, title, false);
	fputs("</text>\n", out);
}

static void svg_legend(FILE *out, const struct grid *g)
{
	int steps = g->cmin == g->cmax ? 1 : LEGEND_STEPS;
	int end = LEGEND_X + steps * SWATCH_W;
	char fill[16];

	fprintf(out, "<g id=\"legend\">\n<text x=\"%d\" y=\"46\">"
		"events per cell (log scale)</text>\n", MARGIN_L);
	for (int i = 0; i < steps; i++) {
		colour_at(steps == 1 ? 1 : (double)i / (steps - 1), fill);
		fprintf(out, "<rect x=\"%d\" y=\"36\" width=\"%d\" height=\"12\" fill=\"%s\"/>\n",
			LEGEND_X + i * SWATCH_W, SWATCH_W, fill);
	}
	fprintf(out, "<text x=\"%d\" y=\"62\">%llu</text>\n",
		LEGEND_X, (unsigned long long)g->cmin);
	if (steps > 1)
		fprintf(out, "<text x=\"%d\" y=\"62\" text-anchor=\"end\">%llu</text>\n",
			end, (unsigned long long)g->cmax);
	fputs("</g>\n", out);
}

/* Rows bottom up: the slowest faults at the top of each panel. */
static int row_y(const struct grid *g, int r, int py)
{
	return py + (g->nrows - 1 - r) * ROW_H;
}

static void svg_row_labels(FILE *out, const struct grid *g, int py)
{
	char label[32];

	for (int r = 0; r < g->nrows; r++) {
		dt_heatmap_row_label(g->rmin + r, label, sizeof(label));
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
			MARGIN_L - 6, row_y(g, r, py) + ROW_H - 3, label);
	}
}

static void svg_cell(FILE *out, const struct grid *g, const struct layout *l,
		     int cls, int r, int c, int py)
{
	__u64 count = *cell(g, cls, r, c);
	char fill[16], label[32], from[32], to[32];

	colour_of(g, count, fill);
	dt_heatmap_row_label(g->rmin + r, label, sizeof(label));
	secs_str(col_secs(g, c), from);
	secs_str(col_secs(g, c + 1), to);
	fprintf(out, "<rect class=\"cell\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		"fill=\"%s\"><title>%s %s %s-%ss: %llu</title></rect>\n",
		MARGIN_L + c * l->cell_w, row_y(g, r, py), l->cell_w, ROW_H,
		fill, dt_class_name(cls), label, from, to,
		(unsigned long long)count);
}

static void svg_x_axis(FILE *out, const struct grid *g, const struct layout *l,
		       int y)
{
	int ticks = g->span ? X_TICKS : 0;
	char secs[32];

	for (int i = 0; i <= ticks; i++) {
		int x = MARGIN_L + (ticks ? l->plot_w * i / ticks : 0);

		secs_str(ticks ? (double)g->span * i / ticks / 1e9 : 0, secs);
		fprintf(out, "<line x1=\"%d.5\" y1=\"%d\" x2=\"%d.5\" y2=\"%d\" "
			"stroke=\"#999999\"/>\n<text x=\"%d\" y=\"%d\" "
			"text-anchor=\"middle\">%ss</text>\n",
			x, y, x, y + 4, x, y + 16, secs);
	}
}

static void svg_panel(FILE *out, const struct grid *g, const struct layout *l,
		      int cls, int y)
{
	int py = y + PANEL_TITLE_H;
	__u64 events = g->events[cls];

	fprintf(out, "<g id=\"panel-%s\">\n<text x=\"%d\" y=\"%d\" font-size=\"13\" "
		"font-weight=\"bold\">%s: %llu event%s</text>\n",
		dt_class_name(cls), MARGIN_L, y + 17, dt_class_name(cls),
		(unsigned long long)events, events == 1 ? "" : "s");
	fprintf(out, "<rect class=\"plot\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		"fill=\"#ffffff\"/>\n", MARGIN_L, py, l->plot_w, l->plot_h);
	svg_row_labels(out, g, py);
	for (int r = 0; r < g->nrows; r++)
		for (int c = 0; c < g->cols; c++)
			if (*cell(g, cls, r, c))
				svg_cell(out, g, l, cls, r, c, py);
	/* a 1px frame just outside the plot, so it never covers a cell */
	fprintf(out, "<rect class=\"frame\" x=\"%d.5\" y=\"%d.5\" width=\"%d\" "
		"height=\"%d\" fill=\"none\" stroke=\"#999999\"/>\n",
		MARGIN_L - 1, py - 1, l->plot_w + 1, l->plot_h + 1);
	svg_x_axis(out, g, l, py + l->plot_h);
	fputs("</g>\n", out);
}

static int count_panels(const struct grid *g)
{
	int panels = 0;

	for (int cls = 0; cls < DT_CLASS_MAX; cls++)
		panels += g->events[cls] != 0;
	return panels;
}

static void lay_out(const struct grid *g, struct layout *l)
{
	l->cell_w = PLOT_W / g->cols > MIN_CELL_W ? PLOT_W / g->cols : MIN_CELL_W;
	l->plot_w = l->cell_w * g->cols;
	l->plot_h = ROW_H * g->nrows;
	l->panel_h = PANEL_TITLE_H + l->plot_h + AXIS_H;
	l->width = MARGIN_L + l->plot_w + MARGIN_R;
	if (l->width < MIN_W)
		l->width = MIN_W;
	l->height = HEADER_H + count_panels(g) * l->panel_h + FOOTER_H;
}

static void svg_grid(FILE *out, const struct grid *g, const char *title)
{
	struct layout l;
	int y = HEADER_H;

	lay_out(g, &l);
	svg_open(out, l.width, l.height, MARGIN_L, title);
	svg_legend(out, g);
	for (int cls = 0; cls < DT_CLASS_MAX; cls++) {
		if (!g->events[cls])
			continue;
		svg_panel(out, g, &l, cls, y);
		y += l.panel_h;
	}
	fprintf(out, "<text x=\"%d\" y=\"%d\">x: seconds since the first event; "
		"y: latency in log2 buckets (1ms = 1024us)</text>\n</svg>\n",
		MARGIN_L, l.height - 8);
}

static void svg_empty(FILE *out, const char *title)
{
	svg_open(out, 400, 80, 16, title);
	fputs("<text x=\"16\" y=\"56\">no events</text>\n</svg>\n", out);
}

int dt_heatmap_svg(FILE *out, const struct dt_heat_point *pts, size_t n,
		   const struct dt_heatmap_opts *o)
{
	const char *title = o && o->title ? o->title : "daxtrace: DAX fault latency";
	struct grid g = { .cols = o && o->columns ? o->columns : DT_HEATMAP_COLUMNS };

	if (!out || (n && !pts) || g.cols < 0 || g.cols > DT_HEATMAP_MAX_COLUMNS)
		return -1;
	if (!n) {
		svg_empty(out, title);
	} else {
		if (scan(pts, n, &g) || fill(pts, n, &g)) {
			free(g.cnt);
			return -1;
		}
		svg_grid(out, &g, title);
		free(g.cnt);
	}
	return fflush(out) || ferror(out) ? -1 : 0;
}
