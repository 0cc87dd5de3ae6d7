# A tag behind a tag: no frame hops VLANs, from a guest or from the wire,
# lock-ip never passes what it cannot see into, and the host's own address
# on the uplink answers whatever the vmbridge's VLANs refuse.
#
#   g10 (vlan 10, 198.51.100.20, lock-ip) --+
#   x10 (vlan 10, 198.51.100.21) -----------+-- vmbr0 [bridge] -- uplink0 -- lan:
#   gt  (trunk 10,20) ----------------------+   host: 203.0.113.1    eth0    203.0.113.200
#                                                on uplink0          eth0.10 198.51.100.200
#                                                                    (eth0 once VLAN 10 is native)
#
# Frames are written byte by byte (framegen): [802.1Q VID 0][802.1Q VID 20]
# [IPv4/UDP] is a priority tag hiding a VLAN 20 tag; 802.1ad (0x88a8) tags
# outside or inside.

lan 203.0.113.200/24
ip -n lan link add link eth0 name eth0.10 type vlan id 10
ip -n lan link set eth0.10 up
ip -n lan addr add 198.51.100.200/24 dev eth0.10
ip addr add 203.0.113.1/24 dev uplink0

vmbr add vmbr0 mode bridge uplink uplink0
ip link set vmbr0 up
guest g10 198.51.100.20/24 none
guest x10 198.51.100.21/24 none
guest gt 0.0.0.0/32 none
vmbr port add vmbr0 g10 vlan 10
vmbr port add vmbr0 x10 vlan 10
vmbr port add vmbr0 gt trunk 10,20

# The man page's own example: the uplink carries 10 and 20, tagged only.
check "uplink-vlans 10,20 uplink-native none" \
	vmbr set vmbr0 uplink-vlans 10,20 uplink-native none
check "the LAN's VLAN 10 reaches a VLAN 10 guest" ping_ok lan 198.51.100.20
before=$(pstat uplink0 .not_switched)
ip -n lan neigh flush all
check "the host's address on the uplink answers ARP from the LAN" \
	ping_ok lan 203.0.113.1
expect "refused untagged frames counted as not switched" \
	"$(( $(pstat uplink0 .not_switched) - before ))" -ge 1
expect "and not as drops" "$(pstat uplink0 .drops.vlan)" -eq 0

# From here on VLAN 10 is untagged on the wire, as in the report.
check "uplink-native 10" vmbr set vmbr0 uplink-native 10
ip -n lan addr del 198.51.100.200/24 dev eth0.10
ip -n lan addr add 198.51.100.200/24 dev eth0
check "the LAN's untagged frames reach VLAN 10" ping_ok lan 198.51.100.20

# Counters of 802.1Q-tagged VLAN 20 frames where a hop would land.
count_vid20() {	# count_vid20 NS DEV
	tc -n "$1" qdisc add dev "$2" clsact
	tc -n "$1" filter add dev "$2" ingress protocol 802.1Q pref 1 \
		flower vlan_id 20 action pass
}
count_vid20 lan eth0
count_vid20 x10 eth0
count_vid20 g10 eth0

bcast=ff:ff:ff:ff:ff:ff
# IPv4/UDP 198.51.100.99 -> 198.51.100.200, 9 -> 9: a spoofed source.
ipv4=0800450000280000400040110000c6336463c63364c800090009001400000000000000000000000000000000
send() {	# send NS COUNT HEX-FROM-THE-ETHERTYPE
	ip netns exec "$1" framegen eth0 "$2" "$bcast" \
		"$(ip -n "$1" -j link show eth0 | jq -r '.[0].address')" "$3" > /dev/null
}

drops0=$(pstat g10 .drops.vlan)
send g10 5 "8100000081000014$ipv4"
expect "priority tag + VLAN 20 from an access port: dropped, counted vlan" \
	"$(( $(pstat g10 .drops.vlan) - drops0 ))" -eq 5
expect "none of them reached the LAN as VLAN 20" "$(counted lan eth0)" -eq 0
expect "nor another VLAN 10 guest" "$(counted x10 eth0)" -eq 0

check "lock-ip on the access port" vmbr port set vmbr0 g10 lock-ip 198.51.100.20
drops0=$(pstat g10 .drops.vlan)
locked0=$(pstat g10 '.drops."lock-ip"')
send g10 5 "8100000081000014$ipv4"
expect "lock-ip: the hidden tag is a drop" \
	"$(( $(pstat g10 .drops.vlan) - drops0 ))" -eq 5
expect "not passed as something lock-ip cannot read" \
	"$(( $(pstat g10 '.drops."lock-ip"') - locked0 ))" -eq 0
expect "still nothing on the LAN" "$(counted lan eth0)" -eq 0
expect "still nothing at the other VLAN 10 guest" "$(counted x10 eth0)" -eq 0
check "the locked guest's own traffic still passes" ping_ok g10 198.51.100.200

drops0=$(pstat g10 .drops.vlan)
send g10 3 "88a8000a81000014$ipv4"
send g10 3 "8100000088a80014$ipv4"
expect "802.1ad outside or inside a tag: dropped" \
	"$(( $(pstat g10 .drops.vlan) - drops0 ))" -eq 6

drops0=$(pstat gt .drops.vlan)
send gt 5 "8100000a81000014$ipv4"
expect "a trunk carries one tag: a second behind VLAN 10 is dropped" \
	"$(( $(pstat gt .drops.vlan) - drops0 ))" -eq 5
expect "the LAN saw no VLAN 20 frame from the trunk" "$(counted lan eth0)" -eq 0

# From the wire: the same frames go to the host's stack, to no guest.
ns0=$(pstat uplink0 .not_switched)
send lan 5 "8100000081000014$ipv4"
send lan 3 "88a8000a81000014$ipv4"
expect "from the uplink: left to the host, counted not switched" \
	"$(( $(pstat uplink0 .not_switched) - ns0 ))" -ge 8
expect "no VLAN 10 guest got a VLAN 20 frame" \
	"$(( $(counted g10 eth0) + $(counted x10 eth0) ))" -eq 0
expect "the uplink counts no drop for them" "$(pstat uplink0 .drops.vlan)" -eq 0
check "the LAN still reaches VLAN 10" ping_ok lan 198.51.100.21
