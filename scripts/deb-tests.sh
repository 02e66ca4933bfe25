#!/bin/sh
# deb-tests.sh — the Debian packages of build/deb/ (make deb), checked on the host:
#   1. lintian --fail-on error (remaining warnings are overridden in debian/*.lintian-overrides,
#      each with its reason);
#   2. each package holds exactly the files tests/packages/PACKAGE.contents lists (besides
#      /usr/share/doc), and libresmon-dev a man page link for every exported function;
#   3. bpf/vmlinux.h.xz is scripts/gen-vmlinux-h.sh's dump of the pinned kernel;
#   4. the packages unpacked into a scratch root: a program builds with
#      `pkg-config --cflags --libs libresmon` and runs; resmon --version and the manual
#      pages say the package's version; the unit passes `systemd-analyze verify`.
# The guest half (resmond started as the unit's ExecStart says, the CLI smoke from the
# installed files) is scripts/deb-guest-tests.sh, run in the stock-kernel guests.
# TAP-like lines and "N passed, M failed" as the other host tests print.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEB=$ROOT/build/deb
EXP=$ROOT/tests/packages
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

ls "$DEB"/*.changes >/dev/null 2>&1 || { bad "no packages in build/deb (make deb)"; echo "0 passed, 1 failed"; exit 1; }

if lintian --fail-on error "$DEB"/*.changes > "$DEB/lintian.log" 2>&1; then
	ok "lintian: no error ($(grep -c '^W:' "$DEB/lintian.log") warnings)"
else
	bad "lintian:"; grep '^E:' "$DEB/lintian.log"
fi

funcs=$(sed -n 's/^[[:space:]]*\(resmon_[a-z_]*\);.*/\1/p' "$ROOT/user/lib/libresmon.map")
for pkg in resmon libresmon1 libresmon-dev resmond; do
	f=$(ls "$DEB/${pkg}"_*_amd64.deb 2>/dev/null | head -1)
	[ -n "$f" ] || { bad "$pkg: no package"; continue; }
	want=$( { grep -v '^#' "$EXP/$pkg.contents"
		  [ "$pkg" = libresmon-dev ] && for n in $funcs; do echo "usr/share/man/man3/$n.3.gz"; done
		} | sort)
	have=$(dpkg-deb -c "$f" | awk '$1 !~ /^d/ { sub(/^\.\//, "", $6); print $6 }' |
	       grep -v '^usr/share/doc/' | sort)
	if [ "$want" = "$have" ]; then
		ok "$pkg: contents ($(echo "$have" | wc -l) files)"
	else
		bad "$pkg: contents differ (< expected, > in the package):"
		printf '%s\n' "$want" > "$DEB/want.txt"; printf '%s\n' "$have" > "$DEB/have.txt"
		diff "$DEB/want.txt" "$DEB/have.txt" | grep '^[<>]'
	fi
done

# A user's view of the installed files, without installing them on this machine.
R=$DEB/root
rm -rf "$R"
for f in "$DEB"/*_amd64.deb; do dpkg-deb -x "$f" "$R"; done
lib=$R/usr/lib/x86_64-linux-gnu
if flags=$(PKG_CONFIG_SYSROOT_DIR=$R PKG_CONFIG_LIBDIR=$lib/pkgconfig \
	   pkg-config --cflags --libs libresmon) &&
   cc -o "$DEB/hello" "$EXP/hello.c" $flags && LD_LIBRARY_PATH=$lib "$DEB/hello" | grep -q '^edition: '; then
	ok "a program builds and runs with pkg-config --cflags --libs libresmon ($flags)"
else
	bad "pkg-config build of tests/packages/hello.c"
fi
# One version (debian/changelog, which user/Makefile reads): the command says the
# package's, and so does every manual page that names a resmon version.
pkgver=$(dpkg-deb -f "$(ls "$DEB"/resmon_*_amd64.deb | head -1)" Version)
said=$("$R/usr/bin/resmon" --version | head -n 1)
if [ "${said%% (*}" = "resmon $pkgver" ]; then
	ok "installed resmon --version says the package's version ($said)"
else
	bad "installed resmon --version says \"$said\", the package is $pkgver"
fi
stale=$(for m in "$R"/usr/share/man/man*/*.gz; do
	[ -L "$m" ] || zcat "$m" | sed -n '/^\.TH/{/"resmon [0-9]/p;q}' | grep -v "\"resmon $pkgver\"" |
		sed "s|^|${m#$R/}: |"
done)
if [ -z "$stale" ]; then
	ok "every manual page naming a resmon version names $pkgver"
else
	bad "manual pages with another version than $pkgver:"; echo "$stale"
fi
# In the scratch root: ExecStart's binary must be there; the targets it names are the
# host's business (--recursive-errors=no), and the man pages are checked above.
if systemd-analyze verify --man=no --recursive-errors=no --root="$R" \
	"$R/lib/systemd/system/resmond.service" > "$DEB/verify.log" 2>&1 && ! [ -s "$DEB/verify.log" ]; then
	ok "systemd-analyze verify resmond.service"
else
	bad "systemd-analyze verify resmond.service:"; cat "$DEB/verify.log"
fi
# The header the packages' BPF object was built against is what the script makes of the
# pinned kernel (a hand edit, or a new pin without a regeneration, fails here).
if "$ROOT/scripts/gen-vmlinux-h.sh" --check; then
	ok "bpf/vmlinux.h.xz is the BTF dump of the pinned stock 6.1 kernel"
else
	bad "bpf/vmlinux.h.xz is not the BTF dump of the pinned stock 6.1 kernel"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
