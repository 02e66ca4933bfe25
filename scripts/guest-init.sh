#!/bin/sh
# PID 1 of the test VM, started by the kernel (init=) from the host's / shared
# read-only over 9p, and run by the host's own /bin/sh.
#
#   last argument = run directory made by scripts/vm.sh on the host (under build/,
#   because the host's /tmp is hidden here by our tmpfs). Its env.sh sets
#   CMD (empty = interactive shell), CWD, SMP (CPUs QEMU was given), TTY ("rows cols").
#
# Prints RESMON-VM-BEGIN before the command and "RESMON-VM-EXIT <status>" after it;
# scripts/vm.sh relies on both. Then powers off. PID 1 must never exit (the kernel would
# panic), so nothing here uses `set -e` and poweroff never returns.
# Under TCG each exec of a host binary over 9p is slow, so this uses shell builtins and
# one static helper (scripts/guest-helper.c) where it can.

ROOT=${0%/scripts/guest-init.sh}
eval RUN=\${$#}     # the last argument: the kernel may pass stray boot words before it
# The project's binaries are run from a copy on the guest's tmpfs (/run/resmon, see
# below), so that an unprivileged user can execute them wherever the checkout lives:
# a clone in /root or in a 0700 home directory cannot be traversed by uid 65534.
GUEST_BUILD=/run/resmon
export PATH="$GUEST_BUILD/bin:$ROOT/build/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
export HOME=/tmp TERM=${TERM:-linux} LANG=C.UTF-8
umask 022

say() { echo "$*" > /dev/console; }
# reboot(RB_POWER_OFF), else SysRq power-off, else wait for vm.sh's timeout.
poweroff() { guest-helper poweroff; echo o > /proc/sysrq-trigger; while :; do sleep 60; done; }

[ -f "$RUN/env.sh" ] || { say "RESMON-VM-ERROR: no run directory '$RUN' (boot with scripts/vm.sh)"; poweroff; }
. "$RUN/env.sh"

# proc, sysfs, devtmpfs, devpts, tmpfs on /tmp /run /dev/shm, debugfs; checks nproc == SMP;
# mounts the checkout back at $ROOT if it lives under /tmp.
guest-helper setup "$SMP" "$ROOT"

# build/bin and build/lib (libresmon.so, found through $ORIGIN/../lib) to the tmpfs.
if [ -d "$ROOT/build/bin" ]; then
	mkdir -p "$GUEST_BUILD" &&
	cp -a "$ROOT/build/bin" "$ROOT/build/lib" "$GUEST_BUILD/" 2>/dev/null ||
	cp -a "$ROOT/build/bin" "$GUEST_BUILD/" ||
	say "RESMON-VM-NOTE: could not copy build/bin to $GUEST_BUILD: tests run as an unprivileged user may fail"
	chmod 755 "$GUEST_BUILD"
fi

# kmemleak (debug kernel): forget what boot left behind, so only the command's leaks count.
KMEMLEAK=/sys/kernel/debug/kmemleak
if [ -w $KMEMLEAK ]; then echo scan > $KMEMLEAK; echo clear > $KMEMLEAK; fi

cd "$CWD" 2>/dev/null || { say "RESMON-VM-NOTE: $CWD not visible in the guest, running in /"; cd /; }

say "RESMON-VM-BEGIN"
if [ -z "$CMD" ]; then
	# Interactive: bash owns the serial line as its controlling tty, so job control and
	# Ctrl-C work. QEMU: Ctrl-A x quits, Ctrl-A c is the monitor.
	[ -n "$TTY" ] && stty -F /dev/ttyS0 rows ${TTY% *} cols ${TTY#* } 2>/dev/null
	say "resmon VM: kernel $(uname -r), $SMP CPUs, host / read-only, /tmp is tmpfs. 'exit' powers off."
	setsid -c /bin/bash -i < /dev/ttyS0 > /dev/ttyS0 2>&1
	status=$?
else
	# No stdin: a test must never wait for input on the console.
	/bin/sh -c "$CMD" < /dev/null > /dev/console 2>&1
	status=$?
fi

if [ -w $KMEMLEAK ]; then
	sleep 5        # kmemleak ignores objects younger than 5 s
	echo scan > $KMEMLEAK
	while IFS= read -r line; do say "RESMON-VM-KMEMLEAK: $line"; done < $KMEMLEAK
fi

say "RESMON-VM-EXIT $status"
poweroff
