// SPDX-License-Identifier: GPL-2.0
/*
 * A BPF-LSM policy for resmon_lsm_test: refuse task_prlimit(LSM_PRLIMIT_WRITE)
 * when the target runs as one uid, the way an LSM decides from the target's
 * credentials (SELinux from its label). The hook gets the two creds, not the
 * target task, so the test gives its target a uid of its own and names it
 * here through a global set before attaching.
 */

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

/* include/linux/security.h: #defines, so not in BTF */
#define LSM_PRLIMIT_WRITE	2
#define EPERM			1

/* Set by the loader before it loads the program; (u32)-1 refuses nobody. */
__u32 refused_uid = (__u32)-1;

/* Refusals seen, so the test can tell the policy ran. */
__u64 refusals;

SEC("lsm/task_prlimit")
int BPF_PROG(resmon_test_task_prlimit, const struct cred *cred,
	     const struct cred *tcred, unsigned int flags, int ret)
{
	if (ret)
		return ret;
	if (!(flags & LSM_PRLIMIT_WRITE))
		return 0;
	if (BPF_CORE_READ(tcred, uid.val) != refused_uid)
		return 0;
	__sync_fetch_and_add(&refusals, 1);
	return -EPERM;
}

char LICENSE[] SEC("license") = "GPL";
