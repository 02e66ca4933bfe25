// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * resmon_bench - will-it-scale style micro-benchmarks of the paths resmon hooks.
 *
 * Runs inside the test VM (bench/run.sh boots one fresh VM per case). The loops:
 *
 *   open1  open(O_RDWR) + close of a file on tmpfs        (one op = open + close)
 *   brk1   brk() the break up one page, then back down    (one op = up + down)
 *   mmap1  mmap 128 KiB private anonymous, then munmap    (one op = mmap + munmap)
 *   mprotect1  a 256 KiB private anonymous writable mapping made PROT_READ, then
 *          PROT_READ|PROT_WRITE again: VmData goes down and up (one op = both calls)
 *   touch1 mmap 256 KiB private anonymous, write one byte in each page, munmap
 *          (one op = all of it: the mmap, 64 page faults, the munmap)
 *   fetch  resmon_fetch() of the process itself            (one op = one call)
 *   spawn1 fork(); the child _exit(0)s at once; waitpid()   (one op = all three)
 *   spawnexec1  fork(); the child executes this program again, which exits first
 *          thing in main() (EXIT_NOW_ARG); waitpid()        (one op = all of it)
 *
 * The spawn loops measure what a job adds to process creation and exit: nothing for a
 * process in no job, a check at fork for a member of a job without tree, and joining
 * and leaving the job for every child of a tree job's member (--job-tree).
 *
 * Single mode (the default) times many short windows: each window runs K ops back to
 * back between two clock_gettime(CLOCK_MONOTONIC) calls, K chosen so that a window lasts
 * about --window-ns (default 1 ms, a quarter of a timer tick at HZ=250). A window in
 * which CLOCK_MONOTONIC_COARSE moved had a timer tick (and its softirqs) in it and is
 * set aside; the figure is the mean over the others ("clean" windows), so every
 * allocator slow path the loop itself causes is counted at its real rate, while the
 * interrupts are not. The minimum and the median over all windows are printed too.
 * Under QEMU -icount shift=0 guest time counts instructions.
 *
 * Address-space randomization is switched off (personality ADDR_NO_RANDOMIZE, then the
 * program re-executes itself; --aslr keeps it): where brk and mmap land decides the
 * shape of the maple tree the loops work on, and with it moved brk1 and mmap1 between
 * two modes up to 1.6% apart from one boot to the next on the same kernel.
 *
 * SMP mode (--threads T or --procs P) runs the loop in T threads of this process or in
 * P processes for --duration ms, --rounds times, and reports the best round's throughput.
 *
 * Setup options: --others N forks N idle processes (blocked in read() on a pipe) before
 * anything else; --monitor-others registers each; --monitor registers this process (each
 * worker process in --procs mode); --quota also caps it with quotas that are never
 * reached; --monitored-before and --monitor-parent set up the static key's two other
 * states (see key_setup()); --job-data puts this process in a job (the second layer)
 * with a data limit that is never reached, as `resmon run --no-tree --data` would, and
 * --job-tree the same as a tree job, as `resmon run --data` does (its children join
 * it). Every resmon call goes through libresmon, so the same binary
 * measures the kernel edition (system calls) and the eBPF edition (resmond's socket);
 * where neither is there, the library fails with ENOSYS and the benchmark says so.
 *
 * Output: one machine-readable line per result, "key=value" pairs:
 *   SPAWN others=N monitored=0|1 fork_s=... register_s=... register_slab_kib=...
 *          (the growth of kernel slab memory while the N were registered)
 *   RESULT tag=... loop=open1 mode=single workers=1 ns_per_op=(clean mean)
 *          min_ns_per_op=... median_ns_per_op=... clean_windows=C windows=W
 *          ops_per_window=K aslr=0|1
 *   RESULT tag=... loop=open1 mode=threads|procs workers=T ns_per_op=... ops_per_s=...
 *          (ns_per_op = wall time x workers / ops: the cost of one op on one worker)
 *   JOB tag=... data_now=... data_peak=... data_limit=... heap_total=... opens_total=...
 *          members_ever=... tree=0|1  (--job-data, --job-tree: the job's usage after
 *          the loops; in a tree job the spawn loops' children are in members_ever)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* libresmon: both editions through one API (linked statically) */
#include "resmon.h"

#define MMAP1_LEN	(128 * 1024)
#define MPROTECT1_LEN	(256 * 1024)
#define TOUCH1_LEN	(256 * 1024)
/* Quotas that no loop can reach: 2^40 MiB of heap (heap_quota x 2^20 must fit in a
 * signed 64-bit byte count) and 2^62 opens. */
#define UNREACHABLE_HEAP_MIB	(1L << 40)
#define UNREACHABLE_FILES	(1L << 62)
/* --job-data: a data limit no loop comes near (1 TiB), the figure the peers get too. */
#define UNREACHABLE_DATA_BYTES	(1ULL << 40)
/* argv[1] of spawnexec1's child: exit before anything else (no ASLR re-exec, no options). */
#define EXIT_NOW_ARG		"--spawnexec1-child"

enum loop { L_OPEN1, L_BRK1, L_MMAP1, L_MPROTECT1, L_TOUCH1, L_FETCH, L_SPAWN1, L_SPAWNEXEC1,
	    L_NR };
static const char *const loop_names[L_NR] = {
	"open1", "brk1", "mmap1", "mprotect1", "touch1", "fetch", "spawn1", "spawnexec1"
};

static struct {
	const char *tag;
	int loops[L_NR], nloops;
	int monitor, quota, monitor_others, monitored_before, monitor_parent;
	int job_data, job_tree;
	long others;
	int threads, procs;
	int windows;
	long window_ns;
	long ops;		/* fixed ops per window, 0 = calibrate */
	long duration_ms;
	int rounds;
	int aslr;
} opt = {
	.tag = "-", .windows = 300, .window_ns = 1000000, .duration_ms = 500, .rounds = 5,
};

static void die(const char *what)
{
	fprintf(stderr, "resmon_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Advances only when the timer tick updates timekeeping (every 4 ms at HZ=250). */
static long coarse_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ---- per-worker state and the loops ---------------------------------------------- */

struct worker {
	enum loop loop;
	char path[64];			/* open1: this worker's file */
	unsigned long brk_base;		/* brk1: break to return to */
	void *map;			/* mprotect1: the mapping it flips */
	pid_t pid;			/* fetch: whom to fetch */
	char exe[PATH_MAX];		/* spawnexec1: this program */
};

static void worker_setup(struct worker *w, enum loop loop, int idx)
{
	int fd;

	w->loop = loop;
	w->pid = getpid();
	if (loop == L_OPEN1) {
		snprintf(w->path, sizeof(w->path), "/tmp/resmon_bench.%d.%d", (int)getpid(), idx);
		fd = open(w->path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (fd < 0)
			die(w->path);
		close(fd);
	} else if (loop == L_BRK1) {
		w->brk_base = syscall(SYS_brk, 0UL);
	} else if (loop == L_SPAWNEXEC1) {
		ssize_t n = readlink("/proc/self/exe", w->exe, sizeof(w->exe) - 1);

		if (n < 0)
			die("spawnexec1: readlink /proc/self/exe");
		w->exe[n] = '\0';
	} else if (loop == L_MPROTECT1) {
		/* Never touched: the loop measures the protection change, not faults. */
		w->map = mmap(NULL, MPROTECT1_LEN, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (w->map == MAP_FAILED)
			die("mprotect1: mmap");
	}
}

static void worker_teardown(struct worker *w)
{
	if (w->loop == L_OPEN1)
		unlink(w->path);
	else if (w->loop == L_MPROTECT1)
		munmap(w->map, MPROTECT1_LEN);
}

static __attribute__((noinline)) void run_open1(struct worker *w, long n)
{
	while (n--) {
		int fd = open(w->path, O_RDWR);

		if (fd < 0)
			die("open1: open");
		close(fd);
	}
}

static __attribute__((noinline)) void run_brk1(struct worker *w, long n)
{
	unsigned long up = w->brk_base + 4096;

	while (n--) {
		if ((unsigned long)syscall(SYS_brk, up) != up) {
			errno = ENOMEM;
			die("brk1: brk up");
		}
		syscall(SYS_brk, w->brk_base);
	}
}

static __attribute__((noinline)) void run_mmap1(struct worker *w, long n)
{
	(void)w;
	while (n--) {
		void *p = mmap(NULL, MMAP1_LEN, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			die("mmap1: mmap");
		munmap(p, MMAP1_LEN);
	}
}

/* The whole mapping each time, so no call splits or merges a VMA. */
static __attribute__((noinline)) void run_mprotect1(struct worker *w, long n)
{
	while (n--) {
		if (mprotect(w->map, MPROTECT1_LEN, PROT_READ))
			die("mprotect1: mprotect PROT_READ");
		if (mprotect(w->map, MPROTECT1_LEN, PROT_READ | PROT_WRITE))
			die("mprotect1: mprotect PROT_READ|PROT_WRITE");
	}
}

/*
 * What a program that really uses its memory does: the faults and the freeing of
 * the pages dominate, so a data check in mmap is a small part of it (and a memory
 * cgroup's charge per page a larger one).
 */
static __attribute__((noinline)) void run_touch1(struct worker *w, long n)
{
	long page = sysconf(_SC_PAGESIZE);

	(void)w;
	while (n--) {
		volatile char *p = mmap(NULL, TOUCH1_LEN, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		long off;

		if (p == MAP_FAILED)
			die("touch1: mmap");
		for (off = 0; off < TOUCH1_LEN; off += page)
			p[off] = 1;
		munmap((void *)p, TOUCH1_LEN);
	}
}

static __attribute__((noinline)) void run_fetch(struct worker *w, long n)
{
	struct per_proc_resource st;

	while (n--)
		if (resmon_fetch(w->pid, &st) != 0)
			die("fetch: resmon_fetch (is this process monitored? --monitor)");
}

/* One child reaped; it must have exited 0 (a failed exec is not a spawn). */
static void reap(pid_t pid, const char *what)
{
	int st;

	if (pid < 0)
		die(what);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die(what);
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "resmon_bench: %s: the child ended with status %#x\n", what, st);
		exit(1);
	}
}

static __attribute__((noinline)) void run_spawn1(struct worker *w, long n)
{
	(void)w;
	while (n--) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		reap(pid, "spawn1: fork");
	}
}

static __attribute__((noinline)) void run_spawnexec1(struct worker *w, long n)
{
	char *argv[] = { w->exe, EXIT_NOW_ARG, NULL }, *envp[] = { NULL };

	while (n--) {
		pid_t pid = fork();

		if (pid == 0) {
			execve(w->exe, argv, envp);
			_exit(127);
		}
		reap(pid, "spawnexec1: fork + exec");
	}
}

static void run_ops(struct worker *w, long n)
{
	switch (w->loop) {
	case L_OPEN1: run_open1(w, n); break;
	case L_BRK1: run_brk1(w, n); break;
	case L_MMAP1: run_mmap1(w, n); break;
	case L_MPROTECT1: run_mprotect1(w, n); break;
	case L_TOUCH1: run_touch1(w, n); break;
	case L_FETCH: run_fetch(w, n); break;
	case L_SPAWN1: run_spawn1(w, n); break;
	case L_SPAWNEXEC1: run_spawnexec1(w, n); break;
	default: abort();
	}
}

/* ---- resmon calls ------------------------------------------------------------------ */

/*
 * --monitored-before: register and deregister this process, then wait past
 * the static key's one-second grace (resmon_active is deferred by HZ), so
 * the hooks are patched out again: "not monitored lately" in Documentation/userspace-api/resmon.rst.
 * --monitor-parent: register the parent (the guest's shell), so the key is
 * on while this process itself is not monitored.
 */
static void key_setup(void)
{
	if (opt.monitored_before) {
		if (resmon_register(getpid()) != 0 || resmon_deregister(getpid()) != 0)
			die("register + deregister self");
		sleep(2);
	}
	if (opt.monitor_parent && resmon_register(getppid()) != 0)
		die("register parent");
}

static void monitor_self(void)
{
	if (resmon_register(getpid()) != 0)
		die("register self");
	if (opt.quota && resmon_cap(getpid(), UNREACHABLE_HEAP_MIB, UNREACHABLE_FILES) != 0)
		die("resource_cap self");
}

/*
 * --job-data: this process in a job whose data limit is never reached, so every brk,
 * mmap, mremap and mprotect pays the data measure and its check; the job is this
 * process alone. --job-tree: the same job with RESMON_JOB_TREE, so every child of
 * the spawn loops joins it at fork and leaves it at exit. In --procs mode each worker
 * makes its own job, as --monitor registers each. The handle stays open until exit;
 * report_job() reads the usage through it after the loops.
 */
static int job_handle = -1;

static void join_data_job(void)
{
	struct resmon_job_limits lim = {
		.mask = RESMON_LIMIT_HARD(RESMON_DATA),
		.hard = { [RESMON_DATA] = UNREACHABLE_DATA_BYTES },
	};
	int pidfd = syscall(SYS_pidfd_open, getpid(), 0);

	if (pidfd < 0)
		die("pidfd_open self");
	job_handle = resmon_job_create(pidfd, &lim, sizeof(lim), opt.job_tree ? RESMON_JOB_TREE : 0);
	if (job_handle < 0)
		die(opt.job_tree ? "resmon_job_create self, tree, with a data limit" :
		    "resmon_job_create self with a data limit");
	close(pidfd);
}

/*
 * Proof that the loops ran in the job: its data measure and the limit that held, and
 * for a tree job whose spawn loops ran, children in members_ever (only this process
 * otherwise).
 */
static void report_job(int spawned)
{
	struct resmon_job_usage u;
	unsigned long long want_members;

	if (resmon_job_usage(job_handle, &u, sizeof(u)))
		die("resmon_job_usage");
	printf("JOB tag=%s data_now=%llu data_peak=%llu data_limit=%llu heap_total=%llu"
	       " opens_total=%llu members_ever=%llu tree=%d\n", opt.tag,
	       (unsigned long long)u.usage[RESMON_DATA], (unsigned long long)u.data_peak,
	       (unsigned long long)u.limits.hard[RESMON_DATA],
	       (unsigned long long)u.usage[RESMON_HEAP],
	       (unsigned long long)u.usage[RESMON_OPENS], (unsigned long long)u.members_ever,
	       !!(u.flags & RESMON_JOB_TREE));
	if (!u.data_peak || u.limits.hard[RESMON_DATA] != UNREACHABLE_DATA_BYTES) {
		fprintf(stderr, "resmon_bench: the job measured no data or lost its limit\n");
		exit(1);
	}
	want_members = opt.job_tree && spawned ? 2 : 1;
	if (!!(u.flags & RESMON_JOB_TREE) != opt.job_tree ||
	    (want_members == 1 ? u.members_ever != 1 : u.members_ever < want_members)) {
		fprintf(stderr, "resmon_bench: the job is %s with %llu members ever: its %s\n",
			u.flags & RESMON_JOB_TREE ? "a tree" : "no tree",
			(unsigned long long)u.members_ever,
			want_members == 1 ? "children must not be in it" : "children are not in it");
		exit(1);
	}
}

/* ---- idle other processes ----------------------------------------------------------- */

static int others_wfd = -1;

/*
 * Kernel slab memory in KiB, per-CPU counter deltas folded in first (writing
 * vm/stat_refresh does that), so that a growth of a few hundred pages is exact.
 */
static long slab_kib(void)
{
	char line[128];
	long kib = -1;
	FILE *f;
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);

	if (fd >= 0) {
		(void)!write(fd, "1", 1);
		close(fd);
	}
	f = fopen("/proc/meminfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Slab: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static void spawn_others(long n, int monitor)
{
	int pfd[2];
	double t0, t1, t2;
	long i, slab0, slab1;
	pid_t *pids;

	if (pipe(pfd))
		die("pipe");
	pids = calloc(n, sizeof(*pids));
	if (!pids)
		die("calloc");
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "resmon_bench: fork #%ld of %ld: %s\n", i + 1, n,
				strerror(errno));
			exit(1);
		}
		if (pid == 0) {
			char c;

			/* Idle until the benchmark exits and the pipe's last writer closes. */
			close(pfd[1]);
			while (read(pfd[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		pids[i] = pid;
	}
	slab0 = slab_kib();
	t1 = now_ns();
	if (monitor)
		for (i = 0; i < n; i++)
			if (resmon_register(pids[i]) != 0)
				die("register other");
	t2 = now_ns();
	slab1 = slab_kib();
	close(pfd[0]);
	others_wfd = pfd[1];
	free(pids);
	printf("SPAWN tag=%s others=%ld monitored=%d fork_s=%.3f register_s=%.3f"
	       " register_slab_kib=%ld\n", opt.tag, n, monitor, (t1 - t0) / 1e9,
	       (t2 - t1) / 1e9, slab0 < 0 || slab1 < 0 ? -1 : slab1 - slab0);
	fflush(stdout);
}

/* ---- single mode: mean over short windows without a timer tick ---------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void bench_single(enum loop loop)
{
	struct worker w;
	double best = 1e300, t0, t1, *per, clean_sum = 0;
	long k;
	int i, nclean = 0;

	worker_setup(&w, loop, 0);
	run_ops(&w, 200);			/* warm up caches and the first faults */

	k = opt.ops;
	if (!k) {
		/* Calibrate: K ops of about window_ns each, from the best of a few probes. */
		for (i = 0; i < 20; i++) {
			t0 = now_ns();
			run_ops(&w, 20);
			t1 = now_ns();
			if ((t1 - t0) / 20 < best)
				best = (t1 - t0) / 20;
		}
		k = (long)(opt.window_ns / (best > 1 ? best : 1));
		/*
		 * At least 2, not 10: a touch1 op (64 page faults) is a quarter of a
		 * window, and 10 of them would span most of a tick, leaving few clean
		 * windows; the two clock reads stay negligible either way.
		 */
		if (k < 2)
			k = 2;
		if (k > 1000000)
			k = 1000000;
	}

	per = calloc(opt.windows, sizeof(*per));
	if (!per)
		die("calloc");
	for (i = 0; i < opt.windows; i++) {
		long tick0 = coarse_ns();

		t0 = now_ns();
		run_ops(&w, k);
		t1 = now_ns();
		per[i] = (t1 - t0) / k;
		/* The coarse clock moves only at a tick: a window it moved in had one. */
		if (coarse_ns() == tick0) {
			clean_sum += per[i];
			nclean++;
		}
	}
	qsort(per, opt.windows, sizeof(*per), cmp_double);
	if (!nclean) {
		fprintf(stderr, "resmon_bench: every window had a timer tick: lower --window-ns\n");
		exit(1);
	}
	printf("RESULT tag=%s loop=%s mode=single workers=1 ns_per_op=%.2f min_ns_per_op=%.2f"
	       " median_ns_per_op=%.2f clean_windows=%d windows=%d ops_per_window=%ld aslr=%d\n",
	       opt.tag, loop_names[loop], clean_sum / nclean, per[0], per[opt.windows / 2], nclean,
	       opt.windows, k, opt.aslr);
	fflush(stdout);
	free(per);
	worker_teardown(&w);
}

/* ---- SMP mode: T threads or P processes for a fixed time ---------------------------- */

struct shared {
	volatile int go, stop;
	int ready, failed;
	long count[64];
};

struct thread_arg {
	struct shared *sh;
	int idx;
	enum loop loop;
	int is_proc;
};

static void *worker_main(void *p)
{
	struct thread_arg *a = p;
	struct shared *sh = a->sh;
	struct worker w;
	long n = 0;

	if (a->is_proc && opt.monitor)
		monitor_self();
	if (a->is_proc && opt.job_data)
		join_data_job();
	worker_setup(&w, a->loop, a->idx);
	run_ops(&w, 50);
	__atomic_add_fetch(&sh->ready, 1, __ATOMIC_SEQ_CST);
	while (!sh->go)
		;
	while (!sh->stop) {
		run_ops(&w, 1);
		n++;
	}
	sh->count[a->idx] = n;
	worker_teardown(&w);
	return NULL;
}

static double smp_round(enum loop loop, int nw, int is_proc)
{
	struct shared *sh;
	struct thread_arg args[64];
	pthread_t tids[64];
	pid_t pids[64];
	struct timespec d = { opt.duration_ms / 1000, (opt.duration_ms % 1000) * 1000000L };
	double t0, t1;
	long total = 0;
	int i;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap shared");
	memset(sh, 0, sizeof(*sh));
	for (i = 0; i < nw; i++) {
		args[i] = (struct thread_arg){ sh, i, loop, is_proc };
		if (is_proc) {
			pids[i] = fork();
			if (pids[i] < 0)
				die("fork worker");
			if (pids[i] == 0) {
				worker_main(&args[i]);
				_exit(0);
			}
		} else if (pthread_create(&tids[i], NULL, worker_main, &args[i])) {
			die("pthread_create");
		}
	}
	while (__atomic_load_n(&sh->ready, __ATOMIC_SEQ_CST) < nw)
		sched_yield();
	t0 = now_ns();
	sh->go = 1;
	nanosleep(&d, NULL);
	sh->stop = 1;
	t1 = now_ns();
	for (i = 0; i < nw; i++) {
		if (is_proc) {
			int st;

			waitpid(pids[i], &st, 0);
			if (!WIFEXITED(st) || WEXITSTATUS(st))
				exit(1);
		} else {
			pthread_join(tids[i], NULL);
		}
		total += sh->count[i];
	}
	munmap(sh, sizeof(*sh));
	return total / ((t1 - t0) / 1e9);	/* ops per second, all workers */
}

static void bench_smp(enum loop loop)
{
	int is_proc = opt.procs > 0, nw = is_proc ? opt.procs : opt.threads;
	double best = 0, r;
	int i;

	for (i = 0; i < opt.rounds; i++) {
		r = smp_round(loop, nw, is_proc);
		if (r > best)
			best = r;
	}
	printf("RESULT tag=%s loop=%s mode=%s workers=%d ns_per_op=%.2f ops_per_s=%.0f"
	       " duration_ms=%ld rounds=%d\n", opt.tag, loop_names[loop],
	       is_proc ? "procs" : "threads", nw, 1e9 * nw / best, best, opt.duration_ms,
	       opt.rounds);
	fflush(stdout);
}

/* ---- options ------------------------------------------------------------------------ */

/* Re-execute with randomization off, as setarch -R does; it applies from exec on. */
static void no_aslr(char **argv)
{
	int pers = personality(0xffffffff);

	if (pers == -1)
		die("personality");
	if (pers & ADDR_NO_RANDOMIZE)
		return;
	if (personality(pers | ADDR_NO_RANDOMIZE) == -1)
		die("personality");
	execv("/proc/self/exe", argv);
	die("execv /proc/self/exe");
}

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
"usage: resmon_bench [options]\n"
"  --loop LIST        comma-separated: open1,brk1,mmap1,mprotect1,touch1,fetch,\n"
"                     spawn1,spawnexec1\n"
"                     (default open1,brk1,mmap1)\n"
"  --monitor          register this process with resmon\n"
"  --quota            also cap it with quotas never reached\n"
"  --others N         fork N idle processes (blocked on a pipe) first\n"
"  --monitor-others   register each of them\n"
"  --monitored-before register and deregister this process, then wait 2 s\n"
"                     (the hooks are patched out again)\n"
"  --monitor-parent   register the parent process: hooks on, this one unmonitored\n"
"  --job-data         put this process in a job with a data limit never reached (1 TiB)\n"
"  --job-tree         the same job as a tree job: the spawn loops' children join it\n"
"  --threads T        SMP mode: T threads run the loop\n"
"  --procs P          SMP mode: P processes run the loop\n"
"  --windows W        single mode: number of timed windows (default 300)\n"
"  --window-ns NS     single mode: target window length (default 1000000)\n"
"  --ops K            single mode: ops per window (default: calibrated from --window-ns)\n"
"  --duration MS      SMP mode: length of one round (default 500)\n"
"  --rounds R         SMP mode: rounds, the best counts (default 5)\n"
"  --tag STR          label copied into every output line\n"
"  --aslr             keep address-space randomization (default: off, see the source)\n"
"resmon options need resmon: a resmon kernel, or resmond running on a stock kernel.\n");
	exit(status);
}

static void parse_loops(char *list)
{
	char *s, *save = NULL;
	int i;

	opt.nloops = 0;
	for (s = strtok_r(list, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < L_NR; i++)
			if (!strcmp(s, loop_names[i]))
				break;
		if (i == L_NR || opt.nloops == L_NR) {
			fprintf(stderr, "resmon_bench: unknown loop '%s'\n", s);
			usage(2);
		}
		opt.loops[opt.nloops++] = i;
	}
}

static long num(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max) {
		fprintf(stderr, "resmon_bench: bad number '%s'\n", s);
		usage(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "loop", required_argument, NULL, 'l' },
		{ "monitor", no_argument, NULL, 'm' },
		{ "quota", no_argument, NULL, 'q' },
		{ "others", required_argument, NULL, 'o' },
		{ "monitor-others", no_argument, NULL, 'M' },
		{ "monitored-before", no_argument, NULL, 'B' },
		{ "monitor-parent", no_argument, NULL, 'P' },
		{ "job-data", no_argument, NULL, 'J' },
		{ "job-tree", no_argument, NULL, 'X' },
		{ "threads", required_argument, NULL, 't' },
		{ "procs", required_argument, NULL, 'p' },
		{ "windows", required_argument, NULL, 'w' },
		{ "window-ns", required_argument, NULL, 'W' },
		{ "ops", required_argument, NULL, 'k' },
		{ "duration", required_argument, NULL, 'd' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "tag", required_argument, NULL, 'T' },
		{ "aslr", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	char deflt[] = "open1,brk1,mmap1";
	int c, i, spawned = 0;

	/* spawnexec1's child: the exec is what is measured, nothing after it. */
	if (argc == 2 && !strcmp(argv[1], EXIT_NOW_ARG))
		_exit(0);

	/* Before getopt: parsing --loop writes into argv, which the re-exec passes on. */
	for (i = 1; i < argc && strcmp(argv[i], "--aslr"); i++)
		;
	if (i == argc)
		no_aslr(argv);
	parse_loops(deflt);
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'l': parse_loops(optarg); break;
		case 'm': opt.monitor = 1; break;
		case 'q': opt.quota = opt.monitor = 1; break;
		case 'o': opt.others = num(optarg, 0, 1000000); break;
		case 'M': opt.monitor_others = 1; break;
		case 'B': opt.monitored_before = 1; break;
		case 'P': opt.monitor_parent = 1; break;
		case 'J': opt.job_data = 1; break;
		case 'X': opt.job_data = opt.job_tree = 1; break;
		case 't': opt.threads = num(optarg, 1, 64); break;
		case 'p': opt.procs = num(optarg, 1, 64); break;
		case 'w': opt.windows = num(optarg, 1, 1000000); break;
		case 'W': opt.window_ns = num(optarg, 1000, 1000000000); break;
		case 'k': opt.ops = num(optarg, 1, LONG_MAX); break;
		case 'd': opt.duration_ms = num(optarg, 1, 3600000); break;
		case 'r': opt.rounds = num(optarg, 1, 1000); break;
		case 'T': opt.tag = optarg; break;
		case 'a': opt.aslr = 1; break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	/* A job is made on a process that is not monitored yet (EBUSY otherwise). */
	if (optind != argc || (opt.threads && opt.procs) || (opt.job_data && opt.monitor))
		usage(2);

	if (opt.others)
		spawn_others(opt.others, opt.monitor_others);
	key_setup();
	/* In --procs mode each worker process registers itself, or makes its job. */
	if (opt.monitor && !opt.procs)
		monitor_self();
	if (opt.job_data && !opt.procs)
		join_data_job();

	for (i = 0; i < opt.nloops; i++) {
		if (opt.threads || opt.procs)
			bench_smp(opt.loops[i]);
		else
			bench_single(opt.loops[i]);
		spawned |= opt.loops[i] == L_SPAWN1 || opt.loops[i] == L_SPAWNEXEC1;
	}
	if (job_handle >= 0)
		report_job(spawned);
	return 0;
}
