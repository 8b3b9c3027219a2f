// SPDX-License-Identifier: GPL-2.0
/*
 * Loads every daxtrace BPF program into the running kernel without
 * attaching any: the verifier and CO-RE relocation run against this
 * kernel's BTF even where kprobes cannot attach.
 */
#include <stdbool.h>
#include <stdio.h>
#include <bpf/libbpf.h>
#include "daxtrace.skel.h"
#include "dt_hist.h"

static int print_warn(enum libbpf_print_level level, const char *fmt,
		      va_list args)
{
	return level == LIBBPF_DEBUG ? 0 : vfprintf(stderr, fmt, args);
}

/*
 * The verifier skips code that .rodata makes dead, so each mode is loaded
 * on its own: streaming, and hist (classification in the kernel).
 */
static int load(const char *mode, bool hist)
{
	struct daxtrace_bpf *skel;
	struct bpf_program *prog;
	int bad = 0;

	skel = daxtrace_bpf__open();
	if (!skel) {
		printf("FAIL host/bpf_load/%s: cannot open the object\n", mode);
		return 1;
	}
	skel->rodata->hist_mode = hist;
	skel->rodata->hist_by = hist ? DT_BY_FILE : DT_BY_NONE;
	skel->rodata->filter_tgid = true;
	skel->rodata->follow_forks = true;
	if (daxtrace_bpf__load(skel)) {
		printf("FAIL host/bpf_load/%s: the object did not load\n", mode);
		daxtrace_bpf__destroy(skel);
		return 1;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		int ok = bpf_program__fd(prog) >= 0;

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
	bad = load("stream", false);
	bad += load("hist", true);
	return bad ? 1 : 0;
}
