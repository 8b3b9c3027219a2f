// SPDX-License-Identifier: GPL-2.0
/*
 * Sets of latency histograms (user/histset.c): the key each --by mode
 * builds (it must be the one bpf/hist.bpf.h hist_key() builds, or
 * `report --hist` and live `hist` disagree), merging, the key cap, the
 * summary derived from the set, and the printed titles and order.
 */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "events.h"
#include "hist.h"
#include "histset.h"

#define US	1000ULL
#define DEV	((259u << 20) | 7)

static const struct dt_classify_ctx exact = {
	.zero = { .pte = ZERO_PFN, .pmd = HUGE_ZERO_PFN }, .exact = true,
};
static const struct dt_classify_ctx inferred = {
	.zero = { .pte = ZERO_PFN, .pmd = HUGE_ZERO_PFN }, .exact = false,
};

static struct dt_event ev_cow(void)
{
	struct dt_event e = ev_base(DT_FAULT_FLAG_WRITE);

	e.vm_flags &= ~DT_VM_SHARED;
	e.seen = DT_SEEN_DAX_FAULT | DT_SEEN_COW_PAGE | DT_SEEN_DONE;
	e.result = DT_VM_FAULT_DONE_COW;
	return e;
}

static struct dt_event ev_mismatch(enum dt_mismatch kind)
{
	struct dt_event e = ev_write();

	if (kind == DT_MISMATCH_ZERO_PAGE) {
		e.before = ZERO_PTE;
	} else if (kind == DT_MISMATCH_PRIVATE_COW) {
		e = ev_read();
		e.vm_flags &= ~DT_VM_SHARED;
		e.before = PTE(OTHER_PFN, P | RW | D | A);
	} else {
		e.before = DAX_RO(OTHER_PFN);
	}
	return e;
}

static struct dt_event ev_error(void)
{
	struct dt_event e = ev_base(0);

	e.seen = DT_SEEN_DAX_FAULT | DT_SEEN_DONE;
	e.result = DT_VM_FAULT_SIGBUS;
	return e;
}

static struct dt_event ev_fallback(void)
{
	struct dt_event e = ev_base(DT_FAULT_FLAG_WRITE);

	e.size = DT_SIZE_PMD;
	e.seen = DT_SEEN_DAX_FAULT | DT_SEEN_DONE | DT_SEEN_FALLBACK;
	e.result = DT_VM_FAULT_FALLBACK;
	return e;
}

static struct dt_event ev_pmd_write(void)
{
	struct dt_event e = ev_write();

	e.size = DT_SIZE_PMD;
	e.seen = DT_SEEN_DAX_FAULT | DT_SEEN_DONE | DT_SEEN_INSERT_PMD |
		 DT_SEEN_BEFORE | DT_SEEN_AFTER | DT_SEEN_MKWRITE_ARG;
	e.req_pfn = 0x40000;
	e.after = PTE(0x40000ULL, P | RW | D | A | PSE | DEVMAP);
	return e;
}

/* tracepoint-only shapes: no insert probes, so no before/after */
static struct dt_event tp_only(struct dt_event e)
{
	e.seen &= ~(DT_SEEN_INSERT | DT_SEEN_INSERT_PMD | DT_SEEN_BEFORE |
		    DT_SEEN_AFTER | DT_SEEN_MKWRITE_ARG | DT_SEEN_WP |
		    DT_SEEN_FINISH_MKWRITE | DT_SEEN_WP_AFTER);
	e.seen |= DT_SEEN_DAX_FAULT | DT_SEEN_DONE;
	e.before = e.after = 0;
	return e;
}

/* every class, several kinds and both sizes; varied groups and latencies */
static int corpus(struct dt_event *out, int max, bool tracepoint_only)
{
	struct dt_event kinds[] = {
		ev_write(), ev_read(), ev_hole(), ev_ro_upgrade(),
		ev_zero_upgrade(), ev_cow(), ev_two_step(),
		ev_mismatch(DT_MISMATCH_ZERO_PAGE),
		ev_mismatch(DT_MISMATCH_PRIVATE_COW),
		ev_mismatch(DT_MISMATCH_UNEXPECTED),
		ev_error(), ev_fallback(), ev_pmd_write(), ev_retry(),
	};
	int nk = sizeof(kinds) / sizeof(kinds[0]), n = 0;

	for (int i = 0; n < max && i < nk * 7; i++) {
		struct dt_event e = kinds[(i * 5) % nk];

		if (tracepoint_only)
			e = tp_only(e);
		/* every reason, and one a newer daxtrace might have written */
		if (e.seen & DT_SEEN_FALLBACK)
			e.pmd_fallback = i % (DT_FB_MAX + 1);
		e.pid = 100 + i % 3;
		e.dev = DEV + i % 2;
		e.ino = 10 + i % 4;
		snprintf(e.comm, sizeof(e.comm), "comm%d", i % 2);
		e.latency_ns = (__u64)(i + 1) * 777 * US / 10;
		out[n++] = e;
	}
	return n;
}

static void fill(struct dt_histset *s, const struct dt_event *evs, int n,
		 const struct dt_classify_ctx *cx, enum dt_hist_by by,
		 struct dt_summary *one_by_one)
{
	for (int i = 0; i < n; i++) {
		struct dt_verdict v;
		struct dt_hist_key k;
		struct dt_hist h = { 0 };

		dt_classify(&evs[i], cx, &v);
		if (one_by_one)
			dt_summary_add(one_by_one, &evs[i], &v);
		dt_hist_key_of(&k, &evs[i], &v, by);
		dt_hist_add(&h, evs[i].latency_ns);
		dt_histset_merge(s, &k, &h);
	}
}

static __u64 total(const struct dt_histset *s)
{
	__u64 n = 0;

	for (int i = 0; i < s->n; i++)
		n += dt_hist_count(&s->hists[i]);
	return n;
}

static char *render(const struct dt_histset *s, enum dt_hist_by by)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	dt_histset_print(f, s, by, NULL, NULL);
	fclose(f);
	return buf;
}

static struct dt_hist_key key(enum dt_class cls, enum dt_mismatch m,
			      enum dt_size size)
{
	struct dt_hist_key k;

	memset(&k, 0, sizeof(k));
	k.cls = cls;
	k.mismatch = m;
	k.size = size;
	return k;
}

static struct dt_hist samples(int n, __u64 lat_ns)
{
	struct dt_hist h = { 0 };

	for (int i = 0; i < n; i++)
		dt_hist_add(&h, lat_ns);
	return h;
}

/*
 * What bpf/hist.bpf.h hist_key() fills, mode by mode: class, kind and
 * size always; then FS: dev; COMM: comm; PID: pid; FILE: dev and ino;
 * REASON: fallback (0 here: this fault did not fall back).
 * Everything else stays zero (the BPF key starts as `= {}`), padding too,
 * since both sides compare keys as bytes.
 */
static void test_key_of_by_mode(void)
{
	static const struct {
		enum dt_hist_by by;
		bool dev, ino, pid, comm;
	} modes[] = {
		{ DT_BY_NONE, false, false, false, false },
		{ DT_BY_FS, true, false, false, false },
		{ DT_BY_COMM, false, false, false, true },
		{ DT_BY_PID, false, false, true, false },
		{ DT_BY_FILE, true, true, false, false },
		{ DT_BY_REASON, false, false, false, false },
		{ DT_BY_DEV, true, false, false, false },
	};
	struct dt_event e = ev_mismatch(DT_MISMATCH_PRIVATE_COW);
	struct dt_verdict v;

	e.size = DT_SIZE_PMD;
	e.ino = 0x1122334455667788ULL;
	e.dev = DEV;
	e.pid = 4242;
	e.tid = 4243;
	memcpy(e.comm, "fifteen-chars-x", 16);
	dt_classify(&e, &exact, &v);
	CHECK_EQ(v.cls, DT_CLASS_PFN_MISMATCH);
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct dt_hist_key k, want = key(v.cls, v.mismatch, e.size);

		if (modes[i].dev)
			want.dev = e.dev;
		if (modes[i].ino)
			want.ino = e.ino;
		if (modes[i].pid)
			want.pid = e.pid;
		if (modes[i].comm)
			memcpy(want.comm, e.comm, sizeof(want.comm));
		memset(&k, 0xa5, sizeof(k));	/* stale stack bytes */
		dt_hist_key_of(&k, &e, &v, modes[i].by);
		CHECK_EQ(k.cls, DT_CLASS_PFN_MISMATCH);
		CHECK_EQ(k.mismatch, DT_MISMATCH_PRIVATE_COW);
		CHECK_EQ(k.size, DT_SIZE_PMD);
		CHECK(k.dev == want.dev);
		CHECK(k.ino == want.ino);
		CHECK(k.pid == want.pid);
		CHECK(!memcmp(k.comm, want.comm, sizeof(k.comm)));
		CHECK(!memcmp(&k, &want, sizeof(k)));
	}
}

/*
 * by reason: 1 + the reason of a fault that fell back, 0 for one that did
 * not (the reason byte is then meaningless), unknown for a reason past
 * the last; the other modes leave it 0 even when the fault fell back.
 */
static void test_key_of_by_reason(void)
{
	struct dt_event e = ev_fallback();
	struct dt_hist_key k;
	struct dt_verdict v;

	for (int r = 0; r <= DT_FB_MAX + 1; r++) {
		int want = r < DT_FB_MAX ? r : DT_FB_UNKNOWN;

		e.pmd_fallback = r;
		dt_classify(&e, &exact, &v);
		memset(&k, 0xa5, sizeof(k));
		dt_hist_key_of(&k, &e, &v, DT_BY_REASON);
		CHECK_EQ(k.fallback, want + 1);
		CHECK_EQ(dt_hist_key_reason(k.fallback), want);
		for (enum dt_hist_by by = DT_BY_NONE; by < DT_BY_REASON; by++) {
			dt_hist_key_of(&k, &e, &v, by);
			CHECK_EQ(k.fallback, 0);
		}
	}
	e = ev_pmd_write();
	e.pmd_fallback = DT_FB_STORAGE_MISALIGNED;	/* stale: no FALLBACK seen */
	dt_classify(&e, &exact, &v);
	dt_hist_key_of(&k, &e, &v, DT_BY_REASON);
	CHECK_EQ(k.fallback, 0);
	CHECK_EQ(dt_hist_key_reason(k.fallback), -1);
}

/* the key carries the verdict, not what the record looks like */
static void test_key_of_every_class(void)
{
	struct dt_event evs[128];
	int n = corpus(evs, 128, false);
	bool seen[DT_CLASS_MAX] = { false };

	for (int i = 0; i < n; i++) {
		struct dt_verdict v;
		struct dt_hist_key k;

		dt_classify(&evs[i], &exact, &v);
		dt_hist_key_of(&k, &evs[i], &v, DT_BY_NONE);
		CHECK_EQ(k.cls, v.cls);
		CHECK_EQ(k.mismatch, v.mismatch);
		CHECK_EQ(k.size, evs[i].size);
		seen[v.cls] = true;
	}
	/* the corpus covers every class but "other" */
	for (int c = 0; c < DT_CLASS_MAX; c++)
		if (c != DT_CLASS_OTHER)
			CHECK(seen[c]);
}

/* hist without --by: the array index and back give the key userspace derives */
static void test_flat_index_round_trip(void)
{
	struct dt_event evs[128];
	int n = corpus(evs, 128, false);
	bool used[DT_HIST_FLAT] = { false };

	for (int c = 0; c < DT_CLASS_MAX; c++)
		for (int m = 0; m < DT_MISMATCH_MAX; m++)
			for (int z = 0; z < DT_HIST_SIZES; z++) {
				__u32 i = dt_hist_flat_index(c, m, z);
				struct dt_hist_key k;

				CHECK(i < DT_HIST_FLAT);
				CHECK(!used[i]);
				used[i] = true;
				dt_hist_flat_key(i, &k);
				CHECK_EQ(k.cls, c);
				CHECK_EQ(k.mismatch, m);
				CHECK_EQ(k.size, z);
			}
	for (int i = 0; i < n; i++) {
		struct dt_hist_key want, got;
		struct dt_verdict v;

		dt_classify(&evs[i], &exact, &v);
		dt_hist_key_of(&want, &evs[i], &v, DT_BY_NONE);
		dt_hist_flat_key(dt_hist_flat_index(v.cls, v.mismatch,
						    evs[i].size), &got);
		CHECK(!memcmp(&want, &got, sizeof(want)));
	}
}

static void test_merge_equal_keys_add(void)
{
	struct dt_histset s;
	struct dt_hist_key k = key(DT_CLASS_WRITE, DT_MISMATCH_NONE, DT_SIZE_PTE);
	struct dt_hist a = samples(3, 5 * US), b = samples(2, 40 * US);

	CHECK_EQ(dt_histset_init(&s), 0);
	dt_histset_merge(&s, &k, &a);
	dt_histset_merge(&s, &k, &b);
	dt_histset_merge(&s, &k, &a);
	CHECK_EQ(s.n, 1);
	CHECK_EQ(s.hists[0].slots[13], 6);	/* 5 us in (4096, 8192] ns */
	CHECK_EQ(s.hists[0].slots[16], 2);	/* 40 us in (32768, 65536] ns */
	CHECK_EQ(dt_hist_count(&s.hists[0]), 8);
	CHECK(s.hists[0].sum_ns == 6 * 5 * US + 2 * 40 * US);
	CHECK_EQ(s.dropped, 0);
	dt_histset_free(&s);
}

/* keys that differ in any one field, even one comm byte, stay apart */
static void test_distinct_keys_apart(void)
{
	struct dt_hist_key base = key(DT_CLASS_READ, DT_MISMATCH_NONE, DT_SIZE_PTE);
	struct dt_hist_key k[8];
	struct dt_histset s;

	for (int i = 0; i < 8; i++)
		k[i] = base;
	k[1].cls = DT_CLASS_WRITE;
	k[2].mismatch = DT_MISMATCH_ZERO_PAGE;
	k[3].size = DT_SIZE_PMD;
	k[4].dev = DEV;
	k[5].ino = 1ULL << 40;
	k[6].pid = 1;
	k[7].comm[15] = 'x';
	CHECK_EQ(dt_histset_init(&s), 0);
	for (int i = 0; i < 8; i++) {
		struct dt_hist h = samples(i + 1, 3 * US);

		dt_histset_merge(&s, &k[i], &h);
	}
	CHECK_EQ(s.n, 8);
	for (int i = 0; i < 8; i++) {
		CHECK(!memcmp(&s.keys[i], &k[i], sizeof(k[i])));
		CHECK_EQ(dt_hist_count(&s.hists[i]), i + 1);
	}
	CHECK_EQ(total(&s), 36);
	dt_histset_free(&s);
}

/* past DT_HISTSET_MAX keys, new keys' samples are counted, not lost */
static void test_cap_counts_dropped(void)
{
	struct dt_hist one = samples(1, US), seven = samples(7, US);
	struct dt_hist_key k = key(DT_CLASS_WRITE, DT_MISMATCH_NONE, DT_SIZE_PTE);
	struct dt_histset s;
	char *out;

	CHECK_EQ(dt_histset_init(&s), 0);
	for (int i = 0; i < DT_HISTSET_MAX; i++) {
		k.pid = i;
		dt_histset_merge(&s, &k, &one);
	}
	CHECK_EQ(s.n, DT_HISTSET_MAX);
	CHECK_EQ(s.dropped, 0);
	k.pid = DT_HISTSET_MAX;
	dt_histset_merge(&s, &k, &seven);
	dt_histset_merge(&s, &k, &one);
	CHECK_EQ(s.n, DT_HISTSET_MAX);
	CHECK_EQ(s.dropped, 8);
	/* a key already held still merges once the set is full */
	k.pid = DT_HISTSET_MAX - 1;
	dt_histset_merge(&s, &k, &seven);
	CHECK_EQ(s.dropped, 8);
	CHECK_EQ(dt_hist_count(&s.hists[DT_HISTSET_MAX - 1]), 8);
	CHECK(total(&s) + s.dropped == DT_HISTSET_MAX + 8 + 7);

	out = render(&s, DT_BY_PID);
	CHECK(strstr(out, "\n8 faults in histograms past the 10240-key cap\n"));
	free(out);

	dt_histset_reset(&s);
	CHECK_EQ(s.n, 0);
	CHECK_EQ(s.dropped, 0);
	dt_histset_merge(&s, &k, &one);
	CHECK_EQ(s.n, 1);
	CHECK_EQ(dt_hist_count(&s.hists[0]), 1);
	dt_histset_free(&s);
}

static void check_same_summary(const struct dt_summary *got,
			       const struct dt_summary *want)
{
	CHECK_EQ(got->faults, want->faults);
	for (int c = 0; c < DT_CLASS_MAX; c++)
		CHECK_EQ(got->classes[c], want->classes[c]);
	for (int m = 0; m < DT_MISMATCH_MAX; m++)
		CHECK_EQ(got->mismatch[m], want->mismatch[m]);
	CHECK_EQ(got->sizes[0], want->sizes[0]);
	CHECK_EQ(got->sizes[1], want->sizes[1]);
	CHECK_EQ(got->violations, want->violations);
	CHECK_EQ(got->inferred, want->inferred);
	CHECK_EQ(got->lost, want->lost);
	CHECK_EQ(got->stale, want->stale);
	CHECK_EQ(got->ctx_full, want->ctx_full);
}

/* hist mode's totals must be the ones a streaming run would print */
static void summarize_matches(const struct dt_classify_ctx *cx, bool tp_only)
{
	struct dt_event evs[91];
	int n = corpus(evs, 91, tp_only);

	for (enum dt_hist_by by = DT_BY_NONE; by <= DT_BY_REASON; by++) {
		struct dt_summary want = { 0 }, got = { 0 };
		struct dt_histset s;

		CHECK_EQ(dt_histset_init(&s), 0);
		fill(&s, evs, n, cx, by, &want);
		CHECK(want.faults == (__u64)n);
		CHECK(want.pmd_fallbacks > 0);
		dt_histset_summarize(&s, &got, !cx->exact, by);
		check_same_summary(&got, &want);
		/* only the reason key keeps the PMD fallbacks */
		CHECK_EQ(got.fallbacks_uncounted, by != DT_BY_REASON);
		if (by == DT_BY_REASON) {
			CHECK(got.pmd_fallbacks == want.pmd_fallbacks);
			for (int r = 0; r < DT_FB_MAX; r++)
				CHECK(got.fallback[r] == want.fallback[r]);
		}
		dt_histset_free(&s);
	}
}

static void test_summarize_exact(void)
{
	summarize_matches(&exact, false);
}

/*
 * Tracepoint-only mode (this is how `daxtrace hist` runs on a kernel
 * without insert_pfn probes).  dt_classify() marks a verdict inferred only
 * when it fell back to fault flags: hole, cow and error are decided from
 * facts and are not inferred.
 */
static void test_summarize_inferred(void)
{
	summarize_matches(&inferred, true);
}

/* What the set of @h alone, under @k, prints. */
static char *render_one(const struct dt_hist_key *k, const struct dt_hist *h)
{
	struct dt_histset s;
	char *out;

	CHECK_EQ(dt_histset_init(&s), 0);
	dt_histset_merge(&s, k, h);
	out = render(&s, DT_BY_NONE);
	dt_histset_free(&s);
	return out;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* the README's title line, from a histogram with its numbers */
static void test_print_title_readme(void)
{
	struct dt_hist_key k = key(DT_CLASS_READ, DT_MISMATCH_NONE, DT_SIZE_PTE);
	struct dt_hist h = { .slots = { [13] = 4012, 55, 11, 7, 2, 6, 1, 1, 0, 0, 1 } };
	char *out;

	h.sum_ns = 26624000;		/* 6.5 us * 4096 */
	out = render_one(&k, &h);
	CHECK(starts_with(out, "\nclass = read, size = pte, faults = 4096, "
			  "avg = 6.5 us\n     nsecs               : count"));
	CHECK(strstr(out, "      4097 -> 8192       : 4012     |****"));
	free(out);
}

/* untimed faults: in the count, not in the average, and said so */
static void test_print_title_untimed(void)
{
	struct dt_hist_key k = key(DT_CLASS_COW, DT_MISMATCH_NONE, DT_SIZE_PTE);
	struct dt_hist h = { .slots = { [3] = 2 }, .sum_ns = 20000, .untimed = 5 };
	char *out = render_one(&k, &h);

	CHECK(starts_with(out, "\nclass = cow, size = pte, faults = 7, "
			  "avg = 10.0 us, untimed = 5\n"));
	free(out);
	/* nothing timed: no average either */
	memset(h.slots, 0, sizeof(h.slots));
	h.sum_ns = 0;
	out = render_one(&k, &h);
	CHECK(starts_with(out, "\nclass = cow, size = pte, faults = 5, avg = -, "
			  "untimed = 5\n"));
	free(out);
}

/* the titles in the order printed, one per line */
static int titles(const char *out, char t[][128], int max)
{
	int n = 0;

	for (const char *p = out; (p = strstr(p, "\nclass = ")) && n < max; n++) {
		const char *end = strchr(p + 1, '\n');

		snprintf(t[n], 128, "%.*s", (int)(end - p - 1), p + 1);
		p = end;
	}
	return n;
}

/* @out prints exactly the titles @want, in order */
static void check_titles(const char *out, const char *const *want, int nwant)
{
	char t[8][128];
	int n = titles(out, t, 8);

	CHECK_EQ(n, nwant);
	for (int i = 0; i < n && i < nwant; i++)
		if (strcmp(t[i], want[i]))
			CHECK(!strcmp(t[i], want[i]));
}

/* by none: in class order, then kind, then pte before pmd */
static void test_print_sorted_by_class(void)
{
	struct dt_hist_key k[] = {
		key(DT_CLASS_PFN_MISMATCH, DT_MISMATCH_UNEXPECTED, DT_SIZE_PTE),
		key(DT_CLASS_RO_UPGRADE, DT_MISMATCH_NONE, DT_SIZE_PTE),
		key(DT_CLASS_PFN_MISMATCH, DT_MISMATCH_PRIVATE_COW, DT_SIZE_PTE),
		key(DT_CLASS_WRITE, DT_MISMATCH_NONE, DT_SIZE_PMD),
		key(DT_CLASS_TWO_STEP, DT_MISMATCH_NONE, DT_SIZE_PTE),
		key(DT_CLASS_WRITE, DT_MISMATCH_NONE, DT_SIZE_PTE),
	};
	static const char *const want[] = {
		"class = write, size = pte, faults = 6, avg = 3.0 us",
		"class = write, size = pmd, faults = 4, avg = 3.0 us",
		"class = ro_upgrade, size = pte, faults = 2, avg = 3.0 us",
		"class = two_step, size = pte, faults = 5, avg = 3.0 us",
		"class = pfn_mismatch.private_cow, size = pte, faults = 3, avg = 3.0 us",
		"class = pfn_mismatch.unexpected, size = pte, faults = 1, avg = 3.0 us",
	};
	struct dt_histset s;
	char *out;

	CHECK_EQ(dt_histset_init(&s), 0);
	for (int i = 0; i < 6; i++) {
		struct dt_hist h = samples(i + 1, 3 * US);

		dt_histset_merge(&s, &k[i], &h);
	}
	out = render(&s, DT_BY_NONE);
	check_titles(out, want, 6);
	/* no group suffix without --by */
	CHECK(!strstr(out, "comm =") && !strstr(out, "dev =") &&
	      !strstr(out, "pid =") && !strstr(out, "file ="));
	CHECK(!strstr(out, "past the"));
	free(out);
	dt_histset_free(&s);
}

/* by comm: grouped by comm first (alphabetically), then by class */
static void test_print_by_comm(void)
{
	struct dt_event evs[4] = { ev_read(), ev_write(), ev_read(), ev_write() };
	static const char *const want[] = {
		"class = write, size = pte, comm = alpha, faults = 1, avg = 10.0 us",
		"class = read, size = pte, comm = alpha, faults = 1, avg = 10.0 us",
		"class = write, size = pte, comm = beta, faults = 1, avg = 10.0 us",
		"class = read, size = pte, comm = beta, faults = 1, avg = 10.0 us",
	};
	struct dt_histset s;
	char *out;

	for (int i = 0; i < 4; i++) {
		snprintf(evs[i].comm, sizeof(evs[i].comm), i < 2 ? "beta" : "alpha");
		evs[i].latency_ns = 10 * US;
	}
	CHECK_EQ(dt_histset_init(&s), 0);
	fill(&s, evs, 4, &exact, DT_BY_COMM, NULL);
	out = render(&s, DT_BY_COMM);
	check_titles(out, want, 4);
	free(out);
	dt_histset_free(&s);
}

/*
 * by reason: the faults that did not fall back first (reason = none),
 * then the reasons in enum order, each with its own class and size
 */
static void test_print_by_reason(void)
{
	struct dt_event evs[5] = { ev_fallback(), ev_pmd_write(), ev_fallback(),
				   ev_write(), ev_fallback() };
	static const char *const want[] = {
		"class = write, size = pte, reason = none, faults = 1, avg = 10.0 us",
		"class = write, size = pmd, reason = none, faults = 1, avg = 10.0 us",
		"class = fallback, size = pmd, reason = misaligned, faults = 1, "
		"avg = 10.0 us",
		"class = fallback, size = pmd, reason = storage_misaligned, "
		"faults = 2, avg = 10.0 us",
	};
	struct dt_summary sum = { 0 };
	struct dt_histset s;
	char *out;

	evs[0].pmd_fallback = DT_FB_STORAGE_MISALIGNED;
	evs[2].pmd_fallback = DT_FB_MISALIGNED;
	evs[4].pmd_fallback = DT_FB_STORAGE_MISALIGNED;
	for (int i = 0; i < 5; i++)
		evs[i].latency_ns = 10 * US;
	CHECK_EQ(dt_histset_init(&s), 0);
	fill(&s, evs, 5, &exact, DT_BY_REASON, NULL);
	out = render(&s, DT_BY_REASON);
	check_titles(out, want, 4);
	free(out);
	dt_histset_summarize(&s, &sum, false, DT_BY_REASON);
	CHECK_EQ(sum.faults, 5);
	CHECK_EQ(sum.pmd_fallbacks, 3);
	CHECK_EQ(sum.fallback[DT_FB_STORAGE_MISALIGNED], 2);
	CHECK_EQ(sum.fallback[DT_FB_MISALIGNED], 1);
	CHECK(!sum.fallbacks_uncounted);
	dt_histset_free(&s);
}

/* by fs and file: MAJOR:MINOR from the kernel's 12:20 dev_t split */
static void test_print_by_fs_and_file(void)
{
	struct dt_event e = ev_write();
	struct dt_histset s;
	char t[4][128], *out;

	e.dev = DEV;
	e.ino = 12;
	e.latency_ns = 1500;
	CHECK_EQ(dt_histset_init(&s), 0);
	fill(&s, &e, 1, &exact, DT_BY_FS, NULL);
	out = render(&s, DT_BY_FS);
	CHECK_EQ(titles(out, t, 4), 1);
	CHECK(!strcmp(t[0], "class = write, size = pte, dev = 259:7, "
			    "faults = 1, avg = 1.5 us"));
	free(out);

	dt_histset_reset(&s);
	fill(&s, &e, 1, &exact, DT_BY_FILE, NULL);
	out = render(&s, DT_BY_FILE);
	CHECK_EQ(titles(out, t, 4), 1);
	CHECK(!strcmp(t[0], "class = write, size = pte, file = 259:7:12, "
			    "faults = 1, avg = 1.5 us"));
	free(out);
	dt_histset_free(&s);
}

static int name_dax(void *ctx, __u32 dev, bool devdax, char *buf, size_t len)
{
	(void)ctx;
	if (!devdax)
		return -1;
	snprintf(buf, len, "dax%u.%u", dev >> 20, dev & 0xfffff);
	return 0;
}

/* by dev: a device-DAX record's key apart from a file's of the same number */
static void test_print_by_dev(void)
{
	struct dt_event e = ev_write(), d = ev_write();
	struct dt_histset s;
	char t[4][128], *out = NULL;
	size_t len = 0;
	FILE *f;

	e.dev = DEV;
	e.latency_ns = 1500;
	d = e;
	d.seen |= DT_SEEN_DEVDAX;
	CHECK_EQ(dt_histset_init(&s), 0);
	fill(&s, &e, 1, &exact, DT_BY_DEV, NULL);
	fill(&s, &d, 1, &exact, DT_BY_DEV, NULL);
	CHECK_EQ(s.n, 2);
	f = open_memstream(&out, &len);
	dt_histset_print(f, &s, DT_BY_DEV, name_dax, NULL);
	fclose(f);
	CHECK_EQ(titles(out, t, 4), 2);
	CHECK(!strcmp(t[0], "class = write, size = pte, dev = 259:7, "
			    "faults = 1, avg = 1.5 us"));
	CHECK(!strcmp(t[1], "class = write, size = pte, dev = dax259.7, "
			    "faults = 1, avg = 1.5 us"));
	free(out);
	dt_histset_free(&s);
}

/*
 * by pid: groups come out in pid order.  Keys are sorted with memcmp()
 * over the key struct, whose pid (and ino, dev) are little-endian
 * integers, so 256 (00 01 ..) would come before 2 (02 00 ..).
 */
static void test_print_by_pid_numeric(void)
{
	static const __u32 pids[] = { 1100, 2, 1001, 256, 1000 };
	static const __u32 want[] = { 2, 256, 1000, 1001, 1100 };
	struct dt_histset s;
	char t[8][128], *out;
	int n;

	CHECK_EQ(dt_histset_init(&s), 0);
	for (int i = 0; i < 5; i++) {
		struct dt_event e = ev_write();

		e.pid = pids[i];
		fill(&s, &e, 1, &exact, DT_BY_PID, NULL);
	}
	out = render(&s, DT_BY_PID);
	n = titles(out, t, 8);
	CHECK_EQ(n, 5);
	for (int i = 0; i < n && i < 5; i++) {
		char *p = strstr(t[i], ", pid = ");

		CHECK(p != NULL);
		if (p)
			CHECK_EQ(strtoul(p + 8, NULL, 10), want[i]);
	}
	free(out);
	dt_histset_free(&s);
}

int main(void)
{
	RUN(test_key_of_by_mode);
	RUN(test_key_of_by_reason);
	RUN(test_key_of_every_class);
	RUN(test_flat_index_round_trip);
	RUN(test_merge_equal_keys_add);
	RUN(test_distinct_keys_apart);
	RUN(test_cap_counts_dropped);
	RUN(test_summarize_exact);
	RUN(test_summarize_inferred);
	RUN(test_print_title_readme);
	RUN(test_print_sorted_by_class);
	RUN(test_print_by_comm);
	RUN(test_print_by_reason);
	RUN(test_print_by_fs_and_file);
	RUN(test_print_by_dev);
	RUN(test_print_by_pid_numeric);
	RUN(test_print_title_untimed);
	return UNIT_EXIT();
}
