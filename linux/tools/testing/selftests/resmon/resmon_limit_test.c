// SPDX-License-Identifier: GPL-2.0
/*
 * resmon limiter: a process is killed (SIGKILL) in the very call that
 * takes a total strictly above its quota, and not before.
 *
 * Each victim is a child: it prepares, writes 'r', waits for "go" while
 * the parent registers and caps it (so its totals are exactly 0), then
 * writes one marker byte after each step.  The parent reads the markers
 * until EOF and checks the wait status: the marker of the crossing step
 * must be absent (the code right after the call never ran).
 */

#include "resmon_helpers.h"

#include <ctype.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/resource.h>

/* Start @fn in a child, wait for its 'r', register it and cap it. */
static void start_capped(struct __test_metadata *_metadata, struct rm_child *c,
			 void (*fn)(void *), void *arg, long heap, long files)
{
	struct per_proc_resource r;

	ASSERT_LT(0, rm_spawn(c, fn, arg));
	ASSERT_EQ('r', rm_read_mark(c));
	ASSERT_EQ(0, rm_register(c->pid));
	ASSERT_EQ(0, rm_cap(c->pid, heap, files));
	FETCH(c->pid, r);
	ASSERT_EQ(0, r.heapsize);
	ASSERT_EQ(0, r.openfile_count);
	ASSERT_EQ(heap, r.heap_quota);
	ASSERT_EQ(files, r.file_quota);
	ASSERT_EQ(1, r.quotas_defined);
	ASSERT_EQ(0, rm_go(c));
}

/*
 * Read all markers, reap, and check it was SIGKILLed after @expect; its
 * record went with it.
 */
#define EXPECT_KILLED_AFTER(c, expect) do { \
	struct rm_child *__c = (c); \
	struct per_proc_resource __r; \
	char __m[64]; \
	rm_read_marks(__c, __m, sizeof(__m)); \
	EXPECT_STREQ((expect), __m); \
	ASSERT_KILLED(rm_reap(__c)); \
	EXPECT_EQ(-EINVAL, rm_fetch(&__r, __c->pid)); \
	EXPECT_EQ(-ESRCH, rm_deregister(__c->pid)); \
} while (0)

#define EXPECT_SURVIVED_WITH(c, expect) do { \
	struct rm_child *__c = (c); \
	char __m[64]; \
	close(__c->go_w);	/* lets it finish */ \
	__c->go_w = -1; \
	rm_read_marks(__c, __m, sizeof(__m)); \
	EXPECT_STREQ((expect), __m); \
	ASSERT_EXITED_OK(rm_reap(__c)); \
} while (0)

/* ---- the kill log line (first test: before rate limiting can bite) ---- */

/* @comm names the process; @thread, if set, the thread that crosses. */
struct victim {
	const char *comm, *thread;
};

static void *cross_quotas(void *arg)
{
	const struct victim *v = arg;

	if (v->thread) {
		prctl(PR_SET_NAME, (unsigned long)v->thread, 0, 0, 0);
		rm_wait_go();
	}
	rm_open_open();
	rm_open_open();
	/* not a whole number of MiB: the line gives bytes */
	rm_map_private(2 * MIB + rm_page());
	return NULL;
}

static void named_victim(void *arg)
{
	const struct victim *v = arg;
	pthread_t th;

	prctl(PR_SET_NAME, (unsigned long)v->comm, 0, 0, 0);
	/* the worker (and its stack) exists before registration */
	if (v->thread && pthread_create(&th, NULL, cross_quotas, arg))
		_exit(10);
	rm_mark('r');
	if (v->thread) {
		pthread_join(th, NULL);
	} else {
		rm_wait_go();
		cross_quotas(arg);
	}
	rm_mark('X');
	_exit(0);
}

static int has_word(const char *s, const char *w)
{
	size_t n = strlen(w);
	const char *p = s;

	while ((p = strstr(p, w))) {
		if ((p == s || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[n]))
			return 1;
		p++;
	}
	return 0;
}

/* /dev/kmsg from now on, or -1. */
static int kmsg_open_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/*
 * Read the records logged since kmsg_open_at_end() and close @fd: the
 * number of them that contain every one of the NULL-terminated words.
 */
static int kmsg_count(int fd, const char * const *words)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char rec[1024];
	int found = 0, waits = 0, i;
	ssize_t n;

	/*
	 * The kernel edition logs before the crossing call returns; the eBPF
	 * edition's daemon a moment after the kill: while nothing matched yet,
	 * wait for more records, up to 2 s.
	 */
	for (;;) {
		while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || errno == EPIPE) {
			if (n <= 0)
				continue;
			rec[n] = '\0';
			for (i = 0; words[i] && has_word(rec, words[i]); i++)
				;
			found += !words[i];
		}
		if (found || waits++ >= 20 || poll(&p, 1, 100) < 0)
			break;
	}
	close(fd);
	return found;
}

/*
 * Kill @v under quotas (@heap, @files) and look for the log line, exactly
 * @fmt with the pid and the process's comm filled in: the same text on
 * both editions (resmon.rst).
 * The line is rate limited (a burst of 10 per 5 s): if it is missing,
 * wait out the window once and try again with a new victim.
 */
static void check_kill_log(struct __test_metadata *_metadata,
			   const struct victim *v, const char *fmt,
			   long heap, long files)
{
	int fd, found = 0, attempt;
	const char *line[2];
	char want[256];
	struct rm_child c;

	line[0] = want;
	line[1] = NULL;
	for (attempt = 0; attempt < 2 && !found; attempt++) {
		if (attempt)
			sleep(6);
		fd = kmsg_open_at_end();
		if (fd < 0)
			SKIP(return, "no /dev/kmsg");
		start_capped(_metadata, &c, named_victim, (void *)v,
			     heap, files);
		EXPECT_KILLED_AFTER(&c, "");
		snprintf(want, sizeof(want), fmt, c.pid, v->comm);
		found = kmsg_count(fd, line);
	}
	EXPECT_EQ(1, found) TH_LOG("want one log line \"%s\"", want);
}

/* Plain TESTs run first: before the other kills use up the burst. */
TEST(kill_log_names_pid_comm_files)
{
	const struct victim v = { .comm = "rm-victim-f" };

	check_kill_log(_metadata, &v,
		       "resmon: killed process %d (%s): files 2 over quota 1", -1, 1);
}

TEST(kill_log_names_pid_comm_heap)
{
	const struct victim v = { .comm = "rm-victim-h" };
	char fmt[128];

	/* 2 MiB + 1 page over a quota of 2 MiB */
	snprintf(fmt, sizeof(fmt),
		 "resmon: killed process %%d (%%s): heap %lu bytes over quota 2 MiB",
		 2 * MIB + rm_page());
	check_kill_log(_metadata, &v, fmt, 2, -1);
}

/* A renamed worker crosses: the line names the process, not the thread. */
TEST(kill_log_names_process_not_thread)
{
	const struct victim v = { .comm = "rm-victim-p", .thread = "rm-worker" };

	check_kill_log(_metadata, &v,
		       "resmon: killed process %d (%s): files 2 over quota 1", -1, 1);
}

/* ---- files: the Nth open survives, the N+1th kills ---- */

FIXTURE(file_quota) {
	struct rm_child c;
};

FIXTURE_VARIANT(file_quota) {
	int (*fn)(void);
	long quota;
};

FIXTURE_VARIANT_ADD(file_quota, open_3) { .fn = rm_open_open, .quota = 3 };
FIXTURE_VARIANT_ADD(file_quota, openat_3) { .fn = rm_open_openat, .quota = 3 };
FIXTURE_VARIANT_ADD(file_quota, openat2_3) { .fn = rm_open_openat2, .quota = 3 };
FIXTURE_VARIANT_ADD(file_quota, creat_3) { .fn = rm_open_creat, .quota = 3 };
FIXTURE_VARIANT_ADD(file_quota, o_path_3) { .fn = rm_open_path, .quota = 3 };
FIXTURE_VARIANT_ADD(file_quota, open_1) { .fn = rm_open_open, .quota = 1 };
FIXTURE_VARIANT_ADD(file_quota, open_0) { .fn = rm_open_open, .quota = 0 };

FIXTURE_SETUP(file_quota)
{
}

FIXTURE_TEARDOWN(file_quota)
{
}

static void opener(void *arg)
{
	FIXTURE_VARIANT(file_quota) const *v = arg;
	long i;

	rm_mark('r');
	rm_wait_go();
	for (i = 0; i <= v->quota; i++) {
		if (v->fn() < 0)
			_exit(10);
		rm_mark('a' + i);
	}
	_exit(0);
}

TEST_F(file_quota, last_open_within_quota_survives_next_kills)
{
	char expect[16] = "";
	long i;

	for (i = 0; i < variant->quota; i++)
		expect[i] = 'a' + i;
	start_capped(_metadata, &self->c, opener, (void *)variant, -1,
		     variant->quota);
	EXPECT_KILLED_AFTER(&self->c, expect);
	/* the record died with it */
	EXPECT_EQ(-ESRCH, rm_deregister(self->c.pid));
}

/* ---- heap: exactly Q MiB survives, one more page kills ---- */

enum heap_way { BY_MMAP, BY_BRK, BY_ONE_BIG_MMAP };

FIXTURE(heap_quota) {
	struct rm_child c;
};

FIXTURE_VARIANT(heap_quota) {
	enum heap_way way;
	long quota;
};

FIXTURE_VARIANT_ADD(heap_quota, mmap_2) { .way = BY_MMAP, .quota = 2 };
FIXTURE_VARIANT_ADD(heap_quota, mmap_0) { .way = BY_MMAP, .quota = 0 };
FIXTURE_VARIANT_ADD(heap_quota, brk_2) { .way = BY_BRK, .quota = 2 };
FIXTURE_VARIANT_ADD(heap_quota, brk_0) { .way = BY_BRK, .quota = 0 };
FIXTURE_VARIANT_ADD(heap_quota, one_big_mmap_2) {
	.way = BY_ONE_BIG_MMAP, .quota = 2 };

FIXTURE_SETUP(heap_quota)
{
}

FIXTURE_TEARDOWN(heap_quota)
{
}

static void grower(void *arg)
{
	FIXTURE_VARIANT(heap_quota) const *v = arg;
	const unsigned long q = v->quota * MIB, page = rm_page();
	unsigned long a0 = rm_page_align(rm_brk(0));

	if ((unsigned long)rm_brk(a0) != a0)
		_exit(9);
	rm_mark('r');
	rm_wait_go();
	switch (v->way) {
	case BY_MMAP:
		/* exactly the quota, in two steps */
		if (q) {
			if (rm_map_private(q - page) == MAP_FAILED)
				_exit(10);
			rm_mark('a');
			if (rm_map_private(page) == MAP_FAILED)
				_exit(11);
			rm_mark('b');
		}
		/* one byte more maps a page: over */
		rm_map_private(1);
		rm_mark('X');
		break;
	case BY_BRK:
		if (q) {
			if ((unsigned long)rm_brk(a0 + q - 1) != a0 + q - 1)
				_exit(10);
			rm_mark('a');
			if ((unsigned long)rm_brk(a0 + q) != a0 + q)
				_exit(11);
			rm_mark('b');
			/* shrink and regrow to the same size: over */
			if ((unsigned long)rm_brk(a0 + q - page) != a0 + q - page)
				_exit(12);
			rm_mark('c');
			rm_brk(a0 + q);
			rm_mark('X');
		} else {
			rm_brk(a0 + 1);
			rm_mark('X');
		}
		break;
	case BY_ONE_BIG_MMAP:
		rm_map_private(q + 1);
		rm_mark('X');
		break;
	}
	_exit(0);
}

TEST_F(heap_quota, exact_quota_survives_one_more_page_kills)
{
	const char *expect = "";

	if (variant->quota && variant->way == BY_MMAP)
		expect = "ab";
	if (variant->quota && variant->way == BY_BRK)
		expect = "abc";
	start_capped(_metadata, &self->c, grower, (void *)variant,
		     variant->quota, -1);
	EXPECT_KILLED_AFTER(&self->c, expect);
}

/* ---- the kill comes before the memory is faulted in ---- */

/*
 * Capped at 1 MiB, one call asks for 2 GiB (twice the guest's memory)
 * and for it to be populated: MAP_POPULATE, MAP_LOCKED, or a brk after
 * mlockall(MCL_FUTURE). The SIGKILL must be queued before the populate,
 * which then stops at once: the process's peak RSS stays near what it
 * was, and the OOM killer never runs. Overcommit is set to "always" for
 * the test so that the 2 GiB are not refused up front.
 */
#define POPULATE_LEN	(2048 * MIB)
#define OVERCOMMIT	"/proc/sys/vm/overcommit_memory"

enum populate_way { BY_MAP_POPULATE, BY_MAP_LOCKED, BY_BRK_MLOCKALL };

FIXTURE(populate) {
	char overcommit[8];
};

FIXTURE_VARIANT(populate) {
	enum populate_way way;
};

FIXTURE_VARIANT_ADD(populate, map_populate) { .way = BY_MAP_POPULATE };
FIXTURE_VARIANT_ADD(populate, map_locked) { .way = BY_MAP_LOCKED };
FIXTURE_VARIANT_ADD(populate, brk_mlockall) { .way = BY_BRK_MLOCKALL };

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

FIXTURE_SETUP(populate)
{
	int fd = open(OVERCOMMIT, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	ASSERT_LE(0, fd);
	n = read(fd, self->overcommit, sizeof(self->overcommit) - 1);
	close(fd);
	ASSERT_LT(0, n);
	self->overcommit[n] = '\0';
	ASSERT_EQ(0, write_file(OVERCOMMIT, "1"));
}

FIXTURE_TEARDOWN(populate)
{
	write_file(OVERCOMMIT, self->overcommit);
}

static void populater(void *arg)
{
	const enum populate_way *way = arg;
	unsigned long a0 = rm_page_align(rm_brk(0));
	struct rusage ru;
	long base;

	if ((unsigned long)rm_brk(a0) != a0)
		_exit(9);
	if (*way == BY_BRK_MLOCKALL && mlockall(MCL_FUTURE))
		_exit(10);
	rm_mark('r');
	rm_wait_go();
	if (getrusage(RUSAGE_SELF, &ru))
		_exit(11);
	base = ru.ru_maxrss;
	if (write(rm_mark_w, &base, sizeof(base)) != sizeof(base))
		_exit(12);
	switch (*way) {
	case BY_MAP_POPULATE:
		mmap(NULL, POPULATE_LEN, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		break;
	case BY_MAP_LOCKED:
		mmap(NULL, POPULATE_LEN, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
		break;
	case BY_BRK_MLOCKALL:
		rm_brk(a0 + POPULATE_LEN);
		break;
	}
	rm_mark('X');
	_exit(0);
}

TEST_F_TIMEOUT(populate, killed_before_faulting_in, 120)
{
	static const char * const oom[] = { "oom-kill", NULL };
	struct rusage ru;
	struct rm_child c;
	int kmsg, status;
	char m[16];
	long base;

	kmsg = kmsg_open_at_end();
	ASSERT_LE(0, kmsg);
	start_capped(_metadata, &c, populater, (void *)&variant->way, 1, -1);
	ASSERT_EQ(sizeof(base), read(c.mark_r, &base, sizeof(base)));
	rm_read_marks(&c, m, sizeof(m));
	EXPECT_STREQ("", m);
	close(c.go_w);
	close(c.mark_r);
	ASSERT_EQ(c.pid, wait4(c.pid, &status, 0, &ru));
	EXPECT_EQ(0, kmsg_count(kmsg, oom)) TH_LOG("the OOM killer ran");
	ASSERT_KILLED(status);
	/* ru_maxrss is in KiB: at most the 1 MiB quota and some slack more */
	EXPECT_GE(base + 16 * 1024, ru.ru_maxrss)
		TH_LOG("peak RSS %ld KiB, %ld KiB before the call",
		       ru.ru_maxrss, base);
}

/* ---- one resource unlimited, the other enforced ---- */

static void heap_then_files(void *arg)
{
	int i;

	rm_mark('r');
	rm_wait_go();
	if (rm_map_private(64 * MIB) == MAP_FAILED)
		_exit(10);
	rm_mark('a');
	if (rm_open_open() < 0)
		_exit(11);
	rm_mark('b');
	for (i = 0; i < 3; i++)
		rm_open_open();
	rm_mark('X');
	_exit(0);
}

TEST(unlimited_heap_limited_files)
{
	struct rm_child c;

	start_capped(_metadata, &c, heap_then_files, NULL, -1, 1);
	EXPECT_KILLED_AFTER(&c, "ab");
}

static void files_then_heap(void *arg)
{
	int i;

	rm_mark('r');
	rm_wait_go();
	for (i = 0; i < 200; i++)
		if (rm_open_openat() < 0)
			_exit(10);
	rm_mark('a');
	if (rm_map_private(MIB) == MAP_FAILED)
		_exit(11);
	rm_mark('b');
	rm_map_private(rm_page());
	rm_mark('X');
	_exit(0);
}

TEST(unlimited_files_limited_heap)
{
	struct rm_child c;

	start_capped(_metadata, &c, files_then_heap, NULL, 1, -1);
	EXPECT_KILLED_AFTER(&c, "ab");
}

/* ---- what does not count does not kill ---- */

static void uncounted_ops(void *arg)
{
	int fd, i;
	void *p;

	rm_mark('r');
	rm_wait_go();
	fd = rm_open_open();		/* the one allowed file */
	if (fd < 0)
		_exit(10);
	close(fd);			/* close gives nothing back */
	rm_mark('a');
	for (i = 0; i < 5; i++)		/* failed opens */
		if (open("/nonexistent/resmon", O_RDONLY) >= 0)
			_exit(11);
	rm_mark('b');
	p = rm_map_private(MIB);	/* the allowed MiB */
	if (p == MAP_FAILED)
		_exit(12);
	munmap(p, MIB);			/* munmap gives nothing back */
	rm_mark('c');
	if (mmap(NULL, 8 * MIB, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
		_exit(13);
	/* refused by 6.1 for anonymous memory; counted either way: no */
	mmap(NULL, 8 * MIB, PROT_READ | PROT_WRITE,
	     MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0);
	if (mmap(NULL, 1UL << 47, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != MAP_FAILED)
		_exit(15);
	rm_mark('d');
	/* the next file is one too many */
	rm_open_open();
	rm_mark('X');
	_exit(0);
}

TEST(failed_shared_and_closed_do_not_kill)
{
	struct rm_child c;

	start_capped(_metadata, &c, uncounted_ops, NULL, 1, 1);
	EXPECT_KILLED_AFTER(&c, "abcd");
}

/* ---- resource_cap on a process already over ---- */

static void over_then_wait(void *arg)
{
	const long *files = arg;
	long i;

	rm_mark('r');
	rm_wait_go();
	for (i = 0; i < *files; i++)
		if (rm_open_open() < 0)
			_exit(10);
	if (rm_map_private(2 * MIB) == MAP_FAILED)
		_exit(11);
	rm_mark('d');
	/* blocks until killed; if the pipe closes instead, fail */
	rm_wait_go();
	rm_mark('e');
	if (rm_open_open() < 0)
		_exit(12);
	rm_mark('X');
	_exit(0);
}

static void start_over(struct __test_metadata *_metadata, struct rm_child *c,
		       long *files)
{
	struct per_proc_resource r;

	ASSERT_LT(0, rm_spawn(c, over_then_wait, files));
	ASSERT_EQ('r', rm_read_mark(c));
	ASSERT_EQ(0, rm_register(c->pid));
	ASSERT_EQ(0, rm_go(c));
	ASSERT_EQ('d', rm_read_mark(c));
	FETCH(c->pid, r);
	ASSERT_EQ(*files, r.openfile_count);
	ASSERT_EQ(2, r.heapsize);
}

FIXTURE(cap_over) {
	struct rm_child c;
	long files;
};

FIXTURE_VARIANT(cap_over) {
	long heap_quota, file_quota;
};

FIXTURE_VARIANT_ADD(cap_over, files) { .heap_quota = -1, .file_quota = 2 };
FIXTURE_VARIANT_ADD(cap_over, files_zero) { .heap_quota = -1, .file_quota = 0 };
FIXTURE_VARIANT_ADD(cap_over, heap) { .heap_quota = 1, .file_quota = -1 };
FIXTURE_VARIANT_ADD(cap_over, heap_zero) { .heap_quota = 0, .file_quota = 100 };
FIXTURE_VARIANT_ADD(cap_over, both) { .heap_quota = 1, .file_quota = 1 };

FIXTURE_SETUP(cap_over)
{
	self->files = 3;
}

FIXTURE_TEARDOWN(cap_over)
{
}

TEST_F(cap_over, kills_target_not_caller)
{
	start_over(_metadata, &self->c, &self->files);
	/* the caller gets 0 and lives on; the target dies */
	ASSERT_EQ(0, rm_cap(self->c.pid, variant->heap_quota,
			    variant->file_quota));
	EXPECT_KILLED_AFTER(&self->c, "");
	/* the caller (this process) is not monitored and still here */
	EXPECT_EQ(-EINVAL, rm_fetch(NULL, getpid()));
}

/* At the quota exactly is not over: cap survives, one more open kills. */
TEST(cap_at_exact_usage_does_not_kill)
{
	struct rm_child c;
	long files = 3;
	struct per_proc_resource r;

	start_over(_metadata, &c, &files);
	ASSERT_EQ(0, rm_cap(c.pid, 2, 3));
	FETCH(c.pid, r);
	EXPECT_EQ(1, r.quotas_defined);
	EXPECT_EQ(3, r.openfile_count);
	ASSERT_EQ(0, rm_go(&c));
	EXPECT_KILLED_AFTER(&c, "e");
}

/* A process capping itself over its usage kills itself inside the call. */
static void cap_self(void *arg)
{
	rm_mark('r');
	rm_wait_go();
	if (rm_register(getpid()))
		_exit(10);
	if (rm_open_open() < 0 || rm_open_open() < 0)
		_exit(11);
	rm_mark('a');
	rm_cap(getpid(), -1, 1);
	rm_mark('X');
	_exit(0);
}

TEST(cap_self_over_kills_self)
{
	struct rm_child c;

	ASSERT_LT(0, rm_spawn(&c, cap_self, NULL));
	ASSERT_EQ('r', rm_read_mark(&c));
	ASSERT_EQ(0, rm_go(&c));
	EXPECT_KILLED_AFTER(&c, "a");
}

/* ---- reset and deregister lift enforcement ---- */

static void open_on_go(void *arg)
{
	int i;

	rm_mark('r');
	rm_wait_go();
	if (rm_open_open() < 0)
		_exit(10);
	rm_mark('a');
	rm_wait_go();
	for (i = 0; i < 5; i++)
		if (rm_open_open() < 0)
			_exit(11);
	if (rm_map_private(4 * MIB) == MAP_FAILED)
		_exit(12);
	rm_mark('b');
	/* stay alive until the parent is done looking */
	(void)!read(rm_go_r, &i, 1);
	_exit(0);
}

/* open_on_go capped at 1 MiB and 1 file, at its quota: it opened its one ('a'). */
static void start_at_quota(struct __test_metadata *_metadata, struct rm_child *c)
{
	start_capped(_metadata, c, open_on_go, NULL, 1, 1);
	ASSERT_EQ('a', rm_read_mark(c));
}

TEST(reset_lifts_quotas)
{
	struct rm_child c;
	struct per_proc_resource r;

	start_at_quota(_metadata, &c);
	ASSERT_EQ(0, rm_reset(c.pid));
	/* quotas lifted at once, totals kept */
	FETCH(c.pid, r);
	EXPECT_EQ(1, r.openfile_count);
	EXPECT_EQ(-1, r.heap_quota);
	EXPECT_EQ(-1, r.file_quota);
	EXPECT_EQ(0, r.quotas_defined);
	ASSERT_EQ(0, rm_go(&c));
	ASSERT_EQ('b', rm_read_mark(&c));
	FETCH(c.pid, r);
	EXPECT_EQ(6, r.openfile_count);
	EXPECT_EQ(4, r.heapsize);
	EXPECT_EQ(0, r.quotas_defined);
	EXPECT_SURVIVED_WITH(&c, "");
}

TEST(deregister_lifts_quotas)
{
	struct per_proc_resource r;
	struct rm_child c;

	start_at_quota(_metadata, &c);
	ASSERT_EQ(0, rm_deregister(c.pid));
	EXPECT_EQ(-EINVAL, rm_fetch(&r, c.pid));
	ASSERT_EQ(0, rm_go(&c));
	EXPECT_SURVIVED_WITH(&c, "b");
}

/* Re-capping after a reset below current usage kills at once. */
TEST(recap_after_reset_below_usage_kills)
{
	struct rm_child c;

	start_at_quota(_metadata, &c);
	ASSERT_EQ(0, rm_reset(c.pid));
	ASSERT_EQ(0, rm_cap(c.pid, -1, 0));
	EXPECT_KILLED_AFTER(&c, "");
}

int main(int argc, char **argv)
{
	return rm_test_main(argc, argv);
}
