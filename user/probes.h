/* SPDX-License-Identifier: GPL-2.0 */
/* The attach plan: every probe point optional, each outcome reported. */
#ifndef DT_PROBES_H
#define DT_PROBES_H

#include <stdbool.h>
#include <stdio.h>
#include "options.h"
#include "summary.h"

struct bpf_object;

#define DT_MAX_PROBES 24

struct dt_probes {
	struct dt_probe_state state[DT_MAX_PROBES];
	struct bpf_link *links[DT_MAX_PROBES];
	char why[DT_MAX_PROBES][64];
	int n;
	bool envelope;	/* fs_dax fault tracepoints attached */
	bool exact;	/* insert_pfn + PTE probes attached */
	bool wp;	/* do_wp_page entry and return attached */
};

/* Attaches what @mode allows; returns -1 with @err set if tracing is impossible. */
int dt_probes_attach(struct dt_probes *p, struct bpf_object *obj,
		     enum dt_mode mode, char *err, int errlen);
void dt_probes_detach(struct dt_probes *p);
/* The table `daxtrace probes` prints: each point, how, and what it costs. */
void dt_probes_report(FILE *out, const struct dt_probes *p);
/* One line for stderr at start-up. */
void dt_probes_brief(FILE *out, const struct dt_probes *p);

#endif
