// SPDX-License-Identifier: GPL-2.0
/*
 * The exposition `daxtrace serve` writes (user/metrics.c) when the trace
 * is exact and every class has faults: the names a host without DAX or
 * without kprobes never shows (violations, PFN mismatches, per-class
 * series), for tests/host/prometheus.sh.
 */
#include <stdio.h>
#include "metrics.h"

int main(void)
{
	static const struct dt_probe_state probe = { .name = "insert_pfn", .how = "fentry" };
	struct dt_histset hs;
	struct dt_metrics m = {
		.hs = &hs, .by = DT_BY_FS, .exact = true, .mode = "auto",
		.insert_path = "pfn", .probes = &probe, .nprobes = 1,
		.version = "test", .kernel = "test",
	};

	if (dt_histset_init(&hs))
		return 2;
	for (int c = 0; c < DT_CLASS_MAX; c++)
		for (int mm = 0; mm < DT_MISMATCH_MAX; mm++) {
			struct dt_hist_key k = { .cls = c, .mismatch = mm, .dev = 1 };
			struct dt_hist h = { .slots = { [12] = 1 }, .untimed = 1 };

			dt_histset_merge(&hs, &k, &h);
		}
	for (int f = DT_METRICS_PROMETHEUS; f <= DT_METRICS_OPENMETRICS; f++)
		if (dt_metrics_write(stdout, &m, f))
			return 2;
	dt_histset_free(&hs);
	return 0;
}
