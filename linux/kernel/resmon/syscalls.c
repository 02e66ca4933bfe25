// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmon - the system calls
 *
 * Each call checks, in this order: the pid, that a live process has it,
 * that the caller has the right over that process, and only then the
 * monitoring state, so that a caller learns nothing about a process it
 * may not manage. The order and the codes are ABI (resmon.rst); each code
 * comes from rules.h, which the eBPF edition applies too.
 */

#define pr_fmt(fmt) "resmon: " fmt

#include <linux/build_bug.h>
#include <linux/err.h>
#include <linux/pid.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/resmon.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <uapi/linux/resmon.h>

#include "common.h"
#include "rules.h"

/* Programs built against the original layout must keep working. */
static_assert(sizeof(struct per_proc_resource) == 48);
static_assert(offsetof(struct per_proc_resource, pid) == 0);
static_assert(offsetof(struct per_proc_resource, heapsize) == 8);
static_assert(offsetof(struct per_proc_resource, openfile_count) == 16);
static_assert(offsetof(struct per_proc_resource, heap_quota) == 24);
static_assert(offsetof(struct per_proc_resource, file_quota) == 32);
static_assert(offsetof(struct per_proc_resource, quotas_defined) == 40);

/*
 * A process is live while at least one of its threads has not exited:
 * any thread id names it, the leader's id too after the leader exited.
 */
static bool resmon_task_live(struct task_struct *task)
{
	return atomic_read(&task->signal->live) > 0;
}

/**
 * resmon_get_task() - the first three checks every call shares
 * @pid: a thread id in the caller's pid namespace
 * @op: the call, which decides the codes (rules.h)
 * @allowed: the caller's right this call needs
 *
 * Return: the task with a reference held, or ERR_PTR() of
 * resmon_code_bad_pid(), resmon_code_no_process() or resmon_code_denied().
 */
static struct task_struct *resmon_get_task(pid_t pid, enum resmon_call op,
					   bool (*allowed)(struct task_struct *))
{
	struct task_struct *task;

	if (pid < 1)
		return ERR_PTR(resmon_code_bad_pid(op));

	rcu_read_lock();
	task = find_task_by_vpid(pid);
	if (task && resmon_task_live(task))
		get_task_struct(task);
	else
		task = NULL;
	rcu_read_unlock();
	if (!task)
		return ERR_PTR(resmon_code_no_process(op));

	if (!allowed(task)) {
		put_task_struct(task);
		return ERR_PTR(resmon_code_denied());
	}
	return task;
}

/**
 * resmon_lock_managed() - the opening every managing call shares
 * @pid: a thread id in the caller's pid namespace
 * @op: the call
 * @recp: set to the record of the process, or to NULL if it has none
 *
 * Checks @pid, that a live process has it and that the caller may manage
 * that process (resmon_get_task()), then takes resmon_lock.
 *
 * Return: the task with a reference and resmon_lock held, to be released
 * with resmon_unlock_managed(); or an ERR_PTR, holding neither.
 */
static struct task_struct *resmon_lock_managed(pid_t pid, enum resmon_call op,
					       struct resmon_record **recp)
{
	struct task_struct *task;

	task = resmon_get_task(pid, op, resmon_may_manage);
	if (!IS_ERR(task)) {
		spin_lock(&resmon_lock);
		*recp = resmon_record_locked(task);
	}
	return task;
}

static void resmon_unlock_managed(struct task_struct *task)
{
	spin_unlock(&resmon_lock);
	put_task_struct(task);
}

SYSCALL_DEFINE0(resmon_hello)
{
	pr_info_ratelimited("Hello, world!\n");
	return 0;
}

SYSCALL_DEFINE1(resmon_register, pid_t, pid)
{
	struct task_struct *task;
	int ret;

	/* Not under resmon_lock: registering allocates and may sleep. */
	task = resmon_get_task(pid, RESMON_CALL_REGISTER, resmon_may_manage);
	if (IS_ERR(task))
		return PTR_ERR(task);
	/* is_global_init() is this tgid test; the rule is the one BPF applies. */
	if (resmon_unkillable(task->flags & PF_KTHREAD, task_tgid_nr(task))) {
		ret = resmon_code_denied();
	} else {
		/* A job of one member, without a handle until one is opened. */
		struct resmon_job *job = resmon_job_new(0, false);

		ret = job ? resmon_add(task, job) :
		      rcu_access_pointer(task->signal->resmon) ?
		      resmon_code_busy() : -ENOMEM;
		if (job)
			resmon_job_put(job);
	}
	put_task_struct(task);
	return ret;
}

/*
 * Snapshot the job of @task's process, or fetch's "not monitored" code:
 * its totals, and its hard heap and opens limits as the quotas.
 */
static int resmon_snapshot(struct task_struct *task,
			   struct per_proc_resource *info)
{
	struct resmon_record *rec;
	struct resmon_job *job;
	unsigned int seq;

	/* Zero the padding too: this goes to user space as it is. */
	memset(info, 0, sizeof(*info));

	/*
	 * No lock: RCU keeps the record, and quota_seq makes the quotas and
	 * quotas_defined one snapshot, so that monitoring tools polling many
	 * processes never wait for register, cap or each other.
	 */
	rcu_read_lock();
	rec = rcu_dereference(task->signal->resmon);
	if (!rec) {
		rcu_read_unlock();
		return resmon_code_not_monitored(RESMON_CALL_FETCH);
	}
	job = rec->job;
	do {
		seq = read_seqcount_begin(&job->limits_seq);
		info->heap_quota =
			resmon_limit_to_quota(READ_ONCE(job->hard[RESMON_HEAP]), true);
		info->file_quota =
			resmon_limit_to_quota(READ_ONCE(job->hard[RESMON_OPENS]), false);
		info->quotas_defined = READ_ONCE(job->quota_ns) ||
				       info->heap_quota != RESMON_NO_LIMIT ||
				       info->file_quota != RESMON_NO_LIMIT;
	} while (read_seqcount_retry(&job->limits_seq, seq));
	info->heapsize = resmon_bytes_to_mib(atomic64_read(&job->heap_bytes));
	info->openfile_count = atomic_long_read(&job->files);
	rcu_read_unlock();

	info->pid = task_tgid_vnr(task);
	return 0;
}

SYSCALL_DEFINE2(resmon_fetch, struct per_proc_resource __user *, stats,
		pid_t, pid)
{
	struct per_proc_resource info;
	struct task_struct *task;
	int ret;

	task = resmon_get_task(pid, RESMON_CALL_FETCH, resmon_may_read);
	if (IS_ERR(task))
		return PTR_ERR(task);
	ret = resmon_snapshot(task, &info);
	put_task_struct(task);
	if (ret)
		return ret;

	/* The ABI reports a bad buffer as -EINVAL, not -EFAULT. */
	if (copy_to_user(stats, &info, sizeof(info)))
		return -EINVAL;
	return 0;
}

SYSCALL_DEFINE1(resmon_deregister, pid_t, pid)
{
	struct resmon_record *rec;
	struct task_struct *task;
	int ret = 0;

	task = resmon_lock_managed(pid, RESMON_CALL_DEREGISTER, &rec);
	if (IS_ERR(task))
		return PTR_ERR(task);
	if (!rec)
		ret = resmon_code_not_monitored(RESMON_CALL_DEREGISTER);
	else if (!resmon_may_lift(task, rec->job))
		ret = resmon_code_denied();
	else
		resmon_remove_locked(rec);
	resmon_unlock_managed(task);
	return ret;
}

SYSCALL_DEFINE3(resmon_cap, pid_t, pid, long, heap_quota, long, file_quota)
{
	struct resmon_record *rec;
	struct resmon_job *job = NULL;
	struct task_struct *task;
	int ret = 0;

	task = resmon_lock_managed(pid, RESMON_CALL_CAP, &rec);
	if (IS_ERR(task))
		return PTR_ERR(task);
	if (!rec) {
		ret = resmon_code_not_monitored(RESMON_CALL_CAP);
	} else if (!resmon_heap_quota_valid(heap_quota) ||
		   !resmon_file_quota_valid(file_quota)) {
		ret = resmon_code_bad_quota();
	} else if (rec->job->quota_ns ||
		   rec->job->hard[RESMON_HEAP] != RESMON_UNLIMITED ||
		   rec->job->hard[RESMON_OPENS] != RESMON_UNLIMITED) {
		/* Quotas defined: by resource_cap, or a job's hard limits. */
		ret = resmon_code_busy();
	} else {
		job = rec->job;
		job->quota_privileged = resmon_privileged_over(task);
		resmon_set_quotas_locked(job, heap_quota, file_quota);
	}
	/* RCU keeps the job for resmon_enforce() once unlocked. */
	rcu_read_lock();
	spin_unlock(&resmon_lock);
	/* Kills the target's job if it is over already, never the caller. */
	if (job)
		resmon_enforce(job, task);
	rcu_read_unlock();
	put_task_struct(task);
	return ret;
}

SYSCALL_DEFINE1(resmon_reset, pid_t, pid)
{
	struct resmon_record *rec;
	struct task_struct *task;
	int ret = 0;

	task = resmon_lock_managed(pid, RESMON_CALL_RESET, &rec);
	if (IS_ERR(task))
		return PTR_ERR(task);
	if (!rec)
		ret = resmon_code_not_monitored(RESMON_CALL_RESET);
	else if (!resmon_may_lift(task, rec->job))
		ret = resmon_code_denied();
	else
		resmon_clear_quotas_locked(rec->job);
	resmon_unlock_managed(task);
	return ret;
}
