// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmond_tree_test: SPEC's tree jobs (issue 17) on the eBPF edition,
 * through libresmon's job calls, as root with resmond up
 * (scripts/ebpf-tests.sh). Each case forks a root process that waits on a
 * pipe, makes a tree job on it, lets it go, and reads the job through the
 * handle once every member is gone (the EMPTY event). The test is a child
 * subreaper, so members orphaned by a kill are reaped and counted here.
 *  1. a child's opens are counted in the job, with the root's.
 *  2. a double fork with setsid() stays in the job; a handle opened on the
 *     grandchild's pid is the same job.
 *  3. four children of 48 MiB each, each under the data limit alone, go
 *     over together: every member is killed, KILL names data.
 *  4. a vfork child adds no data until it execs, then its own image's.
 *  5. members_ever counts the root and each of 20 children exactly.
 *  6. threads are not members: members 1, their opens counted.
 *  7. a whole-job kill while members fork in a loop: no survivor.
 *  8. offender scope: only the process whose call crossed dies.
 *  9. a fork bomb under a data limit is killed whole and leaves no record
 *     of its job in resmond's records map.
 * 10. the soft signal reaches every member.
 * 11. a member waiting for the offender dies in its wait, never runs on.
 * TAP output; exit status 1 on failure.
 */
#include "resmon.h"
#include "resmon/bpf_abi.h"
#include "resmon/resmond_client.h"
#include "proc_status.h"
#include "tap.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MIB		(1ULL << 20)
#define RECORDS_PIN	"/sys/fs/bpf/resmon/map_records"

/* What a case saw once its job was empty. */
struct outcome {
	struct resmon_job_usage u;
	struct resmon_job_event kill;	/* type 0: no KILL event */
	int empty;			/* the EMPTY event came */
	int reaped, killed;		/* descendants reaped, of them by SIGKILL */
	int root_status;
};

/* The root's side: wait for the go, run @fn, exit with its status. */
static pid_t start_root(int (*fn)(void *), void *arg, int *go)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(99);
		close(p[0]);
		_exit(fn(arg));
	}
	close(p[0]);
	*go = p[1];
	return pid;
}

static int job_on(pid_t pid, const struct resmon_job_limits *l, unsigned int flags)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), h;

	if (pidfd < 0)
		return -1;
	h = resmon_job_create(pidfd, l, l ? sizeof(*l) : 0, flags);
	close(pidfd);
	return h;
}

static void set_hard(struct resmon_job_limits *l, int res, uint64_t v)
{
	l->mask |= RESMON_LIMIT_HARD(res);
	l->hard[res] = v;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * Events until EMPTY (or @ms pass), the first KILL kept; then the usage,
 * and every descendant reaped (the root's status kept). A member left
 * behind keeps the job from being empty: the case fails on the timeout.
 */
static void finish(int h, pid_t root, int ms, struct outcome *o)
{
	struct resmon_job_event e;
	struct pollfd pfd = { .fd = h, .events = POLLIN };
	struct timespec t0;
	int st, n;
	pid_t p;

	memset(o, 0, sizeof(*o));
	o->root_status = -1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!o->empty && ms_since(&t0) < ms) {
		/* Reap as we go: the root's children come to us once it dies. */
		while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
			o->reaped++;
			o->killed += WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
			if (p == root)
				o->root_status = st;
		}
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = resmon_job_read_event(h, &e, sizeof(e));
		if (n <= 0)
			break;
		if (e.type == RESMON_EVENT_KILL && !o->kill.type)
			o->kill = e;
		if (e.type == RESMON_EVENT_EMPTY)
			o->empty = 1;
	}
	resmon_job_usage(h, &o->u, sizeof(o->u));
	/* Every member has exited once EMPTY came: what is left to reap is, shortly. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		p = waitpid(-1, &st, WNOHANG);
		if (p < 0 || (p == 0 && ms_since(&t0) > 2000))
			break;
		if (p == 0) {
			usleep(10000);
			continue;
		}
		o->reaped++;
		o->killed += WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
		if (p == root)
			o->root_status = st;
	}
	close(h);
}

/* Run @fn as the root of a tree job with @l and @flags; 0, or -1 if the job was refused. */
static int run_case(int (*fn)(void *), void *arg, const struct resmon_job_limits *l,
		    unsigned int flags, int ms, struct outcome *o)
{
	int go, h;
	pid_t root = start_root(fn, arg, &go);

	if (root < 0)
		return -1;
	h = job_on(root, l, flags | RESMON_JOB_TREE);
	if (h < 0) {
		printf("# tree job refused: %s\n", strerror(errno));
		kill(root, SIGKILL);
		close(go);
		waitpid(root, NULL, 0);
		return -1;
	}
	if (write(go, "g", 1) != 1)
		return -1;
	close(go);
	finish(h, root, ms, o);
	return 0;
}

static void opens(int n)
{
	while (n-- > 0)
		close(open("/dev/null", O_RDONLY));
}

/* 1: the root opens 3, a child 10. */
static int child_opens(void *arg)
{
	pid_t c = fork();

	(void)arg;
	if (c == 0) {
		opens(10);
		_exit(0);
	}
	opens(3);
	waitpid(c, NULL, 0);
	return 0;
}

static void test_child_opens(void)
{
	struct outcome o;

	if (run_case(child_opens, NULL, NULL, 0, 10000, &o)) {
		result(0, "tree job created (RESMON_JOB_TREE accepted)");
		return;
	}
	result(1, "tree job created (RESMON_JOB_TREE accepted)");
	result(o.empty, "EMPTY once the root and its child exited");
	result(o.u.usage[RESMON_OPENS] == 13, "a child's opens count in the job (3 + 10)");
	result(o.u.members_ever == 2 && o.u.members_now == 0, "members ever 2, now 0");
	if (o.u.usage[RESMON_OPENS] != 13 || o.u.members_ever != 2)
		printf("# opens %llu, members ever %llu now %u\n",
		       (unsigned long long)o.u.usage[RESMON_OPENS],
		       (unsigned long long)o.u.members_ever, o.u.members_now);
	result(o.u.flags & RESMON_JOB_TREE, "usage reports the tree flag");
}

/* 2: the root forks A, A setsid()s and forks B, A exits; B opens 5 and waits. */
struct dfork {
	int ready[2];	/* B writes its pid */
	int hold[2];	/* B exits when this closes */
};

static int double_fork(void *arg)
{
	struct dfork *d = arg;
	pid_t a = fork(), b;
	char c;

	if (a == 0) {
		setsid();
		b = fork();
		if (b == 0) {
			close(d->hold[1]);
			opens(5);
			b = getpid();
			if (write(d->ready[1], &b, sizeof(b)) != sizeof(b))
				_exit(1);
			while (read(d->hold[0], &c, 1) > 0)
				;
			_exit(0);
		}
		_exit(0);
	}
	waitpid(a, NULL, 0);
	return 0;
}

static void test_double_fork(void)
{
	struct resmon_job_usage u;
	struct dfork d;
	struct outcome o;
	int go, h, h2 = -1, pidfd;
	pid_t root, b = 0;

	if (pipe(d.ready) || pipe(d.hold))
		return;
	root = start_root(double_fork, &d, &go);
	h = job_on(root, NULL, RESMON_JOB_TREE);
	if (write(go, "g", 1) != 1 || h < 0) {
		result(0, "double fork: tree job");
		return;
	}
	close(go);
	close(d.ready[1]);
	close(d.hold[0]);
	if (read(d.ready[0], &b, sizeof(b)) != sizeof(b))
		b = 0;
	pidfd = b > 0 ? (int)syscall(SYS_pidfd_open, b, 0) : -1;
	if (pidfd >= 0) {
		h2 = resmon_job_open(pidfd);
		close(pidfd);
	}
	memset(&u, 0, sizeof(u));
	result(h2 >= 0 && resmon_job_usage(h2, &u, sizeof(u)) == 0 &&
	       u.usage[RESMON_OPENS] == 5 && u.members_ever == 3,
	       "after a double fork and setsid the grandchild is in the job (opened by its pid)");
	if (h2 >= 0)
		close(h2);
	close(d.hold[1]);
	finish(h, root, 10000, &o);
	close(d.ready[0]);
	result(o.empty && o.u.members_ever == 3 && o.u.members_now == 0,
	       "double fork: members ever 3, EMPTY after the grandchild's exit");
}

/* 3: four children map 48 MiB each and wait: the third's mmap crosses. */
static int four_children(void *arg)
{
	int i, hold[2];
	char c;

	(void)arg;
	if (pipe(hold))
		return 1;
	for (i = 0; i < 4; i++) {
		if (fork() == 0) {
			close(hold[1]);
			if (mmap(NULL, 48 * MIB, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
				_exit(2);
			while (read(hold[0], &c, 1) > 0)
				;
			_exit(0);
		}
		usleep(50000);
	}
	close(hold[0]);
	sleep(20);	/* killed before */
	return 0;
}

static void test_data_sum(void)
{
	struct resmon_job_limits l = { 0 };
	uint64_t base = vmdata(getpid());
	struct outcome o;

	/* Five processes of about base each, and 100 MiB: the third 48 MiB goes over. */
	set_hard(&l, RESMON_DATA, 5 * base + 100 * MIB);
	if (run_case(four_children, NULL, &l, 0, 15000, &o)) {
		result(0, "data sum: tree job");
		return;
	}
	result(o.kill.type == RESMON_EVENT_KILL && o.kill.resource == RESMON_DATA,
	       "four children of 48 MiB: the sum goes over the data limit (KILL data)");
	/* The root may die before its fourth fork. */
	result(o.empty && o.reaped >= 4 && o.killed == o.reaped,
	       "every member is killed (the root and its children)");
	if (o.reaped < 4 || o.killed != o.reaped)
		printf("# reaped %d, killed %d, members ever %llu\n", o.reaped, o.killed,
		       (unsigned long long)o.u.members_ever);
	result(o.u.data_peak > l.hard[RESMON_DATA] && o.u.usage[RESMON_DATA] == 0,
	       "data peak over the limit, data 0 once all exited");
}

/* 4: a vfork child waits on a pipe, then execs sleep. */
static int vfork_root(void *arg)
{
	int *p = arg;
	char c;
	pid_t v = vfork();

	if (v == 0) {
		if (read(p[0], &c, 1) != 1)
			_exit(1);
		execl("/bin/sleep", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	waitpid(v, NULL, 0);
	return 0;
}

static pid_t only_child(pid_t pid)
{
	char path[96];
	int c = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%d", &c) != 1)
		c = 0;
	fclose(f);
	return c;
}

static int comm_is(pid_t pid, const char *name)
{
	char path[64], comm[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = 0;
	fclose(f);
	comm[strcspn(comm, "\n")] = 0;
	return !strcmp(comm, name);
}

static void test_vfork(void)
{
	struct resmon_job_usage u;
	struct outcome o;
	int p[2], go, h, i;
	uint64_t before, after = 0, want = 0;
	pid_t root, v = 0;

	if (pipe(p))
		return;
	root = start_root(vfork_root, p, &go);
	h = job_on(root, NULL, RESMON_JOB_TREE);
	if (h < 0 || write(go, "g", 1) != 1) {
		result(0, "vfork: tree job");
		return;
	}
	close(go);
	for (i = 0; i < 200 && !(v = only_child(root)); i++)
		usleep(10000);
	memset(&u, 0, sizeof(u));
	for (i = 0; i < 200 && (resmon_job_usage(h, &u, sizeof(u)) || u.members_now != 2); i++)
		usleep(10000);
	before = u.usage[RESMON_DATA];
	result(v > 0 && u.members_now == 2 && before == vmdata(root),
	       "a vfork child is a member and adds no data (data = the parent's VmData)");
	if (before != vmdata(root))
		printf("# data %llu, parent's VmData %llu\n", (unsigned long long)before,
		       (unsigned long long)vmdata(root));
	if (write(p[1], "x", 1) != 1)
		return;
	for (i = 0; i < 300 && !comm_is(v, "sleep"); i++)
		usleep(10000);
	/* The exec's last mappings settle just after the comm changes. */
	for (i = 0; i < 100; i++) {
		want = vmdata(root) + vmdata(v);
		if (resmon_job_usage(h, &u, sizeof(u)) == 0 && (after = u.usage[RESMON_DATA]) == want)
			break;
		usleep(10000);
	}
	result(after == want, "after its exec the child adds its own image's VmData");
	if (after != want)
		printf("# data %llu, VmData sum %llu\n", (unsigned long long)after,
		       (unsigned long long)want);
	kill(v, SIGKILL);
	finish(h, root, 10000, &o);
	close(p[0]);
	close(p[1]);
	result(o.empty && o.u.members_ever == 2 && o.u.usage[RESMON_DATA] == 0,
	       "vfork: members ever 2, data 0 at the end");
}

/* 5: twenty children one after another. */
static int twenty(void *arg)
{
	int i;
	pid_t c;

	(void)arg;
	for (i = 0; i < 20; i++) {
		c = fork();
		if (c == 0)
			_exit(0);
		waitpid(c, NULL, 0);
	}
	return 0;
}

static void test_members_ever(void)
{
	struct outcome o;

	if (run_case(twenty, NULL, NULL, 0, 10000, &o)) {
		result(0, "members ever: tree job");
		return;
	}
	result(o.empty && o.u.members_ever == 21 && o.u.members_now == 0,
	       "members ever is exact: the root and 20 children");
	if (o.u.members_ever != 21)
		printf("# members ever %llu\n", (unsigned long long)o.u.members_ever);
}

/* 6: three threads open one file each while the root holds the job. */
static void *thread_open(void *arg)
{
	(void)arg;
	opens(1);
	return NULL;
}

static int threads(void *arg)
{
	pthread_t t[3];
	int i;

	(void)arg;
	for (i = 0; i < 3; i++)
		if (pthread_create(&t[i], NULL, thread_open, NULL))
			return 1;
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	return 0;
}

static void test_threads(void)
{
	struct outcome o;

	if (run_case(threads, NULL, NULL, 0, 10000, &o)) {
		result(0, "threads: tree job");
		return;
	}
	result(o.empty && o.u.members_ever == 1 && o.u.usage[RESMON_OPENS] == 3,
	       "threads are not members (members ever 1), their opens are the process's");
	if (o.u.members_ever != 1 || o.u.usage[RESMON_OPENS] != 3)
		printf("# members ever %llu, opens %llu\n", (unsigned long long)o.u.members_ever,
		       (unsigned long long)o.u.usage[RESMON_OPENS]);
}

/*
 * 7: four forkers fork short-lived children as fast as they can while the
 * root goes over its opens limit; every member dies, none forked meanwhile
 * survives (the job would not be empty).
 */
static int fork_race(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < 4; i++) {
		if (fork() == 0) {
			for (;;) {
				pid_t c = fork();

				if (c == 0) {
					if (fork() == 0)
						usleep(1000);
					_exit(0);
				}
				if (c > 0)
					waitpid(c, NULL, 0);
			}
		}
	}
	usleep(200000);
	opens(1000);
	sleep(20);
	return 0;
}

static void test_fork_race(void)
{
	struct resmon_job_limits l = { 0 };
	struct outcome o;

	set_hard(&l, RESMON_OPENS, 100);
	if (run_case(fork_race, NULL, &l, 0, 20000, &o)) {
		result(0, "fork race: tree job");
		return;
	}
	result(o.kill.type == RESMON_EVENT_KILL && o.kill.resource == RESMON_OPENS,
	       "fork race: the root's opens go over (KILL opens)");
	result(o.empty && o.u.members_now == 0,
	       "a whole-job kill while members fork in a loop leaves no survivor (EMPTY)");
	result(WIFSIGNALED(o.root_status) && WTERMSIG(o.root_status) == SIGKILL &&
	       o.killed >= 5, "the root and the forkers were killed");
	printf("# members ever %llu, reaped here %d (%d killed)\n",
	       (unsigned long long)o.u.members_ever, o.reaped, o.killed);
}

/* 8: two children wait; the first goes over the opens limit. */
struct offender {
	int hold[2];
	int pids[2];	/* the children write their pids */
};

static int offender_root(void *arg)
{
	struct offender *d = arg;
	int i, st0 = 0, st1 = 0;
	pid_t c[2];
	char x;

	for (i = 0; i < 2; i++) {
		c[i] = fork();
		if (c[i] == 0) {
			pid_t me = getpid();

			close(d->hold[1]);
			if (write(d->pids[1], &me, sizeof(me)) != sizeof(me))
				_exit(1);
			if (i == 0)
				opens(50);
			while (read(d->hold[0], &x, 1) > 0)
				;
			_exit(0);
		}
	}
	close(d->hold[1]);
	while (read(d->hold[0], &x, 1) > 0)
		;
	waitpid(c[0], &st0, 0);
	waitpid(c[1], &st1, 0);
	/* 7: the offender was killed, the other child ended by itself. */
	return WIFSIGNALED(st0) && WTERMSIG(st0) == SIGKILL && WIFEXITED(st1) ? 7 : 1;
}

static void test_offender(void)
{
	struct resmon_job_limits l = { 0 };
	struct offender d;
	struct outcome o;
	int go, h, i, alive;
	pid_t root, c[2] = { 0, 0 };

	set_hard(&l, RESMON_OPENS, 20);
	if (pipe(d.hold) || pipe(d.pids))
		return;
	root = start_root(offender_root, &d, &go);
	h = job_on(root, &l, RESMON_JOB_TREE | RESMON_JOB_KILL_OFFENDER);
	if (h < 0 || write(go, "g", 1) != 1) {
		result(0, "offender: tree job");
		return;
	}
	close(go);
	for (i = 0; i < 2; i++)
		if (read(d.pids[0], &c[i], sizeof(c[i])) != sizeof(c[i]))
			c[i] = 0;
	usleep(300000);
	alive = kill(root, 0) == 0 && (kill(c[0], 0) == 0 || kill(c[1], 0) == 0);
	close(d.hold[1]);
	close(d.hold[0]);
	finish(h, root, 10000, &o);
	result(o.kill.type == RESMON_EVENT_KILL && o.kill.resource == RESMON_OPENS &&
	       (o.kill.pid == c[0] || o.kill.pid == c[1]),
	       "offender scope: KILL names the child whose opens crossed");
	result(alive && WIFEXITED(o.root_status) && WEXITSTATUS(o.root_status) == 7,
	       "offender scope: only the offender died, the job went on");
	close(d.pids[0]);
	close(d.pids[1]);
}

/* 9: every process forks 12 times (no exits), under a data limit. */
static int bomb(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < 12; i++)
		fork();
	pause();
	return 0;
}

/* Records in resmond's pinned map naming job @id; -1 if it cannot be read. */
static int records_of_job(uint64_t id)
{
	int fd = bpf_obj_get(RECORDS_PIN), n = 0, more;
	struct resmon_rec rec;
	uint64_t key, next;

	if (fd < 0)
		return -1;
	more = bpf_map_get_next_key(fd, NULL, &next) == 0;
	while (more) {
		key = next;
		more = bpf_map_get_next_key(fd, &key, &next) == 0;
		n += bpf_map_lookup_elem(fd, &key, &rec) == 0 && rec.job == id;
	}
	close(fd);
	return n;
}

/* The job id of the record of @tgid; 0 if none. */
static uint64_t job_of(pid_t tgid)
{
	int fd = bpf_obj_get(RECORDS_PIN), more;
	struct resmon_rec rec;
	uint64_t key, next, id = 0;

	if (fd < 0)
		return 0;
	more = bpf_map_get_next_key(fd, NULL, &next) == 0;
	while (more && !id) {
		key = next;
		more = bpf_map_get_next_key(fd, &key, &next) == 0;
		if (bpf_map_lookup_elem(fd, &key, &rec) == 0 && rec.tgid == (uint32_t)tgid)
			id = rec.job;
	}
	close(fd);
	return id;
}

static void test_fork_bomb(void)
{
	struct resmon_job_limits l = { 0 };
	struct outcome o;
	uint64_t id;
	int go, h, left;
	pid_t root;

	set_hard(&l, RESMON_DATA, 64 * vmdata(getpid()) + 64 * MIB);
	root = start_root(bomb, NULL, &go);
	h = job_on(root, &l, RESMON_JOB_TREE);
	id = job_of(root);
	if (h < 0 || !id || write(go, "g", 1) != 1) {
		result(0, "fork bomb: tree job");
		return;
	}
	close(go);
	finish(h, root, 30000, &o);
	result(o.kill.type == RESMON_EVENT_KILL && o.kill.resource == RESMON_DATA,
	       "fork bomb: the forks' data goes over the limit (KILL data)");
	result(o.empty && o.u.members_now == 0 && o.killed == o.reaped,
	       "fork bomb: killed completely (EMPTY, every process reaped was killed)");
	left = records_of_job(id);
	result(left == 0, "fork bomb: no member left in resmond's records map");
	printf("# members ever %llu, reaped %d, records left %d\n",
	       (unsigned long long)o.u.members_ever, o.reaped, left);
}

/*
 * 11: the root waits for a child that goes over its opens limit, then
 * writes to a pipe: killed in its wait, it never writes (a shell or make
 * must not act on the offender's death).
 */
static int waiter(void *arg)
{
	int *p = arg;
	pid_t c = fork();

	close(p[0]);
	if (c == 0) {
		opens(50);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	if (write(p[1], "x", 1) != 1)
		return 1;
	return 0;
}

static void test_waiter(void)
{
	struct resmon_job_limits l = { 0 };
	struct outcome o;
	int p[2], go, h;
	ssize_t n;
	pid_t root;
	char c;

	set_hard(&l, RESMON_OPENS, 10);
	if (pipe(p))
		return;
	root = start_root(waiter, p, &go);
	close(p[1]);
	h = job_on(root, &l, RESMON_JOB_TREE);
	if (h < 0 || write(go, "g", 1) != 1) {
		result(0, "waiter: tree job");
		return;
	}
	close(go);
	n = read(p[0], &c, 1);
	close(p[0]);
	finish(h, root, 10000, &o);
	result(n == 0 && WIFSIGNALED(o.root_status) && WTERMSIG(o.root_status) == SIGKILL,
	       "a member waiting for the offender is killed in its wait, never runs on");
}

/* 10: the root and two children count SIGUSR1s on a pipe; a child goes over. */
static int sig_pipe = -1;

static void on_usr1(int sig)
{
	(void)sig;
	if (write(sig_pipe, "s", 1) != 1)
		_exit(3);
}

static int soft_root(void *arg)
{
	int *hold = arg, i;
	pid_t c[2];
	char x;

	for (i = 0; i < 2; i++) {
		c[i] = fork();
		if (c[i] == 0) {
			close(hold[1]);
			if (i == 1) {
				usleep(100000);
				opens(10);
			}
			while (read(hold[0], &x, 1) != 0)
				;
			_exit(0);
		}
	}
	close(hold[1]);
	while (read(hold[0], &x, 1) != 0)
		;
	waitpid(c[0], NULL, 0);
	waitpid(c[1], NULL, 0);
	return 0;
}

static void test_soft_signal(void)
{
	struct resmon_job_limits l = { 0 };
	struct pollfd pfd;
	struct outcome o;
	int hold[2], sp[2], go, h, got = 0;
	struct timespec t0;
	pid_t root;
	char buf[8];

	l.mask = RESMON_LIMIT_SOFT(RESMON_OPENS) | RESMON_LIMIT_SOFT_SIGNAL;
	l.soft[RESMON_OPENS] = 5;
	l.soft_signal = SIGUSR1;
	if (pipe(hold) || pipe(sp))
		return;
	sig_pipe = sp[1];
	signal(SIGUSR1, on_usr1);	/* inherited by the root and its children */
	root = start_root(soft_root, hold, &go);
	signal(SIGUSR1, SIG_DFL);
	h = job_on(root, &l, RESMON_JOB_TREE);
	if (h < 0 || write(go, "g", 1) != 1) {
		result(0, "soft signal: tree job");
		return;
	}
	close(go);
	pfd.fd = sp[0];
	pfd.events = POLLIN;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (got < 3 && ms_since(&t0) < 10000)
		if (poll(&pfd, 1, 100) > 0 && read(sp[0], buf, 1) == 1)
			got++;
	usleep(100000);
	while (poll(&pfd, 1, 0) > 0 && read(sp[0], buf, 1) == 1)
		got++;
	close(hold[1]);
	close(hold[0]);
	finish(h, root, 10000, &o);
	result(got == 3, "the soft signal reaches every member (root and two children), once");
	if (got != 3)
		printf("# %d signals\n", got);
	close(sp[0]);
	close(sp[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1)) {
		printf("not ok 1 - PR_SET_CHILD_SUBREAPER: %s\n1..1\n", strerror(errno));
		return 1;
	}
	test_child_opens();
	test_double_fork();
	test_data_sum();
	test_vfork();
	test_members_ever();
	test_threads();
	test_fork_race();
	test_offender();
	test_fork_bomb();
	test_soft_signal();
	test_waiter();
	return tap_done();
}
