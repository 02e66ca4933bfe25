// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * resmon status PID... and resmon watch PID: read records (libresmon's, in
 * bytes). "status" of one PID that is a job member shows its job instead:
 * usage, limits and events, through a handle opened by pid.
 */
#include "cli.h"
#include "job_report.h"
#include "options.h"
#include "output.h"
#include "report.h"
#include "units.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/*
 * Show @pid's job if it is a member of one: 1 when shown, 0 when it is not
 * a member (or its job cannot be opened: the record path then says why),
 * or when its job is one a register(2) record would also be: 1.0's view.
 * Events are only peeked at (poll): reading them would take them from the
 * holder of the job's other handle, "resmon run" for one.
 */
static int job_status(pid_t pid, int json)
{
	struct resmon_job_usage u;
	struct pollfd p;
	char comm[64];
	int pidfd, handle, ok;

	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return 0;
	handle = resmon_job_open(pidfd);
	close(pidfd);
	if (handle < 0)
		return 0;
	ok = resmon_job_usage(handle, &u, sizeof(u)) == 0 && !job_looks_registered(&u);
	p = (struct pollfd){ .fd = handle, .events = POLLIN };
	if (ok) {
		int pending = poll(&p, 1, 0) == 1 && (p.revents & POLLIN);

		read_comm(pid, comm, sizeof(comm));
		if (json)
			write_job_status_json(stdout, pid, resmon_edition(), &u, pending);
		else
			write_job_status_text(stdout, pid, comm, &u, pending);
	}
	close(handle);
	return ok;
}

int cmd_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		HELP_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	struct resmon_record rec;
	struct output out;
	struct row row;
	char comm[64];
	const char *bad = NULL;
	int c, json = 0, rc = EXIT_OK, i;
	pid_t pid;

	while ((c = next_option(argc, argv, "j", longopts, &bad)) != -1) {
		if (c == OPT_HELP) {
			print_help("status");
			return EXIT_OK;
		}
		if (c != 'j')
			return option_error("status", c, bad);
		json = 1;
	}
	if (optind >= argc)
		return usage_error("status", "missing PID");
	for (i = optind; i < argc; i++)
		if (parse_pid(argv[i], &pid) < 0)
			return usage_error("status", "'%s' is not a process id", argv[i]);

	/* One PID in a job: the job's view (a job is what "run" and "limit" make). */
	if (argc - optind == 1 && resmon_available()) {
		parse_pid(argv[optind], &pid);
		if (job_status(pid, json))
			return EXIT_OK;
	}

	output_begin(&out, json, 0);
	for (i = optind; i < argc; i++) {
		parse_pid(argv[i], &pid);
		if (resmon_get_record(pid, &rec) < 0) {
			/* errorf goes to stderr, so stdout stays valid JSON. */
			rc = call_failed("status", RESMON_OP_FETCH, pid, errno);
			if (rc == EXIT_NO_RESMON)
				break;
			continue;
		}
		read_comm(pid, comm, sizeof(comm));
		row_from_record(&row, &rec, comm);
		output_row(&out, &row);
	}
	output_end(&out);
	return rc;
}

int cmd_watch(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "interval", required_argument, NULL, 'n' },
		{ "count", required_argument, NULL, 'c' },
		HELP_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	struct resmon_record rec;
	struct row row;
	char comm[64], line[512], stamp[16];
	const char *bad = NULL;
	long interval = 1000, count = -1, shown = 0;
	int c, tty = isatty(STDOUT_FILENO);
	pid_t pid;
	time_t now;

	while ((c = next_option(argc, argv, "n:c:", longopts, &bad)) != -1) {
		switch (c) {
		case OPT_HELP:
			print_help("watch");
			return EXIT_OK;
		case 'n':
			if (parse_interval_ms(optarg, &interval) < 0)
				return usage_error("watch", "--interval '%s': not a number of seconds", optarg);
			break;
		case 'c':
			if (parse_count(optarg, &count) < 0 || count == 0)
				return usage_error("watch", "--count '%s': not a positive count", optarg);
			break;
		default:
			return option_error("watch", c, bad);
		}
	}
	if (optind != argc - 1)
		return usage_error("watch", optind >= argc ? "missing PID" : "one PID only");
	if (parse_pid(argv[optind], &pid) < 0)
		return usage_error("watch", "'%s' is not a process id", argv[optind]);

	read_comm(pid, comm, sizeof(comm));
	for (;;) {
		if (resmon_get_record(pid, &rec) < 0) {
			int err = errno;

			if (shown && err == EINVAL) {
				/* It was monitored a moment ago: say which way it went. */
				if (tty)
					putchar('\n');
				printf("pid %d %s\n", (int)pid,
				       process_gone(pid) ? "exited" : "is no longer monitored");
				return EXIT_OK;
			}
			if (tty && shown)
				putchar('\n');
			fflush(stdout);
			return call_failed("watch", RESMON_OP_FETCH, pid, err);
		}
		row_from_record(&row, &rec, comm);
		format_summary(line, sizeof(line), &row);
		now = time(NULL);
		strftime(stamp, sizeof(stamp), "%H:%M:%S", localtime(&now));
		/* On a terminal redraw one line; in a pipe or log, one line per sample. */
		printf("%s%s %s%s", tty ? "\r\033[K" : "", stamp, line, tty ? "" : "\n");
		fflush(stdout);
		if (++shown == count) {
			if (tty)
				putchar('\n');
			return EXIT_OK;
		}
		sleep_ms(interval);
	}
}
