// SPDX-License-Identifier: GPL-2.0
#include "json.h"

const char ob_bool_words[3][8] = { "false", "true", "null" };

const char ob_dec_pairs[200] =
	"00010203040506070809" "10111213141516171819"
	"20212223242526272829" "30313233343536373839"
	"40414243444546474849" "50515253545556575859"
	"60616263646566676869" "70717273747576777879"
	"80818283848586878889" "90919293949596979899";

char ob_dec_quads[10000][4];

__attribute__((constructor)) static void dec_quads_build(void)
{
	for (int i = 0; i < 10000; i++) {
		memcpy(ob_dec_quads[i], &ob_dec_pairs[i / 100 * 2], 2);
		memcpy(ob_dec_quads[i] + 2, &ob_dec_pairs[i % 100 * 2], 2);
	}
}

#define HEX_ROW(h) h "0" h "1" h "2" h "3" h "4" h "5" h "6" h "7" \
		   h "8" h "9" h "a" h "b" h "c" h "d" h "e" h "f"
const char ob_hex_pairs[512] =
	HEX_ROW("0") HEX_ROW("1") HEX_ROW("2") HEX_ROW("3")
	HEX_ROW("4") HEX_ROW("5") HEX_ROW("6") HEX_ROW("7")
	HEX_ROW("8") HEX_ROW("9") HEX_ROW("a") HEX_ROW("b")
	HEX_ROW("c") HEX_ROW("d") HEX_ROW("e") HEX_ROW("f");

/* The bytes a JSON string carries as they are: printable ASCII but " and \. */
static const bool json_plain[256] = {
	[' ' ... '!'] = true, ['#' ... '['] = true, [']' ... '~'] = true,
};

/* One byte of a JSON string: at most 6 bytes out ("\u00XX"). */
static char *json_char(char *p, unsigned char c)
{
	if (json_plain[c])
		return ob_char(p, c);
	if (c == '"' || c == '\\') {
		p = ob_char(p, '\\');
		return ob_char(p, c);
	}
	/* a control byte, or comm is not UTF-8 */
	p = ob_lit(p, "\\u00");
	p = ob_char(p, ob_hex_digit(c >> 4));
	return ob_char(p, ob_hex_digit(c));
}

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

/*
 * A flag (bit 7) in each byte of @w that ends a run of plain bytes: NUL,
 * below ' ', above '~', the quote, the backslash.  Borrows and carries
 * can flag a byte after a flagged one, never before: the lowest flag is
 * exact, and only the lowest is used.
 */
static inline __u64 special_bytes(__u64 w)
{
	__u64 q = w ^ ('"' * ONES), bs = w ^ ('\\' * ONES);
	__u64 ctrl = (w - ' ' * ONES) & ~w;	/* NUL too */
	__u64 high = w | (w + ONES);		/* 0x7f and up */

	return (ctrl | high | ((q - ONES) & ~q) | ((bs - ONES) & ~bs)) & HIGHS;
}
#endif

char *ob_json_strn(char *p, const char *s, size_t n)
{
	size_t i = 0;

	p = ob_char(p, '"');
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* eight plain bytes at a time: a comm rarely needs escaping */
	while (i + 8 <= n) {
		__u64 w, sp;
		unsigned int k;

		memcpy(&w, s + i, 8);
		sp = special_bytes(w);
		memcpy(p, &w, 8);
		if (!sp) {
			p += 8;
			i += 8;
			continue;
		}
		k = __builtin_ctzll(sp) / 8;
		p += k;
		i += k;
		if (!s[i])
			return ob_char(p, '"');
		p = json_char(p, s[i++]);
	}
#endif
	for (; i < n && s[i]; i++)
		p = json_char(p, s[i]);
	return ob_char(p, '"');
}

/* Only the summary's few short strings come here: no need to batch. */
void json_strn(FILE *out, const char *s, size_t n)
{
	fputc('"', out);
	for (size_t i = 0; i < n && s[i]; i++) {
		char esc[6];

		fwrite(esc, 1, json_char(esc, s[i]) - esc, out);
	}
	fputc('"', out);
}

void json_str(FILE *out, const char *s)
{
	json_strn(out, s, (size_t)-1);
}
