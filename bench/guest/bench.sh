#!/bin/bash
# The forwarding benchmark, inside one QEMU boot (see BENCHMARKS.md).
#
# Packets per second: pktgen in namespace src sends 64-byte UDP frames
# through the system under test to namespace sink, whose eth0 drops them in
# tc ingress; the rate is what crossed into the sink over a timed interval
# (vsnk's transmit counter, read with builtins), which the sink's tc drop
# count must match.  Every configuration is measured in turn, round after round
# (A B C D ... A B C D ...), so that drift hits them all alike.
# TCP: iperf3 from a namespace behind a QEMU-style TAP (vnet headers, TSO)
# to an iperf3 server in sink, the same way round after round.
# Memory: slab object sizes, and what 64k NAT flows cost the kernel.
#
# Prints BENCH-* lines that bench/report.py turns into the table.
# Parameters (kernel command line): bench.rounds, bench.secs,
# bench.tcp_rounds, bench.tcp_secs, bench.bigflows, bench.configs (a comma
# list of the packet-rate configurations to run), bench.tcp_configs (the
# same for TCP: floor br vmbr vmbrrate brvlan vmbrvlan libvirt vmbrnat); bench.profile for
# bench/profile.sh.
here=/bench/guest
. $here/configs.sh

param() {	# param NAME DEFAULT
	local v
	v=$(sed -n "s/.*bench\.$1=\([^ ]*\).*/\1/p" /proc/cmdline)
	echo "${v:-$2}"
}
ROUNDS=$(param rounds 6)
SECS=$(param secs 2)
TCP_ROUNDS=$(param tcp_rounds 3)
TCP_SECS=$(param tcp_secs 3)
BIGFLOWS=$(param bigflows 65534)
PROFILE=$(param profile "")
RAMP=0.3

PPS_CONFIGS="floor br vmbr vmbrrate brvlan vmbrvlan brvxlan vmbrvxlan libvirt:1 vmbrnat:1 libvirt:1k vmbrnat:1k libvirt:64k vmbrnat:64k libvirt:sp1k vmbrnat:sp1k libvirt:sp64k vmbrnat:sp64k"
c=$(param configs "")
[ -n "$c" ] && PPS_CONFIGS=${c//,/ }
TCP_CONFIGS="floor br vmbr vmbrrate brvlan vmbrvlan libvirt vmbrnat"
c=$(param tcp_configs "")
[ -n "$c" ] && TCP_CONFIGS=${c//,/ }

SINK_MAC=02:00:00:00:5e:01
SRC_MAC=02:00:00:00:5e:02

# The topology every configuration shares.
topology() {
	local ns
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	for ns in src sink tcpg; do
		$IP netns add $ns
		$IP -n $ns link set lo up
		$IP netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
	done
	$IP link add vsrc type veth peer name eth0 netns src
	$IP -n src link set eth0 address $SRC_MAC up
	$IP link set vsrc up

	$IP link add vsnk type veth peer name eth0 netns sink
	$IP -n sink link set eth0 address $SINK_MAC up
	$IP -n sink link add link eth0 name eth0.$VID type vlan id $VID
	$IP -n sink link set eth0.$VID up
	$IP -n sink addr add $SINK_IP/24 dev eth0
	$IP link set vsnk up
	$TC -n sink qdisc add dev eth0 clsact

	tapbridge tnic tsrc /tmp/tap.stats > /tmp/tapbridge.log 2>&1 &
	TAPPID=$!
	for _ in $(seq 50); do
		$IP link show tsrc > /dev/null 2>&1 && $IP link show tnic > /dev/null 2>&1 && break
		sleep 0.1
	done
	$IP link set tnic netns tcpg
	$IP -n tcpg link set tnic name eth0
	$IP -n tcpg link set eth0 up
	$IP link set tsrc up

	$IP netns exec src $here/pg.sh init
	# 64k flows fit the NAT tables: conntrack's default bound is the size
	# of its hash (65536 with 2 GB) and vmbridge's is set per config.
	sysctl -qw net.netfilter.nf_conntrack_max=262144
}

sink_drop() { $TC -n sink filter add dev eth0 ingress pref 1 matchall action drop; }
sink_nodrop() { $TC -n sink filter del dev eth0 ingress 2>/dev/null; true; }

# The sink's count: what its tc ingress drop has seen.
sink_count() {
	$TC -n sink -s -j filter show dev eth0 ingress |
		jq '[.[] | .options.actions[]?.stats.packets // empty] | add // 0'
}

# A snapshot inside a measured interval, with bash builtins only (no
# process, so nothing but the packets' own work runs meanwhile): the time,
# what entered the system under test (vsrc's receive counter) and what it
# handed to the sink (vsnk's transmit counter, which the sink's tc count
# must match: checked over each whole sample).
snap() {
	local t=$EPOCHREALTIME
	SNAP_T=$(( 10#${t/./} ))
	read -r SNAP_IN < /sys/class/net/vsrc/statistics/rx_packets
	read -r SNAP_OUT < /sys/class/net/vsnk/statistics/tx_packets
}

# Sleep with a builtin: read from a FIFO nobody writes, with a timeout.
mkfifo /tmp/never
exec {NEVER}<> /tmp/never
pause() { read -r -t "$1" -u $NEVER _; true; }

# Wait (up to 20 s) until packets reach the sink beyond COUNT: pktgen has
# started (a slow guest takes a while to start it).
started() {
	local i
	for (( i = 0; i < 400; i++ )); do
		snap
		[ "$SNAP_OUT" -gt "$1" ] && return
		pause 0.05
	done
	echo "BENCH-ERR pktgen did not start"
}

# "1", "1k", "64k" -> number of flows; layer 2 configs: 1k.  "sp1k",
# "sp64k": as many, from as many UDP source ports to one destination port
# (a mapping each), where the others vary the destination port (one
# mapping, a session each).
flows_of() {
	case $1 in
	1) echo 1 ;;
	64k|sp64k) echo "$BIGFLOWS" ;;
	*) echo 1024 ;;
	esac
}

meminfo_kb() {	# unreclaimable slab + vmalloc, kB
	awk '/^SUnreclaim:/ { s += $2 } /^VmallocUsed:/ { s += $2 } END { print s }' /proc/meminfo
}

slab_active() { awk -v c="$1" '$1 == c { print $2 }' /proc/slabinfo; }

# Make config CFG[:FLOWS] and set pktgen up for it: sets cfg, fl, flows.
prepare() {
	local spec=$1 lo hi slo=9 shi=9 mac sip
	cfg=${spec%%:*} fl=${spec#*:}
	[ "$fl" = "$spec" ] && fl=1k
	flows=$(flows_of "$fl")
	vary=dport
	# UDP destination ports lo..hi-1, one flow each; one flow: port 9.
	lo=9 hi=9
	if [ "${fl#sp}" != "$fl" ]; then
		vary=sport slo=1 shi=$(( 1 + flows ))
	elif [ "$flows" -gt 1 ]; then
		lo=1 hi=$(( 1 + flows ))
	fi
	teardown
	"setup_$cfg" vsrc
	mac=$(dst_mac_of "$cfg")
	if is_nat "$cfg"; then sip=$NAT_SRC_IP; else sip=$L2_SRC_IP; fi
	# The warm-up's count: one packet per flow.
	$IP netns exec src $here/pg.sh config "$mac" "$sip" "$SINK_IP" $lo $hi "$flows" \
		$slo $shi
}

# One sample of config CFG[:FLOWS] in round R.
pps_sample() {
	local round=$2 cfg fl flows vary n0 t0 i0 n1 t1 i1 a0 a1 c0 warm pid m0 m1
	# Warm: one packet per flow, so that every flow has its state before
	# the measured interval (NAT sessions, conntrack entries, FDB).
	prepare "$1" || return
	c0=$(sink_count)
	[ "$fl" = 64k ] && [ "$round" = 1 ] && m0=$(meminfo_kb)
	snap; a0=$SNAP_OUT
	$IP netns exec src $here/pg.sh run
	snap; warm=$(( SNAP_OUT - a0 ))
	echo "BENCH-WARM round=$round cfg=$cfg flows=$flows vary=$vary delivered=$warm"
	if [ "$fl" = 64k ] && [ "$round" = 1 ]; then
		m1=$(meminfo_kb)
		echo "BENCH-MEM cfg=$cfg flows=$flows delivered=$warm delta_kb=$(( m1 - m0 ))" \
		     "conntrack=$(cat /proc/sys/net/netfilter/nf_conntrack_count 2>/dev/null || echo 0)" \
		     "vmbr_nat_sess=$(slab_active vmbr_nat_sess) vmbr_nat_map=$(slab_active vmbr_nat_map)" \
		     "nf_conntrack=$(slab_active nf_conntrack)"
	fi

	# Measure: send with no end, count over SECS once it runs.
	$IP netns exec src $here/pg.sh go &
	pid=$!
	started "$SNAP_OUT"
	pause $RAMP
	snap; n0=$SNAP_OUT t0=$SNAP_T i0=$SNAP_IN
	pause "$SECS"
	snap; n1=$SNAP_OUT t1=$SNAP_T i1=$SNAP_IN
	$IP netns exec src $here/pg.sh stop
	wait $pid
	snap; a1=$SNAP_OUT
	# Every packet handed to the sink (warm-up and measure) was counted there.
	echo "BENCH-PPS round=$round cfg=$cfg flows=$flows vary=$vary" \
	     "pps=$(( (n1 - n0) * 1000000 / (t1 - t0) ))" \
	     "offered=$(( (i1 - i0) * 1000000 / (t1 - t0) ))" \
	     "us=$(( t1 - t0 )) handed=$(( a1 - a0 )) sink_counted=$(( $(sink_count) - c0 ))"
	teardown
}

# Profile config CFG[:FLOWS] as pps_sample measures it: SECS of sending
# between two marks of the insnprof plugin of QEMU (bench/profile.sh puts
# the marker here).
prof_sample() {
	local cfg fl flows vary pid n0 n1
	prepare "$1" || return
	$IP netns exec src $here/pg.sh run
	snap
	$IP netns exec src $here/pg.sh go &
	pid=$!
	started "$SNAP_OUT"
	pause $RAMP
	$here/mark
	snap; n0=$SNAP_OUT
	pause "$SECS"
	snap; n1=$SNAP_OUT
	$here/mark
	$IP netns exec src $here/pg.sh stop
	wait $pid
	echo "BENCH-PROF cfg=$1 packets=$(( n1 - n0 ))"
	teardown
}

tap_stats() {	# the TAP relay's counters: frames and GSO frames, guest -> host
	kill -USR1 $TAPPID
	sleep 0.3
	awk '$1 == "guest_to_host_frames" { f = $2 } $1 == "guest_to_host_gso" { g = $2 }
	     END { print f + 0, g + 0 }' /tmp/tap.stats
}

# One TCP sample of CFG in round R: iperf3 from tcpg to sink.
tcp_sample() {
	local cfg=$1 round=$2 sink_dev=eth0 json mbps f0 g0 f1 g1 p0 b0 p1 b1
	teardown
	"setup_$cfg" tsrc
	is_vlan "$cfg" && sink_dev=eth0.$VID
	$IP -n sink addr flush dev eth0
	$IP -n sink addr flush dev eth0.$VID
	$IP -n sink addr add $SINK_IP/24 dev $sink_dev
	$IP -n tcpg addr flush dev eth0
	if is_nat "$cfg"; then
		$IP -n tcpg addr add $NAT_SRC_IP/24 dev eth0
		$IP -n tcpg route add default via $GW_IP
	else
		$IP -n tcpg addr add $L2_SRC_IP/24 dev eth0
	fi
	$IP -n tcpg neigh flush all
	$IP -n sink neigh flush all
	if ! $IP netns exec tcpg ping -c 1 -W 5 $SINK_IP > /dev/null; then
		echo "BENCH-ERR tcp: $cfg: the sink does not answer"
		teardown
		return
	fi
	read -r f0 g0 <<< "$(tap_stats)"
	read -r p0 < /sys/class/net/vsnk/statistics/tx_packets
	read -r b0 < /sys/class/net/vsnk/statistics/tx_bytes
	json=$($IP netns exec tcpg iperf3 -4 -c $SINK_IP -t "$TCP_SECS" -O 1 -J 2>&1)
	read -r p1 < /sys/class/net/vsnk/statistics/tx_packets
	read -r b1 < /sys/class/net/vsnk/statistics/tx_bytes
	read -r f1 g1 <<< "$(tap_stats)"
	mbps=$(jq -r '.end.sum_received.bits_per_second / 1e6 | floor' <<< "$json" 2>/dev/null)
	if ! [[ $mbps =~ ^[0-9]+$ ]]; then
		echo "BENCH-ERR tcp: $cfg: iperf3 -- $(tr '\n' ' ' <<< "$json" | head -c 300)"
		teardown
		return
	fi
	# GSO kept: the guest's frames were GSO, and so were those leaving
	# on the uplink (mean frame larger than the MTU allows).
	echo "BENCH-TCP round=$round cfg=$cfg mbps=$mbps" \
	     "gso_in=$(( f1 > f0 ? (g1 - g0) * 100 / (f1 - f0) : 0 ))%" \
	     "uplink_mean_frame=$(( p1 > p0 ? (b1 - b0) / (p1 - p0) : 0 ))"
	teardown
}

echo "BENCH-INFO uptime=$(cut -d' ' -f1 /proc/uptime) rounds=$ROUNDS secs=$SECS tcp_rounds=$TCP_ROUNDS tcp_secs=$TCP_SECS bigflows=$BIGFLOWS"
echo "BENCH-INFO configs=${PPS_CONFIGS// /,} tcp_configs=${TCP_CONFIGS// /,}"
echo "BENCH-INFO cpus=$(nproc) mem_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)" \
     "clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
topology
echo "BENCH-INFO conntrack_buckets=$(cat /proc/sys/net/netfilter/nf_conntrack_buckets)" \
     "conntrack_max=$(cat /proc/sys/net/netfilter/nf_conntrack_max)"

sink_drop
if [ -n "$PROFILE" ]; then
	for c in ${PROFILE//,/ }; do
		prof_sample "$c"
	done
	# The kernel's and the modules' code, for the profile's symbols.
	awk '$2 == "t" || $2 == "T" { print "BENCH-KSYM " $1, $2, $3, $4 }' /proc/kallsyms
	exit 0
fi

# Packets per second.
for r in $(seq "$ROUNDS"); do
	for c in $PPS_CONFIGS; do
		pps_sample "$c" "$r"
	done
done

# TCP bulk.
echo "BENCH-INFO uptime=$(cut -d' ' -f1 /proc/uptime) phase=tcp"
sink_nodrop
$IP netns exec sink iperf3 -s -D -I /tmp/iperf3.pid > /dev/null 2>&1
sleep 0.5
for r in $(seq "$TCP_ROUNDS"); do
	for c in $TCP_CONFIGS; do
		tcp_sample "$c" "$r"
	done
done

echo "BENCH-INFO uptime=$(cut -d' ' -f1 /proc/uptime) phase=memory"
# Slab object sizes (slab_nomerge keeps every cache under its own name):
# name, object size, and bytes per object with the slab's own overhead.
for c in vmbr_nat_sess vmbr_nat_map vmbr_nat_peer vmbr_fdb_entry nf_conntrack bridge_fdb_cache \
	 net_bridge_fdb_entry; do
	awk -v c="$c" '$1 == c { printf "BENCH-SLAB name=%s objsize=%d per_obj=%d\n", $1, $4, $6 * 4096 / $5 }' /proc/slabinfo
done

dmesg | grep -E 'WARNING:|BUG:|KASAN|Oops|general protection' | head -n 5 |
	sed 's/^/BENCH-ERR kernel: /'
kill $TAPPID 2>/dev/null
true
