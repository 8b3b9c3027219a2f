/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Task bookkeeping: the traced set follows COMMAND's children, and a
 * thread gives its slot back when it exits or an exec changes its TID.
 */
#ifndef DT_TASK_BPF_H
#define DT_TASK_BPF_H

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
	if (bpf_map_update_elem(&traced, &ctgid, &one, BPF_ANY))
		stat_inc(DT_STAT_FORK_FULL);
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
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if ((__u32)old_pid != tid)
		release_fast(old_pid);
	return 0;
}

#endif /* DT_TASK_BPF_H */
