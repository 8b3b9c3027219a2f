/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `daxtrace record -o FILE` / `daxtrace report FILE`: the recording format.
 * The on-disk layout is documented at the top of record.c.
 */
#ifndef DT_RECORD_H
#define DT_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "daxtrace.h"
#include "devdax.h"
#include "forensics.h"

/* Major version: a reader refuses any other.  Minors only add (see record.c). */
#define DT_RECORD_VERSION	1
#define DT_RECORD_MINOR		7

#define DT_RECORD_MAGIC		"DAXTRACE"	/* 8 bytes, no NUL on disk */
#define DT_RECORD_PREFIX_LEN	12	/* magic, major, minor */
#define DT_RECORD_FRAME_LEN	12	/* type, length, CRC around a payload */
#define DT_RECORD_MAX_PROBES	32

/* Record types.  Unknown types with DT_REC_SKIPPABLE set are skipped. */
#define DT_REC_HEADER		1
#define DT_REC_EVENT		2
#define DT_REC_TRAILER		3
#define DT_REC_SKIPPABLE	0x80000000u
/* minor 3: a fork or exec of --split-exec; skippable, older readers pass it */
#define DT_REC_PROC		(DT_REC_SKIPPABLE | 4)
/* minor 5: a violation's forensics, ahead of its event; skippable */
#define DT_REC_FORENSICS	(DT_REC_SKIPPABLE | 5)

/* minor 7: a device-DAX device, ahead of the first event that names it */
#define DT_REC_DEVDAX		(DT_REC_SKIPPABLE | 6)

/* Payload sizes this version writes; readers accept longer payloads. */
#define DT_RECORD_EVENT_LEN	128	/* minor 4: 124, without forensics */
#define DT_RECORD_EVENT_MIN	123	/* minor 3 and before: no pmd_fallback */
#define DT_RECORD_TRAILER_LEN	48
#define DT_RECORD_TRAILER_MIN	40	/* minor 0: no untraced_children */

struct dt_record_probe {
	char name[32];
	char how[64];	/* "kprobe", "raw_tracepoint", or "unavailable: why" */
};

struct dt_record_header {
	__u32 version;			/* major; the writer always writes its own */
	char kernel[65];		/* uname -r */
	char boot_id[37];		/* /proc/sys/kernel/random/boot_id */
	__u64 zero_pfn, huge_zero_pfn;
	bool exact;			/* classification fidelity at record time */
	__u64 start_mono_ns, start_real_ns;
	__u32 nprobes;
	struct dt_record_probe probes[DT_RECORD_MAX_PROBES];
	/* minor 2; from older files era unknown and layout unknown */
	__u8 era;			/* enum dt_era */
	__u8 layout;			/* enum dt_pte_layout */
	bool era_recorded;		/* read: the file had both */
};

struct dt_record_trailer {
	__u64 events, lost, stale, untracked, end_mono_ns;
	__u64 untraced_children;	/* minor 1; 0 when read from minor 0 */
};

/*
 * Writer: each call appends one record to f.  0, or -1 with errno set
 * (EINVAL for a header with more than DT_RECORD_MAX_PROBES probes).
 * Strings longer than their on-disk bound are cut, never overrun.
 */
int dt_record_write_header(FILE *f, const struct dt_record_header *h);
int dt_record_write_event(FILE *f, const struct dt_event *ev);
int dt_record_write_trailer(FILE *f, const struct dt_record_trailer *t);
/* A process event of --split-exec (minor 3). */
int dt_record_write_proc(FILE *f, const struct dt_proc_event *p);
/* A violation's forensics (minor 5), before the event it goes with. */
int dt_record_write_forensics(FILE *f, const struct dt_forensics *fo);
/* A device-DAX device (minor 7), before the first event of it. */
int dt_record_write_devdax(FILE *f, const struct dt_devdax_dev *d);

/*
 * Reader over a memory buffer it never writes and never reads past len.
 * O(1) memory, no allocation.  Every error message names a byte offset.
 */
struct dt_record_reader {
	const unsigned char *buf;
	size_t len, off;		/* off: next record */
	__u64 events_read;
	struct dt_record_trailer trailer;	/* valid once done */
	bool done;			/* trailer read and verified */
	bool failed;			/* an error was reported: stay failed */
	__u16 minor;			/* minor version of the file */
	/*
	 * Set by the caller: return process records (2, in *proc) instead
	 * of skipping them.
	 */
	bool want_procs;
	struct dt_proc_event proc;
	/* Set by the caller: return forensics records (3, in *forensics). */
	bool want_forensics;
	struct dt_forensics forensics;
	/* Set by the caller: return device records (4, in *devdax). */
	bool want_devdax;
	struct dt_devdax_dev devdax;
};

/* 0 with *h filled in, or -1 with a message in err. */
int dt_record_open(struct dt_record_reader *r, const void *buf, size_t len,
		   struct dt_record_header *h, char *err, size_t errlen);
/*
 * 1: *ev is the next event.  2 (only with r->want_procs): r->proc is the
 * next process event.  3 (only with r->want_forensics): r->forensics is
 * the next violation's forensics.  4 (only with r->want_devdax): r->devdax
 * is a device-DAX device the events after it name.  0: clean end: the trailer was read, its count
 * matches and nothing follows it.  -1: error in err, including a recording
 * cut short (no trailer).  After 0 or -1 every further call repeats it.
 */
int dt_record_next(struct dt_record_reader *r, struct dt_event *ev,
		   char *err, size_t errlen);

/* CRC-32C of len bytes, as the records carry it (for tests and fuzzers). */
__u32 dt_record_crc(const void *buf, size_t len);

#endif
