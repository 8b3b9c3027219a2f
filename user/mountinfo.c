// SPDX-License-Identifier: GPL-2.0
/* A line of /proc/PID/mountinfo, split. */
#include <stdio.h>
#include <string.h>
#include "mountinfo.h"

/* a mountinfo field, its \ooo escapes (space, tab, newline, \\) undone */
static void unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

int dt_mountinfo_parse(const char *line, struct dt_mountinfo_line *out)
{
	/* "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue" */
	const char *sep = strstr(line, " - ");
	unsigned int major, minor;

	if (sscanf(line, "%*u %*u %u:%u %4095s %4095s %1023s", &major, &minor,
		   out->root, out->point, out->opts) != 5)
		return -1;
	out->dev = major << 20 | minor;
	unescape(out->root);
	unescape(out->point);
	if (!sep || sscanf(sep + 3, "%*s %*s %1023s", out->super_opts) != 1)
		out->super_opts[0] = '\0';
	return 0;
}
