// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jflat.h"

struct parser {
	const char *buf;
	size_t len, off;
	char path[DT_JFLAT_MAX_KEY];
	size_t plen;
	int depth;
	int skipping;		/* inside an array: nothing is kept */
	struct dt_jflat *f;
	char *err;
	int errlen;
};

#define FAIL(p, ...) do {						\
	int n_ = snprintf((p)->err, (p)->errlen, "offset %zu: ", (p)->off); \
	if (n_ >= 0 && n_ < (p)->errlen)				\
		snprintf((p)->err + n_, (p)->errlen - n_, __VA_ARGS__);	\
	return -1;							\
} while (0)

static void blanks(struct parser *p)
{
	while (p->off < p->len && strchr(" \t\r\n", p->buf[p->off]) &&
	       p->buf[p->off])
		p->off++;
}

static bool take(struct parser *p, char c)
{
	blanks(p);
	if (p->off < p->len && p->buf[p->off] == c) {
		p->off++;
		return true;
	}
	return false;
}

static int add(struct parser *p, __s64 v, bool null)
{
	struct dt_jflat *f = p->f;
	struct dt_jflat_item *it;

	if (p->skipping)
		return 0;
	for (int i = 0; i < f->n; i++)
		if (!strcmp(f->items[i].path, p->path)) {
			f->items[i].value = v;
			f->items[i].null = null;
			return 0;
		}
	if (f->n == f->cap) {
		int cap = f->cap ? f->cap * 2 : 64;

		it = realloc(f->items, cap * sizeof(*it));
		if (!it)
			FAIL(p, "out of memory");
		f->items = it;
		f->cap = cap;
	}
	it = &f->items[f->n];
	it->path = strdup(p->path);
	if (!it->path)
		FAIL(p, "out of memory");
	it->value = v;
	it->null = null;
	f->n++;
	return 0;
}

/* The 4 hex digits of a \u escape at p->off, or -1 (the buffer has no NUL). */
static int hex4(const struct parser *p)
{
	int u = 0;

	if (p->len - p->off < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = p->buf[p->off + i];
		int d = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (d < 0)
			return -1;
		u = u * 16 + d;
	}
	return u;
}

/*
 * A string; with @key, appended to the path (escapes decoded as far as
 * keys need: \" \\ \/ and the single-byte \u00XX; others kept as is).
 */
static int string(struct parser *p, bool key)
{
	if (!take(p, '"'))
		FAIL(p, "expected a string");
	while (p->off < p->len && p->buf[p->off] != '"') {
		unsigned char c = p->buf[p->off++];

		if (c < 0x20)
			FAIL(p, "control character in a string");
		if (c == '\\') {
			if (p->off >= p->len)
				break;
			c = p->buf[p->off++];
			if (c == 'u') {
				int u = hex4(p);

				if (u < 0)
					FAIL(p, "bad \\u escape");
				p->off += 4;
				c = u < 0x80 ? u : '?';
			} else if (!strchr("\"\\/bfnrt", c) || !c) {
				FAIL(p, "bad escape '\\%c'", c);
			}
		}
		if (!key)
			continue;
		if (c == DT_JFLAT_SEP[0] || !c)
			FAIL(p, "a key holds a separator or NUL byte");
		if (p->plen + 1 >= sizeof(p->path))
			FAIL(p, "key path longer than %d bytes", DT_JFLAT_MAX_KEY - 1);
		p->path[p->plen++] = c;
		p->path[p->plen] = '\0';
	}
	if (p->off >= p->len)
		FAIL(p, "unterminated string");
	p->off++;
	return 0;
}

static int number(struct parser *p)
{
	size_t start = p->off;
	bool integral = true;
	char tok[32];
	char *end;
	long long v;

	if (p->off < p->len && p->buf[p->off] == '-')
		p->off++;
	while (p->off < p->len && strchr("0123456789.eE+-", p->buf[p->off]) &&
	       p->buf[p->off]) {
		if (strchr(".eE", p->buf[p->off]))
			integral = false;
		p->off++;
	}
	if (p->off - start >= sizeof(tok) || p->off == start)
		FAIL(p, "bad number");
	memcpy(tok, p->buf + start, p->off - start);
	tok[p->off - start] = '\0';
	errno = 0;
	if (integral) {
		v = strtoll(tok, &end, 10);
		if (errno || *end || end == tok)
			FAIL(p, "bad integer '%s'", tok);
		return add(p, v, false);
	}
	/* a non-integral number is no count: checked, then skipped */
	(void)strtod(tok, &end);
	if (*end || end == tok)
		FAIL(p, "bad number '%s'", tok);
	return 0;
}

static int word(struct parser *p, const char *w)
{
	size_t n = strlen(w);

	if (p->len - p->off < n || memcmp(p->buf + p->off, w, n))
		FAIL(p, "unexpected character");
	p->off += n;
	return 0;
}

static int value(struct parser *p);

/* An object's members or an array's elements, after the opening bracket. */
static int members(struct parser *p, bool object)
{
	size_t base = p->plen;
	char close = object ? '}' : ']';

	if (++p->depth > DT_JFLAT_MAX_DEPTH)
		FAIL(p, "nested deeper than %d", DT_JFLAT_MAX_DEPTH);
	/* an array's contents are no counts of ours: parsed, not kept */
	if (!object)
		p->skipping++;
	if (!take(p, close)) {
		do {
			if (object) {
				if (base && !p->skipping) {
					if (base + 1 >= sizeof(p->path))
						FAIL(p, "key path longer than %d bytes",
						     DT_JFLAT_MAX_KEY - 1);
					p->path[p->plen++] = DT_JFLAT_SEP[0];
					p->path[p->plen] = '\0';
				}
				blanks(p);
				if (string(p, !p->skipping))
					return -1;
				if (!take(p, ':'))
					FAIL(p, "expected ':'");
			}
			if (value(p))
				return -1;
			p->plen = base;
			p->path[base] = '\0';
		} while (take(p, ','));
		if (!take(p, close))
			FAIL(p, "expected ',' or '%c'", close);
	}
	if (!object)
		p->skipping--;
	p->depth--;
	return 0;
}

static int value(struct parser *p)
{
	blanks(p);
	if (p->off >= p->len)
		FAIL(p, "unexpected end");
	switch (p->buf[p->off]) {
	case '{':
	case '[':
		return members(p, p->buf[p->off++] == '{');
	case '"':
		return string(p, false);
	case 't':
		return word(p, "true");
	case 'f':
		return word(p, "false");
	case 'n':
		return word(p, "null") ? -1 : add(p, 0, true);
	default:
		return number(p);
	}
}

int dt_jflat_parse(struct dt_jflat *f, const char *buf, size_t len,
		   char *err, int errlen)
{
	struct parser p = {
		.buf = buf, .len = len, .f = f, .err = err, .errlen = errlen,
	};

	*f = (struct dt_jflat){ 0 };
	if (value(&p))
		goto bad;
	blanks(&p);
	if (p.off != len) {
		snprintf(err, errlen, "offset %zu: text after the JSON value", p.off);
		goto bad;
	}
	return 0;
bad:
	dt_jflat_free(f);
	return -1;
}

void dt_jflat_free(struct dt_jflat *f)
{
	for (int i = 0; i < f->n; i++)
		free(f->items[i].path);
	free(f->items);
	*f = (struct dt_jflat){ 0 };
}

const struct dt_jflat_item *dt_jflat_find(const struct dt_jflat *f,
					  const char *path)
{
	for (int i = 0; i < f->n; i++)
		if (!strcmp(f->items[i].path, path))
			return &f->items[i];
	return NULL;
}
