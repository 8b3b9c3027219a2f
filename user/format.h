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
void dt_format_json(FILE *out, const struct dt_event *ev,
		    const struct dt_verdict *v, const struct dt_classify_ctx *cx);
/* "pwdysmz" style flags: one letter per set bit, '-' otherwise. */
void dt_entry_flags(const struct dt_entry *e, char buf[8]);

#endif
