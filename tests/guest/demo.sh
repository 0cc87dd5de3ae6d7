# make demo: the main job, narrated.  Sourced by run.sh with lib.sh.
#
#   lan (192.0.2.200, a DHCP server) -- uplink0 --+
#   vm1 (a QEMU-style TAP) ------------------------+-- vmbr0 [bridge]
#   vm2 (a veth) ----------------------------------+   (192.0.2.254, the host)

say() { printf '\n### %s\n' "$*"; }
run() { printf '# %s\n' "$*"; "$@"; }

say "A LAN behind the uplink, with a DHCP server"
lan 192.0.2.200/24
ip netns exec lan dnsmasq --no-resolv --no-hosts --port=0 \
	--interface=eth0 --bind-interfaces --leasefile-ro \
	--dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0,120 \
	--pid-file=/tmp/dnsmasq.pid

say "A vmbridge in bridge mode on that uplink (the module autoloads)"
run vmbr add vmbr0 mode bridge uplink uplink0
run ip link set vmbr0 up
run ip addr add 192.0.2.254/24 dev vmbr0

say "Two guests: vm1 on a TAP opened as QEMU opens it, vm2 on a veth"
tap_guest vm1 0.0.0.0/32 none
guest vm2 0.0.0.0/32 none
run ip link set vm1 master vmbr0
run vmbr port add vmbr0 vm2
run vmbr show vmbr0

say "Each guest asks the LAN's DHCP server for an address"
for g in vm1 vm2; do
	dev=eth0
	printf '# %s: udhcpc -i %s\n' "$g" "$dev"
	ip netns exec "$g" udhcpc -i "$dev" -n -q -t 5 -s /tests/guest/udhcpc.sh 2>&1 |
		grep -E 'lease|sending' | sed 's/^/  /'
done
ip1=$(ip -n vm1 -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1)
ip2=$(ip -n vm2 -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1)

say "The guests talk to each other, to the LAN and to the host"
run ip netns exec vm1 ping -c 2 "$ip2"
run ip netns exec vm2 ping -c 2 192.0.2.200
run ping -c 2 "$ip1"

say "A TCP stream between the guests (the TAP's GSO frames cross whole)"
ip netns exec vm2 iperf3 -s -D -1 -I /tmp/iperf3.pid > /dev/null
sleep 1
printf '# ip netns exec vm1 iperf3 -c %s -n 8M\n' "$ip2"
ip netns exec vm1 iperf3 -c "$ip2" -n 8M -f m 2>&1 | grep -E 'sender|receiver'
printf '# tapbridge (QEMU'"'"'s part): GSO frames vm1 sent whole: %s, largest %s bytes\n' \
	"$(tap_stat vm1 guest_to_host_gso)" "$(tap_stat vm1 guest_to_host_max_len)"

say "What the vmbridge learned and counted"
run vmbr fdb show vmbr0
run vmbr show -s vmbr0
run ip -s link show vmbr0
