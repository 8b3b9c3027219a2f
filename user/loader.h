/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The loader: read the kernel's era off its BTF, open the BPF object with
 * this run's knobs, keep the programs this kernel can run, load (with
 * fallbacks when trampolines are refused), attach, and arm what the
 * programs may rely on once they are attached.
 */
#ifndef USER_LOADER_H
#define USER_LOADER_H

#include "dt_classify.h"
#include "options.h"
#include "probes.h"

struct daxtrace_bpf;

/* What the programs are loaded for, besides the options. */
struct dt_load_opts {
	const struct dt_options *opt;
	struct dt_zero_pfns zero;
	__u32 filter_dev;	/* --path: one filesystem */
	__u64 filter_ino;	/* --path: one file */
};

struct dt_loader {
	struct daxtrace_bpf *skel;
	struct dt_probes probes;
	char fentry_why[96];	/* why no trampolines, if none */
};

/*
 * Loads and attaches.  Returns 0, or -1 with the reason printed; for
 * `probes`, the attach table is printed on stderr when attaching fails.
 */
int dt_loader_start(struct dt_loader *ld, const struct dt_load_opts *lo);
void dt_loader_stop(struct dt_loader *ld);

#endif
