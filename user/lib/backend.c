// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Which edition answers, decided once per process. Numbers 451-456 are
 * resmon's only on a resmon kernel: on mainline 6.5+ they are cachestat,
 * fchmodat2, map_shadow_stack and the futex2 calls, and e.g. futex_wait
 * would block. So before the first call, look for /proc/resmon; if /proc
 * is mounted and it is absent, never make the system calls: talk to
 * resmond (the eBPF edition). If /proc is not mounted there is no way to
 * tell, and the system calls are made.
 *
 * The kernel cannot gain or lose resmon while we run, so the answer is
 * kept. Whether a resmond listens can change (it may start after us, or
 * be restarted), so resmond's table asks on each call and answers ENOSYS
 * while none does: that is the "none" edition, not a third table.
 */
#include "backend.h"

#include <errno.h>
#include <stdatomic.h>
#include <unistd.h>

const struct resmon_backend *resmon_pick_backend(const char *proc_resmon, const char *proc_self)
{
	int saved = errno, resmond;

	resmond = access(proc_resmon, F_OK) < 0 && errno == ENOENT && access(proc_self, F_OK) == 0;
	errno = saved;
	return resmond ? &resmon_resmond_backend : &resmon_kernel_backend;
}

const struct resmon_backend *resmon_backend(void)
{
	/* Racing first calls compute the same table and store the same pointer. */
	static const struct resmon_backend *_Atomic picked;
	const struct resmon_backend *b = picked;

	if (!b) {
		b = resmon_pick_backend("/proc/resmon", "/proc/self");
		picked = b;
	}
	return b;
}
