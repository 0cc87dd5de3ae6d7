# 802.1Q: access ports, a trunk guest, the uplink as a trunk, the host's
# VLANs, and nothing crossing from one VLAN to another.
#
#                                     +-- uplink0 (trunk 10,20, native 1) -- lan:
#   g10 (vlan 10, 198.51.100.1) ------+        eth0      192.0.2.200 (untagged)
#   g20 (vlan 20, 203.0.113.1) -------+        eth0.10   198.51.100.200
#   x20 (vlan 20, 198.51.100.2) ------+-- vmbr0 [bridge]  eth0.20   203.0.113.200
#   gt  (trunk 10,20: eth0.10 .3, ----+   host: 192.0.2.254 (VLAN 1, untagged)
#        eth0.20 .3)                        vmbr0.20 203.0.113.254 (host-vlans 20)

lan 192.0.2.200/24
for v in 10 20; do
	ip -n lan link add link eth0 name eth0.$v type vlan id $v
	ip -n lan link set eth0.$v up
done
ip -n lan addr add 198.51.100.200/24 dev eth0.10
ip -n lan addr add 203.0.113.200/24 dev eth0.20

check "bridge mode with a trunk uplink" \
	vmbr add vmbr0 mode bridge uplink uplink0
check "uplink carries 10 and 20 tagged, 1 untagged" \
	vmbr set vmbr0 uplink-vlans 10,20 uplink-native 1
ip link set vmbr0 up
ip addr add 192.0.2.254/24 dev vmbr0

guest g10 198.51.100.1/24 none
guest g20 203.0.113.1/24 none
guest x20 198.51.100.2/24 none
guest gt 0.0.0.0/32 none
check "access port in VLAN 10" vmbr port add vmbr0 g10 vlan 10
check "access port in VLAN 20" vmbr port add vmbr0 g20 vlan 20
check "another in VLAN 20" vmbr port add vmbr0 x20 vlan 20
check "trunk port" vmbr port add vmbr0 gt trunk 10,20
for v in 10 20; do
	ip -n gt link add link eth0 name eth0.$v type vlan id $v
	ip -n gt link set eth0.$v up
done
ip -n gt addr add 198.51.100.3/24 dev eth0.10
ip -n gt addr add 203.0.113.3/24 dev eth0.20

expect "port VLANs reported" \
	"$(vmbr -j port show vmbr0 g10 | jq -r '.[0] | "\(.pvid) \(.vlans)"')" = "10 "
expect "trunk reported" \
	"$(vmbr -j port show vmbr0 gt | jq -r '.[0] | "\(.pvid) \(.vlans)"')" = "null 10,20"
expect "uplink VLANs reported" \
	"$(vmbr -j show vmbr0 | jq -r '.[0] | "\(.uplink_pvid) \(.uplink_vlans)"')" = "1 10,20"

# Each guest reaches its own VLAN and nothing else.
check "VLAN 10 guest reaches VLAN 10 on the LAN" ping_ok g10 198.51.100.200
check "VLAN 20 guest reaches VLAN 20 on the LAN" ping_ok g20 203.0.113.200
check "trunk guest reaches VLAN 10" ping_ok gt 198.51.100.1
check "trunk guest reaches VLAN 20" ping_ok gt 203.0.113.1
check "trunk guest reaches the LAN in VLAN 20" ping_ok gt 203.0.113.200
check_fails "same subnet, other VLAN: cut off" ping_ok g10 198.51.100.2
check_fails "the LAN's VLAN 10 cannot reach a VLAN 20 guest" \
	ping_ok lan 198.51.100.2
ip -n g10 addr add 192.0.2.10/24 dev eth0
check_fails "an access guest cannot reach the host's VLAN 1" \
	ping_ok g10 192.0.2.254
ip -n g10 addr del 192.0.2.10/24 dev eth0

# What the wire behind the uplink sees: the right tags, native untagged.
ip netns exec lan timeout 10 tcpdump -l -eni eth0 -c 1 'vlan 10 and icmp' \
	> /tmp/td10 2>/dev/null &
ip netns exec lan timeout 10 tcpdump -l -eni eth0 -c 1 'icmp and not vlan' \
	> /tmp/td1 2>/dev/null &
sleep 2
ping_ok g10 198.51.100.200
ping_host_ok 192.0.2.200
wait
check "LAN sees VLAN 10 frames tagged 10" grep -q "vlan 10," /tmp/td10
check "LAN sees the native VLAN untagged" grep -q "ethertype IPv4" /tmp/td1

# A full-size frame still fits: the tag does not count against the MTU.
check "1500-byte packets cross a tagged uplink of MTU 1500" \
	ip netns exec g10 ping -c 2 -w 6 -s 1472 198.51.100.200

# A forged tag from an access port gets nothing through.
ip -n g10 link add link eth0 name eth0.20 type vlan id 20
ip -n g10 link set eth0.20 up
ip -n g10 addr add 203.0.113.9/24 dev eth0.20
before=$(pstat g10 .drops.vlan)
check_fails "a forged tag on an access port goes nowhere" \
	ping_ok g10 203.0.113.200
expect "forged tags dropped and counted" \
	"$(( $(pstat g10 .drops.vlan) - before ))" -ge 2
ip -n g10 link del eth0.20

# Broadcasts stay in their VLAN: ARP for a missing address, counted at
# the receivers.
count_arp() {
	tc -n "$1" qdisc add dev "$2" clsact
	tc -n "$1" filter add dev "$2" ingress protocol arp pref 1 \
		flower arp_tip 198.51.100.77 action pass
}
count_arp x20 eth0
count_arp gt eth0.10
ip netns exec g10 ping -c 2 -w 4 198.51.100.77 > /dev/null
expect "ARP from VLAN 10 reaches the VLAN 10 trunk" "$(counted gt eth0.10)" -ge 2
expect "ARP from VLAN 10 never reaches a VLAN 20 port" "$(counted x20 eth0)" -eq 0

# One MAC in two VLANs, on two ports.
m10=$(ip -n g10 -j link show eth0 | jq -r '.[0].address')
m20=$(ip -n g20 -j link show eth0 | jq -r '.[0].address')
ip -n g20 link set eth0 address "$m10"
for n in g20 lan; do ip -n $n neigh flush all; done
check "the MAC in VLAN 10 talks" ping_ok g10 198.51.100.200
check "the same MAC in VLAN 20 talks" ping_ok g20 203.0.113.200
expect "learned once per VLAN, on each port" \
	"$(vmbr -j fdb show vmbr0 | jq -r --arg m "$m10" '[.[] | select(.mac == $m) | "\(.vlan):\(.port)"] | sort | join(",")')" = "10:g10,20:g20"

# The host in VLAN 20 through an 8021q device on vmbr0.
check "host-vlans 20" vmbr set vmbr0 host-vlans 20
ip link add link vmbr0 name vmbr0.20 type vlan id 20
ip link set vmbr0.20 up
ip addr add 203.0.113.254/24 dev vmbr0.20
check "the host reaches a VLAN 20 guest through vmbr0.20" ping_host_ok 203.0.113.1
check "a VLAN 20 guest reaches the host" ping_ok g20 203.0.113.254
ip link del vmbr0.20
ip -n g20 link set eth0 address "$m20"

# Changing a port's VLAN moves it, and forgets what it learned.
check "g10 moved to VLAN 20" vmbr port set vmbr0 g10 vlan 20
check_fails "it left VLAN 10" ping_ok g10 198.51.100.200
check "it reaches VLAN 20" ping_ok g10 198.51.100.2

# The other modes apply within each VLAN.
check "hostonly with VLANs" vmbr set vmbr0 mode hostonly
check "hostonly: guests of a VLAN meet" ping_ok g10 198.51.100.2
check_fails "hostonly: the LAN is out of reach" ping_ok g20 203.0.113.200
check_fails "hostonly: VLANs stay apart" ping_ok gt 198.51.100.2
check "private with VLANs" vmbr set vmbr0 mode private
check "private: guests of a VLAN meet" ping_ok g10 198.51.100.2
check_fails "private: VLANs stay apart" ping_ok gt 198.51.100.2

# Refusals name the bad value.
out=$(vmbr port set vmbr0 g10 vlan 4095 2>&1); rc=$?
expect "VLAN 4095 refused" "$rc" -ne 0
check "the refusal names it" grep -q 4095 <<< "$out"
out=$(vmbr set vmbr0 uplink-vlans 10,5000 2>&1); rc=$?
expect "a bad VLAN list refused" "$rc" -ne 0
check "that refusal names it" grep -q 5000 <<< "$out"
out=$(vmbr fdb add vmbr0 02:00:00:00:00:55 port g20 vlan 10 2>&1); rc=$?
expect "a static entry outside the port's VLANs refused" "$rc" -ne 0
check "with the kernel's reason" grep -qi "not in" <<< "$out"
