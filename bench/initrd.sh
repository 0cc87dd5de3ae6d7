#!/bin/bash
# The benchmark's initramfs: the harness's (BASE, from tests/initramfs.sh)
# and, after it, a second archive with bench/guest; the kernel unpacks
# both, and rdinit=/bench/guest/init starts the benchmark.
#
# usage: bench/initrd.sh BASE.cpio.gz OUT.cpio.gz [EXTRA-FILE...]
#   EXTRA-FILEs go to /bench/guest too (bench/profile.sh's marker).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
base=$1 out=$2
shift 2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bench"
cp -r "$top/bench/guest" "$stage/bench/"
[ $# -gt 0 ] && cp "$@" "$stage/bench/guest/"
chmod 755 "$stage/bench" "$stage/bench/guest" "$stage"/bench/guest/*
(cd "$stage" && find bench -print0 | cpio --null -o -H newc --quiet) |
	gzip -1 > "$stage/bench.cpio.gz"
cat "$base" "$stage/bench.cpio.gz" > "$out"
