// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * resmon limit PID [limit options] [--tree]
 *
 * Limits on a running process, through the job layer. A process in no job
 * gets a new one (with its future children under --tree); the handle is
 * closed on the way out, which lifts nothing: the limits hold until the
 * last member exits. A member of a job gets its job's limits changed
 * through a handle opened by pid, under the handle's rule: lowering is
 * free, raising or removing needs CAP_SYS_RESOURCE. Either way the limits
 * are in force when this returns 0.
 */
#include "cli.h"
#include "job_options.h"
#include "units.h"

#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * resmon answers but not its job layer (ENOSYS): say that, not "not
 * available"; EINVAL for a tree job is the tree refused (NO_TREE_JOBS).
 */
static int job_call_failed(pid_t pid, int err, unsigned int flags)
{
	if (err == ENOSYS) {
		errorf(NO_JOBS, "limit %d", (int)pid);
		return EXIT_FAILED;
	}
	if (err == EINVAL && (flags & RESMON_JOB_TREE)) {
		errorf(NO_TREE_JOBS ": without --tree the process alone is limited",
		       "limit %d", (int)pid);
		return EXIT_FAILED;
	}
	return call_failed("limit", RESMON_OP_JOB, pid, err);
}

/* A new job on @pidfd's process; the handle is not kept (the job lives on with its members). */
static int new_job(int pidfd, pid_t pid, const struct job_args *job)
{
	int handle = resmon_job_create(pidfd, &job->limits, sizeof(job->limits), job->flags);

	if (handle < 0)
		return job_call_failed(pid, errno, job->flags);
	close(handle);
	return EXIT_OK;
}

/* New limits for the job @pid is a member of, through @handle. */
static int change_job(int handle, pid_t pid, const struct job_args *job)
{
	if (job->flags & (RESMON_JOB_TREE | RESMON_JOB_KILL_OFFENDER)) {
		errorf("already in a job: --tree and --kill-offender only shape a new job",
		       "limit %d", (int)pid);
		return EXIT_FAILED;
	}
	if (resmon_job_set_limits(handle, &job->limits, sizeof(job->limits)) < 0)
		return call_failed("limit", RESMON_OP_JOB_LIMITS, pid, errno);
	return EXIT_OK;
}

int cmd_limit(int argc, char **argv)
{
	enum { OPT_TREE = 0x300 };
	static const struct option longopts[] = {
		JOB_LIMIT_OPTIONS,
		{ "tree", no_argument, NULL, OPT_TREE },
		HELP_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	struct job_args job;
	const char *bad = NULL;
	int c, r, pidfd, handle;
	pid_t pid;

	job_args_init(&job);
	while ((c = next_option(argc, argv, "", longopts, &bad)) != -1) {
		r = job_option(&job, c, optarg, "limit");
		if (r >= 0) {
			if (r)
				return r;
			continue;
		}
		if (c == OPT_HELP) {
			print_help("limit");
			return EXIT_OK;
		}
		if (c != OPT_TREE)
			return option_error("limit", c, bad);
		job.flags |= RESMON_JOB_TREE;
	}
	if (optind >= argc)
		return usage_error("limit", "missing PID");
	if (optind != argc - 1)
		return usage_error("limit", "one PID only");
	if (parse_pid(argv[optind], &pid) < 0)
		return usage_error("limit", "'%s' is not a process id", argv[optind]);
	if (!job_args_any_limit(&job))
		return usage_error("limit", "give at least one limit (--heap, --files, --data, "
				   "--soft-..., --soft-signal)");

	if (!resmon_available())
		return call_failed("limit", RESMON_OP_JOB, pid, ENOSYS);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return call_failed("limit", RESMON_OP_JOB, pid, errno);
	/* A member first: its job's handle. EINVAL: in no job, so a new one. */
	handle = resmon_job_open(pidfd);
	if (handle >= 0) {
		r = change_job(handle, pid, &job);
		close(handle);
	} else if (errno == EINVAL) {
		r = new_job(pidfd, pid, &job);
	} else {
		r = job_call_failed(pid, errno, 0);
	}
	close(pidfd);
	return r;
}
