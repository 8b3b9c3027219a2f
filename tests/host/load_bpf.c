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

static int print_warn(enum libbpf_print_level level, const char *fmt,
		      va_list args)
{
	return level == LIBBPF_DEBUG ? 0 : vfprintf(stderr, fmt, args);
}

/* fentry/fexit programs are bound to their target at load: keep the ones
 * this kernel has, or none. */
static int select_fentry(struct bpf_object *obj, bool want)
{
	struct btf *btf = want ? btf__load_vmlinux_btf() : NULL;
	struct bpf_program *prog;
	int n = 0;

	bpf_object__for_each_program(prog, obj) {
		const char *target = strchr(bpf_program__section_name(prog), '/');
		bool keep;

		if (bpf_program__type(prog) != BPF_PROG_TYPE_TRACING)
			continue;
		keep = btf && !libbpf_get_error(btf) && target &&
		       btf__find_by_name_kind(btf, target + 1, BTF_KIND_FUNC) > 0;
		bpf_program__set_autoload(prog, keep);
		n += keep;
	}
	if (btf && !libbpf_get_error(btf))
		btf__free(btf);
	return n;
}

/*
 * The verifier skips code that .rodata makes dead, so each mode is loaded
 * on its own: streaming, hist (classification in the kernel), and the
 * fentry/fexit twins where the kernel allows trampolines.
 */
static int load(const char *mode, bool hist, bool fentry)
{
	struct daxtrace_bpf *skel;
	struct bpf_program *prog;
	int bad = 0, err;

	skel = daxtrace_bpf__open();
	if (!skel) {
		printf("FAIL host/bpf_load/%s: cannot open the object\n", mode);
		return 1;
	}
	skel->rodata->hist_mode = hist;
	skel->rodata->hist_by = hist ? DT_BY_FILE : DT_BY_NONE;
	skel->rodata->filter_tgid = true;
	skel->rodata->follow_forks = true;
	if (select_fentry(skel->obj, fentry) == 0 && fentry) {
		printf("SKIP host/bpf_load/%s: no fentry target in this kernel\n", mode);
		daxtrace_bpf__destroy(skel);
		return 0;
	}
	err = daxtrace_bpf__load(skel);
	if (err == -EPERM && fentry) {
		/* 6.18 here: trampolines refused, the kprobe twins stand in */
		printf("SKIP host/bpf_load/%s: trampolines not permitted (EPERM)\n", mode);
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
	int bad;

	libbpf_set_print(print_warn);
	bad = load("stream", false, false);
	bad += load("hist", true, false);
	bad += load("fentry", false, true);
	return bad ? 1 : 0;
}
