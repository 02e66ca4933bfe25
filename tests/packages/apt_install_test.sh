#!/bin/bash
# apt_install_test.sh — run by scripts/deb-install-test.sh inside a bare Debian 12 root
# (debootstrap minbase) with the packages at /debs: install them as an administrator
# would, with apt and Debian 12's archive only, then use each. TAP on stdout.
set -u
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
bad() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
# check DESCRIPTION COMMAND...: one case; the command's output is shown when it fails.
check() {
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$what"; else bad "$what"; printf '%s\n' "$out" | sed 's/^/#   /' | tail -n 20; fi
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

# No Recommends: what the packages need must be in their Depends. gcc and pkg-config
# are the administrator's own choice of build tools, not the packages'.
check "apt-get update (Debian 12's archive)" apt-get -q update
check "apt-get install ./*.deb (resmon, libresmon1, libresmon-dev, resmond) with Debian 12's packages" \
	apt-get -q -y --no-install-recommends install /debs/resmon_*.deb /debs/libresmon1_*.deb /debs/libresmon-dev_*.deb /debs/resmond_*.deb gcc pkg-config
for p in resmon libresmon1 libresmon-dev resmond; do
	check "$p is installed" sh -c "dpkg-query -W -f='\${Status}' $p | grep -qx 'install ok installed'"
done

pkgver=$(dpkg-query -W -f='${Version}' resmon 2>/dev/null)
ver=$(resmon --version 2>&1 | head -n 1)
if [ -n "$pkgver" ] && [ "$(echo "$ver" | cut -d' ' -f1-2)" = "resmon $pkgver" ]; then
	ok "resmon --version is the package's version: $ver"
else
	bad "resmon --version ($ver) is the package's version ($pkgver)"
fi
check "resmon --help" sh -c 'resmon --help | grep -q "resmon"'
check "resmond is installed and executable" test -x /usr/sbin/resmond
if command -v man >/dev/null; then
	check "man -w resmon resmond libresmon" man -w resmon resmond libresmon
else
	# man-db is not in minbase: the pages must be where it would look.
	check "the man pages resmon(1), resmond(8), libresmon(3) are installed (no man-db here)" \
		test -f /usr/share/man/man1/resmon.1.gz -a -f /usr/share/man/man8/resmond.8.gz \
		-a -f /usr/share/man/man3/libresmon.3.gz
fi
check "pkg-config --cflags --libs libresmon" pkg-config --cflags --libs libresmon
# A program that needs only what libresmon-dev brings (its header's own includes).
cat > /tmp/uses_libresmon.c <<'C'
#include <resmon.h>

int main(void)
{
	return resmon_edition() ? 0 : 1;
}
C
check "a program compiles and links against libresmon-dev (pkg-config) and runs" \
	sh -c 'gcc -Wall -Werror -o /tmp/uses_libresmon /tmp/uses_libresmon.c $(pkg-config --cflags --libs libresmon) && /tmp/uses_libresmon'
check "the same program links statically against libresmon.a" \
	sh -c 'gcc -o /tmp/uses_libresmon_static /tmp/uses_libresmon.c $(pkg-config --cflags libresmon) /usr/lib/x86_64-linux-gnu/libresmon.a && /tmp/uses_libresmon_static'
check "resmond.service is installed and enabled (dh_installsystemd)" \
	test -f /lib/systemd/system/resmond.service -a -L /etc/systemd/system/multi-user.target.wants/resmond.service
if command -v systemd-analyze >/dev/null; then
	check "systemd-analyze verify resmond.service" systemd-analyze verify resmond.service
else
	skip "systemd-analyze verify resmond.service" "systemd is not in minbase (scripts/deb-tests.sh verifies it on the host)"
fi
check "apt-get remove --purge resmon resmond libresmon-dev libresmon1" \
	apt-get -q -y remove --purge resmon resmond libresmon-dev libresmon1
check "no file of the packages is left" sh -c '! ls /usr/bin/resmon /usr/sbin/resmond /usr/lib/x86_64-linux-gnu/libresmon* /usr/include/resmon.h 2>/dev/null'
echo "1..$n"
[ "$failed" -eq 0 ]
