// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A 32-bit process can be monitored and its compat opens, mmaps and brks
 * count like a 64-bit one's: resmon_parity_helper32 (built with -m32)
 * makes one call per step and this side checks the record after each.
 */
#include "util.h"

#include <limits.h>

PARITY_CASE(compat_32bit_process_counts)
{
	/* after steps a..j: opens and heap MiB */
	static const struct { char mark; int files; int mib; } want[] = {
		{ 'a', 1, 0 }, { 'b', 2, 0 }, { 'c', 3, 0 }, { 'd', 4, 0 }, { 'e', 4, 0 },
		{ 'f', 4, 0 }, { 'g', 4, 0 }, { 'h', 4, 1 }, { 'i', 4, 2 },
		{ 'j', 4, 3 },
	};
	char path[PATH_MAX];
	struct per_proc_resource r;
	struct child c;
	unsigned int i;

	if (!beside_self("resmon_parity_helper32", path, sizeof(path)) || access(path, X_OK))
		skip("no resmon_parity_helper32 beside this test (gcc-multilib missing?)");
	CHECK(spawn(&c, exec_child, path) > 0);
	if (read_mark(&c) != 'r') {
		int st = reap(&c);

		/* exit 123: the exec failed (e.g. no IA32 emulation in this kernel) */
		skip("the 32-bit helper did not start (status 0x%x)", st);
	}
	CHECK_OK(resmon_register(c.pid));
	check_fresh(c.pid);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		CHECK_EQ(0, go(&c));
		CHECK_EQ(want[i].mark, read_mark(&c));
		FETCH(c.pid, r);
		if ((long)r.openfile_count != want[i].files || (long)r.heapsize != want[i].mib)
			fail_at(__FILE__, __LINE__, "after step %c: want %d files %d MiB, got %lu, %lu",
				want[i].mark, want[i].files, want[i].mib,
				r.openfile_count, r.heapsize);
	}
	CHECK_EQ(0, go(&c));
	CHECK_EXITED_OK(reap(&c));
}
