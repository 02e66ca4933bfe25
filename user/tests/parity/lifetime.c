// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Lifetime of a record: a forked child is not monitored, execve keeps the
 * record and its totals, exit frees it (a zombie is not live), a new
 * process on a reused pid is not monitored, and resmon_list shows the
 * records in registration order.
 */
#include "util.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/stat.h>

/* ---- fork ---- */

static void child_uses(void *arg)
{
	int i;

	(void)arg;
	mark('r');
	wait_go();
	for (i = 0; i < 5; i++)
		if (open_open() < 0)
			_exit(10);
	if (map_private(4 * MIB) == MAP_FAILED)
		_exit(11);
	mark('a');
	wait_go();
	_exit(0);
}

PARITY_CASE(fork_child_not_monitored)
{
	const pid_t self = getpid();
	struct per_proc_resource r;
	struct child c;

	CHECK_OK(resmon_register(self));
	/* a parent capped to nothing: its child still opens and maps freely */
	CHECK_OK(resmon_cap(self, 0, 0));
	CHECK(spawn(&c, child_uses, NULL) > 0);
	CHECK_EQ('r', read_mark(&c));
	CHECK_ERR(EINVAL, resmon_fetch(c.pid, &r));
	CHECK_EQ(0, go(&c));
	CHECK_EQ('a', read_mark(&c));
	CHECK_ERR(EINVAL, resmon_fetch(c.pid, &r));
	CHECK_ERR(EINVAL, resmon_cap(c.pid, 1, 1));
	CHECK_ERR(EINVAL, resmon_reset(c.pid));
	CHECK_ERR(ESRCH, resmon_deregister(c.pid));
	/* the parent's totals are untouched */
	FETCH(self, r);
	CHECK_EQ(0, r.openfile_count);
	CHECK_EQ(0, r.heapsize);
	/* the child can be registered on its own, from zero */
	CHECK_OK(resmon_register(c.pid));
	check_fresh(c.pid);
	CHECK_EQ(0, go(&c));
	CHECK_EXITED_OK(reap(&c));
}

/* ---- execve ---- */

/*
 * An exec'd binary's .bss is not the process's heap (SPEC, "What resmon is
 * not"), though the ELF loader maps it as brk does (vm_brk_flags(), i.e.
 * do_brk_flags(), where the eBPF edition counts brk). This binary's is
 * 8 MiB, so counting it would show in the heapsize checked below.
 */
char parity_exec_bss[8 << 20] __attribute__((used));

/*
 * In the re-executed test binary (static: no dynamic loader opens
 * anything): the record, its totals and its quotas are still there, the
 * loaded binary's .bss not counted.
 */
int parity_exec_check(int argc, char **argv)
{
	struct per_proc_resource r;

	if (argc != 4)
		return 20;
	memset(&r, 0xff, sizeof(r));
	if (resmon_fetch(getpid(), &r))
		return 21;
	if (r.pid != getpid())
		return 22;
	if ((long)r.openfile_count != atol(argv[2]))
		return 23;
	if ((long)r.heapsize != atol(argv[3]))
		return 24;
	if (r.heap_quota != 1000 || r.file_quota != 1000 || r.quotas_defined != 1)
		return 25;
	if (resmon_register(getpid()) != -1 || errno != ENFILE)
		return 26;
	/* and it still counts */
	if (open_open() < 0 || resmon_fetch(getpid(), &r) ||
	    (long)r.openfile_count != atol(argv[2]) + 1)
		return 27;
	return 0;
}

PARITY_CASE(exec_keeps_record_totals_and_quotas)
{
	char *const argv[] = { "resmon_parity_test", PARITY_EXEC_CHECK, "20", "3", NULL };
	char *const envp[] = { NULL };
	int status, i;
	pid_t pid;

	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		if (resmon_register(getpid()))
			_exit(2);
		for (i = 0; i < 20; i++)
			if (open_open() < 0)
				_exit(3);
		if (map_private(3 * MIB) == MAP_FAILED)
			_exit(4);
		if (resmon_cap(getpid(), 1000, 1000))
			_exit(5);
		execve("/proc/self/exe", argv, envp);
		_exit(6);
	}
	CHECK_EQ(pid, waitpid(pid, &status, 0));
	if (WIFEXITED(status) && WEXITSTATUS(status))
		diag("exec check exit code %d (see parity_exec_check)", WEXITSTATUS(status));
	CHECK_EXITED_OK(status);
}

/*
 * Under personality(MMAP_PAGE_ZERO) the ELF loader maps page 0 private and
 * file-less in execve (vm_mmap(NULL, 0, PAGE_SIZE, ..)): exec's, not an
 * mmap system call, so not the heap. The re-executed (static) binary grows
 * its break on its own before it fetches (TLS, and malloc's first arena
 * through resmond's socket: some 34 pages), which counts: the first runs
 * find how many pages short of 1 MiB the fill must stop for the total
 * after exec to stay just under 1 MiB; then one more page (page 0) would
 * show as 1 MiB.
 */
int parity_exec_heap(void)
{
	struct per_proc_resource r;

	if (resmon_fetch(getpid(), &r) || r.heapsize > 100)
		return 255;
	return (int)r.heapsize;
}

static int exec_heap_mib(unsigned long pages_short, int page_zero)
{
	char *const argv[] = { "resmon_parity_test", PARITY_EXEC_HEAP, NULL };
	char *const envp[] = { NULL };
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (resmon_register(getpid()))
			_exit(252);
		if (map_private(MIB - pages_short * 4096) == MAP_FAILED)
			_exit(253);
		if (page_zero && personality(PER_LINUX | MMAP_PAGE_ZERO) < 0)
			_exit(254);
		execve("/proc/self/exe", argv, envp);
		_exit(255);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

PARITY_CASE(exec_page_zero_not_counted)
{
	unsigned long short_by;
	int mib = -1;

	/* mapping page 0 needs CAP_SYS_RAWIO (mmap_min_addr); else nothing is mapped */
	if (geteuid() != 0)
		skip("page 0 can only be mapped as root");
	for (short_by = 1; short_by <= 512; short_by++) {
		mib = exec_heap_mib(short_by, 0);
		CHECK(mib == 0 || mib == 1);
		if (mib == 0)
			break;
	}
	CHECK_EQ(0, mib);
	diag("the exec'd startup leaves room for %lu page(s) short of 1 MiB", short_by);
	/* so close to 1 MiB that page 0, if counted, would reach it */
	CHECK_EQ(0, exec_heap_mib(short_by, 1));
}

/* ---- an execve that gains privilege ---- */

#define SUID_COPY "/tmp/resmon-parity-suid"

int parity_idle(int argc, char **argv)
{
	char c = 'e';

	if (argc != 4 || write(atoi(argv[3]), &c, 1) != 1 || read(atoi(argv[2]), &c, 1) < 0)
		return 30;
	return 0;
}

/* A copy of this binary, setuid root, on the guest's tmpfs. */
static void make_suid_copy(void)
{
	char buf[65536];
	int in, out;
	ssize_t n;

	in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	CHECK(in >= 0);
	unlink(SUID_COPY);
	out = open(SUID_COPY, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	CHECK(out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		CHECK_EQ(n, write(out, buf, n));
	CHECK_EQ(0, n);
	CHECK_EQ(0, fchown(out, 0, 0));
	CHECK_EQ(0, fchmod(out, 04755));
	close(out);
	close(in);
}

struct suid_how {
	int self_registers, self_caps;
};

/* As nobody: maybe register and cap itself, then exec the setuid copy on go. */
static void suid_exec(void *arg)
{
	const struct suid_how *h = arg;

	if (become(NOBODY, NOBODY, 0))
		_exit(9);
	if (h->self_registers && resmon_register(getpid()))
		_exit(10);
	if (h->self_caps && resmon_cap(getpid(), 100, 100))
		_exit(11);
	mark('r');
	wait_go();
	exec_with_pipes(SUID_COPY, PARITY_IDLE);
}

/*
 * @root_registers / @root_caps: done by this (root) process; the record
 * survives the setuid exec only when a privileged caller set its quotas.
 */
static void secure_exec(struct suid_how how, int root_registers, int root_caps, int kept)
{
	struct per_proc_resource r;
	struct child c;

	make_suid_copy();
	CHECK(spawn(&c, suid_exec, &how) > 0);
	CHECK_EQ('r', read_mark(&c));
	if (root_registers)
		CHECK_OK(resmon_register(c.pid));
	if (root_caps)
		CHECK_OK(resmon_cap(c.pid, 100, 100));
	CHECK_OK(resmon_fetch(c.pid, &r));
	CHECK_EQ(0, go(&c));
	/* 'e' comes from the new, setuid image */
	CHECK_EQ('e', read_mark(&c));
	if (kept) {
		FETCH(c.pid, r);
		CHECK_EQ(100, r.file_quota);
		CHECK_EQ(1, r.quotas_defined);
	} else {
		CHECK_ERR(EINVAL, resmon_fetch(c.pid, &r));
		CHECK_ERR(ESRCH, resmon_deregister(c.pid));
	}
	CHECK_EQ(0, go(&c));
	CHECK_EXITED_OK(reap(&c));
	unlink(SUID_COPY);
}

PARITY_CASE(secure_exec_drops_self_capped_record)
{
	secure_exec((struct suid_how){ 1, 1 }, 0, 0, 0);
}

PARITY_CASE(secure_exec_drops_uncapped_record)
{
	secure_exec((struct suid_how){ 0, 0 }, 1, 0, 0);
}

PARITY_CASE(secure_exec_keeps_record_capped_by_root)
{
	secure_exec((struct suid_how){ 0, 0 }, 1, 1, 1);
}

/* ---- exit and zombies ---- */

static void exit_on_go(void *arg)
{
	(void)arg;
	mark('r');
	wait_go();
	_exit(0);
}

static void check_dead_codes(pid_t pid)
{
	struct per_proc_resource r;

	CHECK_ERR(EINVAL, resmon_fetch(pid, &r));
	CHECK_ERR(ESRCH, resmon_deregister(pid));
	CHECK_ERR(ESRCH, resmon_register(pid));
	CHECK_ERR(ESRCH, resmon_cap(pid, 1, 1));
	CHECK_ERR(ESRCH, resmon_reset(pid));
}

static void zombie(int monitored, int capped)
{
	siginfo_t info;
	struct child c;

	CHECK(spawn(&c, exit_on_go, NULL) > 0);
	CHECK_EQ('r', read_mark(&c));
	if (monitored)
		CHECK_OK(resmon_register(c.pid));
	if (capped)
		CHECK_OK(resmon_cap(c.pid, 10, 10));
	CHECK_EQ(0, go(&c));
	/* a zombie, not reaped yet */
	memset(&info, 0, sizeof(info));
	CHECK_EQ(0, waitid(P_PID, c.pid, &info, WEXITED | WNOWAIT));
	CHECK_EQ(c.pid, info.si_pid);
	check_dead_codes(c.pid);
	CHECK_EXITED_OK(reap(&c));
	check_dead_codes(c.pid);
}

PARITY_CASE(exit_zombie_unmonitored_is_not_live) { zombie(0, 0); }
PARITY_CASE(exit_frees_record_monitored)         { zombie(1, 0); }
PARITY_CASE(exit_frees_record_capped)            { zombie(1, 1); }

/* ---- pid reuse ---- */

static void open_one(void *arg)
{
	(void)arg;
	mark('r');
	wait_go();
	if (open_open() < 0)
		_exit(10);
	mark('o');
	wait_go();
	_exit(0);
}

static void pid_reuse(int killed)
{
	struct per_proc_resource r;
	struct child a, b;
	pid_t pid, got;

	/* A: monitored, capped to 0 files, then gone */
	CHECK(spawn(&a, killed ? open_one : exit_on_go, NULL) > 0);
	pid = a.pid;
	CHECK_EQ('r', read_mark(&a));
	CHECK_OK(resmon_register(pid));
	CHECK_OK(resmon_cap(pid, 0, 0));
	CHECK_EQ(0, go(&a));
	if (killed)
		CHECK_KILLED(reap(&a));
	else
		CHECK_EXITED_OK(reap(&a));
	/* B: the same pid number, forced with clone3's set_tid */
	got = spawn_with_pid(&b, pid, open_one, NULL);
	if (got == -EPERM || got == -ENOSYS || got == -EINVAL)
		skip("clone3 set_tid unavailable (%d)", got);
	CHECK_EQ(pid, got);
	CHECK_EQ('r', read_mark(&b));
	CHECK_ERR(EINVAL, resmon_fetch(pid, &r));
	CHECK_ERR(EINVAL, resmon_cap(pid, 1, 1));
	CHECK_ERR(EINVAL, resmon_reset(pid));
	CHECK_ERR(ESRCH, resmon_deregister(pid));
	/* not under A's quota of 0 files: its open survives */
	CHECK_EQ(0, go(&b));
	CHECK_EQ('o', read_mark(&b));
	CHECK_ERR(EINVAL, resmon_fetch(pid, &r));
	/* and it registers from zero */
	CHECK_OK(resmon_register(pid));
	check_fresh(pid);
	CHECK_EQ(0, go(&b));
	CHECK_EXITED_OK(reap(&b));
}

PARITY_CASE(pid_reuse_after_exit_not_monitored) { pid_reuse(0); }
PARITY_CASE(pid_reuse_after_kill_not_monitored) { pid_reuse(1); }

/* ---- enumeration ---- */

static int find(const struct resmon_record *e, size_t n, pid_t pid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (e[i].pid == pid)
			return (int)i;
	return -1;
}

static void three_pages_two_opens(void *arg)
{
	(void)arg;
	mark('r');
	wait_go();
	if (map_private(3 * page_size()) == MAP_FAILED || open_open() < 0 || open_open() < 0)
		_exit(10);
	mark('a');
	wait_go();
	_exit(0);
}

/* This process is never monitored here: listing must not count against it. */
PARITY_CASE(list_in_registration_order_exact_and_pruned)
{
	struct resmon_record *e;
	struct child a, b, c;
	int ia, ib, ic;
	size_t n;

	CHECK(spawn(&a, three_pages_two_opens, NULL) > 0);
	CHECK(spawn(&b, idle_child, NULL) > 0);
	CHECK(spawn(&c, idle_child, NULL) > 0);
	CHECK_EQ('r', read_mark(&a));
	CHECK_EQ('r', read_mark(&b));
	CHECK_EQ('r', read_mark(&c));
	CHECK_OK(resmon_register(b.pid));
	CHECK_OK(resmon_register(a.pid));
	CHECK_OK(resmon_cap(a.pid, 5, 7));
	CHECK_OK(resmon_register(c.pid));
	CHECK_EQ(0, go(&a));
	CHECK_EQ('a', read_mark(&a));

	CHECK_OK(resmon_list(&e, &n));
	ia = find(e, n, a.pid);
	ib = find(e, n, b.pid);
	ic = find(e, n, c.pid);
	CHECK(ia >= 0 && ib >= 0 && ic >= 0);
	CHECK(ib < ia && ia < ic);
	CHECK_EQ(3 * page_size(), e[ia].heap_bytes);	/* the list is byte-exact */
	CHECK_EQ(2, e[ia].opens);
	CHECK_EQ(5LL << 20, e[ia].heap_limit_bytes);
	CHECK_EQ(7, e[ia].files_limit);
	CHECK_EQ(1, e[ia].quotas_defined);
	CHECK_EQ(0, e[ib].heap_bytes);
	CHECK_EQ(0, e[ib].opens);
	CHECK_EQ(-1, e[ib].heap_limit_bytes);
	CHECK_EQ(-1, e[ib].files_limit);
	CHECK_EQ(0, e[ib].quotas_defined);
	free(e);

	/* deregister removes; registering again goes to the end */
	CHECK_OK(resmon_deregister(b.pid));
	CHECK_OK(resmon_list(&e, &n));
	CHECK_EQ(-1, find(e, n, b.pid));
	free(e);
	CHECK_OK(resmon_register(b.pid));
	CHECK_OK(resmon_list(&e, &n));
	CHECK(find(e, n, c.pid) < find(e, n, b.pid));
	free(e);

	/* exit removes */
	CHECK_EQ(0, go(&a));
	CHECK_EXITED_OK(reap(&a));
	CHECK_EXITED_OK(reap(&b));
	CHECK_EXITED_OK(reap(&c));
	CHECK_OK(resmon_list(&e, &n));
	CHECK_EQ(-1, find(e, n, a.pid));
	CHECK_EQ(-1, find(e, n, b.pid));
	CHECK_EQ(-1, find(e, n, c.pid));
	free(e);
}

/* register racing with the target's exit: 0 or ESRCH, and no record left */
PARITY_CASE(register_racing_exit_leaks_nothing)
{
	struct resmon_record *e;
	pid_t pids[100];
	int i, status, left = 0;
	size_t n;

	for (i = 0; i < 100; i++) {
		pids[i] = fork();
		CHECK(pids[i] >= 0);
		if (pids[i] == 0)
			_exit(0);
		if (resmon_register(pids[i]) && errno != ESRCH)
			fail_at(__FILE__, __LINE__, "register: errno %d", errno);
		if (i & 1)
			resmon_cap(pids[i], 1, 1);
		CHECK_EQ(pids[i], waitpid(pids[i], &status, 0));
		CHECK_ERR(ESRCH, resmon_deregister(pids[i]));
	}
	CHECK_OK(resmon_list(&e, &n));
	for (i = 0; i < 100; i++)
		left += find(e, n, pids[i]) >= 0;
	free(e);
	CHECK_EQ(0, left);
}
