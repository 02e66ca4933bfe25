// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * resmon run [limit options] [--no-tree] [--kill-offender] [--report FILE] [-v]
 *            [--] CMD [ARG...]
 *
 * CMD runs in a job (SPEC's "Jobs"): the child is forked waiting on a pipe,
 * the parent makes the job on the child's pidfd (with CMD's future
 * children by default) and only then lets it exec, so CMD is counted and
 * limited from its first instruction. The parent keeps the job's handle:
 * it polls it for the soft and kill events, printing one stderr line for
 * each as it comes, waits for CMD with wait4, and once the job has ended
 * (its EMPTY event: CMD and everything it started have exited) reads the
 * exact final usage from the handle for --report. Nothing is sampled and
 * nothing comes from the kernel log, so any user gets the reason of a kill.
 */
#include "cli.h"
#include "job_options.h"
#include "job_report.h"
#include "report.h"
#include "units.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How long to wait for the EMPTY event after CMD's reap before asking the usage directly. */
#define EMPTY_CHECK_MS	1000

/* What the job said while CMD ran, and how CMD ended. */
struct run_state {
	pid_t pid;
	int pidfd;		/* CMD's: signals reach it, never a process reusing its pid */
	int handle;
	int reaped, ended;	/* CMD waited for; the job's EMPTY event read */
	int wstatus;
	struct rusage ru;
	struct resmon_job_event kill;	/* the first kill */
	int killed;
	struct resmon_job_event *soft;
	size_t nsoft;
};

static void __attribute__((noreturn))
child(int go, int up, const sigset_t *mask, const struct sigaction *pipe_action, char **cmd)
{
	char byte;
	int err;

	/* CMD gets the signal state resmon was started with, not the parent's waiting state. */
	sigaction(SIGPIPE, pipe_action, NULL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	/* EOF once the parent has made the job (or killed us instead). */
	while (read(go, &byte, 1) < 0 && errno == EINTR)
		;
	execvp(cmd[0], cmd);
	err = errno;
	if (write(up, &err, sizeof(err)) < 0) {
		/* The parent is gone: nobody to tell. */
	}
	_exit(err == ENOENT ? EXIT_RUN_NOTFOUND : EXIT_RUN_NOEXEC);
}

/*
 * The signals resmon passes on to CMD: all but those it cannot catch, the
 * faults of its own code, SIGCHLD (its own business), SIGPIPE (ignored:
 * a closed stderr must not kill resmon before CMD) and the job-control
 * ones, which stop and continue resmon with CMD as a shell expects.
 */
static void forwarded_signals(sigset_t *set)
{
	static const int not_forwarded[] = {
		SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS,
		SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT,
	};
	size_t i;

	sigfillset(set);
	for (i = 0; i < sizeof(not_forwarded) / sizeof(not_forwarded[0]); i++)
		sigdelset(set, not_forwarded[i]);
}

static double seconds_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* Print and keep one event; a SOFT or KILL line on stderr whatever -v says. */
static int take_event(struct run_state *st, const struct resmon_job_event *ev)
{
	struct resmon_job_event *more;
	char line[256];

	switch (ev->type) {
	case RESMON_EVENT_EMPTY:
		st->ended = 1;
		return 0;
	case RESMON_EVENT_KILL:
		if (!st->killed) {
			st->kill = *ev;
			st->killed = 1;
		}
		break;
	case RESMON_EVENT_SOFT:
		more = realloc(st->soft, (st->nsoft + 1) * sizeof(*more));
		if (!more)
			return -1;
		st->soft = more;
		st->soft[st->nsoft++] = *ev;
		break;
	default:
		return 0;	/* a type of a newer ABI: nothing to say about it */
	}
	format_job_event(line, sizeof(line), ev);
	fprintf(stderr, "resmon: %s\n", line);
	return 0;
}

/* Every event queued now (the handle is non-blocking). */
static int drain_events(struct run_state *st)
{
	struct resmon_job_event ev;
	int n;

	while (!st->ended) {
		n = resmon_job_read_event(st->handle, &ev, sizeof(ev));
		if (n == 0) {
			st->ended = 1;
		} else if (n < 0) {
			if (errno == EAGAIN)
				return 0;
			errorf(strerror(errno), "run: reading the job's events");
			return -1;
		} else if (take_event(st, &ev) < 0) {
			errorf(strerror(ENOMEM), "run");
			return -1;
		}
	}
	return 0;
}

/* A signal for resmon: reap CMD on SIGCHLD, pass the others on. */
static void take_signal(struct run_state *st, const struct signalfd_siginfo *si)
{
	if (si->ssi_signo == SIGCHLD) {
		if (!st->reaped && wait4(st->pid, &st->wstatus, WNOHANG, &st->ru) == st->pid)
			st->reaped = 1;
		return;
	}
	/*
	 * CMD is gone and what it left behind (a tree job's background members,
	 * a daemon that called setsid) keeps the job alive: a signal that asks
	 * resmon to end (^C, ^\\, hangup, kill's TERM) stops the wait instead of
	 * being lost on a dead CMD. The job's limits still hold on those members;
	 * --report's figures are the ones of that moment.
	 */
	if (st->reaped && (si->ssi_signo == SIGINT || si->ssi_signo == SIGTERM ||
			   si->ssi_signo == SIGHUP || si->ssi_signo == SIGQUIT)) {
		st->ended = 1;
		return;
	}
	/*
	 * A terminal's ^C or hangup reaches CMD itself through the process
	 * group (si_code SI_KERNEL); one sent to resmon alone (kill(1),
	 * sigqueue) is passed on, so that stopping resmon stops CMD.
	 */
	if (si->ssi_code <= 0)
		syscall(SYS_pidfd_send_signal, st->pidfd, (int)si->ssi_signo, NULL, 0);
}

/*
 * Wait until CMD is reaped and the job has ended. The EMPTY event ends it;
 * should it not come (a resmon that lost it), a job whose usage shows no
 * member once CMD is reaped has ended all the same.
 */
static int wait_for_end(struct run_state *st, int sigfd)
{
	struct pollfd fds[2] = { { .fd = sigfd, .events = POLLIN },
				 { .fd = st->handle, .events = POLLIN } };
	struct signalfd_siginfo si;
	struct resmon_job_usage u;
	int n;

	while (!st->reaped || !st->ended) {
		n = poll(fds, st->ended ? 1 : 2, st->reaped ? EMPTY_CHECK_MS : -1);
		if (n < 0 && errno != EINTR) {
			errorf(strerror(errno), "run: poll");
			return -1;
		}
		if (n == 0 && !st->ended) {
			if (resmon_job_usage(st->handle, &u, sizeof(u)) == 0 && u.members_now == 0) {
				if (drain_events(st) < 0)
					return -1;
				st->ended = 1;
			}
			continue;
		}
		if (n > 0 && !st->ended && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    drain_events(st) < 0)
			return -1;
		if (n > 0 && (fds[0].revents & POLLIN) && read(sigfd, &si, sizeof(si)) == sizeof(si))
			take_signal(st, &si);
	}
	return 0;
}

/* The line -v adds at the end: how CMD ended and what the job took. */
static void verbose_summary(const struct run_state *st, const struct resmon_job_usage *u,
			    double wall)
{
	char heap[32], peak[32], how[64];

	if (WIFSIGNALED(st->wstatus))
		snprintf(how, sizeof(how), "killed by signal %d (%s)", WTERMSIG(st->wstatus),
			 strsignal(WTERMSIG(st->wstatus)));
	else
		snprintf(how, sizeof(how), "exited with status %d", WEXITSTATUS(st->wstatus));
	format_bytes(heap, sizeof(heap), u->usage[RESMON_HEAP]);
	format_bytes(peak, sizeof(peak), u->data_peak);
	/* "tree job" or "no tree": whether CMD's children were in it, which decides the figures. */
	fprintf(stderr, "resmon: pid %d %s; heap %s total, %llu opens, data peak %s, "
		"%llu process%s (%s); %.3f s, max RSS %ld KiB\n", (int)st->pid, how, heap,
		(unsigned long long)u->usage[RESMON_OPENS], peak,
		(unsigned long long)u->members_ever, u->members_ever == 1 ? "" : "es",
		u->flags & RESMON_JOB_TREE ? "tree job" : "no tree", wall, st->ru.ru_maxrss);
}

static int write_report(FILE *f, const char *path, const struct run_state *st,
			const struct resmon_job_usage *u, char **cmd, int ncmd, double wall)
{
	struct run_report r = {
		.argv = cmd, .argc = ncmd, .pid = st->pid, .edition = resmon_edition(),
		.wstatus = st->wstatus, .kill = st->killed ? &st->kill : NULL,
		.soft = st->soft, .nsoft = st->nsoft, .usage = u, .wall_s = wall,
		.max_rss_kib = st->ru.ru_maxrss,
	};

	write_run_report(f, &r);
	if (fclose(f) != 0) {
		errorf(strerror(errno), "run: --report %s", path);
		return -1;
	}
	return 0;
}

/*
 * Why the job could not be made, in resmon's terms; the exit code. There is
 * no fallback to CMD's own process where tree jobs are refused: a build run
 * under a limit must not quietly leave its compilers unlimited.
 */
static int job_failed(int err, unsigned int flags)
{
	/* resmon answered resmon_available(): only its job layer is missing (a 1.0 resmon). */
	if (err == ENOSYS)
		errorf(NO_JOBS, "run: job");
	else if (err == EINVAL && (flags & RESMON_JOB_TREE))
		errorf(NO_TREE_JOBS ": --no-tree limits CMD's own process alone", "run");
	else
		errorf(resmon_strerror(RESMON_OP_JOB, err), "run: job");
	return EXIT_RUN_FAILED;
}

int cmd_run(int argc, char **argv)
{
	enum { OPT_NO_TREE = 0x300, OPT_REPORT };
	static const struct option longopts[] = {
		JOB_LIMIT_OPTIONS,
		{ "no-tree", no_argument, NULL, OPT_NO_TREE },
		{ "report", required_argument, NULL, OPT_REPORT },
		{ "verbose", no_argument, NULL, 'v' },
		/* 1.0's: kept so that its scripts still run; nothing is sampled any more. */
		{ "interval", required_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		HELP_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	struct run_state st = { .pidfd = -1, .handle = -1 };
	struct sigaction ignore = { .sa_handler = SIG_IGN }, pipe_action;
	struct resmon_job_usage usage;
	struct timespec start;
	struct job_args job;
	sigset_t fwd, old;
	const char *bad = NULL, *report_path = NULL;
	FILE *report = NULL;
	int c, r, verbose = 0, go[2], up[2], err, sigfd, rc;
	long interval;
	ssize_t n;
	double wall;

	job_args_init(&job);
	job.flags = RESMON_JOB_TREE;
	/* "+": stop at CMD, so its own options are not taken for ours. */
	while ((c = next_option(argc, argv, "+vqn:", longopts, &bad)) != -1) {
		r = job_option(&job, c, optarg, "run");
		if (r >= 0) {
			if (r)
				return r;
			continue;
		}
		switch (c) {
		case OPT_HELP:
			print_help("run");
			return EXIT_OK;
		case OPT_NO_TREE:
			job.flags &= ~RESMON_JOB_TREE;
			break;
		case OPT_REPORT:
			report_path = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'n':
			if (parse_interval_ms(optarg, &interval) < 0)
				return usage_error("run", "--interval '%s': not a number of seconds", optarg);
			break;
		case 'q':
			break;
		default:
			return option_error("run", c, bad);
		}
	}
	if (optind >= argc)
		return usage_error("run", "missing CMD");

	/* No resmon at all: say which edition is missing, before a child exists. */
	if (!resmon_available()) {
		errorf(resmon_strerror(RESMON_OP_JOB, ENOSYS), "run");
		return EXIT_NO_RESMON;
	}
	/* The report's file first: a path that cannot be written fails before CMD runs. */
	if (report_path) {
		report = fopen(report_path, "we");
		if (!report) {
			errorf(strerror(errno), "run: --report %s", report_path);
			return EXIT_RUN_FAILED;
		}
	}
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(up, O_CLOEXEC) < 0) {
		errorf(strerror(errno), "run: pipe");
		return EXIT_RUN_FAILED;
	}
	/* Blocked before fork, so no SIGCHLD and no signal to pass on can slip in before the poll. */
	forwarded_signals(&fwd);
	sigprocmask(SIG_BLOCK, &fwd, &old);
	sigfd = signalfd(-1, &fwd, SFD_CLOEXEC | SFD_NONBLOCK);
	sigaction(SIGPIPE, &ignore, &pipe_action);
	if (sigfd < 0) {
		errorf(strerror(errno), "run: signalfd");
		return EXIT_RUN_FAILED;
	}

	fflush(NULL);
	st.pid = fork();
	if (st.pid < 0) {
		errorf(strerror(errno), "run: fork");
		return EXIT_RUN_FAILED;
	}
	if (st.pid == 0) {
		close(go[1]);
		close(up[0]);
		child(go[0], up[1], &old, &pipe_action, argv + optind);
	}
	close(go[0]);
	close(up[1]);
	st.pidfd = (int)syscall(SYS_pidfd_open, st.pid, 0);
	if (st.pidfd < 0) {
		err = errno;
		rc = EXIT_RUN_FAILED;
		errorf(strerror(err), "run: pidfd_open");
	} else {
		st.handle = resmon_job_create(st.pidfd, &job.limits, sizeof(job.limits), job.flags);
		rc = st.handle < 0 ? job_failed(errno, job.flags) : EXIT_OK;
	}
	if (rc != EXIT_OK) {
		/* CMD must not run unlimited: it has not exec'd yet, so nothing of it runs. */
		kill(st.pid, SIGKILL);
		while (waitpid(st.pid, NULL, 0) < 0 && errno == EINTR)
			;
		return rc;
	}
	fcntl(st.handle, F_SETFL, fcntl(st.handle, F_GETFL) | O_NONBLOCK);

	clock_gettime(CLOCK_MONOTONIC, &start);
	close(go[1]);		/* CMD execs now */
	do
		n = read(up[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(up[0]);
	if (n == (ssize_t)sizeof(err))	/* exec failed; the child's exit code says how (env(1)'s) */
		errorf(strerror(err), "run: %s", argv[optind]);

	if (wait_for_end(&st, sigfd) < 0)
		return EXIT_RUN_FAILED;
	wall = seconds_since(&start);
	/* The job has ended: its figures are final, read once from the handle. */
	if (resmon_job_usage(st.handle, &usage, sizeof(usage)) < 0) {
		errorf(strerror(errno), "run: reading the job's usage");
		return EXIT_RUN_FAILED;
	}
	if (verbose)
		verbose_summary(&st, &usage, wall);
	if (report && write_report(report, report_path, &st, &usage, argv + optind, argc - optind,
				   wall) < 0)
		return EXIT_RUN_FAILED;
	close(st.handle);
	close(st.pidfd);
	free(st.soft);
	return exit_code_of(st.wstatus);
}
