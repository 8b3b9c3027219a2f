// SPDX-License-Identifier: GPL-2.0
/* A line of /proc/PID/mountinfo split (user/mountinfo.c). */
#include <string.h>
#include "mountinfo.h"
#include "unit.h"

static struct dt_mountinfo_line l;

static void test_fields(void)
{
	CHECK_EQ(dt_mountinfo_parse("31 22 259:0 / /mnt/xfs rw,relatime shared:8 - xfs "
				    "/dev/pmem0 rw,attr2,dax=always\n", &l), 0);
	CHECK_EQ(l.dev, 259u << 20 | 0);
	CHECK(!strcmp(l.root, "/"));
	CHECK(!strcmp(l.point, "/mnt/xfs"));
	CHECK(!strcmp(l.opts, "rw,relatime"));
	CHECK(!strcmp(l.super_opts, "rw,attr2,dax=always"));
	/* no optional fields, escapes undone in root and mount point */
	CHECK_EQ(dt_mountinfo_parse("32 22 259:1 /d\\040ir /mnt/with\\040space rw - ext4 "
				    "/dev/pmem1 rw,dax\n", &l), 0);
	CHECK(!strcmp(l.root, "/d ir"));
	CHECK(!strcmp(l.point, "/mnt/with space"));
	CHECK(!strcmp(l.super_opts, "rw,dax"));
	/* minors past 255 */
	CHECK_EQ(dt_mountinfo_parse("40 1 0:1048575 / /x rw - tmpfs t rw\n", &l), 0);
	CHECK_EQ(l.dev, 1048575u);
}

static void test_not_lines(void)
{
	CHECK_EQ(dt_mountinfo_parse("", &l), -1);
	CHECK_EQ(dt_mountinfo_parse("31 22 259 / /mnt rw - xfs x rw\n", &l), -1);
	CHECK_EQ(dt_mountinfo_parse("31 22 259:0 / /mnt\n", &l), -1);
	/* no " - " separator: the superblock's options unknown, not made up */
	CHECK_EQ(dt_mountinfo_parse("31 22 259:0 / /mnt rw,dax\n", &l), 0);
	CHECK(!strcmp(l.super_opts, ""));
}

int main(void)
{
	RUN(test_fields);
	RUN(test_not_lines);
	return UNIT_EXIT();
}
