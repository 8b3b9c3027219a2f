// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the exposition of `daxtrace serve` (user/metrics.c)
 * and the strings a client or the command line hands it: the Accept
 * header and --listen.
 *
 * Input: a byte of knobs (--by, exact), a NUL-terminated string used as
 * both Accept header and --listen value, then histograms of REC bytes
 * each: class, kind, size (any byte: out of range too), device, four
 * bytes of comm (control characters, non-ASCII), a slot and a count.
 * Compact, so that short inputs reach the writer.  Both formats are written and checked: printable
 * ASCII lines only, every sample "name{labels} value" or "name value"
 * with a well-formed label set, no series written twice, "# EOF" last in
 * OpenMetrics and nowhere in 0.0.4.  A broken invariant aborts.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "listen.h"
#include "metrics.h"

#define ASSERT(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "fuzz_metrics: %s:%d: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

#define REC	10

static const struct dt_probe_state probes[] = {
	{ .name = "dax_pte_fault", .how = "tp_btf" },
	{ .name = "do_wp_page:ret", .how = NULL },
};

static const char *name_dev(void *ctx, __u32 dev)
{
	(void)ctx;
	/* names with what a mount point may hold: quotes, escapes, bytes */
	switch (dev & 3) {
	case 0:
		return NULL;
	case 1:
		return "/mnt/a \"b\"\\c";
	case 2:
		return "/mnt/\x01\xc3\xa9";
	default:
		return "/mnt/x";
	}
}

/* "name{a="v",b="w"}" up to the value: returns where the value starts */
static const char *check_series(const char *p)
{
	ASSERT(islower((unsigned char)*p));
	while (islower((unsigned char)*p) || *p == '_' || isdigit((unsigned char)*p))
		p++;
	if (*p == '{') {
		p++;
		for (;;) {
			ASSERT(islower((unsigned char)*p));
			while (islower((unsigned char)*p) || *p == '_')
				p++;
			ASSERT(*p++ == '=' && *p++ == '"');
			while (*p != '"') {
				ASSERT(*p && *p != '\n');
				if (*p == '\\') {
					p++;
					ASSERT(*p == '\\' || *p == '"' || *p == 'n');
				}
				p++;
			}
			p++;
			if (*p == '}')
				break;
			ASSERT(*p++ == ',');
		}
		p++;
	}
	ASSERT(*p == ' ');
	return p + 1;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void check(char *text, size_t len, enum dt_metrics_format f)
{
	char **series = NULL;
	size_t n = 0, cap = 0;
	char *line, *save = NULL;

	ASSERT(len > 0 && text[len - 1] == '\n');
	for (size_t i = 0; i < len; i++)
		ASSERT(text[i] == '\n' || (text[i] >= 0x20 && text[i] < 0x7f));
	if (f == DT_METRICS_OPENMETRICS)
		ASSERT(len >= 6 && !strcmp(text + len - 6, "# EOF\n") &&
		       strstr(text, "# EOF") == text + len - 6);
	else
		ASSERT(!strstr(text, "# EOF"));
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *v;

		if (line[0] == '#') {
			ASSERT(!strncmp(line, "# TYPE ", 7) || !strncmp(line, "# HELP ", 7) ||
			       !strncmp(line, "# UNIT ", 7) || !strcmp(line, "# EOF"));
			continue;
		}
		v = check_series(line);
		ASSERT(*v && (isdigit((unsigned char)*v) || *v == '+'));
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			series = realloc(series, cap * sizeof(*series));
			ASSERT(series);
		}
		((char *)v)[-1] = '\0';
		series[n++] = line;
	}
	qsort(series, n, sizeof(*series), by_str);
	for (size_t i = 1; i < n; i++)
		ASSERT(strcmp(series[i - 1], series[i]));
	free(series);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const size_t rec = REC;
	static const enum dt_hist_by bys[] = { DT_BY_NONE, DT_BY_FS, DT_BY_COMM };
	struct dt_histset hs;
	struct dt_metrics m = {
		.fs_name = name_dev, .mode = "auto", .insert_path = "page",
		.probes = probes, .nprobes = 2, .version = "fuzz", .kernel = "k",
	};
	struct dt_listen l;
	const uint8_t *nul;
	char *str, err[256];

	if (size < 1)
		return 0;
	m.by = bys[data[0] % 3];
	m.exact = data[0] & 4;
	data++;
	size--;
	nul = memchr(data, 0, size);
	if (!nul)
		return 0;
	str = strdup((const char *)data);
	(void)dt_metrics_negotiate(str);
	if (!dt_listen_parse(str, &l, err, sizeof(err)))
		ASSERT(l.port <= 65535 && (l.family == AF_INET || l.family == AF_INET6));
	else
		ASSERT(err[0]);
	free(str);
	size -= nul + 1 - data;
	data = nul + 1;
	/* by hand, not dt_histset_init(): 3 MiB a run would be most of its time */
	memset(&hs, 0, sizeof(hs));
	hs.keys = calloc(size / rec + 1, sizeof(*hs.keys));
	hs.hists = calloc(size / rec + 1, sizeof(*hs.hists));
	ASSERT(hs.keys && hs.hists);
	for (; size >= rec; data += rec, size -= rec) {
		struct dt_hist_key *k = &hs.keys[hs.n];
		struct dt_hist *h = &hs.hists[hs.n++];

		k->cls = data[0];
		k->mismatch = data[1];
		k->size = data[2];
		k->dev = data[3];
		memcpy(k->comm, data + 4, 4);
		h->slots[data[8] % DT_HIST_SLOTS] = data[9];
		h->sum_ns = data[9] * 1234567ULL;
		h->untimed = data[9] >> 4;
	}
	m.hs = &hs;
	for (int f = 0; f < 2; f++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&buf, &len);

		ASSERT(out);
		ASSERT(!dt_metrics_write(out, &m, f));
		fclose(out);
		check(buf, len, f);
		free(buf);
	}
	dt_histset_free(&hs);
	return 0;
}
