/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * resmon eBPF edition: tree jobs (SPEC "Jobs", issue 17), included by
 * resmon.bpf.c after the record helpers (filter_count(), charge()).
 *
 * A process a tree member creates joins the member's job in the parent,
 * at fork: sched_process_fork fires in kernel_clone() after copy_process()
 * made the child and before wake_up_new_task() lets it run, so the child
 * runs no instruction of its own outside the job. Joining is one record
 * insert (BPF_NOEXIST: the child's signal_struct is new) and two atomic
 * increments; leaving is the exit hook's delete (job_leave()). Nothing
 * here walks the members.
 *
 * A whole-job kill (job->killed) is queued by the crossing hook to the
 * offender and by resmond, walking the records, to the other members. A
 * member forked while resmond walks may be missed by the walk; its first
 * instruction's hook (schedule_tail) kills it instead, so no member made
 * during a kill survives it.
 */
#ifndef RESMON_BPF_TREE_H
#define RESMON_BPF_TREE_H

/* resmond kills what could not join: never a child of a member running unaccounted. */
static __always_inline void tree_escaped(__u64 id, struct task_struct *child)
{
	struct resmon_job_note *e = bpf_ringbuf_reserve(&job_events, sizeof(*e), 0);

	if (!e)
		return;
	e->job = id;
	e->type = RESMON_NOTE_ESCAPED;
	e->value = child->start_time;	/* names the process with its tgid */
	e->tgid = child->tgid;
	e->signal = SIGKILL;
	bpf_probe_read_kernel_str(e->comm, sizeof(e->comm), child->comm);
	bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
}

/*
 * The new member's data share at fork: its own copy of the parent's
 * VmData (dup_mmap() copied data_vm and took out VM_DONTCOPY mappings
 * already), or nothing when it shares the parent's memory (CLONE_VM
 * without CLONE_THREAD: vfork, posix_spawn) until it execs.
 */
static __always_inline __u64 fork_data_pages(struct task_struct *parent,
					     struct task_struct *child, __u8 *shares)
{
	struct mm_struct *mm = child->mm;

	*shares = mm && mm == parent->mm;
	if (!mm || *shares)
		return 0;
	return BPF_CORE_READ(mm, data_vm);
}

/*
 * The child joins @j (of the parent's record @r): counted before it is
 * findable, as register does, so the exit hook never lowers a count it
 * was not given. The fork is the call that adds the child's data: a
 * crossing is the parent's (the offender), judged after the child is in,
 * so a whole-job kill finds it in the records or kills it at its start.
 */
static __always_inline void tree_join(struct resmon_rec *r, struct resmon_job *j,
				      struct task_struct *parent, struct task_struct *child)
{
	struct resmon_rec n = {};
	__u32 *count = filter_count(child->tgid);
	__u64 key = (__u64)child->signal, id = r->job, value;

	n.heap_quota = RESMON_NO_LIMIT;
	n.file_quota = RESMON_NO_LIMIT;
	n.seq = r->seq;
	n.start_time = child->start_time;
	n.tgid = child->tgid;
	n.cap_privileged = r->cap_privileged;
	n.cap_userns = r->cap_userns;
	n.charged_uid = r->charged_uid;
	n.job = id;
	n.data_pages = fork_data_pages(parent, child, &n.shares_mm);
	if (!count || (n.charged_uid != RESMON_UID_NONE && charge(n.charged_uid, j->uid_share))) {
		tree_escaped(id, child);
		return;
	}
	__sync_fetch_and_add(&j->members_now, 1);
	__sync_fetch_and_add(count, 1);
	if (bpf_map_update_elem(&records, &key, &n, BPF_NOEXIST)) {
		__sync_fetch_and_sub(count, 1);
		uncharge(n.charged_uid);
		/* The parent is a live member: this never drops the job to empty. */
		__sync_fetch_and_sub(&j->members_now, 1);
		tree_escaped(id, child);
		return;
	}
	__sync_fetch_and_add(&j->members_ever, 1);
	if (!n.data_pages)
		return;
	value = __sync_add_and_fetch(&j->usage[RESMON_DATA], n.data_pages << PAGE_SHIFT);
	job_peak(j, value);
	job_check(r, j, RESMON_DATA, value);
}

/* In the parent, at fork: threads are part of their process, not members. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(resmon_job_fork, struct task_struct *parent, struct task_struct *child)
{
	struct resmon_rec *r;
	struct resmon_job *j;

	if (child->signal == parent->signal)
		return 0;
	r = current_rec();
	if (!r || !r->job)
		return 0;
	j = rec_job(r);
	if (j && (j->flags & RESMON_JOB_TREE))
		tree_join(r, j, parent, child);
	return 0;
}

/*
 * A member of a job killed whole dies here if nothing killed it yet (resmond
 * reaches the members other than the offender a moment after the crossing).
 * 0, or -1 when its SIGKILL could not be queued.
 */
static __always_inline int die_with_job(struct resmon_rec *r)
{
	struct resmon_job *j;

	if (!r || !r->job || r->killed)
		return 0;
	j = rec_job(r);
	if (!j || !j->killed || (j->flags & RESMON_JOB_KILL_OFFENDER))
		return 0;
	if (bpf_send_signal(SIGKILL))
		return -1;
	__sync_lock_test_and_set(&r->killed, 1);
	return 0;
}

/*
 * The first thing a new task runs (ret_from_fork -> schedule_tail), on its
 * way to its first user instruction: a member of a job killed whole since
 * it was forked dies here. fexit, not fentry: at entry the runqueue lock
 * is held with interrupts off, where bpf_send_signal() can only defer to
 * an irq_work that may be busy; on the way out it queues SIGKILL at once.
 * A kill that is not queued is left to resmond (the escape note).
 */
SEC("fexit/schedule_tail")
int BPF_PROG(resmon_job_new_task, struct task_struct *prev)
{
	struct resmon_rec *r = current_rec();

	if (die_with_job(r))
		tree_escaped(r->job, bpf_get_current_task_btf()->group_leader);
	return 0;
}

/*
 * A member back from waiting for a child (wait4, waitpid) whose job was
 * killed whole meanwhile, typically because that child was the offender:
 * a shell or make would otherwise run on for the moment resmond takes to
 * reach it. Killed before it returns to user space, so it never acts on
 * the death.
 */
SEC("fexit/kernel_wait4")
int BPF_PROG(resmon_job_wait_done, pid_t upid)
{
	die_with_job(current_rec());
	return 0;
}

#endif
