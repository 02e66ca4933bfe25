// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * resmon run [--heap SIZE] [--files N] [--] CMD [ARG...]
 *
 * The child registers and caps itself, then execs CMD, so CMD is counted
 * and limited from its first instruction (a process may manage itself; no
 * privilege needed). A close-on-exec pipe tells the parent whether that
 * worked: EOF means CMD is running, a struct child_error means it is not.
 *
 * Final totals: resmon frees a record as its process exits, so once the
 * parent learns of the exit there is nothing left to fetch (a zombie is
 * not live: fetch gives EINVAL; waitid(WNOWAIT) does not help). The
 * parent therefore samples the record every --interval (100 ms) while CMD
 * runs and reports the last sample, saying how old it was. What CMD did in
 * that last interval is not in the report.
 *
 * Quota kills: resmon sends SIGKILL in the very call that crossed the
 * quota, so the last sample is usually still under it. The parent reads
 * resmon's kill line ("resmon: killed process PID (comm): ...") from
 * /dev/kmsg when it may (root, or dmesg_restrict=0); without it, a SIGKILL
 * while quotas were set is reported as "most likely resmon", since anyone
 * else allowed could also have sent that SIGKILL.
 */
#include "cli.h"
#include "options.h"
#include "report.h"
#include "units.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What the child sends up the pipe when it cannot start CMD. */
struct child_error {
	int exec_failed;	/* else resmon call @op failed */
	enum resmon_op op;
	int err;
};

static void __attribute__((noreturn))
child_fail(int fd, int exec_failed, enum resmon_op op, int err)
{
	struct child_error ce = { exec_failed, op, err };
	ssize_t unused = write(fd, &ce, sizeof(ce));

	(void)unused;	/* nothing more a dying child could do about it */
	if (!exec_failed)
		_exit(EXIT_RUN_FAILED);
	_exit(err == ENOENT ? EXIT_RUN_NOTFOUND : EXIT_RUN_NOEXEC);
}

static void __attribute__((noreturn))
child(int fd, const sigset_t *mask, int capped, long heap, long files, char **cmd)
{
	pid_t self = getpid();

	/* CMD must not inherit the blocked signals the parent waits on. */
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (resmon_register(self) < 0)
		child_fail(fd, 0, RESMON_OP_REGISTER, errno);
	if (capped && resmon_cap(self, heap, files) < 0)
		child_fail(fd, 0, RESMON_OP_CAP, errno);
	/* From here every open and heap growth counts: nothing else runs before exec. */
	execvp(cmd[0], cmd);
	child_fail(fd, 1, RESMON_OP_HELLO, errno);
}

/* /dev/kmsg positioned at its end, or -1 if we may not read the kernel log. */
static int open_kmsg(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0 && lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Look through the log written since open_kmsg() for resmon's kill line of @pid. */
static int find_kill_line(int fd, pid_t pid, char *reason, size_t len)
{
	char record[8192];
	ssize_t n;

	for (;;) {
		n = read(fd, record, sizeof(record) - 1);
		if (n < 0 && (errno == EPIPE || errno == EINTR))
			continue;	/* EPIPE: records were overwritten; go on with the next */
		if (n <= 0)
			return 0;	/* EAGAIN: the end of the log */
		record[n] = '\0';
		if (parse_kill_record(record, pid, reason, len))
			return 1;
	}
}

/*
 * The eBPF edition's kill line is written by resmond when the BPF program
 * tells it of the kill, so it can land just after the process is reaped.
 * Give it up to 2 s there; the kernel edition logged before the kill.
 */
static int wait_kill_line(int fd, pid_t pid, char *reason, size_t len)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int i;

	if (strcmp(resmon_edition(), "ebpf"))
		return 0;
	for (i = 0; i < 20; i++) {
		if (poll(&p, 1, 100) > 0 && find_kill_line(fd, pid, reason, len))
			return 1;
	}
	return 0;
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
		   struct per_proc_resource *last, int *have_last, double *age)
{
	struct timespec ts = { .tv_sec = interval / 1000, .tv_nsec = interval % 1000 * 1000000L };
	struct timespec when = { 0, 0 };
	struct per_proc_resource rec;
	siginfo_t info;
	int status, sig;

	for (;;) {
		if (resmon_fetch(pid, &rec) == 0) {
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

static void report(pid_t pid, const char *comm, int status, int quotas_set, int log_read, int logged,
		   const char *reason, const struct per_proc_resource *last, double age,
		   int quiet)
{
	enum verdict v = run_verdict(status, quotas_set, logged, last);
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
		fprintf(stderr, "resmon: pid %d killed by resmon: %s\n", (int)pid,
			logged ? reason : "over its quota");
		break;
	case VERDICT_LIKELY_RESMON:
		/* Unconfirmed: the line may have been rate-limited, or someone else sent SIGKILL. */
		fprintf(stderr, "resmon: pid %d killed by SIGKILL while quotas were set: most "
			"likely by resmon (%s)\n", (int)pid, log_read ?
			"no resmon line in the kernel log to confirm" :
			"kernel log not readable to confirm");
		break;
	case VERDICT_OTHER_KILL:
		fprintf(stderr, "resmon: pid %d killed by SIGKILL, not by resmon (no quotas set)\n",
			(int)pid);
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
	struct per_proc_resource last;
	struct child_error ce;
	double age = 0;
	sigset_t waited, old;
	const char *bad = NULL;
	long heap = RESMON_NO_LIMIT, files = RESMON_NO_LIMIT, interval = 100;
	int c, quotas_set = 0, quiet = 0, have_last = 0, logged = 0, kmsg, pipefd[2], status;
	char comm[64], reason[256] = "";
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

	kmsg = quotas_set ? open_kmsg() : -1;
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
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
		close(pipefd[0]);
		child(pipefd[1], &old, quotas_set, heap, files, argv + optind);
	}
	close(pipefd[1]);
	do
		n = read(pipefd[0], &ce, sizeof(ce));
	while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	if (n == (ssize_t)sizeof(ce)) {
		/* The child never became CMD; its exit code already says which stage failed. */
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (ce.exec_failed)
			errorf(strerror(ce.err), "run: %s", argv[optind]);
		else
			errorf(resmon_strerror(ce.op, ce.err), "run: %s %d", resmon_op_name(ce.op),
			       (int)pid);
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
	if (kmsg >= 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		logged = find_kill_line(kmsg, pid, reason, sizeof(reason)) ||
			 wait_kill_line(kmsg, pid, reason, sizeof(reason));
	report(pid, comm, status, quotas_set, kmsg >= 0, logged, reason, have_last ? &last : NULL, age,
	       quiet);
	return exit_code_of(status);
}
