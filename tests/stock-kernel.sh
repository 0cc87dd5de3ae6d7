#!/bin/bash
# Print the directory holding Debian's stock kernel of the given release
# (e.g. 6.1.0-56-amd64), unpacked once from its package into the cache:
# boot/vmlinuz-REL and lib/modules/REL.  Nothing is installed on the host.
set -euo pipefail

rel=$1
cache=${VMBR_CACHE:-$HOME/.cache/vmbridge}
out=$cache/stock-$rel
if [ -f "$out/.done" ]; then
	echo "$out"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download -q "linux-image-$rel-unsigned" >&2 ||
	apt-get download -q "linux-image-$rel" >&2)
rm -rf "$out"
mkdir -p "$out"
dpkg-deb -x "$tmp"/linux-image-*.deb "$out"
# The package leaves modules.dep to its postinst; make it here.
depmod -b "$out" "$rel"
touch "$out/.done"
echo "$out"
