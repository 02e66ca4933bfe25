// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The parity suite's runner: every case in a fresh child, TAP on stdout.
 *
 *   resmon_parity_test [NAME...]    run all cases, or those named
 *   resmon_parity_test --list       print the case names
 *
 * Exit status 0 if no case failed (skips are reported, not failures),
 * 1 if one did, 4 (kselftest's "skip") if resmon is not available at all.
 */
#include "tap.h"

#include "resmon.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>

static struct parity_case *first, **tail = &first;

void parity_add(struct parity_case *c)
{
	*tail = c;
	tail = &c->next;
}

/* Shared with the case's child: why it skipped. */
static char *skip_reason;

static void vwrite_line(const char *prefix, const char *fmt, va_list ap)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "%s", prefix);

	n += vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	(void)!write(1, buf, n);
}

void diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwrite_line("# ", fmt, ap);
	va_end(ap);
}

void fail_at(const char *file, int line, const char *fmt, ...)
{
	char where[128];
	va_list ap;

	snprintf(where, sizeof(where), "# %s:%d: ", file, line);
	va_start(ap, fmt);
	vwrite_line(where, fmt, ap);
	va_end(ap);
	_exit(1);
}

void skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(skip_reason, 256, fmt, ap);
	va_end(ap);
	_exit(PARITY_SKIP);
}

static int wanted(const char *name, int argc, char **argv)
{
	int i;

	if (argc < 2)
		return 1;
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

/* Run one case in a child of its own process group; returns its wait status. */
static int run_case(struct parity_case *c)
{
	struct per_proc_resource r;
	int status;
	pid_t pid;

	fflush(stdout);
	skip_reason[0] = '\0';
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setpgid(0, 0);
		alarm(c->timeout_s);
		/* First library call of this process: any lazy set-up happens here. */
		if (resmon_fetch(getpid(), &r) != -1 || errno != EINVAL)
			fail_at(__FILE__, __LINE__, "fetch of a fresh, unmonitored process: "
				"want EINVAL, got errno %d", errno);
		c->fn();
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		status = -1;
	/* Whatever the case left behind (idle children) goes with it. */
	kill(-pid, SIGKILL);
	return status;
}

int main(int argc, char **argv)
{
	int n = 0, i = 0, failed = 0, skipped = 0, status;
	struct parity_case *c;

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (c = first; c; c = c->next)
			printf("%s\n", c->name);
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!resmon_available()) {
		printf("1..0 # SKIP resmon is not available here (no /proc/resmon, no resmond)\n");
		return PARITY_SKIP;
	}
	skip_reason = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (skip_reason == MAP_FAILED)
		return 1;
	for (c = first; c; c = c->next)
		n += wanted(c->name, argc, argv);
	printf("TAP version 13\n1..%d\n", n);
	for (c = first; c; c = c->next) {
		if (!wanted(c->name, argc, argv))
			continue;
		i++;
		status = run_case(c);
		if (status == 0) {
			printf("ok %d %s\n", i, c->name);
		} else if (WIFEXITED(status) && WEXITSTATUS(status) == PARITY_SKIP) {
			printf("ok %d %s # SKIP %s\n", i, c->name, skip_reason);
			skipped++;
		} else {
			if (WIFSIGNALED(status))
				printf("# %s: killed by signal %d%s\n", c->name, WTERMSIG(status),
				       WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
			printf("not ok %d %s\n", i, c->name);
			failed++;
		}
	}
	printf("# %d passed, %d failed, %d skipped\n", i - failed - skipped, failed, skipped);
	return failed ? 1 : 0;
}
