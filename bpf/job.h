/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * resmon eBPF edition: the job layer's accounting, included by
 * resmon.bpf.c after its maps. A member's record (resmon_rec.job) names its
 * job; the job (the jobs map) holds the counters and the limits, shared by
 * every member. Every function here is O(1): one lookup, atomics, at most
 * one ring buffer record.
 *
 * Signals reach the calling process only (bpf_send_signal()): a hook
 * signals the member whose call crossed, and resmond, told by the note,
 * signals the other members (a tree job's, bpf/tree.h).
 */
#ifndef RESMON_BPF_JOB_H
#define RESMON_BPF_JOB_H

#define PAGE_SHIFT	12

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RESMON_MAX_RECORDS);
	__type(key, __u64);			/* job id, given by resmond */
	__type(value, struct resmon_job);
} jobs SEC(".maps");

/*
 * Soft crossings, kills and empty jobs, for resmond's event queues. Kept
 * while resmond is down (until full), read by the next one.
 */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} job_events SEC(".maps");

static __always_inline struct resmon_job *rec_job(struct resmon_rec *r)
{
	__u64 id = r->job;

	if (!id)
		return NULL;
	return bpf_map_lookup_elem(&jobs, &id);
}

static __always_inline void job_note(__u64 id, __u32 type, __u32 res, __u64 value,
				     __u64 limit, __s32 sig, struct task_struct *t)
{
	struct resmon_job_note *e = bpf_ringbuf_reserve(&job_events, sizeof(*e), 0);

	if (!e)
		return;
	e->job = id;
	e->type = type;
	e->resource = res;
	e->value = value;
	e->limit = limit;
	e->tgid = t->tgid;
	e->signal = sig;
	bpf_probe_read_kernel_str(e->comm, sizeof(e->comm), t->group_leader->comm);
	bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
}

/*
 * A hard limit crossed by the calling member: SIGKILL to its process before
 * the call returns (and before it populates). The member counts as killed
 * once the signal is queued; the whole job's kill is reported once, an
 * offender-scope job's once per offender.
 */
static __always_inline void job_kill(struct resmon_rec *r, struct resmon_job *j, __u32 res,
				     __u64 value)
{
	struct task_struct *t = bpf_get_current_task_btf();

	if (r->killed || bpf_send_signal(SIGKILL))
		return;
	if (__sync_lock_test_and_set(&r->killed, 1))
		return;
	if (!(j->flags & RESMON_JOB_KILL_OFFENDER) && __sync_lock_test_and_set(&j->killed, 1))
		return;
	job_note(r->job, RESMON_EVENT_KILL, res, value, j->hard[res & 3], SIGKILL, t);
}

/* The first crossing of a soft limit since it was armed: the soft signal and a note. */
static __always_inline void job_soft(struct resmon_rec *r, struct resmon_job *j, __u32 res,
				     __u64 value)
{
	__u32 bit = RESMON_SOFT_FIRED(res), sig = j->soft_signal;

	if (j->soft_fired & bit)
		return;
	if (__sync_fetch_and_or(&j->soft_fired, bit) & bit)
		return;
	if (sig)
		bpf_send_signal(sig);
	job_note(r->job, RESMON_EVENT_SOFT, res, value, j->soft[res & 3], sig,
		 bpf_get_current_task_btf());
}

/* @value of resource @res went up in the calling member's call: judge it. */
static __always_inline void job_check(struct resmon_rec *r, struct resmon_job *j, __u32 res,
				      __u64 value)
{
	res &= 3;	/* for the verifier: an index below RESMON_NR_RESOURCES + 1 */
	if (res >= RESMON_NR_RESOURCES)
		return;
	if (resmon_over(value, j->soft[res]))
		job_soft(r, j, res, value);
	if (resmon_over(value, j->hard[res]))
		job_kill(r, j, res, value);
}

static __always_inline void job_heap(struct resmon_rec *r, struct resmon_job *j, __u64 bytes)
{
	__u64 old = j->usage[RESMON_HEAP], new, prev;
	int i;

	for (i = 0; i < 16; i++) {
		new = resmon_add_saturating(old, bytes);
		prev = __sync_val_compare_and_swap(&j->usage[RESMON_HEAP], old, new);
		if (prev == old)
			break;
		old = prev;
	}
	if (i == 16)
		new = __sync_add_and_fetch(&j->usage[RESMON_HEAP], bytes);
	job_check(r, j, RESMON_HEAP, new);
}

static __always_inline void job_open(struct resmon_rec *r, struct resmon_job *j)
{
	job_check(r, j, RESMON_OPENS, __sync_add_and_fetch(&j->usage[RESMON_OPENS], 1));
}

static __always_inline void job_peak(struct resmon_job *j, __u64 value)
{
	__u64 old = j->data_peak;
	int i;

	for (i = 0; i < 8 && value > old; i++)
		old = __sync_val_compare_and_swap(&j->data_peak, old, value);
}

/*
 * The member's VmData (mm->data_vm, what /proc/PID/status shows) is now
 * @pages (@j: its job, rec_job(); NULL does nothing): the job's data moves
 * by the difference from the member's last share, so it is always the sum
 * of the members' last shares, whichever hook saw which change. A growth is
 * judged; a fall re-arms the data soft limit once at or under it.
 */
static __always_inline void data_now(struct resmon_rec *r, struct resmon_job *j, __u64 pages)
{
	__u64 old, value;

	/* A vfork child's memory is its parent's: counted there until it execs. */
	if (!j || r->shares_mm)
		return;
	old = __sync_lock_test_and_set(&r->data_pages, pages);
	if (pages == old)
		return;
	value = __sync_add_and_fetch(&j->usage[RESMON_DATA], (pages - old) << PAGE_SHIFT);
	if (pages < old) {
		if (!resmon_over(value, j->soft[RESMON_DATA]) &&
		    (j->soft_fired & RESMON_SOFT_FIRED(RESMON_DATA)))
			__sync_fetch_and_and(&j->soft_fired, ~RESMON_SOFT_FIRED(RESMON_DATA));
		return;
	}
	job_peak(j, value);
	job_check(r, j, RESMON_DATA, value);
}

/*
 * The member's VmData read again, after a call that changed it: a plain
 * load (mm is a BTF pointer), not a probe-read helper call.
 */
static __always_inline void data_sync(struct resmon_rec *r, struct resmon_job *j,
				      struct mm_struct *mm)
{
	if (mm)
		data_now(r, j, mm->data_vm);
}

/*
 * A member leaves (exit, deregister, a secure execve), called by the one
 * whose delete of its record succeeded, with what the record said: its
 * share of the data goes, and the last member out tells resmond.
 */
static __always_inline void job_leave(__u64 id, __u64 pages, struct task_struct *t)
{
	struct resmon_job *j = bpf_map_lookup_elem(&jobs, &id);
	__u64 value;

	if (!j)
		return;
	value = __sync_sub_and_fetch(&j->usage[RESMON_DATA], pages << PAGE_SHIFT);
	if (!resmon_over(value, j->soft[RESMON_DATA]) &&
	    (j->soft_fired & RESMON_SOFT_FIRED(RESMON_DATA)))
		__sync_fetch_and_and(&j->soft_fired, ~RESMON_SOFT_FIRED(RESMON_DATA));
	if (__sync_sub_and_fetch(&j->members_now, 1) == 0)
		job_note(id, RESMON_EVENT_EMPTY, 0, 0, 0, 0, t);
}

#endif
