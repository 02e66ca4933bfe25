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

#define RESMOND_REPLY_MAX \
	(sizeof(struct resmond_reply) + RESMOND_LIST_CHUNK * sizeof(struct resmond_record))

#endif
