// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmon - accounting on the open, brk, mmap, mremap and mprotect paths,
 * and the limiter
 *
 * These run for every thread of a monitored process, so they take no
 * lock and walk no list: one RCU dereference from the thread's own
 * signal_struct to its record and job, one atomic update, one compare
 * with each limit. Only a crossing takes the job's lock, to signal the
 * members and queue the event. The exec hooks at the end run once per
 * execve of a monitored process.
 */

#define pr_fmt(fmt) "resmon: " fmt

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/resmon.h>
#include <linux/sched/signal.h>
#include <linux/string.h>

#include "common.h"
#include "rules.h"

/*
 * Say in the log that a process was killed, naming it by its group
 * leader's comm: the crossing thread may be a renamed worker or an
 * io_uring worker (iou-wrk-N). Heap and opens keep the seed's line, which
 * tools parse; the heap limit is given in MiB there, rounded up.
 */
static void resmon_log_kill(pid_t pid, const char *comm, int res, u64 value,
			    u64 limit)
{
	if (res == RESMON_HEAP)
		pr_warn_ratelimited("killed process %d (%s): heap %llu bytes over quota %llu MiB\n",
				    pid, comm, value,
				    resmon_bytes_to_mib_up(limit));
	else if (res == RESMON_OPENS)
		pr_warn_ratelimited("killed process %d (%s): files %llu over quota %llu\n",
				    pid, comm, value, limit);
	else
		pr_warn_ratelimited("killed process %d (%s): data %llu bytes over limit %llu bytes\n",
				    pid, comm, value, limit);
}

/*
 * Send @sig to every member. Each goes to the thread group through its
 * struct pid, which finds the group's current leader and retries across
 * de_thread(). Context: the job's lock held.
 * Return: how many members it was queued to.
 */
static int resmon_signal_members_locked(struct resmon_job *job, int sig)
{
	struct resmon_record *rec;
	int sent = 0;

	list_for_each_entry(rec, &job->members, job_link)
		if (!kill_pid_info(sig, SEND_SIG_PRIV,
				   rec->signal->pids[PIDTYPE_TGID]))
			sent++;
	return sent;
}

/*
 * The process an event names when no member's call crossed (a limit set
 * below the value): the first member, if any. Context: the job's lock.
 */
static struct pid *resmon_first_member_locked(struct resmon_job *job)
{
	struct resmon_record *rec;

	rec = list_first_entry_or_null(&job->members, struct resmon_record,
				       job_link);
	return rec ? rec->signal->pids[PIDTYPE_TGID] : NULL;
}

/* The group leader's comm of @pid's process, or "" if it is gone. */
static void resmon_comm(struct pid *pid, char *comm)
{
	struct task_struct *task;

	memset(comm, 0, TASK_COMM_LEN);
	rcu_read_lock();
	task = pid ? pid_task(pid, PIDTYPE_TGID) : NULL;
	if (task)
		strscpy(comm, READ_ONCE(task->group_leader)->comm,
			TASK_COMM_LEN);
	rcu_read_unlock();
}

/**
 * resmon_hard_crossed() - a value went over its hard limit
 * @job: the job
 * @task: a thread of the process whose call crossed, or NULL when the
 *        crossing is a new limit's (then the whole job is killed)
 * @res: the resource
 * @value: its value
 * @limit: the hard limit it went over
 *
 * SIGKILL is queued before the crossing call returns, so that a following
 * populate or mlock of that call stops (__get_user_pages() checks for it).
 * A job counts as killed only once a signal was queued, so that a send
 * that failed is retried at the next crossing; one KILL event is queued
 * however many threads cross together.
 */
static noinline void resmon_hard_crossed(struct resmon_job *job,
					 struct task_struct *task, int res,
					 u64 value, u64 limit)
{
	struct resmon_job_event ev = {
		.type = RESMON_EVENT_KILL, .resource = res,
		.value = value, .limit = limit, .signal = SIGKILL,
	};
	struct pid *pid = task ? task_tgid(task) : NULL;
	bool queued = false;

	if (task && (READ_ONCE(job->flags) & RESMON_JOB_KILL_OFFENDER)) {
		/* Its other threads crossing too add no second event. */
		if ((READ_ONCE(task->signal->flags) & SIGNAL_GROUP_EXIT) ||
		    kill_pid_info(SIGKILL, SEND_SIG_PRIV, pid))
			return;
		resmon_comm(pid, ev.comm);
		spin_lock(&job->lock);
		resmon_job_queue_locked(job, &ev, pid);
		spin_unlock(&job->lock);
		resmon_log_kill(task_tgid_nr(task), ev.comm, res, value, limit);
		return;
	}

	if (atomic_read(&job->killed))
		return;
	spin_lock(&job->lock);
	if (resmon_signal_members_locked(job, SIGKILL) &&
	    !atomic_xchg(&job->killed, 1)) {
		if (!pid)
			pid = resmon_first_member_locked(job);
		resmon_comm(pid, ev.comm);
		resmon_job_queue_locked(job, &ev, pid);
		queued = true;
	}
	spin_unlock(&job->lock);
	if (queued)
		resmon_log_kill(pid ? pid_nr(pid) : 0, ev.comm, res, value, limit);
}

/*
 * A value went over its soft limit: the first time (until armed again),
 * the soft signal goes to every member and a SOFT event is queued.
 */
static noinline void resmon_soft_crossed(struct resmon_job *job,
					 struct task_struct *task, int res,
					 u64 value, u64 limit)
{
	struct resmon_job_event ev = {
		.type = RESMON_EVENT_SOFT, .resource = res,
		.value = value, .limit = limit,
	};
	struct pid *pid;

	if (test_and_set_bit(res, &job->soft_fired))
		return;
	spin_lock(&job->lock);
	pid = task ? task_tgid(task) : resmon_first_member_locked(job);
	ev.signal = job->soft_signal;
	if (ev.signal)
		resmon_signal_members_locked(job, ev.signal);
	resmon_job_queue_locked(job, &ev, pid);
	spin_unlock(&job->lock);
}

/*
 * Compare a value of @job with its limits, after @task's call changed it.
 * Every counting hook runs this: the crossings are out of line (noinline
 * above), so that what runs when nothing crosses is a few loads and compares
 * inlined into the hook, with no stack frame to build.
 */
static inline void resmon_check(struct resmon_job *job,
				struct task_struct *task, int res, u64 value)
{
	u64 limit = READ_ONCE(job->hard[res]);

	if (unlikely(resmon_over(value, limit))) {
		resmon_hard_crossed(job, task, res, value, limit);
		return;
	}
	limit = READ_ONCE(job->soft[res]);
	if (unlikely(resmon_over(value, limit)) &&
	    !test_bit(res, &job->soft_fired))
		resmon_soft_crossed(job, task, res, value, limit);
}

/* A job's data now in bytes; a transient negative sum reads as 0. */
static u64 resmon_data_bytes(struct resmon_job *job)
{
	long pages = atomic_long_read(&job->data_pages);

	return pages > 0 ? (u64)pages << PAGE_SHIFT : 0;
}

/*
 * The counters' updates are fully ordered atomics, and whoever sets a
 * limit issues smp_mb() between storing it and reading the counters (see
 * resmon_enforce()), so an update racing with a new limit is seen by at
 * least one of the two sides and a crossing is never missed.
 */
static u64 resmon_heap_add(struct resmon_job *job, u64 bytes)
{
	s64 old = atomic64_read(&job->heap_bytes);
	u64 new;

	do {
		new = resmon_add_saturating(old, bytes);
	} while (!atomic64_try_cmpxchg(&job->heap_bytes, &old, new));
	return new;
}

void __resmon_account_open(void)
{
	struct resmon_record *rec;

	rcu_read_lock();
	rec = rcu_dereference(current->signal->resmon);
	if (rec)
		resmon_check(rec->job, current, RESMON_OPENS,
			     atomic_long_inc_return(&rec->job->files));
	rcu_read_unlock();
}

/* brk growth, or a heap mmap if @bytes; then the data check of the call. */
static void resmon_account_heap_data(unsigned long bytes)
{
	struct resmon_record *rec;

	rcu_read_lock();
	rec = rcu_dereference(current->signal->resmon);
	if (rec) {
		if (bytes)
			resmon_check(rec->job, current, RESMON_HEAP,
				     resmon_heap_add(rec->job, bytes));
		resmon_check(rec->job, current, RESMON_DATA,
			     resmon_data_bytes(rec->job));
	}
	rcu_read_unlock();
}

void __resmon_account_heap(unsigned long bytes)
{
	resmon_account_heap_data(bytes);
}

/**
 * __resmon_account_mmap() - count a successful mmap() system call if it is
 * heap, and check the data limits
 * @flags: the caller's mmap flags
 * @len: the length mapped (already huge-page aligned for MAP_HUGETLB)
 *
 * Which mappings are heap is rules.h's resmon_heap_mapping(), the rule the
 * eBPF edition applies too; this derives its two inputs from the flags.
 * MAP_TYPE is compared as a whole so that MAP_SHARED_VALIDATE (0x03) is
 * not taken for private.
 */
void __resmon_account_mmap(unsigned long flags, unsigned long len)
{
	bool heap = resmon_heap_mapping(flags & MAP_ANONYMOUS,
					(flags & MAP_TYPE) != MAP_PRIVATE);

	resmon_account_heap_data(heap ? PAGE_ALIGN(len) : 0);
}

/**
 * __resmon_check_data() - the data check of mremap() and mprotect()
 *
 * Called once the call's VmData changes are counted, before it populates.
 */
void __resmon_check_data(void)
{
	resmon_account_heap_data(0);
}

/**
 * resmon_data_peak() - keep @job's data peak at least @pages
 * @job: the job
 * @pages: its data now, in pages
 */
void resmon_data_peak(struct resmon_job *job, long pages)
{
	long peak = atomic_long_read(&job->data_peak);

	while (pages > peak &&
	       !atomic_long_try_cmpxchg(&job->data_peak, &peak, pages))
		;
}

/* Add @pages (may be negative) to a member's data and to its job's. */
static inline void resmon_data_add(struct resmon_record *rec, long pages)
{
	struct resmon_job *job = rec->job;
	long now;

	atomic_long_add(pages, &rec->data_pages);
	now = atomic_long_add_return(pages, &job->data_pages);
	if (pages > 0) {
		resmon_data_peak(job, now);
	} else if (test_bit(RESMON_DATA, &job->soft_fired) &&
		   !resmon_over(now > 0 ? (u64)now << PAGE_SHIFT : 0,
				READ_ONCE(job->soft[RESMON_DATA]))) {
		/* Back at or under the soft limit: armed again. */
		clear_bit(RESMON_DATA, &job->soft_fired);
	}
}

/**
 * __resmon_account_data() - current's process's VmData changed by @npages
 * @npages: pages added (negative: removed)
 *
 * Called where mm->data_vm changes, under the mmap_lock, for current's own
 * mm only: a process sharing it (vfork) adds nothing to anyone's job.
 * Counts only; the calls that grow VmData check the limits once their
 * changes are all counted (mremap maps the new range before it unmaps
 * the old one).
 */
void __resmon_account_data(long npages)
{
	struct resmon_record *rec;

	rcu_read_lock();
	rec = rcu_dereference(current->signal->resmon);
	if (rec)
		resmon_data_add(rec, npages);
	rcu_read_unlock();
}

/**
 * __resmon_exec_mm() - an execve gave current's process a new mm
 * @mm: the new mm, before the new image is loaded into it
 *
 * The member's data becomes the new mm's VmData; the old mm's goes. The
 * other threads are gone (de_thread()), so nothing else changes it.
 */
void __resmon_exec_mm(struct mm_struct *mm)
{
	struct resmon_record *rec;

	rcu_read_lock();
	rec = rcu_dereference(current->signal->resmon);
	if (rec)
		resmon_data_add(rec, READ_ONCE(mm->data_vm) -
				     atomic_long_read(&rec->data_pages));
	rcu_read_unlock();
}

/**
 * resmon_check_fork() - the data check of a fork that added a member
 * @job: the job the child joined
 *
 * The fork is the call that crossed: its caller is the offender, and the
 * kill is queued before the child runs.
 *
 * Context: rcu_read_lock() held, or a reference on @job; no lock.
 */
void resmon_check_fork(struct resmon_job *job)
{
	resmon_check(job, current, RESMON_DATA, resmon_data_bytes(job));
}

/**
 * resmon_enforce() - cross at once the limits a new value of them is under
 * @job: the job whose limits were just stored
 * @task: the process the seed's resource_cap named, or NULL (a new limit
 *        through the handle: the whole job is killed)
 *
 * Context: rcu_read_lock() held, or a reference on @job; no lock of the
 * job's, since a kill takes it and prints.
 */
void resmon_enforce(struct resmon_job *job, struct task_struct *task)
{
	/* Pairs with the fully ordered counter updates of the hooks. */
	smp_mb();
	resmon_check(job, task, RESMON_HEAP, atomic64_read(&job->heap_bytes));
	resmon_check(job, task, RESMON_OPENS, atomic_long_read(&job->files));
	resmon_check(job, task, RESMON_DATA, resmon_data_bytes(job));
}

/**
 * __resmon_secure_exec() - an execve of @tsk's process gained privilege
 * @tsk: current, the only thread left, with its new credentials committed
 *
 * Whoever set the limits may no longer manage the process, and a limit is
 * an uncatchable SIGKILL at a moment of the setter's choosing. Unless the
 * limits were set by a caller with CAP_SYS_RESOURCE over the process (the
 * seed's resource_cap, or the creator of a job), the process leaves its
 * job, as if deregistered; the kernel clears the parent-death signal on
 * such an execve for the same reason.
 */
void __resmon_secure_exec(struct task_struct *tsk)
{
	struct resmon_record *rec;
	struct resmon_job *job;

	spin_lock(&resmon_lock);
	rec = resmon_record_locked(tsk);
	if (rec) {
		job = rec->job;
		if (!((job->quota_ns || job->user_ns) && job->quota_privileged))
			resmon_remove_locked(rec);
	}
	spin_unlock(&resmon_lock);
}
