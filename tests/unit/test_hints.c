// SPDX-License-Identifier: GPL-2.0
/* The hints of the text summary (user/hints.c): one per reason seen. */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "hints.h"

static char *render(const __u64 *counts)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	dt_hints_print(f, counts);
	fclose(f);
	return buf;
}

static void test_every_reason_has_one(void)
{
	for (int i = 0; i < DT_FB_MAX; i++)
		CHECK(dt_fallback_hint(i) && strlen(dt_fallback_hint(i)) > 20);
	CHECK(!dt_fallback_hint(DT_FB_MAX));
}

/* no fallback, no hint: the aligned case prints nothing */
static void test_none(void)
{
	__u64 counts[DT_FB_MAX] = { 0 };
	char *s = render(counts);

	CHECK_EQ(strlen(s), 0);
	free(s);
}

/* only the reasons seen, in the reasons' order, with their counts */
static void test_seen_only(void)
{
	__u64 counts[DT_FB_MAX] = { 0 };
	char *s;

	counts[DT_FB_STORAGE_MISALIGNED] = 32;
	counts[DT_FB_MISALIGNED] = 2;
	s = render(counts);
	CHECK(!strncmp(s, "why no 2 MiB mappings:\n  misaligned (2): ", 41));
	CHECK(strstr(s, "\n  storage_misaligned (32): the file system placed"));
	CHECK(strstr(s, "mkfs.xfs -d su=2m,sw=1"));
	CHECK(!strstr(s, "private_write"));
	CHECK(!strstr(s, "COW"));
	free(s);
}

int main(void)
{
	RUN(test_every_reason_has_one);
	RUN(test_none);
	RUN(test_seen_only);
	return UNIT_EXIT();
}
