/* SPDX-License-Identifier: GPL-2.0-only */
/* resmond, the eBPF edition's daemon: what its files share. See resmond(8). */
#ifndef RESMOND_H
#define RESMOND_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>
#include <sys/types.h>

#include "rules.h"
#include "resmon/bpf_abi.h"
#include "resmon/resmond_wire.h"

#define RESMOND_PIN_DIR	"/sys/fs/bpf/resmon"

/* log.c: stderr, and the kernel log through /dev/kmsg */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kmsg_line(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_hello(void);
void log_kill(uint32_t tgid, const char *comm, int resource, uint64_t total, int64_t quota);
void log_kill_data(uint32_t tgid, const char *comm, uint64_t value, uint64_t limit);

/* bpfstate.c: the programs, maps and links, pinned under RESMOND_PIN_DIR */
int bpfstate_open(void);		/* load + pin, or pick up existing pins */
/*
 * The hooks, attached while something is monitored: those every record
 * needs, and with @jobs those only jobs need too (the data measure, tree
 * jobs: resmon_job_* programs), attached before a job is made. Idempotent.
 */
int bpfstate_attach(bool jobs);
void bpfstate_detach(void);		/* all; idempotent */
void bpfstate_detach_jobs(void);	/* only the jobs'; idempotent */
bool bpfstate_attached(bool jobs);	/* the records' hooks (and with @jobs the jobs') */
bool bpfstate_empty(void);		/* no record */
bool bpfstate_no_jobs(void);		/* no job */
bool bpfstate_stale(void);		/* the pinned programs are another build's */
int bpfstate_kills_fd(void);
int bpfstate_records_fd(void);
int bpfstate_jobs_fd(void);
int bpfstate_job_events_fd(void);
uint64_t bpfstate_max_seq(void);
void bpfstate_unpin_all(void);		/* --stop / SIGTERM */
int bpfstate_open_pinned(void);		/* --status: the pins only, never load */
uint64_t bpfstate_misses(void (*fn)(const char *name, uint64_t misses, void *arg), void *arg);

/* watch.c: what makes the hooks skip runs (preemption model, recursion misses) */
void watch_start(void);			/* at start: say what the model is */
void watch_tick(void);			/* each second: model changes, new misses */
int watch_status(void);			/* resmond --status */
/*
 * Run @req through the operation iterator on @pidfd. Returns 1 with *@rep
 * filled, 0 if the iterator saw no task (the process is gone), -errno.
 * Not reentrant: the request map has one slot, filled here and read by the
 * iterator this call creates. resmond serves every client from one thread
 * (resmond.c), so two runs never overlap; a second thread would need a slot
 * of its own (a map keyed by a request id).
 */
int bpfstate_run(int pidfd, struct resmon_req *req, struct resmon_reply *rep);

#define RESMOND_PIDNS_MAX	33	/* MAX_PID_NS_LEVEL + 1 */

/* creds.c: who is asking, who is the target, and resmon.rst's permission rules */
struct ids {
	pid_t tgid;
	uid_t uid[4];		/* real, effective, saved, fs */
	gid_t gid[4];
	uint64_t cap_eff;	/* only trusted when same_userns */
	bool same_userns;	/* in resmond's user namespace */
	uint64_t userns;	/* its user namespace (inode of /proc/PID/ns/user) */
	int pidns_depth;	/* NSpid entries: 1 = resmond's pid namespace */
	pid_t nspid[RESMOND_PIDNS_MAX];	/* NSpid: its pid in each, resmond's first */
	uid_t proc_owner;	/* owner of /proc/PID/status: root when not dumpable */
};
int read_ids(pid_t pid, struct ids *ids);
/* The credentials (ids, caps, user namespace, owner) of thread @tid of @tgid into @ids. */
int read_thread_creds(pid_t tgid, pid_t tid, struct ids *ids);
bool may_manage(const struct ids *caller, const struct ids *target);
bool may_read(const struct ids *caller, const struct ids *target);
bool may_lift(const struct ids *caller, const struct ids *target, uint64_t cap_userns);
bool cap_privileged(const struct ids *caller, const struct ids *target);
bool is_root_admin(const struct ids *caller);
bool may_raise_job_limit(const struct ids *caller, uint64_t members_userns);
/* The process a pidfd names, by resmond's numbers; -EBADF: no pidfd; -ESRCH: it has ended. */
pid_t pidfd_pid(int fd);
/*
 * Pids as @caller names them (resmon.rst: "in the caller's pid namespace"):
 * the pid in resmond's namespace of the task that is @nr in the caller's,
 * if that task is in the caller's namespace or one below it, else 0; and
 * back, the caller's number for the task @t, 0 if the caller cannot see it.
 */
pid_t pid_from_caller(const struct ids *caller, pid_t nr);
pid_t pid_for_caller(const struct ids *caller, pid_t pid, const struct ids *t);
/* false once the process of @pidfd has exited (a pidfd polls readable then). */
bool pidfd_alive(int pidfd);
/* The sender of one request (SCM_CREDENTIALS @uc, with @pidfd naming it), or -1. */
struct ucred;
int msg_ids(const struct ucred *uc, int pidfd, struct ids *ids);

/* ops.c */
/* A WAIT request that passed its checks, held on its connection until the process ends. */
struct waiting {
	int pidfd;		/* the process; polls readable once it has ended */
	pid_t pid;		/* as the waiter numbers it */
	uint32_t tgid;		/* in resmond's pid namespace */
	uint64_t start_time;	/* the group leader's: with tgid, names the process */
};
#define SERVE_STOP	1	/* STOP from root: resmond must stop */
#define SERVE_HOLD	2	/* WAIT: *@w filled, no reply yet */
/*
 * Serve one request; writes the reply (a run of messages for LIST) to @fd. Returns
 * SERVE_STOP, SERVE_HOLD, 0 otherwise, -1 if @fd must be closed.
 * @caller NULL: the sender could not be named; only what needs no identity is served.
 */
int serve_request(int fd, const struct ids *caller, const void *msg, ssize_t len,
		  struct waiting *w);
/* WAIT's answer on @fd, once the process of @w has ended: how it ended. */
int answer_wait(int fd, const struct waiting *w);

/* jobs.c: the job layer's requests, handles and event queues (resmond_wire.h) */
void jobs_start(void);			/* pick up the pinned jobs, drop the empty ones */
/*
 * Serve one job request that came on @fd (charged to @uid), with the fds
 * passed after the sender's pidfd (@fds, @nfds; closed by the caller).
 * Writes the reply; returns 0, or -1 if @fd must be dropped.
 */
int jobs_serve(int fd, uid_t uid, const struct ids *caller, const struct resmond_job_request *q,
	       const int *fds, int nfds);
int jobs_note(void *ctx, void *data, size_t len);	/* the job_events ring buffer */
bool jobs_is_handle(int fd);
/* The seed's cap on a member killed it at once (ops.c): its job's KILL event. */
void jobs_cap_kill(const struct resmon_reply *rep);
/* A member's record as the seed's list shows it: its job's totals and hard heap/opens limits. */
void jobs_record_view(struct resmon_rec *rec);
void jobs_handle_closed(int fd);

/* members.c: a job's members, by a walk of the records, and the signals resmond sends them */
void members_each(uint64_t id, uint32_t skip, void (*fn)(uint32_t tgid, void *arg), void *arg);
void members_signal(uint64_t id, uint32_t skip, int sig);	/* one walk */
void members_kill(uint64_t id, uint32_t skip);			/* SIGKILL, walks again for forks */
void members_kill_escaped(uint32_t tgid, uint64_t start_time, const char *comm);

/* endings.c: the last kills, by process, for WAIT's answers */
void endings_note(uint32_t tgid, uint64_t start_time, uint32_t resource, uint64_t total,
		  uint64_t limit, const char *comm);
bool endings_find(uint32_t tgid, uint64_t start_time, struct resmond_ending *out);
extern uint64_t next_seq;
/* resmond --max-records-per-uid: records one non-root uid's callers may register */
#define RESMON_DEFAULT_RECORDS_PER_UID	4096
extern uint32_t max_records_per_uid;

#endif
