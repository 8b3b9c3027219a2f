/* SPDX-License-Identifier: GPL-2.0 */
/* The attach plan: every probe point optional, each outcome reported. */
#ifndef DT_PROBES_H
#define DT_PROBES_H

#include <stdbool.h>
#include <stdio.h>
#include "options.h"
#include "summary.h"

struct bpf_object;
struct btf;

#define DT_MAX_PROBES 24

struct dt_probes {
	struct dt_probe_state state[DT_MAX_PROBES];
	struct bpf_link *links[DT_MAX_PROBES];
	/* "unavailable: " + why fits a recording header's 63 bytes */
	char why[DT_MAX_PROBES][51];
	int n;
	bool envelope;	/* fs_dax fault tracepoints attached */
	bool exact;	/* insert_pfn + PTE probes attached */
	bool wp;	/* do_wp_page: fexit, or kprobe and kretprobe, attached */
	bool wp_ret;	/* do_wp_page's return probed: it closes write-protect faults */
	bool finish_opens; /* finish_mkwrite_fault's fentry: opens two-step records */
	bool slots_returned; /* sched_process_exit and _exec: threads give slots back */
};

/*
 * Attaches what @mode allows, best kind first (fentry/fexit, kprobe,
 * tracepoint).  @fentry_why says why trampoline programs were not loaded,
 * if they were not.  Returns -1 with @err set if tracing is impossible.
 */
int dt_probes_attach(struct dt_probes *p, struct bpf_object *obj,
		     enum dt_mode mode, const char *fentry_why,
		     char *err, int errlen);
/*
 * Before load: keep the BTF programs whose target exists in
 * @vmlinux_btf: tp_btf unless @mode is kprobe (the helper-read build
 * throughout), fentry/fexit where @mode allows them and @trampolines.
 * Returns how many.
 */
int dt_probes_select_fentry(struct bpf_object *obj, const struct btf *vmlinux_btf,
			    enum dt_mode mode, bool trampolines);
void dt_probes_detach(struct dt_probes *p);
/* The table `daxtrace probes` prints: each point, how, and what it costs. */
void dt_probes_report(FILE *out, const struct dt_probes *p);
/* One line for stderr at start-up. */
void dt_probes_brief(FILE *out, const struct dt_probes *p);

#endif
