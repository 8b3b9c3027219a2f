// SPDX-License-Identifier: GPL-2.0
/*
 * Formats records and summaries.  With a FILE argument it also writes an
 * NDJSON sample there, which tests/run-all.sh feeds to a JSON parser.
 */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "events.h"
#include "format.h"
#include "summary.h"

static const struct dt_classify_ctx cx = {
	.zero = { .pte = ZERO_PFN }, .exact = true,
};

static char *render_json(struct dt_event e)
{
	struct dt_verdict v;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	dt_classify(&e, &cx, &v);
	dt_format_json(f, &e, &v, &cx);
	fclose(f);
	return buf;
}

static void test_json_record(void)
{
	char *s = render_json(ev_ro_upgrade());

	CHECK(strstr(s, "\"class\":\"ro_upgrade\""));
	CHECK(strstr(s, "\"mismatch\":null"));
	CHECK(strstr(s, "\"size\":\"pte\""));
	CHECK(strstr(s, "\"before\":{\"raw\":"));
	CHECK(s[strlen(s) - 1] == '\n');
	free(s);
}

/* comm is task-controlled: quotes, backslashes and control bytes escape */
static void test_json_escapes_comm(void)
{
	struct dt_event e = ev_write();
	char *s;

	memcpy(e.comm, "a\"b\\c\x01\xff" "defghijklm", sizeof(e.comm));
	s = render_json(e);
	CHECK(strstr(s, "\"comm\":\"a\\\"b\\\\c\\u0001\\u00ffdefghijkl\""));
	free(s);
}

static void test_entry_flags(void)
{
	struct dt_entry e = { .present = true, .write = true, .zero = true };
	char buf[8];

	dt_entry_flags(&e, buf);
	CHECK(!strcmp(buf, "pw----z"));
}

static void test_summary_has_every_class(void)
{
	struct dt_summary s = { 0 };
	struct dt_probe_state probes[] = {
		{ "insert_pfn", "kprobe", NULL },
		{ "wp_page_reuse", NULL, "function not found" },
	};
	struct dt_event e = ev_write();
	struct dt_verdict v;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	dt_classify(&e, &cx, &v);
	dt_summary_add(&s, &e, &v);
	dt_summary_json(f, &s, "exact", probes, 2);
	fclose(f);
	for (int i = 0; i < DT_CLASS_MAX; i++) {
		char key[32];

		snprintf(key, sizeof(key), "\"%s\":", dt_class_name(i));
		CHECK(strstr(buf, key));
	}
	CHECK(strstr(buf, "\"faults\":1,"));
	CHECK(strstr(buf, "\"write\":1,"));
	CHECK(strstr(buf, "\"wp_page_reuse\":\"unavailable: function not found\""));
	free(buf);
}

static void dump_sample(const char *path)
{
	struct dt_event evs[] = { ev_write(), ev_read(), ev_hole(),
				  ev_ro_upgrade(), ev_zero_upgrade() };
	struct dt_summary s = { 0 };
	FILE *f = fopen(path, "w");

	if (!f)
		exit(1);
	memcpy(evs[0].comm, "x\"\\\t\x7f\x80yz", 9);
	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++) {
		struct dt_verdict v;

		dt_classify(&evs[i], &cx, &v);
		dt_summary_add(&s, &evs[i], &v);
		dt_format_json(f, &evs[i], &v, &cx);
	}
	dt_summary_json(f, &s, "exact", NULL, 0);
	fclose(f);
}

int main(int argc, char **argv)
{
	RUN(test_json_record);
	RUN(test_json_escapes_comm);
	RUN(test_entry_flags);
	RUN(test_summary_has_every_class);
	if (argc > 1)
		dump_sample(argv[1]);
	return UNIT_EXIT();
}
