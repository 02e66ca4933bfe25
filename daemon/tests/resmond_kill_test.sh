#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# resmond_kill_test: the eBPF edition survives its daemon. Runs as root in a stock-kernel
# guest with no resmond running (scripts/ebpf-tests.sh stops its own first); starts and
# kills resmond itself. Needs resmond, resmon, resmon_test_hog and bpftool on PATH.
# TAP output; exit status 1 if any test failed.
PINS=/sys/fs/bpf/resmon
LOG=/tmp/resmond_kill_test.log
n=0 failed=0 pids=""
cleanup() {
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	resmond --stop >/dev/null 2>&1
}
trap cleanup EXIT
. "$(dirname "$0")/resmond_test_lib.sh"

records() { bpftool -j map dump pinned $PINS/map_records 2>/dev/null | grep -o '"key"' | wc -l; }
# The "maybe monitored" counts (bpf/resmon.bpf.c): slots whose count is not 0.
maybe_slots() { bpftool -j map dump pinned $PINS/map_maybe 2>/dev/null | grep -Eo '"value": ?[0-9]+' | grep -Evc ': ?0$'; }
links() { ls $PINS 2>/dev/null | grep -c '^link_'; }
# PID: let a capped hog open its files; true if the quota killed it (status 137)
dies_at_quota() {
	kill -USR1 "$1"
	wait "$1"
	[ $? -eq 137 ]
}
# the hooks only jobs need (bpf/resmon.bpf.c's resmon_job_* programs)
job_links() { ls $PINS 2>/dev/null | grep -c '^link_resmon_job_'; }

: >"$LOG"
start_daemon --linger 1
check "resmond answers on its socket" "resmon --version | grep -q 'edition: ebpf'"
check "nothing monitored: no hook attached" "[ \$(links) -eq 0 ]"

start_hog - --files 10 --sleep 600
A=$hog
start_hog - --files 3 --mmap-mib 2 --sleep 600
B=$hog
resmon register $A $B && resmon cap --files 5 $A
check "register attached the hooks (pinned links)" "[ \$(links) -gt 0 ]"
check "two records, two maybe-monitored slots counted" "[ \$(maybe_slots) -eq 2 ]"

kill -9 $daemon
wait $daemon 2>/dev/null
check "resmond killed with SIGKILL" "! kill -0 $daemon 2>/dev/null"
check "the pins outlive it" "[ -d $PINS ] && [ \$(links) -gt 0 ]"
kill -USR1 $A $B
wait $A
st=$?
check "a quota is still enforced while resmond is down (137)" "[ $st -eq 137 ]"
sleep 1

start_daemon --linger 1
check "a restarted resmond picks up the pins" "grep -q 'picked up the pinned state' $LOG"
check "the record kept counting while resmond was down (files 3, heap 2 MiB)" \
	"resmon status --json $B | grep -q '\"heap_mib\":2,\"heap_bytes\":[0-9]*,\"files\":3,'"
check "the kill made while resmond was down is logged after its restart" \
	"dmesg | grep -q 'resmon: killed process $A (resmon_test_hog): files 6 over quota 5'"
check "register still reports ENFILE for a record made by the previous resmond" \
	"resmon register $B 2>&1 | grep -q 'already monitored'"

# systemctl stop or restart, a package upgrade: SIGTERM ends the daemon, not monitoring.
capped_hog 5 --files 10 --sleep 600
D=$hog
kill -TERM $daemon
wait $daemon
st=$?
check "SIGTERM: resmond exits 0" "[ $st -eq 0 ]"
check "SIGTERM: the programs stay pinned and attached" "[ -d $PINS ] && [ \$(links) -gt 0 ]"
check "SIGTERM: a quota is still enforced after it (137)" "dies_at_quota $D"
start_daemon --linger 1
check "the next resmond picks up the pins again" \
	"[ \$(grep -c 'picked up the pinned state' $LOG) -eq 2 ]"

# An upgrade: the pins are another build's (same layouts, other programs; here the
# build stamp is changed by hand). The old programs go on enforcing what they hold;
# once nothing is monitored, resmond replaces them with its own, and says so.
# the stamp, in decimal
build() {
	bpftool -j map lookup pinned $PINS/map_build key 0 0 0 0 2>/dev/null |
		grep -o '"value":[0-9]*' | grep -o '[0-9]*$'
}
own_build=$(build)
capped_hog 5 --files 10 --sleep 600
S=$hog
kill -9 $daemon
wait $daemon 2>/dev/null
bpftool map update pinned $PINS/map_build key 0 0 0 0 value 1 2 3 4 5 6 7 8
start_daemon --linger 1
check "another build's pins: picked up, and resmond says it will replace them" \
	"grep -q 'another resmond build' $LOG"
check "the pinned programs still enforce a quota they hold (137)" "dies_at_quota $S"
kill -9 $B
wait $B 2>/dev/null
until_ok 100 "grep -q 'replacing the previous build' $LOG"
check "once nothing is monitored, they are replaced by this build's" \
	"grep -q 'replacing the previous build' $LOG"
until_ok 600 "resmon status 1 2>&1 | grep -q 'not monitored'"
check "the same resmond (pid) serves again" "kill -0 $daemon && resmon status 1 2>&1 | grep -q 'not monitored'"
check "and the pins carry this build's stamp" "[ -n '$own_build' ] && [ \"\$(build)\" = '$own_build' ]"
start_hog - --files 10 --sleep 600
B=$hog
resmon register $B

# A resmond of another version left maps of other layouts pinned (here: a jobs map of
# another shape, the others as they are): the state is replaced, never misread.
kill -9 $daemon
wait $daemon 2>/dev/null
rm -f $PINS/map_jobs
bpftool map create $PINS/map_jobs type hash key 8 value 16 entries 4 name jobs
start_daemon --linger 1
check "another version's pinned state is replaced, and resmond says so" \
	"grep -q 'is not this resmond version' $LOG"
check "and names the map that differs" \
	"grep -q 'pinned map jobs: hash, key 8 B, value 16 B, 4 entries' $LOG"
check "the records of the replaced state went with it" \
	"resmon status $B 2>&1 | grep -q 'not monitored'"
capped_hog 5 --files 10 --sleep 600
check "the new state enforces a quota (137)" "dies_at_quota $hog"

# Stress: many short monitored processes; afterwards the records map is empty.
i=0 runs=""
while [ $i -lt 40 ]; do
	resmon run -q --files 1000 resmon_test_hog --files 2 >/dev/null 2>&1 &
	runs="$runs $!"
	i=$((i + 1))
done
for p in $runs; do wait "$p"; done
kill -9 $B
wait $B 2>/dev/null
sleep 0.5
check "after 40 monitored processes exited the records map is empty" "[ \$(records) -eq 0 ]"
check "and every maybe-monitored count is back to 0" "[ \$(maybe_slots) -eq 0 ]"
sleep 3
check "a while after the last record went, the hooks are detached" "[ \$(links) -eq 0 ]"
start_hog - --files 2 --sleep 600
C=$hog
resmon register $C
check "the next register attaches them again" "[ \$(links) -gt 0 ]"
check "a register (no job) attaches none of the hooks only jobs need" "[ \$(job_links) -eq 0 ]"
start_hog - --sleep 600
J=$hog
resmon limit $J --data 1T
check "a job attaches the jobs' hooks too" "[ \$(job_links) -gt 0 ]"
kill -9 $J
wait $J 2>/dev/null
sleep 3
check "a while after the last job went, the jobs' hooks are detached" "[ \$(job_links) -eq 0 ]"
check "and the records' hooks stay while a record does" "[ \$(links) -gt 0 ]"
kill -9 $C
wait $C 2>/dev/null

# The package's removal: resmond is stopped (here killed), then `resmond --stop` removes
# the pins it left, whatever they are (here another version's), without loading anything.
kill -9 $daemon
wait $daemon 2>/dev/null
rm -f $PINS/map_jobs
bpftool map create $PINS/map_jobs type hash key 8 value 16 entries 4 name jobs
resmond --stop >/tmp/resmond_stop.log 2>&1
check "resmond --stop with no resmond running: everything unpinned" "[ ! -e $PINS ]"
check "and it loaded no program to do so" "! grep -q 'loaded' /tmp/resmond_stop.log"

start_daemon --linger 1
resmond --stop >/dev/null 2>&1
wait $daemon
st=$?
check "resmond --stop: the daemon exits 0" "[ $st -eq 0 ]"
check "resmond --stop: everything unpinned" "[ ! -e $PINS ]"
check "resmond --stop: the socket is gone" "[ ! -e /run/resmond/resmond.sock ]"
check "without resmond, resmon says resmon is not available (exit 3)" \
	"resmon status 1 >/dev/null 2>&1; [ \$? -eq 3 ]"
sed 's/^/# resmond: /' "$LOG"
echo "1..$n"
[ $failed -eq 0 ]
