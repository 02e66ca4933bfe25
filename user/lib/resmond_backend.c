// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The eBPF edition's table: every call is a request to resmond on its
 * socket (resmond_client.c speaks the protocol, resmon/resmond_wire.h), and the
 * answers become the library's types (record.c). ENOSYS while no resmond
 * listens.
 */
#include "backend.h"
#include "record.h"
#include "resmon/resmond_client.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *resmond_edition(void)
{
	return resmond_running() ? "ebpf" : "none";
}

static int resmond_hello(void)
{
	return resmond_call(RESMOND_HELLO, 0, 0, 0, NULL);
}

static int resmond_register(pid_t pid)
{
	return resmond_call(RESMOND_REGISTER, pid, 0, 0, NULL);
}

/*
 * The daemon's record, copied into the caller's @stats the way the kernel's
 * copy_to_user() would: a NULL or unwritable buffer is EINVAL (the last
 * check of fetch), not a crash. process_vm_writev() on ourselves is that
 * checked copy, and opens nothing, so a monitored caller counts no file.
 */
static int resmond_fetch(pid_t pid, struct per_proc_resource *stats)
{
	struct per_proc_resource r;
	struct iovec local = { &r, sizeof(r) }, remote = { stats, sizeof(r) };
	struct resmond_record w;

	if (resmond_call(RESMOND_FETCH, pid, 0, 0, &w) < 0)
		return -1;
	abi_from_wire(&r, &w);
	if (!stats || process_vm_writev(getpid(), &local, 1, &remote, 1, 0) != (ssize_t)sizeof(r)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

static int resmond_get_record(pid_t pid, struct resmon_record *rec)
{
	struct resmond_record w;

	if (resmond_call(RESMOND_FETCH, pid, 0, 0, &w) < 0)
		return -1;
	record_from_wire(rec, &w);
	return 0;
}

static int resmond_deregister(pid_t pid)
{
	return resmond_call(RESMOND_DEREGISTER, pid, 0, 0, NULL);
}

static int resmond_cap(pid_t pid, long heap_mib, long files)
{
	return resmond_call(RESMOND_CAP, pid, heap_mib, files, NULL);
}

static int resmond_reset(pid_t pid)
{
	return resmond_call(RESMOND_RESET, pid, 0, 0, NULL);
}

static int resmond_list_records(struct resmon_record **records, size_t *count)
{
	struct resmond_record *w;
	struct resmon_record *v;
	size_t n, i;

	if (resmond_list(&w, &n) < 0)
		return -1;
	/* One more than asked: malloc(0) may return NULL, and an empty list is not ENOMEM. */
	v = malloc((n + 1) * sizeof(*v));
	if (!v) {
		free(w);
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < n; i++)
		record_from_wire(&v[i], &w[i]);
	free(w);
	*records = v;
	*count = n;
	return 0;
}

/*
 * The WAIT connection is the handle. WAIT has no acknowledgement: an error
 * of its checks comes as its answer, and success only when the process
 * ends. So that the watch stands when this returns (the caller may then
 * let the process run into its quota; a kill before resmond judged the
 * WAIT would find no record), a FETCH of the same pid follows on another
 * connection: resmond serves requests one at a time, in the order they
 * arrived (one epoll loop), so once the FETCH is answered the WAIT has
 * been judged, and its error, if any, is already waiting on @fd.
 */
static int resmond_watch_end(pid_t pid)
{
	union {
		struct resmond_reply r;
		char buf[sizeof(struct resmond_reply) + sizeof(struct resmond_ending)];
	} u;
	struct resmond_record w;
	struct pollfd p;
	int fd = resmond_wait_send(pid), err;

	if (fd < 0)
		return -1;
	if (resmond_call(RESMOND_FETCH, pid, 0, 0, &w) < 0) {
		err = errno;
		goto fail;
	}
	p.fd = fd;
	p.events = POLLIN;
	/*
	 * An answer already: the WAIT's error; or an ending, the process ended
	 * meanwhile (read_end's to take); anything else is a resmond that does
	 * not hold WAITs.
	 */
	if (poll(&p, 1, 0) > 0 &&
	    recv(fd, u.buf, sizeof(u.buf), MSG_PEEK | MSG_DONTWAIT) >= (ssize_t)sizeof(u.r) &&
	    u.r.magic == RESMOND_MAGIC && (u.r.err || u.r.count != 1)) {
		err = u.r.err ? u.r.err : EIO;
		goto fail;
	}
	return fd;
fail:
	close(fd);
	errno = err;
	return -1;
}

static int resmond_read_end(int fd, struct resmon_end *end)
{
	struct resmond_ending w;

	if (resmond_wait_answer(fd, &w) < 0)
		return -1;
	return end_from_wire(end, &w);
}

/* The job calls: the handle is the create's connection (resmon/resmond_wire.h). */
static int resmond_job_new(int pidfd, const struct resmon_job_limits *limits, unsigned int flags)
{
	return resmond_job_create(pidfd, limits, flags);
}

static int resmond_job_usage(int handle, struct resmon_job_usage *usage)
{
	int n = resmond_job_call(RESMOND_JOB_USAGE, handle, NULL, usage, sizeof(*usage));

	if (n == 0)
		errno = EIO;
	return n == 1 ? 0 : -1;
}

static int resmond_job_set_limits(int handle, const struct resmon_job_limits *limits)
{
	return resmond_job_call(RESMOND_JOB_SET_LIMITS, handle, limits, NULL, 0) < 0 ? -1 : 0;
}

/* Take every NOTIFY off the handle without blocking; 1 if resmond closed it. */
static int drain_notifications(int handle)
{
	struct resmond_reply r;
	ssize_t n;

	while ((n = recv(handle, &r, sizeof(r), MSG_DONTWAIT)) > 0)
		;
	return n == 0;
}

/*
 * The oldest event: drain the notifications, then ask; only when nothing is
 * queued wait for the next notification (resmond sends one for any event
 * queued after the ask), unless the handle is non-blocking. Keeps nothing
 * between calls: the state is resmond's and the socket's.
 */
static int resmond_job_read_event(int handle, struct resmon_job_event *event)
{
	struct pollfd p = { .fd = handle, .events = POLLIN };
	int n, flags = fcntl(handle, F_GETFL), closed;

	if (flags < 0)
		return -1;
	for (;;) {
		closed = drain_notifications(handle);
		n = resmond_job_call(RESMOND_JOB_EVENT, handle, NULL, event, sizeof(*event));
		if (n >= 0 || errno != EAGAIN)
			return n;
		if (flags & O_NONBLOCK)
			return -1;
		if (closed) {
			errno = EIO;	/* resmond went away: no event can come on it */
			return -1;
		}
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			return -1;
	}
}

const struct resmon_backend resmon_resmond_backend = {
	.edition = resmond_edition,
	.hello = resmond_hello,
	.register_pid = resmond_register,
	.fetch = resmond_fetch,
	.get_record = resmond_get_record,
	.deregister = resmond_deregister,
	.cap = resmond_cap,
	.reset = resmond_reset,
	.list = resmond_list_records,
	.watch_end = resmond_watch_end,
	.read_end = resmond_read_end,
	.job_create = resmond_job_new,
	.job_usage = resmond_job_usage,
	.job_set_limits = resmond_job_set_limits,
	.job_read_event = resmond_job_read_event,
};
