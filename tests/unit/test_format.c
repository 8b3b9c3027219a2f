// SPDX-License-Identifier: GPL-2.0
/*
 * Formats records and summaries.  With a FILE argument it also writes an
 * NDJSON sample there, which tests/run-all.sh feeds to a JSON parser.
 */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "events.h"
#include "rnd.h"
#include "fallback.h"
#include "format.h"
#include "summary.h"
#include "json_ref.h"
#include "outbuf.h"

static const struct dt_classify_ctx cx = {
	.zero = { .pte = ZERO_PFN }, .layout = DT_PTE_DEVMAP58, .exact = true,
};
/* 6.6-6.16: devmap at 57 and saved-dirty at 58, both fields printed */
static const struct dt_classify_ctx cx57 = {
	.zero = { .pte = ZERO_PFN }, .layout = DT_PTE_DEVMAP57, .exact = true,
};
/* 6.17 on: no devmap */
static const struct dt_classify_ctx cx_nodevmap = {
	.zero = { .pte = ZERO_PFN }, .layout = DT_PTE_NODEVMAP, .exact = true,
};

static char *render_in(const struct dt_event *e, const struct dt_verdict *v,
		       const struct dt_classify_ctx *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	dt_format_json(f, e, v, c);
	fclose(f);
	return buf;
}

static char *render_verdict(const struct dt_event *e, const struct dt_verdict *v)
{
	return render_in(e, v, &cx);
}

static char *render_json(struct dt_event e)
{
	struct dt_verdict v;

	dt_classify(&e, &cx, &v);
	return render_verdict(&e, &v);
}

/* exact bytes; both lines are shown when they differ */
static void check_line(const char *got, const char *want)
{
	CHECK(!strcmp(got, want));
	if (strcmp(got, want))
		fprintf(stderr, "got:  %swant: %s", got, want);
}

/* every field at its widest, the entries present and not decoded further */
static struct dt_event ev_all_ones(void)
{
	struct dt_event e;

	memset(&e, 0xff, sizeof(e));
	e.size = DT_SIZE_PMD;
	/* no NUL, and one byte of each escape class and of each boundary */
	memcpy(e.comm, "\"\\\x01\x1f\t\x7f\x80\xff ~aZ09/.", sizeof(e.comm));
	return e;
}

/*
 * The longest record there is, decoded with the layout that has every
 * field (6.6-6.16): every bool that can be is "false".
 */
static struct dt_event ev_longest(void)
{
	struct dt_event e;

	memset(&e, 0xff, sizeof(e));
	e.size = DT_SIZE_PTE;
	e.fault_flags = ~DT_FAULT_FLAG_WRITE;
	e.orig = ~(RW | A | D | SPEC | (1ULL << 57) | (1ULL << 58));
	e.before = e.orig;
	e.after = e.orig;
	/* timed: an untimed record prints null, shorter than any latency */
	/*
	 * a device-DAX record: its device's name (31 bytes, each escaped)
	 * and the longest reason are longer than a PMD fallback's reason,
	 * which it never names
	 */
	e.seen = ~DT_SEEN_UNTIMED;
	return e;
}

/* the device of ev_longest(), named and aligned at their widest */
static struct dt_devdax_devs devs_longest(void)
{
	struct dt_devdax_devs t = { .n = 1 };

	t.v[0].dev = ~0U;
	memset(t.v[0].name, 0xff, sizeof(t.v[0].name) - 1);
	t.v[0].geom.align = ~0ULL;
	return t;
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

static void test_json_zero(void)
{
	struct dt_event e = { 0 };
	struct dt_verdict v = { 0 };
	char *s = render_verdict(&e, &v);

	check_line(s,
		"{\"ts_ns\":0,\"pid\":0,\"tid\":0,\"comm\":\"\",\"dev\":\"0:0\""
		",\"ino\":0,\"pgoff\":0,\"address\":\"0x0\",\"size\":\"pte\""
		",\"write\":false,\"class\":\"write\",\"mismatch\":null"
		",\"violation\":false,\"inferred\":false,\"req_pfn\":0"
		",\"orig\":null,\"before\":null,\"after\":null"
		",\"fault_flags\":\"0x0\",\"result\":\"0x0\",\"seen\":\"0x0\""
		",\"inserts\":0,\"pmd_fallback\":null,\"latency_ns\":0}\n");
	free(s);
}

#define ALL_ONES_ENTRY							\
	"{\"raw\":\"0xffffffffffffffff\",\"present\":true,\"write\":true"	\
	",\"dirty\":true,\"saved_dirty\":null,\"young\":true"		\
	",\"special\":true,\"devmap\":true"				\
	",\"zero\":false,\"pfn\":1099511627264}"

static void test_json_all_ones(void)
{
	struct dt_event e = ev_all_ones();
	struct dt_verdict v = {
		.cls = DT_CLASS_PFN_MISMATCH, .mismatch = DT_MISMATCH_UNEXPECTED,
		.violation = true, .inferred = true,
	};
	char *s = render_verdict(&e, &v);

	check_line(s,
		"{\"ts_ns\":18446744073709551615"
		",\"pid\":4294967295,\"tid\":4294967295"
		",\"comm\":\"\\\"\\\\\\u0001\\u001f\\u0009\\u007f\\u0080\\u00ff ~aZ09/.\""
		",\"dev\":\"4095:1048575\",\"ino\":18446744073709551615"
		",\"pgoff\":18446744073709551615"
		",\"address\":\"0xffffffffffffffff\",\"size\":\"pmd\",\"write\":true"
		",\"class\":\"pfn_mismatch\",\"mismatch\":\"unexpected\""
		",\"violation\":true,\"inferred\":true"
		",\"req_pfn\":18446744073709551615"
		",\"orig\":" ALL_ONES_ENTRY
		",\"before\":" ALL_ONES_ENTRY
		",\"after\":" ALL_ONES_ENTRY
		",\"fault_flags\":\"0xffffffff\",\"result\":\"0xffffffff\""
		",\"seen\":\"0xffffffff\",\"inserts\":65535"
		/* every bit: a device-DAX record, whose fallback has no fs reason */
		",\"devdax\":{\"device\":null,\"align\":null,\"why\":null}"
		",\"pmd_fallback\":null"
		",\"latency_ns\":null}\n");
	free(s);
}

#define LONGEST_ENTRY							\
	"{\"raw\":\"0xf9fffffffffffd9d\",\"present\":true,\"write\":false"	\
	",\"dirty\":false,\"saved_dirty\":false,\"young\":false"	\
	",\"special\":false,\"devmap\":false,\"zero\":false"		\
	",\"pfn\":1099511627775}"
#define FF4	"\\u00ff\\u00ff\\u00ff\\u00ff"

/* format.c's line buffer is sized from this one (under ASan here) */
static void test_json_longest(void)
{
	struct dt_event e = ev_longest();
	struct dt_verdict v = {
		.cls = DT_CLASS_PFN_MISMATCH, .mismatch = DT_MISMATCH_PRIVATE_COW,
		.devdax_why = DT_DD_VMA_UNALIGNED,	/* the longest name */
	};
	struct dt_devdax_devs devs = devs_longest();
	struct dt_classify_ctx c = cx57;
	char *s;

	c.devdax = &devs;
	s = render_in(&e, &v, &c);

	check_line(s,
		"{\"ts_ns\":18446744073709551615"
		",\"pid\":4294967295,\"tid\":4294967295"
		",\"comm\":\"" FF4 FF4 FF4 FF4 "\""
		",\"dev\":\"4095:1048575\",\"ino\":18446744073709551615"
		",\"pgoff\":18446744073709551615"
		",\"address\":\"0xffffffffffffffff\",\"size\":\"pte\",\"write\":false"
		",\"class\":\"pfn_mismatch\",\"mismatch\":\"private_cow\""
		",\"violation\":false,\"inferred\":false"
		",\"req_pfn\":18446744073709551615"
		",\"orig\":" LONGEST_ENTRY
		",\"before\":" LONGEST_ENTRY
		",\"after\":" LONGEST_ENTRY
		",\"fault_flags\":\"0xfffffffe\",\"result\":\"0xffffffff\""
		",\"seen\":\"0xfffdffff\",\"inserts\":65535"
		",\"devdax\":{\"device\":\"" FF4 FF4 FF4 FF4 FF4 FF4 FF4 "\\u00ff\\u00ff\\u00ff\""
		",\"align\":18446744073709551615,\"why\":\"vma_unaligned\"}"
		",\"pmd_fallback\":null"
		",\"latency_ns\":18446744073709551615}\n");
	CHECK_EQ(strlen(s), DT_JSON_LONGEST);
	free(s);
}

/* the text line's last column: microseconds, or "-" without a latency */
static char *render_text_latency(struct dt_event e)
{
	struct dt_verdict v = { .cls = DT_CLASS_COW };
	char *buf = NULL, *last;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	dt_format_text(f, &e, &v, &cx, 0);
	fclose(f);
	last = strrchr(buf, ' ');
	memmove(buf, last + 1, strlen(last));
	return buf;
}

static void test_text_untimed(void)
{
	struct dt_event e = ev_ro_upgrade();
	char *s;

	e.latency_ns = 12345;
	s = render_text_latency(e);
	CHECK(!strcmp(s, "12.345\n"));
	free(s);
	e.seen |= DT_SEEN_UNTIMED;
	s = render_text_latency(e);
	CHECK(!strcmp(s, "-\n"));
	free(s);
	s = render_json(e);
	CHECK(strstr(s, ",\"latency_ns\":null}\n"));
	free(s);
}

static void test_entry_flags(void)
{
	struct dt_entry e = { .present = true, .write = true, .zero = true,
			      .has = DT_HAS_DEVMAP };
	char buf[8];

	dt_entry_flags(&e, buf);
	CHECK(!strcmp(buf, "pw----z"));
	/* a kernel without devmap: '.', not "clear" */
	e.has = DT_HAS_SAVED_DIRTY;
	dt_entry_flags(&e, buf);
	CHECK(!strcmp(buf, "pw---.z"));
}

/* a field the kernel does not have is null, not false */
static void test_json_layouts(void)
{
	struct dt_event e = ev_write();
	struct dt_verdict v;
	char *s;

	/* 7.2: a storage PTE is a folio's, not special, and there is no devmap */
	e.after = PTE(PFN, P | RW | D | A);
	dt_classify(&e, &cx_nodevmap, &v);
	s = render_in(&e, &v, &cx_nodevmap);
	CHECK(strstr(s, "\"after\":{\"raw\":\"0x12345063\",\"present\":true,"
		      "\"write\":true,\"dirty\":true,\"saved_dirty\":false,"
		      "\"young\":true,\"special\":false,\"devmap\":null,"));
	free(s);
	/* 6.12: devmap at 57 */
	e.after = PTE(PFN, P | RW | D | A | SPEC) | (1ULL << 57);
	dt_classify(&e, &cx57, &v);
	s = render_in(&e, &v, &cx57);
	CHECK(strstr(s, "\"saved_dirty\":false,\"young\":true,\"special\":true,"
		      "\"devmap\":true,"));
	free(s);
	/* 6.1: devmap at 58, no saved-dirty bit */
	e.after = DAX_RW(PFN);
	dt_classify(&e, &cx, &v);
	s = render_verdict(&e, &v);
	CHECK(strstr(s, "\"dirty\":true,\"saved_dirty\":null,\"young\":true,"
		      "\"special\":true,\"devmap\":true,"));
	free(s);
}

static void test_summary_has_every_class(void)
{
	struct dt_summary s = { 0 };
	struct dt_probe_state probes[] = {
		{ "insert_pfn", "kprobe", NULL },
		{ "wp_page_reuse", NULL, "function not found" },
	};
	const struct dt_trace_info exact_info = {
		.exact = true, .era = DT_ERA_PFN, .layout = DT_PTE_DEVMAP58,
		.probes = probes, .nprobes = 2,
	};
	struct dt_event e = ev_write();
	struct dt_verdict v;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	dt_classify(&e, &cx, &v);
	dt_summary_add(&s, &e, &v);
	dt_summary_json(f, &s, &exact_info);
	fclose(f);
	for (int i = 0; i < DT_CLASS_MAX; i++) {
		char key[32];

		snprintf(key, sizeof(key), "\"%s\":", dt_class_name(i));
		CHECK(strstr(buf, key));
	}
	CHECK(strstr(buf, "\"faults\":1,"));
	CHECK(strstr(buf, "\"write\":1,"));
	CHECK(strstr(buf, "\"retry\":0}"));
	CHECK(strstr(buf, "\"mode\":\"exact\",\"era\":\"pfn\",\"pte_layout\":\"devmap58\""));
	CHECK(strstr(buf, "\"violations\":0,"));
	CHECK(strstr(buf, "\"wp_page_reuse\":\"unavailable: function not found\""));
	/* no device-DAX probe in this run: said so, never implied by "exact" */
	CHECK(strstr(buf, "\"devdax\":\"untraced\","));
	CHECK(strstr(buf, "\"sizes\":{\"pte\":1,\"pmd\":0,\"pud\":0}"));
	free(buf);
}

/*
 * Device DAX traced where both halves of its envelope attached; else the
 * reason; a 1 GiB record's size is "pud" and the summary's text names it.
 */
static void test_devdax(void)
{
	struct dt_probe_state traced[] = {
		{ "dev_dax_huge_fault:ret", "kretprobe", NULL },
		{ "dev_dax_huge_fault", "kprobe", NULL },
	};
	struct dt_probe_state missing[] = {
		{ "insert_pfn", "kprobe", NULL },
		{ "dev_dax_huge_fault:ret", NULL, "kprobe: no such function" },
		{ "dev_dax_huge_fault", NULL, "its return probe did not attach" },
	};
	const struct dt_trace_info t = {
		.exact = true, .era = DT_ERA_PAGE, .layout = DT_PTE_NODEVMAP,
		.probes = traced, .nprobes = 2,
	};
	struct dt_summary s = { 0 };
	struct dt_event e = ev_write();
	struct dt_verdict v;
	char *buf = NULL, *line;
	size_t len = 0;
	FILE *f;

	CHECK(dt_devdax_untraced(traced, 2) == NULL);
	CHECK(!strcmp(dt_devdax_untraced(missing, 3), "kprobe: no such function"));
	CHECK(!strcmp(dt_devdax_untraced(missing, 1), "not in this recording's probes"));
	CHECK(!strcmp(dt_size_name(DT_SIZE_PUD), "pud"));
	CHECK(!strcmp(dt_size_name(DT_SIZES), "?"));

	e.size = DT_SIZE_PUD;
	e.seen |= DT_SEEN_DEVDAX;
	dt_classify(&e, &cx, &v);
	line = render_verdict(&e, &v);
	CHECK(strstr(line, "\"size\":\"pud\","));
	free(line);
	dt_summary_add(&s, &e, &v);
	f = open_memstream(&buf, &len);
	dt_summary_text(f, &s, &t);
	dt_summary_json(f, &s, &t);
	fclose(f);
	CHECK(strstr(buf, "1 DAX faults (0 pte, 0 pmd, 1 pud)"));
	CHECK(strstr(buf, "\ndevice DAX: traced (dev_dax_huge_fault)\n"));
	CHECK(strstr(buf, "\"sizes\":{\"pte\":0,\"pmd\":0,\"pud\":1}"));
	CHECK(strstr(buf, "\"devdax\":\"traced\","));
	free(buf);
}

/*
 * Inferred mode: two_step and pfn_mismatch were never decided: null, and
 * so are the violations; the text says "unavailable".
 */
static void test_summary_inferred(void)
{
	const struct dt_trace_info t = {
		.exact = false, .era = DT_ERA_PAGE, .layout = DT_PTE_NODEVMAP,
	};
	struct dt_summary s = { .faults = 3 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	s.classes[DT_CLASS_READ] = 3;
	dt_summary_json(f, &s, &t);
	fflush(f);
	CHECK(strstr(buf, "\"two_step\":null,"));
	CHECK(strstr(buf, "\"pfn_mismatch\":null,\"error\""));
	CHECK(strstr(buf, "},\"pfn_mismatch\":null,\"violations\":null,\"sizes\""));
	CHECK(strstr(buf, "\"violations\":null,"));
	CHECK(strstr(buf, "\"read\":3,"));
	CHECK(strstr(buf, "\"mode\":\"inferred\",\"era\":\"page\",\"pte_layout\":\"nodevmap\""));
	rewind(f);
	len = 0;
	dt_summary_text(f, &s, &t);
	fflush(f);
	CHECK(strstr(buf, "  two_step       unavailable\n"));
	CHECK(strstr(buf, "  pfn_mismatch   unavailable\n"));
	CHECK(strstr(buf, "  read           3\n"));
	CHECK(strstr(buf, "violations: unavailable"));
	CHECK(strstr(buf, "mode inferred, insert path page, PTE layout nodevmap"));
	fclose(f);
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
	/* the edge cases go through the JSON parser too */
	for (int i = 0; i < 2; i++) {
		struct dt_event e = i ? ev_longest() : ev_all_ones();
		struct dt_verdict v;

		dt_classify(&e, &cx, &v);
		dt_format_json(f, &e, &v, &cx);
	}
	dt_summary_json(f, &s, &(struct dt_trace_info){ .exact = true });
	fclose(f);
}


/* a number of any width, 0 included: every digit count comes up */
static __u64 rnd_width(void)
{
	return rnd() >> (rnd() % 65 == 64 ? 63 : rnd() % 64) >> (rnd() & 1);
}

/* an entry: none, anything, or a DAX, zero or huge zero one, bits at random */
static __u64 rnd_entry(void)
{
	switch (rnd() % 5) {
	case 0:
		return 0;
	case 1:
		return rnd();
	case 2:
		return PTE(ZERO_PFN, rnd() & 0xfff) | (rnd() & (3ULL << 57));
	case 3:
		return PTE(HUGE_ZERO_PFN, rnd() & 0xfff) | PSE | (rnd() & NX);
	default:
		return PTE(rnd() & 0xffffff, rnd() & 0xfff) | (rnd() & (0x3fULL << 57));
	}
}

static struct dt_event rnd_event(void)
{
	struct dt_event e = {
		.ts_ns = rnd_width(), .latency_ns = rnd_width(), .ino = rnd_width(),
		.pgoff = rnd_width(), .address = rnd_width(), .vm_flags = rnd(),
		.orig = rnd_entry(), .before = rnd_entry(), .after = rnd_entry(),
		.req_pfn = rnd_width(), .pid = rnd_width(), .tid = rnd_width(),
		.dev = rnd_width(), .fault_flags = rnd_width(), .result = rnd_width(),
		.seen = rnd() & rnd(), .inserts = rnd_width(),
		.size = rnd() % 3 ? DT_SIZE_PTE : DT_SIZE_PMD,
	};
	static const char pick[] = "aZ09 _-./\\\"\"\x01\x1f\x7f\x80\xff";
	unsigned int len = rnd() % (DT_COMM_LEN + 1);

	/* as in most records: the insert found the entry the fault started on */
	if (rnd() & 1)
		e.before = e.orig;

	/* printable mostly, then any byte, the quote, the backslash */
	for (unsigned int i = 0; i < len; i++)
		e.comm[i] = rnd() % 3 ? pick[rnd() % (sizeof(pick) - 1)] : (char)rnd();
	return e;
}

/*
 * The writer in use against the one it replaced (json_ref.h), byte for
 * byte, over a million random records: every layout, sizes, verdicts
 * classified or made up (all classes and mismatches), comm bytes of all
 * kinds; and with the memo of the record before, as the stream uses it.
 */
static void test_json_matches_reference(void)
{
	static const __u8 layouts[] = { DT_PTE_DEVMAP58, DT_PTE_DEVMAP57,
					DT_PTE_NODEVMAP };
	char want[DT_JSON_LINE_MAX], got[DT_JSON_LINE_MAX], memo_got[DT_JSON_LINE_MAX];
	static struct dt_json_memo memo;
	struct dt_event prev = { 0 };
	int bad = 0;

	for (int i = 0; i < 1000000; i++) {
		struct dt_classify_ctx c = {
			.zero = { .pte = rnd() % 4 ? ZERO_PFN : 0,
				  .pmd = rnd() % 4 ? HUGE_ZERO_PFN : 0 },
			.layout = layouts[rnd() % 3], .exact = rnd() & 1,
		};
		struct dt_event e = rnd_event();
		struct dt_verdict v;
		size_t n, m, k;

		/* as in a stream: mostly the task and file of the record before */
		if (rnd() % 4) {
			e.pid = prev.pid;
			e.tid = rnd() % 8 ? prev.tid : e.tid;
			e.dev = prev.dev;
			e.ino = rnd() % 8 ? prev.ino : e.ino;
			memcpy(e.comm, prev.comm, sizeof(e.comm));
			if (rnd() % 16 == 0)
				e.comm[rnd() % DT_COMM_LEN] ^= 1 << (rnd() % 8);
		}
		prev = e;

		if (rnd() & 1) {
			dt_classify(&e, &c, &v);
		} else {
			v.cls = rnd() % DT_CLASS_MAX;
			v.mismatch = rnd() % DT_MISMATCH_MAX;
			v.violation = rnd() & 1;
			v.inferred = rnd() & 1;
		}
		n = ref_format_json(want, &e, &v, &c);
		m = dt_json_line(got, &e, &v, &c) - got;
		k = dt_json_line_memo(memo_got, &e, &v, &c, &memo) - memo_got;
		if (n == m && !memcmp(want, got, n) &&
		    n == k && !memcmp(want, memo_got, n))
			continue;
		if (bad++ < 3)
			fprintf(stderr, "record %d:\ngot:  %.*smemo: %.*swant: %.*s",
				i, (int)m, got, (int)k, memo_got, (int)n, want);
	}
	CHECK_EQ(bad, 0);
}

/* the digit counts of the decimal writer at every power of ten and beside */
static void test_u64_widths(void)
{
	char got[32], want[32];
	__u64 p = 1;

	for (int i = 0; i < 20; i++, p *= 10) {
		__u64 vals[] = { p - 1, p, p + 1, p * 2 - 1 };

		for (unsigned int j = 0; j < 4; j++) {
			*ob_u64(got, vals[j]) = '\0';
			snprintf(want, sizeof(want), "%llu", vals[j]);
			CHECK(!strcmp(got, want));
		}
	}
	*ob_u64(got, ~0ULL) = '\0';
	CHECK(!strcmp(got, "18446744073709551615"));
}

int main(int argc, char **argv)
{
	RUN(test_json_record);
	RUN(test_text_untimed);
	RUN(test_json_escapes_comm);
	RUN(test_json_zero);
	RUN(test_json_all_ones);
	RUN(test_json_longest);
	RUN(test_entry_flags);
	RUN(test_summary_has_every_class);
	RUN(test_summary_inferred);
	RUN(test_devdax);
	RUN(test_json_layouts);
	RUN(test_json_matches_reference);
	RUN(test_u64_widths);
	if (argc > 1)
		dump_sample(argv[1]);
	return UNIT_EXIT();
}
