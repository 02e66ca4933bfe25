/* SPDX-License-Identifier: GPL-2.0 */
/*
 * resmon - the job, the record of a monitored process, and the internal API shared
 * by the files of this directory:
 *
 *   registry.c     the records, their list and their lifetime
 *   hooks.c        the open/brk/mmap accounting and the limiter
 *   permissions.c  who may read, manage and lift
 *   syscalls.c     the six system calls and their return codes
 *   job_syscall.c  resmon_job(), the system call that makes jobs
 *   job.c          a job's handle: usage, limits, events
 *   tree.c         tree jobs: a member's child joins at fork
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
#include <linux/wait.h>
#include <linux/refcount.h>
#include <uapi/linux/resmon.h>

/**
 * struct resmon_node - a place in the registry's list
 * @list: Links in resmon_records, under resmon_lock.
 * @cursor: This is a /proc/resmon reader's bookmark, not a record.
 */
struct resmon_node {
	struct list_head list;
	bool cursor;
};

/* The event queue's bound: enough for a burst of soft crossings. */
#define RESMON_JOB_EVENTS	64

/**
 * struct resmon_job_queued - an event as it waits in a job's queue
 * @ev: The event, @ev.pid still unset.
 * @pid: The process whose call crossed, with a reference held, or NULL:
 *       translated into the reader's pid namespace when it is read.
 */
struct resmon_job_queued {
	struct resmon_job_event ev;
	struct pid *pid;
};

/**
 * struct resmon_job - the accounting record that members share
 * @heap_bytes: Heap total of every member since the job began, in bytes,
 *              saturating at S64_MAX.
 * @files: Opens total likewise.
 * @data_pages: Data now: the members' VmData summed, in pages.
 * @data_peak: The highest @data_pages reached.
 * @hard: Hard limit per &enum resmon_resource, %RESMON_UNLIMITED for none;
 *        heap and data in bytes. Written under @lock and @limits_seq, read
 *        locklessly by the hooks.
 * @soft: Soft limits likewise.
 * @soft_signal: Sent to every member at a soft crossing (0: none).
 * @soft_fired: Bit per resource: its soft limit was crossed and not armed
 *              again since.
 * @killed: Set once SIGKILL was queued to the whole job, by whoever queued
 *          it, so that racing crossings queue one KILL event; a send that
 *          failed leaves it clear, to be retried at the next crossing.
 *          Set under @lock after the members were signalled, so that a
 *          fork linking a child after that walk sees it (tree.c).
 * @flags: %RESMON_JOB_TREE and %RESMON_JOB_KILL_OFFENDER.
 * @limits_seq: Lets fetch, usage and the hooks read the limits and whether
 *              @quota_ns is set as one snapshot.
 * @quota_ns: The user namespace resource_cap was called from, with a
 *            reference held, from resource_cap until resource_reset; NULL
 *            otherwise (the seed's "quotas defined").
 * @quota_privileged: The caller of resource_cap, or the creator of the
 *                    job, had CAP_SYS_RESOURCE over the root: only then do
 *                    the limits survive an execve that gains privilege.
 * @user_ns: The members' user namespace at creation, with a reference:
 *           raising or removing a limit needs CAP_SYS_RESOURCE there, so
 *           that a member entering a user namespace of its own gains no
 *           right over its job.
 * @lock: Serialises limit changes, the member list, the event queue and
 *        the kills.
 * @members: The members' records (&struct resmon_record.job_link).
 * @members_now: Live members. Under @lock.
 * @members_ever: Processes that have been members. Under @lock.
 * @queue: The event ring, or NULL for a job made by register until a
 *         handle is opened on it (nobody could read its events).
 * @head: Index of the oldest event in @queue. Under @lock.
 * @count: Events in @queue. Under @lock.
 * @dropped: Soft events dropped because @queue was full. Under @lock.
 * @empty_read: The EMPTY event was read: read() returns 0 from now on.
 * @wait: Readers and pollers waiting for an event.
 * @ref: One per member and one per open handle.
 * @rcu: For freeing after the lockless readers are done.
 *
 * A job lives while it has a member or an open handle. The hooks reach it
 * from the member's record under RCU, so that it is freed after a grace
 * period. The counters are written by every thread of every member: the
 * job is on cache lines of its own.
 */
struct resmon_job {
	atomic64_t heap_bytes;
	atomic_long_t files;
	atomic_long_t data_pages;
	atomic_long_t data_peak;
	u64 hard[RESMON_NR_RESOURCES];
	u64 soft[RESMON_NR_RESOURCES];
	u32 soft_signal;
	unsigned long soft_fired;
	atomic_t killed;
	unsigned int flags;
	seqcount_spinlock_t limits_seq;
	struct user_namespace *quota_ns;
	bool quota_privileged;
	struct user_namespace *user_ns;
	spinlock_t lock; /* limits, members, events: see above */
	struct list_head members;
	unsigned int members_now;
	u64 members_ever;
	struct resmon_job_queued *queue;
	unsigned int head;
	unsigned int count;
	u64 dropped;
	bool empty_read;
	wait_queue_head_t wait;
	refcount_t ref;
	struct rcu_head rcu;
} ____cacheline_aligned_in_smp;

/**
 * struct resmon_record - one monitored process, a member of its job
 * @job: The job, with a reference held while the record is linked.
 * @data_pages: This member's part of the job's data: its VmData as the
 *              hooks saw it, in pages.
 * @signal: The process; valid while the record is linked, since the
 *          record is unlinked before the last thread finishes exiting.
 * @node: Entry in the registry's list, in registration order.
 * @job_link: Entry in the job's member list, under the job's lock.
 * @rcu: For freeing after the lockless readers are done.
 *
 * One record per thread group, reached from signal_struct::resmon, so
 * that every thread (also those created later) and every exec of the
 * process share it, and a fork does not (a tree job links a new record
 * at fork: O(1), the job's lock held for a list_add). @data_pages is
 * written by every thread of the process: records, like jobs, take whole
 * cache lines.
 */
struct resmon_record {
	struct resmon_job *job;
	atomic_long_t data_pages;
	struct signal_struct *signal;
	struct resmon_node node;
	struct list_head job_link;
	struct rcu_head rcu;
} ____cacheline_aligned_in_smp;

/* registry.c */
extern spinlock_t resmon_lock;
extern struct list_head resmon_records;

struct resmon_record *resmon_record_locked(struct task_struct *task);
struct resmon_record *resmon_record_new(struct task_struct *task);
void resmon_record_drop(struct resmon_record *rec);
void resmon_join(struct resmon_record *rec, struct resmon_job *job,
		 long pages);
int resmon_add(struct task_struct *task, struct resmon_job *job);
void resmon_remove_locked(struct resmon_record *rec);
void resmon_set_quotas_locked(struct resmon_job *job, long heap_quota,
			      long file_quota);
void resmon_clear_quotas_locked(struct resmon_job *job);
void resmon_write_limits(struct resmon_job *job, const u64 *hard,
			 const u64 *soft, u32 soft_signal);
bool resmon_job_has_limits(struct resmon_job *job);

/* job.c */
struct resmon_job *resmon_job_new(unsigned int flags, bool with_queue);
void resmon_job_put(struct resmon_job *job);
int resmon_job_add_queue(struct resmon_job *job);
void resmon_job_queue_locked(struct resmon_job *job,
			     const struct resmon_job_event *ev,
			     struct pid *pid);
struct file *resmon_job_file(struct resmon_job *job);
bool resmon_job_limits_valid(const struct resmon_job_limits *l);
int resmon_job_set_limits(struct resmon_job *job,
			  const struct resmon_job_limits *l, bool may_raise);

/* hooks.c */
void resmon_enforce(struct resmon_job *job, struct task_struct *task);
void resmon_data_peak(struct resmon_job *job, long pages);
void resmon_check_fork(struct resmon_job *job);

/* permissions.c */
bool resmon_may_read(struct task_struct *task);
bool resmon_may_manage(struct task_struct *task);
bool resmon_may_lift(struct task_struct *task, struct resmon_job *job);
bool resmon_may_raise(struct resmon_job *job);
bool resmon_privileged_over(struct task_struct *task);
bool resmon_may_list(struct task_struct *task, const struct cred *cred);

#endif /* _KERNEL_RESMON_COMMON_H */
