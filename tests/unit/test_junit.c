// SPDX-License-Identifier: GPL-2.0
/*
 * JUnit XML: structure, counts, and escaping of hostile strings.  For
 * tests/host/junit_xsd.sh, `test_junit --xml DIR` writes sample reports
 * into DIR for xmllint to validate against tests/schema/junit.xsd.
 */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "xml.h"
#include "junit.h"

/* every byte that can break XML, in one string */
#define HOSTILE	"]]> <tag> & \"q\" 'a' \x01 \xff end"
#define HOSTILE_ATTR \
	"]]&gt; &lt;tag&gt; &amp; &quot;q&quot; &apos;a&apos; \xe2\x90\x81 \xef\xbf\xbd end"

static char *write_cases(const char *suite, const struct dt_junit_case *c, int n,
			 const char *ts, const char *host, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*ret = dt_junit_write(f, suite, c, n, 1.5, ts, host);
	fclose(f);
	return buf;
}

static char *write_ok(const struct dt_junit_case *c, int n)
{
	int ret;
	char *s = write_cases("daxtrace", c, n, "2024-05-06T07:08:09Z", "box", &ret);

	CHECK_EQ(ret, 0);
	return s;
}

static char *escaped(const char *str, bool attr)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	dt_xml_escape(f, str, attr);
	fclose(f);
	return buf;
}

static int count(const char *s, const char *needle)
{
	int n = 0;

	while ((s = strstr(s, needle))) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/*
 * Every character is one XML 1.0 allows, in valid UTF-8, and no raw "<"
 * or "&" starts anything but a tag or an entity.  Decoded independently
 * of junit.c, so a shared mistake does not hide.
 */
static bool xml_chars_ok(const unsigned char *s)
{
	while (*s) {
		unsigned int cp = *s, len = 1;

		if (cp >= 0x80) {
			len = cp >= 0xf0 ? 4 : cp >= 0xe0 ? 3 : 2;
			if (cp < 0xc2 || cp > 0xf4)
				return false;
			cp &= 0x3f >> (len - 1);
			for (unsigned int i = 1; i < len; i++) {
				if ((s[i] & 0xc0) != 0x80)
					return false;
				cp = cp << 6 | (s[i] & 0x3f);
			}
			if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
			    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff ||
			    cp == 0xfffe || cp == 0xffff)
				return false;
		} else if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') {
			return false;
		}
		s += len;
	}
	return true;
}

static void test_structure(void)
{
	const struct dt_junit_case c[] = {
		{ .name = "write_new", .classname = "ext4", .time_s = 0.25 },
		{ .name = "cow", .classname = "xfs", .time_s = 2,
		  .failure_message = "want cow, got write", .failure_text = "line 1\nline 2" },
		{ .name = "pmd", .skipped = true, .failure_message = "no 2M pages" },
	};
	char *s = write_ok(c, 3);

	CHECK(!strcmp(s,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"daxtrace\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\" time=\"1.500\">\n"
		"  <testsuite name=\"daxtrace\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\" time=\"1.500\""
		" timestamp=\"2024-05-06T07:08:09Z\" hostname=\"box\">\n"
		"    <testcase name=\"write_new\" classname=\"ext4\" time=\"0.250\"/>\n"
		"    <testcase name=\"cow\" classname=\"xfs\" time=\"2.000\">\n"
		"      <failure message=\"want cow, got write\" type=\"failure\">line 1\nline 2</failure>\n"
		"    </testcase>\n"
		"    <testcase name=\"pmd\" classname=\"daxtrace\" time=\"0.000\">\n"
		"      <skipped message=\"no 2M pages\"/>\n"
		"    </testcase>\n"
		"  </testsuite>\n"
		"</testsuites>\n"));
	free(s);
}

/* a skipped case is not also a failure; the counts match the elements */
static void test_counts(void)
{
	struct dt_junit_case c[7] = {
		{ .name = "a" }, { .name = "b", .failure_message = "" },
		{ .name = "c", .failure_message = "x", .failure_text = "y" },
		{ .name = "d", .skipped = true },
		{ .name = "e", .skipped = true, .failure_message = "why" },
		{ .name = "f" }, { .name = "g", .failure_message = "z" },
	};
	char *s = write_ok(c, 7);

	CHECK_EQ(count(s, " tests=\"7\" failures=\"3\" errors=\"0\" skipped=\"2\""), 2);
	CHECK_EQ(count(s, "<testcase "), 7);
	CHECK_EQ(count(s, "<failure "), 3);
	CHECK_EQ(count(s, "<skipped"), 2);
	CHECK(strstr(s, "<failure message=\"\" type=\"failure\"></failure>"));
	free(s);
}

static void test_empty(void)
{
	char *s = write_ok(NULL, 0);

	CHECK_EQ(count(s, " tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\""), 2);
	CHECK(strstr(s, "hostname=\"box\">\n  </testsuite>\n</testsuites>\n"));
	free(s);
}

static void test_hostile_strings(void)
{
	const struct dt_junit_case c = {
		.name = HOSTILE, .classname = HOSTILE,
		.failure_message = HOSTILE, .failure_text = HOSTILE,
	};
	int ret;
	char *s = write_cases(HOSTILE, &c, 1, NULL, HOSTILE, &ret);

	CHECK_EQ(ret, 0);
	CHECK_EQ(count(s, "\"" HOSTILE_ATTR "\""), 6);	/* 2 suite names, host, 3 */
	CHECK(strstr(s, "type=\"failure\">" HOSTILE_ATTR "</failure>"));
	CHECK(!strstr(s, "]]>"));
	CHECK_EQ(count(s, "<"), 9);	/* only the markup's own */
	CHECK(xml_chars_ok((const unsigned char *)s));
	free(s);
}

/* attribute values keep whitespace only as references; text keeps \t \n */
static void test_whitespace(void)
{
	char *a = escaped("a\tb\nc\rd", true), *t = escaped("a\tb\nc\rd", false);

	CHECK(!strcmp(a, "a&#9;b&#10;c&#13;d"));
	CHECK(!strcmp(t, "a\tb\nc&#13;d"));
	free(a);
	free(t);
}

static void test_utf8(void)
{
	const char *in[][2] = {
		/* valid, kept: é, €, U+1F600, U+10FFFF, U+FFFD */
		{ "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\xef\xbf\xbd",
		  "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\xef\xbf\xbd" },
		/* overlong "/", then a surrogate: one U+FFFD per byte */
		{ "\xc0\xaf|\xed\xa0\x80",
		  "\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		/* U+FFFE, beyond U+10FFFF, a sequence cut by the end */
		{ "\xef\xbf\xbe|\xf4\x90\x80\x80|\xe2\x82",
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|"
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|"
		  "\xef\xbf\xbd\xef\xbf\xbd" },
		/* C0 controls but \t \n \r: control pictures; DEL is allowed */
		{ "\x01\x1f\x7f", "\xe2\x90\x81\xe2\x90\x9f\x7f" },
	};

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		char *s = escaped(in[i][0], false);

		CHECK(!strcmp(s, in[i][1]));
		CHECK(xml_chars_ok((const unsigned char *)s));
		free(s);
	}
}

/* a long body holding every byte value still comes out as XML characters */
static void test_long_text(void)
{
	size_t len = 1 << 20;
	char *body = malloc(len + 1), *s;
	struct dt_junit_case c = { .name = "big", .failure_message = "big" };

	for (size_t i = 0; i < len; i++)
		body[i] = (char)(1 + i * 7 % 255);
	body[len] = '\0';
	c.failure_text = body;
	s = write_ok(&c, 1);
	CHECK(xml_chars_ok((const unsigned char *)s));
	CHECK_EQ(count(s, "<"), 9);
	CHECK(strlen(s) > len);
	free(s);
	free(body);
}

static void test_time(void)
{
	const struct dt_junit_case c[] = {
		{ .name = "neg", .time_s = -1 },
		{ .name = "nan", .time_s = __builtin_nan("") },
		{ .name = "big", .time_s = 1e300 },
		{ .name = "ms", .time_s = 0.0016 },
	};
	char *s = write_ok(c, 4);

	CHECK(strstr(s, "\"neg\" classname=\"daxtrace\" time=\"0.000\""));
	CHECK(strstr(s, "\"nan\" classname=\"daxtrace\" time=\"0.000\""));
	CHECK(strstr(s, "\"big\" classname=\"daxtrace\" time=\"1000000000000.000\""));
	CHECK(strstr(s, "\"ms\" classname=\"daxtrace\" time=\"0.002\""));
	free(s);
}

/* left out when unknown; an empty suite name would fail the schema */
static void test_optional(void)
{
	const struct dt_junit_case c = { .name = "x" };
	int ret;
	char *s = write_cases("", &c, 1, NULL, "", &ret);

	CHECK_EQ(ret, 0);
	CHECK(!strstr(s, "timestamp=") && !strstr(s, "hostname="));
	CHECK_EQ(count(s, "name=\"daxtrace\""), 3);
	free(s);
}

static void test_bad_args(void)
{
	const struct dt_junit_case c = { .name = NULL };
	int ret;
	char *s = write_cases("s", &c, 1, NULL, NULL, &ret);

	CHECK_EQ(ret, -1);
	CHECK(!*s);
	free(s);
	s = write_cases("s", NULL, 1, NULL, NULL, &ret);
	CHECK_EQ(ret, -1);
	free(s);
	s = write_cases("s", &c, -1, NULL, NULL, &ret);
	CHECK_EQ(ret, -1);
	free(s);
	CHECK_EQ(dt_junit_write(NULL, "s", NULL, 0, 0, NULL, NULL), -1);
}

static int write_file(const char *dir, const char *name, const char *suite,
		      const struct dt_junit_case *c, int n, const char *host)
{
	char path[4096];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	ret = dt_junit_write(f, suite, c, n, 12.5, "2024-05-06T07:08:09+02:00", host);
	return fclose(f) || ret ? -1 : 0;
}

/* For tests/host/junit_xsd.sh; it knows these names and strings. */
static int write_samples(const char *dir)
{
	static char body[70000];
	const struct dt_junit_case mixed[] = {
		{ .name = "write_new", .classname = "ext4", .time_s = 0.5 },
		{ .name = "hostile", .classname = HOSTILE, .time_s = 1,
		  .failure_message = HOSTILE, .failure_text = HOSTILE "\nline\r\n\ttab" },
		{ .name = HOSTILE, .skipped = true, .failure_message = HOSTILE },
		{ .name = "cow", .failure_message = "want cow", .failure_text = body },
	};

	for (size_t i = 0; i < sizeof(body) - 1; i++)
		body[i] = (char)(1 + i * 13 % 255);
	if (write_file(dir, "mixed.xml", HOSTILE, mixed, 4, HOSTILE) ||
	    write_file(dir, "passed.xml", "daxtrace", mixed, 1, "box") ||
	    write_file(dir, "empty.xml", NULL, NULL, 0, NULL))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "--xml"))
		return write_samples(argv[2]);
	RUN(test_structure);
	RUN(test_counts);
	RUN(test_empty);
	RUN(test_hostile_strings);
	RUN(test_whitespace);
	RUN(test_utf8);
	RUN(test_long_text);
	RUN(test_time);
	RUN(test_optional);
	RUN(test_bad_args);
	return UNIT_EXIT();
}
