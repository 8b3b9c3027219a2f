/* SPDX-License-Identifier: GPL-2.0 */
/* Just enough JSON writing for NDJSON records and the summary. */
#ifndef DT_JSON_H
#define DT_JSON_H

#include <stdio.h>
#include "outbuf.h"

/* Writes @s as a JSON string, quotes included, escaping what JSON demands. */
void json_str(FILE *out, const char *s);
/* Same for a buffer that may lack a NUL (task comm). */
void json_strn(FILE *out, const char *s, size_t n);
/* Same into @b, which must have room for 2 + 6 * @n bytes. */
char *ob_json_strn(char *p, const char *s, size_t n);

#endif
