# Teardown against the NAT's LOCAL_OUT hook: the host sends to a
# forwarded port on the uplink's address without pause while nat
# vmbridges with that forward are made and deleted; a packet still in the
# hook when its vmbridge goes must never meet freed tables (the debug
# kernel's KASAN and the kernel log check after the scenario say).
#
#   host: two senders -> 198.51.100.2:5000 (uplink0's address)
#   vmbrr [nat, uplink uplink0, 192.168.77.1/24], forward udp 5000 to
#         192.168.77.10; made, used and deleted 25 times
#   lan: eth0 198.51.100.1/24 (uplink0's peer)

lan 198.51.100.1/24
ip addr add 198.51.100.2/24 dev uplink0
# Each datagram from a new socket (a new source port): each opens a
# session, so the hook is often inside the NAT's tables, waiting for their
# lock, when the vmbridge goes and flushes them.
hostsend() {	# no child process: bash's own /dev/udp
	while :; do echo x > /dev/udp/198.51.100.2/5000; done 2> /dev/null
}
hostsend & echo $! > /tmp/hostsend1.pid
hostsend & echo $! > /tmp/hostsend2.pid
fails=0 hooked=0
for i in $(seq 25); do
	vmbr add vmbrr mode nat uplink uplink0 || fails=$((fails + 1))
	ip link set vmbrr up
	ip addr add 192.168.77.1/24 dev vmbrr
	vmbr nat forward add vmbrr udp 5000 to 192.168.77.10 ||
		fails=$((fails + 1))
	sleep 0.2
	n=$(vmbr -j -s nat show vmbrr | jq '.stats.hairpin // 0')
	[ "${n:-0}" -gt 0 ] && hooked=$((hooked + 1))
	ip link del vmbrr || fails=$((fails + 1))
done
kill "$(cat /tmp/hostsend1.pid)" "$(cat /tmp/hostsend2.pid)"
rm -f /tmp/hostsend1.pid /tmp/hostsend2.pid
expect "nat vmbridges made and deleted under the host's traffic" "$fails" -eq 0
expect "the host's packets went through the hook each time" "$hooked" -eq 25
