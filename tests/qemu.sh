#!/bin/bash
# Boot KERNEL with INITRD under QEMU (TCG) and run SUITE in the guest.
# The guest's console goes to stdout; the guest powers itself off.
#
# usage: qemu.sh KERNEL INITRD SUITE [ONLY-SCENARIO]
set -euo pipefail

kernel=$1 initrd=$2 suite=$3 only=${4:-}
append="console=ttyS0 panic=-1 oops=panic panic_on_warn=0 tsc=reliable"
append+=" loglevel=4 vmbr.suite=$suite"
[ -n "$only" ] && append+=" vmbr.only=$only"
[ -n "${VMBR_TRACE:-}" ] && append+=" vmbr.trace=1"
[ -n "${VMBR_FUZZ_COUNT:-}" ] && append+=" vmbr.fuzz_count=$VMBR_FUZZ_COUNT"
[ -n "${VMBR_FUZZ_SEED:-}" ] && append+=" vmbr.fuzz_seed=$VMBR_FUZZ_SEED"

# A hung guest must not hang the suite: the whole boot gets an hour (the
# scenarios take 40 to 50 minutes on the debug kernel on 2 busy cores), and
# a long fuzz run what it needs on top.
exec timeout --foreground -k 10 $((3600 + ${VMBR_FUZZ_COUNT:-0} / 500)) \
	qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 2048 \
	-nographic -no-reboot -nic none \
	-kernel "$kernel" -initrd "$initrd" -append "$append" </dev/null
