// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the quota arithmetic of resmon (rules.h): the exceed
 * rule at its boundaries, the MiB rounding, the range of valid quotas
 * and the saturating heap total.
 */

#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/limits.h>
#include <linux/mm.h>

#include "rules.h"

#define MIB BIT_ULL(20)

static void heap_exceeded_is_strictly_above(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, resmon_heap_exceeded(0, 0));
	KUNIT_EXPECT_TRUE(test, resmon_heap_exceeded(1, 0));
	KUNIT_EXPECT_TRUE(test, resmon_heap_exceeded(PAGE_SIZE, 0));
	KUNIT_EXPECT_FALSE(test, resmon_heap_exceeded(4 * MIB, 4));
	KUNIT_EXPECT_TRUE(test, resmon_heap_exceeded(4 * MIB + 1, 4));
	KUNIT_EXPECT_TRUE(test, resmon_heap_exceeded(4 * MIB + PAGE_SIZE, 4));
}

static void heap_no_limit_never_exceeded(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, resmon_heap_exceeded(0, RESMON_NO_LIMIT));
	KUNIT_EXPECT_FALSE(test, resmon_heap_exceeded(S64_MAX, RESMON_NO_LIMIT));
	KUNIT_EXPECT_FALSE(test, resmon_heap_exceeded(U64_MAX, RESMON_NO_LIMIT));
}

static void heap_largest_quota(struct kunit *test)
{
	u64 limit = (u64)RESMON_HEAP_QUOTA_MAX * MIB;

	KUNIT_EXPECT_LE(test, limit, (u64)S64_MAX);
	KUNIT_EXPECT_FALSE(test, resmon_heap_exceeded(limit, RESMON_HEAP_QUOTA_MAX));
	KUNIT_EXPECT_TRUE(test, resmon_heap_exceeded(limit + 1, RESMON_HEAP_QUOTA_MAX));
	/* A saturated total is over every finite quota but none above it. */
	KUNIT_EXPECT_TRUE(test, resmon_heap_exceeded(S64_MAX, RESMON_HEAP_QUOTA_MAX));
}

static void files_exceeded_is_strictly_above(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, resmon_files_exceeded(0, 0));
	KUNIT_EXPECT_TRUE(test, resmon_files_exceeded(1, 0));
	KUNIT_EXPECT_FALSE(test, resmon_files_exceeded(5, 5));
	KUNIT_EXPECT_TRUE(test, resmon_files_exceeded(6, 5));
	KUNIT_EXPECT_FALSE(test, resmon_files_exceeded(ULONG_MAX, RESMON_NO_LIMIT));
	KUNIT_EXPECT_FALSE(test, resmon_files_exceeded(LONG_MAX, LONG_MAX));
	KUNIT_EXPECT_TRUE(test, resmon_files_exceeded((unsigned long)LONG_MAX + 1,
						      LONG_MAX));
}

static void heap_quota_range(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, resmon_heap_quota_valid(RESMON_NO_LIMIT));
	KUNIT_EXPECT_TRUE(test, resmon_heap_quota_valid(0));
	KUNIT_EXPECT_TRUE(test, resmon_heap_quota_valid(RESMON_HEAP_QUOTA_MAX));
	KUNIT_EXPECT_FALSE(test, resmon_heap_quota_valid(RESMON_HEAP_QUOTA_MAX + 1));
	KUNIT_EXPECT_FALSE(test, resmon_heap_quota_valid(LONG_MAX));
	KUNIT_EXPECT_FALSE(test, resmon_heap_quota_valid(-2));
	KUNIT_EXPECT_FALSE(test, resmon_heap_quota_valid(LONG_MIN));
	/* 2^43 - 1 MiB is the last quota whose bytes fit in an s64. */
	KUNIT_EXPECT_EQ(test, RESMON_HEAP_QUOTA_MAX, (1LL << 43) - 1);
}

static void file_quota_range(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, resmon_file_quota_valid(RESMON_NO_LIMIT));
	KUNIT_EXPECT_TRUE(test, resmon_file_quota_valid(0));
	KUNIT_EXPECT_TRUE(test, resmon_file_quota_valid(LONG_MAX));
	KUNIT_EXPECT_FALSE(test, resmon_file_quota_valid(-2));
	KUNIT_EXPECT_FALSE(test, resmon_file_quota_valid(LONG_MIN));
}

static void mib_rounds_down(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, resmon_bytes_to_mib(0), 0UL);
	KUNIT_EXPECT_EQ(test, resmon_bytes_to_mib(MIB - 1), 0UL);
	KUNIT_EXPECT_EQ(test, resmon_bytes_to_mib(MIB), 1UL);
	KUNIT_EXPECT_EQ(test, resmon_bytes_to_mib(MIB + MIB / 2), 1UL);
	KUNIT_EXPECT_EQ(test, resmon_bytes_to_mib(S64_MAX), (unsigned long)(S64_MAX >> 20));
}

static void add_saturates(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, resmon_add_saturating(0, PAGE_SIZE), (u64)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, resmon_add_saturating(S64_MAX - 1, 1), (u64)S64_MAX);
	KUNIT_EXPECT_EQ(test, resmon_add_saturating(S64_MAX - 1, 2), (u64)S64_MAX);
	KUNIT_EXPECT_EQ(test, resmon_add_saturating(S64_MAX, ULONG_MAX), (u64)S64_MAX);
	KUNIT_EXPECT_EQ(test, resmon_add_saturating(1ULL << 62, 1ULL << 62), (u64)S64_MAX);
}

static void page_alignment_of_growth(struct kunit *test)
{
	/* What the brk hook is given: PAGE_ALIGN(new) - PAGE_ALIGN(old). */
	unsigned long base = 0x600000;

	KUNIT_EXPECT_EQ(test, PAGE_ALIGN(base + 1) - PAGE_ALIGN(base), PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, PAGE_ALIGN(base + 2) - PAGE_ALIGN(base + 1), 0UL);
	KUNIT_EXPECT_EQ(test, PAGE_ALIGN(base + PAGE_SIZE + 1) - PAGE_ALIGN(base + 1),
			PAGE_SIZE);
}

static struct kunit_case resmon_quota_cases[] = {
	KUNIT_CASE(heap_exceeded_is_strictly_above),
	KUNIT_CASE(heap_no_limit_never_exceeded),
	KUNIT_CASE(heap_largest_quota),
	KUNIT_CASE(files_exceeded_is_strictly_above),
	KUNIT_CASE(heap_quota_range),
	KUNIT_CASE(file_quota_range),
	KUNIT_CASE(mib_rounds_down),
	KUNIT_CASE(add_saturates),
	KUNIT_CASE(page_alignment_of_growth),
	{}
};

static struct kunit_suite resmon_quota_suite = {
	.name = "resmon_quota",
	.test_cases = resmon_quota_cases,
};

kunit_test_suite(resmon_quota_suite);

MODULE_LICENSE("GPL");
