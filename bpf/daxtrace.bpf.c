// SPDX-License-Identifier: GPL-2.0
/*
 * daxtrace: follow one DAX write fault from entry to return.
 *
 * A fault is "opened" by the first DAX-relevant event of a task (the fs_dax
 * fault tracepoints, or do_wp_page() on a DAX VMA), collects what the kernel
 * did on the way (the insert and the PTE it found, pfn_mkwrite's
 * fallbacks) in a per-task in-flight record, and is "closed" (sent to the
 * ring buffer) when the outermost function it belongs to returns: the DAX
 * fault handler, or do_wp_page() for a write-protect fault.  The record is
 * matched to later events by the struct vm_fault pointer: it is the same
 * object all the way from __handle_mm_fault() down to the filesystem.
 *
 * One object, one compilation unit: the parts below share static inline
 * helpers and the maps, one concern a file.  A kernel era's insert probes
 * are a file of their own; userspace loads only the running kernel's
 * (include/dt_points.h lists every program and what it attaches to).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "daxtrace.h"
#include "dt_classify.h"
#include "dt_fallback.h"
#include "dt_hist.h"

#include "maps.bpf.h"		/* knobs, shared maps, counters */
#include "core_read.bpf.h"	/* CO-RE readers, in BTF and helper builds */
#include "slots.bpf.h"		/* in-flight records and where they live */
#include "hist.bpf.h"		/* daxtrace hist: classify and count here */
#include "forensics.bpf.h"	/* where a violation was made; --stacks */
#include "fault.bpf.h"		/* a record from open to close; on_*() hooks */
#include "fallback.bpf.h"	/* why a PMD fault fell back */
#include "envelope.bpf.h"	/* fs_dax tracepoints */
#include "wp.bpf.h"		/* the write-protect path */
#include "insert_pfn.bpf.h"	/* inserts up to 6.14 */
#include "insert_page.bpf.h"	/* inserts from 6.15 */
#include "devdax.bpf.h"		/* device DAX: /dev/daxX.Y */
#include "task.bpf.h"		/* fork, exit, exec */

char LICENSE[] SEC("license") = "GPL";
