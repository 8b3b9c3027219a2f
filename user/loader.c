// SPDX-License-Identifier: GPL-2.0
/*
 * Loading daxtrace's BPF object into the running kernel.  The kernel's
 * insert path (its era) is read off BTF before anything is loaded, so
 * that only that era's insert probes are loaded, attached and trusted:
 * insert_pfn() still exists on 6.15 and later, for other callers, and
 * attaching there would claim exact records of inserts that never pass
 * through it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "daxtrace.skel.h"
#include "era.h"
#include "kallsyms.h"
#include "loader.h"
#include "session.h"

/*
 * For tests only: $DAXTRACE_FAST_SLOTS (a power of two up to 4096) shrinks
 * the array of fast in-flight slots, so that concurrent threads share an
 * entry and all but one fall back to task storage.  The slot mask.
 */
static __u32 fast_mask(__u32 dflt)
{
	const char *s = getenv("DAXTRACE_FAST_SLOTS");
	static bool warned;	/* the object may be opened twice */
	char *end;
	unsigned long n;

	if (!s)
		return dflt;
	n = strtoul(s, &end, 10);
	if (*end || !n || n > dflt + 1 || (n & (n - 1))) {
		if (!warned)
			dt_err("warning: DAXTRACE_FAST_SLOTS=%s ignored: want a "
			       "power of two, 1 to %u", s, dflt + 1);
		warned = true;
		return dflt;
	}
	return n - 1;
}

struct load_ctx {
	const struct dt_load_opts *lo;
	const struct btf *btf;
	enum dt_era era;
	const char *blocked;	/* why the era's insert probes cannot work here */
	__u64 vmemmap_base_addr;
};

static struct daxtrace_bpf *open_bpf(const struct load_ctx *lc,
				     const struct btf *btf, bool trampolines,
				     int *nfentry)
{
	const struct dt_options *o = lc->lo->opt;
	struct daxtrace_bpf *skel = daxtrace_bpf__open();

	if (!skel) {
		dt_err("cannot open the BPF object: %s", strerror(errno));
		return NULL;
	}
	skel->rodata->filter_tgid = o->pid || o->cmd;
	skel->rodata->follow_forks = o->cmd != NULL;
	skel->rodata->hist_mode = o->cmd_kind == DT_CMD_HIST ||
				  o->cmd_kind == DT_CMD_SERVE;
	skel->rodata->hist_by = o->by;
	skel->rodata->zero_pfn = lc->lo->zero.pte;
	skel->rodata->huge_zero_pfn = lc->lo->zero.pmd;
	skel->rodata->filter_dev = lc->lo->filter_dev;
	skel->rodata->filter_ino = lc->lo->filter_ino;
	skel->rodata->vmemmap_base_addr = lc->vmemmap_base_addr;
	skel->rodata->split_exec = o->split_exec != NULL;
	skel->rodata->stacks_mask = o->stacks;
	if (o->ringbuf_kb)
		bpf_map__set_max_entries(skel->maps.events, o->ringbuf_kb * 1024);
	/* counted in the kernel: no record is sent, a daemon pins no 4 MiB for them */
	if (o->cmd_kind == DT_CMD_SERVE)
		bpf_map__set_max_entries(skel->maps.events, 4096);
	if (o->max_procs)
		bpf_map__set_max_entries(skel->maps.traced, o->max_procs);
	skel->rodata->wakeup_bytes = bpf_map__max_entries(skel->maps.events) / 4;
	skel->rodata->fast_mask = fast_mask(skel->rodata->fast_mask);
	*nfentry = dt_probes_select(skel->obj, btf, lc->era, lc->blocked != NULL,
				    o->mode, trampolines);
	return skel;
}

/* Drop the object and open it again with fewer BTF programs. */
static int reload_bpf(struct dt_loader *ld, const struct load_ctx *lc,
		      const struct btf *btf, bool trampolines)
{
	int nfentry;

	daxtrace_bpf__destroy(ld->skel);
	ld->skel = open_bpf(lc, btf, trampolines, &nfentry);
	return ld->skel ? daxtrace_bpf__load(ld->skel) : -ENOMEM;
}

/*
 * Load with the BTF programs (fentry/fexit, tp_btf) whose targets exist;
 * if the kernel refuses trampolines (EPERM here on 6.18 without BPF LSM
 * rights, say), load again with the tp_btf ones only, which need none,
 * and let the kprobes stand in; then with no BTF program at all.
 */
static int load_bpf(struct dt_loader *ld, const struct load_ctx *lc)
{
	int err, nfentry;

	ld->skel = open_bpf(lc, lc->btf, true, &nfentry);
	if (!ld->skel)
		return -1;
	if (!nfentry)
		snprintf(ld->fentry_why, sizeof(ld->fentry_why), "absent or notrace");
	err = daxtrace_bpf__load(ld->skel);
	if (err && nfentry) {
		snprintf(ld->fentry_why, sizeof(ld->fentry_why), "%s",
			 -err == EPERM ? "EPERM" : "load failed");
		err = reload_bpf(ld, lc, lc->btf, false);
		if (err && ld->skel)
			err = reload_bpf(ld, lc, NULL, false);
		if (!ld->skel)
			return -1;
	}
	if (err) {
		dt_err("cannot load the BPF programs: %s (run with -v for the "
		       "verifier log)", strerror(-err));
		daxtrace_bpf__destroy(ld->skel);
		ld->skel = NULL;
		return -1;
	}
	return 0;
}

/*
 * The era, and what its insert probes need beyond BTF: the page era reads
 * a struct page pointer, whose PFN is its distance from vmemmap_base
 * (x86-64, SPARSEMEM_VMEMMAP; the base moves with KASLR), found in
 * /proc/kallsyms.  Without it (CONFIG_KALLSYMS_ALL=n) those probes are
 * not loaded: the era stays what it is, the records inferred.
 */
static void choose_era(struct load_ctx *lc, char *why, size_t whylen)
{
	lc->era = dt_era_detect(lc->btf, why, whylen);
	if (lc->era != DT_ERA_PAGE)
		return;
	lc->vmemmap_base_addr = dt_kallsyms_addr("vmemmap_base");
	if (!lc->vmemmap_base_addr)
		lc->blocked = "vmemmap_base not in kallsyms: page has no PFN";
}

int dt_loader_start(struct dt_loader *ld, const struct dt_load_opts *lo)
{
	const struct dt_options *o = lo->opt;
	struct load_ctx lc = { .lo = lo };
	struct btf *btf = btf__load_vmlinux_btf();
	char why[128], err[256];
	struct utsname u;
	int rc;

	memset(ld, 0, sizeof(*ld));
	if (libbpf_get_error(btf))
		btf = NULL;
	lc.btf = btf;
	choose_era(&lc, why, sizeof(why));
	dt_probes_init(&ld->probes, lc.era, why, uname(&u) ? NULL : u.release);
	ld->probes.blocked = lc.blocked;
	/*
	 * counted in the kernel: no record, so no reason to keep, but for
	 * hist --by reason, whose key is the reason
	 */
	ld->probes.reasons = o->by == DT_BY_REASON ||
			     (o->cmd_kind != DT_CMD_HIST &&
			      o->cmd_kind != DT_CMD_SERVE);
	rc = load_bpf(ld, &lc);
	btf__free(btf);
	if (rc)
		return -1;
	if (dt_probes_attach(&ld->probes, ld->skel->obj, o->mode,
			     ld->fentry_why[0] ? ld->fentry_why : NULL,
			     err, sizeof(err))) {
		dt_err("%s", err);
		if (o->cmd_kind == DT_CMD_PROBES)
			dt_probes_report(stderr, &ld->probes);
		return -1;
	}
	ld->skel->bss->exact = ld->probes.exact;
	ld->skel->bss->finish_opens = ld->probes.finish_opens;
	ld->skel->bss->wp_ret = ld->probes.wp_ret;
	ld->skel->bss->fast_ok = ld->probes.slots_returned;
	ld->skel->bss->fb_have = ld->probes.fb_have;
	return 0;
}

void dt_loader_stop(struct dt_loader *ld)
{
	dt_probes_detach(&ld->probes);
	daxtrace_bpf__destroy(ld->skel);
	ld->skel = NULL;
}
