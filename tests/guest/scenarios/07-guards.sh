# The guards of a guest port: isolation, lock-mac, max-macs, bum-rate.
# Hostile frames come from framegen (AF_PACKET) inside the guests.
#
#   g1 (192.0.2.1) --+
#   g2 (192.0.2.2) --+-- vmbr0 [hostonly] (192.0.2.254)
#   g3 (192.0.2.3) --+

ip link add vmbr0 type vmbridge
ip link set vmbr0 up
ip addr add 192.0.2.254/24 dev vmbr0
guest g1 192.0.2.1/24
guest g2 192.0.2.2/24
guest g3 192.0.2.3/24
mac() { ip -n "$1" -j link show eth0 | jq -r '.[0].address'; }
m1=$(mac g1) m2=$(mac g2) m3=$(mac g3)
fdb_port() { vmbr -j fdb show vmbr0 | jq -r --arg m "$1" '[.[] | select(.mac == $m) | .port] | join(",")'; }
# Count frames of framegen's ethertype arriving on DEV in namespace NS.
count_test_frames() {
	tc -n "$1" qdisc add dev "$2" clsact
	tc -n "$1" filter add dev "$2" ingress protocol 0x88b5 pref 1 \
		matchall action pass
}
for g in g1 g2 g3; do ping_ok $g 192.0.2.254; done

# Isolation: two isolated guests are apart; each reaches everyone else.
check "isolate g1" vmbr port set vmbr0 g1 isolated on
check "isolate g2" vmbr port set vmbr0 g2 isolated on
expect "isolation reported" "$(vmbr -j port show vmbr0 g1 | jq '.[0].isolated')" = true
check_fails "isolated guests cannot reach each other" ping_ok g1 192.0.2.2
check "an isolated guest reaches a guest that is not" ping_ok g1 192.0.2.3
check "and the host" ping_ok g2 192.0.2.254
ip -n g1 neigh replace 192.0.2.2 lladdr "$m2" dev eth0 nud permanent
before=$(pstat g1 .drops.isolated)
ip netns exec g1 ping -c 3 -w 4 192.0.2.2 > /dev/null
expect "unicast between isolated guests dropped and counted" \
	"$(( $(pstat g1 .drops.isolated) - before ))" -eq 3
check "isolation off" vmbr port set vmbr0 g2 isolated off
check "then they meet again" ping_ok g1 192.0.2.2
vmbr port set vmbr0 g1 isolated off

# lock-mac: only the listed sources come in.
check "lock g1 to its own MAC" vmbr port set vmbr0 g1 lock-mac "$m1"
expect "lock reported" "$(vmbr -j port show vmbr0 g1 | jq -r '.[0].lock_mac | join(",")')" = "$m1"
check "its own MAC passes" ping_ok g1 192.0.2.3
count_test_frames g3 eth0
before=$(pstat g1 '.drops["lock-mac"]')
ip netns exec g1 framegen eth0 20 ff:ff:ff:ff:ff:ff 02:00:00:00:66:66 > /dev/null
ip netns exec g1 framegen eth0 20 ff:ff:ff:ff:ff:ff "$m3" > /dev/null
expect "spoofed sources dropped and counted" \
	"$(( $(pstat g1 '.drops["lock-mac"]') - before ))" -eq 40
expect "none reached another guest" "$(counted g3 eth0)" -eq 0
expect "a spoofed MAC is never learned" "$(fdb_port 02:00:00:00:66:66)" = ""
expect "a stolen MAC stays where it lives" "$(fdb_port "$m3")" = g3
check "lock-mac off" vmbr port set vmbr0 g1 lock-mac off
ip netns exec g1 framegen eth0 5 ff:ff:ff:ff:ff:ff 02:00:00:00:66:66 > /dev/null
expect "then any source passes" "$(counted g3 eth0)" -eq 5
out=$(vmbr port set vmbr0 g1 lock-mac 01:00:5e:00:00:01 2>&1); rc=$?
expect "a group MAC cannot be locked to" "$rc" -ne 0
check "the refusal names it" grep -q "01:00:5e:00:00:01" <<< "$out"

# max-macs: a MAC flood fills the port's share, not the FDB.
check "max-macs 4 on g3" vmbr port set vmbr0 g3 max-macs 4
ip netns exec g3 framegen eth0 200 ff:ff:ff:ff:ff:ff random > /dev/null
expect "the port holds at most 4 MACs" \
	"$(vmbr -j port show vmbr0 g3 | jq '.[0].fdb_count')" -le 4
expect "the refusals are counted" "$(pstat g3 .max_macs)" -ge 190
expect "the vmbridge's FDB did not grow with it" \
	"$(vmbr -j show vmbr0 | jq '.[0].fdb_count')" -le 7
check "the guest's own traffic still passes" ping_ok g3 192.0.2.1

# bum-rate: a broadcast storm is cut down; unicast is not limited.
check "bum-rate 100 on g2" vmbr port set vmbr0 g2 bum-rate 100
count_test_frames g1 eth0
before=$(pstat g2 '.drops["bum-rate"]')
rx=$(pstat g2 .rx_packets)
sent=$(ip netns exec g2 framegen eth0 3000 ff:ff:ff:ff:ff:ff "$m2")
sleep 1
seen=$(( $(pstat g2 .rx_packets) - rx ))	# the host's backlog may drop some first
passed=$(counted g1 eth0)
dropped=$(( $(pstat g2 '.drops["bum-rate"]') - before ))
expect "framegen sent its storm" "$sent" -eq 3000
expect "the storm was cut down" "$dropped" -gt "$(( seen / 2 ))"
expect "a burst passed" "$passed" -ge 10
expect "every frame the port gave passed or was counted" \
	"$(( passed + dropped ))" -eq "$seen"
check "unicast still passes" ping_ok g2 192.0.2.1
