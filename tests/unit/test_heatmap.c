// SPDX-License-Identifier: GPL-2.0
/*
 * The SVG latency heatmap: structure and edge cases.  tests/host/heatmap_png.sh
 * checks the rendered pixels; for it, `test_heatmap --svg OUT [COLUMNS]`
 * reads "t_ns lat_ns class" lines on stdin and writes their heatmap.
 */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "classify.h"
#include "heatmap.h"

#define US	1000ULL
#define MS	1000000ULL
#define SEC	1000000000ULL

static char *render_cols(const struct dt_heat_point *p, size_t n,
			 const char *title, int columns, int *ret)
{
	struct dt_heatmap_opts o = { .title = title, .columns = columns };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*ret = dt_heatmap_svg(f, p, n, &o);
	fclose(f);
	return buf;
}

static char *render(const struct dt_heat_point *p, size_t n)
{
	int ret;
	char *s = render_cols(p, n, NULL, 0, &ret);

	CHECK_EQ(ret, 0);
	return s;
}

static int count(const char *s, const char *needle)
{
	int n = 0;

	while ((s = strstr(s, needle))) {
		n++;
		s += strlen(needle);
	}
	return n;
}

static bool known_entity(const char *s)
{
	static const char *const names[] = { "amp;", "lt;", "gt;", "quot;", "apos;" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strncmp(s, names[i], strlen(names[i])))
			return true;
	if (*s++ != '#')
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	return *s == ';';
}

/*
 * Tags nest and close, one root, entities are known.  Enough to catch a
 * broken writer; the host test hands the file to a real XML parser.
 */
static bool well_formed(const char *s)
{
	const char *stack[64];
	int depth = 0, roots = 0;

	for (; *s; s++) {
		const char *end;

		if (*s == '&' && !known_entity(s + 1))
			return false;
		if (*s != '<')
			continue;
		end = strchr(s, '>');
		if (!end)
			return false;
		if (s[1] == '?') {
			s = end;
			continue;
		}
		if (s[1] == '/') {
			size_t len = strcspn(s + 2, " >");

			if (!depth || strncmp(stack[--depth], s + 2, len) ||
			    strcspn(stack[depth], " />") != len)
				return false;
		} else if (end[-1] != '/') {
			if (depth == 64)
				return false;
			roots += !depth;
			stack[depth++] = s + 1;
		} else {
			roots += !depth;
		}
		s = end;
	}
	return depth == 0 && roots == 1;
}

static void check_svg(const char *s)
{
	CHECK(!strncmp(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"", 36));
	CHECK(strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\""));
	CHECK(strstr(s, " viewBox=\"0 0 "));
	CHECK(well_formed(s));
	CHECK(!strcmp(s + strlen(s) - 7, "</svg>\n"));
}

static void test_row(void)
{
	CHECK_EQ(dt_heatmap_row(0), 0);
	CHECK_EQ(dt_heatmap_row(999), 0);
	CHECK_EQ(dt_heatmap_row(1999), 0);
	CHECK_EQ(dt_heatmap_row(2 * US), 1);
	CHECK_EQ(dt_heatmap_row(3 * US), 1);
	CHECK_EQ(dt_heatmap_row(1500 * US), 10);
	CHECK_EQ(dt_heatmap_row(1ULL << 63), 53);
	CHECK_EQ(dt_heatmap_row(~0ULL), 54);
}

static void test_row_label(void)
{
	char buf[32];

	dt_heatmap_row_label(0, buf, sizeof(buf));
	CHECK(!strcmp(buf, "0-2us"));
	dt_heatmap_row_label(1, buf, sizeof(buf));
	CHECK(!strcmp(buf, "2-4us"));
	dt_heatmap_row_label(9, buf, sizeof(buf));
	CHECK(!strcmp(buf, "512-1024us"));
	dt_heatmap_row_label(10, buf, sizeof(buf));
	CHECK(!strcmp(buf, "1-2ms"));
	dt_heatmap_row_label(21, buf, sizeof(buf));
	CHECK(!strcmp(buf, "2-4s"));
	dt_heatmap_row_label(54, buf, sizeof(buf));
	CHECK(!strcmp(buf, "2^54-2^55us"));
}

static void test_no_events(void)
{
	char *s = render(NULL, 0);

	check_svg(s);
	CHECK(strstr(s, ">no events</text>"));
	CHECK(!strstr(s, "class=\"cell\""));
	free(s);
}

/* one point: one column, one row, one panel, one legend swatch */
static void test_one_point(void)
{
	struct dt_heat_point p = { 5 * SEC, 3 * US, DT_CLASS_WRITE };
	char *s = render(&p, 1);

	check_svg(s);
	CHECK_EQ(count(s, "<g id=\"panel-"), 1);
	CHECK(strstr(s, ">write: 1 event</text>"));
	CHECK_EQ(count(s, "class=\"cell\""), 1);
	CHECK(strstr(s, "class=\"cell\" x=\"96\" y=\"") &&
	      strstr(s, "width=\"720\" height=\"14\" fill=\"#800026\""));
	CHECK_EQ(count(s, ">2-4us</text>"), 1);
	CHECK_EQ(count(s, "us</text>"), 1);
	CHECK_EQ(count(s, ">0s</text>"), 1);
	free(s);
}

static void test_one_class(void)
{
	struct dt_heat_point p[] = {
		{ 0, 1 * US, DT_CLASS_COW },
		{ 10 * SEC, 1 * MS, DT_CLASS_COW },
		{ 5 * SEC, 40 * US, DT_CLASS_COW },
		{ 5 * SEC, 40 * US, DT_CLASS_COW },
	};
	char *s = render(p, 4);

	check_svg(s);
	CHECK_EQ(count(s, "<g id=\"panel-"), 1);
	CHECK(strstr(s, "<g id=\"panel-cow\">"));
	CHECK(strstr(s, ">cow: 4 events</text>"));
	CHECK_EQ(count(s, "class=\"cell\""), 3);
	/* rows 0 (1us) to 9 (1000us): ten labels */
	CHECK_EQ(count(s, "us</text>"), 10);
	CHECK(strstr(s, ">0s</text>") && strstr(s, ">10s</text>"));
	free(s);
}

/* panels follow enum order, whatever the order of the points */
static void test_all_classes(void)
{
	struct dt_heat_point p[DT_CLASS_MAX];
	const char *prev;
	char *s;

	for (int i = 0; i < DT_CLASS_MAX; i++)
		p[i] = (struct dt_heat_point){ i * SEC, (i + 1) * US, DT_CLASS_MAX - 1 - i };
	s = render(p, DT_CLASS_MAX);
	check_svg(s);
	CHECK_EQ(count(s, "<g id=\"panel-"), DT_CLASS_MAX);
	prev = s;
	for (int c = 0; c < DT_CLASS_MAX; c++) {
		char id[64];
		const char *at;

		snprintf(id, sizeof(id), "<g id=\"panel-%s\">", dt_class_name(c));
		at = strstr(s, id);
		CHECK(at && at > prev);
		prev = at ? at : prev;
	}
	free(s);
}

/* every panel has every row, so the panels line up */
static void test_rows_shared(void)
{
	struct dt_heat_point p[] = {
		{ 0, 1 * US, DT_CLASS_WRITE },
		{ 1 * SEC, 1 * MS, DT_CLASS_READ },
	};
	char *s = render(p, 2);

	CHECK_EQ(count(s, ">0-2us</text>"), 2);
	CHECK_EQ(count(s, ">512-1024us</text>"), 2);
	CHECK_EQ(count(s, ">1-2ms</text>"), 0);
	free(s);
}

static void test_huge_latency(void)
{
	struct dt_heat_point p[] = {
		{ 0, 1ULL << 63, DT_CLASS_ERROR },
		{ ~0ULL, ~0ULL, DT_CLASS_ERROR },
		{ 1, 500, DT_CLASS_ERROR },
	};
	char *s = render(p, 3);

	check_svg(s);
	CHECK_EQ(count(s, "class=\"cell\""), 3);
	CHECK(strstr(s, ">2^53-2^54us</text>"));
	CHECK(strstr(s, ">2^54-2^55us</text>"));
	CHECK(strstr(s, ">0-2us</text>"));
	CHECK(strstr(s, ">512-1024s</text>"));
	/* the last event falls in the last column, not past it */
	CHECK(strstr(s, "class=\"cell\" x=\"804\""));
	free(s);
}

static void test_same_time(void)
{
	struct dt_heat_point p[50];
	char *s;

	for (int i = 0; i < 50; i++)
		p[i] = (struct dt_heat_point){ 7 * SEC, (1ULL << (i % 5)) * US, DT_CLASS_READ };
	s = render(p, 50);
	check_svg(s);
	CHECK_EQ(count(s, "class=\"cell\""), 5);
	CHECK_EQ(count(s, "class=\"cell\" x=\"96\""), 5);
	CHECK_EQ(count(s, "width=\"720\" height=\"14\""), 5);
	CHECK_EQ(count(s, "text-anchor=\"middle\">"), 1);	/* one tick */
	CHECK(strstr(s, "text-anchor=\"middle\">0s</text>"));
	free(s);
}

static void test_columns(void)
{
	struct dt_heat_point p[] = {
		{ 100 * SEC, 3 * US, DT_CLASS_WRITE },
		{ 160 * SEC, 3 * US, DT_CLASS_WRITE },
		{ 159 * SEC, 3 * US, DT_CLASS_WRITE },
	};
	int ret;
	char *s = render(p, 3);

	/* default 60 columns of one second each */
	CHECK_EQ(count(s, "class=\"cell\""), 2);
	CHECK(strstr(s, "<title>write 2-4us 0-1s: 1</title>"));
	CHECK(strstr(s, "<title>write 2-4us 59-60s: 2</title>"));
	CHECK(strstr(s, "class=\"cell\" x=\"804\" y=\"") &&
	      strstr(s, "width=\"12\" height=\"14\""));
	free(s);
	s = render_cols(p, 3, NULL, 7, &ret);
	CHECK_EQ(ret, 0);
	CHECK(strstr(s, "class=\"cell\" x=\"708\" y=\"") &&
	      strstr(s, "width=\"102\" height=\"14\""));
	free(s);
}

/* log scale from the emptiest to the fullest cell, shared by all panels */
static void test_colour_scale(void)
{
	struct dt_heat_point p[101];
	char *s;

	for (int i = 0; i < 100; i++)
		p[i] = (struct dt_heat_point){ 0, 3 * US, DT_CLASS_WRITE };
	p[100] = (struct dt_heat_point){ 10 * SEC, 3 * US, DT_CLASS_HOLE };
	s = render(p, 101);
	CHECK(strstr(s, "fill=\"#800026\"><title>write"));
	CHECK(strstr(s, "fill=\"#ffeda0\"><title>hole"));
	CHECK(strstr(s, "<text x=\"276\" y=\"62\">1</text>"));
	CHECK(strstr(s, "text-anchor=\"end\">100</text>"));
	CHECK_EQ(count(s, "height=\"12\" fill=\"#"), 8);
	free(s);
}

static void test_title_escaped(void)
{
	struct dt_heat_point p = { 0, 0, DT_CLASS_OTHER };
	int ret;
	char *s = render_cols(&p, 1, "<b>&\"x\"\x01\xff", 0, &ret);

	CHECK_EQ(ret, 0);
	check_svg(s);
	CHECK_EQ(count(s, "&lt;b&gt;&amp;&quot;x&quot;\xe2\x90\x81\xef\xbf\xbd<"), 2);
	CHECK(!strchr(s, '\x01') && !strchr(s, '\xff'));
	free(s);
}

static void test_bad_args(void)
{
	struct dt_heat_point p = { 0, 0, DT_CLASS_MAX };
	int ret;
	char *s = render_cols(&p, 1, NULL, 0, &ret);

	CHECK_EQ(ret, -1);
	CHECK(!*s);
	free(s);
	p.cls = -1;
	s = render_cols(&p, 1, NULL, 0, &ret);
	CHECK_EQ(ret, -1);
	free(s);
	p.cls = DT_CLASS_WRITE;
	s = render_cols(&p, 1, NULL, -1, &ret);
	CHECK_EQ(ret, -1);
	free(s);
	s = render_cols(&p, 1, NULL, DT_HEATMAP_MAX_COLUMNS + 1, &ret);
	CHECK_EQ(ret, -1);
	free(s);
	s = render_cols(NULL, 1, NULL, 0, &ret);
	CHECK_EQ(ret, -1);
	free(s);
	CHECK_EQ(dt_heatmap_svg(NULL, &p, 1, NULL), -1);
}

/* many points, bounded output: at most one cell per class, row and column */
static void test_many_points(void)
{
	size_t n = 200000;
	struct dt_heat_point *p = calloc(n, sizeof(*p));
	__u64 seed = 1;
	char *s;

	for (size_t i = 0; i < n; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		p[i] = (struct dt_heat_point){ seed >> 30, (seed >> 8) % (10 * MS),
					       (int)((seed >> 40) % DT_CLASS_MAX) };
	}
	s = render(p, n);
	check_svg(s);
	CHECK(count(s, "class=\"cell\"") <= DT_CLASS_MAX * 14 * 60);
	CHECK_EQ(count(s, "<g id=\"panel-"), DT_CLASS_MAX);
	free(s);
	free(p);
}

/* For tests/host/heatmap_png.sh: "t_ns lat_ns class" lines on stdin. */
static int write_svg(const char *path, int columns)
{
	struct dt_heatmap_opts o = { .title = "heatmap_png", .columns = columns };
	struct dt_heat_point *p = NULL;
	unsigned long long t, lat;
	size_t n = 0, cap = 0;
	char name[32];
	FILE *f;
	int ret;

	while (scanf("%llu %llu %31s", &t, &lat, name) == 3) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			p = realloc(p, cap * sizeof(*p));
			if (!p)
				return 1;
		}
		p[n++] = (struct dt_heat_point){ t, lat, dt_class_parse(name) };
	}
	f = fopen(path, "w");
	if (!f)
		return 1;
	ret = dt_heatmap_svg(f, p, n, &o);
	free(p);
	return fclose(f) || ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "--svg"))
		return write_svg(argv[2], argc > 3 ? atoi(argv[3]) : 0);
	RUN(test_row);
	RUN(test_row_label);
	RUN(test_no_events);
	RUN(test_one_point);
	RUN(test_one_class);
	RUN(test_all_classes);
	RUN(test_rows_shared);
	RUN(test_huge_latency);
	RUN(test_same_time);
	RUN(test_columns);
	RUN(test_colour_scale);
	RUN(test_title_escaped);
	RUN(test_bad_args);
	RUN(test_many_points);
	return UNIT_EXIT();
}
