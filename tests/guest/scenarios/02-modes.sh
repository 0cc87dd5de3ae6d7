# bridge, hostonly and private modes.
#
#   lan (192.0.2.200, dnsmasq) -- uplink0 --+
#   g1 (192.0.2.1) -------------------------+-- vmbr0 (192.0.2.254)
#   g2 (DHCP from the LAN) -----------------+
#   g3 (192.0.2.3) -------------------------+

lan 192.0.2.200/24
ip netns exec lan dnsmasq --no-resolv --no-hosts --port=0 \
	--interface=eth0 --bind-interfaces --leasefile-ro \
	--dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0,120 \
	--pid-file=/tmp/dnsmasq.pid

check "vmbr add in bridge mode with an uplink" vmbr add vmbr0 mode bridge uplink uplink0
ip link set vmbr0 up
ip addr add 192.0.2.254/24 dev vmbr0
expect "uplink promiscuous in bridge mode" "$(ip -j -d link show uplink0 | jq '.[0].promiscuity')" -eq 1
guest g1 192.0.2.1/24
guest g2 0.0.0.0/32
guest g3 192.0.2.3/24

check "bridge: guest reaches the LAN" ping_ok g1 192.0.2.200
check "bridge: LAN reaches the guest" ping_ok lan 192.0.2.1
lease=$(ip netns exec g2 udhcpc -i eth0 -n -q -t 5 -s /bin/true 2>&1)
check "bridge: guest gets a lease from the LAN's DHCP" grep -q "lease of 192.0.2.1[0-5][0-9] obtained" <<< "$lease"
check "bridge: host reaches the guest" ping_host_ok 192.0.2.1
check "bridge: host reaches the LAN" ping_host_ok 192.0.2.200
expect "uplink counters moved" "$(pstat uplink0 .rx_packets)" -ge 2

check "switch to hostonly" vmbr set vmbr0 mode hostonly
expect "uplink not promiscuous outside bridge mode" "$(ip -j -d link show uplink0 | jq '.[0].promiscuity')" -eq 0
check_fails "hostonly: guest cannot reach the LAN" ping_ok g1 192.0.2.200
check "hostonly: guest reaches the host" ping_ok g1 192.0.2.254
check "hostonly: guests reach each other" ping_ok g1 192.0.2.3

# Unknown unicast floods to the ports that may see it, and only to them.
count_dst lan eth0 02:00:00:00:00:99
count_dst g3 eth0 02:00:00:00:00:99
ip -n g1 neigh add 192.0.2.99 lladdr 02:00:00:00:00:99 dev eth0 nud permanent
ip netns exec g1 ping -c 3 -w 4 192.0.2.99 > /dev/null
expect "hostonly: unknown unicast reaches another guest" "$(counted g3 eth0)" -eq 3
expect "hostonly: unknown unicast never reaches the LAN" "$(counted lan eth0)" -eq 0

check "switch to private" vmbr set vmbr0 mode private
check "private: guests reach each other" ping_ok g1 192.0.2.3
check_fails "private: guest cannot reach the host" ping_ok g1 192.0.2.254
check_fails "private: host cannot reach a guest" ping_host_ok 192.0.2.3
hostmac=$(ip -j link show vmbr0 | jq -r '.[0].address')
ip -n g1 neigh replace 192.0.2.254 lladdr "$hostmac" dev eth0 nud permanent
before=$(pstat g1 .drops.policy)
ip netns exec g1 ping -c 3 -w 4 192.0.2.254 > /dev/null
expect "private: frames to the host dropped as policy" "$(( $(pstat g1 .drops.policy) - before ))" -eq 3
check_fails "private: guest cannot reach the LAN" ping_ok g1 192.0.2.200

check "back to bridge mode" vmbr set vmbr0 mode bridge
check "bridge again: guest reaches the LAN" ping_ok g3 192.0.2.200
check "uplink none refused in bridge mode" test -n "$(vmbr set vmbr0 uplink none 2>&1 | grep 'needs an uplink')"
check "uplink none in hostonly" vmbr set vmbr0 mode hostonly uplink none
expect "no uplink listed" "$(vmbr -j show vmbr0 | jq -r '.[0].uplink')" = null
check "the LAN device is free again" ip link set uplink0 master vmbr0
