#!/bin/bash
# make fuzz: a long run of the netlink fuzzer (scenario 10-nlfuzz) on the
# debug test kernel, VMBR_FUZZ_COUNT requests (default 1000000, about a
# quarter of an hour under TCG), VMBR_FUZZ_SEED to vary it.  Needs what
# make check installs and builds (run make check once first).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
logs=${VMBR_LOGS:-$top/tests/logs}
mkdir -p "$logs"
export VMBR_FUZZ_COUNT=${VMBR_FUZZ_COUNT:-1000000}

kdir=$(bash tests/kernel.sh) || exit 1
krel=$(cat "$kdir/include/config/kernel.release")
make -s clean-module > /dev/null 2>&1
make -s -C "$kdir" M="$top" modules > "$logs/fuzz-build.log" 2>&1 &&
	make -s -C userland > /dev/null &&
	make -s -C tests/tools > /dev/null &&
	bash tests/initramfs.sh "$logs/initramfs-fuzz.cpio.gz" "$krel" \
		module/vmbridge.ko > /dev/null ||
	{ echo "fuzz: build failed, see $logs/fuzz-build.log"; exit 1; }

echo "fuzz: $VMBR_FUZZ_COUNT requests; log in $logs/fuzz.log"
bash tests/qemu.sh "$kdir/arch/x86/boot/bzImage" \
	"$logs/initramfs-fuzz.cpio.gz" scenarios 10-nlfuzz > "$logs/fuzz.log" 2>&1
tr -d '\r' < "$logs/fuzz.log" | grep -E '^nlfuzz: (sent|[0-9.]+ s)'
failed=$(tr -d '\r' < "$logs/fuzz.log" | grep -c '^VMBR-RESULT not ok')
passed=$(tr -d '\r' < "$logs/fuzz.log" | grep -c '^VMBR-RESULT ok')
grep -q VMBR-DONE "$logs/fuzz.log" || failed=$((failed + 1))
tr -d '\r' < "$logs/fuzz.log" | grep '^VMBR-RESULT not ok'
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
