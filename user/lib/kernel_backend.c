// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The kernel edition's table: system calls 451-456 (syscall(2) already
 * has the convention we want, -1 and errno, so each wrapper only fixes the
 * argument types and order), /proc/resmon for what has bytes,
 * kernel_end.c for the end of a process and kernel_job.c for jobs.
 */
#include "backend.h"
#include "kernel_backend.h"

#include <errno.h>
#include <stddef.h>
#include <unistd.h>

/*
 * The record's layout is ABI (Documentation/userspace-api/resmon.rst): if
 * a header ever drifts from the kernel's, fail the build instead of
 * corrupting memory at run time.
 */
_Static_assert(sizeof(struct per_proc_resource) == 48, "per_proc_resource is 48 bytes");
_Static_assert(offsetof(struct per_proc_resource, heapsize) == 8, "heapsize at 8");
_Static_assert(offsetof(struct per_proc_resource, openfile_count) == 16, "openfile_count at 16");
_Static_assert(offsetof(struct per_proc_resource, heap_quota) == 24, "heap_quota at 24");
_Static_assert(offsetof(struct per_proc_resource, file_quota) == 32, "file_quota at 32");
_Static_assert(offsetof(struct per_proc_resource, quotas_defined) == 40, "quotas_defined at 40");

/* The kernel's int return fits; the long from syscall() is narrowed here once. */
static int ret(long r)
{
	return r == 0 ? 0 : -1;
}

static const char *kernel_edition(void)
{
	return "kernel";
}

static int kernel_hello(void)
{
	return ret(syscall(RESMON_NR_HELLO));
}

static int kernel_register(pid_t pid)
{
	return ret(syscall(RESMON_NR_REGISTER, (long)pid));
}

int kernel_fetch(pid_t pid, struct per_proc_resource *stats)
{
	/* The kernel takes (stats, pid); the library puts the pid first like its siblings. */
	return ret(syscall(RESMON_NR_FETCH, stats, (long)pid));
}

/*
 * fetch has the heap in whole MiB only; /proc/resmon has it in bytes. The
 * system call first, for its errno (the file only leaves a process out);
 * then the line. A process that ended in between has no line: it is no
 * longer monitored, which is fetch's EINVAL.
 */
static int kernel_get_record(pid_t pid, struct resmon_record *rec)
{
	struct per_proc_resource stats;

	if (kernel_fetch(pid, &stats) < 0)
		return -1;
	if (kernel_proc_record(pid, rec) < 0) {
		if (errno == ESRCH)
			errno = EINVAL;
		return -1;
	}
	return 0;
}

static int kernel_deregister(pid_t pid)
{
	return ret(syscall(RESMON_NR_DEREGISTER, (long)pid));
}

static int kernel_cap(pid_t pid, long heap_mib, long files)
{
	return ret(syscall(RESMON_NR_CAP, (long)pid, heap_mib, files));
}

static int kernel_reset(pid_t pid)
{
	return ret(syscall(RESMON_NR_RESET, (long)pid));
}

static int kernel_list(struct resmon_record **records, size_t *count)
{
	return kernel_read_proc("/proc/resmon", records, count);
}

const struct resmon_backend resmon_kernel_backend = {
	.edition = kernel_edition,
	.hello = kernel_hello,
	.register_pid = kernel_register,
	.fetch = kernel_fetch,
	.get_record = kernel_get_record,
	.deregister = kernel_deregister,
	.cap = kernel_cap,
	.reset = kernel_reset,
	.list = kernel_list,
	.watch_end = kernel_watch_end,
	.read_end = kernel_read_end,
	.job_create = kernel_job_create,
	.job_usage = kernel_job_usage,
	.job_set_limits = kernel_job_set_limits,
	.job_read_event = kernel_job_read_event,
};
