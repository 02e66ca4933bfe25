/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel edition's table and its parts: the system calls
 * (kernel_backend.c), the /proc/resmon reader (kernel_proc.c) and the
 * ending of a process as far as the kernel edition can tell it
 * (kernel_end.c). Private to the library; the host tests include it for
 * the parsers.
 */
#ifndef RESMON_KERNEL_BACKEND_H
#define RESMON_KERNEL_BACKEND_H

#include "resmon.h"

#include <stdint.h>

/* The system calls, as the table has them (kernel_backend.c). */
int kernel_fetch(pid_t pid, struct per_proc_resource *stats);

/* resmon_job(pidfd, limits, size, flags): the job layer's one system call (x86_64). */
#define RESMON_NR_JOB		457

/*
 * The job calls (kernel_job.c), the backend table's contract: full-size
 * structs, 0 or -1 and errno; read_event 1, 0 at the end, or -1.
 */
int kernel_job_create(int pidfd, const struct resmon_job_limits *limits, unsigned int flags);
int kernel_job_usage(int handle, struct resmon_job_usage *usage);
int kernel_job_set_limits(int handle, const struct resmon_job_limits *limits);
int kernel_job_read_event(int handle, struct resmon_job_event *event);

/*
 * One line of /proc/resmon ("<pid> <heap_bytes> <files> <heap_quota_mib>
 * <file_quota> <0|1>", trailing newline optional) as a record. Returns 0,
 * or -1 with errno EINVAL if the line is malformed.
 */
int kernel_parse_proc_line(const char *line, struct resmon_record *rec);

/* Every line of @path (the kernel's "/proc/resmon", or a test's file): resmon_list()'s contract. */
int kernel_read_proc(const char *path, struct resmon_record **records, size_t *count);

/* @pid's line of /proc/resmon; -1 with errno ESRCH if it has none. */
int kernel_proc_record(pid_t pid, struct resmon_record *rec);

int kernel_watch_end(pid_t pid);
int kernel_read_end(int fd, struct resmon_end *end);

/*
 * If the /dev/kmsg record @record ("prio,seq,time,flags;message\n...") is
 * the kernel's kill line of @pid ("resmon: killed process PID (COMM): heap
 * N bytes over quota Q MiB" or "...: files N over quota Q"), fill @end
 * (limit in bytes or opens) and return 1; else 0. *@seq gets the record's
 * sequence number when it has one.
 */
int kernel_parse_kill_record(const char *record, pid_t pid, struct resmon_end *end,
			     uint64_t *seq);

#endif
