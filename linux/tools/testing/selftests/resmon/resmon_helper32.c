// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * resmon_helper32: a 32-bit (-m32, static) process for
 * resmon_account_test's compat_32bit_process_counts, not a test of its own.
 * It makes each counted call through the i386 system call table, one step
 * per "go", and writes one marker after each:
 *
 *   resmon_helper32 GO_FD MARK_FD
 *
 * Steps: a open, b openat, c openat2, d creat, e a failed open, f mmap2
 * MAP_SHARED 1 MiB, g mmap2 MAP_PRIVATE 1 MiB - 1 page, h old_mmap MAP_PRIVATE
 * one page, i brk up 1 MiB, j old_mmap MAP_FIXED 1 MiB over the page that holds
 * its own argument block (the kernel copied it in before mapping; nothing may
 * read it again afterwards). Raw system calls, no stdio: nothing else counts.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FILE32	"/dev/null"
#define CREAT32	"/tmp/resmon-selftest-creat32"
#define MIB	(1024UL * 1024UL)
#define PAGE	4096UL

static int go_fd, mark_fd;

/* In .bss (exec's, not counted): step j maps over it, its first page holds the arguments. */
static char fixed_area[MIB] __attribute__((aligned(PAGE)));

static void step(char c)
{
	char g;

	if (write(mark_fd, &c, 1) != 1)
		_exit(100);
	if (read(go_fd, &g, 1) != 1)
		_exit(101);
}

struct open_how32 {
	uint64_t flags, mode, resolve;
};

struct mmap_arg_struct32 {
	uint32_t addr, len, prot, flags, fd, offset;
};

static long old_mmap_over_own_args(void)
{
	struct mmap_arg_struct32 *a = (struct mmap_arg_struct32 *)fixed_area;

	a->addr = (uint32_t)(uintptr_t)fixed_area;
	a->len = MIB;
	a->prot = PROT_READ | PROT_WRITE;
	a->flags = MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS;
	a->fd = (uint32_t)-1;
	a->offset = 0;
	return syscall(SYS_mmap, a);
}

int main(int argc, char **argv)
{
	struct open_how32 how = { .flags = O_RDONLY };
	struct mmap_arg_struct32 args = { 0, PAGE, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, (uint32_t)-1, 0 };
	unsigned long a0;

	if (argc != 3 || sizeof(long) != 4)
		return 2;
	go_fd = atoi(argv[1]);
	mark_fd = atoi(argv[2]);
	a0 = syscall(SYS_brk, 0);
	a0 = (a0 + PAGE - 1) & ~(PAGE - 1);
	if ((unsigned long)syscall(SYS_brk, a0) != a0)
		return 3;
	step('r');
	if (syscall(SYS_open, FILE32, O_RDONLY) < 0)
		return 10;
	step('a');
	if (syscall(SYS_openat, AT_FDCWD, FILE32, O_RDONLY) < 0)
		return 11;
	step('b');
	if (syscall(SYS_openat2, AT_FDCWD, FILE32, &how, sizeof(how)) < 0)
		return 12;
	step('c');
	if (syscall(SYS_creat, CREAT32, 0600) < 0)
		return 13;
	unlink(CREAT32);
	step('d');
	if (syscall(SYS_open, "/nonexistent/resmon", O_RDONLY) >= 0)
		return 14;
	step('e');
	if (syscall(SYS_mmap2, 0, MIB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		    -1, 0) == -1)
		return 15;
	step('f');
	if (syscall(SYS_mmap2, 0, MIB - PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == -1)
		return 16;
	step('g');
	if (syscall(SYS_mmap, &args) == -1)
		return 17;
	step('h');
	if ((unsigned long)syscall(SYS_brk, a0 + MIB) != a0 + MIB)
		return 18;
	step('i');
	if (old_mmap_over_own_args() == -1)
		return 19;
	step('j');
	return 0;
}
