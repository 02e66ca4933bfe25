// SPDX-License-Identifier: GPL-2.0-or-later
/* See job_report.h. */
#include "job_report.h"
#include "units.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

const char *resource_name(unsigned int res)
{
	switch (res) {
	case RESMON_HEAP:	return "heap";
	case RESMON_OPENS:	return "opens";
	case RESMON_DATA:	return "data";
	}
	return "?";
}

/* "SIGTERM", or "signal 40" for one without a name (real-time signals). */
static void signal_text(char *buf, size_t len, int sig)
{
	const char *abbrev = sig > 0 ? sigabbrev_np(sig) : NULL;

	if (abbrev)
		snprintf(buf, len, "SIG%s", abbrev);
	else
		snprintf(buf, len, "signal %d", sig);
}

void format_job_event(char *buf, size_t len, const struct resmon_job_event *ev)
{
	char value[32], limit[32], sig[32];

	format_amount(value, sizeof(value), (int)ev->resource, ev->value, ev->limit);
	format_amount(limit, sizeof(limit), (int)ev->resource, ev->limit, ev->limit);
	switch (ev->type) {
	case RESMON_EVENT_KILL:
		/* comm is the kernel's, NUL-terminated in its 16 bytes: bound it anyway. */
		snprintf(buf, len, "killed by resmon: %s %s over limit %s (pid %d, %.*s)",
			 resource_name(ev->resource), value, limit, ev->pid,
			 (int)sizeof(ev->comm), ev->comm[0] ? ev->comm : "?");
		return;
	case RESMON_EVENT_SOFT:
		if (ev->signal)
			signal_text(sig, sizeof(sig), ev->signal);
		snprintf(buf, len, "soft limit: %s %s over %s (pid %d), %s%s",
			 resource_name(ev->resource), value, limit, ev->pid,
			 ev->signal ? "sent " : "no signal sent", ev->signal ? sig : "");
		return;
	}
	if (len)
		buf[0] = '\0';
}

int job_looks_registered(const struct resmon_job_usage *u)
{
	int r;

	if (u->flags & (RESMON_JOB_TREE | RESMON_JOB_KILL_OFFENDER) || u->members_ever > 1 ||
	    u->limits.hard[RESMON_DATA] != RESMON_UNLIMITED || u->limits.soft_signal != SIGTERM)
		return 0;
	for (r = 0; r < RESMON_NR_RESOURCES; r++)
		if (u->limits.soft[r] != RESMON_UNLIMITED)
			return 0;
	return 1;
}

void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* A limit: its number, or null for unlimited. */
static void json_limit(FILE *f, unsigned long long v)
{
	if (v == RESMON_UNLIMITED)
		fputs("null", f);
	else
		fprintf(f, "%llu", v);
}

/* comm of an event: at most 16 bytes, NUL-terminated by the kernel, bounded here. */
static void json_comm(FILE *f, const char comm[16])
{
	char c[17];

	memcpy(c, comm, 16);
	c[16] = '\0';
	json_string(f, c);
}

/* A limit's key in the JSON: the name of its option, as SPEC has it. */
static const char *const option_name[RESMON_NR_RESOURCES] = {
	[RESMON_HEAP] = "heap", [RESMON_OPENS] = "files", [RESMON_DATA] = "data",
};

void write_run_report(FILE *f, const struct run_report *r)
{
	const struct resmon_job_limits *l = &r->usage->limits;
	int i, res, soft;
	size_t s;

	fputs("{\"command\": [", f);
	for (i = 0; i < r->argc; i++) {
		if (i)
			fputs(", ", f);
		json_string(f, r->argv[i]);
	}
	fprintf(f, "], \"pid\": %d, \"edition\": ", (int)r->pid);
	json_string(f, r->edition);
	if (WIFSIGNALED(r->wstatus))
		fprintf(f, ", \"exit\": {\"status\": null, \"signal\": %d}", WTERMSIG(r->wstatus));
	else
		fprintf(f, ", \"exit\": {\"status\": %d, \"signal\": null}", WEXITSTATUS(r->wstatus));
	fputs(", \"killed\": ", f);
	if (r->kill) {
		fprintf(f, "{\"resource\": \"%s\", \"value\": %llu, \"limit\": %llu, \"pid\": %d, "
			"\"comm\": ", resource_name(r->kill->resource),
			(unsigned long long)r->kill->value, (unsigned long long)r->kill->limit,
			r->kill->pid);
		json_comm(f, r->kill->comm);
		fputc('}', f);
	} else {
		fputs("null", f);
	}
	fputs(", \"soft\": [", f);
	for (s = 0; s < r->nsoft; s++)
		fprintf(f, "%s{\"resource\": \"%s\", \"value\": %llu, \"limit\": %llu, \"pid\": %d, "
			"\"signal\": %d}", s ? ", " : "", resource_name(r->soft[s].resource),
			(unsigned long long)r->soft[s].value,
			(unsigned long long)r->soft[s].limit, r->soft[s].pid, r->soft[s].signal);
	fprintf(f, "], \"usage\": {\"heap_total\": %llu, \"opens_total\": %llu, "
		"\"data_peak\": %llu, \"members_ever\": %llu}",
		(unsigned long long)r->usage->usage[RESMON_HEAP],
		(unsigned long long)r->usage->usage[RESMON_OPENS],
		(unsigned long long)r->usage->data_peak,
		(unsigned long long)r->usage->members_ever);
	/*
	 * SPEC's heap/files/data first (the hard limits, by the options' names), then the
	 * soft ones: the resources' order is the UAPI's.
	 */
	fputs(", \"limits\": {", f);
	for (soft = 0; soft < 2; soft++)
		for (res = 0; res < RESMON_NR_RESOURCES; res++) {
			fprintf(f, "%s\"%s%s\": ", soft || res ? ", " : "", soft ? "soft_" : "",
				option_name[res]);
			json_limit(f, soft ? l->soft[res] : l->hard[res]);
		}
	fprintf(f, ", \"soft_signal\": %u}, \"wall_s\": %.3f, \"max_rss_kib\": %ld}\n",
		(unsigned int)l->soft_signal, r->wall_s, r->max_rss_kib);
}

/* One measure of a job: "total" (heap, opens) or "now" and "peak" (data), with its limits. */
static void json_measure(FILE *f, const char *name, const struct resmon_job_usage *u, int res)
{
	fprintf(f, ", \"%s\": {", name);
	if (res == RESMON_DATA)
		fprintf(f, "\"now\": %llu, \"peak\": %llu", (unsigned long long)u->usage[res],
			(unsigned long long)u->data_peak);
	else
		fprintf(f, "\"total\": %llu", (unsigned long long)u->usage[res]);
	fputs(", \"limit\": ", f);
	json_limit(f, u->limits.hard[res]);
	fputs(", \"soft\": ", f);
	json_limit(f, u->limits.soft[res]);
	fputc('}', f);
}

void write_job_status_json(FILE *f, pid_t pid, const char *edition,
			   const struct resmon_job_usage *u, int events_pending)
{
	fprintf(f, "{\"pid\": %d, \"edition\": ", (int)pid);
	json_string(f, edition);
	fprintf(f, ", \"tree\": %s, \"kill_scope\": \"%s\", \"members\": {\"now\": %u, "
		"\"ever\": %llu}", u->flags & RESMON_JOB_TREE ? "true" : "false",
		u->flags & RESMON_JOB_KILL_OFFENDER ? "offender" : "job",
		(unsigned int)u->members_now, (unsigned long long)u->members_ever);
	json_measure(f, "heap", u, RESMON_HEAP);
	json_measure(f, "opens", u, RESMON_OPENS);
	json_measure(f, "data", u, RESMON_DATA);
	fprintf(f, ", \"fds_now\": %llu, \"soft_signal\": %u, \"events\": {\"pending\": %s, "
		"\"dropped\": %llu}}\n", (unsigned long long)u->fds_now,
		(unsigned int)u->limits.soft_signal, events_pending ? "true" : "false",
		(unsigned long long)u->events_dropped);
}

/* A byte or open count for the table; "unlimited" for a limit that is none. */
static void cell(char *buf, size_t len, int res, unsigned long long v, int is_limit)
{
	if (is_limit && v == RESMON_UNLIMITED)
		snprintf(buf, len, "unlimited");
	else if (res == RESMON_OPENS)
		snprintf(buf, len, "%llu", v);
	else
		format_bytes(buf, len, v);
}

#define STATUS_FORMAT "%-6s %12s %12s %12s %12s\n"

void write_job_status_text(FILE *f, pid_t pid, const char *comm,
			   const struct resmon_job_usage *u, int events_pending)
{
	char used[32], peak[32], hard[32], soft[32], sig[32];
	int res;

	fprintf(f, "pid %d (%s): job of %u process%s (%llu ever), %s, kill scope %s\n", (int)pid,
		comm, (unsigned int)u->members_now, u->members_now == 1 ? "" : "es",
		(unsigned long long)u->members_ever,
		u->flags & RESMON_JOB_TREE ? "tree" : "no tree",
		u->flags & RESMON_JOB_KILL_OFFENDER ? "offender" : "job");
	/* heap and opens are totals since the job began; data is what the members hold now. */
	fprintf(f, STATUS_FORMAT, "", "USED", "PEAK", "LIMIT", "SOFT");
	for (res = 0; res < RESMON_NR_RESOURCES; res++) {
		cell(used, sizeof(used), res, u->usage[res], 0);
		if (res == RESMON_DATA)
			cell(peak, sizeof(peak), res, u->data_peak, 0);
		else
			snprintf(peak, sizeof(peak), "-");
		cell(hard, sizeof(hard), res, u->limits.hard[res], 1);
		cell(soft, sizeof(soft), res, u->limits.soft[res], 1);
		fprintf(f, STATUS_FORMAT, resource_name((unsigned int)res), used, peak, hard, soft);
	}
	if (u->limits.soft_signal)
		signal_text(sig, sizeof(sig), (int)u->limits.soft_signal);
	else
		snprintf(sig, sizeof(sig), "none");
	fprintf(f, "open fds %llu; soft signal %s; events %s, %llu dropped\n",
		(unsigned long long)u->fds_now, sig, events_pending ? "pending" : "none pending",
		(unsigned long long)u->events_dropped);
}
