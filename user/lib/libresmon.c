// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The system call wrappers. syscall(2) already has the convention we want
 * (-1 and errno), so each wrapper only fixes the argument types and order.
 */
#include "resmon.h"

#include <errno.h>
#include <stddef.h>
#include <stdatomic.h>
#include <unistd.h>

/*
 * The record's layout is ABI (SPEC.md): if a header ever drifts from the
 * kernel's, fail the build instead of corrupting memory at run time.
 */
_Static_assert(sizeof(struct per_proc_resource) == 48, "per_proc_resource is 48 bytes");
_Static_assert(offsetof(struct per_proc_resource, heapsize) == 8, "heapsize at 8");
_Static_assert(offsetof(struct per_proc_resource, openfile_count) == 16, "openfile_count at 16");
_Static_assert(offsetof(struct per_proc_resource, heap_quota) == 24, "heap_quota at 24");
_Static_assert(offsetof(struct per_proc_resource, file_quota) == 32, "file_quota at 32");
_Static_assert(offsetof(struct per_proc_resource, quotas_defined) == 40, "quotas_defined at 40");

/*
 * Numbers 451-456 are resmon's only on a resmon kernel: on mainline 6.5+
 * they are cachestat, fchmodat2, map_shadow_stack and the futex2 calls,
 * and e.g. futex_wait would block. So before the first call, look for
 * /proc/resmon, which every resmon kernel has; if /proc is mounted and it
 * is absent, fail with ENOSYS without making the system call. If /proc is
 * not mounted there is no way to tell, and the call is made.
 */
static int resmon_kernel(void)
{
	/* 0 unknown, 1 resmon, -1 not resmon. Racing threads store the same value. */
	static _Atomic int known;
	int k = known;

	if (k == 0) {
		int saved = errno;

		k = (access(RESMON_PROC_PATH, F_OK) < 0 && errno == ENOENT &&
		     access("/proc/self", F_OK) == 0) ? -1 : 1;
		errno = saved;
		known = k;
	}
	if (k < 0)
		errno = ENOSYS;
	return k > 0;
}

/* The kernel's int return fits; the long from syscall() is narrowed here once. */
static int ret(long r)
{
	return r == 0 ? 0 : -1;
}

int resmon_hello(void)
{
	return !resmon_kernel() ? -1 : ret(syscall(RESMON_NR_HELLO));
}

int resmon_register(pid_t pid)
{
	return !resmon_kernel() ? -1 : ret(syscall(RESMON_NR_REGISTER, (long)pid));
}

int resmon_fetch(pid_t pid, struct per_proc_resource *stats)
{
	/* The kernel takes (stats, pid); the library puts the pid first like its siblings. */
	return !resmon_kernel() ? -1 : ret(syscall(RESMON_NR_FETCH, stats, (long)pid));
}

int resmon_deregister(pid_t pid)
{
	return !resmon_kernel() ? -1 : ret(syscall(RESMON_NR_DEREGISTER, (long)pid));
}

int resmon_cap(pid_t pid, long heap_mib, long files)
{
	return !resmon_kernel() ? -1 : ret(syscall(RESMON_NR_CAP, (long)pid, heap_mib, files));
}

int resmon_reset(pid_t pid)
{
	return !resmon_kernel() ? -1 : ret(syscall(RESMON_NR_RESET, (long)pid));
}

int resmon_available(void)
{
	/*
	 * register(0) fails with EINVAL before touching anything when resmon
	 * exists, and with ENOSYS when it does not (or resmon_kernel() said
	 * so). hello() would also tell, but it writes to the kernel log.
	 */
	int saved = errno;
	int ok = resmon_register(0) == 0 || errno != ENOSYS;

	errno = saved;
	return ok;
}
