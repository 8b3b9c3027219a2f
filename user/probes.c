// SPDX-License-Identifier: GPL-2.0
/*
 * Each probe point names one or more (program, kernel target) pairs, best
 * first.  Function names drift between kernels (vmf_insert_pfn_pmd_prot()
 * became vmf_insert_pfn_pmd() in 6.3), static helpers get inlined, and
 * kprobes may be compiled out: none of that may stop the tool.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "probes.h"

enum kind { RAW_TP, KPROBE, KRETPROBE };

struct alt {
	const char *prog;
	const char *target;
};

struct point {
	const char *name;
	enum kind kind;
	struct alt alts[2];
	const char *without;	/* what is lost when it does not attach */
};

static const struct point points[] = {
	{ "dax_pte_fault", RAW_TP, { { "dax_pte_fault", "dax_pte_fault" } },
	  "no PTE faults seen" },
	{ "dax_pte_fault_done", RAW_TP, { { "dax_pte_fault_done", "dax_pte_fault_done" } },
	  "PTE faults never complete" },
	{ "dax_pmd_fault", RAW_TP, { { "dax_pmd_fault", "dax_pmd_fault" } },
	  "no PMD faults seen" },
	{ "dax_pmd_fault_done", RAW_TP, { { "dax_pmd_fault_done", "dax_pmd_fault_done" } },
	  "PMD faults never complete" },
	{ "dax_load_hole", RAW_TP, { { "dax_load_hole", "dax_load_hole" } },
	  "hole reads counted as read" },
	{ "dax_pmd_load_hole", RAW_TP, { { "dax_pmd_load_hole", "dax_pmd_load_hole" } },
	  "PMD hole reads counted as read" },
	{ "dax_insert_pfn_mkwrite", RAW_TP,
	  { { "dax_insert_pfn_mkwrite", "dax_insert_pfn_mkwrite" } },
	  "MAP_SYNC write faults end at the fsync, before the insert" },
	{ "do_wp_page", KPROBE, { { "do_wp_page", "do_wp_page" } },
	  "write-protect faults only seen through pfn_mkwrite; cow via wp_page_copy and two_step unseen" },
	{ "do_wp_page:ret", KRETPROBE, { { "do_wp_page_ret", "do_wp_page" } },
	  "write-protect faults never complete" },
	{ "insert_pfn", KPROBE, { { "insert_pfn", "insert_pfn" } },
	  "PTE before/after unknown: classes inferred, pfn_mismatch undetectable" },
	{ "insert_pfn:ret", KRETPROBE, { { "insert_pfn_ret", "insert_pfn" } },
	  "PTE after unknown" },
	{ "__get_locked_pte:ret", KRETPROBE,
	  { { "get_locked_pte_ret", "__get_locked_pte" } },
	  "PTE before unknown: pfn_mismatch and ro_upgrade undetectable" },
	{ "vmf_insert_pfn_pmd", KPROBE,
	  { { "vmf_insert_pfn_pmd_prot", "vmf_insert_pfn_pmd_prot" },
	    { "vmf_insert_pfn_pmd", "vmf_insert_pfn_pmd" } },
	  "PMD before/after unknown" },
	{ "vmf_insert_pfn_pmd:ret", KRETPROBE,
	  { { "vmf_insert_pfn_pmd_ret", "vmf_insert_pfn_pmd_prot" },
	    { "vmf_insert_pfn_pmd_ret", "vmf_insert_pfn_pmd" } },
	  "PMD after unknown" },
	{ "finish_mkwrite_fault", KPROBE,
	  { { "finish_mkwrite_fault", "finish_mkwrite_fault" } },
	  "two_step seen only through the final PTE" },
	{ "wp_page_reuse", KPROBE, { { "wp_page_reuse", "wp_page_reuse" } },
	  "two_step seen only through the final PTE" },
	{ "wp_page_copy", KPROBE, { { "wp_page_copy", "wp_page_copy" } },
	  "private COW of a mapped page counted as other" },
	{ "sched_process_fork", RAW_TP, { { "on_fork", "sched_process_fork" } },
	  "children of COMMAND are not traced" },
	{ "sched_process_exit", RAW_TP, { { "on_task_exit", "sched_process_exit" } },
	  "in-flight records of dying tasks wait for LRU eviction" },
};

#define NPOINTS (int)(sizeof(points) / sizeof(points[0]))

static const char *kind_name(enum kind k)
{
	static const char *const names[] = {
		[RAW_TP] = "raw_tracepoint", [KPROBE] = "kprobe",
		[KRETPROBE] = "kretprobe",
	};
	return names[k];
}

static struct bpf_link *attach_one(struct bpf_program *prog, enum kind kind,
				   const char *target)
{
	switch (kind) {
	case RAW_TP:
		return bpf_program__attach_raw_tracepoint(prog, target);
	case KPROBE:
	case KRETPROBE:
		return bpf_program__attach_kprobe(prog, kind == KRETPROBE, target);
	}
	errno = EINVAL;
	return NULL;
}

/* Tries each alternative of @pt; the last errno explains a failure. */
static struct bpf_link *attach_point(struct bpf_object *obj,
				     const struct point *pt, int *err)
{
	for (int i = 0; i < 2 && pt->alts[i].prog; i++) {
		struct bpf_program *prog;
		struct bpf_link *link;

		prog = bpf_object__find_program_by_name(obj, pt->alts[i].prog);
		if (!prog) {
			*err = ENOENT;
			continue;
		}
		link = attach_one(prog, pt->kind, pt->alts[i].target);
		if (link)
			return link;
		*err = errno;
	}
	return NULL;
}

/* Without the kprobe PMU every kprobe fails with ENOENT: say why. */
static const char *failure_reason(enum kind kind, int e)
{
	if (kind != RAW_TP &&
	    access("/sys/bus/event_source/devices/kprobe", F_OK) &&
	    access("/sys/kernel/tracing/kprobe_events", F_OK) &&
	    access("/sys/kernel/debug/tracing/kprobe_events", F_OK))
		return "kernel has no kprobes (CONFIG_KPROBES off)";
	if (e == ENOENT)
		return "function not found (renamed or inlined on this kernel)";
	return strerror(e);
}

static bool attached(const struct dt_probes *p, const char *name)
{
	for (int i = 0; i < p->n; i++)
		if (!strcmp(p->state[i].name, name))
			return p->links[i] != NULL;
	return false;
}

int dt_probes_attach(struct dt_probes *p, struct bpf_object *obj,
		     enum dt_mode mode, char *err, int errlen)
{
	for (int i = 0; i < NPOINTS; i++) {
		const struct point *pt = &points[i];
		struct dt_probe_state *st = &p->state[p->n];
		int e = 0;

		st->name = pt->name;
		if ((pt->kind == KPROBE || pt->kind == KRETPROBE) &&
		    mode == DT_MODE_TRACEPOINT) {
			st->why = "skipped: --mode tracepoint";
			p->n++;
			continue;
		}
		p->links[p->n] = attach_point(obj, pt, &e);
		if (p->links[p->n]) {
			st->how = kind_name(pt->kind);
		} else {
			snprintf(p->why[p->n], sizeof(p->why[0]), "%s",
				 failure_reason(pt->kind, e));
			st->why = p->why[p->n];
		}
		p->n++;
	}
	p->envelope = attached(p, "dax_pte_fault") &&
		      attached(p, "dax_pte_fault_done");
	p->exact = attached(p, "insert_pfn") && attached(p, "insert_pfn:ret") &&
		   attached(p, "__get_locked_pte:ret");
	p->wp = attached(p, "do_wp_page") && attached(p, "do_wp_page:ret");
	if (!p->envelope) {
		snprintf(err, errlen, "the fs_dax fault tracepoints did not attach "
			 "(kernel without CONFIG_FS_DAX?)");
		return -1;
	}
	if (mode == DT_MODE_KPROBE && !(p->exact && p->wp)) {
		snprintf(err, errlen, "--mode kprobe: insert_pfn, __get_locked_pte "
			 "and do_wp_page kprobes did not all attach "
			 "(run 'daxtrace probes')");
		return -1;
	}
	return 0;
}

void dt_probes_detach(struct dt_probes *p)
{
	for (int i = 0; i < p->n; i++)
		bpf_link__destroy(p->links[i]);
	p->n = 0;
}

void dt_probes_report(FILE *out, const struct dt_probes *p)
{
	fprintf(out, "%-24s %-16s %s\n", "PROBE POINT", "ATTACHED", "WITHOUT IT");
	for (int i = 0; i < p->n; i++) {
		const struct dt_probe_state *st = &p->state[i];

		fprintf(out, "%-24s %-16s %s%s%s\n", st->name,
			st->how ? st->how : "no",
			st->how ? "" : points[i].without,
			st->how ? "" : " -- ", st->how ? "" : st->why);
	}
	fprintf(out, "\nfidelity: %s\n", p->exact ?
		"exact (PTE before/after read under the page-table lock)" :
		"inferred (fault flags and result codes only)");
	if (p->exact)
		return;
	fprintf(out, "  exact:       write, read, hole, error, fallback\n"
		"  inferred:    ro_upgrade, zero_upgrade (from FAULT_FLAG_MKWRITE and orig_pte), cow (do_cow_fault only)\n"
		"  unavailable: two_step, pfn_mismatch\n");
}

void dt_probes_brief(FILE *out, const struct dt_probes *p)
{
	int ok = 0;

	for (int i = 0; i < p->n; i++)
		ok += p->links[i] != NULL;
	fprintf(out, "daxtrace: %d/%d probe points attached, fidelity %s%s\n",
		ok, p->n, p->exact ? "exact" : "inferred",
		p->exact ? "" : " (run 'daxtrace probes' for what is missing)");
}
