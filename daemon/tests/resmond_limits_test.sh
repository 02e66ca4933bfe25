#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# resmond_limits_test: what no user, LSM or scheduler may take from the eBPF edition.
#  1. a HELLO flood from uid 65534 does not cost a quota kill its kernel log line;
#  2. a kill at cap that an LSM refuses is not counted: the next crossing kills;
#  3. under preempt=full the counts are exact, or resmond warned and the shortfall is
#     within the kernel's recursion-miss counters it exports (resmond --status);
#  4. each uid has a share of the records table (--max-records-per-uid): a user that
#     used it gets ENOMEM while root and other users still register; a tree job's
#     child beyond it is killed by resmond rather than left to run unaccounted.
# Runs as root in a stock-kernel guest with no resmond running (scripts/ebpf-tests.sh
# stops its own first); starts its own. Needs resmond, resmon, resmon_test_hog,
# resmond_denykill, resmond_hello_flood, setpriv and bpftool on PATH.
# TAP output; exit status 1 if any test failed.
LOG=/tmp/resmond_limits_test.log
PREEMPT=/sys/kernel/debug/sched/preempt
NOBODY=65534 OTHER=65533
D=$(mktemp -d /tmp/resmond_limits.XXXXXX)
n=0 failed=0 pids="" model=""
cleanup() {
	[ -n "$model" ] && echo "$model" >$PREEMPT
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	resmond --stop >/dev/null 2>&1
	rm -rf "$D"
}
trap cleanup EXIT
. "$(dirname "$0")/resmond_test_lib.sh"

files_of() { resmon status --json "$1" 2>/dev/null | sed -n 's/.*"files":\([0-9]*\).*/\1/p'; }
asleep() { s=$(cut -d' ' -f1 /proc/"$1"/syscall 2>/dev/null); [ "$s" = 35 ] || [ "$s" = 230 ]; }

: >"$LOG"
start_daemon
check "resmond answers on its socket" "resmon --version | grep -q 'edition: ebpf'"

# 1. A HELLO flood from an unprivileged user while a quota kill is logged. /dev/kmsg
#    drops lines past 10 in 5 s per open file, silently.
as_user_bg $NOBODY resmond_hello_flood 1000000
flood=$!
pids="$pids $flood"
sleep 1
check "uid 65534 floods resmond with HELLO" "kill -0 $flood"
capped_hog 2 --files 3
A=$hog
kill -USR1 $A
wait $A
st=$?
check "the hog crossing its file quota during the flood is killed (137)" "[ $st -eq 137 ]"
check "its kill line is in the kernel log despite the flood" \
	"until_ok 50 \"dmesg | grep -q 'resmon: killed process $A (resmon_test_hog): files 3 over quota 2'\""
kill $flood
wait $flood 2>/dev/null
sleep 6
resmond_hello_flood 1
check "the HELLO lines dropped are reported, as by pr_info_ratelimited" \
	"until_ok 30 \"dmesg | grep -q '__do_sys_resmon_hello: [0-9]* callbacks suppressed'\""

# 2. A SIGKILL at cap that an LSM refuses: not counted as a kill; the next crossing kills.
mkfifo "$D/go"
sh -c 'read a <"$1"; exec 3</dev/null 4</dev/null 5</dev/null; read b <"$1"; exit 0' sh "$D/go" &
T=$!
pids="$pids $T"
resmon register $T
echo a >"$D/go"
until_ok 100 "[ \"\$(files_of $T)\" -ge 3 ] 2>/dev/null"
check "the target opened 3 files or more (/dev/null 3 times, the fifo)" "[ \"\$(files_of $T)\" -ge 3 ]"
resmond_denykill $T >"$D/deny" 2>&1 &
deny=$!
pids="$pids $deny"
until_ok 300 "grep -q ready $D/deny"
check "a BPF-LSM policy refusing SIGKILL to the target is attached" "grep -q ready $D/deny"
resmon cap --files 2 $T
st=$?
check "cap below the usage returns 0" "[ $st -eq 0 ]"
sleep 1
check "the LSM refused the kill: the target lives" "kill -0 $T"
kill -TERM $deny
wait $deny
check "the policy refused a SIGKILL to it" "grep -q 'denied [1-9]' $D/deny"
(echo b >"$D/go") 2>/dev/null
wait $T
st=$?
check "policy gone: the target's next open over its quota kills it (137)" "[ $st -eq 137 ]"
check "that kill is logged" \
	"until_ok 50 \"dmesg | grep -q 'resmon: killed process $T (sh): files [0-9]* over quota 2'\""

# 3. Counting under the full preemption model (PREEMPT_DYNAMIC kernels switch at run time).
if [ -w $PREEMPT ]; then
	model=$(sed 's/.*(\(.*\)).*/\1/' $PREEMPT)
	echo full >$PREEMPT
	check "resmond warns when the model becomes full" \
		"until_ok 50 \"grep -q 'WARNING: preemption model full' $LOG\""
	check "... in the kernel log too" \
		"dmesg | grep -q 'resmond: preemption model full: resmon.s BPF hooks can skip calls'"
	N=25000 hogs=""
	for i in 1 2 3 4; do start_hog - --files $N --sleep 600; hogs="$hogs $hog"; done
	resmon register $hogs
	misses0=$(resmond --status | sed -n 's/^recursion_misses total //p')
	kill -USR1 $hogs
	for h in $hogs; do until_ok 3000 "asleep $h"; done
	counted=0
	for h in $hogs; do counted=$((counted + $(files_of $h))); done
	misses=$(resmond --status | sed -n 's/^recursion_misses total //p')
	expected=$((4 * N))
	echo "# preempt=full: counted $counted of $expected opens; recursion misses ${misses0:-?} -> ${misses:-?}"
	check "resmond --status exports the model and the misses" \
		"resmond --status | grep -q '^preemption_model full' && [ -n \"$misses\" ]"
	check "counts exact, or short by no more than the misses resmond exports" \
		"[ $counted -eq $expected ] || [ $((expected - counted)) -le $((misses - misses0)) ]"
	kill -9 $hogs
	echo "$model" >$PREEMPT
	check "resmond notices the model going back" \
		"until_ok 50 \"grep -q 'preemption model $model: the hooks count every call' $LOG\""
	model=""
else
	echo "# $PREEMPT not writable (no debugfs or not PREEMPT_DYNAMIC): preemption test not run"
	result FAIL "the guest can switch the preemption model"
fi

# 4. A share of the records table per uid: a resmond with 3 per uid (the pins are kept).
kill -9 $daemon
wait $daemon 2>/dev/null
start_daemon --max-records-per-uid 3
check "resmond --max-records-per-uid 3 runs" "kill -0 $daemon"
for i in 1 2 3 4 5 6 7; do start_hog $NOBODY --sleep 600; eval N$i=\$hog; done
start_hog $OTHER --sleep 600
O=$hog
start_hog - --sleep 600
R=$hog
check "uid 65534 registers 3 of its processes" "as_user $NOBODY resmon register $N1 $N2 $N3"
as_user $NOBODY resmon register $N4 >"$D/out" 2>&1
st=$?
check "its 4th register fails with ENOMEM" "[ $st -ne 0 ] && grep -q 'out of memory' $D/out"
check "uid 65533 still registers" "as_user $OTHER resmon register $O"
check "root still registers its own process" "resmon register $R"
check "root still registers one of uid 65534's (not charged to it)" "resmon register $N4"
check "uid 65534 deregisters one" "as_user $NOBODY resmon deregister $N1"
check "... and may register another" "as_user $NOBODY resmon register $N5"
kill -9 $N2
wait $N2 2>/dev/null
check "one of its monitored processes exits: the share comes back" \
	"until_ok 50 \"as_user $NOBODY resmon register $N6 2>/dev/null\""
check "and is used up again: ENOMEM" "! as_user $NOBODY resmon register $N7 2>/dev/null"
# A tree job's children take the same share: uid 65533 has 1 of 3 left after its
# record and the job's root, so the first child joins and the next two cannot: resmond
# kills them (never a member's child running unaccounted) and says so.
as_user $OTHER resmon run -- sh -c '/bin/sleep 2 & a=$!; /bin/sleep 2 & b=$!; /bin/sleep 2 & c=$!;
	wait $a; x=$?; wait $b; y=$?; wait $c; echo "children: $x $y $?"' >"$D/tree" 2>&1
check "a tree job's child beyond its uid's share is killed (not left unaccounted)" \
	"grep -q '^children: 0 137 137$' $D/tree"
check "resmond logs each child that could not join" \
	"[ \$(grep -c 'could not join its tree job' $LOG) -eq 2 ]"
[ -s "$D/tree" ] && sed 's/^/# /' "$D/tree"
kill -9 $N1 $N3 $N4 $N5 $N6 $N7 $O $R

resmond --stop >/dev/null 2>&1
wait $daemon
sed 's/^/# resmond: /' "$LOG"
echo "1..$n"
[ $failed -eq 0 ]
