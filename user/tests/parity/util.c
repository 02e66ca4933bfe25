// SPDX-License-Identifier: GPL-2.0-or-later
/* Helpers of the parity suite (see util.h). */
#include "util.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CREAT_FILE "/tmp/resmon-parity-creat"

unsigned long page_size(void)
{
	return (unsigned long)sysconf(_SC_PAGESIZE);
}

unsigned long page_align(unsigned long x)
{
	return (x + page_size() - 1) & ~(page_size() - 1);
}

void *map_private(size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

unsigned long raw_brk(unsigned long addr)
{
	return (unsigned long)syscall(SYS_brk, addr);
}

unsigned long brk_base(void)
{
	unsigned long a0 = page_align(raw_brk(0));

	CHECK_EQ(a0, raw_brk(a0));
	return a0;
}

int open_open(void)
{
	return syscall(SYS_open, TEST_FILE, O_RDONLY | O_CLOEXEC);
}

int open_openat(void)
{
	return syscall(SYS_openat, AT_FDCWD, TEST_FILE, O_RDONLY | O_CLOEXEC);
}

int open_openat2(void)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC };

	return syscall(SYS_openat2, AT_FDCWD, TEST_FILE, &how, sizeof(how));
}

int open_creat(void)
{
	return syscall(SYS_creat, CREAT_FILE, 0600);
}

long heap_mib(pid_t pid)
{
	struct per_proc_resource r;

	FETCH(pid, r);
	return (long)r.heapsize;
}

long nfiles(pid_t pid)
{
	struct per_proc_resource r;

	FETCH(pid, r);
	return (long)r.openfile_count;
}

void check_fresh(pid_t pid)
{
	struct per_proc_resource r;

	FETCH(pid, r);
	CHECK_EQ(pid, r.pid);
	CHECK_EQ(0, r.heapsize);
	CHECK_EQ(0, r.openfile_count);
	CHECK_EQ(-1, r.heap_quota);
	CHECK_EQ(-1, r.file_quota);
	CHECK_EQ(0, r.quotas_defined);
}

void register_self(void)
{
	CHECK_OK(resmon_register(getpid()));
	check_fresh(getpid());
}

void fill(void)
{
	CHECK_EQ(0, heap_mib(getpid()));
	CHECK(map_private(MIB - page_size()) != MAP_FAILED);
	CHECK_EQ(0, heap_mib(getpid()));
}

void one_more_page(void)
{
	CHECK(map_private(page_size()) != MAP_FAILED);
	CHECK_EQ(1, heap_mib(getpid()));
}

/* ---- children ---- */

static int go_r = -1, mark_w = -1;

void mark(char c)
{
	if (write(mark_w, &c, 1) != 1)
		_exit(120);
}

void wait_go(void)
{
	char c;

	if (read(go_r, &c, 1) != 1)
		_exit(121);
}

/* After the fork or clone3 that set c->pid: each side keeps its pipe ends. */
static pid_t spawned(struct child *c, int go[2], int mk[2], void (*fn)(void *), void *arg)
{
	if (c->pid == 0) {
		int fd;

		/*
		 * Only our own two ends: a sibling's pipe ends held here would keep
		 * that sibling from seeing EOF when the case closes its side.
		 */
		for (fd = 3; fd < 1024; fd++)
			if (fd != go[0] && fd != mk[1])
				close(fd);
		go_r = go[0];
		mark_w = mk[1];
		fn(arg);
		_exit(0);
	}
	close(go[0]);
	close(mk[1]);
	if (c->pid < 0) {
		close(go[1]);
		close(mk[0]);
		return c->pid;
	}
	c->go_w = go[1];
	c->mark_r = mk[0];
	return c->pid;
}

pid_t spawn(struct child *c, void (*fn)(void *), void *arg)
{
	int g[2], m[2];

	if (pipe2(g, O_CLOEXEC) || pipe2(m, O_CLOEXEC))
		return -errno;
	c->pid = fork();
	if (c->pid < 0)
		c->pid = -errno;
	return spawned(c, g, m, fn, arg);
}

pid_t spawn_with_pid(struct child *c, pid_t want, void (*fn)(void *), void *arg)
{
	struct clone_args ca;
	int g[2], m[2];

	if (pipe2(g, O_CLOEXEC) || pipe2(m, O_CLOEXEC))
		return -errno;
	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	ca.set_tid = (uintptr_t)&want;
	ca.set_tid_size = 1;
	c->pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (c->pid < 0)
		c->pid = -errno;
	return spawned(c, g, m, fn, arg);
}

int go(struct child *c)
{
	char x = 'g';

	return write(c->go_w, &x, 1) == 1 ? 0 : -1;
}

int read_mark(struct child *c)
{
	char x;

	return read(c->mark_r, &x, 1) == 1 ? x : -1;
}

void read_marks(struct child *c, char *buf, size_t size)
{
	size_t n = 0;
	ssize_t r;

	while (n + 1 < size) {
		r = read(c->mark_r, buf + n, size - 1 - n);
		if (r <= 0)
			break;
		n += r;
	}
	buf[n] = '\0';
}

int reap(struct child *c)
{
	int status = -1;

	if (c->go_w >= 0)
		close(c->go_w);
	close(c->mark_r);
	c->go_w = -1;
	if (waitpid(c->pid, &status, 0) != c->pid)
		return -1;
	return status;
}

void exec_with_pipes(const char *path, const char *mode)
{
	char g[16], m[16];

	/* The pipes are close-on-exec; these two go through. */
	if (fcntl(go_r, F_SETFD, 0) || fcntl(mark_w, F_SETFD, 0))
		_exit(122);
	snprintf(g, sizeof(g), "%d", go_r);
	snprintf(m, sizeof(m), "%d", mark_w);
	if (mode)
		execl(path, path, mode, g, m, (char *)NULL);
	else
		execl(path, path, g, m, (char *)NULL);
	_exit(123);
}

void exec_child(void *path)
{
	exec_with_pipes(path, NULL);
}

void idle_child(void *arg)
{
	char c;

	(void)arg;
	mark('r');
	(void)!read(go_r, &c, 1);
}

/* ---- credentials ---- */

int become(uid_t uid, gid_t gid, uint32_t caps)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (caps && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		return -1;
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid))
		return -1;
	memset(d, 0, sizeof(d));
	d[0].permitted = d[0].effective = caps;
	if (syscall(SYS_capset, &h, d))
		return -1;
	/* Changing ids cleared it; same-uid processes may then read us. */
	return prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

long rc(int r)
{
	return r == 0 ? 0 : -errno;
}

int run_as(uid_t uid, gid_t gid, uint32_t caps, void (*fn)(long *res, void *arg),
	   void *arg, long *res)
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
		long r[RES_MAX];
		int i;

		close(p[0]);
		for (i = 0; i < RES_MAX; i++)
			r[i] = 0x5555;
		if (become(uid, gid, caps))
			_exit(2);
		fn(r, arg);
		if (write(p[1], r, sizeof(r)) != sizeof(r))
			_exit(3);
		_exit(0);
	}
	close(p[1]);
	n = read(p[0], res, RES_MAX * sizeof(long));
	close(p[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	return n == RES_MAX * sizeof(long) ? 0 : -1;
}

const char *beside_self(const char *name, char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *slash;

	if (n < 0)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash || (size_t)(slash - buf) + 2 + strlen(name) > size)
		return NULL;
	strcpy(slash + 1, name);
	return buf;
}
