// SPDX-License-Identifier: GPL-2.0-or-later
/* Table, JSON and summary formats; kernel log matching; the run verdict. */
#include "check.h"
#include "report.h"

#include <signal.h>
#include <stdio.h>

static const struct per_proc_resource capped = {
	.pid = 42, .heapsize = 3, .openfile_count = 7,
	.heap_quota = 64, .file_quota = -1, .quotas_defined = 1,
};

static const struct per_proc_resource plain = {
	.pid = 7, .heapsize = 0, .openfile_count = 0,
	.heap_quota = -1, .file_quota = -1, .quotas_defined = 0,
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

static void json_fetch(void)
{
	struct row r;
	char b[512];

	row_from_record(&r, &capped, "a.out");
	format_json_row(b, sizeof(b), &r);
	CHECK_STR(b, "{\"pid\":42,\"comm\":\"a.out\",\"heap_mib\":3,\"files\":7,"
		  "\"heap_quota_mib\":64,\"file_quota\":-1,\"quotas_defined\":true}");
}

static void json_proc_entry(void)
{
	struct resmon_entry e = { 9, 5242880 + 4096, 2, -1, 3, 1 };
	struct row r;
	char b[512];

	row_from_entry(&r, &e, "x");
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

static void kill_record(void)
{
	char why[128] = "";

	CHECK(parse_kill_record("4,812,5551234,-;resmon: killed process 123 (a.out): "
				"heap 5242880 bytes over quota 4 MiB\n", 123, why, sizeof(why)));
	CHECK_STR(why, "heap 5242880 bytes over quota 4 MiB");
	CHECK(parse_kill_record("4,813,5551299,-;resmon: killed process 77 (my prog): "
				"files 5 over quota 4\n SUBSYSTEM=x\n", 77, why, sizeof(why)));
	CHECK_STR(why, "files 5 over quota 4");
	/* Another pid, a pid prefix, another subsystem, no prefix at all. */
	CHECK(!parse_kill_record("4,1,1,-;resmon: killed process 1234 (a): files 5 over quota 4\n",
				 123, why, sizeof(why)));
	CHECK(!parse_kill_record("4,1,1,-;resmon: killed process 12 (a): files 5 over quota 4\n",
				 123, why, sizeof(why)));
	CHECK(!parse_kill_record("3,1,1,-;Out of memory: killed process 123 (a): x\n",
				 123, why, sizeof(why)));
	CHECK(!parse_kill_record("no semicolon", 123, why, sizeof(why)));
	/* A short buffer truncates. */
	CHECK(parse_kill_record("4,1,1,-;resmon: killed process 5 (a): files 5 over quota 4\n",
				5, why, 6));
	CHECK_STR(why, "files");
}

/* Wait statuses as the kernel encodes them. */
#define EXITED(code) ((code) << 8)
#define SIGNALED(sig) (sig)

static void verdict(void)
{
	struct per_proc_resource over = capped;

	CHECK(run_verdict(EXITED(0), 1, 0, &capped) == VERDICT_NOT_KILLED);
	CHECK(run_verdict(SIGNALED(SIGTERM), 1, 1, &capped) == VERDICT_NOT_KILLED);
	CHECK(run_verdict(SIGNALED(SIGKILL), 1, 1, &capped) == VERDICT_RESMON);
	CHECK(run_verdict(SIGNALED(SIGKILL), 1, 0, &capped) == VERDICT_LIKELY_RESMON);
	CHECK(run_verdict(SIGNALED(SIGKILL), 1, 0, NULL) == VERDICT_LIKELY_RESMON);
	CHECK(run_verdict(SIGNALED(SIGKILL), 0, 0, &plain) == VERDICT_OTHER_KILL);
	over.heapsize = 65;
	CHECK(run_verdict(SIGNALED(SIGKILL), 1, 0, &over) == VERDICT_RESMON);
	over.heapsize = 64;	/* at the quota is not over it */
	CHECK(run_verdict(SIGNALED(SIGKILL), 1, 0, &over) == VERDICT_LIKELY_RESMON);
	over.file_quota = 6;
	CHECK(run_verdict(SIGNALED(SIGKILL), 1, 0, &over) == VERDICT_RESMON);
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
	{ "json: record from fetch", json_fetch },
	{ "json+table: entry from /proc/resmon keeps bytes", json_proc_entry },
	{ "json: comm escaped", json_escapes_comm },
	{ "summary: watch/run line", summary },
	{ "kmsg: resmon kill line matched by pid", kill_record },
	{ "run: verdict from status, quotas, log, last sample", verdict },
	{ "run: exit code 128+signal", exit_codes },
	{ NULL, NULL },
};
