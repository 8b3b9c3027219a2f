// SPDX-License-Identifier: GPL-2.0
/*
 * JUnit XML writer.  Failure texts carry whatever the checked program
 * printed, so every string is escaped into well-formed XML 1.0: a CI
 * server that cannot parse the report shows no results at all.
 */
#include "junit.h"
#include "xml.h"

static void put_attr(FILE *out, const char *name, const char *value)
{
	if (!value)
		return;
	fprintf(out, " %s=\"", name);
	dt_xml_escape(out, value, true);
	fputc('"', out);
}

/* By hand: "%f" would follow LC_NUMERIC, and a decimal comma breaks xs:decimal. */
static void put_time(FILE *out, double t)
{
	unsigned long long ms;

	if (!(t > 0))		/* negative or NaN */
		t = 0;
	if (t > 1e12)
		t = 1e12;
	ms = (unsigned long long)(t * 1000 + 0.5);
	fprintf(out, " time=\"%llu.%03llu\"", ms / 1000, ms % 1000);
}

static bool failed(const struct dt_junit_case *c)
{
	return !c->skipped && c->failure_message;
}

static void put_case(FILE *out, const struct dt_junit_case *c, const char *suite)
{
	fputs("    <testcase", out);
	put_attr(out, "name", c->name);
	put_attr(out, "classname", c->classname ? c->classname : suite);
	put_time(out, c->time_s);
	if (!c->skipped && !c->failure_message) {
		fputs("/>\n", out);
		return;
	}
	fputs(">\n      ", out);
	if (c->skipped) {
		fputs("<skipped", out);
		put_attr(out, "message", c->failure_message);
		fputs("/>\n", out);
	} else {
		fputs("<failure", out);
		put_attr(out, "message", c->failure_message);
		put_attr(out, "type", "failure");
		fputc('>', out);
		dt_xml_escape(out, c->failure_text, false);
		fputs("</failure>\n", out);
	}
	fputs("    </testcase>\n", out);
}

/* The counts, shared by <testsuites> and <testsuite>. */
static void put_counts(FILE *out, int n, int failures, int skipped, double time_s)
{
	fprintf(out, " tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\"",
		n, failures, skipped);
	put_time(out, time_s);
}

int dt_junit_write(FILE *out, const char *suite_name,
		   const struct dt_junit_case *cases, int n, double time_s,
		   const char *timestamp_iso8601, const char *hostname)
{
	int failures = 0, skipped = 0;

	if (!out || n < 0 || (n && !cases))
		return -1;
	for (int i = 0; i < n; i++) {
		if (!cases[i].name)
			return -1;
		failures += failed(&cases[i]);
		skipped += cases[i].skipped;
	}
	if (!suite_name || !*suite_name)	/* the schema wants a name */
		suite_name = "daxtrace";
	if (hostname && !*hostname)
		hostname = NULL;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", out);
	put_attr(out, "name", suite_name);
	put_counts(out, n, failures, skipped, time_s);
	fputs(">\n  <testsuite", out);
	put_attr(out, "name", suite_name);
	put_counts(out, n, failures, skipped, time_s);
	put_attr(out, "timestamp", timestamp_iso8601);
	put_attr(out, "hostname", hostname);
	fputs(">\n", out);
	for (int i = 0; i < n; i++)
		put_case(out, &cases[i], suite_name);
	fputs("  </testsuite>\n</testsuites>\n", out);
	return fflush(out) || ferror(out) ? -1 : 0;
}
