#!/bin/sh
# in-memory-cgroup.sh [--pids N] BYTES CMD [ARG...] — run CMD in a cgroup v2 with
# memory.max = BYTES (and pids.max = N: the spawn loops' peer, a limit on processes).
#
# The peer the issue compares resmon with (bench/run.sh's "cgroup" rows): what a user
# gets from `systemd-run -p MemoryMax=...`, without systemd. In the benchmark's guest:
# mounts cgroup2 on /sys/fs/cgroup if it is not mounted, enables the memory controller
# for the root's children, makes a child cgroup, sets its memory.max, moves this shell
# into it and execs CMD, so CMD and everything it starts are charged there from their
# first instruction. A limit nobody reaches (the benchmark gives 1 TiB) leaves the cost
# of charging every page and of the counters, which is what the rows measure; with
# --pids, also charging every fork to the pids controller (1,000,000: never reached).
# Exit status: CMD's, or 125 when the cgroup could not be set up (the step is named).
set -u
pids=
if [ "${1-}" = --pids ]; then
	pids=${2-}
	shift 2 2>/dev/null || set --
fi
[ $# -ge 2 ] || { echo "usage: in-memory-cgroup.sh [--pids N] BYTES CMD [ARG...]" >&2; exit 125; }
bytes=$1
shift
CG=/sys/fs/cgroup
fail() { echo "in-memory-cgroup: $*" >&2; exit 125; }

if [ ! -e "$CG/cgroup.controllers" ]; then
	mkdir -p "$CG" || fail "cannot create $CG"
	mount -t cgroup2 cgroup2 "$CG" || fail "cannot mount cgroup2 on $CG"
fi
grep -qw memory "$CG/cgroup.controllers" || fail "no memory controller in $CG/cgroup.controllers"
echo +memory > "$CG/cgroup.subtree_control" || fail "cannot enable +memory in $CG/cgroup.subtree_control"
if [ -n "$pids" ]; then
	grep -qw pids "$CG/cgroup.controllers" || fail "no pids controller in $CG/cgroup.controllers"
	echo +pids > "$CG/cgroup.subtree_control" || fail "cannot enable +pids in $CG/cgroup.subtree_control"
fi
child=$CG/resmon-bench.$$
mkdir "$child" || fail "cannot create $child"
echo "$bytes" > "$child/memory.max" || fail "cannot write $bytes to $child/memory.max"
[ "$(cat "$child/memory.max")" = "$bytes" ] || fail "$child/memory.max reads $(cat "$child/memory.max"), not $bytes"
if [ -n "$pids" ]; then
	echo "$pids" > "$child/pids.max" || fail "cannot write $pids to $child/pids.max"
	[ "$(cat "$child/pids.max")" = "$pids" ] || fail "$child/pids.max reads $(cat "$child/pids.max"), not $pids"
fi
echo $$ > "$child/cgroup.procs" || fail "cannot move $$ into $child"
grep -qx "0::/resmon-bench.$$" /proc/self/cgroup || fail "not in $child: $(cat /proc/self/cgroup)"
exec "$@"
