#!/usr/bin/env python3
"""Turn the benchmark guest's BENCH-* lines into the table of BENCHMARKS.md.

Every ratio is taken within a round (the configurations of one round ran
one after the other, seconds apart) and the median over the rounds is
reported, with the range of the per-round ratios: drift of the host
cancels, absolute rates under TCG mean little.
"""
import argparse
import datetime
import re
import statistics
import sys

# (key, label, anchor key)
PPS_ROWS = [
    ("floor", "floor: tc mirred redirect", None),
    ("br", "Linux bridge", None),
    ("vmbr", "vmbridge `bridge`", "br"),
    ("vmbrrate", "vmbridge `bridge`, rate-in far above the load", "vmbr"),
    ("brvlan", "Linux bridge, vlan_filtering", None),
    ("vmbrvlan", "vmbridge `bridge`, same VLANs", "brvlan"),
    ("brvxlan", "Linux bridge, vlan_tunnel over VXLAN", None),
    ("vmbrvxlan", "vmbridge `bridge`, uplink-vni over VXLAN", "brvxlan"),
    ("libvirt:1", "libvirt-style NAT, 1 flow", None),
    ("vmbrnat:1", "vmbridge `nat`, 1 flow", "libvirt:1"),
    ("libvirt:1k", "libvirt-style NAT, 1k flows", None),
    ("vmbrnat:1k", "vmbridge `nat`, 1k flows", "libvirt:1k"),
    ("libvirt:64k", "libvirt-style NAT, 64k flows", None),
    ("vmbrnat:64k", "vmbridge `nat`, 64k flows", "libvirt:64k"),
    ("libvirt:sp1k", "libvirt-style NAT, 1k source ports", None),
    ("vmbrnat:sp1k", "vmbridge `nat`, 1k source ports", "libvirt:sp1k"),
    ("libvirt:sp64k", "libvirt-style NAT, 64k source ports", None),
    ("vmbrnat:sp64k", "vmbridge `nat`, 64k source ports", "libvirt:sp64k"),
]
# pps row -> TCP configuration shown on it
TCP_OF = {"floor": "floor", "br": "br", "vmbr": "vmbr", "vmbrrate": "vmbrrate",
          "brvlan": "brvlan",
          "vmbrvlan": "vmbrvlan", "libvirt:1": "libvirt", "vmbrnat:1": "vmbrnat"}
TCP_ANCHOR = {"vmbr": "br", "vmbrrate": "vmbr", "vmbrvlan": "brvlan",
              "vmbrnat": "libvirt"}
L2 = {"floor", "br", "vmbr", "vmbrrate", "brvlan", "vmbrvlan", "brvxlan",
      "vmbrvxlan"}
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def kv(line):
    return dict(re.findall(r"(\w+)=(\S+)", line))


def flows_key(f):
    """The flows part of a NAT row's key: 1, 1k, 64k (destination ports
    varied), sp1k, sp64k (source ports varied; 1 flow is the same)."""
    n = int(f["flows"])
    if n == 1:
        return "1"
    sp = "sp" if f.get("vary") == "sport" else ""
    return sp + ("1k" if n == 1024 else "64k")


def parse(path):
    text = open(path, errors="replace").read().replace("\r", "")
    d = {"pps": {}, "tcp": {}, "mem": {}, "slab": {}, "warm": [], "err": [],
         "info": {}, "kernel": None, "done": "BENCH-DONE" in text}
    info = {}
    for line in text.splitlines():
        m = re.search(r"BENCH-(\w+) ?(.*)", line)
        if not m:
            continue
        tag, rest = m.groups()
        f = kv(rest)
        if tag == "START":
            d["kernel"] = f.get("kernel")
        elif tag == "INFO":
            info.update(f)
        elif tag == "PPS":
            cfg = f["cfg"]
            # The odd frame a bridge sends of its own may fall between the
            # two readings; the benchmark's packets may not go missing.
            if "handed" in f and abs(int(f["handed"]) - int(f.get("sink_counted", 0))) > \
                    max(2, int(f["handed"]) // 10000):
                d["err"].append(f"round {f['round']} {cfg} flows={f['flows']}: "
                                f"{f['handed']} handed to the sink, "
                                f"{f.get('sink_counted')} counted there")
            if cfg not in L2:
                cfg += ":" + flows_key(f)
            d["pps"].setdefault(cfg, {})[int(f["round"])] = (
                int(f["pps"]), int(f["offered"]))
        elif tag == "TCP":
            d["tcp"].setdefault(f["cfg"], {})[int(f["round"])] = (
                int(f["mbps"]), f.get("gso_in", "?"),
                int(f.get("uplink_mean_frame", 0)))
        elif tag == "MEM":
            d["mem"][f["cfg"]] = f
        elif tag == "SLAB":
            d["slab"][f["name"]] = (int(f["objsize"]), int(f["per_obj"]))
        elif tag == "WARM":
            d["warm"].append(f)
        elif tag == "ERR":
            d["err"].append(rest)
    d["info"] = info
    return d


def ratios(series, a, b):
    """Per-round a/b over the rounds both have."""
    sa, sb = series.get(a, {}), series.get(b, {})
    return [sa[r][0] / sb[r][0] for r in sorted(sa) if r in sb and sb[r][0] > 0]


def fmt_ratio(rs):
    if not rs:
        return "–"
    med = statistics.median(rs)
    if len(rs) == 1:
        return f"{med:.2f}x"
    return f"{med:.2f}x ({min(rs):.2f}-{max(rs):.2f})"


def med(series, key):
    v = [x[0] for x in series.get(key, {}).values()]
    return statistics.median(v) if v else None


def work(pps, key, ns_per_unit):
    """Per round: what a packet costs beyond the floor's, in guest ns
    (or instructions, under icount)."""
    s, f = pps.get(key, {}), pps.get("floor", {})
    return {r: (1e9 / s[r][0] - 1e9 / f[r][0]) / ns_per_unit
            for r in s if r in f and s[r][0] > 0 and f[r][0] > 0}


def table(d, ns_per_unit, unit):
    pps, tcp = d["pps"], d["tcp"]
    out = ["| configuration | pps (median) | x floor | x anchor | "
           f"{unit}/packet over the floor | "
           "TCP Mbit/s | TCP x floor | TCP x anchor |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for key, name, anchor in PPS_ROWS:
        m = med(pps, key)
        w = work(pps, key, ns_per_unit)
        row = [name, f"{m:,.0f}" if m else "–",
               fmt_ratio(ratios(pps, key, "floor")) if key != "floor" else "1",
               fmt_ratio(ratios(pps, key, anchor)) if anchor else "(anchor)",
               f"{statistics.median(w.values()):+,.0f}" if w and key != "floor" else "–"]
        t = TCP_OF.get(key)
        if t:
            tm = med(tcp, t)
            row += [f"{tm:,.0f}" if tm else "–",
                    fmt_ratio(ratios(tcp, t, "floor")) if t != "floor" else "1",
                    fmt_ratio(ratios(tcp, t, TCP_ANCHOR[t])) if t in TCP_ANCHOR
                    else "(anchor)"]
        else:
            row += ["", "", ""]
        out.append("| " + " | ".join(row) + " |")
    out.append("")
    out.append("Anchors: vmbridge `bridge` against the Linux bridge, the VLAN rows "
               "against the bridge with vlan_filtering, each `nat` row against "
               "libvirt-style NAT with as many flows.  In brackets: the lowest and "
               "highest per-round ratio.  Over the floor: what a packet costs "
               "beyond the floor's (1/pps - 1/pps of the floor, same round); the "
               "floor's own tc work, which every other configuration does without, "
               "is about 270 (6.1) to 450 (6.12) instructions (bench/profile.sh).")
    out.append("")
    out.append("| NAT scaling (same round) | 1k / 1 flow | 64k / 1 flow | "
               "1k source ports / 1 flow | 64k source ports / 1 flow |")
    out.append("|---|---:|---:|---:|---:|")
    for sys_, name in (("libvirt", "libvirt-style NAT"), ("vmbrnat", "vmbridge `nat`")):
        out.append(f"| {name} | {fmt_ratio(ratios(pps, sys_ + ':1k', sys_ + ':1'))} | "
                   f"{fmt_ratio(ratios(pps, sys_ + ':64k', sys_ + ':1'))} | "
                   f"{fmt_ratio(ratios(pps, sys_ + ':sp1k', sys_ + ':1'))} | "
                   f"{fmt_ratio(ratios(pps, sys_ + ':sp64k', sys_ + ':1'))} |")
    return out


def memory(d):
    out = ["| slab cache | object size | bytes per object in its slab |",
           "|---|---:|---:|"]
    for name in ("vmbr_nat_sess", "vmbr_nat_map", "vmbr_nat_peer", "nf_conntrack",
                 "vmbr_fdb_entry", "bridge_fdb_cache", "net_bridge_fdb_entry"):
        if name in d["slab"]:
            o, p = d["slab"][name]
            out.append(f"| {name} | {o} | {p} |")
    if d["mem"]:
        out += ["", "| NAT, after opening its flows | flows | sessions / conntrack entries "
                "| unreclaimable slab + vmalloc per flow |", "|---|---:|---:|---:|"]
        for cfg, name, count in (("libvirt", "libvirt-style NAT", "conntrack"),
                                 ("vmbrnat", "vmbridge `nat`", "vmbr_nat_sess")):
            f = d["mem"].get(cfg)
            if not f:
                continue
            n = int(f["delivered"]) or 1
            per = int(f["delta_kb"]) * 1024 / n
            out.append(f"| {name} | {f['flows']} | {f.get(count, '?')} | {per:.0f} bytes |")
    return out


def tcp_notes(d):
    out = []
    for cfg in ("libvirt", "vmbrnat"):
        s = d["tcp"].get(cfg, {})
        if s:
            gso = sorted({v[1] for v in s.values()})
            mean = statistics.median(v[2] for v in s.values())
            out.append(f"- {cfg}: GSO frames from the TAP: {', '.join(gso)}; "
                       f"mean frame leaving on the uplink: {mean:.0f} bytes")
    return out


def targets(d):
    pps, tcp = d["pps"], d["tcp"]

    def medr(a, b, series=pps):
        rs = ratios(series, a, b)
        return statistics.median(rs) if rs else None

    rows = [
        ("vmbridge `bridge` >= 1.2x Linux bridge", medr("vmbr", "br"), 1.2),
        ("vmbridge `bridge` >= 0.9x the floor", medr("vmbr", "floor"), 0.9),
        ("vmbridge VLAN >= 1.2x bridge vlan_filtering", medr("vmbrvlan", "brvlan"), 1.2),
        ("vmbridge over VXLAN >= 1.1x bridge vlan_tunnel", medr("vmbrvxlan", "brvxlan"), 1.1),
        ("a port's rate-in costs within 1.1x (>= 0.91x the same port without)",
         medr("vmbrrate", "vmbr"), 0.91),
        ("vmbridge `nat` >= 2x libvirt-style NAT, 1 flow", medr("vmbrnat:1", "libvirt:1"), 2.0),
        ("vmbridge `nat` >= 2x libvirt-style NAT, 1k flows", medr("vmbrnat:1k", "libvirt:1k"), 2.0),
        ("vmbridge `nat` >= 2x libvirt-style NAT, 64k flows", medr("vmbrnat:64k", "libvirt:64k"), 2.0),
        ("vmbridge `nat` at 64k flows >= 0.95x at 1 flow", medr("vmbrnat:64k", "vmbrnat:1"), 0.95),
        ("vmbridge `nat` at 64k source ports >= 0.9x at 1 flow",
         medr("vmbrnat:sp64k", "vmbrnat:1"), 0.9),
        ("vmbridge `nat` >= 1.5x libvirt-style NAT, 64k source ports",
         medr("vmbrnat:sp64k", "libvirt:sp64k"), 1.5),
        ("TCP through vmbridge `nat` from a TAP >= 1.0x libvirt-style NAT",
         medr("vmbrnat", "libvirt", tcp), 1.0),
    ]
    out = ["| target | measured | |", "|---|---:|---|"]
    for name, v, want in rows:
        if v is None:
            out.append(f"| {name} | – | not measured |")
        else:
            out.append(f"| {name} | {v:.2f}x | {'met' if v >= want else 'MISSED'} |")
    if "vmbr_nat_sess" in d["slab"]:
        o, p = d["slab"]["vmbr_nat_sess"]
        out.append(f"| <= 128 bytes per NAT session | {p} bytes (object {o}) | "
                   f"{'met' if p <= 128 else 'MISSED'} |")
    return out


def smoke_check(d):
    """Every configuration the guest ran forwarded something."""
    bad = list(d["err"])
    if not d["done"]:
        bad.append("the guest did not finish")
    info = d["info"]
    for key in filter(None, info.get("configs", "").split(",")):
        if key not in L2 and ":" not in key:
            key += ":1k"
        if not any(v[0] > 0 for v in d["pps"].get(key, {}).values()):
            bad.append(f"no packets through {key}")
    if int(info.get("tcp_rounds", "0")):
        for cfg in filter(None, info.get("tcp_configs", "").split(",")):
            if not any(v[0] > 0 for v in d["tcp"].get(cfg, {}).values()):
                bad.append(f"no TCP through {cfg}")
    if not info.get("configs"):
        bad.append("the guest ran nothing")
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--qemu-command")
    ap.add_argument("--command", default="make bench")
    ap.add_argument("--others", default="0")
    ap.add_argument("--load", default="?")
    ap.add_argument("--elapsed", default="?")
    ap.add_argument("--results")
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--write")
    ap.add_argument("--qemu-version", default="?")
    a = ap.parse_args()
    d = parse(a.log)

    if a.smoke:
        bad = smoke_check(d)
        for b in bad:
            print(f"bench smoke: {b}")
        print("bench smoke: " + ("FAILED" if bad else
              f"every configuration forwarded ({a.elapsed} s)"))
        sys.exit(1 if bad else 0)

    info = d["info"]
    qcmd = open(a.qemu_command).read().strip() if a.qemu_command else "?"
    others = int(a.others)
    m = re.search(r"-icount (shift=(\d+)\S*)", qcmd)
    smp = re.search(r"-smp (\d+)", qcmd)
    if m:
        mode = (f"TCG, `-cpu max -smp {smp.group(1) if smp else '?'} -icount {m.group(1)}`: "
                f"the guest's clock counts instructions ({2 ** int(m.group(2))} ns "
                "each), so a rate is packets per instruction executed")
    else:
        mode = (f"TCG (MTTCG), `-cpu max -smp {smp.group(1) if smp else '?'}`, "
                "wall-clock time")
    lines = [
        f"Measured {datetime.date.today().isoformat()} with `{a.command}` "
        f"({a.elapsed} s in the guest).",
        "",
        f"- kernel: Debian {d['kernel']} (stock), vmbridge.ko built against its headers",
        f"- QEMU {a.qemu_version}: {mode}; guest clocksource "
        f"{info.get('clocksource', '?')}; {info.get('rounds')} rounds of "
        f"{info.get('secs')} s per configuration, alternated; TCP: "
        f"{info.get('tcp_rounds')} rounds of iperf3 -t {info.get('tcp_secs')} -O 1",
        f"- other QEMU guests running on this 2-core host during the run: "
        f"{others if others else 'none'} (highest 1-minute load {a.load})",
        "- pktgen " + ("hands every packet over unshared (`flag !SHARED`)"
                       if info.get("pktgen_shared") == "no" else
                       "keeps a reference to every packet it sends (this kernel's pktgen "
                       "has no `!SHARED`): each rx_handler clones it, and a NAT copies "
                       "its header before writing (see BENCHMARKS.md)"),
        f"- 64k flows = {info.get('bigflows')} UDP flows; conntrack: "
        f"{info.get('conntrack_buckets')} buckets, nf_conntrack_max raised to "
        f"{info.get('conntrack_max')}",
        "",
    ]
    if m:
        lines += table(d, 2 ** int(m.group(2)), "instructions")
    else:
        lines += table(d, 1, "guest ns")
    lines += ["", "Memory (slab_nomerge, so every cache keeps its name):", ""]
    lines += memory(d)
    notes = tcp_notes(d)
    if notes:
        lines += ["", "TCP through the NATs:"] + notes
    lines += ["", "Targets (ratios from this run):", ""] + targets(d)
    warm = [w for w in d["warm"] if int(w["delivered"]) < int(w["flows"])]
    if warm:
        lines += ["", "Warm-up passes that lost packets (flows opened with one "
                  "packet each; the measured interval came after):"]
        lines += [f"- round {w['round']} {w['cfg']}: {w['delivered']} of {w['flows']}"
                  for w in warm[:12]]
    if d["err"]:
        lines += ["", "Errors:"] + [f"- {e}" for e in d["err"][:20]]
    if not d["done"]:
        lines += ["", "**The guest did not finish: the results are partial.**"]
    lines += ["", "QEMU command:", "", "```", qcmd, "```"]
    text = "\n".join(lines) + "\n"
    print(text)
    if a.results:
        open(a.results, "w").write(text)
    if a.write:
        doc = open(a.write).read()
        if BEGIN in doc and END in doc:
            pre, rest = doc.split(BEGIN, 1)
            _, post = rest.split(END, 1)
            open(a.write, "w").write(pre + BEGIN + "\n" + text + END + post)
        else:
            print(f"report: no {BEGIN} ... {END} in {a.write}", file=sys.stderr)
    sys.exit(0 if d["done"] else 1)


if __name__ == "__main__":
    main()
