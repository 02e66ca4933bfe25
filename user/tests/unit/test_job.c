// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The job layer's side of the command: limit options into struct
 * resmon_job_limits, the stderr lines of soft crossings and kills, and
 * the --report and "status --json" objects, byte for byte as SPEC gives
 * them (tests outside the project check them to the letter).
 */
#include "check.h"
#include "job_options.h"
#include "job_report.h"
#include "units.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#define MiB (1ULL << 20)

/* Run a FILE writer into a string (the caller frees it). */
#define CAPTURE(buf, call) do { \
	size_t capture_len; \
	FILE *f = open_memstream(&(buf), &capture_len); \
	call; \
	fclose(f); \
} while (0)

static void size_bytes(void)
{
	unsigned long long b;

	CHECK(parse_size_bytes("64M", &b) == PARSE_OK && b == 64 * MiB);
	CHECK(parse_size_bytes("1.5K", &b) == PARSE_OK && b == 1536);
	CHECK(parse_size_bytes("4097", &b) == PARSE_OK && b == 4097);
	CHECK(parse_size_bytes("0", &b) == PARSE_OK && b == 0);
	CHECK(parse_size_bytes("unlimited", &b) == PARSE_OK && b == RESMON_UNLIMITED);
	CHECK(parse_size_bytes("12Q", &b) == PARSE_BAD);
	CHECK(parse_size_bytes("", &b) == PARSE_BAD);
	CHECK(parse_size_bytes("8796093022207M", &b) == PARSE_OK && b == SIZE_MAX_BYTES);
	CHECK(parse_size_bytes("8796093022208M", &b) == PARSE_TOO_LARGE);
	CHECK(parse_size_bytes("9000P", &b) == PARSE_TOO_LARGE);
	CHECK(parse_size_bytes("99999999999999999999999", &b) == PARSE_TOO_LARGE);
}

static void too_large_elsewhere(void)
{
	unsigned long long n;
	long mib;

	CHECK(parse_size_mib("9000P", &mib) == PARSE_TOO_LARGE);
	CHECK(parse_size_mib("9000X", &mib) == PARSE_BAD);
	CHECK(parse_limit_count("9223372036854775808", &n) == PARSE_TOO_LARGE);
	CHECK(parse_limit_count("9223372036854775807", &n) == PARSE_OK && n == 9223372036854775807ULL);
	CHECK(parse_limit_count("-1", &n) == PARSE_OK && n == RESMON_UNLIMITED);
	CHECK(parse_limit_count("1k", &n) == PARSE_BAD);
}

static void signals(void)
{
	int s = -1;

	CHECK(parse_signal("TERM", &s) == PARSE_OK && s == SIGTERM);
	CHECK(parse_signal("SIGUSR1", &s) == PARSE_OK && s == SIGUSR1);
	CHECK(parse_signal("sigint", &s) == PARSE_OK && s == SIGINT);
	CHECK(parse_signal("9", &s) == PARSE_OK && s == 9);
	CHECK(parse_signal("0", &s) == PARSE_OK && s == 0);
	CHECK(parse_signal("none", &s) == PARSE_OK && s == 0);
	CHECK(parse_signal("SIGFOO", &s) == PARSE_BAD);
	CHECK(parse_signal("-1", &s) == PARSE_BAD);
	CHECK(parse_signal("999", &s) == PARSE_BAD);
}

static void limit_options(void)
{
	struct job_args a;

	job_args_init(&a);
	CHECK(!job_args_any_limit(&a));
	CHECK(a.limits.soft_signal == SIGTERM);
	CHECK(job_option(&a, OPT_DATA, "64M", "run") == 0);
	CHECK(job_option(&a, OPT_FILES, "100", "run") == 0);
	CHECK(job_option(&a, OPT_SOFT_HEAP, "1G", "run") == 0);
	CHECK(job_option(&a, OPT_SOFT_SIGNAL, "USR1", "run") == 0);
	CHECK(job_option(&a, OPT_KILL_OFFENDER, NULL, "run") == 0);
	CHECK(job_option(&a, 'v', NULL, "run") == -1);
	CHECK(a.limits.mask == (RESMON_LIMIT_HARD(RESMON_DATA) | RESMON_LIMIT_HARD(RESMON_OPENS) |
				RESMON_LIMIT_SOFT(RESMON_HEAP) | RESMON_LIMIT_SOFT_SIGNAL));
	CHECK(a.limits.hard[RESMON_DATA] == 64 * MiB);
	CHECK(a.limits.hard[RESMON_OPENS] == 100);
	CHECK(a.limits.hard[RESMON_HEAP] == RESMON_UNLIMITED);
	CHECK(a.limits.soft[RESMON_HEAP] == 1024 * MiB);
	CHECK(a.limits.soft_signal == SIGUSR1);
	CHECK(a.flags == RESMON_JOB_KILL_OFFENDER);
	CHECK(job_args_any_limit(&a));
	/* "unlimited" is a value given (limit: removing a limit), not an option left out. */
	job_args_init(&a);
	CHECK(job_option(&a, OPT_HEAP, "unlimited", "limit") == 0);
	CHECK(a.limits.mask == RESMON_LIMIT_HARD(RESMON_HEAP));
	CHECK(a.limits.hard[RESMON_HEAP] == RESMON_UNLIMITED);
}

static void limit_option_errors(void)
{
	struct job_args a;
	FILE *saved = stderr;
	char *msg = NULL;
	size_t len;

	/* The messages go to stderr: catch them. */
	stderr = open_memstream(&msg, &len);
	job_args_init(&a);
	CHECK(job_option(&a, OPT_DATA, "1Q", "run") == 2);
	CHECK(job_option(&a, OPT_SOFT_DATA, "9000P", "run") == 2);
	CHECK(job_option(&a, OPT_SOFT_FILES, "x", "limit") == 2);
	CHECK(job_option(&a, OPT_SOFT_SIGNAL, "NOPE", "run") == 2);
	fclose(stderr);
	stderr = saved;
	CHECK_STR(msg, "resmon: run: --data '1Q': not a SIZE (see 'resmon run --help')\n"
		  "resmon: run: --soft-data '9000P': too large (max 8796093022207 MiB) "
		  "(see 'resmon run --help')\n"
		  "resmon: limit: --soft-files 'x': not a count (see 'resmon limit --help')\n"
		  "resmon: run: --soft-signal 'NOPE': not a signal (see 'resmon run --help')\n");
	CHECK(a.limits.mask == 0);
	free(msg);
}

static void amounts(void)
{
	char b[64];

	format_amount(b, sizeof(b), RESMON_DATA, 70 * MiB, 64 * MiB);
	CHECK_STR(b, "70.0 MiB");
	format_amount(b, sizeof(b), RESMON_DATA, 64 * MiB, 64 * MiB);
	CHECK_STR(b, "64.0 MiB");
	/* The limit's unit for the value, even when the value reaches the next one. */
	format_amount(b, sizeof(b), RESMON_HEAP, 2048 * MiB, 1000 * MiB);
	CHECK_STR(b, "2048.0 MiB");
	format_amount(b, sizeof(b), RESMON_HEAP, 1536, 1024);
	CHECK_STR(b, "1.5 KiB");
	format_amount(b, sizeof(b), RESMON_HEAP, 4096, 0);
	CHECK_STR(b, "4096 B");
	format_amount(b, sizeof(b), RESMON_OPENS, 101, 100);
	CHECK_STR(b, "101");
}

static const struct resmon_job_event kill_data = {
	.type = RESMON_EVENT_KILL, .resource = RESMON_DATA, .value = 70 * MiB,
	.limit = 64 * MiB, .pid = 4242, .signal = SIGKILL, .comm = "cc1",
};

static const struct resmon_job_event soft_opens = {
	.type = RESMON_EVENT_SOFT, .resource = RESMON_OPENS, .value = 31, .limit = 30,
	.pid = 77, .signal = SIGTERM,
};

static void event_lines(void)
{
	struct resmon_job_event ev = soft_opens;
	char b[256];

	format_job_event(b, sizeof(b), &kill_data);
	CHECK_STR(b, "killed by resmon: data 70.0 MiB over limit 64.0 MiB (pid 4242, cc1)");
	ev = kill_data;
	ev.resource = RESMON_OPENS;
	ev.value = 101;
	ev.limit = 100;
	format_job_event(b, sizeof(b), &ev);
	CHECK_STR(b, "killed by resmon: opens 101 over limit 100 (pid 4242, cc1)");
	format_job_event(b, sizeof(b), &soft_opens);
	CHECK_STR(b, "soft limit: opens 31 over 30 (pid 77), sent SIGTERM");
	ev = soft_opens;
	ev.resource = RESMON_HEAP;
	ev.value = 65 * MiB + MiB / 2;
	ev.limit = 64 * MiB;
	ev.signal = 0;
	format_job_event(b, sizeof(b), &ev);
	CHECK_STR(b, "soft limit: heap 65.5 MiB over 64.0 MiB (pid 77), no signal sent");
	ev.type = RESMON_EVENT_EMPTY;
	format_job_event(b, sizeof(b), &ev);
	CHECK_STR(b, "");
}

/* A job that ended: its usage and limits as the handle gives them (every mask bit set). */
static void ended_usage(struct resmon_job_usage *u)
{
	int r;

	memset(u, 0, sizeof(*u));
	u->flags = RESMON_JOB_TREE;
	u->members_ever = 3;
	u->usage[RESMON_HEAP] = 73400320;
	u->usage[RESMON_OPENS] = 12;
	u->usage[RESMON_DATA] = 0;
	u->data_peak = 73539584;
	u->limits.mask = 0x10707;
	u->limits.soft_signal = SIGTERM;
	for (r = 0; r < RESMON_NR_RESOURCES; r++) {
		u->limits.hard[r] = RESMON_UNLIMITED;
		u->limits.soft[r] = RESMON_UNLIMITED;
	}
	u->limits.hard[RESMON_DATA] = 64 * MiB;
	u->limits.soft[RESMON_OPENS] = 30;
}

static void report_killed(void)
{
	char *argv[] = { "cc1", "-O2", "a \"b\".c", NULL };
	struct resmon_job_event soft[2] = { soft_opens, soft_opens };
	struct resmon_job_usage u;
	struct run_report r = {
		.argv = argv, .argc = 3, .pid = 4242, .edition = "kernel",
		.wstatus = SIGKILL,	/* as wait4 gives a SIGKILL death */
		.kill = &kill_data, .soft = soft, .nsoft = 2, .usage = &u,
		.wall_s = 1.23456, .max_rss_kib = 71234,
	};
	char *out = NULL;

	ended_usage(&u);
	soft[1].resource = RESMON_DATA;
	soft[1].value = 50 * MiB;
	soft[1].limit = 48 * MiB;
	soft[1].signal = 0;
	CHECK(WIFSIGNALED(r.wstatus) && WTERMSIG(r.wstatus) == SIGKILL);
	CAPTURE(out, write_run_report(f, &r));
	CHECK_STR(out, "{\"command\": [\"cc1\", \"-O2\", \"a \\\"b\\\".c\"], \"pid\": 4242, "
		  "\"edition\": \"kernel\", \"exit\": {\"status\": null, \"signal\": 9}, "
		  "\"killed\": {\"resource\": \"data\", \"value\": 73400320, \"limit\": 67108864, "
		  "\"pid\": 4242, \"comm\": \"cc1\"}, "
		  "\"soft\": [{\"resource\": \"opens\", \"value\": 31, \"limit\": 30, \"pid\": 77, "
		  "\"signal\": 15}, {\"resource\": \"data\", \"value\": 52428800, \"limit\": 50331648, "
		  "\"pid\": 77, \"signal\": 0}], "
		  "\"usage\": {\"heap_total\": 73400320, \"opens_total\": 12, \"data_peak\": 73539584, "
		  "\"members_ever\": 3}, "
		  "\"limits\": {\"heap\": null, \"files\": null, \"data\": 67108864, \"soft_heap\": null, "
		  "\"soft_files\": 30, \"soft_data\": null, \"soft_signal\": 15}, "
		  "\"wall_s\": 1.235, \"max_rss_kib\": 71234}\n");
	free(out);
}

static void report_exited(void)
{
	char *argv[] = { "true", NULL };
	struct resmon_job_usage u;
	struct run_report r = {
		.argv = argv, .argc = 1, .pid = 9, .edition = "ebpf",
		.wstatus = 3 << 8,	/* exit(3) */
		.usage = &u, .wall_s = 0.0004, .max_rss_kib = 1000,
	};
	char *out = NULL;

	ended_usage(&u);
	CHECK(WIFEXITED(r.wstatus) && WEXITSTATUS(r.wstatus) == 3);
	CAPTURE(out, write_run_report(f, &r));
	CHECK(strstr(out, "\"exit\": {\"status\": 3, \"signal\": null}, \"killed\": null, "
		     "\"soft\": [], \"usage\"") != NULL);
	CHECK(strstr(out, "\"edition\": \"ebpf\"") != NULL);
	CHECK(strstr(out, "\"wall_s\": 0.000, \"max_rss_kib\": 1000}\n") != NULL);
	free(out);
}

static void status_json(void)
{
	struct resmon_job_usage u;
	char *out = NULL;

	ended_usage(&u);
	u.members_now = 2;
	u.usage[RESMON_DATA] = 5 * MiB;
	u.fds_now = 7;
	u.events_dropped = 1;
	CAPTURE(out, write_job_status_json(f, 4242, "kernel", &u, 1));
	CHECK_STR(out, "{\"pid\": 4242, \"edition\": \"kernel\", \"tree\": true, \"kill_scope\": \"job\", "
		  "\"members\": {\"now\": 2, \"ever\": 3}, "
		  "\"heap\": {\"total\": 73400320, \"limit\": null, \"soft\": null}, "
		  "\"opens\": {\"total\": 12, \"limit\": null, \"soft\": 30}, "
		  "\"data\": {\"now\": 5242880, \"peak\": 73539584, \"limit\": 67108864, \"soft\": null}, "
		  "\"fds_now\": 7, \"soft_signal\": 15, \"events\": {\"pending\": true, \"dropped\": 1}}\n");
	free(out);
}

static void status_text(void)
{
	struct resmon_job_usage u;
	char *out = NULL;

	ended_usage(&u);
	u.members_now = 1;
	u.flags |= RESMON_JOB_KILL_OFFENDER;
	u.limits.soft_signal = 0;
	CAPTURE(out, write_job_status_text(f, 7, "make", &u, 0));
	CHECK_STR(out, "pid 7 (make): job of 1 process (3 ever), tree, kill scope offender\n"
		  "               USED         PEAK        LIMIT         SOFT\n"
		  "heap         70 MiB            -    unlimited    unlimited\n"
		  "opens            12            -    unlimited           30\n"
		  "data            0 B     70.1 MiB       64 MiB    unlimited\n"
		  "open fds 0; soft signal none; events none pending, 0 dropped\n");
	free(out);
}

static void registered_or_job(void)
{
	struct resmon_job_usage u;

	ended_usage(&u);	/* tree, 3 members ever, a data limit: a job */
	CHECK(!job_looks_registered(&u));
	u.flags = 0;
	u.members_ever = 1;
	u.limits.hard[RESMON_DATA] = RESMON_UNLIMITED;
	CHECK(!job_looks_registered(&u));	/* still a soft opens limit */
	u.limits.soft[RESMON_OPENS] = RESMON_UNLIMITED;
	CHECK(job_looks_registered(&u));
	u.limits.hard[RESMON_OPENS] = 100;	/* cap's quotas are a register record's too */
	CHECK(job_looks_registered(&u));
	u.limits.soft_signal = SIGUSR1;
	CHECK(!job_looks_registered(&u));
}

const struct test job_tests[] = {
	{ "job: a job that looks like a register record", registered_or_job },
	{ "job: SIZE in bytes, too large over 2^43-1 MiB", size_bytes },
	{ "job: too large for cap's SIZE and for counts", too_large_elsewhere },
	{ "job: --soft-signal names and numbers", signals },
	{ "job: limit options into resmon_job_limits", limit_options },
	{ "job: limit option errors, one line each", limit_option_errors },
	{ "job: value and limit in the limit's unit", amounts },
	{ "job: kill and soft lines", event_lines },
	{ "job: --report of a killed job, byte for byte", report_killed },
	{ "job: --report of a job that exited", report_exited },
	{ "job: status --json, byte for byte", status_json },
	{ "job: status as text", status_text },
	{ NULL, NULL },
};
