#!/usr/bin/env bash
# vm.sh — run one command in a throw-away QEMU guest booted from our kernel.
#
#   scripts/vm.sh 'command line'        (what `make vm CMD='...'` calls)
#   scripts/vm.sh                        on a terminal: interactive shell in the guest
#
# Settings (environment; `make vm` passes them through):
#   KERNEL=resmon|debug|vanilla  which build/kernel-*/ to boot (default resmon)
#   KERNEL=stock-6.1|stock-6.12  Debian 12's own kernel image, unmodified, with an initramfs
#                                that loads its 9p modules (scripts/stock-kernel.sh fetches
#                                and prepares it on first use; config/stock-kernels.conf)
#   KERNEL=deb-resmon            likewise, the kernel edition as make deb-kernel packages it
#   STOCK_ELF=1                  stock kernels: boot the ELF vmlinux extracted from the
#                                image (PVH entry) instead of the image itself: the same
#                                kernel code, no decompressor (so no KASLR), and ~10-20 s
#                                less per 6.1 boot under TCG on a loaded host (bench/README.md)
#   KERNEL=uml                   User-mode Linux (build/kernel-uml/linux) instead of QEMU:
#                                the host's / as its hostfs root, one CPU, same init
#   SMP=2  MEM=1G                CPUs and memory
#   ICOUNT=1                     -icount shift=0,sleep=off: guest time counts instructions
#                                (deterministic timing for benchmarks; implies SMP=1)
#   KVM=1                        -accel kvm (default TCG: KVM guests hang on these hosts)
#   TIMEOUT=600                  seconds before the run is declared hung
#   V=1                          also show the boot messages
#
# The guest's root is the host's / (read-only, virtio-9p, tag "root"), so it runs the
# host's own binaries; build/bin comes first on PATH; /tmp is a tmpfs. Output streams live;
# the whole console goes to build/vm-run/last.log. Exit status = the command's, or
# non-zero with a one-line reason if the kernel reported a problem or the run never ended.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CMD=${1-${CMD-}}
KERNEL=${KERNEL:-resmon}
# -icount runs one vCPU at a time, and with two the guest hangs bringing up CPU 1
# (measured here): ICOUNT=1 means SMP=1. Plain TCG with SMP=2 is for contention tests.
if [ "${ICOUNT:-0}" = 1 ]; then
	SMP=${SMP:-1}
	[ "$SMP" = 1 ] || { echo "vm: ICOUNT=1 needs SMP=1 (the guest hangs bringing up a second CPU)" >&2; exit 125; }
fi
die() { echo "vm: $*" >&2; exit 125; }
if [ "$KERNEL" = uml ]; then
	# UML in 6.1 is uniprocessor.
	SMP=${SMP:-1}
	[ "$SMP" = 1 ] || die "KERNEL=uml has one CPU (SMP=1)"
	BZIMAGE=$ROOT/build/kernel-uml/linux
fi
SMP=${SMP:-2}
MEM=${MEM:-1G}
TIMEOUT=${TIMEOUT:-600}
INITRD=()
case $KERNEL in
stock-*|deb-resmon)
	# Download, unpack, initramfs: idempotent, silent when there is nothing to do.
	"$ROOT/scripts/stock-kernel.sh" "$KERNEL" || die "cannot prepare the $KERNEL kernel"
	BZIMAGE=$ROOT/build/kernel-$KERNEL/vmlinuz
	[ "${STOCK_ELF:-0}" != 1 ] || BZIMAGE=$ROOT/build/kernel-$KERNEL/vmlinux
	INITRD=(-initrd "$ROOT/build/kernel-$KERNEL/initramfs.cpio")
	;;
uml)	[ -f "$BZIMAGE" ] || die "no UML kernel at ${BZIMAGE#$ROOT/}; run: make kernel KERNEL=uml" ;;
*)
	BZIMAGE=$ROOT/build/kernel-$KERNEL/arch/x86/boot/bzImage
	[ -f "$BZIMAGE" ] || die "no kernel at ${BZIMAGE#$ROOT/}; run: make kernel KERNEL=$KERNEL"
	;;
esac

# Static helper for the guest's init (mounts, power-off: scripts/guest-helper.c).
mkdir -p "$ROOT/build/bin"
if [ ! "$ROOT/build/bin/guest-helper" -nt "$ROOT/scripts/guest-helper.c" ]; then
	gcc -static -O2 -Wall -o "$ROOT/build/bin/guest-helper" "$ROOT/scripts/guest-helper.c"
fi

# Interactive only when a person is there and asked for nothing in particular.
INTERACTIVE=0
[ -z "$CMD" ] && [ -t 0 ] && [ -t 1 ] && INTERACTIVE=1
[ -z "$CMD" ] && [ $INTERACTIVE = 0 ] && die "no command (CMD='...') and stdin is not a terminal"

# The run directory passes the command to the guest's init; it lives under build/
# because the guest sees the host's / but puts its own tmpfs over /tmp.
mkdir -p "$ROOT/build/vm-run"
RUN=$(mktemp -d "$ROOT/build/vm-run/run.XXXXXX")
trap 'rm -rf "$RUN"' EXIT
TTY=
[ $INTERACTIVE = 1 ] && TTY=$(stty size 2>/dev/null || true)
# Single-quote for the guest's POSIX sh (' becomes '\'').
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
{ echo "CMD=$(q "$CMD")"; echo "CWD=$(q "$PWD")"; echo "SMP=$(q "$SMP")"; echo "TTY=$(q "$TTY")"; } > "$RUN/env.sh"
LOG=$RUN/console.log

APPEND="console=ttyS0 root=root rootfstype=9p rootflags=trans=virtio,version=9p2000.L,cache=loose ro"
APPEND+=" init=$ROOT/scripts/guest-init.sh panic=-1"
# pci=noacpi: PCI interrupts from the BIOS's $PIR table, not ACPI's _PRT method. On the
# debug kernel under TCG the AML interpreter needs ~15 s for _PRT and sometimes passes its
# 30 s loop timeout; virtio-pci then gets no IRQ and the 9p root never mounts.
# Not on the stock kernels: their virtio-pci uses MSI-X, _PRT takes them ~0.4 s, and with
# pci=noacpi they lose ACPI's host-bridge windows ("BAR 0 [io size 0x0020]: failed to
# assign" for both virtio devices).
[ ${#INITRD[@]} != 0 ] || APPEND+=" pci=noacpi"
[ "$KERNEL" = debug ] && APPEND+=" kasan.fault=report"
# A stock image's own arguments (lsm=... with BPF-LSM: build/kernel-stock-*/cmdline).
[ ${#INITRD[@]} = 0 ] || APPEND+=" $(cat "$ROOT/build/kernel-$KERNEL/cmdline")"
# Interactive: spare the person the (info-level) boot messages; warnings still show.
[ $INTERACTIVE = 1 ] && [ "${V:-0}" != 1 ] && APPEND+=" loglevel=5"
APPEND+=" -- $RUN"            # after "--": argv of init

if [ "$KERNEL" = uml ]; then
	[ $INTERACTIVE = 0 ] || die "KERNEL=uml runs commands only (CMD='...')"
	# The host's / read-only as hostfs root; console 0 writes to our stdout and reads
	# nothing. No panic=: UML's panic handler exits (a reboot would re-exec it).
	UML=("$BZIMAGE" mem="$MEM" root=/dev/root rootfstype=hostfs rootflags=/ ro
	     con0=null,fd:1 con=null console=tty0 init="$ROOT/scripts/guest-init.sh" -- "$RUN")
fi

QEMU=(qemu-system-x86_64 -m "$MEM" -smp "$SMP" -no-reboot -display none -nic none
      -kernel "$BZIMAGE" "${INITRD[@]}" -append "$APPEND"
      -fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap
      -device virtio-9p-pci,fsdev=root,mount_tag=root
      -fsdev local,id=repo,path="$ROOT",security_model=none,readonly=on,multidevs=remap
      -device virtio-9p-pci,fsdev=repo,mount_tag=repo)
if [ "${KVM:-0}" = 1 ]; then QEMU+=(-accel kvm); else QEMU+=(-accel tcg); fi
[ "${ICOUNT:-0}" = 1 ] && QEMU+=(-icount shift=0,sleep=off)

# Should a TCG guest still stall during boot before our init runs (the debug kernel
# still does now and then, its console silent after "Running RCU-tasks wait API self
# tests"): such a boot ran nothing of ours, so it is killed and booted again, up to
# BOOT_ATTEMPTS boots in all. A stall is a console quiet for BOOT_QUIET seconds (a
# debug boot's longest silence is about 1.5 s), or no init after BOOT_TIMEOUT seconds.
# A stall after init started is a real failure and is left to TIMEOUT.
BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}
BOOT_QUIET=${BOOT_QUIET:-60}
BOOT_ATTEMPTS=${BOOT_ATTEMPTS:-3}
watch_boot() {
	local waited=0 quiet=0 size=-1 now
	while [ $waited -lt "$BOOT_TIMEOUT" ] && [ $quiet -lt "$BOOT_QUIET" ]; do
		sleep 1
		waited=$((waited + 1))
		grep -q '^RESMON-VM-BEGIN' "$LOG" 2>/dev/null && return 0
		now=$(stat -c %s "$LOG" 2>/dev/null || echo 0)
		if [ "$now" = "$size" ]; then quiet=$((quiet + 1)); else quiet=0 size=$now; fi
	done
	echo "vm: no init after ${waited}s of boot (console quiet for ${quiet}s); stopping this guest" >&2
	pkill -f -- "qemu-system-x86_64 .*$RUN" || true
}

# What the guest's console prints: drop the boot messages before the begin marker
# (unless V=1) and the markers themselves; strip the serial \r.
show_console() {
	awk -v v="${V:-0}" '
		{ sub(/\r$/, "") }
		/^RESMON-VM-BEGIN$/ { on = 1; fflush(); next }
		/^RESMON-VM-EXIT / { on = 0; next }
		/^RESMON-VM-(ERROR|NOTE)/ { print > "/dev/stderr"; next }
		on || v == 1 { print; fflush() }'
}

T0=$(date +%s.%N)
if [ "$KERNEL" = uml ]; then
	# No core file from a UML panic in the caller's directory.
	(ulimit -c 0; timeout -k 5 "$TIMEOUT" "${UML[@]}" < /dev/null 2>&1) | tee "$LOG" | show_console || true
elif [ $INTERACTIVE = 1 ]; then
	# Serial and QEMU monitor share the terminal (Ctrl-A x quits); Ctrl-C goes to the guest.
	QEMU+=(-chardev "stdio,id=con,mux=on,signal=off,logfile=$LOG" -serial chardev:con -mon chardev=con)
	"${QEMU[@]}" || true
else
	QEMU+=(-chardev "stdio,id=con,logfile=$LOG" -serial chardev:con -monitor none)
	for attempt in $(seq 1 "$BOOT_ATTEMPTS"); do
		watch_boot &
		watcher=$!
		timeout -k 5 "$TIMEOUT" "${QEMU[@]}" < /dev/null | show_console || true
		kill "$watcher" 2>/dev/null || true
		wait "$watcher" 2>/dev/null || true
		# A boot that stalled before our init ran no command: boot again.
		grep -q '^RESMON-VM-BEGIN' "$LOG" 2>/dev/null && break
		# An init that reported why it could not start (initramfs) would fail again.
		grep -q '^RESMON-VM-ERROR' "$LOG" 2>/dev/null && break
		cp "$LOG" "$ROOT/build/vm-run/stalled-boot.log" 2>/dev/null || true
		[ "$attempt" -lt "$BOOT_ATTEMPTS" ] &&
			echo "vm: the guest did not reach its init; booting it again" >&2
	done
fi
ELAPSED=$(echo "$(date +%s.%N) - $T0" | bc)
LAST=build/vm-run/last.log
[ "$KERNEL" != uml ] || LAST=build/vm-run/last-uml.log
cp "$LOG" "$ROOT/$LAST"
tr -d '\r' < "$LOG" > "$RUN/clean.log"

# Kernel reports: only lines with a printk timestamp "[    1.234567]" count, so a test
# that prints "BUG:" itself is not mistaken for the kernel. (Boot banners such as
# "kasan: KernelAddressSanitizer initialized" or "kmemleak: Kernel memory leak detector
# initialized" must not match.) "not ok N" there is a failed built-in KUnit test.
SPLAT='Oops|BUG:|WARNING:|Kernel panic|KASAN:|KFENCE:|UBSAN:|general protection fault'
SPLAT+='|possible circular locking|possible recursive locking|inconsistent lock state'
SPLAT+='|suspicious RCU usage|detected stall|new suspected memory leak|unreferenced object'
SPLAT+='|not ok [0-9]'
splat=$(grep -E "\[ *[0-9]+\.[0-9]+\] .*($SPLAT)" "$RUN/clean.log" | head -n 1 || true)
leak=$(grep -m1 '^RESMON-VM-KMEMLEAK: unreferenced object' "$RUN/clean.log" || true)
cpus=$(grep -m1 '^RESMON-VM-ERROR' "$RUN/clean.log" || true)
status=$(sed -n 's/^RESMON-VM-EXIT \([0-9]*\)$/\1/p' "$RUN/clean.log" | tail -n 1)

printf 'vm: %s kernel, %s CPUs, %.1fs, log %s\n' "$KERNEL" "$SMP" "$ELAPSED" "$LAST" >&2
if [ -n "$splat" ]; then
	echo "vm: FAIL: kernel reported: ${splat#*] }" >&2; exit 126
elif [ -n "$leak" ]; then
	echo "vm: FAIL: kmemleak: ${leak#RESMON-VM-KMEMLEAK: }" >&2; exit 126
elif [ -n "$cpus" ]; then
	echo "vm: FAIL: ${cpus#RESMON-VM-ERROR: }" >&2; exit 126
elif [ -z "$status" ]; then
	if grep -q 'RESMON-VM-BEGIN' "$RUN/clean.log"; then
		echo "vm: FAIL: no exit marker: the guest hung, crashed or hit TIMEOUT=${TIMEOUT}s" >&2
	else
		echo "vm: FAIL: the guest never reached its init (see $LAST)" >&2
	fi
	exit 124
fi
exit "$status"
