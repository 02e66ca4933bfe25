#!/usr/bin/env bash
# kunit.sh — resmon's KUnit suite (linux/kernel/resmon/rules_kunit.c) under UML,
# with the kernel's own runner: tools/testing/kunit/kunit.py run.
# Builds a UML kernel from the prepared resmon tree into build/kunit (incremental,
# ccache), runs it, and prints kunit.py's summary. Exit status non-zero on any
# failure. check.sh counts the "[PASSED]"/"[FAILED]" lines it prints.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
"$ROOT/scripts/prepare-tree.sh" resmon
cd "$ROOT/build/src/resmon"
# Hash paths relative to the checkout, so a clone in another folder hits the cache.
export CCACHE_BASEDIR=$ROOT CCACHE_NOHASHDIR=1
# kunit.py is silent while it builds UML (minutes the first time): show progress.
# The build is recorded like check.sh's other steps (exec-trace.sh); the run is not, since
# UML ptraces its own processes and cannot be traced twice.
. "$ROOT/scripts/progress.sh"
mkdir -p "$ROOT/build/kunit"
KUNIT=(python3 tools/testing/kunit/kunit.py)
OPTS=(--kunitconfig=kernel/resmon/.kunitconfig --build_dir="$ROOT/build/kunit")
MAKEOPTS=(--make_options CC="ccache gcc")
"$ROOT/scripts/exec-trace.sh" kunit-config "${KUNIT[@]}" config "${OPTS[@]}" "${MAKEOPTS[@]}"
with_progress "KUnit UML build" "$ROOT/build/kunit" - -- "$ROOT/scripts/exec-trace.sh" kunit-build \
	"${KUNIT[@]}" build "${OPTS[@]}" --jobs="$(nproc)" "${MAKEOPTS[@]}"
# The run. A failed test is the answer; a run that failed without one (UML did not come
# up, the output could not be parsed: seen once in CI, never here) is shown and made once
# more, so a one-off hiccup of the host is not reported as a resmon bug, and a real one
# still fails the second time.
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for attempt in 1 2; do
	rc=0
	"${KUNIT[@]}" exec "${OPTS[@]}" >"$out" 2>&1 || rc=$?
	if [ $rc -eq 0 ] || [ $attempt = 2 ] || grep -qE '\[(FAILED|CRASHED)\] ' "$out"; then
		cat "$out"
		exit $rc
	fi
	# Shown, with its verdicts bracketed otherwise, so check.sh does not count them.
	echo "kunit: the UML run failed (status $rc) with no failed test; its output:"
	sed -E 's/\[(PASSED|FAILED|SKIPPED)\]/(\1)/' "$out"
	echo "kunit: running it once more"
done
