/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The TAP lines of resmond's guest tests: result() prints one, tap_done()
 * the plan and the exit status. One test program includes it once.
 */
#ifndef RESMOND_TESTS_TAP_H
#define RESMOND_TESTS_TAP_H

#include <stdio.h>

static int n_tests, n_failed;

static void result(int ok, const char *what)
{
	n_tests++;
	if (!ok)
		n_failed++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", n_tests, what);
	/* Forked children inherit no unwritten line. */
	fflush(stdout);
}

/* The plan, last; main()'s exit status: 1 if anything failed. */
static int tap_done(void)
{
	printf("1..%d\n", n_tests);
	return n_failed != 0;
}

#endif
