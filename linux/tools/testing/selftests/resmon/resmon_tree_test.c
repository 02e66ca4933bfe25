// SPDX-License-Identifier: GPL-2.0
/*
 * resmon tree jobs (RESMON_JOB_TREE): every process a member creates joins
 * the job before it runs, threads excepted; totals add every member's
 * calls, data sums the live members' VmData (a CLONE_VM child adds nothing
 * until it execs), and the kill scope is the whole job (forks racing with
 * the kill included) or the offender alone.
 *
 * The test process is a subreaper, so that it reaps the grandchildren of
 * a job's root too and can tell how each member ended. Children report
 * through pipes and never use the harness's asserts: an unexpected failure
 * is a distinct exit code. Waits are bounded and generous (a debug kernel
 * on a loaded machine is slow), never a fixed sleep that must be enough.
 */

#include "resmon_job_helpers.h"

#include <poll.h>
#include <pthread.h>
#include <spawn.h>

/* Long enough for a debug kernel under load; a pass never waits for it. */
#define WAIT_MS		60000

/* What the CLONE_VM children exec, with no environment. */
static char * const cat_argv[] = { "cat", NULL };
static char * const true_argv[] = { "true", NULL };
static char * const no_env[] = { NULL };

static void sleep_ms(int ms)
{
	usleep(ms * 1000);
}

/* Wait until the job has @n live members: true if it got there. */
static bool wait_members(int h, unsigned int n)
{
	int ms;

	for (ms = 0; ms < WAIT_MS; ms += 10) {
		if (usage_of(h).members_now == n)
			return true;
		sleep_ms(10);
	}
	return false;
}

/* Reap every child (and orphaned grandchild): counts by how each ended. */
struct reaped {
	int killed;	/* by SIGKILL */
	int other_sig;	/* by another signal, in @sig */
	int sig;
	int exited;	/* exit status 0 */
	int failed;	/* another exit status, in @code */
	int code;
};

static struct reaped reap_all(void)
{
	struct reaped r = {};
	int st;

	while (waitpid(-1, &st, __WALL) > 0) {
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) {
			r.killed++;
		} else if (WIFSIGNALED(st)) {
			r.other_sig++;
			r.sig = WTERMSIG(st);
		} else if (WEXITSTATUS(st)) {
			r.failed++;
			r.code = WEXITSTATUS(st);
		} else {
			r.exited++;
		}
	}
	return r;
}

static void be_subreaper(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
}

static void open_n(int n)
{
	while (n--) {
		int fd = open(RM_FILE, O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			_exit(110);
		close(fd);
	}
}

/* A pipe a child blocks on until the test closes its write end. */
static void block_on(int fd)
{
	char c;

	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
}

/* Write @pid to @fd (the children's pids for the test). */
static void tell_pid(int fd, pid_t pid)
{
	if (write(fd, &pid, sizeof(pid)) != sizeof(pid))
		_exit(111);
}

/* ---- membership: who is in, what counts ---- */

/*
 * The test process is the root of a tree job: each child's opens count,
 * its VmData joins at fork and leaves at exit, members now/ever are exact.
 */
TEST(children_count_members_exact)
{
	struct resmon_job_usage u0, u;
	int h, i, gate[2], st;
	pid_t kids[3];
	long long vm;

	h = job_on(getpid(), NULL, RESMON_JOB_TREE);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, pipe2(gate, O_CLOEXEC));
	u0 = usage_of(h);
	EXPECT_EQ(RESMON_JOB_TREE, u0.flags);
	EXPECT_EQ(1, u0.members_now);
	EXPECT_EQ(1, u0.members_ever);

	for (i = 0; i < 3; i++) {
		kids[i] = fork();
		ASSERT_LE(0, kids[i]);
		if (!kids[i]) {
			close(gate[1]);
			open_n(10);
			block_on(gate[0]);
			_exit(0);
		}
	}
	/* Every child joined in fork(), before it ran. */
	u = usage_of(h);
	EXPECT_EQ(4, u.members_now);
	EXPECT_EQ(4, u.members_ever);
	/* Each child brought a copy of our VmData. */
	vm = rm_vmdata(0);
	EXPECT_EQ((unsigned long long)vm * 4, u.usage[RESMON_DATA]);
	/* Their opens: 30 (and our reads of /proc/self/status: 1). */
	for (i = 0; i < WAIT_MS / 10; i++) {
		if (usage_of(h).usage[RESMON_OPENS] >= u0.usage[RESMON_OPENS] + 31)
			break;
		sleep_ms(10);
	}
	EXPECT_EQ(u0.usage[RESMON_OPENS] + 31, usage_of(h).usage[RESMON_OPENS]);

	close(gate[1]);
	close(gate[0]);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(kids[i], waitpid(kids[i], &st, 0));
		ASSERT_EXITED_OK(st);
	}
	u = usage_of(h);
	EXPECT_EQ(1, u.members_now);
	EXPECT_EQ(4, u.members_ever);
	/* Their data left with them: ours alone is left. */
	EXPECT_GE((unsigned long long)rm_vmdata(0) + 2 * MIB, u.usage[RESMON_DATA]);
	close(h);
}

/* Threads belong to their process: no members of their own. */
static void *thread_opens(void *arg)
{
	(void)arg;
	open_n(2);
	return NULL;
}

TEST(threads_are_not_members)
{
	struct resmon_job_usage u0, u;
	pthread_t t[3];
	int h, i;

	h = job_on(getpid(), NULL, RESMON_JOB_TREE);
	ASSERT_LE(0, h);
	u0 = usage_of(h);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, thread_opens, NULL));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_join(t[i], NULL));
	u = usage_of(h);
	EXPECT_EQ(1, u.members_now);
	EXPECT_EQ(1, u.members_ever);
	EXPECT_EQ(u0.usage[RESMON_OPENS] + 6, u.usage[RESMON_OPENS]);
	close(h);
}

/*
 * A child that double-forks and calls setsid(): its grandchild, orphaned
 * and in a session of its own, is still a member, and the seed's calls
 * see the job through it.
 */
TEST(double_fork_and_setsid_stay_in)
{
	struct per_proc_resource r;
	struct resmon_job_usage u;
	int h, gate[2], pids[2], st;
	pid_t c, g;

	be_subreaper(_metadata);
	h = job_on(getpid(), NULL, RESMON_JOB_TREE);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, pipe2(gate, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(pids, O_CLOEXEC));
	c = fork();
	ASSERT_LE(0, c);
	if (!c) {
		close(gate[1]);
		if (setsid() < 0)
			_exit(112);
		g = fork();
		if (g < 0)
			_exit(113);
		if (!g) {
			if (setsid() < 0)
				_exit(114);
			open_n(5);
			tell_pid(pids[1], getpid());
			block_on(gate[0]);
			_exit(0);
		}
		_exit(0);
	}
	close(gate[0]);
	close(pids[1]);
	ASSERT_EQ(c, waitpid(c, &st, 0));
	ASSERT_EXITED_OK(st);
	ASSERT_EQ(sizeof(g), read(pids[0], &g, sizeof(g)));
	u = usage_of(h);
	EXPECT_EQ(2, u.members_now);
	EXPECT_EQ(3, u.members_ever);
	/* register: already monitored; fetch: the job's totals. */
	EXPECT_EQ(-ENFILE, rm_register(g));
	ASSERT_EQ(0, rm_fetch(&r, g));
	EXPECT_EQ(u.usage[RESMON_OPENS], r.openfile_count);
	close(gate[1]);
	ASSERT_EQ(g, waitpid(g, &st, 0));
	ASSERT_EXITED_OK(st);
	EXPECT_EQ(1, usage_of(h).members_now);
	close(pids[0]);
	close(h);
}

/*
 * vfork and posix_spawn children share our memory until they exec: they
 * add nothing to the job's data; after the exec their new image counts.
 */
static int clone_vm_child(void *arg)
{
	int *fds = arg;
	/* Only async-signal-safe calls: our memory is the parent's. */
	if (dup2(fds[0], 0) < 0)
		_exit(115);
	/* Wait for the test's look at the data before exec. */
	{
		char c;

		if (read(fds[2], &c, 1) != 1)
			_exit(117);
	}
	execve("/bin/cat", cat_argv, no_env);
	_exit(118);
}

static bool comm_is(pid_t pid, const char *want)
{
	char path[64], buf[32] = "";
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return !strcmp(buf, want);
}

TEST(clone_vm_child_adds_data_only_after_exec)
{
	int in[2], go[2], fds[3], h, st, i;
	unsigned long long before, after, sum;
	struct resmon_job_usage u;
	posix_spawn_file_actions_t fa;
	size_t stack_size = 256 * 1024;
	char *stack;
	pid_t c, s;

	/* Close-on-exec: cat keeps only its stdin. */
	ASSERT_EQ(0, pipe2(in, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	h = job_on(getpid(), NULL, RESMON_JOB_TREE);
	ASSERT_LE(0, h);

	/* posix_spawn: a CLONE_VM|CLONE_VFORK child, in and gone. */
	before = usage_of(h).usage[RESMON_DATA];
	ASSERT_EQ(0, posix_spawn_file_actions_init(&fa));
	ASSERT_EQ(0, posix_spawn(&s, "/bin/true", &fa, NULL, true_argv, no_env));
	ASSERT_EQ(s, waitpid(s, &st, 0));
	ASSERT_EXITED_OK(st);
	posix_spawn_file_actions_destroy(&fa);
	u = usage_of(h);
	EXPECT_EQ(2, u.members_ever);
	EXPECT_EQ(1, u.members_now);
	EXPECT_EQ(before, u.usage[RESMON_DATA]);

	/* A CLONE_VM child that waits before its exec: no data yet. */
	fds[0] = in[0];
	fds[1] = in[0];
	fds[2] = go[0];
	stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	ASSERT_NE(MAP_FAILED, stack);
	before = usage_of(h).usage[RESMON_DATA];
	c = clone(clone_vm_child, stack + stack_size, CLONE_VM | SIGCHLD, fds);
	ASSERT_LT(0, c);
	u = usage_of(h);
	EXPECT_EQ(2, u.members_now);
	EXPECT_EQ(3, u.members_ever);
	EXPECT_EQ(before, u.usage[RESMON_DATA]);

	/* After its exec: cat's VmData joins. */
	ASSERT_EQ(1, write(go[1], "g", 1));
	for (i = 0; i < WAIT_MS / 10 && !comm_is(c, "cat"); i++)
		sleep_ms(10);
	ASSERT_TRUE(comm_is(c, "cat"));
	/*
	 * Ours and cat's, as /proc tells them on both sides of the read of
	 * the job: cat's loader may still be mapping when its comm changes,
	 * so only a read that both sides agree with is a snapshot.
	 */
	for (i = 0; i < WAIT_MS / 10; i++) {
		sum = rm_vmdata(0) + rm_vmdata(c);
		after = usage_of(h).usage[RESMON_DATA];
		if (after == sum && sum == rm_vmdata(0) + rm_vmdata(c))
			break;
		sleep_ms(10);
	}
	EXPECT_EQ(sum, after);
	close(in[1]);
	ASSERT_EQ(c, waitpid(c, &st, 0));
	ASSERT_EXITED_OK(st);
	EXPECT_EQ(rm_vmdata(0), usage_of(h).usage[RESMON_DATA]);
	munmap(stack, stack_size);
	close(in[0]);
	close(go[0]);
	close(go[1]);
	close(h);
}

/* ---- limits and kill scope ---- */

struct four_arg {
	int pids_w;	/* children's pids to the test */
	int gate_r;	/* the test closes gate_w to let them go on */
	int gate_w;
	size_t each;	/* each child's mapping */
};

/* The root: four children, each maps @each (VmData) and waits. */
static void four_children(void *arg)
{
	struct four_arg *a = arg;
	int i;

	close(a->gate_w);
	rm_mark('r');
	rm_wait_go();
	for (i = 0; i < 4; i++) {
		pid_t p = fork();

		if (p < 0)
			_exit(112);
		if (!p) {
			if (mmap(NULL, a->each, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
				_exit(113);
			tell_pid(a->pids_w, getpid());
			block_on(a->gate_r);
			_exit(0);
		}
	}
	block_on(a->gate_r);
}

/*
 * Four children of 40 MiB each, under a 100 MiB (plus their base) data
 * limit that none goes over alone: the job is killed whole in the third
 * child's mmap. Without the tree flag the same root finishes.
 */
static void run_four(struct __test_metadata *_metadata, unsigned int flags,
		     bool killed)
{
	struct resmon_job_limits l = rm_job_no_limits();
	struct four_arg a = { .each = 40 * MIB };
	struct resmon_job_event ev;
	int h, pids[2], gate[2], n = 0;
	unsigned long long limit;
	struct reaped r;
	struct rm_child c;
	pid_t p;

	be_subreaper(_metadata);
	ASSERT_EQ(0, pipe2(pids, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(gate, O_CLOEXEC));
	a.pids_w = pids[1];
	a.gate_r = gate[0];
	a.gate_w = gate[1];
	ASSERT_LT(0, rm_spawn(&c, four_children, &a));
	close(pids[1]);
	close(gate[0]);
	ASSERT_EQ('r', rm_read_mark(&c));
	/* Five copies of the root's data, and room for 2.5 children. */
	limit = 5 * rm_vmdata(c.pid) + 100 * MIB;
	rm_job_limit(&l, RESMON_DATA, 1, limit);
	h = job_on(c.pid, &l, flags);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, rm_go(&c));
	/* Killed: the pipe closes with the last member; else four pids. */
	while (n < 4 && read(pids[0], &p, sizeof(p)) == sizeof(p))
		n++;
	if (killed) {
		EXPECT_GE(3, n);
		ASSERT_TRUE(wait_members(h, 0));
	} else {
		EXPECT_EQ(4, n);
		EXPECT_EQ(1, usage_of(h).members_ever);
		EXPECT_EQ(1, usage_of(h).members_now);
		close(gate[1]);
		gate[1] = -1;
	}
	if (killed)
		ASSERT_KILLED(rm_reap(&c));
	else
		ASSERT_EXITED_OK(rm_reap(&c));
	r = reap_all();
	if (killed) {
		/* The root is reaped above; its children here, all killed. */
		EXPECT_EQ(0, r.exited + r.failed + r.other_sig);
		EXPECT_LE(2, r.killed);
		EXPECT_LT(limit, usage_of(h).data_peak);
		ASSERT_EQ(1, next_event(h, &ev));
		EXPECT_EQ(RESMON_EVENT_KILL, ev.type);
		EXPECT_EQ(RESMON_DATA, ev.resource);
		EXPECT_EQ(limit, ev.limit);
		EXPECT_LT(limit, ev.value);
	} else {
		EXPECT_EQ(0, r.killed + r.failed + r.other_sig);
	}
	EXPECT_EQ(0, usage_of(h).members_now);
	EXPECT_EQ(0, usage_of(h).usage[RESMON_DATA]);
	if (gate[1] >= 0)
		close(gate[1]);
	close(pids[0]);
	close(h);
}

TEST(data_sum_of_children_kills_whole_job)
{
	run_four(_metadata, RESMON_JOB_TREE, true);
}

TEST(data_sum_without_tree_runs_to_the_end)
{
	run_four(_metadata, 0, false);
}

/* The fork is the crossing call: its caller is the offender. */
static void fork_over(void *arg)
{
	(void)arg;
	rm_mark('r');
	rm_wait_go();
	if (!fork()) {
		/* Killed before it runs a single instruction. */
		rm_mark('c');
		_exit(0);
	}
	rm_mark('p');
	pause();
}

TEST(fork_crossing_data_kills_before_child_runs)
{
	struct resmon_job_limits l = rm_job_no_limits();
	struct resmon_job_event ev;
	unsigned long long limit;
	struct rm_child c;
	struct reaped r;
	char m[8];
	int h;

	be_subreaper(_metadata);
	ASSERT_LT(0, rm_spawn(&c, fork_over, NULL));
	ASSERT_EQ('r', rm_read_mark(&c));
	/* The root alone is under; a second copy of it is over. */
	limit = rm_vmdata(c.pid) + rm_vmdata(c.pid) / 2;
	rm_job_limit(&l, RESMON_DATA, 1, limit);
	h = job_on(c.pid, &l, RESMON_JOB_TREE);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, rm_go(&c));
	rm_read_marks(&c, m, sizeof(m));
	EXPECT_STREQ("", m);
	ASSERT_KILLED(rm_reap(&c));
	r = reap_all();
	EXPECT_EQ(1, r.killed);
	EXPECT_EQ(0, r.exited + r.failed + r.other_sig);
	EXPECT_EQ(0, usage_of(h).members_now);
	EXPECT_EQ(2, usage_of(h).members_ever);
	ASSERT_EQ(1, next_event(h, &ev));
	EXPECT_EQ(RESMON_EVENT_KILL, ev.type);
	EXPECT_EQ(RESMON_DATA, ev.resource);
	EXPECT_EQ(c.pid, ev.pid);
	close(h);
}

/*
 * Every member forks as fast as it can (bounded: 2^8 processes) while the
 * test sets a limit below the job's value: the whole job dies, the
 * members forked during the kill too. The count of kills one waiter sees
 * is not exact (the root may be reaped before the last forks end), so the
 * test asks for no survivor rather than a number.
 */
static void fork_loop(void *arg)
{
	int i;

	(void)arg;
	rm_mark('r');
	rm_wait_go();
	for (i = 0; i < 8; i++) {
		pid_t p = fork();

		if (p < 0)
			pause();
		if (p == 0)
			rm_mark('f');
		sleep_ms(5);
	}
	pause();
}

TEST(whole_job_kill_catches_forks_during_it)
{
	struct rm_child c;
	struct reaped r;
	int h, i;

	be_subreaper(_metadata);
	ASSERT_LT(0, rm_spawn(&c, fork_loop, NULL));
	ASSERT_EQ('r', rm_read_mark(&c));
	h = job_on(c.pid, NULL, RESMON_JOB_TREE);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, rm_go(&c));
	/* Some forks have happened, most are still to come. */
	for (i = 0; i < 4; i++)
		ASSERT_EQ('f', rm_read_mark(&c));
	/* A data limit of one byte: crossed at once, by this call. */
	ASSERT_EQ(0, set_one(h, RESMON_DATA, 1, 1));
	ASSERT_TRUE(wait_members(h, 0));
	ASSERT_KILLED(rm_reap(&c));
	r = reap_all();
	EXPECT_LE(2, r.killed);
	EXPECT_EQ(0, r.exited + r.failed + r.other_sig);
	EXPECT_EQ(0, usage_of(h).members_now);
	EXPECT_LE(5, usage_of(h).members_ever);
	close(h);
}

/* Offender scope: only the process whose call crossed dies. */
static void offender_and_bystander(void *arg)
{
	int *gate = arg;
	pid_t p;

	close(gate[1]);
	rm_mark('r');
	rm_wait_go();
	p = fork();
	if (p < 0)
		_exit(112);
	if (!p) {
		/* The bystander: no opens. */
		block_on(gate[0]);
		_exit(0);
	}
	p = fork();
	if (p < 0)
		_exit(113);
	if (!p) {
		rm_mark('o');
		open_n(10);
		rm_mark('x');
		_exit(0);
	}
	block_on(gate[0]);
}

TEST(offender_scope_kills_only_the_offender)
{
	struct resmon_job_limits l = rm_job_no_limits();
	struct pollfd pfd = { .events = POLLIN };
	struct resmon_job_event ev;
	int h, gate[2];
	struct rm_child c;
	struct reaped r;

	be_subreaper(_metadata);
	ASSERT_EQ(0, pipe2(gate, O_CLOEXEC));
	ASSERT_LT(0, rm_spawn(&c, offender_and_bystander, gate));
	close(gate[0]);
	ASSERT_EQ('r', rm_read_mark(&c));
	rm_job_limit(&l, RESMON_OPENS, 1, 5);
	h = job_on(c.pid, &l, RESMON_JOB_TREE | RESMON_JOB_KILL_OFFENDER);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, rm_go(&c));
	ASSERT_EQ('o', rm_read_mark(&c));
	/* The offender (the root's child) is killed in its sixth open. */
	pfd.fd = h;
	ASSERT_EQ(1, poll(&pfd, 1, WAIT_MS));
	ASSERT_EQ(1, next_event(h, &ev));
	EXPECT_EQ(RESMON_EVENT_KILL, ev.type);
	EXPECT_EQ(RESMON_OPENS, ev.resource);
	EXPECT_NE(c.pid, ev.pid);
	/* The root and the bystander go on. */
	ASSERT_TRUE(wait_members(h, 2));
	EXPECT_EQ(3, usage_of(h).members_ever);
	close(gate[1]);
	ASSERT_EXITED_OK(rm_reap(&c));
	/* The root's children, ours once it exited: one killed, one not. */
	r = reap_all();
	EXPECT_EQ(1, r.exited);
	EXPECT_EQ(1, r.killed);
	EXPECT_EQ(0, r.failed + r.other_sig);
	EXPECT_EQ(0, usage_of(h).members_now);
	close(h);
}

/*
 * A fork bomb (every process forks 8 times over: 2^8 at most) under a
 * data limit that 24 copies of the root go over: killed completely, and
 * once every member is reaped and the handle closed nothing is left, not
 * even in /proc/resmon.
 */
static void bomb(void *arg)
{
	int i;

	(void)arg;
	rm_mark('r');
	rm_wait_go();
	for (i = 0; i < 8; i++)
		if (fork() < 0)
			break;
	pause();
}

TEST(fork_bomb_leaves_nothing_behind)
{
	struct resmon_job_limits l = rm_job_no_limits();
	struct rm_proc_line lines[64];
	struct per_proc_resource rec;
	int h, before, after;
	struct rm_child c;
	struct reaped r;

	be_subreaper(_metadata);
	before = rm_read_proc_resmon(lines, 64);
	ASSERT_LE(0, before);
	ASSERT_LT(0, rm_spawn(&c, bomb, NULL));
	ASSERT_EQ('r', rm_read_mark(&c));
	/* A process group of its own, so that a failure can clean up. */
	ASSERT_EQ(0, setpgid(c.pid, c.pid));
	rm_job_limit(&l, RESMON_DATA, 1, 24 * rm_vmdata(c.pid));
	h = job_on(c.pid, &l, RESMON_JOB_TREE);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, rm_go(&c));
	if (!wait_members(h, 0))
		kill(-c.pid, SIGKILL);	/* never leave a bomb behind */
	EXPECT_EQ(0, usage_of(h).members_now);
	EXPECT_LE(24, usage_of(h).members_ever);
	ASSERT_KILLED(rm_reap(&c));
	r = reap_all();
	EXPECT_EQ(0, r.exited + r.failed + r.other_sig);
	/* Reaped: no process, no record (the list below says). */
	EXPECT_NE(0, rm_fetch(&rec, c.pid));
	close(h);
	after = rm_read_proc_resmon(lines, 64);
	EXPECT_EQ(before, after);
}

/* A member in a new user and pid namespace is still a member. */
static void unshare_then_fork(void *arg)
{
	int *fds = arg;
	pid_t p;

	close(fds[1]);
	rm_mark('r');
	rm_wait_go();
	if (unshare(CLONE_NEWUSER) || unshare(CLONE_NEWPID))
		_exit(112);
	p = fork();
	if (p < 0)
		_exit(113);
	if (!p) {
		if (getpid() != 1)
			_exit(114);
		open_n(3);
		rm_mark('n');
		block_on(fds[0]);
		_exit(0);
	}
	block_on(fds[0]);
	if (waitpid(p, NULL, 0) != p)
		_exit(115);
}

TEST(new_user_and_pid_namespace_stay_in)
{
	struct resmon_job_usage u0, u;
	int h, gate[2];
	struct rm_child c;

	ASSERT_EQ(0, pipe2(gate, O_CLOEXEC));
	ASSERT_LT(0, rm_spawn(&c, unshare_then_fork, gate));
	close(gate[0]);
	ASSERT_EQ('r', rm_read_mark(&c));
	h = job_on(c.pid, NULL, RESMON_JOB_TREE);
	ASSERT_LE(0, h);
	u0 = usage_of(h);
	ASSERT_EQ(0, rm_go(&c));
	ASSERT_EQ('n', rm_read_mark(&c));
	u = usage_of(h);
	EXPECT_EQ(2, u.members_now);
	EXPECT_EQ(2, u.members_ever);
	EXPECT_EQ(u0.usage[RESMON_OPENS] + 3, u.usage[RESMON_OPENS]);
	close(gate[1]);
	ASSERT_EXITED_OK(rm_reap(&c));
	EXPECT_EQ(0, usage_of(h).members_now);
	close(h);
}

/*
 * A member's pid, once it exited, given to an outsider: the outsider is
 * not in the job. ns_last_pid makes the reuse certain where it can be
 * written (root in the initial pid namespace); elsewhere any outsider
 * is checked.
 */
TEST(pid_reuse_makes_no_outsider_a_member)
{
	struct per_proc_resource r;
	char buf[32];
	int h, fd, st, gate[2], pids[2];
	pid_t m, o;

	ASSERT_EQ(0, pipe2(gate, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(pids, O_CLOEXEC));
	h = job_on(getpid(), NULL, RESMON_JOB_TREE);
	ASSERT_LE(0, h);
	m = fork();
	ASSERT_LE(0, m);
	if (!m)
		_exit(0);
	ASSERT_EQ(m, waitpid(m, &st, 0));
	EXPECT_EQ(1, usage_of(h).members_now);
	close(h);	/* the test process stays a member */

	/* The outsider: forked by a process in no job, its pid m if we can. */
	o = fork();
	ASSERT_LE(0, o);
	if (!o) {
		pid_t x;

		close(gate[1]);
		if (rm_deregister(getpid()))
			_exit(112);
		fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			snprintf(buf, sizeof(buf), "%d", m - 1);
			(void)!write(fd, buf, strlen(buf));
			close(fd);
		}
		x = fork();
		if (x < 0)
			_exit(113);
		if (!x) {
			char c;

			(void)!read(gate[0], &c, 1);
			_exit(0);
		}
		tell_pid(pids[1], x);
		if (waitpid(x, NULL, 0) != x)
			_exit(115);
		_exit(0);
	}
	ASSERT_EQ(sizeof(o), read(pids[0], &o, sizeof(o)));
	if (o != m)
		TH_LOG("pid %d not reused (got %d): checking the outsider anyway", m, o);
	/* A live process that is not monitored: fetch's -EINVAL. */
	EXPECT_EQ(-EINVAL, rm_fetch(&r, o));
	close(gate[1]);
	close(gate[0]);
	close(pids[0]);
	close(pids[1]);
	reap_all();
	EXPECT_EQ(0, rm_deregister(getpid()));
}

/* The soft signal goes to every member. */
static void three_waiting(void *arg)
{
	int *gate = arg;
	int i;

	rm_mark('r');
	rm_wait_go();
	for (i = 0; i < 2; i++) {
		pid_t p = fork();

		if (p < 0)
			_exit(112);
		if (!p)
			break;
	}
	rm_mark('w');
	block_on(*gate);
	_exit(0);
}

TEST(soft_signal_reaches_every_member)
{
	struct resmon_job_limits l = rm_job_no_limits();
	struct resmon_job_event ev;
	int h, gate[2], i;
	struct rm_child c;
	struct reaped r;

	be_subreaper(_metadata);
	ASSERT_EQ(0, pipe2(gate, O_CLOEXEC));
	ASSERT_LT(0, rm_spawn(&c, three_waiting, &gate[0]));
	close(gate[0]);
	ASSERT_EQ('r', rm_read_mark(&c));
	l.mask |= RESMON_LIMIT_SOFT_SIGNAL;
	l.soft_signal = SIGUSR1;
	h = job_on(c.pid, &l, RESMON_JOB_TREE);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, rm_go(&c));
	for (i = 0; i < 3; i++)
		ASSERT_EQ('w', rm_read_mark(&c));
	EXPECT_EQ(3, usage_of(h).members_now);
	/* Below the value: crossed at once, by this call. */
	ASSERT_EQ(0, set_one(h, RESMON_DATA, 0, 1));
	ASSERT_TRUE(WIFSIGNALED(rm_reap(&c)));
	r = reap_all();
	EXPECT_EQ(2, r.other_sig);
	EXPECT_EQ(SIGUSR1, r.sig);
	EXPECT_EQ(0, r.exited + r.killed + r.failed);
	ASSERT_EQ(1, next_event(h, &ev));
	EXPECT_EQ(RESMON_EVENT_SOFT, ev.type);
	EXPECT_EQ(SIGUSR1, ev.signal);
	close(gate[1]);
	close(h);
}

/*
 * Members exit while the limits change under them (both sides take the
 * job's lock): nothing is killed, nothing lost, the counts are exact.
 */
struct churn {
	int h;
	bool stop;	/* polled by the thread: atomic loads and stores */
};

static void *limit_changer(void *arg)
{
	struct churn *ch = arg;
	unsigned long long v = 1000000;

	while (!__atomic_load_n(&ch->stop, __ATOMIC_RELAXED)) {
		set_one(ch->h, RESMON_OPENS, 1, v);
		set_one(ch->h, RESMON_DATA, 0, 1ULL << 40);
		v = v == 1000000 ? 2000000 : 1000000;
	}
	return NULL;
}

static void fork_exit_loop(void *arg)
{
	int *n_w = arg;
	int n;

	rm_mark('r');
	rm_wait_go();
	for (n = 0; n < 200; n++) {
		pid_t p = fork();

		if (p < 0)
			_exit(112);
		if (!p) {
			open_n(1);
			_exit(0);
		}
		if (waitpid(p, NULL, 0) != p)
			_exit(113);
	}
	if (write(*n_w, &n, sizeof(n)) != sizeof(n))
		_exit(114);
}

TEST(exits_race_limit_changes)
{
	struct churn ch = {};
	struct resmon_job_event ev;
	struct resmon_job_usage u;
	struct rm_child c;
	pthread_t t;
	int nfd[2], n = 0;

	ASSERT_EQ(0, pipe2(nfd, O_CLOEXEC));
	ASSERT_LT(0, rm_spawn(&c, fork_exit_loop, &nfd[1]));
	close(nfd[1]);
	ASSERT_EQ('r', rm_read_mark(&c));
	ch.h = job_on(c.pid, NULL, RESMON_JOB_TREE);
	ASSERT_LE(0, ch.h);
	ASSERT_EQ(0, pthread_create(&t, NULL, limit_changer, &ch));
	ASSERT_EQ(0, rm_go(&c));
	ASSERT_EQ(sizeof(n), read(nfd[0], &n, sizeof(n)));
	__atomic_store_n(&ch.stop, true, __ATOMIC_RELAXED);
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_EXITED_OK(rm_reap(&c));
	u = usage_of(ch.h);
	EXPECT_EQ(0, u.members_now);
	EXPECT_EQ(201, u.members_ever);
	EXPECT_LE(200, u.usage[RESMON_OPENS]);
	EXPECT_EQ(0, u.usage[RESMON_DATA]);
	ASSERT_EQ(1, next_event(ch.h, &ev));
	EXPECT_EQ(RESMON_EVENT_EMPTY, ev.type);
	close(nfd[0]);
	close(ch.h);
}

/* deregister(member) takes that member out; /proc/resmon lists each. */
TEST(seed_calls_see_each_member)
{
	struct rm_proc_line lines[64];
	struct resmon_job_usage u;
	int h, gate[2], n, st;
	pid_t k;

	ASSERT_EQ(0, pipe2(gate, O_CLOEXEC));
	h = job_on(getpid(), NULL, RESMON_JOB_TREE);
	ASSERT_LE(0, h);
	k = fork();
	ASSERT_LE(0, k);
	if (!k) {
		close(gate[1]);
		block_on(gate[0]);
		_exit(0);
	}
	n = rm_read_proc_resmon(lines, 64);
	ASSERT_LE(0, n);
	EXPECT_LE(0, rm_find_proc_line(lines, n, getpid()));
	EXPECT_LE(0, rm_find_proc_line(lines, n, k));
	u = usage_of(h);
	EXPECT_EQ(2, u.members_now);
	/* No limits: deregister needs nothing more. */
	EXPECT_EQ(0, rm_deregister(k));
	EXPECT_EQ(1, usage_of(h).members_now);
	n = rm_read_proc_resmon(lines, 64);
	EXPECT_GT(0, rm_find_proc_line(lines, n, k));
	close(gate[1]);
	ASSERT_EQ(k, waitpid(k, &st, 0));
	ASSERT_EXITED_OK(st);
	EXPECT_EQ(0, rm_deregister(getpid()));
	EXPECT_EQ(0, usage_of(h).members_now);
	close(gate[0]);
	close(h);
}

/* ---- a member that execs a setuid program ---- */

#define NOBODY		65534

struct suid_args {
	const char *helper;
	bool self_made;		/* the unprivileged root made the job itself */
};

/*
 * As uid 65534: maybe make a tree job of itself (no CAP_SYS_RESOURCE), then
 * at the first go fork the member that, at the second, execs the setuid
 * helper (its euid to the marker pipe, EOF on the go pipe ends it).
 */
static void member_execs_suid(void *arg)
{
	const struct suid_args *a = arg;
	struct resmon_job_limits l = rm_job_no_limits();
	pid_t g;
	int st;

	rm_job_limit(&l, RESMON_OPENS, 1, 100000);
	if (rm_drop_to(NOBODY, NOBODY))
		_exit(10);
	if (a->self_made && job_on(getpid(), &l, RESMON_JOB_TREE) < 0)
		_exit(11);
	rm_mark('r');
	rm_wait_go();
	g = fork();
	if (g < 0)
		_exit(12);
	if (!g) {
		rm_wait_go();
		if (dup2(rm_go_r, 0) || dup2(rm_mark_w, 1) != 1)
			_exit(13);
		execl(a->helper, "resmon_exec_helper", "wait", (char *)NULL);
		_exit(14);
	}
	tell_pid(rm_mark_w, g);
	if (waitpid(g, &st, 0) != g || !WIFEXITED(st) || WEXITSTATUS(st))
		_exit(15);
}

/*
 * SPEC's secure-exec rule, for a job's member: a privilege-gaining execve
 * takes the member out of its job, as if deregistered, unless the limits
 * were set by a caller with CAP_SYS_RESOURCE over it (here root, creating
 * the job). The job's other members stay either way.
 */
static void suid_member(struct __test_metadata *_metadata, bool self_made, bool stays)
{
	char helper[64] = "/tmp/resmon-suid-helper.XXXXXX";
	const struct suid_args a = { .helper = helper, .self_made = self_made };
	struct resmon_job_limits l = rm_job_no_limits();
	struct per_proc_resource r;
	struct rm_child c;
	int euid = -1, h = -1;
	pid_t g;

	ASSERT_EQ(0, rm_suid_copy(helper));
	ASSERT_LT(0, rm_spawn(&c, member_execs_suid, (void *)&a));
	ASSERT_EQ('r', rm_read_mark(&c));
	if (!self_made) {
		rm_job_limit(&l, RESMON_OPENS, 1, 100000);
		h = job_on(c.pid, &l, RESMON_JOB_TREE);
		ASSERT_LE(0, h);
	}
	ASSERT_EQ(0, rm_go(&c));
	ASSERT_EQ(sizeof(g), read(c.mark_r, &g, sizeof(g)));
	/* A member before its exec: the seed's fetch sees it. */
	EXPECT_EQ(0, rm_fetch(&r, g));
	ASSERT_EQ(0, rm_go(&c));
	ASSERT_EQ(sizeof(euid), read(c.mark_r, &euid, sizeof(euid)));
	/* The exec did gain privilege (no nosuid mount in the way). */
	ASSERT_EQ(0, euid);
	EXPECT_EQ(stays ? 0 : -EINVAL, rm_fetch(&r, g));
	EXPECT_EQ(0, rm_fetch(&r, c.pid));
	if (h >= 0) {
		EXPECT_EQ(stays ? 2 : 1, usage_of(h).members_now);
		EXPECT_EQ(2, usage_of(h).members_ever);
		close(h);
	}
	ASSERT_EXITED_OK(rm_reap(&c));
	unlink(helper);
}

TEST(setuid_exec_leaves_a_job_its_user_made)
{
	suid_member(_metadata, true, false);
}

TEST(setuid_exec_stays_in_a_job_root_made)
{
	suid_member(_metadata, false, true);
}

int main(int argc, char **argv)
{
	return rm_test_main(argc, argv);
}
