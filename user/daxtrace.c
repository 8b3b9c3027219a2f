// SPDX-License-Identifier: GPL-2.0
/*
 * daxtrace: say, fault by fault, how each DAX page became writable.
 *
 * Load the BPF programs, attach what the kernel allows, optionally start
 * COMMAND behind a gate, then stream records from the ring buffer until
 * COMMAND exits, the duration ends or a signal arrives.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "daxtrace.skel.h"
#include "child.h"
#include "classify.h"
#include "format.h"
#include "options.h"
#include "probes.h"
#include "summary.h"
#include "zero_pfn.h"

struct tracer {
	const struct dt_options *opt;
	struct dt_classify_ctx cx;
	struct dt_summary sum;
	__u64 t0_ns;
	bool out_broken;	/* stdout went away (EPIPE) */
};

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

static void die_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("daxtrace: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	(void)level;
	return vfprintf(stderr, fmt, args);
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int handle_event(void *ctx, void *data, size_t len)
{
	struct tracer *t = ctx;
	const struct dt_event *ev = data;
	struct dt_verdict v;

	if (len < sizeof(*ev))
		return 0;
	dt_classify(ev, &t->cx, &v);
	dt_summary_add(&t->sum, ev, &v);
	if (t->opt->quiet || t->out_broken)
		return 0;
	if (t->opt->json)
		dt_format_json(stdout, ev, &v, &t->cx);
	else
		dt_format_text(stdout, ev, &v, &t->cx, t->t0_ns);
	return 0;
}

static void read_stats(struct daxtrace_bpf *skel, struct dt_summary *s)
{
	int ncpu = libbpf_num_possible_cpus();
	__u64 vals[ncpu > 0 ? ncpu : 1], tot[DT_STAT_MAX] = { 0 };
	int fd = bpf_map__fd(skel->maps.stats);

	for (__u32 k = 0; k < DT_STAT_MAX; k++) {
		if (bpf_map_lookup_elem(fd, &k, vals))
			continue;
		for (int c = 0; c < ncpu; c++)
			tot[k] += vals[c];
	}
	s->lost = tot[DT_STAT_LOST];
	s->stale = tot[DT_STAT_STALE];
	s->ctx_full = tot[DT_STAT_CTX_FULL];
}

static int check_privileges(void)
{
	if (geteuid() == 0)
		return 0;
	die_msg("needs root: loading BPF programs and kprobes takes CAP_BPF, "
		"CAP_PERFMON and CAP_SYS_ADMIN (try: sudo daxtrace ...)");
	return -1;
}

static int check_pid(int pid)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%d", pid);
	if (access(path, F_OK) == 0)
		return 0;
	die_msg("no process with PID %d", pid);
	return -1;
}

static int add_traced(struct daxtrace_bpf *skel, __u32 tgid)
{
	__u8 one = 1;

	return bpf_map__update_elem(skel->maps.traced, &tgid, sizeof(tgid),
				    &one, sizeof(one), BPF_ANY);
}

/* Returns true while COMMAND runs; stores its status once it ended. */
static bool child_running(pid_t pid, int *status)
{
	if (pid <= 0)
		return true;
	return waitpid(pid, status, WNOHANG) == 0;
}

static int stream(struct tracer *t, struct ring_buffer *rb, pid_t child,
		  int *status)
{
	__u64 end = t->opt->duration ?
		    now_ns() + t->opt->duration * 1000000000ULL : 0;
	int err = 0;

	while (!exiting && child_running(child, status)) {
		err = ring_buffer__poll(rb, 100);
		if (err < 0 && err != -EINTR)
			break;
		err = 0;
		if (fflush(stdout) && errno == EPIPE) {
			t->out_broken = true;
			break;
		}
		if (end && now_ns() >= end)
			break;
	}
	/* faults of COMMAND ended before it did: their records are all queued */
	ring_buffer__consume(rb);
	return err;
}

static void print_summary(const struct tracer *t, const struct dt_probes *p)
{
	const char *mode = t->cx.exact ? "exact" : "inferred";

	switch (t->opt->summary) {
	case DT_SUMMARY_JSON:
		dt_summary_json(stdout, &t->sum, mode, p->state, p->n);
		break;
	case DT_SUMMARY_TEXT:
		/* stdout carries NDJSON with --json: keep it parseable */
		dt_summary_text(t->opt->json ? stderr : stdout, &t->sum, mode,
				p->state, p->n);
		break;
	case DT_SUMMARY_NONE:
		break;
	}
	fflush(stdout);
	if (t->sum.lost)
		die_msg("warning: %llu events lost (ring buffer full)",
			t->sum.lost);
}

static int setup_bpf(struct daxtrace_bpf **skelp, const struct dt_options *o)
{
	struct daxtrace_bpf *skel;
	int err;

	skel = daxtrace_bpf__open();
	if (!skel) {
		die_msg("cannot open the BPF object: %s", strerror(errno));
		return -1;
	}
	skel->rodata->filter_tgid = o->pid || o->cmd;
	skel->rodata->follow_forks = o->cmd != NULL;
	err = daxtrace_bpf__load(skel);
	if (err) {
		die_msg("cannot load the BPF programs: %s (run with -v for the "
			"verifier log)", strerror(-err));
		daxtrace_bpf__destroy(skel);
		return -1;
	}
	*skelp = skel;
	return 0;
}

static int run(const struct dt_options *o, struct daxtrace_bpf *skel,
	       struct dt_probes *probes)
{
	struct tracer t = { .opt = o };
	struct dt_child child = { .pid = -1 };
	struct ring_buffer *rb;
	int status = 0, e, ret = DT_EXIT_OK;

	if (dt_zero_pfns_learn(&t.cx.zero))
		die_msg("warning: zero page PFN unknown: zero_upgrade and "
			"zero_page mismatches may be misclassified");
	t.cx.exact = probes->exact;
	if (o->pid && add_traced(skel, o->pid))
		return DT_EXIT_TOOL;
	if (o->cmd) {
		if (dt_child_spawn(&child, o->cmd)) {
			die_msg("cannot start '%s': %s", o->cmd[0], strerror(errno));
			return DT_EXIT_TOOL;
		}
		if (add_traced(skel, child.pid)) {
			die_msg("cannot register PID %d: %s", child.pid, strerror(errno));
			kill(child.pid, SIGKILL);
			return DT_EXIT_TOOL;
		}
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), handle_event, &t, NULL);
	if (!rb) {
		die_msg("cannot create the ring buffer: %s", strerror(errno));
		return DT_EXIT_TOOL;
	}
	if (!o->quiet && !o->json)
		dt_format_text_header(stdout);
	t.t0_ns = now_ns();
	if (o->cmd && (e = dt_child_release(&child))) {
		die_msg("cannot execute '%s': %s", o->cmd[0], strerror(e));
		waitpid(child.pid, NULL, 0);
		ring_buffer__free(rb);
		return DT_EXIT_TOOL;
	}
	if (stream(&t, rb, child.pid, &status) < 0)
		ret = DT_EXIT_TOOL;
	read_stats(skel, &t.sum);
	print_summary(&t, probes);
	ring_buffer__free(rb);
	if (o->cmd && exiting) {
		kill(child.pid, SIGTERM);
		waitpid(child.pid, &status, 0);
	}
	if (ret == DT_EXIT_OK && o->cmd &&
	    !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		die_msg("'%s' failed (%s %d)", o->cmd[0],
			WIFEXITED(status) ? "exit status" : "signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		ret = DT_EXIT_CMD;
	}
	return ret;
}

int main(int argc, char **argv)
{
	struct dt_options opt;
	struct dt_probes probes = { 0 };
	struct daxtrace_bpf *skel;
	char err[256];
	int ret;

	ret = dt_options_parse(argc, argv, &opt, err, sizeof(err));
	if (ret) {
		if (ret < 0) {
			die_msg("%s (see daxtrace --help)", err);
			return DT_EXIT_TOOL;
		}
		return DT_EXIT_OK;
	}
	if (check_privileges() || (opt.pid && check_pid(opt.pid)))
		return DT_EXIT_TOOL;
	libbpf_set_print(opt.verbose ? libbpf_print : libbpf_quiet);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	if (setup_bpf(&skel, &opt))
		return DT_EXIT_TOOL;
	if (dt_probes_attach(&probes, skel->obj, opt.mode, err, sizeof(err))) {
		die_msg("%s", err);
		if (opt.probes_only)
			dt_probes_report(stderr, &probes);
		ret = DT_EXIT_TOOL;
		goto out;
	}
	if (opt.probes_only) {
		dt_probes_report(stdout, &probes);
		ret = DT_EXIT_OK;
		goto out;
	}
	if (!opt.quiet)
		dt_probes_brief(stderr, &probes);
	ret = run(&opt, skel, &probes);
out:
	dt_probes_detach(&probes);
	daxtrace_bpf__destroy(skel);
	return ret;
}
