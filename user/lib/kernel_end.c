// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * How a process ended, on the kernel edition: the one place of the
 * library that reads the kernel log.
 *
 * Why here, and why like this: the kernel edition has no interface that
 * says why a process died (it will, with jobs: issue 16, a handle). Until
 * then the best it allows without new kernel ABI is
 *  - the end itself: a pidfd, which polls readable once the process has
 *    ended (the watch's file descriptor is that pidfd);
 *  - the reason: the kernel's kill line ("resmon: killed process PID
 *    (COMM): heap N bytes over quota Q MiB", linux/kernel/resmon/hooks.c),
 *    read from /dev/kmsg when the caller may (root, or
 *    kernel.dmesg_restrict=0), only among the records logged after the
 *    watch began (their sequence numbers), so that an earlier process with
 *    the same pid is not taken for this one;
 *  - otherwise RESMON_END_UNKNOWN: the library does not guess. Nor when
 *    the log is readable but holds no line: the kernel rate-limits it.
 * The sequence number and pid of each watch are kept in a small table
 * keyed by the pidfd's number, since a pidfd carries no data of ours;
 * read_end() forgets the entry, and a new watch on a reused number
 * replaces it.
 */
#include "kernel_backend.h"
#include "rules.h"	/* MiB and bytes, as both editions convert them */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kill line can trail the end by a little (cap kills another process, then logs). */
#define KILL_LINE_GRACE_MS	1000
#define KILL_LINE_STEP_MS	100

struct watch {
	int fd;			/* the pidfd; -1: free slot */
	pid_t pid;
	int log_readable;	/* /dev/kmsg could be opened when the watch began */
	uint64_t first_seq;	/* records from this one on are after the watch began */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct watch *watches;
static size_t n_watches;

/* A /dev/kmsg record's sequence number ("prio,seq,..."); 0 if it has none. */
static int record_seq(const char *record, uint64_t *seq)
{
	unsigned long long n;

	if (sscanf(record, "%*u,%llu,", &n) != 1)
		return 0;
	*seq = n;
	return 1;
}

int kernel_parse_kill_record(const char *record, pid_t pid, struct resmon_end *end,
			     uint64_t *seq)
{
	const char *msg = strchr(record, ';'), *name, *why, *p, *eol;
	unsigned long long total, quota;
	char needle[48];
	int heap, n = 0;
	size_t len;

	if (!msg)
		return 0;
	record_seq(record, seq);
	msg++;
	snprintf(needle, sizeof(needle), "resmon: killed process %d (", (int)pid);
	if (strncmp(msg, needle, strlen(needle)))
		return 0;
	name = msg + strlen(needle);
	/* COMM may hold anything; the reason follows its last "): " on the line. */
	eol = name + strcspn(name, "\n");
	why = NULL;
	for (p = strstr(name, "): "); p && p < eol; p = strstr(p + 1, "): "))
		why = p;
	if (!why)
		return 0;
	heap = !strncmp(why + 3, "heap ", 5);
	if (heap ? sscanf(why + 3, "heap %llu bytes over quota %llu MiB%n", &total, &quota, &n) != 2 :
		   sscanf(why + 3, "files %llu over quota %llu%n", &total, &quota, &n) != 2)
		return 0;
	memset(end, 0, sizeof(*end));
	end->pid = pid;
	end->cause = RESMON_END_KILLED;
	end->resource = heap ? RESMON_LIMIT_HEAP : RESMON_LIMIT_FILES;
	end->total = total;
	end->limit = heap ? resmon_mib_to_bytes((__s64)quota) : quota;
	len = (size_t)(why - name);
	if (len >= sizeof(end->comm))
		len = sizeof(end->comm) - 1;
	memcpy(end->comm, name, len);
	return 1;
}

/* /dev/kmsg from its oldest record, non-blocking; -1 if the caller may not read the log. */
static int open_log(void)
{
	return open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
}

/* The next record of @fd into @buf; 1, or 0 at the end of the log (EAGAIN) or on an error. */
static int next_record(int fd, char *buf, size_t len)
{
	ssize_t n;

	for (;;) {
		n = read(fd, buf, len - 1);
		if (n < 0 && (errno == EPIPE || errno == EINTR))
			continue;	/* EPIPE: records were overwritten; go on with the next */
		if (n <= 0)
			return 0;
		buf[n] = '\0';
		return 1;
	}
}

/* The sequence number the next record will have, or -1 if the log is not readable. */
static int log_next_seq(uint64_t *next)
{
	char record[8192];
	uint64_t seq = 0;
	int fd = open_log(), any = 0;

	if (fd < 0)
		return -1;
	while (next_record(fd, record, sizeof(record)))
		any |= record_seq(record, &seq);
	close(fd);
	*next = any ? seq + 1 : 0;
	return 0;
}

/* Look for @w's kill line among the records after the watch began, waiting a little for it. */
static void find_kill_line(const struct watch *w, struct resmon_end *end)
{
	struct pollfd p = { .events = POLLIN };
	char record[8192];
	uint64_t seq = 0;
	int waited = 0;

	p.fd = open_log();
	if (p.fd < 0)
		return;
	for (;;) {
		while (next_record(p.fd, record, sizeof(record)))
			if (kernel_parse_kill_record(record, w->pid, end, &seq) && seq >= w->first_seq)
				goto out;
		/* The line may still come (one slow CPU): wait for new records, in steps. */
		if (waited >= KILL_LINE_GRACE_MS || poll(&p, 1, KILL_LINE_STEP_MS) < 0)
			break;
		waited += KILL_LINE_STEP_MS;
	}
	/* Not found: the kernel edition cannot tell (its line may have been rate-limited). */
	memset(end, 0, sizeof(*end));
	end->pid = w->pid;
	end->cause = RESMON_END_UNKNOWN;
out:
	close(p.fd);
}

/* Remember @w, replacing any entry of the same (reused) descriptor number. */
static int remember(const struct watch *w)
{
	struct watch *grown;
	size_t i, free_slot = n_watches;

	pthread_mutex_lock(&lock);
	for (i = 0; i < n_watches; i++) {
		if (watches[i].fd == w->fd || (watches[i].fd < 0 && free_slot == n_watches))
			free_slot = i;
		if (watches[i].fd == w->fd)
			break;
	}
	if (free_slot == n_watches) {
		grown = realloc(watches, (n_watches + 1) * sizeof(*watches));
		if (!grown) {
			pthread_mutex_unlock(&lock);
			errno = ENOMEM;
			return -1;
		}
		watches = grown;
		n_watches++;
	}
	watches[free_slot] = *w;
	pthread_mutex_unlock(&lock);
	return 0;
}

/*
 * @fd's entry into @w, taken out of the table if @take; -1 (EBADF) if @fd
 * is not a watch.
 */
static int look_up(int fd, struct watch *w, int take)
{
	size_t i;
	int found = 0;

	pthread_mutex_lock(&lock);
	for (i = 0; i < n_watches && !found; i++) {
		if (fd >= 0 && watches[i].fd == fd) {
			*w = watches[i];
			if (take)
				watches[i].fd = -1;
			found = 1;
		}
	}
	pthread_mutex_unlock(&lock);
	if (!found)
		errno = EBADF;
	return found ? 0 : -1;
}

int kernel_watch_end(pid_t pid)
{
	struct per_proc_resource stats;
	struct watch w = { .pid = pid };
	int err;

	/* The log's position first: a kill right after the checks must be after it. */
	w.log_readable = log_next_seq(&w.first_seq) == 0;
	/* fetch's checks, fetch's errno: may read it, monitored. */
	if (kernel_fetch(pid, &stats) < 0)
		return -1;
	/* A pidfd is close-on-exec already. */
	w.fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (w.fd < 0) {
		/* Ended since the fetch: no longer monitored, as fetch would say now. */
		if (errno == ESRCH)
			errno = EINVAL;
		return -1;
	}
	if (remember(&w) < 0) {
		err = errno;
		close(w.fd);
		errno = err;
		return -1;
	}
	return w.fd;
}

int kernel_read_end(int fd, struct resmon_end *end)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct watch w;
	int r;

	if (look_up(fd, &w, 0) < 0)
		return -1;
	do
		r = poll(&p, 1, -1);
	while (r < 0 && errno == EINTR);
	if (r < 0 || look_up(fd, &w, 1) < 0)
		return -1;
	memset(end, 0, sizeof(*end));
	end->pid = w.pid;
	end->cause = RESMON_END_UNKNOWN;
	if (w.log_readable)
		find_kill_line(&w, end);
	return 0;
}
