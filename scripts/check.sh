#!/usr/bin/env bash
# check.sh — the whole test suite from a fresh clone (what `make check` and .ci/run do):
#   1. install missing Debian packages        5. KUnit under UML (scripts/kunit.sh)
#   2. build the kernel (KERNEL, def. debug)  6. one guest boot running every test
#   3. build user/ and the selftests             binary (scripts/run-tests.sh), then a
#   4. host unit tests (make -C user test)       kmemleak scan (debug kernel)
#                                             7. one boot of each Debian stock kernel
#                                                (stock-6.1, stock-6.12) running
#                                                scripts/stock-tests.sh, then
#                                                scripts/ebpf-tests.sh (resmond)
#                                             8. the same test binaries under UML
#                                                (build/kernel-uml, hostfs root)
# The last line printed is exactly "N passed, M failed", summing the host tests'
# "N passed, M failed" lines, KUnit's cases and the kselftest "ok"/"not ok" lines of the
# guest and UML runs (a binary that exits non-zero without a "not ok" counts as one
# failure). Under UML a test may skip only if scripts/uml-excluded.txt lists it, with
# the reason it cannot work there (printed); any other skip there is a failure.
# UML=0 leaves step 8 out.
# Exit status non-zero on any failure, a build error, or a kernel splat in the guest.
#
# The debug kernel (config/debug.config: KASAN, lockdep, PROVE_RCU, kmemleak, ...) is
# the default, so every run of the suite is also a run under the kernel's checkers;
# KERNEL=resmon runs the same tests on the production config in a fraction of the time.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian's own tools, not a developer's pyenv or ~/.cargo: the suite must pass with what
# scripts/install-deps.sh installs, and check-deps.py holds it to that.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export KERNEL=${KERNEL:-debug}
export TIMEOUT=${TIMEOUT:-1800}
T0=$(date +%s)
step() { echo "== [$(( $(date +%s) - T0 ))s] $*"; }

UML=${UML:-1}
step "dependencies";     scripts/install-deps.sh
# From here on every program the host side runs is recorded (scripts/exec-trace.sh), and
# scripts/check-deps.py checks each comes from a package install-deps.sh installs.
export EXEC_TRACE=$PWD/build/exec-trace
rm -rf "$EXEC_TRACE"
T=scripts/exec-trace.sh
step "kernel ($KERNEL)"; $T kernel scripts/build-kernel.sh "$KERNEL"
[ "$UML" = 0 ] || { step "kernel (uml)"; $T kernel-uml scripts/build-kernel.sh uml; }
step "user";             $T user make --no-print-directory user
step "selftests";        $T selftests make --no-print-directory selftests
step "stock kernels";    $T stock make --no-print-directory stock-kernels stock-tests
step "eBPF edition";     $T ebpf make --no-print-directory ebpf
step "packages";         $T deb make --no-print-directory deb

# "N passed, M failed" lines of a log, summed: "N M".
sum_counts() { awk '/^[0-9]+ passed, [0-9]+ failed/ { p += $1; f += $3 } END { print p + 0, f + 0 }' "$1"; }

step "host unit tests"
host_rc=0
$T host-tests make --no-print-directory -C user test BUILD="$PWD/build" 2>&1 | tee build/host-tests.log ||
	host_rc=${PIPESTATUS[0]}
# The rulebook (rules.h) with KUnit's cases, compiled in user space.
$T host-rules make --no-print-directory rules-test 2>&1 | tee -a build/host-tests.log ||
	host_rc=${PIPESTATUS[0]}
# The attach points' prototypes in the stock kernels' and this host's BTF, as data.
$T host-protos make --no-print-directory -C daemon protos-test BUILD="$PWD/build" 2>&1 |
	tee -a build/host-tests.log || host_rc=${PIPESTATUS[0]}
# The packages: lintian, their contents, a build against them, and their CO-RE header
# (scripts/deb-tests.sh).
$T host-deb scripts/deb-tests.sh 2>&1 | tee -a build/host-tests.log || host_rc=${PIPESTATUS[0]}
# An administrator's install: apt-get install of those packages in a bare Debian 12 root,
# then each used (scripts/deb-install-test.sh; the root is cached under build/). Not under
# exec-trace: what runs in there is the bare root's, not this machine's, and the host
# side's commands (fresh-root.sh's) are read from the script by check-deps.py.
scripts/deb-install-test.sh 2>&1 | tee -a build/host-tests.log ||
	host_rc=${PIPESTATUS[0]}
read -r host_passed host_failed < <(sum_counts build/host-tests.log)

step "KUnit (UML)"
kunit_rc=0
scripts/kunit.sh 2>&1 | tee build/kunit.log || kunit_rc=${PIPESTATUS[0]}
kunit_passed=$(grep -cE '\[PASSED\] [a-z0-9_]+$' build/kunit.log || true)
kunit_failed=$(grep -cE '\[FAILED\] [a-z0-9_]+$' build/kunit.log || true)
[ $kunit_rc -eq 0 ] || [ "$kunit_failed" -gt 0 ] || kunit_failed=1

# Kselftest TAP in a run's log, counted: "passed failed skipped excluded".
# Skips are counted apart, never as passed. With an exclusion list (UML), a skip of a
# listed test ("binary" or "binary:fixture.test", the name the harness printed just
# before) is printed with the list's reason and counted as excluded; an unlisted skip
# is a failure.
count_tap() {
	awk -v excl="${2:-}" '
	BEGIN { if (excl != "") while ((getline l < excl) > 0) {
			if (l ~ /^#/ || l !~ /\t/) continue
			k = l; sub(/\t.*/, "", k); r = l; sub(/^[^\t]*\t+/, "", r); why[k] = r } }
	/^# resmon-check: begin / { bin = $4; bad = 0; name = ""; binskip = 0 }
	/^# +(OK|FAIL) +[^ ]+$/ { name = $3 }
	/^(ok .*|1\.\.0) # SKIP/ {
		key = name == "" ? bin : bin ":" name
		if (name == "") binskip = 1
		if (excl == "") { s++; next }
		if (key in why) { x++; print "# excluded under UML: " key ": " why[key] > "/dev/stderr"; next }
		f++; reason = $0; sub(/.*# SKIP */, "", reason)
		print "not ok - " key " skipped under UML (" reason "), not in " excl > "/dev/stderr"; next }
	/^ok /     { p++ }
	/^not ok / { f++; bad++ }
	/^# resmon-check: end / && $5 != 0 && bad == 0 && !(binskip && $5 == 4) {
		f++; print "not ok - " $4 " exited with status " $5 " without reporting" > "/dev/stderr" }
	END { print p + 0, f + 0, s + 0, x + 0 }' "$1"
}

step "guest tests ($KERNEL kernel, SMP=${SMP:-2})"
out=build/check.log
vm_rc=0
# The debug kernel has fault injection: there resmon_nomem_test must run, not skip;
# the debug and lsm kernels have BTF and BPF-LSM: there resmon_lsm_test must run
# (elsewhere it says why it cannot, and is counted as skipped, never as passed).
required=
[ "$KERNEL" != debug ] || required="RESMON_FAULT_INJECTION=required "
[ "$KERNEL" != debug ] && [ "$KERNEL" != lsm ] || required+="RESMON_BPF_LSM=required "
$T vm scripts/vm.sh "${required}scripts/run-tests.sh" | tee "$out" || vm_rc=${PIPESTATUS[0]}
read -r passed failed skipped _ < <(count_tap "$out")

uml_rc=0 uml_excluded=0
if [ "$UML" != 0 ]; then
	step "UML tests (build/kernel-uml, 1 CPU, hostfs root)"
	uml_out=build/check-uml.log
	KERNEL=uml SMP=1 scripts/vm.sh "RESMON_FAULT_INJECTION=required scripts/run-tests.sh" |
		tee "$uml_out" || uml_rc=${PIPESTATUS[0]}
	read -r p f _ uml_excluded < <(count_tap "$uml_out" scripts/uml-excluded.txt)
	passed=$((passed + p))
	failed=$((failed + f))
fi

# Debian's own kernels: one boot each, the stock suite (scripts/stock-tests.sh: no resmon
# there, libresmon says so), then the eBPF edition's (scripts/ebpf-tests.sh: the CLI and
# library tests against resmond, populate order, socket fuzzer, daemon kill).
stock_rc=0
for k in stock-6.1 stock-6.12; do
	step "guest tests ($k kernel, SMP=${SMP:-2})"
	rc=0
	KERNEL=$k $T "vm-$k" scripts/vm.sh "scripts/stock-tests.sh $k; st=\$?; RESMON_DEB=required scripts/ebpf-tests.sh || st=1; exit \$st" |
		tee "build/check-$k.log" || rc=${PIPESTATUS[0]}
	[ $rc -le 1 ] || echo "check: the $k guest run FAILED (status $rc, see build/vm-run/last.log)"
	[ $rc -eq 0 ] || stock_rc=$rc
	read -r p f s _ < <(count_tap "build/check-$k.log")
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done

# make vm hands CMD to the guest as typed: make must not expand $(...) in it first.
step "make vm CMD='...\$(...)...' reaches the guest untouched"
make --no-print-directory vm KERNEL=stock-6.1 CMD='echo "vm-cmd: $(echo untouched)"' \
	> build/check-vm-cmd.log 2>&1
if grep -q 'vm-cmd: untouched' build/check-vm-cmd.log; then
	echo "ok   make vm passes \$(...) in CMD to the guest's shell" | tee -a build/host-tests.log
	passed=$((passed + 1))
else
	echo "not ok - make vm passes \$(...) in CMD to the guest's shell" | tee -a build/host-tests.log
	tail -n 15 build/check-vm-cmd.log | sed 's/^/#   /'
	failed=$((failed + 1))
fi

step "every command from a listed package (check-deps)"
deps_rc=0
scripts/check-deps.py "$EXEC_TRACE"/*.log 2>&1 | tee build/check-deps.log || deps_rc=${PIPESTATUS[0]}
read -r deps_passed deps_failed < <(sum_counts build/check-deps.log)
[ $deps_rc -eq 0 ] || [ "$deps_failed" -gt 0 ] || deps_failed=1

passed=$((passed + host_passed + kunit_passed + deps_passed))
failed=$((failed + host_failed + kunit_failed + deps_failed))

step "done"
[ $host_rc -eq 0 ] || echo "check: host unit tests FAILED (status $host_rc)"
if [ $kunit_rc -ne 0 ]; then
	# CI shows only the end of this output: repeat why here.
	echo "check: KUnit FAILED (status $kunit_rc, see build/kunit.log); its last lines:"
	grep -v '^\[..:..:..\] *\[PASSED\]' build/kunit.log | tail -n 15 | sed 's/^/  | /' || true
fi
# vm.sh exits 1 when run-tests.sh saw a failure; 124-126 mean the guest/kernel itself failed.
[ $vm_rc -le 1 ] || echo "check: the guest run FAILED (status $vm_rc, see build/vm-run/last.log)"
[ $uml_rc -le 1 ] || echo "check: the UML run FAILED (status $uml_rc, see build/vm-run/last-uml.log)"
[ "$uml_excluded" -eq 0 ] || echo "check: $uml_excluded test(s) excluded under UML (scripts/uml-excluded.txt)"
if [ "$failed" -gt 0 ]; then
	echo "check: the failures (first 20):"
	grep -h '^not ok' build/host-tests.log build/check*.log 2>/dev/null |
		head -n 20 | sed 's/^/  | /' || true
fi
echo "$passed passed, $failed failed$([ "$skipped" -eq 0 ] || echo ", $skipped skipped")"
[ $host_rc -eq 0 ] && [ $kunit_rc -eq 0 ] && [ $vm_rc -eq 0 ] && [ $uml_rc -eq 0 ] &&
	[ $stock_rc -eq 0 ] && [ $deps_rc -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
