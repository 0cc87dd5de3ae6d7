# What a real host needs around its vmbridges: QEMU's network scripts
# (vmbr-ifup, vmbr-ifdown) on TAPs opened as QEMU opens them, the guests'
# DHCP and DNS (vmbr dhcp), and the saved configuration (vmbr save,
# vmbr restore).
#
#   lan: eth0 198.51.100.1/24, a DNS server (dnsmasq: lan.test is
#        198.51.100.1, nothing else); nobody's DHCP
#     |
#   uplink0 198.51.100.2/24  (the host; /etc/resolv.conf: 198.51.100.1)
#     |
#   vmbr0 [nat] 192.168.100.1/24 mtu 1400, vmbr dhcp (DNS on)
#     +-- t1 (TAP, vmbr-ifup: vlan 10, lock-mac) 192.168.100.20
#     +-- t2 (TAP, vmbr-ifup: vlan 10, lock-mac) 192.168.100.21
#     +-- d1 (veth, DHCP)
#
#   vmbr1 [hostonly] 192.0.2.254/24, vmbr dhcp range .100-.110 (no DNS)
#     +-- d2 (veth, DHCP)
#     +-- g3 (veth, trunk 10,20 native 1)
#
# The guest test environment is one initramfs: /etc/resolv.conf here is
# the QEMU guest's, made for this scenario and removed at its end.

ifup=/usr/local/libexec/vmbr-ifup
ifdown=/usr/local/libexec/vmbr-ifdown

# A TAP as QEMU opens it (IFF_VNET_HDR, offloads), its host side NAME
# left down and free, as QEMU leaves it for its script: tapbridge relays
# it to NAME-nic, the guest's NIC in namespace NAME.
qemu_tap() {	# qemu_tap NAME ADDR MAC
	local name=$1
	ip netns add "$name"
	tapbridge "$name-nic" "$name" "/tmp/$name.tapstats" > "/tmp/$name.taplog" 2>&1 &
	echo $! > "/tmp/$name.tappid"
	wait_for_link "$name-nic" && wait_for_link "$name" ||
		{ cat "/tmp/$name.taplog"; return 1; }
	ip link set "$name-nic" netns "$name"
	ip -n "$name" link set lo up
	ip netns exec "$name" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip -n "$name" link set "$name-nic" name eth0
	ip -n "$name" link set eth0 address "$3"
	ip -n "$name" addr add "$2" dev eth0
	ip -n "$name" link set eth0 up
}

# udhcpc's script: the address, the gateway, and what it was given in
# $UDHCPC_OUT.
cat > /tmp/udhcpc-env.sh <<'EOF'
#!/bin/sh
case $1 in
bound|renew)
	ip addr flush dev "$interface"
	ip addr add "$ip/${mask:-24}" dev "$interface"
	[ -n "$router" ] && ip route replace default via "$router"
	echo "ip=$ip router=$router dns=$dns lease=$lease" > "$UDHCPC_OUT"
	;;
esac
EOF
chmod 755 /tmp/udhcpc-env.sh
dhcp_lease() {	# dhcp_lease NS: udhcpc in NS, what it was given
	rm -f "/tmp/$1.lease"
	UDHCPC_OUT=/tmp/$1.lease ip netns exec "$1" \
		udhcpc -i eth0 -n -q -t 5 -T 2 -s /tmp/udhcpc-env.sh > /dev/null 2>&1
	cat "/tmp/$1.lease" 2>/dev/null
}
pjson() { vmbr -j port show "$1" "$2" | jq -c ".[0] | $3"; }

# The LAN and its name server; the host resolves through it.
lan 198.51.100.1/24
ip netns exec lan dnsmasq --no-resolv --no-hosts --interface=eth0 \
	--bind-interfaces --address=/lan.test/198.51.100.1 \
	--pid-file=/tmp/landns.pid
ip addr add 198.51.100.2/24 dev uplink0
cp /etc/resolv.conf /tmp/resolv.conf.saved 2>/dev/null
echo "nameserver 198.51.100.1" > /etc/resolv.conf
check "the host resolves lan.test through the LAN" \
	sh -c 'nslookup lan.test | grep -q 198.51.100.1'

vmbr add vmbr0 mode nat uplink uplink0
ip addr add 192.168.100.1/24 dev vmbr0
ip link set vmbr0 mtu 1400 up

# ---- vmbr-ifup, vmbr-ifdown ----
qemu_tap t1 192.168.100.20/24 52:54:00:12:34:56
qemu_tap t2 192.168.100.21/24 52:54:00:12:34:57
expect "a new TAP is down and free" "$(ip -j link show t1 | jq -r '.[0].operstate + " " + (.[0].master // "none")')" = "DOWN none"
check "vmbr-ifup attaches t1 as QEMU runs it" \
	env VMBR_BRIDGE=vmbr0 VMBR_PORT_OPTS="vlan 10 lock-mac 52:54:00:12:34:56" $ifup t1
check "vmbr-ifup attaches t2 (same options, its MAC)" \
	env VMBR_PORT_OPTS="vlan 10 lock-mac 52:54:00:12:34:57" $ifup t2
expect "t1 is a guest port of vmbr0 in VLAN 10, access" "$(pjson vmbr0 t1 '[.role, .pvid, .vlans]')" = '["guest",10,""]'
expect "t1's lock-mac is its MAC" "$(pjson vmbr0 t1 .lock_mac)" = '["52:54:00:12:34:56"]'
expect "t1 is up" "$(ip -j link show t1 | jq -r '.[0].flags | index("UP") != null')" = true
expect "t1 took vmbr0's MTU" "$(ip -j link show t1 | jq '.[0].mtu')" -eq 1400
ip -n t1 link set eth0 mtu 1400
ip -n t2 link set eth0 mtu 1400
check "the TAP guests reach each other in VLAN 10" ping_ok t1 192.168.100.21
check_fails "nor the host, in VLAN 1" ping_ok t1 192.168.100.1
expect "frames crossed t1 both ways" "$(( $(tap_stat t1 guest_to_host_frames) > 0 && $(tap_stat t1 host_to_guest_frames) > 0 ))" -eq 1
check "vmbr-ifup again: options of a port already there change" \
	env VMBR_PORT_OPTS="vlan 10 lock-mac 52:54:00:12:34:56 max-macs 1" $ifup t1
expect "t1's new max-macs" "$(pjson vmbr0 t1 .max_macs)" -eq 1
check_fails "vmbr-ifup fails for a vmbridge that is not there" \
	env VMBR_BRIDGE=vmbr9 $ifup t2
check_fails "vmbr-ifup fails on bad options (QEMU would not start)" \
	env VMBR_PORT_OPTS="vlan 5000" $ifup t2
check_fails "vmbr-ifup without a TAP name" $ifup

# ---- vmbr dhcp ----
guest d1 0.0.0.0/32
check "dhcp start on a nat vmbridge" timeout 20 vmbr dhcp start vmbr0
d=$(vmbr -j dhcp show vmbr0)
echo "$d"
expect "dhcp show: running, the default range, DNS on" \
	"$(jq -c '[.running, .range, .lease, .dns]' <<< "$d")" = '[true,"192.168.100.2-192.168.100.254",3600,true]'
expect "dnsmasq bound to vmbr0 alone" \
	"$(grep -c -e '^interface=vmbr0$' -e '^bind-interfaces$' -e '^except-interface=lo$' /run/vmbr/vmbr0.conf)" -eq 3
l=$(dhcp_lease d1)
echo "d1: $l"
check "nat: the guest gets a lease of the subnet" grep -q 'ip=192\.168\.100\.' <<< "$l"
check "nat: its gateway and DNS server are vmbr0" grep -q 'router=192.168.100.1 dns=192.168.100.1 ' <<< "$l"
expect "dhcp show lists the lease, with d1's MAC" \
	"$(vmbr -j dhcp show vmbr0 | jq -r --arg m "$(ip -n d1 -j link show eth0 | jq -r '.[0].address')" '[.leases[] | select(.mac == $m)] | length')" -eq 1
check "dhcp show as text" sh -c 'vmbr dhcp show vmbr0 | grep -q "^vmbr0: dhcp on pid [0-9]* range 192.168.100.2-192.168.100.254 lease 3600 dns on"'
mkdir -p /etc/netns/d1
echo "nameserver 192.168.100.1" > /etc/netns/d1/resolv.conf
out=$(ip netns exec d1 nslookup lan.test 2>&1)
echo "$out"
check "nat: the guest resolves a LAN name through its gateway" \
	grep -q 'Address.*198\.51\.100\.1$' <<< "$out"
check "nat: the guest reaches the LAN by the leased route" ping_ok d1 198.51.100.1
lease=$(ip netns exec lan udhcpc -i eth0 -n -q -t 2 -T 1 -s /bin/true 2>&1)
check_fails "no lease on the LAN: dnsmasq serves vmbr0 only" \
	grep -q "obtained" <<< "$lease"

vmbr add vmbr1
ip addr add 192.0.2.254/24 dev vmbr1
ip link set vmbr1 up
guest d2 0.0.0.0/32 vmbr1
check_fails "dhcp start refuses a range off the subnet" \
	vmbr dhcp start vmbr1 range 192.0.2.250-192.0.3.1
check_fails "dhcp start refuses a range holding vmbr1's address" \
	vmbr dhcp start vmbr1 range 192.0.2.200-192.0.2.254
check "dhcp start on a hostonly vmbridge, a range and a lease time" \
	timeout 20 vmbr dhcp start vmbr1 range 192.0.2.100-192.0.2.110 lease 600
expect "dhcp show: the range, the lease, DNS off" \
	"$(vmbr -j dhcp show vmbr1 | jq -c '[.running, .range, .lease, .dns]')" = '[true,"192.0.2.100-192.0.2.110",600,false]'
l=$(dhcp_lease d2)
echo "d2: $l"
check "hostonly: the guest gets a lease in the range" grep -Eq 'ip=192\.0\.2\.1(0[0-9]|10) ' <<< "$l"
check "hostonly: no gateway, no DNS server" grep -q 'router= dns= lease=600' <<< "$l"
check "hostonly: the guest reaches the host" ping_ok d2 192.0.2.254
pid=$(vmbr -j dhcp show vmbr1 | jq .pid)
check "dhcp start again restarts it" timeout 20 vmbr dhcp start vmbr1 range 192.0.2.100-192.0.2.110 lease 600
expect "a new dnsmasq" "$(vmbr -j dhcp show vmbr1 | jq ".running and .pid != $pid")" = true
check_fails "the old one is gone" kill -0 "$pid"
vmbr add vmbr2 mode private
ip addr add 203.0.113.1/24 dev vmbr2
check_fails "dhcp start refuses private mode" vmbr dhcp start vmbr2
vmbr del vmbr2

# ---- vmbr save, vmbr restore ----
vmbr set vmbr0 ageing 600 max-fdb 2000
vmbr nat set vmbr0 timeout-udp 120 filtering address-dependent ports 20000-29999
vmbr nat forward add vmbr0 tcp 8022 to 192.168.100.20:22
vmbr nat forward add vmbr0 udp 5353 to 192.168.100.21
vmbr fdb add vmbr0 52:54:00:aa:bb:cc port d1
vmbr set vmbr1 host-vlans 20
vmbr port set vmbr1 d2 isolated on bum-rate 100 lock-ip 192.0.2.100,2001:db8::100
guest g3 192.0.2.3/24 vmbr1
vmbr port set vmbr1 g3 trunk 10,20 native 1
vmbr fdb add vmbr1 52:54:00:aa:bb:cd port g3 vlan 20
check "save" sh -c 'vmbr save > /tmp/saved.json'
cat /tmp/saved.json
expect "saved: both vmbridges, their modes" "$(jq -c '[.vmbr_config, [.vmbridges[] | .ifname, .mode]]' /tmp/saved.json)" = '[1,["vmbr0","nat","vmbr1","hostonly"]]'
expect "saved: vmbr0's guest ports, not its uplink" "$(jq -c '[.vmbridges[0].ports[].ifname]' /tmp/saved.json)" = '["d1","t1","t2"]'
expect "saved: NAT settings and forwards" "$(jq -c '.vmbridges[0] | [.nat.timeout_udp, .nat.filtering, .nat.port_min, (.forwards | length)]' /tmp/saved.json)" = '[120,"address-dependent",20000,2]'
expect "saved: static FDB entries only" "$(jq -c '[.vmbridges[].fdb[].mac]' /tmp/saved.json)" = '["52:54:00:aa:bb:cc","52:54:00:aa:bb:cd"]'
expect "vmbr save NAME: that vmbridge alone" "$(vmbr save vmbr1 | jq -c '[.vmbridges[].ifname]')" = '["vmbr1"]'
vmbr -j save > /tmp/saved1.json
expect "vmbr -j save: one line" "$(wc -l < /tmp/saved1.json)" -eq 1
expect "... the same configuration" "$(jq -S . /tmp/saved1.json | md5sum | cut -c1-32)" = "$(jq -S . /tmp/saved.json | md5sum | cut -c1-32)"

check "dhcp stop" vmbr dhcp stop vmbr1
expect "dhcp show: off, the leases kept" "$(vmbr -j dhcp show vmbr1 | jq -c '[.running, .pid, (.leases | length)]')" = '[false,null,1]'
check "dhcp show as text: off" sh -c 'vmbr dhcp show vmbr1 | grep -q "^vmbr1: dhcp off"'
check_fails "dhcp stop again fails: none runs" vmbr dhcp stop vmbr1
pid=$(vmbr -j dhcp show vmbr0 | jq .pid)
check "delete everything" sh -c 'vmbr del vmbr0 && vmbr del vmbr1'
expect "no vmbridge left" "$(vmbr -j show | jq length)" -eq 0
check_fails "vmbr del stopped vmbr0's dnsmasq" kill -0 "$pid"
out=$(vmbr restore /tmp/saved.json 2>&1)
rc=$?
echo "$out"
expect "restore succeeds" "$rc" -eq 0
check "restore printed the commands it ran" grep -q '^vmbr port add vmbr0 t1 vlan 10 lock-mac 52:54:00:12:34:56 max-macs 1$' <<< "$out"
vmbr save > /tmp/restored.json
check "save after restore: the same JSON" cmp /tmp/saved.json /tmp/restored.json ||
	diff /tmp/saved.json /tmp/restored.json
out=$(vmbr restore /tmp/saved.json 2>&1)
rc=$?
expect "restore again succeeds" "$rc" -eq 0
expect "... and runs nothing" "$out" = ""
expect "vmbr -j restore again: no command" "$(vmbr -j restore /tmp/saved.json)" = "[]"
vmbr save > /tmp/restored.json
check "still the same JSON" cmp /tmp/saved.json /tmp/restored.json
check "the TAP guests reach each other again" ping_ok t1 192.168.100.21
vmbr set vmbr1 ageing 30
vmbr port set vmbr1 d2 isolated off
vmbr nat forward del vmbr0 udp 5353
vmbr nat forward add vmbr0 udp 5353 to 192.168.100.22:53
out=$(vmbr restore - < /tmp/saved.json 2>&1)
echo "$out"
expect "restore from standard input changes back only what differs" "$(echo "$out" | sort | tr '\n' ';')" \
	= "vmbr nat forward add vmbr0 udp 5353 to 192.168.100.21:5353;vmbr nat forward del vmbr0 udp 5353;vmbr port set vmbr1 d2 isolated on;vmbr set vmbr1 ageing 300;"
vmbr save > /tmp/restored.json
check "and the JSON is the same again" cmp /tmp/saved.json /tmp/restored.json
kill "$(cat /tmp/t2.tappid)"
rm -f /tmp/t2.tappid
sleep 0.5
vmbr del vmbr0
out=$(vmbr restore /tmp/saved.json 2>&1)
rc=$?
echo "$out"
expect "a VM not running: restore still succeeds" "$rc" -eq 0
check "... and says its TAP is left out" grep -q 'warning: vmbr0: port t2: no such device, left out' <<< "$out"
expect "t1 is back in VLAN 10" "$(pjson vmbr0 t1 .pvid)" -eq 10
echo '{"vmbr_config": 1, "vmbridges": [{"ifname": "vmbr0", "mode": "bridge", "ageing": "300"}]}' > /tmp/bad.json
check_fails "a file with a wrong value is refused" vmbr restore /tmp/bad.json
expect "... and nothing changed" "$(vmbr -j show vmbr0 | jq -r '.[0].mode')" = nat
echo '{"vmbr_config": 1, "vmbridges": [{"ifname": "uplink0"}]}' > /tmp/bad.json
out=$(vmbr restore /tmp/bad.json 2>&1)
check "a device that is no vmbridge is not made one" grep -q 'uplink0 exists and is not a vmbridge' <<< "$out"

# ---- vmbr-ifdown ----
check "vmbr-ifdown detaches t1" $ifdown t1
check_fails "t1 is no port now" vmbr port show vmbr0 t1
expect "t1 is down" "$(ip -j link show t1 | jq -r '.[0].flags | index("UP") == null')" = true
check "vmbr-ifdown of a TAP on no vmbridge is fine" $ifdown t1

for n in vmbr0 vmbr1; do vmbr dhcp stop $n 2> /dev/null; done
for p in /run/vmbr/*.pid; do [ -e "$p" ] && kill "$(cat "$p")"; done
rm -rf /etc/netns /run/vmbr
if [ -e /tmp/resolv.conf.saved ]; then
	mv /tmp/resolv.conf.saved /etc/resolv.conf
else
	rm -f /etc/resolv.conf
fi
true
