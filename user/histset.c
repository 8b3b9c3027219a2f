// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "fallback.h"
#include "histset.h"
#include "hist.h"

int dt_histset_init(struct dt_histset *s)
{
	memset(s, 0, sizeof(*s));
	s->keys = calloc(DT_HISTSET_MAX, sizeof(*s->keys));
	s->hists = calloc(DT_HISTSET_MAX, sizeof(*s->hists));
	if (s->keys && s->hists)
		return 0;
	dt_histset_free(s);
	return -1;
}

void dt_histset_free(struct dt_histset *s)
{
	free(s->keys);
	free(s->hists);
	s->keys = NULL;
	s->hists = NULL;
}

void dt_histset_reset(struct dt_histset *s)
{
	s->n = 0;
	s->dropped = 0;
}

void dt_hist_key_of(struct dt_hist_key *k, const struct dt_event *ev,
		    const struct dt_verdict *v, enum dt_hist_by by)
{
	memset(k, 0, sizeof(*k));
	k->cls = v->cls;
	k->mismatch = v->mismatch;
	k->size = ev->size;
	/* the same fields bpf/hist.bpf.h hist_key() fills */
	if (by == DT_BY_FS || by == DT_BY_FILE || by == DT_BY_DEV)
		k->dev = ev->dev;
	if (by == DT_BY_DEV)
		k->devdax = !!(ev->seen & DT_SEEN_DEVDAX);
	if (by == DT_BY_FILE)
		k->ino = ev->ino;
	if (by == DT_BY_PID)
		k->pid = ev->pid;
	if (by == DT_BY_COMM)
		memcpy(k->comm, ev->comm, sizeof(k->comm));
	if (by == DT_BY_REASON)
		k->fallback = dt_hist_fallback(ev->seen, ev->pmd_fallback);
}

/* Linear search: interval printing and reports touch few keys. */
void dt_histset_merge(struct dt_histset *s, const struct dt_hist_key *k,
		      const struct dt_hist *h)
{
	for (int i = 0; i < s->n; i++) {
		if (!memcmp(&s->keys[i], k, sizeof(*k))) {
			dt_hist_merge(&s->hists[i], h);
			return;
		}
	}
	if (s->n >= DT_HISTSET_MAX) {
		s->dropped += dt_hist_count(h);
		return;
	}
	s->keys[s->n] = *k;
	s->hists[s->n] = *h;
	s->n++;
}

void dt_histset_summarize(const struct dt_histset *s, struct dt_summary *sum,
			  bool inferred, enum dt_hist_by by)
{
	for (int i = 0; i < s->n; i++) {
		const struct dt_hist_key *k = &s->keys[i];
		struct dt_verdict v = {
			.cls = k->cls, .mismatch = k->mismatch,
			.inferred = inferred && dt_class_inferable(k->cls),
		};

		v.violation = v.cls == DT_CLASS_TWO_STEP ||
			      v.mismatch == DT_MISMATCH_UNEXPECTED;
		if (by == DT_BY_REASON)
			dt_summary_count_fallback(sum, k->size, &v,
						  dt_hist_count(&s->hists[i]),
						  dt_hist_key_reason(k->fallback));
		else
			dt_summary_count(sum, k->size, &v,
					 dt_hist_count(&s->hists[i]));
	}
}

struct ordered {
	struct dt_hist_key key;
	int idx;
};

#define ORDER_BY(field) \
	do { if (a->field != b->field) return a->field < b->field ? -1 : 1; } while (0)

/* the --by group first (numbers as numbers), then class, kind, size */
static int key_order(const void *x, const void *y)
{
	const struct dt_hist_key *a = x, *b = y;
	int c;

	ORDER_BY(dev);
	ORDER_BY(devdax);
	ORDER_BY(ino);
	ORDER_BY(pid);
	ORDER_BY(fallback);
	c = strncmp(a->comm, b->comm, sizeof(a->comm));
	if (c)
		return c;
	ORDER_BY(cls);
	ORDER_BY(mismatch);
	ORDER_BY(size);
	return 0;
}

static void print_title(FILE *out, const struct dt_hist_key *k,
			enum dt_hist_by by, const struct dt_hist *h,
			dt_dev_namer namer, void *ctx)
{
	char dev[DT_DEV_NAME_LEN];

	__u64 timed = dt_hist_timed(h);

	fprintf(out, "\nclass = %s", dt_class_name(k->cls));
	if (k->mismatch != DT_MISMATCH_NONE)
		fprintf(out, ".%s", dt_mismatch_name(k->mismatch));
	fprintf(out, ", size = %s", dt_size_name(k->size));
	if (by == DT_BY_FS)
		fprintf(out, ", dev = %u:%u", k->dev >> 20, k->dev & 0xfffff);
	else if (by == DT_BY_DEV)
		fprintf(out, ", dev = %s", dt_dev_label(dev, sizeof(dev), k->dev,
							 k->devdax, namer, ctx));
	else if (by == DT_BY_COMM)
		fprintf(out, ", comm = %.16s", k->comm);
	else if (by == DT_BY_PID)
		fprintf(out, ", pid = %u", k->pid);
	else if (by == DT_BY_FILE)
		fprintf(out, ", file = %u:%u:%llu", k->dev >> 20,
			k->dev & 0xfffff, k->ino);
	else if (by == DT_BY_REASON)
		fprintf(out, ", reason = %s", k->fallback ?
			dt_fallback_name(dt_hist_key_reason(k->fallback)) :
			"none");
	fprintf(out, ", faults = %llu", dt_hist_count(h));
	if (timed)
		fprintf(out, ", avg = %.1f us", h->sum_ns / 1e3 / timed);
	else
		fputs(", avg = -", out);
	/* opened late, without a start time: counted, not in the histogram */
	if (h->untimed)
		fprintf(out, ", untimed = %llu", h->untimed);
	fputc('\n', out);
}

const char *dt_dev_label(char *buf, size_t len, __u32 dev, bool devdax,
			 dt_dev_namer namer, void *ctx)
{
	if (!namer || namer(ctx, dev, devdax, buf, len))
		snprintf(buf, len, "%u:%u", dev >> 20, dev & 0xfffff);
	return buf;
}

void dt_histset_print(FILE *out, const struct dt_histset *s, enum dt_hist_by by,
		      dt_dev_namer namer, void *ctx)
{
	struct ordered *o = malloc(sizeof(*o) * (s->n ? s->n : 1));

	if (!o)
		return;
	for (int i = 0; i < s->n; i++) {
		o[i].key = s->keys[i];
		o[i].idx = i;
	}
	qsort(o, s->n, sizeof(*o), key_order);
	for (int i = 0; i < s->n; i++) {
		const struct dt_hist *h = &s->hists[o[i].idx];

		print_title(out, &o[i].key, by, h, namer, ctx);
		dt_hist_print(out, h);
	}
	if (s->dropped)
		fprintf(out, "\n%llu faults in histograms past the %d-key cap\n",
			s->dropped, DT_HISTSET_MAX);
	free(o);
}
