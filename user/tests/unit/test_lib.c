// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libresmon without a kernel: messages, the backend choice, the record
 * conversions, /proc/resmon parsing and reading, the kernel log's kill
 * line, ENOSYS, and the resmond protocol against fake daemons.
 */
#include "check.h"
#include "resmon.h"

#include "backend.h"
#include "kernel_backend.h"
#include "record.h"
#include "resmon/resmond_wire.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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

	/* Which edition is missing, by what this kernel offers (BTF: resmond could run). */
	const char *want = access("/sys/kernel/btf/vmlinux", F_OK) == 0 ?
		"resmon is not available: resmond is not running (systemctl start resmond)" :
		"resmon is not available: this kernel has neither resmon nor the BTF resmond needs";

	for (op = RESMON_OP_HELLO; op <= RESMON_OP_LIST; op++)
		CHECK_STR(resmon_strerror((enum resmon_op)op, ENOSYS), want);
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

static void parse_proc_line(void)
{
	struct resmon_record e;

	CHECK(kernel_parse_proc_line("123 4194304 7 -1 -1 0\n", &e) == 0);
	CHECK(e.pid == 123 && e.heap_bytes == 4194304 && e.opens == 7 &&
	      e.heap_limit_bytes == -1 && e.files_limit == -1 && e.quotas_defined == 0);
	/* The heap quota is MiB in the file, bytes in the record. */
	CHECK(kernel_parse_proc_line("5 0 0 64 10 1", &e) == 0);
	CHECK(e.heap_limit_bytes == 64LL << 20 && e.files_limit == 10 && e.quotas_defined == 1);
	CHECK(kernel_parse_proc_line("5 0 0 8796093022207 -1 1", &e) == 0);
	CHECK(e.heap_limit_bytes == 0x7ffffffffff00000LL);
	errno = 0;
	CHECK(kernel_parse_proc_line("5 0 0 64 10", &e) < 0 && errno == EINVAL);
	CHECK(kernel_parse_proc_line("5 0 0 64 10 2\n", &e) < 0);
	CHECK(kernel_parse_proc_line("0 0 0 -1 -1 0\n", &e) < 0);
	CHECK(kernel_parse_proc_line("5 0 0 -2 -1 0\n", &e) < 0);
	CHECK(kernel_parse_proc_line("5 0 0 8796093022208 -1 1\n", &e) < 0);
	CHECK(kernel_parse_proc_line("5 0 0 -1 -1 0 extra\n", &e) < 0);
	CHECK(kernel_parse_proc_line("PID HEAP\n", &e) < 0);
	CHECK(kernel_parse_proc_line("", &e) < 0);
}

/* A temporary file with @text, for kernel_read_proc(path). */
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
	struct resmon_record *v = NULL;
	size_t n = 99;
	char path[64];

	with_file("10 0 0 -1 -1 0\n11 1048576 3 4 -1 1\n12 0 1 -1 2 1\n", path);
	CHECK(kernel_read_proc(path, &v, &n) == 0);
	CHECK(n == 3 && v && v[0].pid == 10 && v[1].pid == 11 && v[2].pid == 12);
	CHECK(v && v[1].heap_bytes == 1048576 && v[1].heap_limit_bytes == 4 << 20 &&
	      v[2].files_limit == 2);
	free(v);
	unlink(path);

	with_file("", path);
	v = NULL;
	CHECK(kernel_read_proc(path, &v, &n) == 0 && n == 0 && v);
	free(v);
	unlink(path);

	with_file("10 0 0 -1 -1 0\ngarbage\n", path);
	errno = 0;
	CHECK(kernel_read_proc(path, &v, &n) < 0 && errno == EINVAL);
	unlink(path);

	errno = 0;
	CHECK(kernel_read_proc("/nonexistent/resmon", &v, &n) < 0 && errno == ENOENT);
}

static void list_many(void)
{
	struct resmon_record *v = NULL;
	char path[64], *text = malloc(100 * 32), *p = text;
	size_t n = 0;
	int i;

	/* More than the first allocation holds: the array must grow. */
	for (i = 1; i <= 100; i++)
		p += sprintf(p, "%d %d 0 -1 -1 0\n", i, i * 4096);
	with_file(text, path);
	CHECK(kernel_read_proc(path, &v, &n) == 0 && n == 100);
	CHECK(v && v[99].pid == 100 && v[99].heap_bytes == 409600);
	free(v);
	free(text);
	unlink(path);
}

static void backend_choice(void)
{
	char present[64], absent[64] = "/tmp/resmon-unit-absent-XXXXXX";

	with_file("", present);
	CHECK(mkstemp(absent) >= 0);
	unlink(absent);
	/* /proc/resmon there: the system calls. */
	CHECK(resmon_pick_backend(present, present) == &resmon_kernel_backend);
	/* /proc mounted without /proc/resmon: resmond, never the system calls. */
	CHECK(resmon_pick_backend(absent, present) == &resmon_resmond_backend);
	/* No /proc at all: nothing tells, the system calls are made. */
	CHECK(resmon_pick_backend(absent, absent) == &resmon_kernel_backend);
	unlink(present);
	/* This host: /proc, no /proc/resmon, and the pick is kept. */
	if (access("/proc/resmon", F_OK) < 0 && access("/proc/self", F_OK) == 0) {
		CHECK(resmon_backend() == &resmon_resmond_backend);
		CHECK(resmon_backend() == resmon_backend());
		CHECK_STR(resmon_kernel_backend.edition(), "kernel");
	}
}

static void record_conversions(void)
{
	struct resmond_record w = { .pid = 77, .quotas_defined = 1,
				    .heap_bytes = (5ULL << 20) + 123, .files = 9,
				    .heap_quota = 8, .file_quota = -1 };
	struct resmond_ending we = { .pid = 78, .killed = 1, .resource = 0,
				     .total = (9ULL << 20) + 1, .limit = 8ULL << 20 };
	struct per_proc_resource a;
	struct resmon_record r;
	struct resmon_end e;

	record_from_wire(&r, &w);
	CHECK(r.pid == 77 && r.quotas_defined == 1 && r.heap_bytes == (5ULL << 20) + 123 &&
	      r.opens == 9 && r.heap_limit_bytes == 8LL << 20 && r.files_limit == -1);
	/* The ABI struct rounds the heap down to MiB, as the kernel does. */
	abi_from_wire(&a, &w);
	CHECK(a.pid == 77 && a.heapsize == 5 && a.openfile_count == 9 && a.heap_quota == 8 &&
	      a.file_quota == -1 && a.quotas_defined == 1);
	CHECK(record_heap_limit_bytes(-1) == -1 && record_heap_limit_bytes(0) == 0);

	/* A comm of 16 bytes without NUL stays a string. */
	memcpy(we.comm, "0123456789abcdef", 16);
	CHECK(end_from_wire(&e, &we) == 0);
	CHECK(e.pid == 78 && e.cause == RESMON_END_KILLED && e.resource == RESMON_LIMIT_HEAP &&
	      e.total == (9ULL << 20) + 1 && e.limit == 8ULL << 20);
	CHECK_STR(e.comm, "0123456789abcde");
	we.resource = 1;
	CHECK(end_from_wire(&e, &we) == 0 && e.resource == RESMON_LIMIT_FILES);
	we.resource = 7;
	errno = 0;
	CHECK(end_from_wire(&e, &we) < 0 && errno == EIO);
	we.killed = 0;
	CHECK(end_from_wire(&e, &we) == 0 && e.cause == RESMON_END_NOT_KILLED && e.total == 0);
}

static void kernel_kill_line(void)
{
	struct resmon_end e;
	uint64_t seq = 0;

	CHECK(kernel_parse_kill_record("4,812,5551234,-;resmon: killed process 123 (a.out): "
				       "heap 5242880 bytes over quota 4 MiB\n", 123, &e, &seq));
	CHECK(seq == 812 && e.pid == 123 && e.cause == RESMON_END_KILLED &&
	      e.resource == RESMON_LIMIT_HEAP && e.total == 5242880 && e.limit == 4 << 20);
	CHECK_STR(e.comm, "a.out");
	/* A comm with "): " in it, and dictionary lines after the message. */
	CHECK(kernel_parse_kill_record("4,813,5551299,-;resmon: killed process 77 (my): prog): "
				       "files 5 over quota 4\n SUBSYSTEM=x\n", 77, &e, &seq));
	CHECK(seq == 813 && e.resource == RESMON_LIMIT_FILES && e.total == 5 && e.limit == 4);
	CHECK_STR(e.comm, "my): prog");
	/* Another pid, a pid prefix, another subsystem, no prefix at all. */
	CHECK(!kernel_parse_kill_record("4,1,1,-;resmon: killed process 1234 (a): files 5 over quota 4\n",
					123, &e, &seq));
	CHECK(!kernel_parse_kill_record("4,1,1,-;resmon: killed process 12 (a): files 5 over quota 4\n",
					123, &e, &seq));
	CHECK(!kernel_parse_kill_record("3,1,1,-;Out of memory: killed process 123 (a): x\n",
					123, &e, &seq));
	CHECK(!kernel_parse_kill_record("no semicolon", 123, &e, &seq));
}

static void struct_layout(void)
{
	/* The ABI (Documentation/userspace-api/resmon.rst): 48 bytes, heapsize at 8, quotas_defined at 40. */
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
	if (access("/proc/resmon", F_OK) == 0)
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
	struct resmon_record *v = NULL;
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
	CHECK(resmon_list(&v, &n) < 0 && errno == EMSGSIZE);
	unsetenv(RESMOND_SOCKET_ENV);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	/*
	 * It hung up after at most RESMOND_LIST_MAX entries (plus what the
	 * socket buffered): the fake never reached its own limit.
	 */
	CHECK(WEXITSTATUS(status) < FAKE_MAX / 64 / 2);
	unlink(sa.sun_path);
}

/* A listening socket at a fresh path, named by RESMOND_SOCKET for the library. */
static int fake_socket(struct sockaddr_un *sa)
{
	int lfd;

	sa->sun_family = AF_UNIX;
	snprintf(sa->sun_path, sizeof(sa->sun_path), "/tmp/resmon-unit-%d.sock", (int)getpid());
	unlink(sa->sun_path);
	lfd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK(lfd >= 0 && bind(lfd, (struct sockaddr *)sa, sizeof(*sa)) == 0 &&
	      listen(lfd, 4) == 0);
	setenv(RESMOND_SOCKET_ENV, sa->sun_path, 1);
	return lfd;
}

/* The next request: its connection, with *@q read; exits 2 on a protocol error. */
static int next_request(int lfd, struct resmond_request *q)
{
	int fd = accept(lfd, NULL, NULL);

	if (fd < 0 || recv(fd, q, sizeof(*q), 0) != (ssize_t)sizeof(*q) ||
	    q->magic != RESMOND_MAGIC)
		_exit(2);
	return fd;
}

static void reply(int fd, int err, const void *payload, size_t len)
{
	union {
		struct resmond_reply r;
		char buf[sizeof(struct resmond_reply) + sizeof(struct resmond_ending)];
	} u;

	memset(&u, 0, sizeof(u));
	u.r.magic = RESMOND_MAGIC;
	u.r.err = err;
	u.r.count = payload ? 1 : 0;
	if (payload)
		memcpy(u.r.rec, payload, len);
	if (send(fd, u.buf, sizeof(u.r) + len, MSG_NOSIGNAL) < 0)
		_exit(3);
}

enum fake_wait { WAIT_KILLED, WAIT_REFUSED, WAIT_VANISHES };

/*
 * A resmond for one watch: WAIT, then the FETCH that follows it, then (as
 * @how says) the ending after a while, WAIT's error at once, or a hang-up.
 * Exits 0 if the library asked what it should have (WAIT then FETCH, same pid).
 */
static void __attribute__((noreturn)) fake_waiter(int lfd, pid_t pid, enum fake_wait how)
{
	struct resmond_record rec = { .pid = pid, .quotas_defined = 1, .heap_quota = 8,
				      .file_quota = -1 };
	struct resmond_ending end = { .pid = pid, .killed = 1, .resource = 0,
				      .total = (8ULL << 20) + 4096, .limit = 8ULL << 20,
				      .comm = "hog" };
	struct resmond_request q;
	int wait_fd, fetch_fd, ok;

	wait_fd = next_request(lfd, &q);
	ok = q.op == RESMOND_WAIT && q.pid == pid;
	if (how == WAIT_REFUSED)
		reply(wait_fd, EINVAL, NULL, 0);	/* an old resmond: no such op */
	fetch_fd = next_request(lfd, &q);
	ok = ok && q.op == RESMOND_FETCH && q.pid == pid;
	reply(fetch_fd, 0, &rec, sizeof(rec));
	close(fetch_fd);
	usleep(100 * 1000);	/* the process "runs" */
	if (how == WAIT_KILLED)
		reply(wait_fd, 0, &end, sizeof(end));
	close(wait_fd);
	_exit(ok ? 0 : 1);
}

static pid_t start_fake_waiter(int lfd, enum fake_wait how)
{
	pid_t pid = fork();

	if (pid == 0)
		fake_waiter(lfd, 4242, how);
	close(lfd);
	return pid;
}

static int fake_exit_status(pid_t pid)
{
	int status = -1;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void wait_protocol(void)
{
	struct sockaddr_un sa;
	struct resmon_end e;
	struct pollfd p = { .events = POLLIN };
	pid_t fake = start_fake_waiter(fake_socket(&sa), WAIT_KILLED);

	p.fd = resmon_backend()->watch_end(4242);
	CHECK(p.fd >= 0);
	/* Not readable before the process ends... */
	CHECK(poll(&p, 1, 0) == 0);
	/* ...readable once it has, with how it ended. */
	CHECK(poll(&p, 1, 5000) == 1);
	CHECK(fcntl(p.fd, F_GETFD) == FD_CLOEXEC);
	CHECK(resmon_backend()->read_end(p.fd, &e) == 0);
	CHECK(e.pid == 4242 && e.cause == RESMON_END_KILLED && e.resource == RESMON_LIMIT_HEAP &&
	      e.total == (8ULL << 20) + 4096 && e.limit == 8ULL << 20);
	CHECK_STR(e.comm, "hog");
	close(p.fd);
	CHECK(fake_exit_status(fake) == 0);
	unsetenv(RESMOND_SOCKET_ENV);
	unlink(sa.sun_path);
}

static void wait_refused(void)
{
	struct sockaddr_un sa;
	pid_t fake = start_fake_waiter(fake_socket(&sa), WAIT_REFUSED);

	/* The WAIT's error is known when the call returns: no watch stands. */
	errno = 0;
	CHECK(resmon_backend()->watch_end(4242) < 0 && errno == EINVAL);
	CHECK(fake_exit_status(fake) == 0);
	unsetenv(RESMOND_SOCKET_ENV);
	unlink(sa.sun_path);
}

static void wait_daemon_gone(void)
{
	struct sockaddr_un sa;
	struct resmon_end e;
	pid_t fake = start_fake_waiter(fake_socket(&sa), WAIT_VANISHES);
	int fd = resmon_backend()->watch_end(4242);

	CHECK(fd >= 0);
	errno = 0;
	CHECK(resmon_backend()->read_end(fd, &e) < 0 && errno == EIO);
	close(fd);
	CHECK(fake_exit_status(fake) == 0);
	unsetenv(RESMOND_SOCKET_ENV);
	unlink(sa.sun_path);
}

static void no_daemon_no_watch(void)
{
	/* Only where nothing answers: ENOSYS, as every other call. */
	if (access("/proc/resmon", F_OK) == 0 || access("/run/resmond/resmond.sock", F_OK) == 0)
		return;
	errno = 0;
	CHECK(resmon_watch_end(getpid()) < 0 && errno == ENOSYS);
	errno = 0;
	CHECK(resmon_get_record(getpid(), &(struct resmon_record){ 0 }) < 0 && errno == ENOSYS);
	CHECK_STR(resmon_edition(), "none");
}

const struct test lib_tests[] = {
	{ "lib: messages per call and errno", messages },
	{ "lib: ENOSYS for every call, strerror fallback", enosys_any_call },
	{ "lib: call names", op_names },
	{ "lib: the backend is picked by /proc/resmon and /proc, once", backend_choice },
	{ "lib: records and endings from resmond's wire structs", record_conversions },
	{ "lib: /proc/resmon line parsing, quota in bytes", parse_proc_line },
	{ "lib: /proc/resmon read in order", list_file },
	{ "lib: /proc/resmon reader grows its array", list_many },
	{ "lib: the kernel log's kill line parsed, limit in bytes", kernel_kill_line },
	{ "lib: watch_end/read_end against a fake resmond: the kill", wait_protocol },
	{ "lib: watch_end fails at once when resmond refuses the WAIT", wait_refused },
	{ "lib: read_end is EIO when resmond hangs up", wait_daemon_gone },
	{ "lib: without resmon, watch and get_record are ENOSYS", no_daemon_no_watch },
	{ "lib: an endless list from a fake resmond fails with EMSGSIZE, bounded", list_endless_stream },
	{ "lib: struct per_proc_resource layout", struct_layout },
	{ "lib: without resmon every call is ENOSYS, none reaches the kernel", no_resmon_kernel },
	{ NULL, NULL },
};
