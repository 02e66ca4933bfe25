// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * io_uring's OPENAT and OPENAT2 count like the system calls, inline or on
 * an io-wq worker, into a descriptor or into a fixed file slot. Raw
 * io_uring system calls: no liburing needed.
 */
#include "util.h"

#include <fcntl.h>
#include <linux/io_uring.h>
#include <linux/openat2.h>
#include <sys/mman.h>
#include <sys/syscall.h>

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
	sq = mmap(NULL, sqsz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
		  IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		return -errno;
	cq = sq;
	if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
		cq = mmap(NULL, cqsz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
			  IORING_OFF_CQ_RING);
		if (cq == MAP_FAILED)
			return -errno;
	}
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
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
	if (syscall(__NR_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
		return -1000 - errno;
	head = *r->cq_head;
	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		return -2000;
	res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return res;
}

static void openat_sqe(struct io_uring_sqe *sqe, const char *path, int flags)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_OPENAT;
	sqe->fd = AT_FDCWD;
	sqe->addr = (unsigned long)path;
	sqe->open_flags = flags;
}

PARITY_CASE(io_uring_opens_count)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC };
	const pid_t self = getpid();
	struct io_uring_sqe sqe;
	int slots[2] = { -1, -1 };
	struct ring r;
	int ret;

	ret = ring_setup(&r);
	if (ret == -ENOSYS || ret == -EPERM)
		skip("io_uring unavailable (%d)", ret);
	CHECK_EQ(0, ret);
	CHECK_EQ(0, syscall(__NR_io_uring_register, r.fd, IORING_REGISTER_FILES, slots, 2));

	register_self();
	/* OPENAT, inline */
	openat_sqe(&sqe, TEST_FILE, O_RDONLY | O_CLOEXEC);
	CHECK(ring_run(&r, &sqe) >= 0);
	CHECK_EQ(1, nfiles(self));
	/* OPENAT, forced onto an io-wq worker */
	sqe.flags = IOSQE_ASYNC;
	CHECK(ring_run(&r, &sqe) >= 0);
	CHECK_EQ(2, nfiles(self));
	/* a failed OPENAT: nothing */
	openat_sqe(&sqe, "/nonexistent/resmon", O_RDONLY);
	CHECK_EQ(-ENOENT, ring_run(&r, &sqe));
	CHECK_EQ(2, nfiles(self));
	/* OPENAT2 */
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_OPENAT2;
	sqe.fd = AT_FDCWD;
	sqe.addr = (unsigned long)TEST_FILE;
	sqe.addr2 = (unsigned long)&how;
	sqe.len = sizeof(how);
	CHECK(ring_run(&r, &sqe) >= 0);
	CHECK_EQ(3, nfiles(self));
	/* OPENAT2 into fixed slot 0 (the result is 0; O_CLOEXEC is refused there) */
	how.flags = O_RDONLY;
	sqe.file_index = 1;
	CHECK_EQ(0, ring_run(&r, &sqe));
	CHECK_EQ(4, nfiles(self));
	/* OPENAT into fixed slot 1, on io-wq */
	openat_sqe(&sqe, TEST_FILE, O_RDONLY);
	sqe.file_index = 2;
	sqe.flags = IOSQE_ASYNC;
	CHECK_EQ(0, ring_run(&r, &sqe));
	CHECK_EQ(5, nfiles(self));
	/* a slot out of range: refused, nothing */
	sqe.flags = 0;
	sqe.file_index = 100;
	CHECK(ring_run(&r, &sqe) < 0);
	CHECK_EQ(5, nfiles(self));
	CHECK_EQ(0, heap_mib(self));
}
