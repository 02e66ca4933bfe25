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
 * getopt_long with its own messages silenced: the caller reports usage
 * errors in the "resmon: <cmd>: ..." form. Returns as getopt_long, with
 * -h as OPT_HELP; an unknown option returns '?', an option missing its
 * value ':', with the offending text in *@bad (for option_error()).
 */
int next_option(int argc, char **argv, const char *shortopts,
		const struct option *longopts, const char **bad);

/*
 * The usage error for next_option()'s '?' ("unknown option '--x'") or ':'
 * ("--heap needs a SIZE"). Returns EXIT_USAGE.
 */
int option_error(const char *cmd, int c, const char *bad);

/*
 * The usage error for a value a parser of units.h refused (@parsed):
 * "--heap '9E': too large (max @max)" or "--heap '1Q': @not_what".
 */
int value_error(const char *cmd, const char *opt, const char *arg, int parsed,
		const char *not_what, const char *max);

/* The maxima value_error() names, as units.h's parsers enforce them. */
#define COUNT_MAX_TEXT	"9223372036854775807"

#endif
