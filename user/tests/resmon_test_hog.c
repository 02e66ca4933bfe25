// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * resmon_test_hog: grows its heap and opens files on command, for the
 * guest tests of resmon(1). Linked statically so that no dynamic loader
 * opens or maps anything before main(): the counts the tests expect are
 * exactly the ones asked for here.
 *
 *   resmon_test_hog [--wait] [--brk-mib N] [--mmap-mib N] [--churn-mib N] [--files N]
 *                   [--sleep SEC]
 *
 * --wait: first wait for SIGUSR1 (so a test can register it in between).
 * Then brk() grows by N MiB, mmap() maps N MiB private anonymous, /dev/null
 * is opened (and closed) N times, and it sleeps SEC seconds (0 default).
 * --churn-mib N: a flat footprint (the jobs' data measure's case): map,
 * write and unmap 1 MiB private anonymous, N times.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t go;

static void on_usr1(int sig)
{
	(void)sig;
	go = 1;
}

int main(int argc, char **argv)
{
	long brk_mib = 0, mmap_mib = 0, churn_mib = 0, files = 0, i;
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
		else if (a + 1 < argc && !strcmp(argv[a], "--sleep"))
			sleep_s = atof(argv[++a]);
		else {
			fprintf(stderr, "usage: %s [--wait] [--brk-mib N] [--mmap-mib N] "
				"[--churn-mib N] [--files N] [--sleep SEC]\n", argv[0]);
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
	if (sleep_s > 0) {
		struct timespec ts = { (time_t)sleep_s, (long)((sleep_s - (long)sleep_s) * 1e9) };

		while (nanosleep(&ts, &ts) < 0)
			;
	}
	return 0;
}
