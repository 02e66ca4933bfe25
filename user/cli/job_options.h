/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The limit options "run" and "limit" share (--heap, --files, --data, their
 * --soft- forms, --soft-signal, --kill-offender), parsed into the job
 * layer's struct resmon_job_limits: one table, so both subcommands take
 * the same spellings, values and messages.
 */
#ifndef RESMON_JOB_OPTIONS_H
#define RESMON_JOB_OPTIONS_H

#include "options.h"
#include "resmon.h"

/* getopt_long values of the shared options (none is a short option); the six limits
 * stay in this order: job_options.c's table of them follows it. */
enum {
	OPT_HEAP = 0x200, OPT_FILES, OPT_DATA,
	OPT_SOFT_HEAP, OPT_SOFT_FILES, OPT_SOFT_DATA,
	OPT_SOFT_SIGNAL, OPT_KILL_OFFENDER,
};

#define JOB_LIMIT_OPTIONS \
	{ "heap", required_argument, NULL, OPT_HEAP }, \
	{ "files", required_argument, NULL, OPT_FILES }, \
	{ "data", required_argument, NULL, OPT_DATA }, \
	{ "soft-heap", required_argument, NULL, OPT_SOFT_HEAP }, \
	{ "soft-files", required_argument, NULL, OPT_SOFT_FILES }, \
	{ "soft-data", required_argument, NULL, OPT_SOFT_DATA }, \
	{ "soft-signal", required_argument, NULL, OPT_SOFT_SIGNAL }, \
	{ "kill-offender", no_argument, NULL, OPT_KILL_OFFENDER }

struct job_args {
	/* mask names what was given; the rest is RESMON_UNLIMITED, soft signal SIGTERM */
	struct resmon_job_limits limits;
	unsigned int flags;	/* RESMON_JOB_KILL_OFFENDER as given */
};

void job_args_init(struct job_args *a);

/*
 * Take option @c (one of the OPT_ values above) with value @arg into @a.
 * Returns 0, or EXIT_USAGE after printing the error ("--data '1Q': not a
 * SIZE", "... too large (max ...)"), or -1 if @c is not a limit option.
 */
int job_option(struct job_args *a, int c, const char *arg, const char *cmd);

/* 1 if any limit or the soft signal was given. */
int job_args_any_limit(const struct job_args *a);

#endif
