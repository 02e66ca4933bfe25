// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * resmon_lib_test: every libresmon wrapper against a resmon kernel, run as
 * root in the guest. Linked with the shared library (found through an
 * $ORIGIN rpath), so it also proves libresmon.so loads and exports the API.
 * Prints one line per check and "N passed, M failed".
 */
#include "resmon.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int passed, failed;

static void check(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok  " : "FAIL", what);
	if (ok)
		passed++;
	else
		failed++;
}

/* The call failed with @err, as syscall(2) reports it. */
#define FAILS(call, err) ((call) == -1 && errno == (err))

int main(void)
{
	struct per_proc_resource r;
	pid_t self = getpid(), child;
	int status, fd;
	void *p;

	check(resmon_available(), "resmon_available() on a resmon kernel");
	check(resmon_hello() == 0, "resmon_hello() returns 0");
	check(FAILS(resmon_register(0), EINVAL), "register(0): EINVAL");
	check(FAILS(resmon_fetch(self, &r), EINVAL), "fetch of an unmonitored process: EINVAL");
	check(FAILS(resmon_cap(self, 1, 1), EINVAL), "cap of an unmonitored process: EINVAL");
	check(FAILS(resmon_reset(self), EINVAL), "reset of an unmonitored process: EINVAL");
	check(FAILS(resmon_deregister(self), ESRCH), "deregister of an unmonitored process: ESRCH");

	check(resmon_register(self) == 0, "register(self)");
	check(FAILS(resmon_register(self), ENFILE), "register twice: ENFILE");
	memset(&r, 0xff, sizeof(r));
	check(resmon_fetch(self, &r) == 0 && r.pid == self && r.heapsize == 0 &&
	      r.openfile_count == 0 && r.heap_quota == -1 && r.file_quota == -1 &&
	      !r.quotas_defined, "fetch of a fresh record");
	check(FAILS(resmon_fetch(self, NULL), EINVAL), "fetch into NULL: EINVAL");

	fd = open("/dev/null", O_RDONLY);
	close(fd);
	p = mmap(NULL, 3 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(p != MAP_FAILED, "mmap 3 MiB");
	check(resmon_fetch(self, &r) == 0 && r.openfile_count == 1 && r.heapsize == 3,
	      "fetch counts one open and 3 MiB");

	check(FAILS(resmon_cap(self, -2, 1), EINVAL), "cap with quota -2: EINVAL");
	check(FAILS(resmon_cap(self, RESMON_HEAP_QUOTA_MAX + 1, 1), EINVAL),
	      "cap with a heap quota past 2^63 bytes: EINVAL");
	check(resmon_cap(self, 64, 100) == 0, "cap(self, 64, 100)");
	check(resmon_fetch(self, &r) == 0 && r.heap_quota == 64 && r.file_quota == 100 &&
	      r.quotas_defined == 1, "fetch shows the quotas");
	check(FAILS(resmon_cap(self, 64, 100), ENFILE), "cap twice: ENFILE");
	check(resmon_reset(self) == 0, "reset (root may lift)");
	check(resmon_fetch(self, &r) == 0 && r.heap_quota == -1 && !r.quotas_defined &&
	      r.openfile_count == 1, "reset clears quotas, keeps totals");
	check(resmon_deregister(self) == 0, "deregister(self)");
	check(FAILS(resmon_fetch(self, &r), EINVAL), "fetch after deregister: EINVAL");

	/* A real kill: a child caps itself at 2 opens and makes 3. */
	child = fork();
	if (child == 0) {
		int i;

		if (resmon_register(getpid()) || resmon_cap(getpid(), -1, 2))
			_exit(3);
		for (i = 0; i < 3; i++)
			open("/dev/null", O_RDONLY);
		_exit(0);
	}
	check(waitpid(child, &status, 0) == child && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGKILL, "a child over its file quota dies of SIGKILL");
	check(FAILS(resmon_fetch(child, &r), EINVAL), "its record is gone");
	check(FAILS(resmon_register(child), ESRCH), "register of a reaped pid: ESRCH");

	check(!strcmp(resmon_strerror(RESMON_OP_REGISTER, ENFILE), "process is already monitored"),
	      "resmon_strerror from the shared library");
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
