// SPDX-License-Identifier: GPL-2.0
/*
 * dt_two_step: a positive control for daxtrace's two_step class.  The
 * running kernel is made to commit the 2017 regression for real, without
 * being rebuilt: the filesystem's ->pfn_mkwrite answers 0 without
 * inserting anything, so mm/memory.c's wp_pfn_shared() goes on to
 * finish_mkwrite_fault() -> wp_page_reuse(), which makes the read-only
 * DAX PTE writable after the fact.  That is the two-step route daxtrace
 * must report; the module counts every fault it sent down it.
 *
 * How: a kprobe on each filesystem's pfn_mkwrite handler whose
 * pre-handler, for a write-protect fault (FAULT_FLAG_MKWRITE, which
 * wp_pfn_shared() sets before the call), returns 0 in place of the
 * handler, as the kernel's own error injection does
 * (arch/x86/lib/error-inject.c).  Not a livepatch: ext4's pfn_mkwrite is
 * ext4_dax_fault(), its ->fault too, and a livepatch replacement cannot
 * call through to the function it replaces for the faults it must leave
 * alone, nor to the static helpers behind it, without kpatch-build's
 * relocations; a kprobe decides per call and otherwise lets the handler
 * run untouched.
 *
 * Never the zero page: a write to a hole read earlier maps the kernel's
 * zero page read-only; making that writable would let the task write the
 * zero page of the whole machine.  Such faults go to the handler, which
 * replaces the zero page with storage (zero_upgrade), and are counted
 * apart.
 *
 * Parameters (/sys/module/dt_two_step/parameters/): injected, the faults
 * sent down the two-step route; zero_page, the write-protect faults on
 * the zero page left to the handler.  Removing the module ends it.
 */
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/ptrace.h>

/* faults on several CPUs at once: the counts must still be exact */
static atomic_long_t injected = ATOMIC_LONG_INIT(0);
static atomic_long_t zero_page = ATOMIC_LONG_INIT(0);

static int dt_count_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%ld\n", atomic_long_read(kp->arg));
}

static const struct kernel_param_ops dt_count_ops = {
	.get = dt_count_get,
};
module_param_cb(injected, &dt_count_ops, &injected, 0444);
MODULE_PARM_DESC(injected, "write-protect faults sent down finish_mkwrite_fault()");
module_param_cb(zero_page, &dt_count_ops, &zero_page, 0444);
MODULE_PARM_DESC(zero_page, "write-protect faults on the zero page, left to the handler");

/*
 * Where a skipped handler "returns" from: entered with the stack as at
 * the handler's entry, so its ret goes back to wp_pfn_shared() with 0.
 */
static noinline notrace vm_fault_t dt_return_zero(void)
{
	return 0;
}
NOKPROBE_SYMBOL(dt_return_zero);

static int dt_pfn_mkwrite_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct vm_fault *vmf = (struct vm_fault *)regs->di;

	if (!(vmf->flags & FAULT_FLAG_MKWRITE))
		return 0;	/* a read or new-write ->fault: ext4's is the same function */
	if (is_zero_pfn(pte_pfn(vmf->orig_pte))) {
		atomic_long_inc(&zero_page);
		return 0;
	}
	atomic_long_inc(&injected);
	regs->ax = 0;
	instruction_pointer_set(regs, (unsigned long)dt_return_zero);
	return 1;	/* regs->ip changed: no single-step of the handler */
}
NOKPROBE_SYMBOL(dt_pfn_mkwrite_pre);

/* each DAX filesystem's ->pfn_mkwrite (fs/xfs/xfs_file.c, fs/ext4/file.c) */
static struct kprobe dt_probes[] = {
	{ .symbol_name = "xfs_filemap_pfn_mkwrite", .pre_handler = dt_pfn_mkwrite_pre },
	{ .symbol_name = "ext4_dax_fault", .pre_handler = dt_pfn_mkwrite_pre },
};

static int __init dt_two_step_init(void)
{
	int i, err, armed = 0;

	for (i = 0; i < ARRAY_SIZE(dt_probes); i++) {
		err = register_kprobe(&dt_probes[i]);
		if (err) {
			pr_info("dt_two_step: %s not probed (%d): its filesystem is not loaded\n",
				dt_probes[i].symbol_name, err);
			dt_probes[i].addr = NULL;
			continue;
		}
		pr_info("dt_two_step: %s answers write-protect faults with 0\n",
			dt_probes[i].symbol_name);
		armed++;
	}
	return armed ? 0 : -ENOENT;
}

static void __exit dt_two_step_exit(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(dt_probes); i++)
		if (dt_probes[i].addr)
			unregister_kprobe(&dt_probes[i]);
	pr_info("dt_two_step: removed; injected %ld, zero page %ld\n",
		atomic_long_read(&injected), atomic_long_read(&zero_page));
}

module_init(dt_two_step_init);
module_exit(dt_two_step_exit);
MODULE_DESCRIPTION("daxtrace positive control: DAX write faults take the two-step route");
MODULE_LICENSE("GPL");
