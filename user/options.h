/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line options of daxtrace. */
#ifndef DT_OPTIONS_H
#define DT_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

enum dt_mode {
	DT_MODE_AUTO,		/* best each probe point allows */
	DT_MODE_KPROBE,		/* kprobes required for the exact probes */
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

struct dt_options {
	bool probes_only;	/* "daxtrace probes" */
	bool json;
	bool quiet;
	bool verbose;
	enum dt_mode mode;
	enum dt_summary_fmt summary;
	int pid;		/* 0: every process */
	int duration;		/* seconds, 0: until Ctrl-C or CMD exits */
	char **cmd;		/* after "--", NULL-terminated */
};

/*
 * Parses argv into @o.  Returns -1 with a message in @err on bad input,
 * 1 when help was printed, 0 otherwise.
 */
int dt_options_parse(int argc, char **argv, struct dt_options *o,
		     char *err, int errlen);
void dt_usage(FILE *out);
const char *dt_mode_name(enum dt_mode m);

#endif
