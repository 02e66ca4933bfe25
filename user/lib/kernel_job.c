// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The kernel edition's job calls: system call 457 makes or opens a job and
 * returns its handle; the handle's ioctls read the usage and set limits,
 * and read() returns its events. job.c has already done the size
 * versioning of the caller's structs: here every struct is this library's
 * full size, which is the UAPI header's, so the kernel sees its own.
 */
#include "backend.h"
#include "kernel_backend.h"

#include <errno.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The kernel's int return fits; the long from syscall() is narrowed here once. */
int kernel_job_create(int pidfd, const struct resmon_job_limits *limits, unsigned int flags)
{
	/* No limits: size 0, so that the kernel takes every default (RESMON_JOB_OPEN needs it). */
	long fd = syscall(RESMON_NR_JOB, (long)pidfd, limits,
			  limits ? sizeof(*limits) : (size_t)0, (unsigned long)flags);

	return fd < 0 ? -1 : (int)fd;
}

int kernel_job_usage(int handle, struct resmon_job_usage *usage)
{
	return ioctl(handle, RESMON_IOC_USAGE, usage) < 0 ? -1 : 0;
}

int kernel_job_set_limits(int handle, const struct resmon_job_limits *limits)
{
	return ioctl(handle, RESMON_IOC_SET_LIMITS, limits) < 0 ? -1 : 0;
}

/*
 * One whole event per read(): the kernel never splits one. 0 bytes is the
 * end (the EMPTY event was read before); a short read is not an event of
 * this ABI, so it is reported as EIO rather than half-parsed.
 */
int kernel_job_read_event(int handle, struct resmon_job_event *event)
{
	ssize_t n;

	do
		n = read(handle, event, sizeof(*event));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n == 0)
		return 0;
	if ((size_t)n != sizeof(*event)) {
		errno = EIO;
		return -1;
	}
	return 1;
}
