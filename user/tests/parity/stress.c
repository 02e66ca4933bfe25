// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A short stress: the threads of a monitored process open and map while
 * this process's threads cap, reset and fetch it and register short-lived
 * processes; every count is exact at the end, every return code is one
 * SPEC lists, and resmon_list holds no record of a process that is gone.
 * Then a quota crossed by several threads at once: no open that returned
 * to user space was over the quota.
 */
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

#define WORKERS		4
#define ITERATIONS	1500
#define FORKS		40

struct shared {
	volatile int go, stop;
	long opens[WORKERS], maps[WORKERS];
};

static struct shared *sh;

static void *worker(void *arg)
{
	const long w = (long)arg;
	long i;
	void *p;
	int fd;

	while (!sh->go)
		;
	for (i = 0; i < ITERATIONS; i++) {
		fd = open_open();
		if (fd >= 0) {
			close(fd);
			sh->opens[w]++;
		}
		p = map_private(page_size());
		if (p != MAP_FAILED) {
			munmap(p, page_size());
			sh->maps[w]++;
		}
	}
	return NULL;
}

/* The monitored process: WORKERS threads, released by sh->go. */
static void workers(void *arg)
{
	pthread_t t[WORKERS];
	long i;

	(void)arg;
	for (i = 0; i < WORKERS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i))
			_exit(9);
	mark('r');
	for (i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);
	mark('a');
	wait_go();
	_exit(0);
}

static pid_t target;

#define IN(e, ...) in_set((e), (const int[]){ __VA_ARGS__, -1 })
static int in_set(int e, const int *set)
{
	for (; *set >= 0; set++)
		if (e == *set)
			return 1;
	return 0;
}

/* cap and reset in turn; while the target lives only 0 and ENFILE are possible */
static void *capper(void *arg)
{
	(void)arg;
	while (!sh->stop) {
		if (resmon_cap(target, 1L << 30, 1L << 40) && !IN(errno, ENFILE, ESRCH, EINVAL))
			fail_at(__FILE__, __LINE__, "cap: errno %d", errno);
		if (resmon_reset(target) && !IN(errno, ESRCH, EINVAL))
			fail_at(__FILE__, __LINE__, "reset: errno %d", errno);
	}
	return NULL;
}

/* fetch: totals never go down */
static void *fetcher(void *arg)
{
	unsigned long files = 0, heap = 0;
	struct per_proc_resource r;

	(void)arg;
	while (!sh->stop) {
		if (resmon_fetch(target, &r)) {
			if (errno != EINVAL)
				fail_at(__FILE__, __LINE__, "fetch: errno %d", errno);
			continue;
		}
		if (r.pid != target || r.openfile_count < files || r.heapsize < heap)
			fail_at(__FILE__, __LINE__, "fetch: pid %d files %lu (was %lu) heap %lu (was %lu)",
				r.pid, r.openfile_count, files, r.heapsize, heap);
		files = r.openfile_count;
		heap = r.heapsize;
	}
	return NULL;
}

/* short-lived monitored processes, half of them capped */
static pid_t forked[FORKS];

static void *forker(void *arg)
{
	int i, st;

	(void)arg;
	for (i = 0; i < FORKS; i++) {
		forked[i] = fork();
		if (forked[i] == 0) {
			open_open();
			_exit(0);
		}
		if (forked[i] < 0)
			fail_at(__FILE__, __LINE__, "fork: errno %d", errno);
		if (resmon_register(forked[i]) && errno != ESRCH)
			fail_at(__FILE__, __LINE__, "register: errno %d", errno);
		if ((i & 1) && resmon_cap(forked[i], 1, 100) && !IN(errno, ESRCH, EINVAL))
			fail_at(__FILE__, __LINE__, "cap: errno %d", errno);
		waitpid(forked[i], &st, 0);
	}
	return NULL;
}

static int listed(const struct resmon_record *e, size_t n, pid_t pid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (e[i].pid == pid)
			return 1;
	return 0;
}

PARITY_CASE_T(stress_counts_exact_codes_documented_nothing_leaked, 120)
{
	long opens = 0, maps = 0;
	struct per_proc_resource r;
	struct resmon_record *e;
	pthread_t t[3];
	struct child c;
	size_t n;
	int i;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(sh != MAP_FAILED);
	CHECK(spawn(&c, workers, NULL) > 0);
	target = c.pid;
	CHECK_EQ('r', read_mark(&c));
	/* registered after its threads exist: their stacks are not counted */
	CHECK_OK(resmon_register(target));
	CHECK_EQ(0, pthread_create(&t[0], NULL, capper, NULL));
	CHECK_EQ(0, pthread_create(&t[1], NULL, fetcher, NULL));
	CHECK_EQ(0, pthread_create(&t[2], NULL, forker, NULL));
	sh->go = 1;
	CHECK_EQ('a', read_mark(&c));
	FETCH(target, r);
	for (i = 0; i < WORKERS; i++) {
		opens += sh->opens[i];
		maps += sh->maps[i];
	}
	CHECK_EQ(WORKERS * ITERATIONS, opens);
	CHECK_EQ(WORKERS * ITERATIONS, maps);
	CHECK_EQ(opens, r.openfile_count);
	CHECK_EQ((maps * page_size()) >> 20, r.heapsize);
	/* the target exits while cap, reset and fetch go on */
	CHECK_EQ(0, go(&c));
	CHECK_EXITED_OK(reap(&c));
	CHECK_EQ(0, pthread_join(t[2], NULL));
	sh->stop = 1;
	CHECK_EQ(0, pthread_join(t[0], NULL));
	CHECK_EQ(0, pthread_join(t[1], NULL));
	CHECK_ERR(EINVAL, resmon_fetch(target, &r));
	CHECK_OK(resmon_list(&e, &n));
	CHECK(!listed(e, n, target));
	for (i = 0; i < FORKS; i++)
		if (listed(e, n, forked[i]))
			fail_at(__FILE__, __LINE__, "record of exited pid %d still listed", forked[i]);
	free(e);
}

/* ---- several threads cross one quota at once ---- */

#define RACE_QUOTA 600

static void *race_opener(void *arg)
{
	const long w = (long)arg;

	while (!sh->go)
		;
	for (;;) {
		if (open_open() < 0)
			_exit(10);
		/* only an open that returned to user space gets here */
		__atomic_add_fetch(&sh->opens[w], 1, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

static void racers(void *arg)
{
	pthread_t t[WORKERS];
	long i;

	(void)arg;
	for (i = 0; i < WORKERS; i++)
		if (pthread_create(&t[i], NULL, race_opener, (void *)i))
			_exit(9);
	mark('r');
	for (i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);
	_exit(0);
}

PARITY_CASE(stress_threads_cross_quota_together)
{
	struct child c;
	long total = 0;
	int i;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(sh != MAP_FAILED);
	CHECK(spawn(&c, racers, NULL) > 0);
	CHECK_EQ('r', read_mark(&c));
	CHECK_OK(resmon_register(c.pid));
	CHECK_OK(resmon_cap(c.pid, -1, RACE_QUOTA));
	sh->go = 1;
	CHECK_MARKS(&c, "");
	CHECK_KILLED(reap(&c));
	for (i = 0; i < WORKERS; i++)
		total += sh->opens[i];
	/* never one over; at most one in flight per thread not yet added */
	if (total > RACE_QUOTA || total < RACE_QUOTA - 2 * WORKERS)
		fail_at(__FILE__, __LINE__, "%ld opens returned under a quota of %d", total,
			RACE_QUOTA);
}
