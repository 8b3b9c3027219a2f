// SPDX-License-Identifier: GPL-2.0
/*
 * A live session: load the BPF programs, attach what the kernel allows,
 * optionally start COMMAND behind a gate, then stream records (or, for
 * hist, read the kernel's histograms) until COMMAND exits, the duration
 * ends or a signal arrives.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "daxtrace.skel.h"
#include "child.h"
#include "consume.h"
#include "dax_path.h"
#include "era.h"
#include "format.h"
#include "hist.h"
#include "junit.h"
#include "kcounts.h"
#include "forensics.h"
#include "live.h"
#include "loader.h"
#include "probes.h"
#include "record.h"
#include "resolve.h"
#include "session.h"
#include "zero_pfn.h"

/* the consumer's reader of a device-DAX device: the running system's */
static int devdax_read_sysfs(__u32 dev, struct dt_devdax_dev *out)
{
	return dt_devdax_read_sysfs("/sys", dev, out);
}

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

struct live {
	const struct dt_options *opt;
	struct dt_loader ld;
	struct dt_consumer c;
	struct dt_child child;
	struct dt_histset total;	/* hist: everything so far */
	int status;			/* COMMAND's wait status */
	struct dt_path_filter path;	/* --path */
	bool stopped_child;		/* we ended COMMAND: not its failure */
	bool tool_failed;
	struct dt_ksyms ksyms;		/* for forensics, read at the first */
	struct dt_mount mount;		/* of mount_dev, if mount_found */
	__u32 mount_dev;
	bool mount_known, mount_found;
	struct dt_filenames files;	/* the files of violations, named */
	bool ksyms_read;
	struct btf *vmlinux_btf;	/* ... and to name trampolines */
};

__u64 dt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static __u64 realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * The function of a trampoline key (kernel/bpf/trampoline.c's
 * bpf_trampoline_compute_key(): BTF object id << 32 | 0x80000000 | type
 * id for a kernel function), from the running kernel's BTF.  Only
 * vmlinux's (object id 1, the first BTF object the kernel makes): a
 * module's function is left as the trampoline's own name.
 */
static const char *trampoline_of(void *ctx, __u64 key)
{
	struct live *l = ctx;
	const struct btf_type *t;

	if (key >> 32 != 1 || !(key & 0x80000000u))
		return NULL;
	if (!l->vmlinux_btf) {
		l->vmlinux_btf = btf__load_vmlinux_btf();
		if (libbpf_get_error(l->vmlinux_btf)) {
			l->vmlinux_btf = NULL;
			return NULL;
		}
	}
	t = btf__type_by_id(l->vmlinux_btf, key & 0x7fffffffu);
	if (!t || !btf_is_func(t))
		return NULL;
	return btf__name_by_offset(l->vmlinux_btf, t->name_off);
}

/*
 * A file's name, sent ahead of the first forensics on it: put under its
 * mount point and kept for them.  The mount of the last device is kept
 * too: mountinfo is read again only for another device.
 */
static void handle_file_name(struct live *l, const struct dt_file_event *fn)
{
	char path[DT_FILE_LEN];
	FILE *f;

	if (!l->mount_known || l->mount_dev != fn->s_dev) {
		l->mount_dev = fn->s_dev;
		l->mount_known = true;
		f = fopen("/proc/self/mountinfo", "re");
		l->mount_found = f && !dt_mountinfo_find(f, fn->s_dev, &l->mount);
		if (f)
			fclose(f);
	}
	dt_file_path(path, sizeof(path), fn, l->mount_found ? &l->mount : NULL);
	if (dt_filenames_put(&l->files, fn->s_dev, fn->ino, path))
		dt_err("warning: out of memory: a violation's file unnamed");
}

/*
 * A violation's stack and handlers, named from /proc/kallsyms, read once
 * when the first one arrives: a run without violations never reads it.
 */
static void handle_forensics(struct live *l, const struct dt_forensics_event *fe)
{
	struct dt_forensics fo;

	if (!l->ksyms_read) {
		FILE *f = fopen("/proc/kallsyms", "re");

		l->ksyms_read = true;
		if (!f || dt_ksyms_parse(&l->ksyms, f))
			dt_err("warning: cannot read /proc/kallsyms: forensics unnamed");
		if (f)
			fclose(f);
	}
	dt_forensics_symbolize(&fo, fe, &l->ksyms, trampoline_of, l);
	if (fe->s_dev || fe->ino) {
		const char *path = dt_filenames_get(&l->files, fe->s_dev, fe->ino);

		if (path)
			snprintf(fo.file, sizeof(fo.file), "%s", path);
	}
	dt_consume_forensics(&l->c, &fo);
}

/* A fault, a fork or exec of --split-exec, forensics: the sizes tell them apart. */
static int handle_event(void *ctx, void *data, size_t len)
{
	struct live *l = ctx;

	_Static_assert(sizeof(struct dt_event) != sizeof(struct dt_proc_event) &&
		       sizeof(struct dt_event) != sizeof(struct dt_forensics_event) &&
		       sizeof(struct dt_proc_event) != sizeof(struct dt_forensics_event) &&
		       sizeof(struct dt_file_event) != sizeof(struct dt_event) &&
		       sizeof(struct dt_file_event) != sizeof(struct dt_proc_event) &&
		       sizeof(struct dt_file_event) != sizeof(struct dt_forensics_event),
		       "ring buffer records are told apart by their size");
	if (len == sizeof(struct dt_event))
		dt_consume(&l->c, data);
	else if (len == sizeof(struct dt_proc_event))
		dt_consume_proc(&l->c, data);
	else if (len == sizeof(struct dt_forensics_event))
		handle_forensics(l, data);
	else if (len == sizeof(struct dt_file_event))
		handle_file_name(l, data);
	return 0;
}

static void read_stats(struct live *l)
{
	__u64 tot[DT_STAT_MAX];

	dt_kcounts_stats(l->ld.skel, tot);
	l->c.sum.lost = tot[DT_STAT_LOST];
	l->c.sum.stale = tot[DT_STAT_STALE];
	l->c.sum.ctx_full = tot[DT_STAT_CTX_FULL] + tot[DT_STAT_HIST_FULL];
	l->c.sum.untraced_children = tot[DT_STAT_FORK_FULL];
}

static int add_traced(struct live *l, __u32 tgid)
{
	__u8 one = 1;

	if (!bpf_map__update_elem(l->ld.skel->maps.traced, &tgid, sizeof(tgid),
				  &one, sizeof(one), BPF_ANY))
		return 0;
	dt_err("cannot register PID %u: %s", tgid, strerror(errno));
	return -1;
}

static void fill_record_header(struct live *l, struct dt_record_header *h)
{
	struct utsname u;
	FILE *f;

	memset(h, 0, sizeof(*h));
	h->version = DT_RECORD_VERSION;
	if (!uname(&u))
		snprintf(h->kernel, sizeof(h->kernel), "%s", u.release);
	f = fopen("/proc/sys/kernel/random/boot_id", "re");
	if (f) {
		if (fgets(h->boot_id, sizeof(h->boot_id), f))
			h->boot_id[strcspn(h->boot_id, "\n")] = '\0';
		fclose(f);
	}
	h->zero_pfn = l->c.cx.zero.pte;
	h->huge_zero_pfn = l->c.cx.zero.pmd;
	h->exact = l->c.cx.exact;
	h->era = l->c.cx.era;
	h->layout = l->c.cx.layout;
	h->start_mono_ns = l->c.t0_ns;
	h->start_real_ns = realtime_ns();
	for (int i = 0; i < l->ld.probes.n && i < DT_RECORD_MAX_PROBES; i++) {
		const struct dt_probe_state *st = &l->ld.probes.state[i];

		snprintf(h->probes[i].name, sizeof(h->probes[i].name), "%s", st->name);
		if (st->how)
			snprintf(h->probes[i].how, sizeof(h->probes[i].how), "%s", st->how);
		else
			snprintf(h->probes[i].how, sizeof(h->probes[i].how),
				 "unavailable: %s", st->why ? st->why : "");
		h->nprobes = i + 1;
	}
}

static int open_recording(struct live *l)
{
	struct dt_record_header h;

	l->c.record = fopen(l->opt->output, "we");
	if (!l->c.record) {
		dt_err("cannot create '%s': %s", l->opt->output, strerror(errno));
		return -1;
	}
	fill_record_header(l, &h);
	if (dt_record_write_header(l->c.record, &h)) {
		dt_err("cannot write '%s': %s", l->opt->output, strerror(errno));
		return -1;
	}
	return 0;
}

static int close_recording(struct live *l)
{
	struct dt_record_trailer t = {
		.events = l->c.sum.faults, .lost = l->c.sum.lost,
		.stale = l->c.sum.stale, .untracked = l->c.sum.ctx_full,
		.end_mono_ns = dt_now_ns(),
		.untraced_children = l->c.sum.untraced_children,
	};
	int err = l->c.record_errno;

	if (!err && dt_record_write_trailer(l->c.record, &t))
		err = errno;
	if (fclose(l->c.record) && !err)
		err = errno;
	l->c.record = NULL;
	if (!err)
		return 0;
	dt_err("writing '%s' failed: %s", l->opt->output, strerror(err));
	return -1;
}

/* hist: cumulative map minus what was printed before = this interval */
static void read_hists(struct live *l, struct dt_histset *now)
{
	dt_kcounts_hists(l->ld.skel, l->opt->by, now);
}

static void print_interval(struct live *l, struct dt_histset *now)
{
	struct dt_histset delta;
	time_t t = time(NULL);
	char stamp[32];

	if (dt_histset_init(&delta))
		return;
	for (int i = 0; i < now->n; i++) {
		struct dt_hist h = now->hists[i];

		for (int j = 0; j < l->total.n; j++) {
			if (memcmp(&l->total.keys[j], &now->keys[i], sizeof(now->keys[i])))
				continue;
			for (int s = 0; s < DT_HIST_SLOTS; s++)
				h.slots[s] -= l->total.hists[j].slots[s];
			h.sum_ns -= l->total.hists[j].sum_ns;
			h.untimed -= l->total.hists[j].untimed;
		}
		if (dt_hist_count(&h))
			dt_histset_merge(&delta, &now->keys[i], &h);
	}
	strftime(stamp, sizeof(stamp), "%H:%M:%S", localtime(&t));
	printf("\n%s\n", stamp);
	dt_histset_print(stdout, &delta, l->opt->by, dt_dev_name, NULL);
	dt_histset_free(&delta);
	/* the map is cumulative: what we read now is the new baseline */
	dt_histset_reset(&l->total);
	for (int i = 0; i < now->n; i++)
		dt_histset_merge(&l->total, &now->keys[i], &now->hists[i]);
}

static bool child_running(struct live *l)
{
	if (!l->opt->cmd)
		return true;
	return waitpid(l->child.pid, &l->status, WNOHANG) == 0;
}

static int poll_loop(struct live *l, struct ring_buffer *rb)
{
	const struct dt_options *o = l->opt;
	__u64 end = o->duration ? dt_now_ns() + o->duration * 1000000000ULL : 0;
	__u64 next_tick = o->interval ? dt_now_ns() + o->interval * 1000000000ULL : 0;
	struct dt_histset now;
	int err = 0;

	if (!rb && dt_histset_init(&now))
		return -ENOMEM;
	while (!exiting && child_running(l)) {
		if (rb) {
			err = ring_buffer__poll(rb, 100);
			if (err < 0 && err != -EINTR)
				break;
			err = 0;
		} else {
			usleep(100000);
		}
		dt_consumer_flush(&l->c);
		if (fflush(stdout) && errno == EPIPE)
			l->c.out_broken = true;
		if (l->c.out_broken)
			break;
		if (next_tick && dt_now_ns() >= next_tick) {
			read_hists(l, &now);
			print_interval(l, &now);
			next_tick += o->interval * 1000000000ULL;
		}
		if (end && dt_now_ns() >= end)
			break;
	}
	/* faults of COMMAND ended before it did: their records are all queued */
	if (rb) {
		ring_buffer__consume(rb);
		dt_consumer_flush(&l->c);
	} else {
		dt_histset_free(&now);
	}
	return err;
}

static int start_child(struct live *l)
{
	if (dt_child_spawn(&l->child, l->opt->cmd)) {
		dt_err("cannot start '%s': %s", l->opt->cmd[0], strerror(errno));
		return -1;
	}
	if (add_traced(l, l->child.pid)) {
		kill(l->child.pid, SIGKILL);
		waitpid(l->child.pid, NULL, 0);
		return -1;
	}
	return 0;
}

static int release_child(struct live *l)
{
	int e = dt_child_release(&l->child);

	if (!e)
		return 0;
	dt_err("cannot execute '%s': %s", l->opt->cmd[0], strerror(e));
	waitpid(l->child.pid, NULL, 0);
	return -1;
}

/*
 * A batch of text records leaves in as few write()s as possible: poll_loop()
 * flushes after every batch anyway, so a larger buffer delays nothing.  A
 * terminal keeps its line buffering.  JSON records are batched by the
 * consumer itself and written from where they lie (out_raw).
 */
static void buffer_stream(void)
{
	static char buf[1 << 18];

	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, buf, _IOFBF, sizeof(buf));
}

static int trace(struct live *l)
{
	struct ring_buffer *rb = NULL;
	int err;

	if (l->opt->cmd_kind != DT_CMD_HIST) {
		rb = ring_buffer__new(bpf_map__fd(l->ld.skel->maps.events),
				      handle_event, l, NULL);
		if (!rb) {
			dt_err("cannot create the ring buffer: %s", strerror(errno));
			return -1;
		}
	}
	if (l->c.stream == DT_STREAM_TEXT)
		buffer_stream();
	l->c.out_raw = true;
	if (l->c.stream == DT_STREAM_TEXT)
		dt_format_text_header(stdout);
	err = poll_loop(l, rb);
	ring_buffer__free(rb);
	/* Ctrl-C, or whoever read our output went away (SIGPIPE) */
	if (l->opt->cmd && (exiting || l->c.out_broken) &&
	    waitpid(l->child.pid, &l->status, WNOHANG) == 0) {
		kill(l->child.pid, SIGTERM);
		waitpid(l->child.pid, &l->status, 0);
		l->stopped_child = true;
	}
	return err;
}

static void setup_consumer(struct live *l)
{
	const struct dt_options *o = l->opt;
	struct dt_consumer *c = &l->c;

	c->out = stdout;
	c->namer = dt_resolve_file;
	c->devdax_read = devdax_read_sysfs;
	c->by = o->by;
	c->split_glob = o->split_exec;
	c->checking = o->cmd_kind == DT_CMD_CHECK;
	if (o->cmd_kind == DT_CMD_TRACE && !o->quiet)
		c->stream = o->json ? DT_STREAM_JSON : DT_STREAM_TEXT;
	else if (o->cmd_kind == DT_CMD_RECORD && o->json)
		c->stream = DT_STREAM_JSON;
	/* the breakdown keeps a table per file: not for hours under check */
	c->breakdown = o->summary == DT_SUMMARY_TEXT &&
		       (o->cmd_kind == DT_CMD_TRACE || o->cmd_kind == DT_CMD_RECORD);
}

static int start(struct live *l)
{
	const struct dt_options *o = l->opt;
	struct dt_load_opts lo = { .opt = o };
	char err[256];

	if (o->path && o->dev) {
		dt_err("--path and --dev exclude each other: a fault is on a file or on a device");
		return -1;
	}
	if ((o->path && dt_path_filter(o->path, &l->path, err, sizeof(err))) ||
	    (o->dev && dt_dev_filter(o->dev, &l->path, err, sizeof(err)))) {
		dt_err("%s", err);
		return -1;
	}
	lo.filter_dev = l->path.dev;
	lo.filter_ino = l->path.ino;
	if (dt_zero_pfns_learn(&l->c.cx.zero))
		dt_err("warning: zero page PFN unknown: zero_upgrade and "
		       "zero_page mismatches may be misclassified");
	lo.zero = l->c.cx.zero;
	if (dt_loader_start(&l->ld, &lo))
		return -1;
	l->c.cx.exact = l->ld.probes.exact;
	l->c.cx.era = l->ld.probes.era;
	l->c.cx.layout = l->ld.probes.layout;
	if (o->cmd_kind == DT_CMD_PROBES)
		return 0;
	if (o->cmd_kind == DT_CMD_CHECK && !l->ld.probes.exact &&
	    o->mode != DT_MODE_TRACEPOINT) {
		dt_err("check needs exact records to see two_step and "
		       "pfn_mismatch, and the insert probes of this kernel "
		       "(insert path %s) did not attach (run 'daxtrace probes'; "
		       "-m tracepoint accepts inferred classes)",
		       dt_era_name(l->ld.probes.era));
		return -1;
	}
	if (!o->quiet)
		dt_probes_brief(stderr, &l->ld.probes);
	setup_consumer(l);
	if (l->c.checking && dt_session_rules(&l->c, o))
		return -1;
	if (dt_consumer_init(&l->c))
		return -1;
	if (o->cmd_kind == DT_CMD_HIST && dt_histset_init(&l->total))
		return -1;
	if (o->pid && add_traced(l, o->pid))
		return -1;
	if (o->cmd && start_child(l))
		return -1;
	l->c.t0_ns = dt_now_ns();
	if (o->cmd_kind == DT_CMD_RECORD && open_recording(l))
		return -1;
	if (o->cmd && release_child(l))
		return -1;
	return 0;
}

static void finish_hist(struct live *l)
{
	struct dt_histset now;

	if (dt_histset_init(&now))
		return;
	read_hists(l, &now);
	if (l->opt->interval)
		print_interval(l, &now);
	else
		dt_histset_print(stdout, &now, l->opt->by, dt_dev_name, NULL);
	dt_histset_summarize(&now, &l->c.sum, !l->c.cx.exact, l->opt->by);
	dt_histset_free(&now);
}

static int cmd_status(struct live *l)
{
	int st = l->status;

	if (!l->opt->cmd || l->stopped_child ||
	    (WIFEXITED(st) && WEXITSTATUS(st) == 0))
		return DT_EXIT_OK;
	dt_err("'%s' failed (%s %d)", l->opt->cmd[0],
	       WIFEXITED(st) ? "exit status" : "signal",
	       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	return DT_EXIT_CMD;
}

static int finish(struct live *l)
{
	const struct dt_options *o = l->opt;
	int ret;

	read_stats(l);
	if (o->cmd_kind == DT_CMD_HIST)
		finish_hist(l);
	if (l->c.record && close_recording(l))
		l->tool_failed = true;
	if (l->c.split_errno) {
		dt_err("--split-exec: out of memory: groups incomplete");
		l->tool_failed = true;
	}
	dt_print_summary(&l->c, o, l->ld.probes.state, l->ld.probes.n);
	if (l->c.sum.untraced_children)
		dt_err("warning: %llu child processes went untraced: the traced "
		       "set (--max-procs %u) was full", l->c.sum.untraced_children,
		       bpf_map__max_entries(l->ld.skel->maps.traced));
	if (o->cmd_kind == DT_CMD_CHECK)
		ret = dt_check_verdict(&l->c, o, l->tool_failed);
	else
		ret = l->tool_failed ? DT_EXIT_TOOL : DT_EXIT_OK;
	if (ret == DT_EXIT_OK)
		ret = cmd_status(l);
	return ret;
}

int dt_live(const struct dt_options *o)
{
	struct live l = { .opt = o, .child = { .pid = -1 } };
	int ret = DT_EXIT_TOOL;

	/* COMMAND gets back the dispositions daxtrace was given (child.h) */
	dt_child_own_signals(&l.child, on_signal);
	if (start(&l)) {
		if (o->cmd && l.child.pid > 0) {
			kill(l.child.pid, SIGKILL);
			waitpid(l.child.pid, NULL, 0);
		}
		goto out;
	}
	if (o->cmd_kind == DT_CMD_PROBES) {
		dt_probes_report(stdout, &l.ld.probes);
		ret = DT_EXIT_OK;
		goto out;
	}
	if (trace(&l) < 0)
		l.tool_failed = true;
	ret = finish(&l);
out:
	dt_loader_stop(&l.ld);
	dt_consumer_free(&l.c);
	dt_ksyms_free(&l.ksyms);
	dt_filenames_free(&l.files);
	btf__free(l.vmlinux_btf);
	if (o->cmd_kind == DT_CMD_HIST)
		dt_histset_free(&l.total);
	return ret;
}
