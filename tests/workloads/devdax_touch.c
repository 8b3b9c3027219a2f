// SPDX-License-Identifier: GPL-2.0
/*
 * devdax_touch DEV MIB ALIGN read|write [HOW]: map MIB MiB of the
 * device-DAX character device DEV (/dev/daxX.Y) shared, at an address
 * aligned to ALIGN bytes (the device's alignment: drivers/dax/device.c
 * refuses a mapping whose start or end is not aligned to it), and read or
 * write one byte of every 4 KiB.  A shared device-DAX mapping has no
 * write-notify: the first touch of each ALIGN-sized unit faults once,
 * read or write, and maps it writable; the other touches of the unit
 * fault no more.  Prints, on stderr, the minor faults the kernel counted
 * for the task during the touches (getrusage): evidence that owes nothing
 * to daxtrace.
 *
 * HOW makes the driver refuse, as users meet it:
 *   private    MAP_PRIVATE: mmap refused (check_vma: not VM_MAYSHARE)
 *   unaligned  at ALIGN + 4 KiB (MAP_FIXED): mmap refused (unaligned vma)
 *   nohuge     MADV_NOHUGEPAGE first: the kernel makes no huge attempt, a
 *              PTE fault on a device aligned coarser is SIGBUS
 *   past=SIZE  the mapping's last ALIGN of MIB past the device's end (SIZE
 *              bytes): mapped from SIZE - MIB MiB + ALIGN; that unit SIGBUS
 * A unit whose touch gets SIGBUS is left (one SIGBUS a unit), and the
 * count printed: "devdax_touch: N SIGBUS"; a refused mmap prints
 * "devdax_touch: mmap refused: ERROR" and exits 0.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <sys/resource.h>
#include "workload.h"

static sigjmp_buf unit_env;
/* kept across siglongjmp; written before the count starts (its page too) */
static volatile long sigbus_count;
/*
 * The SIGBUS handler's frame goes here, touched before the count starts:
 * on the thread's stack, a frame reaching a page not yet touched would be
 * an anonymous minor fault of its own in getrusage's count.
 */
static char sig_stack[64 * 1024] __attribute__((aligned(4096)));

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(unit_env, 1);
}

static long minor_faults(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		die("getrusage");
	return ru.ru_minflt;
}

/*
 * SIGBUS caught on sig_stack, touched, and the way out of the handler
 * (siglongjmp, the signal mask restored) taken once: the first SIGBUS
 * would otherwise fault in libc's pages of that code, and the first
 * count the page of sigbus_count, minor faults of their own in the count
 * (measured: 1 or 2 a run on 6.1, 6.12 and 7.2).
 */
static void catch_sigbus(void)
{
	struct sigaction sa = { .sa_handler = on_sigbus, .sa_flags = SA_ONSTACK };
	stack_t ss = { .ss_sp = sig_stack, .ss_size = sizeof(sig_stack) };

	memset(sig_stack, 1, sizeof(sig_stack));
	if (sigaltstack(&ss, NULL))
		die("sigaltstack");
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, NULL))
		die("sigaction");
	if (!sigsetjmp(unit_env, 1))
		raise(SIGBUS);
	sigbus_count = 0;
}

/* every 4 KiB of each unit; a SIGBUS leaves the unit */
static long touch_units(char *p, size_t len, size_t align, bool write)
{
	/* volatile: its value after siglongjmp is the unit that got SIGBUS */
	for (volatile size_t u = 0; u < len; u += align) {
		if (sigsetjmp(unit_env, 1)) {
			sigbus_count++;
			continue;
		}
		if (write)
			write_every(p + u, align, PAGE_SZ);
		else
			read_every(p + u, align, PAGE_SZ);
	}
	return sigbus_count;
}

int main(int argc, char **argv)
{
	const char *usage = "devdax_touch DEV MIB ALIGN read|write "
			    "[private|unaligned|nohuge|past=SIZE]";
	const char *how = argc > 5 ? argv[5] : "";
	int flags = MAP_SHARED;
	size_t len, align, span;
	off_t off = 0;
	long before, sigbus;
	char *p, *resv;
	int fd;

	if (argc < 5 || argc > 6 || (strcmp(argv[4], "read") && strcmp(argv[4], "write")))
		usage_exit(usage);
	len = strtoul(argv[2], NULL, 0) * SZ_1M;
	align = strtoul(argv[3], NULL, 0);
	if (!len || !align || (align & (align - 1)) || len % align)
		usage_exit("devdax_touch DEV MIB ALIGN read|write (ALIGN a power of two dividing MIB MiB)");
	if (!strcmp(how, "private")) {
		flags = MAP_PRIVATE;
	} else if (!strncmp(how, "past=", 5)) {
		size_t size = strtoull(how + 5, NULL, 0);

		if (size < len - align || size % align)
			usage_exit("past=SIZE: the device's size, a multiple of ALIGN, at least MIB MiB - ALIGN");
		off = size - (len - align);
	} else if (*how && strcmp(how, "unaligned") && strcmp(how, "nohuge")) {
		usage_exit(usage);
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0)
		die(argv[1]);
	/* an aligned hole, the mapping put at its start (or 4 KiB in) */
	span = len + 2 * align;
	resv = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (resv == MAP_FAILED)
		die("mmap reserve");
	p = (char *)(((uintptr_t)resv + align - 1) & ~(uintptr_t)(align - 1));
	if (!strcmp(how, "unaligned"))
		p += PAGE_SZ;
	p = mmap(p, len, PROT_READ | PROT_WRITE, flags | MAP_FIXED, fd, off);
	if (p == MAP_FAILED) {
		if (!*how || !strncmp(how, "past=", 5))
			die("mmap");
		fprintf(stderr, "devdax_touch: mmap refused: %s\n", strerror(errno));
		return close(fd);
	}
	if (madvise(p, len, !strcmp(how, "nohuge") ? MADV_NOHUGEPAGE : MADV_HUGEPAGE))
		die("madvise");
	catch_sigbus();
	before = minor_faults();
	sigbus = touch_units(p, len, align, !strcmp(argv[4], "write"));
	fprintf(stderr, "devdax_touch: %ld minor faults\n", minor_faults() - before);
	if (*how)
		fprintf(stderr, "devdax_touch: %ld SIGBUS\n", sigbus);
	/* the mapping itself first: bench/faultclock.so's window ends there */
	return munmap(p, len) || munmap(resv, span) || close(fd);
}
