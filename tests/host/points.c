// SPDX-License-Identifier: GPL-2.0
/*
 * The probe-point table (include/dt_points.h) against the BPF object:
 * every alternative's program exists, in the section its kind and target
 * say, and every program of the object is in the table once.  The object
 * is only opened, not loaded: this runs anywhere, as any user.
 */
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "daxtrace.skel.h"
#include "probes.h"

#define MAX_ALTS 64

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

int main(void)
{
	struct dt_probe_alt alts[MAX_ALTS];
	int n = dt_probes_table(alts, MAX_ALTS), bad = 0, progs = 0;
	bool era_has_exact[3] = { false };
	struct daxtrace_bpf *skel;
	struct bpf_program *prog;

	libbpf_set_print(silent);
	skel = daxtrace_bpf__open();
	if (!skel) {
		printf("FAIL host/points/open: cannot open the BPF object\n");
		return 1;
	}
	for (int i = 0; i < n; i++) {
		char want[128];
		const char *sec;

		snprintf(want, sizeof(want), "%s%s", alts[i].section_prefix,
			 alts[i].target);
		prog = bpf_object__find_program_by_name(skel->obj, alts[i].prog);
		sec = prog ? bpf_program__section_name(prog) : NULL;
		if (!sec || strcmp(sec, want)) {
			printf("FAIL host/points/%s: program %s %s%s, table says %s\n",
			       alts[i].point, alts[i].prog, sec ? "in " : "missing",
			       sec ? sec : "", want);
			bad++;
		}
		for (int j = 0; j < i; j++)
			if (!strcmp(alts[j].prog, alts[i].prog)) {
				printf("FAIL host/points/%s: program %s listed twice\n",
				       alts[i].point, alts[i].prog);
				bad++;
			}
		if (alts[i].era == DT_ERA_PFN || alts[i].era == DT_ERA_PAGE)
			era_has_exact[alts[i].era] = true;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		const char *name = bpf_program__name(prog);
		bool found = false;

		progs++;
		for (int i = 0; i < n && !found; i++)
			found = !strcmp(alts[i].prog, name);
		if (!found) {
			printf("FAIL host/points/%s: program not in include/dt_points.h\n",
			       name);
			bad++;
		}
	}
	if (!era_has_exact[DT_ERA_PFN] || !era_has_exact[DT_ERA_PAGE]) {
		printf("FAIL host/points/eras: an era without insert points\n");
		bad++;
	}
	if (!bad)
		printf("PASS host/points/table (%d alternatives, %d programs)\n", n, progs);
	daxtrace_bpf__destroy(skel);
	return bad ? 1 : 0;
}
