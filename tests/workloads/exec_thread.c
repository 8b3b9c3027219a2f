// SPDX-License-Identifier: GPL-2.0
/*
 * exec_thread PROG [ARG...]: a thread other than the leader execs PROG.
 * The kernel ends every other thread, the leader included, and PROG goes
 * on in the same process with the leader's PID as its TID (de_thread()).
 * A tracer following the process must follow PROG: expect its faults.
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static char **prog;

static void *exec_prog(void *arg)
{
	(void)arg;
	execv(prog[0], prog);
	perror("exec_thread: execv");
	_exit(127);
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc < 2) {
		fprintf(stderr, "usage: exec_thread PROG [ARG...]\n");
		return 2;
	}
	prog = argv + 1;
	if (pthread_create(&t, NULL, exec_prog, NULL)) {
		perror("exec_thread: pthread_create");
		return 1;
	}
	/* the exec ends this thread: it never returns */
	pthread_join(t, NULL);
	return 1;
}
