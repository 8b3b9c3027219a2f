/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every point daxtrace attaches to, in one table: the loader's attach plan
 * (user/probes.c), the bench's floor tracer (bpf/floor.bpf.c) and the VM
 * suite's expectations (tests/vm/check.py) are derived from it, and a host
 * test (tests/host/points.c) checks it against the programs of the BPF
 * object, section by section.
 *
 * DT_POINT(id, name, era, kind, need, purpose, without)
 *	id	C identifier of the point
 *	name	as `daxtrace probes`, summaries and recordings print it
 *	era	DT_ERA_ALL, or the insert path it belongs to (enum dt_era):
 *		points of another era are neither loaded nor listed
 *	kind	the kind of DAX mapping it serves (enum dt_kind): a kind is
 *		traced when its envelope attached, and reported untraced
 *		otherwise, never counted in a fidelity it cannot have
 *	need	ENVELOPE: tracing is impossible without it; EXACT: exact
 *		fidelity in its era needs it; OPTIONAL: loses what @without
 *		says; REASONS: optional, and only attached where records keep
 *		PMD fallback reasons, or where hist --by reason counts by them
 *		(not plain hist or serve, whose in-kernel counts hold none:
 *		there they are "unneeded", and cost a PTE fault nothing, where
 *		they would run three times in each)
 *	purpose	what it is used for
 *	without	what is lost when it does not attach
 * DT_ALT(id, kind, prog, target): how the point may attach, best first:
 *	the BPF program @prog of the object, attached as @kind to @target
 *	(a kernel function, or a tracepoint for RAW_TP and TP_BTF)
 *
 * A KPROBE_ENTRY alternative is the entry half of the kretprobe of the
 * point listed just before it: attached only when that one attached as a
 * kretprobe (alone, it would open records nothing closes), not needed when
 * it attached as fexit.
 */
#ifndef DT_POINTS_H
#define DT_POINTS_H

/*
 * The kernel's DAX insert path, chosen before load from the kernel's BTF
 * (user/era.c).  Values are stored in recordings: append only.
 */
enum dt_era {
	DT_ERA_UNKNOWN = 0,	/* neither: classes are inferred */
	DT_ERA_PFN = 1,		/* up to 6.14: insert_pfn(), pfn_t until 6.16 */
	DT_ERA_PAGE = 2,	/* 6.15 on: vmf_insert_page_mkwrite() and folios */
	DT_ERA_ALL = 255,	/* a point of every era */
};

/*
 * The kinds of DAX mapping, a dimension of the table as the era is: each
 * has its own envelope (the fault's open and close), and shares the
 * inserts of mm/ with the other.
 */
enum dt_kind {
	DT_KIND_FSDAX = 1,	/* a file of a filesystem mounted -o dax: fs/dax.c */
	DT_KIND_DEVDAX = 2,	/* a device-DAX character device: drivers/dax/device.c */
	DT_KIND_ALL = 3,	/* both: the inserts, task bookkeeping */
};

#define DT_POINT_TABLE(POINT, ALT)					\
	/* the envelope: fs_dax tracepoints, a stable ABI */		\
	POINT(dax_pte_fault, "dax_pte_fault", DT_ERA_ALL, DT_KIND_FSDAX, ENVELOPE,	\
	      "opens a PTE fault's record: VMA, address, orig_pte, flags", \
	      "no PTE faults seen")					\
	ALT(dax_pte_fault, TP_BTF, tb_dax_pte_fault, dax_pte_fault)	\
	ALT(dax_pte_fault, RAW_TP, dax_pte_fault, dax_pte_fault)	\
	POINT(dax_pte_fault_done, "dax_pte_fault_done", DT_ERA_ALL, DT_KIND_FSDAX, ENVELOPE, \
	      "closes a PTE fault with its result",			\
	      "PTE faults never complete")				\
	ALT(dax_pte_fault_done, RAW_TP, dax_pte_fault_done, dax_pte_fault_done) \
	POINT(dax_pmd_fault, "dax_pmd_fault", DT_ERA_ALL, DT_KIND_FSDAX, OPTIONAL,	\
	      "opens a PMD fault's record and reads the PMD",		\
	      "no PMD faults seen")					\
	ALT(dax_pmd_fault, TP_BTF, tb_dax_pmd_fault, dax_pmd_fault)	\
	ALT(dax_pmd_fault, RAW_TP, dax_pmd_fault, dax_pmd_fault)	\
	POINT(dax_pmd_fault_done, "dax_pmd_fault_done", DT_ERA_ALL, DT_KIND_FSDAX, OPTIONAL, \
	      "closes a PMD fault, or notes its fallback",		\
	      "PMD faults never complete")				\
	ALT(dax_pmd_fault_done, RAW_TP, dax_pmd_fault_done, dax_pmd_fault_done) \
	POINT(dax_load_hole, "dax_load_hole", DT_ERA_ALL, DT_KIND_FSDAX, OPTIONAL,	\
	      "a read of a hole mapped the zero page",			\
	      "hole reads counted as read")				\
	ALT(dax_load_hole, RAW_TP, dax_load_hole, dax_load_hole)	\
	POINT(dax_pmd_load_hole, "dax_pmd_load_hole", DT_ERA_ALL, DT_KIND_FSDAX, OPTIONAL, \
	      "a PMD read of a hole mapped the huge zero page",		\
	      "PMD hole reads counted as read")				\
	ALT(dax_pmd_load_hole, RAW_TP, dax_pmd_load_hole, dax_pmd_load_hole) \
	POINT(dax_insert_pfn_mkwrite, "dax_insert_pfn_mkwrite", DT_ERA_ALL, DT_KIND_FSDAX, \
	      OPTIONAL, "MAP_SYNC: the insert made after the fsync",	\
	      "MAP_SYNC write faults end at the fsync, before the insert") \
	ALT(dax_insert_pfn_mkwrite, RAW_TP, dax_insert_pfn_mkwrite,	\
	    dax_insert_pfn_mkwrite)					\
	/* why a PMD fault fell back, past the tracepoint's own checks */ \
	POINT(iomap_iter, "iomap_iter", DT_ERA_ALL, DT_KIND_FSDAX, REASONS,		\
	      "PMD fallbacks: the extent the filesystem gave",		\
	      "PMD fallback reasons past the VMA and file size checks: unknown") \
	ALT(iomap_iter, TP_BTF, tb_iomap_iter, iomap_iter)		\
	ALT(iomap_iter, RAW_TP, iomap_iter, iomap_iter)			\
	POINT(dax_pmd_load_hole_fallback, "dax_pmd_load_hole_fallback",	\
	      DT_ERA_ALL, DT_KIND_FSDAX, REASONS,					\
	      "PMD fallbacks: the huge zero page refused",		\
	      "PMD fallbacks of hole reads: unknown")			\
	ALT(dax_pmd_load_hole_fallback, RAW_TP, dax_pmd_load_hole_fallback, \
	    dax_pmd_load_hole_fallback)					\
	POINT(dax_direct_access_ret, "dax_direct_access:ret", DT_ERA_ALL, DT_KIND_FSDAX, \
	      REASONS, "PMD fallbacks: how the storage refused 2 MiB",	\
	      "storage fallbacks not told apart (short, misaligned): storage") \
	ALT(dax_direct_access_ret, FEXIT, fx_dax_direct_access,	\
	    dax_direct_access)						\
	ALT(dax_direct_access_ret, KRETPROBE, dax_direct_access_ret,	\
	    dax_direct_access)						\
	POINT(dax_direct_access, "dax_direct_access", DT_ERA_ALL, DT_KIND_FSDAX, REASONS, \
	      "its arguments, for the kretprobe",			\
	      "with a kretprobe: storage fallbacks not told apart")	\
	ALT(dax_direct_access, KPROBE_ENTRY, dax_direct_access,	\
	    dax_direct_access)						\
	/* the write-protect path, every era */				\
	POINT(do_wp_page_ret, "do_wp_page:ret", DT_ERA_ALL, DT_KIND_FSDAX, OPTIONAL,	\
	      "closes write-protect faults with the final PTE: private cow, " \
	      "two_step, retry",					\
	      "write-protect faults end at the DAX fault; private cow, "	\
	      "two_step and retry unseen")				\
	ALT(do_wp_page_ret, FEXIT, fx_do_wp_page, do_wp_page)		\
	ALT(do_wp_page_ret, KRETPROBE, do_wp_page_ret, do_wp_page)	\
	POINT(do_wp_page, "do_wp_page", DT_ERA_ALL, DT_KIND_FSDAX, OPTIONAL,		\
	      "opens write-protect faults for the kretprobe",		\
	      "with a kretprobe: private cow and two_step unseen")	\
	ALT(do_wp_page, KPROBE_ENTRY, do_wp_page, do_wp_page)		\
	POINT(finish_mkwrite_fault, "finish_mkwrite_fault", DT_ERA_ALL, DT_KIND_FSDAX,	\
	      OPTIONAL, "the two-step route: PTE made writable after pfn_mkwrite", \
	      "two_step seen only through the final PTE")		\
	ALT(finish_mkwrite_fault, FENTRY, fe_finish_mkwrite_fault,	\
	    finish_mkwrite_fault)					\
	ALT(finish_mkwrite_fault, KPROBE, finish_mkwrite_fault,	\
	    finish_mkwrite_fault)					\
	POINT(wp_page_reuse, "wp_page_reuse", DT_ERA_ALL, DT_KIND_FSDAX, OPTIONAL,	\
	      "the two-step route without pfn_mkwrite",			\
	      "two_step seen only through the final PTE")		\
	ALT(wp_page_reuse, FENTRY, fe_wp_page_reuse, wp_page_reuse)	\
	ALT(wp_page_reuse, KPROBE, wp_page_reuse, wp_page_reuse)	\
	/* the pfn era (up to 6.14): bpf/insert_pfn.bpf.h */		\
	POINT(insert_pfn, "insert_pfn", DT_ERA_PFN, DT_KIND_ALL, EXACT,		\
	      "a PTE insert: requested PFN, mkwrite",			\
	      "PTE before/after unknown: classes inferred, pfn_mismatch undetectable") \
	ALT(insert_pfn, FENTRY, fe_insert_pfn, insert_pfn)		\
	ALT(insert_pfn, KPROBE, insert_pfn, insert_pfn)			\
	POINT(get_locked_pte_ret, "__get_locked_pte:ret", DT_ERA_PFN, DT_KIND_ALL, EXACT, \
	      "insert_pfn's PTE pointer, and the entry under its lock",	\
	      "PTE before unknown: pfn_mismatch and ro_upgrade undetectable") \
	ALT(get_locked_pte_ret, FEXIT, fx_get_locked_pte, __get_locked_pte) \
	ALT(get_locked_pte_ret, KRETPROBE, get_locked_pte_ret, __get_locked_pte) \
	POINT(vmf_insert_pfn_pmd, "vmf_insert_pfn_pmd", DT_ERA_PFN, DT_KIND_ALL, OPTIONAL, \
	      "a PMD insert: PMD before, requested PFN",		\
	      "PMD before/after unknown")				\
	ALT(vmf_insert_pfn_pmd, FENTRY, fe_vmf_insert_pfn_pmd_prot,	\
	    vmf_insert_pfn_pmd_prot)					\
	ALT(vmf_insert_pfn_pmd, KPROBE, vmf_insert_pfn_pmd_prot,	\
	    vmf_insert_pfn_pmd_prot)					\
	ALT(vmf_insert_pfn_pmd, FENTRY, fe_vmf_insert_pfn_pmd,		\
	    vmf_insert_pfn_pmd)						\
	ALT(vmf_insert_pfn_pmd, KPROBE, vmf_insert_pfn_pmd,		\
	    vmf_insert_pfn_pmd)						\
	POINT(vmf_insert_pfn_pmd_ret, "vmf_insert_pfn_pmd:ret", DT_ERA_PFN, DT_KIND_ALL, \
	      OPTIONAL, "the PMD after the insert", "PMD after unknown")	\
	ALT(vmf_insert_pfn_pmd_ret, FEXIT, fx_vmf_insert_pfn_pmd_prot,	\
	    vmf_insert_pfn_pmd_prot)					\
	ALT(vmf_insert_pfn_pmd_ret, KRETPROBE, vmf_insert_pfn_pmd_prot_ret, \
	    vmf_insert_pfn_pmd_prot)					\
	ALT(vmf_insert_pfn_pmd_ret, FEXIT, fx_vmf_insert_pfn_pmd,	\
	    vmf_insert_pfn_pmd)						\
	ALT(vmf_insert_pfn_pmd_ret, KRETPROBE, vmf_insert_pfn_pmd_ret,	\
	    vmf_insert_pfn_pmd)						\
	/* the page era (6.15 on): bpf/insert_page.bpf.h */		\
	POINT(insert_page_into_pte_locked, "insert_page_into_pte_locked", \
	      DT_ERA_PAGE, DT_KIND_ALL, EXACT,					\
	      "a PTE insert under the PTL: PTE pointer and entry before, "	\
	      "requested page, mkwrite",				\
	      "PTE before/after unknown: classes inferred, pfn_mismatch undetectable") \
	ALT(insert_page_into_pte_locked, FENTRY, fe_insert_page_locked,	\
	    insert_page_into_pte_locked)				\
	ALT(insert_page_into_pte_locked, KPROBE, insert_page_locked,	\
	    insert_page_into_pte_locked)				\
	POINT(vmf_insert_folio_pmd, "vmf_insert_folio_pmd", DT_ERA_PAGE, DT_KIND_ALL, \
	      OPTIONAL, "a PMD insert: PMD before, requested folio",	\
	      "PMD before/after unknown")				\
	ALT(vmf_insert_folio_pmd, FENTRY, fe_vmf_insert_folio_pmd,	\
	    vmf_insert_folio_pmd)					\
	ALT(vmf_insert_folio_pmd, KPROBE, vmf_insert_folio_pmd,	\
	    vmf_insert_folio_pmd)					\
	POINT(vmf_insert_folio_pmd_ret, "vmf_insert_folio_pmd:ret",	\
	      DT_ERA_PAGE, DT_KIND_ALL, OPTIONAL, "the PMD after the insert",	\
	      "PMD after unknown")					\
	ALT(vmf_insert_folio_pmd_ret, FEXIT, fx_vmf_insert_folio_pmd,	\
	    vmf_insert_folio_pmd)					\
	ALT(vmf_insert_folio_pmd_ret, KRETPROBE, vmf_insert_folio_pmd_ret, \
	    vmf_insert_folio_pmd)					\
	/* device DAX (bpf/devdax.bpf.h): the device_dax module's fault	\
	 * handler, loaded once a devdax namespace is probed; its	\
	 * trampolines bound to the module's BTF */			\
	POINT(dev_dax_huge_fault_ret, "dev_dax_huge_fault:ret", DT_ERA_ALL, \
	      DT_KIND_DEVDAX, ENVELOPE,					\
	      "closes a device-DAX fault with its result",		\
	      "device DAX not traced (device_dax not loaded?)")		\
	ALT(dev_dax_huge_fault_ret, FEXIT, fx_dev_dax_huge_fault,	\
	    dev_dax_huge_fault)						\
	ALT(dev_dax_huge_fault_ret, KRETPROBE, dev_dax_huge_fault_ret,	\
	    dev_dax_huge_fault)						\
	POINT(dev_dax_huge_fault, "dev_dax_huge_fault", DT_ERA_ALL,	\
	      DT_KIND_DEVDAX, ENVELOPE,					\
	      "opens a device-DAX fault: its size, VMA, address, flags", \
	      "device DAX not traced")					\
	ALT(dev_dax_huge_fault, FENTRY, fe_dev_dax_huge_fault,		\
	    dev_dax_huge_fault)						\
	ALT(dev_dax_huge_fault, KPROBE_ENTRY, dev_dax_huge_fault,	\
	    dev_dax_huge_fault)						\
	POINT(vmf_insert_pfn_pud, "vmf_insert_pfn_pud", DT_ERA_PFN,	\
	      DT_KIND_DEVDAX, OPTIONAL,					\
	      "a PUD insert (device DAX at 1 GiB): PUD before, requested PFN", \
	      "PUD before/after unknown")				\
	ALT(vmf_insert_pfn_pud, FENTRY, fe_vmf_insert_pfn_pud_prot,	\
	    vmf_insert_pfn_pud_prot)					\
	ALT(vmf_insert_pfn_pud, KPROBE, vmf_insert_pfn_pud_prot,	\
	    vmf_insert_pfn_pud_prot)					\
	ALT(vmf_insert_pfn_pud, FENTRY, fe_vmf_insert_pfn_pud,		\
	    vmf_insert_pfn_pud)						\
	ALT(vmf_insert_pfn_pud, KPROBE, vmf_insert_pfn_pud,		\
	    vmf_insert_pfn_pud)						\
	POINT(vmf_insert_folio_pud, "vmf_insert_folio_pud", DT_ERA_PAGE, \
	      DT_KIND_DEVDAX, OPTIONAL,					\
	      "a PUD insert (device DAX at 1 GiB): PUD before, requested folio", \
	      "PUD before/after unknown")				\
	ALT(vmf_insert_folio_pud, FENTRY, fe_vmf_insert_folio_pud,	\
	    vmf_insert_folio_pud)					\
	ALT(vmf_insert_folio_pud, KPROBE, vmf_insert_folio_pud,	\
	    vmf_insert_folio_pud)					\
	/* task bookkeeping */						\
	POINT(sched_process_fork, "sched_process_fork", DT_ERA_ALL, DT_KIND_ALL,	\
	      OPTIONAL, "children of COMMAND join the traced set",	\
	      "children of COMMAND are not traced")			\
	ALT(sched_process_fork, RAW_TP, on_fork, sched_process_fork)	\
	POINT(sched_process_exit, "sched_process_exit", DT_ERA_ALL, DT_KIND_ALL,	\
	      OPTIONAL, "a thread gives its slot back; a process leaves the set", \
	      "exited processes stay in the traced set; when full, new " \
	      "children go untraced; in-flight records in task storage (slower)") \
	ALT(sched_process_exit, RAW_TP, on_task_exit, sched_process_exit) \
	POINT(sched_process_exec, "sched_process_exec", DT_ERA_ALL, DT_KIND_ALL,	\
	      OPTIONAL, "an exec that changes the TID gives its slot back", \
	      "in-flight records in task storage (slower)")		\
	ALT(sched_process_exec, RAW_TP, on_exec, sched_process_exec)

#endif /* DT_POINTS_H */
