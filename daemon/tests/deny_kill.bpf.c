// SPDX-License-Identifier: GPL-2.0-only
/*
 * deny_kill.bpf.c: a BPF-LSM policy for resmond_limits_test (through
 * resmond_denykill): refuse SIGKILL sent by a user-space caller to one
 * process, as an LSM on a real system may. bpf_send_signal() (the hooks'
 * own kill) is SEND_SIG_PRIV and never reaches security_task_kill().
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define SIGKILL	9
#define EPERM	1

char LICENSE[] SEC("license") = "GPL";

__u32 target_tgid;
__u64 denied;

SEC("lsm/task_kill")
int BPF_PROG(deny_kill, struct task_struct *p, struct kernel_siginfo *info, int sig,
	     const struct cred *cred, int ret)
{
	if (ret || sig != SIGKILL || !target_tgid || p->tgid != target_tgid)
		return ret;
	__sync_fetch_and_add(&denied, 1);
	return -EPERM;
}
