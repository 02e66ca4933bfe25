#!/usr/bin/env bash
# build-deb-kernel.sh — the kernel edition as Debian packages (`make deb-kernel`):
# linux-image and linux-headers .debs of Debian's own 6.1 source (linux-source-6.1) with
# resmon, configured exactly as Debian's image (the config of the pinned stock-6.1 package,
# config/stock-kernels.conf) plus CONFIG_RESMON=y. An administrator installs them on a
# real Debian 12 machine with `apt-get install ./linux-image-*.deb` and boots the kernel
# edition; resmon, libresmon1 and resmon's other packages (make deb) work on it unchanged.
#
# Not part of make check: Debian's config builds every module (about 4,000), which takes
# hours on a small machine (README, "The kernel edition as a package", has the figure).
# `make vm KERNEL=deb-resmon` then boots the packaged image with the modules of its own
# package (scripts/stock-kernel.sh unpacks it as it does Debian's), e.g.
#   make vm KERNEL=deb-resmon CMD='scripts/run-tests.sh resmon_'
#
# Output: build/deb-kernel/*.deb. Incremental like every kernel build here (ccache, the
# kernel's own make); the build log is build/kernel-deb/build.log.
set -euo pipefail
# make vm's KVM=1 switch (exported by the Makefile, empty when not given) is not the
# kernel's KVM: virt/kvm/Makefile.kvm sets KVM ?= ../../../virt/kvm, and any KVM in
# the environment, empty too, wins ("No rule to make target arch/x86/kvm//kvm_main.o"
# under Debian's config, which builds kvm.ko).
unset KVM

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=$ROOT/build/src/resmon
OBJ=$ROOT/build/kernel-deb
OUT=$ROOT/build/deb-kernel
LOG=$OBJ/build.log
T0=$(date +%s)
say() { echo "deb-kernel: [$(( $(date +%s) - T0 ))s] $*"; }

"$ROOT/scripts/install-deps.sh"
"$ROOT/scripts/prepare-tree.sh" resmon
# Debian's config: the one of the image linux-image-amd64 depends on.
"$ROOT/scripts/stock-kernel.sh" stock-6.1
debian_config=$ROOT/build/kernel-stock-6.1/config
debian_version=$(awk '{ print $2 }' "$ROOT/build/kernel-stock-6.1/package")

mkdir -p "$OBJ" "$OUT"
exec 9>"$ROOT/build/.kernel-build.lock"
flock -n 9 || { say "waiting for another kernel build to finish"; flock 9; }

cp "$debian_config" "$OBJ/.config"
# What differs from Debian's build, and why:
#  - RESMON: the point of the package.
#  - the trusted and revocation keys: Debian's config names its own certificate files,
#    which only its source package has; module signing itself stays on, with a key made
#    at build time (as any local build of Debian's config does).
"$SRC/scripts/config" --file "$OBJ/.config" --enable RESMON \
	--set-str SYSTEM_TRUSTED_KEYS "" --set-str SYSTEM_REVOCATION_KEYS ""
export CCACHE_BASEDIR=$ROOT CCACHE_NOHASHDIR=1
KMAKE=(make -C "$SRC" O="$OBJ" CC="ccache gcc" HOSTCC="ccache gcc" -j"$(nproc)")
"${KMAKE[@]}" olddefconfig >"$LOG" 2>&1
grep -q '^CONFIG_RESMON=y$' "$OBJ/.config" || { echo "deb-kernel: CONFIG_RESMON did not stick" >&2; exit 1; }

. "$ROOT/scripts/progress.sh"
say "make bindeb-pkg (Debian's config + CONFIG_RESMON=y; log: ${LOG#$ROOT/})"
# LOCALVERSION names the release 6.1.X-resmon (beside Debian's 6.1.0-N-amd64, never over
# it); the package version says which Debian kernel's config it follows.
if ! with_progress "make bindeb-pkg" "$OBJ" "$LOG" -- "${KMAKE[@]}" bindeb-pkg \
	LOCALVERSION=-resmon KDEB_PKGVERSION="${debian_version%%-*}-1+resmon1"; then
	grep -E 'error|Error' "$LOG" | tail -n 20 >&2
	exit 1
fi
# bindeb-pkg leaves the packages beside the object directory.
mv "$ROOT"/build/linux-*.deb "$ROOT"/build/linux-upstream*.buildinfo "$ROOT"/build/linux-upstream*.changes \
	"$OUT"/ 2>/dev/null || true
say "done: $(cd "$OUT" && ls *.deb | tr '\n' ' ')"
