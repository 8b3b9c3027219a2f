// SPDX-License-Identifier: GPL-2.0
/*
 * `daxtrace diff [-j] [--fail-on RULE]... A B`: read the two inputs (a
 * recording is replayed as `report` would; a JSON summary is read as it
 * is), print them side by side (diff.c) and judge the rules.  Exit status
 * as check's: 0, 1 a rule is broken, 2 an input is bad or the two do not
 * compare (one line on stderr).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "diff.h"
#include "diff_cmd.h"
#include "record.h"
#include "report.h"
#include "session.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f) {
		dt_err("cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (n + 65536 + 1 > cap) {
			char *nb = realloc(buf, cap = (n + 65536 + 1) * 2);

			if (!nb) {
				dt_err("%s: out of memory", path);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got);
	if (ferror(f)) {
		dt_err("cannot read '%s': %s", path, strerror(errno));
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/*
 * A JSON summary: the whole file (a --summary=json output, summary.json
 * of make xfstests), else its last line (the summary after NDJSON records).
 */
static int read_json(struct dt_diff_side *s, const char *buf, size_t len)
{
	char err[256], err2[256];
	const char *last;
	size_t end = len;

	if (!dt_jflat_parse(&s->counts, buf, len, err, sizeof(err)))
		return 0;
	while (end && strchr(" \t\r\n", buf[end - 1]))
		end--;
	last = buf + end;
	while (last > buf && last[-1] != '\n')
		last--;
	if (last > buf && *last == '{' &&
	    !dt_jflat_parse(&s->counts, last, buf + end - last, err2, sizeof(err2)))
		return 0;
	dt_err("%s: neither a recording nor a JSON summary: %s", s->file, err);
	return -1;
}

static int read_side(struct dt_diff_side *s, const char *path, const char *glob)
{
	char *buf, *json = NULL;
	size_t len = 0, jlen = 0;
	FILE *mem;
	int ret = -1;

	*s = (struct dt_diff_side){ .file = path, .kind = "summary" };
	buf = slurp(path, &len);
	if (!buf)
		return -1;
	if (len < DT_RECORD_PREFIX_LEN ||
	    memcmp(buf, DT_RECORD_MAGIC, strlen(DT_RECORD_MAGIC))) {
		ret = read_json(s, buf, len);
		free(buf);
		return ret;
	}
	free(buf);
	s->kind = "recording";
	s->timed = true;
	mem = open_memstream(&json, &jlen);
	if (!mem) {
		dt_err("%s: out of memory", path);
		return -1;
	}
	if (dt_report_digest(path, glob, mem, s->lat)) {
		fclose(mem);
		free(json);
		return -1;
	}
	if (fclose(mem)) {
		dt_err("%s: out of memory", path);
		free(json);
		return -1;
	}
	{
		char err[256];

		ret = dt_jflat_parse(&s->counts, json, jlen, err, sizeof(err));
		if (ret)
			dt_err("%s: its summary does not parse: %s", path, err);
	}
	free(json);
	return ret;
}

int dt_diff_main(const struct dt_options *o)
{
	struct dt_diff_rule rules[DT_DIFF_MAX_RULES];
	struct dt_diff_side a, b;
	char err[512];
	int broken = 0, ret = DT_EXIT_TOOL;

	for (int i = 0; i < o->nfail_on; i++)
		if (dt_diff_rule_parse(&rules[i], o->fail_on[i], err, sizeof(err))) {
			dt_err("%s", err);
			return DT_EXIT_TOOL;
		}
	if (read_side(&a, o->diff[0], o->split_exec))
		return DT_EXIT_TOOL;
	if (read_side(&b, o->diff[1], o->split_exec))
		goto out_a;
	if (dt_diff_validate(&a, &b, err, sizeof(err))) {
		dt_err("%s", err);
		goto out;
	}
	for (int i = 0; i < o->nfail_on; i++) {
		if (dt_diff_judge(&rules[i], &a, &b, err, sizeof(err))) {
			dt_err("%s", err);
			goto out;
		}
		broken += !rules[i].holds;
	}
	if (o->json)
		dt_diff_json(stdout, &a, &b, rules, o->nfail_on);
	else
		dt_diff_text(stdout, &a, &b);
	fflush(stdout);
	for (int i = 0; i < o->nfail_on; i++)
		fprintf(stderr, "daxtrace diff: %-4s %s (%lld)\n",
			rules[i].holds ? "ok" : "FAIL", rules[i].text,
			(long long)rules[i].value);
	ret = broken ? DT_EXIT_VIOLATION : DT_EXIT_OK;
out:
	dt_jflat_free(&b.counts);
out_a:
	dt_jflat_free(&a.counts);
	return ret;
}
