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

/* One monitored process as shown to the user: libresmon's record and its name. */
struct row {
	struct resmon_record rec;
	const char *comm;		/* "?" when unknown */
};

void row_from_record(struct row *r, const struct resmon_record *rec, const char *comm);

/* The table of "status" and "list": a header line and one line per row, no newline. */
void format_table_header(char *buf, size_t len);
void format_table_row(char *buf, size_t len, const struct row *r);

/*
 * One JSON object, no newline:
 * {"pid":1,"comm":"x","heap_mib":0,"heap_bytes":N,"files":0,
 *  "heap_quota_mib":-1,"file_quota":-1,"quotas_defined":false}
 * (heap_mib rounded down, kept for the readers of the first format).
 * Returns the length it needed, as snprintf.
 */
int format_json_row(char *buf, size_t len, const struct row *r);

/* "pid 12 (comm): heap 3 MiB of 64 MiB, files 7 of unlimited" for watch and run. */
void format_summary(char *buf, size_t len, const struct row *r);

/*
 * A kill by resmon, resource, total and limit in the same unit:
 * "heap 67633152 bytes (64.5 MiB) over limit 67108864 bytes (64 MiB)",
 * "files 3 over limit 2".
 */
void format_kill(char *buf, size_t len, const struct resmon_end *end);

/* How a "resmon run" child ended, as far as the parent can tell. */
enum verdict {
	VERDICT_NOT_KILLED,	/* exited, or died of a signal other than SIGKILL */
	VERDICT_RESMON,		/* killed by resmon: the library says so */
	VERDICT_UNKNOWN,	/* SIGKILL while quotas were set, the library cannot tell why */
	VERDICT_OTHER_KILL,	/* SIGKILL, not by resmon (the library says so, or no quota set) */
};

/* @end: how the library saw the child end, or NULL if it could not watch it. */
enum verdict run_verdict(int wstatus, int quotas_set, const struct resmon_end *end);

/* The shell's convention: the exit code, or 128 + the signal number. */
int exit_code_of(int wstatus);

#endif
