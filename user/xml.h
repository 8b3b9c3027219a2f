/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DT_XML_H
#define DT_XML_H

#include <stdbool.h>
#include <stdio.h>

/*
 * Writes @s as XML 1.0 character data (@attr: inside a "-quoted attribute
 * value).  Markup characters become entities, control characters XML
 * forbids become their U+24xx control pictures, bytes that are not valid
 * UTF-8 become U+FFFD.  The SVG heatmap shares it.
 */
void dt_xml_escape(FILE *out, const char *s, bool attr);

#endif
