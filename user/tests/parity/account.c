// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Accounting: what each mmap and brk adds to the heap total, measured to
 * the page. heapsize is MiB rounded down, so a case first brings the total
 * to exactly 1 MiB - 1 page (fill()); then one wrongly counted page moves
 * heapsize from 0 to 1, and one more correctly counted page does.
 */
#include "util.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_HUGETLB
#define MAP_HUGETLB 0x40000
#endif

PARITY_CASE(heap_mib_rounded_down)
{
	const pid_t self = getpid();

	register_self();
	CHECK(map_private(MIB + MIB / 2) != MAP_FAILED);
	CHECK_EQ(1, heap_mib(self));
	CHECK(map_private(MIB / 2 - page_size()) != MAP_FAILED);
	CHECK_EQ(1, heap_mib(self));
	CHECK(map_private(page_size()) != MAP_FAILED);
	CHECK_EQ(2, heap_mib(self));
	CHECK_EQ(0, nfiles(self));
}

PARITY_CASE(mmap_private_anon_counts_page_aligned_length)
{
	const pid_t self = getpid();
	char *p;

	register_self();
	fill();
	/* one byte maps, and counts, a whole page */
	CHECK(map_private(1) != MAP_FAILED);
	CHECK_EQ(1, heap_mib(self));
	/* 1 MiB - 1 page + 1 byte counts exactly 1 MiB */
	CHECK(map_private(MIB - page_size() + 1) != MAP_FAILED);
	CHECK_EQ(2, heap_mib(self));
	/* munmap never lowers the total */
	p = map_private(MIB);
	CHECK(p != MAP_FAILED);
	CHECK_EQ(3, heap_mib(self));
	CHECK_EQ(0, munmap(p, MIB));
	CHECK_EQ(3, heap_mib(self));
	/* read-only, and MAP_FIXED over an existing mapping, count too */
	p = mmap(NULL, MIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK_EQ(4, heap_mib(self));
	CHECK(p == mmap(p, MIB, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	CHECK_EQ(5, heap_mib(self));
	/* MAP_POPULATE and MAP_NORESERVE do not change what counts */
	CHECK(mmap(NULL, MIB, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0) != MAP_FAILED);
	CHECK(mmap(NULL, MIB, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0) != MAP_FAILED);
	CHECK_EQ(7, heap_mib(self));
}

PARITY_CASE(mmap_shared_anon_not_counted)
{
	register_self();
	fill();
	CHECK(mmap(NULL, page_size(), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0) != MAP_FAILED);
	CHECK(mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0) != MAP_FAILED);
	/*
	 * MAP_SHARED_VALIDATE is 0x03, so it has the MAP_PRIVATE bit. Whether
	 * the kernel accepts it for anonymous memory or not, it adds nothing.
	 */
	mmap(NULL, page_size(), PROT_READ | PROT_WRITE,
	     MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0);
	mmap(NULL, 4 * MIB, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0);
	CHECK_EQ(0, heap_mib(getpid()));
	one_more_page();
}

PARITY_CASE(mmap_file_backed_not_counted)
{
	char path[] = "/tmp/resmon-parity-mmap-XXXXXX";
	const unsigned long page = page_size();
	int fd, zero;

	fd = mkstemp(path);
	CHECK(fd >= 0);
	unlink(path);
	CHECK_EQ(0, ftruncate(fd, 4 * MIB));
	zero = open("/dev/zero", O_RDWR | O_CLOEXEC);
	CHECK(zero >= 0);

	register_self();
	fill();
	CHECK(mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) != MAP_FAILED);
	CHECK(mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) != MAP_FAILED);
	CHECK(mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) != MAP_FAILED);
	CHECK(mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE, fd, page) !=
	      MAP_FAILED);
	/* /dev/zero mapped privately: not MAP_ANONYMOUS by the flags, not counted */
	CHECK(mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, zero, 0) != MAP_FAILED);
	CHECK_EQ(0, heap_mib(getpid()));
	CHECK_EQ(0, nfiles(getpid()));
	one_more_page();
}

PARITY_CASE(mmap_failed_not_counted)
{
	const unsigned long page = page_size();
	char *p;

	p = mmap(NULL, page, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	register_self();
	fill();
	/* the address is taken */
	CHECK(mmap(p, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		   -1, 0) == MAP_FAILED);
	CHECK_EQ(EEXIST, errno);
	/* zero length */
	CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
	/* larger than the address space */
	CHECK(mmap(NULL, 1UL << 47, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
	      MAP_FAILED);
	/* unaligned MAP_FIXED */
	CHECK(mmap(p + 1, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
	      MAP_FAILED);
	/* a bad fd without MAP_ANONYMOUS */
	CHECK(mmap(NULL, page, PROT_READ, MAP_PRIVATE, 1000, 0) == MAP_FAILED);
	CHECK_EQ(0, heap_mib(getpid()));
	one_more_page();
}

static long hugepage_size(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Hugepagesize: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb > 0 ? kb * 1024 : -1;
}

static long read_long(const char *path)
{
	long v = -1;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static void write_long(const char *path, long v)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fprintf(f, "%ld\n", v);
		fclose(f);
	}
}

/* MAP_HUGETLB counts the huge-page aligned length; shared huge pages nothing. */
PARITY_CASE(mmap_hugetlb_counts_huge_page_aligned)
{
	const char *nr = "/proc/sys/vm/nr_hugepages";
	const long hsz = hugepage_size();
	long old = read_long(nr);
	void *p;

	if (hsz < 0 || old < 0)
		skip("no hugetlb support in this kernel");
	if (old < 2)
		write_long(nr, 2);
	if (read_long(nr) < 2)
		skip("cannot reserve two huge pages");
	register_self();
	p = mmap(NULL, page_size(), PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (p == MAP_FAILED) {
		CHECK_EQ(0, heap_mib(getpid()));
		skip("cannot map a huge page (errno %d)", errno);
	}
	CHECK_EQ(hsz >> 20, heap_mib(getpid()));
	p = mmap(NULL, page_size(), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK_EQ(hsz >> 20, heap_mib(getpid()));
	if (old < 2)
		write_long(nr, old);
}

PARITY_CASE(brk_grow_counts_page_aligned)
{
	const pid_t self = getpid();
	const unsigned long page = page_size();
	unsigned long a0 = brk_base(), end;

	register_self();
	end = a0 + MIB - page;
	CHECK_EQ(end, raw_brk(end));
	CHECK_EQ(0, heap_mib(self));
	/* one byte further starts a new page: a whole page counted */
	CHECK_EQ(end + 1, raw_brk(end + 1));
	CHECK_EQ(1, heap_mib(self));
	CHECK_EQ(a0 + 3 * MIB, raw_brk(a0 + 3 * MIB));
	CHECK_EQ(3, heap_mib(self));
	/* brk(0) and brk(current) add nothing */
	CHECK_EQ(a0 + 3 * MIB, raw_brk(0));
	CHECK_EQ(a0 + 3 * MIB, raw_brk(a0 + 3 * MIB));
	CHECK_EQ(3, heap_mib(self));
	CHECK_EQ(a0, raw_brk(a0));
	CHECK_EQ(3, heap_mib(self));
}

PARITY_CASE(brk_within_one_page_adds_nothing)
{
	const pid_t self = getpid();
	const unsigned long page = page_size();
	unsigned long a0 = brk_base();

	register_self();
	/* the break inside the last page of 1 MiB - 1 page */
	CHECK_EQ(a0 + MIB - 2 * page + 1, raw_brk(a0 + MIB - 2 * page + 1));
	CHECK_EQ(0, heap_mib(self));
	/* up to the end of that same page: +0 */
	CHECK_EQ(a0 + MIB - page - 100, raw_brk(a0 + MIB - page - 100));
	CHECK_EQ(a0 + MIB - page, raw_brk(a0 + MIB - page));
	CHECK_EQ(0, heap_mib(self));
	/* one more byte: a new page, exactly 1 MiB */
	CHECK_EQ(a0 + MIB - page + 1, raw_brk(a0 + MIB - page + 1));
	CHECK_EQ(1, heap_mib(self));
	CHECK_EQ(a0, raw_brk(a0));
}

PARITY_CASE(brk_shrink_adds_nothing_regrow_adds_again)
{
	const pid_t self = getpid();
	const unsigned long page = page_size();
	unsigned long a0 = brk_base();

	register_self();
	CHECK_EQ(a0 + MIB - 2 * page, raw_brk(a0 + MIB - 2 * page));
	CHECK_EQ(0, heap_mib(self));
	/* a shrink adds nothing, removes nothing, never wraps */
	CHECK_EQ(a0, raw_brk(a0));
	CHECK_EQ(0, heap_mib(self));
	/* regrow into page 0 (unaligned break): one page, 1 MiB - 1 page in all */
	CHECK_EQ(a0 + 100, raw_brk(a0 + 100));
	CHECK_EQ(0, heap_mib(self));
	/* shrink and regrow within that page: +0 */
	CHECK_EQ(a0 + 50, raw_brk(a0 + 50));
	CHECK_EQ(a0 + page, raw_brk(a0 + page));
	CHECK_EQ(0, heap_mib(self));
	/* into page 1: exactly 1 MiB */
	CHECK_EQ(a0 + page + 1, raw_brk(a0 + page + 1));
	CHECK_EQ(1, heap_mib(self));
	/* shrink all, regrow 1 MiB: counted again */
	CHECK_EQ(a0, raw_brk(a0));
	CHECK_EQ(1, heap_mib(self));
	CHECK_EQ(a0 + MIB, raw_brk(a0 + MIB));
	CHECK_EQ(2, heap_mib(self));
	CHECK_EQ(a0, raw_brk(a0));
	CHECK_EQ(2, heap_mib(self));
}

PARITY_CASE(brk_failed_adds_nothing)
{
	const pid_t self = getpid();
	const unsigned long page = page_size();
	unsigned long a0 = brk_base();
	void *wall;

	/* a mapping 2 MiB above the break, which brk may not grow into */
	wall = mmap((void *)(a0 + 2 * MIB), page, PROT_NONE,
		    MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(wall == (void *)(a0 + 2 * MIB));
	register_self();
	fill();
	/* refused: brk returns the old break */
	CHECK_EQ(a0, raw_brk(a0 + 4 * MIB));
	CHECK_EQ(a0, raw_brk(a0 + 2 * MIB + 1));
	CHECK_EQ(0, heap_mib(self));
	CHECK_EQ(a0 + page, raw_brk(a0 + page));
	CHECK_EQ(1, heap_mib(self));
	CHECK_EQ(a0, raw_brk(a0));
}
