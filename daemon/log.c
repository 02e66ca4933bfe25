// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmond's output: its own messages on stderr (foreground, for a unit or
 * a test), and the kernel edition's kill line in the kernel log, written
 * to /dev/kmsg because a BPF program cannot printk there.
 */
#include "resmond.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void say(const char *fmt, ...)
{
	va_list ap;

	fputs("resmond: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void kmsg_line(int level, const char *fmt, ...)
{
	static int fd = -2;
	char line[512];
	va_list ap;
	int n;

	if (fd == -2)
		fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	n = snprintf(line, sizeof(line), "<%d>", level);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	if (fd < 0 || write(fd, line, strlen(line)) < 0)
		say("kernel log: %s", line + n);
}

/*
 * As the kernel edition's pr_warn_ratelimited(): at most 10 lines in any
 * 5 s (printk's default burst and interval); the rest are counted.
 */
static bool ratelimit_ok(void)
{
	static struct timespec start;
	static int printed, missed;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec - start.tv_sec >= 5) {
		if (missed)
			say("%d kill lines suppressed", missed);
		start = now;
		printed = missed = 0;
	}
	if (printed < 10) {
		printed++;
		return true;
	}
	missed++;
	return false;
}

void log_kill(uint32_t tgid, const char *comm, int resource, uint64_t total, int64_t quota)
{
	char c[17];

	if (!ratelimit_ok())
		return;
	snprintf(c, sizeof(c), "%.16s", comm);
	/* 4 = KERN_WARNING, as pr_warn. The format is the kernel edition's, to the byte. */
	if (resource == RESMON_RES_HEAP)
		kmsg_line(4, "resmon: killed process %u (%s): heap %llu bytes over quota %lld MiB\n",
			  tgid, c, (unsigned long long)total, (long long)quota);
	else
		kmsg_line(4, "resmon: killed process %u (%s): files %llu over quota %lld\n",
			  tgid, c, (unsigned long long)total, (long long)quota);
}
