// SPDX-License-Identifier: GPL-2.0
/*
 * xfs_extsize DIR KIB [rt]: give DIR an extent size hint that its new
 * files inherit (FS_XFLAG_EXTSZINHERIT), as `xfs_io -c "extsize 2m" DIR`
 * does (the VM has no xfs_io); with "rt", its new files also go to the
 * realtime device (FS_XFLAG_RTINHERIT, `xfs_io -c "chattr +t"`).
 */
#include "workload.h"
#include <sys/ioctl.h>
#include <linux/fs.h>

int main(int argc, char **argv)
{
	struct fsxattr fa;
	int fd;

	if (argc != 3 && (argc != 4 || strcmp(argv[3], "rt")))
		usage_exit("xfs_extsize DIR KIB [rt]");
	fd = open(argv[1], O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		die(argv[1]);
	if (ioctl(fd, FS_IOC_FSGETXATTR, &fa))
		die("FS_IOC_FSGETXATTR");
	fa.fsx_xflags |= FS_XFLAG_EXTSZINHERIT;
	if (argc == 4)
		fa.fsx_xflags |= FS_XFLAG_RTINHERIT;
	fa.fsx_extsize = strtoul(argv[2], NULL, 0) * 1024;
	if (ioctl(fd, FS_IOC_FSSETXATTR, &fa))
		die("FS_IOC_FSSETXATTR");
	return close(fd);
}
