// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The job calls' public side: the size versioning of their structs, the
 * same rules as the kernel's copy_struct_from_user, then the edition's
 * table. A caller built against an older resmon_uapi.h passes a smaller
 * struct (the fields it lacks take their defaults: zero, and a zero mask
 * bit means "not given"); a newer one passes a larger struct, accepted
 * while the bytes this library does not know are zero (E2BIG otherwise).
 * On the way out the caller gets what fits, the rest zeroed.
 */
#include "backend.h"

#include <errno.h>
#include <string.h>

/* The first published sizes: smaller is not a struct of ours (EINVAL). */
#define USAGE_SIZE_VER0		sizeof(struct resmon_job_usage)
#define EVENT_SIZE_VER0		sizeof(struct resmon_job_event)

/* Copy @usize bytes of a caller's struct into @dst (@ksize bytes), as the kernel does. */
static int struct_in(void *dst, size_t ksize, const void *src, size_t usize)
{
	const unsigned char *tail = (const unsigned char *)src + ksize;
	size_t i;

	if (!src || usize < RESMON_JOB_LIMITS_SIZE_VER0) {
		errno = EINVAL;
		return -1;
	}
	for (i = ksize; i < usize; i++)
		if (tail[i - ksize]) {
			errno = E2BIG;
			return -1;
		}
	memset(dst, 0, ksize);
	memcpy(dst, src, usize < ksize ? usize : ksize);
	return 0;
}

/* Give the caller's @usize-byte struct what fits of @src, zeroing the rest. */
static void struct_out(void *dst, size_t usize, const void *src, size_t ksize)
{
	memcpy(dst, src, usize < ksize ? usize : ksize);
	if (usize > ksize)
		memset((unsigned char *)dst + ksize, 0, usize - ksize);
}

int resmon_job_create(int pidfd, const struct resmon_job_limits *limits, size_t size,
		      unsigned int flags)
{
	struct resmon_job_limits l;

	if (flags & RESMON_JOB_OPEN) {
		errno = EINVAL;		/* resmon_job_open() is the way to open */
		return -1;
	}
	if (!limits && size == 0)
		return resmon_backend()->job_create(pidfd, NULL, flags);
	if (struct_in(&l, sizeof(l), limits, size))
		return -1;
	return resmon_backend()->job_create(pidfd, &l, flags);
}

int resmon_job_open(int pidfd)
{
	return resmon_backend()->job_create(pidfd, NULL, RESMON_JOB_OPEN);
}

int resmon_job_usage(int handle, struct resmon_job_usage *usage, size_t size)
{
	struct resmon_job_usage u;

	if (!usage || size < USAGE_SIZE_VER0) {
		errno = EINVAL;
		return -1;
	}
	if (resmon_backend()->job_usage(handle, &u))
		return -1;
	struct_out(usage, size, &u, sizeof(u));
	return 0;
}

int resmon_job_set_limits(int handle, const struct resmon_job_limits *limits, size_t size)
{
	struct resmon_job_limits l;

	if (struct_in(&l, sizeof(l), limits, size))
		return -1;
	return resmon_backend()->job_set_limits(handle, &l);
}

int resmon_job_read_event(int handle, struct resmon_job_event *event, size_t size)
{
	struct resmon_job_event ev;
	int n;

	if (!event || size < EVENT_SIZE_VER0) {
		errno = EINVAL;
		return -1;
	}
	n = resmon_backend()->job_read_event(handle, &ev);
	if (n == 1)
		struct_out(event, size, &ev, sizeof(ev));
	return n;
}
