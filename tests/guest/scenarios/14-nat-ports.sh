# nat mode: external ports when one guest has many flows (issue 23).  One
# guest maps far more than half of the range, a second still gets its flows
# at once, and the host's own sockets keep their traffic where the range
# takes in the host's ephemeral ports.
#
#   g1 (192.168.100.10, veth) --+
#   g2 (192.168.100.11, veth) --+-- vmbr0 [nat] 192.168.100.1/24
#                                   | ports 20000-21999
#                                   | uplink uplink0 198.51.100.2/24
#                                   | host: ip_local_port_range 21000-21999,
#                                   | a UDP socket of its own on 20500
#   lan: eth0 198.51.100.1/24; udp/9 counted and dropped (tc);
#        udp/7001 whoami (udpprobe -S)
#
# pktgen in g1 sends one datagram from each of 1900 source ports to
# lan:9: the 1000 ports outside the host's ephemeral range, less the host's
# one, then 901 of those inside it.  The old rule (half of the ports
# outside the ephemeral range to a guest) mapped 500 of them.

spawn() {	# spawn NAME CMD...: in the background, killed by cleanup
	local name=$1
	shift
	"$@" > "/tmp/$name.log" 2>&1 &
	echo $! > "/tmp/$name.pid"
}
wait_udp() {	# wait_udp NS|- PORT: until a UDP socket is bound there
	local run=(ip netns exec "$1")
	[ "$1" = - ] && run=()
	for _ in $(seq 50); do
		"${run[@]}" netstat -lnu 2>/dev/null | grep -q ":$2 " && return 0
		sleep 0.1
	done
	return 1
}
snap() { vmbr -j -s nat show vmbr0; }
jn() { jq -r "$1" <<< "$2"; }
# pg NS SPORT-LO SPORT-HI: pktgen in NS sends one 64-byte datagram from
# each UDP source port LO..HI-1 to lan:9, and returns when done.
pg() {
	local ns=$1 d=/proc/net/pktgen c
	ip netns exec "$ns" sh -e -c "
		echo rem_device_all > $d/kpktgend_0
		echo 'add_device eth0' > $d/kpktgend_0" || return 1
	for c in "count $(($3 - $2))" "clone_skb 0" "burst 1" "pkt_size 60" \
		 "delay 0" "dst_mac $gw_mac" "src_min $(addr_of_ns "$ns")" \
		 "src_max $(addr_of_ns "$ns")" "dst 198.51.100.1" \
		 "udp_src_min $2" "udp_src_max $3" "udp_dst_min 9" \
		 "udp_dst_max 9" "flag NO_TIMESTAMP"; do
		ip netns exec "$ns" sh -c "echo '$c' > $d/eth0" || return 1
		ip netns exec "$ns" grep -q "^Result: OK" "$d/eth0" ||
			{ echo "pktgen: $c: $(ip netns exec "$ns" grep Result "$d/eth0")"; return 1; }
	done
	ip netns exec "$ns" sh -c "echo start > $d/pgctrl"
}
addr_of_ns() { ip -n "$1" -4 -o addr show dev eth0 | awk '{ sub("/.*", "", $4); print $4 }'; }
sunk() {	# datagrams to lan:9 so far
	tc -n lan -s -j filter show dev eth0 ingress pref 1 |
		jq '[.[] | .options.actions[]?.stats.packets // empty] | add // 0'
}
# deltas BEFORE AFTER: how each NAT counter moved, in D[...].  Through
# files: a snapshot with its sessions is bigger than an argument may be.
declare -A D
deltas() {
	local k v
	D=()
	printf '%s' "$1" > /tmp/nat-a.json
	printf '%s' "$2" > /tmp/nat-b.json
	while read -r k v; do
		[ -n "$k" ] && D[$k]=$v
	done <<< "$(jq -rn --slurpfile a /tmp/nat-a.json --slurpfile b /tmp/nat-b.json \
		'$b[0].stats | paths(numbers) as $p | "\($p | join(".")) \(getpath($p) -
		(($a[0].stats | getpath($p)) // 0))"')"
}

modprobe pktgen 2>/dev/null
read -r eph_lo0 eph_hi0 < /proc/sys/net/ipv4/ip_local_port_range
sysctl -qw net.ipv4.ip_local_port_range="21000 21999"
lan 198.51.100.1/24
ip addr add 198.51.100.2/24 dev uplink0
tc -n lan qdisc add dev eth0 clsact
tc -n lan filter add dev eth0 ingress protocol ip pref 1 flower ip_proto udp \
	dst_port 9 action drop
spawn lan-udp ip netns exec lan udpprobe -S 7001
spawn host-udp udpprobe -S 20500
wait_udp lan 7001 && wait_udp - 20500 || fail "servers listen"

ip link add vmbr0 type vmbridge
ip addr add 192.168.100.1/24 dev vmbr0
ip link set vmbr0 up
check "nat mode, ports 20000-21999" sh -c 'vmbr set vmbr0 mode nat uplink uplink0 &&
	vmbr nat set vmbr0 ports 20000-21999 max-sessions 100000 max-sessions-per-guest 100000'
guest g1 192.168.100.10/24
guest g2 192.168.100.11/24
for g in g1 g2; do ip -n $g route add default via 192.168.100.1; done
gw_mac=$(cat /sys/class/net/vmbr0/address)
ping -c 1 -w 4 198.51.100.1 > /dev/null	# the LAN's MAC, known

# One guest, 1900 flows: all mapped, the host's port never.
a=$(snap) s0=$(sunk)
check "g1: pktgen sends from 1900 source ports" pg g1 40000 41900
sleep 1
b=$(snap)
deltas "$a" "$b"
expect "g1: 1900 mappings (of 2000 ports)" "$(jn .mappings "$b")" -eq 1900
expect "g1: none refused (no-port)" "${D[drops.no-port]:-x}" -eq 0
expect "g1: 1900 datagrams reached the LAN" "$(($(sunk) - s0))" -eq 1900
expect "g1: the host's port 20500 never given out" \
	"$(jn '[.session_list[] | select(.ext_port == 20500)] | length' "$b")" -eq 0
expect "g1: 901 ports from the host's ephemeral range, once the rest were taken" \
	"$(jn '[.session_list[] | select(.ext_port >= 21000)] | length' "$b")" -eq 901
# Unpredictable: consecutive source ports do not get consecutive ports.
expect "g1: external ports not in the order of the guest's (RFC 6056)" \
	"$(jn '[.session_list[] | select(.int_addr == "192.168.100.10")] |
		sort_by(.int_port) | [range(1; length) as $i |
		select(.[$i].ext_port == .[$i - 1].ext_port + 1)] | length' "$b")" -lt 95

# A second guest gets its flows at once.
a=$b s0=$(sunk)
check "g2: pktgen sends from 20 source ports" pg g2 50000 50020
sleep 1
b=$(snap)
deltas "$a" "$b"
expect "g2: 20 mappings more" "$(($(jn .mappings "$b") - $(jn .mappings "$a")))" -eq 20
expect "g2: none refused" "${D[drops.no-port]:-x}" -eq 0
expect "g2: 20 datagrams reached the LAN" "$(($(sunk) - s0))" -eq 20

# g1, over its share, borrows only down to the reserve (1/64 of the
# range); g2 still gets its next flows.
a=$b
check "g1: 100 source ports more" pg g1 41900 42000
sleep 1
b=$(snap)
deltas "$a" "$b"
g1more=$(($(jn .mappings "$b") - $(jn .mappings "$a")))
expect "g1: some borrowed" "$g1more" -ge 40
expect "g1: stopped at the reserve" "$g1more" -le 60
expect "g1: the rest refused, counted as no-port" "${D[drops.no-port]:-x}" -eq $((100 - g1more))
a=$b
check "g2: 20 source ports more" pg g2 50020 50040
sleep 1
b=$(snap)
deltas "$a" "$b"
expect "g2: all 20 mapped at once" "$(($(jn .mappings "$b") - $(jn .mappings "$a")))" -eq 20
expect "g2: none refused" "${D[drops.no-port]:-x}" -eq 0

# The host's own flows from its ephemeral range, where guests' mappings
# are now: its stack picks those ports too, and their answers are its own.
mapped=$(jn '[.session_list[].ext_port] | map(tostring) | join(" ")' "$b")
ok=0 onguest=0
for _ in 1 2 3 4 5 6; do
	out=$(udpprobe -w 1000 198.51.100.1 7001)
	[[ $out =~ ^198\.51\.100\.2:([0-9]+)$ ]] || continue
	ok=$((ok + 1))
	[[ " $mapped " = *" ${BASH_REMATCH[1]} "* ]] && onguest=$((onguest + 1))
done
expect "the host's own UDP from its ephemeral range is answered" "$ok" -eq 6
expect "also from ports a guest's mapping holds" "$onguest" -ge 1
# A host's flow from a guest's port to the very remote end of a session
# of that guest's would be the same 5-tuple: the guest's keeps it.
p=$(jn '[.session_list[] | select(.int_addr == "192.168.100.10")][0].ext_port' "$b")
a=$(snap) s0=$(sunk)
udpprobe -s "$p" -w 300 198.51.100.1 9 > /dev/null
b=$(snap)
deltas "$a" "$b"
expect "a host's datagram that would share a guest's 5-tuple stays in" "$(($(sunk) - s0))" -eq 0
expect "and is counted (no-port)" "${D[drops.no-port]:-x}" -eq 1

sysctl -qw net.ipv4.ip_local_port_range="$eph_lo0 $eph_hi0"
