// SPDX-License-Identifier: GPL-2.0-only
/*
 * One request from a client: the checks of resmon.rst's "Return codes"
 * in its order, each answering rules.h's code for the call. resmond names
 * the target by a pidfd from the first look to the action, so a pid
 * reused in between is never acted on:
 *   1. pid < 1                            (here)
 *   2. pidfd_open (a thread id names its process via /proc/TID/status)
 *   3. the target's ids from /proc, and a PROBE through the iterator,
 *      both while the pidfd shows the process alive: they describe it;
 *   4. the operation itself in the iterator, which applies liveness,
 *      the permission computed here, the record's state, in order, with
 *      the task held and the leader's start_time compared to the PROBE's.
 * WAIT checks as FETCH does, then is held (resmond.c) until the process
 * ends, and answered with how it ended (answer_wait()).
 */
#include "resmond.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

uint64_t next_seq = 1;
uint32_t max_records_per_uid = RESMON_DEFAULT_RECORDS_PER_UID;

/* libresmon refuses a list longer than RESMOND_LIST_MAX: every record must fit. */
_Static_assert(RESMOND_LIST_MAX >= RESMON_MAX_RECORDS, "RESMOND_LIST_MAX below the record table");

/* One message: the reply header, then @size bytes of @count entries. */
static int send_reply(int fd, int err, const void *entries, uint32_t count, size_t size,
		      uint32_t more)
{
	union {
		struct resmond_reply r;
		char buf[RESMOND_REPLY_MAX];
	} u;
	size_t len = sizeof(u.r) + size;

	memset(&u.r, 0, sizeof(u.r));
	u.r.magic = RESMOND_MAGIC;
	u.r.err = err;
	u.r.count = count;
	u.r.more = more;
	if (size)
		memcpy(u.r.rec, entries, size);
	/* A client that does not read its reply loses its connection, never stalls us. */
	return send(fd, u.buf, len, MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

_Static_assert(sizeof(struct resmond_ending) <= RESMOND_REPLY_MAX - sizeof(struct resmond_reply),
	       "an ending must fit in a reply");

static int reply(int fd, int err, const struct resmond_record *recs, uint32_t count,
		 uint32_t more)
{
	return send_reply(fd, err, recs, count, count * sizeof(*recs), more);
}

static void to_wire(struct resmond_record *w, const struct resmon_rec *r, pid_t pid)
{
	memset(w, 0, sizeof(*w));
	w->pid = pid;
	w->heap_bytes = r->heap_bytes;
	w->files = r->files;
	w->heap_quota = r->heap_quota;
	w->file_quota = r->file_quota;
	w->quotas_defined = r->quotas_defined;
}

/*
 * A pidfd for the process that thread @pid (resmond's number) belongs to,
 * or -1; in @target that process's numbers and the thread's credentials
 * (what the kernel edition judges). The process is pinned first (its
 * pidfd), its ids read next, the thread's read through the process's own
 * directory (so @pid must be one of its threads), and the process must be
 * alive after: a thread id reused in between, or a Tgid read from a
 * successor, names nothing.
 */
static int open_process(pid_t pid, struct ids *target)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	pid_t tgid = pid;
	struct ids t;

	if (pidfd < 0 && errno == EINVAL) {
		/* Not a group leader (6.1 has no PIDFD_THREAD): its Tgid names the process. */
		if (read_ids(pid, &t) < 0)
			return -1;
		tgid = t.tgid;
		pidfd = (int)syscall(SYS_pidfd_open, tgid, 0);
	}
	if (pidfd < 0)
		return -1;
	if (read_ids(tgid, target) < 0 || target->tgid != tgid ||
	    read_thread_creds(tgid, pid, target) < 0 || !pidfd_alive(pidfd)) {
		close(pidfd);
		return -1;
	}
	return pidfd;
}

/* The call each request is, for rules.h's codes and the iterator; WAIT checks as FETCH. */
static const enum resmon_call op_of[] = {
	[RESMOND_REGISTER] = RESMON_CALL_REGISTER,
	[RESMOND_FETCH] = RESMON_CALL_FETCH,
	[RESMOND_DEREGISTER] = RESMON_CALL_DEREGISTER,
	[RESMOND_CAP] = RESMON_CALL_CAP,
	[RESMOND_RESET] = RESMON_CALL_RESET,
	[RESMOND_WAIT] = RESMON_CALL_FETCH,
};

/*
 * CAP found the process over a quota (the iterator says which one). The
 * record counts as killed only once the SIGKILL is queued: a send that fails
 * (an LSM may refuse it, or the process is gone) leaves it unmarked, so its
 * next crossing kills. The kill is logged, and kept for WAIT, by whoever
 * marked it (a hook crossing meanwhile logs its own).
 */
static bool kill_at_cap(int pidfd, struct resmon_req *req, const struct resmon_reply *rep)
{
	const struct resmon_rec *r = &rep->rec;
	bool heap = rep->resource == RESMON_HEAP;
	int64_t quota = heap ? r->heap_quota : r->file_quota;
	struct resmon_reply mark;

	if (syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) < 0) {
		say("kill of process %u at cap not queued: %s", rep->tgid, strerror(errno));
		return false;
	}
	req->op = RESMON_BPF_MARK_KILLED;
	if (bpfstate_run(pidfd, req, &mark) > 0 && !mark.kill)
		return false;
	log_kill(rep->tgid, rep->comm, rep->resource, rep->total, quota);
	endings_note(rep->tgid, rep->start_time, rep->resource, rep->total,
		     heap ? resmon_mib_to_bytes(quota) : (uint64_t)quota, rep->comm);
	return true;
}

/*
 * One call, through the iterator. Returns 0 or a positive errno; @out (if
 * not NULL) receives the record; @w (WAIT, if not NULL) receives the
 * process, its pidfd kept open, once the checks passed.
 */
static int do_op(const struct ids *caller, const struct resmond_request *q,
		 struct resmond_record *out, struct waiting *w)
{
	enum resmon_call op = op_of[q->op];
	struct resmon_reply rep;
	struct resmon_req req;
	struct ids target;
	pid_t pid;
	int pidfd, n;

	if (q->pid < 1)
		return -resmon_code_bad_pid(op);
	if (!caller)
		return -resmon_code_denied();
	if (q->op == RESMOND_REGISTER && !bpfstate_attached(false) && bpfstate_attach(false) < 0)
		return ENOMEM;
	/* The caller's number, ours, and (pinned) still the caller's and visible to it. */
	pid = pid_from_caller(caller, q->pid);
	pidfd = pid ? open_process(pid, &target) : -1;
	if (pidfd >= 0 && !pid_for_caller(caller, target.tgid, &target)) {
		close(pidfd);
		pidfd = -1;
	}
	if (pidfd < 0)
		return -resmon_code_no_process(op);

	memset(&req, 0, sizeof(req));
	req.op = RESMON_BPF_PROBE;
	n = bpfstate_run(pidfd, &req, &rep);
	if (n <= 0 || !pidfd_alive(pidfd)) {
		close(pidfd);
		return n < 0 ? -n : -resmon_code_no_process(op);
	}
	req.op = op;
	req.expect_start = rep.start_time;
	req.may_read = may_read(caller, &target);
	req.may_manage = may_manage(caller, &target);
	/* The PROBE's copy of the record says where its quotas were set. */
	req.may_lift = may_lift(caller, &target, rep.rec.cap_userns);
	req.cap_privileged = cap_privileged(caller, &target);
	req.cap_userns = caller->userns;
	req.heap_quota = q->heap_quota;
	req.file_quota = q->file_quota;
	req.seq = next_seq;
	/* Root's records take no share (and may use the reserve); others' take their uid's. */
	req.uid = caller->uid[0];
	req.uid_share = caller->uid[0] == 0 ? 0 : max_records_per_uid;
	n = bpfstate_run(pidfd, &req, &rep);
	if (n <= 0) {
		close(pidfd);
		return n < 0 ? -n : -resmon_code_no_process(op);
	}
	if (rep.err == 0 && q->op == RESMOND_REGISTER)
		next_seq++;
	if (rep.err == 0 && rep.kill) {
		/* A member's cap is its job's limit: the job's handles hear of the kill. */
		if (kill_at_cap(pidfd, &req, &rep) && rep.rec.job)
			jobs_cap_kill(&rep);
	}
	if (rep.err == 0 && w) {
		w->pidfd = pidfd;
		w->pid = pid_for_caller(caller, (pid_t)rep.tgid, &target);
		w->tgid = rep.tgid;
		w->start_time = rep.start_time;
		return 0;
	}
	close(pidfd);
	/* The process, whichever thread named it, as the caller numbers it. */
	if (out)
		to_wire(out, &rep.rec, pid_for_caller(caller, (pid_t)rep.tgid, &target));
	return -rep.err;
}

struct listed {
	uint64_t seq;
	struct resmond_record w;
};

static int by_seq(const void *a, const void *b)
{
	const struct listed *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Every record the caller may read, in registration order, in chunks. */
static int do_list(int fd, const struct ids *caller)
{
	struct listed *v = NULL, *grown;
	struct resmond_record chunk[RESMOND_LIST_CHUNK];
	struct resmon_rec rec;
	struct ids target;
	pid_t pid;
	uint64_t key, next;
	size_t n = 0, cap = 0, i, c;
	int mfd = bpfstate_records_fd(), more, rc = 0;

	more = bpf_map_get_next_key(mfd, NULL, &next) == 0;
	while (more) {
		key = next;
		more = bpf_map_get_next_key(mfd, &key, &next) == 0;
		if (bpf_map_lookup_elem(mfd, &key, &rec) < 0 || read_ids((pid_t)rec.tgid, &target) < 0 ||
		    !may_read(caller, &target))
			continue;
		jobs_record_view(&rec);
		/* Only what the caller's pid namespace holds, by its numbers. */
		pid = pid_for_caller(caller, (pid_t)rec.tgid, &target);
		if (!pid)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			grown = realloc(v, cap * sizeof(*v));
			if (!grown) {
				free(v);
				return reply(fd, ENOMEM, NULL, 0, 0);
			}
			v = grown;
		}
		v[n].seq = rec.seq;
		to_wire(&v[n].w, &rec, pid);
		n++;
	}
	qsort(v, n, sizeof(*v), by_seq);
	i = 0;
	do {
		for (c = 0; c < RESMOND_LIST_CHUNK && i < n; c++, i++)
			chunk[c] = v[i].w;
		rc = reply(fd, 0, chunk, (uint32_t)c, i < n);
	} while (rc == 0 && i < n);
	free(v);
	return rc;
}

int answer_wait(int fd, const struct waiting *w)
{
	struct resmond_ending e;

	if (!endings_find(w->tgid, w->start_time, &e))
		memset(&e, 0, sizeof(e));	/* resmon did not kill it */
	e.pid = w->pid;
	return send_reply(fd, 0, &e, 1, sizeof(e), 0);
}

int serve_request(int fd, const struct ids *caller, const void *msg, ssize_t len,
		  struct waiting *w)
{
	struct resmond_request q;
	struct resmond_record rec;
	int err;

	/* Anything but one well-formed request gets EBADMSG; the connection stays usable. */
	if (len != (ssize_t)sizeof(q))
		return reply(fd, EBADMSG, NULL, 0, 0);
	memcpy(&q, msg, sizeof(q));
	if (q.magic != RESMOND_MAGIC || q.op < RESMOND_HELLO || q.op > RESMOND_OP_MAX || q.pad)
		return reply(fd, EBADMSG, NULL, 0, 0);
	switch (q.op) {
	case RESMOND_HELLO:
		log_hello();
		return reply(fd, 0, NULL, 0, 0);
	case RESMOND_LIST:
		if (!caller)
			return reply(fd, EPERM, NULL, 0, 0);
		return do_list(fd, caller);
	case RESMOND_STOP:
		if (!caller || !is_root_admin(caller))
			return reply(fd, EPERM, NULL, 0, 0);
		reply(fd, 0, NULL, 0, 0);
		return SERVE_STOP;
	case RESMOND_WAIT:
		err = do_op(caller, &q, NULL, w);
		return err ? reply(fd, err, NULL, 0, 0) : SERVE_HOLD;
	}
	err = do_op(caller, &q, &rec, NULL);
	if (q.op == RESMOND_FETCH && !err)
		return reply(fd, 0, &rec, 1, 0);
	return reply(fd, err, NULL, 0, 0);
}
