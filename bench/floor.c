// SPDX-License-Identifier: GPL-2.0
/*
 * floor -- COMMAND [ARG...]: attach bpf/floor.bpf.c's empty programs,
 * each where it loads and attaches, run COMMAND, detach, exit with its
 * status.  The bench's "floor" tracer: the price of daxtrace's attach
 * points with nothing done in them.
 *
 * Each program gets an object of its own: a target this kernel lacks
 * (vmf_insert_pfn_pmd() on 6.1, an inlined wp_page_reuse()) fails its
 * own load only, as daxtrace's optional probes do.  Prints
 * "bench: floor_attached=N" and one "floor: NAME: ..." line per program
 * on stderr.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "floor.skel.h"

#define MAX_PROGS 32

struct attached {
	struct floor_bpf *skel;
	struct bpf_link *link;
};

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/*
 * Load and attach program @idx alone into @a; false if it did not.
 * *@name: the program's, NULL past the last one.
 */
static bool attach_nth(int idx, struct attached *a, const char **name)
{
	struct bpf_program *prog, *keep = NULL;
	struct floor_bpf *skel = floor_bpf__open();
	int i = 0;

	*name = NULL;
	if (!skel)
		return false;
	bpf_object__for_each_program(prog, skel->obj) {
		if (i++ == idx)
			keep = prog;
		else
			bpf_program__set_autoload(prog, false);
	}
	if (!keep)
		goto fail;
	*name = bpf_program__name(keep);
	if (floor_bpf__load(skel)) {
		fprintf(stderr, "floor: %s: load failed: %s\n", *name, strerror(errno));
		goto fail;
	}
	a->link = bpf_program__attach(keep);
	if (!a->link) {
		fprintf(stderr, "floor: %s: attach failed: %s\n", *name, strerror(errno));
		goto fail;
	}
	fprintf(stderr, "floor: %s: attached\n", *name);
	a->skel = skel;
	return true;
fail:
	floor_bpf__destroy(skel);
	return false;
}

static int run(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("floor: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "floor: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("floor: waitpid");
		return 1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	struct attached att[MAX_PROGS];
	int n = 0, rc;

	if (argc < 3 || strcmp(argv[1], "--")) {
		fprintf(stderr, "usage: floor -- COMMAND [ARG...]\n");
		return 2;
	}
	libbpf_set_print(silent);
	for (int i = 0; i < MAX_PROGS; i++) {
		const char *name;

		if (attach_nth(i, &att[n], &name))
			n++;
		else if (!name)
			break;
	}
	fprintf(stderr, "bench: floor_attached=%d\n", n);
	if (!n)
		return 1;
	rc = run(argv + 2);
	while (n--) {
		bpf_link__destroy(att[n].link);
		floor_bpf__destroy(att[n].skel);
	}
	return rc;
}
