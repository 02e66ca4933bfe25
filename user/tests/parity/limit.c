// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The limiter: a process is SIGKILLed inside the call that takes a total
 * strictly above its quota, and not before.
 *
 * Each victim is a child: it prepares, marks 'r' and waits while the case
 * registers and caps it (its totals then are exactly 0), then marks after
 * each step. The marker of the crossing step must be absent: the code
 * after the call never ran.
 */
#include "util.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <time.h>

/* Start @fn in a child, wait for its 'r', register and cap it, let it go. */
static void start_capped(struct child *c, void (*fn)(void *), void *arg, long heap, long files)
{
	struct per_proc_resource r;

	CHECK(spawn(c, fn, arg) > 0);
	CHECK_EQ('r', read_mark(c));
	CHECK_OK(resmon_register(c->pid));
	CHECK_OK(resmon_cap(c->pid, heap, files));
	FETCH(c->pid, r);
	CHECK_EQ(0, r.heapsize);
	CHECK_EQ(0, r.openfile_count);
	CHECK_EQ(heap, r.heap_quota);
	CHECK_EQ(files, r.file_quota);
	CHECK_EQ(1, r.quotas_defined);
	CHECK_EQ(0, go(c));
}

/* Read the markers, reap, and check it was SIGKILLed after @want; record gone. */
static void check_killed_after(struct child *c, const char *want)
{
	struct per_proc_resource r;

	CHECK_MARKS(c, want);
	CHECK_KILLED(reap(c));
	CHECK_ERR(EINVAL, resmon_fetch(c->pid, &r));
	CHECK_ERR(ESRCH, resmon_deregister(c->pid));
}

/* ---- the kill's log line, in the kernel edition's format (first: rate limit) ---- */

static void named_victim(void *arg)
{
	prctl(PR_SET_NAME, (unsigned long)arg, 0, 0, 0);
	mark('r');
	wait_go();
	open_open();
	open_open();
	map_private(2 * MIB + page_size());
	mark('X');
	_exit(0);
}

/*
 * Read /dev/kmsg (from @fd, opened before the kill) for up to 3 s for a
 * record containing @want; 1 if found.
 */
static int kmsg_has(int fd, const char *want)
{
	struct timespec t0, t;
	char rec[1024];
	ssize_t n;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
			if (n <= 0)
				continue;
			rec[n] = '\0';
			if (strstr(rec, want))
				return 1;
		}
		usleep(50000);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec - t0.tv_sec < 3);
	return 0;
}

/*
 * Kill @comm under quotas (@heap, @files); the log must say @fmt (with the
 * pid and comm filled in). The line is rate limited: when it is missing,
 * wait the window out once and try with a new victim.
 */
static void check_kill_log(const char *comm, long heap, long files, const char *fmt)
{
	char want[256];
	int fd, attempt, found = 0;
	struct child c;

	for (attempt = 0; attempt < 2 && !found; attempt++) {
		if (attempt)
			sleep(6);
		fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			skip("no /dev/kmsg");
		lseek(fd, 0, SEEK_END);
		start_capped(&c, named_victim, (void *)comm, heap, files);
		check_killed_after(&c, "");
		snprintf(want, sizeof(want), fmt, c.pid, comm);
		found = kmsg_has(fd, want);
		close(fd);
	}
	if (!found)
		fail_at(__FILE__, __LINE__, "no kernel log line \"%s\"", want);
}

PARITY_CASE(kill_log_line_files)
{
	check_kill_log("rm-parity-f", -1, 1, "resmon: killed process %d (%s): files 2 over quota 1");
}

PARITY_CASE(kill_log_line_heap)
{
	/* 2 MiB + 1 page = 2101248 bytes */
	check_kill_log("rm-parity-h", 2, -1,
		       "resmon: killed process %d (%s): heap 2101248 bytes over quota 2 MiB");
}

/* ---- files: the Nth open survives, the N+1th kills ---- */

struct opener {
	int (*fn)(void);
	long quota;
};

static void opener(void *arg)
{
	const struct opener *o = arg;
	long i;

	mark('r');
	wait_go();
	for (i = 0; i <= o->quota; i++) {
		if (o->fn() < 0)
			_exit(10);
		mark('a' + i);
	}
	_exit(0);
}

static void file_quota(int (*fn)(void), long quota)
{
	struct opener o = { fn, quota };
	char want[16] = "";
	struct child c;
	long i;

	for (i = 0; i < quota; i++)
		want[i] = 'a' + i;
	start_capped(&c, opener, &o, -1, quota);
	check_killed_after(&c, want);
}

PARITY_CASE(files_quota_3_open)    { file_quota(open_open, 3); }
PARITY_CASE(files_quota_3_openat)  { file_quota(open_openat, 3); }
PARITY_CASE(files_quota_3_openat2) { file_quota(open_openat2, 3); }
PARITY_CASE(files_quota_3_creat)   { file_quota(open_creat, 3); }
PARITY_CASE(files_quota_1_open)    { file_quota(open_open, 1); }
PARITY_CASE(files_quota_0_open)    { file_quota(open_open, 0); }

/* ---- heap: exactly Q MiB survives, one more page kills ---- */

enum heap_way { BY_MMAP, BY_BRK, BY_ONE_BIG_MMAP };

struct grower {
	enum heap_way way;
	long quota;
};

static void grower(void *arg)
{
	const struct grower *g = arg;
	const unsigned long q = g->quota * MIB, page = page_size();
	unsigned long a0 = page_align(raw_brk(0));

	if (raw_brk(a0) != a0)
		_exit(9);
	mark('r');
	wait_go();
	switch (g->way) {
	case BY_MMAP:
		if (q) {
			if (map_private(q - page) == MAP_FAILED)
				_exit(10);
			mark('a');
			if (map_private(page) == MAP_FAILED)
				_exit(11);
			mark('b');
		}
		map_private(1);		/* one byte maps a page: over */
		mark('X');
		break;
	case BY_BRK:
		if (q) {
			if (raw_brk(a0 + q - 1) != a0 + q - 1)
				_exit(10);
			mark('a');
			if (raw_brk(a0 + q) != a0 + q)
				_exit(11);
			mark('b');
			/* shrink one page and regrow: the regrowth counts, over */
			if (raw_brk(a0 + q - page) != a0 + q - page)
				_exit(12);
			mark('c');
			raw_brk(a0 + q);
		} else {
			raw_brk(a0 + 1);
		}
		mark('X');
		break;
	case BY_ONE_BIG_MMAP:
		map_private(q + 1);
		mark('X');
		break;
	}
	_exit(0);
}

static void heap_quota(enum heap_way way, long quota, const char *want)
{
	struct grower g = { way, quota };
	struct child c;

	start_capped(&c, grower, &g, quota, -1);
	check_killed_after(&c, want);
}

PARITY_CASE(heap_quota_2_mmap)          { heap_quota(BY_MMAP, 2, "ab"); }
PARITY_CASE(heap_quota_0_mmap)          { heap_quota(BY_MMAP, 0, ""); }
PARITY_CASE(heap_quota_2_brk)           { heap_quota(BY_BRK, 2, "abc"); }
PARITY_CASE(heap_quota_0_brk)           { heap_quota(BY_BRK, 0, ""); }
PARITY_CASE(heap_quota_2_one_big_mmap)  { heap_quota(BY_ONE_BIG_MMAP, 2, ""); }

/* ---- one resource unlimited (-1), the other enforced ---- */

static void heap_then_files(void *arg)
{
	int i;

	(void)arg;
	mark('r');
	wait_go();
	if (map_private(64 * MIB) == MAP_FAILED)
		_exit(10);
	mark('a');
	if (open_open() < 0)
		_exit(11);
	mark('b');
	for (i = 0; i < 3; i++)
		open_open();
	mark('X');
	_exit(0);
}

PARITY_CASE(unlimited_heap_limited_files)
{
	struct child c;

	start_capped(&c, heap_then_files, NULL, -1, 1);
	check_killed_after(&c, "ab");
}

static void files_then_heap(void *arg)
{
	int i;

	(void)arg;
	mark('r');
	wait_go();
	for (i = 0; i < 200; i++)
		if (open_openat() < 0)
			_exit(10);
	mark('a');
	if (map_private(MIB) == MAP_FAILED)
		_exit(11);
	mark('b');
	map_private(page_size());
	mark('X');
	_exit(0);
}

PARITY_CASE(unlimited_files_limited_heap)
{
	struct child c;

	start_capped(&c, files_then_heap, NULL, 1, -1);
	check_killed_after(&c, "ab");
}

/* ---- what does not count does not kill ---- */

static void uncounted_ops(void *arg)
{
	int fd, i;
	void *p;

	(void)arg;
	mark('r');
	wait_go();
	fd = open_open();			/* the one file allowed */
	if (fd < 0)
		_exit(10);
	close(fd);				/* close gives nothing back */
	mark('a');
	for (i = 0; i < 5; i++)			/* failed opens */
		if (open("/nonexistent/resmon", O_RDONLY) >= 0)
			_exit(11);
	mark('b');
	p = map_private(MIB);			/* the MiB allowed */
	if (p == MAP_FAILED)
		_exit(12);
	munmap(p, MIB);				/* munmap gives nothing back */
	mark('c');
	if (mmap(NULL, 8 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0) ==
	    MAP_FAILED)
		_exit(13);
	mmap(NULL, 8 * MIB, PROT_READ | PROT_WRITE, 0x03 /* MAP_SHARED_VALIDATE */ | MAP_ANONYMOUS,
	     -1, 0);
	if (mmap(NULL, 1UL << 47, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != MAP_FAILED)
		_exit(15);
	mark('d');
	open_open();				/* one file too many */
	mark('X');
	_exit(0);
}

PARITY_CASE(failed_shared_and_closed_do_not_kill)
{
	struct child c;

	start_capped(&c, uncounted_ops, NULL, 1, 1);
	check_killed_after(&c, "abcd");
}

/* ---- resource_cap on a process already over its new quota ---- */

static void over_then_wait(void *arg)
{
	int i;

	(void)arg;
	mark('r');
	wait_go();
	for (i = 0; i < 3; i++)
		if (open_open() < 0)
			_exit(10);
	if (map_private(2 * MIB) == MAP_FAILED)
		_exit(11);
	mark('d');
	wait_go();				/* killed here, or the test fails */
	mark('e');
	if (open_open() < 0)
		_exit(12);
	mark('X');
	_exit(0);
}

/* A child at 3 files and 2 MiB, monitored, no quotas, waiting. */
static void start_over(struct child *c)
{
	struct per_proc_resource r;

	CHECK(spawn(c, over_then_wait, NULL) > 0);
	CHECK_EQ('r', read_mark(c));
	CHECK_OK(resmon_register(c->pid));
	CHECK_EQ(0, go(c));
	CHECK_EQ('d', read_mark(c));
	FETCH(c->pid, r);
	CHECK_EQ(3, r.openfile_count);
	CHECK_EQ(2, r.heapsize);
}

static void cap_over(long heap, long files)
{
	struct child c;

	start_over(&c);
	/* the caller gets 0 and lives on; the target dies */
	CHECK_OK(resmon_cap(c.pid, heap, files));
	check_killed_after(&c, "");
	/* the caller is not monitored, and here */
	CHECK_ERR(EINVAL, resmon_fetch(getpid(), NULL));
}

PARITY_CASE(cap_over_files_kills_target_not_caller)      { cap_over(-1, 2); }
PARITY_CASE(cap_over_files_zero_kills_target_not_caller) { cap_over(-1, 0); }
PARITY_CASE(cap_over_heap_kills_target_not_caller)       { cap_over(1, -1); }
PARITY_CASE(cap_over_heap_zero_kills_target_not_caller)  { cap_over(0, 100); }
PARITY_CASE(cap_over_both_kills_target_not_caller)       { cap_over(1, 1); }

/* At the quota exactly is not over: cap survives, the next open kills. */
PARITY_CASE(cap_at_exact_usage_does_not_kill)
{
	struct per_proc_resource r;
	struct child c;

	start_over(&c);
	CHECK_OK(resmon_cap(c.pid, 2, 3));
	FETCH(c.pid, r);
	CHECK_EQ(1, r.quotas_defined);
	CHECK_EQ(3, r.openfile_count);
	CHECK_EQ(0, go(&c));
	check_killed_after(&c, "e");
}

/* A process capping itself below its usage dies inside the call. */
static void cap_self(void *arg)
{
	(void)arg;
	mark('r');
	wait_go();
	if (resmon_register(getpid()))
		_exit(10);
	if (open_open() < 0 || open_open() < 0)
		_exit(11);
	mark('a');
	resmon_cap(getpid(), -1, 1);
	mark('X');
	_exit(0);
}

PARITY_CASE(cap_self_over_kills_self)
{
	struct child c;

	CHECK(spawn(&c, cap_self, NULL) > 0);
	CHECK_EQ('r', read_mark(&c));
	CHECK_EQ(0, go(&c));
	check_killed_after(&c, "a");
}

/* ---- reset and deregister lift enforcement ---- */

static void open_on_go(void *arg)
{
	int i;

	(void)arg;
	mark('r');
	wait_go();
	if (open_open() < 0)
		_exit(10);
	mark('a');
	wait_go();
	for (i = 0; i < 5; i++)
		if (open_open() < 0)
			_exit(11);
	if (map_private(4 * MIB) == MAP_FAILED)
		_exit(12);
	mark('b');
	wait_go();
	_exit(0);
}

PARITY_CASE(reset_lifts_quotas_keeps_totals)
{
	struct per_proc_resource r;
	struct child c;

	start_capped(&c, open_on_go, NULL, 1, 1);
	CHECK_EQ('a', read_mark(&c));
	CHECK_OK(resmon_reset(c.pid));
	FETCH(c.pid, r);
	CHECK_EQ(1, r.openfile_count);
	CHECK_EQ(-1, r.heap_quota);
	CHECK_EQ(-1, r.file_quota);
	CHECK_EQ(0, r.quotas_defined);
	CHECK_EQ(0, go(&c));
	CHECK_EQ('b', read_mark(&c));
	FETCH(c.pid, r);
	CHECK_EQ(6, r.openfile_count);
	CHECK_EQ(4, r.heapsize);
	CHECK_EQ(0, go(&c));
	CHECK_EXITED_OK(reap(&c));
}

PARITY_CASE(deregister_lifts_quotas)
{
	struct per_proc_resource r;
	struct child c;

	start_capped(&c, open_on_go, NULL, 1, 1);
	CHECK_EQ('a', read_mark(&c));
	CHECK_OK(resmon_deregister(c.pid));
	CHECK_ERR(EINVAL, resmon_fetch(c.pid, &r));
	CHECK_EQ(0, go(&c));
	CHECK_EQ('b', read_mark(&c));
	CHECK_EQ(0, go(&c));
	CHECK_EXITED_OK(reap(&c));
}

PARITY_CASE(recap_after_reset_below_usage_kills)
{
	struct child c;

	start_capped(&c, open_on_go, NULL, 1, 1);
	CHECK_EQ('a', read_mark(&c));
	CHECK_OK(resmon_reset(c.pid));
	CHECK_OK(resmon_cap(c.pid, -1, 0));
	check_killed_after(&c, "");
}
