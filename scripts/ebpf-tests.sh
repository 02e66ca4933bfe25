#!/bin/sh
# ebpf-tests.sh — the eBPF edition's suite, in a stock-kernel guest (check.sh runs it in
# each stock boot, after scripts/stock-tests.sh):
#     make vm KERNEL=stock-6.1 CMD=scripts/ebpf-tests.sh
#  1. every attach point of build/bpf/resmon.bpf.o is a FUNC in this kernel's BTF
#     (the next Debian point release must not silently lose an entry point);
#  2. with resmond running: the CLI and library guest tests, the same files as on
#     the resmon kernel, and the socket fuzzer;
#  3. resmond --stop, then the daemon-kill test (it starts and kills its own resmond).
# Output as run-tests.sh's ("# resmon-check: begin/end NAME STATUS" around TAP).
# Exit status 1 if anything failed.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/build/bin
export PATH="$BIN:$PATH"
rc=0

section() {	# section NAME COMMAND...: one TAP block, buffered as run-tests.sh does
	name=$1
	shift
	echo "# resmon-check: begin $name"
	(cd /tmp && "$@") > /tmp/.ebpf-check.out 2>&1
	st=$?
	cat /tmp/.ebpf-check.out
	echo "# resmon-check: end $name $st"
	[ $st -eq 0 ] || rc=1
}

attach_points() {
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
	[ $n -ge 8 ] && [ $bad -eq 0 ]
}

start_resmond() {
	resmond 2>/tmp/resmond.log &
	i=0
	while [ $i -lt 100 ] && [ ! -S /run/resmond.sock ]; do sleep 0.1; i=$((i + 1)); done
	[ -S /run/resmond.sock ]
}

section resmon_attach_points attach_points
if start_resmond; then
	section resmon_cli_test resmon_cli_test
	section resmon_lib_test resmon_lib_test
	section resmond_fuzz resmond_fuzz 20
	resmond --stop >/dev/null 2>&1
	sed 's/^/# resmond: /' /tmp/resmond.log
else
	echo "not ok 1 - resmond did not start"; cat /tmp/resmond.log; rc=1
fi
section resmond_kill_test resmond_kill_test
exit $rc
