// SPDX-License-Identifier: GPL-2.0
/*
 * The PMD fallback reasons, from any facts and any record: the decision
 * (include/dt_fallback.h) always names a reason, the tracepoint's own
 * checks never depend on the optional probes, and a reason byte of any
 * value prints, counts and matches rules without going out of bounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fallback.h"
#include "format.h"
#include "hints.h"
#include "rules.h"
#include "summary.h"

#define ASSERT(c) do { if (!(c)) { fprintf(stderr, "fuzz_fallback: %s\n", #c); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const forbid[] = { "pmd_fallback.storage_misaligned" };
	static const char *const expect[] = { "pmd_fallback=0" };
	struct dt_pmd_facts p, none;
	struct dt_summary s = { 0 };
	struct dt_classify_ctx cx = { .exact = true };
	struct dt_event ev = { 0 };
	struct dt_verdict v;
	struct dt_rules rs;
	enum dt_fallback r;
	char err[128], *buf = NULL;
	size_t len = 0;
	FILE *out;

	if (size < sizeof(p) + sizeof(ev))
		return 0;
	memcpy(&p, data, sizeof(p));
	memcpy(&ev, data + sizeof(p), sizeof(ev));
	r = dt_fallback_reason(&p);
	ASSERT((unsigned int)r < DT_FB_MAX);
	ASSERT(strcmp(dt_fallback_name(r), "?"));
	ASSERT(dt_fallback_hint(r));
	/* the first four checks are the tracepoint's: no probe changes them */
	none = p;
	none.have = 0;
	if (r <= DT_FB_PAST_EOF)
		ASSERT(dt_fallback_reason(&none) == r);
	else
		ASSERT(dt_fallback_reason(&none) == DT_FB_UNKNOWN);

	dt_classify(&ev, &cx, &v);
	dt_summary_add(&s, &ev, &v);
	ASSERT(s.pmd_fallbacks == (dt_fallback_of(&ev) >= 0));
	ASSERT(dt_rules_init(&rs, forbid, 1, expect, 1, err, sizeof(err)) == 0);
	ASSERT(dt_rules_offends(&rs, &ev, &v) ==
	       (dt_fallback_of(&ev) == DT_FB_STORAGE_MISALIGNED ||
		v.cls == DT_CLASS_TWO_STEP || v.mismatch == DT_MISMATCH_UNEXPECTED));
	dt_rules_finish(&rs, &s, true);
	out = open_memstream(&buf, &len);
	dt_format_json(out, &ev, &v, &cx);
	dt_hints_print(out, s.fallback);
	fclose(out);
	ASSERT(strstr(buf, "\"pmd_fallback\":"));
	free(buf);
	return 0;
}
