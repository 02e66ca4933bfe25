// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmond_wait_test: RESMOND_WAIT, as root with resmond up.
 *  1. Several waiters, several processes: a child capped at 4 MiB maps
 *     8 MiB (killed at the crossing) and another exits normally, a third
 *     waiter on that same process; each answer names its process, the
 *     kill says heap, total in bytes above the limit in bytes; the normal
 *     exit says killed 0.
 *  2. A kill at cap counts: a child at 8 MiB, capped at 4 MiB while a
 *     WAIT is held, is killed by the cap and the answer says so.
 *  3. The checks are fetch's: pid 0 and an unmonitored process EINVAL.
 *  4. As uid 65534, a WAIT on its own (registered, capped) child is
 *     answered with the kill; on init it is EPERM.
 *  5. A WAIT held past resmond's 10 s client idle limit is still answered.
 *  6. A waiter that closes its connection is dropped; resmond still answers.
 * TAP output; exit status 1 on failure.
 */
#include "resmon/resmond_client.h"
#include "tap.h"

#include <linux/types.h>
#include <linux/resmon.h>	/* enum resmon_resource: what an ending names */

#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOBODY	65534
#define MIB	(1ULL << 20)

/*
 * WAIT on a new connection, the request sent as libresmon sends every
 * request (a pidfd of this process attached, for kernels without
 * SO_PASSPIDFD). Then a HELLO on the same connection: resmond serves one
 * connection's requests in order, so HELLO's answer means the WAIT passed
 * its checks and is held, and a failed WAIT's error comes instead. Returns
 * the held connection, or -1 with errno the WAIT's error (EIO: no answer).
 * No receive timeout: the ending comes when the process ends.
 */
static int wait_send(pid_t pid)
{
	struct resmond_request q = { .magic = RESMOND_MAGIC, .op = RESMOND_WAIT, .pid = pid };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	struct iovec iov = { .iov_base = &q, .iov_len = sizeof(q) };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.buf, .msg_controllen = sizeof(c.buf),
	};
	struct timeval forever = { 0, 0 };
	int fd = resmond_connect(), self = (int)syscall(SYS_pidfd_open, getpid(), 0);
	ssize_t n;

	memset(&c, 0, sizeof(c));
	c.h.cmsg_level = SOL_SOCKET;
	c.h.cmsg_type = SCM_RIGHTS;
	c.h.cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(&c.h), &self, sizeof(int));
	n = fd >= 0 && self >= 0 ? sendmsg(fd, &m, MSG_NOSIGNAL) : -1;
	if (self >= 0)
		close(self);
	if (n != (ssize_t)sizeof(q) || resmond_call_on(fd, RESMOND_HELLO, 0, 0, 0, NULL) < 0) {
		int err = n == (ssize_t)sizeof(q) ? errno : EIO;

		if (fd >= 0)
			close(fd);
		errno = err;
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &forever, sizeof(forever));
	return fd;
}

/* The WAIT's own error: the errno of a wait_send() that failed, 0 if it is held. */
static int wait_refused(pid_t pid)
{
	int fd = wait_send(pid);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* The answer: 0 with *@e filled, or a positive errno (EIO: malformed or none). */
static int wait_answer(int fd, struct resmond_ending *e)
{
	union {
		struct resmond_reply r;
		char buf[sizeof(struct resmond_reply) + sizeof(struct resmond_ending)];
	} u;
	ssize_t n = recv(fd, u.buf, sizeof(u.buf), 0);

	close(fd);
	if (n < (ssize_t)sizeof(u.r) || u.r.magic != RESMOND_MAGIC)
		return EIO;
	if (u.r.err)
		return u.r.err;
	if (u.r.count != 1 || n != (ssize_t)sizeof(u.buf))
		return EIO;
	memcpy(e, u.r.rec, sizeof(*e));
	return 0;
}

/* What wait_answer() says, for the log. */
static void show(const char *who, int err, const struct resmond_ending *e)
{
	if (err)
		printf("# %s: %s\n", who, strerror(err));
	else
		printf("# %s: pid %d killed %u resource %u total %llu limit %llu comm %.16s\n", who,
		       e->pid, e->killed, e->resource, (unsigned long long)e->total,
		       (unsigned long long)e->limit, e->comm);
}

/*
 * A child that obeys its pipe: 'm' maps 8 MiB of private anonymous memory
 * (heap to resmon), 'x' exits 0; it acknowledges each 'm' on @ack.
 */
struct child {
	pid_t pid;
	int cmd;	/* write end */
	int ack;	/* read end */
};

static int start_child(struct child *c)
{
	int cmd[2], ack[2];
	char op;

	if (pipe(cmd) || pipe(ack))
		return -1;
	c->pid = fork();
	if (c->pid == 0) {
		close(cmd[1]);
		close(ack[0]);
		while (read(cmd[0], &op, 1) == 1) {
			if (op == 'x')
				_exit(0);
			if (op == 'm' && mmap(NULL, 8 * MIB, PROT_READ | PROT_WRITE,
					      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != MAP_FAILED)
				write(ack[1], "k", 1);
		}
		_exit(1);
	}
	close(cmd[0]);
	close(ack[1]);
	c->cmd = cmd[1];
	c->ack = ack[0];
	return c->pid > 0 ? 0 : -1;
}

static void tell(struct child *c, char op)
{
	char k;

	if (write(c->cmd, &op, 1) == 1 && op == 'm')
		read(c->ack, &k, 1);	/* EOF if the mapping killed it */
}

/* The child's end: its wait status, and the pipes closed. */
static int finish_child(struct child *c)
{
	int status = -1;

	close(c->cmd);
	close(c->ack);
	kill(c->pid, SIGKILL);
	waitpid(c->pid, &status, 0);
	return status;
}

static int registered(struct child *c, long heap_mib)
{
	return start_child(c) == 0 && resmond_call(RESMOND_REGISTER, c->pid, 0, 0, NULL) == 0 &&
	       (heap_mib < 0 || resmond_call(RESMOND_CAP, c->pid, heap_mib, -1, NULL) == 0);
}

static int killed_heap(const struct resmond_ending *e, pid_t pid, unsigned long long limit)
{
	return e->pid == pid && e->killed == 1 && e->resource == RESMON_HEAP &&
	       e->limit == limit && e->total > e->limit && e->comm[0];
}

static void several_waiters(void)
{
	struct child over, normal;
	struct resmond_ending e1, e2, e3;
	int w1, w2, w3, r1, r2, r3;

	if (!registered(&over, 4) || !registered(&normal, -1)) {
		result(0, "two children registered");
		return;
	}
	w1 = wait_send(over.pid);
	w2 = wait_send(normal.pid);
	w3 = wait_send(normal.pid);
	tell(&normal, 'x');
	tell(&over, 'm');
	r1 = w1 >= 0 ? wait_answer(w1, &e1) : EIO;
	r2 = w2 >= 0 ? wait_answer(w2, &e2) : EIO;
	r3 = w3 >= 0 ? wait_answer(w3, &e3) : EIO;
	show("capped child", r1, &e1);
	show("normal child", r2, &e2);
	show("normal child, second waiter", r3, &e3);
	result(r1 == 0 && killed_heap(&e1, over.pid, 4 * MIB) && e1.total >= 8 * MIB,
	       "WAIT on a child killed at a heap crossing: heap, total in bytes above the limit");
	result(r2 == 0 && e2.pid == normal.pid && e2.killed == 0,
	       "WAIT on a child that exits normally: killed 0");
	result(r3 == 0 && e3.pid == normal.pid && e3.killed == 0,
	       "a second waiter on the same process gets the same answer");
	result(WIFSIGNALED(finish_child(&over)), "the capped child died of the kill");
	finish_child(&normal);
}

static void kill_at_cap(void)
{
	struct child c;
	struct resmond_ending e;
	int w, r = EIO;

	if (!registered(&c, -1)) {
		result(0, "child registered");
		return;
	}
	tell(&c, 'm');
	w = wait_send(c.pid);
	if (w >= 0 && resmond_call(RESMOND_CAP, c.pid, 4, -1, NULL) == 0)
		r = wait_answer(w, &e);
	show("child capped below its heap", r, &e);
	result(r == 0 && killed_heap(&e, c.pid, 4 * MIB) && e.total == 8 * MIB,
	       "a kill at cap: the WAIT answer says heap, 8 MiB over 4 MiB");
	finish_child(&c);
}

static void checks_are_fetchs(void)
{
	struct child c;

	result(wait_refused(0) == EINVAL, "WAIT on pid 0: EINVAL");
	if (start_child(&c) < 0) {
		result(0, "child");
		return;
	}
	result(wait_refused(c.pid) == EINVAL, "WAIT on an unmonitored process: EINVAL");
	finish_child(&c);
}

/* As NOBODY: 0 if the WAIT on its own capped child tells the kill and on init is EPERM. */
static int unprivileged(void)
{
	struct resmond_ending e;
	struct child c;
	int w, r, rinit;

	/*
	 * Dropping root made this process, and so its children, non-dumpable:
	 * no one but root may read them (ptrace_may_access). Undo that, as a
	 * process started by that user would be.
	 */
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY) || prctl(PR_SET_DUMPABLE, 1) ||
	    !registered(&c, 4))
		return 10;
	w = wait_send(c.pid);
	r = w >= 0 ? 0 : errno;
	tell(&c, 'm');
	if (w >= 0)
		r = wait_answer(w, &e);
	show("uid 65534's own child", r, &e);
	finish_child(&c);
	rinit = wait_refused(1);
	printf("# uid 65534's WAIT on init: %s\n", strerror(rinit));
	return (r == 0 && killed_heap(&e, c.pid, 4 * MIB) ? 0 : 1) | (rinit == EPERM ? 0 : 2);
}

static void as_nobody(void)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(unprivileged());
	waitpid(pid, &status, 0);
	result(WIFEXITED(status) && !(WEXITSTATUS(status) & ~2),
	       "uid 65534 waits on its own capped child: told the heap kill");
	result(WIFEXITED(status) && !(WEXITSTATUS(status) & ~1),
	       "uid 65534 waits on init: EPERM");
}

static void past_idle_limit(void)
{
	struct resmond_ending e;
	struct child c;
	int w, r = EIO;

	if (!registered(&c, -1)) {
		result(0, "child registered");
		return;
	}
	w = wait_send(c.pid);
	sleep(12);	/* resmond drops a client idle for 10 s: not a waiting one */
	tell(&c, 'x');
	if (w >= 0)
		r = wait_answer(w, &e);
	show("after 12 s", r, &e);
	result(r == 0 && e.pid == c.pid && e.killed == 0,
	       "a WAIT held 12 s, past the 10 s idle limit, is answered");
	finish_child(&c);
}

static void waiter_leaves(void)
{
	struct child c;
	int w;

	if (!registered(&c, -1)) {
		result(0, "child registered");
		return;
	}
	w = wait_send(c.pid);
	if (w >= 0)
		close(w);
	tell(&c, 'x');
	finish_child(&c);
	usleep(200 * 1000);
	result(w >= 0 && resmond_call(RESMOND_HELLO, 0, 0, 0, NULL) == 0,
	       "a waiter that closed its connection is dropped: resmond still answers");
}

int main(void)
{
	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root\n");
		return 4;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	several_waiters();
	kill_at_cap();
	checks_are_fetchs();
	as_nobody();
	past_idle_limit();
	waiter_leaves();
	return tap_done();
}
