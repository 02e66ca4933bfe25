// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmond_hello_flood N: send N HELLOs through libresmon's client of
 * resmond, as any unprivileged user may; exit 1 if any call failed. For
 * resmond_limits_test: a HELLO flood must not cost a kill its log line.
 */
#include "resmon/resmond_client.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	long i, n = argc > 1 ? atol(argv[1]) : 100;

	for (i = 0; i < n; i++) {
		if (resmond_call(RESMOND_HELLO, 0, 0, 0, NULL) < 0) {
			perror("resmond HELLO");
			return 1;
		}
	}
	return 0;
}
