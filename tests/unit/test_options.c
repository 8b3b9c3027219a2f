// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <string.h>
#include <arpa/inet.h>
#include "unit.h"
#include "options.h"

static int parse(struct dt_options *o, char *err, int n, ...)
{
	char *argv[16] = { "daxtrace" };
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		argv[i + 1] = va_arg(ap, char *);
	va_end(ap);
	return dt_options_parse(n + 1, argv, o, err, 256);
}

static void test_defaults(void)
{
	struct dt_options o;
	char err[256];

	CHECK_EQ(parse(&o, err, 0), 0);
	CHECK(!o.json && !o.quiet && !o.cmd && o.cmd_kind != DT_CMD_PROBES);
	CHECK_EQ(o.mode, DT_MODE_AUTO);
	CHECK_EQ(o.summary, DT_SUMMARY_TEXT);
}

static void test_command_keeps_its_flags(void)
{
	struct dt_options o;
	char err[256];

	CHECK_EQ(parse(&o, err, 5, "-j", "--", "ls", "-l", "-d"), 0);
	CHECK(o.json);
	CHECK(o.cmd && !strcmp(o.cmd[0], "ls") && !strcmp(o.cmd[2], "-d"));
	CHECK_EQ(o.duration, 0);
	/* after "--", "probes" is a command */
	CHECK_EQ(parse(&o, err, 2, "--", "probes"), 0);
	CHECK(o.cmd_kind != DT_CMD_PROBES && o.cmd);
	CHECK_EQ(parse(&o, err, 3, "probes", "-m", "tracepoint"), 0);
	CHECK(o.cmd_kind == DT_CMD_PROBES && !o.cmd);
	CHECK_EQ(o.mode, DT_MODE_TRACEPOINT);
}

static void test_subcommands(void)
{
	struct dt_options o;
	char err[256];

	CHECK_EQ(parse(&o, err, 7, "hist", "-i", "2", "--by", "comm", "--", "ls"), 0);
	CHECK_EQ(o.cmd_kind, DT_CMD_HIST);
	CHECK_EQ(o.interval, 2);
	CHECK_EQ(o.by, DT_BY_COMM);
	CHECK(o.cmd && !strcmp(o.cmd[0], "ls"));
	CHECK_EQ(parse(&o, err, 5, "hist", "--by", "reason", "--", "ls"), 0);
	CHECK_EQ(o.by, DT_BY_REASON);
	CHECK_EQ(parse(&o, err, 4, "report", "f.dt", "--hist", "--by=reason"), 0);
	CHECK_EQ(o.by, DT_BY_REASON);
	CHECK_EQ(parse(&o, err, 3, "hist", "--by", "reasons"), -1);
	CHECK(strstr(err, "invalid --by 'reasons' (fs, comm, pid, file, reason)"));
	CHECK_EQ(parse(&o, err, 7, "check", "--forbid", "ro_upgrade,cow",
		       "--expect", "write=4", "--junit", "j.xml"), 0);
	CHECK_EQ(o.cmd_kind, DT_CMD_CHECK);
	CHECK_EQ(o.nforbid, 1);
	CHECK_EQ(o.nexpect, 1);
	CHECK(!strcmp(o.junit, "j.xml"));
	CHECK_EQ(parse(&o, err, 3, "record", "-o", "f.dt"), 0);
	CHECK(!strcmp(o.output, "f.dt"));
	/* report has no COMMAND: its options may follow FILE */
	CHECK_EQ(parse(&o, err, 5, "report", "f.dt", "--svg", "x.svg", "-j"), 0);
	CHECK(!strcmp(o.input, "f.dt") && !strcmp(o.svg, "x.svg") && o.json);
	CHECK_EQ(parse(&o, err, 3, "report", "run.dt", "--summary=json"), 0);
	CHECK(!strcmp(o.input, "run.dt") && o.summary == DT_SUMMARY_JSON);
	CHECK_EQ(parse(&o, err, 4, "report", "run.dt", "-s", "json"), 0);
	CHECK(o.summary == DT_SUMMARY_JSON);
	/* a COMMAND keeps its own flags: nothing after it is daxtrace's */
	CHECK_EQ(parse(&o, err, 4, "--", "ls", "-j", "-s"), 0);
	CHECK(!o.json && o.cmd && !strcmp(o.cmd[1], "-j"));
	CHECK_EQ(parse(&o, err, 3, "ls", "-j", "-q"), 0);
	CHECK(!o.json && !o.quiet && o.cmd && !strcmp(o.cmd[0], "ls"));
	CHECK_EQ(parse(&o, err, 4, "report", "--svg", "x.svg", "f.dt"), 0);
	CHECK(!strcmp(o.input, "f.dt") && !strcmp(o.svg, "x.svg"));
	CHECK_EQ(parse(&o, err, 4, "report", "--check", "--forbid=cow", "f.dt"), 0);
	CHECK(o.report_check && o.nforbid == 1);
}

static void test_subcommand_misuse(void)
{
	struct dt_options o;
	char err[256];

	CHECK_EQ(parse(&o, err, 1, "record"), -1);
	CHECK(strstr(err, "-o FILE"));
	CHECK_EQ(parse(&o, err, 1, "report"), -1);
	CHECK_EQ(parse(&o, err, 3, "report", "a", "b"), -1);
	CHECK_EQ(parse(&o, err, 3, "report", "--hist", "--check"), -1);
	CHECK_EQ(parse(&o, err, 3, "report", "--forbid=cow", "f.dt"), -1);
	CHECK_EQ(parse(&o, err, 2, "-i", "3"), -1);
	CHECK(strstr(err, "does not apply to trace"));
	CHECK_EQ(parse(&o, err, 3, "hist", "--junit", "x"), -1);
	CHECK_EQ(parse(&o, err, 3, "hist", "--by", "inode"), -1);
	CHECK_EQ(parse(&o, err, 4, "report", "-p", "1", "f"), -1);
}

static void test_values(void)
{
	struct dt_options o;
	char err[256];

	CHECK_EQ(parse(&o, err, 4, "-p", "12", "--summary=json", "-d5"), 0);
	CHECK_EQ(o.pid, 12);
	CHECK_EQ(o.duration, 5);
	CHECK_EQ(o.summary, DT_SUMMARY_JSON);
	CHECK_EQ(parse(&o, err, 4, "--max-procs", "4194304", "--", "ls"), 0);
	CHECK_EQ(o.max_procs, DT_MAX_PROCS_MAX);
	CHECK_EQ(parse(&o, err, 0), 0);
	CHECK_EQ(o.max_procs, 0);	/* the map's own size */
}

static void test_bad_input(void)
{
	struct dt_options o;
	char err[256];

	CHECK_EQ(parse(&o, err, 2, "-p", "0"), -1);
	CHECK_EQ(parse(&o, err, 2, "-p", "12x"), -1);
	CHECK_EQ(parse(&o, err, 2, "-d", "-3"), -1);
	CHECK_EQ(parse(&o, err, 1, "-d"), -1);
	CHECK(strstr(err, "needs an argument"));
	CHECK_EQ(parse(&o, err, 1, "--nope"), -1);
	CHECK(strstr(err, "--nope"));
	CHECK_EQ(parse(&o, err, 1, "-Z"), -1);
	CHECK(strstr(err, "-Z"));
	CHECK_EQ(parse(&o, err, 2, "--mode", "uprobe"), -1);
	CHECK_EQ(parse(&o, err, 2, "--mode", "fentry"), 0);
	CHECK_EQ(o.mode, DT_MODE_FENTRY);
	CHECK_EQ(parse(&o, err, 2, "--summary", "xml"), -1);
	CHECK_EQ(parse(&o, err, 4, "-p", "1", "--", "ls"), -1);
	CHECK_EQ(parse(&o, err, 2, "probes", "ls"), -1);
	CHECK_EQ(parse(&o, err, 2, "--max-procs", "0"), -1);
	CHECK(strstr(err, "invalid --max-procs '0'"));
	CHECK_EQ(parse(&o, err, 2, "--max-procs", "4194305"), -1);
	CHECK_EQ(parse(&o, err, 3, "report", "--max-procs=2", "f.dt"), -1);
	CHECK_EQ(parse(&o, err, 2, "--max-procs", "8"), -1);
	CHECK(strstr(err, "--max-procs goes with a COMMAND"));
}

static void test_serve(void)
{
	struct dt_options o;
	char err[256];

	CHECK_EQ(parse(&o, err, 1, "serve"), 0);
	CHECK_EQ(o.cmd_kind, DT_CMD_SERVE);
	CHECK_EQ(o.by, DT_BY_FS);
	CHECK_EQ(o.listen.port, DT_LISTEN_PORT);
	CHECK_EQ(o.listen.family, AF_INET);
	CHECK_EQ(ntohl(o.listen.v4.s_addr), 0x7f000001);
	CHECK_EQ(parse(&o, err, 6, "serve", "--listen", "0.0.0.0:9", "--by", "comm", "-v"), 0);
	CHECK_EQ(o.listen.port, 9);
	CHECK_EQ(o.listen.v4.s_addr, 0);
	CHECK_EQ(o.by, DT_BY_COMM);
	CHECK_EQ(parse(&o, err, 3, "serve", "--by", "none"), 0);
	CHECK_EQ(o.by, DT_BY_NONE);
	CHECK_EQ(parse(&o, err, 3, "serve", "-m", "tracepoint"), 0);
	CHECK_EQ(o.mode, DT_MODE_TRACEPOINT);
	/* a daemon over every process, with bounded labels */
	CHECK_EQ(parse(&o, err, 3, "serve", "--by", "pid"), -1);
	CHECK(strstr(err, "--by is fs, dev, comm or none") != NULL);
	CHECK_EQ(parse(&o, err, 3, "serve", "--by", "file"), -1);
	/* serve's in-kernel counts keep no reasons */
	CHECK_EQ(parse(&o, err, 3, "serve", "--by", "reason"), -1);
	CHECK(strstr(err, "--by is fs, dev, comm or none (reason is hist's") != NULL);
	CHECK_EQ(parse(&o, err, 3, "serve", "-d", "3"), -1);
	CHECK(strstr(err, "does not apply to serve") != NULL);
	CHECK_EQ(parse(&o, err, 2, "serve", "-j"), -1);
	CHECK_EQ(parse(&o, err, 3, "serve", "--", "ls"), -1);
	CHECK(strstr(err, "'serve' takes no command") != NULL);
	CHECK_EQ(parse(&o, err, 3, "serve", "--listen", "nowhere"), -1);
	CHECK(strstr(err, "invalid --listen 'nowhere'") != NULL);
	/* --listen is serve's alone */
	CHECK_EQ(parse(&o, err, 3, "hist", "--listen", "127.0.0.1:1"), -1);
	CHECK(strstr(err, "does not apply to hist") != NULL);
}

/* --version anywhere -h is taken: before a subcommand, after it, short */
static void test_version(void)
{
	struct dt_options o;
	char err[256];

	CHECK_EQ(parse(&o, err, 1, "--version"), DT_OPTIONS_VERSION);
	CHECK_EQ(parse(&o, err, 1, "-V"), DT_OPTIONS_VERSION);
	CHECK_EQ(parse(&o, err, 2, "serve", "--version"), DT_OPTIONS_VERSION);
	CHECK_EQ(parse(&o, err, 3, "report", "f.dt", "--version"), DT_OPTIONS_VERSION);
	/* a COMMAND's own --version is the command's */
	CHECK_EQ(parse(&o, err, 3, "--", "ls", "--version"), 0);
	CHECK(o.cmd && !strcmp(o.cmd[1], "--version"));
	CHECK_EQ(parse(&o, err, 1, "--version=1"), -1);
}

/* --stacks: class names into a mask, accumulated; records' commands only */
static void test_stacks(void)
{
	struct dt_options o;
	char err[256];

	CHECK_EQ(parse(&o, err, 4, "--stacks", "read,ro_upgrade", "--", "ls"), 0);
	CHECK_EQ(o.stacks, (1U << DT_CLASS_READ) | (1U << DT_CLASS_RO_UPGRADE));
	CHECK_EQ(parse(&o, err, 5, "check", "--stacks=retry", "--stacks", "cow", "--"), 0);
	CHECK_EQ(o.stacks, (1U << DT_CLASS_RETRY) | (1U << DT_CLASS_COW));
	CHECK_EQ(parse(&o, err, 5, "record", "-o", "f.dt", "--stacks", "two_step"), 0);
	CHECK_EQ(o.stacks, 1U << DT_CLASS_TWO_STEP);
	CHECK_EQ(parse(&o, err, 0), 0);
	CHECK_EQ(o.stacks, 0U);

	CHECK_EQ(parse(&o, err, 2, "--stacks", "bogus"), -1);
	CHECK(strstr(err, "unknown class 'bogus'") != NULL);
	CHECK_EQ(parse(&o, err, 2, "--stacks", ""), -1);
	CHECK_EQ(parse(&o, err, 2, "--stacks", "read,"), -1);
	CHECK_EQ(parse(&o, err, 2, "--stacks", ",read"), -1);
	CHECK_EQ(parse(&o, err, 2, "--stacks", "read,,cow"), -1);
	CHECK_EQ(parse(&o, err, 2, "--stacks", "pfn_mismatch.unexpected"), -1);
	CHECK_EQ(parse(&o, err, 3, "hist", "--stacks", "read"), -1);
	CHECK(strstr(err, "does not apply to hist") != NULL);
	CHECK_EQ(parse(&o, err, 3, "serve", "--stacks", "read"), -1);
	CHECK_EQ(parse(&o, err, 4, "report", "--stacks", "read", "f.dt"), -1);
}

int main(void)
{
	RUN(test_defaults);
	RUN(test_command_keeps_its_flags);
	RUN(test_values);
	RUN(test_bad_input);
	RUN(test_subcommands);
	RUN(test_subcommand_misuse);
	RUN(test_serve);
	RUN(test_version);
	RUN(test_stacks);
	return UNIT_EXIT();
}
