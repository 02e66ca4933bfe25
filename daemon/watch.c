// SPDX-License-Identifier: GPL-2.0-only
/*
 * What can make the hooks miss a counted call, watched and reported.
 *
 * Every hook is a BPF trampoline program (fexit/fentry) or a raw
 * tracepoint, and the kernel skips a program that is already running on
 * the same CPU (prog->active, __bpf_prog_enter_recur(), __bpf_trace_run()),
 * counting the skip in bpf_prog_info.recursion_misses. The raw tracepoint
 * runs with preemption off, so only a real recursion (an NMI) can skip it.
 * The trampolines run preemptibly: under the "full" preemption model a task
 * preempted inside a hook makes every other task that reaches the same hook
 * on that CPU skip it until it runs again, so counts fall short and a
 * crossing can go unkilled. No attach point of 6.1 or 6.12 that sees the
 * result of an open, mmap or brk is free of that guard (resmond(8)), so
 * resmond says so loudly, at start and whenever the model changes, and
 * reports the kernel's miss counters (stderr, kernel log, resmond --status).
 */
#include "resmond.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#define PREEMPT_FILE	"/sys/kernel/debug/sched/preempt"

/*
 * The running model: the one in parentheses in PREEMPT_FILE (a
 * PREEMPT_DYNAMIC kernel: "none voluntary (full)"); else from the build
 * (uname -v says PREEMPT or PREEMPT_RT); "unknown" if debugfs is not mounted
 * on a PREEMPT_DYNAMIC kernel.
 */
static const char *preempt_model(char *buf, size_t len)
{
	struct utsname u;
	char line[128], *open_p, *close_p;
	FILE *f = fopen(PREEMPT_FILE, "re");

	if (f) {
		if (fgets(line, sizeof(line), f) && (open_p = strchr(line, '(')) &&
		    (close_p = strchr(open_p, ')'))) {
			*close_p = '\0';
			snprintf(buf, len, "%s", open_p + 1);
			fclose(f);
			return buf;
		}
		fclose(f);
	}
	if (uname(&u) < 0 || strstr(u.version, "PREEMPT_DYNAMIC"))
		return "unknown";
	if (strstr(u.version, "PREEMPT_RT") || strstr(u.version, "PREEMPT "))
		return "full";
	return "none or voluntary";
}

/* Whether a task can be preempted inside a hook: then the hooks can miss runs. */
static bool model_skips(const char *model)
{
	return strcmp(model, "none") && strcmp(model, "voluntary") &&
	       strcmp(model, "none or voluntary");
}

static char last_model[32];
static uint64_t last_misses;

static void check_model(void)
{
	char buf[32];
	const char *m = preempt_model(buf, sizeof(buf));

	if (!strcmp(m, last_model))
		return;
	snprintf(last_model, sizeof(last_model), "%s", m);
	if (!model_skips(m)) {
		say("preemption model %s: the hooks count every call", m);
		return;
	}
	say("WARNING: preemption model %s: a task preempted inside a BPF hook makes the "
	    "hook skip other tasks' calls on that CPU; counts can fall short and a quota "
	    "crossing can go unkilled (misses: resmond --status)", m);
	kmsg_line(4, "resmond: preemption model %s: resmon's BPF hooks can skip calls; "
		  "counts can fall short (resmond --status)\n", m);
}

static void check_misses(void)
{
	uint64_t now = bpfstate_misses(NULL, NULL);

	if (now <= last_misses)
		return;
	say("WARNING: the kernel skipped %llu hook runs (recursion guard), %llu in all",
	    (unsigned long long)(now - last_misses), (unsigned long long)now);
	kmsg_line(4, "resmond: the kernel skipped %llu runs of resmon's BPF hooks (%llu in all)\n",
		  (unsigned long long)(now - last_misses), (unsigned long long)now);
	last_misses = now;
}

void watch_start(void)
{
	check_model();
	last_misses = bpfstate_misses(NULL, NULL);
	if (last_misses)
		say("the hooks have missed %llu runs so far (recursion guard)",
		    (unsigned long long)last_misses);
}

void watch_tick(void)
{
	check_model();
	check_misses();
}

static void print_hook(const char *name, uint64_t misses, void *arg)
{
	(void)arg;
	printf("recursion_misses %s %llu\n", name, (unsigned long long)misses);
}

/* resmond --status: root only (the pins are root's). */
int watch_status(void)
{
	char buf[32];
	const char *m = preempt_model(buf, sizeof(buf));
	uint64_t sum;

	printf("preemption_model %s%s\n", m, model_skips(m) ? " (hooks can skip calls)" : "");
	if (bpfstate_open_pinned() < 0) {
		say("no pinned state in " RESMOND_PIN_DIR " (is resmond running? root only)");
		return 1;
	}
	printf("attached %s\n", bpfstate_attached(false) ? "yes" : "no");
	printf("jobs' hooks attached %s\n", bpfstate_attached(true) ? "yes" : "no");
	sum = bpfstate_misses(print_hook, NULL);
	printf("recursion_misses total %llu\n", (unsigned long long)sum);
	return 0;
}
