// SPDX-License-Identifier: GPL-2.0
/*
 * resmon permissions: who may read (fetch: ptrace read access), manage
 * (register, cap, reset, deregister: itself, same real/effective/saved
 * ids as prlimit(2), or CAP_SYS_RESOURCE) and lift quotas (reset and
 * deregister of a capped process: CAP_SYS_RESOURCE, even for itself).
 *
 * The unprivileged side runs in an "actor" child that drops to uid/gid
 * 65534 (optionally keeping chosen capabilities) and sends the return
 * codes of its calls back; the root test process checks them and the
 * resulting state.
 */

#include "resmon_helpers.h"

#include <linux/capability.h>

#define NOBODY		65534
#define OTHER		65533
#define MAX_RES		16

typedef void (*actor_fn)(long *res, void *arg);

static int become(uid_t uid, gid_t gid, uint32_t keep_caps)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (keep_caps && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		return -1;
	if (rm_drop_to(uid, gid))
		return -1;
	memset(d, 0, sizeof(d));
	d[0].permitted = keep_caps;
	d[0].effective = keep_caps;
	if (syscall(SYS_capset, &h, d))
		return -1;
	return prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

/*
 * Run @fn as @uid/@gid with @caps in a child; its results land in @res.
 * Returns 0 if the child ran to completion.
 */
static int run_as(uid_t uid, gid_t gid, uint32_t caps, actor_fn fn, void *arg,
		  long *res)
{
	int p[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		long r[MAX_RES];

		close(p[0]);
		memset(r, 0x55, sizeof(r));
		if (become(uid, gid, caps))
			_exit(2);
		fn(r, arg);
		if (write(p[1], r, sizeof(r)) != sizeof(r))
			_exit(3);
		_exit(0);
	}
	close(p[1]);
	n = read(p[0], res, MAX_RES * sizeof(long));
	close(p[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return n == MAX_RES * sizeof(long) ? 0 : -1;
}

/* Every call against one target, in a fixed order. */
static void all_calls(long *res, void *arg)
{
	const pid_t t = *(pid_t *)arg;
	struct per_proc_resource r;

	res[0] = rm_register(t);
	res[1] = rm_fetch(&r, t);
	res[2] = rm_fetch(NULL, t);
	res[3] = rm_cap(t, 1, 1);
	res[4] = rm_cap(t, -5, 1);
	res[5] = rm_reset(t);
	res[6] = rm_deregister(t);
	/* pid < 1 and missing processes still come first */
	res[7] = rm_register(0);
	res[8] = rm_fetch(&r, 0);
	res[9] = rm_deregister(-1);
	res[10] = rm_cap(0, 1, 1);
	res[11] = rm_reset(0);
	res[12] = rm_register(rm_unused_pid());
	res[13] = rm_fetch(&r, rm_unused_pid());
	res[14] = rm_deregister(rm_unused_pid());
	res[15] = rm_cap(rm_unused_pid(), 1, 1);
}

static void expect_all_eperm(struct __test_metadata *_metadata, long *res)
{
	int i;

	for (i = 0; i <= 6; i++)
		EXPECT_EQ(-EPERM, res[i]) TH_LOG("call #%d", i);
	EXPECT_EQ(-EINVAL, res[7]);
	EXPECT_EQ(-EINVAL, res[8]);
	EXPECT_EQ(-EINVAL, res[9]);
	EXPECT_EQ(-ESRCH, res[10]);
	EXPECT_EQ(-ESRCH, res[11]);
	EXPECT_EQ(-ESRCH, res[12]);
	EXPECT_EQ(-EINVAL, res[13]);
	EXPECT_EQ(-ESRCH, res[14]);
	EXPECT_EQ(-ESRCH, res[15]);
}

/* A target with the given ids (set while still root). */
struct ids {
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
};

static void idle_as(void *arg)
{
	const struct ids *id = arg;
	char c;

	if (id) {
		if (setgroups(0, NULL) ||
		    setresgid(id->rgid, id->egid, id->sgid) ||
		    setresuid(id->ruid, id->euid, id->suid) ||
		    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
			_exit(9);
	}
	rm_mark('r');
	(void)!read(rm_go_r, &c, 1);
}

FIXTURE(root_target) {
	struct rm_child t;
};

FIXTURE_VARIANT(root_target) {
	bool monitored, capped;
};

FIXTURE_VARIANT_ADD(root_target, unmonitored) { .monitored = false };
FIXTURE_VARIANT_ADD(root_target, monitored) { .monitored = true };
FIXTURE_VARIANT_ADD(root_target, capped) { .monitored = true, .capped = true };

FIXTURE_SETUP(root_target)
{
	ASSERT_LT(0, rm_spawn(&self->t, idle_as, NULL));
	ASSERT_EQ('r', rm_read_mark(&self->t));
	if (variant->monitored)
		ASSERT_EQ(0, rm_register(self->t.pid));
	if (variant->capped)
		ASSERT_EQ(0, rm_cap(self->t.pid, 40, 50));
}

FIXTURE_TEARDOWN(root_target)
{
	rm_reap(&self->t);
}

/* An unprivileged caller learns nothing and changes nothing. */
/* A child running @fn, past its 'r' mark, registered by this (root) process. */
static void spawn_registered(struct __test_metadata *_metadata, struct rm_child *t,
			     void (*fn)(void *))
{
	ASSERT_LT(0, rm_spawn(t, fn, NULL));
	ASSERT_EQ('r', rm_read_mark(t));
	ASSERT_EQ(0, rm_register(t->pid));
}

TEST_F(root_target, unprivileged_gets_eperm_first)
{
	struct per_proc_resource r;
	long res[MAX_RES];

	ASSERT_EQ(0, run_as(NOBODY, NOBODY, 0, all_calls, &self->t.pid, res));
	expect_all_eperm(_metadata, res);
	/* the record is as it was */
	if (!variant->monitored) {
		EXPECT_EQ(-EINVAL, rm_fetch(&r, self->t.pid));
		return;
	}
	FETCH(self->t.pid, r);
	EXPECT_EQ(variant->capped ? 40 : -1, r.heap_quota);
	EXPECT_EQ(variant->capped ? 50 : -1, r.file_quota);
	EXPECT_EQ(variant->capped, r.quotas_defined);
}

/* The test process itself (root) as the target, too. */
TEST(unprivileged_vs_root_caller_itself)
{
	pid_t me = getpid();
	long res[MAX_RES];

	ASSERT_EQ(0, rm_register(me));
	ASSERT_EQ(0, run_as(NOBODY, NOBODY, 0, all_calls, &me, res));
	expect_all_eperm(_metadata, res);
	EXPECT_EQ(0, rm_deregister(me));
}

/* ---- targets whose ids do not all match the caller's real ids ---- */

FIXTURE(mismatch) {
	struct rm_child t;
};

FIXTURE_VARIANT(mismatch) {
	struct ids id;
};

FIXTURE_VARIANT_ADD(mismatch, ruid) {
	.id = { OTHER, NOBODY, NOBODY, NOBODY, NOBODY, NOBODY } };
FIXTURE_VARIANT_ADD(mismatch, euid) {
	.id = { NOBODY, OTHER, NOBODY, NOBODY, NOBODY, NOBODY } };
FIXTURE_VARIANT_ADD(mismatch, suid) {
	.id = { NOBODY, NOBODY, OTHER, NOBODY, NOBODY, NOBODY } };
FIXTURE_VARIANT_ADD(mismatch, rgid) {
	.id = { NOBODY, NOBODY, NOBODY, OTHER, NOBODY, NOBODY } };
FIXTURE_VARIANT_ADD(mismatch, egid) {
	.id = { NOBODY, NOBODY, NOBODY, NOBODY, OTHER, NOBODY } };
FIXTURE_VARIANT_ADD(mismatch, sgid) {
	.id = { NOBODY, NOBODY, NOBODY, NOBODY, NOBODY, OTHER } };

FIXTURE_SETUP(mismatch)
{
	ASSERT_LT(0, rm_spawn(&self->t, idle_as, (void *)&variant->id));
	ASSERT_EQ('r', rm_read_mark(&self->t));
	ASSERT_EQ(0, rm_register(self->t.pid));
}

FIXTURE_TEARDOWN(mismatch)
{
	rm_reap(&self->t);
}

static void manage_calls(long *res, void *arg)
{
	const pid_t t = *(pid_t *)arg;

	res[0] = rm_register(t);
	res[1] = rm_cap(t, 1, 1);
	res[2] = rm_reset(t);
	res[3] = rm_deregister(t);
}

TEST_F(mismatch, may_not_manage)
{
	long res[MAX_RES];
	int i;

	ASSERT_EQ(0, run_as(NOBODY, NOBODY, 0, manage_calls, &self->t.pid, res));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(-EPERM, res[i]) TH_LOG("call #%d", i);
	EXPECT_FRESH_RECORD(self->t.pid);
}

/* ---- same ids: may manage, may read, may not lift ---- */

static const struct ids nobody = {
	NOBODY, NOBODY, NOBODY, NOBODY, NOBODY, NOBODY
};

static void same_uid_cap(long *res, void *arg)
{
	const pid_t t = *(pid_t *)arg;
	struct per_proc_resource r;

	res[0] = rm_register(t);
	memset(&r, 0, sizeof(r));
	res[1] = rm_fetch(&r, t);
	res[2] = r.pid;
	res[3] = rm_cap(t, 10, 20);
	res[4] = rm_cap(t, 10, 20);
	res[5] = rm_reset(t);
	res[6] = rm_deregister(t);
	res[7] = rm_register(t);
}

static void same_uid_after_lift(long *res, void *arg)
{
	const pid_t t = *(pid_t *)arg;

	res[0] = rm_reset(t);	/* nothing defined: allowed */
	res[1] = rm_deregister(t);	/* nothing defined: allowed */
	res[2] = rm_register(t);
	res[3] = rm_cap(t, -1, -1);	/* "defined" too */
	res[4] = rm_deregister(t);
}

TEST(same_ids_manage_but_not_lift)
{
	struct per_proc_resource r;
	struct rm_child t;
	long res[MAX_RES];

	ASSERT_LT(0, rm_spawn(&t, idle_as, (void *)&nobody));
	ASSERT_EQ('r', rm_read_mark(&t));

	ASSERT_EQ(0, run_as(NOBODY, NOBODY, 0, same_uid_cap, &t.pid, res));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(t.pid, res[2]);
	EXPECT_EQ(0, res[3]);
	EXPECT_EQ(-ENFILE, res[4]);
	EXPECT_EQ(-EPERM, res[5]);
	EXPECT_EQ(-EPERM, res[6]);
	EXPECT_EQ(-ENFILE, res[7]);
	FETCH(t.pid, r);
	EXPECT_EQ(10, r.heap_quota);
	EXPECT_EQ(20, r.file_quota);
	EXPECT_EQ(1, r.quotas_defined);

	/* root may lift */
	ASSERT_EQ(0, rm_reset(t.pid));
	ASSERT_EQ(0, run_as(NOBODY, NOBODY, 0, same_uid_after_lift, &t.pid, res));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(0, res[2]);
	EXPECT_EQ(0, res[3]);
	EXPECT_EQ(-EPERM, res[4]);
	/* root deregisters a capped process */
	ASSERT_EQ(0, rm_deregister(t.pid));
	EXPECT_EQ(-EINVAL, rm_fetch(&r, t.pid));
	rm_reap(&t);
}

/* ---- dumpability: reading is ptrace read access ---- */

static void nobody_undumpable(void *arg)
{
	if (rm_drop_to(NOBODY, NOBODY) || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		_exit(9);
	rm_mark('r');
	rm_wait_go();
}

static void fetch_and_manage(long *res, void *arg)
{
	const pid_t t = *(pid_t *)arg;
	struct per_proc_resource r;

	res[0] = rm_fetch(&r, t);
	res[1] = rm_cap(t, 5, 5);	/* managing is prlimit's rule: no dumpability */
}

TEST(same_ids_may_not_read_undumpable)
{
	struct rm_child t;
	long res[MAX_RES];

	spawn_registered(_metadata, &t, nobody_undumpable);
	ASSERT_EQ(0, run_as(NOBODY, NOBODY, 0, fetch_and_manage, &t.pid, res));
	EXPECT_EQ(-EPERM, res[0]);
	EXPECT_EQ(0, res[1]);
	/* root reads it (CAP_SYS_PTRACE) */
	EXPECT_EQ(5, FETCH_FIELD(t.pid, heap_quota));
	ASSERT_EQ(0, rm_go(&t));
	ASSERT_EXITED_OK(rm_reap(&t));
}

/* ---- pids are the caller's: a caller in a child pid namespace ---- */

struct ns_shared {
	long r[MAX_RES];
	pid_t outside;		/* a pid only the parent namespace has */
	pid_t sibling;		/* the sibling's pid in the new namespace */
	int done;
};

/* Up to 60 s for another process of the namespace to set @flag (shared memory). */
static void ns_wait(int *flag)
{
	int i;

	for (i = 0; i < 6000 && !__atomic_load_n(flag, __ATOMIC_ACQUIRE); i++)
		usleep(10000);
}

/* Pid 1 of the new namespace: names itself, its sibling and an outside pid. */
static void ns_init(struct ns_shared *sh)
{
	struct per_proc_resource r;
	pid_t me = getpid(), sib;

	ns_wait(&sh->sibling);
	sib = __atomic_load_n(&sh->sibling, __ATOMIC_ACQUIRE);
	sh->r[1] = me;
	sh->r[2] = rm_register(me);
	memset(&r, 0, sizeof(r));
	sh->r[3] = rm_fetch(&r, me);
	sh->r[4] = r.pid;
	sh->r[5] = rm_register(sib);
	memset(&r, 0, sizeof(r));
	sh->r[6] = rm_fetch(&r, sib);
	sh->r[7] = r.pid;
	sh->r[8] = sib;
	sh->r[9] = rm_register(sh->outside);
	sh->r[10] = rm_fetch(&r, sh->outside);
	sh->r[11] = rm_deregister(sib);
	sh->r[12] = rm_deregister(me);
	__atomic_store_n(&sh->done, 1, __ATOMIC_RELEASE);
}

static void in_new_pidns(long *res, void *arg)
{
	struct ns_shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t a, b;
	int i;

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
		__atomic_store_n(&sh->sibling, getpid(), __ATOMIC_RELEASE);
		ns_wait(&sh->done);
		_exit(0);
	}
	if (b < 0)
		__atomic_store_n(&sh->done, 1, __ATOMIC_RELEASE);
	/* Either order: the namespace's init, exiting, waits until we reaped its sibling. */
	while (wait(NULL) > 0)
		;
	for (i = 1; i < MAX_RES; i++)
		res[i] = sh->r[i];
}

TEST(pids_are_the_callers_pid_namespace)
{
	long res[MAX_RES];

	ASSERT_EQ(0, run_as(NOBODY, NOBODY, 0, in_new_pidns, NULL, res));
	ASSERT_EQ(0, res[0]);			/* unshare(CLONE_NEWUSER | CLONE_NEWPID) */
	EXPECT_EQ(1, res[1]);			/* the namespace's init */
	EXPECT_EQ(0, res[2]);			/* registers itself as 1 */
	EXPECT_EQ(0, res[3]);
	EXPECT_EQ(1, res[4]);			/* and is reported as 1 */
	EXPECT_EQ(0, res[5]);			/* the sibling, by its namespace pid */
	EXPECT_EQ(0, res[6]);
	EXPECT_EQ(res[8], res[7]);
	EXPECT_EQ(-ESRCH, res[9]);		/* only outside: no such process */
	EXPECT_EQ(-EINVAL, res[10]);
	EXPECT_EQ(0, res[11]);
	EXPECT_EQ(0, res[12]);
}

/* ---- itself ---- */

static void self_calls(long *res, void *arg)
{
	const pid_t me = getpid();
	struct per_proc_resource r;

	res[0] = rm_register(me);
	res[1] = rm_deregister(me);		/* no quotas: allowed */
	res[2] = rm_register(me);
	res[3] = rm_reset(me);		/* no quotas: allowed */
	res[4] = rm_cap(me, 100, 100);
	res[5] = rm_reset(me);		/* lift: EPERM */
	res[6] = rm_deregister(me);		/* lift: EPERM */
	memset(&r, 0, sizeof(r));
	res[7] = rm_fetch(&r, me);
	res[8] = r.quotas_defined;
	res[9] = r.heap_quota;
	res[10] = rm_cap(me, -1, -1);	/* ENFILE, not a way out */
}

TEST(self_may_manage_but_not_lift)
{
	long res[MAX_RES];

	ASSERT_EQ(0, run_as(NOBODY, NOBODY, 0, self_calls, NULL, res));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(0, res[2]);
	EXPECT_EQ(0, res[3]);
	EXPECT_EQ(0, res[4]);
	EXPECT_EQ(-EPERM, res[5]);
	EXPECT_EQ(-EPERM, res[6]);
	EXPECT_EQ(0, res[7]);
	EXPECT_EQ(1, res[8]);
	EXPECT_EQ(100, res[9]);
	EXPECT_EQ(-ENFILE, res[10]);
}

/* ---- capabilities without matching ids ---- */

static void cap_resource_calls(long *res, void *arg)
{
	const pid_t t = *(pid_t *)arg;
	const pid_t me = getpid();
	struct per_proc_resource r;

	res[0] = rm_register(t);
	res[1] = rm_cap(t, 30, 40);
	res[2] = rm_fetch(&r, t);	/* reading needs ptrace access */
	res[3] = rm_reset(t);	/* lift: allowed */
	res[4] = rm_cap(t, 30, 40);
	res[5] = rm_deregister(t);	/* lift: allowed */
	res[6] = rm_register(me);
	res[7] = rm_cap(me, 30, 40);
	res[8] = rm_reset(me);	/* lifting itself: allowed */
	res[9] = rm_cap(me, 30, 40);
	res[10] = rm_deregister(me);
}

TEST(cap_sys_resource_may_manage_and_lift)
{
	struct per_proc_resource r;
	struct rm_child t;
	long res[MAX_RES];
	int i;

	ASSERT_LT(0, rm_spawn(&t, idle_as, NULL));
	ASSERT_EQ('r', rm_read_mark(&t));
	ASSERT_EQ(0, run_as(NOBODY, NOBODY, 1U << CAP_SYS_RESOURCE,
			    cap_resource_calls, &t.pid, res));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(-EPERM, res[2]);
	for (i = 3; i <= 10; i++)
		EXPECT_EQ(0, res[i]) TH_LOG("call #%d", i);
	EXPECT_EQ(-EINVAL, rm_fetch(&r, t.pid));
	rm_reap(&t);
}

static void cap_ptrace_calls(long *res, void *arg)
{
	const pid_t t = *(pid_t *)arg;
	struct per_proc_resource r;

	memset(&r, 0, sizeof(r));
	res[0] = rm_fetch(&r, t);
	res[1] = r.pid;
	res[2] = r.heap_quota;
	res[3] = rm_register(t);
	res[4] = rm_cap(t, 1, 1);
	res[5] = rm_reset(t);
	res[6] = rm_deregister(t);
}

TEST(cap_sys_ptrace_may_read_not_manage)
{
	struct rm_child t;
	long res[MAX_RES];
	int i;

	spawn_registered(_metadata, &t, idle_as);
	ASSERT_EQ(0, rm_cap(t.pid, 8, 9));
	ASSERT_EQ(0, run_as(NOBODY, NOBODY, 1U << CAP_SYS_PTRACE,
			    cap_ptrace_calls, &t.pid, res));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(t.pid, res[1]);
	EXPECT_EQ(8, res[2]);
	for (i = 3; i <= 6; i++)
		EXPECT_EQ(-EPERM, res[i]) TH_LOG("call #%d", i);
	EXPECT_EQ(1, FETCH_FIELD(t.pid, quotas_defined));
	rm_reap(&t);
}

/* An unprivileged caller capping a same-uid process over quota kills it. */
static void capper(long *res, void *arg)
{
	res[0] = rm_cap(*(pid_t *)arg, -1, 0);
	res[1] = 1;	/* the caller is still alive */
}

static void open_then_idle(void *arg)
{
	int i;

	if (rm_drop_to(NOBODY, NOBODY))
		_exit(9);
	rm_mark('r');
	rm_wait_go();
	if (rm_open_open() < 0)
		_exit(10);
	rm_mark('o');
	(void)!read(rm_go_r, &i, 1);
	_exit(0);
}

TEST(unprivileged_cap_kills_target_not_caller)
{
	struct rm_child t;
	long res[MAX_RES];

	spawn_registered(_metadata, &t, open_then_idle);
	ASSERT_EQ(0, rm_go(&t));
	ASSERT_EQ('o', rm_read_mark(&t));
	ASSERT_EQ(1, NFILES(t.pid));
	ASSERT_EQ(0, run_as(NOBODY, NOBODY, 0, capper, &t.pid, res));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(1, res[1]);
	/* killed where it waited: no marker after 'o' */
	EXPECT_EQ(-1, rm_read_mark(&t));
	ASSERT_KILLED(rm_reap(&t));
}

/* ---- register refuses what a SIGKILL cannot reach, even for root ---- */

/*
 * The global init and kernel threads: the signal layer would drop the
 * kill, so no quota could be enforced. register answers -EPERM; never
 * monitored, they get from the other calls what any unmonitored process
 * gets.
 */
static void expect_unmonitorable(struct __test_metadata *_metadata, pid_t pid)
{
	struct per_proc_resource r;
	long ret;

	ASSERT_EQ(0, geteuid());
	ret = rm_register(pid);
	if (!ret)			/* accepted: leave no record behind */
		rm_deregister(pid);
	ASSERT_EQ(-EPERM, ret);
	EXPECT_EQ(-EINVAL, rm_fetch(&r, pid));
	EXPECT_EQ(-EINVAL, rm_cap(pid, 1, 1));
	EXPECT_EQ(-EINVAL, rm_reset(pid));
	EXPECT_EQ(-ESRCH, rm_deregister(pid));
}

TEST(register_refuses_global_init)
{
	expect_unmonitorable(_metadata, 1);
}

TEST(register_refuses_kernel_thread)
{
	char comm[32] = "";
	int fd = open("/proc/2/comm", O_RDONLY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, comm, sizeof(comm) - 1));
	close(fd);
	ASSERT_STREQ("kthreadd\n", comm);
	expect_unmonitorable(_metadata, 2);
}

int main(int argc, char **argv)
{
	return rm_test_main(argc, argv);
}
