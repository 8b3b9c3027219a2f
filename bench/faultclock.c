// SPDX-License-Identifier: GPL-2.0
/*
 * faultclock.so: LD_PRELOAD into a tests/workloads program to time its
 * fault loop without changing it.  The workloads map their file once
 * (MAP_SHARED, after creating and filling it), fault it, and unmap it: the
 * time from that mmap() to its munmap() is the fault loop, free of the
 * file setup (pwrite + fsync) and of any tracer's start-up.
 *
 * Prints "bench: fault_ns=N" on stderr at that munmap(), the format
 * anon_faults prints with BENCH_TIMING=1.  Only the first shared file
 * mapping of the process is timed.  With BENCH_TRACER_PID set, also
 * "bench: tracer_cpu_ns=N": that process's CPU time in the same window
 * (its scheduler run time, /proc/PID/schedstat), the tracer's userspace
 * side, which shares the bench VM's one vCPU with the workload.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <time.h>

typedef void *(*mmap_fn)(void *, size_t, int, int, int, off_t);
typedef int (*munmap_fn)(void *, size_t);

static void *win_addr;
static unsigned long long win_t0, win_cpu0;
static int win_done;

/* CPU time of $BENCH_TRACER_PID's main thread so far (ns), 0 if none */
static unsigned long long tracer_cpu_ns(void)
{
	const char *pid = getenv("BENCH_TRACER_PID");
	unsigned long long ns = 0;
	char path[64];
	FILE *f;

	if (!pid)
		return 0;
	snprintf(path, sizeof(path), "/proc/%s/schedstat", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &ns) != 1)
		ns = 0;
	fclose(f);
	return ns;
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void *real_mmap(void *addr, size_t len, int prot, int flags, int fd,
		       off_t off)
{
	static mmap_fn fn;

	if (!fn)
		fn = (mmap_fn)dlsym(RTLD_NEXT, "mmap");
	return fn(addr, len, prot, flags, fd, off);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	/* the clock starts before the call: mapping is part of the loop */
	unsigned long long t0 = now_ns();
	void *p = real_mmap(addr, len, prot, flags, fd, off);

	if (p != MAP_FAILED && fd >= 0 && (flags & MAP_SHARED) &&
	    !win_addr && !win_done) {
		win_addr = p;
		win_t0 = t0;
		win_cpu0 = tracer_cpu_ns();
	}
	return p;
}

/* x86_64 glibc: the same function, but a program may name either symbol */
void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
	__attribute__((alias("mmap")));

int munmap(void *addr, size_t len)
{
	static munmap_fn fn;
	int ret;

	if (!fn)
		fn = (munmap_fn)dlsym(RTLD_NEXT, "munmap");
	ret = fn(addr, len);
	if (win_addr && addr == win_addr) {
		unsigned long long t = now_ns() - win_t0;

		fprintf(stderr, "bench: fault_ns=%llu\n", t);
		if (getenv("BENCH_TRACER_PID"))
			fprintf(stderr, "bench: tracer_cpu_ns=%llu\n",
				tracer_cpu_ns() - win_cpu0);
		win_addr = NULL;
		win_done = 1;
	}
	return ret;
}
