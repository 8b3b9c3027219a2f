// SPDX-License-Identifier: GPL-2.0
/*
 * --split-exec: faults grouped by the process tree, from fork and exec
 * events in their order among the faults (user/split.c).
 */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "events.h"
#include "split.h"

#define XFSTESTS "tests/*/*"

static const struct dt_classify_ctx cx = {
	.zero = { .pte = ZERO_PFN }, .exact = true,
};

static struct dt_proc_event fork_of(__u32 ppid, __u32 pid)
{
	return (struct dt_proc_event){ .kind = DT_PROC_FORK, .pid = pid, .ppid = ppid };
}

static struct dt_proc_event exec_of(__u32 pid, const char *path)
{
	struct dt_proc_event e = { .kind = DT_PROC_EXEC, .pid = pid };

	snprintf(e.path, sizeof(e.path), "%s", path);
	return e;
}

static void fault(struct dt_split *s, __u32 pid, struct dt_event e)
{
	struct dt_verdict v;

	e.pid = pid;
	dt_classify(&e, &cx, &v);
	dt_summary_add(dt_split_sum(s, pid), &e, &v);
}

static const struct dt_split_group *group(const struct dt_split *s, const char *name)
{
	for (int i = 0; i < s->ngroups; i++)
		if (!strcmp(s->groups[i].name, name))
			return &s->groups[i];
	return NULL;
}

static void test_match(void)
{
	CHECK(!strcmp(dt_split_match(XFSTESTS, "./tests/generic/437"), "tests/generic/437"));
	CHECK(!strcmp(dt_split_match(XFSTESTS, "/opt/xfstests/tests/ext4/030"),
		      "tests/ext4/030"));
	CHECK(!strcmp(dt_split_match(XFSTESTS, "tests/xfs/550"), "tests/xfs/550"));
	/* '*' does not cross '/': deeper paths and tools are no test */
	CHECK(!dt_split_match(XFSTESTS, "./tests/generic/437/x"));
	CHECK(!dt_split_match(XFSTESTS, "/usr/sbin/xfs_io"));
	CHECK(!dt_split_match(XFSTESTS, "./check"));
	/* the shortest tail that matches names the group */
	CHECK(!strcmp(dt_split_match("*", "/usr/bin/bash"), "bash"));
	CHECK(!strcmp(dt_split_match("*/[0-9]*", "./tests/generic/437"), "generic/437"));
	CHECK(!dt_split_match("[", "x"));	/* a bad glob matches nothing */
}

/*
 * check (pid 10) forks a shell per test that execs it; the test forks
 * xfs_io, which inherits the group; check's own mkfs belongs to none.
 */
static void test_xfstests_tree(void)
{
	struct dt_split s;
	struct dt_proc_event evs[] = {
		fork_of(10, 11), exec_of(11, "./tests/generic/413"),
		fork_of(11, 12), exec_of(12, "/usr/sbin/xfs_io"),
		fork_of(10, 13), exec_of(13, "/usr/sbin/mkfs.ext4"),
		fork_of(10, 14), exec_of(14, "./tests/generic/437"),
		fork_of(14, 15),
	};
	const struct dt_split_group *g;

	CHECK_EQ(dt_split_init(&s, XFSTESTS), 0);
	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
		CHECK_EQ(dt_split_event(&s, &evs[i]), 0);
	fault(&s, 12, ev_write());
	fault(&s, 12, ev_write());
	fault(&s, 13, ev_read());
	fault(&s, 15, ev_ro_upgrade());
	fault(&s, 10, ev_read());
	fault(&s, 99, ev_read());	/* never forked here: in none */
	CHECK_EQ(s.ngroups, 2);
	g = group(&s, "tests/generic/413");
	CHECK(g && g->sum.faults == 2 && g->sum.classes[DT_CLASS_WRITE] == 2);
	g = group(&s, "tests/generic/437");
	CHECK(g && g->sum.faults == 1 && g->sum.classes[DT_CLASS_RO_UPGRADE] == 1);
	CHECK_EQ(s.outside.faults, 3);
	CHECK_EQ(s.outside.classes[DT_CLASS_READ], 3);
	dt_split_free(&s);
}

/* a PID used again after its process ended takes its new parent's group */
static void test_pid_reuse(void)
{
	struct dt_split s;
	struct dt_proc_event evs[] = {
		fork_of(1, 20), exec_of(20, "./tests/generic/1"),
		fork_of(20, 21),		/* in generic/1 */
		fork_of(1, 22), exec_of(22, "./tests/generic/2"),
		fork_of(22, 21),		/* 21 again, now in generic/2 */
		fork_of(1, 20),			/* 20 again, from a parent in none */
	};

	CHECK_EQ(dt_split_init(&s, XFSTESTS), 0);
	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
		dt_split_event(&s, &evs[i]);
	CHECK(dt_split_sum(&s, 21) == &group(&s, "tests/generic/2")->sum);
	CHECK(dt_split_sum(&s, 20) == &s.outside);
	/* a test run twice is one group */
	evs[0] = exec_of(21, "./tests/generic/1");
	dt_split_event(&s, &evs[0]);
	CHECK_EQ(s.ngroups, 2);
	CHECK(dt_split_sum(&s, 21) == &group(&s, "tests/generic/1")->sum);
	dt_split_free(&s);
}

/* thousands of processes: the table grows, nobody moves group */
static void test_many_processes(void)
{
	struct dt_split s;
	struct dt_proc_event e = exec_of(1, "./tests/generic/9");

	CHECK_EQ(dt_split_init(&s, XFSTESTS), 0);
	dt_split_event(&s, &e);
	for (__u32 pid = 2; pid < 100000; pid++) {
		e = fork_of(pid - 1, pid);
		CHECK_EQ(dt_split_event(&s, &e), 0);
	}
	CHECK(s.cap >= 2 * s.used);
	CHECK(dt_split_sum(&s, 99999) == &s.groups[0].sum);
	CHECK(dt_split_sum(&s, 100000) == &s.outside);
	dt_split_free(&s);
}

static void test_outputs(void)
{
	struct dt_split s;
	struct dt_proc_event e = exec_of(5, "./tests/generic/437");
	struct dt_event m = ev_read();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK_EQ(dt_split_init(&s, XFSTESTS), 0);
	dt_split_event(&s, &e);
	m.before = PTE(OTHER_PFN, P | RW | D | A);
	m.vm_flags &= ~DT_VM_SHARED;
	fault(&s, 5, m);
	fault(&s, 6, ev_write());
	dt_split_json(f, &s, true);
	fflush(f);
	CHECK(strstr(buf, "\"groups\":{\"tests/generic/437\":{\"faults\":1,"));
	CHECK(strstr(buf, "\"pfn_mismatch\":{\"zero_page\":0,\"private_cow\":1,"
		      "\"unexpected\":0},\"violations\":0},\"(none)\":{\"faults\":1,"));
	rewind(f);
	dt_split_json(f, &s, false);
	fflush(f);
	CHECK(strstr(buf, "\"two_step\":null,"));
	rewind(f);
	dt_split_print(f, &s, true);
	fflush(f);
	CHECK(strstr(buf, "GROUP (--split-exec)"));
	CHECK(strstr(buf, "\ntests/generic/437"));
	CHECK(strstr(buf, "pfn_mismatch"));
	fclose(f);
	free(buf);
	dt_split_free(&s);
}

int main(void)
{
	RUN(test_match);
	RUN(test_xfstests_tree);
	RUN(test_pid_reuse);
	RUN(test_many_processes);
	RUN(test_outputs);
	return UNIT_EXIT();
}
