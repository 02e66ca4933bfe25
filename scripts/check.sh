#!/usr/bin/env bash
# check.sh — the whole test suite from a fresh clone (what `make check` and .ci/run do):
#   1. install missing Debian packages        5. KUnit under UML (scripts/kunit.sh)
#   2. build the kernel (KERNEL, def. debug)  6. one guest boot running every test
#   3. build user/ and the selftests             binary (scripts/run-tests.sh), then a
#   4. host unit tests (make -C user test)       kmemleak scan (debug kernel)
#                                             7. one boot of each Debian stock kernel
#                                                (stock-6.1, stock-6.12) running
#                                                scripts/stock-tests.sh
# The last line printed is exactly "N passed, M failed", summing the host tests'
# "N passed, M failed" lines, KUnit's cases and the kselftest "ok"/"not ok" lines of the
# guest run (a binary that exits non-zero without a "not ok" counts as one failure).
# Exit status non-zero on any failure, a build error, or a kernel splat in the guest.
#
# The debug kernel (config/debug.config: KASAN, lockdep, PROVE_RCU, kmemleak, ...) is
# the default, so every run of the suite is also a run under the kernel's checkers;
# KERNEL=resmon runs the same tests on the production config in a fraction of the time.
set -euo pipefail
cd "$(dirname "$0")/.."
export KERNEL=${KERNEL:-debug}
export TIMEOUT=${TIMEOUT:-1800}
T0=$(date +%s)
step() { echo "== [$(( $(date +%s) - T0 ))s] $*"; }

step "dependencies";     scripts/install-deps.sh
step "kernel ($KERNEL)"; scripts/build-kernel.sh "$KERNEL"
step "user";             make --no-print-directory user
step "selftests";        make --no-print-directory selftests
step "stock kernels";    make --no-print-directory stock-kernels stock-tests

# "N passed, M failed" lines of a log, summed: "N M".
sum_counts() { awk '/^[0-9]+ passed, [0-9]+ failed/ { p += $1; f += $3 } END { print p + 0, f + 0 }' "$1"; }

step "host unit tests"
host_rc=0
make --no-print-directory -C user test BUILD="$PWD/build" 2>&1 | tee build/host-tests.log ||
	host_rc=${PIPESTATUS[0]}
read -r host_passed host_failed < <(sum_counts build/host-tests.log)

step "KUnit (UML)"
kunit_rc=0
scripts/kunit.sh 2>&1 | tee build/kunit.log || kunit_rc=${PIPESTATUS[0]}
kunit_passed=$(grep -cE '\[PASSED\] [a-z0-9_]+$' build/kunit.log || true)
kunit_failed=$(grep -cE '\[FAILED\] [a-z0-9_]+$' build/kunit.log || true)
[ $kunit_rc -eq 0 ] || [ "$kunit_failed" -gt 0 ] || kunit_failed=1

step "guest tests ($KERNEL kernel, SMP=${SMP:-2})"
out=build/check.log
vm_rc=0
# The debug kernel has fault injection: there resmon_nomem_test must run, not skip.
fault=
[ "$KERNEL" != debug ] || fault="RESMON_FAULT_INJECTION=required "
scripts/vm.sh "${fault}scripts/run-tests.sh" | tee "$out" || vm_rc=${PIPESTATUS[0]}

# TAP lines of a guest run, counted: "passed failed skipped". A skipped test ("ok N name
# # SKIP why") is counted apart, never as passed; a binary that ended non-zero between
# its "# resmon-check: begin/end" lines without a "not ok" counts as one failure.
count_tap() {
	awk '
	/^# resmon-check: begin / { bad = 0 }
	/^ok .*# SKIP/ { s++; next }
	/^ok /     { p++ }
	/^not ok / { f++; bad++ }
	/^# resmon-check: end / && $NF != 0 && bad == 0 {
		f++; print "not ok - " $4 " exited with status " $NF " without reporting" > "/dev/stderr" }
	END { print p + 0, f + 0, s + 0 }' "$1"
}
read -r passed failed skipped < <(count_tap "$out")

# Debian's own kernels: one boot each, the stock suite (scripts/stock-tests.sh).
stock_rc=0
for k in stock-6.1 stock-6.12; do
	step "guest tests ($k kernel, SMP=${SMP:-2})"
	rc=0
	KERNEL=$k scripts/vm.sh "scripts/stock-tests.sh $k" | tee "build/check-$k.log" || rc=${PIPESTATUS[0]}
	[ $rc -le 1 ] || echo "check: the $k guest run FAILED (status $rc, see build/vm-run/last.log)"
	[ $rc -eq 0 ] || stock_rc=$rc
	read -r p f s < <(count_tap "build/check-$k.log")
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done

passed=$((passed + host_passed + kunit_passed))
failed=$((failed + host_failed + kunit_failed))

step "done"
[ $host_rc -eq 0 ] || echo "check: host unit tests FAILED (status $host_rc)"
[ $kunit_rc -eq 0 ] || echo "check: KUnit FAILED (status $kunit_rc, see build/kunit.log)"
# vm.sh exits 1 when run-tests.sh saw a failure; 124-126 mean the guest/kernel itself failed.
[ $vm_rc -le 1 ] || echo "check: the guest run FAILED (status $vm_rc, see build/vm-run/last.log)"
echo "$passed passed, $failed failed$([ "$skipped" -eq 0 ] || echo ", $skipped skipped")"
[ $host_rc -eq 0 ] && [ $kunit_rc -eq 0 ] && [ $vm_rc -eq 0 ] && [ $stock_rc -eq 0 ] &&
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
