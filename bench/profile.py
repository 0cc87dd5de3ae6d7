#!/usr/bin/env python3
"""Instructions per packet by function, from bench/profile.sh's run.

The windows insnprof wrote alternate: a measured one (a configuration
forwarding, as bench/guest/bench.sh measures it) and the change to the
next configuration.  Each block's
instructions go to the function its first instruction is in (System.map
and its modules, from the guest's /proc/kallsyms).
"""
import argparse
import bisect
import collections
import re


def symbols(console):
    syms = []
    for line in open(console, errors="replace"):
        m = re.search(r"BENCH-KSYM (\w+) (\w) (\S+)(?: \[(\w+)\])?", line)
        if m and m.group(2) in "tT":
            name = m.group(3) + (f" [{m.group(4)}]" if m.group(4) else "")
            syms.append((int(m.group(1), 16), name))
    syms.sort()
    return [a for a, _ in syms], [n for _, n in syms]


def windows(path):
    w, cur = {}, None
    for line in open(path):
        if line.startswith("# window"):
            cur = int(line.split()[2])
            w[cur] = []
        elif cur is not None:
            a, n, e = line.split()
            w[cur].append((-1 if a == "user" else int(a, 16), int(n), int(e)))
    return w


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--console", required=True)
    ap.add_argument("--windows", required=True)
    ap.add_argument("--top", type=int, default=30)
    a = ap.parse_args()
    addrs, names = symbols(a.console)
    runs = []
    for line in open(a.console, errors="replace"):
        m = re.search(r"BENCH-PROF cfg=(\S+) packets=(\d+)", line)
        if m:
            runs.append((m.group(1), int(m.group(2))))
    w = windows(a.windows)
    prof = {}
    for i, (cfg, packets) in enumerate(runs):
        per = collections.Counter()
        for addr, n, e in w.get(2 * i, []):
            j = bisect.bisect_right(addrs, addr) - 1
            name = names[j] if j >= 0 and addr >= 0xffff000000000000 else "(user space)"
            if addr == -1:
                name = "(user space)"
            per[name] += n * e
        prof[cfg] = ({k: v / max(packets, 1) for k, v in per.items()}, packets)

    print("instructions per packet (guest, all of it: pktgen, the veths, the "
          "system under test, the sink)\n")
    base = prof.get("floor")
    for cfg, (per, packets) in prof.items():
        total = sum(per.values())
        extra = f", {total - sum(base[0].values()):+.0f} over the floor" if base else ""
        print(f"== {cfg}: {total:.0f} per packet{extra} "
              f"({packets} packets handed to the sink in the window)")
        for name, v in sorted(per.items(), key=lambda x: -x[1])[:a.top]:
            print(f"  {v:8.1f}  {name}")
        print()
    if base:
        for cfg, (per, _) in prof.items():
            if cfg == "floor":
                continue
            diff = {k: per.get(k, 0) - base[0].get(k, 0)
                    for k in set(per) | set(base[0])}
            print(f"== {cfg} minus the floor, per packet "
                  f"(total {sum(diff.values()):+.0f})")
            for name, v in sorted(diff.items(), key=lambda x: -abs(x[1]))[:a.top]:
                if abs(v) >= 5:
                    print(f"  {v:+8.1f}  {name}")
            print()


if __name__ == "__main__":
    main()
