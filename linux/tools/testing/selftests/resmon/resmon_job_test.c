// SPDX-License-Identifier: GPL-2.0
/*
 * resmon jobs: resmon_job() and its handle (usage, limits, events), the
 * data measure against /proc/PID/status VmData, hard and soft limits, the
 * lift rule, and the seed's calls on a job.
 *
 * Victims are children (rm_spawn): each writes 'r', waits for "go" while
 * the parent makes its job, then writes one marker byte after each step,
 * so that the marker of a crossing call is absent when the call killed.
 */

#include "resmon_job_helpers.h"

#include <malloc.h>
#include <poll.h>
#include <pthread.h>

static int open_on(pid_t pid)
{
	int pfd = rm_pidfd(pid), h;

	if (pfd < 0)
		return pfd;
	h = rm_job_open(pfd);
	close(pfd);
	return h;
}

static void *map_rw(size_t len, int extra)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | extra, -1, 0);
}

/* ---- the call: sizes, flags, the handle, busy ---- */

TEST(sizes_flags_and_handle)
{
	struct {
		struct resmon_job_limits l;
		char extra[8];
	} big;
	struct pollfd p = { .events = POLLIN };
	struct resmon_job_usage u, small[2];
	int pfd = rm_pidfd(getpid()), h, h2, res;
	struct resmon_job_event ev;

	ASSERT_LE(0, pfd);
	memset(&big, 0, sizeof(big));
	EXPECT_EQ(-EINVAL, rm_job_create(pfd, &big.l, RESMON_JOB_LIMITS_SIZE_VER0 - 1, 0));
	EXPECT_EQ(-EINVAL, rm_job_create(pfd, &big.l, 8, 0));
	big.extra[3] = 1;
	EXPECT_EQ(-E2BIG, rm_job_create(pfd, &big.l, sizeof(big), 0));
	big.extra[3] = 0;
	EXPECT_EQ(-EINVAL, rm_job_create(pfd, &big.l, LIMITS_SIZE, 1U << 7));
	big.l.mask = 1U << 20;
	EXPECT_EQ(-EINVAL, rm_job_create(pfd, &big.l, LIMITS_SIZE, 0));
	big.l.mask = RESMON_LIMIT_SOFT_SIGNAL;
	big.l.soft_signal = 1000;
	EXPECT_EQ(-EINVAL, rm_job_create(pfd, &big.l, LIMITS_SIZE, 0));
	big.l.mask = 0;
	big.l.soft_signal = 0;
	/* OPEN: no limits with it, and only on a member. */
	EXPECT_EQ(-EINVAL, rm_job_create(pfd, &big.l, LIMITS_SIZE, RESMON_JOB_OPEN));
	EXPECT_EQ(-EINVAL, rm_job_open(pfd));
	EXPECT_EQ(-EBADF, rm_job_create(-1, NULL, 0, 0));
	/* TREE with OPEN is refused like any other flag with OPEN. */
	EXPECT_EQ(-EINVAL, rm_job_create(pfd, NULL, 0,
					 RESMON_JOB_OPEN | RESMON_JOB_TREE));

	/* A larger struct whose extra bytes are zero is fine. */
	h = rm_job_create(pfd, &big.l, sizeof(big), 0);
	ASSERT_LE(0, h);
	EXPECT_EQ(FD_CLOEXEC, fcntl(h, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(-EBUSY, rm_job_create(pfd, NULL, 0, 0));
	EXPECT_EQ(-ENFILE, rm_register(getpid()));

	h2 = rm_job_open(pfd);
	ASSERT_LE(0, h2);
	u = usage_of(h2);
	EXPECT_EQ(0, u.flags);
	EXPECT_EQ(1, u.members_now);
	EXPECT_EQ(1, u.members_ever);
	EXPECT_EQ(0, u.events_dropped);
	EXPECT_LT(0, u.fds_now);
	EXPECT_EQ(SIGTERM, u.limits.soft_signal);
	EXPECT_EQ(0x10707, u.limits.mask);
	for (res = 0; res < RESMON_NR_RESOURCES; res++) {
		EXPECT_EQ(RESMON_UNLIMITED, u.limits.hard[res]);
		EXPECT_EQ(RESMON_UNLIMITED, u.limits.soft[res]);
	}

	/* A smaller struct gets what fits; a larger one zeroes the rest. */
	memset(small, 0x5a, sizeof(small));
	ASSERT_EQ(0, rm_job_usage(h, &small[0], 8));
	EXPECT_EQ(1, small[0].members_now);
	EXPECT_EQ(0x5a5a5a5a5a5a5a5aULL, small[0].members_ever);
	memset(small, 0x5a, sizeof(small));
	ASSERT_EQ(0, rm_job_usage(h, &small[0], sizeof(small)));
	EXPECT_EQ(1, small[0].members_ever);
	EXPECT_EQ(0, small[1].flags);
	EXPECT_EQ(0, small[1].members_ever);

	/* No event yet: EAGAIN without blocking. */
	EXPECT_EQ(-EAGAIN, next_event(h, &ev));
	p.fd = h;
	EXPECT_EQ(0, poll(&p, 1, 0));
	close(h2);
	close(h);
	close(pfd);
}

TEST(registered_process_is_busy)
{
	int h;

	ASSERT_EQ(0, rm_register(getpid()));
	EXPECT_EQ(-EBUSY, job_on(getpid(), NULL, 0));
	/* The seed's record is a job of one member: a handle may open on it. */
	h = open_on(getpid());
	ASSERT_LE(0, h);
	EXPECT_EQ(1, usage_of(h).members_now);
	close(h);
}

/* ---- data: the members' VmData ---- */

#define EXPECT_DATA_IS_VMDATA(h) do { \
	struct resmon_job_usage __u = usage_of(h); \
	long long __v = rm_vmdata(0); \
	ASSERT_LT(0, __v); \
	EXPECT_EQ((unsigned long long)__v, __u.usage[RESMON_DATA]); \
	EXPECT_LE(__u.usage[RESMON_DATA], __u.data_peak); \
} while (0)

TEST(data_is_vmdata)
{
	unsigned long brk0;
	char *p, *q;
	int h;

	h = job_on(getpid(), NULL, 0);
	ASSERT_LE(0, h);
	EXPECT_DATA_IS_VMDATA(h);

	brk0 = rm_brk(0);
	ASSERT_EQ(brk0 + 4 * MIB, rm_brk(brk0 + 4 * MIB));
	EXPECT_DATA_IS_VMDATA(h);

	p = map_rw(8 * MIB, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_DATA_IS_VMDATA(h);

	ASSERT_EQ(0, mprotect(p, 8 * MIB, PROT_READ));
	EXPECT_DATA_IS_VMDATA(h);
	ASSERT_EQ(0, mprotect(p, 8 * MIB, PROT_READ | PROT_WRITE));
	EXPECT_DATA_IS_VMDATA(h);

	q = mremap(p, 8 * MIB, 24 * MIB, MREMAP_MAYMOVE);
	ASSERT_NE(MAP_FAILED, q);
	EXPECT_DATA_IS_VMDATA(h);
	q = mremap(q, 24 * MIB, 2 * MIB, 0);
	ASSERT_NE(MAP_FAILED, q);
	EXPECT_DATA_IS_VMDATA(h);

	ASSERT_EQ(0, munmap(q, 2 * MIB));
	EXPECT_DATA_IS_VMDATA(h);
	ASSERT_EQ(brk0, rm_brk(brk0));
	EXPECT_DATA_IS_VMDATA(h);

	/* The peak saw the 24 MiB mapping. */
	EXPECT_LE(usage_of(h).usage[RESMON_DATA] + 20 * MIB,
		  usage_of(h).data_peak);
	close(h);
}

/* A shell that says it is there, then waits on its stdin. */
static void exec_shell(void *arg)
{
	int *pipes = arg;

	(void)arg;
	if (job_on(getpid(), NULL, 0) < 0)
		_exit(20);
	dup2(pipes[0], 0);
	dup2(pipes[1], 1);
	execl("/bin/sh", "sh", "-c", "echo x; read y; true", (char *)NULL);
	_exit(21);
}

TEST(data_after_exec_is_the_new_image)
{
	int in[2], out[2], args[2], h, tries;
	struct resmon_job_event ev;
	struct rm_child c;
	char x;

	/* Close-on-exec: the shell keeps only its stdin and stdout. */
	ASSERT_EQ(0, pipe2(in, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(out, O_CLOEXEC));
	args[0] = in[0];
	args[1] = out[1];
	ASSERT_LT(0, rm_spawn(&c, exec_shell, args));
	close(in[0]);
	close(out[1]);
	ASSERT_EQ(1, read(out[0], &x, 1));
	h = open_on(c.pid);
	ASSERT_LE(0, h);
	/* The shell is at its read: its VmData no longer moves, but allow a step. */
	for (tries = 0; tries < 50; tries++) {
		if (usage_of(h).usage[RESMON_DATA] == (unsigned long long)rm_vmdata(c.pid))
			break;
		usleep(20000);
	}
	EXPECT_EQ((unsigned long long)rm_vmdata(c.pid),
		  usage_of(h).usage[RESMON_DATA]);
	close(in[1]);
	ASSERT_EXITED_OK(rm_reap(&c));
	EXPECT_EQ(0, usage_of(h).members_now);
	EXPECT_EQ(0, usage_of(h).usage[RESMON_DATA]);
	ASSERT_EQ(1, next_event(h, &ev));
	EXPECT_EQ(RESMON_EVENT_EMPTY, ev.type);
	EXPECT_EQ(0, next_event(h, &ev));
	close(h);
	close(out[0]);
}

/* ---- hard limits ---- */

static void grow_data(void *arg)
{
	(void)arg;
	rm_mark('r');
	rm_wait_go();
	if (map_rw(32 * MIB, 0) == MAP_FAILED)
		_exit(30);
	rm_mark('a');
	/* Over the limit: killed before MAP_POPULATE touches a page. */
	if (map_rw(512 * MIB, MAP_POPULATE) == MAP_FAILED)
		_exit(31);
	rm_mark('b');
}

/* Read every event, expecting @n_kill KILL events and an EMPTY one last. */
static void expect_kill_then_empty(struct __test_metadata *_metadata, int h,
				   int res, unsigned long long limit, pid_t pid)
{
	struct resmon_job_event ev;

	ASSERT_EQ(1, next_event(h, &ev));
	EXPECT_EQ(RESMON_EVENT_KILL, ev.type);
	EXPECT_EQ(res, ev.resource);
	EXPECT_EQ(limit, ev.limit);
	EXPECT_LT(limit, ev.value);
	EXPECT_EQ(pid, ev.pid);
	EXPECT_EQ(SIGKILL, ev.signal);
	EXPECT_NE(0, ev.comm[0]);
	ASSERT_EQ(1, next_event(h, &ev));
	EXPECT_EQ(RESMON_EVENT_EMPTY, ev.type);
	EXPECT_EQ(0, next_event(h, &ev));
}

/*
 * @grow in a child made a job with a hard data limit 64 MiB over its VmData:
 * it marks 'a', then grows over the limit in one call and must be killed in
 * it (no 'b'), the KILL event naming it, then EMPTY. Returns the handle and
 * the limit.
 */
static int data_killed_in_call(struct __test_metadata *_metadata,
			       void (*grow)(void *), unsigned long long *limit)
{
	struct resmon_job_limits l = rm_job_no_limits();
	struct rm_child c;
	char m[16];
	int h;

	ASSERT_LT(0, rm_spawn(&c, grow, NULL));
	ASSERT_EQ('r', rm_read_mark(&c));
	*limit = rm_vmdata(c.pid) + 64 * MIB;
	rm_job_limit(&l, RESMON_DATA, 1, *limit);
	h = job_on(c.pid, &l, 0);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, rm_go(&c));
	rm_read_marks(&c, m, sizeof(m));
	EXPECT_STREQ("a", m);
	ASSERT_KILLED(rm_reap(&c));
	expect_kill_then_empty(_metadata, h, RESMON_DATA, *limit, c.pid);
	return h;
}

TEST(data_hard_kill_before_populate)
{
	struct resmon_job_usage u;
	unsigned long long limit;
	int h = data_killed_in_call(_metadata, grow_data, &limit);

	u = usage_of(h);
	EXPECT_EQ(0, u.members_now);
	EXPECT_LT(limit + 256 * MIB, u.data_peak);
	close(h);
}

/*
 * Read-only private memory is not data; made writable it is: mprotect()
 * grows VmData, and a data limit crossed there kills in the call.
 */
static void grow_data_by_mprotect(void *arg)
{
	char *p;

	(void)arg;
	rm_mark('r');
	rm_wait_go();
	p = mmap(NULL, 256 * MIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(30);
	rm_mark('a');
	if (mprotect(p, 256 * MIB, PROT_READ | PROT_WRITE))
		_exit(31);
	rm_mark('b');
}

TEST(data_hard_kill_at_mprotect_growth)
{
	unsigned long long limit;

	close(data_killed_in_call(_metadata, grow_data_by_mprotect, &limit));
}

static void flat_loop(void *arg)
{
	int i;

	(void)arg;
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	rm_mark('r');
	rm_wait_go();
	for (i = 0; i < 1000; i++) {
		char *p = malloc(MIB);

		if (!p)
			_exit(40);
		p[0] = 1;
		p[MIB - 1] = 1;
		free(p);
	}
	rm_mark('e');
}

TEST(flat_loop_runs_to_the_end)
{
	struct resmon_job_limits l = rm_job_no_limits();
	struct resmon_job_usage u;
	struct rm_child c;
	char m[8];
	int h;

	ASSERT_LT(0, rm_spawn(&c, flat_loop, NULL));
	ASSERT_EQ('r', rm_read_mark(&c));
	rm_job_limit(&l, RESMON_DATA, 1, rm_vmdata(c.pid) + 16 * MIB);
	h = job_on(c.pid, &l, 0);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, rm_go(&c));
	rm_read_marks(&c, m, sizeof(m));
	EXPECT_STREQ("e", m);
	ASSERT_EXITED_OK(rm_reap(&c));
	u = usage_of(h);
	/* The heap total counts every mapping; data came back each time. */
	EXPECT_LE(1000 * MIB, u.usage[RESMON_HEAP]);
	EXPECT_GE(l.hard[RESMON_DATA], u.data_peak);
	close(h);
}

static void idle_after_map(void *arg)
{
	(void)arg;
	rm_mark('r');
	rm_wait_go();
	if (map_rw(32 * MIB, 0) == MAP_FAILED)
		_exit(50);
	rm_mark('a');
	rm_wait_go();
	rm_mark('b');
}

TEST(limit_set_below_usage_crosses_at_once)
{
	struct rm_child c;
	char m[8];
	int h;

	ASSERT_LT(0, rm_spawn(&c, idle_after_map, NULL));
	ASSERT_EQ('r', rm_read_mark(&c));
	h = job_on(c.pid, NULL, 0);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, rm_go(&c));
	ASSERT_EQ('a', rm_read_mark(&c));
	/* The setter's call succeeds, and kills the job. */
	EXPECT_EQ(0, set_one(h, RESMON_DATA, 1, MIB));
	rm_read_marks(&c, m, sizeof(m));
	EXPECT_STREQ("", m);
	ASSERT_KILLED(rm_reap(&c));
	expect_kill_then_empty(_metadata, h, RESMON_DATA, MIB, c.pid);
	close(h);
}

static void open_five(void *arg)
{
	int i;

	(void)arg;
	rm_mark('r');
	rm_wait_go();
	for (i = 0; i < 5; i++) {
		if (rm_open_open() < 0)
			_exit(60);
		rm_mark('1' + i);
	}
}

/*
 * A child that will open five files once told, in a job with a hard limit
 * of @limit opens and @flags: the job's handle (the test asserts it).
 */
static int open_five_in_job(struct __test_metadata *_metadata, struct rm_child *c,
			    unsigned long long limit, unsigned int flags)
{
	struct resmon_job_limits l = rm_job_no_limits();
	int h;

	ASSERT_LT(0, rm_spawn(c, open_five, NULL));
	ASSERT_EQ('r', rm_read_mark(c));
	rm_job_limit(&l, RESMON_OPENS, 1, limit);
	h = job_on(c->pid, &l, flags);
	ASSERT_LE(0, h);
	return h;
}

TEST(handle_closed_while_member_runs)
{
	struct rm_child c;
	char m[8];

	close(open_five_in_job(_metadata, &c, 3, 0));	/* lifts nothing */
	ASSERT_EQ(0, rm_go(&c));
	rm_read_marks(&c, m, sizeof(m));
	EXPECT_STREQ("123", m);
	ASSERT_KILLED(rm_reap(&c));
}

TEST(kill_offender_scope)
{
	struct rm_child c;
	char m[8];
	int h;

	h = open_five_in_job(_metadata, &c, 1, RESMON_JOB_KILL_OFFENDER);
	EXPECT_EQ(RESMON_JOB_KILL_OFFENDER, usage_of(h).flags);
	ASSERT_EQ(0, rm_go(&c));
	rm_read_marks(&c, m, sizeof(m));
	EXPECT_STREQ("1", m);
	ASSERT_KILLED(rm_reap(&c));
	expect_kill_then_empty(_metadata, h, RESMON_OPENS, 1, c.pid);
	close(h);
}

/* exec keeps the job: the shell's redirections are opens over the limit. */
static void exec_opener(void *arg)
{
	struct resmon_job_limits l = rm_job_no_limits();

	(void)arg;
	rm_job_limit(&l, RESMON_OPENS, 1, 60);
	if (job_on(getpid(), &l, 0) < 0)
		_exit(70);
	execl("/bin/sh", "sh", "-c",
	      "i=0; while [ $i -lt 200 ]; do : </dev/null; i=$((i+1)); done",
	      (char *)NULL);
	_exit(71);
}

TEST(no_escape_through_exec)
{
	struct rm_child c;

	ASSERT_LT(0, rm_spawn(&c, exec_opener, NULL));
	ASSERT_KILLED(rm_reap(&c));
}

/* ---- soft limits and events ---- */

/* Written by the handler, read after it: sig_atomic_t is what C allows. */
static volatile sig_atomic_t soft_signals;

static void count_signal(int sig)
{
	(void)sig;
	soft_signals++;
}

static void soft_crossings(void *arg)
{
	int fds[10], i;
	char *p, *q;

	(void)arg;
	signal(SIGUSR1, count_signal);
	rm_mark('r');
	rm_wait_go();
	p = map_rw(32 * MIB, 0);	/* over the data soft limit: 1 */
	q = map_rw(8 * MIB, 0);		/* still over: nothing */
	if (p == MAP_FAILED || q == MAP_FAILED)
		_exit(80);
	munmap(p, 32 * MIB);		/* back under: armed again */
	munmap(q, 8 * MIB);
	p = map_rw(32 * MIB, 0);	/* over again: 2 */
	if (p == MAP_FAILED)
		_exit(81);
	for (i = 0; i < 5; i++)		/* the 4th open: 3 */
		fds[i] = rm_open_open();
	for (i = 0; i < 5; i++)
		close(fds[i]);
	for (i = 5; i < 10; i++)	/* a total is not armed again */
		fds[i] = rm_open_open();
	_exit(soft_signals);
}

static void expect_soft(struct __test_metadata *_metadata, int h, int res,
			unsigned long long limit, pid_t pid)
{
	struct resmon_job_event ev;

	ASSERT_EQ(1, next_event(h, &ev));
	EXPECT_EQ(RESMON_EVENT_SOFT, ev.type);
	EXPECT_EQ(res, ev.resource);
	EXPECT_EQ(limit, ev.limit);
	EXPECT_LT(limit, ev.value);
	EXPECT_EQ(pid, ev.pid);
	EXPECT_EQ(SIGUSR1, ev.signal);
}

TEST(soft_once_rearmed_for_data_not_totals)
{
	struct resmon_job_limits l = rm_job_no_limits();
	struct resmon_job_event ev;
	struct rm_child c;
	int h, status;

	ASSERT_LT(0, rm_spawn(&c, soft_crossings, NULL));
	ASSERT_EQ('r', rm_read_mark(&c));
	rm_job_limit(&l, RESMON_DATA, 0, rm_vmdata(c.pid) + 16 * MIB);
	rm_job_limit(&l, RESMON_OPENS, 0, 3);
	l.mask |= RESMON_LIMIT_SOFT_SIGNAL;
	l.soft_signal = SIGUSR1;
	h = job_on(c.pid, &l, 0);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, rm_go(&c));
	status = rm_reap(&c);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(3, WEXITSTATUS(status));
	expect_soft(_metadata, h, RESMON_DATA, l.soft[RESMON_DATA], c.pid);
	expect_soft(_metadata, h, RESMON_DATA, l.soft[RESMON_DATA], c.pid);
	expect_soft(_metadata, h, RESMON_OPENS, 3, c.pid);
	ASSERT_EQ(1, next_event(h, &ev));
	EXPECT_EQ(RESMON_EVENT_EMPTY, ev.type);
	EXPECT_EQ(0, next_event(h, &ev));
	EXPECT_EQ(10, usage_of(h).usage[RESMON_OPENS]);
	close(h);
}

static void soft_many(void *arg)
{
	int i;

	(void)arg;
	rm_mark('r');
	rm_wait_go();
	for (i = 0; i < 100; i++) {
		char *p = map_rw(2 * MIB, 0);

		if (p == MAP_FAILED)
			_exit(90);
		munmap(p, 2 * MIB);
	}
}

TEST(event_queue_bound_and_drops)
{
	struct resmon_job_limits l = rm_job_no_limits();
	struct resmon_job_event ev;
	struct rm_child c;
	int h, soft = 0, r;

	ASSERT_LT(0, rm_spawn(&c, soft_many, NULL));
	ASSERT_EQ('r', rm_read_mark(&c));
	rm_job_limit(&l, RESMON_DATA, 0, rm_vmdata(c.pid) + MIB);
	l.mask |= RESMON_LIMIT_SOFT_SIGNAL;
	l.soft_signal = 0;
	h = job_on(c.pid, &l, 0);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, rm_go(&c));
	ASSERT_EXITED_OK(rm_reap(&c));
	/* 100 soft events and EMPTY into 64 places: the oldest soft ones go. */
	EXPECT_EQ(37, usage_of(h).events_dropped);
	while ((r = next_event(h, &ev)) == 1 && ev.type == RESMON_EVENT_SOFT) {
		EXPECT_EQ(0, ev.signal);
		soft++;
	}
	EXPECT_EQ(1, r);
	EXPECT_EQ(RESMON_EVENT_EMPTY, ev.type);
	EXPECT_EQ(63, soft);
	EXPECT_EQ(0, next_event(h, &ev));
	close(h);
}

/* ---- the lift rule, unprivileged, and no escape ---- */

/*
 * Run @steps in a child (they change its credentials, so not in the test's
 * own process) and expect it to return 0; a non-zero value names the step
 * that failed.
 */
static void expect_steps_pass(struct __test_metadata *_metadata, int (*steps)(void))
{
	pid_t pid;
	int status;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(steps());
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* As nobody: returns the first step that went wrong, 0 if none did. */
static int unprivileged_lift_steps(void)
{
	struct resmon_job_limits l = rm_job_no_limits();
	struct resmon_job_usage u;
	int h;

	if (rm_drop_to(65534, 65534))
		return 1;
	rm_job_limit(&l, RESMON_OPENS, 1, 100);
	rm_job_limit(&l, RESMON_DATA, 0, 1ULL << 40);
	h = job_on(getpid(), &l, 0);
	if (h < 0)
		return 2;
	if (set_one(h, RESMON_OPENS, 1, 50))
		return 3;			/* lowering: free */
	if (set_one(h, RESMON_OPENS, 1, 60) != -EPERM)
		return 4;			/* raising */
	if (set_one(h, RESMON_OPENS, 1, RESMON_UNLIMITED) != -EPERM)
		return 5;			/* removing */
	if (set_one(h, RESMON_HEAP, 1, 1ULL << 40))
		return 6;			/* setting an unlimited one */
	if (set_one(h, RESMON_DATA, 0, 1ULL << 41) != -EPERM)
		return 7;
	u = usage_of(h);
	if (u.limits.hard[RESMON_OPENS] != 50 ||
	    u.limits.hard[RESMON_HEAP] != 1ULL << 40)
		return 8;
	if (rm_deregister(getpid()) != -EPERM || rm_reset(getpid()) != -EPERM)
		return 9;
	/* A user namespace of its own gives a member no right over its job. */
	if (unshare(CLONE_NEWUSER) == 0) {
		if (set_one(h, RESMON_OPENS, 1, 60) != -EPERM)
			return 10;
		if (rm_deregister(getpid()) != -EPERM)
			return 11;
		if (rm_reset(getpid()) != -EPERM)
			return 12;
	}
	if (usage_of(h).members_now != 1)
		return 13;
	return 0;
}

TEST(lowering_free_raising_eperm_no_escape)
{
	if (geteuid())
		SKIP(return, "needs root to become another user");
	expect_steps_pass(_metadata, unprivileged_lift_steps);
}

/* As nobody: a job on a child, read after the child was killed and reaped. */
static int unprivileged_holder_steps(void)
{
	struct resmon_job_limits l = rm_job_no_limits();
	struct resmon_job_event ev;
	struct resmon_job_usage u;
	struct rm_child c;
	int h, status;
	char m[8];

	if (rm_drop_to(65534, 65534))
		return 1;
	if (rm_spawn(&c, open_five, NULL) <= 0 || rm_read_mark(&c) != 'r')
		return 2;
	rm_job_limit(&l, RESMON_OPENS, 1, 3);
	h = job_on(c.pid, &l, 0);
	if (h < 0)
		return 3;
	rm_go(&c);
	rm_read_marks(&c, m, sizeof(m));	/* a closed pipe would SIGPIPE it */
	status = rm_reap(&c);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
		return 4;
	u = usage_of(h);
	if (u.members_now || u.members_ever != 1 ||
	    u.usage[RESMON_OPENS] != 4 || u.limits.hard[RESMON_OPENS] != 3)
		return 5;
	if (rm_job_read_event(h, &ev, EVENT_SIZE) != 1 ||
	    ev.type != RESMON_EVENT_KILL || ev.resource != RESMON_OPENS ||
	    ev.value != 4 || ev.limit != 3 || ev.pid != c.pid || !ev.comm[0])
		return 6;
	if (rm_job_read_event(h, &ev, EVENT_SIZE) != 1 ||
	    ev.type != RESMON_EVENT_EMPTY)
		return 7;
	/* After EMPTY, read() says no more will come, even blocking. */
	if (rm_job_read_event(h, &ev, EVENT_SIZE) != 0)
		return 8;
	return 0;
}

TEST(usage_and_kill_readable_after_reap_unprivileged)
{
	if (geteuid())
		SKIP(return, "needs root to become another user");
	expect_steps_pass(_metadata, unprivileged_holder_steps);
}

/* ---- the seed's calls on a job ---- */

TEST(seed_calls_on_a_job)
{
	struct resmon_job_limits l = rm_job_no_limits();
	struct rm_proc_line lines[64];
	struct per_proc_resource r;
	struct resmon_job_event ev;
	struct resmon_job_usage u;
	struct rm_child c;
	int h, n, i;

	ASSERT_LT(0, rm_spawn(&c, rm_idle, NULL));
	ASSERT_EQ('r', rm_read_mark(&c));
	rm_job_limit(&l, RESMON_HEAP, 1, 10 * MIB);
	rm_job_limit(&l, RESMON_OPENS, 1, 20);
	h = job_on(c.pid, &l, 0);
	ASSERT_LE(0, h);

	FETCH(c.pid, r);
	EXPECT_EQ(c.pid, r.pid);
	EXPECT_EQ(10, r.heap_quota);
	EXPECT_EQ(20, r.file_quota);
	EXPECT_EQ(1, r.quotas_defined);
	EXPECT_EQ(-ENFILE, rm_register(c.pid));
	EXPECT_EQ(-ENFILE, rm_cap(c.pid, 5, 5));

	n = rm_read_proc_resmon(lines, 64);
	ASSERT_LE(0, n);
	i = rm_find_proc_line(lines, n, c.pid);
	ASSERT_LE(0, i);
	EXPECT_EQ(10, lines[i].hq);
	EXPECT_EQ(20, lines[i].fq);

	/* A limit in bytes reads as whole MiB, rounded up. */
	EXPECT_EQ(0, set_one(h, RESMON_HEAP, 1, 3 * MIB + 1));
	FETCH(c.pid, r);
	EXPECT_EQ(4, r.heap_quota);

	/* reset and cap act on the hard heap and opens limits. */
	EXPECT_EQ(0, rm_reset(c.pid));
	u = usage_of(h);
	EXPECT_EQ(RESMON_UNLIMITED, u.limits.hard[RESMON_HEAP]);
	EXPECT_EQ(RESMON_UNLIMITED, u.limits.hard[RESMON_OPENS]);
	EXPECT_EQ(0, rm_cap(c.pid, 7, 9));
	u = usage_of(h);
	EXPECT_EQ(7 * MIB, u.limits.hard[RESMON_HEAP]);
	EXPECT_EQ(9, u.limits.hard[RESMON_OPENS]);

	/* deregister takes the member out: the job is empty. */
	EXPECT_EQ(0, rm_deregister(c.pid));
	EXPECT_EQ(-EINVAL, rm_fetch(&r, c.pid));
	EXPECT_EQ(0, usage_of(h).members_now);
	ASSERT_EQ(1, next_event(h, &ev));
	EXPECT_EQ(RESMON_EVENT_EMPTY, ev.type);
	ASSERT_EXITED_OK(rm_reap(&c));
	close(h);
}

/* ---- SMP: limit changes against crossings ---- */

static void *grow_forever(void *arg)
{
	(void)arg;
	for (;;)
		if (map_rw(MIB, 0) == MAP_FAILED)
			_exit(100);
	return NULL;
}

static void two_growers(void *arg)
{
	pthread_t t;

	(void)arg;
	rm_mark('r');
	rm_wait_go();
	if (pthread_create(&t, NULL, grow_forever, NULL))
		_exit(101);
	grow_forever(NULL);
}

TEST(set_limits_races_crossings_one_kill)
{
	struct resmon_job_event ev;
	struct rm_child c;
	int h, status, kills = 0, r;
	pid_t w;

	ASSERT_LT(0, rm_spawn(&c, two_growers, NULL));
	ASSERT_EQ('r', rm_read_mark(&c));
	h = job_on(c.pid, NULL, 0);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, rm_go(&c));
	do {
		unsigned long long now = usage_of(h).usage[RESMON_DATA];

		/* Just above: the threads and this call race to cross it. */
		set_one(h, RESMON_DATA, 1, now + 2 * MIB);
		w = waitpid(c.pid, &status, WNOHANG);
	} while (w == 0);
	ASSERT_EQ(c.pid, w);
	ASSERT_KILLED(status);
	close(c.go_w);
	close(c.mark_r);
	while ((r = next_event(h, &ev)) == 1 && ev.type == RESMON_EVENT_KILL)
		kills++;
	EXPECT_EQ(1, kills);
	EXPECT_EQ(1, r);
	EXPECT_EQ(RESMON_EVENT_EMPTY, ev.type);
	close(h);
}

int main(int argc, char **argv)
{
	return rm_test_main(argc, argv);
}
