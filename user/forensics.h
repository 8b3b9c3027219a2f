/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A violation's forensics, as the reader sees them: the kernel stack of
 * the fault and the VMA's ->pfn_mkwrite and ->fault handlers, by name
 * ("xfs_filemap_pfn_mkwrite [xfs]"), symbolized from a kallsyms table
 * when the BPF side's addresses arrive (struct dt_forensics_event), so
 * that a recording carries names that still mean something elsewhere.
 * Pure: the table is parsed from a stream the caller opened.
 */
#ifndef USER_FORENSICS_H
#define USER_FORENSICS_H

#include <stdio.h>
#include "daxtrace.h"
#include "filenames.h"

#define DT_SYM_LEN	64	/* "name+0xoff [module]", cut to fit */

struct dt_forensics {
	__u64 ts_ns;		/* the fault's record: tid and ts_ns */
	__u32 tid;
	__u32 nframes;
	char pfn_mkwrite[DT_SYM_LEN];
	char fault[DT_SYM_LEN];
	char frames[DT_STACK_DEPTH][DT_SYM_LEN];	/* innermost first */
	char file[DT_FILE_LEN];	/* the file mapped there, "" when unknown */
};

struct dt_ksym {
	__u64 addr;
	char *name;		/* "name" or "name [module]" */
};

/* A /proc/kallsyms: its text symbols, sorted by address. */
struct dt_ksyms {
	struct dt_ksym *v;
	size_t n;
};

/* Parses @f (the kallsyms format); 0, or -1 out of memory. */
int dt_ksyms_parse(struct dt_ksyms *k, FILE *f);
void dt_ksyms_free(struct dt_ksyms *k);
/*
 * @addr as "name+0xoff" (with " [module]" for a module's), or its hex
 * value when no symbol holds it (0 as "0": no handler).
 */
void dt_ksyms_name(const struct dt_ksyms *k, __u64 addr, char *out, size_t len);
/*
 * The function a BPF trampoline is attached to, from the trampoline's key
 * (its symbol is bpf_trampoline_KEY: the BTF object and type of the
 * function), or NULL.  A function traced by fexit returns through its
 * trampoline, so the stack names the trampoline where the function would
 * be: "bpf_trampoline_KEY+0x31 [bpf: do_wp_page]".
 */
typedef const char *(*dt_trampoline_namer)(void *ctx, __u64 key);

void dt_forensics_symbolize(struct dt_forensics *out,
			    const struct dt_forensics_event *fe,
			    const struct dt_ksyms *k,
			    dt_trampoline_namer tramp, void *tctx);
/* ,"forensics":{...} to append to a record's JSON object; returns its end */
char *dt_forensics_json(char *p, const struct dt_forensics *fo);
/* the room dt_forensics_json() may need */
#define DT_FORENSICS_JSON_MAX	(80 + (2 + DT_STACK_DEPTH) * (DT_SYM_LEN * 6 + 8) + \
				 DT_FILE_LEN * 6)
/* indented lines under a record's text line */
void dt_forensics_text(FILE *out, const struct dt_forensics *fo);

#endif
