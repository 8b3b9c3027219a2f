// SPDX-License-Identifier: GPL-2.0
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daxtrace.skel.h"
#include "hist.h"
#include "kcounts.h"

/* without --by: BPF keeps the histograms in an array, by index */
static void read_flat(struct daxtrace_bpf *skel, struct dt_histset *now)
{
	int fd = bpf_map__fd(skel->maps.hist_flat);
	struct dt_hist_key key;
	struct dt_hist h;

	for (__u32 i = 0; i < DT_HIST_FLAT; i++) {
		if (bpf_map_lookup_elem(fd, &i, &h) || !dt_hist_count(&h))
			continue;
		dt_hist_flat_key(i, &key);
		dt_histset_merge(now, &key, &h);
	}
}

void dt_kcounts_hists(struct daxtrace_bpf *skel, enum dt_hist_by by,
		      struct dt_histset *now)
{
	int fd = bpf_map__fd(skel->maps.hists);
	struct dt_hist_key key, next;
	struct dt_hist h;
	void *prev = NULL;

	dt_histset_reset(now);
	if (by == DT_BY_NONE) {
		read_flat(skel, now);
		return;
	}
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (!bpf_map_lookup_elem(fd, &key, &h))
			dt_histset_merge(now, &key, &h);
	}
}

void dt_kcounts_stats(struct daxtrace_bpf *skel, __u64 tot[DT_STAT_MAX])
{
	int ncpu = libbpf_num_possible_cpus();
	__u64 vals[ncpu > 0 ? ncpu : 1];
	int fd = bpf_map__fd(skel->maps.stats);

	for (__u32 k = 0; k < DT_STAT_MAX; k++) {
		tot[k] = 0;
		if (bpf_map_lookup_elem(fd, &k, vals))
			continue;
		for (int c = 0; c < ncpu; c++)
			tot[k] += vals[c];
	}
}
