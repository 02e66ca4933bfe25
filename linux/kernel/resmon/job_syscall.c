// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmon - resmon_job(), the system call that makes a job, or opens a
 * handle on the job a process is in
 *
 * The arguments are checked first (flags, the limits' size and fields),
 * then the pidfd, that its process is live, and that the caller may manage
 * it, and only then the monitoring state: a caller learns nothing about a
 * process it may not manage.
 */

#include <linux/cred.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include <uapi/linux/resmon.h>

#include "common.h"
#include "rules.h"

/* RESMON_JOB_TREE: the members' children join at fork (tree.c). */
#define RESMON_JOB_FLAGS	(RESMON_JOB_TREE | RESMON_JOB_KILL_OFFENDER | \
				 RESMON_JOB_OPEN)

/* Give @job the limits in @l's mask; it is not visible to anyone yet. */
static void resmon_job_init_limits(struct resmon_job *job,
				   const struct resmon_job_limits *l)
{
	int res;

	for (res = 0; res < RESMON_NR_RESOURCES; res++) {
		if (l->mask & RESMON_LIMIT_HARD(res))
			job->hard[res] = l->hard[res];
		if (l->mask & RESMON_LIMIT_SOFT(res))
			job->soft[res] = l->soft[res];
	}
	if (l->mask & RESMON_LIMIT_SOFT_SIGNAL)
		job->soft_signal = l->soft_signal;
}

/* Install @file as a new descriptor, or drop it. */
static int resmon_job_fd(struct file *file)
{
	int fd = get_unused_fd_flags(O_CLOEXEC);

	if (fd < 0)
		fput(file);
	else
		fd_install(fd, file);
	return fd;
}

/* RESMON_JOB_OPEN: a handle on the job @task's process is a member of. */
static int resmon_job_open(struct task_struct *task)
{
	struct resmon_record *rec;
	struct resmon_job *job = NULL;
	struct file *file;
	int ret;

	rcu_read_lock();
	rec = rcu_dereference(task->signal->resmon);
	if (rec && refcount_inc_not_zero(&rec->job->ref))
		job = rec->job;
	rcu_read_unlock();
	if (!job)
		return -EINVAL;

	ret = resmon_job_add_queue(job);
	if (ret)
		goto out;
	file = resmon_job_file(job);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto out;
	}
	return resmon_job_fd(file);
out:
	resmon_job_put(job);
	return ret;
}

/* A new job with @task's process as its root: the handle, or an errno. */
static int resmon_job_create(struct task_struct *task,
			     const struct resmon_job_limits *l,
			     unsigned int flags)
{
	struct resmon_job *job;
	struct file *file;
	int fd, ret;

	job = resmon_job_new(flags, true);
	if (!job)
		return -ENOMEM;
	resmon_job_init_limits(job, l);
	rcu_read_lock();
	job->user_ns = get_user_ns(__task_cred(task)->user_ns);
	rcu_read_unlock();
	job->quota_privileged = resmon_privileged_over(task);

	/* The handle exists before the job has a member: no undoing a join. */
	file = resmon_job_file(job);
	if (IS_ERR(file)) {
		resmon_job_put(job);
		return PTR_ERR(file);
	}
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		fput(file);
		return fd;
	}
	ret = resmon_add(task, job);
	if (ret) {
		put_unused_fd(fd);
		fput(file);
		return ret == resmon_code_busy() ? -EBUSY : ret;
	}
	/* Kept for resmon_enforce() even if the new fd is closed at once. */
	refcount_inc(&job->ref);
	fd_install(fd, file);
	/* A limit below the root's data now is crossed at once. */
	resmon_enforce(job, task);
	resmon_job_put(job);
	return fd;
}

SYSCALL_DEFINE4(resmon_job, int, pidfd,
		const struct resmon_job_limits __user *, limits, size_t, size,
		unsigned int, flags)
{
	struct resmon_job_limits l = {};
	struct task_struct *task;
	unsigned int f_flags;
	int ret;

	if (flags & ~RESMON_JOB_FLAGS)
		return -EINVAL;
	if ((flags & RESMON_JOB_OPEN) &&
	    (flags != RESMON_JOB_OPEN || limits || size))
		return -EINVAL;
	if (limits || size) {
		if (size < RESMON_JOB_LIMITS_SIZE_VER0)
			return -EINVAL;
		ret = copy_struct_from_user(&l, sizeof(l), limits, size);
		if (ret)
			return ret;
		if (!resmon_job_limits_valid(&l))
			return -EINVAL;
	}

	task = pidfd_get_task(pidfd, &f_flags);
	if (IS_ERR(task))
		return PTR_ERR(task);
	if (!atomic_read(&task->signal->live))
		ret = -ESRCH;
	else if (!resmon_may_manage(task) ||
		 resmon_unkillable(task->flags & PF_KTHREAD, task_tgid_nr(task)))
		ret = -EPERM;
	else if (flags & RESMON_JOB_OPEN)
		ret = resmon_job_open(task);
	else
		ret = resmon_job_create(task, &l, flags);
	put_task_struct(task);
	return ret;
}
