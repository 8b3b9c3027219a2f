/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An append-only buffer to build one output line in memory.  A record then
 * costs one fwrite() instead of a dozen fprintf() calls, each of which
 * parses its format and takes the FILE lock: in live mode that was most of
 * what the consumer spent per fault.
 *
 * Nothing is bounds-checked: the caller sizes the buffer for the longest
 * line it can build.
 */
#ifndef DT_OUTBUF_H
#define DT_OUTBUF_H

#include <stdbool.h>
#include <string.h>
#include <linux/types.h>

struct outbuf {
	char *p;	/* where the next byte goes */
};

static inline void ob_mem(struct outbuf *b, const void *s, size_t n)
{
	memcpy(b->p, s, n);
	b->p += n;
}

/* @s must be a string literal, so that its length is a constant */
#define ob_lit(b, s)	ob_mem(b, "" s, sizeof(s) - 1)

static inline void ob_str(struct outbuf *b, const char *s)
{
	ob_mem(b, s, strlen(s));
}

static inline void ob_char(struct outbuf *b, char c)
{
	*b->p++ = c;
}

static inline void ob_bool(struct outbuf *b, bool v)
{
	if (v)
		ob_lit(b, "true");
	else
		ob_lit(b, "false");
}

/* @v, or null when the kernel has no such field (!@known) */
static inline void ob_opt_bool(struct outbuf *b, bool v, bool known)
{
	if (known)
		ob_bool(b, v);
	else
		ob_lit(b, "null");
}

static inline char ob_hex_digit(unsigned int v)
{
	return "0123456789abcdef"[v & 0xf];
}

/* As printf's "%llu" (and "%u": any unsigned value fits). */
static inline void ob_u64(struct outbuf *b, __u64 v)
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
static inline void ob_x64(struct outbuf *b, __u64 v)
{
	unsigned int len = v ? (64 - __builtin_clzll(v) + 3) / 4 : 1;

	b->p += len;
	for (char *p = b->p; len--; v >>= 4)
		*--p = ob_hex_digit(v);
}

#endif
