// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The /proc/resmon reader. The syscalls can only look up a pid you already
 * know; this file is how "resmon list" finds the monitored ones. Parsing is
 * separate from reading so it can be tested without the kernel.
 */
#include "resmon.h"
#include "resmon/resmond_client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int resmon_parse_entry(const char *line, struct resmon_entry *e)
{
	long long pid;
	int defined, end = 0;

	/* %n checks that nothing but the newline follows the six fields. */
	if (sscanf(line, "%lld %llu %lu %ld %ld %d%n", &pid, &e->heap_bytes,
		   &e->openfile_count, &e->heap_quota, &e->file_quota,
		   &defined, &end) != 6 ||
	    (line[end] != '\0' && !(line[end] == '\n' && line[end + 1] == '\0')) ||
	    pid < 1 || pid > 0x7fffffff || (defined != 0 && defined != 1) ||
	    e->heap_quota < -1 || e->file_quota < -1) {
		errno = EINVAL;
		return -1;
	}
	e->pid = (pid_t)pid;
	e->quotas_defined = defined;
	return 0;
}

int resmon_list(const char *path, struct resmon_entry **entries, size_t *count)
{
	struct resmon_entry *v = NULL, *grown;
	size_t n = 0, cap = 0;
	char line[256];
	FILE *f;
	int err = 0;

	/* No path and no /proc/resmon: the eBPF edition's list, from resmond. */
	if (!path && access(RESMON_PROC_PATH, F_OK) < 0 && errno == ENOENT) {
		if (resmond_list(entries, count) == 0)
			return 0;
		if (errno == ENOSYS)
			errno = ENOENT;	/* neither edition: as before, "no /proc/resmon" */
		return -1;
	}
	f = fopen(path ? path : RESMON_PROC_PATH, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			grown = realloc(v, cap * sizeof(*v));
			if (!grown) {
				err = ENOMEM;
				break;
			}
			v = grown;
		}
		if (resmon_parse_entry(line, &v[n]) < 0) {
			err = EINVAL;
			break;
		}
		n++;
	}
	if (!err && ferror(f))
		err = errno ? errno : EIO;
	fclose(f);
	if (err) {
		free(v);
		errno = err;
		return -1;
	}
	*entries = v;
	*count = n;
	return 0;
}
