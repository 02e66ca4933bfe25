/* SPDX-License-Identifier: GPL-2.0 */
/*
 * resmon selftest helpers: the resmon calls, layout checks and small
 * process/pipe utilities shared by the resmon_*_test.c programs.
 *
 * Two backends, chosen at build time, for the same test sources:
 *  - default: the raw system calls 451-456 and /proc/resmon, the kernel
 *    edition's ABI (resmon_X_test, built by lib.mk against the installed
 *    UAPI headers);
 *  - -DRESMON_BACKEND_LIBRESMON: libresmon's calls (resmon_register(), ...,
 *    resmon_list()), so that the same tests judge whichever edition answers,
 *    the eBPF edition's resmond on a stock kernel included (resmon_X_test.lib,
 *    built by selftests-lib.mk).
 * Only the rm_* wrappers below differ between the two; the tests never call
 * either API directly, except resmon_abi_test, which is raw-only.
 *
 * Every wrapper returns 0 (or a non-negative value) on success and the
 * NEGATIVE errno on failure, so that tests read EXPECT_EQ(-ESRCH, ...).
 *
 * Measurements rely on one fact: right after register(getpid()) the
 * record is exactly zero, and between two fetches the tests only make the
 * raw calls they measure (no stdio, no malloc), so byte totals are known
 * exactly even though fetch reports MiB rounded down.
 */

#ifndef _RESMON_HELPERS_H
#define _RESMON_HELPERS_H

#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/openat2.h>

#ifdef RESMON_BACKEND_LIBRESMON
#include "resmon.h"	/* libresmon: struct per_proc_resource, RESMON_NR_* */
#else
#include <linux/resmon.h>
#endif

#include "../kselftest_harness.h"

#ifndef RESMON_BACKEND_LIBRESMON
/*
 * The numbers come from the syscall table, through the installed headers'
 * asm/unistd.h (make headers_install), so these tests call what the kernel
 * was built with; resmon.rst fixes them at 451-456 in this order.
 */
#define RESMON_NR_HELLO		__NR_resmon_hello
#define RESMON_NR_REGISTER	__NR_resmon_register
#define RESMON_NR_FETCH		__NR_resmon_fetch
#define RESMON_NR_DEREGISTER	__NR_resmon_deregister
#define RESMON_NR_CAP		__NR_resmon_cap
#define RESMON_NR_RESET		__NR_resmon_reset
#endif
static_assert(RESMON_NR_HELLO == 451 && RESMON_NR_REGISTER == 452 &&
	      RESMON_NR_FETCH == 453 && RESMON_NR_DEREGISTER == 454 &&
	      RESMON_NR_CAP == 455 && RESMON_NR_RESET == 456,
	      "system call numbers are ABI");

#ifdef RESMON_BACKEND_LIBRESMON
#define RM_ABSENT_WHY	"resmon not available (no resmon kernel, no resmond)"
#else
#define RM_ABSENT_WHY	"resmon system calls not available (CONFIG_RESMON)"
#endif

#define X32_SYSCALL_BIT		0x40000000

#define MIB			(1024UL * 1024UL)
#define KERNEL_ADDR		((void *)0xffff888000000000UL)

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE	0x03
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif

/* The ABI layout (resmon.rst): 48 bytes on x86_64, these offsets. */
static_assert(sizeof(struct per_proc_resource) == 48, "size is ABI");
static_assert(alignof(struct per_proc_resource) == 8, "alignment is ABI");
static_assert(offsetof(struct per_proc_resource, pid) == 0, "pid");
static_assert(sizeof(((struct per_proc_resource *)0)->pid) == 4, "pid_t");
static_assert(offsetof(struct per_proc_resource, heapsize) == 8, "heapsize");
static_assert(sizeof(((struct per_proc_resource *)0)->heapsize) == 8, "ul");
static_assert(offsetof(struct per_proc_resource, openfile_count) == 16,
	      "openfile_count");
static_assert(sizeof(((struct per_proc_resource *)0)->openfile_count) == 8,
	      "ul");
static_assert(offsetof(struct per_proc_resource, heap_quota) == 24,
	      "heap_quota");
static_assert(sizeof(((struct per_proc_resource *)0)->heap_quota) == 8,
	      "long");
static_assert(offsetof(struct per_proc_resource, file_quota) == 32,
	      "file_quota");
static_assert(sizeof(((struct per_proc_resource *)0)->file_quota) == 8,
	      "long");
static_assert(offsetof(struct per_proc_resource, quotas_defined) == 40,
	      "quotas_defined");
static_assert(sizeof(((struct per_proc_resource *)0)->quotas_defined) == 1,
	      "bool");
/* Signedness: quotas are signed, counters unsigned. */
static_assert((__typeof__(((struct per_proc_resource *)0)->heap_quota))(-1) < 0,
	      "heap_quota is signed");
static_assert((__typeof__(((struct per_proc_resource *)0)->file_quota))(-1) < 0,
	      "file_quota is signed");
static_assert((__typeof__(((struct per_proc_resource *)0)->heapsize))(-1) > 0,
	      "heapsize is unsigned");
static_assert((__typeof__(((struct per_proc_resource *)0)->openfile_count))(-1) > 0,
	      "openfile_count is unsigned");

static inline long rm_ret(long r)
{
	return r < 0 ? -errno : r;
}

/* ---- the backend: the six calls ---- */

#ifdef RESMON_BACKEND_LIBRESMON
/* libresmon returns -1 and sets errno, as syscall() does. */
static inline long rm_hello(void)
{
	return rm_ret(resmon_hello());
}

static inline long rm_register(pid_t pid)
{
	return rm_ret(resmon_register(pid));
}

static inline long rm_fetch(struct per_proc_resource *stats, pid_t pid)
{
	return rm_ret(resmon_fetch(pid, stats));
}

static inline long rm_deregister(pid_t pid)
{
	return rm_ret(resmon_deregister(pid));
}

static inline long rm_cap(pid_t pid, long heap_mib, long files)
{
	return rm_ret(resmon_cap(pid, heap_mib, files));
}

static inline long rm_reset(pid_t pid)
{
	return rm_ret(resmon_reset(pid));
}
#else
static inline long rm_hello(void)
{
	return rm_ret(syscall(RESMON_NR_HELLO));
}

static inline long rm_register(pid_t pid)
{
	return rm_ret(syscall(RESMON_NR_REGISTER, (long)pid));
}

static inline long rm_fetch(struct per_proc_resource *stats, pid_t pid)
{
	return rm_ret(syscall(RESMON_NR_FETCH, stats, (long)pid));
}

static inline long rm_deregister(pid_t pid)
{
	return rm_ret(syscall(RESMON_NR_DEREGISTER, (long)pid));
}

static inline long rm_cap(pid_t pid, long heap_mib, long files)
{
	return rm_ret(syscall(RESMON_NR_CAP, (long)pid, heap_mib, files));
}

static inline long rm_reset(pid_t pid)
{
	return rm_ret(syscall(RESMON_NR_RESET, (long)pid));
}
#endif

static inline pid_t rm_gettid(void)
{
	return syscall(SYS_gettid);
}

static inline size_t rm_page(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static inline unsigned long rm_page_align(unsigned long x)
{
	return (x + rm_page() - 1) & ~(rm_page() - 1);
}

/* A pid that names no process: one past the highest possible pid. */
static inline pid_t rm_unused_pid(void)
{
	return INT_MAX;
}

/*
 * Fill @r from a fetch of @pid; padding pre-set to 0xff so that a test can
 * see what the kernel wrote.
 */
#define FETCH(pid, r) do { \
	__typeof__(r) *__fr = &(r); \
	memset(__fr, 0xff, sizeof(*__fr)); \
	ASSERT_EQ(0, rm_fetch(__fr, (pid))); \
} while (0)

/* @target's record is as register leaves it: counters 0, no quotas. */
#define EXPECT_FRESH_RECORD(target) do { \
	pid_t __fresh_pid = (target); \
	struct per_proc_resource __fresh; \
	FETCH(__fresh_pid, __fresh); \
	EXPECT_EQ(__fresh_pid, __fresh.pid); \
	EXPECT_EQ(0, __fresh.heapsize); \
	EXPECT_EQ(0, __fresh.openfile_count); \
	EXPECT_EQ(-1, __fresh.heap_quota); \
	EXPECT_EQ(-1, __fresh.file_quota); \
	EXPECT_EQ(0, __fresh.quotas_defined); \
} while (0)

/* Fetch @pid and return one field; aborts the test on failure. */
#define FETCH_FIELD(pid, field) ({ \
	struct per_proc_resource __r; \
	FETCH((pid), __r); \
	__r.field; \
})

#define HEAP_MIB(pid)	FETCH_FIELD((pid), heapsize)
#define NFILES(pid)	FETCH_FIELD((pid), openfile_count)

/* Private anonymous mapping (counted); returns MAP_FAILED on error. */
static inline void *rm_map_private(size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static inline long rm_brk(unsigned long addr)
{
	return syscall(SYS_brk, addr);
}

/*
 * One successful open through each entry point, returning the new fd.
 * Raw system calls, so that libc cannot route one through another.
 */
#define RM_FILE		"/dev/null"
#define RM_CREAT_FILE	"/tmp/resmon-selftest-creat"

#ifndef SYS_openat2
#define SYS_openat2	437
#endif

static inline int rm_open_open(void)
{
	return syscall(SYS_open, RM_FILE, O_RDONLY | O_CLOEXEC);
}

static inline int rm_open_openat(void)
{
	return syscall(SYS_openat, AT_FDCWD, RM_FILE, O_RDONLY | O_CLOEXEC);
}

static inline int rm_open_openat2(void)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC };

	return syscall(SYS_openat2, AT_FDCWD, RM_FILE, &how, sizeof(how));
}

static inline int rm_open_creat(void)
{
	return syscall(SYS_creat, RM_CREAT_FILE, 0600);
}

static inline int rm_open_path(void)
{
	return syscall(SYS_openat, AT_FDCWD, "/", O_PATH | O_CLOEXEC);
}

/*
 * The i386 system call entry (int $0x80) from this 64-bit process: the
 * same path a 32-bit program uses.  Without CONFIG_IA32_EMULATION the
 * instruction raises SIGSEGV, so callers probe it in a child first.
 * Pointers passed must lie below 4 GiB (MAP_32BIT).
 */
static inline long rm_int80(long nr, long a, long b, long c)
{
	long ret;

	asm volatile("int $0x80"
		     : "=a"(ret)
		     : "a"(nr), "b"(a), "c"(b), "d"(c)
		     : "r8", "r9", "r10", "r11", "memory");
	return ret;
}

/*
 * Six-argument i386 call with %ebp = 0 (e.g. mmap2 with pgoff 0).  %rbp
 * is saved by hand below the red zone; all operands are registers.
 */
static inline long rm_int80_6(long nr, long a, long b, long c, long d, long e)
{
	long ret;

	asm volatile("sub $128, %%rsp\n\t"
		     "push %%rbp\n\t"
		     "xor %%ebp, %%ebp\n\t"
		     "int $0x80\n\t"
		     "pop %%rbp\n\t"
		     "add $128, %%rsp"
		     : "=a"(ret)
		     : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
		     : "r8", "r9", "r10", "r11", "memory", "cc");
	return ret;
}

/* Does int $0x80 work here?  Probed in a throw-away child. */
static inline int rm_have_ia32(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		/* i386 getpid is 20 */
		_exit(rm_int80(20, 0, 0, 0) == getpid() ? 0 : 1);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/*
 * Child processes with two pipes: "go" (parent -> child) and "markers"
 * (child -> parent).  The child writes one marker byte after each step;
 * the parent reads every byte until EOF, so a step whose marker is absent
 * never ran.  Children never use stdio or the harness asserts: an
 * unexpected failure exits with a distinct code instead.
 */
struct rm_child {
	pid_t pid;
	int go_w;
	int mark_r;
};

static int rm_go_r = -1, rm_mark_w = -1;

static inline void rm_mark(char c)
{
	if (write(rm_mark_w, &c, 1) != 1)
		_exit(120);
}

static inline void rm_wait_go(void)
{
	char c;

	if (read(rm_go_r, &c, 1) != 1)
		_exit(121);
}

/*
 * Right after the fork (or clone3) that set c->pid: the child keeps its ends
 * of the pipes and runs @fn, the parent keeps the other ends.
 */
static inline pid_t rm_spawned(struct rm_child *c, int go[2], int mark[2],
			       void (*fn)(void *), void *arg)
{
	if (c->pid == 0) {
		close(go[1]);
		close(mark[0]);
		rm_go_r = go[0];
		rm_mark_w = mark[1];
		fn(arg);
		_exit(0);
	}
	close(go[0]);
	close(mark[1]);
	c->go_w = go[1];
	c->mark_r = mark[0];
	return c->pid;
}

static inline pid_t rm_spawn(struct rm_child *c, void (*fn)(void *), void *arg)
{
	int go[2], mark[2];

	if (pipe2(go, O_CLOEXEC) || pipe2(mark, O_CLOEXEC))
		return -1;
	c->pid = fork();
	if (c->pid < 0)
		return -1;
	return rm_spawned(c, go, mark, fn, arg);
}

static inline int rm_go(struct rm_child *c)
{
	char x = 'g';

	return write(c->go_w, &x, 1) == 1 ? 0 : -1;
}

/* Read one marker (blocking); returns the byte or -1 at EOF. */
static inline int rm_read_mark(struct rm_child *c)
{
	char x;

	return read(c->mark_r, &x, 1) == 1 ? x : -1;
}

/* Read every remaining marker into @buf (NUL-terminated), until EOF. */
static inline size_t rm_read_marks(struct rm_child *c, char *buf, size_t size)
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
	return n;
}

/* Close our ends, reap the child, return its wait status. */
static inline int rm_reap(struct rm_child *c)
{
	int status = -1;

	close(c->go_w);
	close(c->mark_r);
	if (waitpid(c->pid, &status, 0) != c->pid)
		return -1;
	return status;
}

#define ASSERT_KILLED(status) do { \
	int __s = (status); \
	if (!WIFSIGNALED(__s)) \
		TH_LOG("child not killed: exited with %d", \
		       WIFEXITED(__s) ? WEXITSTATUS(__s) : -1); \
	ASSERT_TRUE(WIFSIGNALED(__s)); \
	ASSERT_EQ(SIGKILL, WTERMSIG(__s)); \
} while (0)

#define ASSERT_EXITED_OK(status) do { \
	int __s = (status); \
	if (!WIFEXITED(__s) || WEXITSTATUS(__s)) \
		TH_LOG("child status: exit %d, signal %d", \
		       WIFEXITED(__s) ? WEXITSTATUS(__s) : -1, \
		       WIFSIGNALED(__s) ? WTERMSIG(__s) : 0); \
	ASSERT_TRUE(WIFEXITED(__s)); \
	ASSERT_EQ(0, WEXITSTATUS(__s)); \
} while (0)

/* A child that just waits for "go" (or for its pipe to close) and exits. */
static inline void rm_idle(void *arg)
{
	char c;

	(void)arg;
	rm_mark('r');
	(void)!read(rm_go_r, &c, 1);
}

/*
 * Become an unprivileged user: all uids @uid, all gids @gid, no
 * supplementary groups, no capabilities (changing every uid away from 0
 * clears them), and dumpable again so that same-uid processes may read us.
 */
static inline int rm_drop_to(uid_t uid, gid_t gid)
{
	if (setgroups(0, NULL))
		return -1;
	if (setresgid(gid, gid, gid))
		return -1;
	if (setresuid(uid, uid, uid))
		return -1;
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
		return -1;
	return 0;
}

/*
 * The path of program @name beside the running test (the helpers the tests
 * execve: resmon_exec_helper, resmon_helper32) in @buf (PATH_MAX): 0 or -1.
 */
static inline int rm_sibling_path(char *buf, const char *name)
{
	ssize_t n = readlink("/proc/self/exe", buf, PATH_MAX - 1);
	char *slash;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash || (size_t)(slash + 1 - buf) + strlen(name) >= PATH_MAX)
		return -1;
	strcpy(slash + 1, name);
	return 0;
}

/*
 * A setuid-root copy of resmon_exec_helper (beside the running test) at
 * @dst, a mkostemp() template in /tmp (a tmpfs in the test guest, mounted
 * without nosuid): an execve of it gains privilege (bprm->secureexec).
 */
static inline int rm_suid_copy(char *dst)
{
	char src[PATH_MAX], buf[65536];
	int in, out, ok = 0;
	ssize_t n;

	if (rm_sibling_path(src, "resmon_exec_helper"))
		return -1;
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	out = mkostemp(dst, O_CLOEXEC);
	if (out >= 0) {
		ok = 1;
		while (ok && (n = read(in, buf, sizeof(buf))) > 0)
			ok = write(out, buf, n) == n;
		ok = ok && !n && !fchown(out, 0, 0) && !fchmod(out, 04755);
		close(out);
	}
	close(in);
	return ok ? 0 : -1;
}

#ifdef RESMON_BACKEND_LIBRESMON
/* libresmon answers through whichever edition is there, or says ENOSYS. */
static inline int rm_resmon_present(void)
{
	return resmon_hello() == 0;
}
#else
/*
 * Guard: the numbers 451-456 belong to other system calls on newer
 * kernels.  Refuse to run there instead of calling them.
 */
static inline int rm_resmon_present(void)
{
	long r = syscall(RESMON_NR_HELLO);

	if (r == 0)
		return 1;
	if (r < 0 && errno == ENOSYS)
		return 0;
	return -1;
}
#endif

/*
 * For main(): KSFT_PASS if resmon is present and the tests may run,
 * otherwise the exit code to return (KSFT_SKIP or KSFT_FAIL).
 */
static inline int rm_main_preamble(void)
{
	int p = rm_resmon_present();

	if (p == 0) {
		ksft_print_msg(RM_ABSENT_WHY "\n");
		return KSFT_SKIP;
	}
	if (p < 0) {
		ksft_print_msg("system call 451 is not resmon hello; refusing to run\n");
		return KSFT_FAIL;
	}
	return KSFT_PASS;
}

/* One line of /proc/resmon: "pid heap_bytes files heap_quota file_quota defined". */
struct rm_proc_line {
	int pid;
	unsigned long heap, files;
	long hq, fq;
	int defined;
};

#ifdef RESMON_BACKEND_LIBRESMON
/*
 * The records through resmon_list(), which reads /proc/resmon on the kernel
 * edition and asks resmond on the eBPF edition; -1 if neither answers.
 * The one place the tests use the list API.
 */
static inline int rm_read_proc_resmon(struct rm_proc_line *out, int max)
{
	struct resmon_record *e;
	size_t n, i;

	if (resmon_list(&e, &n) < 0)
		return errno == ENOENT || errno == ENOSYS ? -1 : -2;
	/* The file's units: heap quota in MiB (a limit is whole MiB), -1 for none. */
	for (i = 0; i < n && i < (size_t)max; i++)
		out[i] = (struct rm_proc_line){
			.pid = e[i].pid, .heap = e[i].heap_bytes,
			.files = e[i].opens,
			.hq = e[i].heap_limit_bytes < 0 ? -1 : e[i].heap_limit_bytes >> 20,
			.fq = e[i].files_limit, .defined = e[i].quotas_defined,
		};
	free(e);
	return (int)i;
}

/*
 * Whether reading the list opens a file (counted against a monitored
 * reader): /proc/resmon on the kernel edition; a socket to resmond, which
 * is no open, on the eBPF edition.
 */
static inline int rm_list_opens_a_file(void)
{
	return !strcmp(resmon_edition(), "kernel");
}
#else
/*
 * Parse up to @max lines of /proc/resmon into @out; returns how many, -1 if
 * the file is absent, -2 on a line that does not parse.
 */
static inline int rm_read_proc_resmon(struct rm_proc_line *out, int max)
{
	char line[256];
	int n = 0;
	FILE *f = fopen("/proc/resmon", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f) && n < max) {
		struct rm_proc_line *l = &out[n];

		if (sscanf(line, "%d %lu %lu %ld %ld %d", &l->pid, &l->heap,
			   &l->files, &l->hq, &l->fq, &l->defined) != 6) {
			n = -2;
			break;
		}
		n++;
	}
	fclose(f);
	return n;
}

static inline int rm_list_opens_a_file(void)
{
	return 1;
}
#endif

/* Index of @pid's line among the @n in @l, or -1. */
static inline int rm_find_proc_line(struct rm_proc_line *l, int n, pid_t pid)
{
	int i;

	for (i = 0; i < n; i++)
		if (l[i].pid == pid)
			return i;
	return -1;
}

/* What main() does: the harness, where 451 is resmon's hello. */
static inline int rm_test_main(int argc, char **argv)
{
	int ret = rm_main_preamble();

	return ret == KSFT_PASS ? test_harness_run(argc, argv) : ret;
}

/* ---- jobs: the handle's calls, through either backend ---- */

#ifndef SYS_pidfd_open
#define SYS_pidfd_open	434
#endif

/* A pidfd for @pid (the jobs' calls take one), or the negative errno. */
static inline int rm_pidfd(pid_t pid)
{
	return (int)rm_ret(syscall(SYS_pidfd_open, pid, 0));
}

#ifdef RESMON_BACKEND_LIBRESMON
/* libresmon's calls, the same semantics as the kernel's (libresmon(3)). */
static inline int rm_job_create(int pidfd, const struct resmon_job_limits *l,
				size_t size, unsigned int flags)
{
	return (int)rm_ret(resmon_job_create(pidfd, l, size, flags));
}

static inline int rm_job_open(int pidfd)
{
	return (int)rm_ret(resmon_job_open(pidfd));
}

static inline int rm_job_usage(int h, struct resmon_job_usage *u, size_t size)
{
	return (int)rm_ret(resmon_job_usage(h, u, size));
}

static inline int rm_job_set_limits(int h, const struct resmon_job_limits *l,
				    size_t size)
{
	return (int)rm_ret(resmon_job_set_limits(h, l, size));
}

/* 1: an event; 0: none will come (EMPTY was read); else the negative errno. */
static inline int rm_job_read_event(int h, struct resmon_job_event *ev,
				    size_t size)
{
	return (int)rm_ret(resmon_job_read_event(h, ev, size));
}
#else
#ifndef __NR_resmon_job
#define __NR_resmon_job	457
#endif
static_assert(__NR_resmon_job == 457, "system call numbers are ABI");

static inline int rm_job_create(int pidfd, const struct resmon_job_limits *l,
				size_t size, unsigned int flags)
{
	return (int)rm_ret(syscall(__NR_resmon_job, pidfd, l, size, flags));
}

static inline int rm_job_open(int pidfd)
{
	return (int)rm_ret(syscall(__NR_resmon_job, pidfd, NULL, 0,
				   RESMON_JOB_OPEN));
}

/* The struct's size travels in the ioctl number, as with pidfd_info. */
static inline int rm_job_usage(int h, struct resmon_job_usage *u, size_t size)
{
	return (int)rm_ret(ioctl(h, _IOC(_IOC_READ, RESMON_IOC_MAGIC,
					 _IOC_NR(RESMON_IOC_USAGE), size), u));
}

static inline int rm_job_set_limits(int h, const struct resmon_job_limits *l,
				    size_t size)
{
	return (int)rm_ret(ioctl(h, _IOC(_IOC_WRITE, RESMON_IOC_MAGIC,
					 _IOC_NR(RESMON_IOC_SET_LIMITS), size),
				 l));
}

static inline int rm_job_read_event(int h, struct resmon_job_event *ev,
				    size_t size)
{
	ssize_t n = read(h, ev, size);

	if (n < 0)
		return -errno;
	return n ? 1 : 0;
}
#endif

/* Limits with nothing given: everything unlimited, soft signal SIGTERM. */
static inline struct resmon_job_limits rm_job_no_limits(void)
{
	struct resmon_job_limits l;

	memset(&l, 0, sizeof(l));
	return l;
}

/* Add a hard (@hard != 0) or soft limit @value on @res to @l. */
static inline void rm_job_limit(struct resmon_job_limits *l, int res,
				int hard, unsigned long long value)
{
	if (hard) {
		l->mask |= RESMON_LIMIT_HARD(res);
		l->hard[res] = value;
	} else {
		l->mask |= RESMON_LIMIT_SOFT(res);
		l->soft[res] = value;
	}
}

/* VmData of /proc/@pid/status in bytes (0: self), or -1. No malloc. */
static inline long long rm_vmdata(pid_t pid)
{
	char path[64], buf[4096], *p;
	ssize_t n;
	int fd;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/status", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/status");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "\nVmData:");
	if (!p)
		return -1;
	return strtoll(p + 8, NULL, 10) * 1024;
}

#endif /* _RESMON_HELPERS_H */
