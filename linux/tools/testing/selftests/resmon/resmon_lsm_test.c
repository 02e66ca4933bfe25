// SPDX-License-Identifier: GPL-2.0
/*
 * resmon and the LSM: managing a process (register, resource_cap,
 * resource_reset, deregister) needs the LSM's agreement exactly as
 * prlimit(2) setting its limits does (security_task_prlimit with
 * LSM_PRLIMIT_WRITE), root included.
 *
 * The LSM is a BPF-LSM policy (resmon_lsm.bpf.c, built against the BTF of
 * the kernel under test) that refuses to set the limits of processes
 * running as REFUSED_UID. Each test starts a refused target, a non-target
 * (OTHER_UID) and attaches the policy; the refusal must reach resmon,
 * prlimit(2) must be refused alike, and everything else must still work.
 *
 * Needs CONFIG_BPF_LSM, CONFIG_DEBUG_INFO_BTF and "bpf" in the LSM list
 * (config/debug.config). Elsewhere it skips, saying why, unless
 * RESMON_BPF_LSM=required, when it fails instead.
 */

#include "resmon_helpers.h"

#include <stdlib.h>
#include <sys/resource.h>

#define REFUSED_UID	65531
#define OTHER_UID	65530

static bool lsm_required(void)
{
	const char *r = getenv("RESMON_BPF_LSM");

	return r && !strcmp(r, "required");
}

#ifdef RESMON_LSM_SKEL

#include "resmon_lsm.skel.h"

/* prlimit(2) setting @pid's RLIMIT_NOFILE to what it is: 0 or -errno. */
static int prlimit_write(pid_t pid)
{
	struct rlimit lim;

	if (prlimit(pid, RLIMIT_NOFILE, NULL, &lim))
		return -errno;
	return prlimit(pid, RLIMIT_NOFILE, &lim, NULL) ? -errno : 0;
}

/*
 * A target: all its ids @uid, then idle; on "go" it manages itself (the
 * process itself needs no one's agreement, as for prlimit) and marks 'y'
 * if register, cap and prlimit on itself all worked.
 */
static void target_as(void *arg)
{
	uid_t uid = (uid_t)(uintptr_t)arg;

	if (rm_drop_to(uid, uid))
		_exit(9);
	rm_mark('r');
	rm_wait_go();
	rm_mark(!prlimit_write(0) && !rm_register(getpid()) &&
		!rm_cap(getpid(), 100, 100) ? 'y' : 'n');
	rm_wait_go();
}

FIXTURE(lsm) {
	struct resmon_lsm *skel;
	struct rm_child target, early, other;
};

FIXTURE_SETUP(lsm)
{
	ASSERT_LT(0, rm_spawn(&self->target, target_as,
			      (void *)(uintptr_t)REFUSED_UID));
	ASSERT_EQ('r', rm_read_mark(&self->target));
	/* registered before the policy: cap, reset, deregister reach it */
	ASSERT_LT(0, rm_spawn(&self->early, target_as,
			      (void *)(uintptr_t)REFUSED_UID));
	ASSERT_EQ('r', rm_read_mark(&self->early));
	ASSERT_EQ(0, rm_register(self->early.pid));
	ASSERT_LT(0, rm_spawn(&self->other, target_as,
			      (void *)(uintptr_t)OTHER_UID));
	ASSERT_EQ('r', rm_read_mark(&self->other));

	self->skel = resmon_lsm__open();
	ASSERT_NE(NULL, self->skel);
	self->skel->data->refused_uid = REFUSED_UID;
	ASSERT_EQ(0, resmon_lsm__load(self->skel));
	ASSERT_EQ(0, resmon_lsm__attach(self->skel));
	/* Attached, but an LSM list without "bpf" never calls it. */
	ASSERT_EQ(-EPERM, prlimit_write(self->target.pid))
		TH_LOG("the BPF LSM is not active: boot with lsm=...,bpf");
}

FIXTURE_TEARDOWN(lsm)
{
	if (self->skel)
		resmon_lsm__destroy(self->skel);
	/*
	 * Last spawned first: a child holds copies of the pipe ends of those
	 * spawned before it, so the first ones see EOF only once it is gone.
	 * (Setup may have stopped before spawning them all.)
	 */
	if (self->other.pid > 0)
		rm_reap(&self->other);
	if (self->early.pid > 0)
		rm_reap(&self->early);
	if (self->target.pid > 0)
		rm_reap(&self->target);
}

/* The policy itself, through prlimit(2): refused for the target only. */
TEST_F(lsm, prlimit_refused_for_target_only)
{
	struct rlimit lim;

	EXPECT_EQ(-EPERM, prlimit_write(self->target.pid));
	/* reading limits is LSM_PRLIMIT_READ: the policy lets it be */
	EXPECT_EQ(0, prlimit(self->target.pid, RLIMIT_NOFILE, NULL, &lim));
	EXPECT_EQ(0, prlimit_write(self->other.pid));
	EXPECT_LT(0, self->skel->bss->refusals);
}

/* Root may not register what the LSM keeps it from limiting. */
TEST_F(lsm, root_register_refused)
{
	struct per_proc_resource r;

	EXPECT_EQ(-EPERM, rm_register(self->target.pid));
	EXPECT_EQ(-EINVAL, rm_fetch(&r, self->target.pid));
	/* permission comes before the monitoring state: not -ENFILE */
	EXPECT_EQ(-EPERM, rm_register(self->early.pid));
	EXPECT_EQ(0, rm_register(self->other.pid));
	EXPECT_EQ(0, rm_cap(self->other.pid, 10, 10));
}

/* Nor cap it, nor reset or drop its record; fetch only reads. */
TEST_F(lsm, root_cap_reset_deregister_refused)
{
	pid_t t = self->early.pid;
	struct per_proc_resource r;

	EXPECT_EQ(-EPERM, rm_cap(t, 10, 10));
	EXPECT_EQ(-EPERM, rm_reset(t));
	EXPECT_EQ(-EPERM, rm_deregister(t));
	FETCH(t, r);
	EXPECT_EQ(t, r.pid);
	EXPECT_EQ(0, r.quotas_defined);
	EXPECT_EQ(-1, r.heap_quota);
}

/*
 * A caller whose ids match the target's passes prlimit's id rule, and the
 * LSM still refuses: the check comes after it, as in prlimit(2).
 */
static void same_uid_calls(pid_t t, pid_t other)
{
	if (rm_drop_to(REFUSED_UID, REFUSED_UID))
		_exit(9);
	if (prlimit_write(t) != -EPERM)
		_exit(10);
	if (rm_register(t) != -EPERM)
		_exit(11);
	if (rm_cap(t, 1, 1) != -EPERM)
		_exit(12);
	/* not the caller's ids, no capability: refused before the LSM */
	if (rm_register(other) != -EPERM)
		_exit(13);
	_exit(0);
}

TEST_F(lsm, same_uid_caller_refused)
{
	int status;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0)
		same_uid_calls(self->target.pid, self->other.pid);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EXITED_OK(status);
	EXPECT_EQ(-EINVAL, rm_fetch(&(struct per_proc_resource){ 0 },
				    self->target.pid));
}

/* The process itself is not asked, as prlimit(2) does not ask for itself. */
TEST_F(lsm, target_manages_itself)
{
	ASSERT_EQ(0, rm_go(&self->target));
	ASSERT_EQ('y', rm_read_mark(&self->target));
	EXPECT_EQ(100, FETCH_FIELD(self->target.pid, heap_quota));
}

/* Without the policy the same calls work: the refusals were the LSM's. */
TEST_F(lsm, detached_policy_refuses_nothing)
{
	resmon_lsm__destroy(self->skel);
	self->skel = NULL;
	EXPECT_EQ(0, prlimit_write(self->target.pid));
	EXPECT_EQ(0, rm_register(self->target.pid));
	EXPECT_EQ(0, rm_cap(self->early.pid, 10, 10));
}

/* Why this kernel cannot run a BPF-LSM policy, or NULL if it can. */
static const char *lsm_unavailable(void)
{
	struct resmon_lsm *skel;
	const char *why = NULL;

	if (access("/sys/kernel/btf/vmlinux", R_OK))
		return "no /sys/kernel/btf/vmlinux (CONFIG_DEBUG_INFO_BTF)";
	skel = resmon_lsm__open_and_load();
	if (!skel)
		return "cannot load a BPF-LSM program (CONFIG_BPF_LSM)";
	if (resmon_lsm__attach(skel))
		why = "cannot attach to lsm/task_prlimit (CONFIG_BPF_LSM)";
	resmon_lsm__destroy(skel);
	return why;
}

int main(int argc, char **argv)
{
	int ret = rm_main_preamble();
	const char *why;

	if (ret != KSFT_PASS)
		return ret;
	why = lsm_unavailable();
	if (why && lsm_required())
		ksft_exit_fail_msg("%s; RESMON_BPF_LSM=required\n", why);
	if (why)
		ksft_exit_skip("%s\n", why);
	return test_harness_run(argc, argv);
}

#else /* !RESMON_LSM_SKEL */

/* Built without a BTF vmlinux (VMLINUX_BTF): there is no policy to load. */
int main(void)
{
	ksft_print_header();
	if (lsm_required())
		ksft_exit_fail_msg("built without a BTF vmlinux; RESMON_BPF_LSM=required\n");
	ksft_exit_skip("built without a BTF vmlinux (VMLINUX_BTF): no BPF-LSM policy\n");
}

#endif /* RESMON_LSM_SKEL */
