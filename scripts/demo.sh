#!/bin/sh
# demo.sh — what `make run` shows when there is no terminal: resmon at work in
# the guest, through the resmon command. Every step prints what it does; the
# kernel's own log lines ("resmon: killed process ...") appear between them.
HOG=resmon_test_hog	# opens files / grows heap on demand (user/tests/)
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "kernel $(uname -r) on $(nproc) CPUs; resmon $(resmon --version | cut -d' ' -f2)"

step "A process is registered, then its totals grow as it works"
$HOG --wait --files 3 --mmap-mib 2 --sleep 30 &
pid=$!
sleep 0.5
resmon register $pid
resmon status $pid
kill -USR1 $pid		# the hog now opens 3 files and maps 2 MiB
sleep 0.5
resmon status $pid
resmon list

step "Capping it below what it already used kills it at once (not the caller)"
resmon cap --files 2 $pid
wait $pid
echo "the process ended with status $? (128 + SIGKILL)"

step "resmon run: count a command from its first instruction"
resmon run -- sh -c 'cat /etc/hostname /etc/os-release > /dev/null'

step "resmon run --heap 4M: a command that maps 8 MiB is killed in the crossing call"
resmon run --heap 4M -- $HOG --mmap-mib 8
echo "resmon run exited with status $?"

step "resmon run --files 5: the sixth open is one too many"
resmon run --files 5 -- $HOG --files 10
echo "resmon run exited with status $?"

step "An unprivileged user cannot touch root's processes"
setpriv --reuid=65534 --regid=65534 --clear-groups resmon register 1
echo "exit status $?"
exit 0
