/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Appending to one output line in memory.  A record then costs one copy
 * into the stream instead of a dozen fprintf() calls, each of which parses
 * its format and takes the FILE lock: in live mode that was most of what
 * the consumer spent per fault.
 *
 * Each function takes where the next byte goes and returns where the one
 * after its own go.  The position lives in a local variable of the caller,
 * not in a struct behind a pointer: every byte stored through a char
 * pointer may alias such a struct, and the compiler then reloads and
 * stores the position around each byte (it was a third of a record's
 * instructions).
 *
 * Nothing is bounds-checked: the caller sizes the buffer for the longest
 * line it can build, plus OB_SLACK.
 */
#ifndef DT_OUTBUF_H
#define DT_OUTBUF_H

#include <stdbool.h>
#include <string.h>
#include <linux/types.h>

/*
 * Some functions store a whole word and keep only part of it (a bool's
 * "true" out of 8 bytes): a buffer needs this much room past its longest
 * line.
 */
#define OB_SLACK	8

static inline char *ob_mem(char *p, const void *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* @s must be a string literal, so that its length is a constant */
#define ob_lit(p, s)	ob_mem(p, "" s, sizeof(s) - 1)

static inline char *ob_str(char *p, const char *s)
{
	return ob_mem(p, s, strlen(s));
}

static inline char *ob_char(char *p, char c)
{
	*p = c;
	return p + 1;
}

/* false, true, null: stored 8 bytes at a time, branch-free */
extern const char ob_bool_words[3][8];

static inline char *ob_bool(char *p, bool v)
{
	memcpy(p, ob_bool_words[v], 8);
	return p + 5 - v;
}

/* @v, or null when the kernel has no such field (!@known) */
static inline char *ob_opt_bool(char *p, bool v, bool known)
{
	unsigned int i = known ? v : 2;

	memcpy(p, ob_bool_words[i], 8);
	return p + 5 - (i != 0);
}

static inline char ob_hex_digit(unsigned int v)
{
	return "0123456789abcdef"[v & 0xf];
}

/* "00" to "99", and "00" to "ff": two digits a lookup */
extern const char ob_dec_pairs[200];
extern const char ob_hex_pairs[512];

/* Decimal digits of @v: 1 to 20. */
static inline unsigned int ob_u64_len(__u64 v)
{
	static const __u64 pow10[20] = {
		1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
		10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
		100000000000ULL, 1000000000000ULL, 10000000000000ULL,
		100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
		100000000000000000ULL, 1000000000000000000ULL,
		10000000000000000000ULL,
	};
	/* bits * log10(2), 1233 / 4096 close enough below 2^64: then one compare */
	unsigned int t = (64 - __builtin_clzll(v | 1)) * 1233 >> 12;

	return t + ((v | 1) >= pow10[t]);
}

/* "0000" to "9999", built at start-up (json.c) */
extern char ob_dec_quads[10000][4];

/* As printf's "%llu" (and "%u": any unsigned value fits). */
static inline char *ob_u64(char *p, __u64 v)
{
	char *end = p + ob_u64_len(v);
	__u32 x;

	p = end;
	/* four digits a division by a constant, which is a multiplication */
	for (; v >= 10000; v /= 10000) {
		p -= 4;
		memcpy(p, ob_dec_quads[v % 10000], 4);
	}
	/* the 1 to 4 leading digits, in 32 bits */
	x = v;
	if (x >= 100) {
		p -= 2;
		memcpy(p, &ob_dec_pairs[x % 100 * 2], 2);
		x /= 100;
	}
	if (x >= 10)
		memcpy(p - 2, &ob_dec_pairs[x * 2], 2);
	else
		p[-1] = '0' + x;
	return end;
}

/* As printf's "%llx" (and "%x"): lowercase, no leading zeros. */
static inline char *ob_x64(char *p, __u64 v)
{
	unsigned int len = v ? (64 - __builtin_clzll(v) + 3) / 4 : 1;
	char *end = p + len;

	p = end;
	for (; v >= 0x100; v >>= 8) {
		p -= 2;
		memcpy(p, &ob_hex_pairs[(v & 0xff) * 2], 2);
	}
	if (v >= 0x10)
		memcpy(p - 2, &ob_hex_pairs[v * 2], 2);
	else
		p[-1] = ob_hex_digit(v);
	return end;
}

#endif
