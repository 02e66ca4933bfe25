/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libresmon's backends: the two ways an edition answers, behind one table.
 * The public functions (libresmon.c) call resmon_backend()'s entries and
 * never decide the edition themselves; backend.c picks the table once.
 * Private to the library.
 */
#ifndef RESMON_BACKEND_H
#define RESMON_BACKEND_H

#include "resmon.h"

/*
 * One edition's operations, each with the public function's contract
 * (0 or -1 and errno, ENOSYS when nothing answers).
 */
struct resmon_backend {
	/* "kernel", or for resmond "ebpf" when a daemon answers now, else "none" */
	const char *(*edition)(void);
	int (*hello)(void);
	int (*register_pid)(pid_t pid);
	/* The system call's ABI record (heap in MiB), checked copy into @stats. */
	int (*fetch)(pid_t pid, struct per_proc_resource *stats);
	int (*get_record)(pid_t pid, struct resmon_record *rec);
	int (*deregister)(pid_t pid);
	int (*cap)(pid_t pid, long heap_mib, long files);
	int (*reset)(pid_t pid);
	int (*list)(struct resmon_record **records, size_t *count);
	int (*watch_end)(pid_t pid);
	int (*read_end)(int fd, struct resmon_end *end);
	/*
	 * Jobs: full-size structs here; libresmon.c does the size versioning
	 * of the public calls. job_create with RESMON_JOB_OPEN is resmon_job_open.
	 */
	int (*job_create)(int pidfd, const struct resmon_job_limits *limits, unsigned int flags);
	int (*job_usage)(int handle, struct resmon_job_usage *usage);
	int (*job_set_limits)(int handle, const struct resmon_job_limits *limits);
	int (*job_read_event)(int handle, struct resmon_job_event *event);
};

extern const struct resmon_backend resmon_kernel_backend;	/* kernel_backend.c */
extern const struct resmon_backend resmon_resmond_backend;	/* resmond_backend.c */

/* The table this process uses, picked at the first call (thread-safe). */
const struct resmon_backend *resmon_backend(void);

/*
 * The rule of the pick, on paths so that the host tests can try it:
 * @proc_resmon (/proc/resmon) exists, or @proc_self (/proc/self) does
 * not (no /proc mounted: nothing tells, so the system calls are made):
 * the kernel's table; else resmond's.
 */
const struct resmon_backend *resmon_pick_backend(const char *proc_resmon, const char *proc_self);

#endif
