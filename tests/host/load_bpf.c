// SPDX-License-Identifier: GPL-2.0
/*
 * Loads every daxtrace BPF program into the running kernel without
 * attaching any: the verifier and CO-RE relocation run against this
 * kernel's BTF even where kprobes cannot attach.
 */
#include <stdio.h>
#include <bpf/libbpf.h>
#include "daxtrace.skel.h"

static int print_warn(enum libbpf_print_level level, const char *fmt,
		      va_list args)
{
	return level == LIBBPF_DEBUG ? 0 : vfprintf(stderr, fmt, args);
}

int main(void)
{
	struct daxtrace_bpf *skel;
	struct bpf_program *prog;
	int err, n = 0;

	libbpf_set_print(print_warn);
	skel = daxtrace_bpf__open_and_load();
	if (!skel) {
		printf("FAIL host/bpf_load: the object did not load\n");
		return 1;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		int ok = bpf_program__fd(prog) >= 0;

		printf("%s host/bpf_load/%s\n", ok ? "PASS" : "FAIL",
		       bpf_program__name(prog));
		n += !ok;
	}
	err = n ? 1 : 0;
	daxtrace_bpf__destroy(skel);
	return err;
}
