// SPDX-License-Identifier: GPL-2.0-or-later
/* See job_options.h. */
#include "job_options.h"
#include "cli.h"
#include "units.h"

#include <signal.h>
#include <string.h>

void job_args_init(struct job_args *a)
{
	int r;

	memset(a, 0, sizeof(*a));
	/* What the kernel takes for a field not given; kept so that a report can show it. */
	a->limits.soft_signal = SIGTERM;
	for (r = 0; r < RESMON_NR_RESOURCES; r++) {
		a->limits.hard[r] = RESMON_UNLIMITED;
		a->limits.soft[r] = RESMON_UNLIMITED;
	}
}

/* One limit: @res's hard or soft value from a SIZE (heap, data) or an N (opens). */
static int set_limit(struct job_args *a, int res, int soft, const char *arg, const char *opt,
		     const char *cmd)
{
	unsigned long long v;
	int r;

	if (res == RESMON_OPENS)
		r = parse_limit_count(arg, &v);
	else
		r = parse_size_bytes(arg, &v);
	if (r)
		return value_error(cmd, opt, arg, r,
				   res == RESMON_OPENS ? "not a count" : "not a SIZE",
				   res == RESMON_OPENS ? COUNT_MAX_TEXT : SIZE_MAX_TEXT);
	if (soft) {
		a->limits.soft[res] = v;
		a->limits.mask |= RESMON_LIMIT_SOFT(res);
	} else {
		a->limits.hard[res] = v;
		a->limits.mask |= RESMON_LIMIT_HARD(res);
	}
	return 0;
}

/* The six limit options, in the order of their codes (job_options.h, from OPT_HEAP). */
static const struct limit_option {
	int res, soft;
	const char *name;
} limit_options[] = {
	{ RESMON_HEAP, 0, "--heap" }, { RESMON_OPENS, 0, "--files" },
	{ RESMON_DATA, 0, "--data" }, { RESMON_HEAP, 1, "--soft-heap" },
	{ RESMON_OPENS, 1, "--soft-files" }, { RESMON_DATA, 1, "--soft-data" },
};

int job_option(struct job_args *a, int c, const char *arg, const char *cmd)
{
	int sig;

	if (c >= OPT_HEAP && c <= OPT_SOFT_DATA) {
		const struct limit_option *o = &limit_options[c - OPT_HEAP];

		return set_limit(a, o->res, o->soft, arg, o->name, cmd);
	}
	switch (c) {
	case OPT_SOFT_SIGNAL:
		if (parse_signal(arg, &sig))
			return usage_error(cmd, "--soft-signal '%s': not a signal", arg);
		/* The kernel would send it with no check of ours: SIGKILL/SIGSTOP are fine too. */
		a->limits.soft_signal = (unsigned int)sig;
		a->limits.mask |= RESMON_LIMIT_SOFT_SIGNAL;
		return 0;
	case OPT_KILL_OFFENDER:
		a->flags |= RESMON_JOB_KILL_OFFENDER;
		return 0;
	}
	return -1;
}

int job_args_any_limit(const struct job_args *a)
{
	return a->limits.mask != 0;
}
