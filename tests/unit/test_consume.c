// SPDX-License-Identifier: GPL-2.0
/*
 * The per-record path shared by live runs and `report` (user/consume.c):
 * every output a command asks for sees every record, once, in order.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit.h"
#include "events.h"
#include "consume.h"
#include "hist.h"
#include "record.h"

#define US	1000ULL
#define DEV	((259u << 20) | 7)
#define NREC	300

static const struct dt_classify_ctx exact = {
	.zero = { .pte = ZERO_PFN, .pmd = HUGE_ZERO_PFN }, .exact = true,
};

static struct dt_event ev_unexpected(void)
{
	struct dt_event e = ev_write();

	e.before = DAX_RO(OTHER_PFN);
	return e;
}

static struct dt_event ev_private_cow(void)
{
	struct dt_event e = ev_read();

	e.vm_flags &= ~DT_VM_SHARED;
	e.before = PTE(OTHER_PFN, P | RW | D | A);
	return e;
}

static struct dt_event ev_cow(void)
{
	struct dt_event e = ev_base(DT_FAULT_FLAG_WRITE);

	e.vm_flags &= ~DT_VM_SHARED;
	e.seen = DT_SEEN_WP | DT_SEEN_WP_COPY;
	return e;
}

/*
 * Record i of a run, with the class it must get.  Every third is a
 * ro_upgrade, every 17th a two_step, every 29th an unexpected mismatch:
 * the offenders under --forbid ro_upgrade plus the default rules.
 */
static struct dt_event nth(int i, enum dt_class *cls)
{
	struct dt_event e;

	if (i % 29 == 28) {
		e = ev_unexpected();
		*cls = DT_CLASS_PFN_MISMATCH;
	} else if (i % 17 == 16) {
		e = ev_two_step();
		*cls = DT_CLASS_TWO_STEP;
	} else if (i % 3 == 0) {
		e = ev_ro_upgrade();
		*cls = DT_CLASS_RO_UPGRADE;
	} else {
		static const struct {
			struct dt_event (*make)(void);
			enum dt_class cls;
		} rest[] = {
			{ ev_write, DT_CLASS_WRITE },
			{ ev_read, DT_CLASS_READ },
			{ ev_hole, DT_CLASS_HOLE },
			{ ev_zero_upgrade, DT_CLASS_ZERO_UPGRADE },
			{ ev_cow, DT_CLASS_COW },
			{ ev_private_cow, DT_CLASS_PFN_MISMATCH },
		};
		int k = (i / 3) % 6;

		e = rest[k].make();
		*cls = rest[k].cls;
	}
	e.ts_ns = 5000000000ULL + (__u64)i * 1234567;
	e.latency_ns = (__u64)(i % 40 + 1) * 997 * (i % 7 ? 1 : 50);
	e.pid = 100 + i % 5;
	e.tid = e.pid + i % 2;
	e.dev = DEV + i % 2;
	e.ino = 12 + i % 9;
	e.pgoff = i;
	e.address = 0x7f0000000000ULL + ((__u64)i << 12);
	e.size = i % 11 == 5 && *cls == DT_CLASS_WRITE ? DT_SIZE_PMD : DT_SIZE_PTE;
	if (e.size == DT_SIZE_PMD) {
		e.seen = (e.seen & ~DT_SEEN_INSERT) | DT_SEEN_INSERT_PMD;
		e.after = PTE(PFN, P | RW | D | A | PSE | DEVMAP);
	}
	memset(e.comm, 0, sizeof(e.comm));
	snprintf(e.comm, sizeof(e.comm), "task-%d", i % 5);
	return e;
}

/* the NREC records of nth(), in order */
static void consume_all(struct dt_consumer *c)
{
	for (int i = 0; i < NREC; i++) {
		enum dt_class cls;
		struct dt_event e = nth(i, &cls);

		dt_consume(c, &e);
	}
}

static bool offends(enum dt_class cls, int i)
{
	return cls == DT_CLASS_RO_UPGRADE || cls == DT_CLASS_TWO_STEP ||
	       (cls == DT_CLASS_PFN_MISMATCH && i % 29 == 28);
}

struct sink {
	char *buf;
	size_t len;
	FILE *f;
};

static void sink_open(struct sink *s)
{
	s->buf = NULL;
	s->len = 0;
	s->f = open_memstream(&s->buf, &s->len);
}

static void sink_close(struct sink *s)
{
	fclose(s->f);
	s->f = NULL;
}

static int count_lines(const char *s, size_t len)
{
	int n = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

/* the ts_ns of each JSON line, in order */
static int line_stamps(const char *s, __u64 *ts, int max)
{
	int n = 0;

	for (const char *p = s; p && *p && n < max; n++) {
		if (sscanf(p, "{\"ts_ns\":%llu,", &ts[n]) != 1)
			break;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

static int checking_consumer(struct dt_consumer *c, FILE *out)
{
	const char *forbid[] = { "ro_upgrade" };
	char err[256];

	memset(c, 0, sizeof(*c));
	c->stream = DT_STREAM_NONE;
	c->checking = true;
	c->out = out;
	c->cx = exact;
	if (dt_rules_init(&c->rules, forbid, 1, NULL, 0, err, sizeof(err)))
		return -1;
	return dt_consumer_init(c);
}

/* the classes nth() promises are the ones dt_classify() gives */
static void test_corpus_classes(void)
{
	for (int i = 0; i < NREC; i++) {
		enum dt_class cls;
		struct dt_event e = nth(i, &cls);
		struct dt_verdict v;

		dt_classify(&e, &exact, &v);
		if (v.cls != cls)
			fprintf(stderr, "record %d\n", i);
		CHECK_EQ(v.cls, cls);
	}
}

static void test_check_offenders(void)
{
	__u64 want_ts[NREC], got_ts[NREC];
	struct dt_consumer c;
	struct sink out;
	int want = 0, ro = 0, two = 0, unexpected = 0, n;

	sink_open(&out);
	CHECK_EQ(checking_consumer(&c, out.f), 0);
	for (int i = 0; i < NREC; i++) {
		enum dt_class cls;
		struct dt_event e = nth(i, &cls);

		dt_consume(&c, &e);
		if (offends(cls, i))
			want_ts[want++] = e.ts_ns;
		ro += cls == DT_CLASS_RO_UPGRADE;
		two += cls == DT_CLASS_TWO_STEP;
		unexpected += cls == DT_CLASS_PFN_MISMATCH && i % 29 == 28;
	}
	dt_consumer_flush(&c);	/* the records it buffered */
	sink_close(&out);
	CHECK(want > 20);
	CHECK_EQ(c.offending, want);

	/* stdout: one JSON line per offending fault, in order */
	CHECK_EQ(count_lines(out.buf, out.len), want);
	n = line_stamps(out.buf, got_ts, NREC);
	CHECK_EQ(n, want);
	for (int i = 0; i < n && i < want; i++)
		CHECK(got_ts[i] == want_ts[i]);
	CHECK(out.len && out.buf[out.len - 1] == '\n');
	CHECK(!strstr(out.buf, "\"class\":\"write\""));
	CHECK(!strstr(out.buf, "\"mismatch\":\"private_cow\""));

	/* the JUnit text: the first 20 of those lines, byte for byte */
	CHECK(c.offend_buf != NULL);
	if (c.offend_buf) {
		CHECK_EQ(count_lines(c.offend_buf, c.offend_len), 20);
		CHECK(c.offend_len < out.len);
		CHECK(!memcmp(c.offend_buf, out.buf, c.offend_len));
	}

	/* the totals saw every record, offending or not */
	CHECK_EQ(c.sum.faults, NREC);
	CHECK_EQ(c.sum.classes[DT_CLASS_RO_UPGRADE], ro);
	CHECK_EQ(c.sum.classes[DT_CLASS_TWO_STEP], two);
	CHECK_EQ(c.sum.mismatch[DT_MISMATCH_UNEXPECTED], unexpected);
	CHECK_EQ(c.sum.violations, two + unexpected);
	dt_rules_finish(&c.rules, &c.sum, true);
	CHECK_EQ(dt_rules_broken(&c.rules), 3);
	dt_consumer_free(&c);
	free(out.buf);
}

/* fewer offenders than the JUnit keeps: all of them, and the same text */
static void test_check_few_offenders(void)
{
	struct dt_consumer c;
	struct sink out;

	sink_open(&out);
	CHECK_EQ(checking_consumer(&c, out.f), 0);
	for (int i = 0; i < 10; i++) {
		enum dt_class cls;
		struct dt_event e = nth(i, &cls);

		dt_consume(&c, &e);
	}
	dt_consumer_flush(&c);	/* the records it buffered */
	sink_close(&out);
	CHECK_EQ(c.offending, 4);	/* records 0, 3, 6, 9 */
	CHECK_EQ(count_lines(out.buf, out.len), 4);
	CHECK(c.offend_buf && c.offend_len == out.len &&
	      !memcmp(c.offend_buf, out.buf, out.len));
	dt_consumer_free(&c);
	free(out.buf);
}

/* no stream, no check: nothing printed, only totals */
static void test_quiet(void)
{
	struct dt_consumer c;
	struct sink out;

	sink_open(&out);
	memset(&c, 0, sizeof(c));
	c.out = out.f;
	c.cx = exact;
	CHECK_EQ(dt_consumer_init(&c), 0);
	consume_all(&c);
	dt_consumer_flush(&c);	/* the records it buffered */
	sink_close(&out);
	CHECK_EQ(out.len, 0);
	CHECK_EQ(c.offending, 0);
	CHECK(c.offend_buf == NULL);
	CHECK_EQ(c.sum.faults, NREC);
	dt_consumer_free(&c);
	free(out.buf);
}

/* a JSON stream prints every record once, in order */
static void test_json_stream(void)
{
	__u64 ts[NREC];
	struct dt_consumer c;
	struct sink out;
	int n;

	sink_open(&out);
	memset(&c, 0, sizeof(c));
	c.out = out.f;
	c.stream = DT_STREAM_JSON;
	c.cx = exact;
	CHECK_EQ(dt_consumer_init(&c), 0);
	consume_all(&c);
	dt_consumer_flush(&c);	/* the records it buffered */
	sink_close(&out);
	CHECK_EQ(count_lines(out.buf, out.len), NREC);
	n = line_stamps(out.buf, ts, NREC);
	CHECK_EQ(n, NREC);
	for (int i = 0; i < n; i++) {
		enum dt_class cls;

		CHECK(ts[i] == nth(i, &cls).ts_ns);
	}
	dt_consumer_free(&c);
	free(out.buf);
}

/*
 * Live mode's out_raw: the batches go to the descriptor, after what stdio
 * held, byte for byte what the stdio path prints; many times the buffer,
 * so that it fills mid-batch too.
 */
static void test_json_raw_same_bytes(void)
{
	struct dt_consumer raw, via;
	struct sink out;
	FILE *f = tmpfile();
	char *got;
	long len;

	CHECK(f != NULL);
	if (!f)
		return;
	sink_open(&out);
	memset(&raw, 0, sizeof(raw));
	memset(&via, 0, sizeof(via));
	raw.out = f;
	raw.out_raw = true;
	via.out = out.f;
	raw.stream = via.stream = DT_STREAM_JSON;
	raw.cx = via.cx = exact;
	CHECK_EQ(dt_consumer_init(&raw), 0);
	CHECK_EQ(dt_consumer_init(&via), 0);
	fputs("before\n", f);
	fputs("before\n", out.f);
	for (int k = 0; k < 2000; k++) {
		consume_all(&raw);
		consume_all(&via);
		if (k % 7 == 0) {
			dt_consumer_flush(&raw);
			dt_consumer_flush(&via);
		}
	}
	dt_consumer_flush(&raw);
	dt_consumer_flush(&via);
	sink_close(&out);
	fflush(f);
	len = ftell(f);
	CHECK_EQ((size_t)len, out.len);
	got = malloc(len + 1);
	rewind(f);
	CHECK(got && fread(got, 1, len, f) == (size_t)len);
	CHECK(got && !memcmp(got, out.buf, out.len));
	CHECK(!raw.out_broken);
	free(got);
	fclose(f);
	dt_consumer_free(&raw);
	dt_consumer_free(&via);
	free(out.buf);
}

/* a reader that went away: the stream stops, as through stdio */
static void test_json_raw_epipe(void)
{
	struct dt_consumer c;
	int fds[2];

	CHECK_EQ(pipe(fds), 0);
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	memset(&c, 0, sizeof(c));
	c.out = fdopen(fds[1], "w");
	c.out_raw = true;
	c.stream = DT_STREAM_JSON;
	c.cx = exact;
	CHECK_EQ(dt_consumer_init(&c), 0);
	consume_all(&c);
	dt_consumer_flush(&c);
	CHECK(c.out_broken);
	CHECK_EQ(c.jlen, 0);
	fclose(c.out);
	dt_consumer_free(&c);
}

/* report --hist: the histograms hold exactly what the summary counted */
static void test_hist_matches_summary(void)
{
	for (enum dt_hist_by by = DT_BY_NONE; by <= DT_BY_REASON; by++) {
		struct dt_summary from_hists = { 0 };
		struct dt_consumer c;
		__u64 n = 0, sum_ns = 0, want_ns = 0;

		memset(&c, 0, sizeof(c));
		c.hist = true;
		c.by = by;
		c.cx = exact;
		CHECK_EQ(dt_consumer_init(&c), 0);
		for (int i = 0; i < NREC; i++) {
			enum dt_class cls;
			struct dt_event e = nth(i, &cls);

			dt_consume(&c, &e);
			want_ns += e.latency_ns;
		}
		for (int i = 0; i < c.hs.n; i++) {
			n += dt_hist_count(&c.hs.hists[i]);
			sum_ns += c.hs.hists[i].sum_ns;
		}
		CHECK_EQ(c.hs.dropped, 0);
		CHECK(n == c.sum.faults);
		CHECK(sum_ns == want_ns);
		dt_histset_summarize(&c.hs, &from_hists, !c.cx.exact, by);
		/* histograms hold no PMD fallback reasons but by reason */
		CHECK_EQ(from_hists.fallbacks_uncounted, by != DT_BY_REASON);
		if (by != DT_BY_REASON) {
			from_hists.fallbacks_uncounted = false;
			from_hists.pmd_fallbacks = c.sum.pmd_fallbacks;
			memcpy(from_hists.fallback, c.sum.fallback,
			       sizeof(c.sum.fallback));
		}
		CHECK(!memcmp(&from_hists, &c.sum, sizeof(c.sum)));
		/* more groups the finer the key */
		if (by == DT_BY_NONE)
			CHECK(c.hs.n < 16);
		if (by == DT_BY_FILE)
			CHECK(c.hs.n > 30);
		dt_consumer_free(&c);
	}
}

/* the heatmap gets every record, in order, past the first allocation */
static void test_heat_points(void)
{
	const int n = 5000;
	struct dt_consumer c;

	memset(&c, 0, sizeof(c));
	c.heat = true;
	c.cx = exact;
	CHECK_EQ(dt_consumer_init(&c), 0);
	for (int i = 0; i < n; i++) {
		enum dt_class cls;
		struct dt_event e = nth(i, &cls);

		dt_consume(&c, &e);
	}
	CHECK_EQ(c.nheat, n);
	for (int i = 0; i < n && i < (int)c.nheat; i++) {
		enum dt_class cls;
		struct dt_event e = nth(i, &cls);

		if (c.heat_pts[i].t_ns != e.ts_ns ||
		    c.heat_pts[i].lat_ns != e.latency_ns ||
		    c.heat_pts[i].cls != (int)cls) {
			CHECK_EQ(c.heat_pts[i].cls, cls);
			CHECK(c.heat_pts[i].t_ns == e.ts_ns);
			CHECK(c.heat_pts[i].lat_ns == e.latency_ns);
			break;
		}
	}
	CHECK_EQ(c.sum.faults, n);
	dt_consumer_free(&c);
}

static void check_same_event(const struct dt_event *a, const struct dt_event *b)
{
	CHECK(a->ts_ns == b->ts_ns);
	CHECK(a->latency_ns == b->latency_ns);
	CHECK(a->ino == b->ino);
	CHECK(a->pgoff == b->pgoff);
	CHECK(a->address == b->address);
	CHECK(a->vm_flags == b->vm_flags);
	CHECK(a->orig == b->orig);
	CHECK(a->before == b->before);
	CHECK(a->after == b->after);
	CHECK(a->req_pfn == b->req_pfn);
	CHECK_EQ(a->pid, b->pid);
	CHECK_EQ(a->tid, b->tid);
	CHECK_EQ(a->dev, b->dev);
	CHECK_EQ(a->fault_flags, b->fault_flags);
	CHECK_EQ(a->result, b->result);
	CHECK_EQ(a->seen, b->seen);
	CHECK_EQ(a->inserts, b->inserts);
	CHECK_EQ(a->size, b->size);
	CHECK(!memcmp(a->comm, b->comm, sizeof(a->comm)));
}

/* record mode: what the consumer wrote reads back as the same run */
static void test_record_round_trip(void)
{
	struct dt_record_header h = {
		.version = DT_RECORD_VERSION, .kernel = "6.1.0-56-amd64",
		.zero_pfn = ZERO_PFN, .exact = true, .nprobes = 0,
	}, h2;
	struct dt_record_trailer t = { 0 };
	struct dt_record_reader rd;
	struct dt_consumer c;
	struct dt_event ev;
	struct sink rec, out;
	char err[256];
	int got = 0, ret;

	sink_open(&rec);
	sink_open(&out);
	CHECK_EQ(dt_record_write_header(rec.f, &h), 0);
	/* checking too: the recording must not depend on what else runs */
	CHECK_EQ(checking_consumer(&c, out.f), 0);
	c.record = rec.f;
	consume_all(&c);
	CHECK_EQ(c.record_errno, 0);
	t.events = c.sum.faults;
	CHECK_EQ(dt_record_write_trailer(rec.f, &t), 0);
	sink_close(&rec);
	dt_consumer_flush(&c);	/* the records it buffered */
	sink_close(&out);

	CHECK_EQ(dt_record_open(&rd, rec.buf, rec.len, &h2, err, sizeof(err)), 0);
	CHECK(h2.exact && h2.zero_pfn == ZERO_PFN);
	while ((ret = dt_record_next(&rd, &ev, err, sizeof(err))) == 1) {
		enum dt_class cls;
		struct dt_event want = nth(got, &cls);

		if (got < NREC)
			check_same_event(&ev, &want);
		got++;
	}
	if (ret)
		fprintf(stderr, "reader: %s\n", err);
	CHECK_EQ(ret, 0);
	CHECK_EQ(got, NREC);
	CHECK(rd.trailer.events == NREC);
	dt_consumer_free(&c);
	free(rec.buf);
	free(out.buf);
}

int main(void)
{
	RUN(test_corpus_classes);
	RUN(test_check_offenders);
	RUN(test_check_few_offenders);
	RUN(test_quiet);
	RUN(test_json_stream);
	RUN(test_json_raw_same_bytes);
	RUN(test_json_raw_epipe);
	RUN(test_hist_matches_summary);
	RUN(test_heat_points);
	RUN(test_record_round_trip);
	return UNIT_EXIT();
}
