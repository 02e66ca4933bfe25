// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * resmon_proc_read: what reading /proc/resmon in small pieces costs as
 * the list grows. Starts N idle monitored processes, then times whole
 * reads of /proc/resmon with read() calls of CHUNK bytes (best of 5).
 * A reader that walks the list from its head for every read() is O(n^2)
 * (time x16 for n x4); one that keeps its place is O(n) (x4).
 *
 *   resmon_proc_read [CHUNK] N...      e.g. resmon_proc_read 17 500 2000
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* libresmon's header: the RESMON_NR_* numbers */
#include "resmon.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double read_all(size_t chunk, long *lines)
{
	static char buf[1 << 16];
	double t = now_s();
	int fd = open("/proc/resmon", O_RDONLY | O_CLOEXEC);
	ssize_t n, i;

	*lines = 0;
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, chunk)) > 0)
		for (i = 0; i < n; i++)
			*lines += buf[i] == '\n';
	close(fd);
	return now_s() - t;
}

int main(int argc, char **argv)
{
	size_t chunk = argc > 1 ? strtoul(argv[1], NULL, 0) : 17;
	static pid_t kids[32768];
	long have = 0, lines;
	int a, r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (a = 2; a < argc; a++) {
		long want = atol(argv[a]);
		double best = 1e9, t;

		for (; have < want && have < 32768; have++) {
			kids[have] = fork();
			if (kids[have] < 0) {
				perror("fork");
				goto out;
			}
			if (kids[have] == 0) {
				pause();
				_exit(0);
			}
			if (syscall(RESMON_NR_REGISTER, kids[have])) {
				perror("register");
				goto out;
			}
		}
		for (r = 0; r < 5; r++) {
			t = read_all(chunk, &lines);
			if (t >= 0 && t < best)
				best = t;
		}
		printf("PROCREAD records=%ld lines=%ld chunk=%zu best_ms=%.2f us_per_line=%.2f\n",
		       have, lines, chunk, best * 1e3, best * 1e6 / (lines ? lines : 1));
	}
out:
	while (have > 0) {
		kill(kids[--have], SIGKILL);
		waitpid(kids[have], NULL, 0);
	}
	return 0;
}
