/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the job tests (resmon_job_test, resmon_tree_test): a job on a
 * pid, its usage, one limit, the next event. Through resmon_helpers.h's
 * rm_job_*(), so the same code drives the system call or libresmon.
 */
#ifndef RESMON_JOB_HELPERS_H
#define RESMON_JOB_HELPERS_H

#include "resmon_helpers.h"

#define LIMITS_SIZE	sizeof(struct resmon_job_limits)
#define USAGE_SIZE	sizeof(struct resmon_job_usage)
#define EVENT_SIZE	sizeof(struct resmon_job_event)

/* A job on @pid with @l (NULL: none) and @flags; the handle or -errno. */
static int job_on(pid_t pid, const struct resmon_job_limits *l,
		  unsigned int flags)
{
	int pfd = rm_pidfd(pid), h;

	if (pfd < 0)
		return pfd;
	h = rm_job_create(pfd, l, l ? LIMITS_SIZE : 0, flags);
	close(pfd);
	return h;
}

/* The job's usage; all bits set if it could not be read. */
static struct resmon_job_usage usage_of(int h)
{
	struct resmon_job_usage u;

	memset(&u, 0xa5, sizeof(u));
	if (rm_job_usage(h, &u, USAGE_SIZE))
		memset(&u, 0xff, sizeof(u));
	return u;
}

/* Set one limit through the handle: 0 or -errno. */
static int set_one(int h, int res, int hard, unsigned long long value)
{
	struct resmon_job_limits l = rm_job_no_limits();

	rm_job_limit(&l, res, hard, value);
	return rm_job_set_limits(h, &l, LIMITS_SIZE);
}

/* The next event, without waiting: 1, 0 after EMPTY, or -errno. */
static int next_event(int h, struct resmon_job_event *ev)
{
	int fl = fcntl(h, F_GETFL);

	fcntl(h, F_SETFL, fl | O_NONBLOCK);
	return rm_job_read_event(h, ev, EVENT_SIZE);
}

#endif /* RESMON_JOB_HELPERS_H */
