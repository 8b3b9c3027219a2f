// SPDX-License-Identifier: GPL-2.0
/*
 * The exposition of `daxtrace serve` (user/metrics.c), parsed back: the
 * values, the histogram's cumulative buckets and their `le` (the true
 * inclusive upper bound of each BPF slot: a latency equal to a bucket's
 * le is in it, one ns more is not), both formats' family rules, bounded
 * and well-formed labels, content negotiation, and --listen.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "hist.h"
#include "listen.h"
#include "metrics.h"

#define US	1000ULL
#define DEV_A	((259u << 20) | 0)
#define DEV_B	((259u << 20) | 1)
#define MAX_SAMPLES 4096

struct sample {
	char name[96];
	char labels[256];	/* as written, without the braces */
	char value[64];
};

struct expo {
	char *text;
	struct sample s[MAX_SAMPLES];
	int n;
	int bad_lines;		/* neither a comment nor a sample */
	int undeclared;		/* a sample before its family's # TYPE */
};

static const struct dt_probe_state probes[] = {
	{ .name = "dax_pte_fault", .how = "tp_btf" },
	{ .name = "do_wp_page:ret", .how = NULL, .why = "no kprobes" },
};

static struct dt_metrics base(const struct dt_histset *hs, bool exact)
{
	return (struct dt_metrics){
		.hs = hs, .by = DT_BY_FS, .exact = exact, .mode = "auto",
		.insert_path = "page", .probes = probes, .nprobes = 2,
		.lost = 3, .stale = 4, .untracked = 5, .version = "v1",
		.kernel = "7.2.13+deb14-amd64",
	};
}

static const char *name_dev(void *ctx, __u32 dev)
{
	(void)ctx;
	return dev == DEV_A ? "/mnt/ext4" : NULL;
}

static char *render(const struct dt_metrics *m, enum dt_metrics_format f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	CHECK_EQ(dt_metrics_write(out, m, f), 0);
	fclose(out);
	return buf;
}

static void parse(struct expo *e, char *text);

/* The exposition of @m in format @f, parsed; expo_free() it. */
static struct expo *expo_of(const struct dt_metrics *m, enum dt_metrics_format f)
{
	struct expo *e = calloc(1, sizeof(*e));

	parse(e, render(m, f));
	return e;
}

static void expo_free(struct expo *e)
{
	free(e->text);
	free(e);
}

/* Does # TYPE declare the family of sample @name (in format @om)? */
static bool declared(const char *types, const char *name)
{
	static const char *const suffixes[] = { "", "_total", "_info", "_bucket",
						"_sum", "_count" };
	char fam[96];

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t n = strlen(name), k = strlen(suffixes[i]);
		char *p;

		if (n < k || strcmp(name + n - k, suffixes[i]))
			continue;
		snprintf(fam, sizeof(fam), "\n%.*s ", (int)(n - k), name);
		p = strstr(types, fam);
		if (p)
			return true;
	}
	return false;
}

static void parse(struct expo *e, char *text)
{
	char types[16384] = "\n";
	char *line, *save = NULL;

	memset(e, 0, sizeof(*e));
	e->text = text;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct sample *s = &e->s[e->n];
		char *brace, *sp;

		if (!strncmp(line, "# TYPE ", 7)) {
			strncat(types, line + 7, sizeof(types) - strlen(types) - 2);
			strcat(types, "\n");
			continue;
		}
		if (line[0] == '#')
			continue;
		sp = strrchr(line, ' ');
		brace = strchr(line, '{');
		if (!sp || e->n >= MAX_SAMPLES) {
			e->bad_lines++;
			continue;
		}
		snprintf(s->value, sizeof(s->value), "%s", sp + 1);
		*sp = '\0';
		if (brace) {
			if (sp[-1] != '}') {
				e->bad_lines++;
				continue;
			}
			sp[-1] = '\0';
			*brace = '\0';
			snprintf(s->labels, sizeof(s->labels), "%s", brace + 1);
		}
		snprintf(s->name, sizeof(s->name), "%s", line);
		if (!declared(types, s->name))
			e->undeclared++;
		e->n++;
	}
}

static const char *get(const struct expo *e, const char *name, const char *labels)
{
	for (int i = 0; i < e->n; i++)
		if (!strcmp(e->s[i].name, name) && !strcmp(e->s[i].labels, labels))
			return e->s[i].value;
	return NULL;
}

static long long num(const struct expo *e, const char *name, const char *labels)
{
	const char *v = get(e, name, labels);

	if (!v) {
		fprintf(stderr, "no sample %s{%s}\n", name, labels);
		return -1;
	}
	return strtoll(v, NULL, 10);
}

static int count_named(const struct expo *e, const char *name)
{
	int n = 0;

	for (int i = 0; i < e->n; i++)
		n += !strcmp(e->s[i].name, name);
	return n;
}

/* "S.NNNNNNNNN" (as written) in ns, exactly; -1 if not that form */
static long long le_ns(const char *labels)
{
	const char *p = strstr(labels, "le=\"");
	unsigned long long s, frac;
	int used = 0;

	if (!p || sscanf(p + 4, "%llu.%9llu%n", &s, &frac, &used) != 2)
		return -1;
	return (long long)(s * 1000000000ULL + frac);
}

static void add(struct dt_histset *hs, int cls, int mm, int size, __u32 dev,
		const char *comm, const __u64 *lat, int nlat, __u64 untimed)
{
	struct dt_hist_key k = { .cls = cls, .mismatch = mm, .size = size, .dev = dev };
	struct dt_hist h = { .untimed = untimed };

	if (comm)
		strncpy(k.comm, comm, sizeof(k.comm));
	for (int i = 0; i < nlat; i++)
		dt_hist_add(&h, lat[i]);
	dt_histset_merge(hs, &k, &h);
}

/* @n faults of @us microseconds each */
static void add_n(struct dt_histset *hs, int cls, int size, __u32 dev, int n, __u64 us)
{
	struct dt_hist_key k = { .cls = cls, .size = size, .dev = dev };
	struct dt_hist h = { 0 };

	for (int i = 0; i < n; i++)
		dt_hist_add(&h, us * US);
	dt_histset_merge(hs, &k, &h);
}

static void test_le_is_the_slots_inclusive_bound(void)
{
	for (int k = 0; k < DT_METRICS_BUCKETS; k++) {
		__u64 le = dt_hist_slot_le_ns(k);

		CHECK(le == 1ULL << k);
		CHECK_EQ(dt_hist_slot(le), k);
		CHECK_EQ(dt_hist_slot(le + 1), k + 1);
	}
	CHECK(dt_hist_slot_le_ns(DT_METRICS_BUCKETS - 1) == 1ULL << 30);
}

/*
 * One fault at each boundary latency x (2^j ns, 2^j us, a bucket's le,
 * and one ns either side), exposed and parsed back: the first bucket that
 * counts it has le >= x, the one before has le < x, and le as written
 * reads back as the exact ns (and orders the same as a double).
 */
static long long check_lands(__u64 x)
{
	struct dt_histset hs;
	struct dt_metrics m;
	struct expo *e;
	long long prev_le = -1, first = -2, prev_count = 0;
	double prev_d = -1;

	dt_histset_init(&hs);
	add(&hs, DT_CLASS_READ, 0, DT_SIZE_PTE, DEV_A, NULL, &x, 1, 0);
	m = base(&hs, true);
	e = expo_of(&m, DT_METRICS_PROMETHEUS);
	for (int i = 0; i < e->n; i++) {
		const struct sample *s = &e->s[i];
		long long le, c;
		double d;

		if (strcmp(s->name, "daxtrace_fault_latency_seconds_bucket") ||
		    strncmp(s->labels, "class=\"read\",", 13))
			continue;
		c = strtoll(s->value, NULL, 10);
		CHECK(c >= prev_count);		/* cumulative */
		if (strstr(s->labels, "le=\"+Inf\"")) {
			CHECK_EQ(c, 1);
			if (first == -2)
				first = -1;	/* beyond every finite bound */
			break;
		}
		le = le_ns(s->labels);
		d = strtod(strstr(s->labels, "le=\"") + 4, NULL);
		CHECK(le > prev_le && d > prev_d);
		if (c == 1 && prev_count == 0) {
			first = le;
			CHECK(le >= (long long)x);
			CHECK(prev_le < (long long)x);
		}
		prev_le = le;
		prev_d = d;
		prev_count = c;
	}
	if (first == -1)	/* only the open last slot: past its lower edge */
		CHECK(x > dt_hist_slot_le_ns(DT_METRICS_BUCKETS - 1));
	CHECK(first != -2);
	expo_free(e);
	dt_histset_free(&hs);
	return first;
}

static void test_le_boundaries_parsed(void)
{
	for (int j = 0; j < 44; j++) {
		/* exactly 2^j ns: in the bucket le = 2^j ns, while there is one */
		if (j < DT_METRICS_BUCKETS)
			CHECK_EQ(check_lands(1ULL << j), 1LL << j);
		else
			CHECK_EQ(check_lands(1ULL << j), -1);
		check_lands((1ULL << j) + 1);
		if (j)
			check_lands((1ULL << j) - 1);
		if (j < 34)
			check_lands((1ULL << j) * US);
	}
	for (int k = 0; k < DT_METRICS_BUCKETS; k++) {
		CHECK_EQ(check_lands(dt_hist_slot_le_ns(k)), 1LL << k);
		check_lands(dt_hist_slot_le_ns(k) + 1);
	}
	check_lands(0);
	check_lands(UINT64_MAX / 4);
}

static struct dt_histset sample_set(void)
{
	static const __u64 lat[] = { 500, 1999, 2000, 4096000 };
	struct dt_histset hs;

	dt_histset_init(&hs);
	add_n(&hs, DT_CLASS_READ, DT_SIZE_PTE, DEV_A, 4096, 20);
	add_n(&hs, DT_CLASS_RO_UPGRADE, DT_SIZE_PTE, DEV_A, 4096, 40);
	add(&hs, DT_CLASS_RETRY, 0, DT_SIZE_PTE, DEV_A, NULL, NULL, 0, 4096);
	add(&hs, DT_CLASS_WRITE, 0, DT_SIZE_PMD, DEV_B, NULL, lat, 4, 0);
	add(&hs, DT_CLASS_PFN_MISMATCH, DT_MISMATCH_PRIVATE_COW, DT_SIZE_PTE,
	    DEV_A, NULL, lat, 2, 1);
	add(&hs, DT_CLASS_PFN_MISMATCH, DT_MISMATCH_UNEXPECTED, DT_SIZE_PTE,
	    DEV_B, NULL, lat, 1, 0);
	add(&hs, DT_CLASS_TWO_STEP, 0, DT_SIZE_PTE, DEV_B, NULL, lat, 3, 0);
	return hs;
}

static void test_values_prometheus(void)
{
	struct dt_histset hs = sample_set();
	struct dt_metrics m = base(&hs, true);
	struct expo *e = calloc(1, sizeof(*e));

	char *text;

	m.fs_name = name_dev;
	text = render(&m, DT_METRICS_PROMETHEUS);
	CHECK(strstr(text, "# TYPE daxtrace_faults_total counter\n") != NULL);
	CHECK(strstr(text, "# TYPE daxtrace_build_info gauge\n") != NULL);
	CHECK(!strstr(text, "# EOF"));
	parse(e, text);
	CHECK_EQ(e->bad_lines, 0);
	CHECK_EQ(e->undeclared, 0);
	CHECK_EQ(num(e, "daxtrace_faults_total", "class=\"read\",size=\"pte\",fs=\"/mnt/ext4\""), 4096);
	CHECK_EQ(num(e, "daxtrace_faults_total", "class=\"ro_upgrade\",size=\"pte\",fs=\"/mnt/ext4\""), 4096);
	CHECK_EQ(num(e, "daxtrace_faults_total", "class=\"retry\",size=\"pte\",fs=\"/mnt/ext4\""), 4096);
	CHECK_EQ(num(e, "daxtrace_faults_total", "class=\"write\",size=\"pte\",fs=\"/mnt/ext4\""), 0);
	/* a device without a mount point is named MAJ:MIN */
	CHECK_EQ(num(e, "daxtrace_faults_total", "class=\"write\",size=\"pmd\",fs=\"259:1\""), 4);
	CHECK_EQ(num(e, "daxtrace_faults_total", "class=\"pfn_mismatch\",size=\"pte\",fs=\"/mnt/ext4\""), 3);
	/* every class and size of each fs: 12 x 2 x 2 */
	CHECK_EQ(count_named(e, "daxtrace_faults_total"), DT_CLASS_MAX * 2 * 2);
	/* the histogram: 20 us is in slot 15, (16.384, 32.768] us */
	CHECK_EQ(num(e, "daxtrace_fault_latency_seconds_bucket", "class=\"read\",le=\"0.000016384\""), 0);
	CHECK_EQ(num(e, "daxtrace_fault_latency_seconds_bucket", "class=\"read\",le=\"0.000032768\""), 4096);
	CHECK_EQ(num(e, "daxtrace_fault_latency_seconds_bucket", "class=\"read\",le=\"+Inf\""), 4096);
	CHECK_EQ(num(e, "daxtrace_fault_latency_seconds_count", "class=\"read\""), 4096);
	CHECK(!strcmp(get(e, "daxtrace_fault_latency_seconds_sum", "class=\"read\""), "0.081920000"));
	/* retry is untimed: counted, not in the histogram */
	CHECK_EQ(num(e, "daxtrace_fault_latency_seconds_count", "class=\"retry\""), 0);
	CHECK_EQ(num(e, "daxtrace_untimed_faults_total", "class=\"retry\""), 4096);
	/* write: 500 ns in (256, 512], 1999 and 2000 in (1024, 2048], 4.096 ms in (2^21, 2^22] */
	CHECK_EQ(num(e, "daxtrace_fault_latency_seconds_bucket", "class=\"write\",le=\"0.000000256\""), 0);
	CHECK_EQ(num(e, "daxtrace_fault_latency_seconds_bucket", "class=\"write\",le=\"0.000000512\""), 1);
	CHECK_EQ(num(e, "daxtrace_fault_latency_seconds_bucket", "class=\"write\",le=\"0.000001024\""), 1);
	CHECK_EQ(num(e, "daxtrace_fault_latency_seconds_bucket", "class=\"write\",le=\"0.000002048\""), 3);
	CHECK_EQ(num(e, "daxtrace_fault_latency_seconds_bucket", "class=\"write\",le=\"0.002097152\""), 3);
	CHECK_EQ(num(e, "daxtrace_fault_latency_seconds_bucket", "class=\"write\",le=\"0.004194304\""), 4);
	CHECK(!strcmp(get(e, "daxtrace_fault_latency_seconds_sum", "class=\"write\""), "0.004100499"));
	CHECK_EQ(count_named(e, "daxtrace_fault_latency_seconds_bucket"), DT_CLASS_MAX * DT_HIST_SLOTS);
	CHECK_EQ(num(e, "daxtrace_pfn_mismatches_total", "kind=\"private_cow\""), 3);
	CHECK_EQ(num(e, "daxtrace_pfn_mismatches_total", "kind=\"unexpected\""), 1);
	CHECK_EQ(num(e, "daxtrace_pfn_mismatches_total", "kind=\"zero_page\""), 0);
	CHECK_EQ(num(e, "daxtrace_violations_total", ""), 4);
	CHECK_EQ(num(e, "daxtrace_lost_records_total", ""), 3);
	CHECK_EQ(num(e, "daxtrace_stale_records_total", ""), 4);
	CHECK_EQ(num(e, "daxtrace_untracked_faults_total", ""), 5);
	CHECK_EQ(num(e, "daxtrace_probe_attached", "point=\"dax_pte_fault\",kind=\"tp_btf\""), 1);
	CHECK_EQ(num(e, "daxtrace_probe_attached", "point=\"do_wp_page:ret\",kind=\"none\""), 0);
	CHECK_EQ(num(e, "daxtrace_fidelity_info", "fidelity=\"exact\",insert_path=\"page\",mode=\"auto\""), 1);
	CHECK_EQ(num(e, "daxtrace_build_info", "version=\"v1\",kernel=\"7.2.13+deb14-amd64\""), 1);
	expo_free(e);
	dt_histset_free(&hs);
}

/* --by dev: pmem0 by its block number; a device-DAX key by its char one */
static int name_by_dev(void *ctx, __u32 dev, bool devdax, char *buf, size_t len)
{
	(void)ctx;
	if (dev == DEV_A && !devdax)
		snprintf(buf, len, "pmem0");
	else if (dev == DEV_A && devdax)
		snprintf(buf, len, "dax0.0");
	else
		return -1;
	return 0;
}

static void test_by_dev(void)
{
	struct dt_histset hs;
	struct dt_metrics m;
	struct expo *e = calloc(1, sizeof(*e));
	struct dt_hist_key k = { .cls = DT_CLASS_READ, .size = DT_SIZE_PUD, .dev = DEV_A,
				 .devdax = 1 };
	struct dt_hist h = { .slots = { [20] = 1 }, .sum_ns = 1500000 };
	char *text;

	dt_histset_init(&hs);
	add_n(&hs, DT_CLASS_READ, DT_SIZE_PTE, DEV_A, 7, 20);
	add_n(&hs, DT_CLASS_WRITE, DT_SIZE_PMD, DEV_B, 2, 20);
	dt_histset_merge(&hs, &k, &h);	/* the same number, a char device */
	m = base(&hs, true);
	m.by = DT_BY_DEV;
	m.dev_name = name_by_dev;
	/* dev_dax_huge_fault attached: pud series exist */
	m.probes = (const struct dt_probe_state[]){
		{ .name = "dev_dax_huge_fault", .how = "kprobe" },
		{ .name = "dev_dax_huge_fault:ret", .how = "kretprobe" },
	};
	m.nprobes = 2;
	text = render(&m, DT_METRICS_PROMETHEUS);
	parse(e, text);
	CHECK_EQ(e->bad_lines, 0);
	CHECK_EQ(num(e, "daxtrace_faults_total", "class=\"read\",size=\"pte\",dev=\"pmem0\""), 7);
	CHECK_EQ(num(e, "daxtrace_faults_total", "class=\"read\",size=\"pud\",dev=\"dax0.0\""), 1);
	CHECK_EQ(num(e, "daxtrace_faults_total", "class=\"read\",size=\"pud\",dev=\"pmem0\""), 0);
	/* no name: MAJ:MIN */
	CHECK_EQ(num(e, "daxtrace_faults_total", "class=\"write\",size=\"pmd\",dev=\"259:1\""), 2);
	CHECK(!strstr(text, "fs=\""));
	/* three devices, every class and size of each */
	CHECK_EQ(count_named(e, "daxtrace_faults_total"), DT_CLASS_MAX * 3 * 3);
	expo_free(e);
	dt_histset_free(&hs);
}

/* Every bucket series: non-decreasing in le, +Inf == _count, for every class. */
static void test_buckets_monotonic(void)
{
	struct dt_histset hs = sample_set();
	struct dt_metrics m = base(&hs, true);
	struct expo *e = expo_of(&m, DT_METRICS_PROMETHEUS);
	int series = 0;

	for (int c = 0; c < DT_CLASS_MAX; c++) {
		char want[64], cnt[64];
		long long prev = 0, prev_le = -1, last = -1;

		snprintf(want, sizeof(want), "class=\"%s\",le=", dt_class_name(c));
		snprintf(cnt, sizeof(cnt), "class=\"%s\"", dt_class_name(c));
		for (int i = 0; i < e->n; i++) {
			const struct sample *s = &e->s[i];
			long long v = strtoll(s->value, NULL, 10), le;

			if (strcmp(s->name, "daxtrace_fault_latency_seconds_bucket") ||
			    strncmp(s->labels, want, strlen(want)))
				continue;
			CHECK(v >= prev);
			prev = v;
			last = v;
			le = le_ns(s->labels);
			if (le >= 0) {
				CHECK(le > prev_le);
				prev_le = le;
			} else {
				CHECK(strstr(s->labels, "le=\"+Inf\"") != NULL);
			}
		}
		CHECK_EQ(last, num(e, "daxtrace_fault_latency_seconds_count", cnt));
		series++;
	}
	CHECK_EQ(series, DT_CLASS_MAX);
	expo_free(e);
	dt_histset_free(&hs);
}

static void test_openmetrics(void)
{
	struct dt_histset hs = sample_set();
	struct dt_metrics m = base(&hs, true);
	struct expo *e = calloc(1, sizeof(*e));
	char *text = render(&m, DT_METRICS_OPENMETRICS);
	size_t len = strlen(text);

	/* "# EOF" last, once */
	CHECK(len > 6 && !strcmp(text + len - 6, "# EOF\n"));
	CHECK(strstr(text, "# EOF") == text + len - 6);
	/* families by their OpenMetrics names: no _total, no _info */
	CHECK(strstr(text, "# TYPE daxtrace_faults counter\n") != NULL);
	CHECK(!strstr(text, "# TYPE daxtrace_faults_total"));
	CHECK(strstr(text, "# TYPE daxtrace_build info\n") != NULL);
	CHECK(strstr(text, "# TYPE daxtrace_fidelity info\n") != NULL);
	CHECK(strstr(text, "# UNIT daxtrace_fault_latency_seconds seconds\n") != NULL);
	parse(e, text);
	CHECK_EQ(e->bad_lines, 0);
	CHECK_EQ(e->undeclared, 0);
	CHECK_EQ(num(e, "daxtrace_faults_total", "class=\"read\",size=\"pte\",fs=\"259:0\""), 4096);
	CHECK_EQ(num(e, "daxtrace_build_info", "version=\"v1\",kernel=\"7.2.13+deb14-amd64\""), 1);
	free(text);
	free(e);
	dt_histset_free(&hs);
}

/* Inferred: two_step and pfn_mismatch were not decided: absent, not 0. */
static void test_inferred_omits_undecided(void)
{
	struct dt_histset hs = sample_set();
	struct dt_metrics m = base(&hs, false);
	char *text = render(&m, DT_METRICS_PROMETHEUS);

	CHECK(!strstr(text, "class=\"two_step\""));
	CHECK(!strstr(text, "class=\"pfn_mismatch\""));
	CHECK(!strstr(text, "daxtrace_pfn_mismatches"));
	CHECK(!strstr(text, "daxtrace_violations"));
	CHECK(strstr(text, "fidelity=\"inferred\"") != NULL);
	CHECK(strstr(text, "class=\"retry\"") != NULL);
	free(text);
	dt_histset_free(&hs);
}

/* Without --by: one unlabelled group, zeros before the first fault. */
static void test_no_faults_yet(void)
{
	struct dt_histset hs;
	struct dt_metrics m;
	struct expo *e;

	dt_histset_init(&hs);
	m = base(&hs, true);
	m.by = DT_BY_NONE;
	e = expo_of(&m, DT_METRICS_PROMETHEUS);
	CHECK_EQ(e->bad_lines, 0);
	CHECK_EQ(count_named(e, "daxtrace_faults_total"), DT_CLASS_MAX * 2);
	CHECK_EQ(num(e, "daxtrace_faults_total", "class=\"write\",size=\"pte\""), 0);
	CHECK_EQ(num(e, "daxtrace_fault_latency_seconds_count", "class=\"write\""), 0);
	CHECK(!strcmp(get(e, "daxtrace_fault_latency_seconds_sum", "class=\"write\""), "0.000000000"));
	expo_free(e);
	dt_histset_free(&hs);
}

/* --by comm: capped, folded, sanitized, escaped; no label set twice. */
static void test_comm_labels(void)
{
	struct dt_histset hs;
	struct dt_metrics m;
	struct expo *e = calloc(1, sizeof(*e));
	long long sum = 0, comms = 0;
	char comm[16];

	dt_histset_init(&hs);
	/* comm i has i + 1 faults: the 63 busiest keep their names */
	for (int i = 0; i < 100; i++) {
		snprintf(comm, sizeof(comm), "w%03d", i);
		add_n(&hs, DT_CLASS_WRITE, DT_SIZE_PTE, 0, i + 1, 1);
		hs.keys[hs.n - 1].comm[0] = 0;
		memcpy(hs.keys[hs.n - 1].comm, comm, sizeof(comm));
	}
	m = base(&hs, true);
	m.by = DT_BY_COMM;
	parse(e, render(&m, DT_METRICS_PROMETHEUS));
	for (int i = 0; i < e->n; i++) {
		if (strcmp(e->s[i].name, "daxtrace_faults_total") ||
		    strncmp(e->s[i].labels, "class=\"write\",size=\"pte\"", 24))
			continue;
		comms++;
		sum += strtoll(e->s[i].value, NULL, 10);
	}
	CHECK_EQ(comms, DT_METRICS_MAX_COMMS);
	CHECK_EQ(sum, 100 * 101 / 2);
	CHECK_EQ(num(e, "daxtrace_faults_total", "class=\"write\",size=\"pte\",comm=\"w099\""), 100);
	CHECK_EQ(num(e, "daxtrace_faults_total", "class=\"write\",size=\"pte\",comm=\"w037\""), 38);
	CHECK(!get(e, "daxtrace_faults_total", "class=\"write\",size=\"pte\",comm=\"w036\""));
	/* w000..w036: 1 + ... + 37 */
	CHECK_EQ(num(e, "daxtrace_faults_total", "class=\"write\",size=\"pte\",comm=\"[other]\""), 37 * 38 / 2);
	free(e->text);
	dt_histset_reset(&hs);

	/* bytes a label cannot hold: '?'; two comms that then read the same, one */
	add_n(&hs, DT_CLASS_WRITE, DT_SIZE_PTE, 0, 1, 1);
	memcpy(hs.keys[0].comm, "a\x01\xff", 4);
	add_n(&hs, DT_CLASS_WRITE, DT_SIZE_PTE, 0, 2, 1);
	memcpy(hs.keys[1].comm, "a\x02\x80", 4);
	add_n(&hs, DT_CLASS_WRITE, DT_SIZE_PTE, 0, 4, 1);
	memcpy(hs.keys[2].comm, "q\"\\\n", 5);
	parse(e, render(&m, DT_METRICS_PROMETHEUS));
	CHECK_EQ(num(e, "daxtrace_faults_total", "class=\"write\",size=\"pte\",comm=\"a??\""), 3);
	CHECK_EQ(num(e, "daxtrace_faults_total", "class=\"write\",size=\"pte\",comm=\"q\\\"\\\\?\""), 4);
	CHECK_EQ(count_named(e, "daxtrace_faults_total"), DT_CLASS_MAX * 2 * 2);
	expo_free(e);
	dt_histset_free(&hs);
}

static void test_negotiate(void)
{
	/* what Prometheus 2.42 sends */
	CHECK_EQ(dt_metrics_negotiate("application/openmetrics-text;version=1.0.0,"
				      "application/openmetrics-text;version=0.0.1;q=0.75,"
				      "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"),
		 DT_METRICS_OPENMETRICS);
	CHECK_EQ(dt_metrics_negotiate(NULL), DT_METRICS_PROMETHEUS);
	CHECK_EQ(dt_metrics_negotiate(""), DT_METRICS_PROMETHEUS);
	CHECK_EQ(dt_metrics_negotiate("*/*"), DT_METRICS_PROMETHEUS);
	CHECK_EQ(dt_metrics_negotiate("text/plain;version=0.0.4"), DT_METRICS_PROMETHEUS);
	CHECK_EQ(dt_metrics_negotiate("Application/OpenMetrics-Text"), DT_METRICS_OPENMETRICS);
	CHECK_EQ(dt_metrics_negotiate("application/openmetrics-text; q=0"), DT_METRICS_PROMETHEUS);
	CHECK_EQ(dt_metrics_negotiate("application/openmetrics-text;q=0.3, text/plain;q=0.5"),
		 DT_METRICS_PROMETHEUS);
	CHECK_EQ(dt_metrics_negotiate("text/plain;q=0.5, application/openmetrics-text"),
		 DT_METRICS_OPENMETRICS);
	/* a longer type that starts the same is another type */
	CHECK_EQ(dt_metrics_negotiate("application/openmetrics-textual"), DT_METRICS_PROMETHEUS);
	CHECK(!strncmp(dt_metrics_content_type(DT_METRICS_PROMETHEUS), "text/plain; version=0.0.4", 25));
	CHECK(!strncmp(dt_metrics_content_type(DT_METRICS_OPENMETRICS),
		       "application/openmetrics-text; version=1.0.0", 43));
}

static void test_listen(void)
{
	struct dt_listen l;
	char err[256];

	CHECK_EQ(dt_listen_parse(DT_LISTEN_DEFAULT, &l, err, sizeof(err)), 0);
	CHECK_EQ(l.family, AF_INET);
	CHECK_EQ(l.port, DT_LISTEN_PORT);
	CHECK_EQ(ntohl(l.v4.s_addr), 0x7f000001);
	CHECK_EQ(dt_listen_parse("0.0.0.0:0", &l, err, sizeof(err)), 0);
	CHECK_EQ(l.port, 0);
	CHECK_EQ(dt_listen_parse("[::1]:9", &l, err, sizeof(err)), 0);
	CHECK_EQ(l.family, AF_INET6);
	CHECK_EQ(l.port, 9);
	CHECK_EQ(dt_listen_parse("127.0.0.1:65535", &l, err, sizeof(err)), 0);
	CHECK_EQ(dt_listen_parse("127.0.0.1:65536", &l, err, sizeof(err)), -1);
	CHECK(strstr(err, "invalid port") != NULL);
	CHECK_EQ(dt_listen_parse("127.0.0.1:-1", &l, err, sizeof(err)), -1);
	CHECK_EQ(dt_listen_parse("127.0.0.1: 80", &l, err, sizeof(err)), -1);
	CHECK_EQ(dt_listen_parse("127.0.0.1:", &l, err, sizeof(err)), -1);
	CHECK_EQ(dt_listen_parse("127.0.0.1", &l, err, sizeof(err)), -1);
	CHECK_EQ(dt_listen_parse("localhost:80", &l, err, sizeof(err)), -1);
	CHECK(strstr(err, "invalid address") != NULL);
	CHECK_EQ(dt_listen_parse("::1:80", &l, err, sizeof(err)), -1);
	CHECK_EQ(dt_listen_parse("[127.0.0.1]:80", &l, err, sizeof(err)), -1);
	CHECK_EQ(dt_listen_parse(":80", &l, err, sizeof(err)), -1);
}

int main(void)
{
	RUN(test_le_is_the_slots_inclusive_bound);
	RUN(test_le_boundaries_parsed);
	RUN(test_values_prometheus);
	RUN(test_by_dev);
	RUN(test_buckets_monotonic);
	RUN(test_openmetrics);
	RUN(test_inferred_omits_undecided);
	RUN(test_no_faults_yet);
	RUN(test_comm_labels);
	RUN(test_negotiate);
	RUN(test_listen);
	return UNIT_EXIT();
}
