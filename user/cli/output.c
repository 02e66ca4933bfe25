// SPDX-License-Identifier: GPL-2.0-or-later
/* See output.h. */
#include "output.h"

#include <stdio.h>
#include <string.h>

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
	/* JSON rows say which edition answered (kernel or ebpf): asked once per output. */
	o->edition = json ? resmon_edition() : NULL;
	if (json)
		fputs("[", stdout);
	else if (header_now)
		header(o);
}

void output_row(struct output *o, const struct row *r)
{
	char line[512];

	if (o->json) {
		size_t n = (size_t)format_json_row(line, sizeof(line), r);

		/* format_json_row() ends with '}': the edition goes in as the last member. */
		if (n > 0 && n < sizeof(line))
			line[n - 1] = '\0';
		printf("%s%s,\"edition\":\"%s\"}", o->rows ? ",\n " : "", line, o->edition);
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
