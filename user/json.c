// SPDX-License-Identifier: GPL-2.0
#include "json.h"

void json_strn(FILE *out, const char *s, size_t n)
{
	fputc('"', out);
	for (size_t i = 0; i < n && s[i]; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);	/* comm is not UTF-8 */
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void json_str(FILE *out, const char *s)
{
	json_strn(out, s, (size_t)-1);
}
