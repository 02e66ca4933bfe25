#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# resmon_attach_test: every attach point of the BPF object (build/bpf/resmon.bpf.o) is in
# the running kernel's BTF, so the next Debian point release cannot silently lose an
# entry point. Runs in a stock-kernel guest (scripts/ebpf-tests.sh). TAP.
# The checkout: RESMON_ROOT (scripts/ebpf-tests.sh sets it, since the guest runs this
# from a copy of build/bin on its tmpfs), else where this script lies in build/bin.
ROOT=${RESMON_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
n=0 bad=0
btf=/tmp/.ebpf-btf.txt
bpftool btf dump file /sys/kernel/btf/vmlinux > "$btf"
for fn in $(llvm-objdump -h "$ROOT/build/bpf/resmon.bpf.o" |
		grep -Eo '(fentry|fexit|tp_btf)/[A-Za-z0-9_]+' | cut -d/ -f2 | sort -u); do
	n=$((n + 1))
	case $fn in
	sched_process_exit) pat="TYPEDEF 'btf_trace_$fn'" ;;
	*) pat="FUNC '$fn'" ;;
	esac
	if grep -q "$pat" "$btf"; then echo "ok $n - $(uname -r) BTF has $fn"
	else echo "not ok $n - $(uname -r) BTF lacks $fn"; bad=1; fi
done
echo "1..$n"
# 7 attach points today (bpf/resmon.bpf.c): fewer means the object was not read.
[ $n -ge 7 ] && [ $bad -eq 0 ]
