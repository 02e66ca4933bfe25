// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmon - /proc/resmon, the list of monitored processes
 *
 * One line per monitored process (each member of a job, with the job's
 * values) that the opener may fetch and that has
 * a pid in the pid namespace of the procfs mount, in registration order:
 *
 *   <pid> <heap bytes> <files opened> <heap quota MiB> <file quota> <quotas defined>
 *
 * Heap is given in bytes, not MiB, so that tools can show growth below
 * a MiB.
 *
 * The file is judged by who opened it, as a file should be: a descriptor
 * passed to a more privileged process lists no more than its opener could
 * see, with the pids of the opener's procfs.
 *
 * resmon_lock is the exit path's lock, so a reader holds it only to step
 * over one record: it keeps a cursor in the list, right after the record
 * it copied last, and each step copies the next record's line and moves
 * the cursor past it. Reading the whole list is O(n) however small the
 * read() calls, and the permission check and the formatting run unlocked.
 */

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>

#include "common.h"
#include "rules.h"

/* One record, as it was when the reader stepped over it. */
struct resmon_line {
	struct pid *tgid;
	u64 heap_bytes;
	unsigned long files;
	long heap_quota;
	long file_quota;
	bool quotas_defined;
};

/**
 * struct resmon_reader - the state of one open /proc/resmon
 * @cursor: In resmon_records, right after the record of @line.
 * @line: The last record stepped over, with a reference on its pid, or
 *        a NULL @line.tgid if there is none.
 * @line_pos: The seq_file position of @line; the record after @cursor
 *            has position @line_pos + 1.
 */
struct resmon_reader {
	struct resmon_node cursor;
	struct resmon_line line;
	loff_t line_pos;
};

/* Copy @rec into @line. Context: resmon_lock held. */
static void resmon_line_fill(struct resmon_line *line,
			     struct resmon_record *rec)
{
	struct resmon_job *job = rec->job;

	line->tgid = get_pid(rec->signal->pids[PIDTYPE_TGID]);
	line->heap_bytes = atomic64_read(&job->heap_bytes);
	line->files = atomic_long_read(&job->files);
	line->heap_quota = resmon_limit_to_quota(READ_ONCE(job->hard[RESMON_HEAP]), true);
	line->file_quota = resmon_limit_to_quota(READ_ONCE(job->hard[RESMON_OPENS]), false);
	line->quotas_defined = READ_ONCE(job->quota_ns) ||
			       line->heap_quota != RESMON_NO_LIMIT ||
			       line->file_quota != RESMON_NO_LIMIT;
}

/*
 * Step over the record after the cursor, if there is one: copy its line
 * and move the cursor past it. Other readers' cursors are skipped.
 */
static struct resmon_line *resmon_step(struct resmon_reader *r)
{
	struct pid *old = r->line.tgid;
	struct resmon_node *n = &r->cursor;
	struct resmon_line *ret = NULL;

	r->line.tgid = NULL;
	spin_lock(&resmon_lock);
	list_for_each_entry_continue(n, &resmon_records, list) {
		if (n->cursor)
			continue;
		resmon_line_fill(&r->line,
				 container_of(n, struct resmon_record, node));
		list_move(&r->cursor.list, &n->list);
		r->line_pos++;
		ret = &r->line;
		break;
	}
	spin_unlock(&resmon_lock);
	put_pid(old);
	return ret;
}

static void *resmon_proc_start(struct seq_file *m, loff_t *pos)
{
	struct resmon_reader *r = m->private;

	/* The line a full buffer left for this read(). */
	if (r->line.tgid && *pos == r->line_pos)
		return &r->line;
	/* Anything but the next line: a rewind (or a seek) from the head. */
	if (*pos != r->line_pos + 1) {
		spin_lock(&resmon_lock);
		list_move(&r->cursor.list, &resmon_records);
		spin_unlock(&resmon_lock);
		r->line_pos = -1;
		while (r->line_pos + 1 < *pos)
			if (!resmon_step(r))
				return NULL;
	}
	return resmon_step(r);
}

static void *resmon_proc_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct resmon_reader *r = m->private;

	++*pos;
	return resmon_step(r);
}

static void resmon_proc_stop(struct seq_file *m, void *v)
{
}

static int resmon_proc_show(struct seq_file *m, void *v)
{
	struct pid_namespace *ns = proc_pid_ns(file_inode(m->file)->i_sb);
	struct resmon_line *line = v;
	struct task_struct *task;
	pid_t nr = pid_nr_ns(line->tgid, ns);
	bool visible;

	if (!nr)
		return 0;
	task = get_pid_task(line->tgid, PIDTYPE_TGID);
	if (!task)
		return 0;
	visible = resmon_may_list(task, m->file->f_cred);
	put_task_struct(task);
	if (!visible)
		return 0;

	seq_printf(m, "%d %llu %lu %ld %ld %d\n", nr, line->heap_bytes,
		   line->files, line->heap_quota, line->file_quota,
		   line->quotas_defined);
	return 0;
}

static const struct seq_operations resmon_proc_seq_ops = {
	.start = resmon_proc_start,
	.next = resmon_proc_next,
	.stop = resmon_proc_stop,
	.show = resmon_proc_show,
};

static int resmon_proc_open(struct inode *inode, struct file *file)
{
	struct resmon_reader *r;

	r = __seq_open_private(file, &resmon_proc_seq_ops, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->cursor.cursor = true;
	r->line_pos = -1;
	spin_lock(&resmon_lock);
	list_add(&r->cursor.list, &resmon_records);
	spin_unlock(&resmon_lock);
	return 0;
}

static int resmon_proc_release(struct inode *inode, struct file *file)
{
	struct resmon_reader *r = ((struct seq_file *)file->private_data)->private;

	spin_lock(&resmon_lock);
	list_del(&r->cursor.list);
	spin_unlock(&resmon_lock);
	put_pid(r->line.tgid);
	return seq_release_private(inode, file);
}

static const struct proc_ops resmon_proc_ops = {
	.proc_open = resmon_proc_open,
	.proc_read_iter = seq_read_iter,
	.proc_lseek = seq_lseek,
	.proc_release = resmon_proc_release,
};

static int __init resmon_proc_init(void)
{
	proc_create("resmon", 0444, NULL, &resmon_proc_ops);
	return 0;
}
fs_initcall(resmon_proc_init);
