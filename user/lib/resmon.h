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
 * struct per_proc_resource is kernel ABI, defined by the UAPI header. Use
 * that header when the system has it, so there is one definition; else
 * fall back to an identical copy (the kernel's include guard keeps the two
 * from meeting). libresmon.c checks the layout at compile time.
 */
#if defined(__has_include)
#if __has_include(<linux/resmon.h>)
#include <linux/resmon.h>
#endif
#endif

#ifndef _UAPI_LINUX_RESMON_H
#define _UAPI_LINUX_RESMON_H
#include <linux/types.h>
#include <linux/posix_types.h>
#define RESMON_NO_LIMIT (-1L)
struct per_proc_resource {
	__kernel_pid_t pid;
	__kernel_ulong_t heapsize;	/* MiB, rounded down */
	__kernel_ulong_t openfile_count;
	__kernel_long_t heap_quota;	/* MiB, or RESMON_NO_LIMIT */
	__kernel_long_t file_quota;	/* files, or RESMON_NO_LIMIT */
	__u8 quotas_defined;
};
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

/* Largest heap quota in MiB: quota * 2^20 must fit in a signed 64-bit byte count. */
#define RESMON_HEAP_QUOTA_MAX	((long)(0x7fffffffffffffffLL >> 20))

/* Which call an errno came from; selects the message in resmon_strerror(). */
enum resmon_op {
	RESMON_OP_HELLO,
	RESMON_OP_REGISTER,
	RESMON_OP_FETCH,
	RESMON_OP_DEREGISTER,
	RESMON_OP_CAP,
	RESMON_OP_RESET,
	RESMON_OP_LIST,		/* reading /proc/resmon */
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
 * its socket /run/resmond.sock) or "none". The string is static.
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
 * Enumeration through /proc/resmon: one entry per monitored process the
 * caller may read, in registration order. Heap here is in bytes (the file
 * is more precise than fetch).
 */
#define RESMON_PROC_PATH "/proc/resmon"

struct resmon_entry {
	pid_t pid;
	unsigned long long heap_bytes;
	unsigned long openfile_count;
	long heap_quota;	/* MiB or RESMON_NO_LIMIT */
	long file_quota;	/* files or RESMON_NO_LIMIT */
	int quotas_defined;	/* 0 or 1 */
};

/*
 * Parse one line of /proc/resmon ("<pid> <heap_bytes> <files> <heap_quota>
 * <file_quota> <0|1>", trailing newline optional). Returns 0, or -1 with
 * errno EINVAL if the line is malformed.
 */
int resmon_parse_entry(const char *line, struct resmon_entry *entry);

/*
 * Read every entry of @path (NULL means RESMON_PROC_PATH) into a new array
 * stored in *@entries, its length in *@count; free it with free(). Returns
 * 0, or -1 with errno set (ENOENT if the kernel has no /proc/resmon, EINVAL
 * for a malformed line, ENOMEM).
 */
int resmon_list(const char *path, struct resmon_entry **entries, size_t *count);

#ifdef __cplusplus
}
#endif

#endif /* RESMON_H */
