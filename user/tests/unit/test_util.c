// SPDX-License-Identifier: GPL-2.0-or-later
/* process_gone(): what `resmon watch` uses to say "exited" rather than "no longer monitored". */
#include "check.h"
#include "cli.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void live_process_is_not_gone(void)
{
	CHECK(process_gone(getpid()) == 0);
	CHECK(process_gone(getppid()) == 0);
}

static void zombie_and_reaped_are_gone(void)
{
	pid_t pid = fork();
	siginfo_t si;

	if (pid == 0)
		_exit(0);
	CHECK(pid > 0);
	/* Wait until it is a zombie, without reaping it. */
	CHECK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT) == 0);
	CHECK(process_gone(pid) == 1);
	CHECK(waitpid(pid, NULL, 0) == pid);
	CHECK(process_gone(pid) == 1);
}

const struct test util_tests[] = {
	{ "process_gone: this process and its parent are live", live_process_is_not_gone },
	{ "process_gone: a zombie, then a reaped pid, are gone", zombie_and_reaped_are_gone },
	{ NULL, NULL },
};
