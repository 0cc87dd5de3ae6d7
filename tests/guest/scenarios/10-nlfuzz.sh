# The netlink fuzzer (nlfuzz, tests/tools/nlfuzz.c): random and mutated
# requests of every command of the "vmbridge" family (NAT's included), with
# traffic flowing and a monitor listening.  Every request must be answered (an ack, an
# errno, or a dump's end) and every answer be right; the kernel log must
# stay clean (run.sh checks it after the scenario: KASAN, lockdep, WARN,
# kmemleak).  Then the vmbridge must still work once reset, and go away and
# come back.
#
# First a short pass as nobody: reads are answered, every change is refused
# with EPERM, and nothing changes.  Then the long pass as root:
# VMBR_FUZZ_COUNT requests (default 100000; `make fuzz` asks for more),
# which change modes, VLANs, guards, the FDB, and detach and attach ports.
#
#   lan: eth0 (192.0.2.200) -- uplink0 --+
#   g1 (192.0.2.1) ----------------------+
#   g2 (192.0.2.2) ----------------------+-- vmbr0 [bridge; then whatever
#   g3 (192.0.2.3) ----------------------+    the fuzzer leaves, then reset]
#
#   background: g1 pings g2, g3 pings the LAN, `vmbr monitor` listens.

count=${VMBR_FUZZ_COUNT:-100000}
seed=${VMBR_FUZZ_SEED:-20240611}

lan 192.0.2.200/24
ip addr add 198.51.100.2/24 dev uplink0	# an address for nat mode
ip link add vmbr0 type vmbridge
ip link set vmbr0 up
check "bridge mode with an uplink" vmbr set vmbr0 mode bridge uplink uplink0
guest g1 192.0.2.1/24
guest g2 192.0.2.2/24
guest g3 192.0.2.3/24
check "guests reach each other" ping_ok g1 192.0.2.2
check "a guest reaches the LAN" ping_ok g3 192.0.2.200

# Settings that are not the defaults, so that a change shows.
vmbr port set vmbr0 g2 max-macs 100 bum-rate 50000
vmbr port set vmbr0 g3 trunk 10,20 native 1
vmbr fdb add vmbr0 02:00:00:00:00:42 port g1
vmbr set vmbr0 ageing 600 max-fdb 5000

ip netns exec g1 ping -q -i 0.2 192.0.2.2 > /dev/null 2>&1 &
echo $! > /tmp/ping-g1.pid
ip netns exec g3 ping -q -i 0.2 192.0.2.200 > /dev/null 2>&1 &
echo $! > /tmp/ping-g3.pid
vmbr monitor > /dev/null 2>&1 &
echo $! > /tmp/monitor.pid

# Everything a request could change: the vmbridge, its ports, the static
# FDB entries; not the counters, the learned entries or their ages.
settings() {
	{
		vmbr -j show vmbr0
		vmbr -j port show vmbr0
		vmbr -j fdb show vmbr0 | jq '[.[] | select(.static)]'
	} | jq -S 'walk(if type == "object" then del(.stats, .fdb_count, .age, .age_ms) else . end)'
}

# show_fuzz FILE: the fuzzer's findings and its summary, for the log.
show_fuzz() {
	awk '/^nlfuzz: (WRONG|no answer|send of)/ { n = 18 }
	     /^nlfuzz: kernel taint/ { n = 600 }
	     /^nlfuzz: (seed|sent|[0-9.]+ s,)/ { n = 0 }
	     n > 0 { print; n-- }' "$1" | head -n 800
	grep -E '^nlfuzz: (seed|sent|[0-9.]+ s,)' "$1"
}

# reset_state_for_log: what the reset left, when a guest cannot reach another.
reset_state_for_log() {
	vmbr -s show vmbr0
	vmbr -s port show vmbr0
	vmbr fdb show vmbr0
	for g in g1 g2; do
		ip -n $g neigh show
		ip -n $g -s link show eth0
	done
	ping_ok g1 192.0.2.2 && echo "a second ping from g1 to g2 got through"
}

# --- Unprivileged: reads answered, changes refused, nothing changed. ---
settings > /tmp/settings.before
check "nlfuzz as nobody: every request answered, every change refused with EPERM" \
	su nobody -s /bin/sh -c "nlfuzz -n 2000 -s 1 vmbr0 g1 > /tmp/nlfuzz-nobody.out 2>&1"
show_fuzz /tmp/nlfuzz-nobody.out
settings > /tmp/settings.after
check "nlfuzz as nobody changed no setting" cmp /tmp/settings.before /tmp/settings.after
cmp -s /tmp/settings.before /tmp/settings.after ||
	diff /tmp/settings.before /tmp/settings.after | head -n 20
check "as nobody, the EPERMs are there" grep -Eq 'by errno:.*EPERM [0-9]+' /tmp/nlfuzz-nobody.out
expect "as nobody, no dump went unanswered" \
	"$(sed -n 's/.*unanswered \([0-9]*\)$/\1/p' /tmp/nlfuzz-nobody.out)" -eq 0

# --- Root: the long pass. ---
start=$(date +%s)
check "nlfuzz: $count requests as root, every one answered, every answer right" \
	sh -c "nlfuzz -n $count -s $seed vmbr0 g1 g2 g3 > /tmp/nlfuzz-root.out 2>&1"
echo "nlfuzz: $count requests in $(($(date +%s) - start)) s"
show_fuzz /tmp/nlfuzz-root.out
expect "nlfuzz sent them all" \
	"$(sed -n 's/^nlfuzz: sent \([0-9]*\),.*/\1/p' /tmp/nlfuzz-root.out)" -eq "$count"
check "the fuzzer's background traffic is still running" kill -0 "$(cat /tmp/ping-g1.pid)"
check "the monitor survived" kill -0 "$(cat /tmp/monitor.pid)"

# --- The vmbridge still works once reset. ---
for p in /tmp/ping-g1.pid /tmp/ping-g3.pid; do
	kill "$(cat $p)" 2>/dev/null
	rm -f $p
done
check "vmbr show answers" vmbr show vmbr0
check "reset: hostonly, no uplink, defaults" \
	vmbr set vmbr0 mode hostonly uplink none ageing 300 max-fdb 16384 host-vlan 1 host-vlans none uplink-vlans none uplink-native 1
# Devices the fuzzer attached besides the guests (uplink0, an Ethernet
# fallback device such as gretap0) go.
for p in $(vmbr -j port show vmbr0 | jq -r '.[] | select(.role == "guest") | .ifname'); do
	case $p in
	g1|g2|g3) ;;
	*) check "detach $p, attached by the fuzzer" vmbr port del vmbr0 "$p" ;;
	esac
done
for g in g1 g2 g3; do
	vmbr port add vmbr0 $g > /dev/null 2>&1	# fails if still attached
	check "reset port $g" vmbr port set vmbr0 $g vlan 1 isolated off \
		lock-mac off lock-ip off max-macs 0 bum-rate 0
done
check "flush the FDB" vmbr fdb flush vmbr0
# busybox's ping sends exactly its count and wants every reply.  Right
# after the fuzzing, on the debug kernel, one echo request of two was
# seen lost inside g1 before it reached the vmbridge, whose counters
# showed every frame it had received delivered.  So: what the vmbridge
# got it delivers, dropping nothing; and a ping gets through, in three
# tries of one.
reach() {	# reach NS ADDR
	local i
	for i in 1 2 3; do
		ip netns exec "$1" ping -c 1 -W 3 "$2" > /dev/null && return 0
	done
	return 1
}
port_drops() { vmbr -j -s port show vmbr0 | jq '[.[].stats.drops[]] | add'; }
drops=$(port_drops)
if reach g1 192.0.2.2; then
	pass "guests reach each other after the fuzzing"
else
	fail "guests reach each other after the fuzzing"
	reset_state_for_log
fi
check "and the third one" reach g3 192.0.2.1
expect "after the reset the vmbridge dropped nothing" \
	"$(($(port_drops) - drops))" -eq 0
check "bridge mode with the uplink again" \
	vmbr set vmbr0 mode bridge uplink uplink0
check "a guest reaches the LAN after the fuzzing" reach g2 192.0.2.200
expect "the guests are the ports" \
	"$(vmbr -j port show vmbr0 | jq -r '[.[] | select(.role == "guest") | .ifname] | sort | join(",")')" = g1,g2,g3

# --- And it goes away and comes back. ---
kill "$(cat /tmp/monitor.pid)" 2>/dev/null
rm -f /tmp/monitor.pid
check "the fuzzed vmbridge is deleted" ip link del vmbr0
check "a new vmbridge is created" ip link add vmbr0 type vmbridge
ip link set vmbr0 up
check "g1 attached to the new one" ip link set g1 master vmbr0
check "g2 attached to the new one" ip link set g2 master vmbr0
check "guests reach each other on the new vmbridge" ping_ok g1 192.0.2.2

# --- Each command takes its own attributes only (per-operation policies). ---
# g1 is a port of the new vmbridge: stray attributes in its requests, one
# at a time, each refused with EINVAL and an extack pointing at it.
check "every command refuses an attribute of another, and says which" \
	nlstray vmbr0 g1
