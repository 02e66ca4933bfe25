// SPDX-License-Identifier: GPL-2.0
/*
 * resmon and threads: the unit is the process.  Every thread counts
 * toward the one record (also threads created after registration), any
 * thread id names the process, a process whose leader has exited is still
 * live, and SIGKILL takes every thread.
 */

#include "resmon_helpers.h"

#include <pthread.h>
#include <stdio.h>
#include <time.h>

/* glibc maps thread stacks with private anonymous mmaps: those count
 * too, so heap checks either create threads before registering or
 * measure MiB deltas of whole-MiB mappings inside the thread.
 */

struct work {
	pthread_barrier_t *start;
	int opens;
	int maps;		/* of @map_len each */
	size_t map_len;
	long files_delta, heap_delta;
	pid_t tid;
};

static void *worker(void *arg)
{
	struct work *w = arg;
	struct per_proc_resource a, b;
	int i, fd;
	void *p;

	w->tid = rm_gettid();
	if (w->start)
		pthread_barrier_wait(w->start);
	if (rm_fetch(&a, getpid()))
		return (void *)1;
	for (i = 0; i < w->opens; i++) {
		fd = rm_open_openat();
		if (fd < 0)
			return (void *)2;
		close(fd);
	}
	for (i = 0; i < w->maps; i++) {
		p = rm_map_private(w->map_len);
		if (p == MAP_FAILED)
			return (void *)3;
		munmap(p, w->map_len);
	}
	if (rm_fetch(&b, getpid()))
		return (void *)4;
	w->files_delta = b.openfile_count - a.openfile_count;
	w->heap_delta = b.heapsize - a.heapsize;
	return NULL;
}

TEST(thread_created_after_registration_counts)
{
	struct work w = { .opens = 3, .maps = 1, .map_len = 3 * MIB };
	pthread_t th;
	void *ret;

	ASSERT_EQ(0, rm_register(getpid()));
	ASSERT_EQ(0, pthread_create(&th, NULL, worker, &w));
	ASSERT_EQ(0, pthread_join(th, &ret));
	ASSERT_EQ(NULL, ret);
	EXPECT_EQ(3, w.files_delta);
	EXPECT_EQ(3, w.heap_delta);
	EXPECT_LE(3, NFILES(getpid()));
}

/*
 * pthread_create on a stack mapped in advance (so creating the thread maps
 * nothing that would count); a first thread made and joined before
 * registration also leaves glibc's per-thread allocations (the TLS vector)
 * on a free list for the next.
 */
#define STACK	(256 * 1024)

static void make_thread(struct __test_metadata *_metadata, pthread_t *t,
			void **stack, void *(*fn)(void *), void *arg)
{
	pthread_attr_t a;

	if (!*stack) {
		*stack = rm_map_private(STACK);
		ASSERT_NE(MAP_FAILED, *stack);
	}
	ASSERT_EQ(0, pthread_attr_init(&a));
	ASSERT_EQ(0, pthread_attr_setstack(&a, *stack, STACK));
	ASSERT_EQ(0, pthread_create(t, &a, fn, arg));
	pthread_attr_destroy(&a);
}

static void *nothing(void *arg)
{
	return arg;
}

static void *opens_and_maps(void *arg)
{
	long ok = rm_open_open() >= 0 && rm_open_openat() >= 0 &&
		  rm_map_private(rm_page()) != MAP_FAILED;

	return (void *)ok;
}

/* The same, measured from outside the thread: exactly its calls, nothing else. */
TEST(thread_created_after_registration_counts_exactly)
{
	const pid_t self = getpid();
	void *stacks[2] = { NULL, NULL }, *ok;
	pthread_t t;

	make_thread(_metadata, &t, &stacks[0], nothing, NULL);
	ASSERT_EQ(0, pthread_join(t, NULL));
	make_thread(_metadata, &t, &stacks[1], nothing, NULL);
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_EQ(0, rm_register(self));
	EXPECT_FRESH_RECORD(self);
	/* 1 MiB - 1 page: the thread's one page then reaches 1 MiB */
	ASSERT_NE(MAP_FAILED, rm_map_private(MIB - rm_page()));
	ASSERT_EQ(0, HEAP_MIB(self));
	make_thread(_metadata, &t, &stacks[1], opens_and_maps, NULL);
	ASSERT_EQ(0, pthread_join(t, &ok));
	ASSERT_NE(NULL, ok);
	/* its two opens and its one page, in the process's record */
	EXPECT_EQ(2, NFILES(self));
	EXPECT_EQ(1, HEAP_MIB(self));
}

TEST(thread_existing_at_registration_counts_exactly)
{
	pthread_barrier_t start;
	struct work w = { .start = &start, .opens = 4, .maps = 2,
			  .map_len = MIB / 2 };
	struct per_proc_resource r;
	pthread_t th;
	void *ret;

	ASSERT_EQ(0, pthread_barrier_init(&start, NULL, 2));
	ASSERT_EQ(0, pthread_create(&th, NULL, worker, &w));
	ASSERT_EQ(0, rm_register(getpid()));
	pthread_barrier_wait(&start);
	ASSERT_EQ(0, pthread_join(th, &ret));
	ASSERT_EQ(NULL, ret);
	FETCH(getpid(), r);
	EXPECT_EQ(4, r.openfile_count);
	EXPECT_EQ(1, r.heapsize);
}

/* Atomic counters: concurrent threads lose no update. */
TEST(concurrent_threads_lose_no_update)
{
	pthread_barrier_t start;
	struct work w[3];
	struct per_proc_resource r;
	pthread_t th[3];
	void *ret;
	int i;

	ASSERT_EQ(0, pthread_barrier_init(&start, NULL, 4));
	for (i = 0; i < 3; i++) {
		w[i] = (struct work){ .start = &start, .opens = 100, .maps = 64,
				      .map_len = 4 * rm_page() };
		ASSERT_EQ(0, pthread_create(&th[i], NULL, worker, &w[i]));
	}
	ASSERT_EQ(0, rm_register(getpid()));
	pthread_barrier_wait(&start);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, pthread_join(th[i], &ret));
		ASSERT_EQ(NULL, ret);
	}
	FETCH(getpid(), r);
	EXPECT_EQ(300, r.openfile_count);
	/* 3 x 64 x 4 pages = 3 MiB with 4 KiB pages, exactly */
	EXPECT_EQ(3 * 64 * 4 * rm_page() >> 20, r.heapsize);
}

/* ---- thread ids name the process ---- */

struct parked {
	pthread_barrier_t b;
	pid_t tid;
};

static void *park(void *arg)
{
	struct parked *p = arg;

	p->tid = rm_gettid();
	pthread_barrier_wait(&p->b);	/* started */
	pthread_barrier_wait(&p->b);	/* released */
	return NULL;
}

TEST(thread_id_names_process)
{
	const pid_t me = getpid();
	struct per_proc_resource r;
	struct parked p;
	struct work w = { 0 };
	pthread_t th;
	pid_t tid;
	int i;

	ASSERT_EQ(0, pthread_barrier_init(&p.b, NULL, 2));
	ASSERT_EQ(0, pthread_create(&th, NULL, park, &p));
	pthread_barrier_wait(&p.b);
	tid = p.tid;
	ASSERT_LT(0, tid);
	ASSERT_NE(me, tid);

	ASSERT_EQ(0, rm_register(tid));
	EXPECT_EQ(-ENFILE, rm_register(me));
	EXPECT_EQ(-ENFILE, rm_register(tid));
	/* this (main) thread's open, read through the other thread's id */
	i = rm_open_open();
	ASSERT_LE(0, i);
	close(i);
	EXPECT_EQ(1, NFILES(tid));
	FETCH(tid, r);
	EXPECT_EQ(me, r.pid);
	FETCH(me, r);
	EXPECT_EQ(me, r.pid);
	ASSERT_EQ(0, rm_cap(tid, 100, 200));
	EXPECT_EQ(-ENFILE, rm_cap(me, 1, 1));
	FETCH(me, r);
	EXPECT_EQ(100, r.heap_quota);
	EXPECT_EQ(200, r.file_quota);
	ASSERT_EQ(0, rm_reset(tid));
	EXPECT_EQ(0, FETCH_FIELD(me, quotas_defined));
	ASSERT_EQ(0, rm_deregister(tid));
	EXPECT_EQ(-EINVAL, rm_fetch(&r, me));
	EXPECT_EQ(-ESRCH, rm_deregister(me));
	EXPECT_EQ(-ESRCH, rm_deregister(tid));
	EXPECT_EQ(-EINVAL, rm_cap(tid, 1, 1));
	EXPECT_EQ(-EINVAL, rm_reset(tid));

	/* a thread's opens count to the record named by the main id */
	ASSERT_EQ(0, rm_register(me));
	pthread_barrier_wait(&p.b);
	ASSERT_EQ(0, pthread_join(th, NULL));
	w.opens = 2;
	ASSERT_EQ(0, pthread_create(&th, NULL, worker, &w));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(2, w.files_delta);
	/*
	 * An exited thread's id names nothing, once the id is released:
	 * pthread_join returns when the thread clears its tid, a little
	 * before the kernel unhashes it, so wait for tgkill to say ESRCH.
	 */
	for (i = 0; i < 200 && !syscall(SYS_tgkill, me, w.tid, 0); i++)
		usleep(10000);
	ASSERT_EQ(-1, syscall(SYS_tgkill, me, w.tid, 0));
	EXPECT_EQ(-EINVAL, rm_fetch(&r, w.tid));
	EXPECT_EQ(-ESRCH, rm_register(w.tid));
}

/* ---- the leader has exited, another thread runs ---- */

static void *leaderless_thread(void *arg)
{
	pid_t tid = rm_gettid();
	int i;

	if (write(rm_mark_w, &tid, sizeof(tid)) != sizeof(tid))
		_exit(20);
	/* each "go": open one more file and report */
	for (i = 0; i < 10; i++) {
		rm_wait_go();
		if (rm_open_open() < 0)
			_exit(21);
		rm_mark('o');
	}
	return NULL;
}

static void leader_exits(void *arg)
{
	pthread_t th;

	if (pthread_create(&th, NULL, leaderless_thread, NULL))
		_exit(30);
	pthread_exit(NULL);
}

static int leader_is_zombie(pid_t pid)
{
	char path[64], buf[256], *p;
	int fd, i;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, pid);
	for (i = 0; i < 500; i++) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return 0;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = '\0';
			p = strrchr(buf, ')');
			if (p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'))
				return 1;
		}
		usleep(10000);
	}
	return 0;
}

TEST(leader_exited_process_is_live)
{
	struct per_proc_resource r;
	struct rm_child c;
	pid_t tid;

	ASSERT_LT(0, rm_spawn(&c, leader_exits, NULL));
	ASSERT_EQ(sizeof(tid), read(c.mark_r, &tid, sizeof(tid)));
	ASSERT_NE(c.pid, tid);
	ASSERT_TRUE(leader_is_zombie(c.pid));

	/* the leader's id still names the live process, from zero */
	ASSERT_EQ(0, rm_register(c.pid));
	EXPECT_FRESH_RECORD(c.pid);
	EXPECT_EQ(-ENFILE, rm_register(tid));
	FETCH(c.pid, r);
	EXPECT_EQ(c.pid, r.pid);
	FETCH(tid, r);
	EXPECT_EQ(c.pid, r.pid);
	ASSERT_EQ(0, rm_go(&c));
	ASSERT_EQ('o', rm_read_mark(&c));
	EXPECT_EQ(1, NFILES(c.pid));
	ASSERT_EQ(0, rm_cap(c.pid, 10, 10));
	ASSERT_EQ(0, rm_reset(c.pid));
	ASSERT_EQ(0, rm_deregister(c.pid));
	EXPECT_EQ(-EINVAL, rm_fetch(&r, c.pid));
	/* registered by the thread id, capped by the leader's: the next
	 * open by the surviving thread is over quota and kills the process
	 */
	ASSERT_EQ(0, rm_register(tid));
	ASSERT_EQ(0, rm_go(&c));
	ASSERT_EQ('o', rm_read_mark(&c));
	ASSERT_EQ(0, rm_cap(c.pid, -1, 1));
	ASSERT_EQ(0, rm_go(&c));
	EXPECT_EQ(-1, rm_read_mark(&c));
	ASSERT_KILLED(rm_reap(&c));
	EXPECT_EQ(-EINVAL, rm_fetch(&r, c.pid));
	EXPECT_EQ(-EINVAL, rm_fetch(&r, tid));
}

/* ---- SIGKILL takes every thread ---- */

static void *spinner(void *arg)
{
	/* Burn CPU until killed; the empty asm keeps the loop in the binary. */
	for (;;)
		asm volatile("" ::: "memory");
	return NULL;
}

static void *blocker(void *arg)
{
	char c;

	for (;;)
		(void)!read(*(int *)arg, &c, 1);
	return NULL;
}

static void *crosser(void *arg)
{
	const bool heap = *(bool *)arg;

	rm_wait_go();
	if (heap) {
		rm_map_private(MIB);
		rm_mark('a');
		rm_map_private(rm_page());
	} else {
		rm_open_open();
		rm_mark('a');
		rm_open_open();
	}
	rm_mark('X');
	return NULL;
}

static void many_threads(void *arg)
{
	pthread_t th[4];
	int never[2];

	if (pipe(never))
		_exit(30);
	if (pthread_create(&th[0], NULL, spinner, NULL) ||
	    pthread_create(&th[1], NULL, blocker, &never[0]) ||
	    pthread_create(&th[2], NULL, crosser, arg))
		_exit(31);
	rm_mark('r');
	/* the main thread blocks too */
	blocker(&never[0]);
}

FIXTURE(kill_threads) {
	struct rm_child c;
};

FIXTURE_VARIANT(kill_threads) {
	bool heap;
};

FIXTURE_VARIANT_ADD(kill_threads, files) { .heap = false };
FIXTURE_VARIANT_ADD(kill_threads, heap) { .heap = true };

FIXTURE_SETUP(kill_threads)
{
}

FIXTURE_TEARDOWN(kill_threads)
{
}

TEST_F(kill_threads, whole_process_dies)
{
	char m[16];
	int status, i;
	pid_t got = 0;

	ASSERT_LT(0, rm_spawn(&self->c, many_threads, (void *)&variant->heap));
	ASSERT_EQ('r', rm_read_mark(&self->c));
	/* the thread stacks are already mapped: count from here */
	ASSERT_EQ(0, rm_register(self->c.pid));
	ASSERT_EQ(0, rm_cap(self->c.pid, variant->heap ? 1 : -1,
			    variant->heap ? -1 : 1));
	ASSERT_EQ(0, rm_go(&self->c));
	rm_read_marks(&self->c, m, sizeof(m));
	EXPECT_STREQ("a", m);
	/* every thread gone, in bounded time */
	for (i = 0; i < 1000 && !got; i++) {
		got = waitpid(self->c.pid, &status, WNOHANG);
		if (!got)
			usleep(10000);
	}
	if (!got) {
		kill(self->c.pid, SIGKILL);
		waitpid(self->c.pid, &status, 0);
	}
	ASSERT_EQ(self->c.pid, got);
	ASSERT_KILLED(status);
}

/* ---- the kill reaches the process whatever thread id named it ---- */

/*
 * resource_cap finds its target by a thread id and kills the process it
 * belongs to. The thread may be released while the call runs: it exits,
 * or it is the leader and another thread's execve replaces it. Either way
 * the SIGKILL must reach the process. The window is a few microseconds,
 * so each test aims at it: the delay between letting the thread go and
 * the cap moves up while the cap comes too early (the thread still there
 * when it returns) and down while it comes too late, so the caps cluster
 * where the thread is released during the call. Every cap that returns
 * 0 must kill, within a few seconds.
 */
#define AIM_STEP_NS	2000L
#define AIM_SECONDS	6

static long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void spin_ns(long ns)
{
	long end = now_ns() + ns;

	while (now_ns() < end)
		;
}

/* Thread @tid of process @tgid has been released. */
static bool tid_released(pid_t tgid, pid_t tid)
{
	return syscall(SYS_tgkill, tgid, tid, 0) && errno == ESRCH;
}

/* Move the aim after a cap that found the thread: later if it was early. */
static void aim(long *delay, bool early)
{
	if (early)
		*delay += AIM_STEP_NS;
	else
		*delay = *delay > AIM_STEP_NS ? *delay - AIM_STEP_NS : 0;
}

/* @pid's wait status once it ended, or -1 if it still ran after 5 s. */
static int reap_within_5s(pid_t pid)
{
	int status, i;

	for (i = 0; i < 5000; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		usleep(1000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

#define ASSERT_CAP_KILLED(pid, caps) do { \
	pid_t __p = (pid); \
	int __st = reap_within_5s(__p); \
	if (__st == -1) \
		TH_LOG("cap #%d returned 0 but process %d lived on", \
		       (caps), __p); \
	ASSERT_KILLED(__st); \
} while (0)

/* Each worker reports its id and exits as soon as it reads "go". */
static void *exit_on_go(void *arg)
{
	pid_t tid = rm_gettid();

	if (write(rm_mark_w, &tid, sizeof(tid)) != sizeof(tid))
		_exit(20);
	rm_wait_go();
	return NULL;
}

/* One open (over a quota of 0 files), then one such worker after another. */
static void exiting_threads(void *arg)
{
	pthread_t th;

	rm_wait_go();
	if (rm_open_open() < 0)
		_exit(30);
	for (;;) {
		if (pthread_create(&th, NULL, exit_on_go, NULL))
			_exit(31);
		pthread_join(th, NULL);
	}
}

TEST(cap_through_exiting_thread_kills_process)
{
	const long end = now_ns() + AIM_SECONDS * 1000000000L;
	int caps = 0, gone = 0, late = 0;
	struct rm_child c;
	long delay = 0, r;
	pid_t tid;

	while (now_ns() < end) {
		ASSERT_LT(0, rm_spawn(&c, exiting_threads, NULL));
		ASSERT_EQ(0, rm_register(c.pid));
		ASSERT_EQ(0, rm_go(&c));
		for (;;) {
			ASSERT_EQ(sizeof(tid), read(c.mark_r, &tid, sizeof(tid)));
			ASSERT_EQ(0, rm_go(&c));	/* the worker exits */
			spin_ns(delay);
			r = rm_cap(tid, -1, 0);
			if (r != -ESRCH)
				break;
			gone++;				/* too late: aim earlier */
			aim(&delay, false);
		}
		ASSERT_EQ(0, r);
		caps++;
		if (tid_released(c.pid, tid))
			late++;
		aim(&delay, !tid_released(c.pid, tid));
		/* reap first: a worker writing to a closed pipe dies of SIGPIPE */
		ASSERT_CAP_KILLED(c.pid, caps);
		close(c.go_w);
		close(c.mark_r);
	}
	TH_LOG("%d caps by a worker's id, each killed; %d with the worker",
	       caps, late);
	TH_LOG("released by the return, %d caps found it gone; aim %ld ns",
	       gone, delay);
}

/* The helper's exec loop, fds 3 (go) and 4 (thread ids) set up for it. */
static pid_t start_exec_loop(const char *helper, int *go_w, int *mark_r)
{
	int go[2], mark[2];
	pid_t pid;

	if (pipe2(go, O_CLOEXEC) || pipe2(mark, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		/* out of the way first: go[] or mark[] may already be 3 or 4 */
		go[0] = fcntl(go[0], F_DUPFD, 10);
		mark[1] = fcntl(mark[1], F_DUPFD, 10);
		if (go[0] < 0 || mark[1] < 0 ||
		    dup2(go[0], 3) != 3 || dup2(mark[1], 4) != 4)
			_exit(40);
		execl(helper, "resmon_exec_helper", "loop", (char *)NULL);
		_exit(41);
	}
	close(go[0]);
	close(mark[1]);
	*go_w = go[1];
	*mark_r = mark[0];
	return pid;
}

/* Let the helper's thread exec; its id, or -1. */
static pid_t exec_once(int go_w, int mark_r)
{
	pid_t tid;

	if (write(go_w, "g", 1) != 1 ||
	    read(mark_r, &tid, sizeof(tid)) != sizeof(tid))
		return -1;
	return tid;
}

TEST(cap_through_leader_while_thread_execs_kills_process)
{
	const long end = now_ns() + AIM_SECONDS * 1000000000L;
	int caps = 0, late = 0, go_w, mark_r, i;
	char helper[PATH_MAX];
	long delay = -1, t0;
	pid_t pid, tid;

	ASSERT_EQ(0, rm_sibling_path(helper, "resmon_exec_helper"));
	ASSERT_EQ(0, access(helper, X_OK)) TH_LOG("no %s", helper);

	while (now_ns() < end) {
		pid = start_exec_loop(helper, &go_w, &mark_r);
		ASSERT_LT(0, pid);
		ASSERT_EQ(0, rm_register(pid));
		/* The first exec also measures how long de_thread() takes. */
		tid = exec_once(go_w, mark_r);
		ASSERT_LT(0, tid);
		t0 = now_ns();
		for (i = 0; i < 100000 && !tid_released(pid, tid); i++)
			;
		if (delay < 0)
			delay = (now_ns() - t0) / 2;
		/* The new image's loader opened files: over a quota of 0. */
		tid = exec_once(go_w, mark_r);
		ASSERT_LT(0, tid);
		spin_ns(delay);
		ASSERT_EQ(0, rm_cap(pid, -1, 0));
		caps++;
		if (tid_released(pid, tid))
			late++;
		aim(&delay, !tid_released(pid, tid));
		ASSERT_CAP_KILLED(pid, caps);
		close(go_w);
		close(mark_r);
	}
	TH_LOG("%d caps by the leader's id during an exec, each killed;",
	       caps);
	TH_LOG("%d returned after the old leader's release; aim %ld ns",
	       late, delay);
}

int main(int argc, char **argv)
{
	return rm_test_main(argc, argv);
}
