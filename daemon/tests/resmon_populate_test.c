// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmon_populate_test: resmon.rst's Limiter says the kill is queued before
 * the crossing call populates or locks memory. A child capped at 4 MiB maps
 * 256 MiB with MAP_POPULATE (then brk under mlockall(MCL_FUTURE)); it must
 * die of SIGKILL having faulted in far less than that: its ru_maxrss stays
 * under 64 MiB. Runs as root, through libresmon, so on both editions: the
 * resmon kernel, and a stock kernel with resmond up. TAP.
 */
#include "resmon.h"
#include "tap.h"

#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define BIG (256UL << 20)

static void run(int use_brk, const char *what)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (resmon_register(getpid()) || resmon_cap(getpid(), 4, RESMON_NO_LIMIT))
			_exit(3);
		if (use_brk) {
			if (mlockall(MCL_CURRENT | MCL_FUTURE))
				_exit(4);
			sbrk((intptr_t)BIG);
		} else {
			mmap(NULL, BIG, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		}
		_exit(0);
	}
	if (wait4(pid, &status, 0, &ru) != pid) {
		result(0, what);
		return;
	}
	printf("# %s: status 0x%x, max RSS %ld KiB\n", what, status, ru.ru_maxrss);
	result(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && ru.ru_maxrss < (64L << 10),
	       what);
}

int main(void)
{
	run(0, "mmap(MAP_POPULATE) over the quota is killed before it populates");
	run(1, "brk under mlockall(MCL_FUTURE) over the quota is killed before it populates");
	return tap_done();
}
