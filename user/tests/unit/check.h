/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal host test harness: a test is a function that runs CHECKs; the
 * runner prints one line per test and "N passed, M failed".
 */
#ifndef RESMON_CHECK_H
#define RESMON_CHECK_H

#include <string.h>

/* Records a failed check (first one of the test is reported). */
void check_failed(const char *file, int line, const char *what);

#define CHECK(cond) \
	do { if (!(cond)) check_failed(__FILE__, __LINE__, #cond); } while (0)
#define CHECK_STR(got, want) \
	do { if (strcmp((got), (want))) check_failed(__FILE__, __LINE__, \
		#got " == " #want); } while (0)

struct test {
	const char *name;
	void (*fn)(void);
};

/* Each test file exports a NULL-terminated table. */
extern const struct test units_tests[], report_tests[], lib_tests[], util_tests[], job_tests[];

#endif
