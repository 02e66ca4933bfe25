/* SPDX-License-Identifier: GPL-2.0 */
/*
 * resmon - per-process heap and open-file accounting with quotas
 *
 * The hooks below sit in the common paths of open (do_sys_openat2,
 * do_handle_open, io_uring), brk and mmap (vm_mmap_pgoff, for the mmap
 * system calls only), the changes of VmData (vm_stat_account, brk),
 * mremap and mprotect, fork (a tree job's members' children join it), exit,
 * execve and an execve that gains privilege. The brk
 * and mmap hooks run before the call populates or locks memory, so that
 * a process over its quota is killed first. While no process is
 * monitored the open, brk and mmap hooks cost one patched-out branch.
 */
#ifndef _LINUX_RESMON_H
#define _LINUX_RESMON_H

#include <linux/jump_label_ratelimit.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>

struct resmon_record;

#ifdef CONFIG_RESMON

extern struct static_key_false_deferred resmon_active;

void __resmon_account_open(void);
void __resmon_account_heap(unsigned long bytes);
void __resmon_account_mmap(unsigned long flags, unsigned long len);
void __resmon_account_data(long npages);
void __resmon_check_data(void);
void __resmon_exec_mm(struct mm_struct *mm);
void __resmon_exit(struct task_struct *tsk);
void __resmon_secure_exec(struct task_struct *tsk);
int __resmon_fork_prepare(u64 clone_flags, struct resmon_record **recp);
void __resmon_fork_cancel(struct resmon_record *rec);
void __resmon_fork_commit(struct task_struct *p, struct resmon_record *rec,
			  u64 clone_flags);

/**
 * resmon_account_open() - count a successful file open by current
 */
static inline void resmon_account_open(void)
{
	if (static_branch_unlikely(&resmon_active.key))
		__resmon_account_open();
}

/**
 * resmon_account_brk() - count a brk() that moved the break
 * @oldbrk: page-aligned break before the call
 * @newbrk: page-aligned break after the call
 *
 * Only growth is counted; a shrink adds nothing. Called before the new
 * pages are populated under mlockall(MCL_FUTURE).
 */
static inline void resmon_account_brk(unsigned long oldbrk,
				      unsigned long newbrk)
{
	if (static_branch_unlikely(&resmon_active.key) && newbrk > oldbrk)
		__resmon_account_heap(newbrk - oldbrk);
}

/**
 * resmon_account_mmap() - count a successful mmap() system call
 * @flags: the caller's mmap flags
 * @len: the length mapped (already huge-page aligned for MAP_HUGETLB)
 *
 * Only private anonymous mappings are heap: __resmon_account_mmap()
 * applies the rule (kernel/resmon/rules.h, shared with the eBPF edition).
 * Called before MAP_POPULATE, MAP_LOCKED or mlockall(MCL_FUTURE) populate
 * the mapping; never for the kernel's own mappings (vm_mmap()).
 */
static inline void resmon_account_mmap(unsigned long flags, unsigned long len)
{
	if (static_branch_unlikely(&resmon_active.key))
		__resmon_account_mmap(flags, len);
}

/**
 * resmon_account_data() - count a change of a process's VmData
 * @mm: the mm whose data_vm changed
 * @npages: pages added to data_vm (negative: removed)
 *
 * Counted for a job when @mm is current's own: the change is the member's.
 * Called under the mmap_lock, wherever mm->data_vm changes.
 */
static inline void resmon_account_data(struct mm_struct *mm, long npages)
{
	if (static_branch_unlikely(&resmon_active.key) && mm == current->mm)
		__resmon_account_data(npages);
}

/**
 * resmon_check_data() - check current's job's data limits
 *
 * For mremap() and mprotect(), once their VmData changes are counted and
 * before they populate or lock the memory. brk() and mmap() check in
 * resmon_account_brk() and resmon_account_mmap().
 */
static inline void resmon_check_data(void)
{
	if (static_branch_unlikely(&resmon_active.key))
		__resmon_check_data();
}

/**
 * resmon_exec_mm() - an execve switched current to a new mm
 * @mm: the new mm
 *
 * A member's data becomes the new image's VmData. An unmonitored process
 * pays this one pointer read.
 */
static inline void resmon_exec_mm(struct mm_struct *mm)
{
	if (unlikely(rcu_access_pointer(current->signal->resmon)))
		__resmon_exec_mm(mm);
}

/**
 * resmon_exit() - forget the record of a process whose last thread exits
 * @tsk: the exiting task, after signal->live dropped to zero
 *
 * An unmonitored process pays this one pointer read.
 */
static inline void resmon_exit(struct task_struct *tsk)
{
	if (unlikely(rcu_access_pointer(tsk->signal->resmon)))
		__resmon_exit(tsk);
}

/**
 * resmon_secure_exec() - an execve gained privilege (bprm->secureexec)
 * @tsk: current, after commit_creds()
 *
 * Drops the record unless its quotas were set with CAP_SYS_RESOURCE over
 * the process. An unmonitored process pays this one pointer read.
 */
static inline void resmon_secure_exec(struct task_struct *tsk)
{
	if (unlikely(rcu_access_pointer(tsk->signal->resmon)))
		__resmon_secure_exec(tsk);
}

/**
 * resmon_fork_prepare() - ready the record of a child joining a tree job
 * @clone_flags: the fork's flags
 * @recp: set to the record, or to NULL when the child joins no job
 *
 * Called by copy_process() before the child exists, so that the one step
 * that may fail fails the fork. A new thread (%CLONE_THREAD) belongs to
 * its process's record already. An unmonitored process pays one pointer
 * read.
 *
 * Return: 0, or -ENOMEM (the fork fails).
 */
static inline int resmon_fork_prepare(u64 clone_flags,
				      struct resmon_record **recp)
{
	*recp = NULL;
	if (unlikely(rcu_access_pointer(current->signal->resmon)) &&
	    !(clone_flags & CLONE_THREAD))
		return __resmon_fork_prepare(clone_flags, recp);
	return 0;
}

/**
 * resmon_fork_cancel() - the fork failed after resmon_fork_prepare()
 * @rec: what it set, maybe NULL
 */
static inline void resmon_fork_cancel(struct resmon_record *rec)
{
	if (unlikely(rec))
		__resmon_fork_cancel(rec);
}

/**
 * resmon_fork_commit() - the child joins its parent's job, before it runs
 * @p: the child, visible (its pid attached), not yet woken
 * @rec: what resmon_fork_prepare() set, maybe NULL
 * @clone_flags: the fork's flags
 *
 * If the job was killed meanwhile the child is killed too.
 */
static inline void resmon_fork_commit(struct task_struct *p,
				      struct resmon_record *rec,
				      u64 clone_flags)
{
	if (unlikely(rec))
		__resmon_fork_commit(p, rec, clone_flags);
}

#else /* !CONFIG_RESMON */

static inline void resmon_account_open(void) { }
static inline void resmon_account_brk(unsigned long oldbrk,
				      unsigned long newbrk) { }
static inline void resmon_account_mmap(unsigned long flags,
				       unsigned long len) { }
static inline void resmon_account_data(struct mm_struct *mm, long npages) { }
static inline void resmon_check_data(void) { }
static inline void resmon_exec_mm(struct mm_struct *mm) { }
static inline void resmon_exit(struct task_struct *tsk) { }
static inline void resmon_secure_exec(struct task_struct *tsk) { }
static inline int resmon_fork_prepare(u64 clone_flags,
				      struct resmon_record **recp)
{
	*recp = NULL;
	return 0;
}

static inline void resmon_fork_cancel(struct resmon_record *rec) { }
static inline void resmon_fork_commit(struct task_struct *p,
				      struct resmon_record *rec,
				      u64 clone_flags) { }

#endif /* CONFIG_RESMON */

#endif /* _LINUX_RESMON_H */
