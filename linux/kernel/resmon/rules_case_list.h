/* SPDX-License-Identifier: GPL-2.0 */
/*
 * resmon - the list of rules_cases.h's cases, one RULES_CASE(name) a line,
 * included by each runner inside its array of cases with RULES_CASE
 * defined its own way (rules_kunit.c, tests/rules/rules_test.c). No
 * include guard: it is meant to be expanded where it is included.
 */
RULES_CASE(heap_exceeded_is_strictly_above)
RULES_CASE(heap_no_limit_never_exceeded)
RULES_CASE(heap_largest_quota)
RULES_CASE(files_exceeded_is_strictly_above)
RULES_CASE(heap_quota_range)
RULES_CASE(file_quota_range)
RULES_CASE(mib_units_both_ways)
RULES_CASE(add_saturates)
RULES_CASE(only_private_anonymous_is_heap)
RULES_CASE(kthreads_and_init_unkillable)
RULES_CASE(return_codes_per_call)
