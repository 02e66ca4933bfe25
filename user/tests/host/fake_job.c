// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fake_job.so: a resmon kernel's job layer as far as "resmon run", "limit"
 * and "status" can see it, for the host tests (LD_PRELOAD), which have no
 * resmon kernel. It answers only what the kernel edition's table asks
 * (access("/proc/resmon"), register(0), syscall 457, the handle's two
 * ioctls) and passes every other call to libc, so the command's own code
 * runs as on a kernel: fork, pidfd, poll, signalfd, wait4, the report.
 *
 * The handle is a pipe's read end: read() and poll() are the kernel's
 * real ones. A thread plays the job: it writes the events of
 * $FAKE_JOB_EVENTS ("soft|kill,heap|opens|data,VALUE,LIMIT[;...]"; a kill
 * also SIGKILLs the root, which is still waiting to exec), then waits on
 * the root's pidfd and writes EMPTY when it has exited ($FAKE_JOB_LINGER:
 * never, and USAGE counts one member on: a member outlives the root). $FAKE_JOB_USAGE
 * ("HEAP,OPENS,DATA_PEAK,MEMBERS_EVER") is what USAGE reports;
 * $FAKE_JOB_ERRNO makes syscall 457 fail ($FAKE_JOB_NO_TREE: EINVAL for
 * tree jobs only); $FAKE_JOB_LOG gets one line per call 457 (refused ones
 * too) and SET_LIMITS: "create flags=F mask=M hard=H,O,D
 * soft=H,O,D signal=S" (unlimited as -1) and "set ...".
 */
#include "resmon.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static struct {
	int handle, writer, pidfd;
	pid_t pid;
	unsigned int flags;
	struct resmon_job_limits limits;
} job = { .handle = -1, .writer = -1, .pidfd = -1 };

static long (*real_syscall)(long, ...);
static int (*real_ioctl)(int, unsigned long, ...);
static int (*real_access)(const char *, int);

static void __attribute__((constructor)) init(void)
{
	real_syscall = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	real_ioctl = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	real_access = (int (*)(const char *, int))dlsym(RTLD_NEXT, "access");
}

int access(const char *path, int mode)
{
	if (!strcmp(path, "/proc/resmon"))
		return 0;	/* the kernel edition's table */
	return real_access(path, mode);
}

static long long shown(unsigned long long v)
{
	return v == RESMON_UNLIMITED ? -1 : (long long)v;
}

static void log_limits(const char *what, const struct resmon_job_limits *l)
{
	const char *path = getenv("FAKE_JOB_LOG");
	FILE *f = path ? fopen(path, "a") : NULL;

	if (!f)
		return;
	fprintf(f, "%s flags=%u mask=%#x hard=%lld,%lld,%lld soft=%lld,%lld,%lld signal=%u\n",
		what, job.flags, l->mask, shown(l->hard[0]), shown(l->hard[1]), shown(l->hard[2]),
		shown(l->soft[0]), shown(l->soft[1]), shown(l->soft[2]), l->soft_signal);
	fclose(f);
}

/* Given fields into the job's limits, as the kernel does (the mask says which). */
static void apply(const struct resmon_job_limits *l)
{
	int r;

	for (r = 0; r < RESMON_NR_RESOURCES; r++) {
		if (l->mask & RESMON_LIMIT_HARD(r))
			job.limits.hard[r] = l->hard[r];
		if (l->mask & RESMON_LIMIT_SOFT(r))
			job.limits.soft[r] = l->soft[r];
	}
	if (l->mask & RESMON_LIMIT_SOFT_SIGNAL)
		job.limits.soft_signal = l->soft_signal;
}

static int resource_of(const char *s)
{
	return !strcmp(s, "heap") ? RESMON_HEAP : !strcmp(s, "opens") ? RESMON_OPENS : RESMON_DATA;
}

static void put(const struct resmon_job_event *ev)
{
	if (write(job.writer, ev, sizeof(*ev)) != (ssize_t)sizeof(*ev))
		abort();
}

static void *play(void *unused)
{
	char *spec = getenv("FAKE_JOB_EVENTS") ? strdup(getenv("FAKE_JOB_EVENTS")) : NULL;
	char *save = NULL, *one, type[8], res[8];
	struct resmon_job_event ev;
	struct pollfd p = { .fd = job.pidfd, .events = POLLIN };

	(void)unused;
	for (one = spec ? strtok_r(spec, ";", &save) : NULL; one; one = strtok_r(NULL, ";", &save)) {
		memset(&ev, 0, sizeof(ev));
		if (sscanf(one, "%7[a-z],%7[a-z],%llu,%llu", type, res,
			   (unsigned long long *)&ev.value, (unsigned long long *)&ev.limit) != 4)
			abort();
		ev.resource = (unsigned int)resource_of(res);
		ev.pid = job.pid;
		if (!strcmp(type, "kill")) {
			ev.type = RESMON_EVENT_KILL;
			ev.signal = SIGKILL;
			strcpy(ev.comm, "fakecomm");
			real_syscall(SYS_pidfd_send_signal, job.pidfd, SIGKILL, NULL, 0);
		} else {
			ev.type = RESMON_EVENT_SOFT;
			ev.signal = (int)job.limits.soft_signal;
		}
		put(&ev);
	}
	free(spec);
	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
	/* $FAKE_JOB_LINGER: a member outlives the root (a daemon it left): no EMPTY, ever. */
	if (getenv("FAKE_JOB_LINGER"))
		return NULL;
	memset(&ev, 0, sizeof(ev));
	ev.type = RESMON_EVENT_EMPTY;
	put(&ev);
	close(job.writer);
	return NULL;
}

/* The pid a pidfd names, from its fdinfo ("Pid:\tN"). */
static pid_t pid_of(int pidfd)
{
	char path[64], line[128];
	FILE *f;
	int pid = -1;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Pid: %d", &pid) == 1)
			break;
	if (f)
		fclose(f);
	return pid;
}

static long create(int pidfd, const struct resmon_job_limits *l, size_t size, unsigned int flags)
{
	const char *fail = getenv("FAKE_JOB_ERRNO");
	pthread_t t;
	int p[2], r;

	if (flags & RESMON_JOB_OPEN) {
		errno = EINVAL;		/* nobody is in a job of this fake but the run's child */
		return -1;
	}
	job.flags = flags;
	job.limits.soft_signal = SIGTERM;
	for (r = 0; r < RESMON_NR_RESOURCES; r++)
		job.limits.hard[r] = job.limits.soft[r] = RESMON_UNLIMITED;
	/* Logged before any refusal, so that a test sees every attempt (no retry behind it). */
	log_limits("create", l ? l : &job.limits);
	if (fail) {
		errno = atoi(fail);
		return -1;
	}
	/* $FAKE_JOB_NO_TREE: a resmon that refuses tree jobs (EINVAL for the flag). */
	if (getenv("FAKE_JOB_NO_TREE") && (flags & RESMON_JOB_TREE)) {
		errno = EINVAL;
		return -1;
	}
	if (l && size)
		apply(l);
	job.limits.mask = RESMON_LIMIT_SOFT_SIGNAL | 0x707;
	job.pidfd = (int)real_syscall(SYS_dup, pidfd);
	job.pid = pid_of(pidfd);
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	job.handle = p[0];
	job.writer = p[1];
	pthread_create(&t, NULL, play, NULL);
	pthread_detach(t);
	return job.handle;
}

long syscall(long nr, ...)
{
	long a[6];
	va_list ap;
	int i;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == RESMON_NR_REGISTER && a[0] == 0) {
		errno = EINVAL;		/* resmon_available(): resmon answers */
		return -1;
	}
	if (nr == 457)
		return create((int)a[0], (const struct resmon_job_limits *)a[1], (size_t)a[2],
			      (unsigned int)a[3]);
	return real_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

int ioctl(int fd, unsigned long req, ...)
{
	const char *u = getenv("FAKE_JOB_USAGE");
	struct pollfd p = { .fd = job.pidfd, .events = POLLIN };
	struct resmon_job_usage *usage;
	unsigned long long heap = 0, opens = 0, peak = 0, ever = 1;
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd != job.handle || job.handle < 0)
		return real_ioctl(fd, req, arg);
	if (req == RESMON_IOC_SET_LIMITS) {
		log_limits("set", arg);
		apply(arg);
		return 0;
	}
	if (req != RESMON_IOC_USAGE) {
		errno = ENOTTY;
		return -1;
	}
	if (u && sscanf(u, "%llu,%llu,%llu,%llu", &heap, &opens, &peak, &ever) != 4)
		abort();
	usage = arg;
	memset(usage, 0, sizeof(*usage));
	usage->flags = job.flags;
	usage->members_now = poll(&p, 1, 0) == 1 && !getenv("FAKE_JOB_LINGER") ? 0 : 1;
	usage->members_ever = ever;
	usage->usage[RESMON_HEAP] = heap;
	usage->usage[RESMON_OPENS] = opens;
	usage->data_peak = peak;
	usage->limits = job.limits;
	return 0;
}
