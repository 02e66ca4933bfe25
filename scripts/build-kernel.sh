#!/usr/bin/env bash
# build-kernel.sh FLAVOR [headers] — build build/kernel-FLAVOR/arch/x86/boot/bzImage.
#   "headers": configure (and for resmon install the UAPI headers) but build no bzImage.
#
#   resmon:  build/src/resmon  + config/vm.config                    (+ UAPI headers)
#   debug:   build/src/resmon  + config/vm.config + config/debug.config + config/bpf-lsm.config
#   lsm:     build/src/resmon  + config/vm.config + config/bpf-lsm.config (BTF, BPF-LSM)
#   vanilla: build/src/vanilla + config/vm.config (CONFIG_RESMON is dropped by kconfig)
#   uml:     build/src/resmon  + config/uml.config, ARCH=um: build/kernel-uml/linux
#
# Everything is incremental: the tree is re-extracted only when the tarball/patches change
# (prepare-tree.sh), .config is regenerated only when its inputs change, and the kernel's
# own make + ccache do the rest. A no-op run takes a few seconds. V=1 shows make output.
set -euo pipefail
# make vm's KVM=1 switch (exported by the Makefile, empty when not given) is not the
# kernel's KVM: virt/kvm/Makefile.kvm sets KVM ?= ../../../virt/kvm, and any KVM in
# the environment, empty too, wins ("No rule to make target arch/x86/kvm//kvm_main.o"
# under Debian's config, which builds kvm.ko).
unset KVM

FLAVOR=${1:-resmon}
WHAT=${2:-all}
case $FLAVOR in
resmon|debug|lsm|uml) TREE=resmon ;;
vanilla)          TREE=vanilla ;;
# Debian's own images are not built but fetched (make kernel KERNEL=stock-6.1 works too).
stock-*)          exec "$(dirname "$0")/stock-kernel.sh" "$FLAVOR" ;;
*) echo "build-kernel: unknown flavor '$FLAVOR' (resmon|debug|lsm|uml|vanilla|stock-6.1|stock-6.12)" >&2; exit 2 ;;
esac
ARCH=x86_64 IMAGE=bzImage IMAGE_PATH=arch/x86/boot/bzImage
[ "$FLAVOR" != uml ] || ARCH=um IMAGE=linux IMAGE_PATH=linux

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=$ROOT/build/src/$TREE
OBJ=$ROOT/build/kernel-$FLAVOR
LOG=$OBJ/build.log
FRAGS=("$ROOT/config/vm.config")
# BTF + BPF-LSM (resmon_lsm_test) in the debug kernel, which make check boots anyway, and
# in the lsm flavor, the quickest kernel that runs that test alone.
[ "$FLAVOR" = debug ] && FRAGS+=("$ROOT/config/debug.config")
[ "$FLAVOR" = debug ] || [ "$FLAVOR" = lsm ] && FRAGS+=("$ROOT/config/bpf-lsm.config")
[ "$FLAVOR" = uml ] && FRAGS=("$ROOT/config/uml.config")

# ccache in its default place (~/.cache/ccache) so every checkout and CI run on this
# machine share it; the kernel's make is told to use it for target and host compiles.
ccache -M 5G >/dev/null 2>&1 || true
# Hash paths relative to the checkout, so a clone in another folder (CI) hits the cache.
export CCACHE_BASEDIR=$ROOT CCACHE_NOHASHDIR=1
KMAKE=(make -C "$SRC" O="$OBJ" ARCH=$ARCH CC="ccache gcc" HOSTCC="ccache gcc" -j"$(nproc)")
[ "${V:-0}" = 1 ] && KMAKE+=(V=1)

T0=$(date +%s)
phase() { echo "  [$(( $(date +%s) - T0 ))s] $*"; }

# Only 2 cores here: two kernel builds at once would just thrash. Serialize.
mkdir -p "$ROOT/build" "$OBJ"
exec 9>"$ROOT/build/.kernel-build.lock"
flock -n 9 || { phase "waiting for another kernel build to finish"; flock 9; }

. "$ROOT/scripts/progress.sh"

# Run make quietly into the log, with a progress line every 30 s (or loudly with V=1);
# on failure show the errors.
run_make() {
	if [ "${V:-0}" = 1 ]; then
		"${KMAKE[@]}" "$@" 2>&1 | tee -a "$LOG"; return "${PIPESTATUS[0]}"
	fi
	if ! with_progress "make $*" "$OBJ" "$LOG" -- "${KMAKE[@]}" "$@"; then
		echo "build-kernel: 'make $*' failed for $FLAVOR; errors (full log: ${LOG#$ROOT/}):" >&2
		grep -E 'error|Error|undefined reference|warning: ' "$LOG" | tail -n 40 >&2 || tail -n 40 "$LOG" >&2
		return 1
	fi
}
: > "$LOG"

phase "prepare build/src/$TREE"
"$ROOT/scripts/prepare-tree.sh" "$TREE"

# .config depends on the fragments, the tree (patches add Kconfig symbols) and the
# overlay's Kconfig files. Regenerate only when one of them changes.
cfg_want=$( { sha256sum "${FRAGS[@]}" | sed "s|$ROOT/||"
	      cat "$SRC.stamp"
	      find "$ROOT/linux" -name 'Kconfig*' -type f -exec sha256sum {} + 2>/dev/null | sed "s|$ROOT/||" | sort || true; } )
if [ ! -f "$OBJ/.config" ] || [ "$(cat "$OBJ/.config.stamp" 2>/dev/null)" != "$cfg_want" ]; then
	phase "configure: tinyconfig + ${FRAGS[*]#$ROOT/}"
	run_make tinyconfig
	# -m: merge only; olddefconfig then fills in defaults and resolves dependencies.
	(cd "$SRC" && ./scripts/kconfig/merge_config.sh -m -O "$OBJ" "$OBJ/.config" "${FRAGS[@]}") >>"$LOG" 2>&1
	run_make olddefconfig

	# merge_config only warns when a symbol does not stick (unmet dependency, typo):
	# we fail instead, so a fragment never silently means less than it says.
	bad=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) sym=${line%%=*}; want_line=$line ;;
		"# CONFIG_"*" is not set") sym=${line#\# }; sym=${sym%% *}; want_line=$line ;;
		*) continue ;;
		esac
		if ! grep -qxF "$want_line" "$OBJ/.config"; then
			# CONFIG_RESMON exists only once the lead's Kconfig is in the resmon tree.
			if [ "$sym" = CONFIG_RESMON ] && ! grep -rqs 'config RESMON' "$SRC/kernel/resmon" "$SRC/init/Kconfig"; then
				[ "$TREE" = vanilla ] || echo "  note: CONFIG_RESMON not in this tree yet (no kernel/resmon/Kconfig)"
				continue
			fi
			have=$(grep -E "^$sym=|^# $sym is not set" "$OBJ/.config" || echo "absent")
			echo "build-kernel: wanted '$want_line', got '$have'" >&2
			bad=1
		fi
	done < <(cat "${FRAGS[@]}")
	[ $bad = 0 ] || { rm -f "$OBJ/.config.stamp"; exit 1; }
	printf '%s\n' "$cfg_want" > "$OBJ/.config.stamp"
fi

if [ "$WHAT" != headers ]; then
	phase "make $IMAGE (log: ${LOG#$ROOT/})"
	run_make "$IMAGE"
fi

if [ "$FLAVOR" = resmon ]; then
	# UAPI headers (incl. linux/resmon.h) for user/ and the selftests: build/kernel-resmon/usr/include
	phase "make headers_install -> ${OBJ#$ROOT/}/usr/include"
	run_make headers_install
fi

if [ "$WHAT" = headers ]; then phase "done (no $IMAGE)"; else phase "done: ${OBJ#$ROOT/}/$IMAGE_PATH"; fi
