/* SPDX-License-Identifier: GPL-2.0 */
/* Start COMMAND held at the gate, so tracing is in place before it runs. */
#ifndef DT_CHILD_H
#define DT_CHILD_H

#include <sys/types.h>

struct dt_child {
	pid_t pid;
	int gate_fd;	/* write end: closing it lets the child exec */
	int err_fd;	/* read end: errno if exec failed, EOF if it worked */
};

int dt_child_spawn(struct dt_child *c, char **argv);
/* Releases the child; returns 0 or the errno of its failed exec. */
int dt_child_release(struct dt_child *c);

#endif
