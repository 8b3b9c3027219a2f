// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "consume.h"
#include "format.h"
#include "hist.h"
#include "record.h"

#define OFFENDERS_KEPT 20	/* in the JUnit report; stdout gets all */
#define DT_JSON_BUF	(256 << 10)

int dt_consumer_init(struct dt_consumer *c)
{
	memset(&c->sum, 0, sizeof(c->sum));
	memset(&c->devdax, 0, sizeof(c->devdax));
	c->cx.devdax = &c->devdax;
	c->offending = 0;
	c->nheat = c->capheat = 0;
	c->heat_pts = NULL;
	c->offend_buf = NULL;
	c->offend_mem = NULL;
	c->jlen = 0;
	c->jbuf = NULL;
	c->memo = NULL;
	if (c->checking || c->stream == DT_STREAM_JSON) {
		c->jbuf = malloc(DT_JSON_BUF);
		c->memo = calloc(1, sizeof(*c->memo));
		if (!c->jbuf || !c->memo)
			return -1;
	}
	if (c->checking) {
		c->offend_mem = open_memstream(&c->offend_buf, &c->offend_len);
		if (!c->offend_mem)
			return -1;
	}
	if (c->breakdown && dt_breakdown_init(&c->bd, c->namer, NULL))
		return -1;
	if (c->hist && dt_histset_init(&c->hs))
		return -1;
	if (c->split_glob && dt_split_init(&c->split, c->split_glob))
		return -1;
	return 0;
}

void dt_consumer_free(struct dt_consumer *c)
{
	if (c->breakdown)
		dt_breakdown_free(&c->bd);
	if (c->hist)
		dt_histset_free(&c->hs);
	if (c->split_glob)
		dt_split_free(&c->split);
	free(c->heat_pts);
	c->heat_pts = NULL;
	free(c->jbuf);
	c->jbuf = NULL;
	free(c->memo);
	c->memo = NULL;
	if (c->offend_mem)
		fclose(c->offend_mem);
	free(c->offend_buf);
	c->offend_mem = NULL;
	c->offend_buf = NULL;
}

static void keep_heat_point(struct dt_consumer *c, const struct dt_event *ev,
			    const struct dt_verdict *v)
{
	if (c->nheat == c->capheat) {
		size_t cap = c->capheat ? c->capheat * 2 : 4096;
		struct dt_heat_point *p = realloc(c->heat_pts, cap * sizeof(*p));

		if (!p)
			return;
		c->heat_pts = p;
		c->capheat = cap;
	}
	c->heat_pts[c->nheat++] = (struct dt_heat_point){
		.t_ns = ev->ts_ns, .lat_ns = ev->latency_ns, .cls = v->cls,
	};
}

/* Any error ends the batch: EPIPE also ends the stream, as with stdio. */
static void write_raw(struct dt_consumer *c)
{
	const char *p = c->jbuf;
	size_t left = c->jlen;
	int fd = fileno(c->out);

	if (fflush(c->out) || fd < 0) {
		if (errno == EPIPE)
			c->out_broken = true;
		return;
	}
	while (left) {
		ssize_t n = write(fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0 && errno == EPIPE)
				c->out_broken = true;
			return;
		}
		p += n;
		left -= n;
	}
}

void dt_consumer_flush(struct dt_consumer *c)
{
	if (!c->jlen)
		return;
	if (c->out_raw && !c->out_broken) {
		write_raw(c);
	} else if (!c->out_broken) {
		fwrite(c->jbuf, 1, c->jlen, c->out);
		if (ferror(c->out) && errno == EPIPE)
			c->out_broken = true;
	}
	c->jlen = 0;
}

/* The record's JSON line with its forensics inside, into @line. */
static size_t forensic_line(char *line, const struct dt_event *ev,
			    const struct dt_verdict *v,
			    const struct dt_classify_ctx *cx,
			    const struct dt_forensics *fo)
{
	/* the line ends "}\n": the forensics go before the brace */
	char *end = dt_json_line(line, ev, v, cx) - 2;

	end = dt_forensics_json(end, fo);
	memcpy(end, "}\n", 2);
	return end + 2 - line;
}

static void print_record(struct dt_consumer *c, const struct dt_event *ev,
			 const struct dt_verdict *v, enum dt_stream how,
			 const struct dt_forensics *fo)
{
	if (c->out_broken)
		return;
	if (how == DT_STREAM_JSON && fo) {
		char line[DT_JSON_LINE_MAX + DT_FORENSICS_JSON_MAX];
		size_t n = forensic_line(line, ev, v, &c->cx, fo);

		dt_consumer_flush(c);
		if (fwrite(line, 1, n, c->out) != n && errno == EPIPE)
			c->out_broken = true;
		return;
	}
	if (how == DT_STREAM_JSON) {
		if (c->jlen > DT_JSON_BUF - DT_JSON_LINE_MAX)
			dt_consumer_flush(c);
		c->jlen = dt_json_line_memo(c->jbuf + c->jlen, ev, v, &c->cx,
					    c->memo) - c->jbuf;
		return;
	}
	dt_consumer_flush(c);	/* nothing mixes them today: keep the order anyway */
	dt_format_text(c->out, ev, v, &c->cx, c->t0_ns);
	if (fo)
		dt_forensics_text(c->out, fo);
	if (ferror(c->out) && errno == EPIPE)
		c->out_broken = true;
}

/* The forensics that went ahead of @ev, taken off the pending list. */
static const struct dt_forensics *take_forensics(struct dt_consumer *c,
						 const struct dt_event *ev,
						 struct dt_forensics *fo)
{
	for (int i = 0; i < c->npending; i++) {
		if (c->pending[i].tid != ev->tid || c->pending[i].ts_ns != ev->ts_ns)
			continue;
		*fo = c->pending[i];
		memmove(&c->pending[i], &c->pending[i + 1],
			(c->npending - i - 1) * sizeof(c->pending[0]));
		c->npending--;
		return fo;
	}
	return NULL;
}

void dt_consume_forensics(struct dt_consumer *c, const struct dt_forensics *fo)
{
	if (c->record && dt_record_write_forensics(c->record, fo) && !c->record_errno)
		c->record_errno = errno ? errno : EIO;
	if (c->npending == DT_FORENSICS_PENDING) {
		memmove(&c->pending[0], &c->pending[1],
			(DT_FORENSICS_PENDING - 1) * sizeof(c->pending[0]));
		c->npending--;
	}
	c->pending[c->npending++] = *fo;
}

void dt_consume_devdax(struct dt_consumer *c, const struct dt_devdax_dev *d)
{
	if (!dt_devdax_find(&c->devdax, d->dev))
		dt_devdax_add(&c->devdax, d);
}

/*
 * A device-DAX record: its device, read the first time one names it (and
 * written to the recording, ahead of the record, so that report names it
 * as the live run did), and the driver's reason if it refused the fault.
 */
static void devdax_account(struct dt_consumer *c, const struct dt_event *ev,
			   struct dt_verdict *v)
{
	struct dt_devdax_dev *d = dt_devdax_find(&c->devdax, ev->dev);

	if (!d && c->devdax.n < DT_DEVDAX_DEVS) {
		struct dt_devdax_dev n = { .dev = ev->dev };

		/* gone already: named by its number, its reasons unknown */
		if (c->devdax_read)
			c->devdax_read(ev->dev, &n);
		d = dt_devdax_add(&c->devdax, &n);
		if (c->record && dt_record_write_devdax(c->record, d) && !c->record_errno)
			c->record_errno = errno ? errno : EIO;
	}
	v->devdax_why = dt_devdax_why(ev, d ? &d->geom : NULL);
	if (!d) {
		c->devdax.unnamed++;
		return;
	}
	d->faults++;
	d->why[v->devdax_why]++;
}

void dt_consume(struct dt_consumer *c, const struct dt_event *ev)
{
	struct dt_forensics fbuf;
	const struct dt_forensics *fo = ev->forensics ? take_forensics(c, ev, &fbuf) : NULL;
	struct dt_verdict v;

	dt_classify(ev, &c->cx, &v);
	if (ev->seen & DT_SEEN_DEVDAX)
		devdax_account(c, ev, &v);
	dt_summary_add(&c->sum, ev, &v);
	if (c->split_glob)
		dt_summary_add(dt_split_sum(&c->split, ev->pid), ev, &v);
	if (c->record && dt_record_write_event(c->record, ev) && !c->record_errno)
		c->record_errno = errno ? errno : EIO;
	if (c->breakdown)
		dt_breakdown_add(&c->bd, ev, &v);
	if (c->hist) {
		struct dt_hist_key k;
		struct dt_hist h = { 0 };

		dt_hist_key_of(&k, ev, &v, c->by);
		dt_hist_add_event(&h, ev);
		dt_histset_merge(&c->hs, &k, &h);
	}
	/* a point needs a latency: untimed faults stay off the map */
	if (c->heat && !(ev->seen & DT_SEEN_UNTIMED))
		keep_heat_point(c, ev, &v);
	if (c->checking && dt_rules_offends(&c->rules, ev, &v)) {
		if (c->offending++ < OFFENDERS_KEPT) {
			if (fo) {
				char line[DT_JSON_LINE_MAX + DT_FORENSICS_JSON_MAX];

				fwrite(line, 1, forensic_line(line, ev, &v, &c->cx, fo),
				       c->offend_mem);
			} else {
				dt_format_json(c->offend_mem, ev, &v, &c->cx);
			}
			fflush(c->offend_mem);
		}
		print_record(c, ev, &v, DT_STREAM_JSON, fo);
	}
	if (c->stream != DT_STREAM_NONE)
		print_record(c, ev, &v, c->stream, fo);
}

void dt_consume_proc(struct dt_consumer *c, const struct dt_proc_event *pe)
{
	if (c->record && dt_record_write_proc(c->record, pe) && !c->record_errno)
		c->record_errno = errno ? errno : EIO;
	/* out of memory: the rest of the run goes to the group it was in */
	if (c->split_glob && dt_split_event(&c->split, pe) && !c->split_errno)
		c->split_errno = ENOMEM;
}
