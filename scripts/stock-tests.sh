#!/bin/sh
# stock-tests.sh FLAVOR — the suite `make check` runs in one boot of each Debian stock
# kernel (FLAVOR = stock-6.1 | stock-6.12), in the guest:
#     make vm KERNEL=stock-6.1 CMD='scripts/stock-tests.sh stock-6.1'
# It checks that the guest really is that stock kernel, that resmon's kernel edition is
# absent and the command says so, and that BPF is usable (BTF, bpffs, tracefs, BPF-LSM,
# an fentry program loads). TAP lines ("ok N - ..." / "not ok N - ..."), framed like
# scripts/run-tests.sh's by "# resmon-check: begin/end NAME STATUS" so that check.sh
# counts them the same way. Exit status: 1 if any failed.
#
# To add tests: write a function that returns 0 on success (printing why not on
# stderr), then add a `check "description" function` line at the bottom. Needs
# build/bin/resmon (make user) and build/stock-tests/ (make stock-tests).
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FLAVOR=${1:?usage: stock-tests.sh stock-6.1|stock-6.12}
KDIR=$ROOT/build/kernel-$FLAVOR
OBJ=$ROOT/build/stock-tests/fentry_smoke.bpf.o
PIN=/sys/fs/bpf/resmon_stock_smoke
n=0
rc=0

# check DESCRIPTION COMMAND...: one TAP line; the command's output goes in as comments.
check() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@" > /tmp/.stock-test.out 2>&1; then
		echo "ok $n - $FLAVOR: $desc"
	else
		echo "not ok $n - $FLAVOR: $desc"
		rc=1
	fi
	sed 's/^/#   /' /tmp/.stock-test.out
}

release_is_pinned() {
	want=$(cat "$KDIR/release") || return 1
	got=$(uname -r)
	echo "uname -r: $got, package $(cat "$KDIR/package"): $want"
	[ "$got" = "$want" ]
}

# No /proc/resmon, and not one resmon symbol in the kernel (syscalls 451-456 are free
# on 6.1 and other calls on 6.12: kallsyms, not a probe call, tells them apart safely).
no_resmon_in_kernel() {
	[ ! -e /proc/resmon ] || { echo "/proc/resmon exists"; return 1; }
	# (A /proc file's size is 0: read a line to know it is there.)
	grep -q -m1 ' T ' /proc/kallsyms || { echo "no readable /proc/kallsyms"; return 1; }
	echo "$(wc -l < /proc/kallsyms) symbols"
	! grep -m3 -i resmon /proc/kallsyms
}

# libresmon sees no resmon and the command says so: exit 3 and a clear message.
cli_says_unavailable() {
	out=$("$ROOT/build/bin/resmon" status 1 2>&1)
	st=$?
	echo "resmon status 1: exit $st: $out"
	[ $st -eq 3 ] && case $out in *"resmond is not running (systemctl start resmond)"*) true ;; *) false ;; esac
}

fs_mounted() { # TYPE DIR
	grep -q "^[^ ]* $2 $1 " /proc/mounts || { echo "no $1 on $2"; grep " $2 " /proc/mounts; false; }
}

btf_present() {
	[ -s /sys/kernel/btf/vmlinux ] || { echo "no /sys/kernel/btf/vmlinux"; return 1; }
	echo "/sys/kernel/btf/vmlinux: $(wc -c < /sys/kernel/btf/vmlinux) bytes"
}

bpf_lsm_active() {
	lsms=$(cat /sys/kernel/security/lsm) || return 1
	echo "active LSMs: $lsms"
	case ,$lsms, in *,bpf,*) true ;; *) false ;; esac
}

# bpftool resolves the fentry target in the kernel's BTF, the verifier accepts the
# program, libbpf applies its CO-RE relocations, and the program is pinned in bpffs.
fentry_loads() {
	rm -f "$PIN"
	bpftool prog load "$OBJ" "$PIN" || return 1
	bpftool prog show pinned "$PIN" | tee /tmp/.stock-prog
	ok=0
	grep -q 'tracing  name smoke_openat2' /tmp/.stock-prog && ok=1
	rm -f "$PIN"
	[ $ok = 1 ]
}

echo "# resmon-check: begin stock-tests-$FLAVOR"
check "uname -r is the pinned package's release" release_is_pinned
check "no resmon in the kernel (/proc/resmon, kallsyms)" no_resmon_in_kernel
check "resmon status: exit 3, 'resmond is not running'" cli_says_unavailable
check "BTF at /sys/kernel/btf/vmlinux" btf_present
check "bpffs on /sys/fs/bpf" fs_mounted bpf /sys/fs/bpf
check "tracefs on /sys/kernel/tracing" fs_mounted tracefs /sys/kernel/tracing
check "debugfs on /sys/kernel/debug" fs_mounted debugfs /sys/kernel/debug
check "BPF-LSM active (/sys/kernel/security/lsm)" bpf_lsm_active
check "bpftool prog load: fentry/do_sys_openat2, CO-RE" fentry_loads
echo "# resmon-check: end stock-tests-$FLAVOR $rc"
exit $rc
