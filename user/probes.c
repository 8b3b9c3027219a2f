// SPDX-License-Identifier: GPL-2.0
/*
 * The attach plan, derived from the table in include/dt_points.h: each
 * probe point of the kernel's era names one or more (program, kernel
 * target) pairs, best first.  Function names drift between kernels
 * (vmf_insert_pfn_pmd_prot() became vmf_insert_pfn_pmd() in 6.4), static
 * helpers get inlined, and kprobes may be compiled out: none of that may
 * stop the tool.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "dt_fallback.h"
#include "era.h"
#include "layout.h"
#include "probes.h"

/* how an alternative attaches; KPROBE_ENTRY: see include/dt_points.h */
enum kind { RAW_TP, TP_BTF, FENTRY, FEXIT, KPROBE, KRETPROBE, KPROBE_ENTRY };
enum need { ENVELOPE, EXACT, OPTIONAL, REASONS };

struct point {
	const char *name;
	enum dt_era era;
	enum dt_kind kind;
	enum need need;
	const char *purpose;
	const char *without;
};

struct alt {
	int point;		/* index in points[] */
	enum kind kind;
	const char *prog;
	const char *target;
};

#define NO_POINT(...)
#define NO_ALT(...)

enum point_id {
#define POINT_ID(id, ...) P_##id,
	DT_POINT_TABLE(POINT_ID, NO_ALT)
	NPOINTS
};

static const struct point points[NPOINTS] = {
#define POINT_ROW(id, pname, pera, pkind, pneed, ppurpose, pwithout) \
	[P_##id] = { .name = pname, .era = pera, .kind = pkind,	\
		     .need = pneed, .purpose = ppurpose, .without = pwithout },
	DT_POINT_TABLE(POINT_ROW, NO_ALT)
};

static const struct alt alts[] = {
#define ALT_ROW(id, akind, aprog, atarget)				\
	{ .point = P_##id, .kind = akind, .prog = #aprog, .target = #atarget },
	DT_POINT_TABLE(NO_POINT, ALT_ROW)
};

#define NALTS (int)(sizeof(alts) / sizeof(alts[0]))

_Static_assert(NPOINTS <= DT_MAX_PROBES, "DT_MAX_PROBES too small");

static const char *kind_name(enum kind k)
{
	static const char *const names[] = {
		[RAW_TP] = "raw_tracepoint", [TP_BTF] = "tp_btf", [FENTRY] = "fentry",
		[FEXIT] = "fexit", [KPROBE] = "kprobe", [KRETPROBE] = "kretprobe",
		[KPROBE_ENTRY] = "kprobe",
	};
	return names[k];
}

/* "fentry/", as the BPF object's section names start (tests/host/points.c) */
static const char *kind_section(enum kind k)
{
	static const char *const secs[] = {
		[RAW_TP] = "raw_tp/", [TP_BTF] = "tp_btf/", [FENTRY] = "fentry/",
		[FEXIT] = "fexit/", [KPROBE] = "kprobe/", [KRETPROBE] = "kretprobe/",
		[KPROBE_ENTRY] = "kprobe/",
	};
	return secs[k];
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

/* A point of every era, or of @era (DT_ERA_ALL: of any). */
static bool in_era(const struct point *pt, enum dt_era era)
{
	return pt->era == DT_ERA_ALL || era == DT_ERA_ALL || pt->era == era;
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
 * Tries each alternative of point @pi the mode allows, best first.  On
 * success *@used is the alternative; on failure @why says what stopped
 * each kind tried: "fentry: ...; kprobe: ...".
 */
static struct bpf_link *attach_point(struct bpf_object *obj, int pi,
				     enum dt_mode mode, const char *fentry_why,
				     const struct alt **used, char *why, size_t whylen)
{
	char tramp[96] = "", other[96] = "";
	bool tracepoint = false;

	for (int i = 0; i < NALTS; i++) {
		const struct alt *a = &alts[i];
		char *reason = is_trampoline(a->kind) ? tramp : other;
		struct bpf_program *prog;
		struct bpf_link *link;

		if (a->point != pi)
			continue;
		tracepoint = is_tracepoint(a->kind);
		if (!allowed(a->kind, mode))
			continue;
		prog = bpf_object__find_program_by_name(obj, a->prog);
		if (!prog || !bpf_program__autoload(prog)) {
			snprintf(reason, sizeof(tramp), "%s", fentry_why && !is_kprobe(a->kind) ?
				 fentry_why : "absent or notrace");
			continue;
		}
		link = attach_one(prog, a);
		if (link) {
			*used = a;
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
			 other[0] && !tracepoint ? "kprobe: " : "", other);
	return NULL;
}

static const struct dt_probe_state *state_of(const struct dt_probes *p, int pi)
{
	for (int i = 0; i < p->n; i++)
		if (p->point[i] == pi)
			return &p->state[i];
	return NULL;
}

static bool attached(const struct dt_probes *p, int pi)
{
	const struct dt_probe_state *st = state_of(p, pi);

	return st && st->how && strcmp(st->how, DT_PROBE_UNNEEDED);
}

static bool attached_as(const struct dt_probes *p, int pi, enum kind kind)
{
	const struct dt_probe_state *st = state_of(p, pi);

	return st && st->how && !strcmp(st->how, kind_name(kind));
}

static bool is_entry_half(int pi)
{
	for (int i = 0; i < NALTS; i++)
		if (alts[i].point == pi)
			return alts[i].kind == KPROBE_ENTRY;
	return false;
}

/* Every point of the era that exact fidelity needs attached. */
static bool era_exact(const struct dt_probes *p)
{
	bool any = false;

	if (p->era == DT_ERA_UNKNOWN)
		return false;
	for (int pi = 0; pi < NPOINTS; pi++) {
		if (points[pi].need != EXACT || !in_era(&points[pi], p->era))
			continue;
		if (!attached(p, pi))
			return false;
		any = true;
	}
	return any;
}

/* Which of the points that decide PMD fallback reasons attached. */
static __u8 fallback_sources(const struct dt_probes *p)
{
	__u8 have = 0;

	if (attached(p, P_iomap_iter))
		have |= DT_FB_SRC_ITER;
	if (attached(p, P_dax_pmd_load_hole_fallback))
		have |= DT_FB_SRC_HOLE;
	/* a kretprobe needs its entry half; a fexit has the arguments */
	if (attached_as(p, P_dax_direct_access_ret, FEXIT) ||
	    (attached(p, P_dax_direct_access_ret) &&
	     attached(p, P_dax_direct_access)))
		have |= DT_FB_SRC_DDA;
	return have;
}

void dt_probes_init(struct dt_probes *p, enum dt_era era, const char *era_why,
		    const char *release)
{
	memset(p, 0, sizeof(*p));
	p->era = era;
	snprintf(p->era_why, sizeof(p->era_why), "%s", era_why ? era_why : "");
	snprintf(p->release, sizeof(p->release), "%s", release ? release : "");
	p->layout = dt_pte_layout_of(p->release);
	p->reasons = true;
}

int dt_probes_attach(struct dt_probes *p, struct bpf_object *obj,
		     enum dt_mode mode, const char *fentry_why,
		     char *err, int errlen)
{
	for (int pi = 0; pi < NPOINTS; pi++) {
		struct dt_probe_state *st = &p->state[p->n];
		const struct alt *used = NULL;

		if (!in_era(&points[pi], p->era))
			continue;
		p->point[p->n] = pi;
		st->name = points[pi].name;
		if (p->blocked && points[pi].era != DT_ERA_ALL) {
			st->why = p->blocked;
			p->links[p->n++] = NULL;
			continue;
		}
		if (points[pi].need == REASONS && !p->reasons) {
			st->how = DT_PROBE_UNNEEDED;
			p->links[p->n++] = NULL;
			continue;
		}
		/* the entry half of the point before it (do_wp_page:ret) */
		if (is_entry_half(pi) && !attached_as(p, pi - 1, KRETPROBE)) {
			if (attached_as(p, pi - 1, FEXIT))
				st->how = DT_PROBE_UNNEEDED;
			else
				st->why = "its return probe did not attach";
			p->links[p->n++] = NULL;
			continue;
		}
		p->links[p->n] = attach_point(obj, pi, mode, fentry_why, &used,
					      p->why[p->n], sizeof(p->why[0]));
		if (p->links[p->n]) {
			st->how = kind_name(used->kind);
			p->target[p->n] = used->target;
		} else {
			st->why = p->why[p->n];
		}
		p->n++;
	}
	p->envelope = attached(p, P_dax_pte_fault) && attached(p, P_dax_pte_fault_done);
	p->exact = era_exact(p);
	p->wp_ret = attached(p, P_do_wp_page_ret);
	p->wp = attached_as(p, P_do_wp_page_ret, FEXIT) || attached(p, P_do_wp_page);
	p->finish_opens = attached_as(p, P_finish_mkwrite_fault, FENTRY);
	p->slots_returned = attached(p, P_sched_process_exit) &&
			    attached(p, P_sched_process_exec);
	p->fb_have = fallback_sources(p);
	/* the entry half attaches only after its return probe: both, or none */
	p->devdax = attached(p, P_dev_dax_huge_fault_ret) &&
		    attached(p, P_dev_dax_huge_fault);
	if (!p->envelope) {
		snprintf(err, errlen, "the fs_dax fault tracepoints did not attach "
			 "(kernel without CONFIG_FS_DAX?)");
		return -1;
	}
	if ((mode == DT_MODE_KPROBE || mode == DT_MODE_FENTRY) &&
	    !(p->exact && p->wp)) {
		snprintf(err, errlen, "--mode %s: the insert probes of this kernel's "
			 "era (%s) and do_wp_page did not all attach (run 'daxtrace "
			 "probes -m %s')", dt_mode_name(mode), dt_era_name(p->era),
			 dt_mode_name(mode));
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

/*
 * Device DAX's fault handler is the device_dax module's: the module's
 * BTF (/sys/kernel/btf/device_dax, split from vmlinux's), read once; NULL
 * when the module is not loaded, or has no BTF.  libbpf binds a
 * trampoline to a module's function by itself at load time.
 */
static const struct btf *devdax_btf(const struct btf *vmlinux_btf)
{
	static struct btf *btf;
	static bool tried;

	if (!tried) {
		tried = true;
		btf = btf__load_module_btf("device_dax", (struct btf *)vmlinux_btf);
		if (libbpf_get_error(btf))
			btf = NULL;
	}
	return btf;
}

/*
 * A BTF program's target is bound at load time, so it must exist (a
 * tracepoint's BTF is its btf_trace_* typedef) and, for a function, be
 * traceable: one that is not would fail the whole load.
 */
static bool btf_target_exists(const struct btf *btf, const struct alt *a)
{
	const struct btf *mod;
	char tp[128];

	if (a->kind == TP_BTF) {
		snprintf(tp, sizeof(tp), "btf_trace_%s", a->target);
		return btf__find_by_name_kind(btf, tp, BTF_KIND_TYPEDEF) > 0;
	}
	if (btf__find_by_name_kind(btf, a->target, BTF_KIND_FUNC) > 0)
		return traceable(a->target);
	mod = points[a->point].kind == DT_KIND_DEVDAX ? devdax_btf(btf) : NULL;
	return mod && btf__find_by_name_kind(mod, a->target, BTF_KIND_FUNC) > 0 &&
	       traceable(a->target);
}

static const struct alt *alt_of(const struct bpf_program *prog)
{
	const char *name = bpf_program__name(prog);

	for (int i = 0; i < NALTS; i++)
		if (!strcmp(alts[i].prog, name))
			return &alts[i];
	return NULL;
}

int dt_probes_select(struct bpf_object *obj, const struct btf *vmlinux_btf,
		     enum dt_era era, bool blocked, enum dt_mode mode,
		     bool trampolines)
{
	bool wanted = mode == DT_MODE_AUTO || mode == DT_MODE_FENTRY;
	struct bpf_program *prog;
	int n = 0;

	bpf_object__for_each_program(prog, obj) {
		const struct alt *a = alt_of(prog);
		bool keep;

		/* another era's insert probes: their targets mean nothing here */
		if (!a || !in_era(&points[a->point], era) ||
		    (blocked && points[a->point].era != DT_ERA_ALL)) {
			bpf_program__set_autoload(prog, false);
			continue;
		}
		if (bpf_program__type(prog) != BPF_PROG_TYPE_TRACING)
			continue;
		/*
		 * tp_btf is a tracepoint whose typed arguments spare the raw
		 * one its probe reads: tracepoint mode takes it too.  kprobe
		 * mode runs the helper-read build throughout, as a kernel
		 * without BTF would.
		 */
		if (a->kind == TP_BTF)
			keep = mode != DT_MODE_KPROBE;
		else
			keep = wanted && trampolines;
		keep = keep && vmlinux_btf && btf_target_exists(vmlinux_btf, a);
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

/* Which PMD fallback reasons this kernel's probes decide, and which not. */
static void fallback_report(FILE *out, const struct dt_probes *p)
{
	bool iter = p->fb_have & DT_FB_SRC_ITER;

	fprintf(out, "\nPMD fallback reasons:\n"
		"  misaligned, private_write, vma_range, past_eof: "
		"dax_pmd_fault_done's own fields\n");
	fprintf(out, "  conflict, fs_error, extent_short, extent_unmapped, storage: %s\n",
		iter ? "iomap_iter" : "unknown (no iomap_iter)");
	fprintf(out, "  zero_page: %s\n", !iter ? "unknown (no iomap_iter)" :
		p->fb_have & DT_FB_SRC_HOLE ? "dax_pmd_load_hole_fallback" :
		"unknown (no dax_pmd_load_hole_fallback)");
	fprintf(out, "  storage_short, storage_misaligned: %s\n",
		!iter ? "unknown (no iomap_iter)" :
		p->fb_have & DT_FB_SRC_DDA ? "dax_direct_access:ret" :
		"storage (no dax_direct_access:ret)");
	/* the in-kernel counts keep a reason only when it is their key */
	fprintf(out, "  (hist attaches these points with --by reason only; serve never)\n");
}

void dt_probes_report(FILE *out, const struct dt_probes *p)
{
	fprintf(out, "kernel:       %s\n", p->release);
	fprintf(out, "insert path:  %s (%s)\n", dt_era_name(p->era),
		dt_era_about(p->era));
	fprintf(out, "              chosen because: %s\n", p->era_why);
	fprintf(out, "PTE layout:   %s (from the release)\n\n",
		dt_pte_layout_name(p->layout));
	fprintf(out, "%-28s %-15s %-28s %s\n", "PROBE POINT", "ATTACHED",
		"TO", "USED FOR / WITHOUT IT");
	for (int i = 0; i < p->n; i++) {
		const struct dt_probe_state *st = &p->state[i];
		const struct point *pt = &points[p->point[i]];

		if (st->how)
			fprintf(out, "%-28s %-15s %-28s %s\n", st->name, st->how,
				p->target[i] ? p->target[i] : "-", pt->purpose);
		else
			fprintf(out, "%-28s %-15s %-28s %s -- %s\n", st->name, "no",
				"-", pt->without, st->why);
	}
	fallback_report(out, p);
	fprintf(out, "\ndevice DAX:   %s\n", p->devdax ?
		"traced (dev_dax_huge_fault; its inserts are the era's)" :
		"not traced: its faults are not seen (device_dax not loaded "
		"when daxtrace started?)");
	fprintf(out, "\nfidelity: %s\n", p->exact ?
		"exact (PTE before/after read under the page-table lock)" :
		"inferred (fault flags and result codes only)");
	if (p->exact) {
		fprintf(out, "  exact:       every class%s\n", p->wp ? "" :
			" but private cow, two_step and retry (do_wp_page missing)");
		if (attached_as(p, P_do_wp_page_ret, FEXIT))
			fprintf(out, "  untimed:     a write-protect fault that reaches no DAX fault "
				"(private cow, retry): no entry probe\n");
		return;
	}
	fprintf(out, "  exact:       write, read, hole, error, retry, fallback\n"
		"  inferred:    ro_upgrade, zero_upgrade (from FAULT_FLAG_MKWRITE and orig_pte), cow\n"
		"  unavailable: two_step, pfn_mismatch (null in JSON; no violation is reported)\n");
}

void dt_probes_brief(FILE *out, const struct dt_probes *p)
{
	int ok = 0;

	for (int i = 0; i < p->n; i++)
		ok += p->state[i].how != NULL;
	fprintf(out, "daxtrace: %d/%d probe points attached, insert path %s, "
		"fidelity %s%s; device DAX %s\n", ok, p->n, dt_era_name(p->era),
		p->exact ? "exact" : "inferred",
		p->exact ? "" : " (run 'daxtrace probes' for what is missing)",
		p->devdax ? "traced" : "not traced (device_dax not loaded?)");
}

/* For tests/host/points.c: the table as the object must hold it. */
int dt_probes_table(struct dt_probe_alt *out, int max)
{
	int n = 0;

	for (int i = 0; i < NALTS && n < max; i++, n++) {
		out[n].point = points[alts[i].point].name;
		out[n].prog = alts[i].prog;
		out[n].section_prefix = kind_section(alts[i].kind);
		out[n].target = alts[i].target;
		out[n].era = points[alts[i].point].era;
		out[n].reasons = points[alts[i].point].need == REASONS;
		out[n].map_kind = points[alts[i].point].kind;
	}
	return n;
}
