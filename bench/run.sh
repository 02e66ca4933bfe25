#!/usr/bin/env bash
# run.sh — the resmon benchmark (what `make bench` runs).
#
# Boots ONE FRESH VM PER CASE (scripts/vm.sh) and runs bench/resmon_bench in it:
#
#   ICOUNT mode (SMP=1, -icount shift=0,sleep=off: guest ns = guest instructions),
#   loops open1, brk1, mmap1, mprotect1, touch1 (+ fetch on resmon when something is
#   monitored; + spawn1, spawnexec1, fork+exit and fork+exec+exit, with N=0):
#     N=0       vanilla | resmon, nothing monitored | resmon, self monitored then
#               deregistered 2 s before (hooks patched out again) | resmon, the parent
#               monitored (hooks on, self not monitored) | resmon, self monitored
#               | resmon, self monitored + unreachable quota
#               | resmon, self in a job with a data limit never reached (--job-data)
#               | resmon, self in a tree job with that limit: the spawn loops' children
#               join it and leave it (--job-tree)
#     N=1000, N=10000 other processes alive, idle, blocked on a pipe:
#               vanilla, N idle | resmon, N monitored + self monitored
#               | resmon, N monitored + self monitored + quota
#     Ratios are against the vanilla run with the SAME N.
#   SMP mode (SMP=2, plain TCG, wall time): 2 threads and 2 processes running the loop,
#     vanilla vs resmon with the benchmark process(es) monitored.
#   stock mode, per kernel in BENCH_STOCK (Debian's own kernels, the eBPF edition), ICOUNT:
#     N=0     no resmond | resmond, nothing monitored | resmond, the parent monitored
#             | resmond, self monitored | resmond, self in a job with a data limit
#             | resmond, self in a tree job with that limit
#             and, on the kernels in BENCH_PEERS, what a user would pick instead:
#             prlimit --data=BYTES (RLIMIT_DATA) | a cgroup v2 with memory.max=BYTES
#             and pids.max=PIDS (bench/in-memory-cgroup.sh; the spawn loops' peer);
#             BYTES = 1 TiB and PIDS = 1,000,000, never reached, as the job's
#     N=1000  no resmond, 1,000 idle | resmond, 1,000 monitored + self monitored + quota
#     Ratios are against the same stock kernel without resmond and the SAME N. resmond
#     runs under scripts/with-resmond.sh; resmon_bench registers through libresmon, so the
#     benchmark is the same binary as on the resmon kernel.
#
# Writes bench/RESULTS.md and bench/results.png (gnuplot), raw output under build/bench/.
#
# Settings (environment):
#   BENCH_NS="1000 10000"   numbers of other processes
#   BENCH_REPEAT=5          fresh boots per ICOUNT case; the table takes the median boot and
#                           RESULTS.md shows the boot-to-boot spread
#   BENCH_SMP_REPEAT=3      fresh boots per SMP case (best one counts)
#   The rounds are interleaved (every case once, then every case again), so a change
#   in the host's load hits both kernels alike.
#   BENCH_MODES="icount smp"  add "stock" for the stock kernels' rows (or run it alone:
#                           BENCH_MODES=stock writes RESULTS-stock.md, leaving RESULTS.md)
#   BENCH_STOCK="stock-6.1 stock-6.12"   the stock kernels of stock mode
#   BENCH_STOCK_NS=1000     other processes in stock mode's second group
#   BENCH_PEERS=stock-6.1   the stock kernels that also get the prlimit and cgroup rows
#   BENCH_ONLY=REGEX        only the cases whose "kernel:label" matches (e.g. 'stock-6.12:')
#   BENCH_MEM=2G            guest memory in ICOUNT mode (10,000 processes need ~1.5G of
#                           threads-max headroom; every ICOUNT case uses the same size)
#   BENCH_OUT=bench         where RESULTS.md and results.png go
#   BENCH_RAW=build/bench   where the raw output of every boot goes (emptied first)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
NS=${BENCH_NS-1000 10000}
REPEAT=${BENCH_REPEAT:-5}
SMP_REPEAT=${BENCH_SMP_REPEAT:-3}
MODES=${BENCH_MODES:-icount smp}
STOCK=${BENCH_STOCK:-stock-6.1 stock-6.12}
STOCK_NS=${BENCH_STOCK_NS:-1000}
PEERS=${BENCH_PEERS-stock-6.1}
# The data limit of the job case and of its peers: 1 TiB, in bytes, since util-linux
# 2.38's prlimit reads --data=4G as 4 bytes. Never reached: they measure the checks.
LIMIT_BYTES=1099511627776
# The cgroup peer's pids.max, for the spawn loops: never reached either (at most a few
# processes are alive at once).
LIMIT_PIDS=1000000
ONLY=${BENCH_ONLY:-.}       # a regex on "kernel:label": run only the matching cases
MEM=${BENCH_MEM:-2G}
OUT=${BENCH_OUT:-bench}
RAW=${BENCH_RAW:-$ROOT/build/bench}   # raw output of every boot
SMP_DURATION=${BENCH_SMP_DURATION:-400}
SMP_ROUNDS=${BENCH_SMP_ROUNDS:-5}

if [[ " $MODES " == *" icount "* ]] || [[ " $MODES " == *" smp "* ]]; then
	for k in vanilla resmon; do
		[ -f "build/kernel-$k/arch/x86/boot/bzImage" ] ||
			{ echo "bench: no build/kernel-$k; run: make kernel KERNEL=$k" >&2; exit 1; }
	done
fi
if [[ " $MODES " == *" stock "* ]]; then
	[ -x build/bin/resmond ] || { echo "bench: stock mode needs build/bin/resmond (make ebpf)" >&2; exit 1; }
fi
NAME=RESULTS.md
[ "$MODES" = stock ] && NAME=RESULTS-stock.md
make -s -C bench
rm -rf "$RAW"
mkdir -p "$RAW" "$OUT"

# ---- the case list: label kernel mode args --------------------------------------------
CASES=()
add() { CASES+=("$*"); }
if [[ " $MODES " == *" icount "* ]]; then
	# The spawn loops run with N=0 only: what a fork costs with thousands of others
	# alive is not resmon's (a fork touches no other process's record).
	L3=open1,brk1,mmap1,mprotect1,touch1 L4=$L3,fetch LS=spawn1,spawnexec1
	add "vanilla:0         vanilla icount --loop $L3,$LS"
	add "none:0            resmon  icount --loop $L3,$LS"
	add "dropped:0         resmon  icount --loop $L3 --monitored-before"
	add "other:0           resmon  icount --loop $L3,$LS --monitor-parent"
	add "self:0            resmon  icount --loop $L4,$LS --monitor"
	add "self+quota:0      resmon  icount --loop $L4 --monitor --quota"
	add "job:0             resmon  icount --loop $L3,$LS --job-data"
	add "tree:0            resmon  icount --loop $L3,$LS --job-tree"
	for n in $NS; do
		add "vanilla:$n    vanilla icount --loop $L3 --others $n"
		add "self:$n       resmon  icount --loop $L4 --others $n --monitor-others --monitor"
		add "self+quota:$n resmon  icount --loop $L4 --others $n --monitor-others --monitor --quota"
	done
fi
if [[ " $MODES " == *" stock "* ]]; then
	# No fetch loop: there it is a round trip to resmond (pidfd, /proc, a BPF iterator),
	# thousands of times an open's cost, and ICOUNT windows cannot hold one tick-free.
	L3=open1,brk1,mmap1,mprotect1,touch1 LS=spawn1,spawnexec1
	# "+resmond": the command runs under scripts/with-resmond.sh; "+prlimit" under
	# prlimit --data; "+cgroup" under bench/in-memory-cgroup.sh.
	for k in $STOCK; do
		add "base:0         $k stock --loop $L3,$LS"
		add "none:0         $k stock+resmond --loop $L3,$LS"
		add "other:0        $k stock+resmond --loop $L3 --monitor-parent"
		add "self:0         $k stock+resmond --loop $L3,$LS --monitor"
		add "job:0          $k stock+resmond --loop $L3,$LS --job-data"
		add "tree:0         $k stock+resmond --loop $L3,$LS --job-tree"
		if [[ " $PEERS " == *" $k "* ]]; then
			add "prlimit:0      $k stock+prlimit --loop $L3"
			add "cgroup:0       $k stock+cgroup  --loop $L3,$LS"
		fi
		for n in $STOCK_NS; do
			add "base:$n       $k stock --loop $L3 --others $n"
			add "selfcap:$n    $k stock+resmond --loop $L3 --others $n --monitor-others --monitor --quota"
		done
	done
fi
if [[ " $MODES " == *" smp "* ]]; then
	S="--duration $SMP_DURATION --rounds $SMP_ROUNDS"
	add "vanilla:threads   vanilla smp --loop open1,brk1,mmap1 --threads 2 $S"
	add "self:threads      resmon  smp --loop open1,brk1,mmap1,fetch --threads 2 --monitor $S"
	add "vanilla:procs     vanilla smp --loop open1,brk1,mmap1 --procs 2 $S"
	add "self:procs        resmon  smp --loop open1,brk1,mmap1,fetch --procs 2 --monitor $S"
fi

total=0
for c in "${CASES[@]}"; do
	read -r label kernel mode _ <<<"$c"
	[[ "$kernel:$label" =~ $ONLY ]] || continue
	if [ "$mode" != smp ]; then total=$((total + REPEAT)); else total=$((total + SMP_REPEAT)); fi
done

echo "bench: $total boots (one fresh VM per case; cases interleaved, $REPEAT rounds in ICOUNT mode, $SMP_REPEAT in SMP mode); raw output in ${RAW#$ROOT/}/"
T_START=$(date +%s)
i=0
failed=0
maxr=$(( REPEAT > SMP_REPEAT ? REPEAT : SMP_REPEAT ))
for r in $(seq 1 "$maxr"); do
	for c in "${CASES[@]}"; do
		read -r label kernel mode args <<<"$c"
		[[ "$kernel:$label" =~ $ONLY ]] || continue
		wrap=
		tagmode=$mode
		if [[ $mode == stock* ]]; then
			# one table per stock kernel: the tag's mode is the kernel
			tagmode=$kernel
			case $mode in
			stock+resmond) wrap="scripts/with-resmond.sh " ;;
			stock+prlimit) wrap="prlimit --data=$LIMIT_BYTES " ;;
			stock+cgroup) wrap="bench/in-memory-cgroup.sh --pids $LIMIT_PIDS $LIMIT_BYTES " ;;
			esac
		fi
		if [ "$mode" != smp ]; then
			[ "$r" -le "$REPEAT" ] || continue
			env=(KERNEL=$kernel ICOUNT=1 SMP=1 MEM=$MEM)
		else
			[ "$r" -le "$SMP_REPEAT" ] || continue
			env=(KERNEL=$kernel ICOUNT=0 SMP=2 MEM=1G)
		fi
		i=$((i + 1))
		tag="$tagmode/$label/$r"
		f="$RAW/$(echo "$tagmode-$label-$r" | tr ':+/' '__-').out"
		# pid_max: tinyconfig's BASE_SMALL makes it 4096; every kernel gets the same.
		cmd="echo 32768 > /proc/sys/kernel/pid_max && ${wrap}resmon_bench --tag $tag $args"
		t0=$(date +%s.%N)
		st=0
		env "${env[@]}" TIMEOUT=900 VM_QUIET_TIME=1 scripts/vm.sh "$cmd" > "$f" 2> "$f.err" || st=$?
		dt=$(echo "$(date +%s.%N) - $t0" | bc)
		spawn=$(sed -n 's/^SPAWN .*fork_s=\([0-9.]*\) register_s=\([0-9.]*\).*/, spawn \1 s + register \2 s (guest)/p' "$f")
		if [ $st = 0 ] && grep -q '^RESULT' "$f"; then
			printf '[%2d/%d] %-7s %-6s %-16s round %d: %5.1f s%s\n' $i $total "$kernel" "$mode" "$label" "$r" "$dt" "$spawn"
		else
			failed=$((failed + 1))
			printf '[%2d/%d] %-7s %-6s %-16s round %d: FAILED (status %d): %s\n' $i $total "$kernel" "$mode" \
				"$label" "$r" $st "$(grep -v '^\[' "$f.err" | tail -n 1)"
		fi
	done
done
T_END=$(date +%s)
echo "bench: $i boots in $((T_END - T_START)) s"

cat "$RAW"/*.out | grep -E '^(RESULT|SPAWN|JOB)' > "$RAW/all.txt" || true
python3 bench/report.py --raw "$RAW/all.txt" --out "$OUT" --ns "$NS" --repeat "$REPEAT" --smp-repeat "$SMP_REPEAT" \
	--mem "$MEM" --seconds $((T_END - T_START)) --smp-duration "$SMP_DURATION" --smp-rounds "$SMP_ROUNDS" --name "$NAME"
[ $failed = 0 ] || { echo "bench: $failed boot(s) failed" >&2; exit 1; }
