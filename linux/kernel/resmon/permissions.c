// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmon - who may read, manage and lift the quotas of a process
 *
 * Reading follows ptrace, managing follows prlimit(2), and lifting a
 * quota needs what raising a hard rlimit needs: CAP_SYS_RESOURCE, even
 * for the process itself, or a capped process could free itself.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/ptrace.h>
#include <linux/security.h>
#include <linux/sched/signal.h>
#include <linux/security.h>
#include <linux/user_namespace.h>

#include "common.h"

/**
 * resmon_may_read() - may current fetch the record of @task's process?
 * @task: any thread of the process
 *
 * Return: true if ptrace would let current read @task.
 */
bool resmon_may_read(struct task_struct *task)
{
	return ptrace_may_access(task, PTRACE_MODE_READ_REALCREDS);
}

/*
 * The uid/gid rule prlimit(2) and ptrace share: @cred's real ids are the
 * target's real, effective and saved ids.
 */
static bool resmon_same_ids(const struct cred *cred, const struct cred *tcred)
{
	return uid_eq(cred->uid, tcred->euid) &&
	       uid_eq(cred->uid, tcred->suid) &&
	       uid_eq(cred->uid, tcred->uid) &&
	       gid_eq(cred->gid, tcred->egid) &&
	       gid_eq(cred->gid, tcred->sgid) &&
	       gid_eq(cred->gid, tcred->gid);
}

/**
 * resmon_may_manage() - may current register, cap, reset or deregister
 * @task's process?
 * @task: any thread of the process
 *
 * The process itself may; otherwise the rule of check_prlimit_permission():
 * the caller's real ids match the target's real, effective and saved ids,
 * or the caller has CAP_SYS_RESOURCE over the target's user namespace, and
 * then the LSM must agree as it must for prlimit(2) to set a limit, root
 * included: a domain that may not set the target's limits may not cap it
 * (and have it killed) either.
 *
 * Return: true if current may manage @task's process.
 */
bool resmon_may_manage(struct task_struct *task)
{
	const struct cred *cred = current_cred(), *tcred;
	bool ok;

	if (same_thread_group(task, current))
		return true;

	rcu_read_lock();
	tcred = __task_cred(task);
	ok = resmon_same_ids(cred, tcred) ||
	     ns_capable(tcred->user_ns, CAP_SYS_RESOURCE);
	/* Whatever the LSM answers (SELinux: -EACCES), resmon.rst says -EPERM. */
	if (ok)
		ok = !security_task_prlimit(cred, tcred, LSM_PRLIMIT_WRITE);
	rcu_read_unlock();
	return ok;
}

/**
 * resmon_may_lift() - may current reset the quotas of @task's process, or
 * take it out of its job?
 * @task: any thread of the process
 * @job: its job
 *
 * CAP_SYS_RESOURCE in the target's user namespace, in the namespace the
 * quotas were set from, and in the one the job's members were in when it
 * was made: without the last two, a limited process could
 * unshare(CLONE_NEWUSER), own every capability in its new namespace and
 * lift its own limits.
 *
 * Context: resmon_lock held; ns_capable() does not sleep (prlimit(2) makes
 * the same check under rcu_read_lock()).
 * Return: true if the job has no limits or current may lift them.
 */
bool resmon_may_lift(struct task_struct *task, struct resmon_job *job)
{
	bool ok;

	if (!resmon_job_has_limits(job))
		return true;

	rcu_read_lock();
	ok = ns_capable(__task_cred(task)->user_ns, CAP_SYS_RESOURCE);
	rcu_read_unlock();
	if (ok && job->quota_ns)
		ok = ns_capable(job->quota_ns, CAP_SYS_RESOURCE);
	if (ok && job->user_ns)
		ok = ns_capable(job->user_ns, CAP_SYS_RESOURCE);
	return ok;
}

/**
 * resmon_may_raise() - may current raise or remove a limit of @job?
 * @job: the job
 *
 * As raising a hard rlimit: CAP_SYS_RESOURCE in the members' user
 * namespace as it was when the job was made (a member's own namespace
 * gives it nothing), and in the one resource_cap was called from. A job
 * made by register has no such record: the initial namespace decides.
 *
 * Return: true if current may.
 */
bool resmon_may_raise(struct resmon_job *job)
{
	struct user_namespace *ns = READ_ONCE(job->user_ns);

	if (!ns_capable(ns ?: &init_user_ns, CAP_SYS_RESOURCE))
		return false;
	ns = READ_ONCE(job->quota_ns);
	return !ns || ns_capable(ns, CAP_SYS_RESOURCE);
}

/**
 * resmon_privileged_over() - has current CAP_SYS_RESOURCE over @task?
 * @task: any thread of the process
 *
 * Asked by resource_cap only to record the answer (quotas set with it
 * survive an execve that gains privilege), so a "no" is not a denial and
 * is not audited.
 *
 * Return: true if current has CAP_SYS_RESOURCE in @task's user namespace.
 */
bool resmon_privileged_over(struct task_struct *task)
{
	bool ok;

	rcu_read_lock();
	ok = ns_capable_noaudit(__task_cred(task)->user_ns, CAP_SYS_RESOURCE);
	rcu_read_unlock();
	return ok;
}

/**
 * resmon_may_list() - may @cred see the record of @task's process in
 * /proc/resmon?
 * @task: any thread of the process
 * @cred: the credentials /proc/resmon was opened with
 *
 * As fetch, but for the opener rather than whoever reads the file later
 * (the fd may have been passed to a more privileged process), and not
 * audited: a listing that skips others' processes is no attack.
 *
 * Return: true if ptrace would let @cred read @task.
 */
bool resmon_may_list(struct task_struct *task, const struct cred *cred)
{
	const struct cred *old, *tcred;
	bool ok;

	/*
	 * ptrace_may_access() lets current read its own process whatever
	 * the credentials: there, apply its uid/gid rule to @cred directly.
	 */
	if (same_thread_group(task, current)) {
		rcu_read_lock();
		tcred = __task_cred(task);
		ok = resmon_same_ids(cred, tcred) ||
		     !security_capable(cred, tcred->user_ns, CAP_SYS_PTRACE,
				       CAP_OPT_NOAUDIT);
		rcu_read_unlock();
		return ok;
	}
	old = override_creds(cred);
	ok = ptrace_may_access(task, PTRACE_MODE_READ_REALCREDS |
				     PTRACE_MODE_NOAUDIT);
	revert_creds(old);
	return ok;
}
