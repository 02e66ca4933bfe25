/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The wire protocol between libresmon and resmond (eBPF edition), over a
 * SOCK_SEQPACKET Unix socket: one request message, one reply message (a
 * list reply is a run of messages, the last with more == 0). Fixed-size
 * little structs, host byte order (the socket is local). Private to
 * libresmon and resmond: callers use resmon.h.
 *
 * Who asks is judged per request, never per connection: resmond reads the
 * sender's SCM_CREDENTIALS (kernel-checked tgid and uid at sendmsg) of
 * every request, and names the sender by a pidfd: the kernel's own
 * (SO_PASSPIDFD, 6.5+), or on older kernels the one libresmon attaches
 * to each request (SCM_RIGHTS, pidfd_open(getpid())), which resmond
 * accepts only if it names the SCM_CREDENTIALS tgid.
 */
#ifndef RESMOND_PROTO_H
#define RESMOND_PROTO_H

#include <stdint.h>
#include <linux/resmon.h>	/* the job structs travel as the UAPI lays them out */

/* In a directory of its own: the unit's RuntimeDirectory, writable under ProtectSystem=strict. */
#define RESMOND_SOCKET_DIR	"/run/resmond"
#define RESMOND_SOCKET		RESMOND_SOCKET_DIR "/resmond.sock"
/* Overrides the path (tests); ignored in setuid/setgid callers (secure_getenv). */
#define RESMOND_SOCKET_ENV	"RESMOND_SOCKET"
#define RESMOND_MAGIC		0x314d5352u		/* "RSM1" */

enum resmond_op {
	RESMOND_HELLO = 1,
	RESMOND_REGISTER,
	RESMOND_FETCH,
	RESMOND_DEREGISTER,
	RESMOND_CAP,
	RESMOND_RESET,
	RESMOND_LIST,
	RESMOND_STOP,		/* resmond --stop: root only */
	RESMOND_WAIT,		/* answer once the process has ended: how it ended */
	RESMOND_OP_MAX = RESMOND_WAIT,
	/* Jobs: a struct resmond_job_request each (below) */
	RESMOND_JOB_CREATE = 32,
	RESMOND_JOB_USAGE,
	RESMOND_JOB_SET_LIMITS,
	RESMOND_JOB_EVENT,
	RESMOND_JOB_OP_MAX = RESMOND_JOB_EVENT,
};

struct resmond_request {
	uint32_t magic;
	uint32_t op;		/* enum resmond_op */
	int32_t pid;		/* in the caller's pid namespace */
	uint32_t pad;
	int64_t heap_quota;	/* CAP: MiB or -1 */
	int64_t file_quota;	/* CAP: files or -1 */
};

/* FETCH's answer, and each LIST entry: the kernel edition's fields, heap in bytes. */
struct resmond_record {
	int32_t pid;
	uint8_t quotas_defined;
	uint8_t pad[3];
	uint64_t heap_bytes;
	uint64_t files;
	int64_t heap_quota;
	int64_t file_quota;
};

/*
 * WAIT's answer (count 1, one struct resmond_ending in place of the records):
 * sent when the process named by the request has ended (its last thread
 * exited), on the connection the request came on; the connection is the
 * waiter's handle (poll it; close it to stop waiting). The checks before the
 * wait are fetch's, with fetch's codes (pid < 1 or no live process: EINVAL,
 * may not read it: EPERM, not monitored: EINVAL), answered at once. A waiting
 * connection is exempt from resmond's idle and lifetime limits (a run can
 * last hours) but still takes one of its uid's connection slots; one WAIT per
 * connection. Heap totals and limits are in bytes here, as in a record.
 * resmond serves one connection's requests in order: a client that must know
 * the wait is held before it lets the process go (it could end first: then
 * WAIT is EINVAL) sends a HELLO on the same connection after the WAIT; the
 * HELLO's answer (err 0, count 0) means held, the WAIT's error comes instead.
 */
struct resmond_ending {
	int32_t pid;		/* as the caller numbers it */
	uint32_t killed;	/* 1: resmon killed it at a crossing (or at cap) */
	uint32_t resource;	/* killed: enum resmon_resource (the UAPI header) */
	uint32_t pad;
	uint64_t total;		/* killed: heap bytes or opens at the crossing */
	uint64_t limit;		/* killed: the quota, in the same unit (bytes or opens) */
	char comm[16];		/* killed: the group leader's */
};

#define RESMOND_LIST_CHUNK	64	/* entries per list message */
/*
 * The most entries a list can have: resmond's record table holds no more
 * (RESMON_MAX_RECORDS, checked at build time in daemon/ops.c). libresmon
 * refuses a longer list (EMSGSIZE) instead of growing without bound.
 */
#define RESMOND_LIST_MAX	65536

struct resmond_reply {
	uint32_t magic;
	int32_t err;		/* 0 or a positive errno, as the kernel edition's syscall */
	uint32_t count;		/* records that follow in this message */
	uint32_t more;		/* LIST: another message follows */
	struct resmond_record rec[];	/* FETCH: 1; LIST: count; WAIT: a resmond_ending */
};

/*
 * Jobs. The handle is the connection a JOB_CREATE (or, with RESMON_JOB_OPEN
 * in flags, a JOB_OPEN) was sent on; resmond keeps it open while the job
 * lives, and it carries nothing but the create's reply and then NOTIFY
 * messages (a struct resmond_reply with err 0, count 0, more
 * RESMOND_NOTIFY): "an event is queued". So poll() on the handle says
 * readable when there is something to read, and nothing on it ever
 * answers a request, so no reply can be mistaken for an event.
 *
 * The other calls go on a fresh connection each and pass the handle by
 * SCM_RIGHTS (after the sender's own pidfd on kernels without
 * SO_PASSPIDFD): resmond knows the handle by the inode of the client's end
 * of the socket, which the create passed the same way (the create passes
 * the target's pidfd, then the handle). Whoever holds the handle may use it.
 *   JOB_USAGE       -> count 1, a struct resmon_job_usage
 *   JOB_SET_LIMITS  limits (its mask's fields) -> count 0
 *   JOB_EVENT       -> count 1, the oldest struct resmon_job_event, taken off
 *                      the job's queue; err EAGAIN when none is queued; count
 *                      0 (err 0) once EMPTY has been taken: nothing more comes.
 * A JOB_EVENT clears the handle's notification; resmond sends a new one if
 * events remain, so a client drains the handle (MSG_DONTWAIT) before asking,
 * and waits on it (poll) only after an EAGAIN: no event is missed.
 * Errors: EBADF when the fd passed is not a live handle.
 */
#define RESMOND_NOTIFY		0x4e4f5449u	/* "NOTI" */

struct resmond_job_request {
	uint32_t magic;
	uint32_t op;		/* RESMOND_JOB_* */
	uint32_t flags;		/* JOB_CREATE: RESMON_JOB_* */
	uint32_t pad;
	struct resmon_job_limits limits;	/* CREATE (mask 0: defaults), SET_LIMITS */
};

#define RESMOND_JOB_PAYLOAD_MAX \
	(sizeof(struct resmon_job_usage) > sizeof(struct resmon_job_event) ? \
	 sizeof(struct resmon_job_usage) : sizeof(struct resmon_job_event))

#define RESMOND_REPLY_MAX \
	(sizeof(struct resmond_reply) + RESMOND_LIST_CHUNK * sizeof(struct resmond_record))

#endif
