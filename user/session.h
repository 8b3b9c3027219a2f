/* SPDX-License-Identifier: GPL-2.0 */
/* The end of a run, live or replayed: summary, check verdict, messages. */
#ifndef USER_SESSION_H
#define USER_SESSION_H

#include "consume.h"
#include "options.h"

/* "daxtrace: " + message + newline on stderr */
void dt_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Sets up @c for --forbid/--expect; -1 with a message on a bad rule. */
int dt_session_rules(struct dt_consumer *c, const struct dt_options *o);
/* What the summary of @c says about the trace itself. */
struct dt_trace_info dt_trace_info_of(const struct dt_consumer *c,
				      const struct dt_probe_state *probes,
				      int nprobes);
void dt_print_summary(const struct dt_consumer *c, const struct dt_options *o,
		      const struct dt_probe_state *probes, int nprobes);
/* check: print each rule's outcome, write --junit, return the exit code */
int dt_check_verdict(struct dt_consumer *c, const struct dt_options *o,
		     bool tool_failed);

#endif
