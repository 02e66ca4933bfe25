// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The public calls: each hands its arguments to the table of the edition
 * that answers (backend.c picks it once). Nothing here knows an edition.
 */
#include "backend.h"

#include <errno.h>

const char *resmon_edition(void)
{
	return resmon_backend()->edition();
}

int resmon_hello(void)
{
	return resmon_backend()->hello();
}

int resmon_register(pid_t pid)
{
	return resmon_backend()->register_pid(pid);
}

int resmon_fetch(pid_t pid, struct per_proc_resource *stats)
{
	return resmon_backend()->fetch(pid, stats);
}

int resmon_get_record(pid_t pid, struct resmon_record *rec)
{
	return resmon_backend()->get_record(pid, rec);
}

int resmon_deregister(pid_t pid)
{
	return resmon_backend()->deregister(pid);
}

int resmon_cap(pid_t pid, long heap_mib, long files)
{
	return resmon_backend()->cap(pid, heap_mib, files);
}

int resmon_reset(pid_t pid)
{
	return resmon_backend()->reset(pid);
}

int resmon_list(struct resmon_record **records, size_t *count)
{
	return resmon_backend()->list(records, count);
}

int resmon_watch_end(pid_t pid)
{
	return resmon_backend()->watch_end(pid);
}

int resmon_read_end(int fd, struct resmon_end *end)
{
	return resmon_backend()->read_end(fd, end);
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
