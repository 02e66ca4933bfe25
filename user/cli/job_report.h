/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What resmon prints about a job: the stderr line of a soft crossing or a
 * kill, the --report JSON of "run", and "status" of a job member, as text
 * and as JSON. Pure functions over the job layer's structs (no system
 * calls), so that the host unit tests check every byte of SPEC's formats.
 */
#ifndef RESMON_JOB_REPORT_H
#define RESMON_JOB_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "resmon.h"

/* "heap", "opens", "data": SPEC's names of enum resmon_resource; "?" for others. */
const char *resource_name(unsigned int res);

/*
 * A SOFT or KILL event as one line, without "resmon: " and the newline:
 *   "killed by resmon: data 70.0 MiB over limit 64.0 MiB (pid 4242, cc1)"
 *   "soft limit: opens 31 over 30 (pid 4242), sent SIGTERM"
 * value and limit in the same unit (format_amount). Other types: "".
 */
void format_job_event(char *buf, size_t len, const struct resmon_job_event *ev);

/*
 * 1 if the job @u shows has nothing a record made by register(2) could not
 * have: one member ever, no tree, whole-job kill, no data or soft limit,
 * the default soft signal. The kernel shows such a record as a one-member
 * job (SPEC) and says nothing more, so "status" shows it as 1.0 did.
 */
int job_looks_registered(const struct resmon_job_usage *u);

/* A JSON string of @s, quotes included (comm and arguments are the user's bytes). */
void json_string(FILE *f, const char *s);

/* What "run --report" knows when CMD's job has ended. */
struct run_report {
	char *const *argv;		/* CMD and its arguments */
	int argc;
	pid_t pid;			/* CMD's */
	const char *edition;		/* resmon_edition() */
	int wstatus;			/* CMD's, from wait4 */
	const struct resmon_job_event *kill;	/* the first KILL event, or NULL */
	const struct resmon_job_event *soft;	/* the SOFT events in order */
	size_t nsoft;
	const struct resmon_job_usage *usage;	/* read from the handle after the end */
	double wall_s;
	long max_rss_kib;		/* wait4's ru_maxrss */
};

/*
 * SPEC's --report object, one line with its newline: "command", "pid",
 * "edition", "exit", "killed", "soft", "usage", "limits", "wall_s",
 * "max_rss_kib" in that order; bytes in bytes, null for unlimited.
 */
void write_run_report(FILE *f, const struct run_report *r);

/*
 * "status --json PID" of a job member: one object and a newline, e.g.
 * {"pid": N, "edition": "kernel", "tree": true, "kill_scope": "job",
 *  "members": {"now": N, "ever": N}, "heap": {"total": N, "limit": N|null,
 *  "soft": N|null}, "opens": {...}, "data": {"now": N, "peak": N,
 *  "limit": N|null, "soft": N|null}, "fds_now": N, "soft_signal": N,
 *  "events": {"pending": bool, "dropped": N}}
 */
void write_job_status_json(FILE *f, pid_t pid, const char *edition,
			   const struct resmon_job_usage *u, int events_pending);

/* The same for a person: a title line, a table of heap/opens/data, a last line. */
void write_job_status_text(FILE *f, pid_t pid, const char *comm,
			   const struct resmon_job_usage *u, int events_pending);

#endif
