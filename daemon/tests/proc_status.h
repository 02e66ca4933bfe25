/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What resmond's job tests read of /proc/PID/status: VmData, the quantity
 * a job's data measure sums.
 */
#ifndef RESMOND_TESTS_PROC_STATUS_H
#define RESMOND_TESTS_PROC_STATUS_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* @pid's VmData in bytes; all bits set if it cannot be read (equal to no figure). */
static uint64_t vmdata(pid_t pid)
{
	char path[64], line[256];
	unsigned long long kib = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return ~0ULL;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmData: %llu kB", &kib) == 1)
			break;
	fclose(f);
	return kib << 10;
}

#endif
