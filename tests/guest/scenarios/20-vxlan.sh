# Several hosts: two "hosts" (namespaces h1 and h2), each with its own
# vmbridge whose uplink is a VXLAN device in external vnifilter mode over a
# veth underlay; VLANs 10 and 20 travel as VNIs 1010 and 1020, the same
# subnet in both.
#
#   h1                                            h2
#   a10 (vlan 10, .1) --+                       +-- b10 (vlan 10, .2)
#   a20 (vlan 20, .11) -+- vmbr0 [bridge]  vmbr0 -+- b20 (vlan 20, .12)
#                       |  uplink-vni          |  b30 (vlan 30, .30:
#                       |  10:1010,20:1020     |   VNI 1030, no VLAN on h1)
#                      vx0 (external vnifilter) vx0
#                      ul 192.0.2.1 ======== ul 192.0.2.2   (MTU 1500)
# Guests: 198.51.100.0/24 in each VLAN.

# The guests' MTU is the tunnel's, as vmbr-ifup gives their TAPs.
ns_guest() {	# ns_guest HOST NAME ADDR VLAN
	ip netns add "$2"
	ip -n "$1" link add "$2" mtu 1450 type veth peer name eth0 netns "$2" \
		mtu 1450
	ip -n "$2" link set lo up
	ip netns exec "$2" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip -n "$2" addr add "$3/24" dev eth0
	ip -n "$2" link set eth0 up
	ip -n "$1" link set "$2" up
	ip netns exec "$1" vmbr port add vmbr0 "$2" vlan "$4"
}
h1() { ip netns exec h1 "$@"; }
h2() { ip netns exec h2 "$@"; }

ip netns add h1
ip netns add h2
ip -n h1 link add ul type veth peer name ul netns h2
for h in h1 h2; do
	ip -n $h link set lo up
	ip netns exec $h sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
ip -n h1 addr add 192.0.2.1/24 dev ul
ip -n h2 addr add 192.0.2.2/24 dev ul
for h in h1 h2; do
	ip -n $h link set ul up
	ip -n $h link add vx0 type vxlan dstport 4789 dev ul external vnifilter
	ip -n $h link set vx0 up
done
peer_of() { [ "$1" = h1 ] && echo 192.0.2.2 || echo 192.0.2.1; }

# The refusals, on h1 before the map is in place.
ip -n h1 link add plain0 type dummy
ip -n h1 link add vxid type vxlan id 1010 dstport 4790 dev ul
h1 vmbr add vmbr9 mode bridge uplink plain0 uplink-vlans 10
expect_err() {	# expect_err NAME WANT CMD...: CMD fails, saying WANT
	local name=$1 want=$2 out
	shift 2
	if out=$("$@" 2>&1); then
		fail "$name" "succeeded"
	elif grep -qF -- "$want" <<< "$out"; then
		pass "$name"
	else
		fail "$name" "said: $out"
	fi
}
expect_err "refused on an Ethernet uplink" "needs a VXLAN or Geneve uplink in external mode" \
	h1 vmbr set vmbr9 uplink-vni 10:1010
h1 vmbr set vmbr9 uplink vxid
expect_err "refused on a VXLAN device without external" "needs a VXLAN or Geneve uplink in external mode" \
	h1 vmbr set vmbr9 uplink-vni 10:1010
h1 vmbr del vmbr9

check "h1: bridge mode on the VXLAN device" \
	h1 vmbr add vmbr0 mode bridge uplink vx0 uplink-vlans 10,20
expect_err "a VLAN outside uplink-vlans refused" "not in uplink-vlans" \
	h1 vmbr set vmbr0 uplink-vni 10:1010,30:1030
expect_err "a VNI used twice refused" "used twice" \
	h1 vmbr set vmbr0 uplink-vni 10:1010,20:1010
expect_err "a VLAN given twice refused" "given twice" \
	h1 vmbr set vmbr0 uplink-vni 10:1010,10:1020
check "h1: VLANs 10 and 20 as VNIs 1010 and 1020" \
	h1 vmbr set vmbr0 uplink-vni 10:1010,20:1020
expect_err "nat mode with a map refused" "uplink-vni is for bridge mode" \
	h1 vmbr set vmbr0 mode nat
expect_err "a VLAN of the map kept in uplink-vlans" "not in uplink-vlans" \
	h1 vmbr set vmbr0 uplink-vlans 10
expect "the map shown (-j)" "$(h1 vmbr -j show vmbr0 | jq -r '.[0].uplink_vni')" = "10:1010,20:1020"
expect "the map shown" "$(h1 vmbr show vmbr0 | grep -o 'uplink-vni [^ ]*')" = "uplink-vni 10:1010,20:1020"

check "h2: the same, and VLAN 30 as VNI 1030" \
	h2 vmbr add vmbr0 mode bridge uplink vx0 uplink-vlans 10,20,30 \
		uplink-vni 10:1010,20:1020,30:1030
for h in h1 h2; do
	for vni in 1010 1020 1030; do
		$h bridge vni add dev vx0 vni $vni
		$h bridge fdb append 00:00:00:00:00:00 dev vx0 \
			dst "$(peer_of $h)" src_vni $vni self
	done
	ip -n $h link set vmbr0 up
done

# MTU: the tunnel's, and vmbr-ifup gives it to a TAP.
expect "the vmbridge takes the tunnel's MTU" "$(ip -n h1 -j link show vmbr0 | jq '.[0].mtu')" -eq 1450
ip -n h1 link set vx0 mtu 1400
expect "and follows it" "$(ip -n h1 -j link show vmbr0 | jq '.[0].mtu')" -eq 1400
ip -n h1 link set vx0 mtu 1450
expect "back" "$(ip -n h1 -j link show vmbr0 | jq '.[0].mtu')" -eq 1450
ip -n h1 tuntap add tapx mode tap
check "vmbr-ifup puts a TAP on it" \
	h1 env VMBR_PORT_OPTS="vlan 10" /usr/local/libexec/vmbr-ifup tapx
expect "with the tunnel's MTU" "$(ip -n h1 -j link show tapx | jq '.[0].mtu')" -eq 1450
h1 vmbr port del vmbr0 tapx
ip -n h1 link del tapx

ns_guest h1 a10 198.51.100.1 10
ns_guest h1 a20 198.51.100.11 20
ns_guest h2 b10 198.51.100.2 10
ns_guest h2 b20 198.51.100.12 20
ns_guest h2 b30 198.51.100.30 30

# What the underlay carries: VNI 1010 for VLAN 10, 1020 for 20, with the
# inner frames untagged.
h1 timeout 15 tcpdump -l -eni ul -c 2 'udp port 4789 and udp[8:4] = 0x08000000 and udp[12:4] = 0x0003f200' \
	> /tmp/vx1010 2>/dev/null &
h1 timeout 15 tcpdump -l -eni ul -c 2 'udp port 4789 and udp[8:4] = 0x08000000 and udp[12:4] = 0x0003fc00' \
	> /tmp/vx1020 2>/dev/null &
sleep 2
check "VLAN 10 guests reach each other across hosts" ping_ok a10 198.51.100.2
check "VLAN 20 guests reach each other across hosts" ping_ok a20 198.51.100.12
wait
check "the underlay sees VNI 1010" grep -q "vni 1010" /tmp/vx1010
check "the underlay sees VNI 1020" grep -q "vni 1020" /tmp/vx1020
check "inner frames untagged" \
	bash -c '! grep -q "802.1Q" /tmp/vx1010 /tmp/vx1020 && grep -q "ethertype IPv4" /tmp/vx1010'

# No leak from one VLAN to another, though the subnet is the same.
check_fails "VLAN 10 does not reach VLAN 20 across hosts" ping_ok a10 198.51.100.12
check_fails "VLAN 20 does not reach VLAN 10 across hosts" ping_ok a20 198.51.100.2

# The FDB: remote guests learned on the tunnel, per VLAN.
mac_b10=$(ip -n b10 -j link show eth0 | jq -r '.[0].address')
expect "vmbr fdb show: b10 learned on vx0 in VLAN 10" \
	"$(h1 vmbr -j fdb show vmbr0 | jq -r --arg m "$mac_b10" '[.[] | select(.mac == $m) | "\(.port) \(.vlan)"] | join(",")')" = "vx0 10"
expect "bridge fdb show: the same" \
	"$(h1 bridge -j fdb show | jq -r --arg m "$mac_b10" '[.[] | select(.mac == $m and .master == "vmbr0") | "\(.ifname) \(.vlan)"] | join(",")')" = "vx0 10"

# A VNI with no VLAN: dropped and counted.
vstat() { h1 vmbr -j -s port show vmbr0 vx0 | jq -r ".[0].stats$1"; }
# Three pings to a MAC nobody has: flooded, to h1 too, as VNI 1030.
ip -n b30 neigh add 198.51.100.99 lladdr 02:00:00:00:99:99 dev eth0
before=$(vstat .drops.vni)
ip netns exec b30 ping -c 3 -i 0.2 -w 2 198.51.100.99 > /dev/null 2>&1
expect "frames of VNI 1030 dropped as vni" "$(( $(vstat .drops.vni) - before ))" -eq 3

# TCP bulk across hosts: 8 MiB arrive intact.
head -c 8M /dev/urandom > /tmp/vx-sent
ip netns exec b10 timeout 60 socat -u TCP4-LISTEN:5001,reuseaddr \
	CREATE:/tmp/vx-received &
sleep 1
ip netns exec a10 timeout 60 socat -u OPEN:/tmp/vx-sent TCP4:198.51.100.2:5001
wait
check "8 MiB of TCP across hosts, intact" cmp /tmp/vx-sent /tmp/vx-received

# Full-size frames fit the tunnel; a bigger one (from a guest that thinks
# its MTU is 1500) is dropped and counted.
check "1450-byte packets cross" \
	ip netns exec a10 ping -c 2 -w 6 -s 1422 198.51.100.2
ip -n a10 link set eth0 mtu 1500
astat() { h1 vmbr -j -s port show vmbr0 a10 | jq -r ".[0].stats$1"; }
before=$(astat .drops.mtu)
check_fails "a 1451-byte one does not" \
	ip netns exec a10 ping -c 3 -w 4 -s 1423 198.51.100.2
expect "and is counted as mtu" "$(( $(astat .drops.mtu) - before ))" -eq 3
ip -n a10 link set eth0 mtu 1450

# Save and restore keep the map.
h1 vmbr save > /tmp/vx-saved.json
expect "saved" "$(jq -r '.vmbridges[0].uplink_vni' /tmp/vx-saved.json)" = "10:1010,20:1020"
check "the map taken off" h1 vmbr set vmbr0 uplink-vni none
expect "shown as none" "$(h1 vmbr -j show vmbr0 | jq -r '.[0].uplink_vni')" = ""
check_fails "without it VLAN 10 does not cross" ping_ok a10 198.51.100.2
check "restored" h1 vmbr restore /tmp/vx-saved.json
expect "the map is back" "$(h1 vmbr -j show vmbr0 | jq -r '.[0].uplink_vni')" = "10:1010,20:1020"
check "and VLAN 10 crosses again" ping_ok a10 198.51.100.2

rm -f /tmp/vx1010 /tmp/vx1020 /tmp/vx-saved.json /tmp/vx-sent /tmp/vx-received
