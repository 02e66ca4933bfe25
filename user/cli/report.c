// SPDX-License-Identifier: GPL-2.0-or-later
/* Formatting of records and the verdict of "resmon run"; see report.h. */
#include "report.h"
#include "units.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

void row_from_record(struct row *r, const struct per_proc_resource *rec, const char *comm)
{
	r->pid = rec->pid;
	r->comm = comm;
	/* heapsize is at most 2^44 MiB (a 64-bit byte count >> 20): the shift cannot overflow. */
	r->heap_bytes = (unsigned long long)rec->heapsize << 20;
	r->heap_exact = 0;
	r->files = rec->openfile_count;
	r->heap_quota = rec->heap_quota;
	r->file_quota = rec->file_quota;
	r->quotas_defined = rec->quotas_defined != 0;
}

void row_from_entry(struct row *r, const struct resmon_entry *e, const char *comm)
{
	r->pid = e->pid;
	r->comm = comm;
	r->heap_bytes = e->heap_bytes;
	r->heap_exact = 1;
	r->files = e->openfile_count;
	r->heap_quota = e->heap_quota;
	r->file_quota = e->file_quota;
	r->quotas_defined = e->quotas_defined;
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

	snprintf(pid, sizeof(pid), "%d", (int)r->pid);
	format_bytes(heap, sizeof(heap), r->heap_bytes);
	format_heap_quota(hq, sizeof(hq), r->heap_quota, r->quotas_defined);
	snprintf(files, sizeof(files), "%lu", r->files);
	format_file_quota(fq, sizeof(fq), r->file_quota, r->quotas_defined);
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
	char comm[128], exact[48] = "";

	json_string(comm, sizeof(comm), r->comm);
	if (r->heap_exact)
		snprintf(exact, sizeof(exact), "\"heap_bytes\":%llu,", r->heap_bytes);
	return snprintf(buf, len,
			"{\"pid\":%d,\"comm\":\"%s\",\"heap_mib\":%llu,%s\"files\":%lu,"
			"\"heap_quota_mib\":%ld,\"file_quota\":%ld,\"quotas_defined\":%s}",
			(int)r->pid, comm, r->heap_bytes >> 20, exact, r->files,
			r->heap_quota, r->file_quota, r->quotas_defined ? "true" : "false");
}

void format_summary(char *buf, size_t len, const struct row *r)
{
	char heap[32], hq[32], fq[32];

	format_bytes(heap, sizeof(heap), r->heap_bytes);
	format_heap_quota(hq, sizeof(hq), r->heap_quota, r->quotas_defined);
	format_file_quota(fq, sizeof(fq), r->file_quota, r->quotas_defined);
	snprintf(buf, len, "pid %d (%s): heap %s of %s, files %lu of %s", (int)r->pid,
		 r->comm, heap, r->quotas_defined ? hq : "no quota", r->files,
		 r->quotas_defined ? fq : "no quota");
}

int parse_kill_record(const char *record, pid_t pid, char *reason, size_t len)
{
	const char *msg = strchr(record, ';'), *hit, *why;
	char needle[48];
	size_t n;

	if (!msg)
		return 0;
	msg++;
	if (strncmp(msg, "resmon: ", 8))
		return 0;
	snprintf(needle, sizeof(needle), "killed process %d (", (int)pid);
	hit = strstr(msg, needle);
	if (!hit)
		return 0;
	why = strstr(hit + strlen(needle), "): ");
	if (!why)
		return 0;
	why += 3;
	/* The message ends at the newline; dictionary lines (" KEY=value") follow it. */
	n = strcspn(why, "\n");
	if (n >= len)
		n = len - 1;
	memcpy(reason, why, n);
	reason[n] = '\0';
	return 1;
}

enum verdict run_verdict(int wstatus, int quotas_set, int logged,
			 const struct per_proc_resource *last)
{
	if (!WIFSIGNALED(wstatus) || WTERMSIG(wstatus) != SIGKILL)
		return VERDICT_NOT_KILLED;
	if (logged)
		return VERDICT_RESMON;
	/*
	 * resmon kills in the call that crosses a quota, so the parent rarely
	 * samples a total above it; when it did, that is proof enough.
	 */
	if (last && last->quotas_defined &&
	    ((last->heap_quota >= 0 && last->heapsize > (unsigned long)last->heap_quota) ||
	     (last->file_quota >= 0 && last->openfile_count > (unsigned long)last->file_quota)))
		return VERDICT_RESMON;
	return quotas_set ? VERDICT_LIKELY_RESMON : VERDICT_OTHER_KILL;
}

int exit_code_of(int wstatus)
{
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return WEXITSTATUS(wstatus);
}
