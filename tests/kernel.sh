#!/bin/bash
# Build (once) and print the directory of the vmbridge test kernel: Debian's
# linux-source-6.12 with tests/kernel.config merged in. Cached under
# ${VMBR_CACHE:-~/.cache/vmbridge}/kernel-<source version>-<config hash>, so a
# changed fragment or a new source package builds a new tree and a warm run
# costs seconds.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${VMBR_CACHE:-$HOME/.cache/vmbridge}
src_tar=/usr/src/linux-source-6.12.tar.xz
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
cfghash=$(sha256sum "$here/kernel.config" | cut -c1-12)
out=$cache/kernel-$srcver-$cfghash
src=$cache/src-$srcver
jobs=$(nproc)

if [ -f "$out/.done" ] && [ -f "$out/Module.symvers" ]; then
	echo "$out"
	exit 0
fi
mkdir -p "$cache"
if [ ! -f "$src/.done" ]; then
	echo "kernel: unpacking $src_tar" >&2
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$src_tar" -C "$src.tmp" --strip-components=1
	touch "$src.tmp/.done"
	mv "$src.tmp" "$src"
fi

mkdir -p "$out"
# Start from nothing but the fragment; olddefconfig fills the rest with
# Kconfig defaults (the way kunit.py does), which keeps the kernel small.
grep -v '^#' "$here/kernel.config" | sed '/^$/d' > "$out/.config"
make -s -C "$src" O="$out" ARCH=x86_64 olddefconfig >&2
# Every option asked for must have survived olddefconfig.
bad=0
while IFS= read -r line; do
	case "$line" in
	*=n) opt=${line%=n}; grep -q "^$opt=" "$out/.config" && { echo "kernel: $opt not off" >&2; bad=1; } ;;
	*) grep -qx "$line" "$out/.config" || { echo "kernel: $line did not stick" >&2; bad=1; } ;;
	esac
done < <(grep -v '^#' "$here/kernel.config" | sed '/^$/d')
[ $bad -eq 0 ] || exit 1

echo "kernel: building in $out (several minutes on 2 cores)" >&2
make -s -C "$src" O="$out" ARCH=x86_64 -j"$jobs" bzImage modules >&2
touch "$out/.done"
echo "$out"
