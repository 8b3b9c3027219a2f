// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "dax_path.h"
#include "mountinfo.h"

/* Options of the mount of (major, minor) ask for DAX: "dax", "dax=always". */
static bool mount_is_dax(unsigned int major, unsigned int minor)
{
	struct dt_mountinfo_line l;
	char line[DT_MOUNTINFO_LINE];
	bool dax = false;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f)
		return false;
	while (!dax && fgets(line, sizeof(line), f)) {
		if (dt_mountinfo_parse(line, &l) || l.dev != (major << 20 | minor))
			continue;
		dax = (strstr(l.opts, "dax") || strstr(l.super_opts, "dax")) &&
		      !strstr(l.super_opts, "dax=never");
	}
	fclose(f);
	return dax;
}

int dt_path_filter(const char *path, struct dt_path_filter *f,
		   char *err, int errlen)
{
	struct statx stx;
	unsigned int major, minor;

	if (statx(AT_FDCWD, path, 0, STATX_TYPE | STATX_INO, &stx)) {
		snprintf(err, errlen, "cannot access '%s': %s", path, strerror(errno));
		return -1;
	}
	major = stx.stx_dev_major;
	minor = stx.stx_dev_minor;
	f->dev = major << 20 | minor;
	f->ino = 0;
	if (S_ISREG(stx.stx_mode)) {
		/* per-file DAX (dax=inode) is what the kernel decides: ask it */
		if (!(stx.stx_attributes_mask & STATX_ATTR_DAX) ||
		    !(stx.stx_attributes & STATX_ATTR_DAX)) {
			snprintf(err, errlen, "'%s' is not a DAX file (is its "
				 "filesystem mounted with -o dax?)", path);
			return -1;
		}
		f->ino = stx.stx_ino;
		return 0;
	}
	if (!S_ISDIR(stx.stx_mode)) {
		snprintf(err, errlen, "'%s' is neither a file nor a directory", path);
		return -1;
	}
	if (!mount_is_dax(major, minor)) {
		snprintf(err, errlen, "'%s' is not on a DAX filesystem (mount it "
			 "with -o dax)", path);
		return -1;
	}
	return 0;
}

/*
 * Whether char device MAJOR:MINOR is a device-DAX one: its subsystem in
 * sysfs is "dax" (the dax bus, or the dax class of older kernels).
 */
/* The last component of symlink @link's target into @out (cut to fit); -1: no link. */
static int link_basename(const char *link, char *out, size_t len)
{
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -1;
	target[n] = '\0';
	base = strrchr(target, '/');
	snprintf(out, len, "%s", base ? base + 1 : target);
	return 0;
}

static int char_subsystem(unsigned int major, unsigned int minor, char *out, size_t len)
{
	char link[64];

	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/subsystem", major, minor);
	return link_basename(link, out, len);
}

int dt_dev_filter(const char *dev, struct dt_path_filter *f, char *err, int errlen)
{
	char path[256], subsystem[256] = "";
	struct stat st;

	/* "dax0.0" is the name of /dev/dax0.0, as daxctl and ndctl give it */
	snprintf(path, sizeof(path), "%s%s", strchr(dev, '/') ? "" : "/dev/", dev);
	if (stat(path, &st)) {
		snprintf(err, errlen, "cannot access '%s': %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISCHR(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a character device: not a device-DAX device",
			 path);
		return -1;
	}
	if (char_subsystem(major(st.st_rdev), minor(st.st_rdev), subsystem,
			   sizeof(subsystem)) || strcmp(subsystem, "dax")) {
		snprintf(err, errlen, "'%s' (%u:%u) is not a device-DAX device (its subsystem "
			 "is %s)", path, major(st.st_rdev), minor(st.st_rdev),
			 *subsystem ? subsystem : "unknown");
		return -1;
	}
	/* the BPF side keys a device-DAX fault by the node's i_rdev */
	f->dev = major(st.st_rdev) << 20 | minor(st.st_rdev);
	f->ino = 0;
	return 0;
}

/* an attribute of one decimal or 0x number; 0 when absent or not one */
static __u64 read_u64_attr(const char *dir, const char *name)
{
	char path[PATH_MAX], buf[32] = "", *end;
	unsigned long long v;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	errno = 0;
	v = strtoull(buf, &end, 0);
	if (errno || end == buf || (*end && *end != '\n'))
		return 0;
	return v;
}

int dt_devdax_read_sysfs(const char *sysfs, __u32 dev, struct dt_devdax_dev *out)
{
	char dir[PATH_MAX];

	memset(out, 0, sizeof(*out));
	out->dev = dev;
	snprintf(dir, sizeof(dir), "%s/dev/char/%u:%u", sysfs, dev >> 20, dev & 0xfffff);
	if (link_basename(dir, out->name, sizeof(out->name)))
		return -1;
	out->geom.align = read_u64_attr(dir, "align");
	out->geom.size = read_u64_attr(dir, "size");
	/* an alignment that is no power of two is none the driver has */
	if (out->geom.align & (out->geom.align - 1))
		out->geom.align = 0;
	return 0;
}

int dt_dev_name(void *ctx, __u32 dev, bool devdax, char *buf, size_t len)
{
	char link[64];

	(void)ctx;	/* sysfs: the running system's */
	snprintf(link, sizeof(link), "/sys/dev/%s/%u:%u", devdax ? "char" : "block",
		 dev >> 20, dev & 0xfffff);
	return link_basename(link, buf, len);
}
