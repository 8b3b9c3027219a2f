/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The record layout shared by the BPF programs and the userspace loader.
 *
 * The BPF side only *observes*: it notes which kernel functions ran during
 * one fault and copies raw page-table entries.  Every judgement (which class
 * a fault belongs to, whether an entry is the zero page) is made in
 * userspace, in plain C that the unit tests and fuzzers can reach.
 */
#ifndef DAXTRACE_H
#define DAXTRACE_H

#ifndef __VMLINUX_H__	/* userspace; BPF gets the types from vmlinux.h */
#include <linux/types.h>
#endif

#define DT_COMM_LEN	16

/* Mask that strips pfn_t's flag bits (top 12 bits on kernels < 6.17). */
#define DT_PFN_MASK	((1ULL << 52) - 1)

/* Kernel ABI values that have not moved since 4.x (include/linux/mm_types.h). */
#define DT_FAULT_FLAG_WRITE	0x1
#define DT_FAULT_FLAG_MKWRITE	0x2

#define DT_VM_FAULT_OOM			0x0001
#define DT_VM_FAULT_SIGBUS		0x0002
#define DT_VM_FAULT_HWPOISON		0x0010
#define DT_VM_FAULT_HWPOISON_LARGE	0x0020
#define DT_VM_FAULT_SIGSEGV		0x0040
#define DT_VM_FAULT_NOPAGE		0x0100
#define DT_VM_FAULT_RETRY		0x0400
#define DT_VM_FAULT_FALLBACK		0x0800
#define DT_VM_FAULT_DONE_COW		0x1000
#define DT_VM_FAULT_NEEDDSYNC		0x2000
#define DT_VM_FAULT_ERROR (DT_VM_FAULT_OOM | DT_VM_FAULT_SIGBUS | \
			   DT_VM_FAULT_SIGSEGV | DT_VM_FAULT_HWPOISON | \
			   DT_VM_FAULT_HWPOISON_LARGE)

#define DT_VM_SHARED	0x00000008ULL

enum dt_size {
	DT_SIZE_PTE = 0,
	DT_SIZE_PMD = 1,
	DT_SIZE_PUD = 2,	/* 1 GiB: device DAX aligned to 1G */
	DT_SIZES,
};

/* What the BPF side saw during one fault (dt_event.seen). */
enum dt_seen {
	DT_SEEN_WP		= 1 << 0,  /* do_wp_page() handled the fault */
	DT_SEEN_DAX_FAULT	= 1 << 1,  /* fs_dax fault tracepoint fired */
	DT_SEEN_INSERT		= 1 << 2,  /* insert_pfn() ran (PTE) */
	DT_SEEN_BEFORE		= 1 << 3,  /* .before holds the entry under PTL */
	DT_SEEN_AFTER		= 1 << 4,  /* .after holds the entry afterwards */
	DT_SEEN_INSERT_PMD	= 1 << 5,  /* vmf_insert_pfn_pmd*() ran */
	DT_SEEN_HOLE		= 1 << 6,  /* dax_load_hole / dax_pmd_load_hole */
	DT_SEEN_FALLBACK	= 1 << 7,  /* a PMD fault fell back to PTEs */
	DT_SEEN_FINISH_MKWRITE	= 1 << 8,  /* finish_mkwrite_fault() */
	DT_SEEN_WP_REUSE	= 1 << 9,  /* wp_page_reuse() */
	DT_SEEN_WP_COPY		= 1 << 10, /* wp_page_copy(): older recordings only */
	DT_SEEN_COW_PAGE	= 1 << 11, /* vmf->cow_page: do_cow_fault() */
	DT_SEEN_MKWRITE_ARG	= 1 << 12, /* insert was asked to mkwrite */
	DT_SEEN_DONE		= 1 << 13, /* a fault_done result was seen */
	DT_SEEN_ORIG		= 1 << 14, /* .orig holds the entry at entry */
	DT_SEEN_SYNC		= 1 << 15, /* MAP_SYNC: dax_insert_pfn_mkwrite */
	DT_SEEN_WP_AFTER	= 1 << 16, /* .after read at do_wp_page() return */
	DT_SEEN_UNTIMED		= 1 << 17, /* opened late (fexit): no start, no latency */
	DT_SEEN_INSERT_PUD	= 1 << 18, /* vmf_insert_pfn_pud*() / _folio_pud() ran */
	DT_SEEN_DEVDAX		= 1 << 19, /* a device-DAX fault (dev_dax_huge_fault) */
	DT_SEEN_VMA_ALIGN	= 1 << 20, /* devdax: .pmd_fallback holds log2 of the VMA's alignment */
};

/* Processes (COMMAND and its children) the traced set holds unless --max-procs. */
#define DT_MAX_PROCS_DEFAULT	65536

/* Counters kept by BPF in the "stats" per-CPU array. */
enum dt_stat {
	DT_STAT_LOST = 0,	/* ring buffer full: record dropped */
	DT_STAT_STALE,		/* an unfinished record was replaced */
	DT_STAT_CTX_FULL,	/* no in-flight record: task storage busy or full */
	DT_STAT_HIST_FULL,	/* hist mode: no room for another histogram */
	DT_STAT_FORK_FULL,	/* a child could not join the traced set: untraced */
	DT_STAT_MAX,
};

/* One fault on a DAX VMA: one handle_mm_fault() as far as DAX is concerned. */
struct dt_event {
	__u64 ts_ns;		/* CLOCK_MONOTONIC at fault entry (return if untimed) */
	__u64 latency_ns;	/* 0 if DT_SEEN_UNTIMED */
	__u64 ino;
	__u64 pgoff;
	__u64 address;
	__u64 vm_flags;
	__u64 orig;		/* vmf->orig_pte or *vmf->pmd at fault entry */
	__u64 before;		/* entry insert found under the PTL */
	__u64 after;		/* entry when insert returned */
	__u64 req_pfn;		/* PFN the filesystem asked to map */
	__u32 pid;
	__u32 tid;
	__u32 dev;		/* kernel dev_t: MAJOR << 20 | MINOR */
	__u32 fault_flags;
	__u32 result;		/* vm_fault_t */
	__u32 seen;		/* enum dt_seen */
	__u16 inserts;
	__u8 size;		/* enum dt_size */
	__u8 pmd_fallback;	/* enum dt_fallback, if seen has DT_SEEN_FALLBACK;
				 * with DT_SEEN_VMA_ALIGN (device DAX) log2 of
				 * the VMA's alignment instead */
	__u32 forensics;	/* 1: a struct dt_forensics_event went before it */
	char comm[DT_COMM_LEN];
};

/*
 * Where a violation was committed (bpf/forensics.bpf.h): sent in the same
 * ring buffer, told apart by its size, before the fault's own record,
 * whose forensics it sets.  Only for violations and --stacks: no other
 * fault pays for it.  Kernel addresses, symbolized by userspace.
 */
#define DT_STACK_DEPTH	24

struct dt_forensics_event {
	__u64 ts_ns;		/* the fault's: with tid, the record it goes with */
	__u32 tid;
	__u32 nframes;
	__u64 pfn_mkwrite;	/* vma->vm_ops->pfn_mkwrite: who answered */
	__u64 fault;		/* vma->vm_ops->fault */
	__u64 ino;		/* vma->vm_file's, with s_dev: a dt_file_event's */
	__u32 s_dev;		/* the superblock's dev_t; 0 and 0: no file */
	__u32 pad;
	__u64 stack[DT_STACK_DEPTH];	/* return addresses, innermost first */
};

/*
 * The name of a file that forensics are about, sent ahead of the first
 * dt_forensics_event on it (once per file: a run of 4096 violations on
 * one file sends its name once, and the ring buffer keeps its room for
 * records).  Its dentries as they are at the fault, the file's first;
 * userspace puts them under the mount point of @s_dev (the process may be
 * gone by then, and its maps with it).
 */
#define DT_PATH_DEPTH		8	/* dentries walked up from the file */
#define DT_DENTRY_NAME_LEN	64	/* each name, NUL included, cut to fit */

struct dt_file_event {
	__u64 ino;
	__u32 s_dev;
	__u32 nnames;		/* names[] filled */
	__u32 rooted;		/* 1: the walk reached the filesystem's root */
	__u32 pad;
	char names[DT_PATH_DEPTH][DT_DENTRY_NAME_LEN];
};

/*
 * --split-exec: the process tree of COMMAND, so that userspace can put
 * each fault in the group of the nearest exec that matched.  Sent in the
 * same ring buffer as the faults, in order; told apart by its size.
 */
enum dt_proc_kind {
	DT_PROC_FORK = 1,	/* pid was forked by ppid */
	DT_PROC_EXEC = 2,	/* pid exec'd path */
};

#define DT_PROC_PATH_LEN	64

struct dt_proc_event {
	__u64 ts_ns;
	__u32 kind;		/* enum dt_proc_kind */
	__u32 pid;		/* process (tgid): the child, or the exec'ing one */
	__u32 ppid;		/* fork: the parent's tgid */
	__u32 pad;
	char path[DT_PROC_PATH_LEN];	/* exec: the file as exec'd (bprm->filename) */
};

#endif /* DAXTRACE_H */
