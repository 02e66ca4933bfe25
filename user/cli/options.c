// SPDX-License-Identifier: GPL-2.0-or-later
/* See options.h. */
#include "options.h"

#include <stddef.h>

int next_option(int argc, char **argv, const char *shortopts,
		const struct option *longopts, const char **bad)
{
	int c;

	opterr = 0;
	c = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (c == '?' || c == ':')
		*bad = argv[optind - 1];
	return c == ':' ? '?' : c;
}
