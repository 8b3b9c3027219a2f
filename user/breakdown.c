// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "breakdown.h"
#include "fallback.h"
#include "hist.h"

#define TOP_ROWS 20

int dt_breakdown_init(struct dt_breakdown *b, dt_file_namer namer, void *ctx)
{
	memset(b, 0, sizeof(*b));
	b->procs.slots = calloc(DT_GROUPS_MAX, sizeof(struct dt_group));
	b->files.slots = calloc(DT_GROUPS_MAX, sizeof(struct dt_group));
	b->namer = namer;
	b->namer_ctx = ctx;
	snprintf(b->procs.other.name, DT_NAME_LEN, "(other processes)");
	snprintf(b->files.other.name, DT_NAME_LEN, "(other files)");
	if (b->procs.slots && b->files.slots)
		return 0;
	dt_breakdown_free(b);
	return -1;
}

void dt_breakdown_free(struct dt_breakdown *b)
{
	free(b->procs.slots);
	free(b->files.slots);
	b->procs.slots = b->files.slots = NULL;
}

static __u64 mix(__u64 a, __u64 b)
{
	__u64 h = a * 0x9e3779b97f4a7c15ULL ^ (b + 0x632be59bd9b4e019ULL);

	return h ^ (h >> 29);
}

/* Finds or claims the slot for (a, b); the fold-over group when full. */
static struct dt_group *lookup(struct dt_group_table *t, __u64 a, __u64 b,
			       bool *created)
{
	struct dt_group *last = t->last;
	__u64 i;

	*created = false;
	if (last && last->a == a && last->b == b)
		return last;
	i = mix(a, b);
	for (int probe = 0; probe < DT_GROUPS_MAX; probe++, i++) {
		struct dt_group *g = &t->slots[i % DT_GROUPS_MAX];

		if (g->used && g->a == a && g->b == b) {
			t->last = g;
			return g;
		}
		if (g->used)
			continue;
		/* keep a quarter free so probes stay short */
		if (t->used >= DT_GROUPS_MAX * 3 / 4)
			break;
		g->used = true;
		g->a = a;
		g->b = b;
		t->used++;
		*created = true;
		t->last = g;
		return g;
	}
	return &t->other;
}

static void count(struct dt_group *g, const struct dt_event *ev,
		  const struct dt_verdict *v)
{
	g->faults++;
	g->classes[v->cls]++;
	g->mismatches += v->mismatch != DT_MISMATCH_NONE;
	g->pmd_fallbacks += dt_fallback_of(ev) >= 0;
	dt_hist_add_event(&g->lat, ev);
}

void dt_breakdown_add(struct dt_breakdown *b, const struct dt_event *ev,
		      const struct dt_verdict *v)
{
	struct dt_group *g;
	const char *name;
	bool created;

	if (!b->procs.slots)
		return;
	g = lookup(&b->procs, ev->pid, 0, &created);
	if (created)
		memcpy(g->comm, ev->comm, sizeof(g->comm));
	count(g, ev, v);

	g = lookup(&b->files, ev->dev, ev->ino, &created);
	if (created) {
		name = b->namer ? b->namer(b->namer_ctx, ev->dev, ev->ino, ev->pid) : NULL;
		if (name)
			snprintf(g->name, sizeof(g->name), "%s", name);
		else
			snprintf(g->name, sizeof(g->name), "%u:%u:%llu",
				 ev->dev >> 20, ev->dev & 0xfffff, ev->ino);
	}
	count(g, ev, v);
}

static int by_faults(const void *x, const void *y)
{
	const struct dt_group *a = *(const struct dt_group *const *)x;
	const struct dt_group *b = *(const struct dt_group *const *)y;

	return a->faults < b->faults ? 1 : a->faults > b->faults ? -1 : 0;
}

static void print_row(FILE *out, const struct dt_group *g, const char *label,
		      const bool *cols, bool fallbacks)
{
	fprintf(out, "%-32.32s %9llu", label, g->faults);
	for (int c = 0; c < DT_CLASS_MAX; c++)
		if (cols[c])
			fprintf(out, " %12llu", g->classes[c]);
	if (fallbacks)
		fprintf(out, " %12llu", g->pmd_fallbacks);
	fprintf(out, " %9llu", g->mismatches);
	/* untimed faults only: no latency to rank */
	if (!dt_hist_timed(&g->lat)) {
		fprintf(out, " %10s %10s\n", "-", "-");
		return;
	}
	fprintf(out, " %10.1f %10.1f\n", dt_hist_percentile(&g->lat, 0.50) / 1e3,
		dt_hist_percentile(&g->lat, 0.99) / 1e3);
}

static void print_table(FILE *out, const struct dt_group_table *t,
			const char *title, bool procs)
{
	const struct dt_group *rows[DT_GROUPS_MAX + 1];
	bool cols[DT_CLASS_MAX] = { false };
	char label[DT_NAME_LEN + 24];
	bool fallbacks = false;
	int n = 0;

	for (int i = 0; i < DT_GROUPS_MAX; i++)
		if (t->slots[i].used)
			rows[n++] = &t->slots[i];
	if (t->other.faults)
		rows[n++] = &t->other;
	if (!n)
		return;
	qsort(rows, n, sizeof(rows[0]), by_faults);
	/* only the classes that occur get a column */
	for (int i = 0; i < n; i++) {
		for (int c = 0; c < DT_CLASS_MAX; c++)
			cols[c] |= rows[i]->classes[c] != 0;
		/* which files or processes lost their 2 MiB mappings */
		fallbacks |= rows[i]->pmd_fallbacks != 0;
	}
	fprintf(out, "\n%-32s %9s", title, "FAULTS");
	for (int c = 0; c < DT_CLASS_MAX; c++)
		if (cols[c])
			fprintf(out, " %12s", dt_class_name(c));
	if (fallbacks)
		fprintf(out, " %12s", "pmd_fallback");
	fprintf(out, " %9s %10s %10s\n", "MISMATCH", "p50(us)", "p99(us)");
	for (int i = 0; i < n && i < TOP_ROWS; i++) {
		if (procs && rows[i] != &t->other)
			snprintf(label, sizeof(label), "%.16s[%llu]",
				 rows[i]->comm, rows[i]->a);
		else
			snprintf(label, sizeof(label), "%s", rows[i]->name);
		print_row(out, rows[i], label, cols, fallbacks);
	}
	if (n > TOP_ROWS)
		fprintf(out, "(%d more)\n", n - TOP_ROWS);
}

void dt_breakdown_print(FILE *out, const struct dt_breakdown *b)
{
	if (!b->procs.slots)
		return;
	print_table(out, &b->procs, "PROCESS[PID]", true);
	print_table(out, &b->files, "FILE", false);
}
