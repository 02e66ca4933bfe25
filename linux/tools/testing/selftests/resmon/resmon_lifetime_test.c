// SPDX-License-Identifier: GPL-2.0
/*
 * resmon record lifetime: fork, execve, exit, zombies, pid reuse, and the
 * /proc/resmon enumeration.
 */

#include "resmon_helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/personality.h>

#define EXEC_CHECK_ARG "--resmon-exec-check"
#define EXEC_HEAP_ARG "--resmon-exec-heap"

/* ---- fork ---- */

static void child_uses(void *arg)
{
	int i;

	rm_mark('r');
	rm_wait_go();
	for (i = 0; i < 5; i++)
		if (rm_open_open() < 0)
			_exit(10);
	if (rm_map_private(4 * MIB) == MAP_FAILED)
		_exit(11);
	rm_mark('a');
	(void)!read(rm_go_r, &i, 1);
	_exit(0);
}

TEST(fork_child_not_monitored)
{
	const pid_t self = getpid();
	struct per_proc_resource r;
	struct rm_child c;

	ASSERT_EQ(0, rm_register(self));
	/* a parent capped to nothing: its child still opens freely */
	ASSERT_EQ(0, rm_cap(self, 0, 0));
	ASSERT_LT(0, rm_spawn(&c, child_uses, NULL));
	ASSERT_EQ('r', rm_read_mark(&c));
	EXPECT_EQ(-EINVAL, rm_fetch(&r, c.pid));
	ASSERT_EQ(0, rm_go(&c));
	ASSERT_EQ('a', rm_read_mark(&c));
	EXPECT_EQ(-EINVAL, rm_fetch(&r, c.pid));
	EXPECT_EQ(-EINVAL, rm_cap(c.pid, 1, 1));
	EXPECT_EQ(-EINVAL, rm_reset(c.pid));
	EXPECT_EQ(-ESRCH, rm_deregister(c.pid));
	/* the parent's totals are untouched */
	FETCH(self, r);
	EXPECT_EQ(0, r.openfile_count);
	EXPECT_EQ(0, r.heapsize);
	/* the child may be registered on its own, from zero */
	ASSERT_EQ(0, rm_register(c.pid));
	EXPECT_FRESH_RECORD(c.pid);
	ASSERT_EXITED_OK(rm_reap(&c));
}

/* ---- execve ---- */

/*
 * An exec'd binary's .bss is not the process's heap (resmon.rst, "What
 * resmon is not"), though the ELF loader maps it as brk does (vm_brk_flags(),
 * i.e. do_brk_flags(), where the eBPF edition counts brk). This binary's is
 * 8 MiB, so counting it would show in the heapsize checked below. The
 * binary is static (see the Makefiles): no dynamic loader opens or maps
 * anything after the exec, so the totals it finds are exact.
 */
char rm_exec_bss[8 << 20];	/* external: kept in the binary though unused */

/*
 * Runs after execve in the re-executed test binary: the record, its totals
 * (@files opens, @mib MiB) and its quotas are still there, and it still
 * counts.
 */
static int exec_check(long files, long mib)
{
	struct per_proc_resource r;

	memset(&r, 0xff, sizeof(r));
	if (rm_fetch(&r, getpid()))
		return 10;
	if (r.pid != getpid())
		return 11;
	if ((long)r.openfile_count != files)
		return 12;
	if ((long)r.heapsize != mib)
		return 13;
	if (r.heap_quota != 1000 || r.file_quota != 1000 || r.quotas_defined != 1)
		return 14;
	if (rm_register(getpid()) != -ENFILE)
		return 15;
	if (rm_open_open() < 0 || rm_fetch(&r, getpid()) ||
	    (long)r.openfile_count != files + 1)
		return 16;
	return 0;
}

TEST(exec_keeps_registration_and_totals)
{
	char *const argv[] = { "resmon_lifetime_test", EXEC_CHECK_ARG, "20", "3", NULL };
	char *const envp[] = { NULL };
	int status, i;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (rm_register(getpid()))
			_exit(2);
		for (i = 0; i < 20; i++)
			if (rm_open_open() < 0)
				_exit(3);
		if (rm_map_private(3 * MIB) == MAP_FAILED)
			_exit(4);
		if (rm_cap(getpid(), 1000, 1000))
			_exit(5);
		execve("/proc/self/exe", argv, envp);
		_exit(6);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	if (WIFEXITED(status) && WEXITSTATUS(status))
		TH_LOG("exec check exit code %d (see exec_check())", WEXITSTATUS(status));
	ASSERT_EXITED_OK(status);
}

/*
 * Under personality(MMAP_PAGE_ZERO) the ELF loader maps page 0 private and
 * file-less in execve (vm_mmap(NULL, 0, PAGE_SIZE, ..)): exec's, not an
 * mmap system call, so not the heap. The re-executed (static) binary grows
 * its break on its own before it fetches (TLS; on the eBPF edition also
 * libresmon's first allocation), which counts: the first runs find how many
 * pages short of 1 MiB the fill must stop for the total after exec to stay
 * just under 1 MiB; then one more page (page 0) would show as 1 MiB.
 */
static int exec_heap(void)
{
	struct per_proc_resource r;

	if (rm_fetch(&r, getpid()) || r.heapsize > 100)
		return 255;
	return (int)r.heapsize;
}

static int exec_heap_mib(unsigned long pages_short, int page_zero)
{
	char *const argv[] = { "resmon_lifetime_test", EXEC_HEAP_ARG, NULL };
	char *const envp[] = { NULL };
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (rm_register(getpid()))
			_exit(252);
		if (rm_map_private(MIB - pages_short * rm_page()) == MAP_FAILED)
			_exit(253);
		if (page_zero && personality(PER_LINUX | MMAP_PAGE_ZERO) < 0)
			_exit(254);
		execve("/proc/self/exe", argv, envp);
		_exit(255);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST(exec_page_zero_not_counted)
{
	unsigned long short_by;
	int mib = -1;

	/* mapping page 0 needs CAP_SYS_RAWIO (mmap_min_addr); else nothing is mapped */
	if (geteuid() != 0)
		SKIP(return, "page 0 can only be mapped as root");
	for (short_by = 1; short_by <= 512; short_by++) {
		mib = exec_heap_mib(short_by, 0);
		ASSERT_TRUE(mib == 0 || mib == 1) TH_LOG("exec'd heap: %d", mib);
		if (mib == 0)
			break;
	}
	ASSERT_EQ(0, mib);
	TH_LOG("the exec'd startup leaves room for %lu page(s) short of 1 MiB", short_by);
	/* so close to 1 MiB that page 0, if counted, would reach it */
	EXPECT_EQ(0, exec_heap_mib(short_by, 1));
}

/* ---- exit and zombies ---- */

static void exit_on_go(void *arg)
{
	rm_mark('r');
	rm_wait_go();
	_exit(0);
}

static void expect_dead_codes(struct __test_metadata *_metadata, pid_t pid)
{
	struct per_proc_resource r;

	EXPECT_EQ(-EINVAL, rm_fetch(&r, pid));
	EXPECT_EQ(-ESRCH, rm_deregister(pid));
	EXPECT_EQ(-ESRCH, rm_register(pid));
	EXPECT_EQ(-ESRCH, rm_cap(pid, 1, 1));
	EXPECT_EQ(-ESRCH, rm_reset(pid));
}

FIXTURE(zombie) {
	struct rm_child c;
};

FIXTURE_VARIANT(zombie) {
	bool monitored, capped;
};

FIXTURE_VARIANT_ADD(zombie, unmonitored) { .monitored = false };
FIXTURE_VARIANT_ADD(zombie, monitored) { .monitored = true };
FIXTURE_VARIANT_ADD(zombie, capped) { .monitored = true, .capped = true };

FIXTURE_SETUP(zombie)
{
}

FIXTURE_TEARDOWN(zombie)
{
}

TEST_F(zombie, is_not_live)
{
	siginfo_t info;

	ASSERT_LT(0, rm_spawn(&self->c, exit_on_go, NULL));
	ASSERT_EQ('r', rm_read_mark(&self->c));
	if (variant->monitored)
		ASSERT_EQ(0, rm_register(self->c.pid));
	if (variant->capped)
		ASSERT_EQ(0, rm_cap(self->c.pid, 10, 10));
	ASSERT_EQ(0, rm_go(&self->c));
	/* wait until it is a zombie, without reaping it */
	memset(&info, 0, sizeof(info));
	ASSERT_EQ(0, waitid(P_PID, self->c.pid, &info, WEXITED | WNOWAIT));
	ASSERT_EQ(self->c.pid, info.si_pid);
	expect_dead_codes(_metadata, self->c.pid);
	/* and once reaped */
	ASSERT_EXITED_OK(rm_reap(&self->c));
	expect_dead_codes(_metadata, self->c.pid);
}

/* ---- /proc/resmon ---- */

TEST(proc_resmon_order_and_removal)
{
	struct rm_proc_line l[64];
	struct rm_child a, b;
	const pid_t self = getpid();
	int n, ia, ib, is, fd;

	if (rm_read_proc_resmon(l, 64) == -1)
		SKIP(return, "no /proc/resmon");
	ASSERT_LT(0, rm_spawn(&a, exit_on_go, NULL));
	ASSERT_EQ('r', rm_read_mark(&a));
	ASSERT_LT(0, rm_spawn(&b, exit_on_go, NULL));
	ASSERT_EQ('r', rm_read_mark(&b));

	ASSERT_EQ(0, rm_register(b.pid));
	ASSERT_EQ(0, rm_register(self));
	ASSERT_EQ(0, rm_register(a.pid));
	ASSERT_EQ(0, rm_cap(a.pid, 5, 7));
	fd = rm_open_open();
	ASSERT_LE(0, fd);
	n = rm_read_proc_resmon(l, 64);
	ASSERT_LE(3, n);
	ib = rm_find_proc_line(l, n, b.pid);
	is = rm_find_proc_line(l, n, self);
	ia = rm_find_proc_line(l, n, a.pid);
	ASSERT_LE(0, ib);
	ASSERT_LE(0, is);
	ASSERT_LE(0, ia);
	/* registration order */
	EXPECT_LT(ib, is);
	EXPECT_LT(is, ia);
	EXPECT_EQ(0, l[ib].heap);
	EXPECT_EQ(0, l[ib].files);
	EXPECT_EQ(-1, l[ib].hq);
	EXPECT_EQ(-1, l[ib].fq);
	EXPECT_EQ(0, l[ib].defined);
	EXPECT_EQ(5, l[ia].hq);
	EXPECT_EQ(7, l[ia].fq);
	EXPECT_EQ(1, l[ia].defined);
	/* one open, plus the open of /proc/resmon that printed the line, if any */
	EXPECT_EQ(1 + rm_list_opens_a_file(), l[is].files);

	/* deregister removes; registering again goes to the end */
	ASSERT_EQ(0, rm_deregister(b.pid));
	ASSERT_EQ(0, rm_register(b.pid));
	n = rm_read_proc_resmon(l, 64);
	ib = rm_find_proc_line(l, n, b.pid);
	ia = rm_find_proc_line(l, n, a.pid);
	ASSERT_LE(0, ib);
	EXPECT_LT(ia, ib);

	/* exit removes (zombie already) */
	ASSERT_EQ(0, rm_go(&a));
	ASSERT_EXITED_OK(rm_reap(&a));
	ASSERT_EQ(0, rm_deregister(self));
	n = rm_read_proc_resmon(l, 64);
	EXPECT_EQ(-1, rm_find_proc_line(l, n, a.pid));
	EXPECT_EQ(-1, rm_find_proc_line(l, n, self));
	EXPECT_LE(0, rm_find_proc_line(l, n, b.pid));
	ASSERT_EQ(0, rm_go(&b));
	ASSERT_EXITED_OK(rm_reap(&b));
	n = rm_read_proc_resmon(l, 64);
	EXPECT_EQ(-1, rm_find_proc_line(l, n, b.pid));
}

/* register racing with the target's exit never leaks a record */
TEST(register_races_exit)
{
	struct rm_proc_line l[64];
	pid_t pids[60];
	int i, status, n, leaked = 0;
	long r;

	for (i = 0; i < 60; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0)
			_exit(0);
		r = rm_register(pids[i]);
		EXPECT_TRUE(r == 0 || r == -ESRCH) TH_LOG("register: %ld", r);
		if (i & 1)
			rm_cap(pids[i], 1, 1);
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_EQ(-ESRCH, rm_deregister(pids[i]));
	}
	n = rm_read_proc_resmon(l, 64);
	if (n == -1)
		return;
	for (i = 0; i < 60; i++)
		if (rm_find_proc_line(l, n, pids[i]) >= 0)
			leaked++;
	EXPECT_EQ(0, leaked);
}

/* Every call against a process that is exiting: only documented codes. */
static void open_and_exit(void *arg)
{
	int i;

	rm_mark('r');
	rm_wait_go();
	for (i = 0; i < 20; i++)
		rm_open_open();
	rm_map_private(MIB);
	_exit(0);
}

TEST(calls_race_with_exit)
{
	struct per_proc_resource r;
	struct rm_child c;
	int i, j;
	long e;

	for (i = 0; i < 30; i++) {
		ASSERT_LT(0, rm_spawn(&c, open_and_exit, NULL));
		ASSERT_EQ('r', rm_read_mark(&c));
		ASSERT_EQ(0, rm_register(c.pid));
		ASSERT_EQ(0, rm_go(&c));
		for (j = 0; j < 200; j++) {
			e = rm_fetch(&r, c.pid);
			ASSERT_TRUE(e == 0 || e == -EINVAL) TH_LOG("fetch %ld", e);
			if (e == 0)
				ASSERT_EQ(c.pid, r.pid);
			e = rm_cap(c.pid, 100, 100);
			ASSERT_TRUE(e == 0 || e == -ENFILE || e == -ESRCH ||
				    e == -EINVAL) TH_LOG("cap %ld", e);
			e = rm_reset(c.pid);
			ASSERT_TRUE(e == 0 || e == -ESRCH || e == -EINVAL)
				TH_LOG("reset %ld", e);
			if (j % 3 == 0) {
				e = rm_deregister(c.pid);
				ASSERT_TRUE(e == 0 || e == -ESRCH) TH_LOG("dereg %ld", e);
				e = rm_register(c.pid);
				ASSERT_TRUE(e == 0 || e == -ESRCH || e == -ENFILE)
					TH_LOG("register %ld", e);
			}
			if (rm_register(c.pid) == -ESRCH)
				break;
		}
		ASSERT_EXITED_OK(rm_reap(&c));
		expect_dead_codes(_metadata, c.pid);
	}
}

/* ---- pid reuse ---- */

struct rm_clone_args {
	__u64 flags, pidfd, child_tid, parent_tid, exit_signal, stack,
	      stack_size, tls, set_tid, set_tid_size, cgroup;
};

/* rm_spawn, but the child gets the pid @want via clone3 set_tid. */
static pid_t spawn_with_pid(struct rm_child *c, pid_t want,
			    void (*fn)(void *), void *arg)
{
	struct rm_clone_args ca;
	int go[2], mark[2];

	if (pipe2(go, O_CLOEXEC) || pipe2(mark, O_CLOEXEC))
		return -1;
	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	ca.set_tid = (uintptr_t)&want;
	ca.set_tid_size = 1;
	c->pid = syscall(435 /* clone3 */, &ca, sizeof(ca));
	if (c->pid < 0)
		return -errno;
	return rm_spawned(c, go, mark, fn, arg);
}

/* Opens one file on go (would be killed under a file quota of 0). */
static void open_one(void *arg)
{
	rm_mark('r');
	rm_wait_go();
	if (rm_open_open() < 0)
		_exit(10);
	rm_mark('o');
	(void)!read(rm_go_r, &arg, 1);
	_exit(0);
}

FIXTURE(pid_reuse) {
	struct rm_child a, b;
};

FIXTURE_VARIANT(pid_reuse) {
	bool killed;
};

FIXTURE_VARIANT_ADD(pid_reuse, after_exit) { .killed = false };
FIXTURE_VARIANT_ADD(pid_reuse, after_kill) { .killed = true };

FIXTURE_SETUP(pid_reuse)
{
}

FIXTURE_TEARDOWN(pid_reuse)
{
}

TEST_F(pid_reuse, new_process_is_not_monitored)
{
	struct per_proc_resource r;
	pid_t pid;
	long ret;

	/* A: monitored, capped to 0 files, then gone */
	ASSERT_LT(0, rm_spawn(&self->a, variant->killed ? open_one : exit_on_go,
			      NULL));
	pid = self->a.pid;
	ASSERT_EQ('r', rm_read_mark(&self->a));
	ASSERT_EQ(0, rm_register(pid));
	ASSERT_EQ(0, rm_cap(pid, 0, 0));
	ASSERT_EQ(0, rm_go(&self->a));
	if (variant->killed)
		ASSERT_KILLED(rm_reap(&self->a));
	else
		ASSERT_EXITED_OK(rm_reap(&self->a));

	/* B: same pid number */
	ret = spawn_with_pid(&self->b, pid, open_one, NULL);
	if (ret == -EPERM || ret == -EINVAL || ret == -ENOSYS)
		SKIP(return, "clone3 set_tid unavailable (%ld)", ret);
	ASSERT_EQ(pid, ret);
	ASSERT_EQ('r', rm_read_mark(&self->b));
	EXPECT_EQ(-EINVAL, rm_fetch(&r, pid));
	EXPECT_EQ(-EINVAL, rm_cap(pid, 1, 1));
	EXPECT_EQ(-EINVAL, rm_reset(pid));
	EXPECT_EQ(-ESRCH, rm_deregister(pid));
	/* not under A's quota of 0 files: its open survives */
	ASSERT_EQ(0, rm_go(&self->b));
	ASSERT_EQ('o', rm_read_mark(&self->b));
	EXPECT_EQ(-EINVAL, rm_fetch(&r, pid));
	/* registers fresh */
	ASSERT_EQ(0, rm_register(pid));
	EXPECT_FRESH_RECORD(pid);
	ASSERT_EXITED_OK(rm_reap(&self->b));
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], EXEC_CHECK_ARG))
		return exec_check(atol(argv[2]), atol(argv[3]));
	if (argc == 2 && !strcmp(argv[1], EXEC_HEAP_ARG))
		return exec_heap();
	return rm_test_main(argc, argv);
}
