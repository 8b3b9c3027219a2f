// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "options.h"

static const char usage_text[] =
"Usage: daxtrace [OPTIONS] [-- COMMAND [ARG...]]\n"
"       daxtrace probes [--mode MODE]\n"
"\n"
"Trace page faults on DAX (mount -o dax) file mappings and say, fault by\n"
"fault, how each page became writable: write (one-step mkwrite), read, hole,\n"
"ro_upgrade, zero_upgrade, cow, two_step (violation), pfn_mismatch (kinds\n"
"zero_page, private_cow, unexpected: a violation), error, fallback, other.\n"
"\n"
"With COMMAND, only COMMAND and its children are traced, and daxtrace exits\n"
"when COMMAND does.  Otherwise every process is traced until Ctrl-C.\n"
"\n"
"Options:\n"
"  -p, --pid PID          trace only process PID (its threads included)\n"
"  -d, --duration SECS    stop after SECS seconds\n"
"  -j, --json             one JSON object per fault (NDJSON) on stdout\n"
"  -q, --quiet            no per-fault output, summary only\n"
"  -s, --summary FMT      summary at the end: text (default), json, none;\n"
"                         json prints one object on stdout, last\n"
"  -m, --mode MODE        auto (default): the best probes the kernel allows;\n"
"                         kprobe: fail unless the exact kprobes attach;\n"
"                         tracepoint: fs_dax tracepoints only (classes are\n"
"                         inferred; no PTE before/after, no two_step or\n"
"                         pfn_mismatch detection)\n"
"  -v, --verbose          print libbpf's messages\n"
"  -h, --help             this text\n"
"\n"
"Subcommands:\n"
"  probes                 attach every probe point, report how each attached\n"
"                         (or why not) and what that means for fidelity\n"
"\n"
"Exit status: 0 success; 2 daxtrace could not trace (not root, bad option,\n"
"required probe missing, COMMAND could not start); 3 COMMAND failed.\n";

void dt_usage(FILE *out)
{
	fputs(usage_text, out);
}

const char *dt_mode_name(enum dt_mode m)
{
	switch (m) {
	case DT_MODE_KPROBE:
		return "kprobe";
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

static const struct option long_opts[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "duration", required_argument, NULL, 'd' },
	{ "json", no_argument, NULL, 'j' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "summary", required_argument, NULL, 's' },
	{ "mode", required_argument, NULL, 'm' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

#define BAD(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

int dt_options_parse(int argc, char **argv, struct dt_options *o,
		     char *err, int errlen)
{
	int c;

	*o = (struct dt_options){ .mode = DT_MODE_AUTO };
	optind = 1;
	opterr = 0;
	/* '+': stop at the first non-option so COMMAND keeps its own flags */
	while ((c = getopt_long(argc, argv, "+:p:d:jqs:m:vh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (parse_int(optarg, 1, &o->pid))
				BAD("invalid PID '%s'", optarg);
			break;
		case 'd':
			if (parse_int(optarg, 1, &o->duration))
				BAD("invalid duration '%s' (whole seconds, > 0)", optarg);
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
				BAD("invalid mode '%s' (auto, kprobe, tracepoint)", optarg);
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			dt_usage(stdout);
			return 1;
		case ':':
			BAD("option '%s' needs an argument", argv[optind - 1]);
		default:
			if (optopt)
				BAD("unknown option '-%c'", optopt);
			BAD("unknown option '%s'", argv[optind - 1]);
		}
	}
	/* after "--" a word named "probes" is a command, not the subcommand */
	if (optind < argc && !strcmp(argv[optind], "probes") &&
	    strcmp(argv[optind - 1], "--")) {
		o->probes_only = true;
		optind++;
	}
	if (optind < argc) {
		if (o->probes_only)
			BAD("'probes' takes no command");
		/* getopt_long consumed a "--" already; a bare word is COMMAND */
		o->cmd = &argv[optind];
	}
	if (o->cmd && o->pid)
		BAD("-p and COMMAND exclude each other");
	return 0;
}
