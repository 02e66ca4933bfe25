// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmond - the daemon of resmon's eBPF edition (resmond(8)).
 *
 *   resmond [--linger SECONDS] [--max-records-per-uid N]
 *                                run in the foreground, log to stderr
 *   resmond --stop               stop the running resmond (or clean up after a
 *                                killed one): detach and unpin everything
 *   resmond --status             the preemption model and the hooks' misses
 *
 * One thread, one epoll loop: the listening socket, each client, the
 * kill ring buffer, a 1 s timer (idle detach, client timeouts) and a
 * signalfd (SIGTERM/SIGINT stop cleanly). Every request is answered at
 * once, without blocking, so no client can stall another.
 */
#include "resmond.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS	256
#define CLIENT_TIMEOUT	10	/* s: a client that sends nothing is dropped */

struct client {
	int fd;			/* -1: free slot */
	time_t since;
	struct ids ids;
};

static struct client clients[MAX_CLIENTS];
static const char *sock_path = RESMOND_SOCKET;
static long linger = 10;	/* s with no record before the hooks are detached */

static int on_kill(void *ctx, void *data, size_t len)
{
	const struct resmon_kill_event *e = data;

	(void)ctx;
	if (len >= sizeof(*e))
		log_kill(e->tgid, e->comm, (int)e->resource, e->total, e->quota);
	return 0;
}

static int listen_socket(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, probe;

	if (strlen(sock_path) >= sizeof(sa.sun_path)) {
		say("socket path too long: %s", sock_path);
		return -1;
	}
	strcpy(sa.sun_path, sock_path);
	/* A socket file nobody answers on is a dead resmond's: replace it. */
	probe = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		say("another resmond is running on %s", sock_path);
		close(probe);
		return -1;
	}
	if (probe >= 0)
		close(probe);
	unlink(sock_path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(sock_path, 0666) < 0 || listen(fd, 64) < 0) {
		say("cannot listen on %s: %s", sock_path, strerror(errno));
		return -1;
	}
	return fd;
}

static void drop(int ep, struct client *c)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
}

static void accept_clients(int ep, int lfd)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct client *c;
	int fd, i;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		for (i = 0; i < MAX_CLIENTS && clients[i].fd >= 0; i++)
			;
		if (i == MAX_CLIENTS) {
			close(fd);	/* full: the client sees EOF and may retry */
			continue;
		}
		c = &clients[i];
		if (peer_ids(fd, &c->ids) < 0) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->since = time(NULL);
		ev.data.u64 = (uint64_t)i + 16;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
			close(fd);
			c->fd = -1;
		}
	}
}

/* Returns 1 if resmond must stop. */
static int client_ready(int ep, struct client *c)
{
	char buf[sizeof(struct resmond_request) + 1];
	ssize_t n;
	int rc;

	/* MSG_TRUNC: the real length of an oversized message, so it is refused, not cut. */
	n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		drop(ep, c);
		return 0;
	}
	rc = serve_request(c->fd, &c->ids, buf, n > (ssize_t)sizeof(buf) ? (ssize_t)sizeof(buf) : n);
	c->since = time(NULL);
	if (rc < 0)
		drop(ep, c);
	return rc > 0;
}

static void tick(int ep)
{
	static time_t idle_since;
	time_t now = time(NULL);
	int i;

	for (i = 0; i < MAX_CLIENTS; i++)
		if (clients[i].fd >= 0 && now - clients[i].since > CLIENT_TIMEOUT)
			drop(ep, &clients[i]);
	watch_tick();
	/* The static key's analog: no record for a while, no hooks, no cost. */
	if (!bpfstate_attached() || !bpfstate_empty()) {
		idle_since = 0;
		return;
	}
	if (!idle_since)
		idle_since = now;
	if (now - idle_since >= linger) {
		bpfstate_detach();
		idle_since = 0;
	}
}

static int add_fd(int ep, int fd, uint64_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = tag };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

enum { TAG_LISTEN = 1, TAG_KILLS, TAG_TIMER, TAG_SIGNAL };

static int serve(void)
{
	struct itimerspec its = { .it_interval = { 1, 0 }, .it_value = { 1, 0 } };
	struct epoll_event evs[32];
	struct ring_buffer *rb;
	sigset_t sigs;
	int ep, lfd, tfd, sfd, n, i, stop = 0;

	for (i = 0; i < MAX_CLIENTS; i++)
		clients[i].fd = -1;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (bpfstate_open() < 0)
		return 1;
	next_seq = bpfstate_max_seq() + 1;
	watch_start();
	rb = ring_buffer__new(bpfstate_kills_fd(), on_kill, NULL, NULL);
	if (!rb) {
		say("cannot open the kill ring buffer: %s", strerror(errno));
		return 1;
	}
	/* Kills made while no resmond ran: their lines come now, late but not lost. */
	ring_buffer__consume(rb);
	lfd = listen_socket();
	if (lfd < 0)
		return 1;
	ep = epoll_create1(EPOLL_CLOEXEC);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (ep < 0 || tfd < 0 || sfd < 0 || timerfd_settime(tfd, 0, &its, NULL) < 0 ||
	    add_fd(ep, lfd, TAG_LISTEN) || add_fd(ep, ring_buffer__epoll_fd(rb), TAG_KILLS) ||
	    add_fd(ep, tfd, TAG_TIMER) || add_fd(ep, sfd, TAG_SIGNAL)) {
		say("setup failed: %s", strerror(errno));
		return 1;
	}
	say("listening on %s", sock_path);
	while (!stop) {
		n = epoll_wait(ep, evs, 32, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			say("epoll_wait: %s", strerror(errno));
			break;
		}
		for (i = 0; i < n && !stop; i++) {
			uint64_t tag = evs[i].data.u64, ticks;
			struct signalfd_siginfo si;

			if (tag == TAG_LISTEN) {
				accept_clients(ep, lfd);
			} else if (tag == TAG_KILLS) {
				ring_buffer__consume(rb);
			} else if (tag == TAG_TIMER) {
				if (read(tfd, &ticks, sizeof(ticks)) > 0)
					tick(ep);
			} else if (tag == TAG_SIGNAL) {
				if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
					say("signal %u: stopping", si.ssi_signo);
					stop = 1;
				}
			} else if (tag >= 16 && tag < 16 + MAX_CLIENTS && clients[tag - 16].fd >= 0) {
				stop = client_ready(ep, &clients[tag - 16]);
				if (stop)
					say("stop requested");
			}
		}
	}
	ring_buffer__consume(rb);
	ring_buffer__free(rb);
	/* Unpin before the socket goes: resmond --stop waits for the socket to vanish. */
	bpfstate_unpin_all();
	say("stopped: hooks detached, pins removed");
	unlink(sock_path);
	return 0;
}

/* resmond --stop: ask the running daemon, or clean up after a killed one. */
static int stop_daemon(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct resmond_request q = { .magic = RESMOND_MAGIC, .op = RESMOND_STOP };
	char buf[RESMOND_REPLY_MAX];
	struct resmond_reply *r = (struct resmond_reply *)buf;
	struct timespec ts = { 0, 50 * 1000000L };
	int fd, i;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		if (send(fd, &q, sizeof(q), 0) != sizeof(q) || recv(fd, buf, sizeof(buf), 0) <
		    (ssize_t)sizeof(*r) || r->err) {
			say("stop refused: %s", strerror(r->err ? r->err : errno));
			return 1;
		}
		/* The daemon unpins, then removes its socket: wait for that (5 s at most). */
		for (i = 0; i < 100 && access(sock_path, F_OK) == 0; i++)
			nanosleep(&ts, NULL);
		close(fd);
		return 0;
	}
	if (fd >= 0)
		close(fd);
	say("no resmond running: removing what a previous one left");
	unlink(sock_path);
	if (access(RESMOND_PIN_DIR, F_OK) == 0) {
		if (bpfstate_open() == 0)
			bpfstate_unpin_all();
	}
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: resmond [--linger SECONDS] [--max-records-per-uid N]\n"
			"       resmond --stop | --status\n"
			"See resmond(8).\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *env = getenv(RESMOND_SOCKET_ENV);
	int i;

	if (env && *env)
		sock_path = env;
	for (i = 1; i < argc; i++) {
		char *end;

		if (!strcmp(argv[i], "--stop"))
			return stop_daemon();
		if (!strcmp(argv[i], "--status"))
			return watch_status();
		if (!strcmp(argv[i], "--linger") && i + 1 < argc) {
			linger = strtol(argv[++i], &end, 10);
			if (*end || linger < 0)
				return usage();
		} else if (!strcmp(argv[i], "--max-records-per-uid") && i + 1 < argc) {
			unsigned long n = strtoul(argv[++i], &end, 10);

			/* 0 would exempt everyone (0 is root's share in the request). */
			if (*end || n < 1 || n > RESMON_MAX_RECORDS - RESMON_ROOT_RESERVE)
				return usage();
			max_records_per_uid = (uint32_t)n;
		} else {
			return usage();
		}
	}
	if (geteuid() != 0) {
		say("must run as root (it loads BPF programs)");
		return 1;
	}
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	/*
	 * The kill line is written when the ring buffer wakes us: run ahead of
	 * ordinary tasks so it usually lands before the victim's parent reaps it.
	 * (Not a real-time class: a flood of clients must not starve the CPU.)
	 */
	if (setpriority(PRIO_PROCESS, 0, -10) < 0)
		say("could not raise priority: %s", strerror(errno));
	return serve();
}
