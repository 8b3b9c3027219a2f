// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
/*
 * Forensics (user/forensics.c): a kallsyms table parsed and searched,
 * handlers named without offset, BPF trampolines named by their function,
 * the JSON member and the text lines; and the consumer attaching them to
 * their record, and to no other.
 */
#include <stdlib.h>
#include <string.h>
#include "consume.h"
#include "forensics.h"
#include "unit.h"

static const char kallsyms[] =
	"ffffffff81000000 T _text\n"
	"ffffffff81200000 T do_wp_page\n"
	"ffffffff81201000 t finish_mkwrite_fault\n"
	"ffffffff81300000 D some_data\n"
	"ffffffffc0100000 t xfs_filemap_pfn_mkwrite\t[xfs]\n"
	"ffffffffc0100400 t xfs_filemap_fault\t[xfs]\n"
	"ffffffffa0000000 t bpf_trampoline_6442530761\t[bpf]\n"
	"ffffffffa0001000 t bpf_prog_3d623efcf5fcde8d_dax_pte_fault_done\t[bpf]\n"
	"ffffffff81100000 T bpf_trace_run3\n"
	"0000000000000000 T hidden_by_kptr_restrict\n";

static void load(struct dt_ksyms *k)
{
	FILE *f = fmemopen((void *)kallsyms, sizeof(kallsyms) - 1, "r");

	CHECK_EQ(dt_ksyms_parse(k, f), 0);
	fclose(f);
}

static void test_ksyms_names(void)
{
	struct dt_ksyms k;
	char out[DT_SYM_LEN];

	load(&k);
	CHECK_EQ(k.n, 8);	/* text only, no zero addresses */
	dt_ksyms_name(&k, 0xffffffff81200031ULL, out, sizeof(out));
	CHECK(!strcmp(out, "do_wp_page+0x31"));
	dt_ksyms_name(&k, 0xffffffff81201000ULL, out, sizeof(out));
	CHECK(!strcmp(out, "finish_mkwrite_fault+0x0"));
	dt_ksyms_name(&k, 0xffffffffc0100010ULL, out, sizeof(out));
	CHECK(!strcmp(out, "xfs_filemap_pfn_mkwrite+0x10 [xfs]"));
	dt_ksyms_name(&k, 0x1000, out, sizeof(out));
	CHECK(!strcmp(out, "0x1000"));
	dt_ksyms_name(&k, 0, out, sizeof(out));
	CHECK(!strcmp(out, "0"));
	dt_ksyms_free(&k);
	CHECK_EQ(k.n, 0);
}

static const char *namer(void *ctx, __u64 key)
{
	(void)ctx;
	return key == 6442530761ULL ? "do_wp_page" : NULL;
}

static struct dt_forensics sample(struct dt_ksyms *k, dt_trampoline_namer t)
{
	struct dt_forensics_event fe = {
		.ts_ns = 5, .tid = 9, .nframes = 3,
		.pfn_mkwrite = 0xffffffffc0100000ULL, .fault = 0xffffffffc0100400ULL,
		.stack = { 0xffffffff81201005ULL, 0xffffffffa0000031ULL,
			   0xffffffff81200031ULL },
	};
	struct dt_forensics fo;

	dt_forensics_symbolize(&fo, &fe, k, t, NULL);
	return fo;
}

static void test_symbolize(void)
{
	struct dt_ksyms k;
	struct dt_forensics fo;

	load(&k);
	fo = sample(&k, namer);
	CHECK_EQ(fo.tid, 9);
	CHECK_EQ(fo.ts_ns, 5);
	CHECK(!strcmp(fo.pfn_mkwrite, "xfs_filemap_pfn_mkwrite [xfs]"));
	CHECK(!strcmp(fo.fault, "xfs_filemap_fault [xfs]"));
	CHECK(!strcmp(fo.frames[0], "finish_mkwrite_fault+0x5"));
	CHECK(!strcmp(fo.frames[1], "bpf_trampoline_6442530761+0x31 [bpf: do_wp_page]"));
	CHECK(!strcmp(fo.frames[2], "do_wp_page+0x31"));
	/* without a namer the trampoline keeps its own name */
	fo = sample(&k, NULL);
	CHECK(!strcmp(fo.frames[1], "bpf_trampoline_6442530761+0x31 [bpf]"));
	dt_ksyms_free(&k);
}

/*
 * daxtrace's own innermost frames (its program, the raw tracepoint's
 * dispatcher) are left out; a program's frame further out is not.
 */
static void test_own_frames_trimmed(void)
{
	struct dt_forensics_event fe = {
		.nframes = 5,
		.stack = { 0xffffffffa0001273ULL, 0xffffffff8110014dULL,
			   0xffffffff81201005ULL, 0xffffffffa0001010ULL,
			   0xffffffff81200031ULL },
	};
	struct dt_ksyms k;
	struct dt_forensics fo;

	load(&k);
	dt_forensics_symbolize(&fo, &fe, &k, namer, NULL);
	CHECK_EQ(fo.nframes, 3);
	CHECK(!strcmp(fo.frames[0], "finish_mkwrite_fault+0x5"));
	CHECK(!strcmp(fo.frames[1], "bpf_prog_3d623efcf5fcde8d_dax_pte_fault_done+0x10 [bpf]"));
	CHECK(!strcmp(fo.frames[2], "do_wp_page+0x31"));
	CHECK(!fo.frames[3][0] && !fo.frames[4][0]);
	/* a stack of nothing else is empty, not a stack of daxtrace */
	fe.nframes = 2;
	dt_forensics_symbolize(&fo, &fe, &k, namer, NULL);
	CHECK_EQ(fo.nframes, 0);
	dt_ksyms_free(&k);
}

static void test_outputs(void)
{
	struct dt_ksyms k;
	struct dt_forensics fo;
	char buf[DT_FORENSICS_JSON_MAX], *end, *text = NULL;
	size_t len = 0;
	FILE *f;

	load(&k);
	fo = sample(&k, namer);
	end = dt_forensics_json(buf, &fo);
	*end = '\0';
	CHECK(!strcmp(buf, ",\"forensics\":{\"pfn_mkwrite\":\"xfs_filemap_pfn_mkwrite [xfs]\","
		      "\"fault\":\"xfs_filemap_fault [xfs]\",\"stack\":[\"finish_mkwrite_fault+0x5\","
		      "\"bpf_trampoline_6442530761+0x31 [bpf: do_wp_page]\",\"do_wp_page+0x31\"],"
		      "\"file\":null}"));
	snprintf(fo.file, sizeof(fo.file), "/mnt/xfs/a \"b\"");
	end = dt_forensics_json(buf, &fo);
	*end = '\0';
	CHECK(strstr(buf, "\"do_wp_page+0x31\"],\"file\":\"/mnt/xfs/a \\\"b\\\"\"}"));
	f = open_memstream(&text, &len);
	dt_forensics_text(f, &fo);
	fclose(f);
	CHECK(!strcmp(text, "    forensics: pfn_mkwrite xfs_filemap_pfn_mkwrite [xfs], fault xfs_filemap_fault [xfs], "
		      "file /mnt/xfs/a \"b\"\n"
		      "    stack: finish_mkwrite_fault+0x5 <- bpf_trampoline_6442530761+0x31 [bpf: do_wp_page] <- do_wp_page+0x31\n"));
	free(text);
	dt_ksyms_free(&k);
}

/* the consumer puts forensics in their record's JSON line, and only there */
static void test_consumer_attaches(void)
{
	struct dt_consumer c = { .stream = DT_STREAM_JSON };
	struct dt_forensics fo = { .ts_ns = 100, .tid = 7, .nframes = 1 };
	struct dt_event ev = { .ts_ns = 100, .tid = 7, .pid = 7, .forensics = 1,
			       .seen = DT_SEEN_FINISH_MKWRITE };
	struct dt_event other = { .ts_ns = 101, .tid = 7, .pid = 7 };
	char *out = NULL, *second;
	size_t len = 0;

	snprintf(fo.pfn_mkwrite, sizeof(fo.pfn_mkwrite), "ext4_dax_fault [ext4]");
	snprintf(fo.frames[0], sizeof(fo.frames[0]), "finish_mkwrite_fault+0x5");
	c.out = open_memstream(&out, &len);
	c.cx.exact = true;
	CHECK_EQ(dt_consumer_init(&c), 0);
	dt_consume_forensics(&c, &fo);
	CHECK_EQ(c.npending, 1);
	dt_consume(&c, &other);		/* not its record: no forensics */
	dt_consume(&c, &ev);
	dt_consumer_flush(&c);
	fflush(c.out);
	CHECK_EQ(c.npending, 0);
	second = strchr(out, '\n');
	CHECK(second && !memmem(out, second - out, "forensics", 9));
	CHECK(second && strstr(second, ",\"forensics\":{\"pfn_mkwrite\":\"ext4_dax_fault [ext4]\","
			       "\"fault\":\"\",\"stack\":[\"finish_mkwrite_fault+0x5\"],"
			       "\"file\":null}}\n"));
	/* more waiting than kept: the oldest goes */
	for (int i = 0; i < DT_FORENSICS_PENDING + 2; i++) {
		fo.ts_ns = 1000 + i;
		dt_consume_forensics(&c, &fo);
	}
	CHECK_EQ(c.npending, DT_FORENSICS_PENDING);
	CHECK_EQ(c.pending[0].ts_ns, 1002);
	dt_consumer_free(&c);
	fclose(c.out);
	free(out);
}

int main(void)
{
	RUN(test_ksyms_names);
	RUN(test_symbolize);
	RUN(test_own_frames_trimmed);
	RUN(test_outputs);
	RUN(test_consumer_attaches);
	return UNIT_EXIT();
}
