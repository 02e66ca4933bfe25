// SPDX-License-Identifier: GPL-2.0-or-later
/* See options.h. */
#include "options.h"
#include "cli.h"
#include "units.h"

#include <stdio.h>
#include <string.h>

int next_option(int argc, char **argv, const char *shortopts,
		const struct option *longopts, const char **bad)
{
	int plus = shortopts[0] == '+', c;
	char opts[64];

	/*
	 * A leading ':' (after the '+') makes getopt tell a missing value
	 * (':') from an unknown option ('?'); 'h' makes -h the --help of
	 * every subcommand, as resmon(1) promises.
	 */
	snprintf(opts, sizeof(opts), "%s:h%s", plus ? "+" : "", shortopts + plus);
	opterr = 0;
	c = getopt_long(argc, argv, opts, longopts, NULL);
	if (c == 'h')
		return OPT_HELP;
	if (c == '?' || c == ':')
		*bad = argv[optind - 1];
	return c;
}

/* What an option's value is called in resmon(1)'s synopses. */
static const char *value_name(const char *opt)
{
	static const struct { const char *opt, *name; } names[] = {
		{ "--heap", "SIZE" }, { "--data", "SIZE" },
		{ "--soft-heap", "SIZE" }, { "--soft-data", "SIZE" },
		{ "--files", "N" }, { "--soft-files", "N" }, { "--count", "N" }, { "-c", "N" },
		{ "--soft-signal", "SIG" }, { "--report", "FILE" },
		{ "--interval", "SECONDS" }, { "-n", "SECONDS" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(opt, names[i].opt))
			return names[i].name;
	return "value";
}

int option_error(const char *cmd, int c, const char *bad)
{
	if (c == ':')
		return usage_error(cmd, "%s needs a %s", bad, value_name(bad));
	return usage_error(cmd, "unknown option '%s'", bad);
}

int value_error(const char *cmd, const char *opt, const char *arg, int parsed,
		const char *not_what, const char *max)
{
	if (parsed == PARSE_TOO_LARGE)
		return usage_error(cmd, "%s '%s': too large (max %s)", opt, arg, max);
	return usage_error(cmd, "%s '%s': %s", opt, arg, not_what);
}
