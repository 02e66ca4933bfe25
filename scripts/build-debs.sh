#!/bin/sh
# build-debs.sh — `make deb`: the binary packages of debian/ (resmon, libresmon1,
# libresmon-dev, resmond) with dpkg-buildpackage, from a copy of the tracked files (so the
# work tree's build/ and untracked files never reach a package), into build/deb/.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/build/deb
SRC=$OUT/src/resmon
rm -rf "$OUT"
mkdir -p "$SRC"
# The tracked files as they are in the work tree (uncommitted edits included).
git -C "$ROOT" ls-files -z | (cd "$ROOT" && xargs -0 cp --parents -t "$SRC")
echo "build-debs: dpkg-buildpackage -b in ${SRC#$ROOT/}"
(cd "$SRC" && dpkg-buildpackage -b -us -uc) > "$OUT/build.log" 2>&1 || {
	tail -40 "$OUT/build.log" >&2
	echo "build-debs: dpkg-buildpackage failed (log: ${OUT#$ROOT/}/build.log)" >&2
	exit 1
}
# dpkg-buildpackage writes next to the source directory.
mv "$OUT"/src/*.deb "$OUT"/src/*.changes "$OUT"/src/*.buildinfo "$OUT"/
rm -rf "$OUT/src"
for f in "$OUT"/*.deb; do
	echo "build-debs: ${f#$ROOT/} ($(du -k "$f" | cut -f1) KiB)"
done
