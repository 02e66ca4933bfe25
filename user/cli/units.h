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

/*
 * SIZE -> heap quota in MiB, rounded up (the ABI counts whole MiB and a
 * quota must never be smaller than asked). A bare number is bytes, as in
 * systemd's MemoryMax= and util-linux; K, M, G, T, P (or Ki, KiB...) are
 * powers of 1024, KB, MB... powers of 1000; decimals ("1.5G") allowed.
 * "unlimited", "infinity" and "-1" give -1. Returns 0, or -1 if @s is not
 * a SIZE or is larger than the ABI allows.
 */
int parse_size_mib(const char *s, long *mib);

/* N for --files: a count >= 0, or unlimited/infinity/-1 -> -1. */
int parse_count(const char *s, long *n);

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

#endif
