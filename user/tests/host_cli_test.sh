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
for c in run limit status watch list register deregister cap reset; do
	expect 0 '' "$c --help exits 0" -- "$c" --help
	expect_out "^resmon $c" "$c --help shows its synopsis" -- "$c" --help
	expect_out "^resmon $c" "$c -h shows its synopsis" -- "$c" -h
	expect_out "^resmon $c" "help $c" -- help "$c"
done
expect_out '^resmon limit PID' "help lists limit" -- --help
expect_out '--soft-data SIZE' "run's synopsis has --soft-data" -- run -h
expect_out '\[--no-tree\]' "run's synopsis has --no-tree" -- run -h
expect_out '\[--kill-offender\]' "run's synopsis has --kill-offender" -- run -h
expect_out 'with everything it starts' "run's help says a tree job is the default" -- run -h
expect_out '\[--tree\]' "limit's synopsis has --tree" -- limit -h
expect 2 "unknown option '--tree'" "run --tree is not an option (the default)" -- run --tree true
expect 2 "unknown option '--no-tree'" "status --no-tree" -- status --no-tree 1

expect 2 'missing COMMAND' "no command" --
expect 2 'unknown command' "unknown command" -- frobnicate
expect 2 'missing CMD' "run without CMD" -- run
expect 2 "not a SIZE" "run --heap bad" -- run --heap 12Q true
expect 2 "not a count" "run --files bad" -- run --files -3 true
expect 2 "not a number of seconds" "run --interval bad" -- run --interval 0 true
expect 2 "unknown option" "run unknown option" -- run --bogus true
expect 2 "run: --heap needs a SIZE" "run --heap without its value" -- run --heap
expect 2 "run: --files needs a N" "run --files without its value" -- run --files
expect 2 "run: --data needs a SIZE" "run --data without its value" -- run --data
expect 2 "run: --soft-signal needs a SIG" "run --soft-signal without its value" -- run --soft-signal
expect 2 "run: --report needs a FILE" "run --report without its value" -- run --report
expect 2 "limit: --soft-data needs a SIZE" "limit --soft-data without its value" -- limit 1 --soft-data
expect 2 "cap: --heap needs a SIZE" "cap --heap without its value" -- cap --heap
expect 2 "run: --data '9000P': too large (max 8796093022207 MiB)" "run --data too large" -- run --data 9000P true
expect 2 "run: --soft-heap '8796093022208M': too large" "run --soft-heap one MiB too large" -- run --soft-heap 8796093022208M true
expect 2 "run: --files '9223372036854775808': too large (max 9223372036854775807)" "run --files too large" -- run --files 9223372036854775808 true
expect 2 "cap: --heap '9000P': too large (max 8796093022207 MiB)" "cap --heap too large" -- cap --heap 9000P 1
expect 2 "run: --data '64X': not a SIZE" "run --data bad" -- run --data 64X true
expect 2 "run: --soft-signal 'SIGFOO': not a signal" "run --soft-signal bad" -- run --soft-signal SIGFOO true
expect 2 "limit: missing PID" "limit without PID" -- limit --data 1M
expect 2 "limit: one PID only" "limit two PIDs" -- limit --data 1M 1 2
expect 2 "limit: 'x' is not a process id" "limit bad PID" -- limit --data 1M x
expect 2 "limit: give at least one limit" "limit without limits" -- limit 1
expect 2 "limit: unknown option '--no-tree'" "limit --no-tree" -- limit --no-tree --data 1M 1
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
	expect 3 "$msg" "limit without resmon" -- limit --data 1M $$
fi

# run and limit end to end, against fake_job.so's job layer (no resmon kernel here).
if [ -n "$FAKE_JOB" ] && [ -f "$FAKE_JOB" ]; then
	log=$(mktemp) report=$(mktemp) marker=$(mktemp -u)
	trap 'rm -f "$out" "$err" "$log" "$report" "$marker"' EXIT

	# fake CODE STDERR-EXACTLY|'' DESC -- ARGS...: exit code and the whole stderr.
	fake() {
		code=$1 want=$2 desc=$3
		shift 4
		: >"$log"
		LD_PRELOAD=$FAKE_JOB FAKE_JOB_LOG=$log "$RESMON" "$@" >"$out" 2>"$err"
		rc=$?
		if [ "$rc" -ne "$code" ]; then
			echo "FAIL $desc: exit $rc, want $code: $(head -c 300 "$err")"
			fail=$((fail + 1))
		elif [ "$(cat "$err")" != "$want" ]; then
			echo "FAIL $desc: stderr is '$(cat "$err")', want '$want'"
			fail=$((fail + 1))
		else
			echo "ok   $desc"
			pass=$((pass + 1))
		fi
	}
	# logged DESC EXPECTED-LINE: what the job layer was asked, as fake_job.so logs it.
	logged() {
		if [ "$(cat "$log")" = "$2" ]; then
			echo "ok   $1"
			pass=$((pass + 1))
		else
			echo "FAIL $1: asked '$(cat "$log")', want '$2'"
			fail=$((fail + 1))
		fi
	}

	fake 0 '' "run: silent when nothing was crossed" -- run true
	logged "run: a tree job, no limits" \
		"create flags=1 mask=0 hard=-1,-1,-1 soft=-1,-1,-1 signal=15"
	notree="resmon: run: this resmon does not take tree jobs (a process with its children): --no-tree limits CMD's own process alone"
	FAKE_JOB_NO_TREE=1 fake 125 "$notree" "run: a resmon that refuses tree jobs: 125 and why, one line" -- \
		run -v --data 1G touch "$marker"
	logged "run: the tree job asked once, no fallback to CMD alone" \
		"create flags=1 mask=0x4 hard=-1,-1,1073741824 soft=-1,-1,-1 signal=15"
	[ ! -e "$marker" ]
	check_ok=$?
	if [ $check_ok -eq 0 ]; then echo "ok   run: CMD not run when its tree job is refused"; pass=$((pass + 1));
	else echo "FAIL run: CMD ran though its tree job was refused"; fail=$((fail + 1)); fi
	FAKE_JOB_NO_TREE=1 fake 0 '' "run --no-tree where tree jobs are refused" -- run --no-tree --data 1G true
	logged "run --no-tree: CMD's process alone" \
		"create flags=0 mask=0x4 hard=-1,-1,1073741824 soft=-1,-1,-1 signal=15"
	fake 0 '' "run --kill-offender" -- run --kill-offender true
	logged "run --kill-offender: a tree job, offender scope" \
		"create flags=3 mask=0 hard=-1,-1,-1 soft=-1,-1,-1 signal=15"
	fake 0 '' "run: options after CMD are CMD's" -- run sh -c 'exit 0' --no-tree
	logged "run: --no-tree after CMD leaves the tree flag on" \
		"create flags=1 mask=0 hard=-1,-1,-1 soft=-1,-1,-1 signal=15"
	fake 0 '' "run -- CMD" -- run --no-tree -- true --kill-offender
	logged "run --no-tree -- CMD: no tree, options after -- are CMD's" \
		"create flags=0 mask=0 hard=-1,-1,-1 soft=-1,-1,-1 signal=15"
	fake 0 '' "run --no-tree --kill-offender" -- run --no-tree --kill-offender true
	logged "run --no-tree --kill-offender: the flags" \
		"create flags=2 mask=0 hard=-1,-1,-1 soft=-1,-1,-1 signal=15"
	fake 0 '' "run with every limit" -- run --heap 64M --files 100 --data 1.5G \
		--soft-heap 1K --soft-files 5 --soft-data 2049 --soft-signal USR1 true
	logged "run: every limit in bytes and opens, each in the mask" \
		"create flags=1 mask=0x10707 hard=67108864,100,1610612736 soft=1024,5,2049 signal=10"
	fake 3 '' "run: CMD's exit status" -- run sh -c 'exit 3'
	fake 143 '' "run: 128+N for CMD's signal" -- run sh -c 'kill -TERM $$'
	fake 127 "resmon: run: /nonexistent/cmd: No such file or directory" \
		"run: 127 for CMD not found" -- run /nonexistent/cmd
	fake 126 "resmon: run: /etc/passwd: Permission denied" \
		"run: 126 for CMD not executable" -- run /etc/passwd
	fake 125 "resmon: run: --report /nonexistent/dir/r: No such file or directory" \
		"run: 125 for a report that cannot be written" -- \
		run --report /nonexistent/dir/r touch "$marker"
	[ ! -e "$marker" ]
	check_ok=$?
	if [ $check_ok -eq 0 ]; then echo "ok   run: CMD not run when the report cannot be"; pass=$((pass + 1));
	else echo "FAIL run: CMD ran though the report could not be written"; fail=$((fail + 1)); fi
	FAKE_JOB_ERRNO=22 fake 125 "$notree" "run: EINVAL for a tree job is the tree refused" -- run touch "$marker"
	FAKE_JOB_ERRNO=38 fake 125 "resmon: run: job: this resmon has no jobs (a 1.0 kernel or resmond): use register and cap" \
		"run: 125 on a resmon without jobs, said so" -- run touch "$marker"
	FAKE_JOB_ERRNO=1 fake 125 "resmon: run: job: permission denied: you may not manage this process" \
		"run: 125 when the job is refused" -- run --no-tree touch "$marker"
	[ ! -e "$marker" ]
	check_ok=$?
	if [ $check_ok -eq 0 ]; then echo "ok   run: CMD never runs without its job"; pass=$((pass + 1));
	else echo "FAIL run: CMD ran without its job"; fail=$((fail + 1)); fi

	LD_PRELOAD=$FAKE_JOB FAKE_JOB_EVENTS="soft,data,52428800,50331648;kill,data,73400320,67108864" \
		FAKE_JOB_USAGE=4096,2,73400320,1 \
		"$RESMON" run --data 64M --soft-data 48M --report "$report" sleep 10 2>"$err"
	rc=$?
	if [ $rc -eq 137 ]; then echo "ok   run: 137 for a kill"; pass=$((pass + 1));
	else echo "FAIL run: exit $rc for a kill"; fail=$((fail + 1)); fi
	# The pid is the child's, which the report names: PID in the lines below.
	# The pid is the child's: put it back to PID for the comparison above.
	pid=$(sed -n 's/.*"pid": \([0-9]*\), "edition".*/\1/p' "$report")
	sed -i "s/(pid $pid/(pid PID/" "$err"
	if [ -n "$pid" ] && [ "$(cat "$err")" = "resmon: soft limit: data 50.0 MiB over 48.0 MiB (pid PID), sent SIGTERM
resmon: killed by resmon: data 70.0 MiB over limit 64.0 MiB (pid PID, fakecomm)" ]; then
		echo "ok   run: one line per soft crossing and kill, naming the pid"; pass=$((pass + 1))
	else
		echo "FAIL run: the lines: $(cat "$err")"; fail=$((fail + 1))
	fi
	want="{\"command\": [\"sleep\", \"10\"], \"pid\": $pid, \"edition\": \"kernel\", \
\"exit\": {\"status\": null, \"signal\": 9}, \
\"killed\": {\"resource\": \"data\", \"value\": 73400320, \"limit\": 67108864, \"pid\": $pid, \"comm\": \"fakecomm\"}, \
\"soft\": [{\"resource\": \"data\", \"value\": 52428800, \"limit\": 50331648, \"pid\": $pid, \"signal\": 15}], \
\"usage\": {\"heap_total\": 4096, \"opens_total\": 2, \"data_peak\": 73400320, \"members_ever\": 1}, \
\"limits\": {\"heap\": null, \"files\": null, \"data\": 67108864, \"soft_heap\": null, \"soft_files\": null, \"soft_data\": 50331648, \"soft_signal\": 15}, \
\"wall_s\": "
	if [ -n "$pid" ] && [ "$(head -c ${#want} "$report")" = "$want" ] &&
	   grep -Eq '"wall_s": [0-9]+\.[0-9]{3}, "max_rss_kib": [0-9]+}$' "$report"; then
		echo "ok   run --report: SPEC's object after the kill"; pass=$((pass + 1))
	else
		echo "FAIL run --report: $(cat "$report")"; fail=$((fail + 1))
	fi

	LD_PRELOAD=$FAKE_JOB "$RESMON" run \
		sh -c "trap 'touch $marker; exit 5' USR1; while :; do sleep 0.1; done" &
	bg=$!
	sleep 1
	kill -USR1 $bg
	wait $bg
	rc=$?
	if [ -e "$marker" ] && [ $rc -eq 5 ]; then
		echo "ok   run: SIGUSR1 to resmon reaches CMD, which ends the run"; pass=$((pass + 1))
	else
		echo "FAIL run: SIGUSR1: exit $rc, CMD caught it: $([ -e "$marker" ] && echo yes || echo no)"
		fail=$((fail + 1))
	fi
	rm -f "$marker"

	# A job that outlives CMD (a member left behind): run waits for it, and a ^C then
	# stops the wait, exiting with CMD's status.
	FAKE_JOB_LINGER=1 LD_PRELOAD=$FAKE_JOB "$RESMON" run sh -c 'exit 4' &
	bg=$!
	sleep 1.5
	if kill -0 $bg 2>/dev/null; then
		echo "ok   run: waits while the job has members after CMD exited"; pass=$((pass + 1))
	else
		echo "FAIL run: returned while the job still had a member"; fail=$((fail + 1))
	fi
	kill -INT $bg
	i=0
	while [ $i -lt 100 ] && kill -0 $bg 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
	kill -9 $bg 2>/dev/null
	wait $bg
	rc=$?
	if [ $rc -eq 4 ]; then
		echo "ok   run: SIGINT once CMD is gone stops the wait, CMD's status"; pass=$((pass + 1))
	else
		echo "FAIL run: SIGINT after CMD exited: exit $rc, want 4"; fail=$((fail + 1))
	fi

	LD_PRELOAD=$FAKE_JOB "$RESMON" run -v true 2>"$err"
	if grep -Eq '^resmon: pid [0-9]+ exited with status 0; heap 0 B total, 0 opens, data peak 0 B, 1 process \(tree job\); [0-9.]+ s, max RSS [0-9]+ KiB$' "$err"; then
		echo "ok   run -v: a summary line"; pass=$((pass + 1))
	else
		echo "FAIL run -v: $(cat "$err")"; fail=$((fail + 1))
	fi

	fake 0 '' "limit: a new job on a process in none" -- limit --data 8M --soft-signal none $$
	logged "limit: the limits asked, no tree" \
		"create flags=0 mask=0x10004 hard=-1,-1,8388608 soft=-1,-1,-1 signal=0"
	fake 0 '' "limit --tree" -- limit --tree --files 10 $$
	logged "limit --tree: the tree flag" \
		"create flags=1 mask=0x2 hard=-1,10,-1 soft=-1,-1,-1 signal=15"
	fake 0 '' "limit --tree --kill-offender" -- limit --tree --kill-offender --data 1M $$
	logged "limit --tree --kill-offender: both flags" \
		"create flags=3 mask=0x4 hard=-1,-1,1048576 soft=-1,-1,-1 signal=15"
	FAKE_JOB_NO_TREE=1 fake 1 "resmon: limit $$: this resmon does not take tree jobs (a process with its children): without --tree the process alone is limited" \
		"limit --tree refused: exit 1 and why" -- limit --tree --files 10 $$
	FAKE_JOB_ERRNO=22 fake 1 "resmon: limit $$: invalid limits or flags, or (open) the process is in no job" \
		"limit without --tree: EINVAL in resmon's terms" -- limit --files 10 $$
	FAKE_JOB_ERRNO=16 fake 1 "resmon: limit $$: process is already monitored (in a job or registered)" \
		"limit: EBUSY said in resmon's terms" -- limit --data 8M $$
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
