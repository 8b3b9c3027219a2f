// SPDX-License-Identifier: GPL-2.0
/*
 * The NDJSON writer on arbitrary records: the bytes of the input are the
 * record, the layout, the zero PFNs, a made-up verdict and a device-DAX
 * device of the record's number (its name any 31 bytes).  It must write
 * within its buffer (ASan), never more than the longest line, and the very
 * bytes of the writer it replaced (tests/unit/json_ref.h), with and without
 * the memo of the input before.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "format.h"
#include "json_ref.h"

static struct dt_json_memo memo;
static struct dt_devdax_devs devs;

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct dt_classify_ctx cx = { 0 };
	struct dt_event ev = { 0 };
	struct dt_verdict v = { 0 };
	unsigned char knobs[64] = { 0 };
	char *want = malloc(DT_JSON_LINE_MAX), *got = malloc(DT_JSON_LINE_MAX);
	size_t n, m, k;

	if (!want || !got)
		abort();
	memcpy(&ev, data, size < sizeof(ev) ? size : sizeof(ev));
	if (size > sizeof(ev))
		memcpy(knobs, data + sizeof(ev),
		       size - sizeof(ev) < sizeof(knobs) ? size - sizeof(ev) : sizeof(knobs));
	cx.layout = knobs[0] % 3;
	cx.exact = knobs[1] & 1;
	memcpy(&cx.zero.pte, knobs + 8, 8);
	memcpy(&cx.zero.pmd, knobs + 16, 8);
	devs.n = 0;
	if (knobs[7] & 1) {
		struct dt_devdax_dev d = { .dev = ev.dev };

		memcpy(d.name, knobs + 24, sizeof(d.name) - 1);
		memcpy(&d.geom.align, knobs + 56, 8);
		dt_devdax_add(&devs, &d);
	}
	cx.devdax = &devs;
	if (knobs[2] & 1) {
		dt_classify(&ev, &cx, &v);
		v.devdax_why = dt_devdax_why(&ev, devs.n ? &devs.v[0].geom : NULL);
	} else {
		v.cls = knobs[3] % DT_CLASS_MAX;
		v.mismatch = knobs[4] % DT_MISMATCH_MAX;
		v.violation = knobs[5] & 1;
		v.inferred = knobs[6] & 1;
		v.devdax_why = (knobs[6] >> 1) % DT_DD_MAX;
	}
	n = ref_format_json(want, &ev, &v, &cx);
	m = dt_json_line(got, &ev, &v, &cx) - got;
	if (m != n || memcmp(got, want, n)) {
		fprintf(stderr, "fuzz_json: differs\ngot:  %.*swant: %.*s",
			(int)m, got, (int)n, want);
		abort();
	}
	k = dt_json_line_memo(got, &ev, &v, &cx, &memo) - got;
	if (k != n || memcmp(got, want, n)) {
		fprintf(stderr, "fuzz_json: differs with the memo\ngot:  %.*swant: %.*s",
			(int)k, got, (int)n, want);
		abort();
	}
	/* test_json_longest writes the longest line out */
	if (n > DT_JSON_LONGEST) {
		fprintf(stderr, "fuzz_json: a line of %zu bytes\n", n);
		abort();
	}
	free(want);
	free(got);
	return 0;
}
