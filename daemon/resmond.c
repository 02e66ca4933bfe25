// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmond - the daemon of resmon's eBPF edition (resmond(8)).
 *
 *   resmond [--linger SECONDS] [--max-records-per-uid N]
 *                                run in the foreground, log to stderr
 *   resmond --stop               stop the running resmond (or clean up after a
 *                                killed one): detach and unpin everything, so
 *                                monitoring ends
 *   resmond --status             the preemption model and the hooks' misses
 *
 * One thread, one epoll loop: the listening socket, each client, the
 * kill ring buffer, a 1 s timer (idle detach, client timeouts), a
 * signalfd and the pidfd of each WAIT held. SIGTERM/SIGINT end the daemon,
 * not monitoring: the pinned programs stay and keep enforcing, as after a
 * crash, so a restart or an upgrade never lapses a quota. Every request is
 * answered at once, without blocking, so no client can stall another; a
 * WAIT is answered when its process ends.
 */
#include "resmond.h"
#include "stop.h"

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

/*
 * Client slots. A connection is charged to the euid it connected with
 * (SO_PEERCRED): each uid but root holds at most PER_UID_CLIENTS, and
 * ROOT_CLIENTS slots are root's alone, so no user can lock out another
 * or root; a connection lives CLIENT_LIFETIME at most, however busy, and
 * is dropped after CLIENT_TIMEOUT without a request. (libresmon uses one
 * connection per call.) A connection holding a WAIT is exempt from both
 * while it waits, since a run can last hours; it still takes its slot, so
 * a uid's waits are bounded like its connections. A job handle is exempt
 * too, and takes a slot, but not from its uid's PER_UID_CLIENTS: handles
 * have a share of their own (jobs.c), so a user holding handles can still
 * connect to read them. What a request may do is
 * never judged by this uid: each message carries its sender's credentials
 * (client_ready()).
 */
#define MAX_CLIENTS	256
#define ROOT_CLIENTS	32
#define PER_UID_CLIENTS	16
#define CLIENT_TIMEOUT	10	/* s: a client that sends nothing is dropped */
#define CLIENT_LIFETIME	60	/* s: and none is kept longer */

#ifndef SO_PASSPIDFD
#define SO_PASSPIDFD	76	/* Linux 6.5+ */
#define SCM_PIDFD	0x04
#endif

struct client {
	int fd;			/* -1: free slot */
	uid_t uid;		/* charged to: the euid at connect() */
	time_t since;		/* accepted */
	time_t last;		/* last request */
	struct waiting wait;	/* wait.pidfd -1: no WAIT held */
};

/* epoll tags: the fixed fds, then each client's socket, then its WAIT's pidfd. */
enum { TAG_LISTEN = 1, TAG_KILLS, TAG_TIMER, TAG_SIGNAL };
#define TAG_CLIENT	16
#define TAG_WAIT	(TAG_CLIENT + MAX_CLIENTS)

static struct client clients[MAX_CLIENTS];
/* The kernel hands a pidfd of each message's sender (6.5+): no need of the client's. */
static bool kernel_pidfds;
static const char *sock_path = RESMOND_SOCKET;
static long linger = 10;	/* s with no record before the hooks are detached */

static struct ring_buffer *kills;

static int on_kill(void *ctx, void *data, size_t len)
{
	const struct resmon_kill_event *e = data;
	bool heap = e->resource == RESMON_HEAP;

	(void)ctx;
	if (len < sizeof(*e))
		return 0;
	log_kill(e->tgid, e->comm, (int)e->resource, e->total, e->quota);
	endings_note(e->tgid, e->start_time, e->resource, e->total,
		     heap ? resmon_mib_to_bytes(e->quota) : (uint64_t)e->quota, e->comm);
	return 0;
}

/*
 * Every message comes with its sender's credentials (SO_PASSCRED) and,
 * where the kernel has it, a pidfd of the sender (SO_PASSPIDFD). Accepted
 * sockets inherit both; before accept() the kernel already attaches them.
 * Only a kernel without SO_PASSPIDFD (ENOPROTOOPT: 6.1) falls back to the
 * pidfd libresmon attaches; any other failure stops resmond.
 */
static int pass_creds(int fd)
{
	int one = 1;

	if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_PASSPIDFD, &one, sizeof(one)) == 0) {
		kernel_pidfds = true;
		return 0;
	}
	return errno == ENOPROTOOPT ? 0 : -1;
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
	/*
	 * The socket has a directory of its own, the one systemd makes writable
	 * (RuntimeDirectory=resmond) under ProtectSystem=strict; make it when
	 * resmond is started by hand. Only the default path's directory: a test's
	 * RESMOND_SOCKET names a directory that exists.
	 */
	if (!strcmp(sock_path, RESMOND_SOCKET) && mkdir(RESMOND_SOCKET_DIR, 0755) < 0 &&
	    errno != EEXIST) {
		say("cannot make %s: %s", RESMOND_SOCKET_DIR, strerror(errno));
		return -1;
	}
	unlink(sock_path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(sock_path, 0666) < 0 || pass_creds(fd) < 0 || listen(fd, 64) < 0) {
		say("cannot listen on %s: %s", sock_path, strerror(errno));
		return -1;
	}
	return fd;
}

static void end_wait(int ep, struct client *c)
{
	if (c->wait.pidfd < 0)
		return;
	epoll_ctl(ep, EPOLL_CTL_DEL, c->wait.pidfd, NULL);
	close(c->wait.pidfd);
	c->wait.pidfd = -1;
}

/* A waiter that closes its connection is dropped with its WAIT, a handle holder with its handle. */
static void drop(int ep, struct client *c)
{
	end_wait(ep, c);
	jobs_handle_closed(c->fd);
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
}

/* A free slot for a connection of @uid, or -1 (its share or the shared slots are used). */
static int free_slot(uid_t uid)
{
	int i, free = -1, mine = 0, others = 0;

	for (i = 0; i < MAX_CLIENTS; i++) {
		if (clients[i].fd < 0) {
			if (free < 0)
				free = i;
		} else if (clients[i].uid == uid) {
			/* Handles have their own share (jobs.c): asking must stay possible. */
			mine += !jobs_is_handle(clients[i].fd);
		} else if (clients[i].uid != 0) {
			others++;
		}
	}
	if (uid != 0 && (mine >= PER_UID_CLIENTS ||
			 mine + others >= MAX_CLIENTS - ROOT_CLIENTS))
		return -1;
	return free;
}

static void accept_clients(int ep, int lfd)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct ucred uc;
	socklen_t len;
	int fd, i;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		len = sizeof(uc);
		i = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == 0 ? free_slot(uc.uid) : -1;
		if (i < 0 || pass_creds(fd) < 0) {
			close(fd);	/* the client sees EOF (EIO) and may retry */
			continue;
		}
		ev.data.u64 = (uint64_t)i + TAG_CLIENT;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
			close(fd);
			continue;
		}
		clients[i].fd = fd;
		clients[i].uid = uc.uid;
		clients[i].since = clients[i].last = time(NULL);
	}
}

/* The most fds a request passes after the sender's pidfd (a job create: pidfd, handle). */
#define MAX_PASSED	2

/*
 * The credentials and pidfd that came with one message, and the fds a job
 * request passes (@passed: SCM_RIGHTS after the first, which is always
 * libresmon's pidfd of the sender, up to MAX_PASSED, in order; their count
 * in *@npassed). Every other fd received is closed. Returns the sender's
 * pidfd (-1 if none fits).
 */
static void close_passed(int *passed, int *npassed)
{
	while (*npassed > 0)
		close(passed[--*npassed]);
}

static int take_cmsgs(struct msghdr *m, struct ucred *uc, int *passed, int *npassed)
{
	struct cmsghdr *h;
	int pidfd = -1, fd;
	size_t i, nfd;

	uc->pid = 0;
	*npassed = 0;
	for (h = CMSG_FIRSTHDR(m); h; h = CMSG_NXTHDR(m, h)) {
		if (h->cmsg_level != SOL_SOCKET)
			continue;
		if (h->cmsg_type == SCM_CREDENTIALS && h->cmsg_len == CMSG_LEN(sizeof(*uc))) {
			memcpy(uc, CMSG_DATA(h), sizeof(*uc));
			continue;
		}
		if (h->cmsg_type != SCM_RIGHTS && h->cmsg_type != SCM_PIDFD)
			continue;
		nfd = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < nfd; i++) {
			memcpy(&fd, CMSG_DATA(h) + i * sizeof(int), sizeof(int));
			/* The kernel's own pidfd where it gives one, else the client's first fd. */
			if (pidfd < 0 && (h->cmsg_type == SCM_PIDFD) == kernel_pidfds)
				pidfd = fd;
			else if (h->cmsg_type == SCM_RIGHTS && i > 0 && *npassed < MAX_PASSED)
				passed[(*npassed)++] = fd;
			else
				close(fd);
		}
	}
	if (m->msg_flags & MSG_CTRUNC) {
		if (pidfd >= 0)
			close(pidfd);
		close_passed(passed, npassed);
		return -1;	/* something was cut: judge no one */
	}
	return pidfd;
}

/* Hold a WAIT that passed its checks: its pidfd polls readable once the process ended. */
static void hold_wait(int ep, struct client *c, const struct waiting *w)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = TAG_WAIT + (c - clients) };

	end_wait(ep, c);	/* one WAIT per connection: a new one replaces the old */
	if (epoll_ctl(ep, EPOLL_CTL_ADD, w->pidfd, &ev) < 0) {
		close(w->pidfd);
		drop(ep, c);
		return;
	}
	c->wait = *w;
}

/*
 * The process a client waits for has ended: the kill ring buffer holds any
 * kill of it by now (sent before it could end), so drain it, then answer.
 */
static void wait_ended(int ep, struct client *c)
{
	struct waiting w = c->wait;

	ring_buffer__consume(kills);
	if (answer_wait(c->fd, &w) < 0) {
		drop(ep, c);
		return;
	}
	end_wait(ep, c);
	c->since = c->last = time(NULL);
}

/*
 * Returns 1 if resmond must stop. The request is judged by its sender at
 * sendmsg(), not by whoever connected: a process that connected as root
 * and then dropped privileges asks as what it is now.
 */
static int client_ready(int ep, struct client *c)
{
	char buf[sizeof(struct resmond_job_request) + 1];
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(struct ucred)) + 2 * CMSG_SPACE(4 * sizeof(int))];
	} ctl;
	int passed[MAX_PASSED], npassed = 0;
	const struct resmond_job_request *jq = (const void *)buf;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.b, .msg_controllen = sizeof(ctl.b),
	};
	struct waiting w;
	struct ucred uc;
	struct ids ids;
	ssize_t n;
	int rc, pidfd;
	bool known;

	/* MSG_TRUNC: the real length of an oversized message, so it is refused, not cut. */
	n = recvmsg(c->fd, &m, MSG_DONTWAIT | MSG_TRUNC | MSG_CMSG_CLOEXEC);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	pidfd = n >= 0 ? take_cmsgs(&m, &uc, passed, &npassed) : -1;
	if (n <= 0) {
		if (pidfd >= 0)
			close(pidfd);
		close_passed(passed, &npassed);
		drop(ep, c);
		return 0;
	}
	known = msg_ids(&uc, pidfd, &ids) == 0;
	if (pidfd >= 0)
		close(pidfd);
	/* The job layer's requests have their own size and ops (resmond_wire.h). */
	if (n == (ssize_t)sizeof(*jq) && jq->op >= RESMOND_JOB_CREATE &&
	    jq->op <= RESMOND_JOB_OP_MAX) {
		/* Every note the hooks made before this request is in the queues first. */
		ring_buffer__consume(kills);
		rc = jobs_serve(c->fd, c->uid, known ? &ids : NULL, jq, passed, npassed);
		close_passed(passed, &npassed);
		c->last = time(NULL);
		if (rc < 0)
			drop(ep, c);
		return 0;
	}
	close_passed(passed, &npassed);
	rc = serve_request(c->fd, known ? &ids : NULL, buf,
			   n > (ssize_t)sizeof(struct resmond_request) ?
			   (ssize_t)sizeof(struct resmond_request) + 1 : n, &w);
	c->last = time(NULL);
	if (rc < 0)
		drop(ep, c);
	if (rc == SERVE_HOLD)
		hold_wait(ep, c, &w);
	return rc == SERVE_STOP;
}

/* Whether @idle has held for --linger seconds since *@since (0: it did not hold). */
static bool lingered(time_t *since, bool idle, time_t now)
{
	if (!idle) {
		*since = 0;
		return false;
	}
	if (!*since)
		*since = now;
	if (now - *since < linger)
		return false;
	*since = 0;
	return true;
}

static char **own_argv;

/*
 * This resmond picked up another build's programs (an upgrade restarted
 * it): they went on enforcing the records they held. Once nothing is
 * monitored, replace them with this build's, so the new programs run and
 * no enforcement lapsed: unpin everything and start again, as this same
 * process (same pid, for the service manager).
 */
static void replace_stale_build(void)
{
	say("nothing is monitored: replacing the previous build's programs with this build's");
	bpfstate_unpin_all();
	close_range(3, ~0U, 0);
	execv("/proc/self/exe", own_argv);
	say("cannot start again (%s): exiting", strerror(errno));
	exit(1);
}

static void tick(int ep)
{
	static time_t no_record_since, no_job_since;
	time_t now = time(NULL);
	int i;

	for (i = 0; i < MAX_CLIENTS; i++)
		if (clients[i].fd >= 0 && clients[i].wait.pidfd < 0 && !jobs_is_handle(clients[i].fd) &&
		    (now - clients[i].last > CLIENT_TIMEOUT ||
		     now - clients[i].since > CLIENT_LIFETIME))
			drop(ep, &clients[i]);
	watch_tick();
	/*
	 * The static key's analog: no record for a while, no hooks, no cost; no
	 * job for a while, none of the hooks only jobs need (a process in no job
	 * pays for them while they are attached).
	 */
	if (lingered(&no_record_since, bpfstate_attached(false) && bpfstate_empty(), now))
		bpfstate_detach();
	if (lingered(&no_job_since, bpfstate_attached(true) && bpfstate_no_jobs(), now))
		bpfstate_detach_jobs();
	if (bpfstate_stale() && bpfstate_empty() && bpfstate_no_jobs())
		replace_stale_build();
}

static int add_fd(int ep, int fd, uint64_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = tag };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int serve(void)
{
	struct itimerspec its = { .it_interval = { 1, 0 }, .it_value = { 1, 0 } };
	struct epoll_event evs[32];
	sigset_t sigs;
	int ep, lfd, tfd, sfd, n, i, stop = 0, asked = 0;

	for (i = 0; i < MAX_CLIENTS; i++)
		clients[i].fd = clients[i].wait.pidfd = -1;
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
	jobs_start();
	kills = ring_buffer__new(bpfstate_kills_fd(), on_kill, NULL, NULL);
	if (!kills || ring_buffer__add(kills, bpfstate_job_events_fd(), jobs_note, NULL) < 0) {
		say("cannot open the kill ring buffers: %s", strerror(errno));
		return 1;
	}
	/* Kills made while no resmond ran: their lines come now, late but not lost. */
	ring_buffer__consume(kills);
	lfd = listen_socket();
	if (lfd < 0)
		return 1;
	ep = epoll_create1(EPOLL_CLOEXEC);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (ep < 0 || tfd < 0 || sfd < 0 || timerfd_settime(tfd, 0, &its, NULL) < 0 ||
	    add_fd(ep, lfd, TAG_LISTEN) || add_fd(ep, ring_buffer__epoll_fd(kills), TAG_KILLS) ||
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
				ring_buffer__consume(kills);
			} else if (tag == TAG_TIMER) {
				if (read(tfd, &ticks, sizeof(ticks)) > 0)
					tick(ep);
			} else if (tag == TAG_SIGNAL) {
				if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
					say("signal %u: stopping", si.ssi_signo);
					stop = 1;
				}
			} else if (tag >= TAG_CLIENT && tag < TAG_WAIT &&
				   clients[tag - TAG_CLIENT].fd >= 0) {
				stop = asked = client_ready(ep, &clients[tag - TAG_CLIENT]);
				if (stop)
					say("stop requested");
			} else if (tag >= TAG_WAIT && tag < TAG_WAIT + MAX_CLIENTS &&
				   clients[tag - TAG_WAIT].wait.pidfd >= 0) {
				wait_ended(ep, &clients[tag - TAG_WAIT]);
			}
		}
	}
	ring_buffer__consume(kills);
	ring_buffer__free(kills);
	if (!asked) {
		/*
		 * systemctl stop/restart, an upgrade: the records, the hooks and their
		 * kills live in the pins, and the next resmond picks them up. Only
		 * resmond --stop ends monitoring.
		 */
		unlink(sock_path);
		say("stopped: the programs stay pinned and enforcing (resmond --stop ends monitoring)");
		return 0;
	}
	/* Unpin before the socket goes: resmond --stop waits for the socket to vanish. */
	bpfstate_unpin_all();
	say("stopped: hooks detached, pins removed");
	unlink(sock_path);
	return 0;
}

/* resmond --stop: ask the running daemon, or clean up after a killed one. */
static int stop_daemon(void)
{
	int rc = ask_resmond_to_stop(sock_path);

	if (rc < 0) {
		say("stop refused: %s", strerror(errno));
		return 1;
	}
	if (rc == 0)
		return 0;
	say("no resmond running: removing what a previous one left");
	unlink(sock_path);
	/* Every pin, by name: nothing needs loading, whatever version pinned them. */
	bpfstate_unpin_all();
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

	own_argv = argv;
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
