// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "resolve.h"

/* "MOUNTPOINT inode N" from mountinfo when the file is no longer mapped */
static const char *by_mount(__u32 dev, __u64 ino, char *buf, size_t len)
{
	char line[4352], mnt[1024];
	unsigned int major, minor;
	const char *found = NULL;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f)
		return NULL;
	while (!found && fgets(line, sizeof(line), f)) {
		/* id parent MAJ:MIN root mountpoint ... */
		if (sscanf(line, "%*u %*u %u:%u %*s %1023s", &major, &minor, mnt) != 3)
			continue;
		if (major != dev >> 20 || minor != (dev & 0xfffff))
			continue;
		snprintf(buf, len, "%s inode %llu", mnt, ino);
		found = buf;
	}
	fclose(f);
	return found;
}

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
		return by_mount(dev, ino, path, sizeof(path));
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
	return found ? found : by_mount(dev, ino, path, sizeof(path));
}
