// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * resmon register|deregister|cap|reset PID...: one system call per PID.
 * Silent on success, like prlimit(1) setting limits; each failure is one
 * line and the others still run, so "resmon deregister $(pgrep x)" does
 * what it can. ENOSYS stops at once: no other PID would fare better.
 */
#include "cli.h"
#include "options.h"
#include "units.h"

#include <errno.h>
#include <string.h>

static int one_call(enum resmon_op op, pid_t pid, long heap, long files)
{
	switch (op) {
	case RESMON_OP_REGISTER:	return resmon_register(pid);
	case RESMON_OP_DEREGISTER:	return resmon_deregister(pid);
	case RESMON_OP_CAP:		return resmon_cap(pid, heap, files);
	default:			return resmon_reset(pid);
	}
}

int cmd_simple(int argc, char **argv)
{
	static const struct option caps[] = {
		{ "heap", required_argument, NULL, 'H' },
		{ "files", required_argument, NULL, 'F' },
		HELP_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = argv[0], *bad = NULL;
	enum resmon_op op;
	long heap = RESMON_NO_LIMIT, files = RESMON_NO_LIMIT;
	int c, r, given = 0, rc = EXIT_OK, i;
	pid_t pid;

	if (!strcmp(cmd, "register"))
		op = RESMON_OP_REGISTER;
	else if (!strcmp(cmd, "deregister"))
		op = RESMON_OP_DEREGISTER;
	else if (!strcmp(cmd, "cap"))
		op = RESMON_OP_CAP;
	else
		op = RESMON_OP_RESET;

	/* Only cap has options besides --help; the others reject --heap/--files below. */
	while ((c = next_option(argc, argv, "", caps, &bad)) != -1) {
		switch (c) {
		case OPT_HELP:
			print_help(cmd);
			return EXIT_OK;
		case 'H':
			if (op != RESMON_OP_CAP)
				return usage_error(cmd, "unknown option '--heap'");
			r = parse_size_mib(optarg, &heap);
			if (r)
				return value_error(cmd, "--heap", optarg, r, "not a SIZE",
						   SIZE_MAX_TEXT);
			given = 1;
			break;
		case 'F':
			if (op != RESMON_OP_CAP)
				return usage_error(cmd, "unknown option '--files'");
			r = parse_count(optarg, &files);
			if (r)
				return value_error(cmd, "--files", optarg, r, "not a count",
						   COUNT_MAX_TEXT);
			given = 1;
			break;
		default:
			return option_error(cmd, c, bad);
		}
	}
	if (optind >= argc)
		return usage_error(cmd, "missing PID");
	if (op == RESMON_OP_CAP && !given)
		return usage_error(cmd, "give --heap and/or --files");
	/* Check every PID first, so that a typo changes nothing. */
	for (i = optind; i < argc; i++)
		if (parse_pid(argv[i], &pid) < 0)
			return usage_error(cmd, "'%s' is not a process id", argv[i]);
	for (i = optind; i < argc; i++) {
		parse_pid(argv[i], &pid);
		if (one_call(op, pid, heap, files) < 0) {
			rc = call_failed(cmd, op, pid, errno);
			if (rc == EXIT_NO_RESMON)
				break;
		}
	}
	return rc;
}
