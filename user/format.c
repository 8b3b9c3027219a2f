// SPDX-License-Identifier: GPL-2.0
#include "devdax.h"
#include "fallback.h"
#include "format.h"
#include "json.h"

#define DEV_MAJOR(dev)	((dev) >> 20)
#define DEV_MINOR(dev)	((dev) & 0xfffff)

void dt_entry_flags(const struct dt_entry *e, char buf[8])
{
	const bool bits[7] = { e->present, e->write, e->dirty, e->young,
			       e->special, e->devmap, e->zero };
	const char *letters = "pwdysmz";

	for (int i = 0; i < 7; i++)
		buf[i] = bits[i] ? letters[i] : '-';
	/* a bit this kernel does not have: not "clear" */
	if (!(e->has & DT_HAS_DEVMAP))
		buf[5] = '.';
	buf[7] = '\0';
}

static void text_entry(FILE *out, const struct dt_event *ev, __u64 val,
		       unsigned int seen_bit, const struct dt_classify_ctx *cx)
{
	struct dt_entry e;
	char flags[8];

	if (!(ev->seen & seen_bit)) {
		fprintf(out, " %-16s", "?");
		return;
	}
	dt_entry_decode(val, ev->size, cx->layout, &cx->zero, &e);
	if (!e.present) {
		fprintf(out, " %-16s", "none");
		return;
	}
	dt_entry_flags(&e, flags);
	fprintf(out, " %s:%-8llx", flags, e.pfn);
}

void dt_format_text_header(FILE *out)
{
	fprintf(out, "%-12s %-16s %7s %7s %-7s %9s %8s %-3s %-2s %-14s %-16s %-16s %10s\n",
		"TIME(s)", "COMM", "PID", "TID", "DEV", "INODE", "PGOFF",
		"SZ", "W", "CLASS", "BEFORE", "AFTER", "LAT(us)");
}

void dt_format_text(FILE *out, const struct dt_event *ev,
		    const struct dt_verdict *v, const struct dt_classify_ctx *cx,
		    __u64 t0_ns)
{
	char dev[16];
	const char *cls = v->cls == DT_CLASS_PFN_MISMATCH ?
			  dt_mismatch_name(v->mismatch) : dt_class_name(v->cls);

	const struct dt_devdax_dev *d = (ev->seen & DT_SEEN_DEVDAX) && cx->devdax ?
		dt_devdax_find_const(cx->devdax, ev->dev) : NULL;

	/* a device-DAX device by its name: the number names no file system */
	if (d && d->name[0])
		snprintf(dev, sizeof(dev), "%.15s", d->name);
	else
		snprintf(dev, sizeof(dev), "%u:%u", DEV_MAJOR(ev->dev),
			 DEV_MINOR(ev->dev));
	fprintf(out, "%-12.6f %-16.16s %7u %7u %-7s %9llu %8llu %-3s %-2s %s%-13s",
		(ev->ts_ns - t0_ns) / 1e9, ev->comm, ev->pid, ev->tid, dev,
		ev->ino, ev->pgoff, dt_size_name(ev->size),
		ev->fault_flags & DT_FAULT_FLAG_WRITE ? "W" : "R",
		v->violation ? "!" : (v->cls == DT_CLASS_PFN_MISMATCH ? "~" : ""),
		cls);
	text_entry(out, ev, ev->before, DT_SEEN_BEFORE, cx);
	text_entry(out, ev, ev->after, DT_SEEN_AFTER | DT_SEEN_WP_AFTER, cx);
	if (ev->seen & DT_SEEN_UNTIMED)
		fprintf(out, " %10s", "-");
	else
		fprintf(out, " %10.3f", ev->latency_ns / 1e3);
	/* the driver's reason, after the columns: a refusal is rare */
	if (v->devdax_why != DT_DD_NONE)
		fprintf(out, " devdax %s", dt_devdax_why_name(v->devdax_why));
	fputc('\n', out);
}

/* From ,"pid": to the inode: the same for every fault of a task on a file */
static char *json_who(char *p, const struct dt_event *ev)
{
	p = ob_lit(p, ",\"pid\":");
	p = ob_u64(p, ev->pid);
	p = ob_lit(p, ",\"tid\":");
	p = ob_u64(p, ev->tid);
	p = ob_lit(p, ",\"comm\":");
	p = ob_json_strn(p, ev->comm, sizeof(ev->comm));
	p = ob_lit(p, ",\"dev\":\"");
	p = ob_u64(p, DEV_MAJOR(ev->dev));
	p = ob_char(p, ':');
	p = ob_u64(p, DEV_MINOR(ev->dev));
	p = ob_lit(p, "\",\"ino\":");
	return ob_u64(p, ev->ino);
}

static bool memo_holds(const struct dt_json_memo *m, const struct dt_event *ev)
{
	return m->len && m->pid == ev->pid && m->tid == ev->tid &&
	       m->dev == ev->dev && m->ino == ev->ino &&
	       !memcmp(m->comm, ev->comm, sizeof(m->comm));
}

static char *json_task(char *p, const struct dt_event *ev,
		       struct dt_json_memo *m)
{
	char *who;

	p = ob_lit(p, "{\"ts_ns\":");
	p = ob_u64(p, ev->ts_ns);
	if (m && memo_holds(m, ev)) {
		p = ob_mem(p, m->text, m->len);
	} else {
		who = p;
		p = json_who(p, ev);
		if (m) {
			_Static_assert(sizeof(m->text) >= 16 * 6 + 150,
				       "the memo holds the longest members");
			m->len = p - who;
			memcpy(m->text, who, m->len);
			m->pid = ev->pid;
			m->tid = ev->tid;
			m->dev = ev->dev;
			m->ino = ev->ino;
			memcpy(m->comm, ev->comm, sizeof(m->comm));
		}
	}
	p = ob_lit(p, ",\"pgoff\":");
	p = ob_u64(p, ev->pgoff);
	p = ob_lit(p, ",\"address\":\"0x");
	p = ob_x64(p, ev->address);
	p = ob_lit(p, "\",\"size\":\"");
	p = ob_mem(p, dt_size_name(ev->size), strlen(dt_size_name(ev->size)));
	p = ob_lit(p, "\",\"write\":");
	return ob_bool(p, ev->fault_flags & DT_FAULT_FLAG_WRITE);
}

static char *json_verdict(char *p, const struct dt_event *ev,
			  const struct dt_verdict *v)
{
	p = ob_lit(p, ",\"class\":\"");
	p = ob_str(p, dt_class_name(v->cls));
	p = ob_lit(p, "\",\"mismatch\":");
	if (v->mismatch == DT_MISMATCH_NONE) {
		p = ob_lit(p, "null");
	} else {
		p = ob_char(p, '"');
		p = ob_str(p, dt_mismatch_name(v->mismatch));
		p = ob_char(p, '"');
	}
	p = ob_lit(p, ",\"violation\":");
	p = ob_bool(p, v->violation);
	p = ob_lit(p, ",\"inferred\":");
	p = ob_bool(p, v->inferred);
	p = ob_lit(p, ",\"req_pfn\":");
	return ob_u64(p, ev->req_pfn);
}

/* @key: the member's name with its quotes, comma and colon, e.g. ,"orig": */
#define json_entry(p, key, ev, val, seen_bit, cx) \
	json_entry_(ob_lit(p, key), ev, val, seen_bit, cx)

/*
 * An entry's flags as text, from the quote closing "raw" to the key of
 * "pfn": one row for each of the 2^6 bools times the 3 states (false, true,
 * null) of saved_dirty and devmap.  Built once by the member-by-member
 * writer below; a record then copies 3 rows of FLAGS_ROW bytes instead of
 * writing 27 members, which was a third of its instructions.
 */
#define FLAGS_ROW	160
#define FLAGS_ROWS	(64 * 3 * 3)
#define FLAGS_LONGEST	"\",\"present\":false,\"write\":false,\"dirty\":false," \
			"\"saved_dirty\":false,\"young\":false,\"special\":false," \
			"\"devmap\":false,\"zero\":false,\"pfn\":"
_Static_assert(sizeof(FLAGS_LONGEST) - 1 + OB_SLACK <= FLAGS_ROW,
	       "a row of flags_text holds the longest flags");

static char flags_text[FLAGS_ROWS][FLAGS_ROW];
static __u8 flags_len[FLAGS_ROWS];

static unsigned int flags_row(const struct dt_entry *e)
{
	unsigned int sd = e->has & DT_HAS_SAVED_DIRTY ? e->saved_dirty : 2;
	unsigned int dm = e->has & DT_HAS_DEVMAP ? e->devmap : 2;

	return (e->present | e->write << 1 | e->dirty << 2 | e->young << 3 |
		e->special << 4 | e->zero << 5) + 64 * (sd + 3 * dm);
}

static char *json_flags(char *p, const struct dt_entry *e)
{
	p = ob_lit(p, "\",\"present\":");
	p = ob_bool(p, e->present);
	p = ob_lit(p, ",\"write\":");
	p = ob_bool(p, e->write);
	p = ob_lit(p, ",\"dirty\":");
	p = ob_bool(p, e->dirty);
	p = ob_lit(p, ",\"saved_dirty\":");
	p = ob_opt_bool(p, e->saved_dirty, e->has & DT_HAS_SAVED_DIRTY);
	p = ob_lit(p, ",\"young\":");
	p = ob_bool(p, e->young);
	p = ob_lit(p, ",\"special\":");
	p = ob_bool(p, e->special);
	p = ob_lit(p, ",\"devmap\":");
	p = ob_opt_bool(p, e->devmap, e->has & DT_HAS_DEVMAP);
	p = ob_lit(p, ",\"zero\":");
	p = ob_bool(p, e->zero);
	return ob_lit(p, ",\"pfn\":");
}

__attribute__((constructor)) static void flags_build(void)
{
	for (unsigned int i = 0; i < FLAGS_ROWS; i++) {
		unsigned int sd = i / 64 % 3, dm = i / 64 / 3;
		struct dt_entry e = {
			.present = i & 1, .write = i & 2, .dirty = i & 4,
			.young = i & 8, .special = i & 16, .zero = i & 32,
			.saved_dirty = sd == 1, .devmap = dm == 1,
			.has = (sd < 2 ? DT_HAS_SAVED_DIRTY : 0) |
			       (dm < 2 ? DT_HAS_DEVMAP : 0),
		};
		char row[FLAGS_ROW];

		flags_len[i] = json_flags(row, &e) - row;
		memcpy(flags_text[i], row, FLAGS_ROW);
	}
}

static char *json_entry_(char *p, const struct dt_event *ev, __u64 val,
			 unsigned int seen_bit,
			 const struct dt_classify_ctx *cx)
{
	struct dt_entry e;
	unsigned int row;

	if (!(ev->seen & seen_bit))
		return ob_lit(p, "null");
	dt_entry_decode(val, ev->size, cx->layout, &cx->zero, &e);
	p = ob_lit(p, "{\"raw\":\"0x");
	p = ob_x64(p, val);
	/* the whole row: a constant size copies in a few moves */
	row = flags_row(&e);
	memcpy(p, flags_text[row], FLAGS_ROW);
	p += flags_len[row];
	p = ob_u64(p, e.pfn);
	return ob_char(p, '}');
}

/*
 * A device-DAX record's device and, when the driver refused the fault,
 * why: "devdax":{"device":"dax0.0","align":2097152,"why":null}.  The
 * device's name and alignment are null when they were never read.
 */
static char *json_devdax(char *p, const struct dt_event *ev,
			 const struct dt_verdict *v,
			 const struct dt_classify_ctx *cx)
{
	const struct dt_devdax_dev *d = cx->devdax ?
		dt_devdax_find_const(cx->devdax, ev->dev) : NULL;

	p = ob_lit(p, ",\"devdax\":{\"device\":");
	if (d && d->name[0])
		p = ob_json_strn(p, d->name, sizeof(d->name));
	else
		p = ob_lit(p, "null");
	p = ob_lit(p, ",\"align\":");
	if (d && d->geom.align)
		p = ob_u64(p, d->geom.align);
	else
		p = ob_lit(p, "null");
	p = ob_lit(p, ",\"why\":");
	if (v->devdax_why == DT_DD_NONE)
		return ob_lit(p, "null}");
	p = ob_char(p, '"');
	p = ob_str(p, dt_devdax_why_name(v->devdax_why));
	return ob_lit(p, "\"}");
}

static char *json_result(char *p, const struct dt_event *ev,
			 const struct dt_verdict *v,
			 const struct dt_classify_ctx *cx)
{
	p = ob_lit(p, ",\"fault_flags\":\"0x");
	p = ob_x64(p, ev->fault_flags);
	p = ob_lit(p, "\",\"result\":\"0x");
	p = ob_x64(p, ev->result);
	p = ob_lit(p, "\",\"seen\":\"0x");
	p = ob_x64(p, ev->seen);
	p = ob_lit(p, "\",\"inserts\":");
	p = ob_u64(p, ev->inserts);
	if (ev->seen & DT_SEEN_DEVDAX)
		p = json_devdax(p, ev, v, cx);
	/* why the PMD fault fell back; null when none did */
	p = ob_lit(p, ",\"pmd_fallback\":");
	if (dt_fallback_of(ev) < 0) {
		p = ob_lit(p, "null");
	} else {
		p = ob_char(p, '"');
		p = ob_str(p, dt_fallback_name(dt_fallback_of(ev)));
		p = ob_char(p, '"');
	}
	/* null: opened late (do_wp_page fexit, finish_mkwrite_fault): no start time */
	p = ob_lit(p, ",\"latency_ns\":");
	if (ev->seen & DT_SEEN_UNTIMED)
		p = ob_lit(p, "null");
	else
		p = ob_u64(p, ev->latency_ns);
	return ob_lit(p, "}\n");
}

char *dt_json_line_memo(char *p, const struct dt_event *ev,
			const struct dt_verdict *v,
			const struct dt_classify_ctx *cx, struct dt_json_memo *m)
{
	const unsigned int both = DT_SEEN_ORIG | DT_SEEN_BEFORE;
	char *orig;

	p = json_task(p, ev, m);
	p = json_verdict(p, ev, v);
	p = ob_lit(p, ",\"orig\":");
	orig = p;
	p = json_entry_(p, ev, ev->orig, DT_SEEN_ORIG, cx);
	/*
	 * The entry at fault entry is most often the one the insert found
	 * (a read-only upgrade's, an empty one): the same text, copied.
	 */
	if ((ev->seen & both) == both && ev->before == ev->orig) {
		size_t n = p - orig;

		p = ob_lit(p, ",\"before\":");
		p = ob_mem(p, orig, n);
	} else {
		p = json_entry(p, ",\"before\":", ev, ev->before,
			       DT_SEEN_BEFORE, cx);
	}
	p = json_entry(p, ",\"after\":", ev, ev->after,
		       DT_SEEN_AFTER | DT_SEEN_WP_AFTER, cx);
	return json_result(p, ev, v, cx);
}

char *dt_json_line(char *p, const struct dt_event *ev,
		   const struct dt_verdict *v, const struct dt_classify_ctx *cx)
{
	return dt_json_line_memo(p, ev, v, cx, NULL);
}

/* Built in memory and written at once: see outbuf.h for why. */
void dt_format_json(FILE *out, const struct dt_event *ev,
		    const struct dt_verdict *v, const struct dt_classify_ctx *cx)
{
	char line[DT_JSON_LINE_MAX];

	fwrite(line, 1, dt_json_line(line, ev, v, cx) - line, out);
}
