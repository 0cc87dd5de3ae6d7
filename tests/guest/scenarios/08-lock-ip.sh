# lock-ip: a guest may use only its own addresses, IPv4 and IPv6, in IP,
# ARP and neighbour discovery; DHCP still works.
#
#   g1 (192.0.2.1, 2001:db8::1; locked) --+
#   g2 (192.0.2.2, 2001:db8::2) ----------+-- vmbr0 [hostonly] 192.0.2.254
#   g3 (DHCP; locked to 192.0.2.3) -------+   (dnsmasq: one lease, .3)

ip link add vmbr0 type vmbridge
ip link set vmbr0 up
ip addr add 192.0.2.254/24 dev vmbr0
guest g1 192.0.2.1/24
guest g2 192.0.2.2/24
guest g3 0.0.0.0/32
# IPv6 on g1 and g2 with only their global address (no link-local, no DAD).
for g in g1 g2; do
	ip -n $g link set eth0 addrgenmode none
	ip netns exec $g sysctl -qw net.ipv6.conf.all.disable_ipv6=0
	ip netns exec $g sysctl -qw net.ipv6.conf.eth0.disable_ipv6=0
done
ip -n g1 addr add 2001:db8::1/64 dev eth0 nodad
ip -n g2 addr add 2001:db8::2/64 dev eth0 nodad
mac() { ip -n "$1" -j link show eth0 | jq -r '.[0].address'; }
m1=$(mac g1) m2=$(mac g2)
hostmac=$(ip -j link show vmbr0 | jq -r '.[0].address')
lockdrops() { pstat "$1" '.drops["lock-ip"]'; }

check "lock g1 to its addresses" vmbr port set vmbr0 g1 lock-ip 192.0.2.1,2001:db8::1
expect "lock reported" "$(vmbr -j port show vmbr0 g1 | jq -r '.[0].lock_ip | join(",")')" = "192.0.2.1,2001:db8::1"
# The list is CAP_NET_ADMIN's to read; others learn there is one.
out=$(su nobody -s /bin/sh -c "vmbr -j port show vmbr0 g1")
expect "an unprivileged reader does not get the list" \
	"$(jq -r '.[0].lock_ip // "none"' <<< "$out")" = none
expect "but is told it is hidden" "$(jq -r '.[0].locks_hidden' <<< "$out")" = true
expect "and still reads the port's settings" "$(jq -r '.[0].ifname' <<< "$out")" = g1
out=$(su nobody -s /bin/sh -c "vmbr save" 2>&1); rc=$?
expect "an unprivileged save, which would lose the lists, is refused" "$rc" -ne 0
check "saying why" grep -q "CAP_NET_ADMIN" <<< "$out"
out=$(su nobody -s /bin/sh -c "timeout 5 vmbr monitor" 2>&1); rc=$?
expect "the events are refused to an unprivileged reader" "$rc" -eq 1
check "saying why" grep -q "CAP_NET_ADMIN" <<< "$out"
check "IPv4 from its address passes (ARP too)" ping_ok g1 192.0.2.2
check "IPv6 from its address passes (ND too)" ip netns exec g1 ping6 -c 2 -w 6 2001:db8::2

# A spoofed source address.
ip -n g1 addr add 192.0.2.9/24 dev eth0
before=$(lockdrops g1)
check_fails "IPv4 from another address goes nowhere" \
	ip netns exec g1 ping -c 2 -w 4 -I 192.0.2.9 192.0.2.2
expect "and is dropped and counted" "$(( $(lockdrops g1) - before ))" -ge 2
ip -n g1 addr del 192.0.2.9/24 dev eth0
ip -n g1 addr add 2001:db8::9/64 dev eth0 nodad
before=$(lockdrops g1)
check_fails "IPv6 from another address goes nowhere" \
	ip netns exec g1 ping6 -c 2 -w 4 -I 2001:db8::9 2001:db8::2
expect "and is dropped and counted" "$(( $(lockdrops g1) - before ))" -ge 2
ip -n g1 addr del 2001:db8::9/64 dev eth0

# A gratuitous ARP claiming the gateway's address.
tc -n g2 qdisc add dev eth0 clsact
tc -n g2 filter add dev eth0 ingress protocol arp pref 1 \
	flower arp_sip 192.0.2.254 arp_sha "$m1" action pass
ip -n g1 addr add 192.0.2.254/32 dev eth0	# so arping may send from it
before=$(lockdrops g1)
ip netns exec g1 arping -U -c 3 -w 4 -s 192.0.2.254 -I eth0 192.0.2.254 > /dev/null 2>&1
ip -n g1 addr del 192.0.2.254/32 dev eth0
expect "ARP claiming the gateway dropped and counted" "$(( $(lockdrops g1) - before ))" -eq 3
check "no other guest heard it" test "$(counted g2 eth0)" -eq 0
check "g2 still reaches the gateway" ping_ok g2 192.0.2.254
expect "g2 still knows the gateway's MAC" \
	"$(ip -n g2 -j neigh show 192.0.2.254 | jq -r '.[0].lladdr')" = "$hostmac"

# Forged neighbour discovery, written out byte by byte.
ip6hdr() {	# ip6hdr PAYLOAD-LEN-HEX SRC-HEX: to ff02::1, ICMPv6, hop limit 255
	echo "86dd6000000000${1}3aff${2}ff020000000000000000000000000001"
}
own=20010db8000000000000000000000001
theirs=20010db8000000000000000000000002
ra="$(ip6hdr 10 $own)86000000400007080000000000000000"
na_theirs="$(ip6hdr 18 $own)8800000020000000$theirs"
na_own="$(ip6hdr 18 $own)8800000020000000$own"
before=$(lockdrops g1)
ip netns exec g1 framegen eth0 2 33:33:00:00:00:01 "$m1" "$ra" > /dev/null
expect "a router advertisement from a guest is dropped" "$(( $(lockdrops g1) - before ))" -eq 2
before=$(lockdrops g1)
ip netns exec g1 framegen eth0 2 33:33:00:00:00:01 "$m1" "$na_theirs" > /dev/null
expect "an advertisement of another guest's address is dropped" "$(( $(lockdrops g1) - before ))" -eq 2
before=$(lockdrops g1)
ip netns exec g1 framegen eth0 2 33:33:00:00:00:01 "$m1" "$na_own" > /dev/null
expect "an advertisement of its own address passes" "$(( $(lockdrops g1) - before ))" -eq 0
check "g2 still reaches the other guest over IPv6" ip netns exec g2 ping6 -c 2 -w 6 2001:db8::1

# DHCP: a locked guest still gets its lease, then uses it.
dnsmasq --no-resolv --no-hosts --port=0 --interface=vmbr0 --bind-interfaces \
	--leasefile-ro --dhcp-range=192.0.2.3,192.0.2.3,255.255.255.0,120 \
	--pid-file=/tmp/dnsmasq.pid
check "lock g3 to the address it will lease" vmbr port set vmbr0 g3 lock-ip 192.0.2.3
lease=$(ip netns exec g3 udhcpc -i eth0 -n -q -t 5 -s /tests/guest/udhcpc.sh 2>&1)
check "a locked guest gets its lease" grep -q "lease of 192.0.2.3 obtained" <<< "$lease"
check "and then talks from it" ping_ok g3 192.0.2.254

check "lock-ip off" vmbr port set vmbr0 g1 lock-ip off
ip -n g1 addr add 192.0.2.9/24 dev eth0
check "then any source passes" ip netns exec g1 ping -c 2 -w 6 -I 192.0.2.9 192.0.2.2
out=$(vmbr port set vmbr0 g1 lock-ip 224.0.0.1 2>&1); rc=$?
expect "a multicast address cannot be locked to" "$rc" -ne 0
check "the refusal names it" grep -q "224.0.0.1" <<< "$out"
