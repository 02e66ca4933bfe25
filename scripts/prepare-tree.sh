#!/usr/bin/env bash
# prepare-tree.sh FLAVOR — make build/src/FLAVOR a ready-to-build kernel tree.
#
#   vanilla: Debian's linux-source-6.1 tarball, untouched (the baseline for benchmarks).
#   resmon:  the same + patches/*.patch (lines changed in upstream files)
#            + every file under linux/ copied to the same path (our new files).
#
# Incremental, because the kernel's make decides what to rebuild from mtimes:
#  - the tree is re-extracted only when the tarball or a patch changes (stamp = sha256s);
#  - an overlay file is copied only when its content differs, so unchanged files keep
#    their old mtime and a no-op `make` stays a no-op.
# Extraction goes to a temp dir that is renamed at the end: an interrupted run never
# leaves a half-extracted tree behind a valid stamp.
set -euo pipefail

FLAVOR=${1:?usage: prepare-tree.sh resmon|vanilla}
case $FLAVOR in resmon|vanilla) ;; *) echo "prepare-tree: unknown flavor '$FLAVOR'" >&2; exit 2;; esac

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARBALL=${LINUX_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
SRC=$ROOT/build/src/$FLAVOR
STAMP=$SRC.stamp              # sha256 of tarball + patches the tree was made from
TOUCHED=$SRC.touched          # files that patches/overlay changed (see below)

[ -f "$TARBALL" ] || { echo "prepare-tree: $TARBALL missing (run scripts/install-deps.sh)" >&2; exit 1; }

# Patches in order; the directory may be empty or missing early in the project.
PATCHES=()
if [ "$FLAVOR" = resmon ] && [ -d "$ROOT/patches" ]; then
	shopt -s nullglob
	PATCHES=("$ROOT"/patches/*.patch)
	shopt -u nullglob
fi

# Overlay file list, relative to linux/.
OVERLAY=()
if [ "$FLAVOR" = resmon ] && [ -d "$ROOT/linux" ]; then
	mapfile -t OVERLAY < <(cd "$ROOT/linux" && find . -type f ! -name '*~' ! -name '.*.swp' | sed 's|^\./||' | LC_ALL=C sort)
fi

want=$( { sha256sum "$TARBALL" | cut -d' ' -f1
	  for p in "${PATCHES[@]}"; do sha256sum "$p" | sed "s|$ROOT/||"; done; } )

# A file that left the overlay must disappear from the tree (or get its upstream
# content back): simplest correct answer is a fresh extraction.
overlay_gone=0
if [ -s "$SRC.overlay" ]; then
	while read -r f; do
		[ -f "$ROOT/linux/$f" ] || { overlay_gone=1; break; }
	done < "$SRC.overlay"
fi

if [ ! -d "$SRC" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ] || [ $overlay_gone = 1 ]; then
	echo "  TREE    extracting $(basename "$TARBALL") -> build/src/$FLAVOR"
	mkdir -p "$ROOT/build/src"
	tmp=$(mktemp -d "$ROOT/build/src/.tmp-$FLAVOR.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	tar -C "$tmp" -xf "$TARBALL"
	top=$tmp/linux-source-6.1
	for p in "${PATCHES[@]}"; do
		echo "  PATCH   ${p#$ROOT/}"
		patch -d "$top" -p1 --batch --forward --quiet < "$p" ||
			{ echo "prepare-tree: ${p#$ROOT/} does not apply" >&2; exit 1; }
	done
	# tar restores the tarball's (old) mtimes. A file our previous patches or overlay
	# changed but the new ones leave alone would look older than its object file and
	# not be rebuilt: touch it so make sees the change back to upstream.
	if [ -f "$TOUCHED" ]; then
		while read -r f; do [ -e "$top/$f" ] && touch "$top/$f"; done < "$TOUCHED"
	fi
	rm -rf "$SRC.old"
	[ -d "$SRC" ] && mv "$SRC" "$SRC.old"
	mv "$top" "$SRC"
	rm -rf "$SRC.old" "$tmp"
	trap - EXIT
	rm -f "$SRC.overlay"
	# Remember which files the patches change (their "+++ b/path" lines).
	for p in "${PATCHES[@]}"; do sed -n 's|^+++ [^/]*/\([^[:space:]]*\).*|\1|p' "$p"; done > "$SRC.patched"
	printf '%s\n' "$want" > "$STAMP"
fi

# Overlay: copy only what differs, so mtimes (and make) stay quiet otherwise.
n=0
for f in "${OVERLAY[@]}"; do
	if ! cmp -s "$ROOT/linux/$f" "$SRC/$f"; then
		mkdir -p "$(dirname "$SRC/$f")"
		cp "$ROOT/linux/$f" "$SRC/$f"
		n=$((n + 1))
	fi
done
[ $n -eq 0 ] || echo "  OVERLAY $n file(s) from linux/ -> build/src/$FLAVOR"
printf '%s\n' "${OVERLAY[@]}" | sed '/^$/d' > "$SRC.overlay"
sort -u "$SRC.patched" "$SRC.overlay" > "$TOUCHED"
