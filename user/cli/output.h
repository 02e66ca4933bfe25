/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Printing a sequence of rows to stdout as a table or as a JSON array,
 * shared by "status" and "list" so that both speak the same format.
 */
#ifndef RESMON_OUTPUT_H
#define RESMON_OUTPUT_H

#include "report.h"

struct output {
	int json;
	int rows;
	int header_shown;
	const char *edition;	/* JSON: resmon_edition() */
};

/*
 * Start the output. The table header comes before the first row, or here
 * if @header_now ("list" shows it even when nothing is monitored).
 */
void output_begin(struct output *o, int json, int header_now);
void output_row(struct output *o, const struct row *r);
void output_end(struct output *o);

#endif
