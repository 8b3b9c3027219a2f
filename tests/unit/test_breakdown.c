// SPDX-License-Identifier: GPL-2.0
/*
 * The end-of-trace tables (user/breakdown.c): faults per process and per
 * file, the fold past the table's cap (nothing may be lost), and the
 * printed layout, read back column by column.
 */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "events.h"
#include "breakdown.h"
#include "dt_fallback.h"
#include "hist.h"

#define US	1000ULL
#define DEV	((259u << 20) | 7)
#define FOLD_AT	(DT_GROUPS_MAX * 3 / 4)

static const struct dt_classify_ctx exact = {
	.zero = { .pte = ZERO_PFN, .pmd = HUGE_ZERO_PFN }, .exact = true,
};

struct namer_log {
	int calls;
	__u32 pid[8];
};

/* knows one file, like /proc/PID/maps after the others were unmapped */
static const char *namer(void *ctx, __u32 dev, __u64 ino, __u32 pid)
{
	struct namer_log *log = ctx;

	if (log->calls < 8)
		log->pid[log->calls] = pid;
	log->calls++;
	return dev == DEV && ino == 12 ? "/mnt/ext4/a" : NULL;
}

static void add(struct dt_breakdown *b, struct dt_event e, __u32 pid,
		const char *comm, __u32 dev, __u64 ino, __u64 lat_ns)
{
	struct dt_verdict v;

	e.pid = e.tid = pid;
	memset(e.comm, 0, sizeof(e.comm));
	snprintf(e.comm, sizeof(e.comm), "%s", comm);
	e.dev = dev;
	e.ino = ino;
	e.latency_ns = lat_ns;
	dt_classify(&e, &exact, &v);
	dt_breakdown_add(b, &e, &v);
}

static struct dt_event ev_private_cow_mismatch(void)
{
	struct dt_event e = ev_read();

	e.vm_flags &= ~DT_VM_SHARED;
	e.before = PTE(OTHER_PFN, P | RW | D | A);
	return e;
}

static const struct dt_group *find(const struct dt_group_table *t, __u64 a,
				   __u64 b)
{
	for (int i = 0; i < DT_GROUPS_MAX; i++)
		if (t->slots[i].used && t->slots[i].a == a && t->slots[i].b == b)
			return &t->slots[i];
	return NULL;
}

static __u64 table_faults(const struct dt_group_table *t)
{
	__u64 n = t->other.faults;

	for (int i = 0; i < DT_GROUPS_MAX; i++)
		if (t->slots[i].used)
			n += t->slots[i].faults;
	return n;
}

/*
 * alpha[100]: 3 write on DEV:12, 1 read on DEV:13, all 5 us.
 * beta[200]: 2 ro_upgrade on DEV:12, 1 private_cow mismatch on
 * (DEV+1):12, all 100 us.
 */
static void two_processes(struct dt_breakdown *b)
{
	for (int i = 0; i < 3; i++)
		add(b, ev_write(), 100, "alpha", DEV, 12, 5 * US);
	add(b, ev_read(), 100, "alpha", DEV, 13, 5 * US);
	add(b, ev_ro_upgrade(), 200, "beta", DEV, 12, 100 * US);
	add(b, ev_ro_upgrade(), 200, "beta", DEV, 12, 100 * US);
	add(b, ev_private_cow_mismatch(), 200, "beta", DEV + 1, 12, 100 * US);
}

static char *render(const struct dt_breakdown *b)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	dt_breakdown_print(f, b);
	fclose(f);
	return buf;
}

#define MAX_COLS 16
#define MAX_ROWS 32

/* one printed table, parsed back */
struct table {
	int ncols;
	char col[MAX_COLS][16];		/* FAULTS, classes..., MISMATCH, p50, p99 */
	int nrows;
	char label[MAX_ROWS][40];
	double val[MAX_ROWS][MAX_COLS];
	int more;			/* N of "(N more)", or 0 */
};

static const char *parse_table(const char *s, const char *title,
			       struct table *t)
{
	const char *line = strstr(s, title), *end;
	char buf[512], *tok, *save;

	memset(t, 0, sizeof(*t));
	if (!line)
		return NULL;
	line += *line == '\n';		/* the title may be asked with its newline */
	end = strchr(line, '\n');
	snprintf(buf, sizeof(buf), "%.*s", (int)(end - line - 32), line + 32);
	for (tok = strtok_r(buf, " ", &save); tok && t->ncols < MAX_COLS;
	     tok = strtok_r(NULL, " ", &save))
		snprintf(t->col[t->ncols++], sizeof(t->col[0]), "%s", tok);
	for (line = end + 1; *line && *line != '\n'; line = end + 1) {
		char *p;
		int c = 0;

		end = strchr(line, '\n');
		if (sscanf(line, "(%d more)", &t->more) == 1)
			continue;
		if (t->nrows == MAX_ROWS)
			continue;
		/* the label is cut to 32 columns, then ' ' and numbers */
		snprintf(t->label[t->nrows], sizeof(t->label[0]), "%.32s", line);
		for (p = t->label[t->nrows] + strlen(t->label[t->nrows]);
		     p > t->label[t->nrows] && p[-1] == ' '; p--)
			p[-1] = '\0';
		snprintf(buf, sizeof(buf), "%.*s", (int)(end - line - 32), line + 32);
		for (tok = strtok_r(buf, " ", &save); tok && c < MAX_COLS;
		     tok = strtok_r(NULL, " ", &save))
			t->val[t->nrows][c++] = strtod(tok, NULL);
		CHECK_EQ(c, t->ncols);
		t->nrows++;
	}
	return line;
}

static int col(const struct table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->col[i], name))
			return i;
	return -1;
}

static int row(const struct table *t, const char *label)
{
	for (int i = 0; i < t->nrows; i++)
		if (!strcmp(t->label[i], label))
			return i;
	return -1;
}

static double cell(const struct table *t, const char *label, const char *name)
{
	int r = row(t, label), c = col(t, name);

	CHECK(r >= 0 && c >= 0);
	return r >= 0 && c >= 0 ? t->val[r][c] : -1;
}

static void test_groups_per_process(void)
{
	struct namer_log log = { 0 };
	struct dt_breakdown b;
	const struct dt_group *g;

	CHECK_EQ(dt_breakdown_init(&b, namer, &log), 0);
	two_processes(&b);
	CHECK_EQ(b.procs.used, 2);

	g = find(&b.procs, 100, 0);
	CHECK(g != NULL);
	if (g) {
		CHECK(!strcmp(g->comm, "alpha"));
		CHECK_EQ(g->faults, 4);
		CHECK_EQ(g->classes[DT_CLASS_WRITE], 3);
		CHECK_EQ(g->classes[DT_CLASS_READ], 1);
		CHECK_EQ(g->mismatches, 0);
		CHECK_EQ(dt_hist_count(&g->lat), 4);
		CHECK_EQ(g->lat.slots[13], 4);	/* 5 us in (4096, 8192] ns */
	}
	g = find(&b.procs, 200, 0);
	CHECK(g != NULL);
	if (g) {
		CHECK(!strcmp(g->comm, "beta"));
		CHECK_EQ(g->faults, 3);
		CHECK_EQ(g->classes[DT_CLASS_RO_UPGRADE], 2);
		CHECK_EQ(g->classes[DT_CLASS_PFN_MISMATCH], 1);
		CHECK_EQ(g->mismatches, 1);
		CHECK(g->lat.sum_ns == 300 * US);
	}
	CHECK_EQ(b.procs.other.faults, 0);
	dt_breakdown_free(&b);
}

/* a file is (dev, ino): the same inode on another device is another file */
static void test_groups_per_file(void)
{
	struct namer_log log = { 0 };
	struct dt_breakdown b;
	const struct dt_group *g;

	CHECK_EQ(dt_breakdown_init(&b, namer, &log), 0);
	two_processes(&b);
	CHECK_EQ(b.files.used, 3);
	g = find(&b.files, DEV, 12);
	CHECK(g && g->faults == 5 && !strcmp(g->name, "/mnt/ext4/a"));
	CHECK(g && g->classes[DT_CLASS_WRITE] == 3 &&
	      g->classes[DT_CLASS_RO_UPGRADE] == 2 && g->mismatches == 0);
	g = find(&b.files, DEV, 13);
	CHECK(g && g->faults == 1 && !strcmp(g->name, "259:7:13"));
	g = find(&b.files, DEV + 1, 12);
	CHECK(g && g->faults == 1 && !strcmp(g->name, "259:8:12"));
	CHECK(g && g->mismatches == 1);
	/* named once per file, with the pid that first touched it */
	CHECK_EQ(log.calls, 3);
	CHECK_EQ(log.pid[0], 100);
	CHECK_EQ(log.pid[1], 100);
	CHECK_EQ(log.pid[2], 200);
	dt_breakdown_free(&b);
}

static void test_no_namer(void)
{
	struct dt_breakdown b;
	const struct dt_group *g;

	CHECK_EQ(dt_breakdown_init(&b, NULL, NULL), 0);
	add(&b, ev_write(), 1, "x", DEV, 12, US);
	/* the widest MAJOR (12 bits) and MINOR (20 bits) of a dev_t */
	add(&b, ev_write(), 1, "x", 0xffffffffu, 1ULL << 40, US);
	g = find(&b.files, DEV, 12);
	CHECK(g && !strcmp(g->name, "259:7:12"));
	g = find(&b.files, 0xffffffffu, 1ULL << 40);
	CHECK(g && !strcmp(g->name, "4095:1048575:1099511627776"));
	dt_breakdown_free(&b);
}

/*
 * DT_GROUPS_MAX distinct processes, each on its own file: three quarters
 * get a row, the rest fold into one, and every fault is still counted.
 */
static void test_fold(void)
{
	struct namer_log log = { 0 };
	struct dt_breakdown b;
	const struct dt_group *g;
	__u64 added = 0;

	CHECK_EQ(dt_breakdown_init(&b, namer, &log), 0);
	for (int i = 0; i < DT_GROUPS_MAX; i++, added++)
		add(&b, i % 2 ? ev_read() : ev_write(), 1000 + i, "many",
		    DEV, 100 + i, US);
	CHECK_EQ(b.procs.used, FOLD_AT);
	CHECK_EQ(b.files.used, FOLD_AT);
	CHECK_EQ(b.procs.other.faults, DT_GROUPS_MAX - FOLD_AT);
	CHECK_EQ(b.files.other.faults, DT_GROUPS_MAX - FOLD_AT);
	CHECK_EQ(b.procs.other.classes[DT_CLASS_WRITE] +
		 b.procs.other.classes[DT_CLASS_READ],
		 DT_GROUPS_MAX - FOLD_AT);
	CHECK_EQ(dt_hist_count(&b.procs.other.lat), DT_GROUPS_MAX - FOLD_AT);
	/* files past the cap are not named: they have no row to name */
	CHECK_EQ(log.calls, FOLD_AT);

	/* a group that has a row keeps it once the table is full */
	add(&b, ev_write(), 1000, "many", DEV, 100, US);
	added++;
	g = find(&b.procs, 1000, 0);
	CHECK(g && g->faults == 2);
	g = find(&b.files, DEV, 100);
	CHECK(g && g->faults == 2);
	/* and a new one still folds */
	add(&b, ev_write(), 99999, "late", DEV, 99999, US);
	added++;
	CHECK(find(&b.procs, 99999, 0) == NULL);
	CHECK_EQ(b.procs.other.faults, DT_GROUPS_MAX - FOLD_AT + 1);

	CHECK(table_faults(&b.procs) == added);
	CHECK(table_faults(&b.files) == added);
	dt_breakdown_free(&b);
}

static void test_print_columns_and_rows(void)
{
	struct namer_log log = { 0 };
	struct dt_breakdown b;
	struct table t;
	const char *rest;
	char *s;

	CHECK_EQ(dt_breakdown_init(&b, namer, &log), 0);
	two_processes(&b);
	s = render(&b);
	/* the README's layout: label in 32, FAULTS in 9, classes in 12 */
	CHECK(strstr(s, "\nPROCESS[PID]                        FAULTS"
			"        write         read   ro_upgrade pfn_mismatch"
			"  MISMATCH    p50(us)    p99(us)\n"));
	rest = parse_table(s, "\nPROCESS[PID]", &t);
	CHECK(rest != NULL);
	/* only the classes that occur get a column */
	CHECK_EQ(t.ncols, 8);
	CHECK(col(&t, "hole") < 0 && col(&t, "cow") < 0 &&
	      col(&t, "two_step") < 0 && col(&t, "other") < 0);
	CHECK_EQ(t.nrows, 2);
	CHECK(!strcmp(t.label[0], "alpha[100]"));
	CHECK(!strcmp(t.label[1], "beta[200]"));
	CHECK_EQ(cell(&t, "alpha[100]", "FAULTS"), 4);
	CHECK_EQ(cell(&t, "alpha[100]", "write"), 3);
	CHECK_EQ(cell(&t, "alpha[100]", "read"), 1);
	CHECK_EQ(cell(&t, "alpha[100]", "ro_upgrade"), 0);
	CHECK_EQ(cell(&t, "beta[200]", "ro_upgrade"), 2);
	CHECK_EQ(cell(&t, "beta[200]", "pfn_mismatch"), 1);
	CHECK_EQ(cell(&t, "beta[200]", "MISMATCH"), 1);
	/* 4 x 5 us in (4.096, 8.192]: p50 6.144, p99 4.096 + 4.096 * 0.99 = 8.151 */
	CHECK_EQ(cell(&t, "alpha[100]", "p50(us)") * 10, 61);
	CHECK_EQ(cell(&t, "alpha[100]", "p99(us)") * 10, 82);
	/* 3 x 100 us in (65.536, 131.072]: p50 65.536 * 1.5 = 98.304, p99 130.417 */
	CHECK_EQ(cell(&t, "beta[200]", "p50(us)") * 10, 983);
	CHECK_EQ(cell(&t, "beta[200]", "p99(us)") * 10, 1304);
	CHECK_EQ(t.more, 0);

	rest = parse_table(s, "\nFILE ", &t);
	CHECK(rest != NULL);
	CHECK_EQ(t.nrows, 3);
	CHECK(!strcmp(t.label[0], "/mnt/ext4/a"));
	CHECK_EQ(cell(&t, "/mnt/ext4/a", "FAULTS"), 5);
	CHECK_EQ(cell(&t, "/mnt/ext4/a", "write"), 3);
	CHECK_EQ(cell(&t, "/mnt/ext4/a", "ro_upgrade"), 2);
	CHECK_EQ(cell(&t, "259:7:13", "read"), 1);
	CHECK_EQ(cell(&t, "259:8:12", "MISMATCH"), 1);
	free(s);
	dt_breakdown_free(&b);
}

/*
 * Untimed faults (opened late, no start time) count, but stay out of
 * the percentiles; a row with nothing else prints "-" there.
 */
static void test_print_untimed(void)
{
	struct dt_event untimed = ev_ro_upgrade();
	struct namer_log log = { 0 };
	struct dt_breakdown b;
	char *s, *row_gamma;

	untimed.seen |= DT_SEEN_UNTIMED;
	CHECK_EQ(dt_breakdown_init(&b, namer, &log), 0);
	add(&b, ev_write(), 100, "alpha", DEV, 12, 5 * US);
	add(&b, untimed, 100, "alpha", DEV, 12, 0);
	add(&b, untimed, 300, "gamma", DEV, 14, 0);
	s = render(&b);
	/* alpha: 2 faults, its percentiles those of the 5 us one alone */
	CHECK(strstr(s, "\nalpha[100]                               2 "));
	CHECK(strstr(s, "        6.1        8.2\n"));
	row_gamma = strstr(s, "\ngamma[300] ");
	CHECK(row_gamma && strstr(row_gamma, "          -          -\n") ==
			   strchr(row_gamma + 1, '\n') - 22);
	free(s);
	dt_breakdown_free(&b);
}

/* labels are cut at 32 columns; a 16-byte comm without NUL stays bounded */
static void test_print_long_names(void)
{
	struct dt_breakdown b;
	struct dt_event e = ev_write();
	struct dt_verdict v;
	char *s;

	CHECK_EQ(dt_breakdown_init(&b, NULL, NULL), 0);
	memcpy(e.comm, "sixteen-bytes-xx", 16);	/* no NUL */
	e.pid = 4194304;
	dt_classify(&e, &exact, &v);
	dt_breakdown_add(&b, &e, &v);
	s = render(&b);
	CHECK(strstr(s, "\nsixteen-bytes-xx[4194304]       "));
	free(s);
	dt_breakdown_free(&b);
}

/* 25 processes with 1..25 faults: the top 20 by faults, then "(5 more)" */
static void test_print_top_rows(void)
{
	struct dt_breakdown b;
	struct table t;
	char *s;

	CHECK_EQ(dt_breakdown_init(&b, NULL, NULL), 0);
	for (int k = 0; k < 25; k++) {
		int i = (k * 7) % 25;	/* not in faults order */
		char comm[16];

		snprintf(comm, sizeof(comm), "p%d", i);
		for (int j = 0; j <= i; j++)
			add(&b, ev_write(), 500 + i, comm, DEV, 1, US);
	}
	s = render(&b);
	parse_table(s, "\nPROCESS[PID]", &t);
	CHECK_EQ(t.nrows, 20);
	CHECK_EQ(t.more, 5);
	for (int r = 0; r < t.nrows; r++) {
		char want[40];

		snprintf(want, sizeof(want), "p%d[%d]", 24 - r, 524 - r);
		CHECK(!strcmp(t.label[r], want));
		CHECK_EQ(t.val[r][0], 25 - r);
	}
	/* one file: one row, no "(N more)" */
	parse_table(s, "\nFILE ", &t);
	CHECK_EQ(t.nrows, 1);
	CHECK_EQ(t.more, 0);
	CHECK_EQ(t.val[0][0], 25 * 26 / 2);
	free(s);
	dt_breakdown_free(&b);
}

/* the folded row is printed like any other, in its place by faults */
static void test_print_fold_row(void)
{
	struct dt_breakdown b;
	struct table t;
	char *s;

	CHECK_EQ(dt_breakdown_init(&b, NULL, NULL), 0);
	for (int i = 0; i < DT_GROUPS_MAX; i++)
		add(&b, ev_write(), 1000 + i, "many", DEV, 100 + i, US);
	s = render(&b);
	parse_table(s, "\nPROCESS[PID]", &t);
	CHECK_EQ(t.nrows, 20);
	CHECK(!strcmp(t.label[0], "(other processes)"));
	CHECK_EQ(t.val[0][0], DT_GROUPS_MAX - FOLD_AT);
	CHECK_EQ(t.more, FOLD_AT + 1 - 20);
	parse_table(s, "\nFILE ", &t);
	CHECK(!strcmp(t.label[0], "(other files)"));
	CHECK_EQ(t.val[0][0], DT_GROUPS_MAX - FOLD_AT);
	CHECK_EQ(t.more, FOLD_AT + 1 - 20);
	free(s);
	dt_breakdown_free(&b);
}

static void test_print_empty(void)
{
	struct dt_breakdown b;
	char *s;

	CHECK_EQ(dt_breakdown_init(&b, NULL, NULL), 0);
	s = render(&b);
	CHECK(!strcmp(s, ""));
	free(s);
	dt_breakdown_free(&b);
}

/* a pmd_fallback column, per file, only when some PMD fell back */
static void test_print_pmd_fallbacks(void)
{
	struct namer_log log = { 0 };
	struct dt_event fb = ev_write();
	struct dt_breakdown b;
	struct table t;
	char *s;

	CHECK_EQ(dt_breakdown_init(&b, namer, &log), 0);
	two_processes(&b);
	s = render(&b);
	CHECK(!strstr(s, "pmd_fallback"));
	free(s);
	fb.seen |= DT_SEEN_FALLBACK;
	fb.pmd_fallback = DT_FB_STORAGE_MISALIGNED;
	for (int i = 0; i < 32; i++)
		add(&b, fb, 300, "gamma", DEV, 14, 5 * US);
	s = render(&b);
	CHECK(parse_table(s, "\nFILE ", &t) != NULL);
	CHECK_EQ(cell(&t, "259:7:14", "pmd_fallback"), 32);
	CHECK_EQ(cell(&t, "/mnt/ext4/a", "pmd_fallback"), 0);
	CHECK(parse_table(s, "\nPROCESS[PID] ", &t) != NULL);
	CHECK_EQ(cell(&t, "gamma[300]", "pmd_fallback"), 32);
	CHECK_EQ(cell(&t, "alpha[100]", "pmd_fallback"), 0);
	free(s);
	dt_breakdown_free(&b);
}

int main(void)
{
	RUN(test_groups_per_process);
	RUN(test_groups_per_file);
	RUN(test_no_namer);
	RUN(test_fold);
	RUN(test_print_columns_and_rows);
	RUN(test_print_untimed);
	RUN(test_print_long_names);
	RUN(test_print_top_rows);
	RUN(test_print_fold_row);
	RUN(test_print_empty);
	RUN(test_print_pmd_fallbacks);
	return UNIT_EXIT();
}
