// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The parity suite: what only libresmon has, checked against whichever
 * edition answers (the kernel's system calls, or resmond on a stock
 * kernel): which edition it says it is, its libc error convention and its
 * own messages for the codes the backend returns, and the list.
 *
 * The semantics every edition shares (accounting, quotas, lifetime,
 * permissions, return codes, threads, stress) are the kselftests'
 * (linux/tools/testing/selftests/resmon/), built once for the raw system
 * calls and once for libresmon (resmon_*_test.lib, run on the stock
 * kernels). The cases this suite had for them moved there: README.md here
 * lists where each one went.
 */
#include "tap.h"

#include "resmon.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define NO_SUCH_PID	0x7fffffff	/* one past the highest possible pid */

/* ---- which edition ---- */

PARITY_CASE(edition_names_the_backend)
{
	const char *want = access("/proc/resmon", F_OK) == 0 ? "kernel" : "ebpf";

	CHECK_EQ(1, resmon_available());
	if (strcmp(want, resmon_edition()))
		fail_at(__FILE__, __LINE__, "edition \"%s\", want \"%s\"", resmon_edition(), want);
}

/* ---- the library's error convention and messages ---- */

/* @call fails with -1 (never -errno) and errno @err, which the library words as @text. */
#define CHECK_MAPPED(op, err, text, call) do {					\
	CHECK_ERR(err, call);							\
	if (strcmp((text), resmon_strerror((op), (err))))			\
		fail_at(__FILE__, __LINE__, "%s: message \"%s\"",		\
			#call, resmon_strerror((op), (err)));			\
} while (0)

PARITY_CASE(errors_are_libc_style_and_worded_per_call)
{
	const pid_t self = getpid();
	struct per_proc_resource r;

	CHECK_MAPPED(RESMON_OP_REGISTER, EINVAL, "invalid process id", resmon_register(0));
	CHECK_MAPPED(RESMON_OP_REGISTER, ESRCH, "no such live process",
		     resmon_register(NO_SUCH_PID));
	CHECK_MAPPED(RESMON_OP_FETCH, EINVAL, "no such live process, or not monitored",
		     resmon_fetch(self, &r));
	CHECK_MAPPED(RESMON_OP_DEREGISTER, ESRCH, "no such live process, or not monitored",
		     resmon_deregister(self));
	CHECK_MAPPED(RESMON_OP_RESET, EINVAL, "process is not monitored", resmon_reset(self));
	CHECK_MAPPED(RESMON_OP_CAP, ESRCH, "no such live process",
		     resmon_cap(NO_SUCH_PID, 1, 1));
	/* success is exactly 0; fetch takes the pid first, unlike the system call */
	CHECK_EQ(0, resmon_register(self));
	memset(&r, 0xff, sizeof(r));
	CHECK_EQ(0, resmon_fetch(self, &r));
	CHECK_EQ(self, r.pid);
	/* the same errno, another meaning: the message follows the call */
	CHECK_MAPPED(RESMON_OP_REGISTER, ENFILE, "process is already monitored",
		     resmon_register(self));
	CHECK_MAPPED(RESMON_OP_CAP, EINVAL, "process is not monitored, or a quota is out of range",
		     resmon_cap(self, -2, 1));
	CHECK_EQ(0, resmon_cap(self, 10, 10));
	CHECK_MAPPED(RESMON_OP_CAP, ENFILE, "quotas already set; reset them first",
		     resmon_cap(self, 10, 10));
	CHECK_EQ(0, resmon_deregister(self));
	/* a code no call documents: strerror()'s words */
	if (strcmp(strerror(EXDEV), resmon_strerror(RESMON_OP_FETCH, EXDEV)))
		fail_at(__FILE__, __LINE__, "EXDEV: \"%s\"", resmon_strerror(RESMON_OP_FETCH, EXDEV));
}

/* ---- the list ---- */

/* One process's entry in resmon_list(): the one place this suite reads the list. */
struct listed {
	int index;		/* position in the list, -1 if absent */
	unsigned long long heap_bytes;
	unsigned long files;
	long heap_quota, file_quota;
	int defined;
};

static struct listed list_find(pid_t pid)
{
	struct listed l = { .index = -1 };
	struct resmon_record *e;
	size_t n, i;

	CHECK_OK(resmon_list(&e, &n));
	for (i = 0; i < n; i++)
		if (e[i].pid == pid) {
			l = (struct listed){ (int)i, e[i].heap_bytes, e[i].opens,
					     e[i].heap_limit_bytes < 0 ? -1 : e[i].heap_limit_bytes >> 20,
					     e[i].files_limit, e[i].quotas_defined };
			break;
		}
	free(e);
	return l;
}

/*
 * A child that marks 'r', and on each byte from the parent does its next
 * step: @work (1: map 3 pages and open 2 files, then mark 'a') and then
 * exit. Raw system calls: libc routes nothing through anything else. Its
 * siblings forked later hold its pipes too: it exits when told, not at EOF.
 */
struct kid {
	pid_t pid;
	int go_w, mark_r;
};

static void kid_start(struct kid *k, int work)
{
	int go[2], mark[2];
	char c = 'r';

	CHECK_EQ(0, pipe2(go, O_CLOEXEC));
	CHECK_EQ(0, pipe2(mark, O_CLOEXEC));
	k->pid = fork();
	CHECK(k->pid >= 0);
	if (k->pid == 0) {
		if (write(mark[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(0);
		if (work) {
			if (mmap(NULL, 3 * sysconf(_SC_PAGESIZE), PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ||
			    syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY) < 0 ||
			    syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY) < 0)
				_exit(10);
			c = 'a';
			if (write(mark[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
				_exit(0);
		}
		_exit(0);
	}
	close(go[0]);
	close(mark[1]);
	k->go_w = go[1];
	k->mark_r = mark[0];
	CHECK_EQ(1, read(k->mark_r, &c, 1));
	CHECK_EQ('r', c);
}

static void kid_go(struct kid *k, char want)
{
	char c = 'g';

	CHECK_EQ(1, write(k->go_w, &c, 1));
	if (want) {
		CHECK_EQ(1, read(k->mark_r, &c, 1));
		CHECK_EQ(want, c);
	}
}

static void kid_reap(struct kid *k)
{
	int status;

	close(k->go_w);
	close(k->mark_r);
	CHECK_EQ(k->pid, waitpid(k->pid, &status, 0));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* This process is never monitored here: listing must not count against it. */
PARITY_CASE(list_in_registration_order_exact_and_pruned)
{
	struct listed la, lb, lc;
	struct kid a, b, c;

	kid_start(&a, 1);
	kid_start(&b, 0);
	kid_start(&c, 0);
	CHECK_OK(resmon_register(b.pid));
	CHECK_OK(resmon_register(a.pid));
	CHECK_OK(resmon_cap(a.pid, 5, 7));
	CHECK_OK(resmon_register(c.pid));
	kid_go(&a, 'a');

	la = list_find(a.pid);
	lb = list_find(b.pid);
	lc = list_find(c.pid);
	CHECK(la.index >= 0 && lb.index >= 0 && lc.index >= 0);
	CHECK(lb.index < la.index && la.index < lc.index);
	CHECK_EQ(3 * sysconf(_SC_PAGESIZE), la.heap_bytes);	/* the list is byte-exact */
	CHECK_EQ(2, la.files);
	CHECK_EQ(5, la.heap_quota);
	CHECK_EQ(7, la.file_quota);
	CHECK_EQ(1, la.defined);
	CHECK_EQ(0, lb.heap_bytes);
	CHECK_EQ(0, lb.files);
	CHECK_EQ(-1, lb.heap_quota);
	CHECK_EQ(-1, lb.file_quota);
	CHECK_EQ(0, lb.defined);

	/* deregister removes; registering again goes to the end */
	CHECK_OK(resmon_deregister(b.pid));
	CHECK_EQ(-1, list_find(b.pid).index);
	CHECK_OK(resmon_register(b.pid));
	CHECK(list_find(c.pid).index < list_find(b.pid).index);

	/* exit removes (each is told: a sibling holds the others' pipes open) */
	kid_go(&a, 0);
	kid_go(&b, 0);
	kid_go(&c, 0);
	kid_reap(&a);
	kid_reap(&b);
	kid_reap(&c);
	CHECK_EQ(-1, list_find(a.pid).index);
	CHECK_EQ(-1, list_find(b.pid).index);
	CHECK_EQ(-1, list_find(c.pid).index);
}
