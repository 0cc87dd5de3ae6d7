#!/bin/bash
# Where the instructions of a packet go, function by function: boot Debian's
# 6.1 kernel under QEMU TCG with the insnprof plugin (bench/profile/), let
# each configuration named forward for SECS seconds, and print the guest
# instructions per packet of each, by function, and what each costs more
# than the floor.  Instruction counts, not time: no cache or TLB effects.
# The kernel command line is bench/run.sh's (init_on_alloc=0 included).
#
# usage: bench/profile.sh [--secs SECS] [--release LINE |
#                          --kernel BZIMAGE --initramfs BASE.cpio.gz] CONFIG...
#   CONFIG: floor br vmbr brvlan vmbrvlan libvirt:1 vmbrnat:1 libvirt:1k ...
#           (as in bench/guest/bench.sh)
# Output and logs in tests/logs/bench-profile/.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=${VMBR_LOGS:-$top/tests/logs}/bench-profile
secs=2 line=6.1 kernel= base=
while [ $# -gt 0 ]; do
	case $1 in
	--secs) secs=$2; shift 2 ;;
	--release) line=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--initramfs) base=$2; shift 2 ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: bench/profile.sh [--secs SECS] [--release LINE | --kernel BZIMAGE --initramfs BASE.cpio.gz] CONFIG..." >&2; exit 2; }
configs=$(IFS=,; echo "$*")
mkdir -p "$out"

if [ -z "$kernel" ]; then
	{ read -r kernel; read -r base; } < <(bash bench/build.sh "$out" "$line")
fi
cc -O2 -Wall -Wextra -shared -fPIC -fvisibility=hidden \
	-o "$out/insnprof.so" bench/profile/insnprof.c
cc -O2 -static -nostdlib -o "$out/mark" bench/profile/mark.c
bash bench/initrd.sh "$base" "$out/initramfs-bench.cpio.gz" "$out/mark"
rel=$(basename "$kernel")

echo "profile: booting $rel with insnprof: $configs, $secs s each" >&2
timeout --foreground -k 10 1200 qemu-system-x86_64 -accel tcg -cpu max -smp 1 \
	-m 2048 -nographic -no-reboot -nic none \
	-plugin "$out/insnprof.so,out=$out/windows.txt" \
	-kernel "$kernel" -initrd "$out/initramfs-bench.cpio.gz" \
	-append "console=ttyS0 panic=-1 oops=panic tsc=reliable slab_nomerge init_on_alloc=0 loglevel=4 rdinit=/bench/guest/init bench.profile=$configs bench.secs=$secs" \
	< /dev/null > "$out/console.log" 2>&1 || true
python3 bench/profile.py --console "$out/console.log" \
	--windows "$out/windows.txt" | tee "$out/profile.txt"
