#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Host tests of the resmon command: the paths that never need the kernel
# (help, version, usage errors) and, on a kernel without resmon, exit 3.
# Prints one line per test and "N passed, M failed"; exit 1 on failure.
RESMON=${RESMON:-resmon}
pass=0 fail=0
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# expect CODE PATTERN-ON-STDERR|'' DESCRIPTION -- ARGS...
expect() {
	code=$1 pattern=$2 desc=$3
	shift 4
	"$RESMON" "$@" >"$out" 2>"$err"
	rc=$?
	if [ "$rc" -ne "$code" ]; then
		echo "FAIL $desc: exit $rc, want $code: $(head -c 300 "$err")"
		fail=$((fail + 1))
	elif [ -n "$pattern" ] && ! grep -q -- "$pattern" "$err"; then
		echo "FAIL $desc: stderr lacks '$pattern': $(head -c 300 "$err")"
		fail=$((fail + 1))
	elif [ "$(wc -l <"$err")" -gt 1 ]; then
		echo "FAIL $desc: more than one line on stderr"
		fail=$((fail + 1))
	else
		echo "ok   $desc"
		pass=$((pass + 1))
	fi
}

# Like expect, with a pattern on stdout.
expect_out() {
	pattern=$1 desc=$2
	shift 3
	if "$RESMON" "$@" 2>&1 | grep -q -- "$pattern"; then
		echo "ok   $desc"
		pass=$((pass + 1))
	else
		echo "FAIL $desc: output lacks '$pattern'"
		fail=$((fail + 1))
	fi
}

expect_out 'Usage: resmon COMMAND' "--help" -- --help
expect_out 'resmon list' "help lists every subcommand" -- --help
expect_out '^resmon [0-9]' "--version" -- --version
for c in run status watch list register deregister cap reset; do
	expect 0 '' "$c --help exits 0" -- "$c" --help
	expect_out "^resmon $c" "$c --help shows its synopsis" -- "$c" --help
	expect_out "^resmon $c" "help $c" -- help "$c"
done

expect 2 'missing COMMAND' "no command" --
expect 2 'unknown command' "unknown command" -- frobnicate
expect 2 'missing CMD' "run without CMD" -- run
expect 2 "not a SIZE" "run --heap bad" -- run --heap 12Q true
expect 2 "not a count" "run --files bad" -- run --files -3 true
expect 2 "not a number of seconds" "run --interval bad" -- run --interval 0 true
expect 2 "unknown option" "run unknown option" -- run --bogus true
expect 2 "missing PID" "status without PID" -- status
expect 2 "not a process id" "status bad PID" -- status 0
expect 2 "unknown option" "status unknown option" -- status -x 1
expect 2 "missing PID" "watch without PID" -- watch
expect 2 "one PID only" "watch two PIDs" -- watch 1 2
expect 2 "not a positive count" "watch --count 0" -- watch --count 0 1
expect 2 "not a number of seconds" "watch --interval bad" -- watch -n x 1
expect 2 "unexpected argument" "list with argument" -- list 1
expect 2 "missing PID" "register without PID" -- register
expect 2 "not a process id" "register bad PID" -- register 12abc
expect 2 "unknown option" "register --heap" -- register --heap 1M 1
expect 2 "missing PID" "deregister without PID" -- deregister
expect 2 "not a process id" "deregister bad PID" -- deregister 1x
expect 2 "give --heap and/or --files" "cap without quotas" -- cap 1
expect 2 "not a SIZE" "cap --heap bad" -- cap --heap 1.5.5M 1
expect 2 "not a count" "cap --files bad" -- cap --files many 1
expect 2 "missing PID" "cap without PID" -- cap --files 3
expect 2 "missing PID" "reset without PID" -- reset
expect 2 "not a process id" "reset bad PID" -- reset 99999999999

if [ ! -e /proc/resmon ]; then
	# This kernel has no resmon and no resmond runs: every operation says which edition is
	# missing and exits 3, run included.
	msg='resmon is not available: '
	expect 3 "$msg" "status without resmon" -- status $$
	expect 3 "$msg" "status --json without resmon" -- status --json $$
	expect 3 "$msg" "watch without resmon" -- watch $$
	expect 3 "$msg" "list without resmon" -- list
	expect 3 "$msg" "register without resmon" -- register $$
	expect 3 "$msg" "deregister without resmon" -- deregister $$
	expect 3 "$msg" "cap without resmon" -- cap --heap 1M $$
	expect 3 "$msg" "reset without resmon" -- reset $$
	expect 3 "run: $msg" "run without resmon" -- run true
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
