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
#include <stdio.h>

/* Start @fn in a child, wait for its 'r', register it and cap it. */
static void start_capped(struct __test_metadata *_metadata, struct rm_child *c,
			 void (*fn)(void *), void *arg, long heap, long files)
{
	struct per_proc_resource r;

	ASSERT_LT(0, rm_spawn(c, fn, arg));
	ASSERT_EQ('r', rm_read_mark(c));
	ASSERT_EQ(0, resmon_register(c->pid));
	ASSERT_EQ(0, resmon_cap(c->pid, heap, files));
	FETCH(c->pid, r);
	ASSERT_EQ(0, r.heapsize);
	ASSERT_EQ(0, r.openfile_count);
	ASSERT_EQ(1, r.quotas_defined);
	ASSERT_EQ(0, rm_go(c));
}

/* Read all markers, reap, and check it was SIGKILLed after @expect. */
#define EXPECT_KILLED_AFTER(c, expect) do { \
	struct rm_child *__c = (c); \
	char __m[64]; \
	rm_read_marks(__c, __m, sizeof(__m)); \
	EXPECT_STREQ((expect), __m); \
	ASSERT_KILLED(rm_reap(__c)); \
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

static void named_victim(void *arg)
{
	prctl(PR_SET_NAME, (unsigned long)arg, 0, 0, 0);
	rm_mark('r');
	rm_wait_go();
	rm_open_open();
	rm_open_open();
	rm_map_private(2 * MIB);
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

/*
 * Kill @comm under quotas (@heap, @files) and look for the log line.
 * The line is rate limited (a burst of 10 per 5 s): if it is missing,
 * wait out the window once and try again with a new victim.
 */
static void check_kill_log(struct __test_metadata *_metadata,
			   const char *comm, const char *what,
			   long heap, long files)
{
	char rec[1024], pid[16];
	int fd, found = 0, attempt;
	struct rm_child c;
	ssize_t n;

	for (attempt = 0; attempt < 2 && !found; attempt++) {
		if (attempt)
			sleep(6);
		fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			SKIP(return, "no /dev/kmsg");
		lseek(fd, 0, SEEK_END);
		start_capped(_metadata, &c, named_victim, (void *)comm,
			     heap, files);
		EXPECT_KILLED_AFTER(&c, "");
		snprintf(pid, sizeof(pid), "%d", c.pid);
		while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 ||
		       errno == EPIPE) {
			if (n <= 0)
				continue;
			rec[n] = '\0';
			if (strstr(rec, "resmon") && has_word(rec, pid) &&
			    strstr(rec, comm) && strstr(rec, what))
				found++;
		}
		close(fd);
	}
	EXPECT_EQ(1, found) TH_LOG("want one log line naming %s (%s) and %s",
				   pid, comm, what);
}

/* Plain TESTs run first: before the other kills use up the burst. */
TEST(kill_log_names_pid_comm_files)
{
	check_kill_log(_metadata, "rm-victim-f", "file", -1, 1);
}

TEST(kill_log_names_pid_comm_heap)
{
	check_kill_log(_metadata, "rm-victim-h", "heap", 1, -1);
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
	EXPECT_EQ(-ESRCH, resmon_deregister(self->c.pid));
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

/* ---- one resource unlimited, the other enforced ---- */

static void heap_then_files(void *arg)
{
	int i;

	rm_mark('r');
	rm_wait_go();
	if (rm_map_private(16 * MIB) == MAP_FAILED)
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
	for (i = 0; i < 40; i++)
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
	ASSERT_EQ(0, resmon_register(c->pid));
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
	ASSERT_EQ(0, resmon_cap(self->c.pid, variant->heap_quota,
				variant->file_quota));
	EXPECT_KILLED_AFTER(&self->c, "");
	/* the caller (this process) is not monitored and still here */
	EXPECT_EQ(-EINVAL, resmon_fetch(NULL, getpid()));
}

/* At the quota exactly is not over: cap survives, one more open kills. */
TEST(cap_at_exact_usage_does_not_kill)
{
	struct rm_child c;
	long files = 3;
	struct per_proc_resource r;

	start_over(_metadata, &c, &files);
	ASSERT_EQ(0, resmon_cap(c.pid, 2, 3));
	FETCH(c.pid, r);
	EXPECT_EQ(1, r.quotas_defined);
	ASSERT_EQ(0, rm_go(&c));
	EXPECT_KILLED_AFTER(&c, "e");
}

/* A process capping itself over its usage kills itself inside the call. */
static void cap_self(void *arg)
{
	rm_mark('r');
	rm_wait_go();
	if (resmon_register(getpid()))
		_exit(10);
	if (rm_open_open() < 0 || rm_open_open() < 0)
		_exit(11);
	rm_mark('a');
	resmon_cap(getpid(), -1, 1);
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

TEST(reset_lifts_quotas)
{
	struct rm_child c;
	struct per_proc_resource r;

	start_capped(_metadata, &c, open_on_go, NULL, 1, 1);
	ASSERT_EQ('a', rm_read_mark(&c));
	ASSERT_EQ(0, resmon_reset(c.pid));
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
	struct rm_child c;

	start_capped(_metadata, &c, open_on_go, NULL, 1, 1);
	ASSERT_EQ('a', rm_read_mark(&c));
	ASSERT_EQ(0, resmon_deregister(c.pid));
	ASSERT_EQ(0, rm_go(&c));
	EXPECT_SURVIVED_WITH(&c, "b");
}

/* Re-capping after a reset below current usage kills at once. */
TEST(recap_after_reset_below_usage_kills)
{
	struct rm_child c;

	start_capped(_metadata, &c, open_on_go, NULL, 1, 1);
	ASSERT_EQ('a', rm_read_mark(&c));
	ASSERT_EQ(0, resmon_reset(c.pid));
	ASSERT_EQ(0, resmon_cap(c.pid, -1, 0));
	EXPECT_KILLED_AFTER(&c, "");
}

int main(int argc, char **argv)
{
	return rm_test_main(argc, argv);
}
