// SPDX-License-Identifier: GPL-2.0
/*
 * Faults grouped by the process tree (--split-exec).  Processes are known
 * by their forks: a PID reused after a process ended gets a fork event of
 * its own, and with it the group of its new parent.  Exits are not sent;
 * the table keeps every process ever forked (8 bytes each).
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "split.h"

int dt_split_init(struct dt_split *s, const char *glob)
{
	memset(s, 0, sizeof(*s));
	s->glob = glob;
	s->cap = 1024;
	s->pids = calloc(s->cap, sizeof(*s->pids));
	return s->pids ? 0 : -1;
}

void dt_split_free(struct dt_split *s)
{
	free(s->pids);
	free(s->groups);
	s->pids = NULL;
	s->groups = NULL;
}

/* The slot of @pid: its own, or the empty one where it would go (pid 0). */
static size_t slot(const struct dt_split *s, __u32 pid)
{
	size_t i = (pid * 0x9e3779b1u) & (s->cap - 1);

	while (s->pids[i].pid && s->pids[i].pid != pid)
		i = (i + 1) & (s->cap - 1);
	return i;
}

static int grow(struct dt_split *s)
{
	struct dt_split old = *s;

	s->cap *= 2;
	s->pids = calloc(s->cap, sizeof(*s->pids));
	if (!s->pids) {
		*s = old;
		return -1;
	}
	for (size_t i = 0; i < old.cap; i++)
		if (old.pids[i].pid)
			s->pids[slot(s, old.pids[i].pid)] = old.pids[i];
	free(old.pids);
	return 0;
}

static __u32 group_of(const struct dt_split *s, __u32 pid)
{
	return pid ? s->pids[slot(s, pid)].group : 0;
}

static int set_group(struct dt_split *s, __u32 pid, __u32 group)
{
	size_t i;

	if (!pid)
		return 0;
	if (s->used * 2 >= s->cap && grow(s))
		return -1;
	i = slot(s, pid);
	if (!s->pids[i].pid) {
		s->pids[i].pid = pid;
		s->used++;
	}
	s->pids[i].group = group;
	return 0;
}

const char *dt_split_match(const char *glob, const char *path)
{
	const char *tail = NULL;

	if (!strncmp(path, "./", 2))
		path += 2;
	/* the whole path, then each tail after a '/': the last match is the shortest */
	for (const char *p = path; p; p = strchr(p, '/')) {
		if (*p == '/')
			p++;
		if (!fnmatch(glob, p, FNM_PATHNAME))
			tail = p;
	}
	return tail;
}

/* Index + 1 of the group @name, made if new; 0 out of memory. */
static __u32 group_named(struct dt_split *s, const char *name)
{
	struct dt_split_group *g;

	for (int i = 0; i < s->ngroups; i++)
		if (!strcmp(s->groups[i].name, name))
			return i + 1;
	if (s->ngroups == s->capgroups) {
		int cap = s->capgroups ? s->capgroups * 2 : 64;

		g = realloc(s->groups, cap * sizeof(*g));
		if (!g)
			return 0;
		s->groups = g;
		s->capgroups = cap;
	}
	g = &s->groups[s->ngroups];
	memset(g, 0, sizeof(*g));
	snprintf(g->name, sizeof(g->name), "%s", name);
	return ++s->ngroups;
}

int dt_split_event(struct dt_split *s, const struct dt_proc_event *pe)
{
	char path[DT_PROC_PATH_LEN];
	const char *name;
	__u32 group;

	if (pe->kind == DT_PROC_FORK)
		return set_group(s, pe->pid, group_of(s, pe->ppid));
	if (pe->kind != DT_PROC_EXEC)
		return 0;
	memcpy(path, pe->path, sizeof(path));
	path[sizeof(path) - 1] = '\0';
	name = dt_split_match(s->glob, path);
	if (!name)
		return 0;
	group = group_named(s, name);
	return group ? set_group(s, pe->pid, group) : -1;
}

struct dt_summary *dt_split_sum(struct dt_split *s, __u32 pid)
{
	__u32 g = group_of(s, pid);

	return g ? &s->groups[g - 1].sum : &s->outside;
}

static void json_group(FILE *out, const char *name,
		       const struct dt_summary *sum, bool exact)
{
	json_str(out, name);
	fputc(':', out);
	dt_summary_counts_json(out, sum, exact);
}

void dt_split_json(FILE *out, const struct dt_split *s, bool exact)
{
	fputs("\"groups\":{", out);
	for (int i = 0; i < s->ngroups; i++) {
		json_group(out, s->groups[i].name, &s->groups[i].sum, exact);
		fputc(',', out);
	}
	json_group(out, "(none)", &s->outside, exact);
	fputc('}', out);
}

static void print_row(FILE *out, const char *name, const struct dt_summary *sum,
		      const bool *cols, bool exact)
{
	fprintf(out, "%-28.28s %8llu", name, sum->faults);
	for (int c = 0; c < DT_CLASS_MAX; c++)
		if (cols[c])
			fprintf(out, " %12llu", sum->classes[c]);
	if (exact)
		fprintf(out, " %10llu", sum->violations);
	fputc('\n', out);
}

void dt_split_print(FILE *out, const struct dt_split *s, bool exact)
{
	bool cols[DT_CLASS_MAX] = { false };

	/* a column for each class some group has, "write" always */
	cols[DT_CLASS_WRITE] = true;
	for (int c = 0; c < DT_CLASS_MAX; c++) {
		cols[c] = cols[c] || s->outside.classes[c];
		for (int i = 0; i < s->ngroups; i++)
			cols[c] = cols[c] || s->groups[i].sum.classes[c];
	}
	fprintf(out, "\n%-28s %8s", "GROUP (--split-exec)", "FAULTS");
	for (int c = 0; c < DT_CLASS_MAX; c++)
		if (cols[c])
			fprintf(out, " %12s", dt_class_name(c));
	if (exact)
		fprintf(out, " %10s", "VIOLATIONS");
	fputc('\n', out);
	for (int i = 0; i < s->ngroups; i++)
		print_row(out, s->groups[i].name, &s->groups[i].sum, cols, exact);
	print_row(out, "(none)", &s->outside, cols, exact);
}
