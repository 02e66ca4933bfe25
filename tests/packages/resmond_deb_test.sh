#!/bin/sh
# resmond_deb_test: the Debian packages of build/deb/ (make deb), used as an administrator
# would, in a stock-kernel guest with no other resmond running (scripts/ebpf-tests.sh runs
# it last). They are unpacked into a scratch root, not installed: resmond starts as its
# unit's ExecStart says (with /etc/default/resmond's options), and the command, from the
# package, limits a process and says why it was killed. TAP; exit status 1 on a failure.
ROOT=${RESMON_ROOT:?run from scripts/ebpf-tests.sh}
R=/tmp/resmon-debroot
LOG=/tmp/resmond_deb_test.log
n=0 failed=0
result() { n=$((n + 1)); if [ "$1" = OK ]; then echo "ok $n - $2"; else failed=$((failed + 1)); echo "not ok $n - $2"; fi; }
check() { if eval "$2"; then result OK "$1"; else result FAIL "$1"; echo "# false: $2"; fi; }

rm -rf "$R"
for f in "$ROOT"/build/deb/resmon_*_amd64.deb "$ROOT"/build/deb/resmond_*_amd64.deb \
	 "$ROOT"/build/deb/libresmon1_*_amd64.deb; do
	dpkg-deb -x "$f" "$R" || result FAIL "unpack $f"
done
unit=$R/lib/systemd/system/resmond.service
check "the unit is in the resmond package" "[ -f $unit ]"
# ExecStart=/usr/sbin/resmond $RESMOND_OPTS, with the EnvironmentFile's RESMOND_OPTS.
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
RESMOND_OPTS=
. "$R/etc/default/resmond"
cmd=$(echo "$exec_start" | sed "s|^/|$R/|; s|\$RESMOND_OPTS|$RESMOND_OPTS|")
check "ExecStart names the packaged resmond" "[ -x ${cmd%% *} ]"
$cmd > "$LOG" 2>&1 &
daemon=$!
i=0
while [ $i -lt 300 ] && ! "$R/usr/bin/resmon" --version 2>/dev/null | grep -q 'edition: ebpf'; do
	sleep 0.1; i=$((i + 1))
done
check "the packaged resmond serves the packaged resmon (edition: ebpf)" \
	"$R/usr/bin/resmon --version | grep -q 'edition: ebpf'"
"$R/usr/bin/resmon" run --heap 8M -- resmon_test_hog --mmap-mib 32 --sleep 5 > /dev/null 2> /tmp/deb_run.err
st=$?
check "resmon run --heap 8M kills a 32 MiB mapper (137)" "[ $st -eq 137 ]"
check "and says it was resmon, naming heap" "grep -q 'killed by resmon.*heap' /tmp/deb_run.err"
sed 's/^/# stderr: /' /tmp/deb_run.err
"$R/usr/sbin/resmond" --stop > /dev/null 2>&1
wait $daemon
check "resmond --stop (the package's removal) ends it: exit 0, nothing pinned" \
	"[ $? -eq 0 ] && [ ! -e /sys/fs/bpf/resmon ]"
sed 's/^/# resmond: /' "$LOG"
echo "1..$n"
[ $failed -eq 0 ]
