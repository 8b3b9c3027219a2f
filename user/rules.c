// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "rules.h"

#define BAD(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

/* "pmd_fallback" (every reason) or "pmd_fallback.REASON" */
static int parse_fallback(const char *dot, struct dt_rule *r)
{
	r->pmd_fallback = true;
	r->cls = -1;
	r->reason = dot ? dt_fallback_parse(dot) : -1;
	return dot && r->reason < 0 ? -1 : 0;
}

/* "size.pte", "size.pmd", "size.pud": the faults of one size */
static int parse_size(const char *dot, struct dt_rule *r)
{
	r->by_size = true;
	r->cls = -1;
	for (int i = 0; dot && i < DT_SIZES; i++)
		if (!strcmp(dot, dt_size_name(i))) {
			r->size = i;
			return 0;
		}
	return -1;
}

/* "devdax" (every reason the driver refused a fault) or "devdax.WHY" */
static int parse_devdax(const char *dot, struct dt_rule *r)
{
	r->devdax = true;
	r->cls = -1;
	r->why = -1;
	for (int i = DT_DD_NONE + 1; dot && i < DT_DD_MAX; i++)
		if (!strcmp(dot, dt_devdax_why_name(i)))
			r->why = i;
	return dot && r->why < 0 ? -1 : 0;
}

/* "two_step", "pfn_mismatch.unexpected", "pmd_fallback.misaligned" */
static int parse_target(const char *s, size_t len, struct dt_rule *r)
{
	char name[48];
	char *dot;

	if (len == 0 || len >= sizeof(name))
		return -1;
	memcpy(name, s, len);
	name[len] = '\0';
	r->mismatch = DT_MISMATCH_NONE;
	dot = strchr(name, '.');
	if (dot)
		*dot++ = '\0';
	if (!strcmp(name, "pmd_fallback"))
		return parse_fallback(dot, r);
	if (!strcmp(name, "size"))
		return parse_size(dot, r);
	if (!strcmp(name, "devdax"))
		return parse_devdax(dot, r);
	if (dot) {
		if (strcmp(name, "pfn_mismatch"))
			return -1;
		for (int m = DT_MISMATCH_ZERO_PAGE; m < DT_MISMATCH_MAX; m++)
			if (!strcmp(dot, dt_mismatch_name(m)))
				r->mismatch = m;
		if (r->mismatch == DT_MISMATCH_NONE)
			return -1;
	}
	r->cls = dt_class_parse(name);
	return r->cls < 0 ? -1 : 0;
}

static struct dt_rule *new_rule(struct dt_rules *rs)
{
	if (rs->n >= DT_RULES_MAX)
		return NULL;
	memset(&rs->r[rs->n], 0, sizeof(rs->r[0]));
	return &rs->r[rs->n++];
}

static int add_forbid(struct dt_rules *rs, const char *s, size_t len,
		      char *err, int errlen)
{
	struct dt_rule *r = new_rule(rs);

	if (!r)
		BAD("too many rules");
	if (parse_target(s, len, r))
		BAD("unknown class '%.*s' in --forbid", (int)len, s);
	r->forbid = true;
	snprintf(r->text, sizeof(r->text), "forbid %.*s", (int)len, s);
	/*
	 * A rule given twice (--forbid two_step, which is also a default) is
	 * one rule: judged, printed and counted as a JUnit failure once.
	 */
	for (int i = 0; i < rs->n - 1; i++)
		if (rs->r[i].forbid && !strcmp(rs->r[i].text, r->text)) {
			rs->n--;
			break;
		}
	return 0;
}

static int add_forbid_list(struct dt_rules *rs, const char *list,
			   char *err, int errlen)
{
	for (const char *p = list;; ) {
		size_t len = strcspn(p, ",");

		if (add_forbid(rs, p, len, err, errlen))
			return -1;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

static int parse_op(const char *s, enum dt_rule_op *op)
{
	static const struct { const char *tok; enum dt_rule_op op; } ops[] = {
		{ ">=", DT_OP_GE }, { "<=", DT_OP_LE }, { "=", DT_OP_EQ },
		{ ">", DT_OP_GT }, { "<", DT_OP_LT },
	};

	for (unsigned int i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (!strncmp(s, ops[i].tok, strlen(ops[i].tok))) {
			*op = ops[i].op;
			return strlen(ops[i].tok);
		}
	}
	return -1;
}

static int add_expect(struct dt_rules *rs, const char *s, char *err, int errlen)
{
	struct dt_rule *r = new_rule(rs);
	size_t len = strcspn(s, "=<>");
	char *end;
	int oplen;

	if (!r)
		BAD("too many rules");
	if (!s[len] || parse_target(s, len, r))
		BAD("bad --expect '%s' (CLASS=N, CLASS>N, CLASS>=N, CLASS<N, CLASS<=N; "
		    "CLASS may be pmd_fallback[.REASON], size.pte|pmd|pud or "
		    "devdax[.WHY])", s);
	oplen = parse_op(s + len, &r->op);
	/* strtoull() would take blanks and a sign: only digits are a count */
	if (oplen < 0 || s[len + oplen] < '0' || s[len + oplen] > '9')
		BAD("bad count in --expect '%s'", s);
	errno = 0;
	r->n = strtoull(s + len + oplen, &end, 10);
	if (errno || *end)
		BAD("bad count in --expect '%s'", s);
	snprintf(r->text, sizeof(r->text), "expect %s", s);
	return 0;
}

int dt_rules_init(struct dt_rules *rs, const char *const *forbid, int nforbid,
		  const char *const *expect, int nexpect, char *err, int errlen)
{
	rs->n = 0;
	if (add_forbid_list(rs, "two_step,pfn_mismatch.unexpected", err, errlen))
		return -1;
	for (int i = 0; i < nforbid; i++)
		if (add_forbid_list(rs, forbid[i], err, errlen))
			return -1;
	for (int i = 0; i < nexpect; i++)
		if (add_expect(rs, expect[i], err, errlen))
			return -1;
	return 0;
}

static bool matches(const struct dt_rule *r, const struct dt_event *ev,
		    const struct dt_verdict *v)
{
	if (r->pmd_fallback)
		return r->reason < 0 ? dt_fallback_of(ev) >= 0 :
				       dt_fallback_of(ev) == r->reason;
	if (r->by_size)
		return ev->size == r->size;
	if (r->devdax)
		return r->why < 0 ? v->devdax_why != DT_DD_NONE : v->devdax_why == r->why;
	if ((int)v->cls != r->cls)
		return false;
	return r->mismatch == DT_MISMATCH_NONE || (int)v->mismatch == r->mismatch;
}

bool dt_rules_offends(const struct dt_rules *rs, const struct dt_event *ev,
		      const struct dt_verdict *v)
{
	for (int i = 0; i < rs->n; i++)
		if (rs->r[i].forbid && matches(&rs->r[i], ev, v))
			return true;
	return false;
}

__u64 dt_rule_count(const struct dt_rule *r, const struct dt_summary *s)
{
	if (r->pmd_fallback)
		return r->reason < 0 ? s->pmd_fallbacks : s->fallback[r->reason];
	if (r->by_size)
		return s->sizes[r->size];
	if (r->devdax)
		return r->why < 0 ? s->devdax_refused : s->devdax_why[r->why];
	return r->mismatch == DT_MISMATCH_NONE ? s->classes[r->cls] :
						 s->mismatch[r->mismatch];
}

void dt_rules_finish(struct dt_rules *rs, const struct dt_summary *s, bool exact)
{
	for (int i = 0; i < rs->n; i++) {
		struct dt_rule *r = &rs->r[i];

		r->count = dt_rule_count(r, s);
		/* sizes are always counted; a refusal's reason needs records */
		r->unavailable = r->pmd_fallback || r->devdax ? s->fallbacks_uncounted :
				 r->by_size ? false : !dt_class_seen(r->cls, exact);
	}
}

bool dt_rule_holds(const struct dt_rule *r)
{
	if (r->unavailable)
		return true;
	if (r->forbid)
		return r->count == 0;
	switch (r->op) {
	case DT_OP_EQ:
		return r->count == r->n;
	case DT_OP_GT:
		return r->count > r->n;
	case DT_OP_GE:
		return r->count >= r->n;
	case DT_OP_LT:
		return r->count < r->n;
	case DT_OP_LE:
		return r->count <= r->n;
	}
	return false;
}

int dt_rules_broken(const struct dt_rules *rs)
{
	int n = 0;

	for (int i = 0; i < rs->n; i++)
		n += !dt_rule_holds(&rs->r[i]);
	return n;
}
