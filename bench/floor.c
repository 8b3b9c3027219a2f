// SPDX-License-Identifier: GPL-2.0
/*
 * floor [--reasons] -- COMMAND [ARG...]: attach bpf/floor.bpf.c's empty
 * programs where daxtrace hist attaches in its default mode on this
 * kernel, run COMMAND, detach, exit with its status.  The bench's "floor"
 * tracer: the price of daxtrace's attach points with nothing done in them.
 * With --reasons, the PMD fallback reason points too (issue 15), which
 * the modes that keep records attach (the stream, record, check): the
 * bench's "sfloor" tracer, the floor of the stream.
 *
 * The points are those of include/dt_points.h for this kernel's era (read
 * off BTF, as daxtrace does); per point, the first tracepoint or
 * trampoline alternative that loads and attaches (device DAX's kprobe and
 * kretprobe, its only kind, when device_dax is loaded).  Each program gets an
 * object of its own: a target this kernel lacks (vmf_insert_pfn_pmd_prot()
 * on 6.4 and later, an inlined wp_page_reuse()) fails its own load only.
 * Prints "bench: floor_attached=N" and one "floor: POINT: ..." line per
 * point on stderr.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "era.h"
#include "floor.skel.h"
#include "probes.h"

#define MAX_ALTS 64

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

/* Load and attach the empty program @prog alone into @a; false if not. */
static bool attach_prog(const char *prog, struct attached *a)
{
	struct floor_bpf *skel = floor_bpf__open();
	struct bpf_program *p, *keep = NULL;

	if (!skel)
		return false;
	bpf_object__for_each_program(p, skel->obj) {
		if (!strcmp(bpf_program__name(p), prog))
			keep = p;
		else
			bpf_program__set_autoload(p, false);
	}
	if (!keep || floor_bpf__load(skel))
		goto fail;
	a->link = bpf_program__attach(keep);
	if (!a->link)
		goto fail;
	a->skel = skel;
	return true;
fail:
	floor_bpf__destroy(skel);
	return false;
}

/*
 * The era's points, each at its first alternative that attaches; the
 * reason points only if @reasons.
 */
static int attach_points(struct attached *att, int max, bool reasons)
{
	struct dt_probe_alt alts[MAX_ALTS];
	int nalts = dt_probes_table(alts, MAX_ALTS), n = 0;
	struct btf *btf = btf__load_vmlinux_btf();
	const char *done = NULL;
	enum dt_era era;
	char why[128];

	if (libbpf_get_error(btf))
		btf = NULL;
	era = dt_era_detect(btf, why, sizeof(why));
	btf__free(btf);
	fprintf(stderr, "floor: insert path %s (%s)\n", dt_era_name(era), why);
	for (int i = 0; i < nalts && n < max; i++) {
		if (alts[i].era != DT_ERA_ALL && alts[i].era != era)
			continue;
		if (done && !strcmp(done, alts[i].point))
			continue;	/* the point attached already */
		/*
		 * not the default mode's, but for device DAX's envelope: a
		 * module function, kprobes its one kind
		 */
		if (strstr(alts[i].section_prefix, "kprobe") &&
		    alts[i].map_kind != DT_KIND_DEVDAX)
			continue;
		if (alts[i].reasons && !reasons)
			continue;	/* not hist's */
		if (!attach_prog(alts[i].prog, &att[n]))
			continue;
		fprintf(stderr, "floor: %s: %s%s\n", alts[i].point,
			alts[i].section_prefix, alts[i].target);
		done = alts[i].point;
		n++;
	}
	return n;
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
	struct attached att[MAX_ALTS];
	bool reasons = argc > 1 && !strcmp(argv[1], "--reasons");
	char **rest = argv + 1 + reasons;
	int n, rc;

	if (argc < 3 + reasons || strcmp(rest[0], "--")) {
		fprintf(stderr, "usage: floor [--reasons] -- COMMAND [ARG...]\n");
		return 2;
	}
	libbpf_set_print(silent);
	n = attach_points(att, MAX_ALTS, reasons);
	fprintf(stderr, "bench: floor_attached=%d\n", n);
	if (!n)
		return 1;
	rc = run(rest + 1);
	while (n--) {
		bpf_link__destroy(att[n].link);
		floor_bpf__destroy(att[n].skel);
	}
	return rc;
}
