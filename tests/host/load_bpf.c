// SPDX-License-Identifier: GPL-2.0
/*
 * Loads every daxtrace BPF program into the running kernel without
 * attaching any: the verifier and CO-RE relocation run against this
 * kernel's BTF even where kprobes cannot attach.
 */
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "daxtrace.skel.h"
#include "dt_hist.h"
#include "probes.h"

static int print_warn(enum libbpf_print_level level, const char *fmt,
		      va_list args)
{
	return level == LIBBPF_DEBUG ? 0 : vfprintf(stderr, fmt, args);
}

/* fentry/fexit and tp_btf programs are bound to their target at load:
 * keep the ones this kernel has, as daxtrace does, or none. */
static int select_fentry(struct bpf_object *obj, bool want, bool trampolines)
{
	struct btf *btf = want ? btf__load_vmlinux_btf() : NULL;
	int n;

	if (libbpf_get_error(btf))
		btf = NULL;
	/* every era's programs: the verifier sees them all on any kernel */
	n = dt_probes_select(obj, btf, DT_ERA_ALL, false, DT_MODE_AUTO, trampolines);
	btf__free(btf);
	return n;
}

/*
 * The verifier skips code that .rodata makes dead, so each mode is loaded
 * on its own: streaming, hist (classification in the kernel) with --by
 * (hash; by file, and by reason) and without (array), the fentry/fexit and tp_btf twins where the
 * kernel allows trampolines, and the tp_btf twins alone (no trampoline
 * needed).
 */
struct load_case {
	const char *mode;
	bool hist;
	enum dt_hist_by by;
	bool fentry;		/* BTF programs too */
	bool trampolines;	/* fentry/fexit among them, not only tp_btf */
};

static const struct load_case cases[] = {
	{ "stream", false, DT_BY_NONE, false, false },
	{ "hist", true, DT_BY_FILE, false, false },
	{ "hist_flat", true, DT_BY_NONE, false, false },
	/* the key reads the fallback reason: another .rodata-live branch */
	{ "hist_reason", true, DT_BY_REASON, false, false },
	{ "fentry", false, DT_BY_NONE, true, true },
	{ "tp_btf", false, DT_BY_NONE, true, false },
};

static int load(const struct load_case *c)
{
	const char *mode = c->mode;
	struct daxtrace_bpf *skel;
	struct bpf_program *prog;
	int bad = 0, err;

	skel = daxtrace_bpf__open();
	if (!skel) {
		printf("FAIL host/bpf_load/%s: cannot open the object\n", mode);
		return 1;
	}
	skel->rodata->hist_mode = c->hist;
	skel->rodata->hist_by = c->by;
	skel->rodata->filter_tgid = true;
	skel->rodata->follow_forks = true;
	if (select_fentry(skel->obj, c->fentry, c->trampolines) == 0 && c->fentry) {
		printf("SKIP host/bpf_load/%s: no fentry target in this kernel\n", mode);
		daxtrace_bpf__destroy(skel);
		return 0;
	}
	err = daxtrace_bpf__load(skel);
	if (err == -EPERM && c->fentry) {
		/* 6.18 here: trampolines refused, the kprobe twins stand in */
		printf("SKIP host/bpf_load/%s: BTF programs not permitted (EPERM)\n", mode);
		daxtrace_bpf__destroy(skel);
		return 0;
	}
	if (err) {
		printf("FAIL host/bpf_load/%s: the object did not load (%d)\n", mode, err);
		daxtrace_bpf__destroy(skel);
		return 1;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		int ok = bpf_program__fd(prog) >= 0;

		if (!bpf_program__autoload(prog))
			continue;

		printf("%s host/bpf_load/%s/%s\n", ok ? "PASS" : "FAIL", mode,
		       bpf_program__name(prog));
		bad += !ok;
	}
	daxtrace_bpf__destroy(skel);
	return bad;
}

int main(void)
{
	int bad = 0;

	libbpf_set_print(print_warn);
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		bad += load(&cases[i]);
	return bad ? 1 : 0;
}
