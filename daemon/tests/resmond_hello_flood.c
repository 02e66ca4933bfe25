// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmond_hello_flood N: call resmon_hello() N times through libresmon, as
 * any unprivileged user may; exit 1 if any call failed. For
 * resmond_limits_test: a HELLO flood must not cost a kill its log line.
 */
#include <stdio.h>
#include <stdlib.h>

#include "resmon.h"

int main(int argc, char **argv)
{
	long i, n = argc > 1 ? atol(argv[1]) : 100;

	for (i = 0; i < n; i++) {
		if (resmon_hello() < 0) {
			perror("resmon_hello");
			return 1;
		}
	}
	return 0;
}
