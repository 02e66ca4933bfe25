// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmond_job_test: SPEC's "Jobs" on the eBPF edition, through libresmon's
 * job calls, as root with resmond up (scripts/ebpf-tests.sh). A worker
 * child does one memory or file call per command (worker()), so the test
 * compares the job's usage with the worker's /proc/PID/status after each.
 *  1. data equals VmData after brk, mmap, munmap, mprotect, mremap, a brk
 *     shrink and execve; heap and opens totals; the seed's fetch of a member
 *     gives the job's totals; register of a member is "already monitored";
 *     a second job on it is EBUSY.
 *  2. a data hard limit kills at the crossing mmap, before MAP_POPULATE
 *     faults it in (ru_maxrss), with a KILL event naming data, then EMPTY
 *     and the end of events (read_event 0).
 *  3. a flat mmap/munmap loop runs to its end under a data limit.
 *  4. data soft limit: the signal and the event once per crossing, again
 *     after going back under; an opens soft limit fires once only.
 *  5. lift rule, as uid 65534 holding the handle: lowering works, raising
 *     and removing are EPERM.
 *  6. a limit set below the usage crosses at once (KILL).
 *  7. unprivileged from the start: uid 65534 makes a job on its child,
 *     which is killed at a heap limit; after the reap the holder reads the
 *     usage and the KILL event.
 *  8. the event queue keeps 64 soft events and counts the dropped ones.
 *  9. closing the handle lifts nothing: the member is killed at its limit.
 * 10. a resmond restart (SIGTERM, a new resmond) keeps the limits, the old
 *     handle ends, RESMON_JOB_OPEN gives a new one that reads the usage
 *     counted meanwhile and the soft event made meanwhile.
 * Also: a data kill at brk, mprotect and mremap growth; poll() on the
 * handle; the seed's fetch, list, cap, reset and deregister of a member; a
 * handle opened on a process registered by the seed's call; EBADF for a
 * bad pidfd; a user's 16 handles beside its connections.
 * TAP output; exit status 1 on failure.
 */
#include "resmon.h"
#include "resmon/resmond_client.h"
#include "proc_status.h"
#include "tap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MIB	(1ULL << 20)
#define NOBODY	65534

enum { W_MMAP = 1, W_MUNMAP, W_MPROTECT_RO, W_MREMAP, W_BRK, W_OPENS, W_EXEC, W_SIGS,
       W_FLAT, W_EXIT, W_MMAP_POPULATE, W_MMAP_RO, W_MPROTECT_RW };

struct cmd {
	int op;
	unsigned long a, b, c;
};

struct worker {
	pid_t pid;
	int to, from;		/* command pipe, answer pipe */
};

static volatile sig_atomic_t sigs;

static void on_sig(int sig)
{
	(void)sig;
	sigs++;
}

/* The worker's loop: one call per command, its result back; no stdio, no malloc. */
static void worker_loop(int in, int out)
{
	struct cmd c;
	long r;
	char fd_in[16], fd_out[16];
	unsigned long i;

	signal(SIGUSR1, on_sig);
	r = 0;
	if (write(out, &r, sizeof(r)) != sizeof(r))
		_exit(2);
	while (read(in, &c, sizeof(c)) == sizeof(c)) {
		switch (c.op) {
		case W_MMAP:
		case W_MMAP_POPULATE:
			r = (long)mmap(NULL, c.a, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
				       (c.op == W_MMAP_POPULATE ? MAP_POPULATE : 0), -1, 0);
			break;
		case W_MMAP_RO:
			r = (long)mmap(NULL, c.a, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			break;
		case W_MPROTECT_RW:
			r = mprotect((void *)c.a, c.b, PROT_READ | PROT_WRITE);
			break;
		case W_MUNMAP:
			r = munmap((void *)c.a, c.b);
			break;
		case W_MPROTECT_RO:
			r = mprotect((void *)c.a, c.b, PROT_READ);
			break;
		case W_MREMAP:
			r = (long)mremap((void *)c.a, c.b, c.c, MREMAP_MAYMOVE);
			break;
		case W_BRK:
			r = (long)syscall(SYS_brk, c.a ? c.a : 0);
			break;
		case W_OPENS:
			for (i = 0, r = 0; i < c.a; i++) {
				int fd = open("/dev/null", O_RDONLY);

				if (fd >= 0) {
					close(fd);
					r++;
				}
			}
			break;
		case W_EXEC:
			snprintf(fd_in, sizeof(fd_in), "%d", in);
			snprintf(fd_out, sizeof(fd_out), "%d", out);
			execl("/proc/self/exe", "resmond_job_test", "--worker", fd_in, fd_out, NULL);
			_exit(3);
		case W_SIGS:
			r = sigs;
			break;
		case W_FLAT:
			for (i = 0; i < c.a; i++) {
				void *p = mmap(NULL, c.b, PROT_READ | PROT_WRITE,
					       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

				if (p == MAP_FAILED)
					_exit(4);
				((char *)p)[0] = 1;
				munmap(p, c.b);
			}
			r = (long)i;
			break;
		case W_EXIT:
			_exit(0);
		}
		if (write(out, &r, sizeof(r)) != sizeof(r))
			_exit(2);
	}
	_exit(0);
}

static int start_worker(struct worker *w)
{
	int a[2], b[2];
	long ready;

	if (pipe(a) || pipe(b))
		return -1;
	w->pid = fork();
	if (w->pid == 0) {
		close(a[1]);
		close(b[0]);
		worker_loop(a[0], b[1]);
	}
	close(a[0]);
	close(b[1]);
	w->to = a[1];
	w->from = b[0];
	return read(w->from, &ready, sizeof(ready)) == sizeof(ready) ? 0 : -1;
}

/* One command; its result, or -1 with *@gone set when the worker died on it. */
static long ask(struct worker *w, int op, unsigned long a, unsigned long b, unsigned long c,
		int *gone)
{
	struct cmd m = { op, a, b, c };
	long r;

	*gone = 0;
	if (write(w->to, &m, sizeof(m)) != sizeof(m) || read(w->from, &r, sizeof(r)) != sizeof(r)) {
		*gone = 1;
		return -1;
	}
	return r;
}

static long run(struct worker *w, int op, unsigned long a, unsigned long b, unsigned long c)
{
	int gone;

	return ask(w, op, a, b, c, &gone);
}

static int end_worker(struct worker *w)
{
	int status = -1;

	close(w->to);
	close(w->from);
	waitpid(w->pid, &status, 0);
	return status;
}

static struct resmon_job_limits no_limits(void)
{
	struct resmon_job_limits l;

	memset(&l, 0, sizeof(l));
	return l;
}

static void set_hard(struct resmon_job_limits *l, int res, uint64_t v)
{
	l->mask |= RESMON_LIMIT_HARD(res);
	l->hard[res] = v;
}

static void set_soft(struct resmon_job_limits *l, int res, uint64_t v)
{
	l->mask |= RESMON_LIMIT_SOFT(res);
	l->soft[res] = v;
}

static int job_on(pid_t pid, const struct resmon_job_limits *l, unsigned int flags)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), h;

	if (pidfd < 0)
		return -1;
	h = resmon_job_create(pidfd, l, sizeof(*l), flags);
	close(pidfd);
	return h;
}

static int usage(int h, struct resmon_job_usage *u)
{
	return resmon_job_usage(h, u, sizeof(*u));
}

/* The next event without blocking: 1, 0 (no more), -1 (EAGAIN: none now). */
static int next_event(int h, struct resmon_job_event *e)
{
	int fl = fcntl(h, F_GETFL), n;

	fcntl(h, F_SETFL, fl | O_NONBLOCK);
	n = resmon_job_read_event(h, e, sizeof(*e));
	fcntl(h, F_SETFL, fl);
	return n;
}

static int data_matches(int h, pid_t pid, const char *what)
{
	struct resmon_job_usage u;
	uint64_t vm = vmdata(pid);
	int ok = usage(h, &u) == 0 && u.usage[RESMON_DATA] == vm;

	if (!ok)
		printf("# %s: job data %llu, VmData %llu\n", what,
		       (unsigned long long)u.usage[RESMON_DATA], (unsigned long long)vm);
	result(ok, what);
	return ok;
}

static void test_measure(void)
{
	struct resmon_job_limits l = no_limits();
	struct resmon_job_usage u;
	struct resmon_record rec;
	struct worker w;
	long base, p, q;
	int h, h2, pidfd;

	if (start_worker(&w)) {
		result(0, "worker started");
		return;
	}
	h = job_on(w.pid, &l, 0);
	result(h >= 0, "job created on a running process");
	if (h < 0) {
		printf("# errno %d\n", errno);
		end_worker(&w);
		return;
	}
	data_matches(h, w.pid, "data = VmData at creation");
	base = run(&w, W_BRK, 0, 0, 0);
	run(&w, W_BRK, (unsigned long)base + MIB, 0, 0);
	data_matches(h, w.pid, "data = VmData after brk grows 1 MiB");
	p = run(&w, W_MMAP, 4 * MIB, 0, 0);
	data_matches(h, w.pid, "data = VmData after a 4 MiB private mmap");
	run(&w, W_MUNMAP, (unsigned long)p, 2 * MIB, 0);
	data_matches(h, w.pid, "data = VmData after munmap of 2 MiB");
	run(&w, W_MPROTECT_RO, (unsigned long)p + 2 * MIB, MIB, 0);
	data_matches(h, w.pid, "data = VmData after mprotect to read-only");
	q = run(&w, W_MMAP, MIB, 0, 0);
	q = run(&w, W_MREMAP, (unsigned long)q, MIB, 3 * MIB);
	data_matches(h, w.pid, "data = VmData after mremap grows 1 -> 3 MiB");
	run(&w, W_MREMAP, (unsigned long)q, 3 * MIB, MIB);
	data_matches(h, w.pid, "data = VmData after mremap shrinks 3 -> 1 MiB");
	run(&w, W_BRK, (unsigned long)base, 0, 0);
	data_matches(h, w.pid, "data = VmData after brk shrinks back");
	run(&w, W_OPENS, 7, 0, 0);
	usage(h, &u);
	result(u.usage[RESMON_OPENS] == 7, "opens total counts 7 opens");
	result(u.usage[RESMON_HEAP] == MIB + 4 * MIB + MIB,
	       "heap total: brk growth and private anonymous mmaps, mremap growth not counted");
	/* 3 MiB above now at the mremap; a move maps the new 3 MiB before it unmaps the old. */
	printf("# data now %llu, peak %llu\n", (unsigned long long)u.usage[RESMON_DATA],
	       (unsigned long long)u.data_peak);
	result(u.data_peak >= u.usage[RESMON_DATA] + 3 * MIB &&
	       u.data_peak <= u.usage[RESMON_DATA] + 4 * MIB, "data peak: the highest data value");
	result(resmon_get_record(w.pid, &rec) == 0 && rec.opens == 7,
	       "the seed's fetch of a member gives the job's opens total");
	errno = 0;
	result(resmond_call(RESMOND_REGISTER, w.pid, 0, 0, NULL) < 0 && errno == ENFILE,
	       "register of a member: already monitored (ENFILE)");
	h2 = job_on(w.pid, &l, 0);
	result(h2 < 0 && errno == EBUSY, "a second job on a member is EBUSY");
	pidfd = (int)syscall(SYS_pidfd_open, w.pid, 0);
	h2 = resmon_job_open(pidfd);
	result(h2 >= 0 && usage(h2, &u) == 0 && u.usage[RESMON_OPENS] == 7,
	       "RESMON_JOB_OPEN gives a second handle on the same job");
	close(pidfd);
	if (h2 >= 0)
		close(h2);
	run(&w, W_EXEC, 0, 0, 0);	/* answers once the new image runs its loop */
	data_matches(h, w.pid, "data = VmData after execve");
	usage(h, &u);
	result(u.members_now == 1 && u.members_ever == 1, "one member now and ever");
	result(WIFEXITED(end_worker(&w)), "the worker exits normally");
	close(h);
}

static void test_hard_data(void)
{
	struct resmon_job_limits l = no_limits();
	struct resmon_job_event e;
	struct resmon_job_usage u;
	struct rusage ru;
	struct worker w;
	int h, gone, status, n;
	long r;

	start_worker(&w);
	set_hard(&l, RESMON_DATA, vmdata(w.pid) + 16 * MIB);
	h = job_on(w.pid, &l, 0);
	r = ask(&w, W_MMAP, 8 * MIB, 0, 0, &gone);
	result(r > 0 && !gone, "an mmap under the data limit succeeds");
	r = ask(&w, W_MMAP_POPULATE, 256 * MIB, 0, 0, &gone);
	close(w.to);
	close(w.from);
	wait4(w.pid, &status, 0, &ru);
	printf("# status 0x%x, max RSS %ld KiB\n", status, ru.ru_maxrss);
	result(gone && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	       "the mmap that crosses the data limit is killed (SIGKILL)");
	result(ru.ru_maxrss < 64L << 10, "killed before MAP_POPULATE faulted the mapping in");
	n = resmon_job_read_event(h, &e, sizeof(e));
	result(n == 1 && e.type == RESMON_EVENT_KILL && e.resource == RESMON_DATA &&
	       e.value > e.limit && e.limit == l.hard[RESMON_DATA] && e.pid == w.pid &&
	       e.signal == SIGKILL && !strcmp(e.comm, "resmond_job_tes"),
	       "KILL event: data, value over the limit, the offender's pid and comm");
	n = resmon_job_read_event(h, &e, sizeof(e));
	result(n == 1 && e.type == RESMON_EVENT_EMPTY, "then EMPTY");
	result(resmon_job_read_event(h, &e, sizeof(e)) == 0, "then the end of events (0)");
	result(usage(h, &u) == 0 && u.members_now == 0 && u.usage[RESMON_DATA] == 0 &&
	       u.data_peak > l.hard[RESMON_DATA], "usage after the reap: no member, data 0, peak over");
	close(h);
}

/*
 * Every call that grows VmData is judged: a growth over the data limit by
 * brk, by mprotect making a mapping writable, and by mremap is killed in
 * that call (it never answers), one under it is not.
 */
static void test_hard_each_call(void)
{
	static const char *const what[] = {
		"brk growing data over the limit is killed in the call",
		"mprotect making 8 MiB writable over the limit is killed in the call",
		"mremap growing 1 -> 9 MiB over the limit is killed in the call",
	};
	struct resmon_job_limits l;
	struct worker w;
	int i, h, gone, status;
	long p;

	for (i = 0; i < 3; i++) {
		l = no_limits();
		start_worker(&w);
		p = i == 0 ? run(&w, W_BRK, 0, 0, 0) :
		    run(&w, i == 1 ? W_MMAP_RO : W_MMAP, i == 1 ? 8 * MIB : MIB, 0, 0);
		set_hard(&l, RESMON_DATA, vmdata(w.pid) + 4 * MIB);
		h = job_on(w.pid, &l, 0);
		if (i == 0)
			ask(&w, W_BRK, (unsigned long)p + 8 * MIB, 0, 0, &gone);
		else if (i == 1)
			ask(&w, W_MPROTECT_RW, (unsigned long)p, 8 * MIB, 0, &gone);
		else
			ask(&w, W_MREMAP, (unsigned long)p, MIB, 9 * MIB, &gone);
		status = end_worker(&w);
		result(h >= 0 && gone && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, what[i]);
		close(h);
	}
}

/* poll() on the handle: readable exactly when an event is queued. */
static void test_poll(void)
{
	struct resmon_job_limits l = no_limits();
	struct resmon_job_event e;
	struct pollfd pf;
	struct worker w;
	int h;

	start_worker(&w);
	set_soft(&l, RESMON_OPENS, 2);
	l.mask |= RESMON_LIMIT_SOFT_SIGNAL;
	l.soft_signal = 0;
	h = job_on(w.pid, &l, 0);
	pf.fd = h;
	pf.events = POLLIN;
	result(poll(&pf, 1, 100) == 0, "poll: not readable with no event");
	run(&w, W_OPENS, 3, 0, 0);
	result(poll(&pf, 1, 5000) == 1 && (pf.revents & POLLIN), "poll: readable once one is queued");
	result(next_event(h, &e) == 1 && e.type == RESMON_EVENT_SOFT && e.value == 3 &&
	       e.limit == 2 && e.pid == w.pid && e.signal == 0, "SOFT event: opens 3 over 2, pid");
	result(next_event(h, &e) == -1 && errno == EAGAIN, "then none: EAGAIN (O_NONBLOCK)");
	result(poll(&pf, 1, 100) == 0, "poll: not readable once it was read");
	end_worker(&w);
	result(resmon_job_read_event(h, &e, sizeof(e)) == 1 && e.type == RESMON_EVENT_EMPTY,
	       "a blocking read waits for EMPTY");
	close(h);
}

static int list_shows(pid_t pid, uint64_t heap, uint64_t opens)
{
	struct resmon_record *v;
	size_t n, i;
	int found = 0;

	if (resmon_list(&v, &n))
		return 0;
	for (i = 0; i < n; i++)
		found |= v[i].pid == pid && v[i].heap_bytes == heap && v[i].opens == opens;
	free(v);
	return found;
}

/* The seed's calls see a member's job as its record (SPEC "The seed's calls on jobs"). */
static void test_seed_calls(void)
{
	struct resmon_job_limits l = no_limits();
	struct resmon_job_event e;
	struct resmon_job_usage u;
	struct per_proc_resource st;
	struct worker w;
	int h, status;
	pid_t c;

	start_worker(&w);
	set_hard(&l, RESMON_HEAP, 10 * MIB + 1);
	h = job_on(w.pid, &l, 0);
	run(&w, W_MMAP, 2 * MIB, 0, 0);
	run(&w, W_OPENS, 4, 0, 0);
	result(resmon_fetch(w.pid, &st) == 0 && st.heapsize == 2 && st.openfile_count == 4 &&
	       st.heap_quota == 11 && st.file_quota == -1 && st.quotas_defined,
	       "fetch of a member: the job's totals, its hard heap limit in MiB rounded up");
	result(list_shows(w.pid, 2 * MIB, 4), "list shows the member with the job's totals");
	errno = 0;
	result(resmon_cap(w.pid, 100, 100) == -1 && errno == ENFILE,
	       "resource_cap on a member whose job has a heap limit: ENFILE");
	c = fork();
	if (c == 0) {
		int bad = 0;

		if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
			_exit(9);
		bad |= resmon_reset(w.pid) != -1 || errno != EPERM;
		bad |= (resmon_deregister(w.pid) != -1 || errno != EPERM) << 1;
		_exit(bad);
	}
	waitpid(c, &status, 0);
	result(WIFEXITED(status) && !(WEXITSTATUS(status) & 1),
	       "resource_reset of a member without CAP_SYS_RESOURCE: EPERM");
	result(WIFEXITED(status) && !(WEXITSTATUS(status) & 2),
	       "deregister of a member of a limited job without CAP_SYS_RESOURCE: EPERM");
	result(resmon_reset(w.pid) == 0 && usage(h, &u) == 0 &&
	       u.limits.hard[RESMON_HEAP] == RESMON_UNLIMITED, "root's reset lifts the heap limit");
	result(resmon_cap(w.pid, 1, -1) == 0, "a cap on the member sets the job's limit");
	status = end_worker(&w);
	result(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	       "a cap below the job's heap total kills the member at once");
	result(usage(h, &u) == 0 && u.limits.hard[RESMON_HEAP] == MIB, "the job's limit is 1 MiB");
	result(resmon_job_read_event(h, &e, sizeof(e)) == 1 && e.type == RESMON_EVENT_KILL &&
	       e.resource == RESMON_HEAP && e.value == 2 * MIB && e.limit == MIB &&
	       e.pid == w.pid && e.comm[0], "and its KILL event: heap 2 MiB over 1 MiB");
	start_worker(&w);
	close(h);
	h = job_on(w.pid, &l, 0);
	result(resmon_deregister(w.pid) == 0, "root deregisters the member");
	run(&w, W_MMAP, 16 * MIB, 0, 0);
	result(resmon_job_read_event(h, &e, sizeof(e)) == 1 && e.type == RESMON_EVENT_EMPTY &&
	       usage(h, &u) == 0 && u.members_now == 0 && u.usage[RESMON_HEAP] == 0,
	       "it left the job (EMPTY), and its calls count no more");
	result(WIFEXITED(end_worker(&w)), "nor kill it");
	close(h);
}

/* A process registered by the seed's call is a one-member job: a handle opens on it. */
static void test_adopt(void)
{
	struct resmon_job_limits l = no_limits();
	struct resmon_job_event e;
	struct resmon_job_usage u;
	struct worker w;
	int h, pidfd, nul, status;

	pidfd = -1;
	errno = 0;
	result(resmon_job_create(pidfd, &l, sizeof(l), 0) == -1 && errno == EBADF,
	       "create on fd -1: EBADF");
	nul = open("/dev/null", O_RDONLY);
	errno = 0;
	result(resmon_job_create(nul, &l, sizeof(l), 0) == -1 && errno == EBADF,
	       "create on an fd that is no pidfd: EBADF");
	close(nul);
	start_worker(&w);
	errno = 0;
	result(job_on(w.pid, &l, 1U << 7) == -1 && errno == EINVAL,
	       "an unknown job flag is refused (EINVAL); tree jobs: resmond_tree_test");
	result(resmon_register(w.pid) == 0 && resmon_cap(w.pid, 8, -1) == 0,
	       "a process registered and capped by the seed's calls");
	run(&w, W_MMAP, 4 * MIB, 0, 0);
	pidfd = (int)syscall(SYS_pidfd_open, w.pid, 0);
	h = resmon_job_open(pidfd);
	close(pidfd);
	result(h >= 0 && usage(h, &u) == 0 && u.members_now == 1 &&
	       u.usage[RESMON_HEAP] == 4 * MIB && u.limits.hard[RESMON_HEAP] == 8 * MIB &&
	       u.usage[RESMON_DATA] == vmdata(w.pid),
	       "JOB_OPEN on it: a job of one member, its totals and quota, its VmData");
	run(&w, W_MMAP, 8 * MIB, 0, 0);
	status = end_worker(&w);
	result(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "its quota still kills");
	result(h >= 0 && resmon_job_read_event(h, &e, sizeof(e)) == 1 &&
	       e.type == RESMON_EVENT_KILL && e.value == 12 * MIB &&
	       resmon_job_read_event(h, &e, sizeof(e)) == 1 && e.type == RESMON_EVENT_EMPTY,
	       "and the handle reads the KILL event, then EMPTY");
	if (h >= 0)
		close(h);
}

static void test_flat(void)
{
	struct resmon_job_limits l = no_limits();
	struct worker w;
	int h, gone, status;
	long r;

	start_worker(&w);
	set_hard(&l, RESMON_DATA, vmdata(w.pid) + 4 * MIB);
	h = job_on(w.pid, &l, 0);
	r = ask(&w, W_FLAT, 2000, 2 * MIB, 0, &gone);
	status = end_worker(&w);
	result(r == 2000 && WIFEXITED(status),
	       "2000 x (mmap 2 MiB, touch, munmap) under a 4 MiB data headroom runs to its end");
	close(h);
}

static int count_events(int h, int type, int resource)
{
	struct resmon_job_event e;
	int n = 0;

	while (next_event(h, &e) == 1)
		if ((int)e.type == type && (int)e.resource == resource)
			n++;
	return n;
}

static void test_soft(void)
{
	struct resmon_job_limits l = no_limits();
	struct worker w;
	long p, q;
	int h;

	start_worker(&w);
	set_soft(&l, RESMON_DATA, vmdata(w.pid) + 2 * MIB);
	set_soft(&l, RESMON_OPENS, 5);
	l.mask |= RESMON_LIMIT_SOFT_SIGNAL;
	l.soft_signal = SIGUSR1;
	h = job_on(w.pid, &l, 0);
	p = run(&w, W_MMAP, 4 * MIB, 0, 0);
	q = run(&w, W_MMAP, MIB, 0, 0);
	result(run(&w, W_SIGS, 0, 0, 0) == 1, "data soft crossing: the soft signal once");
	result(count_events(h, RESMON_EVENT_SOFT, RESMON_DATA) == 1,
	       "one SOFT event, none for a further growth while over");
	run(&w, W_MUNMAP, (unsigned long)p, 4 * MIB, 0);
	run(&w, W_MUNMAP, (unsigned long)q, MIB, 0);
	p = run(&w, W_MMAP, 4 * MIB, 0, 0);
	result(run(&w, W_SIGS, 0, 0, 0) == 2, "back under and over again: the signal again");
	result(count_events(h, RESMON_EVENT_SOFT, RESMON_DATA) == 1, "and a second SOFT event");
	run(&w, W_OPENS, 10, 0, 0);
	run(&w, W_OPENS, 10, 0, 0);
	result(count_events(h, RESMON_EVENT_SOFT, RESMON_OPENS) == 1 &&
	       run(&w, W_SIGS, 0, 0, 0) == 3, "opens soft limit (a total): one event, one signal");
	result(WIFEXITED(end_worker(&w)), "a soft limit kills nothing");
	close(h);
}

static void test_lift(void)
{
	struct resmon_job_limits l = no_limits(), n;
	struct resmon_job_usage u;
	struct worker w;
	int h, status;
	pid_t c;

	start_worker(&w);
	set_hard(&l, RESMON_HEAP, 64 * MIB);
	set_hard(&l, RESMON_OPENS, 100);
	h = job_on(w.pid, &l, 0);
	c = fork();
	if (c == 0) {
		int bad = 0;

		if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
			_exit(9);
		n = no_limits();
		set_hard(&n, RESMON_HEAP, 32 * MIB);
		bad |= resmon_job_set_limits(h, &n, sizeof(n)) != 0;
		n = no_limits();
		set_hard(&n, RESMON_HEAP, 48 * MIB);
		bad |= (resmon_job_set_limits(h, &n, sizeof(n)) != -1 || errno != EPERM) << 1;
		n = no_limits();
		set_hard(&n, RESMON_OPENS, RESMON_UNLIMITED);
		bad |= (resmon_job_set_limits(h, &n, sizeof(n)) != -1 || errno != EPERM) << 2;
		n = no_limits();
		set_soft(&n, RESMON_DATA, 1ULL << 40);
		bad |= (resmon_job_set_limits(h, &n, sizeof(n)) != 0) << 3;
		_exit(bad);
	}
	waitpid(c, &status, 0);
	printf("# unprivileged holder: status 0x%x\n", status);
	result(WIFEXITED(status) && !(WEXITSTATUS(status) & 1), "uid 65534 lowers a limit");
	result(WIFEXITED(status) && !(WEXITSTATUS(status) & 2), "uid 65534 raising one: EPERM");
	result(WIFEXITED(status) && !(WEXITSTATUS(status) & 4), "uid 65534 removing one: EPERM");
	result(WIFEXITED(status) && !(WEXITSTATUS(status) & 8),
	       "uid 65534 sets a limit that was unlimited");
	result(usage(h, &u) == 0 && u.limits.hard[RESMON_HEAP] == 32 * MIB &&
	       u.limits.hard[RESMON_OPENS] == 100 && u.limits.soft[RESMON_DATA] == 1ULL << 40,
	       "the limits read back as set");
	n = no_limits();
	set_hard(&n, RESMON_HEAP, RESMON_UNLIMITED);
	result(resmon_job_set_limits(h, &n, sizeof(n)) == 0, "root removes a limit");
	end_worker(&w);
	close(h);
}

static void test_below(void)
{
	struct resmon_job_limits l = no_limits();
	struct resmon_job_event e;
	struct worker w;
	int h, status;

	start_worker(&w);
	h = job_on(w.pid, &l, 0);
	run(&w, W_OPENS, 10, 0, 0);
	set_hard(&l, RESMON_OPENS, 5);
	result(resmon_job_set_limits(h, &l, sizeof(l)) == 0, "a limit below the usage is set");
	status = end_worker(&w);
	result(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "and crossed at once: SIGKILL");
	result(resmon_job_read_event(h, &e, sizeof(e)) == 1 && e.type == RESMON_EVENT_KILL &&
	       e.resource == RESMON_OPENS && e.value == 10 && e.limit == 5,
	       "KILL event: opens 10 over 5");
	close(h);
}

static void test_unprivileged(void)
{
	int status;
	pid_t c = fork();

	if (c == 0) {
		struct resmon_job_limits l = no_limits();
		struct resmon_job_event e;
		struct resmon_job_usage u;
		struct worker w;
		int h, bad = 0, st;

		if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
			_exit(99);
		start_worker(&w);
		set_hard(&l, RESMON_HEAP, 8 * MIB);
		h = job_on(w.pid, &l, 0);
		if (h < 0)
			_exit(98);
		run(&w, W_MMAP, 4 * MIB, 0, 0);
		run(&w, W_MMAP, 8 * MIB, 0, 0);
		st = end_worker(&w);	/* reaped */
		bad |= !(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
		bad |= (usage(h, &u) != 0 || u.usage[RESMON_HEAP] != 12 * MIB ||
			u.members_now != 0) << 1;
		bad |= (resmon_job_read_event(h, &e, sizeof(e)) != 1 ||
			e.type != RESMON_EVENT_KILL || e.resource != RESMON_HEAP ||
			e.value != 12 * MIB || e.limit != 8 * MIB || e.pid != w.pid) << 2;
		_exit(bad);
	}
	waitpid(c, &status, 0);
	printf("# unprivileged run: status 0x%x\n", status);
	result(WIFEXITED(status) && WEXITSTATUS(status) < 90, "uid 65534 makes a job on its child");
	result(WIFEXITED(status) && !(WEXITSTATUS(status) & 1), "its heap limit kills the child");
	result(WIFEXITED(status) && !(WEXITSTATUS(status) & 2),
	       "after the reap uid 65534 reads the usage (heap 12 MiB, no member)");
	result(WIFEXITED(status) && !(WEXITSTATUS(status) & 4),
	       "and the KILL event: heap 12 MiB over 8 MiB, the child's pid");
}

/* A user's handles have their own share: 16, and asking through them still works. */
static void test_handle_share(void)
{
	int status;
	pid_t c = fork();

	if (c == 0) {
		struct resmon_job_limits l = no_limits();
		struct resmon_job_usage u;
		struct worker w;
		int h[17], i, pidfd, bad = 0;

		if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
			_exit(99);
		start_worker(&w);
		h[0] = job_on(w.pid, &l, 0);
		pidfd = (int)syscall(SYS_pidfd_open, w.pid, 0);
		for (i = 1; i < 16; i++)
			bad |= (h[i] = resmon_job_open(pidfd)) < 0;
		h[16] = resmon_job_open(pidfd);
		bad |= (h[16] != -1 || errno != EMFILE) << 1;
		bad |= (usage(h[15], &u) != 0 || u.members_now != 1) << 2;
		end_worker(&w);
		_exit(bad);
	}
	waitpid(c, &status, 0);
	result(WIFEXITED(status) && !(WEXITSTATUS(status) & 1) && WEXITSTATUS(status) < 90,
	       "uid 65534 holds 16 handles on its job");
	result(WIFEXITED(status) && !(WEXITSTATUS(status) & 2), "a 17th is EMFILE");
	result(WIFEXITED(status) && !(WEXITSTATUS(status) & 4),
	       "holding 16 handles, it still reads the usage through one");
}

static void test_queue(void)
{
	struct resmon_job_limits l = no_limits();
	struct resmon_job_usage u;
	struct worker w;
	long p;
	int h, i, n;

	start_worker(&w);
	set_soft(&l, RESMON_DATA, vmdata(w.pid) + MIB);
	l.mask |= RESMON_LIMIT_SOFT_SIGNAL;
	l.soft_signal = 0;
	h = job_on(w.pid, &l, 0);
	for (i = 0; i < 200; i++) {
		p = run(&w, W_MMAP, 2 * MIB, 0, 0);
		run(&w, W_MUNMAP, (unsigned long)p, 2 * MIB, 0);
	}
	result(run(&w, W_SIGS, 0, 0, 0) == 0, "soft signal 0: no signal sent");
	n = count_events(h, RESMON_EVENT_SOFT, RESMON_DATA);
	result(n == 64, "200 soft crossings unread: the queue keeps 64");
	if (n != 64)
		printf("# kept %d\n", n);
	result(usage(h, &u) == 0 && u.events_dropped == 136, "and counts 136 dropped");
	end_worker(&w);
	close(h);
}

static void test_closed_handle(void)
{
	struct resmon_job_limits l = no_limits();
	struct worker w;
	int h, status;

	start_worker(&w);
	set_hard(&l, RESMON_HEAP, 4 * MIB);
	h = job_on(w.pid, &l, 0);
	close(h);
	usleep(100000);
	run(&w, W_MMAP, 8 * MIB, 0, 0);
	status = end_worker(&w);
	result(h >= 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	       "handle closed: the limit still kills the member");
}

static pid_t find_resmond(void)
{
	char path[300], comm[32];
	struct dirent *d;
	pid_t found = 0;
	DIR *dir = opendir("/proc");
	FILE *f;

	while (dir && (d = readdir(dir))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strcmp(comm, "resmond\n"))
			found = atoi(d->d_name);
		fclose(f);
	}
	if (dir)
		closedir(dir);
	return found;
}

static void test_restart(void)
{
	struct resmon_job_limits l = no_limits();
	struct resmon_job_usage u;
	struct resmon_job_event e;
	struct worker w;
	pid_t old = find_resmond(), fresh;
	int h, h2, pidfd, i, status;

	start_worker(&w);
	set_hard(&l, RESMON_HEAP, 8 * MIB);
	set_soft(&l, RESMON_OPENS, 2);
	l.mask |= RESMON_LIMIT_SOFT_SIGNAL;
	l.soft_signal = 0;
	h = job_on(w.pid, &l, 0);
	run(&w, W_MMAP, 4 * MIB, 0, 0);
	if (!old || kill(old, SIGTERM)) {
		result(0, "resmond stopped by SIGTERM");
		return;
	}
	for (i = 0; i < 100 && !kill(old, 0); i++)
		usleep(100000);
	run(&w, W_OPENS, 3, 0, 0);	/* counted, and over the soft limit, while no resmond runs */
	errno = 0;
	result(resmon_job_read_event(h, &e, sizeof(e)) == -1,
	       "the old handle ends with its resmond");
	fresh = fork();
	if (fresh == 0) {
		int log = open("/tmp/resmond-restarted.log", O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(log, 2);
		execlp("resmond", "resmond", NULL);
		_exit(127);
	}
	for (i = 0; i < 300 && !resmond_running(); i++)
		usleep(100000);
	pidfd = (int)syscall(SYS_pidfd_open, w.pid, 0);
	h2 = resmon_job_open(pidfd);
	close(pidfd);
	result(h2 >= 0 && usage(h2, &u) == 0 && u.usage[RESMON_HEAP] == 4 * MIB &&
	       u.usage[RESMON_OPENS] == 3 && u.limits.hard[RESMON_HEAP] == 8 * MIB,
	       "a new resmond: JOB_OPEN gives a handle, usage kept and counted meanwhile");
	result(h2 >= 0 && resmon_job_read_event(h2, &e, sizeof(e)) == 1 &&
	       e.type == RESMON_EVENT_SOFT && e.resource == RESMON_OPENS && e.value == 3,
	       "the soft crossing made while no resmond ran is read on the new handle");
	run(&w, W_MMAP, 8 * MIB, 0, 0);
	status = end_worker(&w);
	result(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	       "the limit set before the restart still kills");
	result(h2 >= 0 && resmon_job_read_event(h2, &e, sizeof(e)) == 1 &&
	       e.type == RESMON_EVENT_KILL, "the new handle reads the KILL event");
	close(h);
	if (h2 >= 0)
		close(h2);
	/* The new resmond stays: ebpf-tests.sh stops it (resmond --stop). */
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--worker"))
		worker_loop(atoi(argv[2]), atoi(argv[3]));
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_measure();
	test_hard_data();
	test_hard_each_call();
	test_adopt();
	test_flat();
	test_poll();
	test_seed_calls();
	test_soft();
	test_lift();
	test_below();
	test_unprivileged();
	test_handle_share();
	test_queue();
	test_closed_handle();
	test_restart();
	return tap_done();
}
