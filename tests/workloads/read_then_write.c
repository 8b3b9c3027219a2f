// SPDX-License-Identifier: GPL-2.0
/*
 * Read, then write, every page of a file whose blocks are allocated and
 * written: read == pages (read-only storage PTEs), then ro_upgrade == pages
 * (do_wp_page -> pfn_mkwrite -> insert_pfn(mkwrite) on the same PFN).
 * With "sparse", the file is a hole: hole == pages, zero_upgrade == pages.
 * With "existing", FILE is used as it is (it must be MIB long).
 * With "private", a MAP_PRIVATE mapping: read == pages, then cow == pages
 * (do_wp_page -> wp_page_copy; no DAX fault, the file is untouched).
 * With "retry", a write the kernel answers with SIGBUS is made again, once
 * per page (a second SIGBUS at the same page ends it, exit 3), and the
 * number of such writes is printed on stderr: from 6.15 the kernel
 * refuses an mkwrite insert that meets another PFN with SIGBUS
 * (tests/kmod/dt_pfn_mismatch.c makes it meet one).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include "workload.h"

static sigjmp_buf write_again;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(write_again, 1);
}

/* write_every(), each write that raised SIGBUS made once more */
static unsigned long write_every_retrying(char *p, size_t len)
{
	struct sigaction sa = { .sa_handler = on_sigbus };
	volatile unsigned long retried = 0;
	volatile size_t off, last_bus = len;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, NULL))
		die("sigaction");
	for (off = 0; off < len; off += PAGE_SZ) {
		if (sigsetjmp(write_again, 1)) {
			if (last_bus == off) {
				fprintf(stderr, "read_then_write: SIGBUS twice at offset %zu\n",
					(size_t)off);
				exit(3);
			}
			last_bus = off;
			retried++;
		}
		((volatile char *)p)[off] = 1;
	}
	signal(SIGBUS, SIG_DFL);
	return retried;
}

int main(int argc, char **argv)
{
	int flags = MAP_SHARED;
	bool retry = false;
	size_t len;
	char *p;
	int fd;

	if (argc == 5 && !strcmp(argv[4], "private"))
		flags = MAP_PRIVATE;
	else if (argc == 5 && !strcmp(argv[4], "retry"))
		retry = true;
	else if (argc != 4)
		argc = 0;
	if (argc < 4 || (strcmp(argv[3], "allocated") &&
			 strcmp(argv[3], "sparse") && strcmp(argv[3], "existing")))
		usage_exit("read_then_write FILE MIB allocated|sparse|existing [private|retry]");
	len = strtoul(argv[2], NULL, 0) * SZ_1M;
	if (!strcmp(argv[3], "existing"))
		fd = open(argv[1], O_RDWR);
	else
		fd = make_file(argv[1], len, !strcmp(argv[3], "allocated"));
	if (fd < 0)
		die(argv[1]);
	p = map_file(fd, len, 0, flags, PAGE_SZ, 0);
	read_every(p, len, PAGE_SZ);
	if (retry)
		fprintf(stderr, "read_then_write: %lu writes made again after SIGBUS\n",
			write_every_retrying(p, len));
	else
		write_every(p, len, PAGE_SZ);
	return munmap(p, len) || close(fd);
}
