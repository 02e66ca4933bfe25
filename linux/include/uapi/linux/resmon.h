/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * resmon - per-process heap and open-file accounting with quotas
 *
 * User-space API: the record returned by the fetch system call.
 * The system calls themselves are numbered 451-456 on x86_64 only:
 * hello, register, fetch, deregister, resource_cap and resource_reset.
 * Documentation/userspace-api/resmon.rst describes them in full.
 */
#ifndef _UAPI_LINUX_RESMON_H
#define _UAPI_LINUX_RESMON_H

#include <linux/types.h>
#include <linux/ioctl.h>
#include <linux/posix_types.h>

/**
 * RESMON_NO_LIMIT - quota value meaning "this resource is not limited"
 */
#define RESMON_NO_LIMIT (-1L)

/**
 * RESMON_HEAP_QUOTA_MAX - the largest heap quota in MiB, for resource_cap
 *
 * A quota in bytes must fit in a signed 64-bit count.
 */
#define RESMON_HEAP_QUOTA_MAX (0x7fffffffffffffffLL >> 20)

/**
 * struct per_proc_resource - accounting record of one monitored process
 *
 * @pid: Thread-group id of the process, in the caller's pid namespace.
 * @heapsize: Heap grown since registration, in MiB rounded down: the sum
 *            of every brk() growth (page aligned, shrinks add nothing) and
 *            of every successful private anonymous mmap() length.
 * @openfile_count: Files successfully opened since registration, by any
 *                  thread and any entry point (open, openat, openat2,
 *                  creat, open_by_handle_at, io_uring). Closing a file
 *                  does not lower it.
 * @heap_quota: Heap quota in MiB, or %RESMON_NO_LIMIT.
 * @file_quota: Open-file quota, or %RESMON_NO_LIMIT.
 * @quotas_defined: Non-zero once resource_cap() has set the quotas, until
 *                  resource_reset() clears them.
 *
 * The layout is ABI: 48 bytes on x86_64, with @heapsize at offset 8 and
 * @quotas_defined at offset 40. Padding bytes are written as zero.
 */
struct per_proc_resource {
	__kernel_pid_t pid;
	__kernel_ulong_t heapsize;
	__kernel_ulong_t openfile_count;
	__kernel_long_t heap_quota;
	__kernel_long_t file_quota;
	__u8 quotas_defined;
};

/*
 * Jobs (the second layer): one record shared by a set of processes, with
 * hard and soft limits and a handle. Created by the resmon_job system call
 * (457 on x86_64):
 *
 *   int resmon_job(int pidfd, const struct resmon_job_limits *limits,
 *                  size_t size, unsigned int flags);
 *
 * It returns the handle, a close-on-exec file descriptor: its ioctls read
 * the usage and set limits, read() returns struct resmon_job_event records
 * and poll() reports them. Documentation/userspace-api/resmon.rst has the
 * rules.
 */

/**
 * enum resmon_resource - what a job counts, the index of its limits
 * @RESMON_HEAP: Heap total in bytes: brk growth and private anonymous
 *               mmap lengths, page aligned, never lowered.
 * @RESMON_OPENS: Successful opens, total.
 * @RESMON_DATA: Data now in bytes: the members' VmData summed.
 * @RESMON_NR_RESOURCES: The number of resources.
 */
enum resmon_resource {
	RESMON_HEAP = 0,
	RESMON_OPENS = 1,
	RESMON_DATA = 2,
	RESMON_NR_RESOURCES = 3,
};

/**
 * RESMON_UNLIMITED - limit value meaning "no limit"
 */
#define RESMON_UNLIMITED (~0ULL)

/* resmon_job() flags */
/* Every process a member creates by fork/clone joins the job. */
#define RESMON_JOB_TREE			(1U << 0)
/* A hard limit kills only the process whose call crossed it. */
#define RESMON_JOB_KILL_OFFENDER	(1U << 1)
/*
 * Open a handle on the job the pidfd's process is a member of, instead of
 * creating one; no limits may be given. EINVAL when it is in no job.
 */
#define RESMON_JOB_OPEN			(1U << 2)

/* struct resmon_job_limits::mask bits: which fields are given */
#define RESMON_LIMIT_HARD(res)		(1U << (res))
#define RESMON_LIMIT_SOFT(res)		(1U << (8 + (res)))
#define RESMON_LIMIT_SOFT_SIGNAL	(1U << 16)

/**
 * struct resmon_job_limits - limits of a job, in and out
 * @mask: %RESMON_LIMIT_HARD(r), %RESMON_LIMIT_SOFT(r) and
 *        %RESMON_LIMIT_SOFT_SIGNAL bits naming the fields that are given.
 *        At creation a field not given is unlimited (the soft signal
 *        SIGTERM); when limits are set, a field not given is unchanged.
 *        Unknown bits: EINVAL. Read back, every bit is set.
 * @soft_signal: The signal sent to every member at a soft crossing; 0 for
 *               none.
 * @hard: Hard limit per &enum resmon_resource, or %RESMON_UNLIMITED.
 *        Heap and data in bytes, opens in opens.
 * @soft: Soft limit per &enum resmon_resource, or %RESMON_UNLIMITED.
 *
 * A value goes over a limit when it becomes strictly greater than it.
 * resmon_job() takes the struct's size (copy_struct_from_user rules:
 * smaller than %RESMON_JOB_LIMITS_SIZE_VER0 is EINVAL, larger with
 * non-zero bytes beyond the kernel's struct is E2BIG).
 */
struct resmon_job_limits {
	__u32 mask;
	__u32 soft_signal;
	__u64 hard[RESMON_NR_RESOURCES];
	__u64 soft[RESMON_NR_RESOURCES];
};

#define RESMON_JOB_LIMITS_SIZE_VER0	56

/**
 * struct resmon_job_usage - what a job has taken, with its limits
 * @flags: The job's %RESMON_JOB_TREE and %RESMON_JOB_KILL_OFFENDER flags.
 * @members_now: Live members.
 * @members_ever: Processes that have been members, the root included.
 * @usage: Per &enum resmon_resource: heap total (bytes), opens total, data
 *         now (bytes).
 * @data_peak: The highest data value reached, in bytes.
 * @fds_now: Open file descriptors over the live members, counted when
 *           asked.
 * @events_dropped: Soft events dropped because the event queue was full.
 * @limits: The job's limits (every mask bit set).
 *
 * Read with %RESMON_IOC_USAGE; the ioctl's size is the caller's struct
 * size: the kernel fills what fits and zeroes the rest.
 */
struct resmon_job_usage {
	__u32 flags;
	__u32 members_now;
	__u64 members_ever;
	__u64 usage[RESMON_NR_RESOURCES];
	__u64 data_peak;
	__u64 fds_now;
	__u64 events_dropped;
	struct resmon_job_limits limits;
};

/**
 * enum resmon_event_type - what a struct resmon_job_event reports
 * @RESMON_EVENT_SOFT: A value went over its soft limit; the soft signal
 *                     was sent to every member.
 * @RESMON_EVENT_KILL: A value went over its hard limit; SIGKILL was queued
 *                     (to every member, or the offender alone).
 * @RESMON_EVENT_EMPTY: The last member exited. The last event of a job.
 */
enum resmon_event_type {
	RESMON_EVENT_SOFT = 1,
	RESMON_EVENT_KILL = 2,
	RESMON_EVENT_EMPTY = 3,
};

/**
 * struct resmon_job_event - one event, as read() from the handle returns it
 * @type: An &enum resmon_event_type.
 * @resource: SOFT and KILL: the &enum resmon_resource that went over.
 * @value: SOFT and KILL: its value after the crossing call.
 * @limit: SOFT and KILL: the limit it went over.
 * @pid: SOFT and KILL: the process whose call crossed, as the reader's
 *       pid namespace numbers it (0 if it has none there).
 * @signal: SOFT: the signal sent (0 for none); KILL: SIGKILL.
 * @comm: KILL: the offender's group leader's comm, NUL-terminated.
 *
 * read() returns whole events, oldest first, each once; it blocks unless
 * the handle is O_NONBLOCK (EAGAIN), and returns 0 once the EMPTY event
 * has been read. The queue is bounded: when it is full the oldest soft
 * event is dropped and counted in &struct resmon_job_usage.events_dropped;
 * KILL and EMPTY are never dropped.
 */
struct resmon_job_event {
	__u32 type;
	__u32 resource;
	__u64 value;
	__u64 limit;
	__s32 pid;
	__s32 signal;
	char comm[16];
};

#define RESMON_IOC_MAGIC	0xB8
/* Read the usage: struct resmon_job_usage, the caller's size in the ioctl. */
#define RESMON_IOC_USAGE	_IOR(RESMON_IOC_MAGIC, 1, struct resmon_job_usage)
/*
 * Set limits (those in the mask). Lowering one, or setting one that was
 * unlimited, needs only the handle; raising or removing one needs
 * CAP_SYS_RESOURCE in the members' user namespace (EPERM). A limit set
 * below the current value is crossed at once.
 */
#define RESMON_IOC_SET_LIMITS	_IOW(RESMON_IOC_MAGIC, 2, struct resmon_job_limits)

#endif /* _UAPI_LINUX_RESMON_H */
