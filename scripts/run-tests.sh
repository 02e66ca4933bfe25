#!/bin/sh
# run-tests.sh [PATTERN...] — run the kselftest-style test binaries in build/bin, in the
# guest (scripts/check.sh boots one VM for all of them):
#     make vm CMD=scripts/run-tests.sh
# Each binary prints TAP ("ok N name" / "not ok N name"). Around each one this prints
# "# resmon-check: begin NAME [I/N]" and "# resmon-check: end NAME STATUS SECONDS" so
# check.sh can count a binary that died without reporting as a failure (and a person
# sees which test runs, and how long each took). Exit status: 1 if any failed.
#
# Pattern resmon_*_test: every selftest and guest test, but not helpers such as
# resmon_test_hog that the tests start themselves. Several patterns run in turn (a stock
# kernel runs the library-level suites and the kselftests' libresmon build:
# scripts/ebpf-tests.sh names resmon_cli_test resmon_lib_test resmon_parity_test and
# every resmon_*_test.lib).
# The guest's init copies build/bin to its tmpfs (/run/resmon/bin) so that tests run as
# an unprivileged user can execute the binaries wherever the checkout lives; use that copy.
BIN=/run/resmon/bin
[ -d "$BIN" ] || BIN=$(cd "$(dirname "$0")/../build/bin" && pwd)
ALL=0
[ $# -gt 0 ] || { ALL=1; set -- 'resmon_*_test'; }
rc=0
total=0
for PATTERN in "$@"; do
	for t in "$BIN"/$PATTERN; do
		[ -x "$t" ] && [ -f "$t" ] || continue
		[ $ALL = 0 ] || [ "${t##*/}" != resmon_attach_test ] || continue
		total=$((total + 1))
	done
done
i=0
for PATTERN in "$@"; do
for t in "$BIN"/$PATTERN; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	name=${t##*/}
	# The eBPF edition's attach-point check is about a stock kernel's BTF: only
	# scripts/ebpf-tests.sh runs it (by name), never the default run on our kernels.
	[ $ALL = 0 ] || [ "$name" != resmon_attach_test ] || continue
	i=$((i + 1))
	echo "# resmon-check: begin $name [$i/$total]"
	t0=$(date +%s)
	# Buffered, then printed at once: kernel messages on the same console (resmon's kill
	# lines) then cannot land in the middle of an "ok" line.
	(cd /tmp && "$t") > /tmp/.resmon-check.out 2>&1
	st=$?
	cat /tmp/.resmon-check.out
	echo "# resmon-check: end $name $st $(( $(date +%s) - t0 ))s"
	# 4 is KSFT_SKIP: a binary that skipped as a whole (check.sh counts it apart).
	[ $st -eq 0 ] || [ $st -eq 4 ] || rc=1
done
done
# A short run of the random-argument fuzzer for syscalls 451-456 (make fuzz runs it
# longer, beside trinity): every call must return 0 or a code Documentation/userspace-api/resmon.rst lists.
if [ $ALL = 1 ] && [ -x "$BIN/resmon_fuzz" ]; then
	echo "# resmon-check: begin resmon_fuzz"
	(cd /tmp && "$BIN/resmon_fuzz" 5 4) > /tmp/.resmon-check.out 2>&1
	st=$?
	sed 's/^/# /' /tmp/.resmon-check.out
	if [ $st -eq 0 ]; then echo "ok 1 - resmon_fuzz: no unexpected return code"
	else echo "not ok 1 - resmon_fuzz: status $st"; rc=1; fi
	echo "# resmon-check: end resmon_fuzz $st -"
fi
exit $rc
