// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * resmon_reserve: how much heap resmon counts for a thread and for its
 * first malloc(), the figures resmon(1) quotes under NOTES.
 *
 * resmon counts address space reserved by private anonymous mmap(), not
 * memory touched: glibc reserves a thread's stack (RLIMIT_STACK, 8 MiB by
 * default) and, at a new thread's first malloc(), a whole arena (64 MiB,
 * mapped at first as 128 MiB to align it). This program registers itself,
 * then prints the heap bytes of its /proc/resmon line after each step:
 *
 *   resmon_reserve            (then again with MALLOC_ARENA_MAX=1, or
 *                              after ulimit -s 1024, to see the difference)
 *
 * Dynamically linked, like the programs users run: the figures are glibc's.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* libresmon's header: the RESMON_NR_* numbers */
#include "resmon.h"

/* Our heap bytes from /proc/resmon (finer than fetch's MiB), or -1. */
static long long heap_bytes(void)
{
	long long heap = -1, h;
	char line[256];
	FILE *f = fopen("/proc/resmon", "r");
	int pid;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%d %lld", &pid, &h) == 2 && pid == getpid())
			heap = h;
	fclose(f);
	return heap;
}

static long long last;

static void step(const char *what)
{
	long long now = heap_bytes();

	printf("%-36s +%8.2f MiB (total %.2f MiB)\n", what,
	       (now - last) / 1048576.0, now / 1048576.0);
	last = now;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int phase;

static void wait_phase(int p)
{
	pthread_mutex_lock(&lock);
	while (phase < p)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
}

static void set_phase(int p)
{
	pthread_mutex_lock(&lock);
	phase = p;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
}

static void *thread(void *arg)
{
	(void)arg;
	wait_phase(1);
	free(malloc(16));
	set_phase(2);
	wait_phase(3);
	return NULL;
}

int main(void)
{
	pthread_t t;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (syscall(RESMON_NR_REGISTER, getpid())) {
		perror("resmon_reserve: register");
		return 1;
	}
	last = heap_bytes();
	free(malloc(16));
	step("main thread: first malloc(16)");
	if (pthread_create(&t, NULL, thread, NULL)) {
		fprintf(stderr, "resmon_reserve: pthread_create failed\n");
		return 1;
	}
	step("pthread_create (its stack)");
	set_phase(1);
	wait_phase(2);
	step("new thread: first malloc(16)");
	set_phase(3);
	pthread_join(t, NULL);
	step("after the thread exited");
	return 0;
}
