#!/bin/bash
# Run a suite inside the guest; every result is one line:
#   VMBR-RESULT ok|not ok <suite>: <test>[ -- why]
here=/tests/guest
suite=$1 only=$2
# vmbr.trace=1 on the kernel command line traces the scenarios.
grep -q "vmbr.trace=1" /proc/cmdline && export VMBR_TRACE=1
# vmbr.fuzz_count=N, vmbr.fuzz_seed=S: the netlink fuzzer's run (make fuzz).
fuzz=$(sed -n 's/.*vmbr\.fuzz_count=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -n "$fuzz" ] && export VMBR_FUZZ_COUNT=$fuzz
seed=$(sed -n 's/.*vmbr\.fuzz_seed=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -n "$seed" ] && export VMBR_FUZZ_SEED=$seed
# A scenario gets 900 s, a long fuzz run what it needs (1000 requests/s).
limit=$((900 + ${fuzz:-0} / 500))

kernel_log_check() {
	# Reports that mean the kernel caught something wrong.
	local bad='WARNING:|BUG:|KASAN|UBSAN|Oops|general protection|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|sleeping function called from invalid context|scheduling while atomic|waiting for .* to become free|unreferenced object|refcount_t:|list_add corruption|list_del corruption'
	dmesg -c > /tmp/dmesg.$1 2>/dev/null
	if grep -Eq "$bad" /tmp/dmesg.$1; then
		echo "VMBR-RESULT not ok $1: kernel log clean -- $(grep -Em1 "$bad" /tmp/dmesg.$1)"
		echo "---- kernel log of $1 ----"
		grep -EA30 "$bad" /tmp/dmesg.$1 | head -n 80
		echo "----"
	else
		echo "VMBR-RESULT ok $1: kernel log clean"
	fi
}

case $suite in
kunit)
	dmesg -c > /dev/null
	if [ -e /sys/kernel/debug/kmemleak ]; then
		echo clear > /sys/kernel/debug/kmemleak
	fi
	modprobe vmbridge && modprobe vmbridge_test
	found=0
	for d in /sys/kernel/debug/kunit/vmbr*/; do
		[ -f "$d/results" ] || continue
		found=1
		s=$(basename "$d")
		# Cases are the first indented level of each suite's KTAP; the
		# parameters of a parameterised case the second, before it.
		awk -v s="$s" '
		function result(line, lead,   st) {
			sub(lead, "", line)
			st = line ~ /^not ok/ ? "not ok" : "ok"
			sub(/^(not )?ok [0-9]+ /, "", line)
			sub(/ # .*/, "", line)
			return st "\t" line
		}
		/^        (not )?ok [0-9]+ / {
			params[n++] = result($0, "^        ")
			next
		}
		/^    (not )?ok [0-9]+ / {
			split(result($0, "^    "), c, "\t")
			for (i = 0; i < n; i++) {
				split(params[i], p, "\t")
				print "VMBR-RESULT " p[1] " kunit: " s "." c[2] ": " p[2]
			}
			n = 0
			print "VMBR-RESULT " c[1] " kunit: " s "." c[2]
		}' "$d/results"
		if grep -q '^ *not ok' "$d/results"; then
			cat "$d/results"
			dmesg | grep -B2 -A6 -E 'Expected|ASSERTION|EXPECTATION' | head -n 60
		fi
	done
	[ $found = 1 ] || echo "VMBR-RESULT not ok kunit: suites ran -- no vmbr suite in debugfs"
	rmmod vmbridge_test
	rmmod vmbridge && echo "VMBR-RESULT ok kunit: module unloads" ||
		echo "VMBR-RESULT not ok kunit: module unloads"
	kernel_log_check kunit
	;;
scenarios)
	dmesg -c > /dev/null
	[ -e /sys/kernel/debug/kmemleak ] && echo clear > /sys/kernel/debug/kmemleak
	for s in "$here"/scenarios/*.sh; do
		name=$(basename "$s" .sh)
		# vmbr.only=A,B runs only the scenarios named.
		[ -n "$only" ] && [[ ",$only," != *",$name,"* ]] && continue
		echo "VMBR-SCENARIO $name"
		# A hung scenario fails; it does not hang the boot.
		SCEN=$name timeout -s KILL $limit bash ${VMBR_TRACE:+-x} -c ". $here/lib.sh; . $s" ||
			[ $? -ne 137 ] || echo "VMBR-RESULT not ok $name: ran to the end -- killed after $limit s"
		SCEN=$name bash -c ". $here/lib.sh; cleanup"
		kernel_log_check "$name"
	done
	if [ -e /sys/kernel/debug/kmemleak ]; then
		# Two scans, as kmemleak wants; backtraces name vmbr_* while loaded.
		echo scan > /sys/kernel/debug/kmemleak
		sleep 6
		echo scan > /sys/kernel/debug/kmemleak
		if grep -q vmbr /sys/kernel/debug/kmemleak; then
			echo "VMBR-RESULT not ok kmemleak: no leak from vmbridge"
			head -n 60 /sys/kernel/debug/kmemleak
		else
			echo "VMBR-RESULT ok kmemleak: no leak from vmbridge"
		fi
	fi
	;;
demo)
	SCEN=demo bash -c ". $here/lib.sh; . $here/demo.sh"
	;;
*)
	echo "VMBR-RESULT not ok guest: unknown suite '$suite'"
	;;
esac
