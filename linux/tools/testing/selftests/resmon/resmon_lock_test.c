// SPDX-License-Identifier: GPL-2.0
/*
 * resmon's registry lock (resmon.rst, Concurrency and cost): every monitored
 * process takes it at exit, so no call may hold it while it can be kept
 * off the CPU; records never share a cache line; /proc/resmon read in
 * small pieces sees every record once.
 *
 * exit_not_stalled_by_preempted_register: a registrar on CPU 0 loops
 * register/deregister and is preempted every 0.3 s, at a random point, by
 * a SCHED_FIFO spinner that then keeps CPU 0 for 0.3 s: a call that
 * cannot run. Meanwhile monitored processes exit on the last CPU. If a
 * call holds a sleeping lock that exit needs (it can be preempted inside
 * it), some exit waits for the spinner to let the registrar run again.
 * With a spinlock the holder cannot be preempted and exits never wait.
 * The preemption needs a preemptible kernel (CONFIG_PREEMPT, as on the
 * debug kernel of make check); with PREEMPT_NONE the old mutex was never
 * preempted either, and the test passes there on old and new kernels.
 */

#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/prctl.h>

#include "resmon_helpers.h"

#define SLAB_DIR	"/sys/kernel/slab/resmon_record/"

/* No state: a fixture only for TEST_F_TIMEOUT's longer timeouts. */
FIXTURE(slow) {};
FIXTURE_SETUP(slow) {}
FIXTURE_TEARDOWN(slow) {}

static long read_slab_attr(const char *name)
{
	char path[128], buf[64] = "";
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), SLAB_DIR "%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		v = strtol(buf, NULL, 10);
	fclose(f);
	return v;
}

static long cache_line(void)
{
	long l = sysconf(_SC_LEVEL1_DCACHE_LINESIZE);

	return l > 0 ? l : 64;
}

/*
 * Records come from a cache of their own whose objects start on a cache
 * line and take whole lines, so two processes' counters (written by all
 * their threads) never share one.
 */
TEST(records_own_their_cache_lines)
{
	long line = cache_line();
	long align = read_slab_attr("align");
	long slab_size = read_slab_attr("slab_size");
	long object_size = read_slab_attr("object_size");

	ASSERT_LT(0, align) TH_LOG("no slab cache " SLAB_DIR);
	ASSERT_LT(0, slab_size);
	ASSERT_LT(0, object_size);
	ksft_print_msg("resmon_record: object %ld bytes, slot %ld, align %ld, line %ld\n",
		       object_size, slab_size, align, line);
	fflush(stdout);	/* the harness's child ends with _exit() */
	EXPECT_EQ(0, align % line);
	EXPECT_EQ(0, slab_size % line);
	EXPECT_EQ(0, object_size % line);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/* CPU 0, lowest priority: register and deregister itself for ever. */
static void registrar(void)
{
	struct sched_param sp = { 0 };

	if (pin(0) || sched_setscheduler(0, SCHED_IDLE, &sp))
		_exit(30);
	for (;;) {
		if (rm_register(getpid()) || rm_deregister(getpid()))
			_exit(31);
	}
}

/*
 * CPU 0, real time: leave the CPU for 1 ms, then keep it for SPIN_S (RT
 * throttling gives the others 50 ms a second anyway). Long, so that an
 * exit waiting for the preempted registrar takes far longer than a vCPU
 * the host deschedules for a while (TCG on a loaded machine: 275 ms).
 */
#define SPIN_S		0.9
static void spinner(void)
{
	struct sched_param sp = { .sched_priority = 1 };
	struct timespec gap = { 0, 1000000 };
	double t;

	if (pin(0) || sched_setscheduler(0, SCHED_FIFO, &sp))
		_exit(40);
	for (;;) {
		nanosleep(&gap, NULL);
		for (t = now_s(); now_s() - t < SPIN_S;)
			;
	}
}

/* A helper that dies with the test, should an assertion end it early. */
static pid_t start(void (*fn)(void))
{
	pid_t pid = fork();

	if (pid == 0) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL))
			_exit(29);
		fn();
		_exit(0);
	}
	return pid;
}

/*
 * Monitored processes, registered before the registrar starts, exit one
 * every STALL_RUN_S / STALL_EXITS seconds: spread over a dozen spinner
 * periods, each exit comes at a moment the registrar is as likely as ever
 * to be preempted inside register. With a lock register holds and exit
 * takes, that is a good part of them.
 */
#define STALL_RUN_S	12.0
#define STALL_EXITS	120
/* Exits take well under 10 ms here; a stall is most of the spinner's 900 ms. */
#define STALL_LIMIT_S	0.45

TEST_F_TIMEOUT(slow, exit_not_stalled_by_preempted_register, 120)
{
	int ncpu = sysconf(_SC_NPROCESSORS_ONLN), exits, slow = 0;
	struct timespec gap = { 0, (long)(STALL_RUN_S / STALL_EXITS * 1e9) };
	static struct rm_child c[STALL_EXITS];
	double t0, t1, worst = 0;
	pid_t reg, spin;

	if (geteuid() != 0)
		SKIP(return, "needs root (SCHED_FIFO)");
	if (ncpu < 2)
		SKIP(return, "needs two CPUs (SMP=2)");
	/* Us and the exiting processes on the last CPU, away from CPU 0. */
	ASSERT_EQ(0, pin(ncpu - 1));
	for (exits = 0; exits < STALL_EXITS; exits++) {
		ASSERT_LT(0, rm_spawn(&c[exits], rm_idle, NULL));
		ASSERT_EQ('r', rm_read_mark(&c[exits]));
		ASSERT_EQ(0, rm_register(c[exits].pid));
	}
	reg = start(registrar);
	ASSERT_LT(0, reg);
	spin = start(spinner);
	ASSERT_LT(0, spin);

	for (exits = 0; exits < STALL_EXITS; exits++) {
		nanosleep(&gap, NULL);
		t0 = now_s();
		rm_go(&c[exits]);
		ASSERT_EXITED_OK(rm_reap(&c[exits]));
		t1 = now_s() - t0;
		if (t1 > worst)
			worst = t1;
		if (t1 > STALL_LIMIT_S)
			slow++;
	}
	kill(spin, SIGKILL);
	kill(reg, SIGKILL);
	waitpid(spin, NULL, 0);
	waitpid(reg, NULL, 0);
	ksft_print_msg("%d monitored exits, %d over %.0f ms, worst %.1f ms\n",
		       exits, slow, STALL_LIMIT_S * 1e3, worst * 1e3);
	fflush(stdout);
	EXPECT_EQ(0, slow)
		TH_LOG("an exit waited for a preempted register/deregister");
}

/*
 * register racing with the exit of its target, from several CPUs: every
 * call answers 0 or -ESRCH (or -ENFILE against a sibling registrar), and
 * no record outlives its process.
 */
#define RACE_ROUNDS	400
#define RACE_REGISTRARS	3

static pid_t *race_target;

static void race_registrar(void)
{
	long r;
	pid_t last = 0, t;

	for (;;) {
		t = __atomic_load_n(race_target, __ATOMIC_ACQUIRE);
		if (t < 0)
			_exit(0);
		if (!t || t == last)
			continue;
		r = rm_register(t);
		if (r && r != -ESRCH && r != -ENFILE)
			_exit(50);
		last = t;
	}
}

TEST_F_TIMEOUT(slow, register_races_exit, 300)
{
	struct rm_proc_line l[64];
	struct per_proc_resource st;
	pid_t regs[RACE_REGISTRARS];
	int i, status, n;

	race_target = mmap(NULL, rm_page(), PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, race_target);
	__atomic_store_n(race_target, 0, __ATOMIC_RELEASE);
	for (i = 0; i < RACE_REGISTRARS; i++) {
		regs[i] = start(race_registrar);
		ASSERT_LT(0, regs[i]);
	}
	for (i = 0; i < RACE_ROUNDS; i++) {
		pid_t c = fork();

		ASSERT_LE(0, c);
		if (c == 0) {
			/* Live for a moment, so some registers win. */
			for (n = 0; n < (i % 7) * 1000; n++)
				__asm__ volatile("" ::: "memory");
			_exit(0);
		}
		__atomic_store_n(race_target, c, __ATOMIC_RELEASE);
		ASSERT_EQ(c, waitpid(c, &status, 0));
		ASSERT_EXITED_OK(status);
		/* Reaped: its pid names nothing, monitored or not. */
		EXPECT_EQ(-EINVAL, rm_fetch(&st, c));
	}
	__atomic_store_n(race_target, -1, __ATOMIC_RELEASE);
	for (i = 0; i < RACE_REGISTRARS; i++) {
		ASSERT_EQ(regs[i], waitpid(regs[i], &status, 0));
		ASSERT_EXITED_OK(status);
	}
	/* No record left behind by a register that lost the race. */
	n = rm_read_proc_resmon(l, 64);
	EXPECT_EQ(0, n);
}

/*
 * /proc/resmon read 7 bytes at a time while records come and go: every
 * line whole, no process twice, registration order, and every record
 * that lived through the whole read listed.
 */
#define CHURN_KIDS	60

TEST_F_TIMEOUT(slow, proc_small_reads_see_each_record_once, 120)
{
	struct rm_child kids[CHURN_KIDS];
	pid_t pids[CHURN_KIDS];
	static char buf[1 << 16];
	int i, fd, seen[CHURN_KIDS] = { 0 }, lines = 0, last = -1;
	size_t len = 0;
	ssize_t n;
	char *p, *nl;

	for (i = 0; i < CHURN_KIDS; i++) {
		ASSERT_LT(0, rm_spawn(&kids[i], rm_idle, NULL));
		ASSERT_EQ('r', rm_read_mark(&kids[i]));
		ASSERT_EQ(0, rm_register(kids[i].pid));
		pids[i] = kids[i].pid;
	}
	fd = open("/proc/resmon", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	/* The odd kids exit while we read; the even ones live through. */
	for (i = 0; (n = read(fd, buf + len, 7)) > 0; i++) {
		len += n;
		ASSERT_GT(sizeof(buf) - 8, len);
		if (i % 5 == 0 && i / 5 * 2 + 1 < CHURN_KIDS) {
			struct rm_child *k = &kids[i / 5 * 2 + 1];

			rm_go(k);
			ASSERT_EXITED_OK(rm_reap(k));
		}
	}
	ASSERT_EQ(0, n);
	buf[len] = '\0';
	close(fd);

	for (p = buf; (nl = strchr(p, '\n')); p = nl + 1, lines++) {
		struct rm_proc_line l;
		int k;

		k = sscanf(p, "%d %lu %lu %ld %ld %d", &l.pid, &l.heap, &l.files,
			   &l.hq, &l.fq, &l.defined);
		ASSERT_EQ(6, k) TH_LOG("torn line: %.40s", p);
		for (k = 0; k < CHURN_KIDS && pids[k] != l.pid; k++)
			;
		ASSERT_GT(CHURN_KIDS, k) TH_LOG("pid %d is none of ours", l.pid);
		if (k >= CHURN_KIDS)
			break;
		EXPECT_EQ(0, seen[k]) TH_LOG("pid %d listed twice", l.pid);
		EXPECT_LT(last, k) TH_LOG("pid %d out of order", l.pid);
		seen[k]++;
		last = k;
	}
	EXPECT_EQ(len, (size_t)(p - buf)) TH_LOG("last line unterminated");
	for (i = 0; i < CHURN_KIDS; i += 2) {
		pid_t kid = pids[i];

		EXPECT_EQ(1, seen[i]) TH_LOG("kid %d (pid %d) missing", i, kid);
	}
	for (i = 0; i < CHURN_KIDS; i += 2) {
		rm_go(&kids[i]);
		ASSERT_EXITED_OK(rm_reap(&kids[i]));
	}
	ksft_print_msg("%d lines in %zu bytes\n", lines, len);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	return rm_test_main(argc, argv);
}
