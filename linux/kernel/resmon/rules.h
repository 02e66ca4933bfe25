/* SPDX-License-Identifier: GPL-2.0-only OR LGPL-2.1-or-later */
/*
 * resmon - the rulebook: every rule that both editions apply, written once.
 *
 * The quota predicates, the saturating heap total, the units, the valid
 * range of each limit, which mappings are heap, which processes can never
 * be monitored, and which errno each step of a call's checks returns
 * (Documentation/userspace-api/resmon.rst, "Return codes"). No locking, no
 * task: each side derives the inputs from its own state and asks here.
 *
 * Freestanding, so that the same text is compiled
 *  - in the kernel (kernel/resmon/, and the KUnit suite rules_kunit.c),
 *  - in BPF C (bpf/resmon.bpf.c), after vmlinux.h, which already defines
 *    __u64 & co.; bpf/uapi-stubs/ gives the UAPI header empty
 *    <linux/types.h> and <linux/posix_types.h> so RESMON_NO_LIMIT has one
 *    definition there too,
 *  - in user space (resmond, libresmon, tests/rules/rules_test.c), with
 *    -I linux/include/uapi for the UAPI header.
 * Dual-licensed for that reason: libresmon, which compiles it in, is LGPL.
 */
#ifndef _KERNEL_RESMON_RULES_H
#define _KERNEL_RESMON_RULES_H

#if defined(__KERNEL__)
#include <linux/errno.h>
#include <linux/types.h>
#include <uapi/linux/resmon.h>
#elif defined(__bpf__)
#include <asm-generic/errno-base.h>
#include <linux/resmon.h>
#else
#include <asm-generic/errno-base.h>
#include <linux/types.h>
#include <stdbool.h>
#include <linux/resmon.h>
#endif

/* Heap quotas are given in MiB; heap totals are counted in bytes. */
#define RESMON_MIB_SHIFT	20

/* The largest heap total: a byte count in a signed 64-bit integer. */
#define RESMON_HEAP_BYTES_MAX	((__u64)(~0ULL >> 1))

/*
 * The largest heap quota, RESMON_HEAP_QUOTA_MAX MiB, is UAPI: the largest
 * whose byte count fits (rules_cases.h checks it is this maximum in MiB).
 */

/**
 * resmon_mib_to_bytes() - a heap quota in bytes
 * @mib: quota in MiB, 0..%RESMON_HEAP_QUOTA_MAX
 *
 * Return: @mib * 2^20, at most %RESMON_HEAP_BYTES_MAX for a valid quota.
 */
static inline __u64 resmon_mib_to_bytes(__s64 mib)
{
	return (__u64)mib << RESMON_MIB_SHIFT;
}

/**
 * resmon_bytes_to_mib() - the heap size reported by fetch
 * @bytes: heap grown, in bytes
 *
 * Return: whole MiB, rounded down.
 */
static inline __u64 resmon_bytes_to_mib(__u64 bytes)
{
	return bytes >> RESMON_MIB_SHIFT;
}

/**
 * resmon_bytes_to_mib_up() - the heap quota that holds @bytes
 * @bytes: a size asked for in bytes (resmon run --heap 1500K)
 *
 * A quota is whole MiB; a size in between takes the next MiB up, so that
 * a quota never kills below the size the user asked for.
 *
 * Return: @bytes / 2^20 rounded up.
 */
static inline __u64 resmon_bytes_to_mib_up(__u64 bytes)
{
	return (bytes >> RESMON_MIB_SHIFT) +
	       !!(bytes & ((1ULL << RESMON_MIB_SHIFT) - 1));
}

/**
 * resmon_heap_quota_valid() - may @mib be given as a heap quota?
 * @mib: quota in MiB, or %RESMON_NO_LIMIT
 *
 * Return: true for -1 and for 0..%RESMON_HEAP_QUOTA_MAX, so that the
 * quota in bytes is always representable.
 */
static inline bool resmon_heap_quota_valid(__s64 mib)
{
	return mib >= RESMON_NO_LIMIT && mib <= RESMON_HEAP_QUOTA_MAX;
}

/**
 * resmon_file_quota_valid() - may @files be given as an open-file quota?
 * @files: quota in files, or %RESMON_NO_LIMIT
 *
 * Return: true for -1 and every count from 0 up.
 */
static inline bool resmon_file_quota_valid(__s64 files)
{
	return files >= RESMON_NO_LIMIT;
}

/**
 * resmon_heap_exceeded() - is a heap total strictly above its quota?
 * @bytes: heap grown so far, in bytes
 * @quota_mib: quota in MiB, or %RESMON_NO_LIMIT
 *
 * Reaching the quota is allowed; one byte more is a crossing.
 *
 * Return: true if a quota is set and @bytes is above quota_mib * 2^20.
 */
static inline bool resmon_heap_exceeded(__u64 bytes, __s64 quota_mib)
{
	return quota_mib != RESMON_NO_LIMIT &&
	       bytes > resmon_mib_to_bytes(quota_mib);
}

/**
 * resmon_files_exceeded() - is an open-file total strictly above its quota?
 * @files: files opened so far
 * @quota: quota in files, or %RESMON_NO_LIMIT
 *
 * Return: true if a quota is set and @files is above it.
 */
static inline bool resmon_files_exceeded(__u64 files, __s64 quota)
{
	return quota != RESMON_NO_LIMIT && files > (__u64)quota;
}

/**
 * resmon_add_saturating() - add to a heap total without ever wrapping
 * @total: the current total, at most %RESMON_HEAP_BYTES_MAX
 * @delta: what to add
 *
 * A loop of huge MAP_NORESERVE mappings can add 2^47 bytes a call, so a
 * plain add could wrap a long-lived total into a small number.
 *
 * Return: @total + @delta, or %RESMON_HEAP_BYTES_MAX if that is larger.
 */
static inline __u64 resmon_add_saturating(__u64 total, __u64 delta)
{
	if (total > RESMON_HEAP_BYTES_MAX ||
	    delta > RESMON_HEAP_BYTES_MAX - total)
		return RESMON_HEAP_BYTES_MAX;
	return total + delta;
}

/**
 * resmon_heap_mapping() - is a new mapping heap?
 * @anonymous: backed by no file the caller named
 * @shared: visible to other processes mapping the same memory
 *
 * Only private anonymous memory is heap. Each edition derives the two
 * booleans from what it sees:
 *  - the kernel's mmap hook, from the caller's flags: @anonymous is
 *    MAP_ANONYMOUS, @shared is (flags & MAP_TYPE) != MAP_PRIVATE (so
 *    MAP_SHARED_VALIDATE is shared);
 *  - the BPF mmap_region hook, from the mapping do_mmap() made: @anonymous
 *    is "no file, or the anon_hugepage file of MAP_ANONYMOUS|MAP_HUGETLB",
 *    @shared is VM_MAYSHARE (the kernel's own private anonymous mappings,
 *    shadow stacks and exec's zero page, are left out before asking).
 *
 * Return: true if the mapping counts toward the heap total.
 */
static inline bool resmon_heap_mapping(bool anonymous, bool shared)
{
	return anonymous && !shared;
}

/**
 * resmon_unkillable() - a process that may never be registered
 * @kernel_thread: the task is a kernel thread (PF_KTHREAD)
 * @global_tgid: its thread-group id in the initial pid namespace
 *
 * The signal layer drops or refuses a SIGKILL to a kernel thread and to
 * the global init, and a quota that cannot be enforced must not be
 * accepted: register refuses them, even for root.
 *
 * Return: true for a kernel thread and for the global init (tgid 1).
 */
static inline bool resmon_unkillable(bool kernel_thread, __u32 global_tgid)
{
	return kernel_thread || global_tgid == 1;
}

/*
 * The five calls whose checks resmon.rst orders ("Return codes"): the
 * kernel's system calls, the BPF operation iterator and resmond name them
 * by this.
 */
enum resmon_call {
	RESMON_CALL_REGISTER = 1,
	RESMON_CALL_FETCH,
	RESMON_CALL_DEREGISTER,
	RESMON_CALL_CAP,
	RESMON_CALL_RESET,
};

/*
 * The return codes, one function per step, in the order the calls check
 * them: bad pid, no live process, no permission, then the monitoring
 * state. Each is a negative errno, as the system call returns it.
 */

/**
 * resmon_code_bad_pid() - step 1: @pid < 1
 * @op: the call
 *
 * Return: -ESRCH for resource_cap and resource_reset, -EINVAL otherwise.
 */
static inline int resmon_code_bad_pid(enum resmon_call op)
{
	return op == RESMON_CALL_CAP || op == RESMON_CALL_RESET ? -ESRCH : -EINVAL;
}

/**
 * resmon_code_no_process() - step 2: no live process has that pid
 * @op: the call
 *
 * Return: -EINVAL for fetch, -ESRCH otherwise.
 */
static inline int resmon_code_no_process(enum resmon_call op)
{
	return op == RESMON_CALL_FETCH ? -EINVAL : -ESRCH;
}

/**
 * resmon_code_denied() - step 3: the caller may not read or manage it
 *
 * Also the code of register on an unkillable process and of a lift the
 * caller may not make (deregister or reset of defined quotas).
 *
 * Return: -EPERM for every call.
 */
static inline int resmon_code_denied(void)
{
	return -EPERM;
}

/**
 * resmon_code_not_monitored() - step 4: the process has no record
 * @op: the call (not register, for which no record is the good case)
 *
 * Return: -ESRCH for deregister, -EINVAL for fetch, cap and reset.
 */
static inline int resmon_code_not_monitored(enum resmon_call op)
{
	return op == RESMON_CALL_DEREGISTER ? -ESRCH : -EINVAL;
}

/**
 * resmon_code_busy() - register's step 4 (already monitored) or cap's
 * step 5 (quotas already defined)
 *
 * Return: -ENFILE.
 */
static inline int resmon_code_busy(void)
{
	return -ENFILE;
}

/**
 * resmon_code_bad_quota() - cap's step 4: a quota out of its valid range
 *
 * Return: -EINVAL.
 */
static inline int resmon_code_bad_quota(void)
{
	return -EINVAL;
}

/*
 * Jobs (the second layer). A job's limits are in the resource's own unit
 * (bytes for heap and data, opens for opens), %RESMON_UNLIMITED for none;
 * the seed's quotas are its hard heap (MiB) and opens limits.
 */

/**
 * resmon_over() - has a job's value gone over a limit?
 * @value: the value after the call
 * @limit: the limit, or %RESMON_UNLIMITED
 *
 * Return: true if @value is strictly greater than @limit.
 */
static inline bool resmon_over(__u64 value, __u64 limit)
{
	return value > limit;
}

/**
 * resmon_raises() - does changing a limit from @old to @new lift it?
 * @old: the limit now
 * @new: the limit asked for
 *
 * Lowering a limit, or setting one that was unlimited, needs only the
 * handle; raising or removing one needs CAP_SYS_RESOURCE.
 *
 * Return: true if @new is higher than @old (%RESMON_UNLIMITED is highest).
 */
static inline bool resmon_raises(__u64 old, __u64 new)
{
	return new > old;
}

/**
 * resmon_quota_to_limit() - a seed quota as a job's hard limit
 * @quota: a valid quota (MiB for heap), or %RESMON_NO_LIMIT
 * @heap: true for the heap quota
 *
 * Return: the limit, in bytes for heap.
 */
static inline __u64 resmon_quota_to_limit(__s64 quota, bool heap)
{
	if (quota == RESMON_NO_LIMIT)
		return RESMON_UNLIMITED;
	return heap ? resmon_mib_to_bytes(quota) : (__u64)quota;
}

/**
 * resmon_limit_to_quota() - a job's hard heap or opens limit as fetch's quota
 * @limit: the limit, in bytes for heap
 * @heap: true for the heap limit
 *
 * Return: %RESMON_NO_LIMIT for %RESMON_UNLIMITED, else the quota (heap in
 * MiB rounded up), at most S64_MAX.
 */
static inline __s64 resmon_limit_to_quota(__u64 limit, bool heap)
{
	if (limit == RESMON_UNLIMITED)
		return RESMON_NO_LIMIT;
	if (heap)
		limit = resmon_bytes_to_mib_up(limit);
	return limit > (__u64)(~0ULL >> 1) ? (__s64)(~0ULL >> 1) : (__s64)limit;
}

/**
 * resmon_limits_valid() - are a limits struct's mask and signal valid?
 * @mask: its &struct resmon_job_limits.mask
 * @soft_signal: its soft signal, when the mask gives it
 *
 * Return: false for an unknown mask bit or a signal outside 0..64.
 */
static inline bool resmon_limits_valid(__u32 mask, __u32 soft_signal)
{
	__u32 known = RESMON_LIMIT_SOFT_SIGNAL;
	int r;

	for (r = 0; r < RESMON_NR_RESOURCES; r++)
		known |= RESMON_LIMIT_HARD(r) | RESMON_LIMIT_SOFT(r);
	if (mask & ~known)
		return false;
	return !(mask & RESMON_LIMIT_SOFT_SIGNAL) || soft_signal <= 64;
}

#endif /* _KERNEL_RESMON_RULES_H */
