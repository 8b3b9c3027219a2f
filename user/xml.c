// SPDX-License-Identifier: GPL-2.0
/*
 * XML text and attribute escaping for the JUnit report and the SVG
 * heatmap.  Whatever bytes come in, the output is well-formed XML 1.0:
 * forbidden control characters and invalid UTF-8 are replaced.
 */
#include "xml.h"

#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

/* Length of the UTF-8 sequence at @s if it is valid and XML allows it, or 0. */
static int utf8_len(const unsigned char *s)
{
	static const unsigned int min_cp[] = { 0, 0, 0x80, 0x800, 0x10000 };
	unsigned int cp;
	int len;

	if (s[0] < 0x80)
		return 1;
	if (s[0] < 0xc2 || s[0] > 0xf4)	/* continuation, overlong, too big */
		return 0;
	len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	cp = s[0] & (0x7f >> len);
	/* a NUL fails the continuation test: never reads past the string */
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond Unicode, XML's two non-chars */
	if (cp < min_cp[len] || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp > 0x10ffff || cp == 0xfffe || cp == 0xffff)
		return 0;
	return len;
}

static void escape_ascii(FILE *out, unsigned char c, bool attr)
{
	switch (c) {
	case '&':
		fputs("&amp;", out);
		return;
	case '<':
		fputs("&lt;", out);
		return;
	case '>':	/* "]]>" may not appear in text */
		fputs("&gt;", out);
		return;
	case '"':
		fputs("&quot;", out);
		return;
	case '\'':
		fputs("&apos;", out);
		return;
	case '\t':
	case '\n':
	case '\r':
		/* parsers turn these into spaces in attributes, \r into \n in text */
		if (attr || c == '\r')
			fprintf(out, "&#%u;", c);
		else
			fputc(c, out);
		return;
	}
	if (c < 0x20) {
		/* not even &#1; is allowed: show U+2400 + c, e.g. U+2401 for \x01 */
		fputc(0xe2, out);
		fputc(0x90, out);
		fputc(0x80 + c, out);
		return;
	}
	fputc(c, out);
}

void dt_xml_escape(FILE *out, const char *str, bool attr)
{
	const unsigned char *s = (const unsigned char *)str;

	while (s && *s) {
		int len = utf8_len(s);

		if (len == 1)
			escape_ascii(out, *s, attr);
		else if (len)
			fwrite(s, 1, len, out);
		else
			fputs(REPLACEMENT, out);
		s += len ? len : 1;
	}
}
