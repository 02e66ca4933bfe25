// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmon - the registry: records, their list and their lifetime
 *
 * A record hangs off signal_struct::resmon from register until deregister
 * or until the last thread of its process exits, whichever comes first.
 * Lockless readers (the hooks, fetch) find it through RCU; everything that
 * links, unlinks or changes the quotas of a record holds resmon_mutex, and
 * quota changes also bump the record's quota_seq for fetch.
 */

#include <linux/jump_label_ratelimit.h>
#include <linux/resmon.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <uapi/linux/resmon.h>

#include "common.h"

/*
 * Serialises linking, unlinking and quota changes of records, and
 * /proc/resmon, which walks the list. Never taken by the hooks or fetch.
 */
DEFINE_MUTEX(resmon_mutex);

/* All records, in registration order, for /proc/resmon. */
LIST_HEAD(resmon_records);

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
 * Context: resmon_mutex held.
 * Return: the record, or NULL if the process is not monitored.
 */
struct resmon_record *resmon_record_locked(struct task_struct *task)
{
	return rcu_dereference_protected(task->signal->resmon,
					 lockdep_is_held(&resmon_mutex));
}

/**
 * resmon_remove_locked() - unlink a record and free it after a grace period
 * @rec: a linked record
 *
 * Context: resmon_mutex held.
 */
void resmon_remove_locked(struct resmon_record *rec)
{
	lockdep_assert_held(&resmon_mutex);

	RCU_INIT_POINTER(rec->signal->resmon, NULL);
	list_del_rcu(&rec->node);
	/* A hook still holding the record must not kill for it any more. */
	resmon_clear_quotas_locked(rec);
	kfree_rcu(rec, rcu);
	static_branch_slow_dec_deferred(&resmon_active);
}

/*
 * A seqcount_t writer must not be preempted, or a reader on its CPU could
 * spin for a whole time slice; resmon_mutex already keeps writers apart.
 */
static void resmon_write_quotas(struct resmon_record *rec, long heap_quota,
				long file_quota, struct user_namespace *ns)
{
	preempt_disable();
	write_seqcount_begin(&rec->quota_seq);
	WRITE_ONCE(rec->heap_quota, heap_quota);
	WRITE_ONCE(rec->file_quota, file_quota);
	WRITE_ONCE(rec->quota_ns, ns);
	write_seqcount_end(&rec->quota_seq);
	preempt_enable();
}

/**
 * resmon_set_quotas_locked() - define the quotas of a record
 * @rec: a linked record without quotas
 * @heap_quota: heap quota in MiB, or %RESMON_NO_LIMIT
 * @file_quota: open-file quota, or %RESMON_NO_LIMIT
 *
 * Remembers the caller's user namespace for resmon_may_lift().
 *
 * Context: resmon_mutex held.
 */
void resmon_set_quotas_locked(struct resmon_record *rec, long heap_quota,
			      long file_quota)
{
	struct user_namespace *ns = get_user_ns(current_user_ns());

	lockdep_assert_held(&resmon_mutex);

	resmon_write_quotas(rec, heap_quota, file_quota, ns);
}

/**
 * resmon_clear_quotas_locked() - back to no quotas, counters kept
 * @rec: a record
 *
 * Context: resmon_mutex held.
 */
void resmon_clear_quotas_locked(struct resmon_record *rec)
{
	struct user_namespace *ns = rec->quota_ns;

	lockdep_assert_held(&resmon_mutex);

	resmon_write_quotas(rec, RESMON_NO_LIMIT, RESMON_NO_LIMIT, NULL);
	if (ns)
		put_user_ns(ns);
}

/**
 * resmon_add() - start monitoring the process of @task
 * @task: any thread of a live, unmonitored process
 *
 * The record goes to the end of the list: counters 0, no quotas.
 *
 * Context: resmon_mutex held.
 * Return: 0, -ENOMEM, or -ESRCH if the process finished exiting meanwhile.
 */
int resmon_add(struct task_struct *task)
{
	struct signal_struct *sig = task->signal;
	struct resmon_record *rec;

	lockdep_assert_held(&resmon_mutex);

	rec = kzalloc(sizeof(*rec), GFP_KERNEL_ACCOUNT);
	if (!rec)
		return -ENOMEM;
	seqcount_init(&rec->quota_seq);
	rec->heap_quota = RESMON_NO_LIMIT;
	rec->file_quota = RESMON_NO_LIMIT;
	rec->signal = sig;

	/* Patch the hooks in before the record can be found by them. */
	static_branch_deferred_inc(&resmon_active);
	list_add_tail_rcu(&rec->node, &resmon_records);
	rcu_assign_pointer(sig->resmon, rec);

	/*
	 * The process may be exiting: its last thread decrements
	 * signal->live, a full barrier, and then reads signal->resmon in
	 * resmon_exit() without our lock. This barrier orders our store of
	 * signal->resmon before our load of signal->live, so at least one
	 * side sees the other: either that thread finds the record and
	 * removes it, or we see live == 0 and remove it here. Removal is
	 * idempotent under resmon_mutex, so both seeing is fine.
	 */
	smp_mb();
	if (!atomic_read(&sig->live)) {
		resmon_remove_locked(rec);
		return -ESRCH;
	}
	return 0;
}

void __resmon_exit(struct task_struct *tsk)
{
	struct resmon_record *rec;

	mutex_lock(&resmon_mutex);
	rec = resmon_record_locked(tsk);
	if (rec)
		resmon_remove_locked(rec);
	mutex_unlock(&resmon_mutex);
}
