// SPDX-License-Identifier: GPL-2.0
#include "summary.h"
#include "json.h"

void dt_summary_count(struct dt_summary *s, enum dt_size size,
		      const struct dt_verdict *v, __u64 n)
{
	s->faults += n;
	s->classes[v->cls] += n;
	if (v->mismatch != DT_MISMATCH_NONE)
		s->mismatch[v->mismatch] += n;
	s->sizes[size == DT_SIZE_PMD] += n;
	if (v->violation)
		s->violations += n;
	if (v->inferred)
		s->inferred += n;
}

void dt_summary_add(struct dt_summary *s, const struct dt_event *ev,
		    const struct dt_verdict *v)
{
	dt_summary_count(s, ev->size, v, 1);
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

void dt_summary_json(FILE *out, const struct dt_summary *s, const char *mode,
		     const struct dt_probe_state *probes, int nprobes)
{
	fprintf(out, "{\"faults\":%llu,\"classes\":{", s->faults);
	for (int i = 0; i < DT_CLASS_MAX; i++)
		fprintf(out, "%s\"%s\":%llu", i ? "," : "", dt_class_name(i),
			s->classes[i]);
	fprintf(out, "},\"pfn_mismatch\":{\"zero_page\":%llu,\"private_cow\":%llu,"
		"\"unexpected\":%llu},",
		s->mismatch[DT_MISMATCH_ZERO_PAGE],
		s->mismatch[DT_MISMATCH_PRIVATE_COW],
		s->mismatch[DT_MISMATCH_UNEXPECTED]);
	fprintf(out, "\"sizes\":{\"pte\":%llu,\"pmd\":%llu},", s->sizes[0],
		s->sizes[1]);
	fprintf(out, "\"violations\":%llu,\"inferred\":%llu,\"lost\":%llu,"
		"\"stale\":%llu,\"untracked\":%llu,\"untraced_children\":%llu,"
		"\"mode\":", s->violations, s->inferred, s->lost, s->stale,
		s->ctx_full, s->untraced_children);
	json_str(out, mode);
	fputc(',', out);
	json_probes(out, probes, nprobes);
	fputs("}\n", out);
}

void dt_summary_text(FILE *out, const struct dt_summary *s, const char *mode,
		     const struct dt_probe_state *probes, int nprobes)
{
	fprintf(out, "\n%llu DAX faults (%llu pte, %llu pmd), mode %s\n",
		s->faults, s->sizes[0], s->sizes[1], mode);
	for (int i = 0; i < DT_CLASS_MAX; i++)
		fprintf(out, "  %-14s %llu\n", dt_class_name(i), s->classes[i]);
	fprintf(out, "pfn_mismatch: zero_page %llu, private_cow %llu, unexpected %llu\n",
		s->mismatch[DT_MISMATCH_ZERO_PAGE],
		s->mismatch[DT_MISMATCH_PRIVATE_COW],
		s->mismatch[DT_MISMATCH_UNEXPECTED]);
	fprintf(out, "violations: %llu   inferred: %llu   lost: %llu   stale: %llu   untracked: %llu",
		s->violations, s->inferred, s->lost, s->stale, s->ctx_full);
	/* rare (--max-procs): said only when it happened */
	if (s->untraced_children)
		fprintf(out, "   untraced children: %llu", s->untraced_children);
	fputc('\n', out);
	fputs("probes:", out);
	for (int i = 0; i < nprobes; i++)
		fprintf(out, " %s=%s", probes[i].name,
			probes[i].how ? probes[i].how : "-");
	fputc('\n', out);
}
