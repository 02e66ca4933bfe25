// SPDX-License-Identifier: GPL-2.0-or-later
/* See output.h. */
#include "output.h"

#include <stdio.h>

static void header(struct output *o)
{
	char line[128];

	format_table_header(line, sizeof(line));
	puts(line);
	o->header_shown = 1;
}

void output_begin(struct output *o, int json, int header_now)
{
	o->json = json;
	o->rows = 0;
	o->header_shown = 0;
	if (json)
		fputs("[", stdout);
	else if (header_now)
		header(o);
}

void output_row(struct output *o, const struct row *r)
{
	char line[512];

	if (o->json) {
		format_json_row(line, sizeof(line), r);
		printf("%s%s", o->rows ? ",\n " : "", line);
	} else {
		if (!o->header_shown)
			header(o);
		format_table_row(line, sizeof(line), r);
		puts(line);
	}
	o->rows++;
}

void output_end(struct output *o)
{
	if (o->json)
		puts("]");
}
