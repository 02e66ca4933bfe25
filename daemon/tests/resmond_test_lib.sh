# SPDX-License-Identifier: GPL-2.0-only
# resmond_test_lib.sh: what the eBPF edition's shell tests share (sourced, not run):
# TAP results, running as another user, waiting, and starting resmond and test hogs.
# The sourcing test sets LOG (resmond's log), and n=0 failed=0 pids="" first.

result() { n=$((n + 1)); if [ "$1" = OK ]; then echo "ok $n - $2"; else failed=$((failed + 1)); echo "not ok $n - $2"; fi; }
check() { if eval "$2"; then result OK "$1"; else result FAIL "$1"; echo "# false: $2"; fi; }
as_user() { u=$1; shift; setpriv --reuid "$u" --regid "$u" --clear-groups --inh-caps=-all "$@"; }
# in the background, with the command's own pid in $!
as_user_bg() { u=$1; shift; (exec setpriv --reuid "$u" --regid "$u" --clear-groups --inh-caps=-all "$@") & }
# until COMMAND succeeds (run once more each time: it need not be idempotent), up to
# $1 tenths of a second; its last status
until_ok() {
	local t=$1 w=0
	shift
	while ! eval "$*"; do
		[ $w -ge "$t" ] && return 1
		sleep 0.1
		w=$((w + 1))
	done
}

start_daemon() {	# resmond [ARGS] in the background, its pid in $daemon, once its socket answers
	resmond "$@" >>"$LOG" 2>&1 &
	daemon=$!
	until_ok 600 "resmon status 1 2>&1 | grep -q 'not monitored\|permission'"
}
start_hog() {	# UID|- HOG-ARGS: a hog (as UID, - for root) waiting for SIGUSR1, its pid in $hog
	u=$1
	shift
	if [ "$u" != - ]; then
		as_user_bg "$u" resmon_test_hog --wait "$@"
	else
		resmon_test_hog --wait "$@" &
	fi
	hog=$!
	pids="$pids $hog"
	until_ok 100 "grep -Eq '^SigCgt:[[:space:]]*[0-9a-f]*[2367abef][0-9a-f]{2}$' /proc/$hog/status"
}
# QUOTA HOG-ARGS: a root hog registered and capped at QUOTA opens, its pid in $hog
capped_hog() {
	q=$1
	shift
	start_hog - "$@"
	resmon register $hog && resmon cap --files "$q" $hog
}
