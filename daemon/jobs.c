// SPDX-License-Identifier: GPL-2.0-only
/*
 * The job layer in resmond (SPEC "Jobs"; the protocol is resmond_wire.h's):
 * creating a job or opening a handle on one, its usage, its limits, and its
 * event queue. The counters and limits live in the pinned jobs map, where
 * the hooks (bpf/job.h) keep them; what lives here is what only a daemon
 * can keep: the handles (client connections), each job's bounded queue of
 * events for them, and the signals to members other than the caller that
 * crossed. A restarted resmond finds every job in the pins (jobs_start())
 * and the notes made meanwhile in the ring buffer; only the handles and
 * the queued events are lost with the old one.
 */
#include "resmond.h"

#include <bpf/bpf.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * Events a job keeps for its handles: when the queue is full the oldest soft
 * event goes (counted); KILL and EMPTY are never dropped, so they may go
 * past the bound.
 */
#define JOB_QUEUE_MAX	64
#define JOB_BUCKETS	1024
#define MAX_HANDLES	256	/* resmond's client slots: a handle is one */
/*
 * Handles one uid but root may hold, on top of its ordinary connections
 * (resmond.c's per-uid share does not count handles): holding handles
 * never leaves a user without a connection to ask through.
 */
#define PER_UID_HANDLES	16
#define SIGNAL_DEFAULT	15	/* SIGTERM */

struct job_state {
	uint64_t id;
	struct resmon_job_event *q;	/* oldest first */
	size_t len, cap;
	uint64_t dropped;		/* soft events dropped from a full queue */
	bool empty_taken;		/* EMPTY was read: nothing more comes */
	int handles;
	struct job_state *next;
};

struct handle {
	int fd;			/* the client's connection; -1: free */
	uid_t uid;		/* the connection's, as resmond.c charges it */
	ino_t ino;		/* the client's end of it: how a request names it */
	dev_t dev;
	bool notified;		/* a NOTIFY is on it, not yet followed by a JOB_EVENT */
	struct job_state *job;
};

static struct job_state *buckets[JOB_BUCKETS];
static struct handle handles[MAX_HANDLES];
static uint64_t next_job = 1;

static struct job_state **bucket(uint64_t id)
{
	return &buckets[(id * 0x9E3779B97F4A7C15ULL) >> 54];
}

static struct job_state *job_find(uint64_t id)
{
	struct job_state *j;

	for (j = *bucket(id); j; j = j->next)
		if (j->id == id)
			return j;
	return NULL;
}

static struct job_state *job_get(uint64_t id)
{
	struct job_state *j = job_find(id), **b;

	if (j)
		return j;
	j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	b = bucket(id);
	j->id = id;
	j->next = *b;
	*b = j;
	return j;
}

static bool job_read(uint64_t id, struct resmon_job *out)
{
	return bpf_map_lookup_elem(bpfstate_jobs_fd(), &id, out) == 0;
}

/* A job with no member and no handle is over: its record goes. */
static void job_maybe_end(struct job_state *j)
{
	struct job_state **p;
	struct resmon_job rec;

	if (j->handles > 0 || (job_read(j->id, &rec) && rec.members_now > 0))
		return;
	bpf_map_delete_elem(bpfstate_jobs_fd(), &j->id);
	for (p = bucket(j->id); *p; p = &(*p)->next)
		if (*p == j) {
			*p = j->next;
			break;
		}
	free(j->q);
	free(j);
}

void jobs_start(void)
{
	struct resmon_job rec;
	uint64_t key, next;
	int fd = bpfstate_jobs_fd(), more, i;

	for (i = 0; i < MAX_HANDLES; i++)
		handles[i].fd = -1;
	more = bpf_map_get_next_key(fd, NULL, &next) == 0;
	while (more) {
		key = next;
		more = bpf_map_get_next_key(fd, &key, &next) == 0;
		if (key >= next_job)
			next_job = key + 1;
		if (!job_read(key, &rec))
			continue;
		/* No handle survives a restart: a job without members is over. */
		if (rec.members_now == 0)
			bpf_map_delete_elem(fd, &key);
		else if (!job_get(key))
			say("job %llu: out of memory", (unsigned long long)key);
	}
}

void jobs_record_view(struct resmon_rec *rec)
{
	struct resmon_job j;

	if (!rec->job || !job_read(rec->job, &j))
		return;
	rec->heap_bytes = j.usage[RESMON_HEAP];
	rec->files = j.usage[RESMON_OPENS];
	rec->heap_quota = j.hard[RESMON_HEAP] == RESMON_UNLIMITED ? RESMON_NO_LIMIT :
			  (int64_t)resmon_bytes_to_mib_up(j.hard[RESMON_HEAP]);
	rec->file_quota = j.hard[RESMON_OPENS] == RESMON_UNLIMITED ? RESMON_NO_LIMIT :
			  (int64_t)j.hard[RESMON_OPENS];
	rec->quotas_defined = rec->heap_quota != RESMON_NO_LIMIT ||
			      rec->file_quota != RESMON_NO_LIMIT;
}

static struct handle *handle_of_fd(int fd)
{
	int i;

	for (i = 0; i < MAX_HANDLES; i++)
		if (handles[i].fd == fd)
			return &handles[i];
	return NULL;
}

/* The handle a request passed (the client's end of a handle connection), or NULL. */
static struct handle *handle_named(int passed)
{
	struct stat st;
	int i;

	if (fstat(passed, &st) < 0 || !S_ISSOCK(st.st_mode))
		return NULL;
	for (i = 0; i < MAX_HANDLES; i++)
		if (handles[i].fd >= 0 && handles[i].ino == st.st_ino && handles[i].dev == st.st_dev)
			return &handles[i];
	return NULL;
}

bool jobs_is_handle(int fd)
{
	return handle_of_fd(fd) != NULL;
}

void jobs_handle_closed(int fd)
{
	struct handle *h = handle_of_fd(fd);
	struct job_state *j;

	if (!h)
		return;
	j = h->job;
	h->fd = -1;
	h->job = NULL;
	j->handles--;
	job_maybe_end(j);
}

static void notify(struct handle *h)
{
	struct resmond_reply r = { .magic = RESMOND_MAGIC, .more = RESMOND_NOTIFY };

	if (h->notified)
		return;
	/* A full socket already holds a notification: the client will ask. */
	if (send(h->fd, &r, sizeof(r), MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)sizeof(r))
		h->notified = true;
}

static void notify_all(struct job_state *j)
{
	int i;

	for (i = 0; i < MAX_HANDLES; i++)
		if (handles[i].fd >= 0 && handles[i].job == j)
			notify(&handles[i]);
}

/* Queue @e; a full queue drops its oldest soft event, never a KILL or EMPTY. */
static void job_queue(struct job_state *j, const struct resmon_job_event *e)
{
	struct resmon_job_event *grown;
	size_t first;

	for (first = 0; first < j->len && j->q[first].type != RESMON_EVENT_SOFT; first++)
		;
	if (j->len >= JOB_QUEUE_MAX && first < j->len) {
		memmove(&j->q[first], &j->q[first + 1], (j->len - first - 1) * sizeof(*e));
		j->len--;
		j->dropped++;
	} else if (j->len >= JOB_QUEUE_MAX && e->type == RESMON_EVENT_SOFT) {
		j->dropped++;	/* itself the oldest soft event */
		return;
	}
	if (j->len == j->cap) {
		grown = realloc(j->q, (j->cap ? 2 * j->cap : 8) * sizeof(*e));
		if (!grown) {
			say("job %llu: event lost (out of memory)", (unsigned long long)j->id);
			return;
		}
		j->q = grown;
		j->cap = j->cap ? 2 * j->cap : 8;
	}
	j->q[j->len++] = *e;
	notify_all(j);
}

static void first_member(uint32_t tgid, void *arg)
{
	uint32_t *first = arg;

	if (!*first)
		*first = tgid;
}

static void count_fds(uint32_t tgid, void *arg)
{
	char path[64];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%u/fd", tgid);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.')
			(*(uint64_t *)arg)++;
	closedir(dir);
}

static void log_job_kill(uint64_t id, const struct resmon_job_event *e)
{
	(void)id;
	/* The kernel edition's lines, byte for byte: a job is a record to the log. */
	if (e->resource == RESMON_HEAP)
		log_kill((uint32_t)e->pid, e->comm, RESMON_HEAP, e->value,
			 (int64_t)resmon_bytes_to_mib_up(e->limit));
	else if (e->resource == RESMON_OPENS)
		log_kill((uint32_t)e->pid, e->comm, RESMON_OPENS, e->value, (int64_t)e->limit);
	else
		log_kill_data((uint32_t)e->pid, e->comm, e->value, e->limit);
}

/* A note of the hooks: queue its event, and signal the members the hook could not. */
int jobs_note(void *ctx, void *data, size_t len)
{
	const struct resmon_job_note *n = data;
	struct resmon_job_event e = { 0 };
	struct resmon_job rec;
	struct job_state *j;
	int sig;

	(void)ctx;
	if (len < sizeof(*n))
		return 0;
	/* Whatever became of its job, a process that could not join it must not run. */
	if (n->type == RESMON_NOTE_ESCAPED) {
		members_kill_escaped(n->tgid, n->value, n->comm);
		return 0;
	}
	if (!job_read(n->job, &rec))
		return 0;	/* a job that ended while no resmond ran */
	j = job_get(n->job);
	if (!j)
		return 0;
	e.type = n->type;
	e.resource = n->resource;
	e.value = n->value;
	e.limit = n->limit;
	e.pid = (int32_t)n->tgid;	/* resmond's numbering; JOB_EVENT maps it for the reader */
	e.signal = n->signal;
	if (n->type == RESMON_EVENT_KILL) {
		memcpy(e.comm, n->comm, sizeof(e.comm));
		e.comm[sizeof(e.comm) - 1] = 0;
		log_job_kill(n->job, &e);
	}
	if (n->type == RESMON_EVENT_EMPTY)
		e.pid = 0;
	job_queue(j, &e);
	sig = n->type == RESMON_EVENT_KILL ? SIGKILL : n->signal;
	if (n->type == RESMON_EVENT_KILL && (rec.flags & RESMON_JOB_KILL_OFFENDER))
		sig = 0;
	/* The hook signalled the caller; the others (a walk of the records) only if any. */
	if (n->type == RESMON_EVENT_KILL && sig && rec.members_now > 1)
		members_kill(n->job, n->tgid);
	else if (n->type == RESMON_EVENT_SOFT && sig && rec.members_now > 1)
		members_signal(n->job, n->tgid, sig);
	if (n->type == RESMON_EVENT_EMPTY)
		job_maybe_end(j);
	return 0;
}

/* An event of @type on @res, crossed at once, named after @pid: its limit of that kind. */
static struct resmon_job_event crossed_event(const struct resmon_job *r, uint32_t type, int res,
					     uint32_t pid)
{
	struct resmon_job_event e;

	memset(&e, 0, sizeof(e));
	e.type = type;
	e.resource = (uint32_t)res;
	e.value = r->usage[res];
	e.limit = type == RESMON_EVENT_KILL ? r->hard[res] : r->soft[res];
	e.pid = (int32_t)pid;
	e.signal = type == RESMON_EVENT_KILL ? SIGKILL : (int32_t)r->soft_signal;
	return e;
}

/*
 * What a create or a limit change crossed at once (the iterator's
 * soft_now and hard_over): the soft signal and SIGKILL to every member, and
 * the events, soft ones first, named after the root (no call of a member
 * crossed).
 */
static void crossed_now(struct job_state *j, const struct resmon_reply *rep)
{
	const struct resmon_job *r = &rep->jobrec;
	struct resmon_job_event e;
	uint32_t pid = 0;
	char path[64];
	int res;
	FILE *f;

	members_each(j->id, 0, first_member, &pid);
	for (res = 0; res < RESMON_NR_RESOURCES; res++) {
		if (!(rep->soft_now & RESMON_SOFT_FIRED(res)))
			continue;
		e = crossed_event(r, RESMON_EVENT_SOFT, res, pid);
		if (e.signal)
			members_signal(j->id, 0, e.signal);
		job_queue(j, &e);
	}
	for (res = 0; res < RESMON_NR_RESOURCES; res++) {
		if (!(rep->hard_over & RESMON_SOFT_FIRED(res)))
			continue;
		e = crossed_event(r, RESMON_EVENT_KILL, res, pid);
		snprintf(path, sizeof(path), "/proc/%u/comm", pid);
		f = pid ? fopen(path, "re") : NULL;
		if (f) {
			if (fgets(e.comm, sizeof(e.comm), f))
				e.comm[strcspn(e.comm, "\n")] = 0;
			fclose(f);
		}
		members_kill(j->id, 0);
		log_job_kill(j->id, &e);
		job_queue(j, &e);
		break;		/* one kill */
	}
}

void jobs_cap_kill(const struct resmon_reply *rep)
{
	struct job_state *j = job_get(rep->rec.job);
	struct resmon_job_event e = {
		.type = RESMON_EVENT_KILL, .resource = rep->resource, .value = rep->total,
		.limit = rep->jobrec.hard[rep->resource % RESMON_NR_RESOURCES],
		.pid = (int32_t)rep->tgid, .signal = SIGKILL,
	};

	if (!j)
		return;
	memcpy(e.comm, rep->comm, sizeof(e.comm));
	e.comm[sizeof(e.comm) - 1] = 0;
	/* Marked killed whole now (op_mark_killed): the other members go too. */
	if (!(rep->jobrec.flags & RESMON_JOB_KILL_OFFENDER))
		members_kill(j->id, rep->tgid);
	job_queue(j, &e);
}

static int send_job_reply(int fd, int err, const void *payload, size_t size)
{
	union {
		struct resmond_reply r;
		char buf[sizeof(struct resmond_reply) + RESMOND_JOB_PAYLOAD_MAX];
	} u;
	size_t len = sizeof(u.r) + size;

	memset(&u.r, 0, sizeof(u.r));
	u.r.magic = RESMOND_MAGIC;
	u.r.err = err;
	u.r.count = size ? 1 : 0;
	if (size)
		memcpy(u.r.rec, payload, size);
	return send(fd, u.buf, len, MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

/* The limits a create gives the job: the mask's fields, the defaults for the rest. */
static void full_limits(struct resmon_job_limits *out, const struct resmon_job_limits *in)
{
	int res;

	out->mask = in->mask;
	out->soft_signal = in->mask & RESMON_LIMIT_SOFT_SIGNAL ? in->soft_signal : SIGNAL_DEFAULT;
	for (res = 0; res < RESMON_NR_RESOURCES; res++) {
		out->hard[res] = in->mask & RESMON_LIMIT_HARD(res) ? in->hard[res] : RESMON_UNLIMITED;
		out->soft[res] = in->mask & RESMON_LIMIT_SOFT(res) ? in->soft[res] : RESMON_UNLIMITED;
	}
}

/*
 * JOB_CREATE and JOB_OPEN: the target named by its pidfd (@fds[0]), the
 * handle (@fds[1]) the client's end of @fd. Returns 0 or a positive errno,
 * with @rep filled on success.
 */
static int create_or_open(int fd, const struct ids *caller, const struct resmond_job_request *q,
			  const int *fds, int nfds, struct resmon_reply *rep)
{
	const unsigned int known = RESMON_JOB_TREE | RESMON_JOB_KILL_OFFENDER | RESMON_JOB_OPEN;
	bool open = q->flags & RESMON_JOB_OPEN;
	struct resmon_req req;
	struct ids target;
	struct stat st;
	pid_t pid;
	int n;

	if (q->flags & ~known || (open && (q->flags != RESMON_JOB_OPEN || q->limits.mask)) ||
	    !resmon_limits_valid(q->limits.mask, q->limits.soft_signal))
		return EINVAL;
	if (nfds < 2)
		return EBADF;
	if (!caller)
		return EPERM;
	if (handle_of_fd(fd))
		return EINVAL;	/* this connection is a handle already */
	if (fstat(fds[1], &st) < 0 || !S_ISSOCK(st.st_mode) || handle_named(fds[1]))
		return EBADF;
	pid = pidfd_pid(fds[0]);
	if (pid < 0)
		return -pid;	/* EBADF: no pidfd; ESRCH: its process is gone */
	if (read_ids(pid, &target) < 0 || target.tgid != pid)
		return ESRCH;
	memset(&req, 0, sizeof(req));
	req.op = RESMON_BPF_PROBE;
	n = bpfstate_run(fds[0], &req, rep);
	if (n <= 0 || !pidfd_alive(fds[0]))
		return n < 0 ? -n : ESRCH;
	/*
	 * The hooks, the jobs' too, before a job exists (a create, or an open that
	 * makes one of a registered process's record), so they see all of it; an
	 * open of a job or of nothing attaches nothing.
	 */
	if ((!open || (rep->rec.tgid && !rep->rec.job)) && !bpfstate_attached(true) &&
	    bpfstate_attach(true) < 0)
		return ENOMEM;
	req.op = open ? RESMON_BPF_JOB_FIND : RESMON_BPF_JOB_CREATE;
	req.expect_start = rep->start_time;
	req.may_manage = may_manage(caller, &target);
	req.cap_privileged = cap_privileged(caller, &target);
	/* The lift rule asks for CAP_SYS_RESOURCE where the members live. */
	req.cap_userns = target.userns;
	req.seq = next_seq;
	req.uid = caller->uid[0];
	req.uid_share = caller->uid[0] == 0 ? 0 : max_records_per_uid;
	req.job = next_job;
	req.job_flags = q->flags;
	full_limits(&req.limits, &q->limits);
	n = bpfstate_run(fds[0], &req, rep);
	if (n <= 0)
		return n < 0 ? -n : ESRCH;
	if (rep->err)
		return -rep->err;
	/* A create, or an open that made a registered process's record a job, took the id. */
	if (rep->rec.job == next_job) {
		next_job++;
		if (!open)
			next_seq++;
	}
	return 0;
}

static int handles_of(uid_t uid)
{
	int i, n = 0;

	for (i = 0; i < MAX_HANDLES; i++)
		n += handles[i].fd >= 0 && handles[i].uid == uid;
	return n;
}

static int serve_create(int fd, uid_t uid, const struct ids *caller,
			const struct resmond_job_request *q, const int *fds, int nfds)
{
	struct resmon_reply rep;
	struct job_state *j;
	struct handle *h;
	struct stat st;
	uint64_t id;
	int err;

	if (uid != 0 && handles_of(uid) >= PER_UID_HANDLES)
		return send_job_reply(fd, EMFILE, NULL, 0);
	err = create_or_open(fd, caller, q, fds, nfds, &rep);
	if (err)
		return send_job_reply(fd, err, NULL, 0);
	id = rep.rec.job;
	j = job_get(id);
	h = handle_of_fd(-1);
	if (!j || !h || fstat(fds[1], &st) < 0) {
		/* The job stands (its limits hold); only this handle could not be made. */
		return send_job_reply(fd, ENOMEM, NULL, 0);
	}
	/*
	 * What the limits cross at once is signalled before the answer, as the
	 * kernel's call returns with the kill queued; its events are queued
	 * before this handle exists, so no notification precedes the answer.
	 */
	if (!(q->flags & RESMON_JOB_OPEN))
		crossed_now(j, &rep);
	h->fd = fd;
	h->uid = uid;
	h->ino = st.st_ino;
	h->dev = st.st_dev;
	h->notified = false;
	h->job = j;
	j->handles++;
	if (send_job_reply(fd, 0, NULL, 0) < 0)
		return -1;
	if (j->len)
		notify(h);
	return 0;
}

static int serve_usage(int fd, struct handle *h)
{
	struct resmon_job_usage u;
	struct resmon_job r;
	int res;

	if (!job_read(h->job->id, &r))
		return send_job_reply(fd, ESRCH, NULL, 0);
	memset(&u, 0, sizeof(u));
	u.flags = r.flags & (RESMON_JOB_TREE | RESMON_JOB_KILL_OFFENDER);
	u.members_now = r.members_now;
	u.members_ever = r.members_ever;
	for (res = 0; res < RESMON_NR_RESOURCES; res++) {
		u.usage[res] = r.usage[res];
		u.limits.hard[res] = r.hard[res];
		u.limits.soft[res] = r.soft[res];
		u.limits.mask |= RESMON_LIMIT_HARD(res) | RESMON_LIMIT_SOFT(res);
	}
	u.limits.mask |= RESMON_LIMIT_SOFT_SIGNAL;
	u.limits.soft_signal = r.soft_signal;
	u.data_peak = r.data_peak;
	u.events_dropped = h->job->dropped;
	if (r.members_now)
		members_each(h->job->id, 0, count_fds, &u.fds_now);
	return send_job_reply(fd, 0, &u, sizeof(u));
}

/* The lift rule, then the iterator sets them (on resmond's own task: it names a job). */
static int serve_set(int fd, const struct ids *caller, const struct resmond_job_request *q,
		     struct handle *h)
{
	const struct resmon_job_limits *l = &q->limits;
	struct resmon_reply rep;
	struct resmon_req req;
	struct resmon_job r;
	bool raise = false;
	int res, self, n;

	if (!resmon_limits_valid(l->mask, l->soft_signal))
		return send_job_reply(fd, EINVAL, NULL, 0);
	if (!job_read(h->job->id, &r))
		return send_job_reply(fd, ESRCH, NULL, 0);
	for (res = 0; res < RESMON_NR_RESOURCES; res++) {
		if (l->mask & RESMON_LIMIT_HARD(res))
			raise |= resmon_raises(r.hard[res], l->hard[res]);
		if (l->mask & RESMON_LIMIT_SOFT(res))
			raise |= resmon_raises(r.soft[res], l->soft[res]);
	}
	if (raise && (!caller || !may_raise_job_limit(caller, r.userns)))
		return send_job_reply(fd, EPERM, NULL, 0);
	memset(&req, 0, sizeof(req));
	req.op = RESMON_BPF_JOB_SET;
	req.job = h->job->id;
	req.limits = *l;
	self = (int)syscall(SYS_pidfd_open, getpid(), 0);
	n = self < 0 ? -errno : bpfstate_run(self, &req, &rep);
	if (self >= 0)
		close(self);
	if (n <= 0)
		return send_job_reply(fd, n < 0 ? -n : ESRCH, NULL, 0);
	if (rep.err)
		return send_job_reply(fd, -rep.err, NULL, 0);
	/* Signalled before the answer: the limit is crossed when the call returns. */
	crossed_now(h->job, &rep);
	return send_job_reply(fd, 0, NULL, 0) < 0 ? -1 : 0;
}

/* The oldest event, its pid as @caller numbers it. */
static int serve_event(int fd, const struct ids *caller, struct handle *h)
{
	struct job_state *j = h->job;
	struct resmon_job_event e;
	struct ids t;
	int rc;

	h->notified = false;
	if (!j->len)
		return send_job_reply(fd, j->empty_taken ? 0 : EAGAIN, NULL, 0);
	e = j->q[0];
	memmove(&j->q[0], &j->q[1], (j->len - 1) * sizeof(e));
	j->len--;
	if (e.type == RESMON_EVENT_EMPTY)
		j->empty_taken = true;
	if (e.pid > 0 && (!caller || caller->pidns_depth != 1))
		e.pid = caller && read_ids(e.pid, &t) == 0 ? pid_for_caller(caller, e.pid, &t) : 0;
	rc = send_job_reply(fd, 0, &e, sizeof(e));
	if (j->len)
		notify(h);
	return rc;
}

int jobs_serve(int fd, uid_t uid, const struct ids *caller, const struct resmond_job_request *q,
	       const int *fds, int nfds)
{
	struct handle *h;

	if (q->magic != RESMOND_MAGIC || q->pad)
		return send_job_reply(fd, EBADMSG, NULL, 0);
	if (q->op == RESMOND_JOB_CREATE)
		return serve_create(fd, uid, caller, q, fds, nfds);
	h = nfds >= 1 ? handle_named(fds[0]) : NULL;
	if (!h)
		return send_job_reply(fd, EBADF, NULL, 0);
	switch (q->op) {
	case RESMOND_JOB_USAGE:
		return serve_usage(fd, h);
	case RESMOND_JOB_SET_LIMITS:
		return serve_set(fd, caller, q, h);
	case RESMOND_JOB_EVENT:
		return serve_event(fd, caller, h);
	}
	return send_job_reply(fd, EBADMSG, NULL, 0);
}
