// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmon - a job's life and its handle
 *
 * A job is freed when its last reference goes: one per member (its
 * record's link) and one per open handle. So a handle held by the parent
 * reads the final usage and the kill reason after every member has been
 * reaped, and closing every handle lifts nothing while members remain.
 *
 * The handle is an anonymous-inode file: RESMON_IOC_USAGE reads the usage
 * and limits, RESMON_IOC_SET_LIMITS changes the limits (the lift rule),
 * read() returns the events and poll() reports them.
 */

#include <linux/anon_inodes.h>
#include <linux/bitops.h>
#include <linux/capability.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include <uapi/linux/resmon.h>

#include "common.h"
#include "rules.h"

/* The structs are the same on i386, so compat_ptr_ioctl() serves it. */
static_assert(sizeof(struct resmon_job_limits) == RESMON_JOB_LIMITS_SIZE_VER0);
static_assert(sizeof(struct resmon_job_usage) == 64 + RESMON_JOB_LIMITS_SIZE_VER0);
static_assert(sizeof(struct resmon_job_event) == 48);

/* Jobs, each on cache lines of its own (struct resmon_job). */
static struct kmem_cache *resmon_job_cache __ro_after_init;
static_assert(!IS_ENABLED(CONFIG_SMP) ||
	      sizeof(struct resmon_job) % SMP_CACHE_BYTES == 0);

/**
 * resmon_job_new() - a job without members: no limits, soft signal SIGTERM
 * @flags: its %RESMON_JOB_TREE and %RESMON_JOB_KILL_OFFENDER flags
 * @with_queue: give it an event queue (a job made by register has none
 *              until a handle is opened on it)
 *
 * Context: may sleep.
 * Return: the job with one reference, the caller's; or NULL.
 */
struct resmon_job *resmon_job_new(unsigned int flags, bool with_queue)
{
	struct resmon_job *job;
	int res;

	job = kmem_cache_zalloc(resmon_job_cache, GFP_KERNEL_ACCOUNT);
	if (!job)
		return NULL;
	for (res = 0; res < RESMON_NR_RESOURCES; res++) {
		job->hard[res] = RESMON_UNLIMITED;
		job->soft[res] = RESMON_UNLIMITED;
	}
	job->soft_signal = SIGTERM;
	job->flags = flags;
	spin_lock_init(&job->lock);
	seqcount_spinlock_init(&job->limits_seq, &job->lock);
	INIT_LIST_HEAD(&job->members);
	init_waitqueue_head(&job->wait);
	refcount_set(&job->ref, 1);
	if (with_queue && resmon_job_add_queue(job)) {
		kmem_cache_free(resmon_job_cache, job);
		return NULL;
	}
	return job;
}

/*
 * After the grace period no hook can reach the job any more: nobody
 * queues an event into it, so the queue's pid references go with it.
 */
static void resmon_job_free_rcu(struct rcu_head *head)
{
	struct resmon_job *job = container_of(head, struct resmon_job, rcu);
	unsigned int i;

	if (job->queue) {
		for (i = 0; i < job->count; i++)
			put_pid(job->queue[(job->head + i) % RESMON_JOB_EVENTS].pid);
		kfree(job->queue);
	}
	if (job->quota_ns)
		put_user_ns(job->quota_ns);
	if (job->user_ns)
		put_user_ns(job->user_ns);
	kmem_cache_free(resmon_job_cache, job);
}

/**
 * resmon_job_put() - drop a reference on a job
 * @job: the job
 *
 * Context: any; the job is freed after a grace period.
 */
void resmon_job_put(struct resmon_job *job)
{
	if (refcount_dec_and_test(&job->ref))
		call_rcu(&job->rcu, resmon_job_free_rcu);
}

/**
 * resmon_job_add_queue() - give a job its event queue, if it has none
 * @job: the job
 *
 * A job made by register gets one when a handle is first opened on it. If
 * its last member left meanwhile, its EMPTY event found no queue: it is
 * queued now, so that a reader does not wait for it forever.
 *
 * Context: may sleep.
 * Return: 0 or -ENOMEM.
 */
int resmon_job_add_queue(struct resmon_job *job)
{
	struct resmon_job_event empty = { .type = RESMON_EVENT_EMPTY };
	struct resmon_job_queued *queue;

	if (READ_ONCE(job->queue))
		return 0;
	queue = kcalloc(RESMON_JOB_EVENTS, sizeof(*queue), GFP_KERNEL_ACCOUNT);
	if (!queue)
		return -ENOMEM;
	spin_lock(&job->lock);
	if (!job->queue) {
		job->queue = queue;
		queue = NULL;
		if (job->members_ever && !job->members_now)
			resmon_job_queue_locked(job, &empty, NULL);
	}
	spin_unlock(&job->lock);
	kfree(queue);
	return 0;
}

/* Drop the oldest SOFT event to make room. Return: false if none is. */
static bool resmon_job_drop_soft_locked(struct resmon_job *job)
{
	unsigned int i, at, next;

	for (i = 0; i < job->count; i++) {
		at = (job->head + i) % RESMON_JOB_EVENTS;
		if (job->queue[at].ev.type != RESMON_EVENT_SOFT)
			continue;
		put_pid(job->queue[at].pid);
		/* Close the gap: the events after it move up one place. */
		for (; i + 1 < job->count; i++) {
			at = (job->head + i) % RESMON_JOB_EVENTS;
			next = (at + 1) % RESMON_JOB_EVENTS;
			job->queue[at] = job->queue[next];
		}
		job->count--;
		job->dropped++;
		return true;
	}
	return false;
}

/**
 * resmon_job_queue_locked() - queue an event and wake the readers
 * @job: the job
 * @ev: the event; its pid is set from @pid when it is read
 * @pid: the process it names, or NULL
 *
 * When the queue is full the oldest SOFT event makes room, counted in
 * the usage's events_dropped; KILL and EMPTY are never dropped. A job
 * without a queue (made by register, no handle ever opened) has nobody
 * to tell.
 *
 * Context: @job->lock held.
 */
void resmon_job_queue_locked(struct resmon_job *job,
			     const struct resmon_job_event *ev,
			     struct pid *pid)
{
	struct resmon_job_queued *slot;

	lockdep_assert_held(&job->lock);

	if (!job->queue)
		return;
	if (job->count == RESMON_JOB_EVENTS &&
	    !resmon_job_drop_soft_locked(job)) {
		/*
		 * Only KILL and EMPTY events: a job of one process queues
		 * at most one of each. A tree job with many offender kills
		 * loses the newest one, counted.
		 */
		job->dropped++;
		return;
	}
	slot = &job->queue[(job->head + job->count) % RESMON_JOB_EVENTS];
	slot->ev = *ev;
	slot->pid = get_pid(pid);
	job->count++;
	wake_up_interruptible_poll(&job->wait, EPOLLIN | EPOLLRDNORM);
}

/*
 * Take the oldest event, its pid as the reader's pid namespace numbers it.
 * Return: true if there was one.
 */
static bool resmon_job_take(struct resmon_job *job,
			    struct resmon_job_event *ev)
{
	struct resmon_job_queued *slot;
	struct pid *pid = NULL;
	bool taken = false;

	spin_lock(&job->lock);
	if (job->count) {
		slot = &job->queue[job->head];
		*ev = slot->ev;
		pid = slot->pid;
		slot->pid = NULL;
		job->head = (job->head + 1) % RESMON_JOB_EVENTS;
		job->count--;
		if (ev->type == RESMON_EVENT_EMPTY)
			job->empty_read = true;
		taken = true;
	}
	spin_unlock(&job->lock);
	if (taken) {
		ev->pid = pid ? pid_vnr(pid) : 0;
		/* Other readers waiting learn that no event will come. */
		if (ev->type == RESMON_EVENT_EMPTY)
			wake_up_interruptible_poll(&job->wait, EPOLLIN | EPOLLHUP);
	}
	put_pid(pid);
	return taken;
}

static bool resmon_job_readable(struct resmon_job *job)
{
	return READ_ONCE(job->count) || READ_ONCE(job->empty_read);
}

static ssize_t resmon_job_read(struct file *file, char __user *buf,
			       size_t count, loff_t *ppos)
{
	struct resmon_job *job = file->private_data;
	struct resmon_job_event ev;
	ssize_t done = 0;
	int ret;

	if (count < sizeof(ev))
		return -EINVAL;
	while (count - done >= sizeof(ev)) {
		if (!resmon_job_take(job, &ev)) {
			if (done || READ_ONCE(job->empty_read))
				break;
			if (file->f_flags & O_NONBLOCK)
				return -EAGAIN;
			ret = wait_event_interruptible(job->wait,
						       resmon_job_readable(job));
			if (ret)
				return ret;
			continue;
		}
		/* The event is gone from the queue: a bad buffer loses it. */
		if (copy_to_user(buf + done, &ev, sizeof(ev)))
			return done ? done : -EFAULT;
		done += sizeof(ev);
		if (ev.type == RESMON_EVENT_EMPTY)
			break;
	}
	return done;
}

static __poll_t resmon_job_poll(struct file *file, poll_table *wait)
{
	struct resmon_job *job = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &job->wait, wait);
	if (READ_ONCE(job->count))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(job->empty_read))
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLHUP;
	return mask;
}

/* Open descriptors of the process @pid, counted now. */
static unsigned int resmon_count_fds(struct pid *pid)
{
	struct task_struct *task;
	struct files_struct *files;
	unsigned int n = 0;

	task = get_pid_task(pid, PIDTYPE_TGID);
	if (!task)
		return 0;
	task_lock(task);
	files = task->files;
	if (files) {
		spin_lock(&files->file_lock);
		n = bitmap_weight(files_fdtable(files)->open_fds,
				  files_fdtable(files)->max_fds);
		spin_unlock(&files->file_lock);
	}
	task_unlock(task);
	put_task_struct(task);
	return n;
}

/* The limits as one snapshot, every mask bit set. */
static void resmon_job_read_limits(struct resmon_job *job,
				   struct resmon_job_limits *l)
{
	unsigned int seq;
	int res;

	do {
		seq = read_seqcount_begin(&job->limits_seq);
		for (res = 0; res < RESMON_NR_RESOURCES; res++) {
			l->hard[res] = READ_ONCE(job->hard[res]);
			l->soft[res] = READ_ONCE(job->soft[res]);
		}
		l->soft_signal = READ_ONCE(job->soft_signal);
	} while (read_seqcount_retry(&job->limits_seq, seq));
	l->mask = RESMON_LIMIT_HARD(RESMON_HEAP) | RESMON_LIMIT_HARD(RESMON_OPENS) |
		  RESMON_LIMIT_HARD(RESMON_DATA) | RESMON_LIMIT_SOFT(RESMON_HEAP) |
		  RESMON_LIMIT_SOFT(RESMON_OPENS) | RESMON_LIMIT_SOFT(RESMON_DATA) |
		  RESMON_LIMIT_SOFT_SIGNAL;
}

/*
 * fds_now: the members' pids are taken under the lock, their descriptors
 * counted outside it, one member at a time.
 */
static u64 resmon_job_fds(struct resmon_job *job)
{
	struct resmon_record *rec;
	struct pid *pid;
	unsigned int i, seen;
	u64 fds = 0;

	for (i = 0; ; i++) {
		pid = NULL;
		seen = 0;
		spin_lock(&job->lock);
		list_for_each_entry(rec, &job->members, job_link)
			if (seen++ == i) {
				pid = get_pid(rec->signal->pids[PIDTYPE_TGID]);
				break;
			}
		spin_unlock(&job->lock);
		if (!pid)
			return fds;
		fds += resmon_count_fds(pid);
		put_pid(pid);
	}
}

static long resmon_job_usage(struct resmon_job *job, void __user *arg,
			     size_t usize)
{
	struct resmon_job_usage u = {};
	long pages;

	spin_lock(&job->lock);
	u.flags = job->flags;
	u.members_now = job->members_now;
	u.members_ever = job->members_ever;
	u.events_dropped = job->dropped;
	spin_unlock(&job->lock);
	u.usage[RESMON_HEAP] = atomic64_read(&job->heap_bytes);
	u.usage[RESMON_OPENS] = atomic_long_read(&job->files);
	pages = atomic_long_read(&job->data_pages);
	u.usage[RESMON_DATA] = pages > 0 ? (u64)pages << PAGE_SHIFT : 0;
	pages = atomic_long_read(&job->data_peak);
	u.data_peak = pages > 0 ? (u64)pages << PAGE_SHIFT : 0;
	u.fds_now = resmon_job_fds(job);
	resmon_job_read_limits(job, &u.limits);

	/* The caller's struct: what fits of ours, zeroes beyond it. */
	if (copy_to_user(arg, &u, min(usize, sizeof(u))))
		return -EFAULT;
	if (usize > sizeof(u) &&
	    clear_user(arg + sizeof(u), usize - sizeof(u)))
		return -EFAULT;
	return 0;
}

/**
 * resmon_job_limits_valid() - are these limits acceptable as given?
 * @l: limits from user space
 *
 * Return: false for unknown mask bits or a soft signal that is no signal.
 */
bool resmon_job_limits_valid(const struct resmon_job_limits *l)
{
	return resmon_limits_valid(l->mask, l->soft_signal);
}

/**
 * resmon_job_set_limits() - apply the given limits to a job
 * @job: the job
 * @l: valid limits; fields not in the mask are kept
 * @may_raise: whether the caller may raise or remove a limit
 *
 * A soft limit that changes is armed again. A limit set below its value
 * is crossed at once: the kill or the soft signal comes from this call.
 *
 * Return: 0, or -EPERM if a limit would be raised without @may_raise.
 */
int resmon_job_set_limits(struct resmon_job *job,
			  const struct resmon_job_limits *l, bool may_raise)
{
	u64 hard[RESMON_NR_RESOURCES], soft[RESMON_NR_RESOURCES];
	unsigned long rearm = 0;
	u32 sig;
	int res;

	spin_lock(&job->lock);
	memcpy(hard, job->hard, sizeof(hard));
	memcpy(soft, job->soft, sizeof(soft));
	sig = job->soft_signal;
	for (res = 0; res < RESMON_NR_RESOURCES; res++) {
		if (l->mask & RESMON_LIMIT_HARD(res)) {
			if (resmon_raises(hard[res], l->hard[res]) && !may_raise)
				goto denied;
			hard[res] = l->hard[res];
		}
		if (l->mask & RESMON_LIMIT_SOFT(res)) {
			if (resmon_raises(soft[res], l->soft[res]) && !may_raise)
				goto denied;
			if (soft[res] != l->soft[res])
				rearm |= BIT(res);
			soft[res] = l->soft[res];
		}
	}
	if (l->mask & RESMON_LIMIT_SOFT_SIGNAL)
		sig = l->soft_signal;
	resmon_write_limits(job, hard, soft, sig);
	for_each_set_bit(res, &rearm, RESMON_NR_RESOURCES)
		clear_bit(res, &job->soft_fired);
	spin_unlock(&job->lock);

	resmon_enforce(job, NULL);
	return 0;

denied:
	spin_unlock(&job->lock);
	return -EPERM;
}

static long resmon_job_ioctl_set(struct resmon_job *job, void __user *arg,
				 size_t usize)
{
	struct resmon_job_limits l;
	int ret;

	if (usize < RESMON_JOB_LIMITS_SIZE_VER0)
		return -EINVAL;
	ret = copy_struct_from_user(&l, sizeof(l), arg, usize);
	if (ret)
		return ret;
	if (!resmon_job_limits_valid(&l))
		return -EINVAL;
	return resmon_job_set_limits(job, &l, resmon_may_raise(job));
}

/* Matched on type and number, the size being the caller's (as pidfd_info). */
static long resmon_job_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	struct resmon_job *job = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (_IOC_TYPE(cmd) != RESMON_IOC_MAGIC)
		return -ENOTTY;
	switch (_IOC_NR(cmd)) {
	case _IOC_NR(RESMON_IOC_USAGE):
		if (_IOC_DIR(cmd) != _IOC_READ)
			return -ENOTTY;
		return resmon_job_usage(job, uarg, _IOC_SIZE(cmd));
	case _IOC_NR(RESMON_IOC_SET_LIMITS):
		if (_IOC_DIR(cmd) != _IOC_WRITE)
			return -ENOTTY;
		return resmon_job_ioctl_set(job, uarg, _IOC_SIZE(cmd));
	}
	return -ENOTTY;
}

static int resmon_job_release(struct inode *inode, struct file *file)
{
	resmon_job_put(file->private_data);
	return 0;
}

static const struct file_operations resmon_job_fops = {
	.owner = THIS_MODULE,
	.read = resmon_job_read,
	.poll = resmon_job_poll,
	.unlocked_ioctl = resmon_job_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.release = resmon_job_release,
	.llseek = noop_llseek,
};

/**
 * resmon_job_file() - a new handle on a job, not yet in the fd table
 * @job: the job; the caller's reference becomes the handle's on success
 *
 * Return: the file, or an ERR_PTR (the reference is then still the
 * caller's).
 */
struct file *resmon_job_file(struct resmon_job *job)
{
	return anon_inode_getfile("[resmon_job]", &resmon_job_fops, job,
				  O_RDWR | O_CLOEXEC);
}

static int __init resmon_job_init(void)
{
	resmon_job_cache = KMEM_CACHE(resmon_job, SLAB_HWCACHE_ALIGN |
				      SLAB_ACCOUNT | SLAB_PANIC);
	return 0;
}
core_initcall(resmon_job_init);
