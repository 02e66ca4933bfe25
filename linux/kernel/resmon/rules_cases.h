/* SPDX-License-Identifier: GPL-2.0 */
/*
 * resmon - the test cases of rules.h, written once and run twice: by the
 * KUnit suite (rules_kunit.c, in the kernel) and by the host unit test
 * (tests/rules/rules_test.c, in user space), so both prove the same
 * header with the same expectations.
 *
 * The includer defines, before including this file:
 *   RULES_CTX			the type each case gets a pointer to
 *   RULES_TRUE(t, cond)	expect @cond true
 *   RULES_FALSE(t, cond)	expect @cond false
 *   RULES_EQ(t, a, b)		expect a == b, both converted to __u64
 * and lists the cases by defining RULES_CASE(name) and including
 * rules_case_list.h where its array of cases is.
 */
#ifndef _KERNEL_RESMON_RULES_CASES_H
#define _KERNEL_RESMON_RULES_CASES_H

#include "rules.h"

#define RULES_MIB	(1024ULL * 1024)	/* written out: the cases check the shift */
#define RULES_PAGE	4096ULL
#define RULES_U64_MAX	(~0ULL)
#define RULES_S64_MIN	(-(__s64)RESMON_HEAP_BYTES_MAX - 1)

static void heap_exceeded_is_strictly_above(RULES_CTX *t)
{
	RULES_FALSE(t, resmon_heap_exceeded(0, 0));
	RULES_TRUE(t, resmon_heap_exceeded(1, 0));
	RULES_TRUE(t, resmon_heap_exceeded(RULES_PAGE, 0));
	RULES_FALSE(t, resmon_heap_exceeded(4 * RULES_MIB, 4));
	RULES_TRUE(t, resmon_heap_exceeded(4 * RULES_MIB + 1, 4));
	RULES_TRUE(t, resmon_heap_exceeded(4 * RULES_MIB + RULES_PAGE, 4));
}

static void heap_no_limit_never_exceeded(RULES_CTX *t)
{
	RULES_FALSE(t, resmon_heap_exceeded(0, RESMON_NO_LIMIT));
	RULES_FALSE(t, resmon_heap_exceeded(RESMON_HEAP_BYTES_MAX, RESMON_NO_LIMIT));
	RULES_FALSE(t, resmon_heap_exceeded(RULES_U64_MAX, RESMON_NO_LIMIT));
}

static void heap_largest_quota(RULES_CTX *t)
{
	__u64 limit = resmon_mib_to_bytes(RESMON_HEAP_QUOTA_MAX);

	RULES_TRUE(t, limit <= RESMON_HEAP_BYTES_MAX);
	RULES_EQ(t, RESMON_HEAP_QUOTA_MAX, RESMON_HEAP_BYTES_MAX / RULES_MIB);
	RULES_FALSE(t, resmon_heap_exceeded(limit, RESMON_HEAP_QUOTA_MAX));
	RULES_TRUE(t, resmon_heap_exceeded(limit + 1, RESMON_HEAP_QUOTA_MAX));
	/* A saturated total is over every finite quota but none above it. */
	RULES_TRUE(t, resmon_heap_exceeded(RESMON_HEAP_BYTES_MAX, RESMON_HEAP_QUOTA_MAX));
}

static void files_exceeded_is_strictly_above(RULES_CTX *t)
{
	__s64 most = (__s64)RESMON_HEAP_BYTES_MAX;

	RULES_FALSE(t, resmon_files_exceeded(0, 0));
	RULES_TRUE(t, resmon_files_exceeded(1, 0));
	RULES_FALSE(t, resmon_files_exceeded(5, 5));
	RULES_TRUE(t, resmon_files_exceeded(6, 5));
	RULES_FALSE(t, resmon_files_exceeded(RULES_U64_MAX, RESMON_NO_LIMIT));
	RULES_FALSE(t, resmon_files_exceeded(most, most));
	RULES_TRUE(t, resmon_files_exceeded((__u64)most + 1, most));
}

static void heap_quota_range(RULES_CTX *t)
{
	RULES_TRUE(t, resmon_heap_quota_valid(RESMON_NO_LIMIT));
	RULES_TRUE(t, resmon_heap_quota_valid(0));
	RULES_TRUE(t, resmon_heap_quota_valid(RESMON_HEAP_QUOTA_MAX));
	RULES_FALSE(t, resmon_heap_quota_valid(RESMON_HEAP_QUOTA_MAX + 1));
	RULES_FALSE(t, resmon_heap_quota_valid((__s64)RESMON_HEAP_BYTES_MAX));
	RULES_FALSE(t, resmon_heap_quota_valid(-2));
	RULES_FALSE(t, resmon_heap_quota_valid(RULES_S64_MIN));
	/* 2^43 - 1 MiB is the last quota whose bytes fit in an s64. */
	RULES_EQ(t, RESMON_HEAP_QUOTA_MAX, (1ULL << 43) - 1);
	RULES_EQ(t, RESMON_NO_LIMIT, (__u64)-1);
}

static void file_quota_range(RULES_CTX *t)
{
	RULES_TRUE(t, resmon_file_quota_valid(RESMON_NO_LIMIT));
	RULES_TRUE(t, resmon_file_quota_valid(0));
	RULES_TRUE(t, resmon_file_quota_valid((__s64)RESMON_HEAP_BYTES_MAX));
	RULES_FALSE(t, resmon_file_quota_valid(-2));
	RULES_FALSE(t, resmon_file_quota_valid(RULES_S64_MIN));
}

static void mib_units_both_ways(RULES_CTX *t)
{
	RULES_EQ(t, resmon_bytes_to_mib(0), 0);
	RULES_EQ(t, resmon_bytes_to_mib(RULES_MIB - 1), 0);
	RULES_EQ(t, resmon_bytes_to_mib(RULES_MIB), 1);
	RULES_EQ(t, resmon_bytes_to_mib(RULES_MIB + RULES_MIB / 2), 1);
	RULES_EQ(t, resmon_bytes_to_mib(RESMON_HEAP_BYTES_MAX), RESMON_HEAP_QUOTA_MAX);
	RULES_EQ(t, resmon_bytes_to_mib_up(0), 0);
	RULES_EQ(t, resmon_bytes_to_mib_up(1), 1);
	RULES_EQ(t, resmon_bytes_to_mib_up(RULES_MIB), 1);
	RULES_EQ(t, resmon_bytes_to_mib_up(RULES_MIB + 1), 2);
	RULES_EQ(t, resmon_bytes_to_mib_up(RULES_U64_MAX), 1ULL << (64 - RESMON_MIB_SHIFT));
	RULES_EQ(t, resmon_mib_to_bytes(0), 0);
	RULES_EQ(t, resmon_mib_to_bytes(4), 4 * RULES_MIB);
	RULES_EQ(t, resmon_mib_to_bytes(RESMON_HEAP_QUOTA_MAX),
		 RESMON_HEAP_BYTES_MAX - (RULES_MIB - 1));
}

static void add_saturates(RULES_CTX *t)
{
	RULES_EQ(t, resmon_add_saturating(0, RULES_PAGE), RULES_PAGE);
	RULES_EQ(t, resmon_add_saturating(RESMON_HEAP_BYTES_MAX - 1, 1), RESMON_HEAP_BYTES_MAX);
	RULES_EQ(t, resmon_add_saturating(RESMON_HEAP_BYTES_MAX - 1, 2), RESMON_HEAP_BYTES_MAX);
	RULES_EQ(t, resmon_add_saturating(RESMON_HEAP_BYTES_MAX, RULES_U64_MAX),
		 RESMON_HEAP_BYTES_MAX);
	RULES_EQ(t, resmon_add_saturating(1ULL << 62, 1ULL << 62), RESMON_HEAP_BYTES_MAX);
	RULES_EQ(t, resmon_add_saturating(RULES_U64_MAX, 0), RESMON_HEAP_BYTES_MAX);
}

static void only_private_anonymous_is_heap(RULES_CTX *t)
{
	RULES_TRUE(t, resmon_heap_mapping(true, false));
	RULES_FALSE(t, resmon_heap_mapping(true, true));
	RULES_FALSE(t, resmon_heap_mapping(false, false));
	RULES_FALSE(t, resmon_heap_mapping(false, true));
}

static void kthreads_and_init_unkillable(RULES_CTX *t)
{
	RULES_TRUE(t, resmon_unkillable(true, 2));
	RULES_TRUE(t, resmon_unkillable(false, 1));
	RULES_FALSE(t, resmon_unkillable(false, 2));
	RULES_FALSE(t, resmon_unkillable(false, 0xffffffffU));
}

static void return_codes_per_call(RULES_CTX *t)
{
	/* register, fetch, deregister, cap, reset: resmon.rst, "Return codes". */
	RULES_EQ(t, resmon_code_bad_pid(RESMON_CALL_REGISTER), -EINVAL);
	RULES_EQ(t, resmon_code_bad_pid(RESMON_CALL_FETCH), -EINVAL);
	RULES_EQ(t, resmon_code_bad_pid(RESMON_CALL_DEREGISTER), -EINVAL);
	RULES_EQ(t, resmon_code_bad_pid(RESMON_CALL_CAP), -ESRCH);
	RULES_EQ(t, resmon_code_bad_pid(RESMON_CALL_RESET), -ESRCH);
	RULES_EQ(t, resmon_code_no_process(RESMON_CALL_REGISTER), -ESRCH);
	RULES_EQ(t, resmon_code_no_process(RESMON_CALL_FETCH), -EINVAL);
	RULES_EQ(t, resmon_code_no_process(RESMON_CALL_DEREGISTER), -ESRCH);
	RULES_EQ(t, resmon_code_no_process(RESMON_CALL_CAP), -ESRCH);
	RULES_EQ(t, resmon_code_no_process(RESMON_CALL_RESET), -ESRCH);
	RULES_EQ(t, resmon_code_denied(), -EPERM);
	RULES_EQ(t, resmon_code_not_monitored(RESMON_CALL_FETCH), -EINVAL);
	RULES_EQ(t, resmon_code_not_monitored(RESMON_CALL_DEREGISTER), -ESRCH);
	RULES_EQ(t, resmon_code_not_monitored(RESMON_CALL_CAP), -EINVAL);
	RULES_EQ(t, resmon_code_not_monitored(RESMON_CALL_RESET), -EINVAL);
	RULES_EQ(t, resmon_code_busy(), -ENFILE);
	RULES_EQ(t, resmon_code_bad_quota(), -EINVAL);
}

#endif /* _KERNEL_RESMON_RULES_CASES_H */
