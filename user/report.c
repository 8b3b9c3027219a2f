// SPDX-License-Identifier: GPL-2.0
/*
 * `daxtrace report FILE`: replay a recording through the same consumer a
 * live run uses, so every output (stream, summary, check, histograms) is
 * what the live run would have said.  A damaged file stops the replay with
 * the reader's message, which names the offset: no summary of a partial
 * run is ever printed as if it were whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "consume.h"
#include "format.h"
#include "heatmap.h"
#include "record.h"
#include "layout.h"
#include "report.h"
#include "session.h"

struct replay {
	const struct dt_options *opt;
	struct dt_record_header h;
	struct dt_probe_state probes[DT_RECORD_MAX_PROBES];
	struct dt_consumer c;
};

static void *map_file(const char *path, size_t *len)
{
	struct stat st;
	void *p;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		dt_err("cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st)) {
		dt_err("cannot stat '%s': %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	*len = st.st_size;
	/* an empty file still goes to the reader, which names the problem */
	p = *len ? mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0) : (void *)"";
	close(fd);
	if (p == MAP_FAILED) {
		dt_err("cannot map '%s': %s", path, strerror(errno));
		return NULL;
	}
	return p;
}

/* the header stores "unavailable: why"; the summary wants how or why */
static void probes_from_header(struct replay *r)
{
	static const char unavailable[] = "unavailable: ";

	for (__u32 i = 0; i < r->h.nprobes; i++) {
		const char *how = r->h.probes[i].how;

		r->probes[i].name = r->h.probes[i].name;
		if (!strncmp(how, unavailable, sizeof(unavailable) - 1))
			r->probes[i].why = how + sizeof(unavailable) - 1;
		else
			r->probes[i].how = how;
	}
}

static void setup_consumer(struct replay *r)
{
	const struct dt_options *o = r->opt;
	struct dt_consumer *c = &r->c;

	c->out = stdout;
	c->cx.zero.pte = r->h.zero_pfn;
	c->cx.zero.pmd = r->h.huge_zero_pfn;
	c->cx.exact = r->h.exact;
	if (r->h.era_recorded) {
		c->cx.era = r->h.era;
		c->cx.layout = r->h.layout;
	} else {
		/* minor 0-1: only insert_pfn() gave exact records then */
		c->cx.era = r->h.exact ? DT_ERA_PFN : DT_ERA_UNKNOWN;
		c->cx.layout = dt_pte_layout_of(r->h.kernel);
	}
	c->t0_ns = r->h.start_mono_ns;
	c->by = o->by;
	c->split_glob = o->split_exec;
	c->checking = o->report_check;
	c->hist = o->report_hist;
	c->heat = o->svg != NULL;
	if (!o->quiet && !o->report_check && !o->report_hist)
		c->stream = o->json ? DT_STREAM_JSON : DT_STREAM_TEXT;
	c->breakdown = o->summary == DT_SUMMARY_TEXT && !o->report_check &&
		       !o->report_hist;
}

static int write_svg(struct replay *r)
{
	struct dt_heatmap_opts ho = { .title = r->opt->input };
	FILE *f = fopen(r->opt->svg, "we");
	int err;

	if (!f) {
		dt_err("cannot create '%s': %s", r->opt->svg, strerror(errno));
		return -1;
	}
	err = dt_heatmap_svg(f, r->c.heat_pts, r->c.nheat, &ho);
	if (fclose(f) || err) {
		dt_err("cannot write '%s'", r->opt->svg);
		return -1;
	}
	return 0;
}

static int replay(struct replay *r, const void *buf, size_t len)
{
	struct dt_record_reader rd;
	struct dt_event ev;
	char err[256];
	int ret;

	if (dt_record_open(&rd, buf, len, &r->h, err, sizeof(err))) {
		dt_err("%s: %s", r->opt->input, err);
		return -1;
	}
	probes_from_header(r);
	setup_consumer(r);
	if (r->c.checking && dt_session_rules(&r->c, r->opt))
		return -1;
	if (dt_consumer_init(&r->c))
		return -1;
	if (r->c.stream == DT_STREAM_TEXT)
		dt_format_text_header(stdout);
	/* the forks and execs, in their place among the faults */
	rd.want_procs = r->c.split_glob != NULL;
	rd.want_forensics = true;
	rd.want_devdax = true;
	while ((ret = dt_record_next(&rd, &ev, err, sizeof(err))) > 0) {
		if (ret == 2)
			dt_consume_proc(&r->c, &rd.proc);
		else if (ret == 3)
			dt_consume_forensics(&r->c, &rd.forensics);
		else if (ret == 4)
			dt_consume_devdax(&r->c, &rd.devdax);
		else
			dt_consume(&r->c, &ev);
	}
	dt_consumer_flush(&r->c);
	if (ret < 0) {
		fflush(stdout);
		dt_err("%s: %s", r->opt->input, err);
		return -1;
	}
	r->c.sum.lost = rd.trailer.lost;
	r->c.sum.stale = rd.trailer.stale;
	r->c.sum.ctx_full = rd.trailer.untracked;
	r->c.sum.untraced_children = rd.trailer.untraced_children;
	return 0;
}

/*
 * --hist --by dev of a recording: its device-DAX devices by the names its
 * device records kept; the machine that replays it is not the one that
 * recorded, so a block device stays MAJOR:MINOR.
 */
static int recorded_dev_name(void *ctx, __u32 dev, bool devdax, char *buf, size_t len)
{
	const struct dt_devdax_devs *recorded = ctx;
	const struct dt_devdax_dev *d;

	d = devdax ? dt_devdax_find_const(recorded, dev) : NULL;
	if (!d || !d->name[0])
		return -1;
	snprintf(buf, len, "%s", d->name);
	return 0;
}

static int conclude(struct replay *r)
{
	const struct dt_options *o = r->opt;
	bool failed = false;

	if (o->report_hist)
		dt_histset_print(stdout, &r->c.hs, o->by, recorded_dev_name, &r->c.devdax);
	if (o->svg && write_svg(r))
		failed = true;
	if (r->c.split_errno) {
		dt_err("--split-exec: out of memory: groups incomplete");
		failed = true;
	}
	dt_print_summary(&r->c, o, r->probes, r->h.nprobes);
	if (o->report_check)
		return dt_check_verdict(&r->c, o, failed);
	return failed ? DT_EXIT_TOOL : DT_EXIT_OK;
}

int dt_report(const struct dt_options *o)
{
	struct replay r = { .opt = o };
	size_t len = 0;
	void *buf;
	int ret = DT_EXIT_TOOL;

	buf = map_file(o->input, &len);
	if (!buf)
		return DT_EXIT_TOOL;
	if (!replay(&r, buf, len))
		ret = conclude(&r);
	dt_consumer_free(&r.c);
	if (len)
		munmap(buf, len);
	return ret;
}

int dt_report_digest(const char *path, const char *split_glob, FILE *json,
		     struct dt_hist lat[DT_CLASS_MAX])
{
	const struct dt_options o = {
		.input = path, .quiet = true, .summary = DT_SUMMARY_JSON,
		.report_hist = true, .split_exec = split_glob,
	};
	struct replay r = { .opt = &o };
	struct dt_trace_info t;
	size_t len = 0;
	void *buf;
	int ret = -1;

	buf = map_file(path, &len);
	if (!buf)
		return -1;
	if (!replay(&r, buf, len)) {
		t = dt_trace_info_of(&r.c, r.probes, r.h.nprobes);
		dt_summary_json(json, &r.c.sum, &t);
		memset(lat, 0, DT_CLASS_MAX * sizeof(*lat));
		for (int i = 0; i < r.c.hs.n; i++) {
			struct dt_hist *h = &lat[r.c.hs.keys[i].cls];

			for (int k = 0; k < DT_HIST_SLOTS; k++)
				h->slots[k] += r.c.hs.hists[i].slots[k];
			h->sum_ns += r.c.hs.hists[i].sum_ns;
			h->untimed += r.c.hs.hists[i].untimed;
		}
		ret = 0;
	}
	dt_consumer_free(&r.c);
	if (len)
		munmap(buf, len);
	return ret;
}
