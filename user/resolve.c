// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "resolve.h"

const char *dt_resolve_file(void *ctx, __u32 dev, __u64 ino, __u32 pid)
{
	static char path[4096];
	char line[4352], file[32];
	unsigned int major, minor;
	unsigned long long inode;
	const char *found = NULL;
	FILE *f;
	int pos;

	(void)ctx;
	snprintf(file, sizeof(file), "/proc/%u/maps", pid);
	f = fopen(file, "re");
	if (!f)
		return NULL;
	while (!found && fgets(line, sizeof(line), f)) {
		/* start-end perms offset MAJ:MIN inode   path */
		if (sscanf(line, "%*s %*s %*s %x:%x %llu %n", &major, &minor,
			   &inode, &pos) != 3)
			continue;
		if (inode != ino || major != dev >> 20 || minor != (dev & 0xfffff))
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(path, sizeof(path), "%s", line + pos);
		found = path;
	}
	fclose(f);
	return found;
}
