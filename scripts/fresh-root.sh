#!/usr/bin/env bash
# fresh-root.sh [COMMAND...] — run the README's two commands as a new user would: from a
# fresh clone of this checkout's HEAD, inside a new, bare Debian 12 root that has never
# seen the project. Nothing installed on this machine can hide a missing install step.
# (`make check-fresh` and .ci/run call this.)
#
#   default COMMAND:  make run </dev/null && make check
#
# 1. debootstrap bookworm --variant=minbase (+ git, make, gcc, ca-certificates) into
#    $FRESH_DIR/base, once; later runs reuse it (delete it to start over).
# 2. copy the base to $FRESH_DIR/root, clone HEAD into /root/project there.
# 3. chroot in with /proc, /sys, /dev and a tmpfs /tmp, run COMMAND in /root/project.
#
# Settings: FRESH_DIR=/var/tmp/resmon-fresh-root   FRESH_CCACHE=1 (share ~/.cache/ccache:
# it holds compiler output, no packages; 0 = build everything cold)   FRESH_KEEP=1 (keep
# the root afterwards for a look inside)   FRESH_INCLUDE=git,make,gcc,ca-certificates (what
# debootstrap adds to minbase; a base made with another list is made again)
# FRESH_CLONE=0 (no clone: COMMAND runs in /root)   FRESH_BIND="HOST:GUEST[:ro] ..." (more
# directories bind-mounted into the root). scripts/deb-install-test.sh uses these three.
# The Debian mirror is the one this machine's apt uses; it is read from /etc/apt, never
# written into the project.
# Output goes to the terminal and to $FRESH_DIR/last.log; the exit status is COMMAND's,
# and the last line repeats the test summary ("N passed, M failed") when there is one.
set -euo pipefail

[ "$(id -u)" -eq 0 ] || { echo "fresh-root: must run as root (debootstrap, chroot)" >&2; exit 2; }
PROJECT=$(cd "$(dirname "$0")/.." && pwd)
TOP=${FRESH_DIR:-/var/tmp/resmon-fresh-root}
INCLUDE=${FRESH_INCLUDE-git,make,gcc,ca-certificates}
CLONE=${FRESH_CLONE:-1}
read -r -a BINDS <<< "${FRESH_BIND:-}"
BASE=$TOP/base
ROOT=$TOP/root
# The default is the README's two commands, each followed by how long it took (the
# README's first-contact figures are read off these lines).
TWO='t=$SECONDS; make run </dev/null; rc=$?; echo "fresh-root: make run: status $rc, $((SECONDS - t)) s"
[ $rc -eq 0 ] || exit $rc
t=$SECONDS; make check; rc=$?; echo "fresh-root: make check: status $rc, $((SECONDS - t)) s"; exit $rc'
CMD=${*:-$TWO}
T0=$(date +%s)
say() { echo "fresh-root: [$(( $(date +%s) - T0 ))s] $*"; }

command -v debootstrap >/dev/null || "$PROJECT/scripts/install-deps.sh"

mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '/^deb / && !/security/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || { echo "fresh-root: no Debian mirror found in /etc/apt" >&2; exit 2; }

mkdir -p "$TOP"
# .done holds the include list the base was made with (empty: a base made before it did,
# with the default list).
made=$(cat "$BASE/.done" 2>/dev/null || echo none)
[ -n "$made" ] || made=include=git,make,gcc,ca-certificates
if [ "$made" != "include=$INCLUDE" ]; then
	rm -rf --one-file-system "$BASE"
	say "debootstrap bookworm (minbase${INCLUDE:+ + $INCLUDE}) into $BASE, once (a few minutes; log: $TOP/debootstrap.log)"
	debootstrap --variant=minbase ${INCLUDE:+--include=$INCLUDE} \
		bookworm "$BASE" "$mirror" >"$TOP/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$TOP/debootstrap.log" >&2; exit 2; }
	# This machine's apt sources (security and updates too), so the root sees the same
	# package versions.
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		cp /etc/apt/sources.list.d/debian.sources "$BASE/etc/apt/sources.list.d/"
		: > "$BASE/etc/apt/sources.list"
	fi
	echo "include=$INCLUDE" > "$BASE/.done"
fi

# Unmounted in this order: the extra binds (they may lie below tmp) first.
mounts=()
for b in "${BINDS[@]}"; do
	g=${b#*:}
	mounts+=("${g%%:*}")
done
mounts+=(proc sys dev/pts dev tmp root/.cache/ccache)
cleanup() {
	local m
	for m in "${mounts[@]}"; do
		mountpoint -q "$ROOT/$m" 2>/dev/null && umount -l "$ROOT/$m" || true
	done
	# --one-file-system: should an unmount have failed, rm must never walk into the
	# host's /dev or /sys through it.
	[ "${FRESH_KEEP:-0}" = 1 ] || rm -rf --one-file-system "$ROOT"
}
trap cleanup EXIT
FRESH_KEEP=0 cleanup
cp -a "$BASE" "$ROOT"
WORKDIR=/root
if [ "$CLONE" = 1 ]; then
	say "new root $ROOT from the base; cloning $(git -C "$PROJECT" rev-parse --short HEAD) into /root/project"
	git clone -q "$PROJECT" "$ROOT/root/project"
	git -C "$ROOT/root/project" checkout -q "$(git -C "$PROJECT" rev-parse HEAD)"
	WORKDIR=/root/project
else
	say "new root $ROOT from the base"
fi
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true

mount -t proc proc "$ROOT/proc"
mount --rbind /sys "$ROOT/sys"
mount --bind /dev "$ROOT/dev"
mount --bind /dev/pts "$ROOT/dev/pts"
mount -t tmpfs -o size=8G tmpfs "$ROOT/tmp"
if [ "${FRESH_CCACHE:-1}" = 1 ]; then
	mkdir -p "$HOME/.cache/ccache" "$ROOT/root/.cache/ccache"
	mount --bind "$HOME/.cache/ccache" "$ROOT/root/.cache/ccache"
fi
for b in "${BINDS[@]}"; do
	host=${b%%:*} g=${b#*:}
	guest=${g%%:*}
	mkdir -p "$ROOT/$guest"
	mount --bind "$host" "$ROOT/$guest"
	[ "${g#*:}" != ro ] || mount -o remount,bind,ro "$ROOT/$guest"
done

say "running in the bare root (in $WORKDIR): ${*:-make run </dev/null && make check}"
set +e
chroot "$ROOT" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 ${CI:+CI=$CI} \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	bash -c "cd $WORKDIR && $CMD" 2>&1 | tee "$TOP/last.log"
rc=${PIPESTATUS[0]}
set -e
say "exit status $rc (log: $TOP/last.log)"
grep -E '^fresh-root: make (run|check):' "$TOP/last.log" || true
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$TOP/last.log" | tail -n 1 || true)
[ -z "$summary" ] || echo "$summary"
exit "$rc"
