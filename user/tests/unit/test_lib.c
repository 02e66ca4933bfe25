// SPDX-License-Identifier: GPL-2.0-or-later
/* libresmon without a kernel: messages, /proc/resmon parsing and reading, ENOSYS. */
#include "check.h"
#include "resmon.h"

#include "resmon/resmond_wire.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static void messages(void)
{
	CHECK_STR(resmon_strerror(RESMON_OP_REGISTER, ENFILE), "process is already monitored");
	CHECK_STR(resmon_strerror(RESMON_OP_CAP, ENFILE), "quotas already set; reset them first");
	CHECK_STR(resmon_strerror(RESMON_OP_FETCH, EINVAL), "no such live process, or not monitored");
	CHECK_STR(resmon_strerror(RESMON_OP_REGISTER, ESRCH), "no such live process");
	CHECK_STR(resmon_strerror(RESMON_OP_DEREGISTER, ESRCH),
		  "no such live process, or not monitored");
	CHECK_STR(resmon_strerror(RESMON_OP_RESET, EINVAL), "process is not monitored");
	CHECK_STR(resmon_strerror(RESMON_OP_CAP, EINVAL),
		  "process is not monitored, or a quota is out of range");
	CHECK(strstr(resmon_strerror(RESMON_OP_RESET, EPERM), "CAP_SYS_RESOURCE") != NULL);
	CHECK(strstr(resmon_strerror(RESMON_OP_DEREGISTER, EPERM), "CAP_SYS_RESOURCE") != NULL);
	CHECK(strstr(resmon_strerror(RESMON_OP_REGISTER, EPERM), "CAP_SYS_RESOURCE") == NULL);
	CHECK_STR(resmon_strerror(RESMON_OP_FETCH, EPERM),
		  "permission denied: you may not read this process");
}

static void enosys_any_call(void)
{
	int op;

	for (op = RESMON_OP_HELLO; op <= RESMON_OP_LIST; op++)
		CHECK_STR(resmon_strerror((enum resmon_op)op, ENOSYS), "kernel has no resmon support");
	/* Unknown pairs fall back to strerror. */
	CHECK_STR(resmon_strerror(RESMON_OP_FETCH, EIO), strerror(EIO));
}

static void op_names(void)
{
	CHECK_STR(resmon_op_name(RESMON_OP_REGISTER), "register");
	CHECK_STR(resmon_op_name(RESMON_OP_CAP), "cap");
	CHECK_STR(resmon_op_name(RESMON_OP_RESET), "reset");
	CHECK_STR(resmon_op_name(RESMON_OP_DEREGISTER), "deregister");
	CHECK_STR(resmon_op_name(RESMON_OP_FETCH), "fetch");
}

static void parse_entry(void)
{
	struct resmon_entry e;

	CHECK(resmon_parse_entry("123 4194304 7 -1 -1 0\n", &e) == 0);
	CHECK(e.pid == 123 && e.heap_bytes == 4194304 && e.openfile_count == 7 &&
	      e.heap_quota == -1 && e.file_quota == -1 && e.quotas_defined == 0);
	CHECK(resmon_parse_entry("5 0 0 64 10 1", &e) == 0);
	CHECK(e.heap_quota == 64 && e.file_quota == 10 && e.quotas_defined == 1);
	errno = 0;
	CHECK(resmon_parse_entry("5 0 0 64 10", &e) < 0 && errno == EINVAL);
	CHECK(resmon_parse_entry("5 0 0 64 10 2\n", &e) < 0);
	CHECK(resmon_parse_entry("0 0 0 -1 -1 0\n", &e) < 0);
	CHECK(resmon_parse_entry("5 0 0 -2 -1 0\n", &e) < 0);
	CHECK(resmon_parse_entry("5 0 0 -1 -1 0 extra\n", &e) < 0);
	CHECK(resmon_parse_entry("PID HEAP\n", &e) < 0);
	CHECK(resmon_parse_entry("", &e) < 0);
}

/* A temporary file with @text, for resmon_list(path). */
static void with_file(const char *text, char *path)
{
	int fd;

	snprintf(path, 64, "/tmp/resmon-unit-XXXXXX");
	fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd >= 0) {
		CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
		close(fd);
	}
}

static void list_file(void)
{
	struct resmon_entry *v = NULL;
	size_t n = 99;
	char path[64];

	with_file("10 0 0 -1 -1 0\n11 1048576 3 4 -1 1\n12 0 1 -1 2 1\n", path);
	CHECK(resmon_list(path, &v, &n) == 0);
	CHECK(n == 3 && v && v[0].pid == 10 && v[1].pid == 11 && v[2].pid == 12);
	CHECK(v && v[1].heap_bytes == 1048576 && v[2].file_quota == 2);
	free(v);
	unlink(path);

	with_file("", path);
	v = NULL;
	CHECK(resmon_list(path, &v, &n) == 0 && n == 0);
	free(v);
	unlink(path);

	with_file("10 0 0 -1 -1 0\ngarbage\n", path);
	errno = 0;
	CHECK(resmon_list(path, &v, &n) < 0 && errno == EINVAL);
	unlink(path);

	errno = 0;
	CHECK(resmon_list("/nonexistent/resmon", &v, &n) < 0 && errno == ENOENT);
}

static void list_many(void)
{
	struct resmon_entry *v = NULL;
	char path[64], *text = malloc(100 * 32), *p = text;
	size_t n = 0;
	int i;

	/* More than the first allocation holds: the array must grow. */
	for (i = 1; i <= 100; i++)
		p += sprintf(p, "%d %d 0 -1 -1 0\n", i, i * 4096);
	with_file(text, path);
	CHECK(resmon_list(path, &v, &n) == 0 && n == 100);
	CHECK(v && v[99].pid == 100 && v[99].heap_bytes == 409600);
	free(v);
	free(text);
	unlink(path);
}

static void struct_layout(void)
{
	/* The ABI (SPEC.md): 48 bytes, heapsize at 8, quotas_defined at 40. */
	CHECK(sizeof(struct per_proc_resource) == 48);
	CHECK(offsetof(struct per_proc_resource, heapsize) == 8);
	CHECK(offsetof(struct per_proc_resource, quotas_defined) == 40);
	CHECK(RESMON_NO_LIMIT == -1);
	CHECK(RESMON_HEAP_QUOTA_MAX == 8796093022207L);
}

static void no_resmon_kernel(void)
{
	struct per_proc_resource r;

	/*
	 * Only where this kernel has no resmon (the host): every call must fail
	 * with ENOSYS and must not reach the syscall numbers that newer
	 * mainline kernels gave to cachestat, fchmodat2, futex_wait...
	 */
	if (access(RESMON_PROC_PATH, F_OK) == 0)
		return;
	errno = 0;
	CHECK(resmon_register(getpid()) < 0 && errno == ENOSYS);
	errno = 0;
	CHECK(resmon_fetch(getpid(), &r) < 0 && errno == ENOSYS);
	errno = 0;
	CHECK(resmon_cap(getpid(), 1, 1) < 0 && errno == ENOSYS);
	CHECK(resmon_deregister(getpid()) < 0 && errno == ENOSYS);
	CHECK(resmon_reset(getpid()) < 0 && errno == ENOSYS);
	CHECK(resmon_hello() < 0 && errno == ENOSYS);
	errno = 1234;
	CHECK(resmon_available() == 0 && errno == 1234);
}

/*
 * A fake resmond that answers LIST with full "more follows" messages until
 * the client hangs up, or FAKE_MAX of them; exits with how many it sent
 * in units of 64 (the exit status is a byte).
 */
#define FAKE_MAX	(16 * RESMOND_LIST_MAX / RESMOND_LIST_CHUNK)

static void endless_lister(int lfd)
{
	union {
		struct resmond_reply r;
		char buf[RESMOND_REPLY_MAX];
	} u;
	char q[sizeof(struct resmond_request)];
	long sent = 0;
	int fd = accept(lfd, NULL, NULL);

	if (fd < 0 || recv(fd, q, sizeof(q), 0) != (ssize_t)sizeof(q))
		_exit(255);
	memset(&u, 0, sizeof(u));
	u.r.magic = RESMOND_MAGIC;
	u.r.count = RESMOND_LIST_CHUNK;
	u.r.more = 1;
	for (sent = 0; sent < FAKE_MAX; sent++) {
		u.r.rec[sent % RESMOND_LIST_CHUNK].pid = (int32_t)sent + 1;
		if (send(fd, u.buf, sizeof(u.buf), MSG_NOSIGNAL) != (ssize_t)sizeof(u.buf))
			break;
	}
	_exit((int)(sent / 64));
}

static void list_endless_stream(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct resmon_entry *v = NULL;
	size_t n = 0;
	int lfd, status = 0;
	pid_t pid;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/resmon-unit-%d.sock", (int)getpid());
	unlink(sa.sun_path);
	lfd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK(lfd >= 0 && bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	      listen(lfd, 1) == 0);
	pid = fork();
	if (pid == 0)
		endless_lister(lfd);
	close(lfd);
	setenv(RESMOND_SOCKET_ENV, sa.sun_path, 1);
	errno = 0;
	/* No /proc/resmon on the host: resmon_list asks "resmond". */
	CHECK(resmon_list(NULL, &v, &n) < 0 && errno == EMSGSIZE);
	unsetenv(RESMOND_SOCKET_ENV);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	/*
	 * It hung up after at most RESMOND_LIST_MAX entries (plus what the
	 * socket buffered): the fake never reached its own limit.
	 */
	CHECK(WEXITSTATUS(status) < FAKE_MAX / 64 / 2);
	unlink(sa.sun_path);
}

const struct test lib_tests[] = {
	{ "lib: messages per call and errno", messages },
	{ "lib: ENOSYS for every call, strerror fallback", enosys_any_call },
	{ "lib: call names", op_names },
	{ "lib: /proc/resmon line parsing", parse_entry },
	{ "lib: resmon_list reads a file in order", list_file },
	{ "lib: resmon_list grows its array", list_many },
	{ "lib: an endless list from a fake resmond fails with EMSGSIZE, bounded", list_endless_stream },
	{ "lib: struct per_proc_resource layout", struct_layout },
	{ "lib: without resmon every call is ENOSYS, none reaches the kernel", no_resmon_kernel },
	{ NULL, NULL },
};
