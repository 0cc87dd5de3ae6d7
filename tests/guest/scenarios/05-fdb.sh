# The forwarding database: learning, moves, static entries, ageing, the
# bound, flush, and events.
#
#   g1 (192.0.2.1) --+
#   g2 (192.0.2.2) --+-- vmbr0 [hostonly]
#   g3 (192.0.2.3) --+

ip link add vmbr0 type vmbridge
ip link set vmbr0 up
vmbr monitor > /tmp/monitor.out 2>&1 &
echo $! > /tmp/monitor.pid
sleep 0.5
guest g1 192.0.2.1/24
guest g2 192.0.2.2/24
guest g3 192.0.2.3/24
ping_ok g1 192.0.2.2
ping_ok g1 192.0.2.3

fdb_port() { vmbr -j fdb show vmbr0 | jq -r --arg m "$1" '[.[] | select(.mac == $m) | .port] | join(",")'; }
mac() { ip -n "$1" -j link show eth0 | jq -r '.[0].address'; }
m1=$(mac g1) m2=$(mac g2) m3=$(mac g3)
expect "learned g1" "$(fdb_port "$m1")" = g1
expect "learned g2" "$(fdb_port "$m2")" = g2
expect "fdb count reported" "$(vmbr -j show vmbr0 | jq '.[0].fdb_count')" -ge 3

# A MAC that shows up on another port moves there.
ip -n g3 link set eth0 address "$m1"
ip netns exec g3 ping -c 1 -w 2 192.0.2.2 > /dev/null
expect "a MAC moves to the port it is seen on" "$(fdb_port "$m1")" = g3
ip -n g3 link set eth0 address "$m3"
# The others took g3's address to be $m1 from its ARP: let them ask again.
for g in g1 g2 g3; do ip -n $g neigh flush all; done

# Static entries: forwarding follows them, learning does not move them.
check "static entry added" vmbr fdb add vmbr0 02:00:00:00:00:42 port g1
expect "listed as static" "$(vmbr -j fdb show vmbr0 | jq -r '.[] | select(.mac == "02:00:00:00:00:42") | .static')" = true
count_dst g1 eth0 02:00:00:00:00:42
count_dst g3 eth0 02:00:00:00:00:42
ip -n g2 neigh add 192.0.2.42 lladdr 02:00:00:00:00:42 dev eth0 nud permanent
ip netns exec g2 ping -c 3 -w 4 192.0.2.42 > /dev/null
expect "frames to a static MAC go to its port" "$(counted g1 eth0)" -eq 3
expect "and to no other" "$(counted g3 eth0)" -eq 0
out=$(vmbr fdb add vmbr0 01:00:5e:00:00:01 port g1 2>&1); rc=$?
expect "a multicast MAC is refused" "$rc" -ne 0
out=$(vmbr fdb del vmbr0 02:00:00:00:00:43 2>&1)
check "deleting a missing entry says so" grep -q "no such FDB entry" <<< "$out"

# iproute2's bridge fdb, over rtnetlink: vmbr0's own dump lists every
# entry (the port as its device, vmbr0 as master, the VLAN); "self" adds
# and deletes a static entry, "via" naming the port.  ("show dev vmbr0"
# would keep only entries whose device is vmbr0, on iproute2's side.)
bfdb() { /sbin/bridge -j fdb show | jq -r --arg m "$1" \
	'[.[] | select(.mac == $m and .master == "vmbr0") | "\(.ifname) \(.master) \(.vlan) \(.state // "")"] | join(",")'; }
expect "bridge fdb lists a learned MAC" "$(bfdb "$m2")" = "g2 vmbr0 1 "
expect "bridge fdb lists a static one" "$(bfdb 02:00:00:00:00:42)" = "g1 vmbr0 1 static"
check "bridge fdb add ... self via PORT" /sbin/bridge fdb add 02:00:00:00:00:44 \
	dev vmbr0 self vlan 1 via g3
expect "that entry is vmbr's" "$(fdb_port 02:00:00:00:00:44)" = g3
check "bridge fdb del ... self" /sbin/bridge fdb del 02:00:00:00:00:44 dev vmbr0 self vlan 1
expect "and it is gone" "$(fdb_port 02:00:00:00:00:44)" = ""
check_fails "bridge fdb add of a non-port is refused" /sbin/bridge fdb add \
	02:00:00:00:00:45 dev vmbr0 self via lo

# Flush by port keeps static entries and others' entries.
check "flush one port" vmbr fdb flush vmbr0 port g2
expect "its MACs are gone" "$(fdb_port "$m2")" = ""
expect "others stay" "$(fdb_port "$m3")" = g3
expect "static stays" "$(fdb_port 02:00:00:00:00:42)" = g1

# Ageing.
check "ageing set to 1 s" vmbr set vmbr0 ageing 1
expect "ageing reported" "$(vmbr -j show vmbr0 | jq '.[0].ageing')" -eq 1
for i in $(seq 40); do
	[ "$(vmbr -j fdb show vmbr0 | jq '[.[] | select(.static | not)] | length')" = 0 ] && break
	sleep 0.25
done
expect "learned entries aged out" "$(vmbr -j fdb show vmbr0 | jq '[.[] | select(.static | not)] | length')" -eq 0
expect "static entry did not age" "$(fdb_port 02:00:00:00:00:42)" = g1
vmbr set vmbr0 ageing 300

# The bound.
vmbr fdb del vmbr0 02:00:00:00:00:42
check "max-fdb set" vmbr set vmbr0 max-fdb 2
ping_ok g1 192.0.2.2
ping_ok g1 192.0.2.3
expect "the FDB stays within its bound" "$(vmbr -j show vmbr0 | jq '.[0].fdb_count')" -eq 2
expect "refusals counted" "$(vmbr -j -s show vmbr0 | jq '.[0].stats.fdb_full')" -gt 0
check "traffic still flows with a full FDB" ping_ok g3 192.0.2.2

vmbr port del vmbr0 g3
sleep 0.5
kill "$(cat /tmp/monitor.pid)"; rm -f /tmp/monitor.pid
check "monitor saw a port join" grep -q "g1" /tmp/monitor.out
check "monitor saw a port leave" grep -Eiq "port.?del.*g3|g3.*port.?del|removed.*g3|g3.*removed" /tmp/monitor.out
check "monitor saw the FDB bound hit" grep -qi "limit" /tmp/monitor.out
