// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "diff.h"
#include "fallback.h"
#include "json.h"

#define SEP DT_JFLAT_SEP
#define MAX_ROWS 64
#define PATH_LEN 128

enum found { ABSENT, NUL, VALUE };

static enum found lookup(const struct dt_diff_side *s, const char *path, __s64 *v)
{
	const struct dt_jflat_item *it = dt_jflat_find(&s->counts, path);

	*v = 0;
	if (!it)
		return ABSENT;
	if (it->null)
		return NUL;
	*v = it->value;
	return VALUE;
}

/*
 * The counts a summary has, in the order its JSON gives them, under
 * @prefix ("" or a group's "groups" SEP name SEP); a group holds the
 * counts of dt_summary_counts_json(), the top level the rest too.
 */
static int schema(char rows[][PATH_LEN], const char *prefix, bool group)
{
	int n = 0;

#define ROW(...) snprintf(rows[n++], PATH_LEN, __VA_ARGS__)
	ROW("%sfaults", prefix);
	for (int c = 0; c < DT_CLASS_MAX; c++)
		ROW("%sclasses" SEP "%s", prefix, dt_class_name(c));
	ROW("%sviolations", prefix);
	for (int m = DT_MISMATCH_NONE + 1; m < DT_MISMATCH_MAX; m++)
		ROW("%spfn_mismatch" SEP "%s", prefix, dt_mismatch_name(m));
	if (group)
		return n;
	ROW("pmd_fallbacks" SEP "total");
	for (int r = 0; r < DT_FB_MAX; r++)
		ROW("pmd_fallbacks" SEP "reasons" SEP "%s", dt_fallback_name(r));
	ROW("lost");
	ROW("untraced_children");
#undef ROW
	return n;
}

/* A path as the user names it: a class alone, pmd_fallback.REASON, ... */
static void label(char *out, size_t len, const char *path)
{
	static const char classes[] = "classes" SEP;
	static const char total[] = "pmd_fallbacks" SEP "total";
	static const char reasons[] = "pmd_fallbacks" SEP "reasons" SEP;

	if (!strncmp(path, classes, sizeof(classes) - 1))
		snprintf(out, len, "%s", path + sizeof(classes) - 1);
	else if (!strcmp(path, total))
		snprintf(out, len, "pmd_fallback");
	else if (!strncmp(path, reasons, sizeof(reasons) - 1))
		snprintf(out, len, "pmd_fallback.%s", path + sizeof(reasons) - 1);
	else
		snprintf(out, len, "%s", path);
	for (char *p = out; *p; p++)
		if (*p == SEP[0])
			*p = '.';
}

int dt_diff_validate(const struct dt_diff_side *a, const struct dt_diff_side *b,
		     char *err, int errlen)
{
	const struct dt_diff_side *sides[2] = { a, b };
	enum found two_step[2];
	__s64 v;

	for (int i = 0; i < 2; i++) {
		if (lookup(sides[i], "faults", &v) != VALUE ||
		    lookup(sides[i], "classes" SEP "read", &v) != VALUE) {
			snprintf(err, errlen, "%s: not a daxtrace summary (no "
				 "\"faults\" and \"classes\"): give a recording, a "
				 "--summary=json output or an xfstests summary.json",
				 sides[i]->file);
			return -1;
		}
		two_step[i] = lookup(sides[i], "classes" SEP "two_step", &v);
	}
	if (two_step[0] != two_step[1]) {
		snprintf(err, errlen, "%s is %s and %s %s: two_step and "
			 "pfn_mismatch are counted on one side only", a->file,
			 two_step[0] == VALUE ? "exact" : "inferred", b->file,
			 two_step[1] == VALUE ? "exact" : "inferred");
		return -1;
	}
	return 0;
}

/* KEY of a rule: what --expect takes, and violations, faults, lost */
static int rule_path(struct dt_diff_rule *r, const char *key)
{
	static const char *const plain[] = { "violations", "faults", "lost" };
	const char *expect[1];
	struct dt_rules rs;
	char text[96];
	const struct dt_rule *e;
	char err[256];

	for (unsigned int i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (!strcmp(key, plain[i])) {
			snprintf(r->path, sizeof(r->path), "%s", plain[i]);
			return 0;
		}
	/* the class grammar is check's: the same names, the same errors */
	snprintf(text, sizeof(text), "%s=0", key);
	expect[0] = text;
	if (dt_rules_init(&rs, NULL, 0, expect, 1, err, sizeof(err)))
		return -1;
	e = &rs.r[rs.n - 1];
	if (e->pmd_fallback && e->reason < 0)
		snprintf(r->path, sizeof(r->path), "pmd_fallbacks" SEP "total");
	else if (e->pmd_fallback)
		snprintf(r->path, sizeof(r->path), "pmd_fallbacks" SEP "reasons" SEP "%s",
			 dt_fallback_name(e->reason));
	else if (e->mismatch != DT_MISMATCH_NONE)
		snprintf(r->path, sizeof(r->path), "pfn_mismatch" SEP "%s",
			 dt_mismatch_name(e->mismatch));
	else
		snprintf(r->path, sizeof(r->path), "classes" SEP "%s",
			 dt_class_name(e->cls));
	return 0;
}

int dt_diff_rule_parse(struct dt_diff_rule *r, const char *s, char *err, int errlen)
{
	static const struct { const char *tok; enum dt_rule_op op; } ops[] = {
		{ ">=", DT_OP_GE }, { "<=", DT_OP_LE }, { "=", DT_OP_EQ },
		{ ">", DT_OP_GT }, { "<", DT_OP_LT },
	};
	const char *key = s, *num;
	size_t klen = strcspn(s, "=<>");
	char keybuf[64], *end;
	unsigned int i;

	*r = (struct dt_diff_rule){ 0 };
	snprintf(r->text, sizeof(r->text), "%s", s);
	if (!strncmp(s, "delta.", 6)) {
		r->delta = true;
		key += 6;
		klen -= 6;
	}
	if (!s[strcspn(s, "=<>")] || !klen || klen >= sizeof(keybuf))
		goto bad;
	memcpy(keybuf, key, klen);
	keybuf[klen] = '\0';
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strncmp(key + klen, ops[i].tok, strlen(ops[i].tok)))
			break;
	if (i == sizeof(ops) / sizeof(ops[0]))
		goto bad;
	r->op = ops[i].op;
	num = key + klen + strlen(ops[i].tok);
	/* a count is digits; a delta may be negative */
	if (!((num[0] >= '0' && num[0] <= '9') ||
	      (r->delta && num[0] == '-' && num[1] >= '0' && num[1] <= '9')))
		goto bad;
	r->n = strtoll(num, &end, 10);
	if (*end)
		goto bad;
	if (rule_path(r, keybuf)) {
		snprintf(err, errlen, "bad --fail-on '%s': '%s' is not a class, "
			 "pfn_mismatch.KIND, pmd_fallback[.REASON], violations, "
			 "faults or lost", s, keybuf);
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "bad --fail-on '%s' (as check --expect: CLASS=N, "
		 "CLASS>N, CLASS>=N, CLASS<N, CLASS<=N; CLASS also violations, "
		 "pfn_mismatch.KIND, pmd_fallback[.REASON]; delta.CLASS judges "
		 "B - A, which may be negative)", s);
	return -1;
}

static bool op_holds(enum dt_rule_op op, __s64 v, __s64 n)
{
	switch (op) {
	case DT_OP_EQ:
		return v == n;
	case DT_OP_GT:
		return v > n;
	case DT_OP_GE:
		return v >= n;
	case DT_OP_LT:
		return v < n;
	case DT_OP_LE:
		return v <= n;
	}
	return false;
}

int dt_diff_judge(struct dt_diff_rule *r, const struct dt_diff_side *a,
		  const struct dt_diff_side *b, char *err, int errlen)
{
	const struct dt_diff_side *need[2] = { b, a };
	__s64 v[2];

	for (int i = 0; i < 1 + r->delta; i++)
		if (lookup(need[i], r->path, &v[i]) != VALUE) {
			snprintf(err, errlen, "--fail-on '%s': %s does not count it%s",
				 r->text, need[i]->file,
				 lookup(need[i], r->path, &v[i]) == NUL ?
				 " (inferred mode)" : "");
			return -1;
		}
	r->value = r->delta ? v[0] - v[1] : v[0];
	r->holds = op_holds(r->op, r->value, r->n);
	return 0;
}

__u64 dt_hist_quantile_bound(const struct dt_hist *h, double q)
{
	__u64 total = 0, seen = 0, want;

	for (int k = 0; k < DT_HIST_SLOTS; k++)
		total += h->slots[k];
	if (!total)
		return 0;
	/* the rank of the q-quantile, 1-based: ceil(q * total) */
	want = (__u64)(q * total);
	if (want < q * total || !want)
		want++;
	for (int k = 0; k < DT_HIST_SLOTS; k++) {
		seen += h->slots[k];
		if (seen >= want)
			return 1ULL << k;
	}
	return 1ULL << (DT_HIST_SLOTS - 1);
}

static void put_value(FILE *out, enum found f, __s64 v, int width)
{
	if (f == VALUE)
		fprintf(out, " %*lld", width, (long long)v);
	else
		fprintf(out, " %*s", width, f == NUL ? "n/a" : "-");
}

/* one row; @all: printed even when both sides are 0 */
static void text_row(FILE *out, const char *name, const char *path,
		     const struct dt_diff_side *a, const struct dt_diff_side *b,
		     bool all)
{
	__s64 va, vb;
	enum found fa = lookup(a, path, &va), fb = lookup(b, path, &vb);

	if (!all && !va && !vb && fa != NUL && fb != NUL)
		return;
	fprintf(out, "%-36s", name);
	put_value(out, fa, va, 12);
	put_value(out, fb, vb, 12);
	if (fa == VALUE && fb == VALUE)
		fprintf(out, " %+12lld\n", (long long)(vb - va));
	else
		fprintf(out, " %12s\n", "n/a");
}

/* The groups either side has, each once: "groups" SEP NAME SEP ... */
static int group_names(const struct dt_diff_side *a, const struct dt_diff_side *b,
		       char ***names)
{
	static const char pre[] = "groups" SEP;
	const struct dt_diff_side *sides[2] = { a, b };
	char **v = NULL;
	int n = 0;

	for (int s = 0; s < 2; s++)
		for (int i = 0; i < sides[s]->counts.n; i++) {
			const char *p = sides[s]->counts.items[i].path, *end;
			int j;

			if (strncmp(p, pre, sizeof(pre) - 1))
				continue;
			p += sizeof(pre) - 1;
			end = strchr(p, SEP[0]);
			if (!end)
				continue;
			for (j = 0; j < n; j++)
				if (strlen(v[j]) == (size_t)(end - p) &&
				    !strncmp(v[j], p, end - p))
					break;
			if (j < n)
				continue;
			char **nv = realloc(v, (n + 1) * sizeof(*v));

			if (!nv)
				break;
			v = nv;
			v[n] = strndup(p, end - p);
			if (!v[n])
				break;
			n++;
		}
	*names = v;
	return n;
}

static void free_names(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static bool any_timed(const struct dt_diff_side *s, int c)
{
	return s->timed && dt_hist_quantile_bound(&s->lat[c], 0.5);
}

static void put_bound(FILE *out, const struct dt_diff_side *s, int c, double q)
{
	char buf[24];

	if (!any_timed(s, c)) {
		fprintf(out, " %10s", "-");
		return;
	}
	snprintf(buf, sizeof(buf), "<=%lluns",
		 (unsigned long long)dt_hist_quantile_bound(&s->lat[c], q));
	fprintf(out, " %10s", buf);
}

static void put_ratio(FILE *out, const struct dt_diff_side *a,
		      const struct dt_diff_side *b, int c, double q)
{
	if (!any_timed(a, c) || !any_timed(b, c))
		fprintf(out, " %7s", "-");
	else
		fprintf(out, " %6.2fx", (double)dt_hist_quantile_bound(&b->lat[c], q) /
			dt_hist_quantile_bound(&a->lat[c], q));
}

void dt_diff_text(FILE *out, const struct dt_diff_side *a,
		  const struct dt_diff_side *b)
{
	char rows[MAX_ROWS][PATH_LEN], name[PATH_LEN + 64], prefix[PATH_LEN];
	char **groups;
	int n = schema(rows, "", false), ng;
	bool lat = false;

	fprintf(out, "A: %s (%s)\nB: %s (%s)\n\n", a->file, a->kind, b->file, b->kind);
	fprintf(out, "%-36s %12s %12s %12s\n", "", "A", "B", "delta");
	for (int i = 0; i < n; i++) {
		label(name, sizeof(name), rows[i]);
		text_row(out, name, rows[i], a, b,
			 !strcmp(rows[i], "faults") || !strcmp(rows[i], "violations"));
	}
	ng = group_names(a, b, &groups);
	if (ng)
		fprintf(out, "\nper group (--split-exec)\n");
	/* a group's name on its own line: a test's path may be long */
	for (int g = 0; g < ng; g++) {
		snprintf(prefix, sizeof(prefix), "groups" SEP "%s" SEP, groups[g]);
		fprintf(out, "%s\n", groups[g]);
		n = schema(rows, prefix, true);
		for (int i = 0; i < n; i++) {
			char l[PATH_LEN];

			label(l, sizeof(l), rows[i] + strlen(prefix));
			snprintf(name, sizeof(name), "  %s", l);
			text_row(out, name, rows[i], a, b, !strcmp(l, "faults"));
		}
	}
	free_names(groups, ng);
	for (int c = 0; c < DT_CLASS_MAX; c++)
		lat = lat || any_timed(a, c) || any_timed(b, c);
	if (!lat)
		return;
	/* bounds of log2 slots; a class of untimed faults (two_step) has none */
	fprintf(out, "\n%-25s %10s %10s %7s %10s %10s %7s\n", "latency (log2 bound)",
		"p50 A", "p50 B", "B/A", "p99 A", "p99 B", "B/A");
	for (int c = 0; c < DT_CLASS_MAX; c++) {
		if (!any_timed(a, c) && !any_timed(b, c))
			continue;
		fprintf(out, "%-25s", dt_class_name(c));
		put_bound(out, a, c, 0.5);
		put_bound(out, b, c, 0.5);
		put_ratio(out, a, b, c, 0.5);
		put_bound(out, a, c, 0.99);
		put_bound(out, b, c, 0.99);
		put_ratio(out, a, b, c, 0.99);
		fputc('\n', out);
	}
}

static void json_found(FILE *out, enum found f, __s64 v)
{
	if (f == VALUE)
		fprintf(out, "%lld", (long long)v);
	else
		fputs("null", out);
}

static void json_rows(FILE *out, const struct dt_diff_side *a,
		      const struct dt_diff_side *b, const char *prefix, bool group)
{
	char rows[MAX_ROWS][PATH_LEN], name[PATH_LEN];
	int n = schema(rows, prefix, group);

	fputc('{', out);
	for (int i = 0; i < n; i++) {
		__s64 va, vb;
		enum found fa = lookup(a, rows[i], &va), fb = lookup(b, rows[i], &vb);

		label(name, sizeof(name), rows[i] + strlen(prefix));
		fputs(i ? "," : "", out);
		json_str(out, name);
		fputs(":{\"a\":", out);
		json_found(out, fa, va);
		fputs(",\"b\":", out);
		json_found(out, fb, vb);
		fputs(",\"delta\":", out);
		json_found(out, fa == VALUE && fb == VALUE ? VALUE : NUL, vb - va);
		fputc('}', out);
	}
	fputc('}', out);
}

static void json_side(FILE *out, const char *key, const struct dt_diff_side *s)
{
	fprintf(out, "\"%s\":{\"file\":", key);
	json_str(out, s->file);
	fputs(",\"kind\":", out);
	json_str(out, s->kind);
	fputc('}', out);
}

static void json_bound(FILE *out, const struct dt_diff_side *s, int c, double q)
{
	if (any_timed(s, c))
		fprintf(out, "%llu", (unsigned long long)dt_hist_quantile_bound(&s->lat[c], q));
	else
		fputs("null", out);
}

void dt_diff_json(FILE *out, const struct dt_diff_side *a,
		  const struct dt_diff_side *b,
		  const struct dt_diff_rule *rules, int nrules)
{
	static const double qs[2] = { 0.5, 0.99 };
	static const char *const qnames[2] = { "p50_ns", "p99_ns" };
	char prefix[PATH_LEN], **groups;
	int ng, first = 1;

	fputc('{', out);
	json_side(out, "a", a);
	fputc(',', out);
	json_side(out, "b", b);
	fputs(",\"counts\":", out);
	json_rows(out, a, b, "", false);
	fputs(",\"groups\":{", out);
	ng = group_names(a, b, &groups);
	for (int g = 0; g < ng; g++) {
		fputs(g ? "," : "", out);
		json_str(out, groups[g]);
		fputc(':', out);
		snprintf(prefix, sizeof(prefix), "groups" SEP "%s" SEP, groups[g]);
		json_rows(out, a, b, prefix, true);
	}
	free_names(groups, ng);
	fputs("},\"latency\":{", out);
	for (int c = 0; c < DT_CLASS_MAX; c++) {
		if (!any_timed(a, c) && !any_timed(b, c))
			continue;
		fprintf(out, "%s\"%s\":{", first ? "" : ",", dt_class_name(c));
		first = 0;
		for (int i = 0; i < 2; i++) {
			fprintf(out, "%s\"%s\":{\"a\":", i ? "," : "", qnames[i]);
			json_bound(out, a, c, qs[i]);
			fputs(",\"b\":", out);
			json_bound(out, b, c, qs[i]);
			fputs(",\"ratio\":", out);
			if (any_timed(a, c) && any_timed(b, c))
				fprintf(out, "%.4g", (double)dt_hist_quantile_bound(&b->lat[c], qs[i]) /
					dt_hist_quantile_bound(&a->lat[c], qs[i]));
			else
				fputs("null", out);
			fputc('}', out);
		}
		fputc('}', out);
	}
	fputs("},\"rules\":[", out);
	for (int i = 0; i < nrules; i++) {
		fputs(i ? ",{\"rule\":" : "{\"rule\":", out);
		json_str(out, rules[i].text);
		fprintf(out, ",\"holds\":%s,\"value\":%lld}", rules[i].holds ? "true" : "false",
			(long long)rules[i].value);
	}
	fputs("]}\n", out);
}
