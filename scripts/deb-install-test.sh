#!/usr/bin/env bash
# deb-install-test.sh — `make deb-install-test`: an administrator installs the packages of
# build/deb/ (make deb) with apt on a bare Debian 12: a fresh minimal root (debootstrap
# minbase, nothing else; scripts/fresh-root.sh makes it once under build/deb-install/ and
# a new copy for each run), where tests/packages/apt_install_test.sh runs
# `apt-get install ./*.deb` from Debian 12's own archive and then uses what it installed.
# apt's downloads and lists are kept under build/deb-install/ too, so a warm run fetches
# only what changed. Needs root and, the first time, the network (the Debian mirror).
# TAP on stdout, then "N passed, M failed" as the other host tests print.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEB=$ROOT/build/deb
TOP=$ROOT/build/deb-install
T0=$SECONDS

if ! ls "$DEB"/*.deb >/dev/null 2>&1; then
	echo "1..1"
	echo "not ok 1 - no packages in build/deb (make deb)"
	echo "0 passed, 1 failed"
	exit 1
fi
mkdir -p "$TOP/apt-archives/partial" "$TOP/apt-lists/partial"
# Nothing in the base but minbase: every package the install needs comes through apt.
FRESH_DIR=$TOP FRESH_INCLUDE= FRESH_CLONE=0 FRESH_CCACHE=0 \
FRESH_BIND="$DEB:/debs:ro $ROOT/tests/packages:/tests:ro $TOP/apt-archives:/var/cache/apt/archives $TOP/apt-lists:/var/lib/apt/lists" \
	"$ROOT/scripts/fresh-root.sh" bash /tests/apt_install_test.sh > "$TOP/run.log" 2>&1
rc=$?
# The inner TAP as it is; fresh-root's own lines as comments.
grep -E '^(ok|not ok|1\.\.)' "$TOP/run.log"
grep -vE '^(ok|not ok|1\.\.|[0-9]+ passed, [0-9]+ failed)' "$TOP/run.log" | sed 's/^/# /' | tail -n 40
pass=$(grep -cE '^ok ' "$TOP/run.log")
fail=$(grep -cE '^not ok ' "$TOP/run.log")
if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
	echo "not ok - the bare root's run ended with status $rc (log: ${TOP#$ROOT/}/run.log)"
	fail=$((fail + 1))
fi
echo "# deb-install-test: $((SECONDS - T0)) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
