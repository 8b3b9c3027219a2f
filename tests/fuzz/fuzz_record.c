// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the recording reader.
 *
 * Each input is read twice: as it is, which mostly exercises the checksum
 * and framing errors, and with every record's CRC recomputed, so mutations
 * reach the header, event and trailer decoders behind the checksum.
 *
 * Beyond "no crash", every value the reader returns is checked against the
 * input by an oracle that walks the records itself: the record the reader
 * consumed must be whole, of the right type, long enough, with a matching
 * CRC, and the writer must turn the returned value back into the very
 * bytes it came from.  An accepted input, written back out, reads back the
 * same.  A broken invariant aborts, which libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "record.h"

#define FRAME		DT_RECORD_FRAME_LEN
#define HEADER_MIN	39

#define ASSERT(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "fuzz_record: %s:%d: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

static __u32 le32_at(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (__u32)p[3] << 24;
}

static bool known(__u32 type)
{
	return type == DT_REC_HEADER || type == DT_REC_EVENT ||
	       type == DT_REC_TRAILER || type == DT_REC_PROC ||
	       type == DT_REC_DEVDAX;
}

/*
 * The payload of the record of `type` that a reader moving from `from` to
 * `to` consumed, after any skippable records: it must end exactly at `to`.
 */
static const uint8_t *consumed(const uint8_t *buf, size_t from, size_t to,
			       __u32 type, __u32 *len)
{
	for (size_t off = from;; off += FRAME + *len) {
		__u32 t;

		ASSERT(off <= to && to - off >= FRAME);
		t = le32_at(buf + off);
		*len = le32_at(buf + off + 4);
		ASSERT(*len <= to - off - FRAME);
		ASSERT(dt_record_crc(buf + off, 8 + *len) ==
		       le32_at(buf + off + 8 + *len));
		if (known(t) || !(t & DT_REC_SKIPPABLE)) {
			ASSERT(t == type && off + FRAME + *len == to);
			return buf + off + 8;
		}
	}
}

/* the last record written to the rewrite stream: its payload and length */
static const uint8_t *written(FILE *f, char **out, size_t *outlen,
			      size_t payload)
{
	ASSERT(!fflush(f) && *outlen >= FRAME + payload);
	return (uint8_t *)*out + *outlen - FRAME - payload + 8;
}

static void check_header(const struct dt_record_header *h)
{
	ASSERT(h->version == DT_RECORD_VERSION);
	ASSERT(memchr(h->kernel, '\0', sizeof(h->kernel)));
	ASSERT(memchr(h->boot_id, '\0', sizeof(h->boot_id)));
	ASSERT(h->nprobes <= DT_RECORD_MAX_PROBES);
	for (__u32 i = 0; i < h->nprobes; i++) {
		ASSERT(memchr(h->probes[i].name, '\0', sizeof(h->probes[i].name)));
		ASSERT(memchr(h->probes[i].how, '\0', sizeof(h->probes[i].how)));
	}
}

/* the header as written is a prefix of the header read: the rest is new */
static void header_matches(const uint8_t *buf, const struct dt_record_reader *r,
			   FILE *f, char **out, size_t *outlen)
{
	__u32 len, wlen;
	const uint8_t *p = consumed(buf, DT_RECORD_PREFIX_LEN, r->off,
				    DT_REC_HEADER, &len);

	const uint8_t *w;
	__u32 added = 0;

	ASSERT(!memcmp(buf, DT_RECORD_MAGIC, 8) && buf[8] == 1 && !buf[9]);
	ASSERT(len >= HEADER_MIN);
	ASSERT(!fflush(f));
	wlen = le32_at((uint8_t *)*out + DT_RECORD_PREFIX_LEN + 4);
	ASSERT(*outlen == DT_RECORD_PREFIX_LEN + FRAME + wlen);
	w = written(f, out, outlen, wlen);
	/* before minor 2 there was no era and layout: written as unknown */
	if (r->minor < 2) {
		added = 2;
		ASSERT(wlen >= added && w[wlen - 2] == 0 && w[wlen - 1] == 3);
	}
	ASSERT(wlen - added <= len);
	ASSERT(!memcmp(w, p, wlen - added));
}

/*
 * A process record as read: a kind that exists, a bounded path; written
 * back, it is what was read (the part the reader reads: a longer payload
 * is a newer minor's).
 */
static void check_proc(const uint8_t *buf, size_t from,
		       const struct dt_record_reader *r, FILE *f, char **out,
		       size_t *outlen)
{
	__u32 n, wlen;
	const uint8_t *p = consumed(buf, from, r->off, DT_REC_PROC, &n);

	ASSERT(r->proc.kind == DT_PROC_FORK || r->proc.kind == DT_PROC_EXEC);
	ASSERT(memchr(r->proc.path, '\0', sizeof(r->proc.path)));
	ASSERT(!r->proc.pad);
	ASSERT(!dt_record_write_proc(f, &r->proc));
	wlen = 20 + 1 + strlen(r->proc.path);
	ASSERT(wlen <= n);
	ASSERT(!memcmp(written(f, out, outlen, wlen), p, wlen));
}

/* Reads buf to the end, checking each value read; rewrites it to *out. */
static int read_through(const uint8_t *buf, size_t len, char **out,
			size_t *outlen)
{
	struct dt_record_reader r;
	struct dt_record_header h;
	struct dt_event ev;
	char err[256] = "";
	FILE *f = open_memstream(out, outlen);
	size_t from = 0;
	__u32 n;
	int rc;

	ASSERT(f);
	rc = dt_record_open(&r, buf, len, &h, err, sizeof(err));
	if (!rc) {
		check_header(&h);
		ASSERT(!dt_record_write_header(f, &h));
		header_matches(buf, &r, f, out, outlen);
		r.want_procs = true;
		r.want_forensics = true;
		r.want_devdax = true;
		for (from = r.off;
		     (rc = dt_record_next(&r, &ev, err, sizeof(err))) > 0;
		     from = r.off) {
			const uint8_t *p;

			if (rc == 2) {
				check_proc(buf, from, &r, f, out, outlen);
				continue;
			}
			if (rc == 3) {
				/* bounded, terminated, and the writer takes it */
				ASSERT(r.forensics.nframes <= DT_STACK_DEPTH);
				ASSERT(strnlen(r.forensics.pfn_mkwrite, DT_SYM_LEN) < DT_SYM_LEN);
				ASSERT(strnlen(r.forensics.fault, DT_SYM_LEN) < DT_SYM_LEN);
				for (__u32 i = 0; i < r.forensics.nframes; i++)
					ASSERT(strnlen(r.forensics.frames[i], DT_SYM_LEN) < DT_SYM_LEN);
				ASSERT(!dt_record_write_forensics(f, &r.forensics));
				continue;
			}
			if (rc == 4) {
				__u32 wlen;

				/* a name bounded and terminated, an alignment a power of two */
				p = consumed(buf, from, r.off, DT_REC_DEVDAX, &n);
				ASSERT(strnlen(r.devdax.name, DT_DEVDAX_NAME_LEN) <
				       DT_DEVDAX_NAME_LEN);
				ASSERT(!(r.devdax.geom.align & (r.devdax.geom.align - 1)));
				ASSERT(!dt_record_write_devdax(f, &r.devdax));
				wlen = 20 + 1 + strlen(r.devdax.name);
				ASSERT(wlen <= n);
				ASSERT(!memcmp(written(f, out, outlen, wlen), p, wlen));
				continue;
			}
			p = consumed(buf, from, r.off, DT_REC_EVENT, &n);
			ASSERT(rc == 1);
			ASSERT(n >= DT_RECORD_EVENT_MIN);
			/* minor 3 and before: no reason byte, unknown (0) */
			ASSERT(n > DT_RECORD_EVENT_MIN || !ev.pmd_fallback);
			/* minor 4 and before: no forensics */
			ASSERT(n >= DT_RECORD_EVENT_LEN || !ev.forensics);
			ASSERT(!dt_record_write_event(f, &ev));
			/* the bytes the reader took: each minor's fields whole */
			ASSERT(!memcmp(written(f, out, outlen, DT_RECORD_EVENT_LEN), p,
				       n >= DT_RECORD_EVENT_LEN ? DT_RECORD_EVENT_LEN :
				       n > DT_RECORD_EVENT_MIN ? DT_RECORD_EVENT_MIN + 1 : n));
		}
	}
	if (rc) {
		ASSERT(rc == -1 && strstr(err, "offset"));
		ASSERT(!r.done);
		ASSERT(dt_record_next(&r, &ev, err, sizeof(err)) == -1);
	} else {
		const uint8_t *p = consumed(buf, from, r.off, DT_REC_TRAILER, &n);

		ASSERT(r.done && r.off == len);
		ASSERT(r.trailer.events == r.events_read);
		/* the reader takes untraced_children only from a whole field */
		size_t same = n >= DT_RECORD_TRAILER_LEN ? DT_RECORD_TRAILER_LEN :
							   DT_RECORD_TRAILER_MIN;
		const uint8_t *w;

		ASSERT(n >= DT_RECORD_TRAILER_MIN);
		ASSERT(!dt_record_write_trailer(f, &r.trailer));
		/* what was read is written back; a shorter trailer gains zeros */
		w = written(f, out, outlen, DT_RECORD_TRAILER_LEN);
		ASSERT(!memcmp(w, p, same));
		for (size_t i = same; i < DT_RECORD_TRAILER_LEN; i++)
			ASSERT(!w[i]);
		ASSERT(dt_record_next(&r, &ev, err, sizeof(err)) == 0);
	}
	fclose(f);
	return rc;
}

static void same_header(const struct dt_record_header *a,
			const struct dt_record_header *b)
{
	ASSERT(a->version == b->version && a->exact == b->exact);
	ASSERT(!strcmp(a->kernel, b->kernel) && !strcmp(a->boot_id, b->boot_id));
	ASSERT(a->zero_pfn == b->zero_pfn && a->huge_zero_pfn == b->huge_zero_pfn);
	ASSERT(a->start_mono_ns == b->start_mono_ns);
	ASSERT(a->start_real_ns == b->start_real_ns);
	ASSERT(a->nprobes == b->nprobes);
	for (__u32 i = 0; i < a->nprobes; i++) {
		ASSERT(!strcmp(a->probes[i].name, b->probes[i].name));
		ASSERT(!strcmp(a->probes[i].how, b->probes[i].how));
	}
}

/* What the writer made of an accepted input reads back identically. */
static void check_rewrite(const uint8_t *a, size_t alen, const char *b,
			  size_t blen)
{
	struct dt_record_reader ra, rb;
	struct dt_record_header ha, hb;
	struct dt_event ea, eb;
	char err[256];
	int rca, rcb;

	ASSERT(!dt_record_open(&ra, a, alen, &ha, err, sizeof(err)));
	ASSERT(!dt_record_open(&rb, b, blen, &hb, err, sizeof(err)));
	same_header(&ha, &hb);
	do {
		rca = dt_record_next(&ra, &ea, err, sizeof(err));
		rcb = dt_record_next(&rb, &eb, err, sizeof(err));
		ASSERT(rca == rcb);
		ASSERT(rca != 1 || !memcmp(&ea, &eb, sizeof(ea)));
	} while (rca == 1);
	ASSERT(rca == 0);
	ASSERT(!memcmp(&ra.trailer, &rb.trailer, sizeof(ra.trailer)));
	/*
	 * A rewrite is canonical: no longer than its input, but for the
	 * fields older minors lack: a minor-0 trailer's untraced_children,
	 * an older event's reason byte and forensics flag.
	 */
	ASSERT(blen <= alen + DT_RECORD_TRAILER_LEN - DT_RECORD_TRAILER_MIN +
	       ra.trailer.events * (DT_RECORD_EVENT_LEN - DT_RECORD_EVENT_MIN));
}

static void check(const uint8_t *buf, size_t len)
{
	char *out = NULL;
	size_t outlen = 0;

	if (!read_through(buf, len, &out, &outlen))
		check_rewrite(buf, len, out, outlen);
	free(out);
}

/* Give every whole record a correct checksum, as a writer would. */
static void fix_crcs(uint8_t *p, size_t len)
{
	size_t off = DT_RECORD_PREFIX_LEN;

	while (off <= len && len - off >= FRAME) {
		__u32 n = le32_at(p + off + 4), crc;

		if (n > len - off - FRAME)
			break;
		crc = dt_record_crc(p + off, 8 + n);
		p[off + 8 + n] = crc;
		p[off + 9 + n] = crc >> 8;
		p[off + 10 + n] = crc >> 16;
		p[off + 11 + n] = crc >> 24;
		off += FRAME + n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;

	check(data, size);
	if (!size)
		return 0;
	/* exact size, so ASan sees any read past the end */
	copy = malloc(size);
	memcpy(copy, data, size);
	fix_crcs(copy, size);
	check(copy, size);
	free(copy);
	return 0;
}
