#!/bin/bash
# make bench: build vmbridge.ko for Debian's stock 6.1 kernel, boot that
# kernel once under QEMU (TCG) and run the forwarding benchmark in it
# (bench/guest/bench.sh), then print the table (bench/report.py).
# Nothing is loaded into this machine's kernel.
#
# The guest's clock counts instructions by default (QEMU -icount, one
# vCPU): a rate is then packets per instruction executed, whatever else
# this machine runs meanwhile.  --wallclock measures real time instead
# (MTTCG, two vCPUs), which only means something on an otherwise idle host.
#
# usage: bench/run.sh [--smoke] [--wallclock] [--write] [--rounds N]
#                     [--secs S] [--tcp-rounds N] [--tcp-secs S]
#                     [--configs CFG,...] [--tcp-configs CFG,...]
#                     [--release LINE | --kernel BZIMAGE --initramfs BASE.cpio.gz]
#   --smoke      a few seconds a configuration: proves the benchmark works,
#                measures nothing (make check runs it on the test kernel)
#   --write      put the results into BENCHMARKS.md (between its markers)
#   --configs    only these packet-rate configurations (bench/guest/bench.sh
#                names them: floor br vmbr vmbrrate ... libvirt:64k vmbrnat:64k,
#                and libvirt:sp1k ... vmbrnat:sp64k, flows from as many
#                UDP source ports);
#                --tcp-configs the same for TCP (floor br vmbr vmbrrate brvlan
#                vmbrvlan libvirt vmbrnat); --tcp-rounds 0 leaves TCP out
#   --release    the stock Debian kernel of that line (default 6.1; 6.12
#                lets pktgen hand its packets over unshared: BENCHMARKS.md)
#   --kernel, --initramfs
#                boot this kernel with this harness initramfs (made by
#                tests/initramfs.sh for that kernel) instead of building
#                for Debian's 6.1
# Logs and results go to tests/logs/bench/ (a smoke run's to bench-smoke/).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=${VMBR_LOGS:-$top/tests/logs}/bench
smoke=0 write=0 wallclock=0 kernel= base= configs= tcp_configs= line=6.1
rounds=5 secs=2 tcp_rounds=2 tcp_secs=3 bigflows=65534
# The command that reproduces the run (--write only records it).
cmd=$(printf '%s ' "$@" | sed 's/--write //g; s/ $//')
cmd=${cmd:+bench/run.sh $cmd}
cmd=${cmd:-make bench}
usage() {
	echo "usage: bench/run.sh [--smoke] [--wallclock] [--write] [--rounds N] [--secs S]" \
	     "[--tcp-rounds N] [--tcp-secs S] [--configs CFG,...] [--tcp-configs CFG,...]" \
	     "[--release LINE | --kernel BZIMAGE --initramfs BASE.cpio.gz]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) smoke=1 ;;
	--wallclock) wallclock=1 ;;
	--write) write=1 ;;
	--rounds) rounds=$2; shift ;;
	--secs) secs=$2; shift ;;
	--tcp-rounds) tcp_rounds=$2; shift ;;
	--tcp-secs) tcp_secs=$2; shift ;;
	--configs) configs=$2; shift ;;
	--tcp-configs) tcp_configs=$2; shift ;;
	--release) line=$2; shift ;;
	--kernel) kernel=$2; shift ;;
	--initramfs) base=$2; shift ;;
	*) usage ;;
	esac
	shift
done
if [ $smoke = 1 ]; then
	out=$out-smoke	# a smoke run leaves a measured run's logs alone
	# Nothing is measured: real time on two vCPUs boots fastest.  Every
	# kind of system under test once (the Linux bridge within libvirt's).
	rounds=1 secs=0.5 tcp_rounds=1 tcp_secs=1 bigflows=256 wallclock=1
	configs=${configs:-floor,vmbr,vmbrvlan,libvirt:64k,vmbrnat:64k,vmbrnat:sp64k}
	tcp_configs=${tcp_configs:-floor,vmbrnat}
fi
mkdir -p "$out"

if [ -z "$kernel" ]; then
	{ read -r kernel; read -r base; } < <(bash bench/build.sh "$out" "$line")
fi
[ -f "$kernel" ] && [ -f "$base" ] || { echo "bench: no kernel or initramfs" >&2; exit 1; }
initrd=$out/initramfs-bench.cpio.gz
bash bench/initrd.sh "$base" "$initrd"

# init_on_alloc=0: Debian zeroes every allocation, with "rep stosb", which
# TCG runs one byte an instruction: a quarter of the floor's instructions
# would be that (BENCHMARKS.md), where hardware spends a few dozen cycles.
append="console=ttyS0 panic=-1 oops=panic tsc=reliable slab_nomerge init_on_alloc=0 loglevel=4"
append+=" rdinit=/bench/guest/init bench.rounds=$rounds bench.secs=$secs"
append+=" bench.tcp_rounds=$tcp_rounds bench.tcp_secs=$tcp_secs bench.bigflows=$bigflows"
[ -n "$configs" ] && append+=" bench.configs=$configs"
[ -n "$tcp_configs" ] && append+=" bench.tcp_configs=$tcp_configs"
qemu=(qemu-system-x86_64 -accel tcg -cpu max -m 2048 -nographic -no-reboot -nic none)
if [ $wallclock = 1 ]; then
	qemu+=(-smp 2)
else
	# 2^3 ns of guest time an instruction: about as fast as TCG runs here.
	qemu+=(-smp 1 -icount shift=3,sleep=off)
fi
qemu+=(-kernel "$kernel" -initrd "$initrd" -append "$append")
printf '%q ' "${qemu[@]}" > "$out/qemu-command"
echo >> "$out/qemu-command"

# Other QEMU guests on this machine share its cores: note how many ran.
others() { pgrep -c -f '^qemu-system' || true; }
echo "$(others) $(cut -d' ' -f1 /proc/loadavg)" > "$out/others"
( while sleep 20; do echo "$(others) $(cut -d' ' -f1 /proc/loadavg)" >> "$out/others"; done ) &
watch=$!
trap 'kill $watch 2>/dev/null || true' EXIT

limit=1500
[ $smoke = 1 ] && limit=600
echo "bench: booting $(basename "$kernel") under QEMU TCG$([ $wallclock = 1 ] || echo ", icount"):" \
     "$rounds rounds of $secs s a configuration" >&2
start=$(date +%s)
timeout --foreground -k 10 $limit "${qemu[@]}" < /dev/null > "$out/console.log" 2>&1 || true
kill $watch 2>/dev/null || true
elapsed=$(( $(date +%s) - start ))
echo "bench: the guest ran ${elapsed}s" >&2

# Our own QEMU is among those counted after the first sample.
max_others=$(awk 'NR == 1 { m = $1 } NR > 1 && $1 - 1 > m { m = $1 - 1 } END { print m + 0 }' "$out/others")
max_load=$(awk '$2 > m { m = $2 } END { print m + 0 }' "$out/others")
args=(--log "$out/console.log" --qemu-command "$out/qemu-command" --command "$cmd"
      --qemu-version "$(qemu-system-x86_64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')"
      --others "$max_others" --load "$max_load" --elapsed "$elapsed"
      --results "$out/results.md")
[ $smoke = 1 ] && args+=(--smoke)
[ $write = 1 ] && args+=(--write "$top/BENCHMARKS.md")
python3 bench/report.py "${args[@]}"
