/* SPDX-License-Identifier: GPL-2.0 */
/*
 * resmon - the quota arithmetic, kept free of locking and of tasks so
 * that KUnit can test it on its own (quota_kunit.c).
 */
#ifndef _KERNEL_RESMON_QUOTA_H
#define _KERNEL_RESMON_QUOTA_H

#include <linux/limits.h>
#include <linux/math.h>
#include <linux/types.h>
#include <uapi/linux/resmon.h>

#define RESMON_MIB_SHIFT	20

/* The largest heap quota whose byte count fits in an s64. */
#define RESMON_HEAP_QUOTA_MAX	(S64_MAX >> RESMON_MIB_SHIFT)

/**
 * resmon_heap_quota_valid() - may @mib be given as a heap quota?
 * @mib: quota in MiB, or %RESMON_NO_LIMIT
 *
 * Return: true for -1 and for 0..S64_MAX/2^20, so that the quota in
 * bytes is always representable.
 */
static inline bool resmon_heap_quota_valid(long mib)
{
	return mib >= RESMON_NO_LIMIT && mib <= RESMON_HEAP_QUOTA_MAX;
}

/**
 * resmon_file_quota_valid() - may @files be given as an open-file quota?
 * @files: quota in files, or %RESMON_NO_LIMIT
 *
 * Return: true for -1 and every count from 0 up.
 */
static inline bool resmon_file_quota_valid(long files)
{
	return files >= RESMON_NO_LIMIT;
}

/**
 * resmon_heap_exceeded() - is a heap total strictly above its quota?
 * @bytes: heap grown so far, in bytes
 * @quota_mib: quota in MiB, or %RESMON_NO_LIMIT
 *
 * Return: true if a quota is set and @bytes is above quota_mib * 2^20.
 */
static inline bool resmon_heap_exceeded(u64 bytes, long quota_mib)
{
	return quota_mib != RESMON_NO_LIMIT &&
	       bytes > (u64)quota_mib << RESMON_MIB_SHIFT;
}

/**
 * resmon_files_exceeded() - is an open-file total strictly above its quota?
 * @files: files opened so far
 * @quota: quota in files, or %RESMON_NO_LIMIT
 *
 * Return: true if a quota is set and @files is above it.
 */
static inline bool resmon_files_exceeded(unsigned long files, long quota)
{
	return quota != RESMON_NO_LIMIT && files > (unsigned long)quota;
}

/**
 * resmon_bytes_to_mib() - the heap size reported by fetch
 * @bytes: heap grown, in bytes
 *
 * Return: whole MiB, rounded down.
 */
static inline unsigned long resmon_bytes_to_mib(u64 bytes)
{
	return bytes >> RESMON_MIB_SHIFT;
}

/**
 * resmon_add_saturating() - add to a byte total without ever wrapping
 * @total: the current total, at most S64_MAX
 * @delta: what to add
 *
 * A loop of huge MAP_NORESERVE mappings can add 2^47 bytes a call, so a
 * plain add could wrap a long-lived total into a small number.
 *
 * Return: @total + @delta, or S64_MAX if that is larger.
 */
static inline u64 resmon_add_saturating(u64 total, u64 delta)
{
	if (delta > (u64)S64_MAX - total)
		return S64_MAX;
	return total + delta;
}

#endif /* _KERNEL_RESMON_QUOTA_H */
