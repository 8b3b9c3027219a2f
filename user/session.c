// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "junit.h"
#include "session.h"

#define JUNIT_MAX_CASES (DT_RULES_MAX + 2)

void dt_err(const char *fmt, ...)
{
	va_list ap;

	fputs("daxtrace: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int dt_session_rules(struct dt_consumer *c, const struct dt_options *o)
{
	char err[256];

	if (!dt_rules_init(&c->rules, o->forbid, o->nforbid, o->expect,
			   o->nexpect, err, sizeof(err)))
		return 0;
	dt_err("%s (see daxtrace --help)", err);
	return -1;
}

struct dt_trace_info dt_trace_info_of(const struct dt_consumer *c,
				      const struct dt_probe_state *probes,
				      int nprobes)
{
	return (struct dt_trace_info){
		.exact = c->cx.exact, .era = c->cx.era, .layout = c->cx.layout,
		.probes = probes, .nprobes = nprobes,
		.split = c->split_glob ? &c->split : NULL,
		.devdax = &c->devdax,
	};
}

void dt_print_summary(const struct dt_consumer *c, const struct dt_options *o,
		      const struct dt_probe_state *probes, int nprobes)
{
	const struct dt_trace_info t = dt_trace_info_of(c, probes, nprobes);
	/* stdout carries NDJSON with --json: keep it parseable */
	FILE *text = c->stream == DT_STREAM_JSON ? stderr : stdout;

	switch (o->summary) {
	case DT_SUMMARY_JSON:
		dt_summary_json(stdout, &c->sum, &t);
		break;
	case DT_SUMMARY_TEXT:
		if (c->breakdown)
			dt_breakdown_print(text, &c->bd);
		if (c->split_glob)
			dt_split_print(text, &c->split, c->cx.exact);
		dt_summary_text(text, &c->sum, &t);
		break;
	case DT_SUMMARY_NONE:
		break;
	}
	fflush(stdout);
	if (c->sum.lost)
		dt_err("warning: %llu events lost (ring buffer full)", c->sum.lost);
}

static void rule_case(struct dt_junit_case *jc, const struct dt_rule *r,
		      const struct dt_consumer *c, char *msg, size_t len)
{
	jc->name = r->text;
	jc->classname = "daxtrace.check";
	if (r->unavailable) {
		jc->skipped = true;
		jc->failure_message = "unavailable: mode inferred (no insert probes)";
		return;
	}
	if (dt_rule_holds(r))
		return;
	snprintf(msg, len, "%s: %llu faults", r->text, r->count);
	/* --split-exec: in which groups, as many as fit */
	for (int i = 0, listed = 0; c->split_glob && i < c->split.ngroups; i++) {
		__u64 n = dt_rule_count(r, &c->split.groups[i].sum);
		size_t used = strlen(msg);

		if (n && used + 1 < len)
			snprintf(msg + used, len - used, "%s %s (%llu)",
				 listed++ ? "," : "; in", c->split.groups[i].name, n);
	}
	jc->failure_message = msg;
	jc->failure_text = r->forbid && c->offend_buf ? c->offend_buf : msg;
}

static int write_junit(const struct dt_consumer *c, const struct dt_options *o,
		       bool tool_failed)
{
	static char msgs[JUNIT_MAX_CASES][512];
	struct dt_junit_case cases[JUNIT_MAX_CASES] = { { 0 } };
	char stamp[32], host[256] = "localhost";
	time_t now = time(NULL);
	int n = 0, err;
	FILE *f;

	for (int i = 0; i < c->rules.n; i++, n++)
		rule_case(&cases[n], &c->rules.r[i], c, msgs[n], sizeof(msgs[n]));
	cases[n].name = "no events lost";
	cases[n].classname = "daxtrace.tool";
	if (c->sum.lost || c->sum.untraced_children || tool_failed) {
		snprintf(msgs[n], sizeof(msgs[n]),
			 "%llu events lost, %llu child processes untraced%s",
			 c->sum.lost, c->sum.untraced_children,
			 tool_failed ? ", tracing failed" : "");
		cases[n].failure_message = msgs[n];
		cases[n].failure_text = msgs[n];
	}
	n++;
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", gmtime(&now));
	gethostname(host, sizeof(host) - 1);
	f = fopen(o->junit, "we");
	if (!f) {
		dt_err("cannot create '%s': %s", o->junit, strerror(errno));
		return -1;
	}
	err = dt_junit_write(f, "daxtrace", cases, n, 0, stamp, host);
	if (fclose(f) || err) {
		dt_err("cannot write '%s'", o->junit);
		return -1;
	}
	return 0;
}

/* With --split-exec: the groups whose faults a broken rule counted. */
static void print_rule_groups(FILE *out, const struct dt_rule *r,
			      const struct dt_split *s)
{
	for (int i = 0; i < s->ngroups; i++) {
		__u64 n = dt_rule_count(r, &s->groups[i].sum);

		if (n)
			fprintf(out, "daxtrace check:        in %s (%llu)\n",
				s->groups[i].name, n);
	}
	if (dt_rule_count(r, &s->outside))
		fprintf(out, "daxtrace check:        in no group (%llu)\n",
			dt_rule_count(r, &s->outside));
}

int dt_check_verdict(struct dt_consumer *c, const struct dt_options *o,
		     bool tool_failed)
{
	int broken;

	dt_rules_finish(&c->rules, &c->sum, c->cx.exact);
	broken = dt_rules_broken(&c->rules);
	for (int i = 0; i < c->rules.n; i++) {
		const struct dt_rule *r = &c->rules.r[i];

		if (r->unavailable)
			fprintf(stderr, "daxtrace check: n/a  %s (unavailable: mode "
				"inferred)\n", r->text);
		else
			fprintf(stderr, "daxtrace check: %-4s %s (%llu)\n",
				dt_rule_holds(r) ? "ok" : "FAIL", r->text, r->count);
		if (!dt_rule_holds(r) && c->split_glob)
			print_rule_groups(stderr, r, &c->split);
	}
	if (o->junit && write_junit(c, o, tool_failed))
		tool_failed = true;
	if (c->sum.lost || c->sum.untraced_children) {
		dt_err("check: %llu events lost, %llu child processes untraced: "
		       "the verdict is incomplete", c->sum.lost,
		       c->sum.untraced_children);
		return DT_EXIT_TOOL;
	}
	if (tool_failed)
		return DT_EXIT_TOOL;
	return broken ? DT_EXIT_VIOLATION : DT_EXIT_OK;
}
