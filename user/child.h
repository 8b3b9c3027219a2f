/* SPDX-License-Identifier: GPL-2.0 */
/* Start COMMAND held at the gate, so tracing is in place before it runs. */
#ifndef DT_CHILD_H
#define DT_CHILD_H

#include <signal.h>
#include <sys/types.h>

/* SIGINT, SIGTERM, SIGPIPE */
#define DT_CHILD_SIGNALS 3

struct dt_child {
	pid_t pid;
	int gate_fd;	/* write end: closing it lets the child exec */
	int err_fd;	/* read end: errno if exec failed, EOF if it worked */
	/*
	 * The dispositions daxtrace was started with, of the signals it
	 * handles or ignores for itself (dt_child_own_signals()): COMMAND
	 * gets them back before exec.  An ignored signal stays ignored
	 * across exec and a caught one reverts to the default, so without
	 * this COMMAND would ignore SIGPIPE (and see EPIPE where it was
	 * killed: xfstests' "cp --help | grep -q" printed "cp: write error:
	 * Broken pipe" under daxtrace check), and no longer ignore a SIGINT
	 * its caller ignored (a background job's).
	 */
	struct sigaction given[DT_CHILD_SIGNALS];
};

/*
 * Install daxtrace's own dispositions (@on_stop for SIGINT and SIGTERM,
 * SIGPIPE ignored), keeping the ones given in @c for COMMAND.
 */
void dt_child_own_signals(struct dt_child *c, void (*on_stop)(int));
int dt_child_spawn(struct dt_child *c, char **argv);
/* Releases the child; returns 0 or the errno of its failed exec. */
int dt_child_release(struct dt_child *c);

#endif
