// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
/*
 * The names of violations' files (user/filenames.c): mountinfo parsed,
 * dentries joined under their mount point (bind mounts, the root, /dev,
 * walks cut short, names cut to fit), the table by device and inode.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "filenames.h"
#include "unit.h"

static const char mountinfo[] =
	"22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
	"30 22 259:0 /sub /srv/bind rw,relatime shared:7 - xfs /dev/pmem0 rw,dax=always\n"
	"31 22 259:0 / /mnt/xfs rw,relatime shared:8 - xfs /dev/pmem0 rw,dax=always\n"
	"32 22 259:1 /d\\040ir /mnt/with\\040space rw - ext4 /dev/pmem1 rw,dax\n"
	"33 22 0:5 / /dev rw,nosuid shared:2 - devtmpfs udev rw\n";

static int find(__u32 dev, struct dt_mount *m)
{
	FILE *f = fmemopen((void *)mountinfo, sizeof(mountinfo) - 1, "r");
	int rc = dt_mountinfo_find(f, dev, m);

	fclose(f);
	return rc;
}

/* the mount of a device: of its root when there is one, escapes undone */
static void test_mountinfo(void)
{
	struct dt_mount m;

	CHECK_EQ(find(259 << 20 | 0, &m), 0);
	CHECK(!strcmp(m.point, "/mnt/xfs") && !strcmp(m.root, "/"));
	CHECK_EQ(find(259 << 20 | 1, &m), 0);
	CHECK(!strcmp(m.point, "/mnt/with space") && !strcmp(m.root, "/d ir"));
	CHECK_EQ(find(254 << 20 | 1, &m), 0);
	CHECK(!strcmp(m.point, "/"));
	CHECK_EQ(find(259 << 20 | 2, &m), -1);
}

static struct dt_file_event walked(__u32 dev, int rooted, int n, ...)
{
	struct dt_file_event fe = { .s_dev = dev, .rooted = rooted, .nnames = n, .ino = 131 };
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		snprintf(fe.names[i], DT_DENTRY_NAME_LEN, "%s", va_arg(ap, const char *));
	va_end(ap);
	return fe;
}

/* the dentries' names, the file's first, joined under the mount point */
static void test_path(void)
{
	struct dt_mount m;
	struct dt_file_event fe;
	char out[DT_FILE_LEN];

	fe = walked(259 << 20, 1, 2, "testfile", "dir");
	CHECK_EQ(find(fe.s_dev, &m), 0);
	dt_file_path(out, sizeof(out), &fe, &m);
	CHECK(!strcmp(out, "/mnt/xfs/dir/testfile"));
	/* no mount names the device: its numbers and the path in it */
	dt_file_path(out, sizeof(out), &fe, NULL);
	CHECK(!strcmp(out, "dev 259:0:/dir/testfile"));
	/* deeper than the walk: "..." says where it stopped */
	fe.rooted = 0;
	dt_file_path(out, sizeof(out), &fe, &m);
	CHECK(!strcmp(out, "/mnt/xfs/.../dir/testfile"));
	dt_file_path(out, sizeof(out), &fe, NULL);
	CHECK(!strcmp(out, "dev 259:0:/.../dir/testfile"));
	/* a bind mount of a directory: the path from it */
	fe = walked(259 << 20 | 1, 1, 2, "f", "d ir");
	CHECK_EQ(find(fe.s_dev, &m), 0);
	dt_file_path(out, sizeof(out), &fe, &m);
	CHECK(!strcmp(out, "/mnt/with space/f"));
	/* nor does it when the walk stopped short of the root */
	fe.rooted = 0;
	dt_file_path(out, sizeof(out), &fe, &m);
	CHECK(!strcmp(out, "dev 259:1:/.../d ir/f"));
	/* outside the bind mount's directory no mount names it */
	fe = walked(259 << 20 | 1, 1, 2, "f", "other");
	dt_file_path(out, sizeof(out), &fe, &m);
	CHECK(!strcmp(out, "dev 259:1:/other/f"));
	/* "/d irx" is not under "/d ir" */
	fe = walked(259 << 20 | 1, 1, 1, "d irx");
	dt_file_path(out, sizeof(out), &fe, &m);
	CHECK(!strcmp(out, "dev 259:1:/d irx"));
	/* the root filesystem: no "//" */
	fe = walked(254 << 20 | 1, 1, 2, "x", "etc");
	CHECK_EQ(find(fe.s_dev, &m), 0);
	dt_file_path(out, sizeof(out), &fe, &m);
	CHECK(!strcmp(out, "/etc/x"));
	/* a device-DAX node */
	fe = walked(5, 1, 1, "dax0.0");
	CHECK_EQ(find(fe.s_dev, &m), 0);
	dt_file_path(out, sizeof(out), &fe, &m);
	CHECK(!strcmp(out, "/dev/dax0.0"));
	/* no file: nothing */
	fe = walked(5, 0, 0);
	dt_file_path(out, sizeof(out), &fe, &m);
	CHECK(!strcmp(out, ""));
	/* a name as long as a dentry's field, DT_PATH_DEPTH of them: cut, bounded */
	fe = walked(259 << 20, 0, 0);
	fe.nnames = DT_PATH_DEPTH + 3;
	for (int i = 0; i < DT_PATH_DEPTH; i++)
		memset(fe.names[i], 'a' + i, DT_DENTRY_NAME_LEN - 1);
	dt_file_path(out, sizeof(out), &fe, NULL);
	CHECK_EQ(strlen(out), DT_FILE_LEN - 1);
	CHECK(!strncmp(out, "dev 259:0:/.../hhh", 18));
}

/* the table: found again by device and inode, through its growth */
static void test_table(void)
{
	struct dt_filenames t = { 0 };
	char path[32];

	CHECK(!dt_filenames_get(&t, 1, 1));
	for (__u64 i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), "/f%llu", (unsigned long long)i);
		CHECK_EQ(dt_filenames_put(&t, (__u32)(i % 3), i, path), 0);
	}
	CHECK_EQ(t.n, 1000);
	CHECK(t.n * 4 <= t.cap * 3);
	CHECK(!strcmp(dt_filenames_get(&t, 1, 997), "/f997"));
	CHECK(!strcmp(dt_filenames_get(&t, 0, 0), "/f0"));
	CHECK(!dt_filenames_get(&t, 2, 997));	/* another device's inode 997 */
	/* renamed: named again, counted once */
	CHECK_EQ(dt_filenames_put(&t, 1, 997, "/moved"), 0);
	CHECK_EQ(t.n, 1000);
	CHECK(!strcmp(dt_filenames_get(&t, 1, 997), "/moved"));
	dt_filenames_free(&t);
	CHECK(!dt_filenames_get(&t, 1, 997));
}

int main(void)
{
	RUN(test_mountinfo);
	RUN(test_path);
	RUN(test_table);
	return UNIT_EXIT();
}
