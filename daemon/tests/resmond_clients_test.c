// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmond_clients_test: resmond's clients, as root with resmond up.
 *  1. A connection opened as root, used after setresuid(65534), asks as
 *     65534: lifting a quota (reset, deregister of a capped root process)
 *     is EPERM. Each request is judged by its sender at that request.
 *  2. uid 65534 holds as many connections as it can get (HOLD_TRY of
 *     them, re-dialling every one resmond closes) and sends a FETCH on
 *     each every 2 s; meanwhile root's register and another uid's
 *     register of itself still succeed, several times over 20 s.
 *  3. A setuid-root copy of this program, run by 65534 with
 *     RESMOND_SOCKET naming a socket nobody answers on, still reaches the
 *     real resmond: the library ignores the variable in a setuid program.
 *  4. The sender is named by a pidfd, never by its pid number (issue 19,
 *     item 9). With resmond stopped (SIGSTOP), a uid 65534 process sends
 *     a RESET of a capped root process and exits; its pid number is then
 *     given (clone3 set_tid) to a uid 65534 process that holds
 *     CAP_SYS_RESOURCE, and resmond resumes: the request is EPERM, the
 *     quotas stay. Where the kernel has no SO_PASSPIDFD (6.1) a request
 *     without a pidfd, or with a pidfd of another process, is judged as
 *     from no one (EPERM); where it has one (6.12) the kernel's pidfd
 *     names the sender whatever the client attached.
 *  5. A thread is judged by its own ids, as the kernel edition judges the
 *     task its tid names (prlimit's rule on that thread): a root process's
 *     thread that took uid 65534 (raw setresuid: only that thread) may be
 *     registered and capped by uid 65534 through its tid; through the
 *     process's pid (the root leader) that is EPERM.
 * TAP output; exit status 1 on failure.
 */
#include "resmon/resmond_client.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NOBODY		65534
#define OTHER		65533
#define HOLD_TRY	300	/* more than resmond's whole client table */

static int become(uid_t id)
{
	return setgroups(0, NULL) || setresgid(id, id, id) || setresuid(id, id, id) ? -1 : 0;
}

static pid_t idle_child(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		pause();
		_exit(0);
	}
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Exit status of a child that runs @fn; 255 if it died otherwise. */
static int in_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 255;
	return WEXITSTATUS(status);
}

/* Connect as root, drop to nobody, then lift: 0 if both lifts are EPERM. */
static int lift_after_drop(void *arg)
{
	pid_t t = *(pid_t *)arg;
	int fd = resmond_connect(), r1, r2, e1, e2;

	if (fd < 0 || become(NOBODY))
		return 10;
	r1 = resmond_call_on(fd, RESMOND_RESET, t, 0, 0, NULL);
	e1 = errno;
	r2 = resmond_call_on(fd, RESMOND_DEREGISTER, t, 0, 0, NULL);
	e2 = errno;
	printf("# after setresuid(%d): reset %d (%s), deregister %d (%s)\n", NOBODY,
	       r1, r1 ? strerror(e1) : "ok", r2, r2 ? strerror(e2) : "ok");
	return (r1 < 0 && e1 == EPERM && r2 < 0 && e2 == EPERM) ? 0 : 1;
}

static void per_request_credentials(void)
{
	struct resmond_record rec;
	pid_t t = idle_child();
	int ok;

	ok = t > 0 && resmond_call(RESMOND_REGISTER, t, 0, 0, NULL) == 0 &&
	     resmond_call(RESMOND_CAP, t, 8, 8, NULL) == 0;
	result(ok, "root registers and caps a root process");
	result(in_child(lift_after_drop, &t) == 0,
	       "a connection opened as root, used after setresuid(65534): reset and deregister EPERM");
	result(resmond_call(RESMOND_FETCH, t, 0, 0, &rec) == 0 && rec.quotas_defined == 1 &&
	       rec.heap_quota == 8, "the quotas are still set");
	result(resmond_call(RESMOND_RESET, t, 0, 0, NULL) == 0 &&
	       resmond_call(RESMOND_DEREGISTER, t, 0, 0, NULL) == 0, "root lifts them");
	reap(t);
}

/* uid NOBODY: hold up to HOLD_TRY connections, a FETCH on each every 2 s, until killed. */
static void __attribute__((noreturn)) holder(int report)
{
	static int fds[HOLD_TRY];
	struct resmond_record rec;
	int i, alive, round;

	if (become(NOBODY))
		_exit(10);
	for (i = 0; i < HOLD_TRY; i++)
		fds[i] = -1;
	for (round = 0;; round++) {
		alive = 0;
		for (i = 0; i < HOLD_TRY; i++) {
			if (fds[i] < 0)
				fds[i] = resmond_connect();
			if (fds[i] < 0)
				continue;
			/* EINVAL: not monitored. Anything but a reply (EIO): resmond hung up. */
			if (resmond_call_on(fds[i], RESMOND_FETCH, getpid(), 0, 0, &rec) < 0 &&
			    errno == EIO) {
				close(fds[i]);
				fds[i] = -1;
				continue;
			}
			alive++;
		}
		if (write(report, &alive, sizeof(alive)) < 0)
			_exit(11);
		sleep(2);
	}
}

static int other_registers_itself(void *arg)
{
	(void)arg;
	if (become(OTHER))
		return 10;
	return resmond_call(RESMOND_REGISTER, getpid(), 0, 0, NULL) == 0 ? 0 : 1;
}

static void slots_not_taken_by_one_user(void)
{
	int p[2], alive = 0, most = 0, root_ok = 0, other_ok = 0, tries = 0;
	time_t end;
	pid_t h, t;
	char what[160];

	if (pipe(p) < 0) {
		result(0, "pipe");
		return;
	}
	h = fork();
	if (h == 0) {
		close(p[0]);
		holder(p[1]);
	}
	close(p[1]);
	/* Two full rounds first: the holder has everything it can get. */
	if (read(p[0], &alive, sizeof(alive)) != sizeof(alive) ||
	    read(p[0], &alive, sizeof(alive)) != sizeof(alive)) {
		result(0, "the holder runs");
		reap(h);
		return;
	}
	most = alive;
	for (end = time(NULL) + 20; time(NULL) < end; tries++) {
		t = idle_child();
		if (t > 0 && resmond_call(RESMOND_REGISTER, t, 0, 0, NULL) == 0)
			root_ok++;
		else
			printf("# root's register: %s\n", strerror(errno));
		reap(t);
		if (in_child(other_registers_itself, NULL) == 0)
			other_ok++;
		if (read(p[0], &alive, sizeof(alive)) == sizeof(alive) && alive > most)
			most = alive;
	}
	reap(h);
	close(p[0]);
	printf("# uid %d held at most %d of %d connections\n", NOBODY, most, HOLD_TRY);
	snprintf(what, sizeof(what), "root's register while uid %d holds what it can: %d of %d",
		 NOBODY, root_ok, tries);
	result(tries > 0 && root_ok == tries, what);
	snprintf(what, sizeof(what), "uid %d's register of itself meanwhile: %d of %d",
		 OTHER, other_ok, tries);
	result(tries > 0 && other_ok == tries, what);
}

#define SETUID_COPY	"/tmp/resmond_clients_test.setuid"
#define FAKE_SOCKET	"/tmp/resmond_clients_test.sock"
#define HELLO_MODE	"--hello"

/* A root-owned setuid copy of this executable at SETUID_COPY. */
static int setuid_copy(void)
{
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), out;
	struct stat st;
	ssize_t n = 0;

	unlink(SETUID_COPY);
	out = open(SETUID_COPY, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	if (in < 0 || out < 0 || fstat(in, &st) < 0)
		return -1;
	while (n >= 0 && st.st_size > 0) {
		n = sendfile(out, in, NULL, (size_t)st.st_size);
		st.st_size -= n > 0 ? n : 0;
		if (n == 0)
			break;
	}
	close(in);
	close(out);
	return n < 0 || chown(SETUID_COPY, 0, 0) || chmod(SETUID_COPY, 04755) ? -1 : 0;
}

/* A socket file no one listens on: a fake daemon that cannot even answer. */
static int dead_socket(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0), ok;

	strcpy(sa.sun_path, FAKE_SOCKET);
	unlink(FAKE_SOCKET);
	ok = fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	     chmod(FAKE_SOCKET, 0666) == 0;
	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

static int run_setuid_copy(void *arg)
{
	char *argv[] = { SETUID_COPY, HELLO_MODE, NULL };
	char *envp[] = { RESMOND_SOCKET_ENV "=" FAKE_SOCKET, NULL };

	(void)arg;
	if (become(NOBODY))
		return 10;
	execve(SETUID_COPY, argv, envp);
	return 11;
}

static void setuid_ignores_socket_variable(void)
{
	int rc;

	if (setuid_copy() < 0 || dead_socket() < 0) {
		result(0, "setuid copy and fake socket");
		return;
	}
	rc = in_child(run_setuid_copy, NULL);
	printf("# the setuid copy's HELLO: %s\n", rc == 0 ? "answered" :
	       rc == 1 ? "failed (it asked the fake socket)" : "did not run");
	result(rc == 0, "a setuid program run by 65534 ignores RESMOND_SOCKET: the real resmond answers");
	unlink(SETUID_COPY);
	unlink(FAKE_SOCKET);
}

#ifndef SO_PASSPIDFD
#define SO_PASSPIDFD	76	/* Linux 6.5+ */
#endif
#define CAP_SYS_RESOURCE_BIT	24

/*
 * One request sent as libresmon sends it, but with @pidfd (or none, -1)
 * as the attached pidfd, and no wait for the reply.
 */
static int send_raw(int fd, enum resmond_op op, pid_t pid, int pidfd)
{
	struct resmond_request q = { .magic = RESMOND_MAGIC, .op = op, .pid = pid };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	struct iovec iov = { .iov_base = &q, .iov_len = sizeof(q) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (pidfd >= 0) {
		memset(&c, 0, sizeof(c));
		m.msg_control = c.buf;
		m.msg_controllen = sizeof(c.buf);
		c.h.cmsg_level = SOL_SOCKET;
		c.h.cmsg_type = SCM_RIGHTS;
		c.h.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&c.h), &pidfd, sizeof(int));
	}
	return sendmsg(fd, &m, MSG_NOSIGNAL) == (ssize_t)sizeof(q) ? 0 : -1;
}

/* The errno of the reply on @fd (0: success), or -1 if none came within 30 s. */
static int reply_err(int fd)
{
	char buf[sizeof(struct resmond_reply) + sizeof(struct resmond_record)];
	struct resmond_reply *r = (struct resmond_reply *)buf;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, 30000) != 1 || recv(fd, buf, sizeof(buf), 0) < (ssize_t)sizeof(*r) ||
	    r->magic != RESMOND_MAGIC)
		return -1;
	return r->err;
}

/* Does this kernel hand a pidfd of each sender (SO_PASSPIDFD, 6.5+)? */
static bool kernel_names_senders(void)
{
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0), one = 1;
	bool yes = fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_PASSPIDFD, &one, sizeof(one)) == 0;

	if (fd >= 0)
		close(fd);
	return yes;
}

/* The errno resmond answers @op on @pid with when the request carries @pidfd. */
static int ask_with_pidfd(enum resmond_op op, pid_t pid, int pidfd)
{
	int fd = resmond_connect(), err;

	if (fd < 0)
		return -1;
	err = send_raw(fd, op, pid, pidfd) < 0 ? -1 : reply_err(fd);
	close(fd);
	return err;
}

static void pidfd_names_the_sender(void)
{
	int self = (int)syscall(SYS_pidfd_open, getpid(), 0);
	pid_t other = idle_child();
	int other_fd = (int)syscall(SYS_pidfd_open, other, 0);
	bool kernel = kernel_names_senders();
	int e_self, e_none, e_other;
	char what[200];

	/* FETCH of root's own (unregistered) process: EINVAL once root is known as root. */
	e_self = ask_with_pidfd(RESMOND_FETCH, getpid(), self);
	e_none = ask_with_pidfd(RESMOND_FETCH, getpid(), -1);
	e_other = ask_with_pidfd(RESMOND_FETCH, getpid(), other_fd);
	printf("# SO_PASSPIDFD %s; FETCH of itself: with its pidfd %d, none %d, another's %d\n",
	       kernel ? "yes" : "no (ENOPROTOOPT)", e_self, e_none, e_other);
	result(e_self >= 0 && e_self != EPERM, "a request with the sender's own pidfd: judged as its sender");
	snprintf(what, sizeof(what), "a request without a pidfd: %s",
		 kernel ? "the kernel's pidfd names the sender" : "EPERM (no pid number is trusted)");
	result(kernel ? e_none == e_self : e_none == EPERM, what);
	snprintf(what, sizeof(what), "a request with another process's pidfd: %s",
		 kernel ? "the kernel's pidfd names the sender" : "EPERM (the pidfd must be the sender's)");
	result(kernel ? e_other == e_self : e_other == EPERM, what);
	if (self >= 0)
		close(self);
	if (other_fd >= 0)
		close(other_fd);
	reap(other);
}

/* resmond's pid (the one whose comm is "resmond"), or 0. */
static pid_t find_resmond(void)
{
	char path[300], comm[32];
	struct dirent *d;
	DIR *p = opendir("/proc");
	pid_t found = 0;
	FILE *f;

	while (p && !found && (d = readdir(p))) {
		if (atoi(d->d_name) < 1)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		f = fopen(path, "re");
		if (f && fgets(comm, sizeof(comm), f) && !strcmp(comm, "resmond\n"))
			found = atoi(d->d_name);
		if (f)
			fclose(f);
	}
	if (p)
		closedir(p);
	return found;
}

/* A uid NOBODY process that sends RESET @target on a fresh connection, hands it over, exits. */
static int send_and_leave(int to, pid_t target)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	char one = 1;
	struct iovec iov = { .iov_base = &one, .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = c.buf, .msg_controllen = sizeof(c.buf) };
	int fd, self;

	if (become(NOBODY))
		return 10;
	fd = resmond_connect();	/* queued: resmond is stopped, so not accepted yet */
	self = (int)syscall(SYS_pidfd_open, getpid(), 0);
	if (fd < 0 || self < 0 || send_raw(fd, RESMOND_RESET, target, self) < 0)
		return 11;
	memset(&c, 0, sizeof(c));
	c.h.cmsg_level = SOL_SOCKET;
	c.h.cmsg_type = SCM_RIGHTS;
	c.h.cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(&c.h), &fd, sizeof(int));
	return sendmsg(to, &m, 0) == 1 ? 0 : 12;
}

/* The connection send_and_leave() handed over on @from, or -1. */
static int take_fd(int from)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	char one;
	struct iovec iov = { .iov_base = &one, .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = c.buf, .msg_controllen = sizeof(c.buf) };
	struct cmsghdr *h;
	int fd = -1;

	if (recvmsg(from, &m, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	h = CMSG_FIRSTHDR(&m);
	if (h && h->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(h), sizeof(int));
	return fd;
}

/*
 * uid NOBODY (all ids) with CAP_SYS_RESOURCE effective, as a service given
 * that capability runs: the process that inherits the sender's number.
 */
static void __attribute__((noreturn)) privileged_nobody(int ready)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { 0 };

	d[0].effective = d[0].permitted = 1u << CAP_SYS_RESOURCE_BIT;
	if (prctl(PR_SET_KEEPCAPS, 1) || become(NOBODY) || syscall(SYS_capset, &h, d) ||
	    write(ready, "r", 1) != 1)
		_exit(10);
	pause();
	_exit(0);
}

/* A child on pid number @nr (clone3 set_tid) running privileged_nobody(); -1 if taken. */
static pid_t child_on(pid_t nr, int ready)
{
	pid_t tid[1] = { nr };
	struct clone_args a = {
		.exit_signal = SIGCHLD,
		.set_tid = (uint64_t)(uintptr_t)tid,
		.set_tid_size = 1,
	};
	pid_t pid = (pid_t)syscall(SYS_clone3, &a, sizeof(a));

	if (pid == 0)
		privileged_nobody(ready);
	return pid;
}

static void reused_number_is_not_the_sender(void)
{
	pid_t t = idle_child(), sender, heir = -1, resmond = find_resmond();
	int sv[2], ready[2], conn = -1, status, err = -2;
	struct resmond_record rec;
	char c, what[200];

	if (t < 0 || !resmond || socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) || pipe(ready) ||
	    resmond_call(RESMOND_REGISTER, t, 0, 0, NULL) || resmond_call(RESMOND_CAP, t, 8, 8, NULL)) {
		result(0, "setup: a capped root process, resmond's pid");
		reap(t);
		return;
	}
	kill(resmond, SIGSTOP);
	sender = fork();
	if (sender == 0)
		_exit(send_and_leave(sv[1], t));
	if (sender > 0 && waitpid(sender, &status, 0) == sender && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0)
		conn = take_fd(sv[0]);
	/* The sender is gone: its number goes to a uid 65534 process with CAP_SYS_RESOURCE. */
	if (conn >= 0 && (heir = child_on(sender, ready[1])) > 0 && read(ready[0], &c, 1) != 1)
		heir = -1;
	kill(resmond, SIGCONT);
	if (heir > 0)
		err = reply_err(conn);
	printf("# sender %d (uid %d) gone, its number now a uid %d process with CAP_SYS_RESOURCE: %s; reply %d (%s)\n",
	       (int)sender, NOBODY, NOBODY, heir > 0 ? "yes" : "no", err, err > 0 ? strerror(err) : "-");
	snprintf(what, sizeof(what), "a request whose sender's number was reused by a privileged process: EPERM");
	result(heir > 0 && err == EPERM, what);
	result(resmond_call(RESMOND_FETCH, t, 0, 0, &rec) == 0 && rec.quotas_defined == 1 &&
	       rec.heap_quota == 8, "the quotas it asked to lift are still set");
	if (heir > 0)
		reap(heir);
	if (conn >= 0)
		close(conn);
	close(sv[0]);
	close(sv[1]);
	close(ready[0]);
	close(ready[1]);
	resmond_call(RESMOND_RESET, t, 0, 0, NULL);
	resmond_call(RESMOND_DEREGISTER, t, 0, 0, NULL);
	reap(t);
}

static int thread_ready[2];

/* A thread that gives itself (itself alone: the raw system calls) uid NOBODY, then waits. */
static void *nobody_thread(void *arg)
{
	pid_t tid = (pid_t)syscall(SYS_gettid);

	(void)arg;
	if (syscall(SYS_setresgid, NOBODY, NOBODY, NOBODY) || syscall(SYS_setresuid, NOBODY, NOBODY, NOBODY))
		tid = 0;
	if (write(thread_ready[1], &tid, sizeof(tid)) != sizeof(tid))
		return NULL;
	pause();
	return NULL;
}

/* A root process whose second thread is uid NOBODY: reports that thread's tid, then waits. */
static void __attribute__((noreturn)) mixed_process(void)
{
	pthread_t th;

	if (pthread_create(&th, NULL, nobody_thread, NULL))
		_exit(10);
	pause();
	_exit(0);
}

/* As uid NOBODY: REGISTER and CAP of @pid; 0 if both succeeded, else the first errno. */
static int nobody_manages(void *arg)
{
	pid_t pid = *(pid_t *)arg;

	if (become(NOBODY))
		return 100;
	if (resmond_call(RESMOND_REGISTER, pid, 0, 0, NULL) < 0 ||
	    resmond_call(RESMOND_CAP, pid, 64, 64, NULL) < 0)
		return errno;
	return 0;
}

static void thread_judged_by_its_ids(void)
{
	pid_t proc, tid = 0;
	int by_tid = -1, by_pid = -1;
	char what[200];

	if (pipe(thread_ready)) {
		result(0, "pipe");
		return;
	}
	proc = fork();
	if (proc == 0)
		mixed_process();
	if (proc < 0 || read(thread_ready[0], &tid, sizeof(tid)) != sizeof(tid) || tid <= 0) {
		result(0, "a root process with a uid 65534 thread");
		if (proc > 0)
			reap(proc);
		return;
	}
	by_pid = in_child(nobody_manages, &proc);
	resmond_call(RESMOND_RESET, proc, 0, 0, NULL);
	resmond_call(RESMOND_DEREGISTER, proc, 0, 0, NULL);
	by_tid = in_child(nobody_manages, &tid);
	printf("# uid %d registers and caps process %d: by its pid %s, by its uid %d thread %d %s\n",
	       NOBODY, (int)proc, by_pid ? strerror(by_pid) : "ok", NOBODY, (int)tid,
	       by_tid ? strerror(by_tid) : "ok");
	snprintf(what, sizeof(what), "uid %d manages a process through its uid %d thread's tid (the thread's ids)",
		 NOBODY, NOBODY);
	result(by_tid == 0, what);
	result(by_pid == EPERM, "but not through the pid of its root leader: EPERM");
	resmond_call(RESMOND_RESET, proc, 0, 0, NULL);
	resmond_call(RESMOND_DEREGISTER, proc, 0, 0, NULL);
	reap(proc);
	close(thread_ready[0]);
	close(thread_ready[1]);
}

int main(int argc, char **argv)
{
	/* The setuid copy: HELLO, by whatever socket the library picks. */
	if (argc == 2 && !strcmp(argv[1], HELLO_MODE))
		return resmond_call(RESMOND_HELLO, 0, 0, 0, NULL) == 0 ? 0 : 1;
	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root\n");
		return 4;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	per_request_credentials();
	slots_not_taken_by_one_user();
	setuid_ignores_socket_variable();
	pidfd_names_the_sender();
	reused_number_is_not_the_sender();
	thread_judged_by_its_ids();
	return tap_done();
}
