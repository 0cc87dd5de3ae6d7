#!/bin/bash
# Build what a benchmark boot needs for a stock Debian kernel (6.1 unless
# LINE says another, e.g. 6.12: the newest of that line whose headers are
# installed) and print two lines: the kernel image and the harness
# initramfs (tests/initramfs.sh, with vmbridge.ko, vmbr and the stock
# modules).  The kernel comes from tests/stock-kernel.sh, or from /boot and
# /lib/modules when this machine has that very kernel installed.  vmbridge.ko and vmbr are
# built from a copy of the sources in OUT/build, so that a build of the
# working tree for another kernel is left alone.
#
# usage: bench/build.sh OUT [LINE]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=$1 line=${2:-6.1}
mkdir -p "$out"
log() { echo "bench: $*" >&2; }

log "checking dependencies (apt, as root, first time only)"
bash tests/deps.sh > "$out/deps.log" 2>&1 || { cat "$out/deps.log" >&2; exit 1; }
hdr=$(ls -d /usr/src/linux-headers-"$line".*-amd64 | sort -V | tail -n 1)
rel=${hdr##*/linux-headers-}

log "building vmbridge.ko for $rel and vmbr in $out/build"
rm -rf "$out/build"
mkdir -p "$out/build"
cp Kbuild "$out/build/"
for d in module kunit uapi userland; do
	find "$d" -type f \( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) \
		-not -name '*.mod.c' -print0 | cpio -0pdm --quiet "$out/build"
done
{
	make -C "$hdr" M="$out/build" modules &&
	make -C "$out/build/userland" vmbr &&
	make -s -C tests/tools
} > "$out/build.log" 2>&1 || { tail -n 30 "$out/build.log" >&2; exit 1; }

if [ -f "/boot/vmlinuz-$rel" ] && [ -f "/lib/modules/$rel/modules.dep" ]; then
	stock=/
else
	stock=$(bash tests/stock-kernel.sh "$rel" 2> "$out/stock.log") ||
		{ cat "$out/stock.log" >&2; exit 1; }
fi
VMBR_BIN=$out/build/userland/vmbr bash tests/initramfs.sh \
	"$out/initramfs-base.cpio.gz" "$rel" "$out/build/module/vmbridge.ko" "" \
	"$stock" > "$out/initramfs.log" 2>&1 ||
	{ cat "$out/initramfs.log" >&2; echo "bench: tests/initramfs.sh failed for $rel" >&2; exit 1; }
echo "${stock%/}/boot/vmlinuz-$rel"
echo "$out/initramfs-base.cpio.gz"
