// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmond's output: its own messages on stderr (foreground, for a unit or
 * a test), and the kernel edition's lines in the kernel log, written to
 * /dev/kmsg because a BPF program cannot printk there.
 *
 * The kernel rate-limits each open /dev/kmsg file on its own (10 lines in
 * 5 s, printk_devkmsg=ratelimit, Debian's default) and drops the rest
 * silently. So each kind of line has its own file and its own limit, as
 * the kernel edition's pr_*_ratelimited() calls each have their own
 * state: a flood of HELLO lines (any user can send them) never costs a
 * kill line its place.
 */
#include "resmond.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* printk's DEFAULT_RATELIMIT_BURST and DEFAULT_RATELIMIT_INTERVAL, also /dev/kmsg's. */
#define KMSG_BURST	10
#define KMSG_INTERVAL	5	/* s */

struct kmsg_stream {
	const char *func;	/* the kernel edition's function, for "callbacks suppressed" */
	int fd;			/* -2: not opened yet */
	struct timespec start;	/* of the current window */
	int printed, missed;
};

static struct kmsg_stream kill_stream = { .func = "resmon_kill", .fd = -2 };
static struct kmsg_stream hello_stream = { .func = "__do_sys_resmon_hello", .fd = -2 };
static struct kmsg_stream warn_stream = { .func = "resmond", .fd = -2 };

void say(const char *fmt, ...)
{
	va_list ap;

	fputs("resmond: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void put_line(int fd, const char *line, size_t prefix)
{
	if (fd < 0 || write(fd, line, strlen(line)) < 0)
		say("kernel log: %s", line + prefix);
}

static void reopen(struct kmsg_stream *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
}

/* A line on a file of its own, so that no other stream's limit can drop it. */
static void put_line_once(const char *line, size_t prefix)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	put_line(fd, line, prefix);
	if (fd >= 0)
		close(fd);
}

/*
 * As ___ratelimit(): at most KMSG_BURST lines in a window that starts with
 * the first line after the previous one ended; the lines dropped are
 * reported when the next window starts. Each window gets a new file, so the
 * kernel's own limit on the file (the same burst, a clock that need not
 * agree with ours) never drops a line this one let through.
 */
static bool stream_ok(struct kmsg_stream *s)
{
	struct timespec now;
	char line[128];
	int n;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (s->fd == -2 || now.tv_sec - s->start.tv_sec > KMSG_INTERVAL ||
	    (now.tv_sec - s->start.tv_sec == KMSG_INTERVAL && now.tv_nsec >= s->start.tv_nsec)) {
		if (s->missed) {
			n = snprintf(line, sizeof(line), "<4>%s: %d callbacks suppressed\n",
				     s->func, s->missed);
			say("%.*s", n - 4, line + 3);
			put_line_once(line, 3);
		}
		reopen(s);
		s->start = now;
		s->printed = s->missed = 0;
	}
	if (s->printed < KMSG_BURST) {
		s->printed++;
		return true;
	}
	s->missed++;
	return false;
}

static void vstream_line(struct kmsg_stream *s, int level, const char *fmt, va_list ap)
{
	char line[512];
	int n;

	if (!stream_ok(s))
		return;
	n = snprintf(line, sizeof(line), "<%d>", level);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	put_line(s->fd, line, (size_t)n);
}

static void stream_line(struct kmsg_stream *s, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void stream_line(struct kmsg_stream *s, int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vstream_line(s, level, fmt, ap);
	va_end(ap);
}

/* resmond's own warnings for the kernel log (also rate-limited, on their own file). */
void kmsg_line(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vstream_line(&warn_stream, level, fmt, ap);
	va_end(ap);
}

/* As the kernel edition's pr_info_ratelimited("Hello, world!\n"). */
void log_hello(void)
{
	stream_line(&hello_stream, 6, "resmon: Hello, world!\n");
}

/* As the kernel edition's resmon_kill(): pr_warn_ratelimited, the format to the byte. */
void log_kill(uint32_t tgid, const char *comm, int resource, uint64_t total, int64_t quota)
{
	char c[17];

	snprintf(c, sizeof(c), "%.16s", comm);
	if (resource == RESMON_HEAP)
		stream_line(&kill_stream, 4,
			    "resmon: killed process %u (%s): heap %llu bytes over quota %lld MiB\n",
			    tgid, c, (unsigned long long)total, (long long)quota);
	else
		stream_line(&kill_stream, 4, "resmon: killed process %u (%s): files %llu over quota %lld\n",
			    tgid, c, (unsigned long long)total, (long long)quota);
}

/* A job's data kill, as the kernel edition logs it (the heap and opens kills are log_kill's). */
void log_kill_data(uint32_t tgid, const char *comm, uint64_t value, uint64_t limit)
{
	char c[17];

	snprintf(c, sizeof(c), "%.16s", comm);
	stream_line(&kill_stream, 4, "resmon: killed process %u (%s): data %llu bytes over limit %llu bytes\n",
		    tgid, c, (unsigned long long)value, (unsigned long long)limit);
}
