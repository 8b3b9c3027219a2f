// SPDX-License-Identifier: GPL-2.0
/*
 * `daxtrace diff` (user/diff.c) and the JSON reader under it
 * (user/jflat.c): paths and values, what is skipped, what is refused;
 * rules on B and on deltas; latency bounds; the text and JSON forms.
 */
#include <stdlib.h>
#include <string.h>
#include "diff.h"
#include "unit.h"

#define S DT_JFLAT_SEP
#define ERRLEN 512

static const char before[] =
	"{\"faults\":8192,\"classes\":{\"write\":0,\"read\":4096,\"hole\":0,"
	"\"ro_upgrade\":4096,\"zero_upgrade\":0,\"cow\":0,\"two_step\":0,"
	"\"pfn_mismatch\":0,\"error\":0,\"fallback\":0,\"other\":0,\"retry\":0},"
	"\"pfn_mismatch\":{\"zero_page\":0,\"private_cow\":0,\"unexpected\":0},"
	"\"violations\":0,\"sizes\":{\"pte\":8192,\"pmd\":0},\"mode\":\"exact\","
	"\"pmd_fallbacks\":{\"total\":0,\"reasons\":{\"misaligned\":0}},"
	"\"probes\":{\"insert_pfn\":\"fentry\"},\"lost\":0,"
	"\"groups\":{\"tests/generic/437\":{\"faults\":10,\"classes\":{\"cow\":10}}}}";
static const char under[] =
	"{\"faults\":8192,\"classes\":{\"write\":0,\"read\":4096,\"hole\":0,"
	"\"ro_upgrade\":0,\"zero_upgrade\":0,\"cow\":0,\"two_step\":4096,"
	"\"pfn_mismatch\":0,\"error\":0,\"fallback\":0,\"other\":0,\"retry\":0},"
	"\"pfn_mismatch\":{\"zero_page\":0,\"private_cow\":0,\"unexpected\":0},"
	"\"violations\":4096,\"mode\":\"exact\",\"lost\":0,"
	"\"groups\":{\"tests/generic/437\":{\"faults\":12,\"classes\":{\"cow\":12}}}}";
static const char inferred[] =
	"{\"faults\":1,\"classes\":{\"read\":1,\"two_step\":null},"
	"\"violations\":null}";

static void side(struct dt_diff_side *s, const char *name, const char *json)
{
	char err[ERRLEN];

	memset(s, 0, sizeof(*s));
	s->file = name;
	s->kind = "summary";
	CHECK_EQ(dt_jflat_parse(&s->counts, json, strlen(json), err, ERRLEN), 0);
}

static __s64 get(const struct dt_jflat *f, const char *path)
{
	const struct dt_jflat_item *it = dt_jflat_find(f, path);

	return it && !it->null ? it->value : -999;
}

static void test_jflat_paths(void)
{
	struct dt_jflat f;
	char err[ERRLEN];
	const char *j = " {\"a\":{\"b\":1,\"c\":[1,{\"d\":2}],\"e\":-5},"
			"\"s\":\"x\\\"y\\u0041\",\"f\":1.5e3,\"t\":true,\"n\":null,"
			"\"a\":{\"b\":7}} ";

	CHECK_EQ(dt_jflat_parse(&f, j, strlen(j), err, ERRLEN), 0);
	CHECK_EQ(get(&f, "a" S "b"), 7);	/* the last of a repeated path */
	CHECK_EQ(get(&f, "a" S "e"), -5);
	/* arrays, strings, booleans and fractions hold no count */
	CHECK(!dt_jflat_find(&f, "a" S "c"));
	CHECK(!dt_jflat_find(&f, "a" S "c" S "d"));
	CHECK(!dt_jflat_find(&f, "d"));
	CHECK(!dt_jflat_find(&f, "s"));
	CHECK(!dt_jflat_find(&f, "f"));
	CHECK(!dt_jflat_find(&f, "t"));
	CHECK(dt_jflat_find(&f, "n") && dt_jflat_find(&f, "n")->null);
	CHECK_EQ(f.n, 3);
	dt_jflat_free(&f);
	CHECK_EQ(f.n, 0);
}

static void bad_json(const char *j, const char *want)
{
	struct dt_jflat f;
	char err[ERRLEN] = "";

	CHECK_EQ(dt_jflat_parse(&f, j, strlen(j), err, ERRLEN), -1);
	CHECK(strstr(err, want) != NULL);
	CHECK(strstr(err, "offset ") == err);
	CHECK_EQ(f.n, 0);
	CHECK(f.items == NULL);
}

static void test_jflat_rejects(void)
{
	char deep[64] = "";

	bad_json("", "unexpected end");
	bad_json("{\"a\":1", "expected ','");
	bad_json("{\"a\" 1}", "expected ':'");
	bad_json("{\"a\":1} x", "text after");
	bad_json("{\"a\":\"b}", "unterminated");
	bad_json("{\"a\":tru}", "unexpected character");
	bad_json("{\"a\":1-2}", "bad integer");
	bad_json("{\"a\":99999999999999999999}", "bad integer");
	bad_json("{\"a\":\"\\q\"}", "bad escape");
	bad_json("{\"a\\u001f\":1}", "separator");
	bad_json("{\"a\":\"\x01\"}", "control character");
	for (int i = 0; i <= DT_JFLAT_MAX_DEPTH; i++)
		strcat(deep, "[");
	bad_json(deep, "nested deeper");
}

static void test_validate(void)
{
	struct dt_diff_side a, b, c, d;
	char err[ERRLEN];

	side(&a, "A", before);
	side(&b, "B", under);
	side(&c, "C", inferred);
	side(&d, "D", "{\"x\":1}");
	CHECK_EQ(dt_diff_validate(&a, &b, err, ERRLEN), 0);
	CHECK_EQ(dt_diff_validate(&a, &c, err, ERRLEN), -1);
	CHECK(strstr(err, "A is exact and C inferred") != NULL);
	CHECK_EQ(dt_diff_validate(&d, &b, err, ERRLEN), -1);
	CHECK(strstr(err, "D: not a daxtrace summary") != NULL);
	dt_jflat_free(&a.counts);
	dt_jflat_free(&b.counts);
	dt_jflat_free(&c.counts);
	dt_jflat_free(&d.counts);
}

static void judge(const char *rule, const struct dt_diff_side *a,
		  const struct dt_diff_side *b, int holds, __s64 value)
{
	struct dt_diff_rule r;
	char err[ERRLEN];

	CHECK_EQ(dt_diff_rule_parse(&r, rule, err, ERRLEN), 0);
	CHECK_EQ(dt_diff_judge(&r, a, b, err, ERRLEN), 0);
	CHECK_EQ(r.holds, holds);
	CHECK_EQ(r.value, value);
	if (r.holds != holds)
		fprintf(stderr, "  rule %s\n", rule);
}

static void test_rules(void)
{
	struct dt_diff_side a, b, c;
	struct dt_diff_rule r;
	char err[ERRLEN];

	side(&a, "A", before);
	side(&b, "B", under);
	side(&c, "C", inferred);
	judge("two_step=0", &a, &b, 0, 4096);
	judge("two_step>=4096", &a, &b, 1, 4096);
	judge("delta.two_step=4096", &a, &b, 1, 4096);
	judge("delta.ro_upgrade=-4096", &a, &b, 1, -4096);
	judge("delta.ro_upgrade>-4096", &a, &b, 0, -4096);
	judge("delta.read=0", &a, &b, 1, 0);
	judge("violations<1", &a, &b, 0, 4096);
	judge("faults=8192", &a, &b, 1, 8192);
	judge("pfn_mismatch.unexpected=0", &a, &b, 1, 0);
	judge("pfn_mismatch<=0", &a, &b, 1, 0);
	/* B counts no PMD fallbacks: unavailable, not 0 */
	CHECK_EQ(dt_diff_rule_parse(&r, "pmd_fallback=0", err, ERRLEN), 0);
	CHECK_EQ(dt_diff_judge(&r, &b, &b, err, ERRLEN), -1);
	CHECK(strstr(err, "B does not count it") != NULL);
	CHECK_EQ(dt_diff_rule_parse(&r, "pmd_fallback.misaligned=0", err, ERRLEN), 0);
	CHECK_EQ(dt_diff_judge(&r, &b, &a, err, ERRLEN), 0);
	CHECK_EQ(dt_diff_judge(&r, &a, &b, err, ERRLEN), -1);
	/* inferred: two_step was never decided */
	CHECK_EQ(dt_diff_rule_parse(&r, "two_step=0", err, ERRLEN), 0);
	CHECK_EQ(dt_diff_judge(&r, &a, &c, err, ERRLEN), -1);
	CHECK(strstr(err, "(inferred mode)") != NULL);
	/* a delta needs both sides */
	CHECK_EQ(dt_diff_rule_parse(&r, "delta.two_step=0", err, ERRLEN), 0);
	CHECK_EQ(dt_diff_judge(&r, &c, &a, err, ERRLEN), -1);
	dt_jflat_free(&a.counts);
	dt_jflat_free(&b.counts);
	dt_jflat_free(&c.counts);
}

static void test_rule_rejects(void)
{
	static const char *const bad[] = {
		"two_step", "two_step=", "two_step=-1", "two_step==1",
		"two_step=1x", "=1", "delta.=1", "bogus=1", "delta.bogus=-1",
		"pfn_mismatch.nope=0", "pmd_fallback.nope=0", "two_step~1",
	};
	struct dt_diff_rule r;
	char err[ERRLEN];

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CHECK_EQ(dt_diff_rule_parse(&r, bad[i], err, ERRLEN), -1);
		CHECK(strstr(err, bad[i]) != NULL);
	}
}

static void test_quantile_bound(void)
{
	struct dt_hist h = { 0 };

	CHECK_EQ(dt_hist_quantile_bound(&h, 0.5), 0);
	h.slots[0] = 1;
	CHECK_EQ(dt_hist_quantile_bound(&h, 0.5), 1);
	/* 100 faults: 98 in (2^11, 2^12], 2 in (2^19, 2^20] */
	h.slots[0] = 0;
	h.slots[12] = 98;
	h.slots[20] = 2;
	CHECK_EQ(dt_hist_quantile_bound(&h, 0.5), 4096);
	CHECK_EQ(dt_hist_quantile_bound(&h, 0.98), 4096);
	CHECK_EQ(dt_hist_quantile_bound(&h, 0.99), 1 << 20);
	CHECK_EQ(dt_hist_quantile_bound(&h, 1.0), 1 << 20);
}

static char *render(const struct dt_diff_side *a, const struct dt_diff_side *b,
		    bool json, const struct dt_diff_rule *r, int nr)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (json)
		dt_diff_json(f, a, b, r, nr);
	else
		dt_diff_text(f, a, b);
	fclose(f);
	return buf;
}

static void test_outputs(void)
{
	struct dt_diff_side a, b;
	struct dt_diff_rule r;
	struct dt_jflat back;
	char err[ERRLEN], *text, *json;

	side(&a, "before.json", before);
	side(&b, "under.json", under);
	a.timed = b.timed = true;
	a.lat[DT_CLASS_READ].slots[12] = 4096;
	b.lat[DT_CLASS_READ].slots[13] = 4096;
	text = render(&a, &b, false, NULL, 0);
	CHECK(strstr(text, "A: before.json (summary)\nB: under.json (summary)\n") != NULL);
	CHECK(strstr(text, "\nro_upgrade ") != NULL);
	CHECK(strstr(text, " -4096\n") != NULL);
	CHECK(strstr(text, " +4096\n") != NULL);
	/* a class 0 on both sides is left out of the text, violations never */
	CHECK(strstr(text, "\nzero_upgrade ") == NULL);
	CHECK(strstr(text, "\nviolations ") != NULL);
	/* a count one side lacks: "-", and no delta */
	CHECK(strstr(text, "\ntests/generic/437\n  faults ") != NULL);
	CHECK(strstr(text, "\n  cow ") != NULL);
	CHECK(strstr(text, "<=4096ns") != NULL && strstr(text, "<=8192ns") != NULL);
	CHECK(strstr(text, "2.00x") != NULL);
	free(text);

	CHECK_EQ(dt_diff_rule_parse(&r, "two_step=0", err, ERRLEN), 0);
	CHECK_EQ(dt_diff_judge(&r, &a, &b, err, ERRLEN), 0);
	json = render(&a, &b, true, &r, 1);
	/* the JSON form parses, and says what the text does */
	CHECK_EQ(dt_jflat_parse(&back, json, strlen(json), err, ERRLEN), 0);
	CHECK_EQ(get(&back, "counts" S "ro_upgrade" S "delta"), -4096);
	CHECK_EQ(get(&back, "counts" S "two_step" S "b"), 4096);
	CHECK_EQ(get(&back, "counts" S "pmd_fallback" S "a"), 0);
	CHECK(dt_jflat_find(&back, "counts" S "pmd_fallback" S "b")->null);
	CHECK_EQ(get(&back, "groups" S "tests/generic/437" S "cow" S "delta"), 2);
	CHECK_EQ(get(&back, "latency" S "read" S "p50_ns" S "a"), 4096);
	CHECK_EQ(get(&back, "latency" S "read" S "p99_ns" S "b"), 8192);
	CHECK(strstr(json, "\"rules\":[{\"rule\":\"two_step=0\",\"holds\":false,\"value\":4096}]") != NULL);
	dt_jflat_free(&back);
	free(json);
	dt_jflat_free(&a.counts);
	dt_jflat_free(&b.counts);
}

int main(void)
{
	RUN(test_jflat_paths);
	RUN(test_jflat_rejects);
	RUN(test_validate);
	RUN(test_rules);
	RUN(test_rule_rejects);
	RUN(test_quantile_bound);
	RUN(test_outputs);
	return UNIT_EXIT();
}
