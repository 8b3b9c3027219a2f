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
 * side, which shares the bench VM's one vCPU with the workload; and
 * "bench: tracer_pcount=N", how many times it ran in the window (its
 * timeslices: a cost per wake-up tells apart from one per record).
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
static unsigned long long win_t0;
static int win_done;

/* /proc/PID/schedstat of the tracer: its run time and timeslices so far */
struct tracer_stat {
	unsigned long long cpu_ns;	/* on the CPU (schedstat's first field) */
	unsigned long long slices;	/* times put on it (the third) */
};

static struct tracer_stat win_stat0;

/* $BENCH_TRACER_PID's main thread's; all 0 if none */
static struct tracer_stat tracer_stat(void)
{
	const char *pid = getenv("BENCH_TRACER_PID");
	struct tracer_stat st = { 0 };
	char path[64];
	FILE *f;

	if (!pid)
		return st;
	snprintf(path, sizeof(path), "/proc/%s/schedstat", pid);
	f = fopen(path, "re");
	if (!f)
		return st;
	/* the second field, time spent waiting for the CPU, is skipped */
	if (fscanf(f, "%llu %*u %llu", &st.cpu_ns, &st.slices) != 2)
		st = (struct tracer_stat){ 0 };
	fclose(f);
	return st;
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
		win_stat0 = tracer_stat();
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
		if (getenv("BENCH_TRACER_PID")) {
			struct tracer_stat st = tracer_stat();

			fprintf(stderr, "bench: tracer_cpu_ns=%llu\n",
				st.cpu_ns - win_stat0.cpu_ns);
			fprintf(stderr, "bench: tracer_pcount=%llu\n",
				st.slices - win_stat0.slices);
		}
		win_addr = NULL;
		win_done = 1;
	}
	return ret;
}
