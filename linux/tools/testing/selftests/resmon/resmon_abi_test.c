// SPDX-License-Identifier: GPL-2.0
/*
 * resmon's system call table: hello through the raw entry (extra arguments
 * ignored, the log line), and the 64-bit-only entries (x32 and i386 callers
 * get ENOSYS). Raw system calls only: this is the kernel edition's ABI, not
 * a semantic a library could provide. The return codes of each call are
 * resmon_codes_test's, built for both backends.
 */

#include "resmon_helpers.h"

TEST(hello_returns_0_and_logs)
{
	char rec[1024];
	int fd, found = 0;
	ssize_t n;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	ASSERT_EQ(0, rm_hello());
	/* Extra arguments are ignored. */
	ASSERT_EQ(0, syscall(RESMON_NR_HELLO, 1L, 2L, 3L));
	if (fd < 0)
		SKIP(return, "no /dev/kmsg: cannot check the log line");
	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || errno == EPIPE) {
		if (n <= 0)
			continue;
		rec[n] = '\0';
		if (strcasestr(rec, "hello"))
			found++;
	}
	close(fd);
	EXPECT_LE(1, found) TH_LOG("no \"hello\" line in the kernel log");
}

/* The table entries are 64-bit only: x32 callers get ENOSYS. */
TEST(x32_gets_enosys)
{
	struct per_proc_resource r;
	const pid_t self = getpid();

	ASSERT_EQ(0, rm_register(self));
	EXPECT_EQ(-ENOSYS, rm_ret(syscall(X32_SYSCALL_BIT | RESMON_NR_HELLO)));
	EXPECT_EQ(-ENOSYS, rm_ret(syscall(X32_SYSCALL_BIT | RESMON_NR_REGISTER,
					  (long)self)));
	EXPECT_EQ(-ENOSYS, rm_ret(syscall(X32_SYSCALL_BIT | RESMON_NR_FETCH,
					  &r, (long)self)));
	EXPECT_EQ(-ENOSYS, rm_ret(syscall(X32_SYSCALL_BIT | RESMON_NR_DEREGISTER,
					  (long)self)));
	EXPECT_EQ(-ENOSYS, rm_ret(syscall(X32_SYSCALL_BIT | RESMON_NR_CAP,
					  (long)self, 1L, 1L)));
	EXPECT_EQ(-ENOSYS, rm_ret(syscall(X32_SYSCALL_BIT | RESMON_NR_RESET,
					  (long)self)));
	/* and none of them did anything */
	FETCH(self, r);
	EXPECT_EQ(0, r.quotas_defined);
}

/* ... and so do i386 callers (int $0x80). */
TEST(ia32_gets_enosys)
{
	struct per_proc_resource r;
	const pid_t self = getpid();
	long nr;

	if (!rm_have_ia32())
		SKIP(return, "no IA32 emulation (int $0x80 unavailable)");
	ASSERT_EQ(0, rm_register(self));
	for (nr = RESMON_NR_HELLO; nr <= RESMON_NR_RESET; nr++)
		EXPECT_EQ(-ENOSYS, rm_int80(nr, self, 1, 1))
			TH_LOG("i386 system call %ld", nr);
	FETCH(self, r);
	EXPECT_EQ(0, r.quotas_defined);
	EXPECT_EQ(-1, r.heap_quota);
}

int main(int argc, char **argv)
{
	return rm_test_main(argc, argv);
}
