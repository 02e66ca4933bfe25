#!/bin/sh
# with-resmond.sh CMD [ARG...] — run CMD in the guest with resmond serving, then stop it.
#
# For stock kernels (the eBPF edition): starts resmond (build/bin, on PATH in the guest)
# in the background, waits until its socket accepts clients, runs CMD, then stops the
# daemon (resmond --stop: it detaches and unpins what it owns; SIGTERM would leave the
# programs pinned and enforcing). Exit status: CMD's, or 125 if
# resmond did not come up (its log is shown). On a resmon kernel there is nothing to
# start: CMD runs as is, so one command line serves both editions.
SOCK=${RESMOND_SOCK:-/run/resmond/resmond.sock}
LOG=${RESMOND_LOG:-/tmp/resmond.log}

if [ -e /proc/resmon ]; then
	exec "$@"
fi
command -v resmond > /dev/null 2>&1 || { echo "with-resmond: no resmond on PATH (make user)" >&2; exit 125; }
resmond > "$LOG" 2>&1 &
daemon=$!
# Up to 60 s: the first start loads and verifies the BPF programs under TCG.
i=0
until [ -S "$SOCK" ] && resmon list > /dev/null 2>&1; do
	i=$((i + 1))
	if ! kill -0 "$daemon" 2> /dev/null || [ $i -gt 600 ]; then
		echo "with-resmond: resmond did not come up (socket $SOCK); its log:" >&2
		sed 's/^/  /' "$LOG" >&2
		kill "$daemon" 2> /dev/null
		exit 125
	fi
	sleep 0.1
done
"$@"
st=$?
resmond --stop > /dev/null 2>&1
wait "$daemon"
dst=$?
[ $dst -eq 0 ] || echo "with-resmond: resmond exited with status $dst" >&2
exit $st
