/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the command prints: table rows, JSON objects, the watch line and
 * the verdict of "resmon run". Pure functions over plain values, so the
 * host unit tests can check every format without a resmon kernel.
 */
#ifndef RESMON_REPORT_H
#define RESMON_REPORT_H

#include <stddef.h>
#include <sys/types.h>

#include "resmon.h"

/* One monitored process as shown to the user, from fetch or from /proc/resmon. */
struct row {
	pid_t pid;
	const char *comm;		/* "?" when unknown */
	unsigned long long heap_bytes;
	int heap_exact;			/* heap_bytes is exact (/proc), not whole MiB (fetch) */
	unsigned long files;
	long heap_quota;		/* MiB or -1 */
	long file_quota;		/* files or -1 */
	int quotas_defined;
};

void row_from_record(struct row *r, const struct per_proc_resource *rec, const char *comm);
void row_from_entry(struct row *r, const struct resmon_entry *e, const char *comm);

/* The table of "status" and "list": a header line and one line per row, no newline. */
void format_table_header(char *buf, size_t len);
void format_table_row(char *buf, size_t len, const struct row *r);

/*
 * One JSON object, no newline:
 * {"pid":1,"comm":"x","heap_mib":0,["heap_bytes":N,]"files":0,
 *  "heap_quota_mib":-1,"file_quota":-1,"quotas_defined":false}
 * heap_bytes only when exact. Returns the length it needed, as snprintf.
 */
int format_json_row(char *buf, size_t len, const struct row *r);

/* "pid 12 (comm): heap 3 MiB of 64 MiB, files 7 of unlimited" for watch and run. */
void format_summary(char *buf, size_t len, const struct row *r);

/*
 * Given one record read from /dev/kmsg ("prio,seq,time,flags;message\n"),
 * return 1 and copy the reason ("heap 5242880 bytes over quota 4 MiB")
 * into @reason if it is resmon's kill line for @pid, else 0.
 */
int parse_kill_record(const char *record, pid_t pid, char *reason, size_t len);

/* How a "resmon run" child ended, as far as the parent can tell. */
enum verdict {
	VERDICT_NOT_KILLED,	/* exited, or died of a signal other than SIGKILL */
	VERDICT_RESMON,		/* killed by resmon: kernel log line or totals over quota */
	VERDICT_LIKELY_RESMON,	/* SIGKILL while quotas were set, no proof either way */
	VERDICT_OTHER_KILL,	/* SIGKILL, and no quota was set */
};

/*
 * @last: the last record fetched, or NULL if none. @logged: resmon's kill
 * line for the child was found in the kernel log.
 */
enum verdict run_verdict(int wstatus, int quotas_set, int logged,
			 const struct per_proc_resource *last);

/* The shell's convention: the exit code, or 128 + the signal number. */
int exit_code_of(int wstatus);

#endif
