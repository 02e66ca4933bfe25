// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Return codes through libresmon, in SPEC.md's order: what each call says
 * for pid < 1, a pid naming no process, an unmonitored process, a bad
 * argument and a second register or cap.
 */
#include "util.h"

#include <limits.h>
#include <stdio.h>
#include <sys/mman.h>

/* One past the highest possible pid: names no process. */
#define NO_SUCH_PID INT_MAX

PARITY_CASE(codes_pid_below_one_and_no_such_process)
{
	struct per_proc_resource r;

	CHECK_ERR(EINVAL, resmon_register(0));
	CHECK_ERR(EINVAL, resmon_register(-1));
	CHECK_ERR(ESRCH, resmon_register(NO_SUCH_PID));
	CHECK_ERR(EINVAL, resmon_fetch(0, &r));
	CHECK_ERR(EINVAL, resmon_fetch(-5, &r));
	CHECK_ERR(EINVAL, resmon_fetch(NO_SUCH_PID, &r));
	CHECK_ERR(EINVAL, resmon_deregister(0));
	CHECK_ERR(ESRCH, resmon_deregister(NO_SUCH_PID));
	CHECK_ERR(ESRCH, resmon_cap(0, 1, 1));
	CHECK_ERR(ESRCH, resmon_cap(NO_SUCH_PID, 1, 1));
	CHECK_ERR(ESRCH, resmon_reset(-1));
	CHECK_ERR(ESRCH, resmon_reset(NO_SUCH_PID));
	/* bad arguments come after the process lookup */
	CHECK_ERR(ESRCH, resmon_cap(NO_SUCH_PID, -2, -2));
	CHECK_ERR(EINVAL, resmon_fetch(NO_SUCH_PID, NULL));
}

PARITY_CASE(codes_unmonitored_process)
{
	struct per_proc_resource r;
	const pid_t self = getpid();

	CHECK_ERR(EINVAL, resmon_fetch(self, &r));
	CHECK_ERR(ESRCH, resmon_deregister(self));
	/* not monitored comes before a bad quota */
	CHECK_ERR(EINVAL, resmon_cap(self, -2, 1));
	CHECK_ERR(EINVAL, resmon_cap(self, 1, 1));
	CHECK_ERR(EINVAL, resmon_reset(self));
}

PARITY_CASE(codes_monitored_process)
{
	const pid_t self = getpid();
	struct per_proc_resource r;
	void *ro;

	ro = mmap(NULL, page_size(), PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(ro != MAP_FAILED);
	register_self();
	CHECK_ERR(ENFILE, resmon_register(self));
	CHECK_ERR(EINVAL, resmon_fetch(self, NULL));
	CHECK_ERR(EINVAL, resmon_fetch(self, ro));
	CHECK_ERR(EINVAL, resmon_cap(self, -2, 1));
	CHECK_ERR(EINVAL, resmon_cap(self, 1, -2));
	CHECK_ERR(EINVAL, resmon_cap(self, LONG_MIN, 1));
	CHECK_ERR(EINVAL, resmon_cap(self, RESMON_HEAP_QUOTA_MAX + 1, 1));
	CHECK_ERR(EINVAL, resmon_cap(self, LONG_MAX, 1));
	/* nothing was set by the refused calls */
	check_fresh(self);
	/* the largest heap quota is accepted; any file quota is */
	CHECK_OK(resmon_cap(self, RESMON_HEAP_QUOTA_MAX, LONG_MAX));
	FETCH(self, r);
	CHECK_EQ(RESMON_HEAP_QUOTA_MAX, r.heap_quota);
	CHECK_EQ(LONG_MAX, r.file_quota);
	CHECK_EQ(1, r.quotas_defined);
	CHECK_ERR(ENFILE, resmon_cap(self, 1, 1));
	/* a bad quota is EINVAL even when quotas are defined (step 4 before 5) */
	CHECK_ERR(EINVAL, resmon_cap(self, -2, 1));
	CHECK_OK(resmon_reset(self));		/* root may lift */
	check_fresh(self);
	CHECK_OK(resmon_reset(self));		/* nothing defined: still 0 */
	/* cap(-1, -1) counts as defined */
	CHECK_OK(resmon_cap(self, -1, -1));
	FETCH(self, r);
	CHECK_EQ(-1, r.heap_quota);
	CHECK_EQ(-1, r.file_quota);
	CHECK_EQ(1, r.quotas_defined);
	CHECK_ERR(ENFILE, resmon_cap(self, 5, 5));
	CHECK_OK(resmon_deregister(self));
	CHECK_ERR(EINVAL, resmon_fetch(self, &r));
	CHECK_ERR(ESRCH, resmon_deregister(self));
	CHECK_ERR(EINVAL, resmon_cap(self, 1, 1));
	CHECK_ERR(EINVAL, resmon_reset(self));
	/* registered again: from zero */
	register_self();
}

/* The global init and kernel threads are refused, even for root. */
PARITY_CASE(codes_init_and_kernel_thread_refused)
{
	struct per_proc_resource r;
	char comm[32] = "";
	FILE *f;

	CHECK_ERR(EPERM, resmon_register(1));
	CHECK_ERR(EINVAL, resmon_fetch(1, &r));
	CHECK_ERR(EINVAL, resmon_cap(1, 1, 1));
	CHECK_ERR(ESRCH, resmon_deregister(1));
	f = fopen("/proc/2/comm", "r");
	if (!f || !fgets(comm, sizeof(comm), f) || strcmp(comm, "kthreadd\n"))
		skip("pid 2 is not kthreadd here");
	fclose(f);
	CHECK_ERR(EPERM, resmon_register(2));
	CHECK_ERR(EINVAL, resmon_fetch(2, &r));
	CHECK_ERR(EINVAL, resmon_reset(2));
}
