#!/bin/bash
# The systems under test, each made and unmade in the guest's root
# namespace between the same two links: PORT (the guest's side: vsrc, a
# veth whose peer is eth0 of namespace src, where pktgen runs; or tsrc, a
# TAP opened as QEMU opens one, whose guest NIC is eth0 of namespace tcpg)
# and vsnk (the uplink: a veth whose peer is eth0 of namespace sink).
# Sourced by bench.sh.
#
#   src:  eth0 ==veth== vsrc --+                      +-- vsnk ==veth== eth0 :sink
#                              +-- system under test --+   (tc ingress drop,
#   tcpg: eth0 ==TAP (vnet hdr, tapbridge)== tsrc --+      198.51.100.1/24,
#                                                          eth0.10 for VLANs)
#
#   floor     tc mirred redirect PORT <-> vsnk (the least work possible)
#   br        Linux bridge br0 {PORT, vsnk}
#   vmbr      vmbridge vmbr0, mode bridge, uplink vsnk, port PORT
#   brvlan    br0 with vlan_filtering: PORT pvid 10 untagged, vsnk 10 tagged
#   vmbrvlan  vmbr0 bridge: PORT vlan 10, uplink-vlans 10, no native VLAN
#   vmbrrate  vmbr as above, PORT with rate-in 10gbit: far above what a
#             guest sends here, so every frame pays the bucket, none drops
#   libvirt   br0 {PORT} 192.168.100.1/24, vsnk 198.51.100.2/24,
#             ip_forward=1, nft masquerade 192.168.100.0/24 out vsnk,
#             conntrack (libvirt's NAT network, without its filter rules)
#   vmbrnat   vmbr0 mode nat 192.168.100.1/24, uplink vsnk 198.51.100.2/24
#   brvxlan   br0 vlan_filtering {PORT pvid 10 untagged, vx0 vlan_tunnel
#             10 -> VNI 1010}, vx0 a VXLAN device (external vnifilter,
#             198.51.100.2 on vsnk) whose FDB sends VNI 1010 to the sink
#   vmbrvxlan vmbr0 bridge: PORT vlan 10, uplink vx0 (the same device),
#             uplink-vlans 10, uplink-vni 10:1010
#   (packet rates only: the sink drops the VXLAN datagrams as they come)
#
# The sink's MAC is known up front (static FDB entries, a permanent
# neighbour) because the sink drops everything it receives, ARP included.

IP=/sbin/ip
TC=/sbin/tc
SINK_IP=198.51.100.1
UPLINK_IP=198.51.100.2
L2_SRC_IP=198.51.100.10
NAT_SRC_IP=192.168.100.10
GW_IP=192.168.100.1
VID=10
VNI=1010

# Run a configuration command; a failure is reported, not fatal.
run() {
	if ! "$@" > /tmp/run.out 2>&1; then
		echo "BENCH-ERR setup: $* -- $(tail -n 2 /tmp/run.out | tr '\n' ' ')"
		return 1
	fi
}

# What teardown undoes, as setups add it: one command a line.
UNDO=()
undo() { UNDO+=("$*"); }

setup_floor() {
	local port=$1
	run $TC qdisc add dev "$port" clsact
	undo $TC qdisc del dev "$port" clsact
	run $TC filter add dev "$port" ingress matchall \
		action mirred egress redirect dev vsnk
	run $TC qdisc add dev vsnk clsact
	undo $TC qdisc del dev vsnk clsact
	run $TC filter add dev vsnk ingress matchall \
		action mirred egress redirect dev "$port"
}

setup_br() {
	local port=$1
	run $IP link add br0 type bridge
	undo $IP link del br0
	run $IP link set "$port" master br0
	run $IP link set vsnk master br0
	run $IP link set br0 up
	run /sbin/bridge fdb replace "$SINK_MAC" dev vsnk master static
}

setup_vmbr() {
	local port=$1
	run vmbr add vmbr0 mode bridge uplink vsnk
	undo $IP link del vmbr0
	run vmbr port add vmbr0 "$port"
	run $IP link set vmbr0 up
	run vmbr fdb add vmbr0 "$SINK_MAC" port vsnk
}

setup_vmbrrate() {
	local port=$1
	setup_vmbr "$port"
	run vmbr port set vmbr0 "$port" rate-in 10gbit
}

setup_brvlan() {
	local port=$1
	run $IP link add br0 type bridge vlan_filtering 1
	undo $IP link del br0
	run $IP link set "$port" master br0
	run $IP link set vsnk master br0
	run /sbin/bridge vlan add dev "$port" vid $VID pvid untagged
	run /sbin/bridge vlan del dev "$port" vid 1
	run /sbin/bridge vlan add dev vsnk vid $VID
	run /sbin/bridge vlan del dev vsnk vid 1
	run $IP link set br0 up
	run /sbin/bridge fdb replace "$SINK_MAC" dev vsnk master static vlan $VID
}

setup_vmbrvlan() {
	local port=$1
	run vmbr add vmbr0 mode bridge uplink vsnk
	undo $IP link del vmbr0
	run vmbr set vmbr0 uplink-vlans $VID uplink-native none
	run vmbr port add vmbr0 "$port" vlan $VID
	run $IP link set vmbr0 up
	run vmbr fdb add vmbr0 "$SINK_MAC" port vsnk vlan $VID
}

# The uplink side of both NATs.  Removing the last address of vsnk takes
# its neighbours too.
nat_uplink() {
	run $IP addr add $UPLINK_IP/24 dev vsnk
	undo $IP addr flush dev vsnk
	run $IP neigh replace $SINK_IP lladdr "$SINK_MAC" dev vsnk nud permanent
}

# The tunnel both VXLAN configurations share.
vxlan_uplink() {
	nat_uplink
	run $IP link add vx0 type vxlan dstport 4789 local $UPLINK_IP dev vsnk \
		external vnifilter
	undo $IP link del vx0
	run $IP link set vx0 up
	run /sbin/bridge vni add dev vx0 vni $VNI
	run /sbin/bridge fdb append 00:00:00:00:00:00 dev vx0 dst $SINK_IP \
		src_vni $VNI self
}

setup_brvxlan() {
	local port=$1
	vxlan_uplink
	run $IP link add br0 type bridge vlan_filtering 1
	undo $IP link del br0
	run $IP link set "$port" master br0
	run $IP link set vx0 master br0
	run /sbin/bridge link set dev vx0 vlan_tunnel on
	run /sbin/bridge vlan add dev "$port" vid $VID pvid untagged
	run /sbin/bridge vlan del dev "$port" vid 1
	run /sbin/bridge vlan add dev vx0 vid $VID
	run /sbin/bridge vlan add dev vx0 vid $VID tunnel_info id $VNI
	run /sbin/bridge vlan del dev vx0 vid 1
	run $IP link set br0 up
	run /sbin/bridge fdb replace "$SINK_MAC" dev vx0 master static vlan $VID
}

setup_vmbrvxlan() {
	local port=$1
	vxlan_uplink
	run vmbr add vmbr0 mode bridge uplink vx0 uplink-vlans $VID \
		uplink-native none uplink-vni $VID:$VNI
	undo $IP link del vmbr0
	run vmbr port add vmbr0 "$port" vlan $VID
	run $IP link set vmbr0 up
	run vmbr fdb add vmbr0 "$SINK_MAC" port vx0 vlan $VID
}

setup_libvirt() {
	local port=$1
	run $IP link add br0 type bridge
	undo $IP link del br0
	run $IP link set "$port" master br0
	run $IP addr add $GW_IP/24 dev br0
	run $IP link set br0 up
	nat_uplink
	echo 1 > /proc/sys/net/ipv4/ip_forward
	undo "echo 0 > /proc/sys/net/ipv4/ip_forward"
	run nft -f - <<-EOF
	table ip benchnat {
		chain postrouting {
			type nat hook postrouting priority srcnat; policy accept;
			ip saddr 192.168.100.0/24 oifname "vsnk" masquerade
		}
	}
	EOF
	undo nft delete table ip benchnat
}

setup_vmbrnat() {
	local port=$1
	run vmbr add vmbr0 mode nat uplink vsnk
	undo $IP link del vmbr0
	run vmbr nat set vmbr0 max-sessions 200000 max-sessions-per-guest 200000
	run $IP addr add $GW_IP/24 dev vmbr0
	run $IP link set vmbr0 up
	nat_uplink
	run vmbr port add vmbr0 "$port"
}

# Back to the bare topology: undo what the last setup did, last first.
teardown() {
	local i
	for (( i = ${#UNDO[@]} - 1; i >= 0; i-- )); do
		eval "${UNDO[i]}" 2>/dev/null
	done
	UNDO=()
}

# The MAC a guest's frames go to: the sink's (layer 2) or the gateway's.
dst_mac_of() {
	local mac=$SINK_MAC
	case $1 in
	libvirt) read -r mac < /sys/class/net/br0/address ;;
	vmbrnat) read -r mac < /sys/class/net/vmbr0/address ;;
	esac
	echo "$mac"
}

is_nat() { [ "$1" = libvirt ] || [ "$1" = vmbrnat ]; }
is_vlan() { [ "$1" = brvlan ] || [ "$1" = vmbrvlan ]; }
