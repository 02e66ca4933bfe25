// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Accounting of opens: every successful open, openat, openat2, creat and
 * open_by_handle_at counts one; failures and close count nothing. The
 * 32-bit and io_uring entry points are in compat.c and uring.c.
 */
#include "util.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/resource.h>
#include <sys/syscall.h>

static void three_opens(int (*fn)(void))
{
	const pid_t self = getpid();
	int fd[3], i;

	register_self();
	for (i = 0; i < 3; i++) {
		fd[i] = fn();
		CHECK(fd[i] >= 0);
		CHECK_EQ(i + 1, nfiles(self));
	}
	/* close does not subtract */
	for (i = 0; i < 3; i++)
		CHECK_EQ(0, close(fd[i]));
	CHECK_EQ(3, nfiles(self));
	/* and opens do not touch the heap total */
	CHECK_EQ(0, heap_mib(self));
}

PARITY_CASE(open_counts_one_per_success)
{
	three_opens(open_open);
}

PARITY_CASE(openat_counts_one_per_success)
{
	three_opens(open_openat);
}

PARITY_CASE(openat2_counts_one_per_success)
{
	three_opens(open_openat2);
}

PARITY_CASE(creat_counts_one_per_success)
{
	three_opens(open_creat);
	unlink("/tmp/resmon-parity-creat");
}

static int open_o_path(void)
{
	return syscall(SYS_openat, AT_FDCWD, "/", O_PATH | O_CLOEXEC);
}

PARITY_CASE(o_path_open_counts)
{
	three_opens(open_o_path);
}

PARITY_CASE(open_other_flags_count)
{
	const pid_t self = getpid();
	int fd;

	register_self();
	fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(fd >= 0);
	CHECK_EQ(1, nfiles(self));
	fd = open("/tmp/resmon-parity-new", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	CHECK(fd >= 0);
	CHECK_EQ(2, nfiles(self));
	fd = openat(AT_FDCWD, "/tmp", O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	CHECK_EQ(3, nfiles(self));
	fd = openat(fd, "resmon-parity-new", O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	CHECK_EQ(4, nfiles(self));
	fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	CHECK(fd >= 0);
	CHECK_EQ(5, nfiles(self));
	unlink("/tmp/resmon-parity-new");
}

PARITY_CASE(failed_opens_not_counted)
{
	struct open_how how = { .flags = O_RDONLY, .resolve = 1ULL << 40 };
	const pid_t self = getpid();
	struct rlimit rl, old;
	int fd, lowest;

	fd = open("/tmp/resmon-parity-excl", O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	CHECK(fd >= 0);
	close(fd);
	register_self();
	CHECK_EQ(-1, syscall(SYS_open, "/nonexistent/resmon", O_RDONLY));
	CHECK_EQ(ENOENT, errno);
	CHECK_EQ(-1, syscall(SYS_openat, AT_FDCWD, "/nonexistent", O_RDONLY));
	CHECK_EQ(-1, syscall(SYS_openat, -1, "relative", O_RDONLY));
	CHECK_EQ(-1, syscall(SYS_openat2, AT_FDCWD, "/nonexistent", &how, sizeof(how)));
	how.resolve = 0;
	CHECK_EQ(-1, syscall(SYS_openat2, AT_FDCWD, TEST_FILE, &how, 8));	/* size too small */
	CHECK_EQ(-1, syscall(SYS_creat, "/nonexistent/resmon", 0600));
	CHECK_EQ(-1, syscall(SYS_open, "/tmp/resmon-parity-excl", O_CREAT | O_EXCL | O_RDWR, 0600));
	CHECK_EQ(EEXIST, errno);
	CHECK_EQ(-1, syscall(SYS_open, "/", O_WRONLY));
	CHECK_EQ(EISDIR, errno);
	CHECK_EQ(-1, syscall(SYS_open, TEST_FILE, O_RDONLY | O_DIRECTORY));
	CHECK_EQ(ENOTDIR, errno);
	CHECK_EQ(-1, syscall(SYS_open, NULL, O_RDONLY));
	CHECK_EQ(EFAULT, errno);
	/* out of descriptors */
	lowest = fcntl(2, F_DUPFD, 0);
	CHECK(lowest >= 0);
	close(lowest);
	CHECK_EQ(0, getrlimit(RLIMIT_NOFILE, &old));
	rl = old;
	rl.rlim_cur = lowest;
	CHECK_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	CHECK_EQ(-1, syscall(SYS_open, TEST_FILE, O_RDONLY));
	CHECK_EQ(EMFILE, errno);
	CHECK_EQ(0, setrlimit(RLIMIT_NOFILE, &old));
	CHECK_EQ(0, nfiles(self));
	CHECK(open_open() >= 0);
	CHECK_EQ(1, nfiles(self));
	unlink("/tmp/resmon-parity-excl");
}

PARITY_CASE(open_by_handle_at_counts)
{
	const char *path = "/tmp/resmon-parity-fh";
	const pid_t self = getpid();
	struct {
		struct file_handle fh;
		unsigned char bytes[MAX_HANDLE_SZ];
	} h;
	int mount_id, mfd, fd;

	fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	CHECK(fd >= 0);
	close(fd);
	h.fh.handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mount_id, 0))
		skip("name_to_handle_at on /tmp: errno %d", errno);
	mfd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(mfd >= 0);
	register_self();
	CHECK(open_by_handle_at(mfd, &h.fh, O_RDONLY | O_CLOEXEC) >= 0);
	CHECK_EQ(1, nfiles(self));
	CHECK(open_by_handle_at(mfd, &h.fh, O_PATH | O_CLOEXEC) >= 0);
	CHECK_EQ(2, nfiles(self));
	/* a bogus handle, an oversized one: refused, not counted */
	memset(h.fh.f_handle, 0xa5, h.fh.handle_bytes);
	CHECK_EQ(-1, open_by_handle_at(mfd, &h.fh, O_RDONLY));
	h.fh.handle_bytes = MAX_HANDLE_SZ + 1;
	CHECK_EQ(-1, open_by_handle_at(mfd, &h.fh, O_RDONLY));
	CHECK_EQ(2, nfiles(self));
	unlink(path);
}
