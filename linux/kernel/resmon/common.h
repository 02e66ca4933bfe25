/* SPDX-License-Identifier: GPL-2.0 */
/*
 * resmon - the record of a monitored process and the internal API shared
 * by the files of this directory:
 *
 *   registry.c     the records, their list and their lifetime
 *   hooks.c        the open/brk/mmap accounting and the limiter
 *   permissions.c  who may read, manage and lift
 *   syscalls.c     the six system calls and their return codes
 *   proc.c         /proc/resmon, the enumeration of monitored processes
 */
#ifndef _KERNEL_RESMON_COMMON_H
#define _KERNEL_RESMON_COMMON_H

#include <linux/atomic.h>
#include <linux/cache.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/**
 * struct resmon_node - a place in the registry's list
 * @list: Links in resmon_records, under resmon_lock.
 * @cursor: This is a /proc/resmon reader's bookmark, not a record.
 */
struct resmon_node {
	struct list_head list;
	bool cursor;
};

/**
 * struct resmon_record - accounting of one monitored process
 * @heap_bytes: Heap grown since registration, saturating at S64_MAX.
 * @files: Files opened since registration.
 * @quota_seq: Lets fetch read @heap_quota, @file_quota and whether
 *             @quota_ns is set as one snapshot without resmon_lock.
 *             Written under resmon_lock.
 * @heap_quota: Heap quota in MiB or %RESMON_NO_LIMIT. Written under
 *              resmon_lock and @quota_seq, read locklessly by the hooks.
 * @file_quota: Open-file quota or %RESMON_NO_LIMIT, likewise.
 * @quota_ns: The user namespace resource_cap was called from, with a
 *            reference held, while quotas are defined (resource_cap until
 *            resource_reset); NULL otherwise. Written like the quotas.
 *            Lifting needs CAP_SYS_RESOURCE there too, so that a capped
 *            process cannot free itself by entering a user namespace of
 *            its own.
 * @killed: Set once the SIGKILL is queued, by whoever queued it, so that
 *          threads crossing a quota together log the kill once; a send
 *          that failed leaves it clear, to be retried at the next
 *          crossing.
 * @quota_privileged: The caller of resource_cap had CAP_SYS_RESOURCE in
 *                    the target's user namespace. Only such quotas survive
 *                    an execve that gains privilege. Under resmon_lock.
 * @signal: The process; valid while the record is linked, since the
 *          record is unlinked before the last thread finishes exiting.
 * @node: Entry in the registry's list, in registration order.
 * @rcu: For freeing after the lockless readers are done.
 *
 * One record per thread group, reached from signal_struct::resmon, so
 * that every thread (also those created later) and every exec of the
 * process share it, and a fork does not. Records come from a cache of
 * their own, aligned to cache lines: the counters are written by every
 * thread of one process, and must not share a line with another
 * process's.
 */
struct resmon_record {
	atomic64_t heap_bytes;
	atomic_long_t files;
	seqcount_spinlock_t quota_seq;
	long heap_quota;
	long file_quota;
	struct user_namespace *quota_ns;
	atomic_t killed;
	bool quota_privileged;
	struct signal_struct *signal;
	struct resmon_node node;
	struct rcu_head rcu;
} ____cacheline_aligned_in_smp;

/* registry.c */
extern spinlock_t resmon_lock;
extern struct list_head resmon_records;

struct resmon_record *resmon_record_locked(struct task_struct *task);
int resmon_add(struct task_struct *task);
void resmon_remove_locked(struct resmon_record *rec);
void resmon_set_quotas_locked(struct resmon_record *rec, long heap_quota,
			      long file_quota);
void resmon_clear_quotas_locked(struct resmon_record *rec);

/* hooks.c */
void resmon_enforce(struct resmon_record *rec, struct task_struct *task);

/* permissions.c */
bool resmon_may_read(struct task_struct *task);
bool resmon_may_manage(struct task_struct *task);
bool resmon_may_lift(struct task_struct *task, struct resmon_record *rec);
bool resmon_privileged_over(struct task_struct *task);
bool resmon_may_list(struct task_struct *task, const struct cred *cred);

#endif /* _KERNEL_RESMON_COMMON_H */
