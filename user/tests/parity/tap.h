/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small TAP harness for the parity suite. Each case runs in a fresh
 * forked child (so it can register itself from zero and die without taking
 * the suite along); the parent prints "ok N name", "not ok N name" or
 * "ok N name # SKIP why".
 *
 * Inside a case nothing may allocate between two measurements (a malloc
 * can grow the break, which is counted), so the checks below format into
 * a stack buffer and write(2) it; a failed check ends the case at once.
 */
#ifndef PARITY_TAP_H
#define PARITY_TAP_H

#include <stdlib.h>
#include <unistd.h>

#define PARITY_SKIP	4	/* kselftest's KSFT_SKIP */

struct parity_case {
	const char *name;
	void (*fn)(void);
	int timeout_s;
	struct parity_case *next;
};

void parity_add(struct parity_case *c);

/* Define a case: PARITY_CASE(name) { body }. Cases run in definition order. */
#define PARITY_CASE_T(cname, secs)						\
	static void cname(void);						\
	static struct parity_case cname##_case = { #cname, cname, secs, NULL };	\
	static void __attribute__((constructor)) cname##_add(void)		\
	{									\
		parity_add(&cname##_case);					\
	}									\
	static void cname(void)
#define PARITY_CASE(cname) PARITY_CASE_T(cname, 60)

/* "# ..." on stdout, formatted on the stack (no allocation). */
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* End the case as failed / skipped (the reason goes on the ok line). */
void __attribute__((noreturn)) fail_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void __attribute__((noreturn)) skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define CHECK(cond) do {							\
	if (!(cond))								\
		fail_at(__FILE__, __LINE__, "%s", #cond);			\
} while (0)

/* Integer equality, both values shown on failure. */
#define CHECK_EQ(want, got) do {						\
	long long __w = (long long)(want), __g = (long long)(got);		\
	if (__w != __g)								\
		fail_at(__FILE__, __LINE__, "%s == %s: want %lld, got %lld",	\
			#want, #got, __w, __g);					\
} while (0)

/* A libresmon call fails with @err (returns -1, errno @err). */
#define CHECK_ERR(err, call) do {						\
	int __r = (call), __e = errno;						\
	if (__r != -1 || __e != (err))						\
		fail_at(__FILE__, __LINE__, "%s: want -1/%s, got %d/errno %d",	\
			#call, #err, __r, __r == -1 ? __e : 0);			\
} while (0)

/* A libresmon call succeeds. */
#define CHECK_OK(call) do {							\
	int __r = (call), __e = errno;						\
	if (__r != 0)								\
		fail_at(__FILE__, __LINE__, "%s: want 0, got %d (errno %d)",	\
			#call, __r, __e);					\
} while (0)

#endif /* PARITY_TAP_H */
