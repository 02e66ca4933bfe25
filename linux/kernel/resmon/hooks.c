// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmon - accounting on the open, brk and mmap paths, and the limiter
 *
 * These run for every thread of a monitored process, so they take no
 * lock and walk no list: one RCU dereference from the thread's own
 * signal_struct, one atomic update, one compare with the quota.
 * The exec hook at the end is the exception: it runs once per execve
 * that gains privilege, and only for a monitored process.
 */

#define pr_fmt(fmt) "resmon: " fmt

#include <linux/atomic.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/resmon.h>
#include <linux/sched/signal.h>

#include "common.h"
#include "rules.h"

/*
 * Send SIGKILL to the whole process of @task and, once per record, say so
 * in the log. Only reached when a quota is crossed.
 *
 * The signal goes to the thread group through its struct pid, not to
 * @task: resource_cap found @task by a thread id, and that thread may
 * have exited and been released since, or been replaced as the group
 * leader by another thread's execve (de_thread()). kill_pid_info() finds
 * the group's current leader and retries across de_thread(). The record
 * counts as killed only once the signal is queued, so that a send that
 * failed is retried at the next crossing instead of switching the
 * limiter off. The queued SIGKILL also stops a following populate or
 * mlock of the crossing call (__get_user_pages() checks for it).
 *
 * The log names the process by its group leader's comm: the crossing
 * thread may be a renamed worker or an io_uring worker (iou-wrk-N). RCU
 * keeps the leader's task_struct while we read its name.
 */
static void resmon_kill(struct resmon_record *rec, struct task_struct *task,
			const char *what, u64 total, const char *total_unit,
			long quota, const char *quota_unit)
{
	int err;

	if (atomic_read(&rec->killed))
		return;

	rcu_read_lock();
	err = kill_pid_info(SIGKILL, SEND_SIG_PRIV, task_tgid(task));
	if (!err && !atomic_xchg(&rec->killed, 1))
		pr_warn_ratelimited("killed process %d (%s): %s %llu%s over quota %ld%s\n",
				    task_tgid_nr(task),
				    READ_ONCE(task->group_leader)->comm,
				    what, total, total_unit, quota, quota_unit);
	rcu_read_unlock();
}

static void resmon_check_heap(struct resmon_record *rec,
			      struct task_struct *task, u64 bytes)
{
	long quota = READ_ONCE(rec->heap_quota);

	if (unlikely(resmon_heap_exceeded(bytes, quota)))
		resmon_kill(rec, task, "heap", bytes, " bytes", quota, " MiB");
}

static void resmon_check_files(struct resmon_record *rec,
			       struct task_struct *task, unsigned long files)
{
	long quota = READ_ONCE(rec->file_quota);

	if (unlikely(resmon_files_exceeded(files, quota)))
		resmon_kill(rec, task, "files", files, "", quota, "");
}

/*
 * The counters' updates are fully ordered atomics, and resource_cap
 * issues smp_mb() between storing a quota and reading the counters (see
 * resmon_enforce()), so an update racing with a new quota is seen by at
 * least one of the two sides and a crossing is never missed.
 */
static u64 resmon_heap_add(struct resmon_record *rec, u64 bytes)
{
	s64 old = atomic64_read(&rec->heap_bytes);
	u64 new;

	do {
		new = resmon_add_saturating(old, bytes);
	} while (!atomic64_try_cmpxchg(&rec->heap_bytes, &old, new));
	return new;
}

void __resmon_account_open(void)
{
	struct resmon_record *rec;

	rcu_read_lock();
	rec = rcu_dereference(current->signal->resmon);
	if (rec)
		resmon_check_files(rec, current,
				   atomic_long_inc_return(&rec->files));
	rcu_read_unlock();
}

void __resmon_account_heap(unsigned long bytes)
{
	struct resmon_record *rec;

	rcu_read_lock();
	rec = rcu_dereference(current->signal->resmon);
	if (rec)
		resmon_check_heap(rec, current, resmon_heap_add(rec, bytes));
	rcu_read_unlock();
}

/**
 * __resmon_account_mmap() - count a successful mmap() system call if it is heap
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
	if (resmon_heap_mapping(flags & MAP_ANONYMOUS,
				(flags & MAP_TYPE) != MAP_PRIVATE))
		__resmon_account_heap(PAGE_ALIGN(len));
}

/**
 * resmon_enforce() - kill @task's process if it is already over a new quota
 * @rec: its record, whose quotas were just stored
 * @task: any thread of the process
 *
 * Context: rcu_read_lock() held, by resource_cap, which just unlocked
 * resmon_lock: a kill prints, and is no business of the exit path's lock.
 */
void resmon_enforce(struct resmon_record *rec, struct task_struct *task)
{
	/* Pairs with the fully ordered counter updates of the hooks. */
	smp_mb();
	resmon_check_heap(rec, task, atomic64_read(&rec->heap_bytes));
	resmon_check_files(rec, task, atomic_long_read(&rec->files));
}

/**
 * __resmon_secure_exec() - an execve of @tsk's process gained privilege
 * @tsk: current, the only thread left, with its new credentials committed
 *
 * Whoever set the quotas may no longer manage the process, and a quota is
 * an uncatchable SIGKILL at a moment of the setter's choosing. Unless the
 * quotas were set by a caller with CAP_SYS_RESOURCE over the process, the
 * record goes, as if deregistered; the kernel clears the parent-death
 * signal on such an execve for the same reason.
 */
void __resmon_secure_exec(struct task_struct *tsk)
{
	struct resmon_record *rec;

	spin_lock(&resmon_lock);
	rec = resmon_record_locked(tsk);
	if (rec && !(rec->quota_ns && rec->quota_privileged))
		resmon_remove_locked(rec);
	spin_unlock(&resmon_lock);
}
