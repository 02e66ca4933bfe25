/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Option handling common to the subcommands: every one takes --help, and
 * every one needs the same getopt_long loop prologue.
 */
#ifndef RESMON_OPTIONS_H
#define RESMON_OPTIONS_H

#include <getopt.h>

/* Option value for --help in every subcommand's table (not a short option). */
#define OPT_HELP 0x100

#define HELP_OPTION { "help", no_argument, NULL, OPT_HELP }

/*
 * getopt_long with its state reset (each subcommand parses its own argv)
 * and its own messages silenced: the caller reports usage errors in the
 * "resmon: <cmd>: ..." form. Returns as getopt_long; an unknown option or a
 * missing argument returns '?' with the offending text in *@bad.
 */
int next_option(int argc, char **argv, const char *shortopts,
		const struct option *longopts, const char **bad);

#endif
