#!/bin/bash
# pktgen in the namespace it runs in (ip netns exec src pg.sh ...): one
# device, eth0, on the first CPU's thread.  64-byte frames (60 bytes and the
# FCS), UDP from port 9; no burst, no clone_skb (veth allows neither).
# Where pktgen can (flag !SHARED: 6.12 has it, 6.1 not), it hands each packet
# over for good, as a NIC or a TAP does; before, it keeps a reference, so
# that every receiver sees a shared skb (BENCHMARKS.md).
#
#   pg.sh init                        bind eth0 to kpktgend_0
#   pg.sh config DST_MAC SRC DST LO HI COUNT [SLO SHI]
#                                     UDP destination ports LO..HI-1 in turn
#                                     (one flow each); COUNT 0: no end;
#                                     source ports SLO..SHI-1 (default 9)
#   pg.sh count N                     change the count only
#   pg.sh run                         send; returns when done or stopped
#   pg.sh go                          count 0, then run
#   pg.sh stop                        stop every pktgen thread
pg=/proc/net/pktgen
dev=$pg/eth0

pgset() {	# pgset FILE COMMAND: pktgen answers in the file's Result line
	local line
	echo "$2" > "$1"
	while IFS= read -r line; do
		case $line in
		"Result: OK"*) return 0 ;;
		Result:*) echo "BENCH-ERR pktgen: $2 -- $line"; return 1 ;;
		esac
	done < "$1"
	return 0
}

case $1 in
init)
	pgset $pg/kpktgend_0 rem_device_all
	pgset $pg/kpktgend_0 "add_device eth0"
	echo "flag !SHARED" > $dev
	if grep -q "^Result: OK" $dev; then
		echo "BENCH-INFO pktgen_shared=no"
	else
		echo "BENCH-INFO pktgen_shared=yes"
	fi
	;;
config)
	mac=$2 src=$3 dst=$4 lo=$5 hi=$6 count=$7 slo=${8:-9} shi=${9:-9}
	for c in "count $count" "clone_skb 0" "burst 1" "pkt_size 60" \
		 "delay 0" "dst_mac $mac" "src_min $src" "src_max $src" \
		 "dst $dst" "udp_src_min $slo" "udp_src_max $shi" \
		 "udp_dst_min $lo" "udp_dst_max $hi" "flag NO_TIMESTAMP"; do
		pgset $dev "$c" || exit 1
	done
	;;
count)
	pgset $dev "count $2"
	;;
run)
	echo start > $pg/pgctrl
	;;
go)
	pgset $dev "count 0" && echo start > $pg/pgctrl
	;;
stop)
	echo stop > $pg/pgctrl
	;;
esac
