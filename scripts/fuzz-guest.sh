#!/bin/sh
# fuzz-guest.sh [SECONDS] — runs in the guest (make fuzz). Two fuzzers against the
# resmon kernel while their processes are monitored:
#   1. trinity (Debian's syscall fuzzer), unprivileged, on the vfs and vm groups
#      (the open/brk/mmap paths resmon hooks). A root loop registers every process
#      trinity starts and caps some of them, so the hooks, the limiter and exit
#      all run under fuzzing, and quota kills happen. Socket fds are off: trinity
#      2023.01 crashes generating them on this small network config.
#   2. resmon_fuzz: random and edge arguments for syscalls 451-456, which trinity
#      does not know, by root and unprivileged workers.
# Prints the figures. Exit status non-zero if a fuzzer reports a failure; the VM
# runner fails the run on any kernel splat, and the debug kernel's kmemleak scan
# runs after the command.
SECONDS_EACH=${1:-60}
FUZZ_UID=65534
cd /tmp || exit 1
mkdir -p /tmp/trinity && chown $FUZZ_UID /tmp/trinity

# Register everything the fuzz user runs; cap every third one with a small quota.
monitor_loop() {
	regs=0 caps=0 n=0
	while [ ! -e /tmp/fuzz.stop ]; do
		for p in $(pgrep -u $FUZZ_UID); do
			if resmon register "$p" 2>/dev/null; then
				regs=$((regs + 1)) n=$((n + 1))
				if [ $((n % 3)) -eq 0 ] &&
				   resmon cap --heap 64M --files 200 "$p" 2>/dev/null; then
					caps=$((caps + 1))
				fi
			fi
		done
		sleep 0.2
	done
	echo "fuzz: monitor loop registered $regs trinity processes, capped $caps"
}

rm -f /tmp/fuzz.stop
monitor_loop &
mon=$!
echo "fuzz: trinity for ${SECONDS_EACH}s (uid $FUZZ_UID, groups vfs and vm)"
cd /tmp/trinity
timeout -s INT "$SECONDS_EACH" setpriv --reuid=$FUZZ_UID --regid=$FUZZ_UID --clear-groups \
	trinity -q -l off -C 2 --disable-fds=sockets -g vfs 2>&1 | tail -n 2 &
t1=$!
timeout -s INT "$SECONDS_EACH" setpriv --reuid=$FUZZ_UID --regid=$FUZZ_UID --clear-groups \
	trinity -q -l off -C 2 --disable-fds=sockets -g vm 2>&1 | tail -n 2
wait $t1
cd /tmp
touch /tmp/fuzz.stop
wait $mon
kills=$(dmesg | grep -c 'resmon: killed process')
echo "fuzz: resmon kill lines in the log so far: $kills (rate-limited)"

echo "fuzz: resmon_fuzz for ${SECONDS_EACH}s"
resmon_fuzz "$SECONDS_EACH" 4
