// SPDX-License-Identifier: GPL-2.0-only
/*
 * A job's members as resmond reaches them: every record of the pinned
 * records map that names the job (a walk: only for signals, fds counts
 * and kills, never on a hook's path), and the signals the hooks cannot
 * send, since bpf_send_signal() reaches the calling process only.
 *
 * A signal goes through a pidfd, and only once the record is seen again
 * after the pidfd was opened: the record is deleted at the process's exit,
 * before its pid can be freed and reused, so a record still there means
 * the pidfd names the very process the record was made for.
 */
#include "resmond.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Walks of a whole-job kill: members forked while one walked are found by the next. */
#define KILL_WALKS	4

void members_each(uint64_t id, uint32_t skip, void (*fn)(uint32_t tgid, void *arg), void *arg)
{
	struct resmon_rec rec;
	uint64_t key, next;
	int fd = bpfstate_records_fd(), more;

	more = bpf_map_get_next_key(fd, NULL, &next) == 0;
	while (more) {
		key = next;
		more = bpf_map_get_next_key(fd, &key, &next) == 0;
		if (bpf_map_lookup_elem(fd, &key, &rec) == 0 && rec.job == id && rec.tgid != skip)
			fn(rec.tgid, arg);
	}
}

/* @sig to the process of record @key (made for @tgid), if it still is that process. 0 or -1. */
static int signal_member(uint64_t key, uint32_t tgid, int sig)
{
	int pidfd = (int)syscall(SYS_pidfd_open, (pid_t)tgid, 0), rc = 0;
	struct resmon_rec rec;

	if (pidfd < 0)
		return -1;	/* gone */
	if (bpf_map_lookup_elem(bpfstate_records_fd(), &key, &rec) || rec.tgid != tgid) {
		close(pidfd);
		return -1;	/* exited (and its pid maybe reused) before the pidfd */
	}
	if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0) {
		say("signal %d to job member %u not sent: %s", sig, tgid, strerror(errno));
		rc = -1;
	}
	close(pidfd);
	return rc;
}

/* The record keys signalled so far in one kill (open addressing; 0 is no key). */
struct keyset {
	uint64_t *slot;
	size_t cap, len;
};

static size_t keyset_pos(const struct keyset *s, uint64_t key)
{
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & (s->cap - 1);

	while (s->slot[i] && s->slot[i] != key)
		i = (i + 1) & (s->cap - 1);
	return i;
}

/* Adds @key; false if it was there already. On no memory, everything counts as new. */
static bool keyset_add(struct keyset *s, uint64_t key)
{
	uint64_t *old = s->slot;
	size_t cap = s->cap, i;

	if (2 * (s->len + 1) > s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->slot = calloc(s->cap, sizeof(*s->slot));
		if (!s->slot) {
			s->slot = old;
			s->cap = cap;
			return true;
		}
		s->len = 0;
		for (i = 0; i < cap; i++)
			if (old[i])
				s->slot[keyset_pos(s, old[i])] = old[i], s->len++;
		free(old);
	}
	i = keyset_pos(s, key);
	if (s->slot[i])
		return false;
	s->slot[i] = key;
	s->len++;
	return true;
}

/*
 * @sig to every member of job @id but the process @skip (the hook signalled
 * it), @walks times at most: each walk signals the members it finds that
 * no walk signalled before, and the walks stop at one that finds none.
 * Returns how many were signalled.
 */
static unsigned int signal_walks(uint64_t id, uint32_t skip, int sig, int walks)
{
	struct keyset done = { 0 };
	struct resmon_rec rec;
	uint64_t key, next;
	unsigned int sent = 0, found;
	int fd = bpfstate_records_fd(), more;

	while (walks-- > 0) {
		found = 0;
		more = bpf_map_get_next_key(fd, NULL, &next) == 0;
		while (more) {
			key = next;
			more = bpf_map_get_next_key(fd, &key, &next) == 0;
			if (bpf_map_lookup_elem(fd, &key, &rec) || rec.job != id || rec.tgid == skip ||
			    !keyset_add(&done, key))
				continue;
			found++;
			sent += signal_member(key, rec.tgid, sig) == 0;
		}
		if (!found)
			break;
	}
	free(done.slot);
	return sent;
}

void members_signal(uint64_t id, uint32_t skip, int sig)
{
	signal_walks(id, skip, sig, 1);
}

/*
 * SIGKILL to every member of job @id, which the hooks marked killed
 * (job->killed) before resmond was told: a member forked after that dies
 * at its first instruction (bpf/tree.h), one forked before is in the
 * records by then, and the repeated walks find it even if a walk missed
 * it while the table changed under it.
 */
void members_kill(uint64_t id, uint32_t skip)
{
	signal_walks(id, skip, SIGKILL, KILL_WALKS);
}

/*
 * A process that could not join its tree job (RESMON_NOTE_ESCAPED): killed,
 * if the pid still names it (its start_time, read by the iterator).
 */
void members_kill_escaped(uint32_t tgid, uint64_t start_time, const char *comm)
{
	int pidfd = (int)syscall(SYS_pidfd_open, (pid_t)tgid, 0);
	struct resmon_reply rep;
	struct resmon_req req;

	if (pidfd < 0)
		return;
	memset(&req, 0, sizeof(req));
	req.op = RESMON_BPF_PROBE;
	if (bpfstate_run(pidfd, &req, &rep) == 1 && rep.start_time == start_time &&
	    syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) == 0)
		say("killed %u (%.16s): it could not join its tree job "
		    "(records table or uid share full)", tgid, comm);
	close(pidfd);
}
