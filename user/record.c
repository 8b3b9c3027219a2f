// SPDX-License-Identifier: GPL-2.0
/*
 * The recording format of `daxtrace record -o FILE`, and a reader for
 * `daxtrace report FILE` that trusts nothing in the file.
 *
 * Every integer is little-endian and written field by field, so the file
 * does not depend on the host's byte order, padding or ABI.  Offsets below
 * are relative to the start of the unit they are listed under.
 *
 * File prefix, 12 bytes, at file offset 0:
 *	 0  8  magic "DAXTRACE" (no NUL)
 *	 8  2  major version, 1.  A reader refuses any other major version.
 *	10  2  minor version, 7.  A minor version may only add: fields at the
 *	       end of a payload, and record types with bit 31 set.  A reader
 *	       skips both, so it does not check the minor.
 *
 * Then records, back to back up to the end of the file:
 *	 0  4  type: 1 header, 2 event, 3 trailer.  An unknown type with
 *	       bit 31 set is skipped; any other unknown type is an error.
 *	 4  4  payload length L
 *	 8  L  payload
 *	8+L 4  CRC-32C (Castagnoli) of bytes 0 .. 8+L-1: type, length, payload
 *
 * The first record is the header, then any number of events, then the
 * trailer, which ends the file.  A file without a trailer was cut short
 * (daxtrace killed, disk full) and is an error, not a smaller trace.  A
 * payload shorter than listed here is an error (a trailer: shorter than
 * minor 0's 40 bytes); bytes past the listed end come from a newer minor
 * version and are skipped.
 *
 * Header payload (33 + strings, 39 bytes at least):
 *	 0  8  zero_pfn
 *	 8  8  huge_zero_pfn
 *	16  8  start_mono_ns	CLOCK_MONOTONIC when recording started
 *	24  8  start_real_ns	CLOCK_REALTIME, same instant
 *	32  1  exact		0 or 1
 *	33     kernel		string, at most 64 bytes (uname -r)
 *	 .     boot_id		string, at most 36 bytes
 *	 .  4  nprobes		at most 32, then nprobes times:
 *	 .     name		string, at most 31 bytes
 *	 .     how		string, at most 63 bytes
 *	 .  1  era		minor 2: the insert path, enum dt_era (0-2)
 *	 .  1  pte_layout	minor 2: enum dt_pte_layout (0-3)
 * A string is a 1-byte length n, then n bytes without a NUL.
 *
 * Event payload, 124 bytes (minor 3 and before: the first 123), struct
 * dt_event without its padding:
 *	 0  8  ts_ns		 80  4  pid
 *	 8  8  latency_ns	 84  4  tid
 *	16  8  ino		 88  4  dev
 *	24  8  pgoff		 92  4  fault_flags
 *	32  8  address		 96  4  result
 *	40  8  vm_flags		100  4  seen
 *	48  8  orig		104  2  inserts
 *	56  8  before		106  1  size
 *	64  8  after		107 16  comm, byte 15 always NUL
 *	72  8  req_pfn		123  1  pmd_fallback	minor 4: enum dt_fallback,
 *				        meaningful when seen has DT_SEEN_FALLBACK
 *	124  4  forensics	minor 5: 1 when a forensics record of this
 *				fault (same tid and ts_ns) went before it
 * An event record is 140 bytes on disk (136 before minor 5, 135 before
 * minor 4, whose fallbacks read as reason 0, unknown).  latency_ns is 0 and seen has
 * bit 17 (DT_SEEN_UNTIMED) when the fault had no start time: no latency.
 *
 * Process payload (type 0x80000004, minor 3, --split-exec), 21 bytes at least:
 *	 0  8  ts_ns
 *	 8  4  kind		1 fork, 2 exec
 *	12  4  pid		the child, or the process that exec'd
 *	16  4  ppid		fork: the parent
 *	20     path		string, at most 63 bytes (exec: the file)
 * A reader that does not ask for them skips them, as bit 31 allows.
 *
 * Forensics payload (type 0x80000005, minor 5: a violation's kernel
 * stack and handlers, symbolized when recorded), 15 bytes at least:
 *	 0  8  ts_ns		of the fault's event, which follows
 *	 8  4  tid
 *	12  1  nframes		at most 24
 *	13     pfn_mkwrite	string, at most 63 bytes ("name [module]")
 *	 .     fault		string, at most 63 bytes
 *	 .     frames		nframes strings, at most 63 bytes each,
 *				innermost first ("name+0xoff [module]")
 *	 .     file		minor 6: string, at most 255 bytes: the file of
 *				the fault's VMA under its mount ("" none)
 * Skipped by a reader that does not ask for them.
 *
 * Device-DAX payload (type 0x80000006, minor 7: a device that events
 * name by its number, as it was when first seen), 21 bytes at least:
 *	 0  4  dev		kernel dev_t of the character device
 *	 4  8  align		bytes; 0 unknown (sysfs had none)
 *	12  8  size		bytes
 *	20     name		string, at most 31 bytes ("dax0.0"; "" unknown)
 * Skipped by a reader that does not ask for them; without one, a report
 * names the device by its number and its refusals' reasons "unknown".
 *
 * Trailer payload, 48 bytes (minor 0: the first 40):
 *	 0  8  events		must equal the event records before it
 *	 8  8  lost
 *	16  8  stale
 *	24  8  untracked
 *	32  8  end_mono_ns
 *	40  8  untraced_children	minor 1: forked when the traced set was full
 *
 * The checksum is per record so that a corrupt byte is reported at the
 * record that holds it and no event is ever returned from unchecked bytes.
 * It does not catch whole records reordered, which a flipped or cut byte
 * cannot produce; a lost or duplicated event record fails the trailer count.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include "dt_entry.h"
#include "dt_points.h"
#include "record.h"

/* --- little-endian fields: one load plus a byte swap on big-endian ---- */

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define LE16(x)	__builtin_bswap16(x)
#define LE32(x)	__builtin_bswap32(x)
#define LE64(x)	__builtin_bswap64(x)
#else
#define LE16(x)	(x)
#define LE32(x)	(x)
#define LE64(x)	(x)
#endif

static inline __u16 get_le16(const unsigned char *p)
{
	__u16 v;

	memcpy(&v, p, sizeof(v));
	return LE16(v);
}

static inline __u32 get_le32(const unsigned char *p)
{
	__u32 v;

	memcpy(&v, p, sizeof(v));
	return LE32(v);
}

static inline __u64 get_le64(const unsigned char *p)
{
	__u64 v;

	memcpy(&v, p, sizeof(v));
	return LE64(v);
}

static inline void put_le16(unsigned char *p, __u16 v)
{
	v = LE16(v);
	memcpy(p, &v, sizeof(v));
}

static inline void put_le32(unsigned char *p, __u32 v)
{
	v = LE32(v);
	memcpy(p, &v, sizeof(v));
}

static inline void put_le64(unsigned char *p, __u64 v)
{
	v = LE64(v);
	memcpy(p, &v, sizeof(v));
}

/* --- CRC-32C, slicing by 8: replay checks every byte, so it must be fast */

#define CRC32C_POLY	0x82f63b78u	/* reflected Castagnoli polynomial */

static __u32 crc_table[8][256];

/* Filled before main() so no reader or writer races to build it. */
__attribute__((constructor))
static void crc_init(void)
{
	for (__u32 i = 0; i < 256; i++) {
		__u32 c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ CRC32C_POLY : c >> 1;
		crc_table[0][i] = c;
	}
	/* table t: byte i followed by t zero bytes */
	for (int t = 1; t < 8; t++)
		for (int i = 0; i < 256; i++)
			crc_table[t][i] = (crc_table[t - 1][i] >> 8) ^
					  crc_table[0][crc_table[t - 1][i] & 0xff];
}

static __u32 crc32c(const unsigned char *p, size_t len)
{
	const __u32 (*t)[256] = crc_table;
	__u32 crc = ~0u;

	for (; len >= 8; p += 8, len -= 8) {
		__u32 lo = get_le32(p) ^ crc, hi = get_le32(p + 4);

		crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^
		      t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
		      t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^
		      t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
	}
	while (len--)
		crc = (crc >> 8) ^ t[0][(crc ^ *p++) & 0xff];
	return ~crc;
}

__u32 dt_record_crc(const void *buf, size_t len)
{
	return crc32c(buf, len);
}

/* --- payload layouts (see the top of this file) ------------------------ */

enum {
	HD_ZERO_PFN = 0, HD_HUGE_ZERO_PFN = 8, HD_START_MONO = 16,
	HD_START_REAL = 24, HD_EXACT = 32, HD_STRINGS = 33,
	HD_MAX = HD_STRINGS + (1 + 64) + (1 + 36) + 4 +
		 DT_RECORD_MAX_PROBES * ((1 + 31) + (1 + 63)) + 2,
};

enum {
	EV_TS = 0, EV_LATENCY = 8, EV_INO = 16, EV_PGOFF = 24, EV_ADDRESS = 32,
	EV_VM_FLAGS = 40, EV_ORIG = 48, EV_BEFORE = 56, EV_AFTER = 64,
	EV_REQ_PFN = 72, EV_PID = 80, EV_TID = 84, EV_DEV = 88,
	EV_FAULT_FLAGS = 92, EV_RESULT = 96, EV_SEEN = 100, EV_INSERTS = 104,
	EV_SIZE = 106, EV_COMM = 107, EV_FALLBACK = EV_COMM + DT_COMM_LEN,
	EV_FORENSICS = EV_FALLBACK + 1, EV_END = EV_FORENSICS + 4,
};

enum {
	FO_TS = 0, FO_TID = 8, FO_NFRAMES = 12, FO_STRINGS = 13,
	FO_MAX = FO_STRINGS + (2 + DT_STACK_DEPTH) * DT_SYM_LEN + DT_FILE_LEN,
};

enum {
	PR_TS = 0, PR_KIND = 8, PR_PID = 12, PR_PPID = 16, PR_PATH = 20,
	PR_MAX = PR_PATH + 1 + DT_PROC_PATH_LEN - 1,
};

enum {
	DD_DEV = 0, DD_ALIGN = 4, DD_SIZE = 12, DD_NAME = 20,
	DD_MAX = DD_NAME + DT_DEVDAX_NAME_LEN,
};

enum {
	TR_EVENTS = 0, TR_LOST = 8, TR_STALE = 16, TR_UNTRACKED = 24,
	TR_END_MONO = 32, TR_UNTRACED = 40, TR_END = 48,
};

_Static_assert(EV_END == DT_RECORD_EVENT_LEN, "event layout");
_Static_assert(TR_END == DT_RECORD_TRAILER_LEN, "trailer layout");
_Static_assert(sizeof(DT_RECORD_MAGIC) - 1 == 8, "magic is 8 bytes");

/* --- writer -------------------------------------------------------------- */

static int write_all(FILE *f, const void *buf, size_t n)
{
	errno = 0;
	if (fwrite(buf, 1, n, f) == n)
		return 0;
	if (!errno)
		errno = EIO;
	return -1;
}

/* rec holds the payload at rec + 8 and room for the CRC after it */
static int write_record(FILE *f, unsigned char *rec, __u32 type, size_t len)
{
	put_le32(rec, type);
	put_le32(rec + 4, len);
	put_le32(rec + 8 + len, crc32c(rec, 8 + len));
	return write_all(f, rec, DT_RECORD_FRAME_LEN + len);
}

/* bounded by the reader's limit, so whatever we write reads back */
static size_t put_str(unsigned char *p, const char *s, size_t size)
{
	size_t n = strnlen(s, size - 1);

	p[0] = n;
	memcpy(p + 1, s, n);
	return 1 + n;
}

int dt_record_write_header(FILE *f, const struct dt_record_header *h)
{
	unsigned char prefix[DT_RECORD_PREFIX_LEN];
	unsigned char rec[DT_RECORD_FRAME_LEN + HD_MAX];
	unsigned char *p = rec + 8;
	size_t n = HD_STRINGS;

	if (h->nprobes > DT_RECORD_MAX_PROBES) {
		errno = EINVAL;
		return -1;
	}
	memcpy(prefix, DT_RECORD_MAGIC, 8);
	put_le16(prefix + 8, DT_RECORD_VERSION);
	put_le16(prefix + 10, DT_RECORD_MINOR);

	put_le64(p + HD_ZERO_PFN, h->zero_pfn);
	put_le64(p + HD_HUGE_ZERO_PFN, h->huge_zero_pfn);
	put_le64(p + HD_START_MONO, h->start_mono_ns);
	put_le64(p + HD_START_REAL, h->start_real_ns);
	p[HD_EXACT] = h->exact;
	n += put_str(p + n, h->kernel, sizeof(h->kernel));
	n += put_str(p + n, h->boot_id, sizeof(h->boot_id));
	put_le32(p + n, h->nprobes);
	n += 4;
	for (__u32 i = 0; i < h->nprobes; i++) {
		n += put_str(p + n, h->probes[i].name, sizeof(h->probes[i].name));
		n += put_str(p + n, h->probes[i].how, sizeof(h->probes[i].how));
	}
	p[n++] = h->era;
	p[n++] = h->layout;
	if (write_all(f, prefix, sizeof(prefix)))
		return -1;
	return write_record(f, rec, DT_REC_HEADER, n);
}

int dt_record_write_proc(FILE *f, const struct dt_proc_event *pe)
{
	unsigned char rec[DT_RECORD_FRAME_LEN + PR_MAX];
	unsigned char *p = rec + 8;
	char path[DT_PROC_PATH_LEN];
	size_t n;

	put_le64(p + PR_TS, pe->ts_ns);
	put_le32(p + PR_KIND, pe->kind);
	put_le32(p + PR_PID, pe->pid);
	put_le32(p + PR_PPID, pe->ppid);
	/* the kernel's string may fill the field: bound it here */
	memcpy(path, pe->path, sizeof(path));
	path[sizeof(path) - 1] = '\0';
	n = PR_PATH + put_str(p + PR_PATH, path, sizeof(path));
	return write_record(f, rec, DT_REC_PROC, n);
}

int dt_record_write_devdax(FILE *f, const struct dt_devdax_dev *d)
{
	unsigned char rec[DT_RECORD_FRAME_LEN + DD_MAX];
	unsigned char *p = rec + 8;
	size_t n;

	put_le32(p + DD_DEV, d->dev);
	put_le64(p + DD_ALIGN, d->geom.align);
	put_le64(p + DD_SIZE, d->geom.size);
	n = DD_NAME + put_str(p + DD_NAME, d->name, sizeof(d->name));
	return write_record(f, rec, DT_REC_DEVDAX, n);
}

int dt_record_write_event(FILE *f, const struct dt_event *ev)
{
	unsigned char rec[DT_RECORD_FRAME_LEN + DT_RECORD_EVENT_LEN];
	unsigned char *p = rec + 8;

	put_le64(p + EV_TS, ev->ts_ns);
	put_le64(p + EV_LATENCY, ev->latency_ns);
	put_le64(p + EV_INO, ev->ino);
	put_le64(p + EV_PGOFF, ev->pgoff);
	put_le64(p + EV_ADDRESS, ev->address);
	put_le64(p + EV_VM_FLAGS, ev->vm_flags);
	put_le64(p + EV_ORIG, ev->orig);
	put_le64(p + EV_BEFORE, ev->before);
	put_le64(p + EV_AFTER, ev->after);
	put_le64(p + EV_REQ_PFN, ev->req_pfn);
	put_le32(p + EV_PID, ev->pid);
	put_le32(p + EV_TID, ev->tid);
	put_le32(p + EV_DEV, ev->dev);
	put_le32(p + EV_FAULT_FLAGS, ev->fault_flags);
	put_le32(p + EV_RESULT, ev->result);
	put_le32(p + EV_SEEN, ev->seen);
	put_le16(p + EV_INSERTS, ev->inserts);
	p[EV_SIZE] = ev->size;
	/* the kernel's comm is NUL-terminated; keep the file's so too */
	memcpy(p + EV_COMM, ev->comm, DT_COMM_LEN - 1);
	p[EV_COMM + DT_COMM_LEN - 1] = '\0';
	p[EV_FALLBACK] = ev->pmd_fallback;
	put_le32(p + EV_FORENSICS, ev->forensics);
	return write_record(f, rec, DT_REC_EVENT, DT_RECORD_EVENT_LEN);
}

int dt_record_write_forensics(FILE *f, const struct dt_forensics *fo)
{
	unsigned char rec[DT_RECORD_FRAME_LEN + FO_MAX];
	unsigned char *p = rec + 8;
	__u32 nframes = fo->nframes < DT_STACK_DEPTH ? fo->nframes : DT_STACK_DEPTH;
	size_t n = FO_STRINGS;

	put_le64(p + FO_TS, fo->ts_ns);
	put_le32(p + FO_TID, fo->tid);
	p[FO_NFRAMES] = nframes;
	n += put_str(p + n, fo->pfn_mkwrite, sizeof(fo->pfn_mkwrite));
	n += put_str(p + n, fo->fault, sizeof(fo->fault));
	for (__u32 i = 0; i < nframes; i++)
		n += put_str(p + n, fo->frames[i], sizeof(fo->frames[i]));
	n += put_str(p + n, fo->file, sizeof(fo->file));
	return write_record(f, rec, DT_REC_FORENSICS, n);
}

int dt_record_write_trailer(FILE *f, const struct dt_record_trailer *t)
{
	unsigned char rec[DT_RECORD_FRAME_LEN + DT_RECORD_TRAILER_LEN];
	unsigned char *p = rec + 8;

	put_le64(p + TR_EVENTS, t->events);
	put_le64(p + TR_LOST, t->lost);
	put_le64(p + TR_STALE, t->stale);
	put_le64(p + TR_UNTRACKED, t->untracked);
	put_le64(p + TR_END_MONO, t->end_mono_ns);
	put_le64(p + TR_UNTRACED, t->untraced_children);
	return write_record(f, rec, DT_REC_TRAILER, DT_RECORD_TRAILER_LEN);
}

/* --- reader -------------------------------------------------------------- */

__attribute__((format(printf, 4, 5)))
static int fail(struct dt_record_reader *r, char *err, size_t errlen,
		const char *fmt, ...)
{
	va_list ap;

	r->failed = true;
	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* with a trailing space, for "truncated event record" */
static const char *type_name(__u32 type)
{
	switch (type) {
	case DT_REC_HEADER:
		return "header ";
	case DT_REC_EVENT:
		return "event ";
	case DT_REC_TRAILER:
		return "trailer ";
	}
	return "";
}

/* fewer bytes left at r->off than the record there claims */
static int truncated(struct dt_record_reader *r, char *err, size_t errlen)
{
	size_t at = r->off, left = r->len - at;
	const unsigned char *p = r->buf + at;
	const char *what = left >= 4 ? type_name(get_le32(p)) : "";

	if (left < 8)
		return fail(r, err, errlen,
			    "truncated %srecord at offset %zu (needs at least %d bytes, %zu left)",
			    what, at, DT_RECORD_FRAME_LEN, left);
	return fail(r, err, errlen,
		    "truncated %srecord at offset %zu (needs %llu bytes, %zu left)",
		    what, at, (unsigned long long)get_le32(p + 4) + DT_RECORD_FRAME_LEN,
		    left);
}

struct frame {
	__u32 type, len;
	const unsigned char *payload;
	size_t at;		/* file offset of the record */
};

/* 1: the record at r->off is whole and its CRC matches; 0: no bytes left */
static inline int take_frame(struct dt_record_reader *r, struct frame *f,
			     char *err, size_t errlen)
{
	size_t left = r->len - r->off;
	const unsigned char *p = r->buf + r->off;

	if (left < DT_RECORD_FRAME_LEN)
		return left ? truncated(r, err, errlen) : 0;
	f->type = get_le32(p);
	f->len = get_le32(p + 4);
	if (f->len > left - DT_RECORD_FRAME_LEN)
		return truncated(r, err, errlen);
	if (crc32c(p, 8 + f->len) != get_le32(p + 8 + f->len))
		return fail(r, err, errlen, "bad checksum in record at offset %zu",
			    r->off);
	f->payload = p + 8;
	f->at = r->off;
	return 1;
}

static void skip_frame(struct dt_record_reader *r, const struct frame *f)
{
	r->off = f->at + DT_RECORD_FRAME_LEN + f->len;
}

/* Header fields are variable: walk them with a bounds-checked cursor. */
struct cursor {
	const unsigned char *p, *end;
	size_t off;		/* file offset of p */
};

static const unsigned char *take(struct cursor *c, size_t n)
{
	const unsigned char *p = c->p;

	if ((size_t)(c->end - c->p) < n)
		return NULL;
	c->p += n;
	c->off += n;
	return p;
}

static int header_short(struct dt_record_reader *r, const struct frame *f,
			const struct cursor *c, const char *what,
			char *err, size_t errlen)
{
	return fail(r, err, errlen,
		    "%s record at offset %zu ends inside %s at offset %zu",
		    f->type == DT_REC_PROC ? "process" : "header", f->at, what,
		    c->off);
}

static int read_str(struct dt_record_reader *r, const struct frame *f,
		    struct cursor *c, char *dst, size_t size, const char *what,
		    char *err, size_t errlen)
{
	size_t at = c->off;
	const unsigned char *n = take(c, 1), *s;

	if (!n)
		return header_short(r, f, c, what, err, errlen);
	if (*n > size - 1)
		return fail(r, err, errlen, "%s too long (%u bytes, max %zu) at offset %zu",
			    what, *n, size - 1, at);
	s = take(c, *n);
	if (!s)
		return header_short(r, f, c, what, err, errlen);
	if (memchr(s, '\0', *n))
		return fail(r, err, errlen, "NUL byte inside %s at offset %zu",
			    what, at);
	memcpy(dst, s, *n);
	dst[*n] = '\0';
	return 0;
}

static int read_probes(struct dt_record_reader *r, const struct frame *f,
		       struct cursor *c, struct dt_record_header *h,
		       char *err, size_t errlen)
{
	size_t at = c->off;
	const unsigned char *p = take(c, 4);
	char what[32];

	if (!p)
		return header_short(r, f, c, "nprobes", err, errlen);
	h->nprobes = get_le32(p);
	if (h->nprobes > DT_RECORD_MAX_PROBES)
		return fail(r, err, errlen, "too many probes (%u, max %d) at offset %zu",
			    h->nprobes, DT_RECORD_MAX_PROBES, at);
	for (__u32 i = 0; i < h->nprobes; i++) {
		struct dt_record_probe *pr = &h->probes[i];

		snprintf(what, sizeof(what), "probe %u name", i);
		if (read_str(r, f, c, pr->name, sizeof(pr->name), what, err, errlen))
			return -1;
		snprintf(what, sizeof(what), "probe %u how", i);
		if (read_str(r, f, c, pr->how, sizeof(pr->how), what, err, errlen))
			return -1;
	}
	return 0;
}

static int read_header(struct dt_record_reader *r, const struct frame *f,
		       struct dt_record_header *h, char *err, size_t errlen)
{
	struct cursor c = { f->payload, f->payload + f->len, f->at + 8 };
	const unsigned char *p = take(&c, HD_STRINGS);

	if (!p)
		return fail(r, err, errlen,
			    "short header record at offset %zu (%u byte payload, needs at least %d)",
			    f->at, f->len, HD_STRINGS);
	h->zero_pfn = get_le64(p + HD_ZERO_PFN);
	h->huge_zero_pfn = get_le64(p + HD_HUGE_ZERO_PFN);
	h->start_mono_ns = get_le64(p + HD_START_MONO);
	h->start_real_ns = get_le64(p + HD_START_REAL);
	if (p[HD_EXACT] > 1)
		return fail(r, err, errlen, "bad exact flag %u at offset %zu",
			    p[HD_EXACT], f->at + 8 + HD_EXACT);
	h->exact = p[HD_EXACT];
	if (read_str(r, f, &c, h->kernel, sizeof(h->kernel), "kernel", err, errlen) ||
	    read_str(r, f, &c, h->boot_id, sizeof(h->boot_id), "boot_id", err, errlen))
		return -1;
	if (read_probes(r, f, &c, h, err, errlen))
		return -1;
	/* minor 2: the insert path and the PTE layout; older files lack them */
	h->era = DT_ERA_UNKNOWN;
	h->layout = DT_PTE_UNKNOWN;
	if (r->minor < 2)
		return 0;
	p = take(&c, 2);
	if (!p)
		return header_short(r, f, &c, "era and PTE layout", err, errlen);
	if (p[0] > DT_ERA_PAGE || p[1] >= DT_PTE_LAYOUTS)
		return fail(r, err, errlen, "bad era %u or PTE layout %u at offset %zu",
			    p[0], p[1], c.off - 2);
	h->era = p[0];
	h->layout = p[1];
	h->era_recorded = true;
	/* bytes after these belong to a newer minor version */
	return 0;
}

int dt_record_open(struct dt_record_reader *r, const void *buf, size_t len,
		   struct dt_record_header *h, char *err, size_t errlen)
{
	struct frame f = { 0 };
	__u16 major;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(h, 0, sizeof(*h));
	r->buf = buf;
	r->len = len;
	if (!len || memcmp(buf, DT_RECORD_MAGIC, len < 8 ? len : 8))
		return fail(r, err, errlen,
			    "not a daxtrace recording (bad magic at offset 0)");
	if (len < DT_RECORD_PREFIX_LEN)
		return fail(r, err, errlen,
			    "truncated file header at offset 0 (needs %d bytes, %zu left)",
			    DT_RECORD_PREFIX_LEN, len);
	major = get_le16(r->buf + 8);
	if (major != DT_RECORD_VERSION)
		return fail(r, err, errlen,
			    "unsupported format version %u at offset 8 (this daxtrace reads version %d)",
			    major, DT_RECORD_VERSION);
	r->minor = get_le16(r->buf + 10);
	r->off = DT_RECORD_PREFIX_LEN;

	rc = take_frame(r, &f, err, errlen);
	if (rc < 0)
		return -1;
	if (!rc)
		return fail(r, err, errlen,
			    "recording ends at offset %zu before its header record",
			    r->off);
	if (f.type != DT_REC_HEADER)
		return fail(r, err, errlen,
			    "expected a header record at offset %zu, found type %#x",
			    f.at, f.type);
	if (read_header(r, &f, h, err, errlen))
		return -1;
	h->version = major;
	skip_frame(r, &f);
	return 0;
}

static void decode_event(const unsigned char *p, __u32 len, struct dt_event *ev)
{
	ev->ts_ns = get_le64(p + EV_TS);
	ev->latency_ns = get_le64(p + EV_LATENCY);
	ev->ino = get_le64(p + EV_INO);
	ev->pgoff = get_le64(p + EV_PGOFF);
	ev->address = get_le64(p + EV_ADDRESS);
	ev->vm_flags = get_le64(p + EV_VM_FLAGS);
	ev->orig = get_le64(p + EV_ORIG);
	ev->before = get_le64(p + EV_BEFORE);
	ev->after = get_le64(p + EV_AFTER);
	ev->req_pfn = get_le64(p + EV_REQ_PFN);
	ev->pid = get_le32(p + EV_PID);
	ev->tid = get_le32(p + EV_TID);
	ev->dev = get_le32(p + EV_DEV);
	ev->fault_flags = get_le32(p + EV_FAULT_FLAGS);
	ev->result = get_le32(p + EV_RESULT);
	ev->seen = get_le32(p + EV_SEEN);
	ev->inserts = get_le16(p + EV_INSERTS);
	ev->size = p[EV_SIZE];
	/* minor 3 and before: no reason, 0 is unknown */
	ev->pmd_fallback = len > EV_FALLBACK ? p[EV_FALLBACK] : 0;
	/* minor 4 and before: no forensics record went before it */
	ev->forensics = len >= EV_END ? get_le32(p + EV_FORENSICS) : 0;
	memcpy(ev->comm, p + EV_COMM, DT_COMM_LEN);
}

static int read_event(struct dt_record_reader *r, const struct frame *f,
		      struct dt_event *ev, char *err, size_t errlen)
{
	if (f->len < DT_RECORD_EVENT_MIN)
		return fail(r, err, errlen,
			    "short event record at offset %zu (%u byte payload, needs %d)",
			    f->at, f->len, DT_RECORD_EVENT_MIN);
	if (f->payload[EV_COMM + DT_COMM_LEN - 1])
		return fail(r, err, errlen,
			    "unterminated comm in event record at offset %zu",
			    f->at);
	decode_event(f->payload, f->len, ev);
	r->events_read++;
	skip_frame(r, f);
	return 1;
}

static int read_trailer(struct dt_record_reader *r, const struct frame *f,
			char *err, size_t errlen)
{
	const unsigned char *p = f->payload;
	struct dt_record_trailer *t = &r->trailer;

	if (f->len < DT_RECORD_TRAILER_MIN)
		return fail(r, err, errlen,
			    "short trailer record at offset %zu (%u byte payload, needs %d)",
			    f->at, f->len, DT_RECORD_TRAILER_MIN);
	t->events = get_le64(p + TR_EVENTS);
	t->lost = get_le64(p + TR_LOST);
	t->stale = get_le64(p + TR_STALE);
	t->untracked = get_le64(p + TR_UNTRACKED);
	t->end_mono_ns = get_le64(p + TR_END_MONO);
	t->untraced_children = f->len >= TR_END ? get_le64(p + TR_UNTRACED) : 0;
	if (t->events != r->events_read)
		return fail(r, err, errlen,
			    "trailer at offset %zu counts %llu events, but %llu were read",
			    f->at, t->events, r->events_read);
	skip_frame(r, f);
	if (r->off != r->len)
		return fail(r, err, errlen,
			    "%zu bytes of unexpected data after the trailer, at offset %zu",
			    r->len - r->off, r->off);
	r->done = true;
	return 0;
}

static int read_proc(struct dt_record_reader *r, const struct frame *f,
		     char *err, size_t errlen)
{
	struct cursor c = { f->payload, f->payload + f->len, f->at + 8 };
	const unsigned char *p = take(&c, PR_PATH);
	struct dt_proc_event *pe = &r->proc;

	if (!p)
		return fail(r, err, errlen,
			    "short process record at offset %zu (%u byte payload, needs %d)",
			    f->at, f->len, PR_PATH + 1);
	memset(pe, 0, sizeof(*pe));
	pe->ts_ns = get_le64(p + PR_TS);
	pe->kind = get_le32(p + PR_KIND);
	pe->pid = get_le32(p + PR_PID);
	pe->ppid = get_le32(p + PR_PPID);
	if (pe->kind != DT_PROC_FORK && pe->kind != DT_PROC_EXEC)
		return fail(r, err, errlen, "bad process event kind %u at offset %zu",
			    pe->kind, f->at + 8 + PR_KIND);
	if (read_str(r, f, &c, pe->path, sizeof(pe->path), "path", err, errlen))
		return -1;
	skip_frame(r, f);
	return 2;
}

static int read_forensics(struct dt_record_reader *r, const struct frame *f,
			  char *err, size_t errlen)
{
	struct cursor c = { f->payload, f->payload + f->len, f->at + 8 };
	const unsigned char *p = take(&c, FO_STRINGS);
	struct dt_forensics *fo = &r->forensics;

	if (!p)
		return fail(r, err, errlen,
			    "short forensics record at offset %zu (%u byte payload, needs %d)",
			    f->at, f->len, FO_STRINGS + 2);
	memset(fo, 0, sizeof(*fo));
	fo->ts_ns = get_le64(p + FO_TS);
	fo->tid = get_le32(p + FO_TID);
	fo->nframes = p[FO_NFRAMES];
	if (fo->nframes > DT_STACK_DEPTH)
		return fail(r, err, errlen, "%u stack frames at offset %zu (at most %d)",
			    fo->nframes, f->at + 8 + FO_NFRAMES, DT_STACK_DEPTH);
	if (read_str(r, f, &c, fo->pfn_mkwrite, sizeof(fo->pfn_mkwrite), "pfn_mkwrite", err, errlen) ||
	    read_str(r, f, &c, fo->fault, sizeof(fo->fault), "fault", err, errlen))
		return -1;
	for (__u32 i = 0; i < fo->nframes; i++)
		if (read_str(r, f, &c, fo->frames[i], sizeof(fo->frames[i]), "stack frame",
			     err, errlen))
			return -1;
	/* minor 6: the file; a minor 5 record ends with the frames */
	if (c.p < c.end && read_str(r, f, &c, fo->file, sizeof(fo->file), "file",
				    err, errlen))
		return -1;
	skip_frame(r, f);
	return 3;
}

static int read_devdax(struct dt_record_reader *r, const struct frame *f,
		       char *err, size_t errlen)
{
	struct cursor c = { f->payload, f->payload + f->len, f->at + 8 };
	const unsigned char *p = take(&c, DD_NAME);
	struct dt_devdax_dev *d = &r->devdax;

	if (!p)
		return fail(r, err, errlen,
			    "short device-DAX record at offset %zu (%u byte payload, needs %d)",
			    f->at, f->len, DD_NAME + 1);
	memset(d, 0, sizeof(*d));
	d->dev = get_le32(p + DD_DEV);
	d->geom.align = get_le64(p + DD_ALIGN);
	d->geom.size = get_le64(p + DD_SIZE);
	if (d->geom.align & (d->geom.align - 1))
		return fail(r, err, errlen,
			    "device-DAX alignment %#llx at offset %zu is no power of two",
			    (unsigned long long)d->geom.align, f->at + 8 + DD_ALIGN);
	if (read_str(r, f, &c, d->name, sizeof(d->name), "device name", err, errlen))
		return -1;
	skip_frame(r, f);
	return 4;
}

int dt_record_next(struct dt_record_reader *r, struct dt_event *ev,
		   char *err, size_t errlen)
{
	struct frame f = { 0 };
	int rc;

	if (r->done)
		return 0;
	if (r->failed)
		return fail(r, err, errlen,
			    "reading stopped at offset %zu by an earlier error",
			    r->off);
	for (;;) {
		rc = take_frame(r, &f, err, errlen);
		if (rc < 0)
			return -1;
		if (!rc)
			return fail(r, err, errlen,
				    "recording ends at offset %zu without a trailer, after %llu events (cut short?)",
				    r->off, r->events_read);
		switch (f.type) {
		case DT_REC_EVENT:
			return read_event(r, &f, ev, err, errlen);
		case DT_REC_PROC:
			if (!r->want_procs)
				break;
			return read_proc(r, &f, err, errlen);
		case DT_REC_FORENSICS:
			if (!r->want_forensics)
				break;
			return read_forensics(r, &f, err, errlen);
		case DT_REC_DEVDAX:
			if (!r->want_devdax)
				break;
			return read_devdax(r, &f, err, errlen);
		case DT_REC_TRAILER:
			return read_trailer(r, &f, err, errlen);
		case DT_REC_HEADER:
			return fail(r, err, errlen,
				    "second header record at offset %zu", f.at);
		}
		if (!(f.type & DT_REC_SKIPPABLE))
			return fail(r, err, errlen,
				    "unknown record type %#x at offset %zu",
				    f.type, f.at);
		skip_frame(r, &f);
	}
}
