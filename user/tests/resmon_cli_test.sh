#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# resmon_cli_test: the resmon command and libresmon on a real resmon kernel
# (or resmond), with real kills: the 1.0 calls, and run/limit/status on the
# job layer (SPEC's "Jobs"), also as an unprivileged user with
# dmesg_restrict=1. Runs as root in the guest (make vm CMD=resmon_cli_test);
# needs resmon and resmon_test_hog on PATH, a writable /tmp, and setpriv(1)
# for the permission tests. Output is TAP: "ok N - ...", "not ok N - ...",
# then the plan "1..N". Exit status 1 if any test failed.
RESMON=${RESMON:-resmon}
HOG=${HOG:-resmon_test_hog}
NOBODY=${NOBODY:-1000}		# an unprivileged uid/gid for the permission tests
n=0 failed=0
out=/tmp/resmon_cli_test.out err=/tmp/resmon_cli_test.err
pids=""

cleanup() {
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	rm -f "$out" "$err" /tmp/resmon_cli_test.noexec /tmp/resmon_cli_test.report \
		/tmp/resmon_cli_test.ran /tmp/resmon_cli_test.user.json /tmp/resmon_cli_test.barrier \
		/tmp/resmon_cli_test.mk /tmp/resmon_cli_test.fifo
}
trap cleanup EXIT

result() {	# result OK|FAIL DESC [DIAGNOSTIC...]
	n=$((n + 1))
	if [ "$1" = OK ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		shift 2
		for line in "$@"; do echo "# $line"; done
		sed 's/^/#   stdout: /' "$out" | head -20
		sed 's/^/#   stderr: /' "$err" | head -20
	fi
}

# t DESC CODE STDOUT-REGEX STDERR-REGEX -- COMMAND...
# Runs COMMAND; checks the exit code and that each non-empty regex matches a line.
t() {
	desc=$1 code=$2 want_out=$3 want_err=$4
	shift 5
	"$@" >"$out" 2>"$err"
	rc=$?
	if [ "$rc" -ne "$code" ]; then
		result FAIL "$desc" "exit status $rc, expected $code"
	elif [ -n "$want_out" ] && ! grep -Eq -- "$want_out" "$out"; then
		result FAIL "$desc" "stdout does not match /$want_out/"
	elif [ -n "$want_err" ] && ! grep -Eq -- "$want_err" "$err"; then
		result FAIL "$desc" "stderr does not match /$want_err/"
	else
		result OK "$desc"
	fi
}

# check DESC SHELL-CONDITION: a test on state rather than on one command.
# The condition may read $out and $err of the command before it, so they
# are kept (and shown on failure).
check() {
	if eval "$2"; then result OK "$1"; else result FAIL "$1" "false: $2"; fi
}

# A hog waiting for SIGUSR1, in the background; its pid in $hog. Returns
# once it has exec'd and catches SIGUSR1 (bit 9 of SigCgt), so that a
# SIGUSR1 sent next cannot kill it and a register sees its final comm.
start_hog() {
	"$HOG" --wait "$@" &
	hog=$!
	pids="$pids $hog"
	i=0
	while [ $i -lt 100 ] && ! grep -Eq '^SigCgt:[[:space:]]*[0-9a-f]*[2367abef][0-9a-f]{2}$' \
			/proc/$hog/status 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
}

# The children of PID, by their PPid: /proc/PID/task/PID/children needs
# CONFIG_PROC_CHILDREN, which the resmon and debug kernels do not have.
children_of() {
	grep -l "^PPid:[[:space:]]*$1\$" /proc/[0-9]*/status 2>/dev/null |
		sed 's|^/proc/\([0-9]*\)/status$|\1|' | tr '\n' ' ' | sed 's/ *$//'
}

# wait_child PID COMM [usr1]: wait (up to ~30 s: TCG on a loaded host is slow) until PID's
# only child has exec'd COMM (and, with usr1, catches SIGUSR1, as start_hog waits for);
# its pid in $child. For CMD under a background "resmon run", and for a hog under CMD.
wait_child() {
	child=
	i=0
	while [ $i -lt 300 ] && kill -0 "$1" 2>/dev/null; do
		c=$(children_of "$1")
		c=${c%% *}
		if [ -n "$c" ] && [ "$(cat /proc/$c/comm 2>/dev/null)" = "$2" ] &&
		   { [ "${3-}" != usr1 ] || grep -Eq '^SigCgt:[[:space:]]*[0-9a-f]*[2367abef][0-9a-f]{2}$' \
				/proc/$c/status 2>/dev/null; }; then
			child=$c
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# Wait (up to ~10 s, TCG is slow) until `resmon status --json PID` matches REGEX.
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		"$RESMON" status --json "$1" 2>/dev/null | grep -Eq "$2" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# A pid that no live process has: a reaped child's.
true & dead=$!
wait $dead

if [ ! -e /proc/resmon ] && [ ! -S "${RESMOND_SOCKET:-/run/resmond/resmond.sock}" ]; then
	# Neither a resmon kernel nor resmond (KERNEL=vanilla, stock): every operation exits 3, run too.
	msg='resmon is not available: '
	t "status without resmon exits 3" 3 '' "$msg" -- "$RESMON" status $$
	t "watch without resmon exits 3" 3 '' "$msg" -- "$RESMON" watch $$
	t "list without resmon exits 3" 3 '' "$msg" -- "$RESMON" list
	t "register without resmon exits 3" 3 '' "$msg" -- "$RESMON" register $$
	t "deregister without resmon exits 3" 3 '' "$msg" -- "$RESMON" deregister $$
	t "cap without resmon exits 3" 3 '' "$msg" -- "$RESMON" cap --files 1 $$
	t "reset without resmon exits 3" 3 '' "$msg" -- "$RESMON" reset $$
	t "run without resmon exits 3" 3 '' "$msg" -- "$RESMON" run true
	echo "1..$n"
	[ $failed -eq 0 ]
	exit
fi

### help, version, usage
t "--help" 0 'Usage: resmon COMMAND' '' -- "$RESMON" --help
t "--version" 0 '^resmon [0-9]' '' -- "$RESMON" --version
t "usage error exits 2" 2 '' '^resmon: frob: unknown command' -- "$RESMON" frob

### register, status, list, watch
start_hog --files 3 --mmap-mib 2 --brk-mib 1 --sleep 600
A=$hog
t "register PID" 0 '' '' -- "$RESMON" register $A
check "register prints nothing" '[ ! -s "$out" ]'
t "register twice: already monitored, exit 1" 1 '' "^resmon: register $A: process is already monitored\$" -- "$RESMON" register $A
t "register dead pid: exit 1" 1 '' "^resmon: register $dead: no such live process\$" -- "$RESMON" register $dead
t "status of a fresh record" 0 "^ *$A +resmon_test_hog +0 B +- +0 +-\$" '' -- "$RESMON" status $A
kill -USR1 $A
check "hog counted: files 3, heap 3 MiB" "wait_for $A '\"heap_mib\":3,\"heap_bytes\":[0-9]+,\"files\":3,'"
t "status shows totals in human units" 0 "^ *$A +resmon_test_hog +3(\.0)? MiB +- +3 +-\$" '' -- "$RESMON" status $A
t "status prints a header" 0 '^ +PID +COMM +HEAP +HEAP-QUOTA +FILES +FILE-QUOTA$' '' -- "$RESMON" status $A
t "status --json, heap in bytes too" 0 "\"pid\":$A,\"comm\":\"resmon_test_hog\",\"heap_mib\":3,\"heap_bytes\":3[0-9]{6},\"files\":3,\"heap_quota_mib\":-1,\"file_quota\":-1,\"quotas_defined\":false" '' -- "$RESMON" status --json $A
t "status of an unmonitored pid: exit 1" 1 '' "^resmon: status $$: no such live process, or not monitored\$" -- "$RESMON" status $$
t "status of several, one bad: rows for the good, exit 1" 1 "^ *$A " "status $dead:" -- "$RESMON" status $A $dead
t "status --json stays valid with a bad pid" 1 "^\[\{\"pid\":$A" '' -- "$RESMON" status --json $A $dead

start_hog --sleep 600
B=$hog
t "register second process" 0 '' '' -- "$RESMON" register $B
t "list shows both" 0 "^ *$B +resmon_test_hog" '' -- "$RESMON" list
check "list is in registration order" "$RESMON list | awk '\$1==$A{a=NR} \$1==$B{b=NR} END{exit !(a && b && a<b)}'"
t "list shows exact heap bytes" 0 "^ *$A +resmon_test_hog +3\.[0-9] MiB|^ *$A +resmon_test_hog +3 MiB" '' -- "$RESMON" list
t "list --json" 0 "\"pid\":$A,\"comm\":\"resmon_test_hog\",\"heap_mib\":3,\"heap_bytes\":[0-9]+,\"files\":3" '' -- "$RESMON" list --json
t "list with an argument: exit 2" 2 '' 'unexpected argument' -- "$RESMON" list $A

t "watch --count 2" 0 "pid $A \(resmon_test_hog\): heap 3(\.0)? MiB of no quota, files 3 of no quota" '' -- "$RESMON" watch --count 2 --interval 0.1 $A
check "watch printed 2 lines without a tty" '[ "$(wc -l <"$out")" -eq 2 ]'
t "watch an unmonitored pid: exit 1" 1 '' "^resmon: watch $$: no such live process, or not monitored\$" -- "$RESMON" watch $$
start_hog --sleep 2
C=$hog
"$RESMON" register $C
kill -USR1 $C
t "watch until the process exits" 0 "pid $C exited" '' -- "$RESMON" watch -n 0.2 $C
wait $C 2>/dev/null
start_hog --sleep 600
D=$hog
"$RESMON" register $D
(sleep 1; "$RESMON" deregister $D) &
t "watch until the process is deregistered" 0 "pid $D is no longer monitored" '' -- "$RESMON" watch -n 0.2 $D
wait $!

### cap, reset, deregister
t "cap --heap --files" 0 '' '' -- "$RESMON" cap --heap 64M --files 100 $A
t "status shows quotas" 0 "^ *$A +resmon_test_hog +3(\.0)? MiB +64 MiB +3 +100\$" '' -- "$RESMON" status $A
t "cap twice: quotas already set, exit 1" 1 '' "^resmon: cap $A: quotas already set; reset them first\$" -- "$RESMON" cap --files 10 $A
t "reset" 0 '' '' -- "$RESMON" reset $A
t "status after reset: no quotas, totals kept" 0 "^ *$A +resmon_test_hog +3(\.0)? MiB +- +3 +-\$" '' -- "$RESMON" status $A
t "cap with one quota: the other unlimited" 0 '' '' -- "$RESMON" cap --files 50 $A
t "status: heap quota unlimited" 0 "^ *$A +resmon_test_hog +3(\.0)? MiB +unlimited +3 +50\$" '' -- "$RESMON" status $A
t "cap 1.5G rounds to MiB" 0 '' '' -- sh -c "\"$RESMON\" reset $A && \"$RESMON\" cap --heap 1.5G $A"
t "status shows 1.5 GiB" 0 "1\.5 GiB" '' -- "$RESMON" status $A
t "cap an unmonitored pid: exit 1" 1 '' "^resmon: cap $$: process is not monitored, or a quota is out of range\$" -- "$RESMON" cap --files 1 $$
t "cap a dead pid: exit 1" 1 '' "^resmon: cap $dead: no such live process\$" -- "$RESMON" cap --files 1 $dead
t "reset an unmonitored pid: exit 1" 1 '' "^resmon: reset $$: process is not monitored\$" -- "$RESMON" reset $$
t "reset a dead pid: exit 1" 1 '' "^resmon: reset $dead: no such live process\$" -- "$RESMON" reset $dead
t "deregister" 0 '' '' -- "$RESMON" deregister $A
t "status after deregister: exit 1" 1 '' "not monitored" -- "$RESMON" status $A
check "list no longer shows it" "! $RESMON list | grep -Eq '^ *$A '"
t "deregister twice: exit 1" 1 '' "^resmon: deregister $A: no such live process, or not monitored\$" -- "$RESMON" deregister $A
t "register again after deregister" 0 '' '' -- "$RESMON" register $A
t "register several, one already monitored: exit 1" 1 '' "register $B: process is already monitored" -- "$RESMON" register $B $dead
t "deregister several" 0 '' '' -- "$RESMON" deregister $A $B

start_hog --files 5 --sleep 600
E=$hog
"$RESMON" register $E
kill -USR1 $E
check "hog E opened 5 files" "wait_for $E '\"files\":5,'"
t "cap below the total: returns 0" 0 '' '' -- "$RESMON" cap --files 2 $E
wait $E
st=$?
check "cap below the total killed the process at once (137)" "[ $st -eq 137 ]"
check "killed process left the list" "! $RESMON list | grep -Eq '^ *$E '"

### run: CMD in a job (SPEC's "Jobs": data now, totals, soft limits, the report)
t "run: exit status of CMD, silent" 7 '' '' -- "$RESMON" run sh -c 'exit 7'
check "run: nothing on stderr when nothing was crossed" '[ ! -s "$err" ]'
t "run: 128+signal" 143 '' '' -- "$RESMON" run sh -c 'kill -TERM $$'
t "run: a SIGKILL not resmon's: 137, no kill line" 137 '' '' -- "$RESMON" run sh -c 'kill -KILL $$'
check "run: no kill line for someone else's SIGKILL" '! grep -q "killed by resmon" "$err"'
t "run: counted from the first instruction (at the limit is not over)" 0 '' '' -- "$RESMON" run --files 2 "$HOG" --files 2
t "run: --files 0 and no opens" 0 '' '' -- "$RESMON" run --files 0 "$HOG"
t "run: opens kill, one line, 137" 137 '' "^resmon: killed by resmon: opens 3 over limit 2 \(pid [0-9]+, resmon_test_hog\)\$" -- "$RESMON" run --files 2 "$HOG" --files 10
check "run: the kill is the only line" '[ "$(wc -l <"$err")" -eq 1 ]'
t "run: data kill (mmap), in the limit's unit" 137 '' "^resmon: killed by resmon: data 8\.[0-9] MiB over limit 4\.0 MiB \(pid [0-9]+, resmon_test_hog\)\$" -- "$RESMON" run --data 4M "$HOG" --mmap-mib 8
t "run: data kill (brk)" 137 '' "^resmon: killed by resmon: data [0-9.]+ MiB over limit 4\.0 MiB" -- "$RESMON" run --data 4M "$HOG" --brk-mib 8
t "run: heap total kill" 137 '' "^resmon: killed by resmon: heap [0-9.]+ MiB over limit 4\.0 MiB \(pid [0-9]+, resmon_test_hog\)\$" -- "$RESMON" run --heap 4M "$HOG" --mmap-mib 8
t "run: a flat footprint runs to the end under --data" 0 '' '' -- "$RESMON" run --data 4M "$HOG" --churn-mib 64
t "run: the same under --heap (a total) is killed" 137 '' "killed by resmon: heap" -- "$RESMON" run --heap 4M "$HOG" --churn-mib 64
t "run: soft data limit: one line, SIGTERM sent" 143 '' "^resmon: soft limit: data 8\.[0-9] MiB over 4\.0 MiB \(pid [0-9]+\), sent SIGTERM\$" -- "$RESMON" run --soft-data 4M "$HOG" --mmap-mib 8 --sleep 5
t "run: soft limit with --soft-signal none: CMD goes on" 0 '' "^resmon: soft limit: opens 3 over 2 \(pid [0-9]+\), no signal sent\$" -- "$RESMON" run --soft-files 2 --soft-signal none "$HOG" --files 10
check "run: a soft total is crossed once: one line" '[ "$(wc -l <"$err")" -eq 1 ]'
t "run: soft then hard: two lines" 137 '' "killed by resmon: opens 6 over limit 5" -- "$RESMON" run --soft-files 2 --soft-signal none --files 5 "$HOG" --files 10
check "run: the soft line came first" 'head -1 "$err" | grep -q "^resmon: soft limit: opens 3 over 2"'
t "run: a tree job: a grandchild's opens count" 137 '' "killed by resmon: opens" -- "$RESMON" run --files 5 sh -c "\"$HOG\" --files 10; echo survived"
check "run: the tree job was killed whole (sh too)" '! grep -q survived "$out"'
t "run --kill-offender: only the offender dies" 0 'survived' "killed by resmon: opens [0-9]+ over limit 5 \(pid [0-9]+, resmon_test_hog\)" -- "$RESMON" run --kill-offender --files 5 sh -c "\"$HOG\" --files 10; echo survived"
t "run --no-tree: a child is not in the job" 0 'survived' '' -- "$RESMON" run --no-tree --files 5 sh -c "\"$HOG\" --files 10; echo survived"
t "run: CMD not found, exit 127" 127 '' "^resmon: run: no-such-command-x: No such file or directory\$" -- "$RESMON" run no-such-command-x
printf 'not a program\n' >/tmp/resmon_cli_test.noexec
chmod 644 /tmp/resmon_cli_test.noexec
t "run: CMD not executable, exit 126" 126 '' "^resmon: run: /tmp/resmon_cli_test.noexec: Permission denied\$" -- "$RESMON" run /tmp/resmon_cli_test.noexec
t "run: CMD sees its job (status --json)" 0 '"tree": true, "kill_scope": "job", "members": \{"now": [12], "ever": [12]\}.*"data": \{"now": [0-9]+, "peak": [0-9]+, "limit": 67108864, "soft": null\}' '' -- "$RESMON" run --data 64M sh -c "\"$RESMON\" status --json \$\$"
t "run: status of a job member as text" 0 '^data +[0-9.]+ [KM]iB +[0-9.]+ [KM]iB +64 MiB +unlimited$' '' -- "$RESMON" run --data 64M sh -c "\"$RESMON\" status \$\$"
t "run: a capped CMD cannot cap itself again" 1 '' "quotas already set" -- "$RESMON" run --files 100 sh -c "\"$RESMON\" cap --files 1000 \$\$"
t "run -v: a summary at the end" 0 '' "^resmon: pid [0-9]+ exited with status 0; heap [0-9.]+ [KM]?i?B total, 5 opens, data peak [0-9.]+ [KM]iB, 1 process \(tree job\); [0-9.]+ s, max RSS [0-9]+ KiB\$" -- "$RESMON" run -v "$HOG" --files 5

# --report: SPEC's object, exact figures from the handle after the reap.
rep=/tmp/resmon_cli_test.report
t "run --report after a kill" 137 '' "killed by resmon: opens 3 over limit 2" -- "$RESMON" run --files 2 --report $rep "$HOG" --files 10
check "report: command, edition, exit, killed" "grep -Eq '^\{\"command\": \[\"$HOG\", \"--files\", \"10\"\], \"pid\": [0-9]+, \"edition\": \"(kernel|ebpf)\", \"exit\": \{\"status\": null, \"signal\": 9\}, \"killed\": \{\"resource\": \"opens\", \"value\": 3, \"limit\": 2, \"pid\": [0-9]+, \"comm\": \"resmon_test_hog\"\}, \"soft\": \[\], ' $rep"
check "report: exact opens, members, limits" "grep -Eq '\"usage\": \{\"heap_total\": [0-9]+, \"opens_total\": 3, \"data_peak\": [0-9]+, \"members_ever\": 1\}, \"limits\": \{\"heap\": null, \"files\": 2, \"data\": null, \"soft_heap\": null, \"soft_files\": null, \"soft_data\": null, \"soft_signal\": 15\}, \"wall_s\": [0-9]+\.[0-9]{3}, \"max_rss_kib\": [0-9]+\}\$' $rep"
check "report: the killed pid is CMD's" "[ \"\$(sed -n 's/.*\"pid\": \([0-9]*\), \"edition\".*/\1/p' $rep)\" = \"\$(sed -n 's/.*\"limit\": 2, \"pid\": \([0-9]*\), \"comm\".*/\1/p' $rep)\" ]"
t "run --report of a command that exits" 3 '' '' -- "$RESMON" run --data 64M --soft-files 100 --report $rep sh -c "\"$HOG\" --files 5 --mmap-mib 8; exit 3"
check "report: exit status 3, not killed, no soft" "grep -q '\"exit\": {\"status\": 3, \"signal\": null}, \"killed\": null, \"soft\": \[\]' $rep"
check "report: data peak holds the 8 MiB, members ever 2" "grep -Eq '\"data_peak\": (8|9|1[0-9])[0-9]{6}, \"members_ever\": 2\}' $rep"
check "report: limits in bytes, null for unlimited" "grep -q '\"limits\": {\"heap\": null, \"files\": null, \"data\": 67108864, \"soft_heap\": null, \"soft_files\": 100, \"soft_data\": null, \"soft_signal\": 15}' $rep"
t "run --report with the soft event" 0 '' '' -- "$RESMON" run --soft-files 2 --soft-signal none --report $rep "$HOG" --files 4
check "report: the soft event (resource, value, limit, pid, signal)" "grep -Eq '\"killed\": null, \"soft\": \[\{\"resource\": \"opens\", \"value\": 3, \"limit\": 2, \"pid\": [0-9]+, \"signal\": 0\}\], \"usage\": \{\"heap_total\": [0-9]+, \"opens_total\": 4,' $rep"
t "run --report to a path that cannot be written: 125, CMD not run" 125 '' "^resmon: run: --report /nonexistent/r: No such file or directory\$" -- "$RESMON" run --report /nonexistent/r touch /tmp/resmon_cli_test.ran
check "run: CMD did not run" '[ ! -e /tmp/resmon_cli_test.ran ]'
rm -f $rep

# Signals sent to resmon reach CMD; SIGUSR1 must not orphan it.
"$RESMON" run "$HOG" --wait &
r=$!
pids="$pids $r"
wait_child $r resmon_test_hog usr1
kill -USR1 $r
wait $r
st=$?
check "run passes SIGUSR1 on to CMD (which then exits 0)" "[ $st -eq 0 ]"
"$RESMON" run "$HOG" --sleep 600 &
r=$!
pids="$pids $r"
# Once CMD has exec'd: resmon then forwards signals (a SIGTERM before that would end
# resmon itself with 143 too, and orphan CMD).
wait_child $r resmon_test_hog
kill -TERM $r
wait $r
st=$?
check "run passes a SIGTERM on to CMD and exits 143" "[ $st -eq 143 ]"
t "run: usage error exits 2" 2 '' "not a SIZE" -- "$RESMON" run --heap lots true
t "run: a missing value says so" 2 '' "^resmon: run: --data needs a SIZE" -- "$RESMON" run --data

### run: a tree job takes in everything CMD starts (SPEC's tree flag; issue 17)
# Four children of 40 MiB each, all alive together (--barrier: none goes on before all four
# hold their 40 MiB, however slowly they start): 160 MiB for the job, each under 96 MiB alone.
bar=/tmp/resmon_cli_test.barrier
four="pids=; for i in 1 2 3 4; do \"$HOG\" --mmap-mib 40 --barrier $bar 4 & pids=\"\$pids \$!\"; done; for p in \$pids; do wait \$p || exit 1; done; echo together"
rm -f $bar
t "run --data 96M: four children of 40 MiB each, together, are killed" 137 '' "^resmon: killed by resmon: data 1[0-9]{2}\.[0-9] MiB over limit 96\.0 MiB \(pid [0-9]+, resmon_test_hog\)\$" -- "$RESMON" run --data 96M -- sh -c "$four"
check "run --data 96M: the whole tree was killed (sh too)" '! grep -q together "$out"'
check "run --data 96M: the kill is the only line" '[ "$(wc -l <"$err")" -eq 1 ]'
rm -f $bar
t "run --no-tree --data 96M: the same tree finishes (CMD alone is counted)" 0 '^together$' '' -- "$RESMON" run --no-tree --data 96M -- sh -c "$four"
check "run --no-tree: nothing on stderr" '[ ! -s "$err" ]'
rm -f $bar
t "run --data 96M: the four one after another finish (a member's data leaves with it)" 0 '' '' -- "$RESMON" run --data 96M --report $rep -- sh -c "for i in 1 2 3 4; do \"$HOG\" --mmap-mib 40; done"
check "report: members ever 5 (sh and its four), data peak one child's 40 MiB and sh" "grep -Eq '\"data_peak\": 4[0-9]{7}, \"members_ever\": 5\}' $rep"

# A make-like tree: make -j2 of 12 recipes that each open /dev/null 10 times. GNU make
# runs a recipe without shell syntax by posix_spawn (vfork) and exec, no shell between:
# make and its 12 children are the job's 13 members. MAKEFLAGS and friends are dropped so
# that a make above this test (make check) cannot change that.
mk=/tmp/resmon_cli_test.mk
{
	printf 'T ='
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do printf ' t%d' $i; done
	printf '\nall: $(T)\n$(T):\n\t$(HOG) --files 10\n.PHONY: all $(T)\n'
} >$mk
mk_run="env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -j2 -f $mk HOG=$HOG"
t "run --files 100: a make -j2 tree is counted whole and killed" 137 '' "^resmon: killed by resmon: opens 1[0-9]{2} over limit 100 \(pid [0-9]+, resmon_test_hog\)\$" -- "$RESMON" run --files 100 --report $rep -- $mk_run
check "report: make itself was killed (signal 9), not only the recipe" "grep -q '\"exit\": {\"status\": null, \"signal\": 9}, \"killed\": {\"resource\": \"opens\"' $rep"
t "run --files 1000: the same tree runs to the end" 0 '' '' -- "$RESMON" run --files 1000 --report $rep -- $mk_run
check "report: members ever exactly 13 (make and its 12 recipes)" "grep -Eq '\"members_ever\": 13\}' $rep"
check "report: every recipe's opens counted (12 x 10, and make's own)" "[ \"\$(sed -n 's/.*\"opens_total\": \([0-9]*\),.*/\1/p' $rep)\" -ge 120 ]"
rm -f $rep $mk

# A member CMD leaves behind keeps the job, and run waits for it.
t "run waits for a member CMD left behind" 0 '' '' -- "$RESMON" run --report $rep -- sh -c "\"$HOG\" --files 3 --sleep 1 &"
check "report: both members counted, wall time past the member's second" "grep -Eq '\"members_ever\": 2\}.*\"wall_s\": [1-9][0-9]*\.' $rep"
rm -f $rep
# ... and ^C (or kill) once CMD is gone stops that wait, with CMD's status; the member
# stays in the job, limited.
rm -f /tmp/resmon_cli_test.ran
"$RESMON" run --data 64M -- sh -c "\"$HOG\" --sleep 600 & echo \$! >/tmp/resmon_cli_test.ran" &
r=$!
pids="$pids $r"
i=0
while [ $i -lt 300 ] && ! { [ -s /tmp/resmon_cli_test.ran ] &&
		[ -z "$(children_of "$r")" ]; }; do
	sleep 0.1
	i=$((i + 1))
done
H=$(cat /tmp/resmon_cli_test.ran 2>/dev/null)
pids="$pids $H"
kill -INT $r
wait $r
st=$?
check "run: SIGINT after CMD exited ends the wait with CMD's status (0)" "[ $st -eq 0 ]"
t "the member left behind is still in its job, limited" 0 '"tree": true.*"data": \{"now": [0-9]+, "peak": [0-9]+, "limit": 67108864' '' -- "$RESMON" status --json "$H"
kill -9 "$H" 2>/dev/null
rm -f /tmp/resmon_cli_test.ran

# status and limit by the pid of any member, not only CMD's.
"$RESMON" run --data 64M -- sh -c "\"$HOG\" --wait; exit 0" &
r=$!
pids="$pids $r"
wait_child $r sh
S=$child
wait_child "$S" resmon_test_hog usr1
M=$child
t "status of a member that is not CMD: its job (tree, two members)" 0 '"tree": true, "kill_scope": "job", "members": \{"now": 2, "ever": 2\}.*"limit": 67108864' '' -- "$RESMON" status --json $M
t "limit on that member changes the job's limits" 0 '' '' -- "$RESMON" limit --data 32M $M
t "CMD's status shows the limit lowered" 0 '"data": \{"now": [0-9]+, "peak": [0-9]+, "limit": 33554432' '' -- "$RESMON" status --json $S
kill -USR1 $M
wait $r
st=$?
check "run: that job then ends normally (0)" "[ $st -eq 0 ]"

### limit: limits on a running process
start_hog --sleep 600
L=$hog
t "limit: a new job on a process in none" 0 '' '' -- "$RESMON" limit --data 64M --soft-files 50 $L
t "limit: status shows its job" 0 '"data": \{"now": [0-9]+, "peak": [0-9]+, "limit": 67108864, "soft": null\}' '' -- "$RESMON" status --json $L
check "limit: the job is the process alone (no --tree)" 'grep -q "\"tree\": false" "$out"'
check "limit: the soft limit is set" 'grep -q "\"opens\": {\"total\": 0, \"limit\": null, \"soft\": 50}" "$out"'
t "limit: lowering on a member" 0 '' '' -- "$RESMON" limit --data 32M $L
t "limit: lowered" 0 '"limit": 33554432' '' -- "$RESMON" status --json $L
t "limit: --tree on a member is refused" 1 '' "already in a job" -- "$RESMON" limit --tree --data 16M $L
t "limit: below the value now kills at once" 0 '' '' -- "$RESMON" limit --data 1K $L
wait $L
st=$?
check "limit: the process was killed (137)" "[ $st -eq 137 ]"
t "limit: a dead pid" 1 '' "^resmon: limit $dead: no such live process\$" -- "$RESMON" limit --data 1M $dead

# limit --tree: a running shell and the children it starts from then on. The shell waits
# on a FIFO, so the job is made before its child exists, however slow the machine.
fifo=/tmp/resmon_cli_test.fifo
for tree in --tree ''; do
	rm -f $fifo /tmp/resmon_cli_test.ran
	mkfifo $fifo
	sh -c "read x <$fifo; \"$HOG\" --files 10; echo survived >/tmp/resmon_cli_test.ran" &
	S=$!
	pids="$pids $S"
	t "limit${tree:+ $tree} --files 8 on a running shell" 0 '' '' -- "$RESMON" limit $tree --files 8 $S
	echo go >$fifo
	wait $S
	st=$?
	if [ -n "$tree" ]; then
		check "limit --tree: the child's opens killed the job, the shell too (137)" "[ $st -eq 137 ] && [ ! -e /tmp/resmon_cli_test.ran ]"
	else
		check "limit without --tree: the child is not in the job, the shell goes on" "[ $st -eq 0 ] && [ -e /tmp/resmon_cli_test.ran ]"
	fi
done
rm -f $fifo /tmp/resmon_cli_test.ran
t "limit: usage error" 2 '' "give at least one limit" -- "$RESMON" limit $$

### permissions: an unprivileged user
if command -v setpriv >/dev/null 2>&1; then
	as_user() { setpriv --reuid "$NOBODY" --regid "$NOBODY" --clear-groups --inh-caps=-all "$@"; }
	t "register another user's process: permission denied" 1 '' "^resmon: register 1: permission denied: you may not manage this process\$" -- as_user "$RESMON" register 1
	start_hog --sleep 600
	F=$hog
	"$RESMON" register $F
	"$RESMON" cap --files 100 $F
	t "status of another user's process: permission denied" 1 '' "^resmon: status $F: permission denied: you may not read this process\$" -- as_user "$RESMON" status $F
	check "list hides another user's process" "! as_user $RESMON list | grep -Eq '^ *$F '"
	t "deregister another user's process: permission denied" 1 '' "deregister $F: permission denied" -- as_user "$RESMON" deregister $F
	t "a user may run a limited command, silently" 0 '' '' -- as_user "$RESMON" run --files 100 --data 64M "$HOG" --files 1
	check "nothing on stderr" '[ ! -s "$err" ]'
	t "a limited process may not lift its own limits (deregister)" 1 '' "CAP_SYS_RESOURCE" -- as_user "$RESMON" run --files 100 sh -c "\"$RESMON\" deregister \$\$"
	t "a limited process may not lift its own limits (reset)" 1 '' "CAP_SYS_RESOURCE" -- as_user "$RESMON" run --heap 64M sh -c "\"$RESMON\" reset \$\$"
	t "a limited process may not raise its limit (limit)" 1 '' "^resmon: limit [0-9]+: permission denied: raising or removing a limit needs CAP_SYS_RESOURCE\$" -- as_user "$RESMON" run --data 64M sh -c "\"$RESMON\" limit --data 128M \$\$"
	t "nor remove it" 1 '' "raising or removing a limit needs CAP_SYS_RESOURCE" -- as_user "$RESMON" run --data 64M sh -c "\"$RESMON\" limit --data unlimited \$\$"
	t "but may lower it" 0 '"limit": 33554432' '' -- as_user "$RESMON" run --data 64M sh -c "\"$RESMON\" limit --data 32M \$\$ && \"$RESMON\" status --json \$\$"
	t "an unlimited job's member may deregister itself" 0 '' '' -- as_user "$RESMON" run sh -c "\"$RESMON\" deregister \$\$"
	t "root may lift a capped process's quotas" 0 '' '' -- "$RESMON" reset $F
	t "a user may not limit another user's process" 1 '' "^resmon: limit $F: permission denied: you may not manage this process\$" -- as_user "$RESMON" limit --data 1M $F
	# Not through as_user: $! must be the hog's pid, not a subshell's.
	setpriv --reuid "$NOBODY" --regid "$NOBODY" --clear-groups --inh-caps=-all "$HOG" --sleep 600 &
	G=$!
	pids="$pids $G"
	sleep 0.5
	t "a user may limit their own running process" 0 '' '' -- as_user "$RESMON" limit --tree --data 1G --files 10 $G
	t "and read its job" 0 '"tree": true' '' -- as_user "$RESMON" status --json $G
	t "and lower it, not raise it" 1 '' "CAP_SYS_RESOURCE" -- as_user "$RESMON" limit --files 20 $G
	t "root may raise it" 0 '' '' -- "$RESMON" limit --files 20 $G
	kill $G

	# The kill reason reaches a user who may not read the kernel log (Debian's default), on
	# both editions: it comes from the job's handle, after the reap.
	restrict=$(sysctl -n kernel.dmesg_restrict)
	sysctl -q kernel.dmesg_restrict=1
	t "a user without the kernel log learns the data kill: resource, value, limit" 137 '' "^resmon: killed by resmon: data 16\.[0-9] MiB over limit 8\.0 MiB \(pid [0-9]+, resmon_test_hog\)\$" -- as_user "$RESMON" run --data 8M -- "$HOG" --mmap-mib 16
	t "a user without the kernel log learns the opens kill" 137 '' "^resmon: killed by resmon: opens 3 over limit 2 \(pid [0-9]+, resmon_test_hog\)\$" -- as_user "$RESMON" run --files 2 -- "$HOG" --files 10
	t "and gets the exact report" 137 '' '' -- as_user "$RESMON" run --files 2 --report /tmp/resmon_cli_test.user.json -- "$HOG" --files 10
	check "the user's report names the kill" "grep -q '\"killed\": {\"resource\": \"opens\", \"value\": 3, \"limit\": 2, ' /tmp/resmon_cli_test.user.json"
	rm -f /tmp/resmon_cli_test.user.json
	check "the user could not read the kernel log" "! as_user dmesg >/dev/null 2>&1"
	sysctl -q kernel.dmesg_restrict="$restrict"
else
	echo "# setpriv not found: permission tests skipped"
fi

### the library, through its shared object
if command -v resmon_lib_test >/dev/null 2>&1; then
	t "libresmon.so: every wrapper against the kernel" 0 'passed, 0 failed' '' -- resmon_lib_test
fi

echo "1..$n"
[ $failed -eq 0 ]
