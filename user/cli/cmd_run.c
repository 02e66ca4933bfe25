// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * resmon run [--heap SIZE] [--files N] [--] CMD [ARG...]
 *
 * The child registers and caps itself, then execs CMD, so CMD is counted
 * and limited from its first instruction (a process may manage itself; no
 * privilege needed). Two close-on-exec pipes order the start: the child
 * says "ready" once registered and capped, waits until the parent has
 * its watch of the end (resmon_watch_end: a kill before it would be
 * missed), then execs; EOF on the first pipe means CMD is running, a
 * struct child_msg with a failure means it is not.
 *
 * Final totals: resmon frees a record as its process exits, so once the
 * parent learns of the exit there is nothing left to fetch. The parent
 * therefore samples the record every --interval (100 ms) while CMD runs
 * and reports the last sample, saying how old it was.
 *
 * Quota kills: how CMD ended comes from libresmon (resmon_read_end): which
 * quota, the total at the crossing and the limit, on either edition, with
 * no access to the kernel log needed of us. Where the edition cannot tell
 * (the kernel edition without its log, see libresmon(3)), a SIGKILL while
 * quotas were set is reported as such, reason unknown: anyone allowed
 * could also have sent it.
 */
#include "cli.h"
#include "options.h"
#include "report.h"
#include "units.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What the child sends up the pipe. */
struct child_msg {
	enum { CHILD_READY, CHILD_CALL_FAILED, CHILD_EXEC_FAILED } what;
	enum resmon_op op;	/* CALL_FAILED: which call */
	int err;
};

static void send_up(int fd, int what, enum resmon_op op, int err)
{
	struct child_msg m = { what, op, err };
	ssize_t unused = write(fd, &m, sizeof(m));

	(void)unused;	/* the parent reads EOF then: nothing more a child could do */
}

static void __attribute__((noreturn)) call_failed_in_child(int up, enum resmon_op op)
{
	send_up(up, CHILD_CALL_FAILED, op, errno);
	_exit(EXIT_RUN_FAILED);
}

static void __attribute__((noreturn))
child(int up, int go, const sigset_t *mask, int capped, long heap, long files, char **cmd)
{
	pid_t self = getpid();
	char byte;

	/* CMD must not inherit the blocked signals the parent waits on. */
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (resmon_register(self) < 0)
		call_failed_in_child(up, RESMON_OP_REGISTER);
	if (capped && resmon_cap(self, heap, files) < 0)
		call_failed_in_child(up, RESMON_OP_CAP);
	send_up(up, CHILD_READY, RESMON_OP_HELLO, 0);
	/* The parent closes its end once it watches us (or gives up): EOF. */
	while (read(go, &byte, 1) < 0 && errno == EINTR)
		;
	/* From here every open and heap growth counts: nothing else runs before exec. */
	execvp(cmd[0], cmd);
	send_up(up, CHILD_EXEC_FAILED, RESMON_OP_HELLO, errno);
	_exit(errno == ENOENT ? EXIT_RUN_NOTFOUND : EXIT_RUN_NOEXEC);
}

static double seconds_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/*
 * Sample @pid every @interval ms until it ends; returns its wait status.
 * *@age: how long before the end the last sample in *@last was taken.
 */
static int monitor(pid_t pid, const sigset_t *waited, long interval,
		   struct resmon_record *last, int *have_last, double *age)
{
	struct timespec ts = { .tv_sec = interval / 1000, .tv_nsec = interval % 1000 * 1000000L };
	struct timespec when = { 0, 0 };
	struct resmon_record rec;
	siginfo_t info;
	int status, sig;

	for (;;) {
		if (resmon_get_record(pid, &rec) == 0) {
			*last = rec;
			*have_last = 1;
			clock_gettime(CLOCK_MONOTONIC, &when);
		}
		if (waitpid(pid, &status, WNOHANG) == pid) {
			*age = seconds_since(&when);
			return status;
		}
		/* SIGCHLD ends the wait at once, so the last sample is at most one interval old. */
		sig = sigtimedwait(waited, &info, &ts);
		/*
		 * A terminal's ^C reaches CMD through the process group (si_code
		 * SI_KERNEL); a kill(1) aimed at resmon alone is passed on, so that
		 * stopping resmon stops CMD and we still report.
		 */
		if (sig > 0 && sig != SIGCHLD && info.si_code <= 0)
			kill(pid, sig);
	}
}

/*
 * How CMD ended, from the watch set up before it ran: 1 with *@end filled,
 * or 0 with *@why saying why the library could not tell.
 */
static int ending(int watch, int watch_err, struct resmon_end *end, const char **why)
{
	if (watch < 0) {
		*why = resmon_strerror(RESMON_OP_WAIT, watch_err);
		return 0;
	}
	if (resmon_read_end(watch, end) < 0) {
		*why = resmon_strerror(RESMON_OP_WAIT, errno);
		close(watch);
		return 0;
	}
	close(watch);
	if (end->cause == RESMON_END_UNKNOWN) {
		*why = "this edition reports a kill only in the kernel log, and that holds "
		       "no kill line of it that you may read";
		return 0;
	}
	return 1;
}

static void report(pid_t pid, const char *comm, int status, int quotas_set,
		   const struct resmon_end *end, const char *why,
		   const struct resmon_record *last, double age, int quiet)
{
	enum verdict v = run_verdict(status, quotas_set, end);
	struct row row;
	char line[512];

	if (!quiet) {
		if (WIFSIGNALED(status))
			fprintf(stderr, "resmon: pid %d (%s) killed by signal %d (%s)\n", (int)pid,
				comm, WTERMSIG(status), strsignal(WTERMSIG(status)));
		else
			fprintf(stderr, "resmon: pid %d (%s) exited with status %d\n", (int)pid,
				comm, WEXITSTATUS(status));
		if (last) {
			row_from_record(&row, last, comm);
			format_summary(line, sizeof(line), &row);
			fprintf(stderr, "resmon: last seen %.2f s before exit: %s\n",
				age, line);
		} else {
			fprintf(stderr, "resmon: totals not seen: pid %d ended before the first sample\n",
				(int)pid);
		}
	}
	/* The verdict is printed even with --quiet: it explains an exit status of 137. */
	switch (v) {
	case VERDICT_RESMON:
		format_kill(line, sizeof(line), end);
		fprintf(stderr, "resmon: killed by resmon: %s (pid %d, %s)\n", line, (int)pid,
			end->comm[0] ? end->comm : comm);
		break;
	case VERDICT_UNKNOWN:
		/* Not resmon's for sure: someone else allowed could have sent it. */
		fprintf(stderr, "resmon: pid %d killed by SIGKILL while quotas were set, reason "
			"unknown: %s\n", (int)pid, why);
		break;
	case VERDICT_OTHER_KILL:
		fprintf(stderr, "resmon: pid %d killed by SIGKILL, not by resmon%s\n", (int)pid,
			quotas_set ? "" : " (no quotas set)");
		break;
	case VERDICT_NOT_KILLED:
		break;
	}
}

int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "heap", required_argument, NULL, 'H' },
		{ "files", required_argument, NULL, 'F' },
		{ "interval", required_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		HELP_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	struct resmon_record last;
	struct resmon_end end;
	struct child_msg msg;
	double age = 0;
	sigset_t waited, old;
	const char *bad = NULL, *why = "";
	long heap = RESMON_NO_LIMIT, files = RESMON_NO_LIMIT, interval = 100;
	int c, quotas_set = 0, quiet = 0, have_last = 0, known = 0, up[2], go[2], status;
	int watch = -1, watch_err = 0;
	char comm[64];
	ssize_t n;
	pid_t pid;

	/* "+": stop at CMD, so its own options are not taken for ours. */
	while ((c = next_option(argc, argv, "+qn:", longopts, &bad)) != -1) {
		switch (c) {
		case OPT_HELP:
			print_help("run");
			return EXIT_OK;
		case 'H':
			if (parse_size_mib(optarg, &heap) < 0)
				return usage_error("run", "--heap '%s': not a SIZE", optarg);
			quotas_set = 1;
			break;
		case 'F':
			if (parse_count(optarg, &files) < 0)
				return usage_error("run", "--files '%s': not a count", optarg);
			quotas_set = 1;
			break;
		case 'n':
			if (parse_interval_ms(optarg, &interval) < 0)
				return usage_error("run", "--interval '%s': not a number of seconds", optarg);
			break;
		case 'q':
			quiet = 1;
			break;
		default:
			return usage_error("run", "unknown option '%s'", bad);
		}
	}
	if (optind >= argc)
		return usage_error("run", "missing CMD");

	/* No resmon at all: say which edition is missing, before a child exists to name. */
	if (!resmon_available()) {
		errorf(resmon_strerror(RESMON_OP_REGISTER, ENOSYS), "run");
		return EXIT_NO_RESMON;
	}
	if (pipe2(up, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0) {
		errorf(strerror(errno), "run: pipe");
		return EXIT_RUN_FAILED;
	}
	/* Block before fork, so no SIGCHLD can slip in between fork and the wait. */
	sigemptyset(&waited);
	sigaddset(&waited, SIGCHLD);
	sigaddset(&waited, SIGINT);
	sigaddset(&waited, SIGQUIT);
	sigaddset(&waited, SIGTERM);
	sigaddset(&waited, SIGHUP);
	sigprocmask(SIG_BLOCK, &waited, &old);

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		errorf(strerror(errno), "run: fork");
		return EXIT_RUN_FAILED;
	}
	if (pid == 0) {
		close(up[0]);
		close(go[1]);
		child(up[1], go[0], &old, quotas_set, heap, files, argv + optind);
	}
	close(up[1]);
	close(go[0]);
	do
		n = read(up[0], &msg, sizeof(msg));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(msg) && msg.what == CHILD_READY) {
		/* Registered and capped, not yet CMD: watch its end before it can be killed. */
		if (quotas_set) {
			watch = resmon_watch_end(pid);
			watch_err = errno;
		}
		close(go[1]);
		do
			n = read(up[0], &msg, sizeof(msg));
		while (n < 0 && errno == EINTR);
	} else {
		close(go[1]);
	}
	close(up[0]);
	if (n == (ssize_t)sizeof(msg)) {
		/* The child never became CMD; its exit code already says which stage failed. */
		if (watch >= 0)
			close(watch);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (msg.what == CHILD_EXEC_FAILED)
			errorf(strerror(msg.err), "run: %s", argv[optind]);
		else
			errorf(resmon_strerror(msg.op, msg.err), "run: %s %d", resmon_op_name(msg.op),
			       (int)pid);
		/* resmond went away between the check above and the child's call. */
		if (msg.what == CHILD_CALL_FAILED && msg.err == ENOSYS)
			return EXIT_NO_RESMON;
		return exit_code_of(status);
	}

	/* exec has happened, so comm is CMD's now; read it while the process is surely there. */
	read_comm(pid, comm, sizeof(comm));
	if (!strcmp(comm, "?")) {
		/* Already gone: name it as the kernel would, the first 15 bytes of its file name. */
		const char *base = strrchr(argv[optind], '/');

		snprintf(comm, 16, "%s", base ? base + 1 : argv[optind]);
	}
	status = monitor(pid, &waited, interval, &last, &have_last, &age);
	/* Only a SIGKILL needs the reason; any other end is told by the status itself. */
	if (quotas_set && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		known = ending(watch, watch_err, &end, &why);
	else if (watch >= 0)
		close(watch);
	report(pid, comm, status, quotas_set, known ? &end : NULL, why, have_last ? &last : NULL,
	       age, quiet);
	return exit_code_of(status);
}
