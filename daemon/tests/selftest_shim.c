// SPDX-License-Identifier: GPL-2.0-only
/* See selftest_shim.h: the kernel edition's syscall ABI, served by libresmon. */
#include "resmon.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The kernel's return convention through syscall(2): -1 and errno, as libresmon's. */
long rm_shim_syscall(long nr, ...)
{
	long a[6];
	va_list ap;
	int i;

	/* As glibc's syscall(): six argument slots are read, whatever the call takes. */
	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	switch (nr) {
	case RESMON_NR_HELLO:		return resmon_hello();
	case RESMON_NR_REGISTER:	return resmon_register((pid_t)a[0]);
	case RESMON_NR_FETCH:		return resmon_fetch((pid_t)a[1], (struct per_proc_resource *)a[0]);
	case RESMON_NR_DEREGISTER:	return resmon_deregister((pid_t)a[0]);
	case RESMON_NR_CAP:		return resmon_cap((pid_t)a[0], a[1], a[2]);
	case RESMON_NR_RESET:		return resmon_reset((pid_t)a[0]);
	}
	return syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/*
 * The eBPF edition's /proc/resmon: resmon_list()'s entries in the kernel
 * file's format, in an unnamed file of /tmp (O_TMPFILE): opening it is an
 * open, as opening /proc/resmon is, so a monitored reader counts the same.
 */
FILE *rm_shim_fopen(const char *path, const char *mode)
{
	struct resmon_entry *e;
	size_t n, i;
	FILE *f;
	int fd;

	if (strcmp(path, RESMON_PROC_PATH))
		return fopen(path, mode);
	/* Opened first: the kernel counts the open of /proc/resmon before it prints. */
	fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	f = fd < 0 ? NULL : fdopen(fd, "w+");
	if (!f || resmon_list(NULL, &e, &n) < 0) {
		if (f)
			fclose(f);
		else if (fd >= 0)
			close(fd);
		return NULL;
	}
	for (i = 0; i < n; i++)
		fprintf(f, "%d %llu %lu %ld %ld %d\n", (int)e[i].pid, e[i].heap_bytes,
			e[i].openfile_count, e[i].heap_quota, e[i].file_quota, e[i].quotas_defined);
	free(e);
	rewind(f);
	return f;
}
