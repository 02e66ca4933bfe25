// SPDX-License-Identifier: GPL-2.0
/*
 * resmon's return codes: every code of every call, in the order resmon.rst
 * documents them, and what fetch writes. Built for both backends (see
 * resmon_helpers.h): the raw system calls of the kernel edition, and
 * libresmon on either edition. The system call table itself (numbers,
 * x32, i386) is resmon_abi_test's.
 *
 * Permission codes (-EPERM) are exercised in resmon_perm_test.c, zombies
 * and exited processes in resmon_lifetime_test.c, thread ids in
 * resmon_thread_test.c.
 */

#include "resmon_helpers.h"

/* A pid that existed a moment ago: a reaped child. */
static pid_t reaped_pid(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return pid;
}

static int all_bytes(const void *p, size_t n, unsigned char v)
{
	const unsigned char *c = p;

	while (n--)
		if (*c++ != v)
			return 0;
	return 1;
}

/* Compile-time checks are in resmon_helpers.h; this is the runtime side. */
TEST(layout_fetch_fills_and_zeroes_padding)
{
	alignas(8) unsigned char buf[sizeof(struct per_proc_resource) + 16];
	struct per_proc_resource *r = (void *)buf;
	const pid_t pid = getpid();

	ASSERT_EQ(48, sizeof(struct per_proc_resource));
	ASSERT_EQ(0, rm_register(pid));

	memset(buf, 0xff, sizeof(buf));
	ASSERT_EQ(0, rm_fetch(r, pid));
	EXPECT_EQ(pid, *(int32_t *)(buf + 0));
	EXPECT_TRUE(all_bytes(buf + 4, 4, 0)) TH_LOG("padding 4..7 not zero");
	EXPECT_EQ(0, *(uint64_t *)(buf + 8));	/* heapsize */
	EXPECT_EQ(0, *(uint64_t *)(buf + 16));	/* openfile_count */
	EXPECT_EQ(-1, *(int64_t *)(buf + 24));	/* heap_quota */
	EXPECT_EQ(-1, *(int64_t *)(buf + 32));	/* file_quota */
	EXPECT_EQ(0, buf[40]);			/* quotas_defined */
	EXPECT_TRUE(all_bytes(buf + 41, 7, 0)) TH_LOG("padding 41..47 not zero");
	/* Nothing past the 48 bytes is written. */
	EXPECT_TRUE(all_bytes(buf + 48, 16, 0xff)) TH_LOG("wrote past 48 bytes");

	ASSERT_EQ(0, rm_cap(pid, 7, 9));
	memset(buf, 0xff, sizeof(buf));
	ASSERT_EQ(0, rm_fetch(r, pid));
	EXPECT_EQ(pid, r->pid);
	EXPECT_EQ(7, *(int64_t *)(buf + 24));
	EXPECT_EQ(9, *(int64_t *)(buf + 32));
	EXPECT_EQ(1, buf[40]);
	EXPECT_TRUE(all_bytes(buf + 4, 4, 0));
	EXPECT_TRUE(all_bytes(buf + 41, 7, 0));
	EXPECT_TRUE(all_bytes(buf + 48, 16, 0xff));
}

TEST(register_codes)
{
	const pid_t self = getpid();
	const pid_t gone = reaped_pid();
	struct per_proc_resource r;

	ASSERT_LT(1, gone);
	/* 1. pid < 1 -> EINVAL */
	EXPECT_EQ(-EINVAL, rm_register(0));
	EXPECT_EQ(-EINVAL, rm_register(-1));
	EXPECT_EQ(-EINVAL, rm_register(INT_MIN));
	/* 2. no live process -> ESRCH */
	EXPECT_EQ(-ESRCH, rm_register(rm_unused_pid()));
	EXPECT_EQ(-ESRCH, rm_register(gone));
	/* 6. success: counters 0, quotas -1, not defined */
	ASSERT_EQ(0, rm_register(self));
	EXPECT_FRESH_RECORD(self);
	/* 4. already monitored -> ENFILE */
	EXPECT_EQ(-ENFILE, rm_register(self));
	/* ... even with quotas defined, and the record is unchanged */
	ASSERT_EQ(0, rm_cap(self, 5, 6));
	EXPECT_EQ(-ENFILE, rm_register(self));
	FETCH(self, r);
	EXPECT_EQ(5, r.heap_quota);
	EXPECT_EQ(6, r.file_quota);
	EXPECT_EQ(1, r.quotas_defined);
	/* pid < 1 still beats everything */
	EXPECT_EQ(-EINVAL, rm_register(0));
}

TEST(fetch_codes)
{
	const pid_t self = getpid();
	const pid_t gone = reaped_pid();
	struct per_proc_resource r;
	struct rm_child c;

	ASSERT_LT(1, gone);
	/* 1. pid < 1 or no live process -> EINVAL */
	EXPECT_EQ(-EINVAL, rm_fetch(&r, 0));
	EXPECT_EQ(-EINVAL, rm_fetch(&r, -1));
	EXPECT_EQ(-EINVAL, rm_fetch(&r, INT_MIN));
	EXPECT_EQ(-EINVAL, rm_fetch(&r, rm_unused_pid()));
	EXPECT_EQ(-EINVAL, rm_fetch(&r, gone));
	/* ... before the buffer is looked at */
	EXPECT_EQ(-EINVAL, rm_fetch(NULL, rm_unused_pid()));
	/* 3. not monitored -> EINVAL (self, and a live child) */
	EXPECT_EQ(-EINVAL, rm_fetch(&r, self));
	EXPECT_EQ(-EINVAL, rm_fetch(NULL, self));
	ASSERT_LT(0, rm_spawn(&c, rm_idle, NULL));
	ASSERT_EQ('r', rm_read_mark(&c));
	EXPECT_EQ(-EINVAL, rm_fetch(&r, c.pid));
	/* 5. success, for self and for another process */
	ASSERT_EQ(0, rm_register(self));
	FETCH(self, r);
	EXPECT_EQ(self, r.pid);
	ASSERT_EQ(0, rm_register(c.pid));
	FETCH(c.pid, r);
	EXPECT_EQ(c.pid, r.pid);
	EXPECT_EQ(0, r.openfile_count);
	/* 4. bad buffer -> EINVAL, also once monitored */
	EXPECT_EQ(-EINVAL, rm_fetch(NULL, self));
	EXPECT_EQ(-EINVAL, rm_fetch(NULL, c.pid));
	ASSERT_EQ(0, rm_go(&c));
	ASSERT_EXITED_OK(rm_reap(&c));
}

TEST(fetch_bad_pointers)
{
	const pid_t self = getpid();
	const size_t page = rm_page();
	struct per_proc_resource good;
	char *area, *ro;

	ASSERT_EQ(0, rm_register(self));
	ASSERT_EQ(0, rm_cap(self, 11, 12));

	EXPECT_EQ(-EINVAL, rm_fetch(NULL, self));
	EXPECT_EQ(-EINVAL, rm_fetch((void *)1, self));
	EXPECT_EQ(-EINVAL, rm_fetch(KERNEL_ADDR, self));
	EXPECT_EQ(-EINVAL, rm_fetch((void *)-48L, self));

	/* Two pages: [0] read-write, [1] then unmapped. */
	area = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, area);
	ASSERT_EQ(0, munmap(area + page, page));
	/* unmapped */
	EXPECT_EQ(-EINVAL, rm_fetch((void *)(area + page), self));
	/* spanning a mapped page into an unmapped one */
	EXPECT_EQ(-EINVAL, rm_fetch((void *)(area + page - 24), self));
	EXPECT_EQ(-EINVAL, rm_fetch((void *)(area + page - 1), self));
	/* the last fitting position works, and is unaligned-safe */
	memset(area, 0xff, page);
	EXPECT_EQ(0, rm_fetch((void *)(area + page - 48), self));
	EXPECT_EQ(self, ((struct per_proc_resource *)(area + page - 48))->pid);
	EXPECT_EQ(0, rm_fetch((void *)(area + 1), self));
	memcpy(&good, area + 1, sizeof(good));
	EXPECT_EQ(self, good.pid);
	EXPECT_EQ(11, good.heap_quota);
	EXPECT_EQ(12, good.file_quota);

	/* read-only and no-access mappings */
	ro = mmap(NULL, page, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	EXPECT_EQ(-EINVAL, rm_fetch((void *)ro, self));
	ASSERT_EQ(0, mprotect(ro, page, PROT_NONE));
	EXPECT_EQ(-EINVAL, rm_fetch((void *)ro, self));

	/* The record is untouched by the failures. */
	FETCH(self, good);
	EXPECT_EQ(self, good.pid);
	EXPECT_EQ(11, good.heap_quota);
	EXPECT_EQ(12, good.file_quota);
	EXPECT_EQ(1, good.quotas_defined);
}

TEST(deregister_codes)
{
	const pid_t self = getpid();
	const pid_t gone = reaped_pid();
	struct per_proc_resource r;
	int fd;

	ASSERT_LT(1, gone);
	/* 1. pid < 1 -> EINVAL */
	EXPECT_EQ(-EINVAL, rm_deregister(0));
	EXPECT_EQ(-EINVAL, rm_deregister(-1));
	EXPECT_EQ(-EINVAL, rm_deregister(INT_MIN));
	/* 2. no live process -> ESRCH */
	EXPECT_EQ(-ESRCH, rm_deregister(rm_unused_pid()));
	EXPECT_EQ(-ESRCH, rm_deregister(gone));
	/* 4. not monitored -> ESRCH */
	EXPECT_EQ(-ESRCH, rm_deregister(self));

	ASSERT_EQ(0, rm_register(self));
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, NFILES(self));
	/* 6. success, record gone */
	ASSERT_EQ(0, rm_deregister(self));
	EXPECT_EQ(-EINVAL, rm_fetch(&r, self));
	EXPECT_EQ(-ESRCH, rm_deregister(self));
	EXPECT_EQ(-EINVAL, rm_cap(self, 1, 1));
	EXPECT_EQ(-EINVAL, rm_reset(self));
	/* counters and quotas are forgotten */
	ASSERT_EQ(0, rm_register(self));
	EXPECT_FRESH_RECORD(self);
	/* 5. quotas defined: root (CAP_SYS_RESOURCE) may lift them */
	ASSERT_EQ(0, rm_cap(self, 100, 100));
	ASSERT_EQ(0, rm_deregister(self));
	EXPECT_EQ(-EINVAL, rm_fetch(&r, self));
	ASSERT_EQ(0, rm_register(self));
	FETCH(self, r);
	EXPECT_EQ(-1, r.heap_quota);
	EXPECT_EQ(-1, r.file_quota);
	EXPECT_EQ(0, r.quotas_defined);
	/* pid < 1 still first */
	EXPECT_EQ(-EINVAL, rm_deregister(0));
	close(fd);
}

TEST(cap_codes)
{
	const pid_t self = getpid();
	const pid_t gone = reaped_pid();
	const long max_heap = LONG_MAX >> 20;
	struct per_proc_resource r;

	ASSERT_LT(1, gone);
	/* 1. pid < 1 or no live process -> ESRCH */
	EXPECT_EQ(-ESRCH, rm_cap(0, 1, 1));
	EXPECT_EQ(-ESRCH, rm_cap(-1, 1, 1));
	EXPECT_EQ(-ESRCH, rm_cap(INT_MIN, 1, 1));
	EXPECT_EQ(-ESRCH, rm_cap(rm_unused_pid(), 1, 1));
	EXPECT_EQ(-ESRCH, rm_cap(gone, 1, 1));
	/* ... before quota validation */
	EXPECT_EQ(-ESRCH, rm_cap(0, -2, -2));
	/* 3. not monitored -> EINVAL */
	EXPECT_EQ(-EINVAL, rm_cap(self, 1, 1));
	EXPECT_EQ(-EINVAL, rm_cap(self, -2, 1));

	ASSERT_EQ(0, rm_register(self));
	/* 4. bad quotas -> EINVAL, nothing set */
	EXPECT_EQ(-EINVAL, rm_cap(self, -2, 1));
	EXPECT_EQ(-EINVAL, rm_cap(self, 1, -2));
	EXPECT_EQ(-EINVAL, rm_cap(self, LONG_MIN, -1));
	EXPECT_EQ(-EINVAL, rm_cap(self, -1, LONG_MIN));
	EXPECT_EQ(-EINVAL, rm_cap(self, max_heap + 1, -1));
	EXPECT_EQ(-EINVAL, rm_cap(self, LONG_MAX, -1));
	EXPECT_EQ(-EINVAL, rm_cap(self, LONG_MAX / 2, 1));
	FETCH(self, r);
	EXPECT_EQ(-1, r.heap_quota);
	EXPECT_EQ(-1, r.file_quota);
	EXPECT_EQ(0, r.quotas_defined);
	/* 6. the largest valid values */
	ASSERT_EQ(0, rm_cap(self, max_heap, LONG_MAX));
	FETCH(self, r);
	EXPECT_EQ(max_heap, r.heap_quota);
	EXPECT_EQ(LONG_MAX, r.file_quota);
	EXPECT_EQ(1, r.quotas_defined);
	/* 4 before 5: bad quotas on a capped process -> EINVAL */
	EXPECT_EQ(-EINVAL, rm_cap(self, -2, 1));
	/* 5. already defined -> ENFILE, quotas unchanged */
	EXPECT_EQ(-ENFILE, rm_cap(self, 1, 1));
	EXPECT_EQ(-ENFILE, rm_cap(self, -1, -1));
	FETCH(self, r);
	EXPECT_EQ(max_heap, r.heap_quota);
	EXPECT_EQ(LONG_MAX, r.file_quota);
	/* after a reset, cap works again; cap(-1, -1) counts as defined */
	ASSERT_EQ(0, rm_reset(self));
	ASSERT_EQ(0, rm_cap(self, -1, -1));
	FETCH(self, r);
	EXPECT_EQ(-1, r.heap_quota);
	EXPECT_EQ(-1, r.file_quota);
	EXPECT_EQ(1, r.quotas_defined);
	EXPECT_EQ(-ENFILE, rm_cap(self, 3, 3));
	/* one resource limited, the other not */
	ASSERT_EQ(0, rm_reset(self));
	ASSERT_EQ(0, rm_cap(self, -1, 50));
	FETCH(self, r);
	EXPECT_EQ(-1, r.heap_quota);
	EXPECT_EQ(50, r.file_quota);
	ASSERT_EQ(0, rm_reset(self));
	/* 0 is a valid quota; at 0 used it is not exceeded */
	ASSERT_EQ(0, rm_cap(self, 0, 0));
	FETCH(self, r);
	EXPECT_EQ(0, r.heap_quota);
	EXPECT_EQ(0, r.file_quota);
	EXPECT_EQ(1, r.quotas_defined);
	ASSERT_EQ(0, rm_reset(self));
}

TEST(reset_codes)
{
	const pid_t self = getpid();
	const pid_t gone = reaped_pid();
	struct per_proc_resource r;
	int fd;

	ASSERT_LT(1, gone);
	/* 1. pid < 1 or no live process -> ESRCH */
	EXPECT_EQ(-ESRCH, rm_reset(0));
	EXPECT_EQ(-ESRCH, rm_reset(-1));
	EXPECT_EQ(-ESRCH, rm_reset(INT_MIN));
	EXPECT_EQ(-ESRCH, rm_reset(rm_unused_pid()));
	EXPECT_EQ(-ESRCH, rm_reset(gone));
	/* 3. not monitored -> EINVAL */
	EXPECT_EQ(-EINVAL, rm_reset(self));

	ASSERT_EQ(0, rm_register(self));
	/* nothing defined: still 0 */
	EXPECT_EQ(0, rm_reset(self));
	ASSERT_EQ(0, rm_cap(self, 3, 4));
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	/* 5. success: quotas -1, not defined, counters kept */
	ASSERT_EQ(0, rm_reset(self));
	FETCH(self, r);
	EXPECT_EQ(-1, r.heap_quota);
	EXPECT_EQ(-1, r.file_quota);
	EXPECT_EQ(0, r.quotas_defined);
	EXPECT_EQ(1, r.openfile_count);
	/* and the quotas may be set again */
	ASSERT_EQ(0, rm_cap(self, 30, 40));
	FETCH(self, r);
	EXPECT_EQ(30, r.heap_quota);
	EXPECT_EQ(40, r.file_quota);
	EXPECT_EQ(1, r.openfile_count);
	close(fd);
}

int main(int argc, char **argv)
{
	return rm_test_main(argc, argv);
}
