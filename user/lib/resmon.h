/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libresmon - typed wrappers for the resmon system calls.
 *
 * resmon is a Linux feature that counts the heap growth and the file opens
 * of chosen processes and kills a process that goes over a quota set for
 * it. The kernel side is six system calls (x86_64 only, numbers 451-456)
 * and the file /proc/resmon. This header gives them C names so that nobody
 * has to write syscall(452, pid).
 *
 * Every call follows libc's convention: it returns 0 on success, or -1 with
 * errno set to the error the kernel returned. resmon_strerror() turns such
 * an errno into a message in resmon's terms, since the same errno means
 * different things for different calls (ENFILE is "already monitored" for
 * register but "quotas already set" for cap).
 *
 * Link with -lresmon (pkg-config --cflags --libs libresmon).
 */
#ifndef RESMON_H
#define RESMON_H

#include <stddef.h>
#include <sys/types.h>

/*
 * The kernel ABI (struct per_proc_resource, the job layer's structs and
 * ioctls) has one definition: the kernel's UAPI header, shipped beside this
 * one as resmon_uapi.h (in the source tree, a link to
 * linux/include/uapi/linux/resmon.h). An installed <linux/resmon.h> is the
 * same file with its guard spelled _LINUX_RESMON_H by `make
 * headers_install`: either guard means it is already here, in either
 * include order.
 */
#if !defined(_LINUX_RESMON_H) && !defined(_UAPI_LINUX_RESMON_H)
#include "resmon_uapi.h"
#endif
#ifndef _LINUX_RESMON_H
#define _LINUX_RESMON_H
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* System call numbers: a fixed ABI on x86_64 (other ABIs get ENOSYS). */
#define RESMON_NR_HELLO		451
#define RESMON_NR_REGISTER	452
#define RESMON_NR_FETCH		453
#define RESMON_NR_DEREGISTER	454
#define RESMON_NR_CAP		455
#define RESMON_NR_RESET		456


/* Which call an errno came from; selects the message in resmon_strerror(). */
enum resmon_op {
	RESMON_OP_HELLO,
	RESMON_OP_REGISTER,
	RESMON_OP_FETCH,
	RESMON_OP_DEREGISTER,
	RESMON_OP_CAP,
	RESMON_OP_RESET,
	RESMON_OP_LIST,		/* resmon_list */
	RESMON_OP_WAIT,		/* resmon_watch_end, resmon_read_end */
	RESMON_OP_JOB,		/* resmon_job_create, resmon_job_open */
	RESMON_OP_JOB_LIMITS,	/* resmon_job_set_limits */
};

/* hello(): the kernel logs one line. Returns 0, or -1 (ENOSYS: no resmon). */
int resmon_hello(void);

/*
 * Start monitoring process @pid (any thread id of it; 0 is not "self":
 * pass getpid()). Counters start at 0, quotas unlimited.
 * Errors: EINVAL pid < 1; ESRCH no live process; EPERM may not manage it;
 * ENFILE already monitored; ENOMEM.
 */
int resmon_register(pid_t pid);

/*
 * Copy the record of monitored process @pid into @stats (heap in MiB).
 * Errors: EINVAL no live process, not monitored, or bad @stats; EPERM may
 * not read it.
 */
int resmon_fetch(pid_t pid, struct per_proc_resource *stats);

/*
 * Stop monitoring @pid; its counters and quotas are forgotten.
 * Errors: EINVAL pid < 1; ESRCH no live process or not monitored; EPERM
 * may not manage it, or quotas are set and the caller lacks
 * CAP_SYS_RESOURCE.
 */
int resmon_deregister(pid_t pid);

/*
 * Set both quotas of monitored process @pid: @heap_mib in MiB and @files
 * opens, RESMON_NO_LIMIT (-1) for no limit. Once only until resmon_reset().
 * A process already over a new quota is killed at once (the call still
 * succeeds). Errors: ESRCH no live process; EPERM may not manage it;
 * EINVAL not monitored or quota out of range; ENFILE quotas already set.
 */
int resmon_cap(pid_t pid, long heap_mib, long files);

/*
 * Clear the quotas of @pid (counters kept), so they can be set again.
 * Errors: ESRCH no live process; EPERM may not manage it, or quotas are
 * set and the caller lacks CAP_SYS_RESOURCE; EINVAL not monitored.
 */
int resmon_reset(pid_t pid);

/* 1 if resmon answers (either edition), 0 if not. Has no side effect. */
int resmon_available(void);

/*
 * Which edition answers the calls: "kernel" (system calls 451-456, where
 * /proc/resmon exists), "ebpf" (resmond, the eBPF edition's daemon, on
 * its socket /run/resmond/resmond.sock) or "none". The string is static.
 */
const char *resmon_edition(void);

/*
 * A message, in resmon's terms, for @err returned by call @op, e.g.
 * (RESMON_OP_CAP, ENFILE) -> "quotas already set; reset them first".
 * Unknown pairs fall back to strerror(). The string is static.
 */
const char *resmon_strerror(enum resmon_op op, int err);

/* The call's name as the CLI and man pages spell it ("register", "cap"...). */
const char *resmon_op_name(enum resmon_op op);

/*
 * The one record type of the library: a monitored process's totals and
 * limits in bytes and opens, whichever edition answers. (struct
 * per_proc_resource is only the system calls' ABI, heap in MiB.) Its
 * layout is API: a field added means a new soname.
 */
struct resmon_record {
	pid_t pid;			/* as the caller numbers it */
	int quotas_defined;		/* 0 or 1: cap was called (and not reset since) */
	unsigned long long heap_bytes;	/* heap grown since register, exact */
	unsigned long long opens;	/* files opened since register */
	long long heap_limit_bytes;	/* the heap quota in bytes, or -1: none */
	long long files_limit;		/* the file quota, or -1: none */
};

/*
 * The record of monitored process @pid into @rec, heap in bytes. Errors:
 * fetch's (EINVAL no live process or not monitored, EPERM may not read it).
 * On the kernel edition this also reads /proc/resmon (fetch gives only
 * whole MiB): a process that monitors itself and must count no open of
 * its own uses resmon_fetch() instead.
 */
int resmon_get_record(pid_t pid, struct resmon_record *rec);

/*
 * Every monitored process the caller may read, in registration order:
 * a new array in *@records, its length in *@count; free it with free().
 * Returns 0, or -1 with errno set (ENOSYS no resmon, ENOMEM, EIO/EMSGSIZE
 * a reply resmond should not send, or the error reading /proc/resmon).
 */
int resmon_list(struct resmon_record **records, size_t *count);

/* How a watched process ended (resmon_read_end). */
enum resmon_end_cause {
	RESMON_END_NOT_KILLED,	/* resmon did not kill it (it exited, or another signal) */
	RESMON_END_KILLED,	/* resmon killed it over a quota: resource, total, limit say why */
	RESMON_END_UNKNOWN,	/* the edition could not tell (kernel edition, see libresmon(3)) */
};

/* Which quota a kill enforced. */
enum resmon_limit_kind {
	RESMON_LIMIT_HEAP,	/* total and limit in bytes */
	RESMON_LIMIT_FILES,	/* total and limit in opens */
};

struct resmon_end {
	pid_t pid;			/* as the caller numbers it */
	enum resmon_end_cause cause;
	enum resmon_limit_kind resource;	/* KILLED only, as the three below */
	unsigned long long total;	/* at the crossing: bytes or opens */
	unsigned long long limit;	/* the quota, in the same unit */
	char comm[16];			/* the killed process's name */
};

/*
 * Watch monitored process @pid until it ends: returns a file descriptor
 * (close-on-exec) that polls readable once the process has ended, or -1
 * with fetch's errno. Watch before the process can be killed: a process
 * that ends before the watch is set up is no longer monitored (EINVAL).
 */
int resmon_watch_end(pid_t pid);

/*
 * How the process watched by @fd ended, into @end; blocks until it has.
 * Returns 0, or -1 with errno (EIO: resmond went away while waiting).
 * Close @fd afterwards. The same on both editions where the edition can
 * tell; the kernel edition can only read its kill line from the kernel
 * log (RESMON_END_UNKNOWN when that is not readable).
 */
int resmon_read_end(int fd, struct resmon_end *end);

/*
 * Jobs (the second layer; libresmon(3), SPEC's "Jobs"): one record shared
 * by a process and, with RESMON_JOB_TREE, everything it starts, with hard
 * and soft limits on heap total, opens total and data now, and a handle:
 * a close-on-exec file descriptor. Poll it (readable: an event is queued),
 * close() it when done; the job outlives the handle while it has members,
 * and the handle outlives the members, so the final usage and the kill
 * are read after the reap. The structs are the kernel's (resmon_uapi.h)
 * on both editions; each call takes the caller's sizeof, so a program
 * built against an older or newer header keeps working (fields the callee
 * does not know: defaults on the way in, zeroes on the way out; non-zero
 * unknown input is E2BIG).
 */

/*
 * Create a job on the process @pidfd names (pidfd_open), which must not be
 * monitored yet (EBUSY), with @limits (@size: sizeof(*limits); NULL and 0:
 * no limits) and RESMON_JOB_TREE / RESMON_JOB_KILL_OFFENDER @flags. The
 * caller may manage the process (EPERM otherwise; resmon_strerror with
 * RESMON_OP_JOB). Returns the handle, or -1 with errno.
 */
int resmon_job_create(int pidfd, const struct resmon_job_limits *limits, size_t size,
		      unsigned int flags);

/* A handle on the job the process @pidfd names is a member of (EINVAL: none). */
int resmon_job_open(int pidfd);

/* The job's usage and limits into @usage (@size: sizeof(*usage)). 0 or -1/errno. */
int resmon_job_usage(int handle, struct resmon_job_usage *usage, size_t size);

/*
 * Set the limits named in @limits->mask. Lowering (or limiting what was
 * unlimited) needs only the handle; raising or removing needs
 * CAP_SYS_RESOURCE (EPERM). A limit below the value now is crossed at once.
 */
int resmon_job_set_limits(int handle, const struct resmon_job_limits *limits, size_t size);

/*
 * The oldest queued event into @event. Returns 1, or 0 when no event will
 * come any more (the EMPTY event was read), or -1 with errno (EAGAIN: none
 * queued and the handle is O_NONBLOCK; otherwise it blocks).
 */
int resmon_job_read_event(int handle, struct resmon_job_event *event, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* RESMON_H */
