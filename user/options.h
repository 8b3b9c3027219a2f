/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line options of daxtrace. */
#ifndef DT_OPTIONS_H
#define DT_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>
#include "dt_hist.h"
#include "listen.h"

enum dt_mode {
	DT_MODE_AUTO,		/* best each probe point allows */
	DT_MODE_KPROBE,		/* kprobes only (no trampolines), exact required */
	DT_MODE_FENTRY,		/* fentry/fexit only, exact required */
	DT_MODE_TRACEPOINT,	/* fs_dax tracepoints only */
};

enum dt_summary_fmt {
	DT_SUMMARY_TEXT,
	DT_SUMMARY_JSON,
	DT_SUMMARY_NONE,
};

/* Exit codes: CI keys on these. */
enum dt_exit {
	DT_EXIT_OK = 0,
	DT_EXIT_VIOLATION = 1,	/* a forbidden class was seen */
	DT_EXIT_TOOL = 2,	/* daxtrace could not do its job */
	DT_EXIT_CMD = 3,	/* the traced command failed */
};

enum dt_cmd {
	DT_CMD_TRACE,		/* the default: stream records */
	DT_CMD_PROBES,
	DT_CMD_HIST,
	DT_CMD_CHECK,
	DT_CMD_RECORD,
	DT_CMD_REPORT,
	DT_CMD_SERVE,		/* the OpenMetrics exporter */
	DT_CMD_DIFF,		/* two runs side by side */
};

#define DT_MAX_RULES 32
/* --max-procs: at most this many; the default is DT_MAX_PROCS_DEFAULT */
#define DT_MAX_PROCS_MAX	(1 << 22)

struct dt_options {
	enum dt_cmd cmd_kind;
	bool json;
	bool quiet;
	bool verbose;
	enum dt_mode mode;
	enum dt_summary_fmt summary;
	int pid;		/* 0: every process */
	int duration;		/* seconds, 0: until Ctrl-C or CMD exits */
	char **cmd;		/* after "--", NULL-terminated */
	/* hist */
	int interval;		/* -i: print and reset every SECS */
	enum dt_hist_by by;
	/* check (and report --check) */
	const char *forbid[DT_MAX_RULES];
	int nforbid;
	const char *expect[DT_MAX_RULES];
	int nexpect;
	const char *junit;
	/* record / report */
	const char *output;	/* record -o FILE */
	const char *input;	/* report FILE */
	bool report_hist;	/* report --hist */
	bool report_check;	/* report --check */
	const char *svg;	/* report --svg FILE */
	const char *path;	/* --path: one DAX file or filesystem */
	const char *dev;		/* --dev: a device-DAX device */
	int ringbuf_kb;		/* --ringbuf-kb: ring buffer size, 0 = default */
	int max_procs;		/* --max-procs: traced process set, 0 = default */
	const char *split_exec;	/* --split-exec GLOB: group faults by process tree */
	__u32 stacks;		/* --stacks: classes, 1 << enum dt_class, with forensics */
	/* diff */
	const char *diff[2];	/* A and B */
	const char *fail_on[DT_MAX_RULES];
	int nfail_on;
	/* serve */
	struct dt_listen listen;	/* --listen, DT_LISTEN_DEFAULT if not given */
};

/*
 * dt_options_parse()'s answer to --version: the caller, linked with the
 * build's version, prints it.
 */
#define DT_OPTIONS_VERSION	2

/*
 * Parses argv into @o.  Returns -1 with a message in @err on bad input,
 * 1 when help was printed, DT_OPTIONS_VERSION for --version, 0 otherwise.
 */
int dt_options_parse(int argc, char **argv, struct dt_options *o,
		     char *err, int errlen);
void dt_usage(FILE *out);
const char *dt_mode_name(enum dt_mode m);

#endif
