// SPDX-License-Identifier: GPL-2.0
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

	snprintf(dev, sizeof(dev), "%u:%u", DEV_MAJOR(ev->dev),
		 DEV_MINOR(ev->dev));
	fprintf(out, "%-12.6f %-16.16s %7u %7u %-7s %9llu %8llu %-3s %-2s %s%-13s",
		(ev->ts_ns - t0_ns) / 1e9, ev->comm, ev->pid, ev->tid, dev,
		ev->ino, ev->pgoff, ev->size == DT_SIZE_PMD ? "pmd" : "pte",
		ev->fault_flags & DT_FAULT_FLAG_WRITE ? "W" : "R",
		v->violation ? "!" : (v->cls == DT_CLASS_PFN_MISMATCH ? "~" : ""),
		cls);
	text_entry(out, ev, ev->before, DT_SEEN_BEFORE, cx);
	text_entry(out, ev, ev->after, DT_SEEN_AFTER | DT_SEEN_WP_AFTER, cx);
	if (ev->seen & DT_SEEN_UNTIMED)
		fprintf(out, " %10s\n", "-");
	else
		fprintf(out, " %10.3f\n", ev->latency_ns / 1e3);
}

/*
 * The longest record is 1109 bytes: every number at its widest, every comm
 * byte escaped as \u00XX (test_json_longest pins it).  Twice that leaves
 * room for new fields.
 */
#define JSON_LINE_MAX	2048

static void json_task(struct outbuf *b, const struct dt_event *ev)
{
	ob_lit(b, "{\"ts_ns\":");
	ob_u64(b, ev->ts_ns);
	ob_lit(b, ",\"pid\":");
	ob_u64(b, ev->pid);
	ob_lit(b, ",\"tid\":");
	ob_u64(b, ev->tid);
	ob_lit(b, ",\"comm\":");
	ob_json_strn(b, ev->comm, sizeof(ev->comm));
	ob_lit(b, ",\"dev\":\"");
	ob_u64(b, DEV_MAJOR(ev->dev));
	ob_char(b, ':');
	ob_u64(b, DEV_MINOR(ev->dev));
	ob_lit(b, "\",\"ino\":");
	ob_u64(b, ev->ino);
	ob_lit(b, ",\"pgoff\":");
	ob_u64(b, ev->pgoff);
	ob_lit(b, ",\"address\":\"0x");
	ob_x64(b, ev->address);
	if (ev->size == DT_SIZE_PMD)
		ob_lit(b, "\",\"size\":\"pmd\",\"write\":");
	else
		ob_lit(b, "\",\"size\":\"pte\",\"write\":");
	ob_bool(b, ev->fault_flags & DT_FAULT_FLAG_WRITE);
}

static void json_verdict(struct outbuf *b, const struct dt_event *ev,
			 const struct dt_verdict *v)
{
	ob_lit(b, ",\"class\":\"");
	ob_str(b, dt_class_name(v->cls));
	ob_lit(b, "\",\"mismatch\":");
	if (v->mismatch == DT_MISMATCH_NONE) {
		ob_lit(b, "null");
	} else {
		ob_char(b, '"');
		ob_str(b, dt_mismatch_name(v->mismatch));
		ob_char(b, '"');
	}
	ob_lit(b, ",\"violation\":");
	ob_bool(b, v->violation);
	ob_lit(b, ",\"inferred\":");
	ob_bool(b, v->inferred);
	ob_lit(b, ",\"req_pfn\":");
	ob_u64(b, ev->req_pfn);
}

static void json_entry(struct outbuf *b, const char *key,
		       const struct dt_event *ev, __u64 val,
		       unsigned int seen_bit, const struct dt_classify_ctx *cx)
{
	struct dt_entry e;

	ob_lit(b, ",\"");
	ob_str(b, key);
	ob_lit(b, "\":");
	if (!(ev->seen & seen_bit)) {
		ob_lit(b, "null");
		return;
	}
	dt_entry_decode(val, ev->size, cx->layout, &cx->zero, &e);
	ob_lit(b, "{\"raw\":\"0x");
	ob_x64(b, val);
	ob_lit(b, "\",\"present\":");
	ob_bool(b, e.present);
	ob_lit(b, ",\"write\":");
	ob_bool(b, e.write);
	ob_lit(b, ",\"dirty\":");
	ob_bool(b, e.dirty);
	ob_lit(b, ",\"saved_dirty\":");
	ob_opt_bool(b, e.saved_dirty, e.has & DT_HAS_SAVED_DIRTY);
	ob_lit(b, ",\"young\":");
	ob_bool(b, e.young);
	ob_lit(b, ",\"special\":");
	ob_bool(b, e.special);
	ob_lit(b, ",\"devmap\":");
	ob_opt_bool(b, e.devmap, e.has & DT_HAS_DEVMAP);
	ob_lit(b, ",\"zero\":");
	ob_bool(b, e.zero);
	ob_lit(b, ",\"pfn\":");
	ob_u64(b, e.pfn);
	ob_char(b, '}');
}

static void json_result(struct outbuf *b, const struct dt_event *ev)
{
	ob_lit(b, ",\"fault_flags\":\"0x");
	ob_x64(b, ev->fault_flags);
	ob_lit(b, "\",\"result\":\"0x");
	ob_x64(b, ev->result);
	ob_lit(b, "\",\"seen\":\"0x");
	ob_x64(b, ev->seen);
	ob_lit(b, "\",\"inserts\":");
	ob_u64(b, ev->inserts);
	/* why the PMD fault fell back; null when none did */
	ob_lit(b, ",\"pmd_fallback\":");
	if (dt_fallback_of(ev) < 0) {
		ob_lit(b, "null");
	} else {
		ob_char(b, '"');
		ob_str(b, dt_fallback_name(dt_fallback_of(ev)));
		ob_char(b, '"');
	}
	/* null: opened late (do_wp_page fexit, finish_mkwrite_fault): no start time */
	ob_lit(b, ",\"latency_ns\":");
	if (ev->seen & DT_SEEN_UNTIMED)
		ob_lit(b, "null");
	else
		ob_u64(b, ev->latency_ns);
	ob_lit(b, "}\n");
}

/* Built in memory and written at once: see outbuf.h for why. */
void dt_format_json(FILE *out, const struct dt_event *ev,
		    const struct dt_verdict *v, const struct dt_classify_ctx *cx)
{
	char line[JSON_LINE_MAX];
	struct outbuf b = { line };

	json_task(&b, ev);
	json_verdict(&b, ev, v);
	json_entry(&b, "orig", ev, ev->orig, DT_SEEN_ORIG, cx);
	json_entry(&b, "before", ev, ev->before, DT_SEEN_BEFORE, cx);
	json_entry(&b, "after", ev, ev->after, DT_SEEN_AFTER | DT_SEEN_WP_AFTER, cx);
	json_result(&b, ev);
	fwrite(line, 1, b.p - line, out);
}
