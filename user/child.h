/* SPDX-License-Identifier: GPL-2.0 */
/* Start COMMAND held at the gate, so tracing is in place before it runs. */
#ifndef DT_CHILD_H
#define DT_CHILD_H

#include <signal.h>
#include <sys/types.h>

struct dt_child {
	pid_t pid;
	int gate_fd;	/* write end: closing it lets the child exec */
	int err_fd;	/* read end: errno if exec failed, EOF if it worked */
	/*
	 * SIGPIPE's disposition for COMMAND: the one daxtrace was started
	 * with, which ignores it for itself.  An ignored signal stays
	 * ignored across exec, and a COMMAND that ignores SIGPIPE sees EPIPE
	 * where it was killed before (xfstests' "cp --help | grep -q"
	 * printed "cp: write error: Broken pipe" under daxtrace check).
	 */
	void (*sigpipe)(int);
};

int dt_child_spawn(struct dt_child *c, char **argv);
/* Releases the child; returns 0 or the errno of its failed exec. */
int dt_child_release(struct dt_child *c);

#endif
