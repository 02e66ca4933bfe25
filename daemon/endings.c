// SPDX-License-Identifier: GPL-2.0-only
/*
 * How monitored processes ended: the kills resmon made, remembered by
 * process (tgid and the group leader's start_time, so a reused pid is
 * another process) until a WAIT asks. A kill comes from the ring buffer
 * (a hook's crossing) or from kill_at_cap() (ops.c), always before the
 * process can have ended, and a WAIT is answered only once its pidfd
 * polls readable, after resmond drained the ring buffer: so the kill of a
 * process that a WAIT holds is here when the answer is made.
 *
 * The table is a ring of the last ENDINGS kills: a SIGKILLed process ends
 * within moments, so its entry is long read by the time ENDINGS later
 * kills push it out.
 */
#include "resmond.h"

#include <string.h>

#define ENDINGS	1024

struct ending {
	uint32_t tgid;
	uint64_t start_time;
	struct resmond_ending e;
};

static struct ending endings[ENDINGS];
static unsigned int next_ending;

void endings_note(uint32_t tgid, uint64_t start_time, uint32_t resource, uint64_t total,
		  uint64_t limit, const char *comm)
{
	struct ending *n = &endings[next_ending++ % ENDINGS];

	memset(n, 0, sizeof(*n));
	n->tgid = tgid;
	n->start_time = start_time;
	n->e.killed = 1;
	n->e.resource = resource;
	n->e.total = total;
	n->e.limit = limit;
	memcpy(n->e.comm, comm, sizeof(n->e.comm) - 1);
}

bool endings_find(uint32_t tgid, uint64_t start_time, struct resmond_ending *out)
{
	unsigned int i;

	/* Newest first: the latest kill of that process is the one that counts. */
	for (i = 1; i <= ENDINGS; i++) {
		const struct ending *n = &endings[(next_ending - i) % ENDINGS];

		if (n->e.killed && n->tgid == tgid && n->start_time == start_time) {
			*out = n->e;
			return true;
		}
	}
	return false;
}
