#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# host_header_test: a program that includes the INSTALLED <resmon.h> compiles, links
# against the installed libresmon and runs, in every way a user may build it:
#   C99, C11, GNU C11 and C++ (g++), with -Wall -Wextra -Werror, without and with the resmon kernel's installed UAPI headers
#   (`make headers_install` output) on the include path, in both include orders.
# Installs with `make install DESTDIR=` into a temporary directory first.
#
#   KHDR=/path/to/usr/include sh tests/host_header_test.sh     (from user/)
#
# KHDR is required: without the installed UAPI headers half of the cases cannot run,
# and a test that quietly skips them is no test. Prints "N passed, M failed".
set -u
KHDR=${KHDR:-}
MAKE=${MAKE:-make}
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok()   { echo "ok   $1"; pass=$((pass + 1)); }
bad()  { echo "FAIL $1"; sed 's/^/     /' "$tmp/log" | head -n 15; fail=$((fail + 1)); }

if [ -z "$KHDR" ] || [ ! -f "$KHDR/linux/resmon.h" ]; then
	echo "FAIL installed UAPI headers: KHDR='$KHDR' has no linux/resmon.h (make selftests installs them)"
	echo "0 passed, 1 failed"
	exit 1
fi

if $MAKE -s install DESTDIR="$tmp/stage" PREFIX=/usr >"$tmp/log" 2>&1; then
	ok "make install DESTDIR=... PREFIX=/usr"
else
	bad "make install DESTDIR=... PREFIX=/usr"
	echo "$pass passed, $fail failed"
	exit 1
fi
inc=$tmp/stage/usr/include lib=$tmp/stage/usr/lib

# The program: both include orders, the ABI layout checked at compile time, one call.
for order in lib-only lib-first uapi-first; do
	{
		if [ $order = uapi-first ]; then echo '#include <linux/resmon.h>'; fi
		echo '#include <resmon.h>'
		if [ $order = lib-first ]; then echo '#include <linux/resmon.h>'; fi
		cat <<'C'
#include <stdio.h>
#include <stddef.h>
#include <string.h>
/* C99 has no static_assert: a negative array size fails the build instead. */
typedef char size_is_48[sizeof(struct per_proc_resource) == 48 ? 1 : -1];
typedef char quotas_defined_at_40[offsetof(struct per_proc_resource, quotas_defined) == 40 ? 1 : -1];
int main(void)
{
	struct per_proc_resource r;
	size_is_48 *a = NULL;
	quotas_defined_at_40 *b = NULL;

	memset(&r, 0, sizeof(r));
	(void)a;
	(void)b;
	r.heap_quota = RESMON_NO_LIMIT;
	printf("%d %s\n", resmon_available() >= 0 && r.heap_quota == -1,
	       resmon_op_name(RESMON_OP_CAP));
	return 0;
}
C
	} > "$tmp/$order.c"
done

# try DESC COMPILER FLAGS... : compile, link, run; the run must print "1 cap".
try() {
	desc=$1 cc=$2 src=$3
	shift 3
	if $cc "$@" -I"$inc" -o "$tmp/prog" "$src" -L"$lib" -lresmon -Wl,-rpath,"$lib" >"$tmp/log" 2>&1 &&
	   [ "$("$tmp/prog" 2>>"$tmp/log")" = "1 cap" ]; then
		ok "$desc"
	else
		bad "$desc"
	fi
}

for std in "gcc -std=c99" "gcc -std=c11" "gcc -std=gnu11" "g++ -std=c++11" "g++ -std=c++17"; do
	cc=${std%% *} flag=${std#* }
	src_ext=c
	[ "$cc" = g++ ] && src_ext=cc
	strict="-Wall -Wextra -Werror"
	for order in lib-only lib-first uapi-first; do
		[ $src_ext = c ] || cp "$tmp/$order.c" "$tmp/$order.$src_ext"
	done
	try "$std, no UAPI headers" "$cc" "$tmp/lib-only.$src_ext" "$flag" $strict
	for order in lib-first uapi-first; do
		try "$std, installed UAPI headers, $order" "$cc" "$tmp/$order.$src_ext" "$flag" $strict \
			-I"$KHDR"
	done
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
