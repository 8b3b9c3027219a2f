// SPDX-License-Identifier: GPL-2.0
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
	dt_entry_decode(val, ev->size, &cx->zero, &e);
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
	fprintf(out, " %10.3f\n", ev->latency_ns / 1e3);
}

static void json_entry(FILE *out, const char *key, const struct dt_event *ev,
		       __u64 val, unsigned int seen_bit,
		       const struct dt_classify_ctx *cx)
{
	struct dt_entry e;

	fprintf(out, ",\"%s\":", key);
	if (!(ev->seen & seen_bit)) {
		fputs("null", out);
		return;
	}
	dt_entry_decode(val, ev->size, &cx->zero, &e);
	fprintf(out, "{\"raw\":\"0x%llx\",\"present\":%s,\"write\":%s,"
		"\"dirty\":%s,\"young\":%s,\"special\":%s,\"devmap\":%s,"
		"\"zero\":%s,\"pfn\":%llu}",
		val, e.present ? "true" : "false", e.write ? "true" : "false",
		e.dirty ? "true" : "false", e.young ? "true" : "false",
		e.special ? "true" : "false", e.devmap ? "true" : "false",
		e.zero ? "true" : "false", e.pfn);
}

void dt_format_json(FILE *out, const struct dt_event *ev,
		    const struct dt_verdict *v, const struct dt_classify_ctx *cx)
{
	fprintf(out, "{\"ts_ns\":%llu,\"pid\":%u,\"tid\":%u,\"comm\":",
		ev->ts_ns, ev->pid, ev->tid);
	json_strn(out, ev->comm, sizeof(ev->comm));
	fprintf(out, ",\"dev\":\"%u:%u\",\"ino\":%llu,\"pgoff\":%llu,"
		"\"address\":\"0x%llx\",\"size\":\"%s\",\"write\":%s,"
		"\"class\":\"%s\",\"mismatch\":",
		DEV_MAJOR(ev->dev), DEV_MINOR(ev->dev), ev->ino, ev->pgoff,
		ev->address, ev->size == DT_SIZE_PMD ? "pmd" : "pte",
		ev->fault_flags & DT_FAULT_FLAG_WRITE ? "true" : "false",
		dt_class_name(v->cls));
	if (v->mismatch == DT_MISMATCH_NONE)
		fputs("null", out);
	else
		fprintf(out, "\"%s\"", dt_mismatch_name(v->mismatch));
	fprintf(out, ",\"violation\":%s,\"inferred\":%s,\"req_pfn\":%llu",
		v->violation ? "true" : "false",
		v->inferred ? "true" : "false", ev->req_pfn);
	json_entry(out, "orig", ev, ev->orig, DT_SEEN_ORIG, cx);
	json_entry(out, "before", ev, ev->before, DT_SEEN_BEFORE, cx);
	json_entry(out, "after", ev, ev->after, DT_SEEN_AFTER | DT_SEEN_WP_AFTER, cx);
	fprintf(out, ",\"fault_flags\":\"0x%x\",\"result\":\"0x%x\","
		"\"seen\":\"0x%x\",\"inserts\":%u,\"latency_ns\":%llu}\n",
		ev->fault_flags, ev->result, ev->seen, ev->inserts,
		ev->latency_ns);
}
