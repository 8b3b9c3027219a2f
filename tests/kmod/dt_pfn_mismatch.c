// SPDX-License-Identifier: GPL-2.0
/*
 * dt_pfn_mismatch: a positive control for daxtrace's unexpected PFN
 * mismatch.  The running kernel is made to meet, for real, the case its
 * WARN_ON_ONCE guards: an mkwrite insert that finds the PTE present with
 * another PFN than the one it was asked to make writable (mm/memory.c:
 * insert_pfn() up to 6.14, insert_page_into_pte_locked() from 6.15).
 *
 * How: for a write-protect fault of a DAX file (FAULT_FLAG_MKWRITE, set
 * by wp_pfn_shared() before it calls ->pfn_mkwrite) on a present entry
 * that is not the zero page, the filesystem's handler is marked, by a
 * kretprobe whose entry handler sees its vm_fault; the mkwrite insert
 * the handler then makes (fs/dax.c: vmf_insert_mixed_mkwrite(vma, addr,
 * pfn_t) up to 6.14, vmf_insert_page_mkwrite(vmf, page, write) from 6.15)
 * is given the neighbouring PFN (pfn ^ 1, of the same 2-page pair) by a
 * kprobe on it.  The kernel then does what it does for that case:
 *   - up to 6.14, insert_pfn() warns once and leaves the entry as it is,
 *     returning VM_FAULT_NOPAGE: the write is retried, faults again;
 *   - from 6.15, insert_page_into_pte_locked() warns once and returns
 *     -EFAULT: the fault ends VM_FAULT_SIGBUS and the task gets SIGBUS.
 * Each page is given the wrong PFN once: the fault that follows at the
 * same address (the retried write) is left alone and upgrades the entry.
 *
 * Never maps a wrong page: the other PFN is only ever compared with the
 * present entry, which is never none on this path unless the file is
 * truncated or punched under the fault (the workloads do neither).  From
 * 6.15 the page is validated before the compare (its folio's reference
 * count must not be 0: validate_page_before_insert()): the neighbour is
 * used only when it is a page of the same kind that is in use (the
 * workload maps every page of its file first), else the fault is left
 * alone and counted as skipped.
 *
 * Parameters (/sys/module/dt_pfn_mismatch/parameters/): injected, the
 * inserts given the other PFN; zero_page, write-protect faults on the zero
 * page left alone; skipped, faults left alone because the neighbouring
 * page could not stand in.  Removing the module ends it.
 */
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/version.h>

static atomic_long_t injected = ATOMIC_LONG_INIT(0);
static atomic_long_t zero_page = ATOMIC_LONG_INIT(0);
static atomic_long_t skipped = ATOMIC_LONG_INIT(0);

static int dt_count_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%ld\n", atomic_long_read(kp->arg));
}

static const struct kernel_param_ops dt_count_ops = {
	.get = dt_count_get,
};
module_param_cb(injected, &dt_count_ops, &injected, 0444);
MODULE_PARM_DESC(injected, "mkwrite inserts given another PFN than the present entry's");
module_param_cb(zero_page, &dt_count_ops, &zero_page, 0444);
MODULE_PARM_DESC(zero_page, "write-protect faults on the zero page, left alone");
module_param_cb(skipped, &dt_count_ops, &skipped, 0444);
MODULE_PARM_DESC(skipped, "write-protect faults left alone: the neighbouring page could not stand in");

/*
 * The faults whose handler runs now and whose insert is to be given the
 * other PFN: one per task at most (a task takes one fault at a time), a
 * few tasks at once.  The last address given one is never given another
 * at once: that is the retried write.
 */
#define DT_ARMED	32
struct dt_armed {
	struct task_struct *task;
	struct vm_fault *vmf;
	unsigned long address;
};

static DEFINE_SPINLOCK(dt_lock);
static struct dt_armed dt_armed[DT_ARMED];
static struct mm_struct *dt_last_mm;
static unsigned long dt_last_address;

static struct dt_armed *dt_slot_of(struct task_struct *task)
{
	int i;

	for (i = 0; i < DT_ARMED; i++)
		if (dt_armed[i].task == task)
			return &dt_armed[i];
	return NULL;
}

/* kretprobe entry of ->pfn_mkwrite: 0 when this fault is marked */
static int dt_handler_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct vm_fault *vmf = (struct vm_fault *)regs->di;
	unsigned long address = vmf->address & PAGE_MASK;
	struct dt_armed *slot;
	unsigned long flags;
	int ret = 1;

	if (!(vmf->flags & FAULT_FLAG_MKWRITE) || !pte_present(vmf->orig_pte))
		return 1;	/* a read or new-write ->fault: ext4's is the same function */
	if (is_zero_pfn(pte_pfn(vmf->orig_pte))) {
		atomic_long_inc(&zero_page);
		return 1;
	}
	spin_lock_irqsave(&dt_lock, flags);
	if (dt_last_mm == vmf->vma->vm_mm && dt_last_address == address)
		goto out;	/* the write retried after its mismatch */
	slot = dt_slot_of(NULL);
	if (!slot) {
		atomic_long_inc(&skipped);
		goto out;
	}
	slot->task = current;
	slot->vmf = vmf;
	slot->address = address;
	ret = 0;
out:
	spin_unlock_irqrestore(&dt_lock, flags);
	return ret;
}
NOKPROBE_SYMBOL(dt_handler_entry);

/* kretprobe return of a marked ->pfn_mkwrite: unmark, insert or not */
static int dt_handler_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct dt_armed *slot;
	unsigned long flags;

	spin_lock_irqsave(&dt_lock, flags);
	slot = dt_slot_of(current);
	if (slot)
		slot->task = NULL;
	spin_unlock_irqrestore(&dt_lock, flags);
	return 0;
}
NOKPROBE_SYMBOL(dt_handler_return);

/*
 * The marked fault's slot if the insert now entered is its own (@vmf, or
 * on kernels whose insert takes no vm_fault, @address), taken off.
 */
static bool dt_take(struct vm_fault *vmf, unsigned long address)
{
	struct dt_armed *slot;
	unsigned long flags;
	bool mine = false;

	spin_lock_irqsave(&dt_lock, flags);
	slot = dt_slot_of(current);
	if (slot && (vmf ? slot->vmf == vmf : slot->address == (address & PAGE_MASK))) {
		dt_last_mm = current->mm;
		dt_last_address = slot->address;
		slot->task = NULL;
		mine = true;
	}
	spin_unlock_irqrestore(&dt_lock, flags);
	return mine;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0)
/* vmf_insert_page_mkwrite(vmf, page, write): the page is the second argument */
#define DT_INSERT "vmf_insert_page_mkwrite"

static int dt_insert_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct vm_fault *vmf = (struct vm_fault *)regs->di;
	struct page *page = (struct page *)regs->si;
	unsigned long other = page_to_pfn(page) ^ 1;
	struct page *stand_in;

	if (!regs->dx || !dt_take(vmf, 0))
		return 0;
	stand_in = pfn_valid(other) ? pfn_to_page(other) : NULL;
	if (!stand_in || page_zonenum(stand_in) != page_zonenum(page) ||
	    !folio_ref_count(page_folio(stand_in))) {
		atomic_long_inc(&skipped);
		return 0;
	}
	atomic_long_inc(&injected);
	regs->si = (unsigned long)stand_in;
	return 0;
}
#else
/* vmf_insert_mixed_mkwrite(vma, addr, pfn_t): the PFN in its low bits */
#define DT_INSERT "vmf_insert_mixed_mkwrite"

static int dt_insert_pre(struct kprobe *p, struct pt_regs *regs)
{
	if (!dt_take(NULL, regs->si))
		return 0;
	atomic_long_inc(&injected);
	regs->dx ^= 1;
	return 0;
}
#endif
NOKPROBE_SYMBOL(dt_insert_pre);

static struct kprobe dt_insert = {
	.symbol_name = DT_INSERT,
	.pre_handler = dt_insert_pre,
};

/* each DAX filesystem's ->pfn_mkwrite (fs/xfs/xfs_file.c, fs/ext4/file.c) */
static struct kretprobe dt_handlers[] = {
	{ .kp.symbol_name = "xfs_filemap_pfn_mkwrite", .entry_handler = dt_handler_entry,
	  .handler = dt_handler_return },
	{ .kp.symbol_name = "ext4_dax_fault", .entry_handler = dt_handler_entry,
	  .handler = dt_handler_return },
};

static int __init dt_pfn_mismatch_init(void)
{
	int i, err, armed = 0;

	err = register_kprobe(&dt_insert);
	if (err) {
		pr_err("dt_pfn_mismatch: %s not probed (%d)\n", DT_INSERT, err);
		return err;
	}
	for (i = 0; i < ARRAY_SIZE(dt_handlers); i++) {
		err = register_kretprobe(&dt_handlers[i]);
		if (err) {
			pr_info("dt_pfn_mismatch: %s not probed (%d): its filesystem is not loaded\n",
				dt_handlers[i].kp.symbol_name, err);
			dt_handlers[i].kp.addr = NULL;
			continue;
		}
		armed++;
	}
	if (!armed) {
		unregister_kprobe(&dt_insert);
		return -ENOENT;
	}
	pr_info("dt_pfn_mismatch: the mkwrite insert of a write-protect fault (%s) gets another PFN\n",
		DT_INSERT);
	return 0;
}

static void __exit dt_pfn_mismatch_exit(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(dt_handlers); i++)
		if (dt_handlers[i].kp.addr)
			unregister_kretprobe(&dt_handlers[i]);
	unregister_kprobe(&dt_insert);
	pr_info("dt_pfn_mismatch: removed; injected %ld, zero page %ld, skipped %ld\n",
		atomic_long_read(&injected), atomic_long_read(&zero_page),
		atomic_long_read(&skipped));
}

module_init(dt_pfn_mismatch_init);
module_exit(dt_pfn_mismatch_exit);
MODULE_DESCRIPTION("daxtrace positive control: DAX mkwrite inserts meet another PFN");
MODULE_LICENSE("GPL");
