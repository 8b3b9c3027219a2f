// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the seed recordings in tests/fuzz/corpus: small, and between them
 * reaching every record type, the forward-compatible paths and the common
 * errors, so the fuzzer starts past the magic and the checksums.
 *
 *	build/tests/make_corpus tests/fuzz/corpus
 */
#include <stdlib.h>
#include <string.h>
#include "record.h"

static struct dt_record_header header(__u32 nprobes)
{
	struct dt_record_header h = {
		.kernel = "6.1.0-18-amd64",
		.boot_id = "0f3a9c1e-5b7d-4e2f-8a6c-1d2e3f4a5b6c",
		.zero_pfn = 0x2f00, .huge_zero_pfn = 0x3400, .exact = true,
		.start_mono_ns = 1000000000, .start_real_ns = 1700000000000000000ULL,
		.nprobes = nprobes,
		.probes = {
			{ "insert_pfn", "kprobe" },
			{ "dax_pte_fault", "raw_tracepoint" },
			{ "wp_page_reuse", "unavailable: function not found" },
		},
		.era = 2, .layout = 2,	/* page era, nodevmap (minor 2) */
	};
	return h;
}

static struct dt_event event(unsigned int i)
{
	struct dt_event e = {
		.ts_ns = 1000000000 + i * 1000, .latency_ns = 2500,
		.ino = 12, .pgoff = i, .address = 0x7f0000000000ULL + (i << 12),
		.vm_flags = 0xfb, .after = (0x12345ULL + i) << 12 | 0x263,
		.req_pfn = 0x12345 + i, .pid = 42, .tid = 42, .dev = 259 << 20,
		.fault_flags = 1, .result = 0x100, .seen = 0x101f, .inserts = 1,
		.size = i & 1, .comm = "workload",
	};
	return e;
}

/* header, n events, and a trailer counting `claim` (none if negative) */
static char *recording(__u32 nprobes, unsigned int n, long claim, size_t *len)
{
	struct dt_record_header h = header(nprobes);
	struct dt_record_trailer t = { .events = claim, .lost = 1, .stale = 2,
				       .untracked = 3, .end_mono_ns = 2000000000 };
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	dt_record_write_header(f, &h);
	for (unsigned int i = 0; i < n; i++) {
		struct dt_event e = event(i);

		dt_record_write_event(f, &e);
	}
	if (claim >= 0)
		dt_record_write_trailer(f, &t);
	fclose(f);
	return buf;
}

static void put_le32(FILE *f, __u32 v)
{
	unsigned char le[4] = { v, v >> 8, v >> 16, v >> 24 };

	fwrite(le, 1, 4, f);
}

/* payload of len bytes, zero-extended to len + extra */
static void put_record(FILE *f, __u32 type, const void *payload, __u32 len,
		       __u32 extra)
{
	unsigned char *rec = calloc(1, 8 + len + extra);

	memcpy(rec + 8, payload, len);
	memcpy(rec, (unsigned char[]){ type, type >> 8, type >> 16, type >> 24,
				       len + extra, (len + extra) >> 8,
				       (len + extra) >> 16, (len + extra) >> 24 }, 8);
	fwrite(rec, 1, 8 + len + extra, f);
	put_le32(f, dt_record_crc(rec, 8 + len + extra));
	free(rec);
}

/*
 * What a newer minor version might write: longer payloads, a new record.
 * With all 32 probes (most unnamed) and zeroes after them, raising nprobes
 * by one bit is enough to test the bound on it.
 */
static char *future(__u32 nprobes, __u32 header_extra, size_t *len)
{
	size_t base_len;
	char *base = recording(nprobes, 1, 1, &base_len);
	const unsigned char *p = (unsigned char *)base + DT_RECORD_PREFIX_LEN;
	__u32 hlen = p[4] | p[5] << 8;
	const unsigned char *ev = p + DT_RECORD_FRAME_LEN + hlen;
	const unsigned char *tr = ev + DT_RECORD_FRAME_LEN + DT_RECORD_EVENT_LEN;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	fwrite("DAXTRACE\x01\x00\x09\x00", 1, DT_RECORD_PREFIX_LEN, f);
	put_record(f, DT_REC_HEADER, p + 8, hlen, header_extra);
	put_record(f, DT_REC_SKIPPABLE | 7, "new", 3, 0);
	put_record(f, DT_REC_EVENT, ev + 8, DT_RECORD_EVENT_LEN, 8);
	put_record(f, DT_REC_TRAILER, tr + 8, DT_RECORD_TRAILER_LEN, 8);
	fclose(f);
	free(base);
	return buf;
}

/* --split-exec: forks and execs among the events (minor 3) */
static char *with_procs(size_t *len)
{
	struct dt_record_header h = header(3);
	struct dt_record_trailer t = { .events = 2, .end_mono_ns = 2000000000 };
	struct dt_proc_event fork = { .ts_ns = 1, .kind = DT_PROC_FORK,
				      .pid = 43, .ppid = 42 };
	struct dt_proc_event exec = { .ts_ns = 2, .kind = DT_PROC_EXEC, .pid = 43,
				      .path = "./tests/generic/437" };
	struct dt_event e = event(0);
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	dt_record_write_header(f, &h);
	dt_record_write_proc(f, &fork);
	dt_record_write_event(f, &e);
	dt_record_write_proc(f, &exec);
	dt_record_write_event(f, &e);
	dt_record_write_trailer(f, &t);
	fclose(f);
	return buf;
}

/* device DAX: a device record ahead of its events (minor 7) */
static char *with_devdax(size_t *len)
{
	struct dt_record_header h = header(3);
	struct dt_record_trailer t = { .events = 1, .end_mono_ns = 2000000000 };
	struct dt_devdax_dev d = { .dev = 251 << 20, .name = "dax0.0",
				   .geom = { .align = 2 << 20, .size = 1ULL << 31 } };
	struct dt_event e = event(0);
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	e.dev = d.dev;
	e.seen |= DT_SEEN_DEVDAX | DT_SEEN_VMA_ALIGN;
	dt_record_write_header(f, &h);
	dt_record_write_devdax(f, &d);
	dt_record_write_event(f, &e);
	dt_record_write_trailer(f, &t);
	fclose(f);
	return buf;
}

static int save(const char *dir, const char *name, char *buf, size_t len)
{
	char path[4096];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		free(buf);
		return 1;
	}
	ok = fwrite(buf, 1, len, f) == len;
	ok &= !fclose(f);
	free(buf);
	if (!ok)
		perror(path);
	return !ok;
}

int main(int argc, char **argv)
{
	size_t len;
	char *buf;
	int bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	buf = recording(0, 0, 0, &len);
	bad |= save(argv[1], "empty.dtr", buf, len);
	buf = recording(3, 3, 3, &len);
	bad |= save(argv[1], "three-events.dtr", buf, len);
	buf = recording(3, 2, -1, &len);
	bad |= save(argv[1], "no-trailer.dtr", buf, len);
	buf = recording(1, 2, 5, &len);
	bad |= save(argv[1], "bad-count.dtr", buf, len);
	buf = future(3, 8, &len);
	bad |= save(argv[1], "future-minor.dtr", buf, len);
	buf = future(DT_RECORD_MAX_PROBES, 80, &len);
	bad |= save(argv[1], "all-probes.dtr", buf, len);
	buf = with_procs(&len);
	bad |= save(argv[1], "procs.dtr", buf, len);
	buf = with_devdax(&len);
	bad |= save(argv[1], "devdax.dtr", buf, len);
	return bad;
}
