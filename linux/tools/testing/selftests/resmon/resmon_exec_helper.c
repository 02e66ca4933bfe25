// SPDX-License-Identifier: GPL-2.0
/*
 * A program the resmon selftests execve(), not a test of its own:
 *
 *   resmon_exec_helper wait   write our effective uid (an int) to fd 1,
 *                             then wait for EOF on fd 0 and exit 0.
 *                             resmon_secureexec_test runs a setuid-root
 *                             copy of it.
 *   resmon_exec_helper loop   a thread that is not the leader reads one
 *                             byte from fd 3, writes its thread id to
 *                             fd 4 and execs this program again with
 *                             "loop" (so the leader is replaced by
 *                             de_thread() each time); EOF on fd 3 ends
 *                             it. Used by resmon_thread_test.
 */

#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static char *loop_argv[] = { "resmon_exec_helper", "loop", NULL };

static void *exec_again(void *arg)
{
	pid_t tid = syscall(SYS_gettid);
	char c;

	if (read(3, &c, 1) != 1)
		_exit(0);
	if (write(4, &tid, sizeof(tid)) != sizeof(tid))
		_exit(11);
	execv("/proc/self/exe", loop_argv);
	_exit(12);
}

int main(int argc, char **argv)
{
	pthread_t th;
	char c;

	if (argc == 2 && !strcmp(argv[1], "wait")) {
		int euid = geteuid();

		if (write(1, &euid, sizeof(euid)) != sizeof(euid))
			return 11;
		while (read(0, &c, 1) > 0)
			;
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "loop")) {
		if (pthread_create(&th, NULL, exec_again, NULL))
			return 13;
		for (;;)
			pause();
	}
	return 2;
}
