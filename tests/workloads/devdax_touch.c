// SPDX-License-Identifier: GPL-2.0
/*
 * devdax_touch DEV MIB ALIGN read|write: map MIB MiB of the device-DAX
 * character device DEV (/dev/daxX.Y) shared, at an address aligned to
 * ALIGN bytes (the device's alignment: drivers/dax/device.c refuses a
 * mapping whose start or end is not aligned to it), and read or write one
 * byte of every 4 KiB.  A shared device-DAX mapping has no write-notify:
 * the first touch of each ALIGN-sized unit faults once, read or write,
 * and maps it writable; the other touches of the unit fault no more.
 * Prints, on stderr, the minor faults the kernel counted for the task
 * during the touches (getrusage): evidence that owes nothing to daxtrace.
 */
#include <sys/resource.h>
#include "workload.h"

static long minor_faults(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		die("getrusage");
	return ru.ru_minflt;
}

int main(int argc, char **argv)
{
	size_t len, align;
	long before;
	char *p;
	int fd;

	if (argc != 5 || (strcmp(argv[4], "read") && strcmp(argv[4], "write")))
		usage_exit("devdax_touch DEV MIB ALIGN read|write");
	len = strtoul(argv[2], NULL, 0) * SZ_1M;
	align = strtoul(argv[3], NULL, 0);
	if (!len || !align || (align & (align - 1)) || len % align)
		usage_exit("devdax_touch DEV MIB ALIGN read|write (ALIGN a power of two dividing MIB MiB)");
	fd = open(argv[1], O_RDWR);
	if (fd < 0)
		die(argv[1]);
	p = map_file(fd, len, 0, MAP_SHARED, align, 1);
	before = minor_faults();
	if (!strcmp(argv[4], "read"))
		read_every(p, len, PAGE_SZ);
	else
		write_every(p, len, PAGE_SZ);
	fprintf(stderr, "devdax_touch: %ld minor faults\n", minor_faults() - before);
	return munmap(p, len) || close(fd);
}
