# Ports and vmbridges going away under traffic: a deleted veth, a closed
# TAP, ip link del, a deleted namespace, rmmod with everything still there.
#
#   g1 (192.0.2.1) --+
#   g2 (192.0.2.2) --+-- vmbr0        and, in namespace far: vmbrfar + 2 ports
#   t1 (192.0.2.3) --+   (t1 on a QEMU-style TAP)

ip link add vmbr0 type vmbridge
ip link set vmbr0 up
guest g1 192.0.2.1/24
guest g2 192.0.2.2/24
tap_guest t1 192.0.2.3/24
check "guests talk" ping_ok g1 192.0.2.2

ip netns exec g2 iperf3 -s -D -I /tmp/iperf3-g2.pid > /dev/null
sleep 1
ip netns exec g1 iperf3 -c 192.0.2.2 -u -b 20M -t 60 > /dev/null 2>&1 &
echo $! > /tmp/iperf3-g1.pid
sleep 2
check "a port's veth deleted mid-traffic" ip netns exec g2 ip link del eth0
expect "its port left by itself" "$(vmbr -j port show vmbr0 | jq -r '[.[].ifname] | join(",")')" = g1,t1

ip netns exec t1 ping -c 1000 -i 0.01 192.0.2.1 > /dev/null 2>&1 &
echo $! > /tmp/ping-t1.pid
sleep 1
kill "$(cat /tmp/t1.tappid)"; rm -f /tmp/t1.tappid
wait_gone() { local i; for i in $(seq 50); do ip link show "$1" > /dev/null 2>&1 || return 0; sleep 0.1; done; return 1; }
check "closing a TAP removes its device" wait_gone t1
expect "the TAP's port left by itself" "$(vmbr -j port show vmbr0 | jq -r '[.[].ifname] | join(",")')" = g1
check "ip link del with a live port and traffic" ip link del vmbr0
expect "the port is free" "$(ip -j link show g1 | jq -r '.[0].master')" = null

# A vmbridge inside a namespace goes with the namespace; its guest, in a
# namespace of its own, loses its port's peer with it.
ip netns add far
ip netns add farg
ip -n far link add vmbrfar type vmbridge
ip -n far link set vmbrfar up
ip -n far addr add 198.51.100.254/24 dev vmbrfar
ip -n far link add p1 type veth peer name eth0 netns farg
ip -n far link set p1 master vmbrfar
ip -n far link set p1 up
ip -n farg link set eth0 up
ip -n farg addr add 198.51.100.1/24 dev eth0
check "a vmbridge works in another namespace" ping_ok farg 198.51.100.254
check "deleting the namespace" ip netns del far
sleep 1
check_fails "its guest lost its link" ip -n farg link show eth0

# A vmbridge stays in its namespace, as the Linux bridge does: a move is
# refused, and it keeps its mode, uplink and NAT; its ports and its uplink
# may move away, and leave it.  Then the other namespace and the vmbridge
# go (the debug kernel's log says whether anything was left behind).
ip netns add away
ip link add upm type veth peer name upm-peer
ip addr add 198.51.100.9/24 dev upm
ip link set upm up
ip link set upm-peer up
vmbr add vmbrm mode nat uplink upm
ip link set vmbrm up
guest gm 192.168.77.10/24 vmbrm
vmbr nat forward add vmbrm udp 5000 to 192.168.77.10
out=$(ip link set vmbrm netns away 2>&1); rc=$?
expect "a vmbridge cannot move to another namespace" "$rc" -ne 0
check_fails "it is not there" ip -n away link show vmbrm
expect "it stays here, in nat mode with its uplink" \
	"$(vmbr -j show vmbrm | jq -r '.[0] | "\(.mode) \(.uplink)"')" = "nat upm"
expect "with its forward" "$(vmbr -j nat forward show vmbrm | jq length)" -eq 1
check "a port may move away" ip link set gm netns away
expect "and leaves the vmbridge" \
	"$(vmbr -j port show vmbrm | jq -r '[.[].ifname] | join(",")')" = upm
check "so may the uplink" ip link set upm netns away
expect "which leaves it too" "$(vmbr -j show vmbrm | jq -r '.[0].uplink')" = null
check "the other namespace goes" ip netns del away
check "then the vmbridge" ip link del vmbrm
ip link del upm-peer 2>/dev/null

# rmmod with vmbridges, ports and traffic.
ip link add vmbr0 type vmbridge
ip link add vmbr1 type vmbridge
ip link set vmbr0 up
ip link set g1 master vmbr0
guest g3 192.0.2.3/24
ip netns exec g1 ping -c 1000 -i 0.01 192.0.2.3 > /dev/null 2>&1 &
echo $! > /tmp/ping-g1.pid
sleep 1
check "rmmod with live vmbridges and ports" rmmod vmbridge
check_fails "every vmbridge is gone" ip link show vmbr1
expect "ports are free" "$(ip -j link show g1 | jq -r '.[0].master')" = null
check "the module comes back on demand" ip link add vmbr0 type vmbridge
check "and deletes" ip link del vmbr0
