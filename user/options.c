// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "classify.h"
#include "metrics.h"
#include "options.h"

#define STR_(x)	#x
#define STR(x)	STR_(x)

static const char usage_text[] =
"Usage: daxtrace [OPTIONS] [-- COMMAND [ARG...]]      stream one record per fault\n"
"       daxtrace probes [-m MODE]                     what attaches on this kernel\n"
"       daxtrace hist [-i SECS] [--by KEY] [OPTIONS] [-- COMMAND]\n"
"       daxtrace check [--forbid CLASS,...] [--expect RULE] [--junit FILE]\n"
"                      [OPTIONS] [-- COMMAND]\n"
"       daxtrace record -o FILE [OPTIONS] [-- COMMAND]\n"
"       daxtrace report FILE [-j] [--hist] [--check ...] [--svg OUT.svg]\n"
"       daxtrace serve [--listen ADDR:PORT] [--by fs|comm|none] [-m MODE]\n"
"       daxtrace diff [-j] [--fail-on RULE]... [--split-exec GLOB] A B\n"
"\n"
"Trace page faults on DAX (mount -o dax) file mappings and say, fault by\n"
"fault, how each page became writable.  Classes: write (one-step mkwrite),\n"
"read, hole (zero page), ro_upgrade, zero_upgrade, cow, two_step (a\n"
"violation), pfn_mismatch (kinds zero_page, private_cow, and unexpected: a\n"
"violation), error, fallback, other, retry (VM_FAULT_RETRY: the kernel\n"
"repeats the fault).  The insert probes are the running kernel's, chosen\n"
"from its BTF (insert_pfn up to 6.14, insert_page_into_pte_locked from\n"
"6.15; 'daxtrace probes' says which); without them classes are inferred\n"
"and two_step and pfn_mismatch are unavailable, never guessed.  A PMD\n"
"fault that falls back to 4 KiB says why (pmd_fallback: misaligned,\n"
"private_write, vma_range, past_eof, conflict, fs_error, extent_short,\n"
"extent_unmapped, storage, storage_short, storage_misaligned, zero_page,\n"
"or unknown), and the text summary ends with what to change.  Device DAX\n"
"(/dev/daxX.Y) is traced from dev_dax_huge_fault() when device_dax is\n"
"loaded at start (sizes pte, pmd, pud); the summary says if it was not.\n"
"\n"
"With COMMAND, only COMMAND and its children are traced and daxtrace exits\n"
"when COMMAND does.  Otherwise every process is traced until Ctrl-C or -d.\n"
"\n"
"Options:\n"
"  -p, --pid PID          trace only process PID (its threads included)\n"
"      --path PATH        only faults on this DAX file, or on the DAX\n"
"                         filesystem this directory is on\n"
"      --dev DEV          only faults on this device-DAX device: daxX.Y or\n"
"                         /dev/daxX.Y\n"
"  -d, --duration SECS    stop after SECS seconds\n"
"  -j, --json             one JSON object per fault (NDJSON) on stdout\n"
"  -q, --quiet            no per-fault output, summary only\n"
"  -s, --summary FMT      summary at the end: text (default, with a per-\n"
"                         process and per-file breakdown), json (one object\n"
"                         on stdout, last), none\n"
"  -m, --mode MODE        auto (default): the best probes the kernel allows,\n"
"                         per probe point: fentry/fexit, else kprobes, else\n"
"                         the fs_dax tracepoints alone;\n"
"                         fentry: trampolines only, fail unless exact;\n"
"                         kprobe: kprobes only, and raw tracepoints (no\n"
"                         BTF program), fail unless exact;\n"
"                         tracepoint: fs_dax tracepoints only (classes are\n"
"                         inferred; no PTE before/after; no two_step,\n"
"                         pfn_mismatch or retry)\n"
"      --ringbuf-kb KB    ring buffer size (default 4096); lost records are\n"
"                         counted and reported, never silently dropped\n"
"      --split-exec GLOB  with COMMAND (and report): put each fault in the\n"
"                         group of the nearest process in its ancestry that\n"
"                         exec'd a file matching GLOB ('*' not crossing '/',\n"
"                         matched against the path's tails): a table and\n"
"                         JSON \"groups\" per group; check names the groups\n"
"                         of each broken rule.  xfstests: --split-exec\n"
"                         'tests/*/*' gives a group per test\n"
"      --stacks LIST      also take forensics (the kernel stack, the VMA's\n"
"                         ->pfn_mkwrite and ->fault by name) for the faults\n"
"                         of these classes (comma-separated), as every\n"
"                         violation has them; stream, check and record\n"
"      --max-procs N      with COMMAND: how many processes (it and the\n"
"                         children it forks) can be traced at once (default\n"
"                         " STR(DT_MAX_PROCS_DEFAULT) "); a child past that goes untraced, counted\n"
"                         and reported (check: exit 2)\n"
"  -v, --verbose          print libbpf's messages\n"
"  -h, --help             this text\n"
"  -V, --version          daxtrace's version (git describe at build) and\n"
"                         libbpf's\n"
"\n"
"hist:   log2 latency histograms per class and size, counted in the kernel\n"
"  -i, --interval SECS    print (and reset) every SECS seconds\n"
"      --by KEY           split by fs, dev (the device: pmem0, dax0.0),\n"
"                         comm, pid, file or reason (of a PMD fallback:\n"
"                         the faults that fell back, per reason, and\n"
"                         none; the summary then counts pmd_fallbacks)\n"
"check:  assert rules over a run (CI); default forbids two_step and\n"
"        pfn_mismatch.unexpected\n"
"      --forbid LIST      also forbid these classes (comma-separated; a\n"
"                         mismatch kind is pfn_mismatch.KIND; PMD fallbacks\n"
"                         are pmd_fallback or pmd_fallback.REASON; faults\n"
"                         of a size size.pte|pmd|pud; device-DAX refusals\n"
"                         devdax or devdax.WHY)\n"
"      --expect RULE      CLASS=N, CLASS>N, CLASS>=N, CLASS<N or CLASS<=N\n"
"                         (CLASS also pmd_fallback[.REASON], size.SIZE,\n"
"                         devdax[.WHY]: 'pmd_fallback=0', 'size.pud>=1')\n"
"      --junit FILE       write a JUnit XML report\n"
"record: -o, --output FILE  write every record to a self-describing file\n"
"report: replay FILE: -j, --hist, --check (with --forbid/--expect/--junit),\n"
"        --svg OUT.svg (latency heatmap over time, a panel per class)\n"
"diff:   A and B side by side: recordings, --summary=json outputs or make\n"
"        xfstests' summary.json; per class, mismatch kind, PMD fallback\n"
"        reason and --split-exec group (xfstests: per test) both counts and\n"
"        the delta; per class of a recording the latency p50/p99 (log2 slot\n"
"        bounds) and their ratio B/A\n"
"      --fail-on RULE     as --expect, judged on B (exit 1 if broken);\n"
"                         delta.CLASS judges B - A ('delta.two_step=0',\n"
"                         'delta.ro_upgrade>=-10'); CLASS also violations\n"
"      --split-exec GLOB  group the faults of recordings (as report does)\n"
"serve:  count in the kernel as hist does and serve the counts at /metrics\n"
"        (Prometheus text 0.0.4, or OpenMetrics 1.0 if the scraper asks)\n"
"      --listen ADDR:PORT where to listen (default " DT_LISTEN_DEFAULT "; an IPv4\n"
"                         address or [IPv6]; 0.0.0.0 for every interface)\n"
"      --by KEY           the label of the faults: fs (default: the mount\n"
"                         point), dev (the device: pmem0, dax0.0), comm\n"
"                         (the " STR(DT_METRICS_MAX_COMMS) " busiest, the rest as \"" DT_METRICS_OTHER "\")\n"
"                         or none\n"
"\n"
"Exit status: 0 success (serve: stopped by SIGINT or SIGTERM); 1 check or\n"
"diff: a rule is broken; 2 daxtrace could not do its job (not root, bad\n"
"option, required probe missing, events lost in check, COMMAND could not\n"
"start, unreadable recording, diff: inputs that are not summaries or do\n"
"not compare, serve: cannot listen); 3 COMMAND failed.\n";

void dt_usage(FILE *out)
{
	fputs(usage_text, out);
}

const char *dt_mode_name(enum dt_mode m)
{
	switch (m) {
	case DT_MODE_KPROBE:
		return "kprobe";
	case DT_MODE_FENTRY:
		return "fentry";
	case DT_MODE_TRACEPOINT:
		return "tracepoint";
	default:
		return "auto";
	}
}

static int parse_int(const char *s, int min, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_mode(const char *s, enum dt_mode *m)
{
	if (!strcmp(s, "auto"))
		*m = DT_MODE_AUTO;
	else if (!strcmp(s, "kprobe"))
		*m = DT_MODE_KPROBE;
	else if (!strcmp(s, "fentry"))
		*m = DT_MODE_FENTRY;
	else if (!strcmp(s, "tracepoint"))
		*m = DT_MODE_TRACEPOINT;
	else
		return -1;
	return 0;
}

static int parse_summary(const char *s, enum dt_summary_fmt *f)
{
	if (!strcmp(s, "text"))
		*f = DT_SUMMARY_TEXT;
	else if (!strcmp(s, "json"))
		*f = DT_SUMMARY_JSON;
	else if (!strcmp(s, "none"))
		*f = DT_SUMMARY_NONE;
	else
		return -1;
	return 0;
}

static int parse_by(const char *s, enum dt_hist_by *by)
{
	static const char *const names[] = {
		[DT_BY_NONE] = "none", [DT_BY_FS] = "fs", [DT_BY_COMM] = "comm",
		[DT_BY_PID] = "pid", [DT_BY_FILE] = "file",
		[DT_BY_REASON] = "reason", [DT_BY_DEV] = "dev",
	};

	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i])) {
			*by = i;
			return 0;
		}
	}
	return -1;
}

static int parse_cmd(const char *s, enum dt_cmd *c)
{
	static const char *const names[] = {
		[DT_CMD_PROBES] = "probes", [DT_CMD_HIST] = "hist",
		[DT_CMD_CHECK] = "check", [DT_CMD_RECORD] = "record",
		[DT_CMD_REPORT] = "report", [DT_CMD_SERVE] = "serve",
		[DT_CMD_DIFF] = "diff",
	};

	for (unsigned int i = DT_CMD_PROBES; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i])) {
			*c = i;
			return 0;
		}
	}
	return -1;
}

enum {
	OPT_BY = 256,
	OPT_FORBID,
	OPT_EXPECT,
	OPT_JUNIT,
	OPT_HIST,
	OPT_CHECK,
	OPT_SVG,
	OPT_PATH,
	OPT_DEV,
	OPT_RINGBUF,
	OPT_MAX_PROCS,
	OPT_SPLIT_EXEC,
	OPT_LISTEN,
	OPT_FAIL_ON,
	OPT_STACKS,
};

static const struct option long_opts[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "duration", required_argument, NULL, 'd' },
	{ "json", no_argument, NULL, 'j' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "summary", required_argument, NULL, 's' },
	{ "mode", required_argument, NULL, 'm' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "interval", required_argument, NULL, 'i' },
	{ "output", required_argument, NULL, 'o' },
	{ "by", required_argument, NULL, OPT_BY },
	{ "forbid", required_argument, NULL, OPT_FORBID },
	{ "expect", required_argument, NULL, OPT_EXPECT },
	{ "junit", required_argument, NULL, OPT_JUNIT },
	{ "hist", no_argument, NULL, OPT_HIST },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "svg", required_argument, NULL, OPT_SVG },
	{ "path", required_argument, NULL, OPT_PATH },
	{ "dev", required_argument, NULL, OPT_DEV },
	{ "ringbuf-kb", required_argument, NULL, OPT_RINGBUF },
	{ "max-procs", required_argument, NULL, OPT_MAX_PROCS },
	{ "split-exec", required_argument, NULL, OPT_SPLIT_EXEC },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "stacks", required_argument, NULL, OPT_STACKS },
	{ NULL, 0, NULL, 0 },
};

#define BAD(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

/* Which subcommands take an option: the rest reject it by name. */
static bool option_allowed(int c, enum dt_cmd cmd)
{
	/* a daemon over every process: what it counts is set by --by alone */
	if (cmd == DT_CMD_SERVE)
		return c == OPT_LISTEN || c == OPT_BY || c == 'm' || c == 'v';
	/* two files read: what to compare, how to print it */
	if (cmd == DT_CMD_DIFF)
		return c == OPT_FAIL_ON || c == 'j' || c == OPT_SPLIT_EXEC ||
		       c == 'h' || c == 'V';
	switch (c) {
	case OPT_FAIL_ON:
		return false;
	case OPT_LISTEN:
		return false;
	case 'i':
		return cmd == DT_CMD_HIST;
	case OPT_BY:
		return cmd == DT_CMD_HIST || cmd == DT_CMD_REPORT;
	case OPT_FORBID:
	case OPT_EXPECT:
	case OPT_JUNIT:
		return cmd == DT_CMD_CHECK || cmd == DT_CMD_REPORT;
	case 'o':
		return cmd == DT_CMD_RECORD;
	case OPT_HIST:
	case OPT_CHECK:
	case OPT_SVG:
		return cmd == DT_CMD_REPORT;
	case 'p':
	case 'd':
	case OPT_PATH:
	case OPT_DEV:
	case OPT_MAX_PROCS:
		return cmd != DT_CMD_REPORT && cmd != DT_CMD_PROBES;
	case OPT_RINGBUF:
		return cmd != DT_CMD_REPORT && cmd != DT_CMD_PROBES &&
		       cmd != DT_CMD_HIST;
	/* taken as a fault's record is sent: not hist, which sends none */
	case OPT_STACKS:
		return cmd == DT_CMD_TRACE || cmd == DT_CMD_CHECK ||
		       cmd == DT_CMD_RECORD;
	/* records carry the groups: not hist, which keeps none */
	case OPT_SPLIT_EXEC:
		return cmd != DT_CMD_PROBES && cmd != DT_CMD_HIST;
	default:
		return true;
	}
}

static int add_rule(const char **list, int *n, const char *rule,
		    char *err, int errlen)
{
	if (*n >= DT_MAX_RULES)
		BAD("too many rules (at most %d)", DT_MAX_RULES);
	list[(*n)++] = rule;
	return 0;
}

/* --stacks CLASS,...: the classes into @mask (1 << enum dt_class) */
static int parse_stacks(const char *list, __u32 *mask, char *err, int errlen)
{
	const char *p = list;

	if (!*list)
		BAD("--stacks needs a class");
	while (*p) {
		size_t n = strcspn(p, ",");
		char name[32];
		int cls;

		if (!n || n >= sizeof(name))
			BAD("invalid --stacks '%s' (classes, comma-separated)", list);
		memcpy(name, p, n);
		name[n] = 0;
		cls = dt_class_parse(name);
		if (cls < 0)
			BAD("--stacks: unknown class '%s' (write, read, hole, ro_upgrade, "
			    "zero_upgrade, cow, two_step, pfn_mismatch, error, fallback, "
			    "other, retry)", name);
		*mask |= 1U << cls;
		p += n;
		if (*p == ',' && !*++p)
			BAD("invalid --stacks '%s' (classes, comma-separated)", list);
	}
	return 0;
}

static int parse_one(int c, struct dt_options *o, char *err, int errlen)
{
	switch (c) {
	case 'p':
		if (parse_int(optarg, 1, &o->pid))
			BAD("invalid PID '%s'", optarg);
		break;
	case 'd':
		if (parse_int(optarg, 1, &o->duration))
			BAD("invalid duration '%s' (whole seconds, > 0)", optarg);
		break;
	case 'i':
		if (parse_int(optarg, 1, &o->interval))
			BAD("invalid interval '%s' (whole seconds, > 0)", optarg);
		break;
	case 'j':
		o->json = true;
		break;
	case 'q':
		o->quiet = true;
		break;
	case 's':
		if (parse_summary(optarg, &o->summary))
			BAD("invalid summary format '%s' (text, json, none)", optarg);
		break;
	case 'm':
		if (parse_mode(optarg, &o->mode))
			BAD("invalid mode '%s' (auto, fentry, kprobe, tracepoint)", optarg);
		break;
	case 'v':
		o->verbose = true;
		break;
	case 'o':
		o->output = optarg;
		break;
	case OPT_BY:
		if (parse_by(optarg, &o->by))
			BAD("invalid --by '%s' (fs, comm, pid, file, reason)", optarg);
		break;
	case OPT_FORBID:
		return add_rule(o->forbid, &o->nforbid, optarg, err, errlen);
	case OPT_EXPECT:
		return add_rule(o->expect, &o->nexpect, optarg, err, errlen);
	case OPT_JUNIT:
		o->junit = optarg;
		break;
	case OPT_HIST:
		o->report_hist = true;
		break;
	case OPT_CHECK:
		o->report_check = true;
		break;
	case OPT_SVG:
		o->svg = optarg;
		break;
	case OPT_PATH:
		o->path = optarg;
		break;
	case OPT_DEV:
		o->dev = optarg;
		break;
	case OPT_RINGBUF:
		/* a BPF ring buffer is a power-of-two number of pages */
		if (parse_int(optarg, 4, &o->ringbuf_kb) ||
		    (o->ringbuf_kb & (o->ringbuf_kb - 1)) || o->ringbuf_kb > (1 << 20))
			BAD("invalid --ringbuf-kb '%s' (a power of two, 4 to 1048576)", optarg);
		break;
	case OPT_MAX_PROCS:
		if (parse_int(optarg, 1, &o->max_procs) || o->max_procs > DT_MAX_PROCS_MAX)
			BAD("invalid --max-procs '%s' (1 to %d)", optarg,
			    DT_MAX_PROCS_MAX);
		break;
	case OPT_SPLIT_EXEC:
		if (!*optarg)
			BAD("--split-exec needs a GLOB");
		o->split_exec = optarg;
		break;
	case OPT_LISTEN:
		return dt_listen_parse(optarg, &o->listen, err, errlen);
	case OPT_FAIL_ON:
		return add_rule(o->fail_on, &o->nfail_on, optarg, err, errlen);
	case OPT_STACKS:
		return parse_stacks(optarg, &o->stacks, err, errlen);
	}
	return 0;
}

static const char *cmd_name(enum dt_cmd c)
{
	static const char *const names[] = {
		[DT_CMD_TRACE] = "trace", [DT_CMD_PROBES] = "probes",
		[DT_CMD_HIST] = "hist", [DT_CMD_CHECK] = "check",
		[DT_CMD_RECORD] = "record", [DT_CMD_REPORT] = "report",
		[DT_CMD_SERVE] = "serve", [DT_CMD_DIFF] = "diff",
	};
	return names[c];
}

static int finish(struct dt_options *o, int argc, char **argv,
		  char *err, int errlen)
{
	if (optind < argc) {
		if (o->cmd_kind == DT_CMD_PROBES)
			BAD("'probes' takes no command");
		if (o->cmd_kind == DT_CMD_SERVE)
			BAD("'serve' takes no command: it counts every process");
		if (o->cmd_kind == DT_CMD_DIFF) {
			if (argc - optind != 2)
				BAD("diff takes two files, A and B, not %d", argc - optind);
			o->diff[0] = argv[optind];
			o->diff[1] = argv[optind + 1];
			return 0;
		}
		if (o->cmd_kind == DT_CMD_REPORT) {
			o->input = argv[optind++];
			if (optind < argc)
				BAD("report takes one FILE, not '%s'", argv[optind]);
		} else {
			/* getopt_long consumed a "--" already; a bare word is COMMAND */
			o->cmd = &argv[optind];
		}
	}
	/* pids and inodes are unbounded: no label takes them */
	if (o->cmd_kind == DT_CMD_SERVE && (o->by == DT_BY_PID || o->by == DT_BY_FILE))
		BAD("serve: --by is fs, dev, comm or none (a label per pid or file "
		    "would grow without bound)");
	if (o->cmd_kind == DT_CMD_SERVE && o->by == DT_BY_REASON)
		BAD("serve: --by is fs, dev, comm or none (reason is hist's: "
		    "serve counts no PMD fallback reasons)");
	if (o->cmd_kind == DT_CMD_REPORT && !o->input)
		BAD("report needs a FILE");
	if (o->cmd_kind == DT_CMD_DIFF)
		BAD("diff takes two files, A and B");
	if (o->cmd_kind == DT_CMD_RECORD && !o->output)
		BAD("record needs -o FILE");
	if (o->cmd && o->pid)
		BAD("-p and COMMAND exclude each other");
	/* only COMMAND's children join the set: without one it holds nothing */
	if (o->max_procs && !o->cmd)
		BAD("--max-procs goes with a COMMAND");
	/* the process tree is COMMAND's: its forks are the ones followed */
	if (o->split_exec && !o->cmd && o->cmd_kind != DT_CMD_REPORT)
		BAD("--split-exec goes with a COMMAND");
	if (o->cmd_kind == DT_CMD_REPORT && o->report_hist + o->report_check +
	    o->json > 1)
		BAD("report: choose one of --json, --hist, --check");
	if (o->cmd_kind == DT_CMD_REPORT && !o->report_check &&
	    (o->nforbid || o->nexpect || o->junit))
		BAD("report: --forbid, --expect and --junit go with --check");
	return 0;
}

int dt_options_parse(int argc, char **argv, struct dt_options *o,
		     char *err, int errlen)
{
	int c, longindex = 0;
	const char *optstring;

	*o = (struct dt_options){ .mode = DT_MODE_AUTO };
	/*
	 * A subcommand, if any, comes first: getopt then starts after it,
	 * the subcommand standing in for argv[0].  optind 0 makes GNU getopt
	 * start afresh (its permutation state included) on every call.
	 */
	if (argc > 1 && !parse_cmd(argv[1], &o->cmd_kind)) {
		argc--;
		argv++;
	}
	if (o->cmd_kind == DT_CMD_SERVE) {
		o->by = DT_BY_FS;
		dt_listen_parse(DT_LISTEN_DEFAULT, &o->listen, err, errlen);
	}
	optind = 0;
	opterr = 0;
	/*
	 * '+': stop at the first non-option so COMMAND keeps its own flags.
	 * report has no COMMAND, only FILE: its options may follow it, as
	 * GNU getopt permutes them ("report run.dt -j").
	 */
	optstring = o->cmd_kind == DT_CMD_REPORT ? ":p:d:i:o:jqs:m:vhV" :
						   "+:p:d:i:o:jqs:m:vhV";
	while ((c = getopt_long(argc, argv, optstring, long_opts,
				&longindex)) != -1) {
		if (c == 'h') {
			dt_usage(stdout);
			return 1;
		}
		if (c == 'V')
			return DT_OPTIONS_VERSION;
		if (c == ':')
			BAD("option '%s' needs an argument", argv[optind - 1]);
		if (c == '?') {
			if (optopt)
				BAD("unknown option '-%c'", optopt);
			BAD("unknown option '%s'", argv[optind - 1]);
		}
		/* named as given: argv[optind - 1] may be its argument */
		if (!option_allowed(c, o->cmd_kind))
			BAD("option '%s%s' does not apply to %s", c < 256 ? "-" : "--",
			    c < 256 ? (char[2]){ (char)c, 0 } : long_opts[longindex].name,
			    cmd_name(o->cmd_kind));
		if (parse_one(c, o, err, errlen))
			return -1;
	}
	return finish(o, argc, argv, err, errlen);
}
