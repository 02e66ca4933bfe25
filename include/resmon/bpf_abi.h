/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * resmon eBPF edition - what the BPF programs (resmon.bpf.c) and resmond
 * share: the record, the request that resmond hands the operation
 * iterator, its reply, and the kill event of the ring buffer.
 *
 * Included by BPF C (after vmlinux.h, which defines __u64 & co.) and by
 * resmond (after <linux/types.h>); both include the rulebook,
 * linux/kernel/resmon/rules.h, for enum resmon_call.
 */
#ifndef RESMON_BPF_H
#define RESMON_BPF_H

/* Enough for every process a 2-core box runs; a full map makes register fail with ENOMEM. */
#define RESMON_MAX_RECORDS	65536
/*
 * Records made by non-root callers are charged to the caller's real uid
 * (a share, resmond --max-records-per-uid) and all of them together may
 * not take the last RESMON_ROOT_RESERVE entries: root's registers never
 * find the table full because of other users.
 */
#define RESMON_ROOT_RESERVE	4096
#define RESMON_UID_NONE		0xffffffffU	/* record charged to no uid (root's) */
#define RESMON_UID_NONROOT	0xfffffffeU	/* uid_records key: every non-root record */

/*
 * One monitored process. Keyed by the address of its signal_struct: that
 * is shared by every thread, kept across execve (also a non-leader's), and
 * a new process reusing the pid number gets a new one. The record is
 * deleted when the last thread exits (sched_process_exit with
 * signal->live == 0), before the signal_struct can be freed and reused.
 */
struct resmon_rec {
	__u64 heap_bytes;	/* saturates at S64_MAX, never wraps */
	__u64 files;
	__s64 heap_quota;	/* MiB, -1 = none */
	__s64 file_quota;	/* files, -1 = none */
	__u64 seq;		/* registration order, for list */
	__u64 start_time;	/* group leader's start_time (ns), names the process */
	__u32 tgid;		/* in the initial pid namespace */
	__u32 killed;		/* SIGKILL queued (32 bits: BPF atomics) */
	__u8 quotas_defined;
	__u8 cap_privileged;	/* quotas set by a caller with CAP_SYS_RESOURCE */
	/*
	 * A tree member made by fork with CLONE_VM (vfork, posix_spawn): its
	 * memory is its parent's, so its data share stays 0 until it execs.
	 */
	__u8 shares_mm;
	__u8 pad;
	__u32 charged_uid;	/* whose share the record takes, RESMON_UID_NONE: nobody's */
	__u64 cap_userns;	/* inode of the user namespace resource_cap was called from */
	/*
	 * Jobs: a record with a job id is a member of that job (the jobs map),
	 * and its own heap and files counters stay 0: the job counts. The
	 * member's last VmData seen, in pages, is its share of the job's data.
	 */
	__u64 job;		/* 0: a record of the seed's register */
	__u64 data_pages;
};

/* Soft limits whose event was sent, per resource (resmon_job.soft_fired). */
#define RESMON_SOFT_FIRED(res)	(1U << (res))

/*
 * One job (the jobs map, keyed by its id). Every member's record names it,
 * so a hook finds it with one more lookup whatever the number of members;
 * a fork that joins (issue 17) is one record insert and one increment. The
 * hooks change the counters with atomics and only read the limits; resmond
 * changes limits through the operation iterator (RESMON_BPF_JOB_SET), never
 * by rewriting the whole value, so no count is lost. The record stays after
 * its last member exits, until resmond knows no handle is left.
 */
struct resmon_job {
	__u64 usage[RESMON_NR_RESOURCES];	/* heap bytes, opens, data bytes */
	__u64 data_peak;
	__u64 hard[RESMON_NR_RESOURCES];	/* RESMON_UNLIMITED: none */
	__u64 soft[RESMON_NR_RESOURCES];
	__u64 members_ever;
	__u64 userns;		/* the root's user namespace (inode): the lift rule's */
	__u64 root_start;	/* the root's group leader's start_time */
	__u32 root_tgid;	/* in the initial pid namespace */
	__u32 members_now;
	__u32 soft_signal;
	__u32 flags;		/* RESMON_JOB_TREE, RESMON_JOB_KILL_OFFENDER */
	__u32 soft_fired;	/* RESMON_SOFT_FIRED() bits */
	__u32 killed;		/* whole-job kill queued and reported */
	/*
	 * The creator's share of the records table (resmon_req.uid_share,
	 * 0: root's, not charged): a tree member made at fork is charged to
	 * the same uid as the member that forked it, within this share.
	 */
	__u32 uid_share;
	__u32 pad;
};

/*
 * A note that is not an event for the handles: a process a tree member
 * forked could not join the job (the records table or the uid's share is
 * full), or a member forked during a whole-job kill could not be signalled
 * by its first instruction's hook. resmond kills it (tgid, and start_time
 * in value to name it), so it never runs unaccounted.
 */
#define RESMON_NOTE_ESCAPED	16

/* What the hooks tell resmond about a job (the job_events ring buffer). */
struct resmon_job_note {
	__u64 job;
	__u32 type;		/* enum resmon_event_type */
	__u32 resource;
	__u64 value;
	__u64 limit;
	__u32 tgid;		/* in the initial pid namespace */
	__s32 signal;
	char comm[16];
};

/*
 * The iterator's own steps, beside the five calls of enum resmon_call
 * (rules.h, 1..5), which resmon_req.op carries as they are.
 */
enum resmon_bpf_op {
	RESMON_BPF_PROBE = 16,	/* identify the process: start_time, liveness */
	RESMON_BPF_MARK_KILLED,	/* after resmond queued the SIGKILL a CAP asked for */
	RESMON_BPF_JOB_CREATE,	/* make job req.job with req.limits, the target its root */
	RESMON_BPF_JOB_FIND,	/* the job the target is a member of (JOB_OPEN) */
	RESMON_BPF_JOB_SET,	/* req.limits (req.limits.mask) on job req.job */
};

/*
 * What resmond asks the operation iterator (iter/task, on the pidfd of the
 * target) to do. Permission is decided by resmond from the caller's
 * credentials; the iterator applies it at its place in resmon.rst's order,
 * with the task held, so check and action see the same process.
 *
 * One request at a time: the request map has a single slot, which
 * bpfstate_run() fills and the iterator it then reads consumes. resmond
 * serves its clients from one thread, so requests never overlap.
 */
struct resmon_req {
	__u32 op;		/* enum resmon_call, or enum resmon_bpf_op */
	__u32 done;		/* set by the iterator at its first task */
	__u64 expect_start;	/* the leader's start_time from PROBE; 0 for PROBE */
	__s64 heap_quota;
	__s64 file_quota;
	__u64 seq;		/* REGISTER: the new record's order */
	__u64 cap_userns;	/* CAP: the caller's user namespace (inode) */
	__u32 uid;		/* REGISTER: the caller's real uid, charged for the record */
	__u32 uid_share;	/* REGISTER: records that uid may have; 0: root, not charged */
	__u8 may_read;
	__u8 may_manage;
	__u8 may_lift;
	__u8 cap_privileged;
	__u8 pad[4];
	/* Jobs: the job, its flags and its limits (JOB_SET: the mask's fields only) */
	__u64 job;
	__u32 job_flags;
	__u32 pad2;
	struct resmon_job_limits limits;
};

/* The iterator's answer: one per request. err is a negative errno or 0. */
struct resmon_reply {
	__s32 err;
	__u32 tgid;
	__u64 start_time;
	__u8 live;
	/*
	 * CAP: over and not killed, resmond must kill (it has the pidfd);
	 * MARK_KILLED: marked by this call, so resmond logs the kill.
	 */
	__u8 kill;
	__u8 resource;		/* CAP's kill: enum resmon_resource crossed */
	__u8 pad[5];
	__u64 total;		/* CAP's kill: that resource's total (bytes or files) */
	char comm[16];		/* group leader's */
	struct resmon_rec rec;
	/*
	 * Jobs: the job after the operation, and what it crossed at once
	 * (a limit set or created below the value): RESMON_SOFT_FIRED() bits
	 * of hard limits (over) and soft ones (newly fired). resmond signals.
	 */
	struct resmon_job jobrec;
	__u32 hard_over;
	__u32 soft_now;
};

/* enum resmon_resource (RESMON_HEAP, RESMON_OPENS, RESMON_DATA) is the UAPI header's. */

/* A quota kill at a crossing, for resmond's log line and its WAIT answers. */
struct resmon_kill_event {
	__u32 tgid;
	__u32 resource;		/* enum resmon_resource */
	__u64 start_time;	/* the group leader's: names the process with tgid */
	__u64 total;		/* bytes or files */
	__s64 quota;		/* MiB or files */
	char comm[16];
};

#endif
