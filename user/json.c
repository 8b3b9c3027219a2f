// SPDX-License-Identifier: GPL-2.0
#include "json.h"

/* One byte of a JSON string: at most 6 bytes out ("\u00XX"). */
static void json_char(struct outbuf *b, unsigned char c)
{
	if (c == '"' || c == '\\') {
		ob_char(b, '\\');
		ob_char(b, c);
	} else if (c < 0x20 || c >= 0x7f) {	/* comm is not UTF-8 */
		ob_lit(b, "\\u00");
		ob_char(b, ob_hex_digit(c >> 4));
		ob_char(b, ob_hex_digit(c));
	} else {
		ob_char(b, c);
	}
}

void ob_json_strn(struct outbuf *b, const char *s, size_t n)
{
	ob_char(b, '"');
	for (size_t i = 0; i < n && s[i]; i++)
		json_char(b, s[i]);
	ob_char(b, '"');
}

/* Only the summary's few short strings come here: no need to batch. */
void json_strn(FILE *out, const char *s, size_t n)
{
	fputc('"', out);
	for (size_t i = 0; i < n && s[i]; i++) {
		char esc[6];
		struct outbuf b = { esc };

		json_char(&b, s[i]);
		fwrite(esc, 1, b.p - esc, out);
	}
	fputc('"', out);
}

void json_str(FILE *out, const char *s)
{
	json_strn(out, s, (size_t)-1);
}
