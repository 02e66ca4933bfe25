// SPDX-License-Identifier: GPL-2.0-or-later
/* Table, JSON and summary formats; kernel log matching; the run verdict. */
#include "check.h"
#include "report.h"

#include <signal.h>
#include <stdio.h>

static const struct resmon_record capped = {
	.pid = 42, .heap_bytes = 3 << 20, .opens = 7,
	.heap_limit_bytes = 64 << 20, .files_limit = -1, .quotas_defined = 1,
};

static const struct resmon_record plain = {
	.pid = 7, .heap_bytes = 0, .opens = 0,
	.heap_limit_bytes = -1, .files_limit = -1, .quotas_defined = 0,
};

static void table(void)
{
	struct row r;
	char b[256];

	format_table_header(b, sizeof(b));
	CHECK_STR(b, "    PID  COMM                  HEAP HEAP-QUOTA    FILES FILE-QUOTA");
	row_from_record(&r, &capped, "a.out");
	format_table_row(b, sizeof(b), &r);
	CHECK_STR(b, "     42  a.out                3 MiB     64 MiB        7  unlimited");
	row_from_record(&r, &plain, "sleep");
	format_table_row(b, sizeof(b), &r);
	CHECK_STR(b, "      7  sleep                  0 B          -        0          -");
}

static void json_record(void)
{
	struct row r;
	char b[512];

	row_from_record(&r, &capped, "a.out");
	format_json_row(b, sizeof(b), &r);
	CHECK_STR(b, "{\"pid\":42,\"comm\":\"a.out\",\"heap_mib\":3,\"heap_bytes\":3145728,"
		  "\"files\":7,\"heap_quota_mib\":64,\"file_quota\":-1,\"quotas_defined\":true}");
}

static void json_exact_bytes(void)
{
	struct resmon_record rec = { .pid = 9, .heap_bytes = 5242880 + 4096, .opens = 2,
				     .heap_limit_bytes = -1, .files_limit = 3,
				     .quotas_defined = 1 };
	struct row r;
	char b[512];

	row_from_record(&r, &rec, "x");
	format_json_row(b, sizeof(b), &r);
	CHECK_STR(b, "{\"pid\":9,\"comm\":\"x\",\"heap_mib\":5,\"heap_bytes\":5246976,"
		  "\"files\":2,\"heap_quota_mib\":-1,\"file_quota\":3,\"quotas_defined\":true}");
	format_table_row(b, sizeof(b), &r);
	CHECK_STR(b, "      9  x                  5.0 MiB  unlimited        2          3");
}

static void json_escapes_comm(void)
{
	struct row r;
	char b[512];

	row_from_record(&r, &plain, "a\"b\\c\nd");
	format_json_row(b, sizeof(b), &r);
	CHECK(strstr(b, "\"comm\":\"a\\\"b\\\\c\\u000ad\"") != NULL);
}

static void summary(void)
{
	struct row r;
	char b[256];

	row_from_record(&r, &capped, "a.out");
	format_summary(b, sizeof(b), &r);
	CHECK_STR(b, "pid 42 (a.out): heap 3 MiB of 64 MiB, files 7 of unlimited");
	row_from_record(&r, &plain, "sh");
	format_summary(b, sizeof(b), &r);
	CHECK_STR(b, "pid 7 (sh): heap 0 B of no quota, files 0 of no quota");
}

static void kill_line(void)
{
	struct resmon_end heap = { .pid = 5, .cause = RESMON_END_KILLED,
				   .resource = RESMON_LIMIT_HEAP, .total = (64 << 20) + 1,
				   .limit = 64 << 20 };
	struct resmon_end files = { .pid = 5, .cause = RESMON_END_KILLED,
				    .resource = RESMON_LIMIT_FILES, .total = 3, .limit = 2 };
	char b[256];

	/* One byte over shows over: exact bytes, the binary unit beside them. */
	format_kill(b, sizeof(b), &heap);
	CHECK_STR(b, "heap 67108865 bytes (64.0 MiB) over limit 67108864 bytes (64 MiB)");
	heap.total = 73400320;
	format_kill(b, sizeof(b), &heap);
	CHECK_STR(b, "heap 73400320 bytes (70 MiB) over limit 67108864 bytes (64 MiB)");
	format_kill(b, sizeof(b), &files);
	CHECK_STR(b, "files 3 over limit 2");
}

/* Wait statuses as the kernel encodes them. */
#define EXITED(code) ((code) << 8)
#define SIGNALED(sig) (sig)

static void verdict(void)
{
	struct resmon_end killed = { .cause = RESMON_END_KILLED };
	struct resmon_end not_killed = { .cause = RESMON_END_NOT_KILLED };
	struct resmon_end unknown = { .cause = RESMON_END_UNKNOWN };

	CHECK(run_verdict(EXITED(0), 1, &not_killed) == VERDICT_NOT_KILLED);
	CHECK(run_verdict(SIGNALED(SIGTERM), 1, &killed) == VERDICT_NOT_KILLED);
	CHECK(run_verdict(SIGNALED(SIGKILL), 1, &killed) == VERDICT_RESMON);
	CHECK(run_verdict(SIGNALED(SIGKILL), 1, &not_killed) == VERDICT_OTHER_KILL);
	CHECK(run_verdict(SIGNALED(SIGKILL), 1, &unknown) == VERDICT_UNKNOWN);
	CHECK(run_verdict(SIGNALED(SIGKILL), 1, NULL) == VERDICT_UNKNOWN);
	CHECK(run_verdict(SIGNALED(SIGKILL), 0, NULL) == VERDICT_OTHER_KILL);
}

static void exit_codes(void)
{
	CHECK(exit_code_of(EXITED(0)) == 0);
	CHECK(exit_code_of(EXITED(7)) == 7);
	CHECK(exit_code_of(SIGNALED(SIGKILL)) == 137);
	CHECK(exit_code_of(SIGNALED(SIGTERM)) == 143);
	CHECK(exit_code_of(SIGNALED(SIGSEGV) | 0x80) == 139);	/* core dumped */
}

const struct test report_tests[] = {
	{ "table: header and rows", table },
	{ "json: a record", json_record },
	{ "json+table: heap in exact bytes", json_exact_bytes },
	{ "json: comm escaped", json_escapes_comm },
	{ "summary: watch/run line", summary },
	{ "run: the kill line, total and limit in the same unit", kill_line },
	{ "run: verdict from status, quotas and the library's ending", verdict },
	{ "run: exit code 128+signal", exit_codes },
	{ NULL, NULL },
};
