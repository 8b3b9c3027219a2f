/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NDJSON writer as it was before the table-driven one (commit 160e358:
 * user/outbuf.h, user/json.c, user/format.c), kept verbatim but for its
 * names, for the pmd_fallback member that came beside it (issue 15) and
 * the devdax member of a device-DAX record (issue 25):
 * test_format.c checks that the writer in use produces the very same bytes
 * as this one over many random records.  Slow on purpose: it is the
 * reference, not to be optimised.
 */
#ifndef JSON_REF_H
#define JSON_REF_H

#include <stdbool.h>
#include <string.h>
#include "classify.h"
#include "devdax.h"
#include "fallback.h"

#define REF_DEV_MAJOR(dev)	((dev) >> 20)
#define REF_DEV_MINOR(dev)	((dev) & 0xfffff)

struct ref_outbuf {
	char *p;
};

static inline void ref_ob_mem(struct ref_outbuf *b, const void *s, size_t n)
{
	memcpy(b->p, s, n);
	b->p += n;
}

/* @s must be a string literal, so that its length is a constant */
#define ref_ob_lit(b, s)	ref_ob_mem(b, "" s, sizeof(s) - 1)

static inline void ref_ob_str(struct ref_outbuf *b, const char *s)
{
	ref_ob_mem(b, s, strlen(s));
}

static inline void ref_ob_char(struct ref_outbuf *b, char c)
{
	*b->p++ = c;
}

static inline void ref_ob_bool(struct ref_outbuf *b, bool v)
{
	if (v)
		ref_ob_lit(b, "true");
	else
		ref_ob_lit(b, "false");
}

/* @v, or null when the kernel has no such field (!@known) */
static inline void ref_ob_opt_bool(struct ref_outbuf *b, bool v, bool known)
{
	if (known)
		ref_ob_bool(b, v);
	else
		ref_ob_lit(b, "null");
}

static inline char ref_ob_hex_digit(unsigned int v)
{
	return "0123456789abcdef"[v & 0xf];
}

/* As printf's "%llu" (and "%u": any unsigned value fits). */
static inline void ref_ob_u64(struct ref_outbuf *b, __u64 v)
{
	/* two digits a division: the divisions are what this costs */
	static const char pairs[] =
		"00010203040506070809" "10111213141516171819"
		"20212223242526272829" "30313233343536373839"
		"40414243444546474849" "50515253545556575859"
		"60616263646566676869" "70717273747576777879"
		"80818283848586878889" "90919293949596979899";
	unsigned int len = 1;
	char *p;

	for (__u64 pow = 10; len < 20 && v >= pow; pow *= 10)
		len++;
	b->p += len;
	p = b->p;
	for (; v >= 100; v /= 100) {
		p -= 2;
		memcpy(p, &pairs[v % 100 * 2], 2);
	}
	if (v >= 10)
		memcpy(p - 2, &pairs[v * 2], 2);
	else
		p[-1] = '0' + v;
}

/* As printf's "%llx" (and "%x"): lowercase, no leading zeros. */
static inline void ref_ob_x64(struct ref_outbuf *b, __u64 v)
{
	unsigned int len = v ? (64 - __builtin_clzll(v) + 3) / 4 : 1;

	b->p += len;
	for (char *p = b->p; len--; v >>= 4)
		*--p = ref_ob_hex_digit(v);
}

static void ref_json_char(struct ref_outbuf *b, unsigned char c)
{
	if (c == '"' || c == '\\') {
		ref_ob_char(b, '\\');
		ref_ob_char(b, c);
	} else if (c < 0x20 || c >= 0x7f) {	/* comm is not UTF-8 */
		ref_ob_lit(b, "\\u00");
		ref_ob_char(b, ref_ob_hex_digit(c >> 4));
		ref_ob_char(b, ref_ob_hex_digit(c));
	} else {
		ref_ob_char(b, c);
	}
}

static void ref_ob_json_strn(struct ref_outbuf *b, const char *s, size_t n)
{
	ref_ob_char(b, '"');
	for (size_t i = 0; i < n && s[i]; i++)
		ref_json_char(b, s[i]);
	ref_ob_char(b, '"');
}

static void ref_json_task(struct ref_outbuf *b, const struct dt_event *ev)
{
	ref_ob_lit(b, "{\"ts_ns\":");
	ref_ob_u64(b, ev->ts_ns);
	ref_ob_lit(b, ",\"pid\":");
	ref_ob_u64(b, ev->pid);
	ref_ob_lit(b, ",\"tid\":");
	ref_ob_u64(b, ev->tid);
	ref_ob_lit(b, ",\"comm\":");
	ref_ob_json_strn(b, ev->comm, sizeof(ev->comm));
	ref_ob_lit(b, ",\"dev\":\"");
	ref_ob_u64(b, REF_DEV_MAJOR(ev->dev));
	ref_ob_char(b, ':');
	ref_ob_u64(b, REF_DEV_MINOR(ev->dev));
	ref_ob_lit(b, "\",\"ino\":");
	ref_ob_u64(b, ev->ino);
	ref_ob_lit(b, ",\"pgoff\":");
	ref_ob_u64(b, ev->pgoff);
	ref_ob_lit(b, ",\"address\":\"0x");
	ref_ob_x64(b, ev->address);
	/* sizes beyond the three the kernel has are named "?", not "pte" */
	if (ev->size == DT_SIZE_PTE)
		ref_ob_lit(b, "\",\"size\":\"pte\",\"write\":");
	else if (ev->size == DT_SIZE_PMD)
		ref_ob_lit(b, "\",\"size\":\"pmd\",\"write\":");
	else if (ev->size == DT_SIZE_PUD)
		ref_ob_lit(b, "\",\"size\":\"pud\",\"write\":");
	else
		ref_ob_lit(b, "\",\"size\":\"?\",\"write\":");
	ref_ob_bool(b, ev->fault_flags & DT_FAULT_FLAG_WRITE);
}

static void ref_json_verdict(struct ref_outbuf *b, const struct dt_event *ev,
			 const struct dt_verdict *v)
{
	ref_ob_lit(b, ",\"class\":\"");
	ref_ob_str(b, dt_class_name(v->cls));
	ref_ob_lit(b, "\",\"mismatch\":");
	if (v->mismatch == DT_MISMATCH_NONE) {
		ref_ob_lit(b, "null");
	} else {
		ref_ob_char(b, '"');
		ref_ob_str(b, dt_mismatch_name(v->mismatch));
		ref_ob_char(b, '"');
	}
	ref_ob_lit(b, ",\"violation\":");
	ref_ob_bool(b, v->violation);
	ref_ob_lit(b, ",\"inferred\":");
	ref_ob_bool(b, v->inferred);
	ref_ob_lit(b, ",\"req_pfn\":");
	ref_ob_u64(b, ev->req_pfn);
}

static void ref_json_entry(struct ref_outbuf *b, const char *key,
		       const struct dt_event *ev, __u64 val,
		       unsigned int seen_bit, const struct dt_classify_ctx *cx)
{
	struct dt_entry e;

	ref_ob_lit(b, ",\"");
	ref_ob_str(b, key);
	ref_ob_lit(b, "\":");
	if (!(ev->seen & seen_bit)) {
		ref_ob_lit(b, "null");
		return;
	}
	dt_entry_decode(val, ev->size, cx->layout, &cx->zero, &e);
	ref_ob_lit(b, "{\"raw\":\"0x");
	ref_ob_x64(b, val);
	ref_ob_lit(b, "\",\"present\":");
	ref_ob_bool(b, e.present);
	ref_ob_lit(b, ",\"write\":");
	ref_ob_bool(b, e.write);
	ref_ob_lit(b, ",\"dirty\":");
	ref_ob_bool(b, e.dirty);
	ref_ob_lit(b, ",\"saved_dirty\":");
	ref_ob_opt_bool(b, e.saved_dirty, e.has & DT_HAS_SAVED_DIRTY);
	ref_ob_lit(b, ",\"young\":");
	ref_ob_bool(b, e.young);
	ref_ob_lit(b, ",\"special\":");
	ref_ob_bool(b, e.special);
	ref_ob_lit(b, ",\"devmap\":");
	ref_ob_opt_bool(b, e.devmap, e.has & DT_HAS_DEVMAP);
	ref_ob_lit(b, ",\"zero\":");
	ref_ob_bool(b, e.zero);
	ref_ob_lit(b, ",\"pfn\":");
	ref_ob_u64(b, e.pfn);
	ref_ob_char(b, '}');
}

static void ref_json_devdax(struct ref_outbuf *b, const struct dt_event *ev,
			    const struct dt_verdict *v,
			    const struct dt_classify_ctx *cx)
{
	const struct dt_devdax_dev *d = NULL;

	if (!(ev->seen & DT_SEEN_DEVDAX))
		return;
	for (int i = 0; cx->devdax && i < cx->devdax->n; i++)
		if (cx->devdax->v[i].dev == ev->dev)
			d = &cx->devdax->v[i];
	ref_ob_lit(b, ",\"devdax\":{\"device\":");
	if (d && d->name[0])
		ref_ob_json_strn(b, d->name, sizeof(d->name));
	else
		ref_ob_lit(b, "null");
	ref_ob_lit(b, ",\"align\":");
	if (d && d->geom.align)
		ref_ob_u64(b, d->geom.align);
	else
		ref_ob_lit(b, "null");
	ref_ob_lit(b, ",\"why\":");
	if (v->devdax_why) {
		ref_ob_char(b, '"');
		ref_ob_str(b, dt_devdax_why_name(v->devdax_why));
		ref_ob_char(b, '"');
	} else {
		ref_ob_lit(b, "null");
	}
	ref_ob_char(b, '}');
}

static void ref_json_result(struct ref_outbuf *b, const struct dt_event *ev,
			    const struct dt_verdict *v,
			    const struct dt_classify_ctx *cx)
{
	ref_ob_lit(b, ",\"fault_flags\":\"0x");
	ref_ob_x64(b, ev->fault_flags);
	ref_ob_lit(b, "\",\"result\":\"0x");
	ref_ob_x64(b, ev->result);
	ref_ob_lit(b, "\",\"seen\":\"0x");
	ref_ob_x64(b, ev->seen);
	ref_ob_lit(b, "\",\"inserts\":");
	ref_ob_u64(b, ev->inserts);
	ref_json_devdax(b, ev, v, cx);
	/* why the PMD fault fell back; null when none did */
	ref_ob_lit(b, ",\"pmd_fallback\":");
	if (dt_fallback_of(ev) < 0) {
		ref_ob_lit(b, "null");
	} else {
		ref_ob_char(b, '"');
		ref_ob_str(b, dt_fallback_name(dt_fallback_of(ev)));
		ref_ob_char(b, '"');
	}
	/* null: opened late (do_wp_page fexit, finish_mkwrite_fault): no start time */
	ref_ob_lit(b, ",\"latency_ns\":");
	if (ev->seen & DT_SEEN_UNTIMED)
		ref_ob_lit(b, "null");
	else
		ref_ob_u64(b, ev->latency_ns);
	ref_ob_lit(b, "}\n");
}

/* The line into @line (2048 bytes); returns its length. */
static size_t ref_format_json(char *line, const struct dt_event *ev,
			     const struct dt_verdict *v,
			     const struct dt_classify_ctx *cx)
{
	struct ref_outbuf b = { line };

	ref_json_task(&b, ev);
	ref_json_verdict(&b, ev, v);
	ref_json_entry(&b, "orig", ev, ev->orig, DT_SEEN_ORIG, cx);
	ref_json_entry(&b, "before", ev, ev->before, DT_SEEN_BEFORE, cx);
	ref_json_entry(&b, "after", ev, ev->after, DT_SEEN_AFTER | DT_SEEN_WP_AFTER, cx);
	ref_json_result(&b, ev, v, cx);
	return b.p - line;
}

#endif
