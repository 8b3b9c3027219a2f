/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the scenario workloads.  Each workload makes one known fault
 * pattern on a file of a DAX mount and says what daxtrace must count.
 */
#ifndef WORKLOAD_H
#define WORKLOAD_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE_SZ	4096UL
#define SZ_2M	(2UL << 20)
#define SZ_1M	(1UL << 20)

static inline void die(const char *what)
{
	fprintf(stderr, "workload: %s: %s\n", what, strerror(errno));
	exit(1);
}

static inline void usage_exit(const char *usage)
{
	fprintf(stderr, "usage: %s\n", usage);
	exit(2);
}

/* A new file of @len bytes: sparse, or written through write(2) and synced. */
static inline int make_file(const char *path, size_t len, int allocate)
{
	static char buf[1 << 16];
	int fd;

	unlink(path);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
	if (fd < 0)
		die(path);
	if (!allocate) {
		if (ftruncate(fd, len))
			die("ftruncate");
		return fd;
	}
	memset(buf, 0xa5, sizeof(buf));
	for (size_t off = 0; off < len; off += sizeof(buf))
		if (pwrite(fd, buf, sizeof(buf), off) != (ssize_t)sizeof(buf))
			die("pwrite");
	if (fsync(fd))
		die("fsync");
	return fd;
}

/*
 * Maps @len bytes of @fd from file offset @off at an address aligned to
 * @align.  @huge == 0 asks for 4 KiB faults only (MADV_NOHUGEPAGE: no PMD
 * attempt, no fallback).  Every @align-sized range the mapping touches
 * stays inside a PROT_NONE reservation, which faults nothing: no other
 * mapping can have a page table there, whose PMD would not be none and
 * let no PMD fault happen (a 1 MiB mapping at the top of a 3 MiB
 * reservation shared its 2 MiB with the next mapping up, where ASLR put
 * one, on 6.1).
 */
static inline char *map_file(int fd, size_t len, off_t off, int flags,
			     size_t align, int huge)
{
	size_t span = (len + align - 1) & ~(align - 1);
	char *resv, *p;

	resv = mmap(NULL, span + align, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (resv == MAP_FAILED)
		die("mmap reserve");
	p = (char *)(((uintptr_t)resv + align - 1) & ~(uintptr_t)(align - 1));
	p = mmap(p, len, PROT_READ | PROT_WRITE, flags | MAP_FIXED, fd, off);
	if (p == MAP_FAILED)
		die("mmap");
	if (madvise(p, len, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		die("madvise");
	return p;
}

static inline unsigned long read_every(const char *p, size_t len, size_t step)
{
	unsigned long sum = 0;

	for (size_t off = 0; off < len; off += step)
		sum += ((volatile const char *)p)[off];
	return sum;
}

static inline void write_every(char *p, size_t len, size_t step)
{
	for (size_t off = 0; off < len; off += step)
		((volatile char *)p)[off] = 1;
}

/*
 * The body of the "PROG FILE MIB" writers: a new sparse file of MIB MiB,
 * mapped with @flags at @align (@huge: PMD faults allowed), one byte
 * written every @step bytes.
 */
static inline int write_new_file(int argc, char **argv, const char *usage,
				 int flags, size_t align, int huge, size_t step)
{
	size_t len;
	char *p;
	int fd;

	if (argc != 3)
		usage_exit(usage);
	len = strtoul(argv[2], NULL, 0) * SZ_1M;
	fd = make_file(argv[1], len, 0);
	p = map_file(fd, len, 0, flags, align, huge);
	write_every(p, len, step);
	return munmap(p, len) || close(fd);
}

#endif
