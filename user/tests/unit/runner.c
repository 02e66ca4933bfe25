// SPDX-License-Identifier: GPL-2.0-or-later
/* Runs every host unit test; exit status 1 if any failed. */
#include "check.h"

#include <stdio.h>

static const char *failure;
static char detail[512];

void check_failed(const char *file, int line, const char *what)
{
	if (failure)
		return;
	snprintf(detail, sizeof(detail), "%s:%d: %s", file, line, what);
	failure = detail;
}

int main(void)
{
	const struct test *const tables[] = { units_tests, report_tests, lib_tests, util_tests,
						 job_tests };
	int passed = 0, failed = 0;
	size_t t;

	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		const struct test *test;

		for (test = tables[t]; test->name; test++) {
			failure = NULL;
			test->fn();
			if (failure) {
				printf("FAIL %s: %s\n", test->name, failure);
				failed++;
			} else {
				printf("ok   %s\n", test->name);
				passed++;
			}
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
