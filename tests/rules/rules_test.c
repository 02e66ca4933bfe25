// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host unit test of resmon's rulebook (linux/kernel/resmon/rules.h):
 * the cases of rules_cases.h, which the KUnit suite runs in the kernel,
 * compiled here in user space against the same header. Prints one line a
 * case and "N passed, M failed"; exit status 1 if any failed.
 */
#include <stdio.h>

struct rules_ctx {
	const char *failed;	/* the first expectation that did not hold */
	int line;
};

static void rules_expect(struct rules_ctx *t, int ok, const char *what, int line)
{
	if (!ok && !t->failed) {
		t->failed = what;
		t->line = line;
	}
}

#define RULES_CTX		struct rules_ctx
#define RULES_TRUE(t, cond)	rules_expect(t, !!(cond), #cond, __LINE__)
#define RULES_FALSE(t, cond)	rules_expect(t, !(cond), "!(" #cond ")", __LINE__)
#define RULES_EQ(t, a, b)	rules_expect(t, (__u64)(a) == (__u64)(b), #a " == " #b, __LINE__)
#include "rules_cases.h"

struct rules_case {
	const char *name;
	void (*fn)(struct rules_ctx *t);
};

#define RULES_CASE(name) { #name, name },
static const struct rules_case cases[] = {
#include "rules_case_list.h"
};

int main(void)
{
	int passed = 0, failed = 0;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rules_ctx t = { 0 };

		cases[i].fn(&t);
		if (t.failed) {
			printf("FAIL rules %s: rules_cases.h:%d: %s\n", cases[i].name, t.line,
			       t.failed);
			failed++;
		} else {
			printf("ok   rules %s\n", cases[i].name);
			passed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
