/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Parsing of command-line values and formatting of quantities. Pure
 * functions (no system calls) so the host unit tests cover them without a
 * resmon kernel.
 */
#ifndef RESMON_UNITS_H
#define RESMON_UNITS_H

#include <stddef.h>
#include <sys/types.h>

#include "resmon.h"

/* What the parsers return: a value, not one, or one over the maximum. */
enum {
	PARSE_OK = 0,
	PARSE_BAD = -1,
	PARSE_TOO_LARGE = -2,
};

/*
 * The largest SIZE anywhere: the seed's heap quota maximum (its bytes fit
 * a signed 64-bit count), also for job limits, so that a limit is the same
 * number whichever layer takes it.
 */
#define SIZE_MAX_BYTES	((unsigned long long)RESMON_HEAP_QUOTA_MAX << 20)
#define SIZE_MAX_TEXT	"8796093022207 MiB"

/*
 * SIZE -> heap quota in MiB, rounded up (the ABI counts whole MiB and a
 * quota must never be smaller than asked). A bare number is bytes, as in
 * systemd's MemoryMax= and util-linux; K, M, G, T, P (or Ki, KiB...) are
 * powers of 1024, KB, MB... powers of 1000; decimals ("1.5G") allowed.
 * "unlimited", "infinity" and "-1" give -1. Returns PARSE_OK, PARSE_BAD
 * if @s is not a SIZE, PARSE_TOO_LARGE over RESMON_HEAP_QUOTA_MAX MiB.
 */
int parse_size_mib(const char *s, long *mib);

/*
 * SIZE -> bytes for a job limit (rounded up to a byte), "unlimited" ->
 * RESMON_UNLIMITED; PARSE_TOO_LARGE over SIZE_MAX_BYTES.
 */
int parse_size_bytes(const char *s, unsigned long long *bytes);

/* N for --files: a count >= 0, or unlimited/infinity/-1 -> -1. PARSE_TOO_LARGE over LONG_MAX. */
int parse_count(const char *s, long *n);

/* N for a job's opens limit: parse_count's rules, unlimited -> RESMON_UNLIMITED. */
int parse_limit_count(const char *s, unsigned long long *n);

/* SIG: a name with or without SIG (TERM, SIGUSR1, any case), a number, or "none" (0). */
int parse_signal(const char *s, int *sig);

/* A process id: decimal, 1..INT_MAX. */
int parse_pid(const char *s, pid_t *pid);

/* Seconds, decimals allowed, > 0 and <= 1 day -> milliseconds (>= 1). */
int parse_interval_ms(const char *s, long *ms);

/*
 * Bytes in binary units, truncated to one decimal: "0 B", "512 B",
 * "4 KiB", "1.5 MiB", "12 GiB". Exact multiples print without a decimal.
 */
void format_bytes(char *buf, size_t len, unsigned long long bytes);

/*
 * A quota for display: "-" when no quotas are defined, "unlimited" for -1,
 * else the value (heap in binary units from bytes, files as a number).
 */
void format_heap_limit(char *buf, size_t len, long long bytes, int defined);
void format_file_limit(char *buf, size_t len, long long files, int defined);

/*
 * A job's value of @resource (enum resmon_resource) as the stderr lines
 * give it: opens as a number, bytes with one decimal in the unit @ref (the
 * limit it is compared with) reads best in, so that value and limit share
 * it: "70.0 MiB" beside "64.0 MiB", "512 B" beside "1000 B".
 */
void format_amount(char *buf, size_t len, int resource, unsigned long long value,
		   unsigned long long ref);

#endif
