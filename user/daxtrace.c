// SPDX-License-Identifier: GPL-2.0
/*
 * daxtrace: say, fault by fault, how each DAX page became writable.
 * Parse the command line, check what can be checked before loading
 * anything, and hand over to a live session or a report.
 */
#include <unistd.h>
#include <bpf/libbpf.h>
#include "version.h"
#include "live.h"
#include "options.h"
#include "diff_cmd.h"
#include "report.h"
#include "rules.h"
#include "serve.h"
#include "session.h"

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

static int check_pid(int pid)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%d", pid);
	if (access(path, F_OK) == 0)
		return 0;
	dt_err("no process with PID %d", pid);
	return -1;
}

/* Bad rules are bad input: say so before asking for privileges. */
static int check_rules(const struct dt_options *o)
{
	struct dt_rules rules;
	char err[256];

	if (!dt_rules_init(&rules, o->forbid, o->nforbid, o->expect,
			   o->nexpect, err, sizeof(err)))
		return 0;
	dt_err("%s (see daxtrace --help)", err);
	return -1;
}

int main(int argc, char **argv)
{
	struct dt_options opt;
	char err[256];
	int ret;

	ret = dt_options_parse(argc, argv, &opt, err, sizeof(err));
	if (ret == DT_OPTIONS_VERSION) {
		printf("daxtrace %s\nlibbpf %s\n", DT_VERSION, libbpf_version_string());
		return DT_EXIT_OK;
	}
	if (ret) {
		if (ret < 0) {
			dt_err("%s (see daxtrace --help)", err);
			return DT_EXIT_TOOL;
		}
		return DT_EXIT_OK;
	}
	if (check_rules(&opt))
		return DT_EXIT_TOOL;
	if (opt.cmd_kind == DT_CMD_REPORT)
		return dt_report(&opt);
	if (opt.cmd_kind == DT_CMD_DIFF)
		return dt_diff_main(&opt);
	if (geteuid() != 0) {
		dt_err("needs root: loading BPF programs and kprobes takes "
		       "CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN (try: sudo daxtrace ...)");
		return DT_EXIT_TOOL;
	}
	if (opt.pid && check_pid(opt.pid))
		return DT_EXIT_TOOL;
	libbpf_set_print(opt.verbose ? libbpf_print : libbpf_quiet);
	if (opt.cmd_kind == DT_CMD_SERVE)
		return dt_serve(&opt);
	return dt_live(&opt);
}
