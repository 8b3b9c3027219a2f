/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The knobs userspace sets before load (.rodata) or once attached
 * (.bss), and the maps every part shares: the traced set, the ring
 * buffer, the counters.  The slots and the histograms keep their own.
 */
#ifndef DT_MAPS_BPF_H
#define DT_MAPS_BPF_H

const volatile bool filter_tgid = false;
const volatile bool follow_forks = false;
/* --path: one filesystem (dev) or one file (dev and inode) */
const volatile __u32 filter_dev = 0;
const volatile __u64 filter_ino = 0;
/* hist mode: classify here and count, send no records */
const volatile bool hist_mode = false;
const volatile __u8 hist_by = DT_BY_NONE;
const volatile __u64 zero_pfn = 0;
const volatile __u64 huge_zero_pfn = 0;
/*
 * --stacks: the classes (bit 1 << enum dt_class) whose faults get
 * forensics as they close, besides the violations' (forensics.bpf.h)
 */
const volatile __u32 stacks_mask = 0;
/* --split-exec: send COMMAND's forks and execs (struct dt_proc_event) */
const volatile bool split_exec = false;
/* wake userspace when this much is waiting in the ring buffer */
const volatile __u64 wakeup_bytes = 1 << 20;
/*
 * The page era: where the kernel keeps vmemmap_base (/proc/kallsyms), so
 * that a struct page gives its PFN; 0 elsewhere.
 */
const volatile __u64 vmemmap_base_addr = 0;
/* set by userspace once it knows whether this era's insert probes attached */
bool exact = false;
/*
 * Set by userspace when do_wp_page()'s return is probed: a DAX fault that
 * pfn_mkwrite started inside it is then closed there, not at its _done.
 * Until then (attaching) the fexit opens nothing either.
 */
bool wp_ret = false;
/* set by userspace when finish_mkwrite_fault()'s fentry (which opens) attached */
bool finish_opens = false;

/* tgids to trace when filter_tgid is set; children join on fork */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, DT_MAX_PROCS_DEFAULT);	/* --max-procs */
	__type(key, __u32);
	__type(value, __u8);
} traced SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DT_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __always_inline void stat_inc(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	if (v)
		(*v)++;
}

/*
 * What a record of hist needs beyond its class and latency: the file
 * (--path, --by fs, file or dev) and, for a PMD fault's fallback reason, the
 * address and offset.  The stream needs everything.  Constants at load
 * time: the verifier drops the reads hist does not need.
 */
static __always_inline bool hist_needs_file(void)
{
	return !hist_mode || filter_dev || filter_ino || hist_by == DT_BY_FS ||
	       hist_by == DT_BY_FILE || hist_by == DT_BY_DEV;
}

static __always_inline bool hist_needs_where(__u8 size)
{
	return !hist_mode || size == DT_SIZE_PMD;
}

static __always_inline bool task_traced(__u32 tgid)
{
	if (!filter_tgid)
		return true;
	return bpf_map_lookup_elem(&traced, &tgid) != NULL;
}

#endif /* DT_MAPS_BPF_H */
