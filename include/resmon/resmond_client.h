/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libresmon's client of resmond (eBPF edition): private to the library,
 * and used by resmond --stop and resmond's tests (linked from libresmon.a).
 */
#ifndef RESMON_RESMOND_CLIENT_H
#define RESMON_RESMOND_CLIENT_H

#include <stddef.h>
#include <sys/types.h>

#include "resmon/resmond_wire.h"

/*
 * One call to resmond: 0, or -1 with errno as the kernel edition's system
 * call would set it; ENOSYS if no resmond answers on its socket.
 * @rec (FETCH) receives the record.
 */
int resmond_call(enum resmond_op op, pid_t pid, long heap, long files,
		 struct resmond_record *rec);

/* The same on a connection of resmond_connect() (kept open: tests reuse it). */
int resmond_call_on(int fd, enum resmond_op op, pid_t pid, long heap, long files,
		    struct resmond_record *rec);

/* A connected socket to resmond, or -1 (errno ENOSYS if none answers). */
int resmond_connect(void);

/* 1 if a resmond answers on its socket. */
int resmond_running(void);

/*
 * LIST: every record resmond sends, in its order, in a new array (free()).
 * EMSGSIZE past RESMOND_LIST_MAX entries.
 */
int resmond_list(struct resmond_record **records, size_t *count);

/*
 * WAIT for @pid on a new connection: the connection (close-on-exec, no
 * receive timeout: the answer comes when the process ends), or -1 with
 * errno (ENOSYS if no resmond answers). Errors of the checks come later,
 * as the answer.
 */
int resmond_wait_send(pid_t pid);

/* The answer on a WAIT connection, blocking: 0, or -1 with its errno (EIO: none came). */
int resmond_wait_answer(int fd, struct resmond_ending *ending);

/*
 * JOB_CREATE (or JOB_OPEN: RESMON_JOB_OPEN in @flags, @limits NULL) on
 * the process of @pidfd: the handle, this call's connection (close-on-exec),
 * or -1 with errno as the kernel edition's resmon_job() would set it.
 */
int resmond_job_create(int pidfd, const struct resmon_job_limits *limits, unsigned int flags);

/*
 * JOB_USAGE, JOB_SET_LIMITS (@limits) or JOB_EVENT on @handle, over a
 * fresh connection: 1 with @size bytes of the answer in @out, 0 when the
 * answer has none (set, or no more events), -1 with errno (EAGAIN: no
 * event queued now).
 */
int resmond_job_call(enum resmond_op op, int handle, const struct resmon_job_limits *limits,
		     void *out, size_t size);

#endif
