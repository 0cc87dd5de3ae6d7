# nat mode: guests masqueraded to the uplink's address, with no ip_forward
# and no netfilter rule, next to a host that has its own nftables ruleset.
#
#   g1 (192.168.100.10, veth) ---------+
#   g2 (192.168.100.11, TAP, vnet hdr) +-- vmbr0 [nat] 192.168.100.1/24
#                                          | uplink uplink0 198.51.100.2/24
#                                          | host: ip_forward=0, nftables
#                                          | (input drop but established),
#                                          | route 203.0.113.0/24 via .1
#                                          |
#   (late on: the uplink address changes; a tun device as the uplink of vmbr9)
#   lan: eth0 198.51.100.1/24 (and .3, a stranger); a router (ip_forward=1);
#        servers: tcp/7000 whoami (socat), udp/7001 whoami+echo (udpprobe),
#        httpd :80, iperf3; tcpdump of everything on its wire
#        rtr0 203.0.113.1/24
#          |
#   far: eth0 203.0.113.10/24 (tcp/7000, udp/7001), later .11 (tcp/7005 sink)
#
# Late on, the uplink's link gets MTU 1400 and lan-far MTU 1300.  "whoami"
# servers answer with the address and port they saw, so a guest learns its
# external endpoint from the answer.

spawn() {	# spawn NAME CMD...: in the background, killed by cleanup
	local name=$1
	shift
	"$@" > "/tmp/$name.log" 2>&1 &
	echo $! > "/tmp/$name.pid"
}
# socat's whoami: what it saw of its peer (socat sets SOCAT_PEER*).
printf '#!/bin/sh\necho "$SOCAT_PEERADDR:$SOCAT_PEERPORT"\n' > /tmp/whoami.sh
chmod 755 /tmp/whoami.sh
whoami_srv=EXEC:/tmp/whoami.sh
# whoami_tcp NS ADDR PORT [SOCAT-OPTIONS]: what a TCP whoami server saw.
whoami_tcp() {
	ip netns exec "$1" socat -t 5 -T 5 - \
		"TCP4:$2:$3,connect-timeout=${CT:-3}${4:+,$4}" < /dev/null 2>&1
}
# The address of a whoami answer "ADDR:PORT", or the whole answer if it is
# not one (an error message).
addr_of() {
	[[ $1 =~ ^([0-9.]+):[0-9]+$ ]] && echo "${BASH_REMATCH[1]}" || echo "$1"
}
# wait_port NS t|u PORT: until something listens there (NS -: the host).
wait_port() {
	local run=(ip netns exec "$1")
	[ "$1" = - ] && run=()
	for _ in $(seq 50); do
		"${run[@]}" netstat -ln"$2" 2>/dev/null | grep -q ":$3 " && return 0
		sleep 0.1
	done
	echo "nothing listens on $2/$3 in $1"
	return 1
}
# ... and succeeds when it answered.
whoami_tcp_ok() { [[ $(whoami_tcp "$@") =~ ^[0-9.]+:[0-9]+$ ]]; }
ping1() { ip netns exec "$1" ping -c 1 -w 4 "$2" > /dev/null; }
snap() { vmbr -j -s nat show vmbr0; }
at() { echo "12-nat at $SECONDS s: $1"; }
# deltas BEFORE AFTER: how each NAT counter moved, in D[out_packets],
# D[drops.filtered], ... (empty if the counters are missing)
declare -A D
deltas() {
	local k v
	D=()
	while read -r k v; do
		D[$k]=$v
	done <<< "$(jq -rn --argjson a "$1" --argjson b "$2" '$b.stats |
		paths(numbers) as $p | "\($p | join(".")) \(getpath($p) -
		(($a.stats | getpath($p)) // 0))"' 2>/dev/null)"
}
# ip_hex A.B.C.D: an IPv4 address as 8 hex digits.
ip_hex() { local IFS=.; printf '%02x%02x%02x%02x' $1; }
# ipv4_hex SRC DST PROTO PAYLOAD-HEX: an IPv4 packet in hex (DF unless
# IPV4_DF=0, or the flags and fragment offset word IPV4_FRAG in hex; ID
# IPV4_ID or 0; options IPV4_OPTS in hex, a multiple of 4 bytes; TTL 64;
# its header checksum right), for framegen.
ipv4_hex() {
	local src dst len sum=0 w hdr flags=4000 opts=${IPV4_OPTS:-}
	[ "${IPV4_DF:-1}" = 0 ] && flags=0000
	flags=${IPV4_FRAG:-$flags}
	src=$(ip_hex "$1") dst=$(ip_hex "$2")
	len=$((20 + ${#opts} / 2 + ${#4} / 2))
	hdr=$(printf '4%x00%04x%04x%s%02x%02x0000%s%s%s' $((5 + ${#opts} / 8)) \
		"$len" "${IPV4_ID:-0}" "$flags" 64 "$3" "$src" "$dst" "$opts")
	for w in $(fold -w4 <<< "$hdr"); do
		sum=$((sum + 16#$w))
	done
	sum=$(((sum & 0xffff) + (sum >> 16)))
	sum=$(((sum & 0xffff) + (sum >> 16)))
	printf '%s%04x%s%s\n' "${hdr:0:20}" $((~sum & 0xffff)) "${hdr:24}" "$4"
}
# udp_hex SPORT DPORT: a UDP header (no checksum) and 8 bytes of payload.
udp_hex() { printf '%04x%04x00100000%s\n' "$1" "$2" 7465737464617461; }
# udp_big_hex SPORT DPORT N: a UDP header (no checksum) and N zero bytes.
udp_big_hex() { printf '%04x%04x%04x0000%0*d\n' "$1" "$2" $((8 + $3)) $((2 * $3)) 0; }
mac_of() { ip netns exec "$1" cat "/sys/class/net/$2/address"; }	# NS DEV
# from_lan FRAME-HEX...: the LAN sends each (from its Ethernet type on) to
# the uplink's MAC; how the NAT's counters moved is in D.
from_lan() {
	local a b f
	a=$(snap)
	for f in "$@"; do
		ip netns exec lan framegen eth0 1 "$(cat /sys/class/net/uplink0/address)" \
			"$(mac_of lan eth0)" "$f" > /dev/null
	done
	sleep 0.5
	b=$(snap)
	deltas "$a" "$b"
}
# A capture in a namespace, started once tcpdump listens.
capture() {	# capture NAME NS FILTER [COUNT [TCPDUMP-OPTION]]
	ip netns exec "$2" timeout 8 tcpdump -nl -i eth0 -c "${4:-1}" ${5:+"$5"} "$3" \
		> "/tmp/$1.cap" 2> "/tmp/$1.err" &
	echo $! > "/tmp/$1.cappid"
	for _ in $(seq 50); do
		grep -q "listening on" "/tmp/$1.err" && return
		sleep 0.1
	done
}
captured() { wait "$(cat "/tmp/$1.cappid")"; cat "/tmp/$1.cap"; }
# Count IPv4 packets matching a flower filter on eth0 of NS.
count_in() {	# count_in NS PREF FLOWER-MATCH...
	local ns=$1 pref=$2
	shift 2
	tc -n "$ns" qdisc add dev eth0 clsact 2>/dev/null
	tc -n "$ns" filter add dev eth0 ingress protocol ip pref "$pref" \
		flower "$@" action pass
}
counted_in() {	# counted_in NS PREF
	tc -n "$1" -s -j filter show dev eth0 ingress pref "$2" |
		jq '[.[] | .options.actions[]?.stats.packets // empty] | add // 0'
}
nft_counter() {
	nft -j list counter inet hostfw "$1" |
		jq '.nftables[] | select(.counter) | .counter.packets'
}

# The LAN, its router and the network behind it.
lan 198.51.100.1/24
ip -n lan addr add 198.51.100.3/24 dev eth0
ip netns exec lan sysctl -qw net.ipv4.ip_forward=1
ip netns add far
ip link add rtr0 netns lan type veth peer name eth0 netns far
ip -n lan addr add 203.0.113.1/24 dev rtr0
ip -n lan link set rtr0 up
ip -n far link set lo up
ip netns exec far sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip -n far addr add 203.0.113.10/24 dev eth0
ip -n far link set eth0 up
ip -n far route add default via 203.0.113.1
ip addr add 198.51.100.2/24 dev uplink0
ip route add 203.0.113.0/24 via 198.51.100.1 dev uplink0
sysctl -qw net.ipv4.ip_forward=0
read -r eph_lo eph_hi < /proc/sys/net/ipv4/ip_local_port_range

spawn lancap ip netns exec lan tcpdump -i eth0 -s 96 -U -w /tmp/lan.pcap
for ns in lan far; do
	spawn $ns-tcp ip netns exec $ns socat -t 5 TCP4-LISTEN:7000,fork,reuseaddr \
		"$whoami_srv"
	spawn $ns-udp ip netns exec $ns udpprobe -S 7001
done
mkdir -p /tmp/www
head -c 300000 /dev/urandom > /tmp/www/blob
spawn lan-httpd ip netns exec lan httpd -f -p 80 -h /tmp/www
ip netns exec lan iperf3 -s -D -I /tmp/iperf3.pid > /dev/null
for ns in lan far; do
	wait_port $ns t 7000 && wait_port $ns u 7001
done
wait_port lan t 80 && wait_port lan t 5201

# The host's own firewall: conntrack, reject, NAT of its own (for another
# network), fib where the kernel has it.
check "host nftables ruleset loaded" nft -f - <<'EOF'
table inet hostfw {
	counter guest_in_host_stack {}
	counter host_new_out {}
	set guest_in_host_stack_seen {
		type ipv4_addr . ipv4_addr . inet_proto . inet_service
		flags dynamic
		size 64
	}
	chain pre {
		type filter hook prerouting priority -300; policy accept;
		ip saddr 192.168.100.0/24 ip daddr != 192.168.100.1 \
			add @guest_in_host_stack_seen { ip saddr . ip daddr . meta l4proto . th dport } \
			counter name guest_in_host_stack
	}
	chain input {
		type filter hook input priority 0; policy drop;
		iif lo accept
		ct state established,related accept
		ct state invalid drop
		icmp type echo-request accept
		tcp dport 2222 accept
		udp dport 5600 accept
		meta l4proto tcp reject with tcp reset
		reject with icmpx type port-unreachable
	}
	chain forward {
		type filter hook forward priority 0; policy drop;
	}
	chain output {
		type filter hook output priority 0; policy accept;
		ct state new counter name host_new_out
	}
}
table ip hostnat {
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "uplink0" ip saddr 192.0.2.0/24 masquerade
	}
}
EOF
nft insert rule inet hostfw input iif != lo fib saddr . iif oif missing drop 2>/dev/null ||
	echo "note: no nft fib in this kernel"

ip link add vmbr0 type vmbridge
ip addr add 192.168.100.1/24 dev vmbr0
ip link set vmbr0 up
check "nat mode with uplink uplink0" vmbr set vmbr0 mode nat uplink uplink0
expect "mode reported" "$(vmbr -j show vmbr0 | jq -r '.[0].mode')" = nat
expect "NAT uses the uplink's address" "$(vmbr -j nat show vmbr0 | jq -r .address)" = 198.51.100.2
expect "uplink not promiscuous in nat mode" \
	"$(ip -j -d link show uplink0 | jq '.[0].promiscuity')" -eq 0
guest g1 192.168.100.10/24
check "QEMU-style TAP guest g2 attached" tap_guest g2 192.168.100.11/24
for g in g1 g2; do ip -n $g route add default via 192.168.100.1; done

at basics
# Basics: the gateway, the host, each other, the LAN, beyond the LAN.
check "a guest reaches its gateway" ping1 g1 192.168.100.1
check "the host reaches a guest" ping -c 1 -w 4 192.168.100.10
check "guests reach each other (veth and TAP)" ping1 g1 192.168.100.11
check "the host reaches the LAN under its firewall" ping -c 1 -w 4 198.51.100.1
a=$(snap)
check "ICMP echo: a guest pings the LAN through the NAT" \
	ip netns exec g1 ping -c 3 -i 0.2 -w 6 198.51.100.1
b=$(snap)
deltas "$a" "$b"
expect "3 echo requests translated out" "${D[out_packets]}" -eq 3
expect "3 echo replies translated in" "${D[in_packets]}" -eq 3
expect "one session created for them" "${D[sessions_created]}" -eq 1
icmp_ext=$(jq -r '[.session_list[] | select(.proto == "icmp" and .int_addr == "192.168.100.10" and .rem_addr == "198.51.100.1")][0].ext_port' <<< "$b")
expect "the echo session is listed, by identifier" "$icmp_ext" -ge 0
check "a guest pings a host behind the LAN's router" ping1 g2 203.0.113.10

at udp
# UDP: the servers see the uplink address; the port of a guest socket is
# kept when free and outside the host's ephemeral range, and the same to
# any destination (endpoint-independent mapping).
out=$(ip netns exec g1 udpprobe -s 5555 198.51.100.1 7001 203.0.113.10 7001)
echo "$out"
l1=$(sed -n 1p <<< "$out") l2=$(sed -n 2p <<< "$out")
expect "UDP: the LAN sees the uplink address, port 5555 kept" "$l1" = 198.51.100.2:5555
expect "UDP: the same external endpoint towards a second server" "$l2" = "${l1/timeout/none}"
s=$(snap)
expect "UDP session listed with its endpoints and counts" \
	"$(jq -r '[.session_list[] | select(.proto == "udp" and .int_addr == "192.168.100.10" and .int_port == 5555 and .rem_addr == "198.51.100.1" and .rem_port == 7001) | "\(.ext_addr):\(.ext_port) out \(.packets_out) in \(.packets_in) forward \(.forward)"][0]' <<< "$s")" \
	= "198.51.100.2:5555 out 1 in 1 forward false"
expect "it expires within timeout-udp" \
	"$(jq '[.session_list[] | select(.proto == "udp" and .int_port == 5555)][0].expires_ms as $e | if $e > 0 and $e <= .timeout_udp * 1000 then 1 else 0 end' <<< "$s")" -eq 1
expect "session count matches the list" "$(jq '.sessions - (.session_list | length)' <<< "$s")" -eq 0
# An established session goes out to the next hop it found only while the
# host's routes stay as they were: with the far network's route withdrawn
# its packets are the host's (which does not forward), with it back they
# leave again, from the same external endpoint.
c0=$(nft_counter guest_in_host_stack)
ip route del 203.0.113.0/24 via 198.51.100.1 dev uplink0
out=$(ip netns exec g1 udpprobe -s 5555 -w 1000 203.0.113.10 7001)
expect "a session's packets stop where the route is withdrawn" "$out" = timeout
expect "and are the host's (its prerouting saw the one datagram)" \
	"$(($(nft_counter guest_in_host_stack) - c0))" -eq 1
# That one was sent there; the check of the host's stack below is about
# everything else.
nft reset counter inet hostfw guest_in_host_stack > /dev/null
nft flush set inet hostfw guest_in_host_stack_seen
ip route add 203.0.113.0/24 via 198.51.100.1 dev uplink0
out=$(ip netns exec g1 udpprobe -s 5555 203.0.113.10 7001)
expect "and go again, through the same mapping, when it is back" "$out" = "$l1"
out=$(ip netns exec g1 udpprobe -s 40000 198.51.100.1 7001)
echo "ephemeral 40000 -> $out"
p=${out##*:}
expect "UDP: a guest port in the host's ephemeral range is not kept" "$p" -ne 40000
expect "UDP: nor given out from that range" \
	"$([[ $p =~ ^[0-9]+$ ]] && { [ "$p" -lt "$eph_lo" ] || [ "$p" -gt "$eph_hi" ]; } && echo y || echo "$out")" = y
spawn host-udp udpprobe -S 5600
wait_port - u 5600
out=$(ip netns exec g1 udpprobe -s 5600 198.51.100.1 7001)
echo "5600 (held by the host) -> $out"
expect "UDP: a port the host holds is never given to a guest" "${out##*:}" -ne 5600
out=$(ip netns exec lan udpprobe 198.51.100.2 5600)
expect "the host's own UDP socket still gets the LAN's datagrams" "$(addr_of "$out")" = 198.51.100.1
out=$(udpprobe 198.51.100.1 7001)
expect "the host's own UDP to the LAN still works" "$(addr_of "$out")" = 198.51.100.2

at tcp
# TCP: the same, and a download and bulk transfer from a TAP guest whose
# GSO super-packets cross the NAT whole.
out=$(whoami_tcp g1 198.51.100.1 7000 sourceport=5556,reuseaddr)
expect "TCP: the LAN sees the uplink address, port 5556 kept" "$out" = 198.51.100.2:5556
out=$(whoami_tcp g1 203.0.113.10 7000 sourceport=5556,reuseaddr)
expect "TCP: the same external endpoint towards a second server" "$out" = 198.51.100.2:5556
expect "the first TCP session is listed as closing" \
	"$(snap | jq -r '[.session_list[] | select(.proto == "tcp" and .int_port == 5556 and .rem_addr == "198.51.100.1")][0].tcp_state')" = closing
spawn host-tcp socat -t 5 TCP4-LISTEN:2222,fork,reuseaddr "$whoami_srv"
wait_port - t 2222
out=$(whoami_tcp g1 198.51.100.1 7000 sourceport=2222,reuseaddr)
echo "2222 (the host listens) -> $out"
expect "TCP: a port the host listens on is never given to a guest" "${out##*:}" -ne 2222
out=$(whoami_tcp lan 198.51.100.2 2222)
expect "the LAN still reaches the host's own TCP service" "$(addr_of "$out")" = 198.51.100.1
out=$(socat -t 5 -T 5 - TCP4:198.51.100.1:7000,connect-timeout=3 < /dev/null 2>&1)
expect "the host's own TCP to the LAN works under its firewall" "$(addr_of "$out")" = 198.51.100.2
ip netns exec g1 timeout 20 wget -q -O /tmp/g1.blob http://198.51.100.1/blob
expect "TCP: a 300 kB download through the NAT arrives intact" \
	"$(md5sum < /tmp/g1.blob)" = "$(md5sum < /tmp/www/blob)"

tx() { ip -j -s link show uplink0 | jq -r ".[0].stats64.tx.$1"; }
tp=$(tx packets) tb=$(tx bytes) gso=$(tap_stat g2 guest_to_host_gso)
res=$(ip netns exec g2 iperf3 -c 198.51.100.1 -n 4M -J 2>&1)
# With -n the client ends once its bytes are written; what is still in
# flight then may be missing from sum_received.
expect "iperf3 TCP from the TAP guest through the NAT completes 4 MB" \
	"$(jq '.end.sum_sent.bytes // 0' <<< "$res" 2>/dev/null)" -ge 4194304
expect "and the LAN received data" \
	"$(jq '.end.sum_received.bytes // 0' <<< "$res" 2>/dev/null)" -gt 0
expect "the TAP guest sent GSO super-packets into the NAT" \
	"$(( $(tap_stat g2 guest_to_host_gso) - gso ))" -gt 0
tp=$(( $(tx packets) - tp )) tb=$(( $(tx bytes) - tb ))
echo "uplink0 tx during iperf3: $tp packets, $tb bytes"
expect "they left the uplink unsegmented (mean packet > 1514 bytes)" \
	"$(( tb / (tp ? tp : 1) ))" -gt 1514
gso=$(tap_stat g2 host_to_guest_gso)
res=$(ip netns exec g2 iperf3 -c 198.51.100.1 -R -n 2M -J 2>&1)
expect "iperf3 TCP from the LAN to the TAP guest completes 2 MB" \
	"$(jq '.end.sum_sent.bytes // 0' <<< "$res" 2>/dev/null)" -ge 2097152
expect "and the TAP guest received data" \
	"$(jq '.end.sum_received.bytes // 0' <<< "$res" 2>/dev/null)" -gt 0
expect "the LAN's GSO super-packets reached the TAP guest whole" \
	"$(( $(tap_stat g2 host_to_guest_gso) - gso ))" -gt 0

at fragments
# Fragments: a 3000-byte datagram each way, in order and out of order.
out=$(ip netns exec g1 udpprobe -n 3000 -e 198.51.100.1 7001)
expect "UDP 3000 bytes out and back, fragmented" "$out" = "echo 3000 ok"
out=$(ip netns exec g1 udpprobe -f -n 3000 -e 198.51.100.1 7001)
expect "the same, the guest's fragments last first" "$out" = "echo 3000 ok"
ip netns exec g1 udpprobe -s 5557 -w 8000 -l 1 -x 3000 198.51.100.1 7001 \
	> /tmp/g1frag.out 2>&1 &
fragpid=$!
for _ in $(seq 50); do [ -s /tmp/g1frag.out ] && break; sleep 0.1; done
ext=$(sed -n 1p /tmp/g1frag.out)
ip netns exec lan udpprobe -s 7002 -f -n 3000 -w 0 198.51.100.2 "${ext##*:}"
wait $fragpid
expect "inbound fragments, last first, reach the guest whole" \
	"$(sed -n 2p /tmp/g1frag.out)" = "from 198.51.100.1:7002 3000 ok"

at forwards
# Port forwards, from the LAN and hairpinned from a guest.
spawn g1-tcp80 ip netns exec g1 socat -t 5 TCP4-LISTEN:80,fork,reuseaddr "$whoami_srv"
spawn g2-udp ip netns exec g2 udpprobe -S 5353
wait_port g1 t 80 && wait_port g2 u 5353
check "forward tcp 8080 to g1:80" vmbr nat forward add vmbr0 tcp 8080 to 192.168.100.10:80
check "forward udp 5353 to g2" vmbr nat forward add vmbr0 udp 5353 to 192.168.100.11
check_fails "a second forward of tcp 8080 is refused" \
	vmbr nat forward add vmbr0 tcp 8080 to 192.168.100.11:80
expect "forwards listed" \
	"$(vmbr -j nat forward show vmbr0 | jq -r '[.[] | "\(.proto) \(.ext_port) \(.int_addr):\(.int_port // .ext_port)"] | sort | join(",")')" \
	= "tcp 8080 192.168.100.10:80,udp 5353 192.168.100.11:5353"
# Sessions are CAP_NET_ADMIN's to read, as conntrack's; forwards anyone's.
out=$(su nobody -s /bin/sh -c "vmbr nat show vmbr0" 2>&1); rc=$?
expect "an unprivileged nat show fails" "$rc" -ne 0
check "saying the sessions need CAP_NET_ADMIN" grep -q "CAP_NET_ADMIN" <<< "$out"
check "after the settings" grep -q "198.51.100.2" <<< "$out"
check "forwards are readable by anyone" \
	su nobody -s /bin/sh -c "vmbr nat forward show vmbr0"
out=$(whoami_tcp lan 198.51.100.2 8080)
expect "the LAN reaches g1:80 through tcp 8080 (g1 sees the LAN's address)" "$(addr_of "$out")" = 198.51.100.1
out=$(ip netns exec lan udpprobe 198.51.100.2 5353)
expect "the LAN reaches g2 through udp 5353" "$(addr_of "$out")" = 198.51.100.1
expect "the forwarded session is listed as a forward" \
	"$(snap | jq '[.session_list[] | select(.forward == true and .proto == "tcp" and .int_port == 80 and .ext_port == 8080)] | length')" -ge 1
a=$(snap)
out=$(whoami_tcp g2 198.51.100.2 8080)
expect "hairpin: g2 reaches g1 through tcp 8080, seen from the uplink address" "$(addr_of "$out")" = 198.51.100.2
out=$(ip netns exec g1 udpprobe 198.51.100.2 5353)
expect "hairpin: g1 reaches g2 through udp 5353, seen from the uplink address" "$(addr_of "$out")" = 198.51.100.2
b=$(snap)
deltas "$a" "$b"
expect "hairpin counted" "${D[hairpin]}" -gt 0

at unsolicited
# Unsolicited inbound reaches no guest; filtering decides who may answer.
count_in g1 1 src_ip 198.51.100.3
count_in g2 1 src_ip 198.51.100.3
count_in g1 2 src_ip 198.51.100.1 ip_proto udp src_port 7003
a=$(snap)
ip netns exec lan udpprobe -b 198.51.100.3 -w 0 198.51.100.2 5555	# g1's mapping
ip netns exec lan udpprobe -b 198.51.100.3 -w 0 198.51.100.2 9998	# none
CT=1 whoami_tcp lan 198.51.100.2 9999 bind=198.51.100.3 > /dev/null
CT=1 whoami_tcp lan 198.51.100.2 5556 bind=198.51.100.3 > /dev/null
sleep 0.5
b=$(snap)
deltas "$a" "$b"
expect "unsolicited: nothing from a stranger reached g1" "$(counted_in g1 1)" -eq 0
expect "unsolicited: nor g2" "$(counted_in g2 1)" -eq 0
expect "address-dependent: a stranger's datagram to a mapping is dropped as filtered" \
	"${D[drops.filtered]}" -ge 1
check "filtering endpoint-independent" vmbr nat set vmbr0 filtering endpoint-independent
expect "filtering reported" "$(vmbr -j nat show vmbr0 | jq -r .filtering)" = endpoint-independent
ip netns exec lan udpprobe -b 198.51.100.3 -w 0 198.51.100.2 5555
sleep 0.5
expect "endpoint-independent: now the stranger's datagram reaches g1" "$(counted_in g1 1)" -eq 1
check "filtering address-and-port-dependent" \
	vmbr nat set vmbr0 filtering address-and-port-dependent
a=$(snap)
ip netns exec lan udpprobe -s 7003 -w 0 198.51.100.2 5555
sleep 0.5
b=$(snap)
deltas "$a" "$b"
expect "address-and-port-dependent: a known address from another port is refused" \
	"$(counted_in g1 2)" -eq 0
expect "and counted as filtered" "${D[drops.filtered]}" -eq 1
check "filtering address-dependent" vmbr nat set vmbr0 filtering address-dependent
ip netns exec lan udpprobe -s 7003 -w 0 198.51.100.2 5555
sleep 0.5
expect "address-dependent: that datagram passes" "$(counted_in g1 2)" -eq 1

at wire-checks
# What the host's stack would refuse is not the NAT's: a source that is the
# uplink address itself, and a frame tagged with a VLAN the uplink has no
# device for.  The same datagram, untagged from a stranger (.9: the earlier
# counters take .3's), reaches g1 through a forward (any source may use a
# forward; g1 answers it with a port unreachable, which goes out).
check "forward udp 5354 to g1" vmbr nat forward add vmbr0 udp 5354 to 192.168.100.10
count_in g1 3 ip_proto udp src_port 7777
count_in g1 4 ip_proto udp src_port 7778
count_in g1 5 ip_proto udp src_port 7779
from_lan "0800$(ipv4_hex 198.51.100.9 198.51.100.2 17 "$(udp_hex 7777 5354)")" \
	"0800$(ipv4_hex 198.51.100.2 198.51.100.2 17 "$(udp_hex 7778 5354)")" \
	"81000007""0800$(ipv4_hex 198.51.100.9 198.51.100.2 17 "$(udp_hex 7779 5354)")"
expect "a crafted datagram from a stranger reaches g1 through udp 5354" "$(counted_in g1 3)" -eq 1
expect "one from the uplink address itself reaches no guest" "$(counted_in g1 4)" -eq 0
expect "nor one tagged with VLAN 7 on the uplink" "$(counted_in g1 5)" -eq 0
expect "the NAT took only the stranger's" "${D[in_packets]}" -eq 1
check "forward udp 5354 deleted" vmbr nat forward del vmbr0 udp 5354

# A guest reports errors about its own flows only: g1 forging a port
# unreachable about g2's flow to the LAN is dropped; g2's own goes out.
check "g2 has a flow to the LAN's udp 7001" ip netns exec g2 udpprobe -s 5601 198.51.100.1 7001
inner=$(ipv4_hex 198.51.100.1 192.168.100.11 17 "$(udp_hex 7001 5601)")
# err_from NS SRC: NS sends a port unreachable about that flow to the LAN
# from SRC; how the NAT's counters moved is in D.
err_from() {
	local a b

	a=$(snap)
	ip netns exec "$1" framegen eth0 1 "$(cat /sys/class/net/vmbr0/address)" \
		"$(mac_of "$1" eth0)" \
		"0800$(ipv4_hex "$2" 198.51.100.1 1 "0303000000000000$inner")" > /dev/null
	sleep 0.5
	b=$(snap)
	deltas "$a" "$b"
}
err_from g1 192.168.100.10
expect "g1's error about g2's flow is not sent" "${D[icmp_errors]:-0}" -eq 0
expect "and counted as no-session" "${D[drops.no-session]:-0}" -eq 1
err_from g2 192.168.100.11
expect "g2's own error about its flow goes out, translated" "${D[icmp_errors]:-0}" -eq 1

at host
# The host's own traffic kept its firewall and conntrack; the guests' never
# entered the host's netfilter.
check "the LAN reaches the host's own address" ping1 lan 198.51.100.2
expect "the host's conntrack saw its own new connections" "$(nft_counter host_new_out)" -gt 0
expect "no guest flow entered the host's IP stack" "$(nft_counter guest_in_host_stack)" -eq 0
nft list set inet hostfw guest_in_host_stack_seen | grep -A3 elements
# The host reaches its own forward (over lo: the module's LOCAL_OUT hook),
# under its own firewall (input: established only), answered from the
# uplink address and the forwarded port.
a=$(snap)
out=$(socat -t 5 -T 5 - TCP4:198.51.100.2:8080,connect-timeout=3 < /dev/null 2>&1)
b=$(snap)
deltas "$a" "$b"
expect "the host reaches g1:80 through its own tcp 8080 (g1 sees the uplink address)" \
	"$(addr_of "$out")" = 198.51.100.2
expect "the host's connection is a forward session" \
	"$(jq '[.session_list[] | select(.forward == true and .rem_addr == "198.51.100.2")] | length' <<< "$b")" -ge 1
check "forward tcp 8080 deleted" vmbr nat forward del vmbr0 tcp 8080
check_fails "then the LAN no longer reaches g1:80" whoami_tcp_ok lan 198.51.100.2 8080

at icmp-errors
# ICMP errors: time exceeded from the gateway at TTL 1, from the LAN's
# router at TTL 2, port unreachable from the destination, each translated
# back with its inner header (traceroute matches on the inner ports).
a=$(snap)
tr=$(ip netns exec g1 traceroute -n -q 1 -w 2 -m 3 203.0.113.10 2>&1)
b=$(snap)
deltas "$a" "$b"
echo "$tr"
hop() { awk -v h="$1" '$1 == h { print $2 }' <<< "$tr"; }
expect "TTL 1: time exceeded from the gateway" "$(hop 1)" = 192.168.100.1
expect "TTL 2: the LAN router's time exceeded reaches the guest" "$(hop 2)" = 198.51.100.1
expect "TTL 3: the destination's port unreachable reaches the guest" "$(hop 3)" = 203.0.113.10
expect "one time exceeded sent by the gateway" "${D[sent_time_exceeded]}" -eq 1
expect "ICMP errors translated counted" "${D[icmp_errors]}" -ge 2

at mtu
# MTU: over the uplink's MTU with DF, frag needed from the gateway; over a
# router's, its frag needed translated back; the guest learns both.
ip link set uplink0 mtu 1400
ip -n lan link set eth0 mtu 1400
ip -n lan link set rtr0 mtu 1300
ip -n far link set eth0 mtu 1300
a=$(snap)
capture fn1 g1 'icmp[0] = 3 and icmp[1] = 4'
ip netns exec g1 ping -c 1 -W 2 -s 1450 198.51.100.1 > /dev/null
b=$(snap)
deltas "$a" "$b"
out=$(captured fn1)
echo "$out"
check "DF over the uplink MTU: frag needed (mtu 1400) from the gateway" \
	grep -q "192.168.100.1 > 192.168.100.10: ICMP 198.51.100.1 unreachable - need to frag (mtu 1400)" <<< "$out"
check "the guest learned path MTU 1400" grep -q "mtu 1400" <<< "$(ip -n g1 route get 198.51.100.1)"
expect "frag needed sent, counted" "${D[sent_frag_needed]}" -eq 1
check "then 1450-byte pings pass, fragmented" ip netns exec g1 ping -c 2 -w 6 -s 1450 198.51.100.1
at mtu-router
a=$(snap)
capture fn2 g1 'icmp[0] = 3 and icmp[1] = 4'
ip netns exec g1 ping -c 1 -W 2 -s 1350 203.0.113.10 > /dev/null
b=$(snap)
deltas "$a" "$b"
out=$(captured fn2)
echo "$out"
check "a router's frag needed (mtu 1300) reaches the guest" \
	grep -q "198.51.100.1 > 192.168.100.10: ICMP 203.0.113.10 unreachable - need to frag (mtu 1300)" <<< "$out"
check "the guest learned path MTU 1300" grep -q "mtu 1300" <<< "$(ip -n g1 route get 203.0.113.10)"
expect "translated, counted" "${D[icmp_errors]}" -ge 1
at mtu-tcp
# TCP through that hop to an address whose own link has MTU 1500 (so it
# offers MSS 1460): only the router's frag needed, about a TCP segment
# with options, tells the TAP guest (GSO) the path MTU.
ip -n far link set eth0 mtu 1500
ip -n far addr add 203.0.113.11/24 dev eth0
spawn far-sink ip netns exec far socat -u TCP4-LISTEN:7005,reuseaddr \
	OPEN:/tmp/far.sink,creat,trunc
head -c 200000 /dev/urandom > /tmp/up.blob
wait_port far t 7005
a=$(snap)
ip netns exec g2 timeout 10 socat -u OPEN:/tmp/up.blob TCP4:203.0.113.11:7005,connect-timeout=3
for _ in $(seq 50); do
	[ "$(stat -c %s /tmp/far.sink 2>/dev/null)" = 200000 ] && break
	sleep 0.2
done
b=$(snap)
deltas "$a" "$b"
expect "TCP upload across the 1300-MTU hop arrives whole (path MTU discovery through the NAT)" \
	"$(md5sum < /tmp/far.sink)" = "$(md5sum < /tmp/up.blob)"
check "the TAP guest learned path MTU 1300 for it" \
	grep -q "mtu 1300" <<< "$(ip -n g2 route get 203.0.113.11)"
expect "the router's frag needed about TCP translated" "${D[icmp_errors]}" -ge 1

at mtu-in
# From outside, over vmbr0's MTU with DF: frag needed goes back to the
# sender from the uplink address, and the guest gets nothing; without DF
# the datagram is cut to fit and arrives.
ip link set vmbr0 mtu 1280
check "forward udp 5356 to g1" vmbr nat forward add vmbr0 udp 5356 to 192.168.100.10
count_in g1 6 ip_proto udp dst_port 5356
# frag_needed_back NAME FRAME-HEX...: from_lan, and check that frag needed
# (mtu 1280) came back to the LAN from the uplink address.
frag_needed_back() {
	local name=$1 out
	shift
	capture fn lan 'icmp[0] = 3 and icmp[1] = 4'
	from_lan "$@"
	out=$(captured fn)
	echo "$out"
	check "$name" grep -q "198.51.100.2 > 198.51.100.1: ICMP 198.51.100.2 unreachable - need to frag (mtu 1280)" <<< "$out"
}
big=$(udp_big_hex 7780 5356 1300)
frag_needed_back "DF over vmbr0's MTU from outside: frag needed (mtu 1280) from the uplink address" \
	"0800$(ipv4_hex 198.51.100.1 198.51.100.2 17 "$big")"
expect "the guest got none of it" "$(counted_in g1 6)" -eq 0
expect "dropped as mtu" "${D[drops.mtu]:-0}" -eq 1
expect "frag needed sent, counted" "${D[sent_frag_needed]:-0}" -eq 1
# (flower reads no ports of a fragment: these are counted by source.)
count_in g1 7 src_ip 198.51.100.1 ip_flags frag
from_lan "0800$(IPV4_DF=0 ipv4_hex 198.51.100.1 198.51.100.2 17 "$big")"
expect "without DF it is translated" "${D[in_packets]:-0}" -eq 1
expect "and reaches g1 cut in two" "$(counted_in g1 7)" -eq 2
# With an IP option not to be copied into fragments (type 10): the
# first fragment keeps it, the second has no-ops in its place.
capture fo g1 'src host 198.51.100.1' 2 -v
from_lan "0800$(IPV4_DF=0 IPV4_OPTS=0a04aabb ipv4_hex 198.51.100.1 198.51.100.2 17 "$big")"
out=$(captured fo)
echo "$out"
expect "an option not to be copied: in the first fragment only" \
	"$(grep -c 'offset 0, .*options (NOP' <<< "$out") $(grep -c 'offset [1-9][0-9]*, .*options (NOP,NOP,NOP,NOP)' <<< "$out")" = "0 1"
expect "both fragments reach g1" "$(counted_in g1 7)" -eq 4
# Record route (then a no-op): no-ops once through the NAT, so that no
# address crosses it (the guest would answer with its own in it).
capture rr g1 'src host 198.51.100.1' 1 -v
from_lan "0800$(IPV4_OPTS=0707040000000001 ipv4_hex 198.51.100.1 198.51.100.2 17 "$(udp_hex 7782 5356)")"
out=$(captured rr)
echo "$out"
expect "record route from outside: no-ops at the guest" \
	"$(grep -c 'options (NOP,NOP,NOP,NOP,NOP,NOP,NOP,NOP)' <<< "$out") $(grep -c RR <<< "$out")" = "1 0"
# Fragments with DF (620, 620 and 228 bytes) that each fit: reassembled
# for the translation, then cut again as they came (not to vmbr0's MTU,
# which would make two), DF on each, not refused as one 1428-byte
# datagram.  One of 1308 bytes does not fit: frag needed.
big=$(udp_big_hex 7781 5356 1400)
capture fr g1 'src host 198.51.100.1' 3 -v
from_lan "0800$(IPV4_ID=1 IPV4_FRAG=6000 ipv4_hex 198.51.100.1 198.51.100.2 17 "${big:0:1200}")" \
	"0800$(IPV4_ID=1 IPV4_FRAG=604b ipv4_hex 198.51.100.1 198.51.100.2 17 "${big:1200:1200}")" \
	"0800$(IPV4_ID=1 IPV4_FRAG=4096 ipv4_hex 198.51.100.1 198.51.100.2 17 "${big:2400}")"
out=$(captured fr)
echo "$out"
expect "DF fragments that fit vmbr0's MTU are translated" "${D[in_packets]:-0}" -eq 1
expect "none dropped as mtu" "${D[drops.mtu]:-0}" -eq 0
expect "and reach g1 as three fragments again" "$(counted_in g1 7)" -eq 7
expect "of 620, 620 and 228 bytes, each with DF" \
	"$(grep -Ec 'offset (0|600), flags \[\+, DF\], proto UDP \(17\), length 620' <<< "$out") $(grep -Ec 'offset 1200, flags \[DF\], proto UDP \(17\), length 228' <<< "$out")" = "2 1"
frag_needed_back "a DF fragment over vmbr0's MTU: frag needed (mtu 1280)" \
	"0800$(IPV4_ID=2 IPV4_FRAG=6000 ipv4_hex 198.51.100.1 198.51.100.2 17 "${big:0:2576}")" \
	"0800$(IPV4_ID=2 IPV4_FRAG=40a1 ipv4_hex 198.51.100.1 198.51.100.2 17 "${big:2576}")"
expect "and it is dropped as mtu" "${D[drops.mtu]:-0}" -eq 1
expect "g1 got no more fragments" "$(counted_in g1 7)" -eq 7
check "forward udp 5356 deleted" vmbr nat forward del vmbr0 udp 5356
ip link set vmbr0 mtu 1500

at bounds
# Bounds: beyond them new flows are refused and counted, existing ones go
# on, and a flush frees them.
check "flush" vmbr nat flush vmbr0
expect "no session left" "$(vmbr -j nat show vmbr0 | jq '.session_list | length')" -eq 0
maxs=$(vmbr -j nat show vmbr0 | jq .max_sessions)
maxg=$(vmbr -j nat show vmbr0 | jq .max_sessions_per_guest)
check "max-sessions-per-guest 3" vmbr nat set vmbr0 max-sessions-per-guest 3
a=$(snap)
r=""
for p in 6001 6002 6003 6004 6005; do
	r+="$(ip netns exec g1 udpprobe -s $p -w 1000 198.51.100.1 7001) "
done
b=$(snap)
deltas "$a" "$b"
expect "g1's first 3 flows pass, the next 2 are refused" "$r" \
	= "198.51.100.2:6001 198.51.100.2:6002 198.51.100.2:6003 timeout timeout "
expect "refusals counted as guest-full" "${D[drops.guest-full]}" -eq 2
expect "g1 holds 3 sessions" \
	"$(jq '[.session_list[] | select(.int_addr == "192.168.100.10")] | length' <<< "$b")" -eq 3
out=$(ip netns exec g2 udpprobe -s 6001 198.51.100.1 7001)
expect "another guest is not held back" "$(addr_of "$out")" = 198.51.100.2
out=$(ip netns exec g1 udpprobe -s 6001 198.51.100.1 7001)
expect "an existing flow of g1 goes on" "$out" = 198.51.100.2:6001
check "flush with g1 at its bound" vmbr nat flush vmbr0
out=$(ip netns exec g1 udpprobe -s 6004 198.51.100.1 7001)
expect "after the flush g1 opens new flows again" "$out" = 198.51.100.2:6004
check "flush again" vmbr nat flush vmbr0
check "max-sessions 2" vmbr nat set vmbr0 max-sessions 2 max-sessions-per-guest "$maxg"
a=$(snap)
r="$(ip netns exec g1 udpprobe -s 6011 198.51.100.1 7001) "
r+="$(ip netns exec g2 udpprobe -s 6012 198.51.100.1 7001) "
r+="$(ip netns exec g1 udpprobe -s 6013 -w 1000 198.51.100.1 7001)"
b=$(snap)
deltas "$a" "$b"
expect "2 flows pass, the third is refused" "$r" = "198.51.100.2:6011 198.51.100.2:6012 timeout"
expect "refusal counted as table-full" "${D[drops.table-full]}" -eq 1
check "flush with the table full" vmbr nat flush vmbr0
out=$(ip netns exec g1 udpprobe -s 6013 198.51.100.1 7001)
expect "after the flush the flow passes" "$out" = 198.51.100.2:6013
vmbr nat set vmbr0 max-sessions "$maxs"

at wire
# What the LAN's wire saw, all along: the uplink's MAC and address only.
kill -INT "$(cat /tmp/lancap.pid)"
sleep 1
upmac=$(ip -j link show uplink0 | jq -r '.[0].address')
lanmac=$(ip -n lan -j link show eth0 | jq -r '.[0].address')
tcpdump -r /tmp/lan.pcap -env > /tmp/lan.txt 2>/dev/null
srcmacs() { awk '/^[0-9]/ { print $2 }' /tmp/lan.txt; }
expect "the LAN saw frames from the uplink" "$(srcmacs | grep -c "^$upmac$")" -gt 100
expect "no other MAC than the uplink's ever reached the LAN" \
	"$(srcmacs | grep -vc -e "^$upmac$" -e "^$lanmac$")" -eq 0
srcmacs | grep -v -e "^$upmac$" -e "^$lanmac$" | sort | uniq -c | head -n 5
expect "no guest address on the LAN, not even inside ICMP errors" \
	"$(grep -c '192\.168\.100\.' /tmp/lan.txt)" -eq 0
grep -m 5 '192\.168\.100\.' /tmp/lan.txt
expect "g1's port unreachable to the stranger left translated (inner header too)" \
	"$(grep -c "198.51.100.2 > 198.51.100.3: ICMP 198.51.100.2 udp port 5555 unreachable" /tmp/lan.txt)" -ge 1
expect "echo requests carried the translated identifier" \
	"$(grep -c "198.51.100.2 > 198.51.100.1: ICMP echo request, id $icmp_ext," /tmp/lan.txt)" -ge 3
expect "uplink still not promiscuous" \
	"$(ip -j -d link show uplink0 | jq '.[0].promiscuity')" -eq 0
expect "ip_forward still 0" "$(sysctl -n net.ipv4.ip_forward)" -eq 0

at address
# The uplink's address changes (a DHCP renewal): the NAT follows it.
check "forward udp 5360 to g1" vmbr nat forward add vmbr0 udp 5360 to 192.168.100.10
ip addr del 198.51.100.2/24 dev uplink0
expect "no address: the NAT says none" "$(vmbr -j nat show vmbr0 | jq -r .address)" = null
# A route but no address: nothing leaves from 0.0.0.0, not even from a
# forwarded endpoint (whose mapping exists without the address).
ip route add 198.51.100.0/24 dev uplink0
a=$(snap)
ip netns exec g1 udpprobe -w 0 -s 5360 198.51.100.1 7001 > /dev/null
ip netns exec g1 udpprobe -w 0 -s 5361 198.51.100.1 7001 > /dev/null
deltas "$a" "$(snap)"
expect "no address, a route: both datagrams dropped no-address" \
	"${D[drops.no-address]:-0}" -eq 2
expect "and none translated out" "${D[out_packets]:-0}" -eq 0
ip route del 198.51.100.0/24 dev uplink0
vmbr nat forward del vmbr0 udp 5360
ip addr add 198.51.100.4/24 dev uplink0
expect "the NAT follows the uplink's new address" \
	"$(vmbr -j nat show vmbr0 | jq -r .address)" = 198.51.100.4
out=$(ip netns exec g1 udpprobe -s 5557 198.51.100.1 7001)
expect "new flows leave from it" "$out" = 198.51.100.4:5557
ip addr del 198.51.100.4/24 dev uplink0
ip addr add 198.51.100.2/24 dev uplink0

at layer3-uplink
# A nat uplink need not be Ethernet (a tunnel, a point-to-point link).
ip tuntap add tun9 mode tun
ip addr add 203.0.113.254/32 dev tun9
ip link set tun9 up
check "nat mode takes a layer-3 uplink (tun)" vmbr add vmbr9 mode nat uplink tun9
expect "and uses its address" "$(vmbr -j nat show vmbr9 | jq -r .address)" = 203.0.113.254
out=$(vmbr set vmbr9 mode bridge 2>&1)
expect "bridge mode refuses it, and says why" "$out" = "vmbr: vmbridge: bridge mode needs an Ethernet uplink"
check "a guest port must still be Ethernet" \
	bash -c '! vmbr port add vmbr9 lo 2>/dev/null'
ip link del vmbr9
ip link del tun9

vmbr -s nat show vmbr0
echo "12-nat: $SECONDS s"
nft flush ruleset
ip route del 203.0.113.0/24 2>/dev/null
true
