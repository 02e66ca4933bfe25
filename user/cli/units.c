// SPDX-License-Identifier: GPL-2.0-or-later
/* Parsing of SIZE, N, PID and intervals; formatting of sizes and quotas. */
#include "units.h"
#include "resmon.h"

#include <ctype.h>
#include <signal.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_unlimited(const char *s)
{
	return !strcmp(s, "-1") || !strcasecmp(s, "unlimited") ||
	       !strcasecmp(s, "infinity");
}

/* Multiplier for a SIZE suffix, or 0 if it is not one. */
static unsigned long long suffix_multiplier(const char *p)
{
	static const char units[] = "KMGTP";
	const char *u;
	unsigned long long m = 1, base = 1024;
	int i;

	if (*p == '\0' || !strcasecmp(p, "B"))
		return 1;
	u = strchr(units, toupper((unsigned char)*p));	/* *p is not NUL here */
	if (!u)
		return 0;
	p++;
	if (!strcasecmp(p, "B"))
		base = 1000;		/* KB, MB...: decimal, as util-linux reads them */
	else if (*p != '\0' && strcasecmp(p, "i") && strcasecmp(p, "iB"))
		return 0;
	for (i = 0; i <= u - units; i++)
		m *= base;
	return m;
}

/*
 * SIZE -> bytes, rounded up to a whole byte, in *@bytes (which can hold
 * more than any valid SIZE, so that "too large" is told from "not a SIZE").
 * Integer math throughout: a double would round 2^43 MiB limits wrongly.
 */
static int parse_size_u128(const char *s, unsigned __int128 *bytes)
{
	unsigned __int128 frac = 0, scale = 1;
	unsigned long long whole = 0, mult;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return PARSE_BAD;
	for (; isdigit((unsigned char)*p); p++) {
		if (whole > (ULLONG_MAX - 9) / 10)
			return PARSE_TOO_LARGE;
		whole = whole * 10 + (unsigned long long)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return PARSE_BAD;
		for (; isdigit((unsigned char)*p); p++) {
			if (scale < 1000000000000ULL) {	/* digits past 12 cannot matter */
				frac = frac * 10 + (unsigned)(*p - '0');
				scale *= 10;
			}
		}
	}
	mult = suffix_multiplier(p);
	if (!mult)
		return PARSE_BAD;
	*bytes = (unsigned __int128)whole * mult + (frac * mult + scale - 1) / scale;
	return PARSE_OK;
}

int parse_size_mib(const char *s, long *mib)
{
	unsigned __int128 bytes;
	int r;

	if (is_unlimited(s)) {
		*mib = RESMON_NO_LIMIT;
		return PARSE_OK;
	}
	r = parse_size_u128(s, &bytes);
	if (r)
		return r;
	bytes = (bytes + (1u << 20) - 1) >> 20;	/* a quota never smaller than asked */
	if (bytes > (unsigned __int128)RESMON_HEAP_QUOTA_MAX)
		return PARSE_TOO_LARGE;
	*mib = (long)bytes;
	return PARSE_OK;
}

int parse_size_bytes(const char *s, unsigned long long *bytes)
{
	unsigned __int128 b;
	int r;

	if (is_unlimited(s)) {
		*bytes = RESMON_UNLIMITED;
		return PARSE_OK;
	}
	r = parse_size_u128(s, &b);
	if (r)
		return r;
	if (b > (unsigned __int128)SIZE_MAX_BYTES)
		return PARSE_TOO_LARGE;
	*bytes = (unsigned long long)b;
	return PARSE_OK;
}

/* A decimal in [min, max] with nothing after it. */
static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))	/* no sign, no blanks */
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_count(const char *s, long *n)
{
	if (is_unlimited(s)) {
		*n = RESMON_NO_LIMIT;
		return PARSE_OK;
	}
	if (!isdigit((unsigned char)*s) || s[strspn(s, "0123456789")])
		return PARSE_BAD;
	/* All digits: only the range can fail. */
	return parse_long(s, 0, LONG_MAX, n) < 0 ? PARSE_TOO_LARGE : PARSE_OK;
}

int parse_limit_count(const char *s, unsigned long long *n)
{
	long v;
	int r = parse_count(s, &v);

	if (r)
		return r;
	*n = v < 0 ? RESMON_UNLIMITED : (unsigned long long)v;
	return PARSE_OK;
}

int parse_signal(const char *s, int *sig)
{
	const char *name = s;
	long v;
	int i;

	if (!strcasecmp(s, "none")) {
		*sig = 0;
		return PARSE_OK;
	}
	if (isdigit((unsigned char)*s)) {
		if (parse_long(s, 0, SIGRTMAX, &v) < 0)
			return PARSE_BAD;
		*sig = (int)v;
		return PARSE_OK;
	}
	if (!strncasecmp(name, "SIG", 3))
		name += 3;
	for (i = 1; i < SIGRTMIN; i++) {
		const char *abbrev = sigabbrev_np(i);

		if (abbrev && !strcasecmp(name, abbrev)) {
			*sig = i;
			return PARSE_OK;
		}
	}
	return PARSE_BAD;
}

int parse_pid(const char *s, pid_t *pid)
{
	long v;

	if (parse_long(s, 1, INT_MAX, &v) < 0)
		return -1;
	*pid = (pid_t)v;
	return 0;
}

int parse_interval_ms(const char *s, long *ms)
{
	char *end;
	double v;

	if (!isdigit((unsigned char)*s) && *s != '.')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end != '\0' || !(v > 0) || v > 86400)
		return -1;
	*ms = (long)(v * 1000);
	if (*ms < 1)
		*ms = 1;
	return 0;
}

void format_bytes(char *buf, size_t len, unsigned long long bytes)
{
	static const char *const names[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned long long unit = 1, whole, tenths;
	int i = 0;

	while (i < 6 && bytes / unit >= 1024) {
		unit <<= 10;
		i++;
	}
	whole = bytes / unit;
	/* rem < unit <= 2^60, so rem * 10 cannot overflow. */
	tenths = bytes % unit * 10 / unit;
	if (bytes % unit == 0)
		snprintf(buf, len, "%llu %s", whole, names[i]);
	else
		snprintf(buf, len, "%llu.%llu %s", whole, tenths, names[i]);
}

void format_heap_limit(char *buf, size_t len, long long bytes, int defined)
{
	if (!defined)
		snprintf(buf, len, "-");
	else if (bytes < 0)
		snprintf(buf, len, "unlimited");
	else if (bytes == 0)
		snprintf(buf, len, "0 MiB");	/* the unit a quota is set in, not "0 B" */
	else
		format_bytes(buf, len, (unsigned long long)bytes);
}

void format_file_limit(char *buf, size_t len, long long files, int defined)
{
	if (!defined)
		snprintf(buf, len, "-");
	else if (files < 0)
		snprintf(buf, len, "unlimited");
	else
		snprintf(buf, len, "%lld", files);
}

/* The unit a byte limit reads best in: the largest power of 1024 it reaches. */
static int byte_unit(unsigned long long ref)
{
	int i = 0;

	while (i < 6 && ref >> (10 * (i + 1)))
		i++;
	return i;
}

void format_amount(char *buf, size_t len, int resource, unsigned long long value,
		   unsigned long long ref)
{
	static const char *const names[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	int u;

	if (resource == RESMON_OPENS) {
		snprintf(buf, len, "%llu", value);
		return;
	}
	u = byte_unit(ref);
	if (u == 0)
		snprintf(buf, len, "%llu B", value);
	else
		snprintf(buf, len, "%.1f %s", (double)value / (double)(1ULL << (10 * u)), names[u]);
}
