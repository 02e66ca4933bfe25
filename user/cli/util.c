// SPDX-License-Identifier: GPL-2.0-or-later
/* Error output and small helpers shared by the subcommands. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void errorf(const char *why, const char *what_fmt, ...)
{
	va_list ap;

	fputs("resmon: ", stderr);
	va_start(ap, what_fmt);
	vfprintf(stderr, what_fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", why);
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "resmon: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'resmon %s --help')\n", cmd);
	return EXIT_USAGE;
}

int call_failed(const char *cmd, enum resmon_op op, pid_t pid, int err)
{
	errorf(resmon_strerror(op, err), "%s %d", cmd, (int)pid);
	return err == ENOSYS ? EXIT_NO_RESMON : EXIT_FAILED;
}

void read_comm(pid_t pid, char *buf, size_t len)
{
	char path[32];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (!f || !fgets(buf, (int)len, f))
		snprintf(buf, len, "?");
	else
		buf[strcspn(buf, "\n")] = '\0';
	if (f)
		fclose(f);
}

/* include/linux/sched.h: the task is getting shut down */
#define PF_EXITING	0x00000004

int process_gone(pid_t pid)
{
	char path[32], buf[512], *close_paren, state;
	unsigned int flags;
	size_t n;
	FILE *f;

	/* A zombie still answers kill(pid, 0), so look at its state instead. */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/*
	 * "pid (comm) S ppid pgrp session tty tpgid flags ...": comm may hold spaces
	 * and parentheses, the last ')' ends it. The kernel drops the record in
	 * do_exit() before the process turns zombie; in between, its state still
	 * reads running but its flags have PF_EXITING.
	 */
	close_paren = strrchr(buf, ')');
	if (!close_paren || sscanf(close_paren + 1, " %c %*d %*d %*d %*d %*d %u", &state, &flags) != 2)
		return 1;
	return state == 'Z' || state == 'X' || (flags & PF_EXITING);
}

void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}
