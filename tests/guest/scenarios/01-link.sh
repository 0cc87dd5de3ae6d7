# The link type, ports attached both ways, refusals, permissions.
#
#   g1 (192.0.2.1) --+
#   g2 (192.0.2.2) --+-- vmbr0 (192.0.2.254, the host)   [hostonly]
#   g3 (192.0.2.3) --+
#   g4 in a Linux bridge br0: refused

check_fails "module not loaded before first use" grep -q '^vmbridge ' /proc/modules
check "ip link add autoloads the module" ip link add vmbr0 type vmbridge
check "module loaded" grep -q '^vmbridge ' /proc/modules
expect "default mode is hostonly" "$(vmbr -j show vmbr0 | jq -r '.[0].mode')" = hostonly
ip link set vmbr0 up
ip addr add 192.0.2.254/24 dev vmbr0

guest g1 192.0.2.1/24
guest g2 192.0.2.2/24
guest g3 192.0.2.3/24 none
check "vmbr port add attaches" vmbr port add vmbr0 g3
expect "ip link shows the master" "$(ip -j link show g1 | jq -r '.[0].master')" = vmbr0
expect "three ports listed" "$(vmbr -j port show vmbr0 | jq length)" -eq 3

check "guest reaches guest" ping_ok g1 192.0.2.2
check "guest reaches guest via vmbr port add" ping_ok g3 192.0.2.2
check "guest reaches the host" ping_ok g1 192.0.2.254
check "host reaches a guest" ping_host_ok 192.0.2.2
expect "port rx counted" "$(pstat g1 .rx_packets)" -ge 4
expect "port tx counted" "$(pstat g1 .tx_packets)" -ge 4
expect "port rx bytes counted" "$(pstat g1 .rx_bytes)" -ge 256
expect "ip -s link counts the host's rx" "$(ip -j -s link show vmbr0 | jq '.[0].stats64.rx.packets')" -ge 2
expect "ip -s link counts the host's tx" "$(ip -j -s link show vmbr0 | jq '.[0].stats64.tx.packets')" -ge 2
g2mac=$(ip -n g2 -j link show eth0 | jq -r '.[0].address')
expect "FDB learned g2 on its port" "$(vmbr -j fdb show vmbr0 | jq -r --arg m "$g2mac" '.[] | select(.mac == $m) | .port')" = g2

check "ip link set nomaster detaches" ip link set g3 nomaster
check "vmbr port del detaches" vmbr port del vmbr0 g2
expect "one port left" "$(vmbr -j port show vmbr0 | jq -r '[.[].ifname] | join(",")')" = g1
check_fails "detached guest is cut off" ping_ok g2 192.0.2.1

# Refusals, each with the kernel's reason.
ip link add vmbr1 type vmbridge
out=$(vmbr port add vmbr1 g1 2>&1); rc=$?
expect "a port of one vmbridge is refused by another" "$rc" -ne 0
check "that refusal says why" grep -q "already a port of" <<< "$out"
expect "and the port stays where it was" "$(ip -j link show g1 | jq -r '.[0].master')" = vmbr0
ip link add br0 type bridge
ip link set g2 master br0
out=$(vmbr port add vmbr0 g2 2>&1); rc=$?
expect "a Linux bridge port is refused" "$rc" -ne 0
check "the refusal says why" grep -q "already has a master" <<< "$out"
out=$(vmbr port add vmbr0 vmbr1 2>&1)
check "a vmbridge cannot be a port" grep -q "cannot be a port" <<< "$out"
out=$(vmbr set vmbr0 mode nat 2>&1); rc=$?
expect "nat mode refused for now" "$rc" -ne 0
check "nat refusal says why" grep -q "nat mode" <<< "$out"
expect "refused set changed nothing" "$(vmbr -j show vmbr0 | jq -r '.[0].mode')" = hostonly
out=$(vmbr set vmbr0 mode bridge 2>&1)
check "bridge mode without uplink refused" grep -q "needs an uplink" <<< "$out"
out=$(vmbr set vmbr0 ageing 0 2>&1); rc=$?
expect "out-of-range ageing refused" "$rc" -ne 0
# A set of a device that is no vmbridge fails before anything is read
# (the debug kernel fills stale locals with a pattern: its error path
# must free nothing it did not allocate).
out=$(vmbr set g1 ageing 30 2>&1); rc=$?
expect "a set of a device that is no vmbridge is refused" "$rc" -ne 0
check "and says why" grep -q "not a vmbridge" <<< "$out"
ip link del br0

# Reading needs no privilege; changing does.
check "unprivileged user can read" su nobody -s /bin/sh -c "vmbr show vmbr0"
out=$(su nobody -s /bin/sh -c "vmbr set vmbr0 ageing 10" 2>&1); rc=$?
expect "unprivileged change refused" "$rc" -ne 0
check "with EPERM" grep -qi "not permitted" <<< "$out"
expect "ageing unchanged" "$(vmbr -j show vmbr0 | jq -r '.[0].ageing')" -eq 300

check "ip link del removes it" ip link del vmbr0
expect "its port has no master" "$(ip -j link show g1 | jq -r '.[0].master')" = null
check "vmbr del removes it" vmbr del vmbr1
check "vmbr add creates one" vmbr add vmbr2 mode private
expect "in the mode asked" "$(vmbr -j show vmbr2 | jq -r '.[0].mode')" = private
out=$(vmbr add vmbr3 mode bridge 2>&1); rc=$?
expect "vmbr add with a refused setting fails" "$rc" -ne 0
check_fails "and leaves no device behind" ip link show vmbr3
