// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include "forensics.h"
#include "json.h"

static int by_addr(const void *a, const void *b)
{
	const struct dt_ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

int dt_ksyms_parse(struct dt_ksyms *k, FILE *f)
{
	char line[512], name[256], mod[128];
	size_t cap = 0;

	k->v = NULL;
	k->n = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type;
		int got;

		mod[0] = '\0';
		got = sscanf(line, "%llx %c %255s [%127[^]]]", &addr, &type, name, mod);
		/* text only: a return address is in code */
		if (got < 3 || !addr || (type != 't' && type != 'T'))
			continue;
		if (k->n == cap) {
			struct dt_ksym *nv;

			cap = cap ? cap * 2 : 4096;
			nv = realloc(k->v, cap * sizeof(*nv));
			if (!nv)
				goto oom;
			k->v = nv;
		}
		k->v[k->n].addr = addr;
		if (mod[0]) {
			size_t len = strlen(name) + strlen(mod) + 4;

			k->v[k->n].name = malloc(len);
			if (k->v[k->n].name)
				snprintf(k->v[k->n].name, len, "%s [%s]", name, mod);
		} else {
			k->v[k->n].name = strdup(name);
		}
		if (!k->v[k->n].name)
			goto oom;
		k->n++;
	}
	qsort(k->v, k->n, sizeof(*k->v), by_addr);
	return 0;
oom:
	dt_ksyms_free(k);
	return -1;
}

void dt_ksyms_free(struct dt_ksyms *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i].name);
	free(k->v);
	k->v = NULL;
	k->n = 0;
}

void dt_ksyms_name(const struct dt_ksyms *k, __u64 addr, char *out, size_t len)
{
	size_t lo = 0, hi = k->n;
	const struct dt_ksym *s;
	const char *mod;

	if (!addr) {
		snprintf(out, len, "0");
		return;
	}
	/* the last symbol at or below addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->v[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo) {
		snprintf(out, len, "0x%llx", (unsigned long long)addr);
		return;
	}
	s = &k->v[lo - 1];
	mod = strchr(s->name, ' ');
	if (mod)
		snprintf(out, len, "%.*s+0x%llx%s", (int)(mod - s->name), s->name,
			 (unsigned long long)(addr - s->addr), mod);
	else
		snprintf(out, len, "%s+0x%llx", s->name,
			 (unsigned long long)(addr - s->addr));
}

/* a handler by name: its offset is 0, so say only the name (and module) */
static void handler_name(const struct dt_ksyms *k, __u64 addr, char *out, size_t len)
{
	char *plus;

	dt_ksyms_name(k, addr, out, len);
	plus = strstr(out, "+0x0");
	if (plus && (plus[4] == '\0' || plus[4] == ' '))
		memmove(plus, plus + 4, strlen(plus + 4) + 1);
}

/* "bpf_trampoline_KEY+0xOFF [bpf]": say whose trampoline it is */
static void name_trampoline(char *frame, size_t len, dt_trampoline_namer tramp,
			    void *tctx)
{
	static const char pre[] = "bpf_trampoline_";
	unsigned long long key, off;
	const char *fn;

	if (!tramp || strncmp(frame, pre, sizeof(pre) - 1) ||
	    sscanf(frame + sizeof(pre) - 1, "%llu+0x%llx", &key, &off) != 2)
		return;
	fn = tramp(tctx, key);
	if (fn)
		snprintf(frame, len, "%s%llu+0x%llx [bpf: %s]", pre, key, off, fn);
}

/*
 * daxtrace's own frames, innermost, where the stack was taken: its BPF
 * program ("bpf_prog_TAG_NAME+0x.. [bpf]") and the raw tracepoint's
 * dispatcher (bpf_trace_run3).  A trampoline stands for the function it
 * is attached to, so it stays.
 */
static bool own_frame(const char *frame)
{
	static const char prog[] = "bpf_prog_", bpf[] = " [bpf]";
	size_t n = strlen(frame);

	if (!strncmp(frame, "bpf_trace_run", 13))
		return true;
	return !strncmp(frame, prog, sizeof(prog) - 1) && n >= sizeof(bpf) - 1 &&
	       !strcmp(frame + n - (sizeof(bpf) - 1), bpf);
}

void dt_forensics_symbolize(struct dt_forensics *out,
			    const struct dt_forensics_event *fe,
			    const struct dt_ksyms *k,
			    dt_trampoline_namer tramp, void *tctx)
{
	__u32 n = fe->nframes < DT_STACK_DEPTH ? fe->nframes : DT_STACK_DEPTH;
	bool inner = true;

	memset(out, 0, sizeof(*out));
	out->ts_ns = fe->ts_ns;
	out->tid = fe->tid;
	handler_name(k, fe->pfn_mkwrite, out->pfn_mkwrite, sizeof(out->pfn_mkwrite));
	handler_name(k, fe->fault, out->fault, sizeof(out->fault));
	for (__u32 i = 0; i < n; i++) {
		char *frame = out->frames[out->nframes];

		dt_ksyms_name(k, fe->stack[i], frame, DT_SYM_LEN);
		if (inner && own_frame(frame))
			continue;
		inner = false;
		name_trampoline(frame, DT_SYM_LEN, tramp, tctx);
		out->nframes++;
	}
	/* the skipped frames' slots may hold their names: clear them */
	for (__u32 i = out->nframes; i < n; i++)
		memset(out->frames[i], 0, DT_SYM_LEN);
}

char *dt_forensics_json(char *p, const struct dt_forensics *fo)
{
	static const char open[] = ",\"forensics\":{\"pfn_mkwrite\":";

	memcpy(p, open, sizeof(open) - 1);
	p += sizeof(open) - 1;
	p = ob_json_strn(p, fo->pfn_mkwrite, strnlen(fo->pfn_mkwrite, DT_SYM_LEN));
	memcpy(p, ",\"fault\":", 9);
	p += 9;
	p = ob_json_strn(p, fo->fault, strnlen(fo->fault, DT_SYM_LEN));
	memcpy(p, ",\"stack\":[", 10);
	p += 10;
	for (__u32 i = 0; i < fo->nframes && i < DT_STACK_DEPTH; i++) {
		if (i)
			*p++ = ',';
		p = ob_json_strn(p, fo->frames[i], strnlen(fo->frames[i], DT_SYM_LEN));
	}
	memcpy(p, "],\"file\":", 9);
	p += 9;
	if (fo->file[0]) {
		p = ob_json_strn(p, fo->file, strnlen(fo->file, DT_FILE_LEN));
	} else {
		memcpy(p, "null", 4);
		p += 4;
	}
	*p++ = '}';
	return p;
}

void dt_forensics_text(FILE *out, const struct dt_forensics *fo)
{
	fprintf(out, "    forensics: pfn_mkwrite %.*s, fault %.*s, file %.*s\n    stack:",
		DT_SYM_LEN, fo->pfn_mkwrite, DT_SYM_LEN, fo->fault,
		DT_FILE_LEN, fo->file[0] ? fo->file : "unknown");
	for (__u32 i = 0; i < fo->nframes && i < DT_STACK_DEPTH; i++)
		fprintf(out, "%s %.*s", i ? " <-" : "", DT_SYM_LEN, fo->frames[i]);
	fputc('\n', out);
}
