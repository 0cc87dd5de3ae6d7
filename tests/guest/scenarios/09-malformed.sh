# A malformed-frame corpus (badframes, AF_PACKET) sent from a guest port
# and from the uplink: runts, truncated 802.1Q/IPv4/IPv6/ARP/TCP/UDP/ICMP
# headers, bad lengths, fragments, bad source MACs, jumbo frames, and valid
# controls.  Each case is sent alone and its outcome read from the
# counters: the sending port's rx_packets/rx_bytes and drops by reason, and
# the frames that arrived at g2 (tc).  The kernel log check run.sh makes
# after the scenario (KASAN, lockdep, WARN, kmemleak) is the key assertion.
#
#   lan: eth0 (MTU 9000) -- uplink0 (MTU 9000, trunk 10 native 1) --+
#   g1 (trunk 10 native 1, MTU 9000: sends the corpus) -------------+-- vmbr0 [bridge]
#   g2 (trunk 10 native 1, MTU 1500: counts what arrives) ----------+   192.0.2.254
#
# vmbridge is a layer-2 switch: in bridge mode with no lock-ip it does not
# parse IP, so every IP/ARP/TCP/UDP/ICMP-malformed frame is forwarded as it
# came.  What it checks itself: the source MAC (bad-src-mac), the 802.1Q
# tag it is handed (VLAN 4095: malformed; 802.1ad: vlan), lock-mac, and
# the egress MTU (g2: 1500).
#
# What the kernel does before the vmbridge sees a frame (6.12, veth):
# - a runt (< 14 bytes) is refused by AF_PACKET itself: packet_snd() ->
#   dev_validate_header() wants dev->min_header_len (ETH_HLEN on Ethernet)
#   and sendto() fails with EINVAL; nothing is sent.
# - an 802.1Q frame with fewer than 6 bytes after its ethertype
#   (vlan-trunc-*, vlan-tag-only, and vlan2-trunc-0/1, whose inner tag is
#   4-5 bytes) is freed by skb_vlan_untag() in __netif_receive_skb_core(),
#   before the packet taps and the rx handler: AF_PACKET reports it sent,
#   the port's rx_packets does not move, no drop reason is counted.
#   vlan2-trunc-2/3 reach the vmbridge: the outer tag is taken, the cut
#   inner one stays in the frame, a second tag no port carries (vlan).
# - what the vmbridge refuses from the uplink is the host's, not a drop:
#   it goes up the uplink's own stack, counted not-switched, and the
#   uplink's rx_packets (what it switched) does not move.
# - rx_bytes counts a frame without the tag the core moved out of it
#   (skb->len + mac_len, as the Linux bridge counts).

# No IPv6 on the devices made here: no router solicitation or MLD report
# may cross the vmbridge and be counted as the corpus's.
v6def=$(sysctl -n net.ipv6.conf.default.disable_ipv6 2>/dev/null)
[ -n "$v6def" ] && trap 'sysctl -qw net.ipv6.conf.default.disable_ipv6=$v6def' EXIT
[ -n "$v6def" ] && sysctl -qw net.ipv6.conf.default.disable_ipv6=1

lan 192.0.2.200/24
ip link set uplink0 mtu 9000
ip -n lan link set eth0 mtu 9000
check "bridge mode with an uplink" vmbr add vmbr0 mode bridge uplink uplink0
check "uplink carries 10 tagged, 1 untagged" \
	vmbr set vmbr0 uplink-vlans 10 uplink-native 1
ip link set vmbr0 up
ip addr add 192.0.2.254/24 dev vmbr0
guest g1 192.0.2.1/24 none
guest g2 192.0.2.2/24 none
ip link set g1 mtu 9000
ip -n g1 link set eth0 mtu 9000
check "g1 is a trunk (10, native 1)" vmbr port add vmbr0 g1 trunk 10 native 1
check "g2 is a trunk (10, native 1)" vmbr port add vmbr0 g2 trunk 10 native 1
check "g1 reaches g2" ping_ok g1 192.0.2.2
check "the LAN reaches g2" ping_ok lan 192.0.2.2

mac() { ip -n "$1" -j link show "${2:-eth0}" | jq -r '.[0].address'; }
m1=$(mac g1) m2=$(mac g2) ml=$(mac lan)
bcast=ff:ff:ff:ff:ff:ff unknown=02:00:00:00:00:99 spoofed=02:00:00:00:66:66
fdb_port() {
	vmbr -j fdb show vmbr0 | jq -r --arg m "$1" --argjson v "$2" \
		'[.[] | select(.mac == $m and .vlan == $v) | .port] | join(",")'
}
# g2 makes itself known in VLAN 1 and VLAN 10 (the frames go to g1).
learn_g2() {
	ip netns exec g2 badframes eth0 "$m1" "$m2" ctl-udp > /dev/null
	ip netns exec g2 badframes eth0 "$m1" "$m2" ctl-vlan10-udp > /dev/null
}
learn_g2
expect "g2 known in VLAN 1" "$(fdb_port "$m2" 1)" = g2
expect "g2 known in VLAN 10" "$(fdb_port "$m2" 10)" = g2

# Everything that arrives at g2's eth0, tagged or not.
tc -n g2 qdisc add dev eth0 clsact
tc -n g2 filter add dev eth0 ingress protocol all pref 1 matchall action pass
# The pings' neighbour entries would be reconfirmed (unicast ARP probes and
# their replies) in the middle of the corpus: none is left.
for ns in g1 g2 lan; do ip -n $ns neigh flush all; done
ip neigh flush dev vmbr0

cases=$(badframes -l)
expect "badframes has its corpus" "$(wc -w <<< "$cases")" -ge 50

# want CASE MODE: sets W to "STATUS RX ARRIVED DROPS", what the case should
# give from a guest port whose frames may pass (MODE plain), from a lock-mac
# port with a source MAC it is not locked to (MODE spoof), or from the
# uplink (MODE uplink).  RX: the port's rx_packets; ARRIVED: frames at g2;
# DROPS: REASON=N (not-switched among them), or - for none.
want() {
	local refused

	case $1 in
	runt-*)		W="failed 0 0 -"; return ;;
	vlan-trunc-*|vlan-tag-only|vlan2-trunc-[01])
			W="sent 0 0 -"; return ;;
	src-*)		refused=bad-src-mac ;;
	vlan-vid-4095)	refused=malformed ;;
	qinq-88a8|vlan2-trunc-[23])
			refused=vlan ;;
	esac
	if [ -n "$refused" ]; then
		if [ "$2" = uplink ]; then
			W="sent 0 0 not-switched=1"
		else
			W="sent 1 0 $refused=1"
		fi
		return
	fi
	if [ "$2" = spoof ]; then
		W="sent 1 0 lock-mac=1"
		return
	fi
	case $1 in
	# g2's copy (MTU 1500); g1 and uplink0 take 9000, the host any.
	jumbo-9000|mtu-plus-1)
			W="sent 1 0 mtu=1" ;;
	*)		W="sent 1 1 -" ;;
	esac
}
# want_bytes CASE LEN: sets WB to what rx_bytes counts for a frame of LEN
# bytes that reaches the port: its outer tag is out of it.
want_bytes() {
	case $1 in
	vlan2-trunc-*|vlan-vid-4095|vlan-prio-tag|qinq-88a8|ctl-vlan10-udp)
		WB=$(( $2 - 4 )) ;;
	*)	WB=$2 ;;
	esac
}

# A reading: PORT's stats and g2's tc filter, two JSON texts.
reading() {
	local s

	# A failed dump is logged and tried again, so that it is seen and
	# does not pass for a counter.
	s=$(vmbr -j -s port show vmbr0 "$1" 2>&1) || {
		echo "VMBR-CASE reading $1 failed: $s" >&2
		s=$(vmbr -j -s port show vmbr0 "$1")
	}
	echo "$s"
	tc -n g2 -s -j filter show dev eth0 ingress
}
# deltas FILE: for each reading after the first, "RX BYTES ARRIVED DROPS"
# since the one before; then the same from the first to the last.
deltas() {
	jq -rs '
		def arr(t): [t[] | .options.actions[]?.stats.packets // empty] | add // 0;
		def d(a; b): "\(b.s.rx_packets - a.s.rx_packets) " +
			"\(b.s.rx_bytes - a.s.rx_bytes) \(arr(b.t) - arr(a.t)) " +
			([b.s.drops | to_entries[] |
			  {key, n: (.value - a.s.drops[.key])}] +
			 [{key: "not-switched",
			   n: ((b.s.not_switched // 0) - (a.s.not_switched // 0))}] |
			 map(select(.n != 0)) | sort_by(.key) |
			 map("\(.key)=\(.n)") | join(",") |
			 if . == "" then "-" else . end);
		def stats(x): if (x | type) == "array" and (x[0].stats | type) == "object"
			then x[0].stats else error("bad reading: \(x | tostring)") end;
		[range(0; length; 2) as $i | {s: stats(.[$i]), t: .[$i + 1]}] as $r |
		(range(1; $r | length) as $i | d($r[$i - 1]; $r[$i])), d($r[0]; $r[-1])
	' "$1"
}
# sums: the totals the cases in CASES_OUT (badframes lines) should give,
# as deltas() gives them: sets WT.
sums() {
	local c len st rx=0 bytes=0 arr=0 r out=""
	declare -A drop=()

	while read -r c len st; do
		want "$c" "$mode"
		read -r _ wrx warr wdrops <<< "$W"
		rx=$(( rx + wrx )) arr=$(( arr + warr ))
		if [ "$wrx" = 1 ]; then
			want_bytes "$c" "$len"
			bytes=$(( bytes + WB ))
		fi
		[ "$wdrops" = - ] || drop[${wdrops%=*}]=$(( ${drop[${wdrops%=*}]:-0} + ${wdrops#*=} ))
	done <<< "$CASES_OUT"
	for r in $(printf '%s\n' "${!drop[@]}" | LC_ALL=C sort); do
		out+="$r=${drop[$r]},"
	done
	out=${out%,}
	WT="$rx $bytes $arr ${out:--}"
}
# check_totals NAME GOT: the round's totals, reason by reason.
check_totals() {
	local rx bytes arr drops wrx wbytes warr wdrops
	read -r rx bytes arr drops <<< "$2"
	read -r wrx wbytes warr wdrops <<< "$WT"
	echo "VMBR-CASE $1: total: rx $rx bytes $bytes arrived $arr drops $drops"
	expect "$1: rx_packets counts every frame that reached the port" "$rx" -eq "$wrx"
	expect "$1: rx_bytes adds up" "$bytes" -eq "$wbytes"
	expect "$1: every frame that should reach g2 did, no other" "$arr" -eq "$warr"
	expect "$1: drops counted by reason" "$drops" = "$wdrops"
}

# round NAME NS PORT DST SRC MODE: every case alone from NS's eth0 (PORT's
# other end), a reading after each; each must give what want() says.
round() {
	local name=$1 ns=$2 port=$3 dst=$4 src=$5 f=/tmp/readings.json
	local c len st got i=0 bad="" d
	mode=$6 CASES_OUT=""

	reading "$port" > $f
	for c in $cases; do
		CASES_OUT+="$(ip netns exec "$ns" badframes eth0 "$dst" "$src" "$c" 2>> /tmp/badframes.err)"$'\n'
		reading "$port" >> $f
	done
	CASES_OUT=${CASES_OUT%$'\n'}
	sleep 0.5			# nothing may come late
	reading "$port" >> $f
	mapfile -t d <<< "$(deltas $f)"
	while read -r c len st; do
		want "$c" "$mode"
		got="$st ${d[i]}"
		WB=0
		[ "${W#sent 1}" = "$W" ] || want_bytes "$c" "$len"
		W+=" $WB"
		got=$(awk '{ print $1, $2, $4, $5, $3 }' <<< "$got")
		echo "VMBR-CASE $name: $c len $len: $got"
		[ "$got" = "$W" ] || bad+="$c: got '$got', want '$W'; "
		i=$(( i + 1 ))
	done <<< "$CASES_OUT"
	expect "$name: every case as wanted (status rx arrived drops bytes)" "${bad:-none}" = none
	expect "$name: nothing came late" "${d[i]}" = "0 0 0 -"
	sums
	check_totals "$name" "${d[i + 1]}"
}

# batch NAME NS PORT DST SRC MODE: the whole corpus in one go (badframes
# with no CASE): the same totals.
batch() {
	local name=$1 ns=$2 port=$3 dst=$4 src=$5 f=/tmp/readings.json
	local c len st bad="" d
	mode=$6

	reading "$port" > $f
	CASES_OUT=$(ip netns exec "$ns" badframes eth0 "$dst" "$src" 2>> /tmp/badframes.err)
	sleep 1
	reading "$port" >> $f
	expect "$name: badframes tried every case" "$(wc -l <<< "$CASES_OUT")" -eq "$(wc -w <<< "$cases")"
	while read -r c len st; do
		want "$c" "$mode"
		[ "$st" = "${W%% *}" ] || bad+="$c: $st, want ${W%% *}; "
	done <<< "$CASES_OUT"
	expect "$name: each case sent or refused as wanted" "${bad:-none}" = none
	mapfile -t d <<< "$(deltas $f)"
	sums
	check_totals "$name" "${d[1]}"
}

rm -f /tmp/badframes.err
SECONDS=0
# From a guest: unknown unicast (flooded to g2, the uplink and the host),
# known unicast (to g2 alone) and broadcast.  A round that sends case by
# case takes about a minute on the TCG debug kernel, so some directions
# send the whole corpus at once and check only the totals.
round "g1 unknown unicast" g1 g1 "$unknown" "$m1" plain
check "runts are refused by the socket (EINVAL), not sent" \
	grep -q "runt-1: Invalid argument" /tmp/badframes.err
learn_g2
round "g1 known unicast" g1 g1 "$m2" "$m1" plain
batch "g1 broadcast, at once" g1 g1 "$bcast" "$m1" plain
expect "no bad source was learned" \
	"$(vmbr -j fdb show vmbr0 | jq '[.[] | select(.mac | test("^(01:00:5e|ff:ff|00:00:00:00)"))] | length')" -eq 0
echo "VMBR-CASE time: $SECONDS s"

# The same from a guest locked to its own MAC, then from that guest with a
# MAC it is not locked to: everything that reaches the port is lock-mac
# (what the VLAN policy or the parser refuses is refused first).
check "lock g1 to its MAC" vmbr port set vmbr0 g1 lock-mac "$m1"
learn_g2
batch "g1 locked, known unicast, at once" g1 g1 "$m2" "$m1" plain
batch "g1 locked, unknown unicast, at once" g1 g1 "$unknown" "$m1" plain
batch "g1 locked, broadcast, at once" g1 g1 "$bcast" "$m1" plain
round "g1 locked, spoofed source" g1 g1 "$bcast" "$spoofed" spoof
expect "a spoofed source is never learned" "$(fdb_port "$spoofed" 1)" = ""
check "lock-mac off" vmbr port set vmbr0 g1 lock-mac off
echo "VMBR-CASE time: $SECONDS s"

# From the LAN, through the uplink: to g2 and broadcast.
learn_g2
round "LAN to g2" lan uplink0 "$m2" "$ml" uplink
round "LAN broadcast" lan uplink0 "$bcast" "$ml" uplink
learn_g2
batch "LAN unknown unicast, at once" lan uplink0 "$unknown" "$ml" uplink
batch "g1 known unicast, at once" g1 g1 "$m2" "$m1" plain
echo "VMBR-CASE time: $SECONDS s"

# The vmbridge still switches.
check "g1 still reaches g2" ping_ok g1 192.0.2.2
check "the LAN still reaches g1" ping_ok lan 192.0.2.1
check "the host still reaches g2" ping_host_ok 192.0.2.2
