// SPDX-License-Identifier: GPL-2.0
/*
 * Naming follows Prometheus' conventions: base units (seconds), counters
 * end in _total, one family per meaning.  The same families in both
 * formats; OpenMetrics names a counter's family without _total, an info
 * family without _info, states the unit and ends with "# EOF".
 *
 * Label values are bounded: class, size, kind, probe point, and one fs
 * (mount point) or comm (capped) per group.  Never a PID, PFN or address.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hist.h"
#include "metrics.h"
#include "summary.h"

#define NAME_LEN	128

/* One fs or comm (or the only one, without --by): its faults by class, size. */
struct group {
	char label[NAME_LEN];
	__u64 faults;
	__u64 n[DT_CLASS_MAX][DT_HIST_SIZES];
};

struct keyed {
	char label[NAME_LEN];
	int idx;	/* in the histset */
};

/*
 * Label values must be UTF-8 and a comm or mount point can hold any byte:
 * anything but printable ASCII becomes '?'.  Two names that then read the
 * same are one group, so that no label set is written twice.
 */
static void sanitize(char *dst, size_t len, const char *src, size_t srclen)
{
	size_t i;

	for (i = 0; i + 1 < len && i < srclen && src[i]; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
	dst[i] = '\0';
}

static void group_label(const struct dt_metrics *m, const struct dt_hist_key *k,
			char *buf, size_t len)
{
	const char *name;
	char dev[DT_DEV_NAME_LEN];

	switch (m->by) {
	case DT_BY_FS:
		name = m->fs_name ? m->fs_name(m->fs_ctx, k->dev) : NULL;
		if (!name) {
			snprintf(dev, sizeof(dev), "%u:%u", k->dev >> 20,
				 k->dev & 0xfffff);
			name = dev;
		}
		sanitize(buf, len, name, strlen(name));
		break;
	case DT_BY_DEV:
		dt_dev_label(dev, sizeof(dev), k->dev, k->devdax, m->dev_name, m->dev_ctx);
		sanitize(buf, len, dev, strlen(dev));
		break;
	case DT_BY_COMM:
		sanitize(buf, len, k->comm, sizeof(k->comm));
		break;
	default:
		buf[0] = '\0';
	}
}

static int by_label(const void *a, const void *b)
{
	return strcmp(((const struct keyed *)a)->label,
		      ((const struct keyed *)b)->label);
}

static int by_faults(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	if (x->faults != y->faults)
		return x->faults > y->faults ? -1 : 1;
	return strcmp(x->label, y->label);
}

static int group_by_label(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->label,
		      ((const struct group *)b)->label);
}

static void group_add(struct group *into, const struct group *from)
{
	into->faults += from->faults;
	for (int c = 0; c < DT_CLASS_MAX; c++)
		for (int s = 0; s < DT_HIST_SIZES; s++)
			into->n[c][s] += from->n[c][s];
}

/*
 * --by comm: the DT_METRICS_MAX_COMMS comms with the most faults keep
 * their name, the rest (and a comm named like the fold) become one.
 */
static int cap_comms(struct group *g, int n)
{
	struct group other = { .label = DT_METRICS_OTHER };
	int kept = 0;

	qsort(g, n, sizeof(*g), by_faults);
	for (int i = 0; i < n; i++) {
		if (kept < DT_METRICS_MAX_COMMS - 1 &&
		    strcmp(g[i].label, DT_METRICS_OTHER))
			g[kept++] = g[i];
		else
			group_add(&other, &g[i]);
	}
	if (n > kept)
		g[kept++] = other;
	return kept;
}

/* The histset's keys folded into groups, sorted by label. */
static struct group *make_groups(const struct dt_metrics *m, int *ngroups)
{
	const struct dt_histset *hs = m->hs;
	struct keyed *k = calloc(hs->n ? hs->n : 1, sizeof(*k));
	struct group *g = calloc(hs->n ? hs->n : 1, sizeof(*g));
	int n = 0;

	if (!k || !g) {
		free(k);
		free(g);
		return NULL;
	}
	for (int i = 0; i < hs->n; i++) {
		group_label(m, &hs->keys[i], k[i].label, sizeof(k[i].label));
		k[i].idx = i;
	}
	qsort(k, hs->n, sizeof(*k), by_label);
	for (int i = 0; i < hs->n; i++) {
		const struct dt_hist_key *key = &hs->keys[k[i].idx];
		__u64 c = dt_hist_count(&hs->hists[k[i].idx]);

		if (!n || strcmp(g[n - 1].label, k[i].label))
			memcpy(g[n++].label, k[i].label, sizeof(k[i].label));
		if (key->cls < DT_CLASS_MAX && key->size < DT_HIST_SIZES)
			g[n - 1].n[key->cls][key->size] += c;
		g[n - 1].faults += c;
	}
	free(k);
	if (m->by == DT_BY_COMM && n > DT_METRICS_MAX_COMMS) {
		n = cap_comms(g, n);
		qsort(g, n, sizeof(*g), group_by_label);
	}
	/* without --by there is one group, even before the first fault */
	if (m->by == DT_BY_NONE && !n)
		n = 1;
	*ngroups = n;
	return g;
}

/* Inside quotes: the text format escapes backslash, quote and newline. */
static void put_value(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', out);
		if (*s == '\n') {
			fputs("\\n", out);
			continue;
		}
		fputc(*s, out);
	}
}

static void put_label(FILE *out, const char *name, const char *value,
		      bool *first)
{
	fprintf(out, "%s%s=\"", *first ? "{" : ",", name);
	put_value(out, value);
	fputc('"', out);
	*first = false;
}

/*
 * Seconds from ns, exact in decimal: through a double at %.17g, 1024 ns
 * prints as 1.0240000000000001e-06.
 */
static void put_seconds(FILE *out, __u64 ns)
{
	fprintf(out, "%llu.%09llu", ns / 1000000000ULL, ns % 1000000000ULL);
}

enum kind { COUNTER, GAUGE, HISTOGRAM, INFO };

/*
 * # TYPE and # HELP of a family.  @base is the name without a counter's
 * _total or an info's _info, which OpenMetrics names the family by and
 * the 0.0.4 text names it with (info being a gauge there).
 */
static void family(FILE *out, enum dt_metrics_format f, const char *base,
		   enum kind kind, const char *unit, const char *help)
{
	static const char *const om[] = { "counter", "gauge", "histogram", "info" };
	static const char *const prom[] = { "counter", "gauge", "histogram", "gauge" };
	static const char *const suffix[] = { "_total", "", "", "_info" };

	if (f == DT_METRICS_OPENMETRICS) {
		fprintf(out, "# TYPE %s %s\n", base, om[kind]);
		if (unit)
			fprintf(out, "# UNIT %s %s\n", base, unit);
		fprintf(out, "# HELP %s %s\n", base, help);
		return;
	}
	fprintf(out, "# HELP %s%s %s\n", base, suffix[kind], help);
	fprintf(out, "# TYPE %s%s %s\n", base, suffix[kind], prom[kind]);
}

static void faults_family(FILE *out, enum dt_metrics_format f,
			  const struct dt_metrics *m, const struct group *g,
			  int ngroups)
{
	static const char *const sizes[DT_HIST_SIZES] = { "pte", "pmd", "pud" };
	const char *by = m->by == DT_BY_FS ? "fs" : m->by == DT_BY_DEV ? "dev" : "comm";
	/* 1 GiB faults are device DAX's: their series exist where it is traced */
	int nsizes = dt_devdax_untraced(m->probes, m->nprobes) ? DT_SIZE_PUD : DT_SIZES;

	family(out, f, "daxtrace_faults", COUNTER, NULL,
	       "DAX page faults by class and page size.");
	for (int i = 0; i < ngroups; i++) {
		for (int c = 0; c < DT_CLASS_MAX; c++) {
			if (!dt_class_seen(c, m->exact))
				continue;
			for (int s = 0; s < nsizes; s++) {
				bool first = true;

				fputs("daxtrace_faults_total", out);
				put_label(out, "class", dt_class_name(c), &first);
				put_label(out, "size", sizes[s], &first);
				if (m->by != DT_BY_NONE)
					put_label(out, by, g[i].label, &first);
				fprintf(out, "} %llu\n", g[i].n[c][s]);
			}
		}
	}
}

static void one_histogram(FILE *out, const char *cls, const struct dt_hist *h)
{
	__u64 cum = 0;

	for (int s = 0; s < DT_METRICS_BUCKETS; s++) {
		cum += h->slots[s];
		fprintf(out, "daxtrace_fault_latency_seconds_bucket{class=\"%s\",le=\"",
			cls);
		put_seconds(out, dt_hist_slot_le_ns(s));
		fprintf(out, "\"} %llu\n", cum);
	}
	cum += h->slots[DT_HIST_SLOTS - 1];
	fprintf(out, "daxtrace_fault_latency_seconds_bucket{class=\"%s\",le=\"+Inf\"} %llu\n",
		cls, cum);
	fprintf(out, "daxtrace_fault_latency_seconds_sum{class=\"%s\"} ", cls);
	put_seconds(out, h->sum_ns);
	fprintf(out, "\ndaxtrace_fault_latency_seconds_count{class=\"%s\"} %llu\n",
		cls, cum);
}

static void latency_families(FILE *out, enum dt_metrics_format f,
			     const struct dt_metrics *m)
{
	struct dt_hist per[DT_CLASS_MAX];

	memset(per, 0, sizeof(per));
	for (int i = 0; i < m->hs->n; i++)
		if (m->hs->keys[i].cls < DT_CLASS_MAX)
			dt_hist_merge(&per[m->hs->keys[i].cls], &m->hs->hists[i]);
	family(out, f, "daxtrace_fault_latency_seconds", HISTOGRAM, "seconds",
	       "DAX fault latency by class, from the fault handler's entry to its return "
	       "(timed faults only).");
	for (int c = 0; c < DT_CLASS_MAX; c++)
		if (dt_class_seen(c, m->exact))
			one_histogram(out, dt_class_name(c), &per[c]);
	family(out, f, "daxtrace_untimed_faults", COUNTER, NULL,
	       "DAX faults counted without a latency (no entry probe saw their start).");
	for (int c = 0; c < DT_CLASS_MAX; c++)
		if (dt_class_seen(c, m->exact))
			fprintf(out, "daxtrace_untimed_faults_total{class=\"%s\"} %llu\n",
				dt_class_name(c), per[c].untimed);
}

/* Only where the insert probes decide them: absent means unknown, not 0. */
static void exact_families(FILE *out, enum dt_metrics_format f,
			   const struct dt_metrics *m)
{
	__u64 mm[DT_MISMATCH_MAX] = { 0 }, violations = 0;

	if (!m->exact)
		return;
	for (int i = 0; i < m->hs->n; i++) {
		const struct dt_hist_key *k = &m->hs->keys[i];
		__u64 c = dt_hist_count(&m->hs->hists[i]);

		if (k->mismatch < DT_MISMATCH_MAX)
			mm[k->mismatch] += c;
		if (k->cls == DT_CLASS_TWO_STEP || k->mismatch == DT_MISMATCH_UNEXPECTED)
			violations += c;
	}
	family(out, f, "daxtrace_pfn_mismatches", COUNTER, NULL,
	       "Inserts that found a present entry with another PFN, by kind.");
	for (int k = DT_MISMATCH_NONE + 1; k < DT_MISMATCH_MAX; k++)
		fprintf(out, "daxtrace_pfn_mismatches_total{kind=\"%s\"} %llu\n",
			dt_mismatch_name(k), mm[k]);
	family(out, f, "daxtrace_violations", COUNTER, NULL,
	       "Faults that broke the one-step rule: two_step and unexpected PFN mismatches.");
	fprintf(out, "daxtrace_violations_total %llu\n", violations);
}

static void counter(FILE *out, enum dt_metrics_format f, const char *base,
		    const char *help, __u64 v)
{
	family(out, f, base, COUNTER, NULL, help);
	fprintf(out, "%s_total %llu\n", base, v);
}

static void state_families(FILE *out, enum dt_metrics_format f,
			   const struct dt_metrics *m)
{
	bool first;

	counter(out, f, "daxtrace_lost_records", "Records dropped: ring buffer full.",
		m->lost);
	counter(out, f, "daxtrace_stale_records",
		"In-flight records replaced before their fault closed.", m->stale);
	counter(out, f, "daxtrace_untracked_faults",
		"Faults not counted: no room for their record or histogram.",
		m->untracked);
	family(out, f, "daxtrace_probe_attached", GAUGE, NULL,
	       "1 if the probe point is attached, with how (kind), 0 if not (kind none).");
	for (int i = 0; i < m->nprobes; i++) {
		first = true;
		fputs("daxtrace_probe_attached", out);
		put_label(out, "point", m->probes[i].name, &first);
		put_label(out, "kind", m->probes[i].how ? m->probes[i].how : "none",
			  &first);
		fprintf(out, "} %d\n", m->probes[i].how != NULL);
	}
	family(out, f, "daxtrace_fidelity", INFO, NULL,
	       "exact: PTEs read under the page-table lock; inferred: two_step and "
	       "pfn_mismatch unavailable.");
	first = true;
	fputs("daxtrace_fidelity_info", out);
	put_label(out, "fidelity", m->exact ? "exact" : "inferred", &first);
	put_label(out, "insert_path", m->insert_path ? m->insert_path : "unknown", &first);
	put_label(out, "mode", m->mode ? m->mode : "auto", &first);
	fputs("} 1\n", out);
	family(out, f, "daxtrace_build", INFO, NULL,
	       "The daxtrace version and the kernel it runs on.");
	first = true;
	fputs("daxtrace_build_info", out);
	put_label(out, "version", m->version ? m->version : "unknown", &first);
	put_label(out, "kernel", m->kernel ? m->kernel : "unknown", &first);
	fputs("} 1\n", out);
}

int dt_metrics_write(FILE *out, const struct dt_metrics *m,
		     enum dt_metrics_format f)
{
	struct group *g;
	int ngroups;

	g = make_groups(m, &ngroups);
	if (!g)
		return -1;
	faults_family(out, f, m, g, ngroups);
	free(g);
	latency_families(out, f, m);
	exact_families(out, f, m);
	state_families(out, f, m);
	if (f == DT_METRICS_OPENMETRICS)
		fputs("# EOF\n", out);
	return ferror(out) ? -1 : 0;
}

static const char *skip_space(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/* The q of one media range ("type/sub;a=b;q=0.5"): 1 unless given. */
static double media_q(const char *p, const char *end)
{
	double q = 1;

	while ((p = memchr(p, ';', end - p))) {
		p = skip_space(p + 1, end);
		if (end - p > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
			q = strtod(p + 2, NULL);
	}
	return q;
}

static bool media_is(const char *p, const char *end, const char *type)
{
	size_t n = strlen(type);

	p = skip_space(p, end);
	if ((size_t)(end - p) < n || strncasecmp(p, type, n))
		return false;
	p = skip_space(p + n, end);
	return p == end || *p == ';';
}

enum dt_metrics_format dt_metrics_negotiate(const char *accept)
{
	double om = 0, text = 0;
	const char *p = accept, *end;

	if (!accept)
		return DT_METRICS_PROMETHEUS;
	for (; *p; p = *end ? end + 1 : end) {
		double q;

		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		q = media_q(p, end);
		if (media_is(p, end, "application/openmetrics-text"))
			om = q > om ? q : om;
		else if (media_is(p, end, "text/plain") || media_is(p, end, "text/*") ||
			 media_is(p, end, "*/*"))
			text = q > text ? q : text;
	}
	/* ties go to OpenMetrics: a scraper that names it wants it */
	return om > 0 && om >= text ? DT_METRICS_OPENMETRICS : DT_METRICS_PROMETHEUS;
}

const char *dt_metrics_content_type(enum dt_metrics_format f)
{
	return f == DT_METRICS_OPENMETRICS ?
	       "application/openmetrics-text; version=1.0.0; charset=utf-8" :
	       "text/plain; version=0.0.4; charset=utf-8";
}
