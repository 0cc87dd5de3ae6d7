# Configuration racing the data path: ports, modes (nat included), VLANs,
# guards, NAT settings and the uplink changed in a loop while traffic flows
# (pktgen at full rate through the NAT's gateway, a UDP stream, broadcast
# floods, pings); then ip link del and rmmod with traffic still running.  The assertions are the kernel log check
# after the scenario (KASAN, lockdep, kmemleak, refcounts) and that the
# vmbridge still works.
#
#   lan (192.0.2.200, 198.51.100.1) -- uplink0 (198.51.100.2) --+
#   g1 (192.0.2.1, pktgen) ---------+-- vmbr0 [bridge <-> hostonly <-> private <-> nat]
#   g2 (192.0.2.2) ----------------+   g3 attached and detached in a loop
#   g3 (192.0.2.3) ----------------+

lan 192.0.2.200/24
ip -n lan addr add 198.51.100.1/24 dev eth0
ip addr add 198.51.100.2/24 dev uplink0
vmbr add vmbr0 mode bridge uplink uplink0
ip link set vmbr0 up
ip addr add 192.0.2.254/24 dev vmbr0
guest g1 192.0.2.1/24
guest g2 192.0.2.2/24
guest g3 192.0.2.3/24

# Traffic: a UDP stream g1 -> g2, broadcast floods from g3 and the LAN,
# pings from the host.
ip netns exec g2 iperf3 -s -D -I /tmp/iperf3-g2.pid > /dev/null
sleep 1
ip netns exec g1 iperf3 -c 192.0.2.2 -u -b 50M -t 600 > /dev/null 2>&1 &
echo $! > /tmp/iperf3-g1.pid
flood() {	# flood NS: broadcast frames from random sources, forever
	while :; do
		ip netns exec "$1" framegen eth0 500 ff:ff:ff:ff:ff:ff random \
			> /dev/null 2>&1
	done
}
flood g3 & echo $! > /tmp/flood-g3.pid
flood lan & echo $! > /tmp/flood-lan.pid
ping -i 0.05 192.0.2.1 > /dev/null 2>&1 &
echo $! > /tmp/ping-host.pid
# pktgen from g1 to the LAN through the gateway's MAC: switched in bridge
# mode, translated in nat mode (1000 flows), dropped by policy otherwise.
modprobe pktgen 2>/dev/null
gwmac=$(ip -j link show vmbr0 | jq -r '.[0].address')
pg=/proc/net/pktgen
ip netns exec g1 sh -c "
	echo rem_device_all > $pg/kpktgend_0
	echo 'add_device eth0' > $pg/kpktgend_0
	for c in 'count 0' 'pkt_size 60' 'delay 0' 'dst_mac $gwmac' \
		 'src_min 192.0.2.1' 'src_max 192.0.2.1' 'dst 198.51.100.1' \
		 'udp_src_min 9' 'udp_src_max 9' 'udp_dst_min 1000' \
		 'udp_dst_max 2000'; do
		echo \"\$c\" > $pg/eth0
	done"
ip netns exec g1 sh -c "echo start > $pg/pgctrl" > /dev/null 2>&1 &
echo $! > /tmp/pktgen-g1.pid
sleep 1

fails=0
for i in $(seq 15); do
	vmbr port del vmbr0 g3 || fails=$((fails + 1))
	vmbr set vmbr0 mode hostonly ageing 1 max-fdb 64 || fails=$((fails + 1))
	ip link set g3 master vmbr0 || fails=$((fails + 1))
	vmbr port set vmbr0 g3 vlan $(( i % 2 ? 10 : 1 )) isolated on \
		max-macs 8 bum-rate 1000 || fails=$((fails + 1))
	vmbr port set vmbr0 g1 trunk 10,20 native 1 lock-mac \
		"$(ip -n g1 -j link show eth0 | jq -r '.[0].address')" ||
		fails=$((fails + 1))
	vmbr fdb flush vmbr0 || fails=$((fails + 1))
	vmbr set vmbr0 mode private uplink none || fails=$((fails + 1))
	vmbr set vmbr0 mode bridge uplink uplink0 uplink-vlans 10 ||
		fails=$((fails + 1))
	vmbr port set vmbr0 g1 vlan 1 lock-mac off || fails=$((fails + 1))
	vmbr set vmbr0 mode nat uplink uplink0 uplink-vlans none ||
		fails=$((fails + 1))
	vmbr nat set vmbr0 max-sessions $(( i % 2 ? 100 : 5000 )) \
		timeout-udp $(( i % 3 + 1 )) || fails=$((fails + 1))
	vmbr nat forward add vmbr0 udp 5000 to 192.0.2.2 || fails=$((fails + 1))
	vmbr -j nat show vmbr0 > /dev/null || fails=$((fails + 1))
	vmbr nat flush vmbr0 || fails=$((fails + 1))
	vmbr nat forward del vmbr0 udp 5000 || fails=$((fails + 1))
	vmbr set vmbr0 mode bridge uplink uplink0 || fails=$((fails + 1))
	vmbr -j -s show > /dev/null || fails=$((fails + 1))
	vmbr -j fdb show vmbr0 > /dev/null || fails=$((fails + 1))
done > /tmp/races.out 2>&1
expect "every change under traffic was accepted" "$fails" -eq 0
sort /tmp/races.out | uniq -c | sort -rn | head -n 5
vmbr port set vmbr0 g3 vlan 1 isolated off max-macs 0 bum-rate 0
vmbr set vmbr0 ageing 300 max-fdb 16384
pkts=$(ip netns exec g1 cat $pg/eth0 | sed -n 's/.*pkts-sofar: \([0-9]*\).*/\1/p')
expect "pktgen kept sending through it all" "${pkts:-0}" -gt 1000
check "the vmbridge still switches" ping_ok g1 192.0.2.2
check "and reaches the LAN" ping_ok g2 192.0.2.200

# Tear down with traffic still running.
check "ip link del under traffic" ip link del vmbr0
vmbr add vmbr0 mode bridge uplink uplink0
ip link set vmbr0 up
for g in g1 g2 g3; do ip link set $g master vmbr0; done
sleep 1
ip link set vmbr0 address "$gwmac"	# pktgen's destination again
vmbr set vmbr0 mode nat uplink uplink0
vmbr nat forward add vmbr0 udp 5000 to 192.0.2.2
sleep 1
check "rmmod under traffic (nat mode, pktgen through the gateway)" rmmod vmbridge
check_fails "nothing left" ip link show vmbr0
check "the module loads again" ip link add vmbr0 type vmbridge
