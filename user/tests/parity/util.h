/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers of the parity suite: the counted operations as raw system calls
 * (so libc cannot route one through another or allocate on the way),
 * record checks through libresmon, and children driven over two pipes.
 *
 * Measurements rely on one fact: right after resmon_register(getpid()) the
 * record is exactly zero, and between two fetches a case makes only the
 * calls it measures, so byte totals are known exactly even though fetch
 * reports MiB rounded down (see fill()).
 */
#ifndef PARITY_UTIL_H
#define PARITY_UTIL_H

#include "tap.h"

#include "resmon.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>

#define PARITY_SKIP		4	/* kselftest's KSFT_SKIP */
#define PARITY_EXEC_CHECK	"--parity-exec-check"
#define PARITY_IDLE		"--parity-idle"
#define PARITY_EXEC_HEAP	"--parity-exec-heap"
#define MIB			(1024UL * 1024UL)
#define NOBODY			65534
#define OTHER_ID		65533
#define TEST_FILE		"/dev/null"

int parity_exec_check(int argc, char **argv);
/* PARITY_IDLE GO_FD MARK_FD: mark 'e', wait for go, exit 0 (an exec target). */
int parity_idle(int argc, char **argv);
/* PARITY_EXEC_HEAP: exit with the process's own heapsize in MiB (an exec target). */
int parity_exec_heap(void);

unsigned long page_size(void);
unsigned long page_align(unsigned long x);

/* ---- counted operations, raw ---- */
void *map_private(size_t len);		/* MAP_PRIVATE|MAP_ANONYMOUS, rw */
unsigned long raw_brk(unsigned long addr);
/* Page-align the break and return it, so brk arithmetic starts on a boundary. */
unsigned long brk_base(void);
int open_open(void);
int open_openat(void);
int open_openat2(void);
int open_creat(void);

/* ---- records ---- */
/* Fetch @pid into @r (pre-set to 0xff); the case fails if fetch fails. */
#define FETCH(pid, r) do {							\
	memset(&(r), 0xff, sizeof(r));						\
	CHECK_OK(resmon_fetch((pid), &(r)));					\
} while (0)
long heap_mib(pid_t pid);
long nfiles(pid_t pid);
/* register(getpid()) and check the record is as register leaves it. */
void register_self(void);
void check_fresh(pid_t pid);
/* With the heap total at 0: bring it to exactly 1 MiB - 1 page. */
void fill(void);
/* One more page must then reach exactly 1 MiB. */
void one_more_page(void);

/* ---- children over two pipes ---- */
/*
 * The child writes one marker byte after each step and may wait for "go"
 * in between; the parent reads every byte until EOF, so a step whose marker
 * is absent never returned. Children use no stdio and no checks: an
 * unexpected failure exits with a distinct code instead.
 */
struct child {
	pid_t pid;
	int go_w, mark_r;
};

void mark(char c);
void wait_go(void);
/* fork, or clone3 with set_tid = @want (> 0): returns the pid or -errno. */
pid_t spawn(struct child *c, void (*fn)(void *), void *arg);
pid_t spawn_with_pid(struct child *c, pid_t want, void (*fn)(void *), void *arg);
int go(struct child *c);
int read_mark(struct child *c);
void read_marks(struct child *c, char *buf, size_t size);
int reap(struct child *c);		/* close our ends, wait; the wait status */
void idle_child(void *arg);		/* marks 'r', waits for go or EOF, exits 0 */
/* Exec @path (a char *) with argv "GO_FD MARK_FD": a helper speaking the same protocol. */
void exec_child(void *path);
/* The same from a child's own code: exec @path [@mode] GO_FD MARK_FD. */
void __attribute__((noreturn)) exec_with_pipes(const char *path, const char *mode);

#define CHECK_KILLED(status) do {						\
	int __s = (status);							\
	if (!WIFSIGNALED(__s) || WTERMSIG(__s) != SIGKILL)			\
		fail_at(__FILE__, __LINE__, "want SIGKILL, got exit %d signal %d",\
			WIFEXITED(__s) ? WEXITSTATUS(__s) : -1,		\
			WIFSIGNALED(__s) ? WTERMSIG(__s) : 0);			\
} while (0)

#define CHECK_EXITED_OK(status) do {						\
	int __s = (status);							\
	if (!WIFEXITED(__s) || WEXITSTATUS(__s))				\
		fail_at(__FILE__, __LINE__, "want exit 0, got exit %d signal %d",\
			WIFEXITED(__s) ? WEXITSTATUS(__s) : -1,		\
			WIFSIGNALED(__s) ? WTERMSIG(__s) : 0);			\
} while (0)

#define CHECK_MARKS(c, want) do {						\
	char __m[64];								\
	read_marks((c), __m, sizeof(__m));					\
	if (strcmp((want), __m))						\
		fail_at(__FILE__, __LINE__, "markers: want \"%s\", got \"%s\"",	\
			(want), __m);						\
} while (0)

/* ---- credentials ---- */
/*
 * Become @uid/@gid (real, effective, saved; no groups) keeping the
 * capabilities in @caps (a CAP_* bit mask, first word), dumpable.
 */
int become(uid_t uid, gid_t gid, uint32_t caps);
/*
 * Run @fn(res, arg) in a child that became @uid/@gid with @caps; @fn fills
 * res[0..RES_MAX) with return codes (-errno or 0). Returns 0 once the
 * child completed, -1 otherwise.
 */
#define RES_MAX 16
int run_as(uid_t uid, gid_t gid, uint32_t caps, void (*fn)(long *res, void *arg),
	   void *arg, long *res);
/* A libresmon result as 0 or -errno: what run_as actors store. */
long rc(int r);

/* Path of @name beside this executable, in @buf. */
const char *beside_self(const char *name, char *buf, size_t size);

#endif /* PARITY_UTIL_H */
