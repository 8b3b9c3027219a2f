// SPDX-License-Identifier: GPL-2.0
/*
 * The floor under daxtrace's cost (make bench only): an empty program at
 * every point daxtrace attaches to in its default mode, of the same kind.
 * What this costs a workload is the price of the attach points themselves
 * (trampolines, tracepoint dispatch, BPF entry and exit), whatever the
 * programs do; daxtrace's cost above it is what its programs do.
 * bench/floor.c loads each program on its own and attaches what loads.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define EMPTY(sec, name)			\
	SEC(sec)				\
	int name(void *ctx)			\
	{					\
		return 0;			\
	}

/* the fs_dax tracepoints: typed where daxtrace reads fields, raw elsewhere */
EMPTY("tp_btf/dax_pte_fault", tb_dax_pte_fault)
EMPTY("tp_btf/dax_pmd_fault", tb_dax_pmd_fault)
EMPTY("raw_tp/dax_pte_fault_done", dax_pte_fault_done)
EMPTY("raw_tp/dax_pmd_fault_done", dax_pmd_fault_done)
EMPTY("raw_tp/dax_load_hole", dax_load_hole)
EMPTY("raw_tp/dax_pmd_load_hole", dax_pmd_load_hole)
EMPTY("raw_tp/dax_insert_pfn_mkwrite", dax_insert_pfn_mkwrite)

/* kernel functions, where BPF trampolines attach */
EMPTY("fexit/do_wp_page", fx_do_wp_page)
EMPTY("fentry/finish_mkwrite_fault", fe_finish_mkwrite_fault)
EMPTY("fentry/wp_page_reuse", fe_wp_page_reuse)
EMPTY("fentry/insert_pfn", fe_insert_pfn)
EMPTY("fexit/__get_locked_pte", fx_get_locked_pte)
EMPTY("fentry/vmf_insert_pfn_pmd_prot", fe_vmf_insert_pfn_pmd_prot)
EMPTY("fexit/vmf_insert_pfn_pmd_prot", fx_vmf_insert_pfn_pmd_prot)
EMPTY("fentry/vmf_insert_pfn_pmd", fe_vmf_insert_pfn_pmd)
EMPTY("fexit/vmf_insert_pfn_pmd", fx_vmf_insert_pfn_pmd)

/* task bookkeeping */
EMPTY("raw_tp/sched_process_fork", on_fork)
EMPTY("raw_tp/sched_process_exit", on_task_exit)

char LICENSE[] SEC("license") = "GPL";
