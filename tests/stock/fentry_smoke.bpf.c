// SPDX-License-Identifier: GPL-2.0
/*
 * fentry_smoke.bpf.c — the smallest program that shows BPF tracing works in a stock-kernel
 * guest: scripts/stock-tests.sh loads it with `bpftool prog load` on both stock kernels.
 *
 * Loading an fentry program exercises what the eBPF edition needs: the kernel's BTF
 * (/sys/kernel/btf/vmlinux) to find the attach target, the verifier, bpffs for the pin,
 * and libbpf's CO-RE relocation of the field read below. The object is built once,
 * against stock-6.1's vmlinux.h (build/kernel-stock-6.1/vmlinux.h), and the same object
 * loads on 6.12: that is the point of CO-RE. do_sys_openat2 is the kernel edition's own
 * hook point for opens; GUIDE.md lists it in both kernels' BTF.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

__u64 opens;
__u64 last_flags;

SEC("fentry/do_sys_openat2")
int BPF_PROG(smoke_openat2, int dfd, const char *filename, struct open_how *how)
{
	last_flags = BPF_CORE_READ(how, flags);
	__sync_fetch_and_add(&opens, 1);
	return 0;
}
