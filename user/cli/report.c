// SPDX-License-Identifier: GPL-2.0-or-later
/* Formatting of records and the verdict of "resmon run"; see report.h. */
#include "report.h"
#include "units.h"
#include "rules.h"	/* MiB as both editions count them */

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

void row_from_record(struct row *r, const struct resmon_record *rec, const char *comm)
{
	r->rec = *rec;
	r->comm = comm;
}

/* comm is at most 15 bytes (TASK_COMM_LEN - 1); a wider column would only waste room. */
#define TABLE_FORMAT "%7s  %-15s %10s %10s %8s %10s"

void format_table_header(char *buf, size_t len)
{
	snprintf(buf, len, TABLE_FORMAT, "PID", "COMM", "HEAP", "HEAP-QUOTA", "FILES", "FILE-QUOTA");
}

void format_table_row(char *buf, size_t len, const struct row *r)
{
	char pid[16], heap[32], hq[32], files[32], fq[32];

	snprintf(pid, sizeof(pid), "%d", (int)r->rec.pid);
	format_bytes(heap, sizeof(heap), r->rec.heap_bytes);
	format_heap_limit(hq, sizeof(hq), r->rec.heap_limit_bytes, r->rec.quotas_defined);
	snprintf(files, sizeof(files), "%llu", r->rec.opens);
	format_file_limit(fq, sizeof(fq), r->rec.files_limit, r->rec.quotas_defined);
	snprintf(buf, len, TABLE_FORMAT, pid, r->comm, heap, hq, files, fq);
}

/* comm is chosen by the process (prctl), so escape it before it reaches a JSON reader. */
static void json_string(char *out, size_t len, const char *s)
{
	size_t o = 0;

	for (; *s && o + 7 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(out + o, len - o, "\\u%04x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

int format_json_row(char *buf, size_t len, const struct row *r)
{
	const struct resmon_record *rec = &r->rec;
	char comm[128];

	json_string(comm, sizeof(comm), r->comm);
	/* The heap quota is whole MiB (cap takes MiB), so the shift is exact. */
	return snprintf(buf, len,
			"{\"pid\":%d,\"comm\":\"%s\",\"heap_mib\":%llu,\"heap_bytes\":%llu,"
			"\"files\":%llu,\"heap_quota_mib\":%lld,\"file_quota\":%lld,"
			"\"quotas_defined\":%s}",
			(int)rec->pid, comm, (unsigned long long)resmon_bytes_to_mib(rec->heap_bytes),
			rec->heap_bytes, rec->opens,
			rec->heap_limit_bytes < 0 ? -1 :
			(long long)resmon_bytes_to_mib((__u64)rec->heap_limit_bytes),
			rec->files_limit, rec->quotas_defined ? "true" : "false");
}

void format_summary(char *buf, size_t len, const struct row *r)
{
	const struct resmon_record *rec = &r->rec;
	char heap[32], hq[32], fq[32];

	format_bytes(heap, sizeof(heap), rec->heap_bytes);
	format_heap_limit(hq, sizeof(hq), rec->heap_limit_bytes, rec->quotas_defined);
	format_file_limit(fq, sizeof(fq), rec->files_limit, rec->quotas_defined);
	snprintf(buf, len, "pid %d (%s): heap %s of %s, files %llu of %s", (int)rec->pid,
		 r->comm, heap, rec->quotas_defined ? hq : "no quota", rec->opens,
		 rec->quotas_defined ? fq : "no quota");
}

void format_kill(char *buf, size_t len, const struct resmon_end *end)
{
	char total[32], limit[32];

	if (end->resource == RESMON_LIMIT_FILES) {
		snprintf(buf, len, "files %llu over limit %llu", end->total, end->limit);
		return;
	}
	/* Exact bytes, so that a total one byte over is seen over; the binary unit to read. */
	format_bytes(total, sizeof(total), end->total);
	format_bytes(limit, sizeof(limit), end->limit);
	snprintf(buf, len, "heap %llu bytes (%s) over limit %llu bytes (%s)", end->total, total,
		 end->limit, limit);
}

enum verdict run_verdict(int wstatus, int quotas_set, const struct resmon_end *end)
{
	if (!WIFSIGNALED(wstatus) || WTERMSIG(wstatus) != SIGKILL)
		return VERDICT_NOT_KILLED;
	if (end && end->cause == RESMON_END_KILLED)
		return VERDICT_RESMON;
	if (!quotas_set || (end && end->cause == RESMON_END_NOT_KILLED))
		return VERDICT_OTHER_KILL;
	return VERDICT_UNKNOWN;
}

int exit_code_of(int wstatus)
{
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return WEXITSTATUS(wstatus);
}
