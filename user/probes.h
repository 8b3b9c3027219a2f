/* SPDX-License-Identifier: GPL-2.0 */
/* The attach plan: every probe point optional, each outcome reported. */
#ifndef DT_PROBES_H
#define DT_PROBES_H

#include <stdbool.h>
#include <stdio.h>
#include "dt_entry.h"
#include "dt_points.h"
#include "options.h"
#include "summary.h"

struct bpf_object;
struct btf;

#define DT_MAX_PROBES 32

struct dt_probes {
	struct dt_probe_state state[DT_MAX_PROBES];
	struct bpf_link *links[DT_MAX_PROBES];
	int point[DT_MAX_PROBES];		/* index in the table */
	const char *target[DT_MAX_PROBES];	/* the function or tracepoint */
	/* "unavailable: " + why fits a recording header's 63 bytes */
	char why[DT_MAX_PROBES][51];
	int n;
	enum dt_era era;	/* the kernel's insert path: whose points are tried */
	char era_why[128];	/* the evidence, or what was missing */
	const char *blocked;	/* why the era's insert probes cannot work here */
	char release[65];	/* uname -r */
	enum dt_pte_layout layout;
	bool envelope;	/* fs_dax fault tracepoints attached */
	bool exact;	/* every insert point of the era attached */
	bool devdax;	/* device DAX's envelope attached (dev_dax_huge_fault) */
	bool wp;	/* do_wp_page: fexit, or kprobe and kretprobe, attached */
	bool wp_ret;	/* do_wp_page's return probed: it closes write-protect faults */
	bool finish_opens; /* finish_mkwrite_fault's fentry: opens two-step records */
	bool slots_returned; /* sched_process_exit and _exec: threads give slots back */
	__u8 fb_have;	/* enum dt_fb_source: what decides PMD fallback reasons */
	bool reasons;	/* records keep PMD fallback reasons: attach their points */
};

/* One alternative of the table (include/dt_points.h), for the host test. */
struct dt_probe_alt {
	const char *point;
	const char *prog;
	const char *section_prefix;	/* "fentry/", "raw_tp/", ... */
	const char *target;
	enum dt_era era;
	bool reasons;	/* a PMD fallback reason point: not attached in hist */
	unsigned int map_kind;	/* DT_KIND_*: the kind of DAX mapping it traces */
};

/* Empty plan for a kernel of @era and @release (uname -r). */
void dt_probes_init(struct dt_probes *p, enum dt_era era, const char *era_why,
		    const char *release);
/*
 * Attaches the points of p->era (and of every era) that @mode allows,
 * best kind first (fentry/fexit, kprobe, tracepoint).  @fentry_why says
 * why trampoline programs were not loaded, if they were not.  Returns -1
 * with @err set if tracing is impossible.
 */
int dt_probes_attach(struct dt_probes *p, struct bpf_object *obj,
		     enum dt_mode mode, const char *fentry_why,
		     char *err, int errlen);
/*
 * Before load: keep only the programs of @era's points (DT_ERA_ALL:
 * every era, for verifier tests), not its own insert probes if @blocked;
 * of the BTF programs, those whose target
 * exists in @vmlinux_btf: tp_btf unless @mode is kprobe (the helper-read
 * build throughout), fentry/fexit where @mode allows them and
 * @trampolines.  Returns how many BTF programs are kept.
 */
int dt_probes_select(struct bpf_object *obj, const struct btf *vmlinux_btf,
		     enum dt_era era, bool blocked, enum dt_mode mode,
		     bool trampolines);
void dt_probes_detach(struct dt_probes *p);
/* What `daxtrace probes` prints: the era, each point, how, to what, why. */
void dt_probes_report(FILE *out, const struct dt_probes *p);
/* One line for stderr at start-up. */
void dt_probes_brief(FILE *out, const struct dt_probes *p);
/* The table's alternatives, up to @max; returns how many. */
int dt_probes_table(struct dt_probe_alt *out, int max);

#endif
