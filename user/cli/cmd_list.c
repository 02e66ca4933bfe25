// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * resmon list: every monitored process the caller may see, in
 * registration order. The edition filters by permission and pid
 * namespace, so this needs no privilege of its own.
 */
#include "cli.h"
#include "options.h"
#include "output.h"
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		HELP_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	struct resmon_record *records;
	struct output out;
	struct row row;
	char comm[64];
	const char *bad = NULL;
	size_t n, i;
	int c, json = 0;

	while ((c = next_option(argc, argv, "j", longopts, &bad)) != -1) {
		if (c == OPT_HELP) {
			print_help("list");
			return EXIT_OK;
		}
		if (c != 'j')
			return option_error("list", c, bad);
		json = 1;
	}
	if (optind < argc)
		return usage_error("list", "unexpected argument '%s'", argv[optind]);

	if (resmon_list(&records, &n) < 0) {
		int err = errno;

		errorf(resmon_strerror(RESMON_OP_LIST, err), "list");
		return err == ENOSYS || err == ENOENT ? EXIT_NO_RESMON : EXIT_FAILED;
	}
	output_begin(&out, json, 1);
	for (i = 0; i < n; i++) {
		/* The process may exit between the read and now: comm is then "?". */
		read_comm(records[i].pid, comm, sizeof(comm));
		row_from_record(&row, &records[i], comm);
		output_row(&out, &row);
	}
	output_end(&out);
	free(records);
	return EXIT_OK;
}
