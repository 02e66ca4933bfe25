// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The system call wrappers. syscall(2) already has the convention we want
 * (-1 and errno), so each wrapper only fixes the argument types and order.
 */
#include "resmon.h"
#include "resmon/resmond_client.h"

#include <errno.h>
#include <stddef.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/uio.h>
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
 * Two editions answer the same calls (resmon_edition()):
 *  - the kernel edition, system calls 451-456, where /proc/resmon exists;
 *  - the eBPF edition, resmond's socket, on a kernel without it.
 * Numbers 451-456 are resmon's only on a resmon kernel: on mainline 6.5+
 * they are cachestat, fchmodat2, map_shadow_stack and the futex2 calls,
 * and e.g. futex_wait would block. So before the first call, look for
 * /proc/resmon; if /proc is mounted and it is absent, never make the
 * system call: ask resmond, and if no resmond answers fail with ENOSYS.
 * If /proc is not mounted there is no way to tell, and the call is made.
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
	return k > 0;
}

/* The kernel's int return fits; the long from syscall() is narrowed here once. */
static int ret(long r)
{
	return r == 0 ? 0 : -1;
}

const char *resmon_edition(void)
{
	if (resmon_kernel())
		return "kernel";
	return resmond_running() ? "ebpf" : "none";
}

int resmon_hello(void)
{
	if (resmon_kernel())
		return ret(syscall(RESMON_NR_HELLO));
	return resmond_call(RESMOND_HELLO, 0, 0, 0, NULL);
}

int resmon_register(pid_t pid)
{
	if (resmon_kernel())
		return ret(syscall(RESMON_NR_REGISTER, (long)pid));
	return resmond_call(RESMOND_REGISTER, pid, 0, 0, NULL);
}

/*
 * The daemon's record, copied into the caller's @stats the way the kernel's
 * copy_to_user() would: a NULL or unwritable buffer is EINVAL (SPEC's last
 * check of fetch), not a crash. process_vm_writev() on ourselves is that
 * checked copy, and opens nothing, so a monitored caller counts no file.
 */
static int copy_out(struct per_proc_resource *stats, const struct resmond_record *w)
{
	struct per_proc_resource r;
	struct iovec local = { &r, sizeof(r) }, remote = { stats, sizeof(r) };

	memset(&r, 0, sizeof(r));
	r.pid = w->pid;
	r.heapsize = (unsigned long)(w->heap_bytes >> 20);
	r.openfile_count = (unsigned long)w->files;
	r.heap_quota = (long)w->heap_quota;
	r.file_quota = (long)w->file_quota;
	r.quotas_defined = w->quotas_defined;
	if (!stats || process_vm_writev(getpid(), &local, 1, &remote, 1, 0) != (ssize_t)sizeof(r)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int resmon_fetch(pid_t pid, struct per_proc_resource *stats)
{
	struct resmond_record w;

	/* The kernel takes (stats, pid); the library puts the pid first like its siblings. */
	if (resmon_kernel())
		return ret(syscall(RESMON_NR_FETCH, stats, (long)pid));
	if (resmond_call(RESMOND_FETCH, pid, 0, 0, &w) < 0)
		return -1;
	return copy_out(stats, &w);
}

int resmon_deregister(pid_t pid)
{
	if (resmon_kernel())
		return ret(syscall(RESMON_NR_DEREGISTER, (long)pid));
	return resmond_call(RESMOND_DEREGISTER, pid, 0, 0, NULL);
}

int resmon_cap(pid_t pid, long heap_mib, long files)
{
	if (resmon_kernel())
		return ret(syscall(RESMON_NR_CAP, (long)pid, heap_mib, files));
	return resmond_call(RESMOND_CAP, pid, heap_mib, files, NULL);
}

int resmon_reset(pid_t pid)
{
	if (resmon_kernel())
		return ret(syscall(RESMON_NR_RESET, (long)pid));
	return resmond_call(RESMOND_RESET, pid, 0, 0, NULL);
}

int resmon_available(void)
{
	/*
	 * register(0) fails with EINVAL before touching anything when resmon
	 * exists (either edition), and with ENOSYS when it does not. hello()
	 * would also tell, but it writes to the kernel log.
	 */
	int saved = errno;
	int ok = resmon_register(0) == 0 || errno != ENOSYS;

	errno = saved;
	return ok;
}
