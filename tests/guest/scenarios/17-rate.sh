# Per-guest bandwidth: rate-in polices what a guest sends (in the vmbridge's
# data path), rate-out shapes what it receives (a tbf over an fq_codel on
# its port device).  Every bound is an upper one, over a window in the
# middle of a flow: at most the rate for the time the window took at most,
# plus the burst and one GSO super-packet; a slow machine only loosens it.
#
#   g1 (192.0.2.1) --+  rate-in 20mbit   VLAN 10
#   g2 (192.0.2.2) --+  rate-out 20mbit
#   g3 (192.0.2.3) --+  no limit         VLAN 10 tagged, native 1
#                    +-- vmbr0 [hostonly] (192.0.2.254, VLAN 1)

ip link add vmbr0 type vmbridge
ip link set vmbr0 up
ip addr add 192.0.2.254/24 dev vmbr0
guest g1 192.0.2.1/24
guest g2 192.0.2.2/24
guest g3 192.0.2.3/24
# g1 and g3 also meet in VLAN 10, on addresses of their own.
vmbr port set vmbr0 g1 vlan 10
vmbr port set vmbr0 g3 trunk 10 native 1
ip -n g1 addr flush dev eth0
ip -n g1 addr add 198.51.100.1/24 dev eth0
ip -n g3 link add link eth0 name eth0.10 type vlan id 10
ip -n g3 addr add 198.51.100.3/24 dev eth0.10
ip -n g3 link set eth0.10 up
ping_ok g1 198.51.100.3
for g in g2 g3; do ping_ok $g 192.0.2.254; done

limit=2500000			# 20mbit in bytes a second
# iperf3's UDP sender reaches some 20 Mbit/s under TCG (TCP, in GSO
# super-packets, ten times that): the UDP flows meet 8mbit limits, which
# they exceed well.
udp_limit=1000000
now_ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }
# says NAME TEXT PATTERN: a refusal's TEXT says PATTERN.
says() { grep -q "$3" <<< "$2" && pass "$1" || fail "$1" "said: $2"; }
rx_bytes() {			# rx_bytes NS DEV (NS "-": this namespace)
	local f=/sys/class/net/$2/statistics/rx_bytes
	if [ "$1" = - ]; then
		cat "$f"
	else
		ip netns exec "$1" cat "$f"
	fi
}
# most MS [BYTES_PS]: the most a limit (default 20mbit) with the default
# burst (64k) lets through in MS ms, with one GSO super-packet over it.
most() { echo $(( ${2:-$limit} * $1 / 1000 + 65536 + 65536 )); }
# window RXNS RXDEV CMD...: CMD (a flow of 4 s) in the background; a
# second in, the bytes RXDEV receives over 2 s (flow_bytes), and the ms
# from before the first count to after the second (flow_ms).
window() {
	local ns=$1 dev=$2 b0 t0 pid
	shift 2
	"$@" > /tmp/rate-flow.json 2>&1 &
	pid=$!
	sleep 1
	t0=$(now_ms)
	b0=$(rx_bytes "$ns" "$dev")
	sleep 2
	flow_bytes=$(( $(rx_bytes "$ns" "$dev") - b0 ))
	flow_ms=$(( $(now_ms) - t0 + 10 ))	# /proc/uptime counts 10 ms
	wait $pid
}
ip netns exec g3 iperf3 -s -D -I /tmp/iperf3-g3.pid > /dev/null
ip netns exec g2 iperf3 -s -D -I /tmp/iperf3-g2.pid > /dev/null
iperf3 -s -D -B 192.0.2.254 -I /tmp/iperf3-host.pid > /dev/null
sleep 1

# The limits are refused when they cannot be right, and say why.
out=$(vmbr port set vmbr0 g1 rate-in 0 2>&1); rc=$?
expect "rate-in 0 refused" "$rc" -ne 0
says "the refusal says off removes a limit" "$out" "off removes"
out=$(vmbr port set vmbr0 g1 rate-in 20mbit burst-in 1000 2>&1); rc=$?
expect "a burst smaller than one frame refused" "$rc" -ne 0
says "the refusal names the MTU" "$out" "MTU"
out=$(vmbr port set vmbr0 g1 rate-in 20gbit 2>&1); rc=$?
expect "more than the veth carries (10gbit) refused" "$rc" -ne 0
says "the refusal says the device cannot carry it" "$out" "carries"
ip link add up0 type dummy
ip link set up0 up
vmbr set vmbr0 uplink up0
out=$(vmbr port set vmbr0 up0 rate-out 20mbit 2>&1); rc=$?
expect "rate-out on the uplink refused" "$rc" -ne 0
says "the refusal says what to use instead" "$out" "with tc"
vmbr set vmbr0 uplink none
expect "nothing refused was set" \
	"$(vmbr -j port show vmbr0 g1 | jq '.[0].rate_in')" -eq 0

# rate-in: shown as set, the default burst with it.
check "rate-in 20mbit on g1" vmbr port set vmbr0 g1 rate-in 20mbit
expect "rate-in shown in bits a second" \
	"$(vmbr -j port show vmbr0 g1 | jq '.[0].rate_in')" -eq 20000000
expect "with its default burst (64k)" \
	"$(vmbr -j port show vmbr0 g1 | jq '.[0].burst_in')" -eq 65536
check "and in words" grep -q "rate-in 20mbit burst-in 64k" <<< "$(vmbr port show vmbr0 g1)"

# UDP far over the limit: what arrives keeps to it, the rest is counted.
vmbr port set vmbr0 g1 rate-in 8mbit
before=$(pstat g1 .drops.rate)
window g3 eth0.10 ip netns exec g1 iperf3 -c 198.51.100.3 -u -b 400M -l 16000 -t 4
expect "rate-in: UDP from g1 within 8mbit ($flow_bytes bytes in $flow_ms ms)" \
	"$flow_bytes" -le "$(most "$flow_ms" $udp_limit)"
expect "rate-in: UDP from g1 got through" "$flow_bytes" -gt 100000
expect "rate-in: frames over it dropped, counted as rate" \
	"$(( $(pstat g1 .drops.rate) - before ))" -gt 0

# TCP (GSO super-packets, charged by their segments) keeps to it too.
vmbr port set vmbr0 g1 rate-in 20mbit
window g3 eth0.10 ip netns exec g1 iperf3 -c 198.51.100.3 -t 4
expect "rate-in: TCP from g1 within 20mbit ($flow_bytes bytes in $flow_ms ms)" \
	"$flow_bytes" -le "$(most "$flow_ms")"
expect "rate-in: TCP from g1 got through" "$flow_bytes" -gt 100000

# A guest without a limit is not held to another's.
window - vmbr0 ip netns exec g3 iperf3 -c 192.0.2.254 -t 4
expect "g3, unlimited, passes more than 20mbit could ($flow_bytes bytes in $flow_ms ms)" \
	"$flow_bytes" -gt "$(most "$flow_ms")"

# rate-out: the port device gets the shaper, TCP to it slows, not drops.
check "rate-out 20mbit on g2" vmbr port set vmbr0 g2 rate-out 20mbit
expect "rate-out shown" "$(vmbr -j port show vmbr0 g2 | jq '.[0].rate_out')" -eq 20000000
qdiscs() { tc -j qdisc show dev g2 | jq -r '[.[] | .kind + "@" + (.parent // "root") + "=" + .handle] | join(" ")'; }
expect "a tbf 7662: is g2's root" \
	"$(tc -j qdisc show dev g2 | jq -r '.[] | select(.root) | .kind + " " + .handle')" = "tbf 7662:"
check "an fq_codel under it" grep -q "fq_codel@7662:1" <<< "$(qdiscs)"
window g2 eth0 ip netns exec g3 iperf3 -c 192.0.2.2 -t 4 -J
expect "rate-out: TCP to g2 within 20mbit ($flow_bytes bytes in $flow_ms ms)" \
	"$flow_bytes" -le "$(most "$flow_ms")"
expect "rate-out: TCP to g2 got through" "$flow_bytes" -gt 100000
segs=$(( $(jq '.end.sum_sent.bytes' /tmp/rate-flow.json) / 1448 ))
retrans=$(jq '.end.sum_sent.retransmits' /tmp/rate-flow.json)
expect "rate-out: TCP to g2 lost (almost) nothing ($retrans of $segs segments)" \
	"$(( retrans * 100 ))" -le "$segs"
vmbr port set vmbr0 g2 rate-out 8mbit
window g2 eth0 ip netns exec g3 iperf3 -c 192.0.2.2 -u -b 400M -l 16000 -t 4
expect "rate-out: UDP to g2 within 8mbit ($flow_bytes bytes in $flow_ms ms)" \
	"$flow_bytes" -le "$(most "$flow_ms" $udp_limit)"
expect "rate-out: the excess dropped by g2's qdiscs" \
	"$(tc -s -j qdisc show dev g2 | jq '[.[].drops] | add')" -gt 0

# The limits leave: set off, or with the port.
check "rate-out off" vmbr port set vmbr0 g2 rate-out off
expect "then g2's tbf is gone" "$(qdiscs | grep -c tbf)" -eq 0
check "rate-out again, with a burst" vmbr port set vmbr0 g2 rate-out 20mbit burst-out 32k
expect "the burst shown" "$(vmbr -j port show vmbr0 g2 | jq '.[0].burst_out')" -eq 32768
ip link set g2 nomaster
expect "a port that leaves keeps no tbf" "$(qdiscs | grep -c tbf)" -eq 0
check "g2 back, with rate-out" vmbr port add vmbr0 g2 rate-out 10mbit
expect "the tbf back" "$(qdiscs | grep -c 'tbf@root=7662:')" -eq 1
check "vmbr port del" vmbr port del vmbr0 g2
expect "vmbr port del takes it off" "$(qdiscs | grep -c tbf)" -eq 0
tc qdisc replace dev g2 root handle 1: tbf rate 1mbit burst 32k latency 50ms
vmbr port add vmbr0 g2
check "a port's rate-out replaces a tbf of someone else's" \
	vmbr port set vmbr0 g2 rate-out 20mbit
expect "and it is vmbridge's" "$(qdiscs | grep -c 'tbf@root=7662:')" -eq 1
check "rate-in off" vmbr port set vmbr0 g1 rate-in off
expect "rate-in gone" "$(vmbr -j port show vmbr0 g1 | jq '.[0].rate_in')" -eq 0
before=$(pstat g1 .drops.rate)
ip netns exec g1 iperf3 -c 198.51.100.3 -u -b 100M -l 1400 -t 1 > /dev/null 2>&1
expect "then nothing is dropped as rate" "$(( $(pstat g1 .drops.rate) - before ))" -eq 0
vmbr port set vmbr0 g1 rate-in 20mbit
ip link set g1 nomaster
ip link set g1 master vmbr0
expect "a port that comes back starts without a limit" \
	"$(vmbr -j port show vmbr0 g1 | jq '.[0].rate_in')" -eq 0

# save and restore keep them.
vmbr port set vmbr0 g1 vlan 10 rate-in 20mbit burst-in 128k
vmbr save > /tmp/rate-saved.json
vmbr port set vmbr0 g1 rate-in off
vmbr port set vmbr0 g2 rate-out off
check "restore" vmbr restore /tmp/rate-saved.json
expect "rate-in restored" \
	"$(vmbr -j port show vmbr0 g1 | jq -r '[.[0].rate_in, .[0].burst_in] | join(" ")')" = "20000000 131072"
expect "rate-out restored" "$(vmbr -j port show vmbr0 g2 | jq '.[0].rate_out')" -eq 20000000
expect "with its tbf" "$(qdiscs | grep -c 'tbf@root=7662:')" -eq 1
ip link del vmbr0
expect "a vmbridge deleted leaves no tbf" "$(qdiscs | grep -c tbf)" -eq 0
ip link del up0
