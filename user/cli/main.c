// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * resmon(1): start, watch and cap resmon-monitored processes. This file
 * only dispatches; each subcommand lives in its own file.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#ifndef RESMON_VERSION
#define RESMON_VERSION "unknown"
#endif

struct subcommand {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct subcommand subcommands[] = {
	{ "run", cmd_run,
	  "resmon run [--heap SIZE] [--files N] [--interval SECONDS] [--quiet] [--] CMD [ARG...]\n"
	  "    Run CMD monitored, and capped if --heap or --files is given, from its\n"
	  "    first instruction. When it ends, report its totals (as last sampled) on\n"
	  "    stderr and whether resmon killed it; exit with its status (128+N if\n"
	  "    killed by signal N, so 137 for a quota kill).\n" },
	{ "status", cmd_status,
	  "resmon status [--json] PID...\n"
	  "    Show heap and open-file totals and quotas of monitored processes.\n" },
	{ "watch", cmd_watch,
	  "resmon watch [--interval SECONDS] [--count N] PID\n"
	  "    Show the totals of PID every SECONDS (default 1) until it exits or\n"
	  "    is deregistered, or N times.\n" },
	{ "list", cmd_list,
	  "resmon list [--json]\n"
	  "    Show every monitored process you may see, in registration order.\n" },
	{ "register", cmd_simple,
	  "resmon register PID...\n"
	  "    Start monitoring the processes (totals start at zero, no quotas).\n" },
	{ "deregister", cmd_simple,
	  "resmon deregister PID...\n"
	  "    Stop monitoring; totals and quotas are forgotten.\n" },
	{ "cap", cmd_simple,
	  "resmon cap [--heap SIZE] [--files N] PID...\n"
	  "    Set the quotas of monitored processes, once until reset. An option\n"
	  "    not given means unlimited; at least one is required. A process\n"
	  "    already over a new quota is killed at once.\n" },
	{ "reset", cmd_simple,
	  "resmon reset PID...\n"
	  "    Clear the quotas (totals are kept), so that cap may set them again.\n" },
};

#define N_SUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

void print_help(const char *cmd)
{
	size_t i;

	if (!cmd)
		printf("Usage: resmon COMMAND [OPTION...] [ARG...]\n"
		       "Count the heap growth and file opens of processes; kill one that goes\n"
		       "over its quota.\n\n");
	for (i = 0; i < N_SUBCOMMANDS; i++)
		if (!cmd || !strcmp(cmd, subcommands[i].name))
			printf("%s%s", subcommands[i].help, cmd ? "" : "\n");
	if (cmd)
		return;
	printf("SIZE is bytes, or a number with K, M, G, T (powers of 1024; KB, MB...\n"
	       "powers of 1000), e.g. 512K, 64M, 1.5G, rounded up to whole MiB; N is a\n"
	       "count. Either may be 'unlimited' (or -1).\n\n"
	       "Exit status: 0 ok, 1 an operation failed, 2 usage error, 3 the kernel has\n"
	       "no resmon; run: CMD's status, 125 resmon failed, 126/127 CMD not\n"
	       "executable/not found.\n\n"
	       "resmon --help | --version.  See resmon(1).\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		errorf("see 'resmon --help'", "missing COMMAND");
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_help(NULL);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "help")) {
		/* "resmon help run" is "resmon run --help". */
		if (argc == 2) {
			print_help(NULL);
			return EXIT_OK;
		}
		argv[1] = argv[2];
		argv[2] = "--help";
		argc = 3;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("resmon %s (edition: %s)\n", RESMON_VERSION, resmon_edition());
		return EXIT_OK;
	}
	for (i = 0; i < N_SUBCOMMANDS; i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].fn(argc - 1, argv + 1);
	errorf("unknown command (see 'resmon --help')", "%s", argv[1]);
	return EXIT_USAGE;
}
