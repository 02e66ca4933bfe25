// SPDX-License-Identifier: GPL-2.0
/*
 * resmon bypass attempts: ways a capped process might try to grow or open
 * without being counted or killed, each of which must be counted,
 * refused, or (for the new processes resmon.rst leaves unmonitored) leave
 * the monitored process's totals exact.
 */

#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "resmon_helpers.h"

#define STACK_SIZE	(64 * 1024)

/* vfork: the child is a new process, unmonitored; the parent stays exact. */
TEST(vfork_child_is_separate_and_parent_exact)
{
	struct per_proc_resource before, after;
	/*
	 * volatile: written by the vfork child in our stack frame, behind the
	 * compiler's back (the child's stores must not be dropped before
	 * _exit, nor the parent's reads served from registers).
	 */
	volatile long child_fetch = 1;
	volatile int child_fd = -1;
	int status;
	pid_t pid;

	ASSERT_EQ(0, rm_register(getpid()));
	FETCH(getpid(), before);

	pid = vfork();
	if (pid == 0) {
		struct per_proc_resource r;

		/* The child borrows our memory: these writes reach the parent. */
		child_fetch = rm_fetch(&r, getpid());
		child_fd = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY);
		_exit(0);
	}
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EXITED_OK(status);

	EXPECT_EQ(-EINVAL, child_fetch);
	EXPECT_LE(0, child_fd);
	FETCH(getpid(), after);
	EXPECT_EQ(before.openfile_count, after.openfile_count);
	EXPECT_EQ(0, rm_deregister(getpid()));
}

struct clone_vm_result {
	long fetch;
	int fd;
	void *map;
};

static int clone_vm_child(void *arg)
{
	struct clone_vm_result *res = arg;
	struct per_proc_resource r;

	res->fetch = rm_fetch(&r, getpid());
	res->fd = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY);
	res->map = rm_map_private(4 * MIB);
	return 0;
}

/*
 * clone(CLONE_VM) without CLONE_THREAD makes a new process that shares
 * the address space: not monitored, and its opens and mappings are not
 * the monitored process's calls, so its totals stay exact.
 */
TEST(clone_vm_without_thread_is_separate_and_parent_exact)
{
	struct clone_vm_result res = { .fetch = 1, .fd = -1, .map = NULL };
	struct per_proc_resource before, after;
	char *stack = malloc(STACK_SIZE);
	int status;
	pid_t pid;

	ASSERT_NE(NULL, stack);
	ASSERT_EQ(0, rm_register(getpid()));
	FETCH(getpid(), before);

	pid = clone(clone_vm_child, stack + STACK_SIZE, CLONE_VM | SIGCHLD, &res);
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EXITED_OK(status);

	EXPECT_EQ(-EINVAL, res.fetch);
	EXPECT_LE(0, res.fd);
	EXPECT_NE(MAP_FAILED, res.map);
	FETCH(getpid(), after);
	EXPECT_EQ(before.openfile_count, after.openfile_count);
	EXPECT_EQ(before.heapsize, after.heapsize);
	EXPECT_EQ(0, rm_deregister(getpid()));
	free(stack);
}

/*
 * A capped, unprivileged process that enters a user namespace of its own
 * holds every capability there, but may still not lift its quotas: they
 * were set from the initial namespace.
 */
static void userns_escape(void *arg)
{
	(void)arg;
	if (rm_drop_to(65534, 65534))
		_exit(10);
	if (rm_register(getpid()) || rm_cap(getpid(), 64, 64))
		_exit(11);
	if (unshare(CLONE_NEWUSER))
		_exit(12);
	if (rm_reset(getpid()) != -EPERM)
		_exit(13);
	if (rm_deregister(getpid()) != -EPERM)
		_exit(14);
	/* Managing itself is still allowed, and the quota still holds. */
	if (rm_cap(getpid(), 1, 1) != -ENFILE)
		_exit(15);
	/* Its new capabilities give it nothing over the outside either. */
	if (rm_register(getppid()) != -EPERM)
		_exit(16);
	_exit(0);
}

TEST(user_namespace_does_not_lift_own_quota)
{
	struct rm_child c;
	int status;

	ASSERT_LT(0, rm_spawn(&c, userns_escape, NULL));
	status = rm_reap(&c);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 12)
		TH_LOG("unshare(CLONE_NEWUSER) failed: is CONFIG_USER_NS on?");
	ASSERT_EXITED_OK(status);
}

/* Root creating the user namespace can lift what it set there itself. */
static void userns_own_quota(void *arg)
{
	(void)arg;
	if (rm_drop_to(65534, 65534))
		_exit(10);
	if (unshare(CLONE_NEWUSER))
		_exit(12);
	if (rm_register(getpid()) || rm_cap(getpid(), 64, 64))
		_exit(11);
	if (rm_reset(getpid()))
		_exit(13);
	_exit(0);
}

TEST(user_namespace_lifts_quota_it_set)
{
	struct rm_child c;

	ASSERT_LT(0, rm_spawn(&c, userns_own_quota, NULL));
	ASSERT_EXITED_OK(rm_reap(&c));
}

/* --- system call numbers with high bits set ------------------------------ */

/*
 * The x86-64 entry code dispatches on the low 32 bits of rax (do_syscall_64()
 * takes an int), so mmap and brk with bit 32 set are still mmap and brk:
 * they must be counted and killed like the plain calls.
 */
#define HIGH_NR(nr)	(0x100000000L | (nr))

static long high_mmap(size_t len)
{
	return syscall(HIGH_NR(SYS_mmap), NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static long high_brk(unsigned long addr)
{
	return syscall(HIGH_NR(SYS_brk), addr);
}

static void high_bits_victim(void *arg)
{
	unsigned long cur;

	rm_mark('r');
	rm_wait_go();
	if (arg) {
		cur = rm_page_align(rm_brk(0));
		high_brk(cur + 64 * MIB);
	} else {
		high_mmap(64 * MIB);
	}
	rm_mark('X');
	_exit(0);
}

static void high_bits_killed(struct __test_metadata *_metadata, void *brk)
{
	struct rm_child c;
	char m[8];

	ASSERT_LT(0, rm_spawn(&c, high_bits_victim, brk));
	ASSERT_EQ('r', rm_read_mark(&c));
	ASSERT_EQ(0, rm_register(c.pid));
	ASSERT_EQ(0, rm_cap(c.pid, 8, -1));
	ASSERT_EQ(0, rm_go(&c));
	rm_read_marks(&c, m, sizeof(m));
	EXPECT_STREQ("", m);
	ASSERT_KILLED(rm_reap(&c));
}

TEST(high_bits_mmap_is_killed)
{
	high_bits_killed(_metadata, NULL);
}

TEST(high_bits_brk_is_killed)
{
	high_bits_killed(_metadata, (void *)1);
}

/* The high-bit calls count exactly what they map, nothing more. */
TEST(high_bits_mmap_and_brk_count_exactly)
{
	const pid_t self = getpid();
	unsigned long a0;

	ASSERT_EQ(0, rm_register(self));
	ASSERT_EQ(0, HEAP_MIB(self));
	/* 2 MiB - 1 page + 1 byte maps (and counts) exactly 2 MiB */
	ASSERT_NE(-1L, high_mmap(2 * MIB - rm_page() + 1));
	EXPECT_EQ(2, HEAP_MIB(self));
	a0 = rm_page_align(rm_brk(0));
	ASSERT_EQ(a0, rm_brk(a0));
	/* 1 MiB - 1 page of brk growth: still 2 MiB, then one page more: 3 */
	ASSERT_EQ(a0 + MIB - rm_page(), high_brk(a0 + MIB - rm_page()));
	EXPECT_EQ(2, HEAP_MIB(self));
	ASSERT_EQ(a0 + MIB, high_brk(a0 + MIB));
	EXPECT_EQ(3, HEAP_MIB(self));
	ASSERT_EQ(0, rm_deregister(self));
}

/* --- threads racing across a quota ------------------------------------- */

#define RACERS 8

static pthread_barrier_t race_barrier;

static void *racer(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&race_barrier);
	syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY);
	syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY);
	return NULL;
}

/* Files opened so far by this process, or -1; no harness asserts here. */
static long self_files(void)
{
	struct per_proc_resource r;

	return rm_fetch(&r, getpid()) ? -1 : (long)r.openfile_count;
}

static void race_across_quota(void *arg)
{
	pthread_t t[RACERS];
	long used;
	int i;

	(void)arg;
	if (rm_register(getpid()))
		_exit(10);
	used = self_files();
	if (used < 0 || rm_cap(getpid(), -1, used + 3))
		_exit(11);
	/*
	 * The main thread is the barrier's last party and marks first: the
	 * racers' opens kill the process, so a mark made after they are
	 * released may never be made (seen under load).
	 */
	pthread_barrier_init(&race_barrier, NULL, RACERS + 1);
	for (i = 0; i < RACERS; i++)
		if (pthread_create(&t[i], NULL, racer, NULL))
			_exit(12);
	rm_mark('s');
	pthread_barrier_wait(&race_barrier);
	for (i = 0; i < RACERS; i++)
		pthread_join(t[i], NULL);
	rm_mark('x');		/* never: the 4th open over the quota kills */
	_exit(0);
}

/* Kill lines for @pid found in the log from @fd on. */
static int count_kill_lines(int fd, pid_t pid)
{
	char rec[1024], needle[64];
	int n = 0;
	ssize_t len;

	snprintf(needle, sizeof(needle), "resmon: killed process %d ", pid);
	while ((len = read(fd, rec, sizeof(rec) - 1)) != 0) {
		if (len < 0) {
			if (errno == EPIPE)
				continue;
			break;
		}
		rec[len] = '\0';
		if (strstr(rec, needle))
			n++;
	}
	return n;
}

TEST(threads_crossing_together_kill_once)
{
	char marks[16];
	struct rm_child c;
	int fd;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, (int)lseek(fd, 0, SEEK_END));
	/* Let the kill log's rate limit (10 lines per 5 s) start afresh. */
	sleep(5);

	ASSERT_LT(0, rm_spawn(&c, race_across_quota, NULL));
	rm_read_marks(&c, marks, sizeof(marks));
	ASSERT_KILLED(rm_reap(&c));
	EXPECT_STREQ("s", marks);
	EXPECT_EQ(1, count_kill_lines(fd, c.pid));
	close(fd);
}

int main(int argc, char **argv)
{
	return rm_test_main(argc, argv);
}
