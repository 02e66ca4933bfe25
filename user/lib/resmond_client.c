// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The eBPF edition's side of libresmon: each call is one request on a
 * fresh SOCK_SEQPACKET connection to resmond (a connection per call keeps
 * the library stateless, fork-safe and thread-safe). Nothing here opens
 * a file or allocates, except resmond_list(): a monitored process calling
 * the library counts nothing of its own doing, as with the syscalls.
 */
#include "resmon/resmond_client.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

static const char *socket_path(void)
{
	/* Not in a setuid or setgid program: its user must not pick the daemon. */
	const char *env = secure_getenv(RESMOND_SOCKET_ENV);

	return env && *env ? env : RESMOND_SOCKET;
}

/* A connected socket, or -1 with errno ENOSYS when no resmond listens. */
int resmond_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	/* resmond answers at once; 10 s covers a loaded TCG guest, not a wedged daemon. */
	struct timeval tv = { .tv_sec = 10 };
	const char *path = socket_path();
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENOSYS;
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		errno = ENOSYS;
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

int resmond_running(void)
{
	int saved = errno, fd = resmond_connect();

	if (fd >= 0)
		close(fd);
	errno = saved;
	return fd >= 0;
}

/*
 * One request, with a pidfd of this process attached: on kernels without
 * SO_PASSPIDFD it is how resmond names the sender without trusting a pid
 * number (resmon/resmond_wire.h). Our credentials travel by SCM_CREDENTIALS,
 * which the kernel adds itself since resmond set SO_PASSCRED.
 */
static int send_request(int fd, enum resmond_op op, pid_t pid, long heap, long files)
{
	struct resmond_request q = {
		.magic = RESMOND_MAGIC, .op = op, .pid = pid,
		.heap_quota = heap, .file_quota = files,
	};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	struct iovec iov = { .iov_base = &q, .iov_len = sizeof(q) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	int self = (int)syscall(SYS_pidfd_open, getpid(), 0);
	ssize_t n;

	if (self >= 0) {
		memset(&c, 0, sizeof(c));
		m.msg_control = c.buf;
		m.msg_controllen = sizeof(c.buf);
		c.h.cmsg_level = SOL_SOCKET;
		c.h.cmsg_type = SCM_RIGHTS;
		c.h.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&c.h), &self, sizeof(int));
	}
	do
		n = sendmsg(fd, &m, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (self >= 0)
		close(self);
	return n == (ssize_t)sizeof(q) ? 0 : -1;
}

/* One reply message into @buf; its length, or -1 (EIO: the daemon went away mid-call). */
static ssize_t recv_reply(int fd, void *buf, size_t len)
{
	ssize_t n;

	do
		n = recv(fd, buf, len, 0);
	while (n < 0 && errno == EINTR);
	if (n < (ssize_t)sizeof(struct resmond_reply) ||
	    ((struct resmond_reply *)buf)->magic != RESMOND_MAGIC) {
		errno = EIO;
		return -1;
	}
	return n;
}

int resmond_call(enum resmond_op op, pid_t pid, long heap, long files,
		 struct resmond_record *rec)
{
	int fd = resmond_connect(), r;

	if (fd < 0)
		return -1;
	r = resmond_call_on(fd, op, pid, heap, files, rec);
	close(fd);
	return r;
}

/*
 * The reply to a request just sent (@sent: what its send returned) into
 * @r (@len bytes of room): its length, and in @err its error, EIO for a
 * send or a receive that failed.
 */
static ssize_t answer(int fd, int sent, struct resmond_reply *r, size_t len, int *err)
{
	ssize_t n = sent < 0 ? -1 : recv_reply(fd, r, len);

	*err = n < 0 ? EIO : r->err;
	return n;
}

int resmond_call_on(int fd, enum resmond_op op, pid_t pid, long heap, long files,
		    struct resmond_record *rec)
{
	union {
		struct resmond_reply r;
		char buf[sizeof(struct resmond_reply) + sizeof(struct resmond_record)];
	} u;
	int err;
	ssize_t n;

	n = answer(fd, send_request(fd, op, pid, heap, files), &u.r, sizeof(u.buf), &err);
	if (!err && rec) {
		if (u.r.count != 1 || (size_t)n < sizeof(u.buf)) {
			err = EIO;
			goto out;
		}
		memcpy(rec, u.r.rec, sizeof(*rec));
	}
out:
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int resmond_list(struct resmond_record **records, size_t *count)
{
	union {
		struct resmond_reply r;
		char buf[RESMOND_REPLY_MAX];
	} u;
	struct resmond_record *v = NULL, *grown;
	size_t n = 0;
	int fd = resmond_connect(), err = 0;
	ssize_t got;

	if (fd < 0)
		return -1;
	if (send_request(fd, RESMOND_LIST, 0, 0, 0) < 0) {
		err = EIO;
		goto out;
	}
	do {
		got = recv_reply(fd, u.buf, sizeof(u.buf));
		if (got < 0 || (size_t)got < sizeof(u.r) + u.r.count * sizeof(u.r.rec[0])) {
			err = EIO;
			break;
		}
		if (u.r.err) {
			err = u.r.err;
			break;
		}
		/* No resmond sends more: a longer stream is not one, stop reading. */
		if (u.r.count > RESMOND_LIST_CHUNK || n + u.r.count > RESMOND_LIST_MAX) {
			err = EMSGSIZE;
			break;
		}
		grown = realloc(v, (n + u.r.count + 1) * sizeof(*v));
		if (!grown) {
			err = ENOMEM;
			break;
		}
		v = grown;
		memcpy(v + n, u.r.rec, u.r.count * sizeof(*v));
		n += u.r.count;
	} while (u.r.more);
out:
	close(fd);
	if (err) {
		free(v);
		errno = err;
		return -1;
	}
	*records = v;
	*count = n;
	return 0;
}

int resmond_wait_send(pid_t pid)
{
	/* A run can last hours: the 10 s of resmond_connect() is for answers due at once. */
	struct timeval forever = { 0, 0 };
	int fd = resmond_connect();

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &forever, sizeof(forever));
	if (send_request(fd, RESMOND_WAIT, pid, 0, 0) < 0) {
		close(fd);
		errno = EIO;
		return -1;
	}
	return fd;
}

int resmond_wait_answer(int fd, struct resmond_ending *ending)
{
	union {
		struct resmond_reply r;
		char buf[sizeof(struct resmond_reply) + sizeof(struct resmond_ending)];
	} u;
	ssize_t n = recv_reply(fd, u.buf, sizeof(u.buf));

	if (n < 0)
		return -1;	/* EIO: resmond closed the connection (stopped, restarted) */
	if (u.r.err) {
		errno = u.r.err;
		return -1;
	}
	if (u.r.count != 1 || (size_t)n < sizeof(u.buf)) {
		errno = EIO;
		return -1;
	}
	memcpy(ending, u.r.rec, sizeof(*ending));
	return 0;
}

/*
 * A job request on @fd, with this process's pidfd and then @fds passed
 * (SCM_RIGHTS): resmond names the sender by the first (on kernels without
 * SO_PASSPIDFD) and takes the others in order.
 */
static int send_job_request(int fd, const struct resmond_job_request *q, const int *fds,
			    int nfds)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(3 * sizeof(int))];
	} c;
	struct iovec iov = { .iov_base = (void *)q, .iov_len = sizeof(*q) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	int all[3], self = (int)syscall(SYS_pidfd_open, getpid(), 0), i;
	ssize_t n;

	if (self < 0)
		return -1;
	all[0] = self;
	for (i = 0; i < nfds && i < 2; i++)
		all[i + 1] = fds[i];
	memset(&c, 0, sizeof(c));
	m.msg_control = c.buf;
	m.msg_controllen = CMSG_SPACE((size_t)(i + 1) * sizeof(int));
	c.h.cmsg_level = SOL_SOCKET;
	c.h.cmsg_type = SCM_RIGHTS;
	c.h.cmsg_len = CMSG_LEN((size_t)(i + 1) * sizeof(int));
	memcpy(CMSG_DATA(&c.h), all, (size_t)(i + 1) * sizeof(int));
	do
		n = sendmsg(fd, &m, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	close(self);
	return n == (ssize_t)sizeof(*q) ? 0 : -1;
}

int resmond_job_create(int pidfd, const struct resmon_job_limits *limits, unsigned int flags)
{
	struct resmond_job_request q = { .magic = RESMOND_MAGIC, .op = RESMOND_JOB_CREATE };
	struct timeval forever = { 0, 0 };
	struct resmond_reply r;
	int fd = resmond_connect(), fds[2], err;

	if (fd < 0)
		return -1;
	if (pidfd < 0) {
		close(fd);
		errno = EBADF;	/* as the system call says of a bad pidfd */
		return -1;
	}
	q.flags = flags;
	if (limits)
		q.limits = *limits;
	fds[0] = pidfd;
	fds[1] = fd;	/* the handle is this connection: resmond learns our end of it */
	if (send_job_request(fd, &q, fds, 2) < 0) {
		err = errno == EBADF ? EBADF : EIO;	/* EBADF: @pidfd is no open fd */
		close(fd);
		errno = err;
		return -1;
	}
	if (recv_reply(fd, &r, sizeof(r)) < 0) {
		close(fd);
		errno = EIO;
		return -1;
	}
	if (r.err) {
		err = r.err;
		close(fd);
		errno = err;
		return -1;
	}
	/* The handle waits for events as long as the job lasts. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &forever, sizeof(forever));
	return fd;
}

int resmond_job_call(enum resmond_op op, int handle, const struct resmon_job_limits *limits,
		     void *out, size_t size)
{
	struct resmond_job_request q = { .magic = RESMOND_MAGIC, .op = op };
	union {
		struct resmond_reply r;
		char buf[sizeof(struct resmond_reply) + RESMOND_JOB_PAYLOAD_MAX];
	} u;
	int fd = resmond_connect(), err = 0, got = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	if (limits)
		q.limits = *limits;
	n = answer(fd, send_job_request(fd, &q, &handle, 1), &u.r, sizeof(u.buf), &err);
	if (!err && u.r.count) {
		if (!out || (size_t)n < sizeof(u.r) + size) {
			err = EIO;
			goto out;
		}
		memcpy(out, u.r.rec, size);
		got = 1;
	}
out:
	close(fd);
	if (err) {
		errno = err;
		return -1;
	}
	return got;
}
