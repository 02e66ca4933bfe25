// SPDX-License-Identifier: GPL-2.0
/*
 * resmon accounting: what each entry point adds to the heap and
 * open-file totals, measured with byte precision.
 *
 * heapsize is reported in MiB rounded down, so each heap test first brings
 * the exact total to 1 MiB - 1 page ("fill"); then a single wrongly counted
 * page (or byte) moves heapsize from 0 to 1, and a correctly counted page
 * does.  Right after register(getpid()) the total is exactly 0, and the
 * tests make no other allocation between measurements.
 */

#include "resmon_helpers.h"

#include <linux/io_uring.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>

#ifndef MAP_HUGETLB
#define MAP_HUGETLB 0x40000
#endif

static void register_self(struct __test_metadata *_metadata)
{
	struct per_proc_resource r;

	ASSERT_EQ(0, rm_register(getpid()));
	FETCH(getpid(), r);
	ASSERT_EQ(0, r.heapsize);
	ASSERT_EQ(0, r.openfile_count);
}

/* Bring the heap total (0 on entry) to exactly 1 MiB - 1 page. */
static void fill(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, HEAP_MIB(getpid()));
	ASSERT_NE(MAP_FAILED, rm_map_private(MIB - rm_page()));
	ASSERT_EQ(0, HEAP_MIB(getpid()));
}

/* Adding one more page must reach exactly 1 MiB: proves the fill. */
static void one_more_page(struct __test_metadata *_metadata)
{
	ASSERT_NE(MAP_FAILED, rm_map_private(rm_page()));
	ASSERT_EQ(1, HEAP_MIB(getpid()));
}

TEST(heapsize_is_mib_rounded_down)
{
	const pid_t self = getpid();

	register_self(_metadata);
	ASSERT_NE(MAP_FAILED, rm_map_private(MIB + MIB / 2));
	EXPECT_EQ(1, HEAP_MIB(self));
	ASSERT_NE(MAP_FAILED, rm_map_private(MIB / 2 - rm_page()));
	EXPECT_EQ(1, HEAP_MIB(self));
	ASSERT_NE(MAP_FAILED, rm_map_private(rm_page()));
	EXPECT_EQ(2, HEAP_MIB(self));
	EXPECT_EQ(0, NFILES(self));
}

TEST(mmap_private_anon_counts_page_aligned_length)
{
	const pid_t self = getpid();
	char *p;

	register_self(_metadata);
	fill(_metadata);
	/* one byte maps (and counts) a whole page */
	ASSERT_NE(MAP_FAILED, rm_map_private(1));
	EXPECT_EQ(1, HEAP_MIB(self));
	/* 1 MiB - 1 page + 1 byte counts exactly 1 MiB */
	ASSERT_NE(MAP_FAILED, rm_map_private(MIB - rm_page() + 1));
	EXPECT_EQ(2, HEAP_MIB(self));
	/* munmap never lowers the total */
	p = rm_map_private(MIB);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(3, HEAP_MIB(self));
	ASSERT_EQ(0, munmap(p, MIB));
	EXPECT_EQ(3, HEAP_MIB(self));
	/* read-only and MAP_FIXED private anonymous mappings count too */
	p = mmap(NULL, MIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(4, HEAP_MIB(self));
	ASSERT_EQ(p, mmap(p, MIB, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	EXPECT_EQ(5, HEAP_MIB(self));
	/* MAP_POPULATE and MAP_NORESERVE do not change what counts */
	ASSERT_NE(MAP_FAILED, mmap(NULL, MIB, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0));
	ASSERT_NE(MAP_FAILED, mmap(NULL, MIB, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
	EXPECT_EQ(7, HEAP_MIB(self));
}

TEST(mmap_shared_anon_not_counted)
{
	register_self(_metadata);
	fill(_metadata);
	ASSERT_NE(MAP_FAILED, mmap(NULL, rm_page(), PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0));
	ASSERT_NE(MAP_FAILED, mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0));
	/*
	 * MAP_SHARED_VALIDATE is 0x03: it has the MAP_PRIVATE bit set.
	 * 6.1 refuses it for anonymous memory (EINVAL); refused or not,
	 * it adds nothing.
	 */
	mmap(NULL, rm_page(), PROT_READ | PROT_WRITE,
	     MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0);
	mmap(NULL, 4 * MIB, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0);
	EXPECT_EQ(0, HEAP_MIB(getpid()));
	one_more_page(_metadata);
}

TEST(mmap_file_backed_not_counted)
{
	char path[] = "/tmp/resmon-mmap-XXXXXX";
	const size_t page = rm_page();
	int fd, zero;

	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	unlink(path);
	ASSERT_EQ(0, ftruncate(fd, 4 * MIB));
	zero = open("/dev/zero", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, zero);

	register_self(_metadata);
	fill(_metadata);
	ASSERT_NE(MAP_FAILED, mmap(NULL, page, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE, fd, 0));
	ASSERT_NE(MAP_FAILED, mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE, fd, 0));
	ASSERT_NE(MAP_FAILED, mmap(NULL, page, PROT_READ | PROT_WRITE,
				   MAP_SHARED, fd, 0));
	ASSERT_NE(MAP_FAILED, mmap(NULL, page, PROT_READ | PROT_WRITE,
				   MAP_SHARED_VALIDATE, fd, page));
	/* /dev/zero: not MAP_ANONYMOUS in the flags, so not counted */
	ASSERT_NE(MAP_FAILED, mmap(NULL, page, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE, zero, 0));
	EXPECT_EQ(0, HEAP_MIB(getpid()));
	EXPECT_EQ(0, NFILES(getpid()));
	one_more_page(_metadata);
	close(fd);
	close(zero);
}

TEST(mmap_failed_not_counted)
{
	const size_t page = rm_page();
	char *p;
	FILE *f;
	int overcommit = -1;

	f = fopen("/proc/sys/vm/overcommit_memory", "r");
	if (f) {
		if (fscanf(f, "%d", &overcommit) != 1)
			overcommit = -1;
		fclose(f);
	}
	p = mmap(NULL, page, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);

	register_self(_metadata);
	fill(_metadata);
	/* address taken */
	EXPECT_EQ(MAP_FAILED, mmap(p, page, PROT_READ,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
				   -1, 0));
	EXPECT_EQ(EEXIST, errno);
	/* zero length */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 0, PROT_READ,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	/* larger than the address space */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 1UL << 47, PROT_READ,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	/* unaligned MAP_FIXED */
	EXPECT_EQ(MAP_FAILED, mmap(p + 1, page, PROT_READ,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	/* a bad fd without MAP_ANONYMOUS */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page, PROT_READ, MAP_PRIVATE, 1000, 0));
	/* unknown flag with MAP_SHARED_VALIDATE (not private anyway) */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page, PROT_READ,
				   MAP_SHARED_VALIDATE | MAP_ANONYMOUS | 0x800000,
				   -1, 0));
	/* late failure: commit accounting refuses 64 GiB of private memory */
	if (overcommit == 0) {
		EXPECT_EQ(MAP_FAILED, mmap(NULL, 64UL << 30, PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
		EXPECT_EQ(ENOMEM, errno);
	}
	EXPECT_EQ(0, HEAP_MIB(getpid()));
	one_more_page(_metadata);
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

static long sysctl_rw(const char *path, long set)
{
	long old = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &old) != 1)
		old = -1;
	fclose(f);
	if (set >= 0) {
		f = fopen(path, "w");
		if (!f)
			return -1;
		fprintf(f, "%ld\n", set);
		if (fclose(f))
			return -1;
	}
	return old;
}

/* MAP_HUGETLB counts the huge-page aligned length. */
TEST(mmap_hugetlb_counts_huge_page_aligned)
{
	const char *nr = "/proc/sys/vm/nr_hugepages";
	const long hsz = hugepage_size();
	long old;
	void *p;

	if (hsz < 0)
		SKIP(return, "no hugetlb support (no Hugepagesize in /proc/meminfo)");
	old = sysctl_rw(nr, -1);
	if (old < 2)
		sysctl_rw(nr, 2);
	/* the allocation itself must not be counted before registration */
	register_self(_metadata);
	p = mmap(NULL, rm_page(), PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (p == MAP_FAILED) {
		EXPECT_EQ(0, HEAP_MIB(getpid()));
		if (old >= 0 && old < 2)
			sysctl_rw(nr, old);
		SKIP(return, "cannot allocate a huge page (errno %d)", errno);
	}
	/* one small page asked, one huge page mapped and counted */
	EXPECT_EQ(hsz >> 20, HEAP_MIB(getpid()));
	/* shared huge pages are not counted */
	p = mmap(NULL, rm_page(), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (p != MAP_FAILED)
		EXPECT_EQ(hsz >> 20, HEAP_MIB(getpid()));
	if (old >= 0 && old < 2)
		sysctl_rw(nr, old);
}

/* Align the break first, so brk arithmetic starts on a page boundary. */
static unsigned long brk_base(struct __test_metadata *_metadata)
{
	unsigned long cur = rm_brk(0), a0 = rm_page_align(cur);

	ASSERT_EQ(a0, rm_brk(a0));
	return a0;
}

TEST(brk_grow_counts_page_aligned)
{
	const pid_t self = getpid();
	const size_t page = rm_page();
	unsigned long a0 = brk_base(_metadata), end;

	register_self(_metadata);
	end = a0 + MIB - page;
	ASSERT_EQ(end, rm_brk(end));
	EXPECT_EQ(0, HEAP_MIB(self));
	/* one byte further starts a new page: a whole page counted */
	ASSERT_EQ(end + 1, rm_brk(end + 1));
	EXPECT_EQ(1, HEAP_MIB(self));
	ASSERT_EQ(a0 + 3 * MIB, rm_brk(a0 + 3 * MIB));
	EXPECT_EQ(3, HEAP_MIB(self));
	/* brk(0) and brk(current) add nothing */
	ASSERT_EQ(a0 + 3 * MIB, rm_brk(0));
	ASSERT_EQ(a0 + 3 * MIB, rm_brk(a0 + 3 * MIB));
	EXPECT_EQ(3, HEAP_MIB(self));
	/* shrinking takes nothing back */
	ASSERT_EQ(a0, rm_brk(a0));
	EXPECT_EQ(3, HEAP_MIB(self));
}

TEST(brk_within_same_page_adds_nothing)
{
	const pid_t self = getpid();
	const size_t page = rm_page();
	unsigned long a0 = brk_base(_metadata);

	register_self(_metadata);
	/* break inside the last page of 1 MiB - 1 page */
	ASSERT_EQ(a0 + MIB - 2 * page + 1, rm_brk(a0 + MIB - 2 * page + 1));
	EXPECT_EQ(0, HEAP_MIB(self));
	/* grow up to the end of that same page: +0 */
	ASSERT_EQ(a0 + MIB - page - 100, rm_brk(a0 + MIB - page - 100));
	ASSERT_EQ(a0 + MIB - page, rm_brk(a0 + MIB - page));
	EXPECT_EQ(0, HEAP_MIB(self));
	/* one more byte: a new page, exactly 1 MiB */
	ASSERT_EQ(a0 + MIB - page + 1, rm_brk(a0 + MIB - page + 1));
	EXPECT_EQ(1, HEAP_MIB(self));
	ASSERT_EQ(a0, rm_brk(a0));
}

TEST(brk_shrink_adds_nothing_regrow_adds_again)
{
	const pid_t self = getpid();
	const size_t page = rm_page();
	unsigned long a0 = brk_base(_metadata);

	register_self(_metadata);
	ASSERT_EQ(a0 + MIB - 2 * page, rm_brk(a0 + MIB - 2 * page));
	EXPECT_EQ(0, HEAP_MIB(self));
	/* shrink: nothing added, nothing removed, no wrap-around */
	ASSERT_EQ(a0, rm_brk(a0));
	EXPECT_EQ(0, HEAP_MIB(self));
	/* regrow into page 0 (unaligned break): one page, 1 MiB - 1 page */
	ASSERT_EQ(a0 + 100, rm_brk(a0 + 100));
	EXPECT_EQ(0, HEAP_MIB(self));
	/* shrink and regrow within that page: +0 */
	ASSERT_EQ(a0 + 50, rm_brk(a0 + 50));
	ASSERT_EQ(a0 + page, rm_brk(a0 + page));
	EXPECT_EQ(0, HEAP_MIB(self));
	/* regrow into page 1: exactly 1 MiB */
	ASSERT_EQ(a0 + page + 1, rm_brk(a0 + page + 1));
	EXPECT_EQ(1, HEAP_MIB(self));
	/* shrink all, regrow 1 MiB: counted again, 2 MiB */
	ASSERT_EQ(a0, rm_brk(a0));
	EXPECT_EQ(1, HEAP_MIB(self));
	ASSERT_EQ(a0 + MIB, rm_brk(a0 + MIB));
	EXPECT_EQ(2, HEAP_MIB(self));
	ASSERT_EQ(a0, rm_brk(a0));
	EXPECT_EQ(2, HEAP_MIB(self));
}

TEST(brk_failed_adds_nothing)
{
	const pid_t self = getpid();
	const size_t page = rm_page();
	unsigned long a0 = brk_base(_metadata);
	void *wall;

	/* a mapping 2 MiB above the break that brk may not cross */
	wall = mmap((void *)(a0 + 2 * MIB), page, PROT_NONE,
		    MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	ASSERT_EQ((void *)(a0 + 2 * MIB), wall);

	register_self(_metadata);
	fill(_metadata);
	/* fails: returns the old break */
	ASSERT_EQ(a0, rm_brk(a0 + 4 * MIB));
	ASSERT_EQ(a0, rm_brk(a0 + 2 * MIB + 1));
	EXPECT_EQ(0, HEAP_MIB(self));
	ASSERT_EQ(a0 + page, rm_brk(a0 + page));
	EXPECT_EQ(1, HEAP_MIB(self));
	ASSERT_EQ(a0, rm_brk(a0));
}

/* ---- open-file accounting ---- */

FIXTURE(open_entry) {
};

FIXTURE_VARIANT(open_entry) {
	int (*fn)(void);
};

FIXTURE_VARIANT_ADD(open_entry, open) { .fn = rm_open_open };
FIXTURE_VARIANT_ADD(open_entry, openat) { .fn = rm_open_openat };
FIXTURE_VARIANT_ADD(open_entry, openat2) { .fn = rm_open_openat2 };
FIXTURE_VARIANT_ADD(open_entry, creat) { .fn = rm_open_creat };
FIXTURE_VARIANT_ADD(open_entry, o_path) { .fn = rm_open_path };

FIXTURE_SETUP(open_entry)
{
}

FIXTURE_TEARDOWN(open_entry)
{
}

TEST_F(open_entry, counts_one_per_success)
{
	const pid_t me = getpid();
	int fd[3], i;

	register_self(_metadata);
	for (i = 0; i < 3; i++) {
		fd[i] = variant->fn();
		ASSERT_LE(0, fd[i]);
		EXPECT_EQ(i + 1, NFILES(me));
	}
	/* close does not subtract */
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, close(fd[i]));
	EXPECT_EQ(3, NFILES(me));
	/* opens do not touch the heap total */
	EXPECT_EQ(0, HEAP_MIB(me));
}

TEST(open_other_flags_count)
{
	const pid_t self = getpid();
	int fd;

	register_self(_metadata);
	/* a directory */
	fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(1, NFILES(self));
	/* create a new file */
	fd = open("/tmp/resmon-selftest-new", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
		  0600);
	ASSERT_LE(0, fd);
	EXPECT_EQ(2, NFILES(self));
	/* relative to a directory fd */
	fd = openat(AT_FDCWD, "/tmp", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(3, NFILES(self));
	fd = openat(fd, "resmon-selftest-new", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(4, NFILES(self));
	/* O_TMPFILE on tmpfs */
	fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		EXPECT_EQ(5, NFILES(self));
	unlink("/tmp/resmon-selftest-new");
}

TEST(failed_opens_not_counted)
{
	const pid_t self = getpid();
	struct open_how how = { .flags = O_RDONLY, .resolve = 1ULL << 40 };
	struct rlimit rl, old;
	int fd, lowest;

	fd = open("/tmp/resmon-selftest-excl", O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	register_self(_metadata);

	EXPECT_EQ(-1, syscall(SYS_open, "/nonexistent/resmon", O_RDONLY));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, syscall(SYS_openat, AT_FDCWD, "/nonexistent", O_RDONLY));
	EXPECT_EQ(-1, syscall(SYS_openat, -1, "relative", O_RDONLY));
	EXPECT_EQ(-1, syscall(SYS_openat2, AT_FDCWD, "/nonexistent", &how,
			      sizeof(how)));
	how.resolve = 0;
	EXPECT_EQ(-1, syscall(SYS_openat2, AT_FDCWD, RM_FILE, &how, 8));
	EXPECT_EQ(-1, syscall(SYS_creat, "/nonexistent/resmon", 0600));
	EXPECT_EQ(-1, syscall(SYS_open, "/tmp/resmon-selftest-excl",
			      O_CREAT | O_EXCL | O_RDWR, 0600));
	EXPECT_EQ(EEXIST, errno);
	EXPECT_EQ(-1, syscall(SYS_open, "/", O_WRONLY));
	EXPECT_EQ(EISDIR, errno);
	EXPECT_EQ(-1, syscall(SYS_open, RM_FILE, O_RDONLY | O_DIRECTORY));
	EXPECT_EQ(ENOTDIR, errno);
	EXPECT_EQ(-1, syscall(SYS_open, (char *)KERNEL_ADDR, O_RDONLY));
	EXPECT_EQ(-1, syscall(SYS_open, NULL, O_RDONLY));
	EXPECT_EQ(-1, syscall(SYS_open, RM_FILE, -1));
	/* out of descriptors */
	lowest = fcntl(2, F_DUPFD, 0);
	ASSERT_LE(0, lowest);
	close(lowest);
	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &old));
	rl = old;
	rl.rlim_cur = lowest;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	EXPECT_EQ(-1, syscall(SYS_open, RM_FILE, O_RDONLY));
	EXPECT_EQ(EMFILE, errno);
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &old));

	EXPECT_EQ(0, NFILES(self));
	fd = rm_open_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(1, NFILES(self));
	unlink("/tmp/resmon-selftest-excl");
}

TEST(open_by_handle_at_counts)
{
	const pid_t self = getpid();
	struct {
		struct file_handle fh;
		unsigned char bytes[MAX_HANDLE_SZ];
	} h;
	int mount_id, mfd, fd;

	fd = open("/tmp/resmon-selftest-fh", O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	h.fh.handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, "/tmp/resmon-selftest-fh", &h.fh,
			      &mount_id, 0)) {
		unlink("/tmp/resmon-selftest-fh");
		SKIP(return, "name_to_handle_at on /tmp: errno %d", errno);
	}
	mfd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, mfd);

	register_self(_metadata);
	fd = open_by_handle_at(mfd, &h.fh, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(1, NFILES(self));
	fd = open_by_handle_at(mfd, &h.fh, O_PATH | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(2, NFILES(self));
	/* a stale/bogus handle: not counted */
	memset(h.fh.f_handle, 0xa5, h.fh.handle_bytes);
	EXPECT_EQ(-1, open_by_handle_at(mfd, &h.fh, O_RDONLY));
	h.fh.handle_bytes = MAX_HANDLE_SZ + 1;
	EXPECT_EQ(-1, open_by_handle_at(mfd, &h.fh, O_RDONLY));
	EXPECT_EQ(2, NFILES(self));
	unlink("/tmp/resmon-selftest-fh");
}

/* A 32-bit caller's opens and mmaps count (int $0x80 entry). */
TEST(compat_ia32_open_and_mmap_count)
{
	const pid_t self = getpid();
	struct {
		__u32 addr, len, prot, flags, fd, offset;
	} *args;
	char *low;
	long fd, addr;

	if (!rm_have_ia32())
		SKIP(return, "no IA32 emulation (int $0x80 unavailable)");
	low = mmap(NULL, rm_page(), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	ASSERT_NE(MAP_FAILED, low);
	ASSERT_GT(1UL << 32, (unsigned long)low);
	strcpy(low, RM_FILE);
	args = (void *)(low + 64);

	register_self(_metadata);
	fill(_metadata);
	fd = rm_int80(5 /* open */, (long)low, O_RDONLY, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(1, NFILES(self));
	fd = rm_int80(295 /* openat */, AT_FDCWD, (long)low, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(2, NFILES(self));
	/* failed compat open */
	EXPECT_EQ(-ENOENT, rm_int80(5, (long)low + strlen(RM_FILE), O_RDONLY, 0));
	EXPECT_EQ(2, NFILES(self));
	/* old_mmap(struct *): shared first (not counted), then private */
	*args = (typeof(*args)){ 0, rm_page(), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0 };
	addr = rm_int80(90 /* old_mmap */, (long)args, 0, 0);
	ASSERT_LT(0, addr);
	EXPECT_EQ(0, HEAP_MIB(self));
	args->flags = MAP_PRIVATE | MAP_ANONYMOUS;
	addr = rm_int80(90, (long)args, 0, 0);
	ASSERT_LT(0, addr);
	EXPECT_EQ(1, HEAP_MIB(self));
	/* mmap2 (mmap_pgoff): private anonymous counts, shared does not */
	addr = rm_int80_6(192 /* mmap2 */, 0, MIB, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1);
	ASSERT_LT(0, addr);
	EXPECT_EQ(1, HEAP_MIB(self));
	addr = rm_int80_6(192, 0, MIB, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1);
	ASSERT_LT(0, addr);
	EXPECT_EQ(2, HEAP_MIB(self));
}

/*
 * A 32-bit process (resmon_helper32, beside this test) is monitored like any
 * other, and its opens, mmaps and brk through the i386 table count as a
 * 64-bit process's do: it makes one call per "go", this side checks the
 * record after each.
 */
static void exec_helper32(void *path)
{
	char g[16], m[16];

	/* The pipes are close-on-exec; these two go through. */
	if (fcntl(rm_go_r, F_SETFD, 0) || fcntl(rm_mark_w, F_SETFD, 0))
		_exit(122);
	snprintf(g, sizeof(g), "%d", rm_go_r);
	snprintf(m, sizeof(m), "%d", rm_mark_w);
	execl(path, path, g, m, (char *)NULL);
	_exit(123);
}

TEST(compat_32bit_process_counts)
{
	/* after steps a..j: opens and heap MiB (see resmon_helper32.c) */
	static const struct { char mark; int files; int mib; } want[] = {
		{ 'a', 1, 0 }, { 'b', 2, 0 }, { 'c', 3, 0 }, { 'd', 4, 0 }, { 'e', 4, 0 },
		{ 'f', 4, 0 }, { 'g', 4, 0 }, { 'h', 4, 1 }, { 'i', 4, 2 },
		{ 'j', 4, 3 },
	};
	char path[PATH_MAX];
	struct per_proc_resource r;
	struct rm_child c;
	unsigned int i;

	ASSERT_EQ(0, rm_sibling_path(path, "resmon_helper32"));
	ASSERT_EQ(0, access(path, X_OK)) TH_LOG("no %s (gcc-multilib missing?)", path);
	if (!rm_have_ia32())
		SKIP(return, "no IA32 emulation: a 32-bit program cannot run");
	ASSERT_LT(0, rm_spawn(&c, exec_helper32, path));
	ASSERT_EQ('r', rm_read_mark(&c)) TH_LOG("status 0x%x", rm_reap(&c));
	ASSERT_EQ(0, rm_register(c.pid));
	EXPECT_FRESH_RECORD(c.pid);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		ASSERT_EQ(0, rm_go(&c));
		ASSERT_EQ(want[i].mark, rm_read_mark(&c));
		FETCH(c.pid, r);
		EXPECT_EQ(want[i].files, r.openfile_count) TH_LOG("after step %c", want[i].mark);
		EXPECT_EQ(want[i].mib, r.heapsize) TH_LOG("after step %c", want[i].mark);
	}
	ASSERT_EQ(0, rm_go(&c));
	ASSERT_EXITED_OK(rm_reap(&c));
}

/* ---- io_uring ---- */

struct ring {
	int fd;
	unsigned int *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

static int ring_setup(struct ring *r)
{
	struct io_uring_params p;
	size_t sqsz, cqsz;
	char *sq, *cq;

	memset(&p, 0, sizeof(p));
	r->fd = syscall(__NR_io_uring_setup, 4, &p);
	if (r->fd < 0)
		return -errno;
	sqsz = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	cqsz = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP) {
		sqsz = sqsz > cqsz ? sqsz : cqsz;
		cqsz = sqsz;
	}
	sq = mmap(NULL, sqsz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		  r->fd, IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		return -errno;
	cq = sq;
	if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
		cq = mmap(NULL, cqsz, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_CQ_RING);
		if (cq == MAP_FAILED)
			return -errno;
	}
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		       r->fd, IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED)
		return -errno;
	r->sq_tail = (void *)(sq + p.sq_off.tail);
	r->sq_mask = (void *)(sq + p.sq_off.ring_mask);
	r->sq_array = (void *)(sq + p.sq_off.array);
	r->cq_head = (void *)(cq + p.cq_off.head);
	r->cq_tail = (void *)(cq + p.cq_off.tail);
	r->cq_mask = (void *)(cq + p.cq_off.ring_mask);
	r->cqes = (void *)(cq + p.cq_off.cqes);
	return 0;
}

/* Submit one sqe, wait for its completion, return cqe->res. */
static int ring_run(struct ring *r, const struct io_uring_sqe *sqe)
{
	unsigned int tail = *r->sq_tail, idx = tail & *r->sq_mask, head;
	int res;

	r->sqes[idx] = *sqe;
	r->sq_array[idx] = idx;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0) < 0)
		return -1000 - errno;
	head = *r->cq_head;
	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		return -2000;
	res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return res;
}

TEST(io_uring_opens_count)
{
	const pid_t self = getpid();
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC };
	struct io_uring_sqe sqe;
	int slots[2] = { -1, -1 };
	struct ring r;
	int ret;

	ret = ring_setup(&r);
	if (ret == -ENOSYS)
		SKIP(return, "io_uring not built (CONFIG_IO_URING)");
	ASSERT_EQ(0, ret);
	ret = syscall(__NR_io_uring_register, r.fd, IORING_REGISTER_FILES,
		      slots, 2);
	ASSERT_EQ(0, ret);

	register_self(_metadata);
	/* OPENAT, inline */
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_OPENAT;
	sqe.fd = AT_FDCWD;
	sqe.addr = (unsigned long)RM_FILE;
	sqe.open_flags = O_RDONLY | O_CLOEXEC;
	ASSERT_LE(0, ring_run(&r, &sqe));
	EXPECT_EQ(1, NFILES(self));
	/* OPENAT, forced to an io-wq worker */
	sqe.flags = IOSQE_ASYNC;
	ASSERT_LE(0, ring_run(&r, &sqe));
	EXPECT_EQ(2, NFILES(self));
	/* failed OPENAT: nothing */
	sqe.flags = 0;
	sqe.addr = (unsigned long)"/nonexistent/resmon";
	EXPECT_EQ(-ENOENT, ring_run(&r, &sqe));
	EXPECT_EQ(2, NFILES(self));
	/* OPENAT2 */
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_OPENAT2;
	sqe.fd = AT_FDCWD;
	sqe.addr = (unsigned long)RM_FILE;
	sqe.addr2 = (unsigned long)&how;
	sqe.len = sizeof(how);
	ASSERT_LE(0, ring_run(&r, &sqe));
	EXPECT_EQ(3, NFILES(self));
	/* OPENAT2 into a fixed file slot (returns 0; no O_CLOEXEC there) */
	how.flags = O_RDONLY;
	sqe.file_index = 1;
	ASSERT_EQ(0, ring_run(&r, &sqe));
	EXPECT_EQ(4, NFILES(self));
	/* OPENAT into a fixed slot, via io-wq */
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_OPENAT;
	sqe.fd = AT_FDCWD;
	sqe.addr = (unsigned long)RM_FILE;
	sqe.open_flags = O_RDONLY;
	sqe.file_index = 2;
	sqe.flags = IOSQE_ASYNC;
	ASSERT_EQ(0, ring_run(&r, &sqe));
	EXPECT_EQ(5, NFILES(self));
	/* slot index out of range: fails, nothing */
	sqe.flags = 0;
	sqe.file_index = 100;
	EXPECT_GT(0, ring_run(&r, &sqe));
	EXPECT_EQ(5, NFILES(self));
	EXPECT_EQ(0, HEAP_MIB(self));
}

int main(int argc, char **argv)
{
	return rm_test_main(argc, argv);
}
