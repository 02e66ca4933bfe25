// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Permissions: who may read (fetch: ptrace read access), manage (register,
 * cap, reset, deregister: the process itself, the same real, effective and
 * saved ids as prlimit(2) wants, or CAP_SYS_RESOURCE) and lift quotas
 * (reset or deregister of a capped process: CAP_SYS_RESOURCE, even for
 * itself). The unprivileged side is an "actor" child that becomes another
 * uid (setresuid) and sends back its return codes.
 */
#include "util.h"

#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/prctl.h>
#include <unistd.h>

/* Every call against one target, in a fixed order. */
static void all_calls(long *res, void *arg)
{
	const pid_t t = *(pid_t *)arg;
	struct per_proc_resource r;

	res[0] = rc(resmon_register(t));
	res[1] = rc(resmon_fetch(t, &r));
	res[2] = rc(resmon_fetch(t, NULL));
	res[3] = rc(resmon_cap(t, 1, 1));
	res[4] = rc(resmon_cap(t, -5, 1));
	res[5] = rc(resmon_reset(t));
	res[6] = rc(resmon_deregister(t));
	/* pid < 1 and missing processes are answered before permission */
	res[7] = rc(resmon_register(0));
	res[8] = rc(resmon_fetch(0, &r));
	res[9] = rc(resmon_deregister(-1));
	res[10] = rc(resmon_cap(0, 1, 1));
	res[11] = rc(resmon_reset(0));
	res[12] = rc(resmon_register(INT_MAX));
	res[13] = rc(resmon_fetch(INT_MAX, &r));
	res[14] = rc(resmon_deregister(INT_MAX));
	res[15] = rc(resmon_cap(INT_MAX, 1, 1));
}

static void check_all_eperm(const long *res)
{
	static const long want[RES_MAX] = {
		-EPERM, -EPERM, -EPERM, -EPERM, -EPERM, -EPERM, -EPERM,
		-EINVAL, -EINVAL, -EINVAL, -ESRCH, -ESRCH, -ESRCH, -EINVAL, -ESRCH, -ESRCH,
	};
	int i;

	for (i = 0; i < RES_MAX; i++)
		if (res[i] != want[i])
			fail_at(__FILE__, __LINE__, "call #%d: want %ld, got %ld", i, want[i], res[i]);
}

struct ids {
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
};

/* An idle target with the given ids (set while still root), or root's. */
static void idle_as(void *arg)
{
	const struct ids *id = arg;

	if (id && (setgroups(0, NULL) || setresgid(id->rgid, id->egid, id->sgid) ||
		   setresuid(id->ruid, id->euid, id->suid) ||
		   prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)))
		_exit(9);
	mark('r');
	wait_go();
}

static void unprivileged_vs_root(int monitored, int capped)
{
	struct per_proc_resource r;
	long res[RES_MAX];
	struct child t;

	CHECK(spawn(&t, idle_as, NULL) > 0);
	CHECK_EQ('r', read_mark(&t));
	if (monitored)
		CHECK_OK(resmon_register(t.pid));
	if (capped)
		CHECK_OK(resmon_cap(t.pid, 40, 50));
	CHECK_EQ(0, run_as(NOBODY, NOBODY, 0, all_calls, &t.pid, res));
	check_all_eperm(res);
	/* and nothing changed */
	if (!monitored) {
		CHECK_ERR(EINVAL, resmon_fetch(t.pid, &r));
	} else {
		FETCH(t.pid, r);
		CHECK_EQ(capped ? 40 : -1, r.heap_quota);
		CHECK_EQ(capped ? 50 : -1, r.file_quota);
		CHECK_EQ(capped, r.quotas_defined);
	}
	CHECK_EQ(0, go(&t));
	CHECK_EXITED_OK(reap(&t));
}

PARITY_CASE(perm_unprivileged_vs_root_unmonitored) { unprivileged_vs_root(0, 0); }
PARITY_CASE(perm_unprivileged_vs_root_monitored)   { unprivileged_vs_root(1, 0); }
PARITY_CASE(perm_unprivileged_vs_root_capped)      { unprivileged_vs_root(1, 1); }

/* ---- targets whose ids do not all match the caller's ---- */

static void manage_calls(long *res, void *arg)
{
	const pid_t t = *(pid_t *)arg;

	res[0] = rc(resmon_register(t));
	res[1] = rc(resmon_cap(t, 1, 1));
	res[2] = rc(resmon_reset(t));
	res[3] = rc(resmon_deregister(t));
}

static void mismatch(struct ids id)
{
	long res[RES_MAX];
	struct child t;
	int i;

	CHECK(spawn(&t, idle_as, &id) > 0);
	CHECK_EQ('r', read_mark(&t));
	CHECK_OK(resmon_register(t.pid));
	CHECK_EQ(0, run_as(NOBODY, NOBODY, 0, manage_calls, &t.pid, res));
	for (i = 0; i < 4; i++)
		if (res[i] != -EPERM)
			fail_at(__FILE__, __LINE__, "call #%d: want EPERM, got %ld", i, res[i]);
	check_fresh(t.pid);
	CHECK_EQ(0, go(&t));
	CHECK_EXITED_OK(reap(&t));
}

#define N NOBODY
#define O OTHER_ID
PARITY_CASE(perm_ruid_mismatch_may_not_manage) { mismatch((struct ids){ O, N, N, N, N, N }); }
PARITY_CASE(perm_euid_mismatch_may_not_manage) { mismatch((struct ids){ N, O, N, N, N, N }); }
PARITY_CASE(perm_suid_mismatch_may_not_manage) { mismatch((struct ids){ N, N, O, N, N, N }); }
PARITY_CASE(perm_rgid_mismatch_may_not_manage) { mismatch((struct ids){ N, N, N, O, N, N }); }
PARITY_CASE(perm_egid_mismatch_may_not_manage) { mismatch((struct ids){ N, N, N, N, O, N }); }
PARITY_CASE(perm_sgid_mismatch_may_not_manage) { mismatch((struct ids){ N, N, N, N, N, O }); }
#undef N
#undef O

/* ---- same ids: may manage and read, may not lift ---- */

static void same_uid_cap(long *res, void *arg)
{
	const pid_t t = *(pid_t *)arg;
	struct per_proc_resource r;

	res[0] = rc(resmon_register(t));
	memset(&r, 0, sizeof(r));
	res[1] = rc(resmon_fetch(t, &r));
	res[2] = r.pid;
	res[3] = rc(resmon_cap(t, 10, 20));
	res[4] = rc(resmon_cap(t, 10, 20));
	res[5] = rc(resmon_reset(t));
	res[6] = rc(resmon_deregister(t));
	res[7] = rc(resmon_register(t));
}

static void same_uid_after_lift(long *res, void *arg)
{
	const pid_t t = *(pid_t *)arg;

	res[0] = rc(resmon_reset(t));		/* nothing defined: allowed */
	res[1] = rc(resmon_deregister(t));	/* nothing defined: allowed */
	res[2] = rc(resmon_register(t));
	res[3] = rc(resmon_cap(t, -1, -1));	/* "defined" too */
	res[4] = rc(resmon_deregister(t));
}

PARITY_CASE(perm_same_ids_manage_but_not_lift)
{
	static const struct ids nobody = { NOBODY, NOBODY, NOBODY, NOBODY, NOBODY, NOBODY };
	struct per_proc_resource r;
	long res[RES_MAX];
	struct child t;

	CHECK(spawn(&t, idle_as, (void *)&nobody) > 0);
	CHECK_EQ('r', read_mark(&t));
	CHECK_EQ(0, run_as(NOBODY, NOBODY, 0, same_uid_cap, &t.pid, res));
	CHECK_EQ(0, res[0]);
	CHECK_EQ(0, res[1]);
	CHECK_EQ(t.pid, res[2]);
	CHECK_EQ(0, res[3]);
	CHECK_EQ(-ENFILE, res[4]);
	CHECK_EQ(-EPERM, res[5]);
	CHECK_EQ(-EPERM, res[6]);
	CHECK_EQ(-ENFILE, res[7]);
	FETCH(t.pid, r);
	CHECK_EQ(10, r.heap_quota);
	CHECK_EQ(20, r.file_quota);
	CHECK_EQ(1, r.quotas_defined);
	/* root lifts */
	CHECK_OK(resmon_reset(t.pid));
	CHECK_EQ(0, run_as(NOBODY, NOBODY, 0, same_uid_after_lift, &t.pid, res));
	CHECK_EQ(0, res[0]);
	CHECK_EQ(0, res[1]);
	CHECK_EQ(0, res[2]);
	CHECK_EQ(0, res[3]);
	CHECK_EQ(-EPERM, res[4]);
	CHECK_OK(resmon_deregister(t.pid));	/* root, of a capped process */
	CHECK_ERR(EINVAL, resmon_fetch(t.pid, &r));
	CHECK_EQ(0, go(&t));
	CHECK_EXITED_OK(reap(&t));
}

/* ---- dumpability: reading is ptrace read access, refused on a non-dumpable target ---- */

static void nobody_undumpable(void *arg)
{
	(void)arg;
	if (become(NOBODY, NOBODY, 0) || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		_exit(9);
	mark('r');
	wait_go();
}

static void fetch_and_manage(long *res, void *arg)
{
	const pid_t t = *(pid_t *)arg;
	struct per_proc_resource r;

	res[0] = rc(resmon_fetch(t, &r));
	res[1] = rc(resmon_cap(t, 5, 5));	/* managing is prlimit's rule: no dumpability */
}

PARITY_CASE(perm_same_ids_may_not_read_undumpable)
{
	struct per_proc_resource r;
	long res[RES_MAX];
	struct child t;

	CHECK(spawn(&t, nobody_undumpable, NULL) > 0);
	CHECK_EQ('r', read_mark(&t));
	CHECK_OK(resmon_register(t.pid));
	CHECK_EQ(0, run_as(NOBODY, NOBODY, 0, fetch_and_manage, &t.pid, res));
	CHECK_EQ(-EPERM, res[0]);
	CHECK_EQ(0, res[1]);
	FETCH(t.pid, r);			/* root: CAP_SYS_PTRACE */
	CHECK_EQ(5, r.heap_quota);
	CHECK_EQ(0, go(&t));
	CHECK_EXITED_OK(reap(&t));
}

/* ---- pids are the caller's: a caller in a child pid namespace ---- */

struct ns_shared {
	long r[RES_MAX];
	pid_t outside;		/* a pid only the parent namespace has */
	volatile pid_t sibling;	/* the sibling's pid in the new namespace */
	volatile int done;
};

static void ns_wait(volatile int *flag)
{
	int i;

	for (i = 0; i < 6000 && !*flag; i++)
		usleep(10000);
}

/* Pid 1 of the new namespace: names itself, its sibling and an outside pid. */
static void ns_init(struct ns_shared *sh)
{
	struct per_proc_resource r;
	pid_t me = getpid(), sib;

	ns_wait((volatile int *)&sh->sibling);
	sib = sh->sibling;
	sh->r[1] = me;
	sh->r[2] = rc(resmon_register(me));
	memset(&r, 0, sizeof(r));
	sh->r[3] = rc(resmon_fetch(me, &r));
	sh->r[4] = r.pid;
	sh->r[5] = rc(resmon_register(sib));
	memset(&r, 0, sizeof(r));
	sh->r[6] = rc(resmon_fetch(sib, &r));
	sh->r[7] = r.pid;
	sh->r[8] = sib;
	sh->r[9] = rc(resmon_register(sh->outside));
	sh->r[10] = rc(resmon_fetch(sh->outside, &r));
	sh->r[11] = rc(resmon_deregister(sib));
	sh->r[12] = rc(resmon_deregister(me));
	sh->done = 1;
}

static void in_new_pidns(long *res, void *arg)
{
	struct ns_shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t a, b;
	int i;

	(void)arg;
	if (sh == MAP_FAILED) {
		res[0] = -errno;
		return;
	}
	sh->outside = getpid();
	res[0] = unshare(CLONE_NEWUSER | CLONE_NEWPID) ? -errno : 0;
	if (res[0])
		return;
	a = fork();
	if (a == 0) {
		ns_init(sh);
		_exit(0);
	}
	b = fork();
	if (b == 0) {
		sh->sibling = getpid();
		ns_wait(&sh->done);
		_exit(0);
	}
	if (b < 0)
		sh->done = 1;
	/* Either order: the namespace's init, exiting, waits until we reaped its sibling. */
	while (wait(NULL) > 0)
		;
	for (i = 1; i < RES_MAX; i++)
		res[i] = sh->r[i];
}

PARITY_CASE(perm_pids_in_the_callers_pid_namespace)
{
	long res[RES_MAX];

	CHECK_EQ(0, run_as(NOBODY, NOBODY, 0, in_new_pidns, NULL, res));
	CHECK_EQ(0, res[0]);			/* unshare(CLONE_NEWUSER | CLONE_NEWPID) */
	CHECK_EQ(1, res[1]);			/* the namespace's init */
	CHECK_EQ(0, res[2]);			/* registers itself as 1 */
	CHECK_EQ(0, res[3]);
	CHECK_EQ(1, res[4]);			/* and is reported as 1 */
	CHECK_EQ(0, res[5]);			/* the sibling, by its namespace pid */
	CHECK_EQ(0, res[6]);
	CHECK_EQ(res[8], res[7]);
	CHECK_EQ(-ESRCH, res[9]);		/* only outside: no such process */
	CHECK_EQ(-EINVAL, res[10]);
	CHECK_EQ(0, res[11]);
	CHECK_EQ(0, res[12]);
}

/* ---- itself ---- */

static void self_calls(long *res, void *arg)
{
	const pid_t me = getpid();
	struct per_proc_resource r;

	(void)arg;
	res[0] = rc(resmon_register(me));
	res[1] = rc(resmon_deregister(me));	/* no quotas: allowed */
	res[2] = rc(resmon_register(me));
	res[3] = rc(resmon_reset(me));		/* no quotas: allowed */
	res[4] = rc(resmon_cap(me, 100, 100));
	res[5] = rc(resmon_reset(me));		/* lifting: EPERM */
	res[6] = rc(resmon_deregister(me));	/* lifting: EPERM */
	memset(&r, 0, sizeof(r));
	res[7] = rc(resmon_fetch(me, &r));
	res[8] = r.quotas_defined;
	res[9] = r.heap_quota;
	res[10] = rc(resmon_cap(me, -1, -1));	/* ENFILE: not a way out either */
}

PARITY_CASE(perm_self_may_manage_but_not_lift)
{
	static const long want[11] = { 0, 0, 0, 0, 0, -EPERM, -EPERM, 0, 1, 100, -ENFILE };
	long res[RES_MAX];
	int i;

	CHECK_EQ(0, run_as(NOBODY, NOBODY, 0, self_calls, NULL, res));
	for (i = 0; i < 11; i++)
		if (res[i] != want[i])
			fail_at(__FILE__, __LINE__, "call #%d: want %ld, got %ld", i, want[i], res[i]);
}

/* ---- capabilities without matching ids ---- */

static void cap_resource_calls(long *res, void *arg)
{
	const pid_t t = *(pid_t *)arg, me = getpid();
	struct per_proc_resource r;

	res[0] = rc(resmon_register(t));
	res[1] = rc(resmon_cap(t, 30, 40));
	res[2] = rc(resmon_fetch(t, &r));	/* reading needs ptrace access */
	res[3] = rc(resmon_reset(t));		/* lifting: allowed */
	res[4] = rc(resmon_cap(t, 30, 40));
	res[5] = rc(resmon_deregister(t));	/* lifting: allowed */
	res[6] = rc(resmon_register(me));
	res[7] = rc(resmon_cap(me, 30, 40));
	res[8] = rc(resmon_reset(me));		/* lifting itself: allowed */
	res[9] = rc(resmon_cap(me, 30, 40));
	res[10] = rc(resmon_deregister(me));
}

PARITY_CASE(perm_cap_sys_resource_may_manage_and_lift)
{
	static const long want[11] = { 0, 0, -EPERM, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct per_proc_resource r;
	long res[RES_MAX];
	struct child t;
	int i;

	CHECK(spawn(&t, idle_as, NULL) > 0);
	CHECK_EQ('r', read_mark(&t));
	CHECK_EQ(0, run_as(NOBODY, NOBODY, 1U << CAP_SYS_RESOURCE, cap_resource_calls,
			   &t.pid, res));
	for (i = 0; i < 11; i++)
		if (res[i] != want[i])
			fail_at(__FILE__, __LINE__, "call #%d: want %ld, got %ld", i, want[i], res[i]);
	CHECK_ERR(EINVAL, resmon_fetch(t.pid, &r));
	CHECK_EQ(0, go(&t));
	CHECK_EXITED_OK(reap(&t));
}

static void cap_ptrace_calls(long *res, void *arg)
{
	const pid_t t = *(pid_t *)arg;
	struct per_proc_resource r;

	memset(&r, 0, sizeof(r));
	res[0] = rc(resmon_fetch(t, &r));
	res[1] = r.pid;
	res[2] = r.heap_quota;
	res[3] = rc(resmon_register(t));
	res[4] = rc(resmon_cap(t, 1, 1));
	res[5] = rc(resmon_reset(t));
	res[6] = rc(resmon_deregister(t));
}

PARITY_CASE(perm_cap_sys_ptrace_may_read_not_manage)
{
	long res[RES_MAX];
	struct child t;
	int i;

	CHECK(spawn(&t, idle_as, NULL) > 0);
	CHECK_EQ('r', read_mark(&t));
	CHECK_OK(resmon_register(t.pid));
	CHECK_OK(resmon_cap(t.pid, 8, 9));
	CHECK_EQ(0, run_as(NOBODY, NOBODY, 1U << CAP_SYS_PTRACE, cap_ptrace_calls, &t.pid, res));
	CHECK_EQ(0, res[0]);
	CHECK_EQ(t.pid, res[1]);
	CHECK_EQ(8, res[2]);
	for (i = 3; i <= 6; i++)
		if (res[i] != -EPERM)
			fail_at(__FILE__, __LINE__, "call #%d: want EPERM, got %ld", i, res[i]);
	{
		struct per_proc_resource r;

		FETCH(t.pid, r);
		CHECK_EQ(1, r.quotas_defined);
	}
	CHECK_EQ(0, go(&t));
	CHECK_EXITED_OK(reap(&t));
}

/* ---- an unprivileged cap over usage kills the target, not the caller ---- */

static void capper(long *res, void *arg)
{
	res[0] = rc(resmon_cap(*(pid_t *)arg, -1, 0));
	res[1] = 1;	/* still alive */
}

static void nobody_opens_one(void *arg)
{
	(void)arg;
	if (become(NOBODY, NOBODY, 0))
		_exit(9);
	mark('r');
	wait_go();
	if (open_open() < 0)
		_exit(10);
	mark('o');
	wait_go();
	_exit(0);
}

PARITY_CASE(perm_unprivileged_cap_kills_target_not_caller)
{
	long res[RES_MAX];
	struct child t;

	CHECK(spawn(&t, nobody_opens_one, NULL) > 0);
	CHECK_EQ('r', read_mark(&t));
	CHECK_OK(resmon_register(t.pid));
	CHECK_EQ(0, go(&t));
	CHECK_EQ('o', read_mark(&t));
	CHECK_EQ(1, nfiles(t.pid));
	CHECK_EQ(0, run_as(NOBODY, NOBODY, 0, capper, &t.pid, res));
	CHECK_EQ(0, res[0]);
	CHECK_EQ(1, res[1]);
	CHECK_MARKS(&t, "");
	CHECK_KILLED(reap(&t));
}
