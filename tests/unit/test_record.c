// SPDX-License-Identifier: GPL-2.0
/*
 * The recording format: round trips, and a reader that reports every cut
 * and every flipped byte instead of returning a different trace.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "events.h"
#include "dt_entry.h"
#include "dt_points.h"
#include "record.h"

#define NPROBES		3
#define EV_REC		(DT_RECORD_FRAME_LEN + DT_RECORD_EVENT_LEN)

static struct dt_record_header sample_header(void)
{
	struct dt_record_header h = {
		.version = DT_RECORD_VERSION,
		.kernel = "6.1.0-18-amd64",
		.boot_id = "0f3a9c1e-5b7d-4e2f-8a6c-1d2e3f4a5b6c",
		.zero_pfn = ZERO_PFN, .huge_zero_pfn = HUGE_ZERO_PFN,
		.exact = true,
		.start_mono_ns = 123456789012ULL,
		.start_real_ns = 1700000000123456789ULL,
		.nprobes = NPROBES,
		.probes = {
			{ "insert_pfn", "kprobe" },
			{ "dax_pte_fault", "raw_tracepoint" },
			{ "wp_page_reuse", "unavailable: function not found" },
		},
		.era = DT_ERA_PFN, .layout = DT_PTE_DEVMAP57,
	};
	return h;
}

/* every field distinct and wide, so a misplaced byte shows */
static struct dt_event sample_event(unsigned int i)
{
	struct dt_event e = i % 3 ? ev_write() : ev_ro_upgrade();

	e.ts_ns = 0x0102030405060708ULL + i;
	e.latency_ns = 1000 + i;
	e.ino = 0x8000000000000011ULL ^ i;
	e.pgoff = i * 7;
	e.address = 0x7f1234560000ULL + (i << 12);
	e.before = DAX_RO(PFN + i);
	e.dev = (259 << 20) | i;
	e.result |= i << 20;
	e.inserts = 0xfe00 + i;
	e.size = i & 1;
	e.pid = 0xa0000000u + i;
	e.tid = e.pid + 1;
	snprintf(e.comm, sizeof(e.comm), "work-%u", i);
	/* minor 4: the reason byte, carried whatever seen says */
	e.pmd_fallback = 0xc0 + i;
	/* minor 5: the forensics flag, carried as it is */
	e.forensics = 0xf0000000u + i;
	return e;
}

static struct dt_record_trailer sample_trailer(__u64 events)
{
	return (struct dt_record_trailer){
		.events = events, .lost = 5, .stale = 6, .untracked = 7,
		.end_mono_ns = 999999999999ULL, .untraced_children = 8,
	};
}

/* header, n events, and a trailer that claims `claim` events (or none) */
static unsigned char *recording(unsigned int n, long long claim, size_t *len)
{
	struct dt_record_header h = sample_header();
	struct dt_record_trailer t = sample_trailer(claim);
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	CHECK_EQ(dt_record_write_header(f, &h), 0);
	for (unsigned int i = 0; i < n; i++) {
		struct dt_event e = sample_event(i);

		CHECK_EQ(dt_record_write_event(f, &e), 0);
	}
	if (claim >= 0)
		CHECK_EQ(dt_record_write_trailer(f, &t), 0);
	fclose(f);
	return (unsigned char *)buf;
}

static bool same_header(const struct dt_record_header *a,
			const struct dt_record_header *b)
{
	bool same = a->version == b->version && !strcmp(a->kernel, b->kernel) &&
		    !strcmp(a->boot_id, b->boot_id) &&
		    a->zero_pfn == b->zero_pfn &&
		    a->huge_zero_pfn == b->huge_zero_pfn &&
		    a->exact == b->exact &&
		    a->start_mono_ns == b->start_mono_ns &&
		    a->start_real_ns == b->start_real_ns &&
		    a->nprobes == b->nprobes;

	for (__u32 i = 0; same && i < a->nprobes; i++)
		same = !strcmp(a->probes[i].name, b->probes[i].name) &&
		       !strcmp(a->probes[i].how, b->probes[i].how);
	return same;
}

static bool same_event(const struct dt_event *a, const struct dt_event *b)
{
	/* struct dt_event has explicit padding only, and the reader zeroes it */
	return !memcmp(a, b, sizeof(*a));
}

struct result {
	int rc;			/* last return: 0 clean end, -1 error */
	unsigned int events;	/* events returned */
	bool events_ok;		/* each equal to sample_event(i) */
	struct dt_record_header h;
	struct dt_record_reader r;
	char err[256];
};

static void read_all(const unsigned char *buf, size_t len, struct result *res)
{
	struct dt_event e;

	memset(res, 0, sizeof(*res));
	res->events_ok = true;
	res->rc = dt_record_open(&res->r, buf, len, &res->h, res->err,
				 sizeof(res->err));
	if (res->rc)
		return;
	while ((res->rc = dt_record_next(&res->r, &e, res->err,
					 sizeof(res->err))) == 1) {
		struct dt_event want = sample_event(res->events++);

		res->events_ok &= same_event(&e, &want);
	}
}

/* "offset N" followed by something other than a digit */
static bool has_offset(const char *err, size_t n)
{
	char want[32];
	size_t wl = snprintf(want, sizeof(want), "offset %zu", n);

	for (const char *s = strstr(err, want); s; s = strstr(s + 1, want))
		if (s[wl] < '0' || s[wl] > '9')
			return true;
	return false;
}

static __u32 le32_at(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (__u32)p[3] << 24;
}

/* --- crafted files: records assembled by hand, with valid checksums ---- */

struct blob {
	unsigned char *p;
	size_t len;
};

static void blob_put(struct blob *b, const void *d, size_t n)
{
	if (!n)
		return;
	b->p = realloc(b->p, b->len + n);
	memcpy(b->p + b->len, d, n);
	b->len += n;
}

static void blob_le32(struct blob *b, __u32 v)
{
	unsigned char le[4] = { v, v >> 8, v >> 16, v >> 24 };

	blob_put(b, le, 4);
}

static void blob_prefix(struct blob *b, __u16 major, __u16 minor)
{
	unsigned char v[4] = { major, major >> 8, minor, minor >> 8 };

	blob_put(b, DT_RECORD_MAGIC, 8);
	blob_put(b, v, 4);
}

static void blob_record(struct blob *b, __u32 type, const void *payload,
			__u32 n)
{
	size_t at = b->len;

	blob_le32(b, type);
	blob_le32(b, n);
	blob_put(b, payload, n);
	blob_le32(b, dt_record_crc(b->p + at, 8 + n));
}

/* payloads as the writer makes them, to edit: header, event 0, trailer */
struct parts {
	unsigned char *file;
	const unsigned char *header, *event, *trailer;
	__u32 header_len;
};

static void parts_get(struct parts *pt)
{
	size_t len;
	size_t ev_at;

	pt->file = recording(1, 1, &len);
	pt->header_len = le32_at(pt->file + DT_RECORD_PREFIX_LEN + 4);
	pt->header = pt->file + DT_RECORD_PREFIX_LEN + 8;
	ev_at = DT_RECORD_PREFIX_LEN + DT_RECORD_FRAME_LEN + pt->header_len;
	pt->event = pt->file + ev_at + 8;
	pt->trailer = pt->file + ev_at + EV_REC + 8;
	CHECK_EQ(ev_at + EV_REC + DT_RECORD_FRAME_LEN + DT_RECORD_TRAILER_LEN, len);
}

/* header payload offset of nprobes for sample_header() */
static size_t nprobes_at(void)
{
	struct dt_record_header h = sample_header();

	return 33 + 1 + strlen(h.kernel) + 1 + strlen(h.boot_id);
}

static void read_blob(struct blob *b, struct result *res)
{
	read_all(b->p, b->len, res);
	free(b->p);
	b->p = NULL;
	b->len = 0;
}

/* --- tests ------------------------------------------------------------- */

static void test_crc32c_check_value(void)
{
	CHECK_EQ(dt_record_crc("123456789", 9), 0xe3069283u);
	CHECK_EQ(dt_record_crc("", 0), 0);
}

static void test_round_trip(void)
{
	struct dt_record_header want = sample_header();
	struct dt_event e;
	struct result res;
	size_t len;
	unsigned char *buf = recording(1000, 1000, &len);

	read_all(buf, len, &res);
	CHECK_EQ(res.rc, 0);
	CHECK_EQ(res.events, 1000);
	CHECK(res.events_ok);
	CHECK(same_header(&res.h, &want));
	CHECK(res.r.done);
	CHECK_EQ(res.r.events_read, 1000);
	CHECK_EQ(res.r.trailer.events, 1000);
	CHECK_EQ(res.r.trailer.lost, 5);
	CHECK_EQ(res.r.trailer.stale, 6);
	CHECK_EQ(res.r.trailer.untracked, 7);
	CHECK_EQ(res.r.trailer.end_mono_ns, 999999999999ULL);
	CHECK_EQ(res.r.trailer.untraced_children, 8);
	/* the end stays the end */
	CHECK_EQ(dt_record_next(&res.r, &e, res.err, sizeof(res.err)), 0);
	free(buf);
}

/* golden bytes: the layout documented in record.c, independent of the host */
static void test_layout_is_little_endian(void)
{
	struct parts pt;
	static const unsigned char ts[8] = { 8, 7, 6, 5, 4, 3, 2, 1 };
	const unsigned char *ev_rec;

	parts_get(&pt);
	CHECK(!memcmp(pt.file, "DAXTRACE\x01\x00\x07\x00", 12));
	CHECK_EQ(le32_at(pt.file + 12), DT_REC_HEADER);
	CHECK_EQ(pt.header_len, nprobes_at() + 4 + 1 + 10 + 1 + 6 + 1 + 13 +
		 1 + 14 + 1 + 13 + 1 + 31 + 2);
	/* minor 2: era and PTE layout close the header */
	CHECK_EQ(pt.header[pt.header_len - 2], DT_ERA_PFN);
	CHECK_EQ(pt.header[pt.header_len - 1], DT_PTE_DEVMAP57);
	CHECK_EQ(pt.header[32], 1);
	CHECK_EQ(pt.header[33], strlen(sample_header().kernel));
	ev_rec = pt.event - 8;
	CHECK(!memcmp(ev_rec, "\x02\x00\x00\x00\x80\x00\x00\x00", 8));
	CHECK(!memcmp(pt.event, ts, 8));
	CHECK(!memcmp(pt.event + 80, "\x00\x00\x00\xa0", 4));	/* pid */
	CHECK(!memcmp(pt.event + 104, "\x00\xfe", 2));		/* inserts */
	CHECK(!memcmp(pt.event + 107, "work-0", 7));
	CHECK(!memcmp(pt.event + 124, "\x00\x00\x00\xf0", 4));	/* forensics, minor 5 */
	CHECK_EQ(le32_at(pt.event + DT_RECORD_EVENT_LEN),
		 dt_record_crc(ev_rec, 8 + DT_RECORD_EVENT_LEN));
	CHECK_EQ(le32_at(pt.trailer - 8), DT_REC_TRAILER);
	CHECK_EQ(pt.trailer[0], 1);	/* events */
	CHECK_EQ(pt.trailer[40], 8);	/* untraced_children, minor 1 */
	CHECK_EQ(le32_at(pt.file + 8), DT_RECORD_VERSION | DT_RECORD_MINOR << 16);
	free(pt.file);
}

/*
 * A minor-0 file (40-byte trailer) still reads, with no untraced
 * children; so does a trailer cut inside that field (44 bytes).
 */
static void test_minor0_trailer(void)
{
	static const unsigned int lens[] = { DT_RECORD_TRAILER_MIN,
					     DT_RECORD_TRAILER_MIN + 4 };
	struct parts pt;
	struct result res;

	parts_get(&pt);
	for (unsigned int i = 0; i < 2; i++) {
		struct blob b = { 0 };

		blob_prefix(&b, 1, 0);
		blob_record(&b, DT_REC_HEADER, pt.header, pt.header_len);
		blob_record(&b, DT_REC_EVENT, pt.event, DT_RECORD_EVENT_LEN);
		blob_record(&b, DT_REC_TRAILER, pt.trailer, lens[i]);
		read_blob(&b, &res);
		CHECK_EQ(res.rc, 0);
		CHECK_EQ(res.events, 1);
		CHECK_EQ(res.r.minor, 0);
		CHECK_EQ(res.r.trailer.untracked, 7);
		CHECK_EQ(res.r.trailer.untraced_children, 0);
	}
	free(pt.file);
}

/* every cut: an error at the right offset, and only the whole events */
static void test_every_truncation(void)
{
	size_t len;
	unsigned char *buf = recording(3, 3, &len);
	size_t hdr_end = le32_at(buf + 16) + DT_RECORD_PREFIX_LEN +
			 DT_RECORD_FRAME_LEN;
	struct result res;

	for (size_t cut = 0; cut < len; cut++) {
		unsigned int whole = cut < hdr_end ? 0 : (cut - hdr_end) / EV_REC;
		size_t rec_at;

		if (whole > 3)
			whole = 3;
		if (cut < DT_RECORD_PREFIX_LEN)
			rec_at = 0;
		else if (cut < hdr_end)
			rec_at = DT_RECORD_PREFIX_LEN;
		else
			rec_at = hdr_end + whole * EV_REC;
		read_all(buf, cut, &res);
		CHECK_EQ(res.rc, -1);
		CHECK_EQ(res.events, whole);
		CHECK(res.events_ok);
		if (!has_offset(res.err, rec_at)) {
			fprintf(stderr, "cut %zu: want offset %zu: %s\n", cut,
				rec_at, res.err);
			CHECK(0);
		}
	}
	read_all(buf, hdr_end + 3 * EV_REC - 40, &res);
	CHECK(strstr(res.err, "truncated event record at offset"));
	CHECK(strstr(res.err, "(needs 140 bytes, 100 left)"));
	read_all(buf, hdr_end + 3 * EV_REC, &res);
	CHECK(strstr(res.err, "without a trailer"));
	free(buf);
}

/* every flipped bit pattern: an error, or the very same trace */
static void test_every_byte_flip(void)
{
	static const unsigned char masks[] = { 0x01, 0x10, 0x80, 0xff };
	struct dt_record_header want = sample_header();
	size_t len;
	unsigned char *buf = recording(3, 3, &len);
	struct result res;
	unsigned int accepted = 0;

	for (size_t i = 0; i < len; i++) {
		for (size_t m = 0; m < sizeof(masks); m++) {
			buf[i] ^= masks[m];
			read_all(buf, len, &res);
			buf[i] ^= masks[m];
			CHECK(res.events_ok);
			CHECK(res.events <= 3);
			if (res.rc) {
				CHECK(strstr(res.err, "offset"));
				continue;
			}
			/* only the minor version is free to change */
			accepted++;
			CHECK(i == 10 || i == 11);
			CHECK_EQ(res.events, 3);
			CHECK(same_header(&res.h, &want));
			CHECK_EQ(res.r.trailer.lost, 5);
		}
	}
	CHECK_EQ(accepted, 2 * sizeof(masks));
	free(buf);
}

static void test_bad_magic(void)
{
	struct result res;
	size_t len;
	unsigned char *buf = recording(1, 1, &len);

	buf[7] = 'X';
	read_all(buf, len, &res);
	CHECK_EQ(res.rc, -1);
	CHECK(strstr(res.err, "not a daxtrace recording (bad magic at offset 0)"));
	read_all((const unsigned char *)"{\"faults\":1}\n", 13, &res);
	CHECK(strstr(res.err, "bad magic at offset 0"));
	read_all(NULL, 0, &res);
	CHECK(strstr(res.err, "bad magic at offset 0"));
	free(buf);
}

static void test_unsupported_version(void)
{
	struct result res;
	size_t len;
	unsigned char *buf = recording(1, 1, &len);

	buf[8] = 7;
	read_all(buf, len, &res);
	CHECK_EQ(res.rc, -1);
	CHECK(strstr(res.err, "unsupported format version 7 at offset 8"));
	buf[8] = 1;
	buf[9] = 1;	/* 257: the major is 16 bits */
	read_all(buf, len, &res);
	CHECK(strstr(res.err, "unsupported format version 257 at offset 8"));
	free(buf);
}

static void test_nprobes_overflow(void)
{
	struct dt_record_header h = sample_header();
	struct parts pt;
	struct blob b = { 0 };
	struct result res;
	unsigned char hdr[4096] = { 0 };
	char *out = NULL;
	size_t len, at = nprobes_at();
	FILE *f = open_memstream(&out, &len);

	/* the writer refuses */
	h.nprobes = 33;
	errno = 0;
	CHECK_EQ(dt_record_write_header(f, &h), -1);
	CHECK_EQ(errno, EINVAL);
	fclose(f);
	free(out);

	/* the reader refuses, even with a valid checksum and enough bytes */
	parts_get(&pt);
	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr, pt.header, pt.header_len);
	hdr[at] = 33;
	blob_prefix(&b, 1, 0);
	blob_record(&b, DT_REC_HEADER, hdr, sizeof(hdr));
	read_blob(&b, &res);
	CHECK_EQ(res.rc, -1);
	CHECK(strstr(res.err, "too many probes (33, max 32)"));
	CHECK(has_offset(res.err, 12 + 8 + at));
	hdr[at] = 0;
	hdr[at + 3] = 0x80;
	blob_prefix(&b, 1, 0);
	blob_record(&b, DT_REC_HEADER, hdr, sizeof(hdr));
	read_blob(&b, &res);
	CHECK(strstr(res.err, "too many probes (2147483648, max 32)"));
	free(pt.file);
}

static void test_trailer_count(void)
{
	struct result res;
	size_t len;
	unsigned char *buf = recording(3, 4, &len);

	read_all(buf, len, &res);
	CHECK_EQ(res.rc, -1);
	CHECK_EQ(res.events, 3);
	CHECK(strstr(res.err, "counts 4 events, but 3 were read"));
	CHECK(has_offset(res.err, len - DT_RECORD_FRAME_LEN - DT_RECORD_TRAILER_LEN));
	free(buf);

	buf = recording(3, 2, &len);
	read_all(buf, len, &res);
	CHECK_EQ(res.rc, -1);
	CHECK(strstr(res.err, "counts 2 events, but 3 were read"));
	free(buf);
}

static void test_missing_trailer(void)
{
	struct result res;
	size_t len;
	unsigned char *buf = recording(2, -1, &len);

	read_all(buf, len, &res);
	CHECK_EQ(res.rc, -1);
	CHECK_EQ(res.events, 2);
	CHECK(res.events_ok);
	CHECK(strstr(res.err, "without a trailer, after 2 events"));
	CHECK(has_offset(res.err, len));
	free(buf);
}

static void test_data_after_trailer(void)
{
	struct result res;
	size_t len;
	unsigned char *buf = recording(1, 1, &len);
	unsigned char *more = malloc(len + 1);

	memcpy(more, buf, len);
	more[len] = 0;
	read_all(more, len + 1, &res);
	CHECK_EQ(res.rc, -1);
	CHECK(strstr(res.err, "1 bytes of unexpected data after the trailer"));
	CHECK(has_offset(res.err, len));
	free(more);
	free(buf);
}

/* a newer minor version: longer payloads and a new optional record */
static void test_forward_compatible(void)
{
	struct dt_record_header want = sample_header();
	unsigned char big[256] = { 0 };
	struct parts pt;
	struct blob b = { 0 };
	struct result res;

	parts_get(&pt);
	blob_prefix(&b, 1, 9);
	memset(big, 0xee, sizeof(big));
	memcpy(big, pt.header, pt.header_len);
	blob_record(&b, DT_REC_HEADER, big, pt.header_len + 7);
	blob_record(&b, DT_REC_SKIPPABLE | 42, "future", 6);
	memset(big, 0xee, sizeof(big));
	memcpy(big, pt.event, DT_RECORD_EVENT_LEN);
	blob_record(&b, DT_REC_EVENT, big, DT_RECORD_EVENT_LEN + 5);
	blob_record(&b, DT_REC_SKIPPABLE | 43, NULL, 0);
	memset(big, 0xee, sizeof(big));
	memcpy(big, pt.trailer, DT_RECORD_TRAILER_LEN);
	blob_record(&b, DT_REC_TRAILER, big, DT_RECORD_TRAILER_LEN + 8);
	read_blob(&b, &res);
	CHECK_EQ(res.rc, 0);
	CHECK_EQ(res.events, 1);
	CHECK(res.events_ok);
	CHECK(same_header(&res.h, &want));
	CHECK_EQ(res.r.minor, 9);
	CHECK_EQ(res.r.trailer.stale, 6);

	/* a new record type a reader may not skip */
	blob_prefix(&b, 1, 9);
	blob_record(&b, DT_REC_HEADER, pt.header, pt.header_len);
	blob_record(&b, 42, "future", 6);
	read_blob(&b, &res);
	CHECK_EQ(res.rc, -1);
	CHECK(strstr(res.err, "unknown record type 0x2a"));
	CHECK(has_offset(res.err, 12 + 12 + pt.header_len));
	free(pt.file);
}

/*
 * An event of an older minor, @len bytes: read with what that minor
 * lacks at its default (@minor 3: no reason byte; 4: no forensics flag).
 */
static void older_minor_event(unsigned int minor, unsigned int len)
{
	struct dt_record_reader r;
	struct dt_record_header h;
	struct dt_event e, want = sample_event(0);
	struct parts pt;
	struct blob b = { 0 };
	char err[128];

	parts_get(&pt);
	blob_prefix(&b, 1, minor);
	blob_record(&b, DT_REC_HEADER, pt.header, pt.header_len);
	blob_record(&b, DT_REC_EVENT, pt.event, len);
	blob_record(&b, DT_REC_TRAILER, pt.trailer, DT_RECORD_TRAILER_LEN);
	CHECK_EQ(dt_record_open(&r, b.p, b.len, &h, err, sizeof(err)), 0);
	r.want_forensics = true;
	CHECK_EQ(dt_record_next(&r, &e, err, sizeof(err)), 1);
	CHECK_EQ(r.minor, minor);
	if (minor <= 3) {
		CHECK_EQ(e.pmd_fallback, 0);
		want.pmd_fallback = 0;
	}
	CHECK_EQ(e.forensics, 0);
	want.forensics = 0;
	CHECK(same_event(&e, &want));
	CHECK_EQ(dt_record_next(&r, &e, err, sizeof(err)), 0);
	free(b.p);
	free(pt.file);
}

/* minor 3: 123 bytes, no pmd_fallback: its reason 0, unknown */
static void test_minor3_event(void)
{
	older_minor_event(3, DT_RECORD_EVENT_MIN);
}

/* minor 4: a 124-byte event reads with no forensics */
static void test_minor4_event(void)
{
	older_minor_event(4, DT_RECORD_EVENT_MIN + 1);
}

static void test_short_payloads(void)
{
	struct parts pt;
	struct blob b = { 0 };
	struct result res;

	parts_get(&pt);
	blob_prefix(&b, 1, 0);
	blob_record(&b, DT_REC_HEADER, pt.header, 32);
	read_blob(&b, &res);
	CHECK(strstr(res.err, "short header record at offset 12"));

	blob_prefix(&b, 1, 2);
	blob_record(&b, DT_REC_HEADER, pt.header, pt.header_len - 1);
	read_blob(&b, &res);
	CHECK(strstr(res.err, "ends inside era and PTE layout"));

	blob_prefix(&b, 1, 2);
	blob_record(&b, DT_REC_HEADER, pt.header, pt.header_len - 3);
	read_blob(&b, &res);
	CHECK(strstr(res.err, "ends inside probe 2 how"));

	blob_prefix(&b, 1, 0);
	blob_record(&b, DT_REC_HEADER, pt.header, pt.header_len);
	blob_record(&b, DT_REC_EVENT, pt.event, DT_RECORD_EVENT_MIN - 1);
	read_blob(&b, &res);
	CHECK_EQ(res.events, 0);
	CHECK(strstr(res.err, "short event record"));

	blob_prefix(&b, 1, 0);
	blob_record(&b, DT_REC_HEADER, pt.header, pt.header_len);
	blob_record(&b, DT_REC_TRAILER, pt.trailer, DT_RECORD_TRAILER_MIN - 1);
	read_blob(&b, &res);
	CHECK(strstr(res.err, "short trailer record"));

	blob_prefix(&b, 1, 0);
	read_blob(&b, &res);
	CHECK(strstr(res.err, "ends at offset 12 before its header record"));

	blob_prefix(&b, 1, 0);
	blob_record(&b, DT_REC_EVENT, pt.event, DT_RECORD_EVENT_LEN);
	read_blob(&b, &res);
	CHECK(strstr(res.err, "expected a header record at offset 12"));

	blob_prefix(&b, 1, 0);
	blob_record(&b, DT_REC_HEADER, pt.header, pt.header_len);
	blob_record(&b, DT_REC_HEADER, pt.header, pt.header_len);
	read_blob(&b, &res);
	CHECK(strstr(res.err, "second header record"));
	free(pt.file);
}

static void test_header_fields_checked(void)
{
	unsigned char hdr[4096] = { 0 };
	struct parts pt;
	struct blob b = { 0 };
	struct result res;

	parts_get(&pt);
	memcpy(hdr, pt.header, pt.header_len);
	hdr[32] = 2;
	blob_prefix(&b, 1, 0);
	blob_record(&b, DT_REC_HEADER, hdr, pt.header_len);
	read_blob(&b, &res);
	CHECK(strstr(res.err, "bad exact flag 2 at offset 52"));

	memcpy(hdr, pt.header, pt.header_len);
	hdr[33] = 65;
	memset(hdr + 34, 'x', 65);
	blob_prefix(&b, 1, 0);
	blob_record(&b, DT_REC_HEADER, hdr, sizeof(hdr));
	read_blob(&b, &res);
	CHECK(strstr(res.err, "kernel too long (65 bytes, max 64) at offset 53"));

	memcpy(hdr, pt.header, pt.header_len);
	hdr[35] = '\0';
	blob_prefix(&b, 1, 0);
	blob_record(&b, DT_REC_HEADER, hdr, pt.header_len);
	read_blob(&b, &res);
	CHECK(strstr(res.err, "NUL byte inside kernel at offset 53"));

	blob_prefix(&b, 1, 0);
	blob_record(&b, DT_REC_HEADER, pt.header, 33 + 1 + 14 + 5);
	read_blob(&b, &res);
	CHECK(strstr(res.err, "header record at offset 12 ends inside boot_id"));

	/* minor 2: an era or layout daxtrace never wrote */
	memcpy(hdr, pt.header, pt.header_len);
	hdr[pt.header_len - 2] = 3;
	blob_prefix(&b, 1, 2);
	blob_record(&b, DT_REC_HEADER, hdr, pt.header_len);
	read_blob(&b, &res);
	CHECK(strstr(res.err, "bad era 3 or PTE layout 1 at offset"));
	memcpy(hdr, pt.header, pt.header_len);
	hdr[pt.header_len - 1] = DT_PTE_LAYOUTS;
	blob_prefix(&b, 1, 2);
	blob_record(&b, DT_REC_HEADER, hdr, pt.header_len);
	read_blob(&b, &res);
	CHECK(strstr(res.err, "bad era 1 or PTE layout 4 at offset"));
	free(pt.file);
}

/*
 * A minor-1 recording (before era and layout): it reads, with the era
 * unknown and not recorded, so that report derives what it can.
 */
static void test_minor1_header(void)
{
	struct parts pt;
	struct blob b = { 0 };
	struct result res;

	parts_get(&pt);
	blob_prefix(&b, 1, 1);
	blob_record(&b, DT_REC_HEADER, pt.header, pt.header_len - 2);
	blob_record(&b, DT_REC_EVENT, pt.event, DT_RECORD_EVENT_LEN);
	blob_record(&b, DT_REC_TRAILER, pt.trailer, DT_RECORD_TRAILER_LEN);
	read_blob(&b, &res);
	CHECK_EQ(res.rc, 0);
	CHECK_EQ(res.events, 1);
	CHECK(!res.h.era_recorded);
	CHECK_EQ(res.h.era, DT_ERA_UNKNOWN);
	CHECK_EQ(res.h.layout, DT_PTE_UNKNOWN);
	CHECK_EQ(res.h.nprobes, NPROBES);
	/* and the same header written by this version records both */
	blob_prefix(&b, 1, 2);
	blob_record(&b, DT_REC_HEADER, pt.header, pt.header_len);
	blob_record(&b, DT_REC_EVENT, pt.event, DT_RECORD_EVENT_LEN);
	blob_record(&b, DT_REC_TRAILER, pt.trailer, DT_RECORD_TRAILER_LEN);
	read_blob(&b, &res);
	CHECK_EQ(res.rc, 0);
	CHECK(res.h.era_recorded);
	CHECK_EQ(res.h.era, DT_ERA_PFN);
	CHECK_EQ(res.h.layout, DT_PTE_DEVMAP57);
	free(pt.file);
}

/* strings longer than their bound are cut by the writer, not overrun */
static void test_strings_bounded(void)
{
	struct dt_record_header h = sample_header();
	struct dt_event e = sample_event(0);
	struct dt_record_trailer t = sample_trailer(1);
	struct result res;
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	memset(h.kernel, 'k', sizeof(h.kernel));
	memset(h.probes[0].how, 'h', sizeof(h.probes[0].how));
	memset(e.comm, 'c', sizeof(e.comm));
	dt_record_write_header(f, &h);
	dt_record_write_event(f, &e);
	dt_record_write_trailer(f, &t);
	fclose(f);
	read_all((unsigned char *)buf, len, &res);
	CHECK_EQ(res.rc, 0);
	CHECK_EQ(strlen(res.h.kernel), 64);
	CHECK_EQ(strlen(res.h.probes[0].how), 63);
	CHECK(!res.events_ok);	/* comm differs: cut to 15 bytes */
	free(buf);
}

static void test_unterminated_comm(void)
{
	unsigned char ev[DT_RECORD_EVENT_LEN];
	struct parts pt;
	struct blob b = { 0 };
	struct result res;

	parts_get(&pt);
	memcpy(ev, pt.event, sizeof(ev));
	ev[DT_RECORD_EVENT_MIN - 1] = 'x';	/* comm's last byte */
	blob_prefix(&b, 1, 0);
	blob_record(&b, DT_REC_HEADER, pt.header, pt.header_len);
	blob_record(&b, DT_REC_EVENT, ev, sizeof(ev));
	read_blob(&b, &res);
	CHECK_EQ(res.rc, -1);
	CHECK_EQ(res.events, 0);
	CHECK(strstr(res.err, "unterminated comm"));
	free(pt.file);
}

/* after an error the reader stays failed; a length that wraps is caught */
static void test_errors_stick(void)
{
	struct dt_event e;
	struct result res;
	size_t len;
	unsigned char *buf = recording(2, 2, &len);
	size_t ev0 = DT_RECORD_PREFIX_LEN + DT_RECORD_FRAME_LEN + le32_at(buf + 16);

	memset(buf + ev0 + 4, 0xff, 4);	/* event length 4 GiB - 1 */
	read_all(buf, len, &res);
	CHECK_EQ(res.rc, -1);
	CHECK(strstr(res.err, "truncated event record"));
	CHECK(strstr(res.err, "needs 4294967307 bytes"));
	CHECK_EQ(dt_record_next(&res.r, &e, res.err, sizeof(res.err)), -1);
	CHECK(strstr(res.err, "earlier error"));
	CHECK_EQ(dt_record_next(&res.r, &e, NULL, 0), -1);
	free(buf);
}

/*
 * --split-exec's forks and execs (minor 3): returned in their place with
 * want_procs, skipped without, like any skippable record of a newer minor.
 */
static void test_proc_records(void)
{
	struct dt_record_header h = sample_header();
	struct dt_record_trailer t = sample_trailer(2);
	struct dt_proc_event fork = { .ts_ns = 7, .kind = DT_PROC_FORK,
				      .pid = 11, .ppid = 10 };
	struct dt_proc_event exec = { .ts_ns = 8, .kind = DT_PROC_EXEC, .pid = 11 };
	struct dt_record_reader r;
	struct dt_record_header got;
	struct dt_event e = sample_event(0);
	char err[256], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int kinds[8], n = 0, rc;

	/* the kernel's string may fill the field: the record bounds it */
	memset(exec.path, 'x', sizeof(exec.path));
	memcpy(exec.path, "./tests/generic/437", 19);
	CHECK_EQ(dt_record_write_header(f, &h), 0);
	CHECK_EQ(dt_record_write_proc(f, &fork), 0);
	CHECK_EQ(dt_record_write_event(f, &e), 0);
	CHECK_EQ(dt_record_write_proc(f, &exec), 0);
	CHECK_EQ(dt_record_write_event(f, &e), 0);
	CHECK_EQ(dt_record_write_trailer(f, &t), 0);
	fclose(f);

	CHECK_EQ(dt_record_open(&r, buf, len, &got, err, sizeof(err)), 0);
	r.want_procs = true;
	while (n < 8 && (rc = dt_record_next(&r, &e, err, sizeof(err))) > 0) {
		kinds[n++] = rc;
		if (rc == 2 && r.proc.kind == DT_PROC_FORK)
			CHECK(r.proc.ts_ns == 7 && r.proc.pid == 11 &&
			      r.proc.ppid == 10 && !r.proc.path[0]);
		if (rc == 2 && r.proc.kind == DT_PROC_EXEC)
			CHECK(r.proc.pid == 11 &&
			      strlen(r.proc.path) == DT_PROC_PATH_LEN - 1 &&
			      !strncmp(r.proc.path, "./tests/generic/437xx", 21));
	}
	CHECK_EQ(rc, 0);
	CHECK_EQ(n, 4);
	CHECK(kinds[0] == 2 && kinds[1] == 1 && kinds[2] == 2 && kinds[3] == 1);

	/* not asked for: the same two events, nothing else */
	CHECK_EQ(dt_record_open(&r, buf, len, &got, err, sizeof(err)), 0);
	n = 0;
	while ((rc = dt_record_next(&r, &e, err, sizeof(err))) == 1)
		n++;
	CHECK_EQ(rc, 0);
	CHECK_EQ(n, 2);
	free(buf);
}

/* minor 5: a violation's forensics go ahead of its event, and read back */
static void test_forensics_records(void)
{
	struct dt_record_header h = sample_header(), got;
	struct dt_record_trailer t = sample_trailer(1);
	struct dt_forensics fo = { .ts_ns = 99, .tid = 7, .nframes = DT_STACK_DEPTH };
	struct dt_record_reader r;
	struct dt_event e = sample_event(0);
	char err[256], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc, n = 0;

	snprintf(fo.pfn_mkwrite, sizeof(fo.pfn_mkwrite), "xfs_filemap_pfn_mkwrite [xfs]");
	/* a name that fills its field is cut to 63 bytes, as every string */
	memset(fo.fault, 'f', sizeof(fo.fault));
	for (int i = 0; i < DT_STACK_DEPTH; i++)
		snprintf(fo.frames[i], sizeof(fo.frames[i]), "frame_%d+0x%x", i, i);
	/* minor 6: the file, up to 255 bytes */
	memset(fo.file, 'p', sizeof(fo.file));
	fo.file[0] = '/';
	CHECK_EQ(dt_record_write_header(f, &h), 0);
	CHECK_EQ(dt_record_write_forensics(f, &fo), 0);
	CHECK_EQ(dt_record_write_event(f, &e), 0);
	CHECK_EQ(dt_record_write_trailer(f, &t), 0);
	fclose(f);

	CHECK_EQ(dt_record_open(&r, buf, len, &got, err, sizeof(err)), 0);
	r.want_forensics = true;
	CHECK_EQ(dt_record_next(&r, &e, err, sizeof(err)), 3);
	CHECK_EQ(r.forensics.ts_ns, 99);
	CHECK_EQ(r.forensics.tid, 7);
	CHECK_EQ(r.forensics.nframes, DT_STACK_DEPTH);
	CHECK(!strcmp(r.forensics.pfn_mkwrite, "xfs_filemap_pfn_mkwrite [xfs]"));
	CHECK_EQ(strlen(r.forensics.fault), DT_SYM_LEN - 1);
	CHECK(!strcmp(r.forensics.frames[DT_STACK_DEPTH - 1], "frame_23+0x17"));
	CHECK_EQ(strlen(r.forensics.file), DT_FILE_LEN - 1);
	CHECK_EQ(r.forensics.file[0], '/');
	CHECK_EQ(dt_record_next(&r, &e, err, sizeof(err)), 1);
	CHECK_EQ(e.forensics, 0xf0000000u);
	CHECK_EQ(dt_record_next(&r, &e, err, sizeof(err)), 0);
	/* an older reader's way: not asked for, skipped */
	CHECK_EQ(dt_record_open(&r, buf, len, &got, err, sizeof(err)), 0);
	while ((rc = dt_record_next(&r, &e, err, sizeof(err))) == 1)
		n++;
	CHECK_EQ(rc, 0);
	CHECK_EQ(n, 1);
	free(buf);
}

/*
 * minor 7: a device-DAX device goes ahead of the first event naming it,
 * and reads back as written; a name that fills the field is cut to 31
 * bytes; an alignment that is no power of two is refused with its offset
 */
static void test_devdax_records(void)
{
	struct dt_record_header h = sample_header(), got;
	struct dt_record_trailer t = sample_trailer(1);
	struct dt_devdax_dev d = {
		.dev = 251 << 20 | 3, .geom = { .align = 2 << 20, .size = 1ULL << 31 },
		.name = "dax0.3",
	};
	struct dt_record_reader r;
	struct dt_event e = sample_event(0);
	char err[256], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc, n = 0;

	CHECK_EQ(dt_record_write_header(f, &h), 0);
	CHECK_EQ(dt_record_write_devdax(f, &d), 0);
	memset(d.name, 'n', sizeof(d.name));
	d.dev = 1;
	CHECK_EQ(dt_record_write_devdax(f, &d), 0);
	CHECK_EQ(dt_record_write_event(f, &e), 0);
	CHECK_EQ(dt_record_write_trailer(f, &t), 0);
	fclose(f);

	CHECK_EQ(dt_record_open(&r, buf, len, &got, err, sizeof(err)), 0);
	r.want_devdax = true;
	CHECK_EQ(dt_record_next(&r, &e, err, sizeof(err)), 4);
	CHECK_EQ(r.devdax.dev, 251 << 20 | 3);
	CHECK_EQ(r.devdax.geom.align, 2 << 20);
	CHECK_EQ(r.devdax.geom.size, 1ULL << 31);
	CHECK(!strcmp(r.devdax.name, "dax0.3"));
	CHECK_EQ(dt_record_next(&r, &e, err, sizeof(err)), 4);
	CHECK_EQ(r.devdax.dev, 1);
	CHECK_EQ(strlen(r.devdax.name), DT_DEVDAX_NAME_LEN - 1);
	CHECK_EQ(dt_record_next(&r, &e, err, sizeof(err)), 1);
	CHECK_EQ(dt_record_next(&r, &e, err, sizeof(err)), 0);
	/* a minor-6 reader's way: not asked for, skipped */
	CHECK_EQ(dt_record_open(&r, buf, len, &got, err, sizeof(err)), 0);
	while ((rc = dt_record_next(&r, &e, err, sizeof(err))) == 1)
		n++;
	CHECK_EQ(rc, 0);
	CHECK_EQ(n, 1);
	free(buf);
}

/* minor 7: a device record whose alignment no driver has is an error */
static void test_devdax_bad_align(void)
{
	static const unsigned char dd[] = {
		0, 0, 0xb0, 0x0f,			/* dev 251:0 */
		0, 0x30, 0, 0, 0, 0, 0, 0,		/* align 0x3000 */
		0, 0, 0, 0x80, 0, 0, 0, 0,		/* size 2 GiB */
		6, 'd', 'a', 'x', '0', '.', '0',
	};
	struct dt_record_reader r;
	struct dt_record_header h;
	struct dt_event e;
	struct parts pt;
	struct blob b = { 0 };
	char err[128];

	parts_get(&pt);
	blob_prefix(&b, 1, 7);
	blob_record(&b, DT_REC_HEADER, pt.header, pt.header_len);
	blob_record(&b, DT_REC_DEVDAX, dd, sizeof(dd));
	blob_record(&b, DT_REC_TRAILER, pt.trailer, DT_RECORD_TRAILER_LEN);
	CHECK_EQ(dt_record_open(&r, b.p, b.len, &h, err, sizeof(err)), 0);
	r.want_devdax = true;
	CHECK_EQ(dt_record_next(&r, &e, err, sizeof(err)), -1);
	CHECK(strstr(err, "device-DAX alignment 0x3000 at offset"));
	CHECK(strstr(err, "no power of two"));
	free(b.p);
	free(pt.file);
}

/* minor 5: a forensics record ends with its frames, and reads with no file */
static void test_minor5_forensics(void)
{
	static const unsigned char fo5[] = {
		99, 0, 0, 0, 0, 0, 0, 0,	/* ts_ns */
		7, 0, 0, 0,			/* tid */
		1,				/* nframes */
		3, 'p', 'f', 'm', 0, 5, 'd', 'o', '+', '0', '1',
	};
	struct dt_record_reader r;
	struct dt_record_header h;
	struct dt_event e;
	struct parts pt;
	struct blob b = { 0 };
	char err[128];

	parts_get(&pt);
	blob_prefix(&b, 1, 5);
	blob_record(&b, DT_REC_HEADER, pt.header, pt.header_len);
	blob_record(&b, DT_REC_FORENSICS, fo5, sizeof(fo5));
	blob_record(&b, DT_REC_EVENT, pt.event, DT_RECORD_EVENT_LEN);
	blob_record(&b, DT_REC_TRAILER, pt.trailer, DT_RECORD_TRAILER_LEN);
	CHECK_EQ(dt_record_open(&r, b.p, b.len, &h, err, sizeof(err)), 0);
	r.want_forensics = true;
	memset(r.forensics.file, 'x', sizeof(r.forensics.file));
	CHECK_EQ(dt_record_next(&r, &e, err, sizeof(err)), 3);
	CHECK(!strcmp(r.forensics.pfn_mkwrite, "pfm"));
	CHECK(!strcmp(r.forensics.fault, ""));
	CHECK(!strcmp(r.forensics.frames[0], "do+01"));
	CHECK(!strcmp(r.forensics.file, ""));
	CHECK_EQ(dt_record_next(&r, &e, err, sizeof(err)), 1);
	CHECK_EQ(dt_record_next(&r, &e, err, sizeof(err)), 0);
	free(b.p);
	free(pt.file);
}

/* a process record of a kind daxtrace never wrote: an error at its offset */
static void test_proc_record_checked(void)
{
	struct dt_proc_event bad = { .kind = 3, .pid = 1 };
	struct dt_record_header h = sample_header(), got;
	struct dt_record_reader r;
	struct dt_event e;
	char err[256], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK_EQ(dt_record_write_header(f, &h), 0);
	CHECK_EQ(dt_record_write_proc(f, &bad), 0);
	fclose(f);
	CHECK_EQ(dt_record_open(&r, buf, len, &got, err, sizeof(err)), 0);
	r.want_procs = true;
	CHECK_EQ(dt_record_next(&r, &e, err, sizeof(err)), -1);
	CHECK(strstr(err, "bad process event kind 3 at offset"));
	free(buf);
}

int main(void)
{
	RUN(test_crc32c_check_value);
	RUN(test_round_trip);
	RUN(test_layout_is_little_endian);
	RUN(test_every_truncation);
	RUN(test_every_byte_flip);
	RUN(test_bad_magic);
	RUN(test_unsupported_version);
	RUN(test_nprobes_overflow);
	RUN(test_trailer_count);
	RUN(test_missing_trailer);
	RUN(test_minor0_trailer);
	RUN(test_minor1_header);
	RUN(test_proc_records);
	RUN(test_proc_record_checked);
	RUN(test_data_after_trailer);
	RUN(test_forward_compatible);
	RUN(test_minor3_event);
	RUN(test_minor4_event);
	RUN(test_forensics_records);
	RUN(test_devdax_records);
	RUN(test_devdax_bad_align);
	RUN(test_minor5_forensics);
	RUN(test_short_payloads);
	RUN(test_header_fields_checked);
	RUN(test_strings_bounded);
	RUN(test_unterminated_comm);
	RUN(test_errors_stick);
	return UNIT_EXIT();
}
