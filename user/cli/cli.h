/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the subcommands of resmon(1): exit codes, error output, helpers. */
#ifndef RESMON_CLI_H
#define RESMON_CLI_H

#include <sys/types.h>

#include "resmon.h"

/* Exit codes, documented in resmon(1), EXIT STATUS. */
enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1,	/* an operation failed (for at least one PID) */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_NO_RESMON = 3,	/* the kernel has no resmon */
	/* "run" only, as env(1) and timeout(1) do: */
	EXIT_RUN_FAILED = 125,	/* resmon could not start CMD monitored */
	EXIT_RUN_NOEXEC = 126,	/* CMD found but could not be executed */
	EXIT_RUN_NOTFOUND = 127,/* CMD not found */
};

/* Why a job call failed with ENOSYS where resmon answers: a resmon of before jobs. */
#define NO_JOBS "this resmon has no jobs (a 1.0 kernel or resmond): use register and cap"

/*
 * Why a job call with RESMON_JOB_TREE failed with EINVAL: the command line
 * only sends valid limits (rules.h's resmon_limits_valid: known mask bits,
 * a signal up to SIGRTMAX), so it is the tree flag that this resmon refuses.
 */
#define NO_TREE_JOBS "this resmon does not take tree jobs (a process with its children)"

/* "resmon: <what>: <why>" on stderr, one line. */
void errorf(const char *why, const char *what_fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A usage error: prints the line and a hint, returns EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Report that call @op on @pid failed with @err, for subcommand @cmd, in
 * resmon's terms. Returns EXIT_NO_RESMON for ENOSYS, else EXIT_FAILED.
 */
int call_failed(const char *cmd, enum resmon_op op, pid_t pid, int err);

/* /proc/PID/comm without the newline, or "?" if it cannot be read. */
void read_comm(pid_t pid, char *buf, size_t len);

/* 1 if @pid no longer exists, is a zombie or is exiting: it cannot be monitored any more. */
int process_gone(pid_t pid);

/* Sleep @ms milliseconds, through signals. */
void sleep_ms(long ms);

int cmd_run(int argc, char **argv);
int cmd_limit(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_simple(int argc, char **argv);	/* register, deregister, cap, reset */

/* Help text of one subcommand, or all of them for NULL. */
void print_help(const char *cmd);

#endif
