#!/usr/bin/env bash
# stock-kernel.sh FLAVOR — make Debian 12's own kernel image FLAVOR (stock-6.1, stock-6.12;
# the packages are pinned in config/stock-kernels.conf) bootable by scripts/vm.sh; also
# deb-resmon, the kernel edition as `make deb-kernel` packages it.
# Idempotent and incremental: a second run with nothing changed does nothing and prints
# nothing. scripts/vm.sh calls it for every KERNEL=stock-* boot.
#
# It downloads the package (apt-get download, into build/stock-debs/), unpacks it without
# installing it (dpkg-deb -x), runs depmod on the unpacked modules (the .deb ships no
# modules.dep: Debian's postinst makes it) and builds the initramfs. It leaves, in
# build/kernel-FLAVOR/ (stable paths; other scripts and the eBPF edition rely on them):
#
#   vmlinuz            the signed bzImage, unmodified (symlink into pkg/boot/)
#   vmlinux            ELF image from it (the kernel tree's scripts/extract-vmlinux); its
#                      .BTF section is the kernel's BTF, for
#                      `bpftool btf dump file vmlinux format c`
#   vmlinux.h          exactly that dump: the CO-RE header pinned to this kernel
#   config             the image's kernel config (symlink into pkg/boot/)
#   modules/           the image's /lib/modules/RELEASE tree, with modules.dep (symlink)
#   release            the kernel release, as `uname -r` prints it in the guest
#   package            "PACKAGE VERSION" of the .deb it came from
#   cmdline            kernel arguments this image needs (lsm=..., see below)
#   initramfs.cpio     /init (scripts/initramfs-init.c, static) + the 9p boot modules
#   pkg/               the unpacked package itself
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
FLAVOR=${1:?usage: stock-kernel.sh stock-6.1|stock-6.12}
CONF=$ROOT/config/stock-kernels.conf
OUT=$ROOT/build/kernel-$FLAVOR
DEBS=$ROOT/build/stock-debs
# The modules the 9p root needs, by name; their dependencies come from modules.dep.
# A leaf built into the image (virtio_pci on 6.12) is skipped.
LEAVES=(virtio_pci 9pnet_virtio 9p)

say() { echo "stock-kernel: $FLAVOR: $*" >&2; }
die() { echo "stock-kernel: $FLAVOR: $*" >&2; exit 1; }

PKG=$(awk -v f="$FLAVOR" '$1 == f { print $2 }' "$CONF")
[ -n "$PKG" ] || die "not in ${CONF#$ROOT/} (flavors: $(awk '/^stock-/ { printf "%s ", $1 }' "$CONF"))"

# 1. The .deb. Any version apt offers of the pinned package (the name fixes the ABI), or,
# for a path (deb-resmon), the package this checkout built (make deb-kernel).
mkdir -p "$DEBS"
if [[ $PKG == */* ]]; then
	deb=$(ls -t "$ROOT"/$PKG 2>/dev/null | head -n 1 || true)
	[ -n "$deb" ] || die "no $PKG: build it first with make deb-kernel"
else
	deb=$(ls -t "$DEBS/${PKG}_"*.deb 2>/dev/null | head -n 1 || true)
fi
if [ -z "$deb" ]; then
	say "downloading $PKG"
	# The sandbox user _apt may not be able to write under build/: download as ourselves.
	# A fresh root may have no or stale package lists: refresh them once and retry.
	get() { (cd "$DEBS" && apt-get download -q -o APT::Sandbox::User="$(id -un)" "$PKG" >&2); }
	get || { apt-get update -q >&2 && get; } ||
		die "apt-get download $PKG failed (is $PKG still in Debian's archive? then update ${CONF#$ROOT/})"
	deb=$(ls -t "$DEBS/${PKG}_"*.deb | head -n 1)
fi

# 2. Unpacked, with modules.dep. The stamp is newer than the .deb once this finished.
if [ ! "$OUT/pkg/.unpacked" -nt "$deb" ]; then
	say "unpacking ${deb#$ROOT/}"
	rm -rf "$OUT"
	mkdir -p "$OUT/pkg"
	dpkg-deb -x "$deb" "$OUT/pkg"
	rel=$(cd "$OUT/pkg/lib/modules" && ls)
	[ "$(echo "$rel" | wc -w)" = 1 ] || die "expected one lib/modules/RELEASE in $PKG, found: $rel"
	say "depmod $rel"
	# (No -F System.map: Debian's is an 83-byte placeholder pointing to the -dbg package.)
	depmod -b "$OUT/pkg" "$rel"
	ln -s "pkg/boot/vmlinuz-$rel" "$OUT/vmlinuz"
	ln -s "pkg/boot/config-$rel" "$OUT/config"
	ln -s "pkg/lib/modules/$rel" "$OUT/modules"
	echo "$rel" > "$OUT/release"
	dpkg-deb -f "$deb" Package Version | awk '{ printf "%s%s", sep, $2; sep = " " } END { print "" }' \
		> "$OUT/package"
	touch "$OUT/pkg/.unpacked"
fi
rel=$(cat "$OUT/release")

# 3. vmlinux (ELF) and vmlinux.h. extract-vmlinux comes from the prepared kernel tree,
# else from Debian's linux-source-6.1 tarball (only that one file is unpacked).
if [ ! -s "$OUT/vmlinux" ] || [ "$OUT/vmlinux" -ot "$OUT/pkg/.unpacked" ]; then
	ev=$ROOT/build/src/resmon/scripts/extract-vmlinux
	if [ ! -x "$ev" ]; then
		ev=$ROOT/build/tools/extract-vmlinux
		if [ ! -x "$ev" ]; then
			say "taking scripts/extract-vmlinux from /usr/src/linux-source-6.1.tar.xz"
			mkdir -p "${ev%/*}"
			tar -xJOf /usr/src/linux-source-6.1.tar.xz linux-source-6.1/scripts/extract-vmlinux > "$ev.tmp"
			chmod +x "$ev.tmp" && mv "$ev.tmp" "$ev"
		fi
	fi
	say "extracting vmlinux"
	"$ev" "$OUT/vmlinuz" > "$OUT/vmlinux.tmp" || die "extract-vmlinux failed on ${OUT#$ROOT/}/vmlinuz"
	# The section list into a variable, not a pipe: grep -q quits at the first match,
	# and under pipefail readelf's SIGPIPE would then read as "no .BTF section".
	sections=$(readelf -S "$OUT/vmlinux.tmp") || die "readelf cannot read the extracted vmlinux"
	grep -q '\.BTF ' <<<"$sections" || die "the extracted vmlinux has no .BTF section"
	bpftool btf dump file "$OUT/vmlinux.tmp" format c > "$OUT/vmlinux.h.tmp"
	mv "$OUT/vmlinux.h.tmp" "$OUT/vmlinux.h"
	mv "$OUT/vmlinux.tmp" "$OUT/vmlinux"
fi

# 4. Kernel arguments. BPF-LSM on, in Debian's own LSM order: CONFIG_LSM, plus ",bpf" only
# if it is missing (it is there on both kernels today; lsm= makes it explicit).
lsm=$(sed -n 's/^CONFIG_LSM="\(.*\)"$/\1/p' "$OUT/config")
case ",$lsm," in *,bpf,*) ;; *) lsm=${lsm:+$lsm,}bpf ;; esac
# A name of this run's own: guests booted side by side prepare the same kernel at once.
echo "lsm=$lsm" > "$OUT/cmdline.tmp.$$"
cmp -s "$OUT/cmdline.tmp.$$" "$OUT/cmdline" 2>/dev/null && rm "$OUT/cmdline.tmp.$$" ||
	mv "$OUT/cmdline.tmp.$$" "$OUT/cmdline"

# 5. The initramfs: rebuilt when the init's source, this script or the modules change.
INIT_SRC=$ROOT/scripts/initramfs-init.c
INIT_BIN=$ROOT/build/bin/initramfs-init
mkdir -p "$ROOT/build/bin"
if [ ! "$INIT_BIN" -nt "$INIT_SRC" ]; then
	gcc -static -O2 -Wall -Wextra -Werror -o "$INIT_BIN" "$INIT_SRC"
fi
CPIO=$OUT/initramfs.cpio
if [ "$CPIO" -nt "$INIT_BIN" ] && [ "$CPIO" -nt "$0" ] && [ "$CPIO" -nt "$OUT/pkg/.unpacked" ]; then
	exit 0
fi
say "building initramfs.cpio"
moddir=$OUT/modules
# name -> path (relative to moddir), module names compared with - and _ alike.
# modname sets $name rather than printing it: a subshell per line of modules.dep
# (thousands) took minutes on a loaded machine.
modname() { name=${1##*/}; name=${name%%.ko*}; name=${name//-/_}; }
declare -A path_of deps_of builtin
while IFS= read -r line; do
	modname "${line%%:*}"
	path_of[$name]=${line%%:*}
	deps_of[$name]=${line#*:}
done < "$moddir/modules.dep"
while IFS= read -r line; do modname "$line"; builtin[$name]=1; done < "$moddir/modules.builtin"
# Depth-first, dependencies before the module that needs them, each once.
declare -A seen
order=()
visit() {
	local n=$1 d
	[ -z "${seen[$n]:-}" ] || return 0
	seen[$n]=1
	for d in ${deps_of[$n]}; do modname "$d"; visit "$name"; done
	order+=("${path_of[$n]}")
}
for leaf in "${LEAVES[@]}"; do
	n=${leaf//-/_}
	if [ -n "${path_of[$n]:-}" ]; then visit "$n"
	elif [ -n "${builtin[$n]:-}" ]; then :
	else die "module $leaf is neither in modules.dep nor in modules.builtin of $rel"
	fi
done
stage=$OUT/initramfs
rm -rf "$stage"
mkdir -p "$stage/modules" "$stage/dev" "$stage/proc" "$stage/root"
cp "$INIT_BIN" "$stage/init"
: > "$stage/modules/load"
for m in "${order[@]}"; do
	cp "$moddir/$m" "$stage/modules/"
	echo "${m##*/}" >> "$stage/modules/load"
done
(cd "$stage" && find . | LC_ALL=C sort | cpio --quiet -o -H newc --reproducible) > "$CPIO.tmp"
mv "$CPIO.tmp" "$CPIO"
say "initramfs: $(tr '\n' ' ' < "$stage/modules/load")($(du -k "$CPIO" | cut -f1) KiB)"
