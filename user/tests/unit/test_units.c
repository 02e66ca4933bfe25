// SPDX-License-Identifier: GPL-2.0-or-later
/* SIZE, N, PID and interval parsing; size and quota formatting. */
#include "check.h"
#include "units.h"
#include "resmon.h"

static long mib(const char *s)
{
	long v = -12345;

	return parse_size_mib(s, &v) < 0 ? -12345 : v;
}

static void size_suffixes(void)
{
	CHECK(mib("64M") == 64);
	CHECK(mib("64MiB") == 64);
	CHECK(mib("64Mi") == 64);
	CHECK(mib("64m") == 64);
	CHECK(mib("1G") == 1024);
	CHECK(mib("2T") == 2 << 20);
	CHECK(mib("1P") == 1L << 30);
	CHECK(mib("1024K") == 1);
	CHECK(mib("0") == 0);
	CHECK(mib("0M") == 0);
}

static void size_rounds_up(void)
{
	CHECK(mib("512K") == 1);
	CHECK(mib("1") == 1);		/* bare number: bytes */
	CHECK(mib("1048576") == 1);
	CHECK(mib("1048577") == 2);
	CHECK(mib("1025K") == 2);
	CHECK(mib("1.5G") == 1536);
	CHECK(mib("1.1M") == 2);
	CHECK(mib("0.5M") == 1);
	CHECK(mib("1B") == 1);
}

static void size_decimal_units(void)
{
	CHECK(mib("1MB") == 1);		/* 10^6 bytes: under 1 MiB, rounded up */
	CHECK(mib("2MB") == 2);
	CHECK(mib("1GB") == 954);	/* 10^9 / 2^20 = 953.67 */
	CHECK(mib("1kb") == 1);
}

static void size_unlimited(void)
{
	CHECK(mib("unlimited") == -1);
	CHECK(mib("infinity") == -1);
	CHECK(mib("-1") == -1);
	CHECK(mib("UNLIMITED") == -1);
}

static void size_rejects(void)
{
	CHECK(mib("") == -12345);
	CHECK(mib("M") == -12345);
	CHECK(mib("-2") == -12345);
	CHECK(mib("-1M") == -12345);
	CHECK(mib(" 1M") == -12345);
	CHECK(mib("1M ") == -12345);
	CHECK(mib("1X") == -12345);
	CHECK(mib("1MiBs") == -12345);
	CHECK(mib("1.") == -12345);
	CHECK(mib(".5M") == -12345);
	CHECK(mib("1E") == -12345);
	CHECK(mib("0x10") == -12345);
	CHECK(mib("99999999999999999999999") == -12345);
}

static void size_abi_limit(void)
{
	/* heap_quota * 2^20 must fit in a signed 64-bit byte count. */
	CHECK(mib("8796093022207M") == RESMON_HEAP_QUOTA_MAX);
	CHECK(mib("8796093022208M") == -12345);
	CHECK(mib("8192P") == -12345);
	CHECK(mib("8191P") == 8191L << 30);
	CHECK(mib("8191T") == 8191L << 20);
}

static void count_parse(void)
{
	long n = -5;

	CHECK(parse_count("0", &n) == 0 && n == 0);
	CHECK(parse_count("100", &n) == 0 && n == 100);
	CHECK(parse_count("unlimited", &n) == 0 && n == -1);
	CHECK(parse_count("-1", &n) == 0 && n == -1);
	CHECK(parse_count("-2", &n) < 0);
	CHECK(parse_count("+3", &n) < 0);
	CHECK(parse_count("3k", &n) < 0);
	CHECK(parse_count("", &n) < 0);
	CHECK(parse_count("99999999999999999999", &n) < 0);
}

static void pid_parse(void)
{
	pid_t p = 0;

	CHECK(parse_pid("1", &p) == 0 && p == 1);
	CHECK(parse_pid("4194304", &p) == 0 && p == 4194304);
	CHECK(parse_pid("2147483647", &p) == 0);
	CHECK(parse_pid("2147483648", &p) < 0);
	CHECK(parse_pid("0", &p) < 0);
	CHECK(parse_pid("-1", &p) < 0);
	CHECK(parse_pid("12a", &p) < 0);
	CHECK(parse_pid("", &p) < 0);
	CHECK(parse_pid(" 1", &p) < 0);
}

static void interval_parse(void)
{
	long ms = 0;

	CHECK(parse_interval_ms("1", &ms) == 0 && ms == 1000);
	CHECK(parse_interval_ms("0.1", &ms) == 0 && ms == 100);
	CHECK(parse_interval_ms(".5", &ms) == 0 && ms == 500);
	CHECK(parse_interval_ms("0.0001", &ms) == 0 && ms == 1);
	CHECK(parse_interval_ms("0", &ms) < 0);
	CHECK(parse_interval_ms("-1", &ms) < 0);
	CHECK(parse_interval_ms("1s", &ms) < 0);
	CHECK(parse_interval_ms("nan", &ms) < 0);
	CHECK(parse_interval_ms("100000", &ms) < 0);
}

static void bytes_format(void)
{
	char b[32];

	format_bytes(b, sizeof(b), 0);
	CHECK_STR(b, "0 B");
	format_bytes(b, sizeof(b), 1023);
	CHECK_STR(b, "1023 B");
	format_bytes(b, sizeof(b), 4096);
	CHECK_STR(b, "4 KiB");
	format_bytes(b, sizeof(b), 1536);
	CHECK_STR(b, "1.5 KiB");
	format_bytes(b, sizeof(b), 12ULL << 20);
	CHECK_STR(b, "12 MiB");
	format_bytes(b, sizeof(b), (1ULL << 20) + 1);
	CHECK_STR(b, "1.0 MiB");
	format_bytes(b, sizeof(b), 1023ULL << 20);
	CHECK_STR(b, "1023 MiB");
	format_bytes(b, sizeof(b), 3ULL << 29);
	CHECK_STR(b, "1.5 GiB");
	format_bytes(b, sizeof(b), ~0ULL);
	CHECK_STR(b, "15.9 EiB");
}

static void quota_format(void)
{
	char b[32];

	format_heap_limit(b, sizeof(b), -1, 0);
	CHECK_STR(b, "-");
	format_heap_limit(b, sizeof(b), -1, 1);
	CHECK_STR(b, "unlimited");
	format_heap_limit(b, sizeof(b), 64LL << 20, 1);
	CHECK_STR(b, "64 MiB");
	format_heap_limit(b, sizeof(b), 2048LL << 20, 1);
	CHECK_STR(b, "2 GiB");
	format_heap_limit(b, sizeof(b), 0, 1);
	CHECK_STR(b, "0 MiB");
	format_file_limit(b, sizeof(b), 10, 1);
	CHECK_STR(b, "10");
	format_file_limit(b, sizeof(b), -1, 1);
	CHECK_STR(b, "unlimited");
	format_file_limit(b, sizeof(b), 7, 0);
	CHECK_STR(b, "-");
}

const struct test units_tests[] = {
	{ "size: suffixes K M G T P, iB and case", size_suffixes },
	{ "size: rounded up to whole MiB, bare number is bytes", size_rounds_up },
	{ "size: KB/MB/GB are powers of 1000", size_decimal_units },
	{ "size: unlimited, infinity, -1", size_unlimited },
	{ "size: rejects malformed input", size_rejects },
	{ "size: ABI limit 2^43-1 MiB", size_abi_limit },
	{ "count: --files values", count_parse },
	{ "pid: 1..INT_MAX only", pid_parse },
	{ "interval: seconds to ms", interval_parse },
	{ "format: bytes in binary units", bytes_format },
	{ "format: quotas (-, unlimited, value)", quota_format },
	{ NULL, NULL },
};
