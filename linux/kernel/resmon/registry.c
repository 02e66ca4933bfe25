// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmon - the registry: records, their list and their lifetime
 *
 * A record hangs off signal_struct::resmon from register until deregister
 * or until the last thread of its process exits, whichever comes first.
 * Lockless readers (the hooks, fetch) find it through RCU; everything that
 * links, unlinks or changes the quotas of a record holds resmon_lock, and
 * quota changes also bump the record's quota_seq for fetch.
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
#include <linux/slab.h>
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
 * resmon_remove_locked() - unlink a record and free it after a grace period
 * @rec: a linked record
 *
 * Context: resmon_lock held.
 */
void resmon_remove_locked(struct resmon_record *rec)
{
	lockdep_assert_held(&resmon_lock);

	RCU_INIT_POINTER(rec->signal->resmon, NULL);
	list_del(&rec->node.list);
	/* A hook still holding the record must not kill for it any more. */
	resmon_clear_quotas_locked(rec);
	call_rcu(&rec->rcu, resmon_free_rcu);
	/* Neither sleeps: the key is switched off later, by a work item. */
	static_branch_slow_dec_deferred(&resmon_active);
}

/* resmon_lock keeps writers apart, and off the CPU of no reader. */
static void resmon_write_quotas(struct resmon_record *rec, long heap_quota,
				long file_quota, struct user_namespace *ns)
{
	write_seqcount_begin(&rec->quota_seq);
	WRITE_ONCE(rec->heap_quota, heap_quota);
	WRITE_ONCE(rec->file_quota, file_quota);
	WRITE_ONCE(rec->quota_ns, ns);
	write_seqcount_end(&rec->quota_seq);
}

/**
 * resmon_set_quotas_locked() - define the quotas of a record
 * @rec: a linked record without quotas
 * @heap_quota: heap quota in MiB, or %RESMON_NO_LIMIT
 * @file_quota: open-file quota, or %RESMON_NO_LIMIT
 *
 * Remembers the caller's user namespace for resmon_may_lift().
 *
 * Context: resmon_lock held.
 */
void resmon_set_quotas_locked(struct resmon_record *rec, long heap_quota,
			      long file_quota)
{
	struct user_namespace *ns = get_user_ns(current_user_ns());

	lockdep_assert_held(&resmon_lock);

	resmon_write_quotas(rec, heap_quota, file_quota, ns);
}

/**
 * resmon_clear_quotas_locked() - back to no quotas, counters kept
 * @rec: a record
 *
 * Context: resmon_lock held.
 */
void resmon_clear_quotas_locked(struct resmon_record *rec)
{
	struct user_namespace *ns = rec->quota_ns;

	lockdep_assert_held(&resmon_lock);

	resmon_write_quotas(rec, RESMON_NO_LIMIT, RESMON_NO_LIMIT, NULL);
	if (ns)
		put_user_ns(ns);
}

/*
 * A fresh record, counters 0 and no quotas, with a reference on the
 * static key taken for it: both may sleep, so register does them before
 * it takes resmon_lock.
 */
static struct resmon_record *resmon_record_new(struct task_struct *task)
{
	struct resmon_record *rec;

	rec = kmem_cache_zalloc(resmon_record_cache, GFP_KERNEL_ACCOUNT);
	if (!rec)
		return NULL;
	seqcount_spinlock_init(&rec->quota_seq, &resmon_lock);
	rec->heap_quota = RESMON_NO_LIMIT;
	rec->file_quota = RESMON_NO_LIMIT;
	rec->signal = task->signal;
	/* Patch the hooks in before the record can be found by them. */
	static_branch_deferred_inc(&resmon_active);
	return rec;
}

/* Undo resmon_record_new() for a record that was never linked. */
static void resmon_record_drop(struct resmon_record *rec)
{
	kmem_cache_free(resmon_record_cache, rec);
	static_branch_slow_dec_deferred(&resmon_active);
}

/**
 * resmon_add() - start monitoring the process of @task
 * @task: any thread of a live process
 *
 * The record goes to the end of the list: counters 0, no quotas.
 *
 * Context: may sleep; takes resmon_lock.
 * Return: 0; -ENFILE if the process is monitored already; -ENOMEM; or
 * -ESRCH if the process finished exiting meanwhile.
 */
int resmon_add(struct task_struct *task)
{
	struct signal_struct *sig = task->signal;
	struct resmon_record *rec;
	int ret = 0;

	rec = resmon_record_new(task);
	if (!rec) {
		/* resmon.rst's order: -ENFILE before -ENOMEM; a racy look is enough. */
		return rcu_access_pointer(sig->resmon) ? resmon_code_busy() :
							 -ENOMEM;
	}

	spin_lock(&resmon_lock);
	if (resmon_record_locked(task)) {
		spin_unlock(&resmon_lock);
		resmon_record_drop(rec);
		return resmon_code_busy();
	}
	list_add_tail(&rec->node.list, &resmon_records);
	rcu_assign_pointer(sig->resmon, rec);

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
		resmon_remove_locked(rec);
		ret = -ESRCH;
	}
	spin_unlock(&resmon_lock);
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
