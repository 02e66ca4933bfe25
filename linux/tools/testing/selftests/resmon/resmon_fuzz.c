// SPDX-License-Identifier: GPL-2.0
/*
 * resmon_fuzz: random arguments for system calls 451-456, which trinity
 * does not know. Workers, half of them unprivileged, call the six calls
 * with values drawn from the edges (0, -1, INT_MIN, INT_MAX, LONG_MIN,
 * LONG_MAX, the heap quota's overflow edge, kernel, NULL, read-only and
 * half-mapped pointers) and from live pids (their own, a sibling's, a
 * zombie's, init's), and check that every call returns 0 or one of the
 * codes resmon.rst lists. A worker killed by its own quota is replaced.
 *
 * usage: resmon_fuzz [SECONDS [WORKERS]]   (default 10 s, 4 workers)
 * Prints the figures and exits non-zero on an unexpected return code.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/resmon.h>	/* RESMON_HEAP_QUOTA_MAX */

/* syscalls 451-456, from the installed headers' table */
#define NR_FIRST	__NR_resmon_hello
#define NR_COUNT	6
#define MAX_WORKERS	64

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

struct fuzz_shared {
	int stop;
	pid_t pids[MAX_WORKERS];
	unsigned long calls[NR_COUNT];
	unsigned long ok[NR_COUNT];
	unsigned long unexpected;
	long last_bad_nr, last_bad_errno;
};

static struct fuzz_shared *shared;
static char *page_rw, *page_ro, *page_edge;
static pid_t zombie;

#define BUMP(x) __atomic_fetch_add(&(x), 1, __ATOMIC_RELAXED)

static unsigned long rnd(unsigned int *seed)
{
	return ((unsigned long)rand_r(seed) << 32) ^ rand_r(seed);
}

/*
 * Root workers aim only at themselves, their siblings, a zombie and pids
 * that cannot exist, so that they never cap the test's own runner;
 * unprivileged ones also aim at any low pid, where they meet EPERM.
 */
static long pick_pid(unsigned int *seed, int unprivileged)
{
	static const long edges[] = {
		0, -1, INT_MIN, INT_MAX, 4194304, 4194305,
		(long)INT_MAX + 1, LONG_MIN, LONG_MAX,
	};
	int nworkers = MAX_WORKERS;

	switch (rand_r(seed) % (unprivileged ? 6 : 5)) {
	case 0:
		return edges[rand_r(seed) % ARRAY_SIZE(edges)];
	case 1:
		return getpid();
	case 2:
		return syscall(SYS_gettid);
	case 3:
		return zombie;
	case 4:
		return shared->pids[rand_r(seed) % nworkers];
	default:
		return rand_r(seed) % 4096;
	}
}

static long pick_quota(unsigned int *seed)
{
	static const long edges[] = {
		-1, -1, 0, 1, 2, 16, 1024, -2, LONG_MIN, LONG_MAX,
		RESMON_HEAP_QUOTA_MAX, RESMON_HEAP_QUOTA_MAX + 1, INT_MAX, (long)INT_MAX + 1,
	};

	if (rand_r(seed) % 4 == 0)
		return (long)rnd(seed);
	return edges[rand_r(seed) % ARRAY_SIZE(edges)];
}

static long pick_pointer(unsigned int *seed)
{
	switch (rand_r(seed) % 7) {
	case 0:
		return 0;
	case 1:
		return (long)page_rw;
	case 2:
		return (long)page_ro;
	case 3:
		return (long)page_edge;		/* 48 bytes across into a hole */
	case 4:
		return 0xffff888000000000L;	/* the kernel's direct map */
	case 5:
		return -1L;
	default:
		return (long)rnd(seed);
	}
}

/* The codes resmon.rst allows each call, besides 0. */
static int expected(int idx, long err)
{
	switch (idx) {
	case 0:					/* hello */
		return 0;
	case 2:					/* fetch */
		return err == EINVAL || err == EPERM;
	default:				/* register .. reset */
		return err == EINVAL || err == ESRCH || err == EPERM ||
		       err == ENFILE || err == ENOMEM;
	}
}

static void worker(int slot, int unprivileged)
{
	unsigned int seed = getpid() ^ (unsigned int)time(NULL);

	if (unprivileged && (setresgid(65534, 65534, 65534) ||
			     setresuid(65534, 65534, 65534)))
		_exit(2);

	while (!__atomic_load_n(&shared->stop, __ATOMIC_RELAXED)) {
		int idx = rand_r(&seed) % NR_COUNT;
		long a = pick_pid(&seed, unprivileged), ret;

		switch (idx) {
		case 2:
			ret = syscall(NR_FIRST + idx, pick_pointer(&seed), a);
			break;
		case 4:
			ret = syscall(NR_FIRST + idx, a, pick_quota(&seed),
				      pick_quota(&seed));
			break;
		default:
			ret = syscall(NR_FIRST + idx, a, rnd(&seed), rnd(&seed));
			break;
		}
		BUMP(shared->calls[idx]);
		if (ret == 0) {
			BUMP(shared->ok[idx]);
		} else if (ret != -1 || !expected(idx, errno)) {
			shared->last_bad_nr = NR_FIRST + idx;
			shared->last_bad_errno = ret == -1 ? errno : ret;
			BUMP(shared->unexpected);
		}
	}
	(void)slot;
	_exit(0);
}

static pid_t spawn(int slot)
{
	pid_t pid = fork();

	if (pid == 0)
		worker(slot, slot % 2);
	shared->pids[slot] = pid;
	return pid;
}

static int setup_pages(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *two;

	page_rw = mmap(NULL, pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	page_ro = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	two = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page_rw == MAP_FAILED || page_ro == MAP_FAILED || two == MAP_FAILED)
		return -1;
	munmap(two + pg, pg);
	page_edge = two + pg - 24;
	return 0;
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 10;
	int workers = argc > 2 ? atoi(argv[2]) : 4;
	unsigned long total = 0, respawned = 0;
	time_t end;
	int i, status;
	pid_t pid;

	if (argc > 3 || seconds <= 0 || workers <= 0 || workers > MAX_WORKERS) {
		fprintf(stderr, "usage: %s [SECONDS [WORKERS<=%d]]\n",
			argv[0], MAX_WORKERS);
		return 2;
	}
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED || setup_pages())
		return 1;

	/* A zombie to aim at: not live, so never monitored. */
	zombie = fork();
	if (zombie == 0)
		_exit(0);

	for (i = 0; i < workers; i++)
		spawn(i);

	end = time(NULL) + seconds;
	while (time(NULL) < end) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid <= 0 || pid == zombie) {
			usleep(10000);
			continue;
		}
		for (i = 0; i < workers; i++)
			if (shared->pids[i] == pid) {
				spawn(i);
				respawned++;
			}
	}
	shared->stop = 1;
	for (i = 0; i < workers; i++)
		waitpid(shared->pids[i], &status, 0);
	waitpid(zombie, &status, 0);

	for (i = 0; i < NR_COUNT; i++) {
		printf("resmon_fuzz: syscall %d: %lu calls, %lu returned 0\n",
		       NR_FIRST + i, shared->calls[i], shared->ok[i]);
		total += shared->calls[i];
	}
	printf("resmon_fuzz: %lu calls in %d s by %d workers, ",
	       total, seconds, workers);
	printf("%lu workers replaced, %lu unexpected results\n",
	       respawned, shared->unexpected);
	if (shared->unexpected) {
		printf("resmon_fuzz: e.g. syscall %ld gave errno %ld\n",
		       shared->last_bad_nr, shared->last_bad_errno);
		return 1;
	}
	return total ? 0 : 1;
}
