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
	  "resmon run [--heap SIZE] [--files N] [--data SIZE] [--soft-heap SIZE]\n"
	  "           [--soft-files N] [--soft-data SIZE] [--soft-signal SIG] [--no-tree]\n"
	  "           [--kill-offender] [--report FILE] [-v] [--] CMD [ARG...]\n"
	  "    Run CMD in a job with these limits, with everything it starts (--no-tree:\n"
	  "    CMD's process alone), from its first instruction. --heap and --files\n"
	  "    limit totals (heap grown, files opened), --data what the job holds now\n"
	  "    (VmData). A hard limit kills the job (--kill-offender: the process that\n"
	  "    crossed it); a soft one sends SIG (default SIGTERM; 'none') once. One\n"
	  "    line on stderr per crossing, silent otherwise (-v: a summary at the\n"
	  "    end). --report FILE: the job's exact figures as JSON when it ends.\n"
	  "    Exit status: CMD's (128+N for signal N, 137 for a kill), 125 resmon\n"
	  "    failed, 126/127 CMD not executable/not found.\n" },
	{ "limit", cmd_limit,
	  "resmon limit PID [--heap SIZE] [--files N] [--data SIZE] [--soft-heap SIZE]\n"
	  "           [--soft-files N] [--soft-data SIZE] [--soft-signal SIG]\n"
	  "           [--kill-offender] [--tree]\n"
	  "    Limit a running process: a new job on it if it is in none (--tree: with\n"
	  "    its future children), else its job's limits changed. Lowering a limit\n"
	  "    needs only the right to manage the process; raising or removing one\n"
	  "    ('unlimited') needs CAP_SYS_RESOURCE. The limits hold after resmon exits.\n" },
	{ "status", cmd_status,
	  "resmon status [--json] PID...\n"
	  "    Show the job of PID (usage, limits, events), or the totals and quotas\n"
	  "    of processes monitored by register.\n" },
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
		       "Run commands with limits on heap, open files and data size; kill (or\n"
		       "warn) the moment one is crossed, and report exactly what they took.\n\n");
	for (i = 0; i < N_SUBCOMMANDS; i++)
		if (!cmd || !strcmp(cmd, subcommands[i].name))
			printf("%s%s", subcommands[i].help, cmd ? "" : "\n");
	if (cmd)
		return;
	printf("SIZE is bytes, or a number with K, M, G, T (powers of 1024; KB, MB...\n"
	       "powers of 1000), e.g. 512K, 64M, 1.5G (cap rounds it up to whole MiB);\n"
	       "N is a count. Either may be 'unlimited' (or -1). SIG is a signal name\n"
	       "or number. -h after a command shows its help.\n\n"
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
