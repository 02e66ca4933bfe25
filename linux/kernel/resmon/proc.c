// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmon - /proc/resmon, the list of monitored processes
 *
 * One line per monitored process that the reader may fetch and that has
 * a pid in the reader's pid namespace, in registration order:
 *
 *   <pid> <heap bytes> <files opened> <heap quota MiB> <file quota> <quotas defined>
 *
 * Heap is given in bytes, not MiB, so that tools can show growth below
 * a MiB. Reading takes resmon_mutex, like the management calls; the hot
 * paths never do.
 */

#include <linux/init.h>
#include <linux/pid.h>
#include <linux/proc_fs.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>

#include "common.h"

static void *resmon_proc_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&resmon_mutex);
	return seq_list_start(&resmon_records, *pos);
}

static void *resmon_proc_next(struct seq_file *m, void *v, loff_t *pos)
{
	return seq_list_next(v, &resmon_records, pos);
}

static void resmon_proc_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&resmon_mutex);
}

static int resmon_proc_show(struct seq_file *m, void *v)
{
	struct resmon_record *rec = list_entry(v, struct resmon_record, node);
	struct pid *tgid = rec->signal->pids[PIDTYPE_TGID];
	struct task_struct *task;
	pid_t nr = pid_vnr(tgid);
	bool visible;

	if (!nr)
		return 0;

	rcu_read_lock();
	task = pid_task(tgid, PIDTYPE_TGID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task)
		return 0;
	visible = resmon_may_read(task);
	put_task_struct(task);
	if (!visible)
		return 0;

	seq_printf(m, "%d %llu %lu %ld %ld %d\n", nr,
		   (u64)atomic64_read(&rec->heap_bytes),
		   (unsigned long)atomic_long_read(&rec->files), rec->heap_quota,
		   rec->file_quota, !!rec->quota_ns);
	return 0;
}

static const struct seq_operations resmon_proc_ops = {
	.start = resmon_proc_start,
	.next = resmon_proc_next,
	.stop = resmon_proc_stop,
	.show = resmon_proc_show,
};

static int __init resmon_proc_init(void)
{
	proc_create_seq("resmon", 0444, NULL, &resmon_proc_ops);
	return 0;
}
fs_initcall(resmon_proc_init);
