// SPDX-License-Identifier: GPL-2.0
/*
 * resmon and an execve that gains privilege (setuid, setgid, file
 * capabilities: bprm->secureexec). Whoever set the quotas may no longer
 * manage the process afterwards, and a quota is an uncatchable SIGKILL at
 * a moment its setter chooses, so the record goes, as if deregistered,
 * unless the quotas were set by a caller with CAP_SYS_RESOURCE over the
 * process. A plain execve keeps the record (resmon_lifetime_test).
 *
 * The privileged program is a setuid-root copy of resmon_exec_helper in
 * /tmp (a tmpfs in the test guest, mounted without nosuid), run by a
 * child that dropped to uid 65534.
 */

#include "resmon_helpers.h"

#define NOBODY		65534
#define QUOTA		1000

FIXTURE(secureexec) {
	char helper[64];
	struct rm_child c;
};

FIXTURE_VARIANT(secureexec) {
	bool self_register;	/* the unprivileged child registers itself */
	bool self_cap;		/* ... and caps itself */
	bool root_registers;	/* root (this process) registers it */
	bool root_caps;		/* root registers and caps it */
	bool survives;
};

FIXTURE_VARIANT_ADD(secureexec, capped_by_itself) {
	.self_register = true, .self_cap = true, .survives = false };
FIXTURE_VARIANT_ADD(secureexec, registered_by_itself) {
	.self_register = true, .survives = false };
FIXTURE_VARIANT_ADD(secureexec, registered_by_root) {
	.root_registers = true, .survives = false };
FIXTURE_VARIANT_ADD(secureexec, capped_by_root) {
	.root_caps = true, .survives = true };

FIXTURE_SETUP(secureexec)
{
	strcpy(self->helper, "/tmp/resmon-suid-helper.XXXXXX");
	ASSERT_EQ(0, rm_suid_copy(self->helper));
}

FIXTURE_TEARDOWN(secureexec)
{
	unlink(self->helper);
}

struct child_args {
	FIXTURE_VARIANT(secureexec) const *v;
	const char *helper;
};

/*
 * As uid 65534: maybe register and cap itself, then exec the setuid
 * helper with stdout on the marker pipe (it writes its euid there) and
 * stdin on the go pipe (it exits at EOF).
 */
static void unprivileged_then_suid(void *arg)
{
	const struct child_args *a = arg;

	if (rm_drop_to(NOBODY, NOBODY))
		_exit(10);
	if (a->v->self_register && rm_register(getpid()))
		_exit(11);
	if (a->v->self_cap && rm_cap(getpid(), QUOTA, QUOTA))
		_exit(12);
	rm_mark('r');
	rm_wait_go();
	if (dup2(rm_go_r, 0) || dup2(rm_mark_w, 1) != 1)
		_exit(13);
	execl(a->helper, "resmon_exec_helper", "wait", (char *)NULL);
	_exit(14);
}

TEST_F(secureexec, record_kept_only_for_privileged_quotas)
{
	const struct child_args a = { .v = variant, .helper = self->helper };
	struct per_proc_resource r;
	int euid = -1;

	ASSERT_LT(0, rm_spawn(&self->c, unprivileged_then_suid, (void *)&a));
	ASSERT_EQ('r', rm_read_mark(&self->c));
	if (variant->root_registers || variant->root_caps)
		ASSERT_EQ(0, rm_register(self->c.pid));
	if (variant->root_caps)
		ASSERT_EQ(0, rm_cap(self->c.pid, QUOTA, QUOTA));
	FETCH(self->c.pid, r);
	ASSERT_EQ(variant->self_cap || variant->root_caps, r.quotas_defined);

	ASSERT_EQ(0, rm_go(&self->c));
	ASSERT_EQ(sizeof(euid), read(self->c.mark_r, &euid, sizeof(euid)));
	/* the exec did gain privilege (no nosuid mount in the way) */
	ASSERT_EQ(0, euid);

	if (variant->survives) {
		FETCH(self->c.pid, r);
		EXPECT_EQ(1, r.quotas_defined);
		EXPECT_EQ(QUOTA, r.heap_quota);
		EXPECT_EQ(QUOTA, r.file_quota);
	} else {
		EXPECT_EQ(-EINVAL, rm_fetch(&r, self->c.pid));
		EXPECT_EQ(-ESRCH, rm_deregister(self->c.pid));
	}
	ASSERT_EXITED_OK(rm_reap(&self->c));
}

int main(int argc, char **argv)
{
	return rm_test_main(argc, argv);
}
