// SPDX-License-Identifier: GPL-2.0
/*
 * resmon when memory runs out: register with its allocation failing.
 *
 * Uses the kernel's fault injection (CONFIG_FAILSLAB with
 * CONFIG_FAULT_INJECTION_DEBUG_FS): a number N written to
 * /proc/thread-self/fail-nth makes the Nth injection point this thread
 * meets fail. register runs with N = 1, 2, ... until it meets fewer than N
 * points and succeeds. Every call that failed must have returned -ENOMEM
 * (the fifth check of register in resmon.rst) and left no record behind;
 * kmemleak on the debug kernel sees that nothing leaked.
 *
 * Needs a kernel with those options, such as make check's default debug
 * kernel; elsewhere the test is skipped, unless RESMON_FAULT_INJECTION is
 * "required" (check.sh sets it for the debug kernel), which turns a missing
 * knob into a failure.
 */

#include "resmon_helpers.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

#define FAILSLAB	"/sys/kernel/debug/failslab/"
#define FAIL_NTH	"/proc/thread-self/fail-nth"
/* More than register could ever meet: the loop must end before this. */
#define MAX_NTH		64

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -EIO;
}

static long read_long(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

static bool required(void)
{
	const char *s = getenv("RESMON_FAULT_INJECTION");

	return s && !strcmp(s, "required");
}

/* Whether our process has a line in /proc/resmon. */
static bool listed(pid_t pid)
{
	struct rm_proc_line l[64];

	return rm_find_proc_line(l, rm_read_proc_resmon(l, 64), pid) >= 0;
}

/*
 * A failslab knob left changed by a failed assertion does no harm: with
 * its probability at 0, failslab fails only what fail-nth asks for.
 */
TEST(register_fails_cleanly)
{
	const pid_t me = getpid();
	struct per_proc_resource r;
	int nth, failed = 0;
	bool injected;
	long ret = -1;
	char num[16];

	if (access(FAIL_NTH, W_OK) || access(FAILSLAB "ignore-gfp-wait", W_OK)) {
		ASSERT_FALSE(required())
			TH_LOG("no fault injection (" FAIL_NTH ", " FAILSLAB ")");
		SKIP(return, "kernel without CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_DEBUG_FS");
	}
	/* GFP_KERNEL allocations too, and no stack dump per failure. */
	ASSERT_EQ(0, write_str(FAILSLAB "ignore-gfp-wait", "N"));
	ASSERT_EQ(0, write_str(FAILSLAB "verbose", "0"));

	for (nth = 1; nth <= MAX_NTH; nth++) {
		snprintf(num, sizeof(num), "%d", nth);
		ASSERT_EQ(0, write_str(FAIL_NTH, num));
		ret = rm_register(me);
		/* 0 left: the nth point was met, and failed */
		injected = read_long(FAIL_NTH) == 0;
		ASSERT_EQ(0, write_str(FAIL_NTH, "0"));
		if (!ret)
			break;
		ASSERT_EQ(-ENOMEM, ret) TH_LOG("fail-nth %d", nth);
		ASSERT_TRUE(injected);
		failed++;
		/* Nothing of the failed call is left. */
		EXPECT_EQ(-EINVAL, rm_fetch(&r, me));
		EXPECT_EQ(-ESRCH, rm_deregister(me));
		EXPECT_FALSE(listed(me));
	}
	ASSERT_EQ(0, write_str(FAILSLAB "ignore-gfp-wait", "Y"));
	ASSERT_EQ(0, ret) TH_LOG("register still failing at fail-nth %d", MAX_NTH);
	/*
	 * The allocation really was in the way, and a retry starts afresh:
	 * its only opens are the three since: fail-nth read and reset, and
	 * the failslab knob put back. Unless register met no nth point at all
	 * (UML: no text patching for the static key): then the point still
	 * pending failed the open of the fail-nth read, and two are left.
	 */
	EXPECT_LE(1, failed);
	FETCH(me, r);
	EXPECT_EQ(me, r.pid);
	EXPECT_EQ(0, r.heapsize);
	EXPECT_EQ(injected ? 3 : 2, r.openfile_count);
	EXPECT_EQ(-1, r.heap_quota);
	EXPECT_EQ(-1, r.file_quota);
	EXPECT_EQ(0, r.quotas_defined);
	EXPECT_TRUE(listed(me));
	ASSERT_EQ(0, rm_deregister(me));
	ksft_print_msg("register failed with -ENOMEM at %d injection point(s), then succeeded\n",
		       failed);
}

int main(int argc, char **argv)
{
	return rm_test_main(argc, argv);
}
