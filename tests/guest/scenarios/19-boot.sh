# vmbr.service at boot: the commands of the unit as "make install" writes
# it (vmbr restore, vmbr-boot start; vmbr-boot stop), run as systemd runs
# them, on a saved configuration and /etc/vmbr/boot.conf.
#
#   vmbr0 [hostonly] 192.0.2.254/24, 2001:db8::1/64, vmbr dhcp
#     +-- g1 (veth, DHCP)
#   vmbr1 [private]

unit=/usr/local/lib/systemd/system/vmbr.service
cmds() { sed -n "s/^$1=//p" "$unit"; }
# The unit's commands of KEY..., one after the other, as systemd runs them.
# (A here-string, not "< <(...)": the guest's /dev has no /dev/fd.)
run_unit() {
	local key c
	for key; do
		while read -r c; do
			[ -n "$c" ] || continue
			$c || { echo "failed: $c"; return 1; }
		done <<< "$(cmds "$key")"
	done
}
addrs() { ip -j addr show dev vmbr0 | jq -r --arg a "$1" '[.[0].addr_info[] | select(.local == $a)] | length'; }

check "the unit is installed" test -f "$unit"
check "it does nothing without a saved configuration" \
	grep -qx "ConditionPathExists=/etc/vmbr/vmbridges.json" "$unit"
check "it runs vmbr restore" grep -qx "ExecStart=/usr/sbin/vmbr restore /etc/vmbr/vmbridges.json" "$unit"

guest g1 0.0.0.0/32 none
mkdir -p /etc/vmbr
cat > /etc/vmbr/vmbridges.json <<'EOF2'
{"vmbr_config": 1, "vmbridges": [
  {"ifname": "vmbr0", "mode": "hostonly", "ports": [{"ifname": "g1"}]},
  {"ifname": "vmbr1", "mode": "private"}]}
EOF2
cat > /etc/vmbr/boot.conf <<'EOF2'
# addresses and DHCP at boot
VMBR_ADDRESSES="vmbr0=192.0.2.254/24 vmbr0=2001:db8::1/64"
VMBR_DHCP="vmbr0"
EOF2

check "the unit starts" run_unit ExecStart ExecStartPost
expect "vmbr0 restored, in its mode" "$(vmbr -j show vmbr0 | jq -r '.[0].mode')" = hostonly
expect "vmbr1 restored, in its mode" "$(vmbr -j show vmbr1 | jq -r '.[0].mode')" = private
expect "g1 is a port of vmbr0" "$(ip -j link show g1 | jq -r '.[0].master')" = vmbr0
expect "vmbr0 is up" "$(ip -j link show vmbr0 | jq -r '.[0].flags | index("UP") != null')" = true
expect "vmbr1 is up" "$(ip -j link show vmbr1 | jq -r '.[0].flags | index("UP") != null')" = true
expect "vmbr0 has its IPv4 address" "$(addrs 192.0.2.254)" -eq 1
expect "vmbr0 has its IPv6 address" "$(addrs 2001:db8::1)" -eq 1
expect "vmbr0's DHCP server runs" "$(vmbr -j dhcp show vmbr0 | jq .running)" = true
ip netns exec g1 udhcpc -i eth0 -n -q -t 5 -T 2 -s /tests/guest/udhcpc.sh > /dev/null 2>&1
check "a guest gets a lease" ip netns exec g1 ping -c 1 -w 5 192.0.2.254

# A restart: stop, then start again; nothing is done twice.
check "the unit stops" run_unit ExecStop
expect "vmbr0's DHCP server is stopped" "$(vmbr -j dhcp show vmbr0 | jq .running)" = false
expect "the vmbridges stay" "$(ip -o link show type vmbridge | wc -l)" -eq 2
expect "and their ports" "$(ip -j link show g1 | jq -r '.[0].master')" = vmbr0
out=$(run_unit ExecStart 2>&1)
expect "restoring again runs no command" "$out" = ""
check "the rest starts again" run_unit ExecStartPost
expect "the IPv4 address is there once" "$(addrs 192.0.2.254)" -eq 1
expect "the DHCP server runs again" "$(vmbr -j dhcp show vmbr0 | jq .running)" = true
check "the unit stops again" run_unit ExecStop
check "stopping when no DHCP server runs is no failure" run_unit ExecStop

echo 'VMBR_ADDRESSES="vmbr0"' > /etc/vmbr/boot.conf
out=$(/usr/local/libexec/vmbr-boot start 2>&1); rc=$?
expect "a bad address entry fails the start" "$rc" -eq 1
check "and says why" grep -q '"vmbr0" is not NAME=ADDR' <<< "$out"
check_fails "vmbr-boot refuses an unknown command" /usr/local/libexec/vmbr-boot restart

rm -rf /etc/vmbr
