// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * resmon_test_hog: grows its heap and opens files on command, for the
 * guest tests of resmon(1). Linked statically so that no dynamic loader
 * opens or maps anything before main(): the counts the tests expect are
 * exactly the ones asked for here.
 *
 *   resmon_test_hog [--wait] [--brk-mib N] [--mmap-mib N] [--churn-mib N] [--files N]
 *                   [--barrier FILE N] [--sleep SEC]
 *
 * --wait: first wait for SIGUSR1 (so a test can register it in between).
 * Then brk() grows by N MiB, mmap() maps N MiB private anonymous, /dev/null
 * is opened (and closed) N times, and it sleeps SEC seconds (0 default).
 * --churn-mib N: a flat footprint (the jobs' data measure's case): map,
 * write and unmap 1 MiB private anonymous, N times.
 * --barrier FILE N: after all that, append one byte to FILE (one open of
 * its own) and wait until FILE holds N bytes: N hogs started together are
 * then all alive, each holding what it took, at the same moment, however
 * slowly the machine starts them (no sleep to guess). Exit 3 if the others
 * never come (2 minutes).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* How long --barrier waits for the others, and how often it looks. */
#define BARRIER_TIMEOUT_S	120
#define BARRIER_STEP_NS		10000000L

static volatile sig_atomic_t go;

/* --barrier: count ourselves in @path, then wait for @n in all. */
static int barrier(const char *path, long n)
{
	struct timespec step = { 0, BARRIER_STEP_NS };
	struct stat st;
	long waited;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);

	if (fd < 0 || write(fd, "x", 1) != 1) {
		perror(path);
		return 1;
	}
	close(fd);
	for (waited = 0; waited < BARRIER_TIMEOUT_S * (1000000000L / BARRIER_STEP_NS); waited++) {
		if (stat(path, &st) < 0) {
			perror(path);
			return 1;
		}
		if (st.st_size >= n)
			return 0;
		nanosleep(&step, NULL);
	}
	fprintf(stderr, "barrier %s: %lld of %ld after %d s\n", path, (long long)st.st_size, n,
		BARRIER_TIMEOUT_S);
	return 3;
}

static void on_usr1(int sig)
{
	(void)sig;
	go = 1;
}

int main(int argc, char **argv)
{
	long brk_mib = 0, mmap_mib = 0, churn_mib = 0, files = 0, barrier_n = 0, i;
	const char *barrier_path = NULL;
	double sleep_s = 0;
	int wait = 0, a;
	sigset_t none, usr1;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--wait"))
			wait = 1;
		else if (a + 1 < argc && !strcmp(argv[a], "--brk-mib"))
			brk_mib = atol(argv[++a]);
		else if (a + 1 < argc && !strcmp(argv[a], "--mmap-mib"))
			mmap_mib = atol(argv[++a]);
		else if (a + 1 < argc && !strcmp(argv[a], "--churn-mib"))
			churn_mib = atol(argv[++a]);
		else if (a + 1 < argc && !strcmp(argv[a], "--files"))
			files = atol(argv[++a]);
		else if (a + 2 < argc && !strcmp(argv[a], "--barrier")) {
			barrier_path = argv[++a];
			barrier_n = atol(argv[++a]);
		} else if (a + 1 < argc && !strcmp(argv[a], "--sleep"))
			sleep_s = atof(argv[++a]);
		else {
			fprintf(stderr, "usage: %s [--wait] [--brk-mib N] [--mmap-mib N] "
				"[--churn-mib N] [--files N] [--barrier FILE N] [--sleep SEC]\n", argv[0]);
			return 2;
		}
	}
	if (wait) {
		/* Block, then sigsuspend: a SIGUSR1 sent before we get here is not lost. */
		sigemptyset(&usr1);
		sigaddset(&usr1, SIGUSR1);
		sigprocmask(SIG_BLOCK, &usr1, NULL);
		signal(SIGUSR1, on_usr1);
		sigemptyset(&none);
		while (!go)
			sigsuspend(&none);
	}
	if (brk_mib && sbrk(brk_mib << 20) == (void *)-1) {
		perror("sbrk");
		return 1;
	}
	if (mmap_mib) {
		char *p = mmap(NULL, (size_t)mmap_mib << 20, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
	}
	for (i = 0; i < churn_mib; i++) {
		char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (p == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		memset(p, 1, 1 << 20);
		munmap(p, 1 << 20);
	}
	for (i = 0; i < files; i++) {
		int fd = open("/dev/null", O_RDONLY);

		if (fd < 0) {
			perror("open");
			return 1;
		}
		close(fd);
	}
	if (barrier_path && (i = barrier(barrier_path, barrier_n)) != 0)
		return (int)i;
	if (sleep_s > 0) {
		struct timespec ts = { (time_t)sleep_s, (long)((sleep_s - (long)sleep_s) * 1e9) };

		while (nanosleep(&ts, &ts) < 0)
			;
	}
	return 0;
}
