// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmon - the registry: records, their list and their lifetime
 *
 * A record hangs off signal_struct::resmon from register (or resmon_job())
 * until deregister or until the last thread of its process exits,
 * whichever comes first, and makes its process a member of a job: register
 * makes a job of one member without a handle. Lockless readers (the hooks,
 * fetch) find the record and its job through RCU; everything that links or
 * unlinks a record holds resmon_lock, and every change of a job's limits,
 * members or events holds the job's own lock (inside resmon_lock).
 *
 * resmon_lock is taken in do_exit() by every monitored process, so it is
 * a spinlock held for a few stores: nobody holds it while allocating
 * memory, patching the static key, touching user memory or printing.
 * register allocates its record and takes its reference on the key before
 * it locks, and drops them after it unlocks if it has no use for them.
 */

#include <linux/build_bug.h>
#include <linux/cache.h>
#include <linux/init.h>
#include <linux/jump_label_ratelimit.h>
#include <linux/resmon.h>
#include <linux/sched/signal.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/user_namespace.h>
#include <uapi/linux/resmon.h>

#include "common.h"
#include "rules.h"

/*
 * Serialises linking, unlinking and quota changes of records, and the
 * /proc/resmon cursors in the list. Never taken by the hooks or fetch.
 */
DEFINE_SPINLOCK(resmon_lock);

/* All records, in registration order, and the readers' cursors. */
LIST_HEAD(resmon_records);

/* Records, each on cache lines of its own (struct resmon_record). */
static struct kmem_cache *resmon_record_cache __ro_after_init;
static_assert(!IS_ENABLED(CONFIG_SMP) ||
	      sizeof(struct resmon_record) % SMP_CACHE_BYTES == 0);

/*
 * On while any record exists, and for a second after the last one goes:
 * flipping a key rewrites kernel text and may sleep, so a process that
 * registers and exits in a loop should not flip it every time.
 */
DEFINE_STATIC_KEY_DEFERRED_FALSE(resmon_active, HZ);

/**
 * resmon_record_locked() - the record of @task's process, if monitored
 * @task: any thread of the process
 *
 * Context: resmon_lock held.
 * Return: the record, or NULL if the process is not monitored.
 */
struct resmon_record *resmon_record_locked(struct task_struct *task)
{
	return rcu_dereference_protected(task->signal->resmon,
					 lockdep_is_held(&resmon_lock));
}

static void resmon_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(resmon_record_cache,
			container_of(head, struct resmon_record, rcu));
}

/**
 * resmon_remove_locked() - unlink a record, and the member from its job
 * @rec: a linked record
 *
 * The member's data leaves the job's; the last member queues the EMPTY
 * event. The record is freed after a grace period, and so is the job when
 * this was its last reference.
 *
 * Context: resmon_lock held.
 */
void resmon_remove_locked(struct resmon_record *rec)
{
	struct resmon_job *job = rec->job;

	lockdep_assert_held(&resmon_lock);

	RCU_INIT_POINTER(rec->signal->resmon, NULL);
	list_del(&rec->node.list);

	spin_lock(&job->lock);
	list_del(&rec->job_link);
	atomic_long_sub(atomic_long_xchg(&rec->data_pages, 0), &job->data_pages);
	if (!--job->members_now) {
		struct resmon_job_event ev = { .type = RESMON_EVENT_EMPTY };

		resmon_job_queue_locked(job, &ev, NULL);
	}
	spin_unlock(&job->lock);

	resmon_job_put(job);
	call_rcu(&rec->rcu, resmon_free_rcu);
	/* Neither sleeps: the key is switched off later, by a work item. */
	static_branch_slow_dec_deferred(&resmon_active);
}

/**
 * resmon_write_limits() - store a job's limits, as one snapshot for readers
 * @job: the job
 * @hard: hard limits per resource
 * @soft: soft limits per resource
 * @soft_signal: the soft signal
 *
 * Context: @job->lock held.
 */
void resmon_write_limits(struct resmon_job *job, const u64 *hard,
			 const u64 *soft, u32 soft_signal)
{
	int res;

	lockdep_assert_held(&job->lock);

	write_seqcount_begin(&job->limits_seq);
	for (res = 0; res < RESMON_NR_RESOURCES; res++) {
		WRITE_ONCE(job->hard[res], hard[res]);
		WRITE_ONCE(job->soft[res], soft[res]);
	}
	WRITE_ONCE(job->soft_signal, soft_signal);
	write_seqcount_end(&job->limits_seq);
}

/*
 * The seed's quotas are the job's hard heap and opens limits: written with
 * quota_ns in one section, so that fetch never sees one without the other.
 */
static void resmon_write_quotas(struct resmon_job *job, u64 heap, u64 opens,
				struct user_namespace *ns)
{
	spin_lock(&job->lock);
	write_seqcount_begin(&job->limits_seq);
	WRITE_ONCE(job->quota_ns, ns);
	WRITE_ONCE(job->hard[RESMON_HEAP], heap);
	WRITE_ONCE(job->hard[RESMON_OPENS], opens);
	write_seqcount_end(&job->limits_seq);
	spin_unlock(&job->lock);
}

/**
 * resmon_set_quotas_locked() - define the quotas of a job (resource_cap)
 * @job: a job without quotas
 * @heap_quota: heap quota in MiB, or %RESMON_NO_LIMIT
 * @file_quota: open-file quota, or %RESMON_NO_LIMIT
 *
 * Remembers the caller's user namespace for resmon_may_lift().
 *
 * Context: resmon_lock held.
 */
void resmon_set_quotas_locked(struct resmon_job *job, long heap_quota,
			      long file_quota)
{
	struct user_namespace *ns = get_user_ns(current_user_ns());

	lockdep_assert_held(&resmon_lock);

	resmon_write_quotas(job, resmon_quota_to_limit(heap_quota, true),
			    resmon_quota_to_limit(file_quota, false), ns);
}

/**
 * resmon_clear_quotas_locked() - no hard heap and opens limits, counters kept
 * @job: a job
 *
 * Context: resmon_lock held.
 */
void resmon_clear_quotas_locked(struct resmon_job *job)
{
	struct user_namespace *ns = job->quota_ns;

	lockdep_assert_held(&resmon_lock);

	resmon_write_quotas(job, RESMON_UNLIMITED, RESMON_UNLIMITED, NULL);
	if (ns)
		put_user_ns(ns);
}

/**
 * resmon_job_has_limits() - has the job any limit, hard or soft?
 * @job: the job
 *
 * Return: true if a limit is set or resource_cap defined quotas.
 */
bool resmon_job_has_limits(struct resmon_job *job)
{
	int res;

	if (READ_ONCE(job->quota_ns))
		return true;
	for (res = 0; res < RESMON_NR_RESOURCES; res++)
		if (READ_ONCE(job->hard[res]) != RESMON_UNLIMITED ||
		    READ_ONCE(job->soft[res]) != RESMON_UNLIMITED)
			return true;
	return false;
}

/**
 * resmon_record_new() - a record for @task's process, not yet linked
 * @task: any thread of the process, or NULL (a fork's child: the caller
 *        sets @signal once the child has one)
 *
 * The static key's reference is taken for each record.
 *
 * Context: may sleep.
 * Return: the record, or NULL.
 */
struct resmon_record *resmon_record_new(struct task_struct *task)
{
	struct resmon_record *rec;

	rec = kmem_cache_zalloc(resmon_record_cache, GFP_KERNEL_ACCOUNT);
	if (!rec)
		return NULL;
	if (task)
		rec->signal = task->signal;
	/* Patch the hooks in before the record can be found by them. */
	static_branch_deferred_inc(&resmon_active);
	return rec;
}

/**
 * resmon_record_drop() - undo resmon_record_new() for a record never linked
 * @rec: the record
 */
void resmon_record_drop(struct resmon_record *rec)
{
	kmem_cache_free(resmon_record_cache, rec);
	static_branch_slow_dec_deferred(&resmon_active);
}

/**
 * resmon_join() - make @rec's process a member of @job
 * @rec: a record not yet linked
 * @job: the job; the record takes a reference of its own
 * @pages: the process's VmData, added to the job's data
 *
 * Counted in members now and ever; the data peak follows.
 */
void resmon_join(struct resmon_record *rec, struct resmon_job *job,
		 long pages)
{
	long now;

	refcount_inc(&job->ref);
	rec->job = job;
	atomic_long_set(&rec->data_pages, pages);
	spin_lock(&job->lock);
	list_add_tail(&rec->job_link, &job->members);
	job->members_now++;
	job->members_ever++;
	now = atomic_long_add_return(pages, &job->data_pages);
	spin_unlock(&job->lock);
	/* Lockless: the hooks raise the peak without the job's lock. */
	resmon_data_peak(job, now);
}

/**
 * resmon_add() - start monitoring the process of @task, as a member of @job
 * @task: any thread of a live process
 * @job: the job it joins (the caller keeps its own reference)
 *
 * The record goes to the end of the list. The process's VmData joins the
 * job's data: its mmap_lock is held meanwhile, so that no data hook runs
 * between the read and the link (the hooks run under it).
 *
 * Context: may sleep; takes the process's mmap_lock, then resmon_lock.
 * Return: 0; -ENFILE if the process is monitored already; -ENOMEM; or
 * -ESRCH if the process finished exiting meanwhile.
 */
int resmon_add(struct task_struct *task, struct resmon_job *job)
{
	struct signal_struct *sig = task->signal;
	struct resmon_record *rec;
	struct mm_struct *mm;
	int ret = 0;

	rec = resmon_record_new(task);
	if (!rec) {
		/* resmon.rst's order: -ENFILE before -ENOMEM; a racy look is enough. */
		return rcu_access_pointer(sig->resmon) ? resmon_code_busy() :
							 -ENOMEM;
	}

	mm = get_task_mm(task);
	if (mm)
		mmap_read_lock(mm);
	spin_lock(&resmon_lock);
	if (resmon_record_locked(task)) {
		spin_unlock(&resmon_lock);
		ret = resmon_code_busy();
		goto out;
	}
	resmon_join(rec, job, mm ? READ_ONCE(mm->data_vm) : 0);
	list_add_tail(&rec->node.list, &resmon_records);
	rcu_assign_pointer(sig->resmon, rec);
	rec = NULL;

	/*
	 * The process may be exiting: its last thread decrements
	 * signal->live, a full barrier, and then reads signal->resmon in
	 * resmon_exit() without our lock. This barrier orders our store of
	 * signal->resmon before our load of signal->live, so at least one
	 * side sees the other: either that thread finds the record and
	 * removes it, or we see live == 0 and remove it here. Removal is
	 * idempotent under resmon_lock, so both seeing is fine.
	 */
	smp_mb();
	if (!atomic_read(&sig->live)) {
		struct resmon_record *linked = resmon_record_locked(task);

		if (linked)
			resmon_remove_locked(linked);
		ret = -ESRCH;
	}
	spin_unlock(&resmon_lock);
out:
	if (mm) {
		mmap_read_unlock(mm);
		mmput(mm);
	}
	if (rec)
		resmon_record_drop(rec);
	return ret;
}

void __resmon_exit(struct task_struct *tsk)
{
	struct resmon_record *rec;

	spin_lock(&resmon_lock);
	rec = resmon_record_locked(tsk);
	if (rec)
		resmon_remove_locked(rec);
	spin_unlock(&resmon_lock);
}

static int __init resmon_registry_init(void)
{
	resmon_record_cache = KMEM_CACHE(resmon_record, SLAB_HWCACHE_ALIGN |
					 SLAB_ACCOUNT | SLAB_PANIC);
	return 0;
}
core_initcall(resmon_registry_init);
