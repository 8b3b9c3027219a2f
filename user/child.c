// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "child.h"

static const int own_signals[DT_CHILD_SIGNALS] = { SIGINT, SIGTERM, SIGPIPE };

void dt_child_own_signals(struct dt_child *c, void (*on_stop)(int))
{
	for (int i = 0; i < DT_CHILD_SIGNALS; i++) {
		struct sigaction sa = { 0 };

		sa.sa_handler = own_signals[i] == SIGPIPE ? SIG_IGN : on_stop;
		sa.sa_flags = SA_RESTART;	/* as signal() did */
		sigemptyset(&sa.sa_mask);
		sigaction(own_signals[i], &sa, &c->given[i]);
	}
}

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
		for (int i = 0; i < DT_CHILD_SIGNALS; i++)
			sigaction(own_signals[i], &c->given[i], NULL);
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
