#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Turn resmon_bench RESULT/SPAWN lines (collected by bench/run.sh) into the results
table: printed, written to OUT/RESULTS.md, plotted to OUT/results.png with gnuplot."""

import argparse
import statistics
import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile

LOOPS = ["open1", "brk1", "mmap1", "mprotect1", "touch1", "fetch", "spawn1", "spawnexec1"]
CMP_LOOPS = ["open1", "brk1", "mmap1", "mprotect1", "touch1"]   # loops that also run on vanilla
# fork+exit and fork+exec+exit (issue 17): run on vanilla too, with N=0 only, so they have
# targets but stay out of the trend and minimum-window tables (built for the N cases).
SPAWN_LOOPS = ["spawn1", "spawnexec1"]
TARGET_LOOPS = CMP_LOOPS + SPAWN_LOOPS
# SMP mode: a per-op cost this many times vanilla's counts as a collapse. Plain TCG on a
# busy 2-core host moves single results by +-15%; serializing two workers on a lock
# would approach 2x.
COLLAPSE = 1.5


def parse(path):
    """-> results[(mode, label)][loop] = [ns_per_op per boot], the same for the
    minimum window (ICOUNT only), spawn info"""
    res, mins, spawn = {}, {}, {}
    with open(path) as f:
        for line in f:
            kind, _, rest = line.strip().partition(" ")
            kv = dict(p.split("=", 1) for p in rest.split() if "=" in p)
            mode, label, _rep = kv["tag"].split("/")
            if kind == "RESULT":
                d = res.setdefault((mode, label), {}).setdefault(kv["loop"], [])
                d.append(float(kv["ns_per_op"]))
                if "min_ns_per_op" in kv:
                    mins.setdefault((mode, label), {}).setdefault(kv["loop"], []).append(
                        float(kv["min_ns_per_op"]))
            elif kind == "SPAWN":
                spawn.setdefault(label, []).append((float(kv["fork_s"]), float(kv["register_s"]),
                                                    int(kv.get("register_slab_kib", -1)),
                                                    int(kv["others"])))
    return res, mins, spawn


def target(label, loop):
    """The issue's target for the ratio of this case to vanilla with the same N."""
    what, n = label.split(":")
    if loop == "fetch" or what == "vanilla":
        return None
    if n == "0":
        if what in ("none", "dropped"):
            # issue 16 asks 1.005 of the loops it adds; brk1/mmap1 keep the seed's 1.01
            return 1.01 if loop in ("brk1", "mmap1") else 1.005
        if what == "other":
            return None        # no target: shows what the patched-out branch saves
        return 1.02
    return 1.02 if loop == "open1" else 1.06


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--ns", default="1000 10000")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--smp-repeat", type=int, default=1)
    ap.add_argument("--mem", default="2G")
    ap.add_argument("--seconds", type=int, default=0)
    ap.add_argument("--smp-duration", default="")
    ap.add_argument("--smp-rounds", default="")
    ap.add_argument("--name", default="RESULTS.md", help="file written in --out")
    a = ap.parse_args()

    res, mins, spawn = parse(a.raw)
    ns = ["0"] + a.ns.split()
    # Within a boot each ICOUNT figure is the mean over the ~220 windows without a
    # timer tick. Across boots of one case, a boot now and then lands in another
    # allocator state: a minimum over boots would pick such a boot for one case and
    # not for its vanilla twin, so ICOUNT takes the MEDIAN boot. SMP mode, timed in
    # wall time on a shared host, keeps the best boot.
    def pick(d):
        return {k: {l: (statistics.median(v) if k[0] != "smp" else min(v))
                    for l, v in x.items()} for k, x in d.items()}
    best, best_min = pick(res), pick(mins)

    out = []
    p = out.append
    misses = []

    # ---- ICOUNT table
    rows = []
    for n in ns:
        for what in (["vanilla", "none", "dropped", "other", "self", "self+quota", "job", "tree"]
                     if n == "0"
                     else ["vanilla", "self", "self+quota"]):
            rows.append(f"{what}:{n}")
    desc = {"vanilla": "vanilla", "none": "resmon, nothing monitored",
            "dropped": "resmon, self monitored until 2 s before",
            "other": "resmon, another process monitored",
            "self": "resmon, self monitored", "self+quota": "resmon, self monitored + quota",
            "job": "resmon, self in a job with a data limit",
            "tree": "resmon, self in a tree job with a data limit"}

    def ratio(label, loop):
        n = label.split(":")[1]
        v = best.get(("icount", f"vanilla:{n}"), {}).get(loop)
        r = best.get(("icount", label), {}).get(loop)
        return None if v is None or r is None else r / v

    icount_rows = [r for r in rows if ("icount", r) in best]
    if icount_rows:
        p("### ICOUNT mode: cost per operation (guest ns = guest instructions), ratio to vanilla with the same N")
        p("")
        p("| case | others alive | " + " | ".join(LOOPS) + " |")
        p("|---|---:|" + "---:|" * len(LOOPS))
        for label in icount_rows:
            what, n = label.split(":")
            others = "0" if n == "0" else (f"{int(n):,} idle" if what == "vanilla"
                                           else f"{int(n):,} monitored")
            cells = []
            for loop in LOOPS:
                v = best[("icount", label)].get(loop)
                if v is None:
                    cells.append("—")
                    continue
                r = ratio(label, loop)
                t = target(label, loop)
                if r is None or what == "vanilla":
                    if what != "vanilla" and target(label, loop) is not None:
                        misses.append(f"{label} {loop}: no vanilla run with N={n} to compare with")
                    cells.append(f"{v:,.0f}")
                    continue
                ok = t is None or r <= t
                if not ok:
                    misses.append(f"{label} {loop}: {r:.4f} > {t} (by {100 * (r - t):.2f} points)")
                cells.append(f"{v:,.0f} ({r:.4f}{'' if ok else ' ✗'})")
            p(f"| {desc[what]} | {others} | " + " | ".join(cells) + " |")
        p("")
        p("Each cell: ns/op (ratio to the vanilla row with the same N). "
          "One op: open1 = open+close of a tmpfs file; brk1 = brk up one page and back; "
          "mmap1 = mmap+munmap of 128 KiB private anonymous; mprotect1 = a 256 KiB private "
          "anonymous writable mapping made PROT_READ and back (VmData down and up); touch1 = "
          "mmap 256 KiB private anonymous, write a byte in each page, munmap; fetch = one "
          "resmon fetch of self; spawn1 = fork, the child exits at once, waitpid; spawnexec1 = "
          "fork, the child executes the (static) benchmark again, which exits first thing, "
          "waitpid. 'Self in a job with a data limit': the benchmark made a job "
          "of itself (resmon_job_create) with a hard data limit of 1 TiB, never reached; "
          "its children are not in it. 'Self in a tree job': the same job with the tree "
          "flag, so every child of the spawn loops joins it at fork and leaves it at exit "
          "(the JOB lines' members_ever count them). "
          "✗ = over the issue's target. 'Self monitored until 2 s before': registered and "
          "deregistered, then two seconds for the deferred static key to patch the hooks out "
          "again (held to the nothing-monitored targets). 'Another process monitored': the "
          "hooks are on but this process has no record (no target; the difference from "
          "'nothing monitored' is what the patched-out branch saves).")
        p("")
        p("Targets (ratio to vanilla, same N): nothing monitored (now or for 2 s) open1, mprotect1, "
          "touch1, spawn1, spawnexec1 ≤ 1.005, brk1/mmap1 ≤ 1.01; self monitored with or without "
          "quota, and self in a job or a tree job with a data limit, ≤ 1.02; with 1,000 / "
          "10,000 others monitored open1 ≤ 1.02, brk1/mmap1 ≤ 1.06, no trend from 1,000 to "
          "10,000.")
        p("")
        job_vs_none(p, best)
        # trend
        big = [n for n in ns if n != "0"]
        if len(big) >= 2:
            lo, hi = big[0], big[-1]
            p(f"Trend from {int(lo):,} to {int(hi):,} monitored others (ratio at {int(hi):,} minus ratio at {int(lo):,}; "
              "'no trend' = at most +0.01):")
            p("")
            p("| case | " + " | ".join(CMP_LOOPS) + " |")
            p("|---|" + "---:|" * len(CMP_LOOPS))
            for what in ["self", "self+quota"]:
                cells = []
                for loop in CMP_LOOPS:
                    r1, r2 = ratio(f"{what}:{lo}", loop), ratio(f"{what}:{hi}", loop)
                    if r1 is None or r2 is None:
                        misses.append(f"trend {what} {loop}: missing runs")
                        cells.append("—")
                        continue
                    d = r2 - r1
                    if d > 0.01:
                        misses.append(f"trend {what} {loop}: {d:+.4f} from {lo} to {hi}")
                    cells.append(f"{d:+.4f}{'' if d <= 0.01 else ' ✗'}")
                p(f"| {desc[what]} | " + " | ".join(cells) + " |")
            p("")
        # The issue suggests the minimum window; it is shown here for comparison.
        p("The same ratios from the minimum window instead of the clean mean "
          "(the minimum picks the luckiest allocator phase, so it moves more between boots):")
        p("")
        p("| case | others alive | " + " | ".join(CMP_LOOPS) + " |")
        p("|---|---:|" + "---:|" * len(CMP_LOOPS))
        for label in icount_rows:
            what, n = label.split(":")
            if what == "vanilla":
                continue
            cells = []
            for loop in CMP_LOOPS:
                v = best_min.get(("icount", f"vanilla:{n}"), {}).get(loop)
                r = best_min.get(("icount", label), {}).get(loop)
                cells.append(f"{r / v:.4f}" if v and r else "—")
            p(f"| {desc[what]} | {int(n):,} | " + " | ".join(cells) + " |")
        p("")
        if a.repeat > 1:
            def spread_of(d):
                spread = {}
                for label in icount_rows:
                    for loop, v in d.get(("icount", label), {}).items():
                        if len(v) > 1:
                            s = (max(v) - min(v)) / min(v)
                            spread[loop] = max(spread.get(loop, 0), s)
                return ", ".join(f"{l} {100 * spread[l]:.2f}%" for l in LOOPS if l in spread)
            p(f"Repeatability: {a.repeat} fresh boots per case; the tables take the median boot. "
              f"Largest boot-to-boot difference within one case, over all cases: clean mean "
              f"{spread_of(res)}; minimum window {spread_of(mins)}.")
            p("")
        if spawn:
            sp = []
            mem = []
            for label in sorted(spawn, key=lambda s: (int(s.split(":")[1]), s)):
                f_, r_, _, _ = min(spawn[label])
                sp.append(f"{label}: fork {f_:.2f} s" + (f" + register {r_:.3f} s" if r_ else ""))
                if not label.startswith("vanilla"):
                    kib = [k for _, _, k, _ in spawn[label] if k >= 0]
                    n = spawn[label][0][3]
                    if kib and n:
                        k = statistics.median(kib)
                        mem.append(f"{n:,} records: {k:,.0f} KiB, {k * 1024 / n:.1f} bytes each")
            p("Setting up the other processes (guest time): " + "; ".join(sp) + ".")
            p("")
            if mem:
                p("Kernel memory of the records (growth of `Slab:` in /proc/meminfo while the others "
                  "were registered, median boot): " + "; ".join(dict.fromkeys(mem)) + ".")
                p("")

    # ---- stock kernels (eBPF edition): every mode named stock-* is one kernel
    for kern in sorted({m for m, _ in best if m.startswith("stock-")}):
        stock_table(p, misses, best, kern, a.repeat)

    # ---- SMP table
    smp = [(v, m) for v, m in [("threads", "threads"), ("procs", "procs")]
           if ("smp", f"vanilla:{v}") in best]
    if smp:
        p("### SMP mode: 2 vCPUs, plain TCG (wall time), 2 workers each running the loop")
        p("")
        p("| variant | loop | vanilla ns/op | resmon, monitored ns/op | ratio |")
        p("|---|---|---:|---:|---:|")
        for v, _ in smp:
            for loop in LOOPS:
                van = best.get(("smp", f"vanilla:{v}"), {}).get(loop)
                rm = best.get(("smp", f"self:{v}"), {}).get(loop)
                if rm is None:
                    continue
                vs = f"{van:,.0f}" if van else "—"
                rs = f"{rm / van:.3f}" if van else "—"
                if van and rm / van > COLLAPSE:
                    misses.append(f"SMP {v} {loop}: {rm / van:.3f} x vanilla (collapse threshold {COLLAPSE})")
                    rs += " ✗"
                p(f"| {v} | {loop} | {vs} | {rm:,.0f} | {rs} |")
        p("")
        p("ns/op = wall time × workers / operations done: the cost of one op on one worker, "
          f"best of {a.smp_rounds} rounds of {a.smp_duration} ms in each of {a.smp_repeat} boots. In the thread variant both "
          "threads share one mm (brk1 and mmap1 contend on mmap_lock in both kernels) and one "
          "resmon record; in the process variant each worker process registers itself. "
          "Plain TCG timing follows the host's load (single boots moved by up to "
          f"±15% on a busy 2-core host): read these as 'no collapse' (ratio ≤ {COLLAPSE}), "
          "not as precise ratios; ICOUNT mode gives the precise costs.")
        p("")

    table = "\n".join(out)
    print()
    print(table)
    if misses:
        print("Targets missed:\n  " + "\n  ".join(misses))
    else:
        print("All targets met.")

    png = plot(a, best, ns, icount_rows, smp)

    md = []
    m = md.append
    m("# resmon benchmark results")
    m("")
    m(f"Produced by `make bench` (bench/run.sh) on {datetime.date.today().isoformat()}, "
      f"host {platform.machine()}, {os.cpu_count()} CPUs, QEMU TCG; "
      f"whole run {a.seconds // 60} min {a.seconds % 60} s. One fresh VM boot per case. "
      f"ICOUNT mode: SMP=1, `-icount shift=0,sleep=off`, {a.mem} of guest memory in every case; "
      "each loop runs 300 windows of about 1 ms of guest time (a quarter of a timer tick "
      "at HZ=250), each window K ops between two `clock_gettime(CLOCK_MONOTONIC)` calls; "
      "a window in which `CLOCK_MONOTONIC_COARSE` moved had a tick in it and is set aside, "
      "and the cost is the mean over the other (clean) windows. The benchmark runs with "
      "address-space randomization off (`ADDR_NO_RANDOMIZE`), so that brk and mmap work on "
      "the same maple-tree shape in every boot. The other processes are forked by the "
      "benchmark and block in `read()` on a pipe; on resmon each is registered.")
    m("")
    m(table)
    if misses:
        m("**Targets missed:** " + "; ".join(misses) + ".")
    else:
        m("**All targets met.**")
    m("")
    if png:
        m("![ratios to vanilla and ns/op against the number of processes](results.png)")
        m("")
    m("<details><summary>Raw result lines</summary>")
    m("")
    m("```")
    with open(a.raw) as f:
        m(f.read().rstrip())
    m("```")
    m("</details>")
    with open(os.path.join(a.out, a.name), "w") as f:
        f.write("\n".join(md) + "\n")
    print(f"bench: wrote {os.path.join(a.out, a.name)}" + (f" and {png}" if png else ""))


def job_vs_none(p, best):
    """The job cases against resmon with nothing monitored: what the job itself costs on
    the patched kernel, apart from what the patch costs every process."""
    none = best.get(("icount", "none:0"))
    jobs = [(w, best.get(("icount", f"{w}:0"))) for w in ("job", "tree")]
    jobs = [(w, j) for w, j in jobs if j]
    if not jobs or not none:
        return
    p("The job cases against resmon with nothing monitored (what the job's accounting and "
      "checks cost, apart from what the patch costs every process; for the tree job's "
      "spawn loops, joining and leaving the job):")
    p("")
    p("| case | " + " | ".join(TARGET_LOOPS) + " |")
    p("|---|" + "---:|" * len(TARGET_LOOPS))
    for what, job in jobs:
        cells = []
        for loop in TARGET_LOOPS:
            j, n = job.get(loop), none.get(loop)
            cells.append(f"{j / n:.4f}" if j and n else "—")
        p(f"| resmon, self in a {'tree job' if what == 'tree' else 'job'} with a data limit / "
          "resmon, nothing monitored | " + " | ".join(cells) + " |")
    p("")


# Stock-kernel rows (eBPF edition, resmond): label -> (description, target on CMP_LOOPS).
# prlimit and cgroup are the peers, what a user would pick instead (no resmond, no target).
STOCK_ROWS = [
    ("base:0", "stock kernel, no resmond", None),
    ("none:0", "resmond running, nothing monitored", 1.005),
    ("other:0", "resmond, another process monitored", 1.05),
    ("self:0", "resmond, self monitored", 1.05),
    ("job:0", "resmond, self in a job with a data limit", 1.05),
    ("tree:0", "resmond, self in a tree job with a data limit", 1.05),
    ("prlimit:0", "peer: no resmond, `prlimit --data=1099511627776`", None),
    ("cgroup:0", "peer: no resmond, cgroup v2 with `memory.max` = 1 TiB, `pids.max` = 1,000,000",
     None),
    ("base:1000", "stock kernel, no resmond, 1,000 idle", None),
    ("selfcap:1000", "resmond, self capped, 1,000 others monitored", 1.05),
]


def stock_table(p, misses, best, kern, repeat):
    """One table per stock kernel: each case's ns/op and ratio to the same kernel
    without resmond and with the same number of other processes."""
    p(f"### {kern} (Debian's own kernel, eBPF edition): ICOUNT mode, ratio to {kern} without resmond, same N")
    p("")
    p("| case | " + " | ".join(LOOPS) + " |")
    p("|---|" + "---:|" * len(LOOPS))
    for label, desc, tgt in STOCK_ROWS:
        row = best.get((kern, label))
        if row is None:
            continue
        n = label.split(":")[1]
        base = best.get((kern, f"base:{n}"), {})
        cells = []
        for loop in LOOPS:
            v = row.get(loop)
            if v is None:
                cells.append("—")
                continue
            b = base.get(loop)
            if label.startswith("base") or not b:
                if tgt is not None and loop in TARGET_LOOPS:
                    misses.append(f"{kern} {label} {loop}: no base run with N={n} to compare with")
                cells.append(f"{v:,.0f}")
                continue
            r = v / b
            ok = tgt is None or loop not in TARGET_LOOPS or r <= tgt
            if not ok:
                misses.append(f"{kern} {label} {loop}: {r:.4f} > {tgt} (by {100 * (r - tgt):.2f} points)")
            # The issue: a job is never dearer than the cgroup a user would pick instead.
            cg = best.get((kern, "cgroup:0"), {}).get(loop)
            if label in ("job:0", "tree:0") and cg and v > cg:
                ok = False
                misses.append(f"{kern} {label} {loop}: {r:.4f} > the cgroup's {cg / b:.4f}")
            cells.append(f"{v:,.0f} ({r:.4f}{'' if ok else ' ✗'})")
        p(f"| {desc} | " + " | ".join(cells) + " |")
    p("")
    p(f"Median of {repeat} fresh boots per case. Targets on open1, brk1, mmap1, mprotect1, "
      "touch1, spawn1, spawnexec1: nothing monitored ≤ 1.005 (the programs are detached), "
      "every other case ≤ 1.05, and the job and the tree job never dearer than the cgroup "
      "(where the peer rows ran). The peers run without resmond, with the same 1 TiB never "
      "reached as the job's data limit: prlimit sets RLIMIT_DATA, checked in the same calls "
      "the job checks; the cgroup charges every page the loops fault in and every fork to "
      "its pids.max (bench/in-memory-cgroup.sh). No fetch "
      "loop: on this edition a fetch is a round trip to resmond.")
    p("")


def plot(a, best, ns, icount_rows, smp):
    if not shutil.which("gnuplot"):
        print("bench: gnuplot not installed (scripts/install-deps.sh), no plot", file=sys.stderr)
        return None
    if not icount_rows:
        return None
    png = os.path.join(a.out, "results.png")
    tmp = tempfile.mkdtemp()
    ratios = []
    # data 1: ratio per resmon case, one column per loop
    with open(f"{tmp}/ratio.dat", "w") as f:
        f.write("# case " + " ".join(CMP_LOOPS) + "\n")
        for label in icount_rows:
            if label.startswith("vanilla"):
                continue
            what, n = label.split(":")
            n_ = "0" if n == "0" else f"{int(n) // 1000}k"
            vals = []
            for loop in CMP_LOOPS:
                v = best.get(("icount", f"vanilla:{n}"), {}).get(loop)
                r = best.get(("icount", label), {}).get(loop)
                vals.append(f"{r / v:.5f}" if v and r else "NaN")
                ratios.append(r / v if v and r else float("nan"))
            short = {"none": "none", "dropped": "was", "other": "other", "self": "self",
                     "self+quota": "quota", "job": "job", "tree": "tree"}[what]
            f.write(f'"{short} {n_}" ' + " ".join(vals) + "\n")
    # data 2: ns/op against N for vanilla and resmon self monitored
    with open(f"{tmp}/n.dat", "w") as f:
        f.write("# N " + " ".join(f"van_{l} res_{l}" for l in CMP_LOOPS) + "\n")
        for n in ns:
            vals = []
            for loop in CMP_LOOPS:
                for what in ("vanilla", "self"):
                    v = best.get(("icount", f"{what}:{n}"), {}).get(loop)
                    vals.append(f"{v:.1f}" if v else "NaN")
            f.write(f"{n} " + " ".join(vals) + "\n")
    rs = [r for r in ratios if r == r] or [1.0]
    ylo, yhi = min(0.97, min(rs) - 0.01), max(1.08, max(rs) + 0.01)
    gp = f"""
set terminal pngcairo size 1400,520 font ",10"
set output "{png}"
set multiplot layout 1,2
set title "ICOUNT: resmon cost / vanilla cost, same number of processes (red: targets 1.02, 1.06)"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set key top left
set yrange [{ylo}:{yhi}]
set ylabel "ratio to vanilla"
set grid ytics
set arrow 1 from graph 0, first 1.0 to graph 1, first 1.0 nohead lw 2 lc rgb "black"
set arrow 2 from graph 0, first 1.02 to graph 1, first 1.02 nohead dt 2 lc rgb "red"
set arrow 3 from graph 0, first 1.06 to graph 1, first 1.06 nohead dt 3 lc rgb "red"
plot "{tmp}/ratio.dat" using 2:xtic(1) title "open1", '' using 3 title "brk1", '' using 4 title "mmap1", \\
     '' using 5 title "mprotect1", '' using 6 title "touch1"
unset arrow 1
unset arrow 2
unset arrow 3
set title "ICOUNT: ns/op against other processes alive (vanilla: idle; resmon: monitored)"
set style data linespoints
set yrange [*:*]
set ylabel "ns/op (guest instructions)"
set xlabel "other processes"
set key right center
set logscale x
set xrange [80:20000]
plot "{tmp}/n.dat" using ($1==0?100:$1):2 title "vanilla open1" lc 1 dt 2 pt 6, \\
     '' using ($1==0?100:$1):3 title "resmon open1" lc 1 pt 7, \\
     '' using ($1==0?100:$1):4 title "vanilla brk1" lc 2 dt 2 pt 6, \\
     '' using ($1==0?100:$1):5 title "resmon brk1" lc 2 pt 7, \\
     '' using ($1==0?100:$1):6 title "vanilla mmap1" lc 3 dt 2 pt 6, \\
     '' using ($1==0?100:$1):7 title "resmon mmap1" lc 3 pt 7
unset multiplot
"""
    # N=0 is drawn at x=100 on the log axis
    gp = gp.replace('set xrange [80:20000]',
                    'set xrange [70:20000]\nset xtics ("0" 100, "1,000" 1000, "10,000" 10000)')
    r = subprocess.run(["gnuplot"], input=gp, text=True, capture_output=True)
    shutil.rmtree(tmp, ignore_errors=True)
    if r.returncode:
        print("bench: gnuplot failed: " + r.stderr.strip(), file=sys.stderr)
        return None
    return png


if __name__ == "__main__":
    main()
