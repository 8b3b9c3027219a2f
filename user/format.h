/* SPDX-License-Identifier: GPL-2.0 */
/* One fault as a text line or an NDJSON object. */
#ifndef DT_FORMAT_H
#define DT_FORMAT_H

#include <stdio.h>
#include "classify.h"

void dt_format_text_header(FILE *out);
void dt_format_text(FILE *out, const struct dt_event *ev,
		    const struct dt_verdict *v, const struct dt_classify_ctx *cx,
		    __u64 t0_ns);
/*
 * The longest record: every number at its widest, every comm byte escaped
 * and device-DAX name as \u00XX, the longest names (test_json_longest
 * writes it out; fuzz/json checks no line is longer).  The line buffer
 * leaves 695 bytes for new fields and outbuf.h's OB_SLACK.
 */
#define DT_JSON_LONGEST		1353
#define DT_JSON_LINE_MAX	2048

/*
 * The record's NDJSON line, newline included, at @p (DT_JSON_LINE_MAX
 * bytes of room); returns its end.  No I/O: the caller batches lines.
 */
char *dt_json_line(char *p, const struct dt_event *ev,
		   const struct dt_verdict *v, const struct dt_classify_ctx *cx);
/*
 * The members from "pid" to "ino" of the last record written with it,
 * copied into the next record when its task and file are the same: most
 * records repeat them.  Zeroed: nothing known.
 */
struct dt_json_memo {
	__u32 pid, tid, dev;
	__u64 ino;
	char comm[DT_COMM_LEN];
	unsigned int len;	/* of text; 0 when empty */
	char text[256];
};

/* dt_json_line(), and @m (NULL: none) remembers for the next record */
char *dt_json_line_memo(char *p, const struct dt_event *ev,
			const struct dt_verdict *v,
			const struct dt_classify_ctx *cx, struct dt_json_memo *m);
void dt_format_json(FILE *out, const struct dt_event *ev,
		    const struct dt_verdict *v, const struct dt_classify_ctx *cx);
/* "pwdysmz" style flags: one letter per set bit, '-' otherwise. */
void dt_entry_flags(const struct dt_entry *e, char buf[8]);

#endif
