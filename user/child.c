// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "child.h"

int dt_child_spawn(struct dt_child *c, char **argv)
{
	int gate[2], err[2];

	if (pipe2(gate, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
		return -1;
	c->pid = fork();
	if (c->pid < 0)
		return -1;
	if (c->pid == 0) {
		char b;
		int e;

		close(gate[1]);
		close(err[0]);
		/* wait until the parent has attached its probes */
		if (read(gate[0], &b, 1) < 0)
			_exit(127);
		signal(SIGPIPE, c->sigpipe);
		execvp(argv[0], argv);
		e = errno;
		if (write(err[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(gate[0]);
	close(err[1]);
	c->gate_fd = gate[1];
	c->err_fd = err[0];
	return 0;
}

int dt_child_release(struct dt_child *c)
{
	int e = 0;

	close(c->gate_fd);
	if (read(c->err_fd, &e, sizeof(e)) != sizeof(e))
		e = 0;
	close(c->err_fd);
	return e;
}
