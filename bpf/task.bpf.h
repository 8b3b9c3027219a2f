/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Task bookkeeping: the traced set follows COMMAND's children, and a
 * thread gives its slot back when it exits or an exec changes its TID.
 */
#ifndef DT_TASK_BPF_H
#define DT_TASK_BPF_H

/*
 * --split-exec: a fork or exec of a traced process, in the ring buffer
 * with the faults, so that userspace sees them in order.  Lost like a
 * fault record when the buffer is full: counted, and check fails.
 */
static __always_inline void proc_event(__u32 kind, __u32 pid, __u32 ppid,
				       const char *path)
{
	struct dt_proc_event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		stat_inc(DT_STAT_LOST);
		return;
	}
	e->ts_ns = bpf_ktime_get_ns();
	e->kind = kind;
	e->pid = pid;
	e->ppid = ppid;
	e->pad = 0;
	e->path[0] = 0;
	if (path)
		bpf_probe_read_kernel_str(e->path, sizeof(e->path), path);
	bpf_ringbuf_submit(e, wakeup_flag());
}

/* raw tracepoints: no tracefs needed, present on every kernel we support */
SEC("raw_tp/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	__u8 one = 1;

	if (!follow_forks || ptgid == ctgid)
		return 0;
	if (!bpf_map_lookup_elem(&traced, &ptgid))
		return 0;
	/* the set is full (--max-procs): the child goes untraced, counted */
	if (bpf_map_update_elem(&traced, &ctgid, &one, BPF_ANY)) {
		stat_inc(DT_STAT_FORK_FULL);
		return 0;
	}
	if (split_exec)
		proc_event(DT_PROC_FORK, ctgid, ptgid, NULL);
	return 0;
}

/*
 * An exiting thread gives its slot back, a record still open in it
 * dropped as the task storage one goes with its task; a traced process
 * leaves the set with its last thread.  That is not always the leader
 * (it may exit first), and the leader's exit is not always the end: when
 * another thread execs, the leader exits and the process goes on.  do_exit()
 * counts the thread out of signal->live before this tracepoint.
 */
SEC("raw_tp/sched_process_exit")
int BPF_PROG(on_task_exit)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id, tgid = id >> 32;

	if (!release_fast(tid) && slow_slots && task_slot(false))
		__sync_fetch_and_add(&slow_slots, -1);
	if (follow_forks && !BPF_CORE_READ(task, signal, live.counter))
		bpf_map_delete_elem(&traced, &tgid);
	return 0;
}

/*
 * A thread other than the leader that execs takes the leader's TID
 * (de_thread()): give back the entry of its old one, which no exit will.
 */
SEC("raw_tp/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;

	if ((__u32)old_pid != tid)
		release_fast(old_pid);
	if (split_exec && task_traced(id >> 32))
		proc_event(DT_PROC_EXEC, id >> 32, 0, BPF_CORE_READ(bprm, filename));
	return 0;
}

#endif /* DT_TASK_BPF_H */
