# A TAP opened with IFF_VNET_HDR, as QEMU opens it: GSO super-packets and
# CHECKSUM_PARTIAL frames cross the vmbridge whole; oversize frames drop.
#
#   t1 (192.0.2.1) == tapbridge == t1 --+
#                                       +-- vmbr0 [hostonly]
#   t2 (192.0.2.2) == tapbridge == t2 --+

ip link add vmbr0 type vmbridge
ip link set vmbr0 up
check "QEMU-style TAP t1 attached" tap_guest t1 192.0.2.1/24
check "QEMU-style TAP t2 attached" tap_guest t2 192.0.2.2/24
check "guests on TAPs reach each other" ping_ok t1 192.0.2.2

ip netns exec t2 iperf3 -s -D -1 -I /tmp/iperf3.pid > /dev/null
sleep 1
check "iperf3 TCP bulk t1 -> t2 completes" ip netns exec t1 iperf3 -c 192.0.2.2 -n 16M -J
expect "the guest sent GSO super-packets into the vmbridge" "$(tap_stat t1 guest_to_host_gso)" -gt 0
expect "GSO super-packets left the vmbridge whole" "$(tap_stat t2 host_to_guest_gso)" -gt 0
expect "frames larger than the MTU were delivered unsegmented" "$(tap_stat t2 host_to_guest_max_len)" -gt 1514
expect "no drops on the TAP port" "$(vmbr -j -s port show vmbr0 t1 | jq '[.[0].stats.drops[]] | add')" -eq 0

# A frame over the egress port's MTU is dropped and counted.
ip link set t2 mtu 1280
before=$(pstat t1 .drops.mtu)
ip netns exec t1 ping -c 3 -w 4 -s 1400 192.0.2.2 > /dev/null
expect "oversize frames dropped and counted" "$(( $(pstat t1 .drops.mtu) - before ))" -eq 3
check "frames that fit still pass" ping_ok t1 192.0.2.2
