// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmond_fuzz [SECONDS] [UID]: hostile clients against resmond's socket.
 * Run as root with resmond up; it drops to UID (default 65534) first, so
 * the well-formed requests among the noise can only reach its own
 * process, which it never names. Each round is one of: random bytes of a
 * random length (0..300), a valid header with random op/pid/quotas, a
 * truncated or oversized (64 KiB) message, a connection that sends
 * nothing, a burst of requests whose replies are never read, an early
 * close. Every reply that comes must be well formed. At the end resmond
 * must still answer register(0) with EINVAL within 2 s, and the idle
 * connections are closed. TAP output; exit status 1 on failure.
 */
#include "resmon/resmond_wire.h"
#include "tap.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define HELD 300	/* idle connections kept open: more than resmond's client table */

static int dial(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *p = getenv(RESMOND_SOCKET_ENV);
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", p && *p ? p : RESMOND_SOCKET);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A reply, if one comes within @ms: 1 well formed, 0 none, -1 malformed. */
static int read_reply(int fd, int ms, int32_t *err)
{
	char buf[RESMOND_REPLY_MAX + 64];
	struct resmond_reply *r = (struct resmond_reply *)buf;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return 0;
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	/*
	 * resmond closed a connection it did not like (or had no room for):
	 * allowed. A unix socket closed with our request still unread in it
	 * reports ECONNRESET rather than EOF (unix_release_sock()).
	 */
	if (n == 0 || (n < 0 && (errno == ECONNRESET || errno == EPIPE)))
		return 0;
	if (n < (ssize_t)sizeof(*r) || r->magic != RESMOND_MAGIC ||
	    (size_t)n != sizeof(*r) + r->count * sizeof(r->rec[0]) || r->count > RESMOND_LIST_CHUNK)
		return -1;
	if (err)
		*err = r->err;
	return 1;
}

static pid_t random_pid(pid_t self)
{
	pid_t p;

	do
		p = (pid_t)(rand() % 5 == 0 ? rand() - RAND_MAX / 2 : rand() % 4096);
	while (p == self);
	return p;
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 10;
	uid_t uid = argc > 2 ? (uid_t)atoi(argv[2]) : 65534;
	static char big[65536];
	int held[HELD], nheld = 0, bad = 0, rounds = 0, fd, i, k;
	pid_t self = getpid();
	time_t end;
	int32_t err = 0;

	if (setgid(uid) < 0 || setuid(uid) < 0) {
		perror("resmond_fuzz: setuid");
		return 1;
	}
	srand((unsigned int)time(NULL) ^ (unsigned int)self);
	end = time(NULL) + seconds;
	while (time(NULL) < end) {
		struct resmond_request q = { .magic = RESMOND_MAGIC };
		char junk[300];
		size_t len = (size_t)(rand() % (int)sizeof(junk));

		fd = dial();
		if (fd < 0) {
			bad++;
			break;
		}
		rounds++;
		switch (rand() % 7) {
		case 0:		/* noise */
			for (i = 0; i < (int)len; i++)
				junk[i] = (char)rand();
			send(fd, junk, len, MSG_NOSIGNAL);
			break;
		case 1:		/* well formed header, hostile fields; never our own pid */
			q.op = (uint32_t)(rand() % (RESMOND_OP_MAX + 3));
			q.pid = random_pid(self);
			q.pad = rand() % 4 ? 0 : (uint32_t)rand();
			q.heap_quota = rand() % 3 ? rand() % 8 - 2 : (int64_t)rand() << 40;
			q.file_quota = rand() % 8 - 2;
			send(fd, &q, sizeof(q), MSG_NOSIGNAL);
			break;
		case 2:		/* truncated */
			send(fd, &q, (size_t)(rand() % (int)sizeof(q)), MSG_NOSIGNAL);
			break;
		case 3:		/* oversized */
			memcpy(big, &q, sizeof(q));
			send(fd, big, sizeof(big), MSG_NOSIGNAL);
			break;
		case 4:		/* say nothing, hold the connection */
			if (nheld < HELD) {
				held[nheld++] = fd;
				continue;
			}
			break;
		case 5:		/* a burst, replies never read */
			q.op = RESMOND_FETCH;
			q.pid = 1;
			for (k = 0; k < 200; k++)
				if (send(fd, &q, sizeof(q), MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
					break;
			close(fd);
			continue;
		case 6:		/* hang up at once */
			close(fd);
			continue;
		}
		if (read_reply(fd, 2000, NULL) < 0)
			bad++;
		close(fd);
	}
	printf("# %d rounds, %d connections held idle\n", rounds, nheld);
	result(bad == 0, "every reply well formed, the socket always accepting");

	/* resmond still serves, despite the held connections (it drops idle ones). */
	{
		struct resmond_request q = { .magic = RESMOND_MAGIC, .op = RESMOND_REGISTER, .pid = 0 };
		int ok = 0;

		for (k = 0; k < 30 && !ok; k++) {
			fd = dial();
			if (fd >= 0 && send(fd, &q, sizeof(q), MSG_NOSIGNAL) == sizeof(q) &&
			    read_reply(fd, 2000, &err) == 1 && err == EINVAL)
				ok = 1;
			if (fd >= 0)
				close(fd);
			if (!ok)
				sleep(1);	/* the client table may be full until idle ones time out */
		}
		result(ok, "resmond answers register(0) with EINVAL afterwards");
	}
	{
		struct resmond_request q = { .magic = RESMOND_MAGIC, .op = RESMOND_STOP };

		fd = dial();
		result(fd >= 0 && send(fd, &q, sizeof(q), MSG_NOSIGNAL) == sizeof(q) &&
		       read_reply(fd, 2000, &err) == 1 && err == EPERM,
		       "STOP from an unprivileged caller: EPERM");
		if (fd >= 0)
			close(fd);
	}
	for (i = 0; i < nheld; i++)
		close(held[i]);
	return tap_done();
}
