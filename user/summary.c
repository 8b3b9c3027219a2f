// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "era.h"
#include "fallback.h"
#include "hints.h"
#include "json.h"
#include "layout.h"
#include "split.h"
#include "summary.h"

static void count_verdict(struct dt_summary *s, enum dt_size size,
			  const struct dt_verdict *v, __u64 n)
{
	s->faults += n;
	s->classes[v->cls] += n;
	if (v->mismatch != DT_MISMATCH_NONE)
		s->mismatch[v->mismatch] += n;
	if ((unsigned int)size < DT_SIZES)
		s->sizes[size] += n;
	if (v->violation)
		s->violations += n;
	if (v->inferred)
		s->inferred += n;
}

void dt_summary_count(struct dt_summary *s, enum dt_size size,
		      const struct dt_verdict *v, __u64 n)
{
	count_verdict(s, size, v, n);
	s->fallbacks_uncounted = true;
}

void dt_summary_count_fallback(struct dt_summary *s, enum dt_size size,
			       const struct dt_verdict *v, __u64 n, int reason)
{
	count_verdict(s, size, v, n);
	if (reason >= 0 && reason < DT_FB_MAX) {
		s->pmd_fallbacks += n;
		s->fallback[reason] += n;
	}
}

void dt_summary_add(struct dt_summary *s, const struct dt_event *ev,
		    const struct dt_verdict *v)
{
	int r = dt_fallback_of(ev);

	count_verdict(s, ev->size, v, 1);
	if (v->devdax_why != DT_DD_NONE && v->devdax_why < DT_DD_MAX) {
		s->devdax_refused++;
		s->devdax_why[v->devdax_why]++;
	}
	if (r >= 0) {
		s->pmd_fallbacks++;
		s->fallback[r]++;
	}
}

/* "pmd_fallbacks":{"total":N,"reasons":{"unknown":N,...}}, or null */
static void json_fallbacks(FILE *out, const struct dt_summary *s)
{
	fputs("\"pmd_fallbacks\":", out);
	if (s->fallbacks_uncounted) {
		fputs("null", out);
		return;
	}
	fprintf(out, "{\"total\":%llu,\"reasons\":{", s->pmd_fallbacks);
	for (int i = 0; i < DT_FB_MAX; i++)
		fprintf(out, "%s\"%s\":%llu", i ? "," : "", dt_fallback_name(i),
			s->fallback[i]);
	fputs("}}", out);
}

/* pmd_fallbacks: 32 (storage_misaligned 32) */
static void text_fallbacks(FILE *out, const struct dt_summary *s)
{
	const char *sep = " (";

	if (s->fallbacks_uncounted) {
		fputs("pmd_fallbacks: unavailable (no records: counts only)\n", out);
		return;
	}
	fprintf(out, "pmd_fallbacks: %llu", s->pmd_fallbacks);
	for (int i = 0; i < DT_FB_MAX; i++) {
		if (!s->fallback[i])
			continue;
		fprintf(out, "%s%s %llu", sep, dt_fallback_name(i), s->fallback[i]);
		sep = ", ";
	}
	fputs(s->pmd_fallbacks ? ")\n" : "\n", out);
}

static void json_probes(FILE *out, const struct dt_probe_state *p, int n)
{
	fputs("\"probes\":{", out);
	for (int i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		json_str(out, p[i].name);
		fputc(':', out);
		if (p[i].how) {
			json_str(out, p[i].how);
			continue;
		}
		fputs("\"unavailable: ", out);
		/* the reason is ours (strerror or a fixed note): no escaping needed */
		fputs(p[i].why ? p[i].why : "not attempted", out);
		fputc('"', out);
	}
	fputc('}', out);
}

/*
 * Whether device DAX was traced: the envelope of its kind
 * (dev_dax_huge_fault and its return, include/dt_points.h) attached.  NULL,
 * or the reason it was not (the return probe's: the entry half attaches
 * only after it).  Never implied by the fidelity of file DAX: a kind not
 * traced is said to be so.
 */
const char *dt_devdax_untraced(const struct dt_probe_state *p, int n)
{
	const char *why = "not in this recording's probes";

	for (int i = 0; i < n; i++) {
		if (strcmp(p[i].name, "dev_dax_huge_fault:ret") &&
		    strcmp(p[i].name, "dev_dax_huge_fault"))
			continue;
		if (p[i].how)
			why = NULL;
		else
			return p[i].why ? p[i].why : "not attempted";
	}
	return why;
}

bool dt_class_seen(enum dt_class cls, bool exact)
{
	return exact || (cls != DT_CLASS_TWO_STEP && cls != DT_CLASS_PFN_MISMATCH);
}

static void json_count(FILE *out, __u64 n, bool seen)
{
	if (seen)
		fprintf(out, "%llu", n);
	else
		fputs("null", out);
}

/* "faults", "classes", "pfn_mismatch", "violations": what a count of faults says */
static void counts_members(FILE *out, const struct dt_summary *s, bool exact)
{
	fprintf(out, "\"faults\":%llu,\"classes\":{", s->faults);
	for (int i = 0; i < DT_CLASS_MAX; i++) {
		fprintf(out, "%s\"%s\":", i ? "," : "", dt_class_name(i));
		json_count(out, s->classes[i], dt_class_seen(i, exact));
	}
	fputs("},\"pfn_mismatch\":", out);
	if (exact)
		fprintf(out, "{\"zero_page\":%llu,\"private_cow\":%llu,"
			"\"unexpected\":%llu}",
			s->mismatch[DT_MISMATCH_ZERO_PAGE],
			s->mismatch[DT_MISMATCH_PRIVATE_COW],
			s->mismatch[DT_MISMATCH_UNEXPECTED]);
	else
		fputs("null", out);
	fputs(",\"violations\":", out);
	json_count(out, s->violations, exact);
}

void dt_summary_counts_json(FILE *out, const struct dt_summary *s, bool exact)
{
	fputc('{', out);
	counts_members(out, s, exact);
	fputc('}', out);
}

/*
 * "devices":[{"name":"dax0.0","dev":"251:0","align":4096,"size":N,
 * "faults":N,"refused":{"align_smaller":N,...}}], the device-DAX devices
 * the records named, in the order first seen; name and align null when
 * never read.
 */
static void json_devices(FILE *out, const struct dt_devdax_devs *t)
{
	fputs("\"devices\":[", out);
	for (int i = 0; t && i < t->n; i++) {
		const struct dt_devdax_dev *d = &t->v[i];

		fprintf(out, "%s{\"name\":", i ? "," : "");
		if (d->name[0])
			json_strn(out, d->name, sizeof(d->name));
		else
			fputs("null", out);
		fprintf(out, ",\"dev\":\"%u:%u\",\"align\":", d->dev >> 20, d->dev & 0xfffff);
		if (d->geom.align)
			fprintf(out, "%llu,\"size\":%llu", d->geom.align, d->geom.size);
		else
			fputs("null,\"size\":null", out);
		fprintf(out, ",\"faults\":%llu,\"refused\":{", d->faults);
		for (int w = DT_DD_NONE + 1; w < DT_DD_MAX; w++)
			fprintf(out, "%s\"%s\":%llu", w > DT_DD_NONE + 1 ? "," : "",
				dt_devdax_why_name(w), d->why[w]);
		fputs("}}", out);
	}
	fprintf(out, "],\"devices_unnamed\":%llu,", t ? t->unnamed : 0);
}

/*
 *   dax0.0 (4K-aligned, 2 GiB): 16448 faults, 64 refused (align_smaller 64)
 * and a hint for each reason seen: what the driver wanted.
 */
static void text_devices(FILE *out, const struct dt_devdax_devs *t)
{
	for (int i = 0; t && i < t->n; i++) {
		const struct dt_devdax_dev *d = &t->v[i];
		const char *sep = " (";
		char what[96];
		__u64 refused = 0;

		for (int w = DT_DD_NONE + 1; w < DT_DD_MAX; w++)
			refused += d->why[w];
		dt_devdax_describe(what, sizeof(what), d);
		fprintf(out, "  %s: %llu faults, %llu refused", what, d->faults, refused);
		for (int w = DT_DD_NONE + 1; w < DT_DD_MAX; w++) {
			if (!d->why[w])
				continue;
			fprintf(out, "%s%s %llu", sep, dt_devdax_why_name(w), d->why[w]);
			sep = ", ";
		}
		fputs(refused ? ")\n" : "\n", out);
		for (int w = DT_DD_NONE + 1; w < DT_DD_MAX; w++)
			if (d->why[w] && dt_devdax_hint(w))
				fprintf(out, "    %s: %s\n", dt_devdax_why_name(w),
					dt_devdax_hint(w));
	}
	if (t && t->unnamed)
		fprintf(out, "  %llu faults of devices past the first %d\n", t->unnamed,
			DT_DEVDAX_DEVS);
}

void dt_summary_json(FILE *out, const struct dt_summary *s,
		     const struct dt_trace_info *t)
{
	fputc('{', out);
	counts_members(out, s, t->exact);
	fprintf(out, ",\"sizes\":{\"pte\":%llu,\"pmd\":%llu,\"pud\":%llu},\"inferred\":%llu,"
		"\"lost\":%llu,\"stale\":%llu,\"untracked\":%llu,"
		"\"untraced_children\":%llu,\"mode\":\"%s\",\"era\":\"%s\","
		"\"pte_layout\":\"%s\",", s->sizes[0], s->sizes[1], s->sizes[2], s->inferred,
		s->lost, s->stale, s->ctx_full, s->untraced_children,
		t->exact ? "exact" : "inferred", dt_era_name(t->era),
		dt_pte_layout_name(t->layout));
	json_fallbacks(out, s);
	fputc(',', out);
	if (t->split) {
		dt_split_json(out, t->split, t->exact);
		fputc(',', out);
	}
	fprintf(out, "\"devdax\":\"%s\",",
		dt_devdax_untraced(t->probes, t->nprobes) ? "untraced" : "traced");
	json_devices(out, t->devdax);
	json_probes(out, t->probes, t->nprobes);
	fputs("}\n", out);
}

void dt_summary_text(FILE *out, const struct dt_summary *s,
		     const struct dt_trace_info *t)
{
	char pud[32] = "";

	/* 1 GiB faults only come from device DAX: named when there are some */
	if (s->sizes[DT_SIZE_PUD])
		snprintf(pud, sizeof(pud), ", %llu pud", s->sizes[DT_SIZE_PUD]);
	fprintf(out, "\n%llu DAX faults (%llu pte, %llu pmd%s), mode %s, insert path %s, "
		"PTE layout %s\n", s->faults, s->sizes[0], s->sizes[1], pud,
		t->exact ? "exact" : "inferred", dt_era_name(t->era),
		dt_pte_layout_name(t->layout));
	for (int i = 0; i < DT_CLASS_MAX; i++) {
		if (dt_class_seen(i, t->exact))
			fprintf(out, "  %-14s %llu\n", dt_class_name(i), s->classes[i]);
		else
			fprintf(out, "  %-14s unavailable\n", dt_class_name(i));
	}
	if (t->exact)
		fprintf(out, "pfn_mismatch: zero_page %llu, private_cow %llu, unexpected %llu\n",
			s->mismatch[DT_MISMATCH_ZERO_PAGE],
			s->mismatch[DT_MISMATCH_PRIVATE_COW],
			s->mismatch[DT_MISMATCH_UNEXPECTED]);
	else
		fputs("pfn_mismatch: unavailable (no insert probes: mode inferred)\n", out);
	if (t->exact)
		fprintf(out, "violations: %llu", s->violations);
	else
		fputs("violations: unavailable", out);
	fprintf(out, "   inferred: %llu   lost: %llu   stale: %llu   untracked: %llu",
		s->inferred, s->lost, s->stale, s->ctx_full);
	/* rare (--max-procs): said only when it happened */
	if (s->untraced_children)
		fprintf(out, "   untraced children: %llu", s->untraced_children);
	fputc('\n', out);
	text_fallbacks(out, s);
	if (dt_devdax_untraced(t->probes, t->nprobes))
		fprintf(out, "device DAX: not traced (%s)\n",
			dt_devdax_untraced(t->probes, t->nprobes));
	else
		fputs("device DAX: traced (dev_dax_huge_fault)\n", out);
	text_devices(out, t->devdax);
	fputs("probes:", out);
	for (int i = 0; i < t->nprobes; i++)
		fprintf(out, " %s=%s", t->probes[i].name,
			t->probes[i].how ? t->probes[i].how : "-");
	fputc('\n', out);
	/* last: what to change, for the reasons seen */
	if (!s->fallbacks_uncounted)
		dt_hints_print(out, s->fallback);
}
