#!/bin/bash
# make check: everything, on a fresh Debian 12 machine as root.
#   1. install what building and testing need (apt);
#   2. build the module against Debian's 6.1 and 6.12 headers (W=1, and
#      sparse), the vmbr tool (-Werror, and its offline tests) and the test
#      helpers;
#   3. build (once, cached) the KUnit + debug test kernel, run checkpatch
#      from its source, build the module and its KUnit suites against it;
#   4. under QEMU on the test kernel: the KUnit suites, then the scenarios;
#   5. under QEMU on Debian's stock 6.1 kernel: the scenarios.
# Prints one line per test and, last, "N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
logs=${VMBR_LOGS:-$top/tests/logs}
mkdir -p "$logs"
passed=0 failed=0

result() {	# result ok|fail NAME [DETAIL]
	if [ "$1" = ok ]; then
		passed=$((passed + 1))
		echo "ok - $2"
	else
		failed=$((failed + 1))
		echo "not ok - $2${3:+ -- $3}"
	fi
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

step() {	# step NAME LOG CMD...: a build step is one test
	local name=$1 log=$2
	shift 2
	if "$@" > "$log" 2>&1; then
		result ok "$name"
	else
		result fail "$name" "see $log"
		tail -n 20 "$log" | sed 's/^/    /'
		return 1
	fi
}

# Warnings fail a build step: W=1 must be silent.
kbuild() {	# kbuild KDIR [extra make args]
	local kdir=$1 out rc
	shift
	out=$(make -C "$kdir" M="$top" W=1 "$@" modules 2>&1)
	rc=$?
	echo "$out"
	[ $rc -eq 0 ] && ! grep -qE 'warning:|error:' <<< "$out"
}

# Guest output -> results.  A guest that did not finish is a failure.
guest_results() {	# guest_results LABEL LOG
	local label=$1 log=$2 line
	while IFS= read -r line; do
		case $line in
		"VMBR-RESULT ok "*) result ok "$label: ${line#VMBR-RESULT ok }" ;;
		"VMBR-RESULT not ok "*)
			result fail "$label: ${line#VMBR-RESULT not ok }" ;;
		esac
	done < <(tr -d '\r' < "$log")
	if grep -q VMBR-DONE "$log"; then
		result ok "$label: guest ran to the end"
	else
		result fail "$label: guest ran to the end" "see $log"
		tail -n 40 "$log" | sed 's/^/    /'
	fi
}

step "dependencies installed" "$logs/deps.log" bash tests/deps.sh || finish

k61=$(ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -V | tail -n 1)
k612=$(ls -d /usr/src/linux-headers-6.12.*-amd64 2>/dev/null | sort -V | tail -n 1)
make -s clean-module > /dev/null 2>&1
step "module builds against ${k61##*/} with W=1, no warnings" \
	"$logs/build-6.1.log" kbuild "$k61"
cp module/vmbridge.ko "$logs/vmbridge-6.1.ko" 2>/dev/null
make -s clean-module > /dev/null 2>&1
step "module builds against ${k612##*/} with W=1, no warnings" \
	"$logs/build-6.12.log" kbuild "$k612"
make -s clean-module > /dev/null 2>&1
step "sparse (C=2) finds nothing against ${k612##*/}" "$logs/sparse.log" \
	kbuild "$k612" C=2 CHECK="sparse -Wno-decl"
step "vmbr builds with -Wall -Wextra -Werror" "$logs/userland.log" \
	make -C userland clean all
step "vmbr offline tests (decoding, --help against vmbr.8)" \
	"$logs/userland-check.log" make -C userland check
step "test helpers build" "$logs/tools.log" make -C tests/tools

step "test kernel built (cached in ~/.cache/vmbridge)" "$logs/kernel.log" \
	bash tests/kernel.sh || finish
kdir=$(bash tests/kernel.sh 2>/dev/null)
# The kernel's source tree is there now, and with it checkpatch.pl.
step "checkpatch --strict finds nothing" "$logs/style.log" make -s style
ksrc=$(ls -d "${VMBR_CACHE:-$HOME/.cache/vmbridge}"/src-* 2>/dev/null | head -n 1)
step "YNL spec: valid, and its generated UAPI header matches ours" \
	"$logs/netlink-spec.log" bash tests/netlink-spec.sh "$ksrc"
krel=$(cat "$kdir/include/config/kernel.release")
make -s clean-module > /dev/null 2>&1
step "module and KUnit suites build against the test kernel" \
	"$logs/build-test.log" kbuild "$kdir" || finish
step "test initramfs" "$logs/initramfs-test.log" \
	bash tests/initramfs.sh "$logs/initramfs-test.cpio.gz" "$krel" \
	module/vmbridge.ko kunit/vmbridge_test.ko || finish

for suite in kunit scenarios; do
	bash tests/qemu.sh "$kdir/arch/x86/boot/bzImage" \
		"$logs/initramfs-test.cpio.gz" "$suite" > "$logs/$suite-test.log" 2>&1
	guest_results "test kernel" "$logs/$suite-test.log"
done
# The benchmark still runs (a few seconds a configuration, nothing timed).
step "bench smoke run completes" "$logs/bench-smoke.log" \
	bash bench/run.sh --smoke --kernel "$kdir/arch/x86/boot/bzImage" \
	--initramfs "$logs/initramfs-test.cpio.gz"

rel61=${k61##*/linux-headers-}
stock=$(bash tests/stock-kernel.sh "$rel61" 2>"$logs/stock.log")
if [ -z "$stock" ]; then
	result fail "Debian $rel61 kernel unpacked" "see $logs/stock.log"
	finish
fi
step "stock initramfs" "$logs/initramfs-stock.log" \
	bash tests/initramfs.sh "$logs/initramfs-stock.cpio.gz" "$rel61" \
	"$logs/vmbridge-6.1.ko" "" "$stock" &&
{
	bash tests/qemu.sh "$stock/boot/vmlinuz-$rel61" \
		"$logs/initramfs-stock.cpio.gz" scenarios > "$logs/scenarios-6.1.log" 2>&1
	guest_results "Debian $rel61" "$logs/scenarios-6.1.log"
}
finish
