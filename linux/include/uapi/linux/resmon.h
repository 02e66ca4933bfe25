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
#include <linux/posix_types.h>

/**
 * RESMON_NO_LIMIT - quota value meaning "this resource is not limited"
 */
#define RESMON_NO_LIMIT (-1L)

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

#endif /* _UAPI_LINUX_RESMON_H */
