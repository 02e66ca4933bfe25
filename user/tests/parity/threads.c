// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The unit is the process: threads created after registration count into
 * its one record, any thread id names it, a process whose leader has
 * exited is still live under the leader's id, and a kill takes every
 * thread.
 */
#include "util.h"

#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

#define STACK (256 * 1024)

/*
 * pthread_create on a stack mapped in advance (so creating the thread maps
 * nothing that would count); a first thread made and joined before
 * registration also leaves glibc's per-thread allocations (the TLS vector)
 * on a free list for the next.
 */
static void *stacks[4];

static void make_thread(pthread_t *t, int slot, void *(*fn)(void *), void *arg)
{
	pthread_attr_t a;

	if (!stacks[slot]) {
		stacks[slot] = map_private(STACK);
		CHECK(stacks[slot] != MAP_FAILED);
	}
	CHECK_EQ(0, pthread_attr_init(&a));
	CHECK_EQ(0, pthread_attr_setstack(&a, stacks[slot], STACK));
	CHECK_EQ(0, pthread_create(t, &a, fn, arg));
	pthread_attr_destroy(&a);
}

static void *nothing(void *arg)
{
	return arg;
}

static void *opens_and_maps(void *arg)
{
	long ok = open_open() >= 0 && open_openat() >= 0 &&
		  map_private(page_size()) != MAP_FAILED;

	(void)arg;
	return (void *)ok;
}

PARITY_CASE(thread_created_after_register_counts)
{
	const pid_t self = getpid();
	pthread_t t;
	void *ok;

	make_thread(&t, 0, nothing, NULL);
	CHECK_EQ(0, pthread_join(t, NULL));
	make_thread(&t, 1, nothing, NULL);	/* maps slot 1's stack now */
	CHECK_EQ(0, pthread_join(t, NULL));
	register_self();
	fill();
	make_thread(&t, 1, opens_and_maps, NULL);
	CHECK_EQ(0, pthread_join(t, &ok));
	CHECK(ok);
	/* its two opens and its one page, in the process's record */
	CHECK_EQ(2, nfiles(self));
	CHECK_EQ(1, heap_mib(self));
}

struct tid_box {
	pid_t tid;
	int pipe_r;
};

static void *report_tid_and_block(void *arg)
{
	struct tid_box *b = arg;
	char c;

	__atomic_store_n(&b->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	(void)!read(b->pipe_r, &c, 1);
	return NULL;
}

PARITY_CASE(any_thread_id_names_the_process)
{
	const pid_t self = getpid();
	struct per_proc_resource r;
	struct tid_box b = { 0, -1 };
	int p[2];
	pthread_t t;
	pid_t tid;

	CHECK_EQ(0, pipe(p));
	b.pipe_r = p[0];
	make_thread(&t, 0, report_tid_and_block, &b);
	while (!(tid = __atomic_load_n(&b.tid, __ATOMIC_ACQUIRE)))
		usleep(1000);
	CHECK(tid != self);
	/* registered by a thread id: the record is the process's */
	CHECK_OK(resmon_register(tid));
	FETCH(tid, r);
	CHECK_EQ(self, r.pid);
	FETCH(self, r);
	CHECK_EQ(self, r.pid);
	CHECK_ERR(ENFILE, resmon_register(self));
	CHECK_ERR(ENFILE, resmon_register(tid));
	CHECK(open_open() >= 0);
	CHECK_EQ(1, nfiles(tid));
	CHECK_OK(resmon_cap(tid, 100, 100));
	FETCH(self, r);
	CHECK_EQ(100, r.file_quota);
	CHECK_ERR(ENFILE, resmon_cap(self, 1, 1));
	CHECK_OK(resmon_reset(self));
	CHECK_OK(resmon_deregister(tid));
	CHECK_ERR(EINVAL, resmon_fetch(self, &r));
	CHECK_ERR(ESRCH, resmon_deregister(tid));
	CHECK_EQ(1, write(p[1], "x", 1));
	CHECK_EQ(0, pthread_join(t, NULL));
}

/* ---- the leader exits, a thread lives on ---- */

static void *opener_after_leader(void *arg)
{
	int i;

	(void)arg;
	wait_go();
	for (i = 0; i < 3; i++)
		if (open_open() < 0)
			_exit(10);
	mark('a');
	wait_go();
	open_open();		/* the 4th: over a quota of 3 */
	mark('X');
	_exit(0);
}

static void leader_exits(void *arg)
{
	pthread_t t;

	(void)arg;
	if (pthread_create(&t, NULL, opener_after_leader, NULL))
		_exit(9);
	mark('r');
	pthread_exit(NULL);
}

/* The state letter of thread @tid of process @pid, or 0. */
static char thread_state(pid_t pid, pid_t tid)
{
	char path[64], buf[256], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	return p && p[1] == ' ' ? p[2] : 0;
}

PARITY_CASE(leader_exited_process_is_live_and_named_by_leader_id)
{
	struct child c;
	int i;

	CHECK(spawn(&c, leader_exits, NULL) > 0);
	CHECK_EQ('r', read_mark(&c));
	for (i = 0; i < 200 && thread_state(c.pid, c.pid) != 'Z'; i++)
		usleep(10000);
	CHECK_EQ('Z', thread_state(c.pid, c.pid));
	CHECK_OK(resmon_register(c.pid));
	check_fresh(c.pid);
	CHECK_EQ(0, go(&c));
	CHECK_EQ('a', read_mark(&c));
	CHECK_EQ(3, nfiles(c.pid));
	CHECK_OK(resmon_cap(c.pid, -1, 3));
	CHECK_EQ(0, go(&c));
	CHECK_MARKS(&c, "");
	CHECK_KILLED(reap(&c));
}

/* ---- a crossing in one thread kills every thread ---- */

static void *blocker(void *arg)
{
	for (;;)
		pause();
	return arg;
}

static void *crosser(void *arg)
{
	(void)arg;
	wait_go();
	open_open();
	open_open();		/* over a quota of 1 */
	mark('X');
	return NULL;
}

static void threads_then_cross(void *arg)
{
	pthread_t t[3];
	int i;

	(void)arg;
	for (i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, blocker, NULL))
			_exit(9);
	if (pthread_create(&t[2], NULL, crosser, NULL))
		_exit(9);
	mark('r');
	pthread_join(t[2], NULL);
	mark('Y');		/* the leader, had it survived */
	_exit(0);
}

PARITY_CASE(kill_in_one_thread_takes_every_thread)
{
	struct child c;

	CHECK(spawn(&c, threads_then_cross, NULL) > 0);
	CHECK_EQ('r', read_mark(&c));
	CHECK_OK(resmon_register(c.pid));
	CHECK_OK(resmon_cap(c.pid, -1, 1));
	CHECK_EQ(0, go(&c));
	CHECK_MARKS(&c, "");
	CHECK_KILLED(reap(&c));
}
