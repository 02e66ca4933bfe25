// SPDX-License-Identifier: LGPL-2.1-or-later
/* See record.h. */
#include "record.h"

#include <errno.h>
#include <string.h>

#include <linux/types.h>
#include "resmon.h"	/* enum resmon_resource (the UAPI's): what resmond's ending names */
#include "rules.h"	/* MiB and bytes, as both editions convert them */

long long record_heap_limit_bytes(long long heap_quota_mib)
{
	/* A valid quota is at most RESMON_HEAP_QUOTA_MAX MiB: in bytes it fits a long long. */
	return heap_quota_mib < 0 ? -1 : (long long)resmon_mib_to_bytes(heap_quota_mib);
}

void record_from_wire(struct resmon_record *rec, const struct resmond_record *w)
{
	memset(rec, 0, sizeof(*rec));
	rec->pid = w->pid;
	rec->quotas_defined = w->quotas_defined != 0;
	rec->heap_bytes = w->heap_bytes;
	rec->opens = w->files;
	rec->heap_limit_bytes = record_heap_limit_bytes(w->heap_quota);
	rec->files_limit = w->file_quota < 0 ? -1 : w->file_quota;
}

void abi_from_wire(struct per_proc_resource *stats, const struct resmond_record *w)
{
	memset(stats, 0, sizeof(*stats));
	stats->pid = w->pid;
	stats->heapsize = (unsigned long)resmon_bytes_to_mib(w->heap_bytes);
	stats->openfile_count = (unsigned long)w->files;
	stats->heap_quota = (long)w->heap_quota;
	stats->file_quota = (long)w->file_quota;
	stats->quotas_defined = w->quotas_defined;
}

int end_from_wire(struct resmon_end *end, const struct resmond_ending *w)
{
	memset(end, 0, sizeof(*end));
	end->pid = w->pid;
	if (!w->killed) {
		end->cause = RESMON_END_NOT_KILLED;
		return 0;
	}
	switch (w->resource) {
	case RESMON_HEAP:
		end->resource = RESMON_LIMIT_HEAP;
		break;
	case RESMON_OPENS:
		end->resource = RESMON_LIMIT_FILES;
		break;
	default:
		errno = EIO;
		return -1;
	}
	end->cause = RESMON_END_KILLED;
	end->total = w->total;
	end->limit = w->limit;
	/* The daemon's comm is at most 16 bytes and may lack its NUL. */
	memcpy(end->comm, w->comm, sizeof(end->comm) - 1);
	return 0;
}
