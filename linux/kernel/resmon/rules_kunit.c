// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of resmon's rulebook (rules.h): the cases of rules_cases.h,
 * which the host unit test (tests/rules/rules_test.c) runs as well, and
 * the page rounding the brk hook is given, which is the kernel's own.
 */

#include <kunit/test.h>
#include <linux/mm.h>

#define RULES_CTX		struct kunit
#define RULES_TRUE(t, cond)	KUNIT_EXPECT_TRUE(t, cond)
#define RULES_FALSE(t, cond)	KUNIT_EXPECT_FALSE(t, cond)
#define RULES_EQ(t, a, b)	KUNIT_EXPECT_EQ(t, (__u64)(a), (__u64)(b))
#include "rules_cases.h"

static void page_alignment_of_growth(struct kunit *test)
{
	/* What the brk hook is given: PAGE_ALIGN(new) - PAGE_ALIGN(old). */
	unsigned long base = 0x600000;

	KUNIT_EXPECT_EQ(test, PAGE_ALIGN(base + 1) - PAGE_ALIGN(base), PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, PAGE_ALIGN(base + 2) - PAGE_ALIGN(base + 1), 0UL);
	KUNIT_EXPECT_EQ(test, PAGE_ALIGN(base + PAGE_SIZE + 1) - PAGE_ALIGN(base + 1),
			PAGE_SIZE);
}

#define RULES_CASE(name) KUNIT_CASE(name),
static struct kunit_case resmon_rules_cases[] = {
#include "rules_case_list.h"
	KUNIT_CASE(page_alignment_of_growth),
	{}
};

static struct kunit_suite resmon_rules_suite = {
	.name = "resmon_rules",
	.test_cases = resmon_rules_cases,
};

kunit_test_suite(resmon_rules_suite);

MODULE_LICENSE("GPL");
