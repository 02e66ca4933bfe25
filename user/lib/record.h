/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The library's one record type and its ending, from what each edition
 * hands over: the six hand-written field copies of the library, in one
 * place. Pure functions, unit-tested on the host. Private to the library.
 */
#ifndef RESMON_RECORD_H
#define RESMON_RECORD_H

#include "resmon.h"
#include "resmon/resmond_wire.h"

/* A heap quota in MiB (or -1: none) as a limit in bytes (or -1). */
long long record_heap_limit_bytes(long long heap_quota_mib);

/* resmond's FETCH/LIST record as the library's record. */
void record_from_wire(struct resmon_record *rec, const struct resmond_record *w);

/* resmond's record as the fetch system call would give it (heap in whole MiB). */
void abi_from_wire(struct per_proc_resource *stats, const struct resmond_record *w);

/* resmond's WAIT answer as an ending; -1 (errno EIO) if it names no known resource. */
int end_from_wire(struct resmon_end *end, const struct resmond_ending *w);

#endif
