#!/bin/bash
# make demo: boot Debian's stock 6.1 kernel under QEMU with the module and
# vmbr in an initramfs, and show the main job (tests/guest/demo.sh): a
# vmbridge in bridge mode, a LAN with a DHCP server, two guests (one on a
# QEMU-style TAP) getting leases and talking, and the counters.
# Nothing is loaded into this machine's kernel.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=${VMBR_LOGS:-$top/tests/logs}
mkdir -p "$out"

echo "demo: checking dependencies (apt, as root, first time only)"
bash tests/deps.sh > "$out/deps.log" 2>&1 || { cat "$out/deps.log"; exit 1; }
k61=$(ls -d /usr/src/linux-headers-6.1.*-amd64 | sort -V | tail -n 1)
rel=${k61##*/linux-headers-}

echo "demo: building vmbridge.ko for $rel, vmbr and the TAP helper"
make -s clean-module > /dev/null 2>&1 || true
make -s -C "$k61" M="$top" modules > "$out/demo-build.log" 2>&1 ||
	{ cat "$out/demo-build.log"; exit 1; }
cp module/vmbridge.ko "$out/vmbridge-$rel.ko"
make -s -C userland > /dev/null
make -s -C tests/tools > /dev/null

stock=$(bash tests/stock-kernel.sh "$rel" 2> "$out/stock.log") ||
	{ cat "$out/stock.log"; exit 1; }
bash tests/initramfs.sh "$out/initramfs-demo.cpio.gz" "$rel" \
	"$out/vmbridge-$rel.ko" "" "$stock"

echo "demo: booting Debian $rel under QEMU (TCG: give it half a minute)"
# The guest's console, less the kernel's boot chatter.
bash tests/qemu.sh "$stock/boot/vmlinuz-$rel" "$out/initramfs-demo.cpio.gz" demo |
	tr -d '\r' | sed -n '/VMBR-START/,/VMBR-DONE/p' |
	grep -v -E '^\[ *[0-9]+\.[0-9]+\]|VMBR-' || true
