// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmon - tree jobs: a member's child joins the job at fork
 *
 * copy_process() calls three hooks. resmon_fork_prepare(), before the
 * child exists, allocates its record and takes a reference on the job if
 * the parent is a member of a tree job: the one step that may fail, so
 * that the fork fails cleanly (-ENOMEM) rather than make a child that
 * escapes its job. resmon_fork_cancel() undoes it on every error path.
 * resmon_fork_commit(), once the child is visible and before it runs a
 * single instruction, links the record: the child is a member from its
 * first instruction on.
 *
 * A fork costs O(1): one allocation, resmon_lock and the job's lock for a
 * few list insertions, no walk of members. Threads are part of their
 * process's record already, and are no members of their own.
 *
 * Kills racing with forks: a whole-job kill signals the members under the
 * job's lock and only then marks the job killed, still under it; the
 * commit links the child under the same lock and reads the mark after.
 * Either the kill's walk finds the child, or the commit sees the mark and
 * kills the child itself: no member created during a kill survives it.
 */

#include <linux/mm_types.h>
#include <linux/rcupdate.h>
#include <linux/resmon.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <uapi/linux/resmon.h>

#include "common.h"

/**
 * __resmon_fork_prepare() - the record of a child that will join a tree job
 * @clone_flags: the fork's flags, without %CLONE_THREAD
 * @recp: where the record goes; left NULL unless current's process is a
 *        member of a tree job
 *
 * The record holds a reference on the job until it is committed or
 * cancelled.
 *
 * Context: process context, may sleep (the caller is copy_process()).
 * Return: 0, or -ENOMEM.
 */
int __resmon_fork_prepare(u64 clone_flags, struct resmon_record **recp)
{
	struct resmon_record *parent, *rec;
	struct resmon_job *job = NULL;

	rcu_read_lock();
	parent = rcu_dereference(current->signal->resmon);
	if (parent && (READ_ONCE(parent->job->flags) & RESMON_JOB_TREE) &&
	    refcount_inc_not_zero(&parent->job->ref))
		job = parent->job;
	rcu_read_unlock();
	if (!job)
		return 0;

	rec = resmon_record_new(NULL);
	if (!rec) {
		resmon_job_put(job);
		return -ENOMEM;
	}
	rec->job = job;
	*recp = rec;
	return 0;
}

/**
 * __resmon_fork_cancel() - the fork failed: drop the child's record
 * @rec: the record resmon_fork_prepare() made, never linked
 */
void __resmon_fork_cancel(struct resmon_record *rec)
{
	struct resmon_job *job = rec->job;

	resmon_record_drop(rec);
	resmon_job_put(job);
}

/**
 * __resmon_fork_commit() - the child @p joins its parent's job
 * @p: the new process, visible, not yet woken
 * @rec: the record resmon_fork_prepare() made
 * @clone_flags: the fork's flags
 *
 * The child's data is its VmData, a copy of its parent's; a child sharing
 * its parent's memory (%CLONE_VM: vfork, posix_spawn) adds nothing until
 * it execs. The fork is then the call that may cross the data limits,
 * with the parent as the offender. If the parent left the job since
 * resmon_fork_prepare() (deregister, a secure execve), the child does not
 * join.
 */
void __resmon_fork_commit(struct task_struct *p, struct resmon_record *rec,
			  u64 clone_flags)
{
	struct resmon_job *job = rec->job;
	struct resmon_record *parent;
	long pages = 0;

	if (!(clone_flags & CLONE_VM) && p->mm)
		pages = READ_ONCE(p->mm->data_vm);
	rec->signal = p->signal;

	spin_lock(&resmon_lock);
	parent = resmon_record_locked(current);
	if (!parent || parent->job != job) {
		spin_unlock(&resmon_lock);
		__resmon_fork_cancel(rec);
		return;
	}
	resmon_join(rec, job, pages);
	list_add_tail(&rec->node.list, &resmon_records);
	rcu_assign_pointer(p->signal->resmon, rec);
	spin_unlock(&resmon_lock);

	/* Ordered after a kill's walk by the job's lock: see the top. */
	if (atomic_read(&job->killed))
		kill_pid_info(SIGKILL, SEND_SIG_PRIV, task_tgid(p));

	/* The child's record holds its own reference now. */
	resmon_check_fork(job);
	resmon_job_put(job);
}
