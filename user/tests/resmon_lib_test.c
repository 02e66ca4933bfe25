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
#include <sys/syscall.h>
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
 * A child that, capped first (itself: files at 2) if @capped, waits for a
 * byte on @go, then opens @opens files and exits 0 (if it is still alive).
 */
static pid_t opening_child(int go, int opens, int capped)
{
	pid_t pid = fork();
	char byte;
	int i;

	if (pid == 0) {
		if (capped && (resmon_register(getpid()) || resmon_cap(getpid(), -1, 2)))
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
	child = opening_child(go[0], opens, 1);
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

/*
 * ___ratelimit() opens a new window at the first line logged 5 s (DEFAULT_RATELIMIT_INTERVAL)
 * after the window began, and a window begins no later than the last kill: 5 s and a
 * jiffy or so after this test's last kill, the next line is the first of a fresh window.
 */
static void wait_out_kill_log_ratelimit(void)
{
	usleep(5200 * 1000);
}

/* The five job calls on one job: a child with soft opens 1 and hard opens 2 that opens 3. */
static void job_calls(void)
{
	struct resmon_job_limits l = { .mask = RESMON_LIMIT_HARD(RESMON_OPENS) |
					       RESMON_LIMIT_SOFT(RESMON_OPENS) |
					       RESMON_LIMIT_SOFT_SIGNAL };
	struct { struct resmon_job_limits l; unsigned long long more; } big;
	struct { struct resmon_job_usage u; unsigned long long more; } wide;
	struct resmon_job_usage u;
	struct resmon_job_event ev[3];
	struct pollfd p = { .events = POLLIN };
	int go[2], pidfd, selffd, handle, other, status, ok;
	pid_t child;

	l.hard[RESMON_OPENS] = 2;
	l.soft[RESMON_OPENS] = 1;
	l.soft_signal = 0;
	if (pipe(go) < 0)
		return;
	child = opening_child(go[0], 3, 0);
	pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	selffd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	check(pidfd >= 0 && selffd >= 0, "pidfd_open");

	check(FAILS(resmon_job_create(pidfd, &l, RESMON_JOB_LIMITS_SIZE_VER0 - 1, 0), EINVAL),
	      "job_create: a limits struct smaller than the first: EINVAL");
	memset(&big, 0, sizeof(big));
	big.l = l;
	big.more = 1;
	check(FAILS(resmon_job_create(pidfd, &big.l, sizeof(big), 0), E2BIG),
	      "job_create: a larger struct with unknown non-zero bytes: E2BIG");
	check(FAILS(resmon_job_open(selffd), EINVAL), "job_open of a process in no job: EINVAL");
	big.more = 0;
	handle = resmon_job_create(pidfd, &big.l, sizeof(big), 0);
	check(handle >= 0 && (fcntl(handle, F_GETFD) & FD_CLOEXEC),
	      "job_create (a larger struct, zero tail): a close-on-exec handle");
	check(FAILS(resmon_job_create(pidfd, NULL, 0, 0), EBUSY), "job_create on a member: EBUSY");
	other = resmon_job_open(pidfd);
	check(other >= 0, "job_open of a member: a handle");

	memset(&u, 0xff, sizeof(u));
	check(resmon_job_usage(handle, &u, sizeof(u)) == 0 && u.members_now == 1 &&
	      u.members_ever == 1 && u.flags == 0 && u.usage[RESMON_OPENS] == 0 &&
	      u.limits.hard[RESMON_OPENS] == 2 && u.limits.soft[RESMON_OPENS] == 1 &&
	      u.limits.hard[RESMON_HEAP] == RESMON_UNLIMITED &&
	      u.limits.hard[RESMON_DATA] == RESMON_UNLIMITED && u.limits.soft_signal == 0 &&
	      u.usage[RESMON_DATA] > 0 && u.data_peak >= u.usage[RESMON_DATA],
	      "job_usage: one member, the limits given, the rest unlimited, data > 0");
	memset(&wide, 0xff, sizeof(wide));
	check(resmon_job_usage(other, &wide.u, sizeof(wide)) == 0 && wide.more == 0 &&
	      wide.u.limits.hard[RESMON_OPENS] == 2,
	      "job_usage through the other handle, a larger struct: its tail zeroed");
	memset(&u, 0xff, sizeof(u));
	check(resmon_job_usage(handle, &u, 8) == 0 && u.flags == 0 && u.members_now == 1 &&
	      u.members_ever == ~0ULL,
	      "job_usage into a smaller struct: what fits, nothing beyond");
	check(resmon_job_set_limits(handle, &(struct resmon_job_limits){
			.mask = RESMON_LIMIT_HARD(RESMON_DATA), .hard = { 0, 0, 1ULL << 30 } },
			sizeof(struct resmon_job_limits)) == 0 &&
	      resmon_job_usage(handle, &u, sizeof(u)) == 0 &&
	      u.limits.hard[RESMON_DATA] == 1ULL << 30 && u.limits.hard[RESMON_OPENS] == 2,
	      "job_set_limits: sets what the mask names, keeps the rest");
	p.fd = handle;
	check(poll(&p, 1, 0) == 0, "no event yet: the handle polls not readable");

	ok = write(go[1], "g", 1) == 1;
	ok = waitpid(child, &status, 0) == child && ok;
	check(ok && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	      "the member over its hard opens limit dies of SIGKILL");
	check(poll(&p, 1, 10000) == 1, "then the handle polls readable");
	ok = resmon_job_read_event(handle, &ev[0], sizeof(ev[0])) == 1 &&
	     resmon_job_read_event(handle, &ev[1], sizeof(ev[1])) == 1 &&
	     resmon_job_read_event(handle, &ev[2], sizeof(ev[2])) == 1;
	check(ok && ev[0].type == RESMON_EVENT_SOFT && ev[0].resource == RESMON_OPENS &&
	      ev[0].value == 2 && ev[0].limit == 1 && ev[0].pid == child && ev[0].signal == 0,
	      "event 1: soft, opens 2 over 1, the child's pid, no signal");
	check(ok && ev[1].type == RESMON_EVENT_KILL && ev[1].resource == RESMON_OPENS &&
	      ev[1].value == 3 && ev[1].limit == 2 && ev[1].pid == child &&
	      ev[1].signal == SIGKILL && !strcmp(ev[1].comm, "resmon_lib_test"),
	      "event 2: kill, opens 3 over 2, pid and comm");
	check(ok && ev[2].type == RESMON_EVENT_EMPTY, "event 3: empty");
	check(resmon_job_read_event(handle, &ev[0], sizeof(ev[0])) == 0,
	      "after EMPTY, read_event returns 0");
	check(resmon_job_usage(handle, &u, sizeof(u)) == 0 && u.members_now == 0 &&
	      u.usage[RESMON_OPENS] == 3 && u.usage[RESMON_DATA] == 0,
	      "after the reap the handle still reads the final usage: 3 opens, no data");
	close(other);
	close(handle);
	close(pidfd);
	close(selffd);
	close(go[0]);
	close(go[1]);
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

	/*
	 * The end through the library: root reads the kernel log, so both editions can tell.
	 * Both log kills at most 10 in 5 s (printk's rate limit; resmond copies it), and the
	 * tests run just before this one kill many more: wait out the window, or this kill's
	 * line may be dropped and the end rightly read as unknown.
	 */
	wait_out_kill_log_ratelimit();
	check(watched_end(3, &status, &end) && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGKILL && end.cause == RESMON_END_KILLED &&
	      end.resource == RESMON_LIMIT_FILES && end.total == 3 && end.limit == 2 &&
	      !strcmp(end.comm, "resmon_lib_test"),
	      "watch_end/read_end: a kill over the file quota, total 3, limit 2, comm");
	check(watched_end(1, &status, &end) && WIFEXITED(status) &&
	      end.cause == (strcmp(resmon_edition(), "kernel") ? RESMON_END_NOT_KILLED :
			    RESMON_END_UNKNOWN),
	      "watch_end/read_end: a normal exit is not a kill (kernel edition: unknown)");

	job_calls();

	check(!strcmp(resmon_strerror(RESMON_OP_REGISTER, ENFILE), "process is already monitored"),
	      "resmon_strerror from the shared library");
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
