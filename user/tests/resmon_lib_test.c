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
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
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

/* @rec's entry in resmon_list(), or 0 if none. */
static int listed_as(pid_t pid, struct resmon_record *rec)
{
	struct resmon_record *v;
	size_t n, i;
	int found = 0;

	if (resmon_list(&v, &n) < 0)
		return 0;
	for (i = 0; i < n; i++)
		if (v[i].pid == pid) {
			*rec = v[i];
			found = 1;
		}
	free(v);
	return found;
}

/*
 * A child that registers and caps itself (files at 2), waits for a byte on
 * @go, then opens @opens files and exits 0 (if it is still alive).
 */
static pid_t capped_child(int go, int opens)
{
	pid_t pid = fork();
	char byte;
	int i;

	if (pid == 0) {
		if (resmon_register(getpid()) || resmon_cap(getpid(), -1, 2))
			_exit(3);
		if (read(go, &byte, 1) != 1)
			_exit(4);
		for (i = 0; i < opens; i++)
			open("/dev/null", O_RDONLY);
		_exit(0);
	}
	return pid;
}

/* The end of a capped child that opens @opens files, watched from before it starts. */
static int watched_end(int opens, int *wstatus, struct resmon_end *end)
{
	struct pollfd p = { .events = POLLIN };
	int go[2], ok;
	pid_t child;

	if (pipe(go) < 0)
		return 0;
	child = capped_child(go[0], opens);
	/* Until its record exists, the watch would rightly fail: wait for it. */
	while (resmon_fetch(child, &(struct per_proc_resource){ 0 }) < 0)
		usleep(1000);
	p.fd = resmon_watch_end(child);
	ok = p.fd >= 0 && (fcntl(p.fd, F_GETFD) & FD_CLOEXEC) && poll(&p, 1, 0) == 0;
	ok = write(go[1], "g", 1) == 1 && ok;
	ok = waitpid(child, wstatus, 0) == child && ok;
	ok = ok && poll(&p, 1, 10000) == 1 && resmon_read_end(p.fd, end) == 0 && end->pid == child;
	if (p.fd >= 0)
		close(p.fd);
	close(go[0]);
	close(go[1]);
	return ok;
}

int main(void)
{
	struct resmon_record rec, listed;
	struct resmon_end end;
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
	/* After the counts above: the kernel edition's get_record opens /proc/resmon (counted). */
	check(resmon_cap(self, 64, 100) == 0, "cap again after reset");
	/* The same record in bytes; the kernel edition's opens /proc/resmon (counted: >=). */
	check(resmon_get_record(self, &rec) == 0 && rec.pid == self &&
	      rec.heap_bytes >> 20 == 3 && rec.opens >= 1 &&
	      rec.heap_limit_bytes == 64LL << 20 && rec.files_limit == 100 &&
	      rec.quotas_defined == 1, "get_record: heap in bytes, limits in bytes and opens");
	check(listed_as(self, &listed) && listed.heap_bytes == rec.heap_bytes &&
	      listed.heap_limit_bytes == 64LL << 20 && listed.files_limit == 100,
	      "list has the same record");
	check(FAILS(resmon_get_record(1, &rec), EINVAL), "get_record of an unmonitored process: EINVAL");
	check(FAILS(resmon_watch_end(1), EINVAL), "watch_end of an unmonitored process: EINVAL");
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

	/* The end through the library: root reads the kernel log, so both editions can tell. */
	check(watched_end(3, &status, &end) && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGKILL && end.cause == RESMON_END_KILLED &&
	      end.resource == RESMON_LIMIT_FILES && end.total == 3 && end.limit == 2 &&
	      !strcmp(end.comm, "resmon_lib_test"),
	      "watch_end/read_end: a kill over the file quota, total 3, limit 2, comm");
	check(watched_end(1, &status, &end) && WIFEXITED(status) &&
	      end.cause == (strcmp(resmon_edition(), "kernel") ? RESMON_END_NOT_KILLED :
			    RESMON_END_UNKNOWN),
	      "watch_end/read_end: a normal exit is not a kill (kernel edition: unknown)");

	check(!strcmp(resmon_strerror(RESMON_OP_REGISTER, ENFILE), "process is already monitored"),
	      "resmon_strerror from the shared library");
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
