// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The kernel edition's /proc/resmon: how list finds the monitored
 * processes, and where a record's heap is in bytes. Parsing is separate
 * from reading so it can be tested without the kernel.
 */
#include "kernel_backend.h"
#include "record.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kernel_parse_proc_line(const char *line, struct resmon_record *rec)
{
	long long pid, heap_quota, file_quota;
	unsigned long long heap, files;
	int defined, end = 0;

	/* %n checks that nothing but the newline follows the six fields. */
	if (sscanf(line, "%lld %llu %llu %lld %lld %d%n", &pid, &heap, &files, &heap_quota,
		   &file_quota, &defined, &end) != 6 ||
	    (line[end] != '\0' && !(line[end] == '\n' && line[end + 1] == '\0')) ||
	    pid < 1 || pid > 0x7fffffff || (defined != 0 && defined != 1) ||
	    heap_quota < -1 || heap_quota > RESMON_HEAP_QUOTA_MAX || file_quota < -1) {
		errno = EINVAL;
		return -1;
	}
	memset(rec, 0, sizeof(*rec));
	rec->pid = (pid_t)pid;
	rec->quotas_defined = defined;
	rec->heap_bytes = heap;
	rec->opens = files;
	rec->heap_limit_bytes = record_heap_limit_bytes(heap_quota);
	rec->files_limit = file_quota;
	return 0;
}

/*
 * Each line of @f to @fn until it returns non-zero: 1 if @fn stopped it,
 * 0 at the end of the file, -1 with errno (EINVAL for a malformed line,
 * a read error's, or @fn's).
 */
static int each_line(FILE *f, int (*fn)(const struct resmon_record *, void *), void *arg)
{
	struct resmon_record rec;
	char line[256];
	int r;

	while (fgets(line, sizeof(line), f)) {
		if (kernel_parse_proc_line(line, &rec) < 0)
			return -1;
		r = fn(&rec, arg);
		if (r)
			return r < 0 ? -1 : 1;
	}
	if (ferror(f)) {
		errno = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

struct growing {
	struct resmon_record *v;
	size_t n, cap;
};

static int append(const struct resmon_record *rec, void *arg)
{
	struct growing *g = arg;
	struct resmon_record *grown;

	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 16;
		grown = realloc(g->v, g->cap * sizeof(*g->v));
		if (!grown) {
			errno = ENOMEM;
			return -1;
		}
		g->v = grown;
	}
	g->v[g->n++] = *rec;
	return 0;
}

int kernel_read_proc(const char *path, struct resmon_record **records, size_t *count)
{
	struct growing g = { NULL, 0, 0 };
	FILE *f = fopen(path, "re");
	int r, err;

	if (!f)
		return -1;
	/* An empty file is an empty list, not ENOMEM: have an array anyway. */
	r = append(&(struct resmon_record){ 0 }, &g);
	g.n = 0;
	if (r == 0)
		r = each_line(f, append, &g);
	err = errno;
	fclose(f);
	if (r < 0) {
		free(g.v);
		errno = err;
		return -1;
	}
	*records = g.v;
	*count = g.n;
	return 0;
}

struct wanted {
	pid_t pid;
	struct resmon_record *rec;
};

static int match(const struct resmon_record *rec, void *arg)
{
	struct wanted *w = arg;

	if (rec->pid != w->pid)
		return 0;
	*w->rec = *rec;
	return 1;
}

int kernel_proc_record(pid_t pid, struct resmon_record *rec)
{
	struct wanted w = { pid, rec };
	FILE *f = fopen("/proc/resmon", "re");
	int r, err;

	if (!f)
		return -1;
	r = each_line(f, match, &w);
	err = errno;
	fclose(f);
	if (r <= 0) {
		errno = r < 0 ? err : ESRCH;
		return -1;
	}
	return 0;
}
