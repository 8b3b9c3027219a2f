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
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "probes.h"

/*
 * KPROBE_ENTRY: the entry half of a kretprobe pair, attached only when the
 * point before it attached as a kretprobe (alone, it would open records
 * nothing closes); not needed when that point attached as fexit, which
 * opens its own: an entry program beside it would put a second BPF run
 * on every anonymous COW fault of the machine.
 */
enum kind { RAW_TP, TP_BTF, FENTRY, FEXIT, KPROBE, KRETPROBE, KPROBE_ENTRY };

struct alt {
	enum kind kind;
	const char *prog;
	const char *target;
};

struct point {
	const char *name;
	struct alt alts[4];	/* best first */
	const char *without;	/* what is lost when it does not attach */
};

#define TP(name) { RAW_TP, name, name }
/* the tp_btf twin (typed arguments: plain loads), then the raw tracepoint */
#define TB(name) { TP_BTF, "tb_" name, name }, TP(name)
/* fentry or fexit program, then the kprobe twin */
#define FN(fkind, fprog, kkind, kprog, fn) { fkind, fprog, fn }, { kkind, kprog, fn }

static const struct point points[] = {
	{ "dax_pte_fault", { TB("dax_pte_fault") }, "no PTE faults seen" },
	{ "dax_pte_fault_done", { TP("dax_pte_fault_done") },
	  "PTE faults never complete" },
	{ "dax_pmd_fault", { TB("dax_pmd_fault") }, "no PMD faults seen" },
	{ "dax_pmd_fault_done", { TP("dax_pmd_fault_done") },
	  "PMD faults never complete" },
	{ "dax_load_hole", { TP("dax_load_hole") }, "hole reads counted as read" },
	{ "dax_pmd_load_hole", { TP("dax_pmd_load_hole") },
	  "PMD hole reads counted as read" },
	{ "dax_insert_pfn_mkwrite", { TP("dax_insert_pfn_mkwrite") },
	  "MAP_SYNC write faults end at the fsync, before the insert" },
	{ "do_wp_page:ret",
	  { FN(FEXIT, "fx_do_wp_page", KRETPROBE, "do_wp_page_ret", "do_wp_page") },
	  "write-protect faults end at the DAX fault; private cow and two_step unseen" },
	{ "do_wp_page",
	  { { KPROBE_ENTRY, "do_wp_page", "do_wp_page" } },
	  "with a kretprobe: private cow and two_step unseen" },
	{ "insert_pfn",
	  { FN(FENTRY, "fe_insert_pfn", KPROBE, "insert_pfn", "insert_pfn") },
	  "PTE before/after unknown: classes inferred, pfn_mismatch undetectable" },
	{ "__get_locked_pte:ret",
	  { FN(FEXIT, "fx_get_locked_pte", KRETPROBE, "get_locked_pte_ret",
	       "__get_locked_pte") },
	  "PTE before unknown: pfn_mismatch and ro_upgrade undetectable" },
	{ "vmf_insert_pfn_pmd",
	  { FN(FENTRY, "fe_vmf_insert_pfn_pmd_prot", KPROBE,
	       "vmf_insert_pfn_pmd_prot", "vmf_insert_pfn_pmd_prot"),
	    FN(FENTRY, "fe_vmf_insert_pfn_pmd", KPROBE, "vmf_insert_pfn_pmd",
	       "vmf_insert_pfn_pmd") },
	  "PMD before/after unknown" },
	{ "vmf_insert_pfn_pmd:ret",
	  { FN(FEXIT, "fx_vmf_insert_pfn_pmd_prot", KRETPROBE,
	       "vmf_insert_pfn_pmd_ret", "vmf_insert_pfn_pmd_prot"),
	    FN(FEXIT, "fx_vmf_insert_pfn_pmd", KRETPROBE,
	       "vmf_insert_pfn_pmd_ret", "vmf_insert_pfn_pmd") },
	  "PMD after unknown" },
	{ "finish_mkwrite_fault",
	  { FN(FENTRY, "fe_finish_mkwrite_fault", KPROBE, "finish_mkwrite_fault",
	       "finish_mkwrite_fault") },
	  "two_step seen only through the final PTE" },
	{ "wp_page_reuse",
	  { FN(FENTRY, "fe_wp_page_reuse", KPROBE, "wp_page_reuse",
	       "wp_page_reuse") },
	  "two_step seen only through the final PTE" },
	{ "sched_process_fork", { { RAW_TP, "on_fork", "sched_process_fork" } },
	  "children of COMMAND are not traced" },
	{ "sched_process_exit", { { RAW_TP, "on_task_exit", "sched_process_exit" } },
	  "exited processes stay in the traced set; when full, new children go untraced; "
	  "in-flight records in task storage (slower)" },
	{ "sched_process_exec", { { RAW_TP, "on_exec", "sched_process_exec" } },
	  "in-flight records in task storage (slower)" },
};

#define NPOINTS (int)(sizeof(points) / sizeof(points[0]))

static const char *kind_name(enum kind k)
{
	static const char *const names[] = {
		[RAW_TP] = "raw_tracepoint", [TP_BTF] = "tp_btf", [FENTRY] = "fentry",
		[FEXIT] = "fexit", [KPROBE] = "kprobe", [KRETPROBE] = "kretprobe",
		[KPROBE_ENTRY] = "kprobe",
	};
	return names[k];
}

static bool is_kprobe(enum kind k)
{
	return k == KPROBE || k == KRETPROBE || k == KPROBE_ENTRY;
}

static bool is_trampoline(enum kind k)
{
	return k == FENTRY || k == FEXIT;
}

static bool is_tracepoint(enum kind k)
{
	return k == RAW_TP || k == TP_BTF;
}

/*
 * Reasons stay short: the summary and the recording header carry them
 * (at most 63 bytes there, "unavailable: " included).
 */
static const char *errno_name(int e)
{
	switch (e) {
	case EPERM:
		return "EPERM";
	case ENOENT:
		return "no such function";
	case EINVAL:
		return "EINVAL";
	case EBUSY:
		return "EBUSY";
	case ENOTSUP:
		return "ENOTSUP";
	default:
		return "failed";
	}
}

/* Without the kprobe PMU every kprobe fails with ENOENT: say why. */
static const char *kprobe_failure(int e)
{
	if (access("/sys/bus/event_source/devices/kprobe", F_OK) &&
	    access("/sys/kernel/tracing/kprobe_events", F_OK) &&
	    access("/sys/kernel/debug/tracing/kprobe_events", F_OK))
		return "CONFIG_KPROBES=n";
	return errno_name(e);
}

static bool allowed(enum kind k, enum dt_mode mode)
{
	if (mode == DT_MODE_TRACEPOINT)
		return is_tracepoint(k);
	if (mode == DT_MODE_KPROBE)
		return !is_trampoline(k);
	if (mode == DT_MODE_FENTRY)
		return !is_kprobe(k);
	return true;
}

static struct bpf_link *attach_one(struct bpf_program *prog, const struct alt *a)
{
	switch (a->kind) {
	case RAW_TP:
		return bpf_program__attach_raw_tracepoint(prog, a->target);
	case TP_BTF:
	case FENTRY:
	case FEXIT:
		return bpf_program__attach_trace(prog);
	case KPROBE:
	case KPROBE_ENTRY:
	case KRETPROBE:
		return bpf_program__attach_kprobe(prog, a->kind == KRETPROBE,
						  a->target);
	}
	errno = EINVAL;
	return NULL;
}

/*
 * Tries each alternative of @pt the mode allows, best first.  On failure
 * @why says what stopped each kind tried: "fentry: ...; kprobe: ...".
 */
static struct bpf_link *attach_point(struct bpf_object *obj,
				     const struct point *pt, enum dt_mode mode,
				     const char *fentry_why, enum kind *how,
				     char *why, size_t whylen)
{
	char tramp[96] = "", other[96] = "";

	for (int i = 0; i < 4 && pt->alts[i].prog; i++) {
		const struct alt *a = &pt->alts[i];
		char *reason = is_trampoline(a->kind) ? tramp : other;
		struct bpf_program *prog;
		struct bpf_link *link;

		if (!allowed(a->kind, mode))
			continue;
		prog = bpf_object__find_program_by_name(obj, a->prog);
		if (!prog || !bpf_program__autoload(prog)) {
			snprintf(reason, sizeof(tramp), "%s", fentry_why ?
				 fentry_why : "absent or notrace");
			continue;
		}
		link = attach_one(prog, a);
		if (link) {
			*how = a->kind;
			return link;
		}
		snprintf(reason, sizeof(tramp), "%s", is_kprobe(a->kind) ?
			 kprobe_failure(errno) : errno_name(errno));
	}
	if (!tramp[0] && !other[0])
		snprintf(why, whylen, "skipped: --mode %s", dt_mode_name(mode));
	else
		snprintf(why, whylen, "%s%s%s%s%s", tramp[0] ? "fentry: " : "",
			 tramp, tramp[0] && other[0] ? "; " : "",
			 other[0] && !is_tracepoint(pt->alts[0].kind) ? "kprobe: " : "",
			 other);
	return NULL;
}

static const struct dt_probe_state *state_of(const struct dt_probes *p,
					     const char *name)
{
	for (int i = 0; i < p->n; i++)
		if (!strcmp(p->state[i].name, name))
			return &p->state[i];
	return NULL;
}

static bool attached(const struct dt_probes *p, const char *name)
{
	const struct dt_probe_state *st = state_of(p, name);

	return st && st->how && strcmp(st->how, DT_PROBE_UNNEEDED);
}

static bool attached_as(const struct dt_probes *p, const char *name,
			enum kind kind)
{
	const struct dt_probe_state *st = state_of(p, name);

	return st && st->how && !strcmp(st->how, kind_name(kind));
}

int dt_probes_attach(struct dt_probes *p, struct bpf_object *obj,
		     enum dt_mode mode, const char *fentry_why,
		     char *err, int errlen)
{
	for (int i = 0; i < NPOINTS; i++) {
		struct dt_probe_state *st = &p->state[p->n];
		enum kind how = RAW_TP;

		st->name = points[i].name;
		if (points[i].alts[0].kind == KPROBE_ENTRY &&
		    !attached_as(p, points[i - 1].name, KRETPROBE)) {
			if (attached_as(p, points[i - 1].name, FEXIT))
				st->how = DT_PROBE_UNNEEDED;
			else
				st->why = "its return probe did not attach";
			p->links[p->n++] = NULL;
			continue;
		}
		p->links[p->n] = attach_point(obj, &points[i], mode, fentry_why,
					      &how, p->why[p->n],
					      sizeof(p->why[0]));
		if (p->links[p->n])
			st->how = kind_name(how);
		else
			st->why = p->why[p->n];
		p->n++;
	}
	p->envelope = attached(p, "dax_pte_fault") &&
		      attached(p, "dax_pte_fault_done");
	p->exact = attached(p, "insert_pfn") && attached(p, "__get_locked_pte:ret");
	p->wp_ret = attached(p, "do_wp_page:ret");
	p->wp = attached_as(p, "do_wp_page:ret", FEXIT) || attached(p, "do_wp_page");
	p->finish_opens = attached_as(p, "finish_mkwrite_fault", FENTRY);
	p->slots_returned = attached(p, "sched_process_exit") &&
		       attached(p, "sched_process_exec");
	if (!p->envelope) {
		snprintf(err, errlen, "the fs_dax fault tracepoints did not attach "
			 "(kernel without CONFIG_FS_DAX?)");
		return -1;
	}
	if ((mode == DT_MODE_KPROBE || mode == DT_MODE_FENTRY) &&
	    !(p->exact && p->wp)) {
		snprintf(err, errlen, "--mode %s: insert_pfn, __get_locked_pte "
			 "and do_wp_page did not all attach (run 'daxtrace "
			 "probes -m %s')", dt_mode_name(mode), dt_mode_name(mode));
		return -1;
	}
	return 0;
}

/*
 * A function BTF knows may still be notrace (6.1's inline wp_page_reuse):
 * one such fentry program would fail the whole load, so keep only targets
 * ftrace lists.  Without tracefs, trust BTF and let the load decide.
 */
static bool traceable(const char *fn)
{
	static const char *const paths[] = {
		"/sys/kernel/tracing/available_filter_functions",
		"/sys/kernel/debug/tracing/available_filter_functions",
	};
	size_t n = strlen(fn);
	char line[256];
	bool found = false;
	FILE *f = NULL;

	for (unsigned int i = 0; i < 2 && !f; i++)
		f = fopen(paths[i], "re");
	if (!f)
		return true;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, fn, n) && (line[n] == '\n' || line[n] == ' ');
	fclose(f);
	return found;
}

static bool is_tp_btf(const struct bpf_program *prog)
{
	return !strncmp(bpf_program__section_name(prog), "tp_btf/", 7);
}

/*
 * "fentry/insert_pfn" or "tp_btf/dax_pte_fault": the target is bound at
 * load time, so it must exist (a tracepoint's BTF is its btf_trace_*
 * typedef) and, for a function, be traceable.
 */
static bool btf_target_exists(const struct btf *btf,
			      const struct bpf_program *prog)
{
	const char *sec = bpf_program__section_name(prog);
	const char *target = strchr(sec, '/');
	char tp[128];

	if (!target)
		return false;
	if (is_tp_btf(prog)) {
		snprintf(tp, sizeof(tp), "btf_trace_%s", target + 1);
		return btf__find_by_name_kind(btf, tp, BTF_KIND_TYPEDEF) > 0;
	}
	return btf__find_by_name_kind(btf, target + 1, BTF_KIND_FUNC) > 0 &&
	       traceable(target + 1);
}

int dt_probes_select_fentry(struct bpf_object *obj, const struct btf *vmlinux_btf,
			    enum dt_mode mode, bool trampolines)
{
	bool wanted = mode == DT_MODE_AUTO || mode == DT_MODE_FENTRY;
	struct bpf_program *prog;
	int n = 0;

	bpf_object__for_each_program(prog, obj) {
		bool keep;

		if (bpf_program__type(prog) != BPF_PROG_TYPE_TRACING)
			continue;
		/*
		 * tp_btf is a tracepoint whose typed arguments spare the raw
		 * one its probe reads: tracepoint mode takes it too.  kprobe
		 * mode runs the helper-read build throughout, as a kernel
		 * without BTF would.
		 */
		if (is_tp_btf(prog))
			keep = mode != DT_MODE_KPROBE;
		else
			keep = wanted && trampolines;
		keep = keep && vmlinux_btf && btf_target_exists(vmlinux_btf, prog);
		bpf_program__set_autoload(prog, keep);
		n += keep;
	}
	return n;
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
	if (p->exact) {
		fprintf(out, "  exact:       every class%s\n", p->wp ? "" :
			" but private cow and two_step (do_wp_page missing)");
		if (attached_as(p, "do_wp_page:ret", FEXIT))
			fprintf(out, "  untimed:     a write-protect fault that reaches no DAX fault "
				"(private cow): no entry probe\n");
		return;
	}
	fprintf(out, "  exact:       write, read, hole, error, fallback\n"
		"  inferred:    ro_upgrade, zero_upgrade (from FAULT_FLAG_MKWRITE and orig_pte), cow (do_cow_fault only)\n"
		"  unavailable: two_step, pfn_mismatch\n");
}

void dt_probes_brief(FILE *out, const struct dt_probes *p)
{
	int ok = 0;

	for (int i = 0; i < p->n; i++)
		ok += p->state[i].how != NULL;
	fprintf(out, "daxtrace: %d/%d probe points attached, fidelity %s%s\n",
		ok, p->n, p->exact ? "exact" : "inferred",
		p->exact ? "" : " (run 'daxtrace probes' for what is missing)");
}
