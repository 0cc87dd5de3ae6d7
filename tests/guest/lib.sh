#!/bin/bash
# Helpers for the scenarios: results, topology, counters.  Sourced.
# Addresses are documentation ranges, in namespaces made here.

pass() { echo "VMBR-RESULT ok $SCEN: $1"; }
fail() { echo "VMBR-RESULT not ok $SCEN: $1${2:+ -- $2}"; }

# check NAME CMD...: CMD must succeed.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		pass "$name"
	else
		fail "$name" "$(echo "$out" | tail -n 3 | tr '\n' ' ')"
	fi
}

# check_fails NAME CMD...: CMD must fail.
check_fails() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		fail "$name" "succeeded: $(echo "$out" | tail -n 2 | tr '\n' ' ')"
	else
		pass "$name"
	fi
}

# expect NAME GOT OP WANT (OP: -eq -ge -gt -le -lt, or = for strings)
expect() {
	if [ "$3" = "=" ]; then
		[ "$2" = "$4" ] && pass "$1" || fail "$1" "got '$2', want '$4'"
	elif [[ "$2" =~ ^[0-9]+$ ]] && [ "$2" "$3" "$4" ]; then
		pass "$1"
	else
		fail "$1" "got '$2', want $3 $4"
	fi
}

# A guest: namespace NAME whose eth0 is a veth, its peer NAME in this
# namespace attached to BRIDGE (default vmbr0; "none" leaves it free).
guest() {
	local name=$1 addr=$2 br=${3:-vmbr0}
	ip netns add "$name"
	ip link add "$name" type veth peer name eth0 netns "$name"
	ip -n "$name" link set lo up
	ip netns exec "$name" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip -n "$name" addr add "$addr" dev eth0
	ip -n "$name" link set eth0 up
	ip link set "$name" up
	[ "$br" = none ] || ip link set "$name" master "$br"
}

# A guest behind a TAP opened as QEMU opens it (tapbridge): the guest's
# NIC is tap NAME-nic in namespace NAME, the host side is tap NAME.
tap_guest() {
	local name=$1 addr=$2 br=${3:-vmbr0}
	ip netns add "$name"
	tapbridge "$name-nic" "$name" "/tmp/$name.tapstats" > "/tmp/$name.taplog" 2>&1 &
	echo $! > "/tmp/$name.tappid"
	wait_for_link "$name-nic" && wait_for_link "$name" ||
		{ cat "/tmp/$name.taplog"; return 1; }
	ip link set "$name-nic" netns "$name"
	ip -n "$name" link set lo up
	ip netns exec "$name" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip -n "$name" link set "$name-nic" name eth0
	ip -n "$name" addr add "$addr" dev eth0
	ip -n "$name" link set eth0 up
	ip link set "$name" up
	[ "$br" = none ] || ip link set "$name" master "$br"
}

# tap_stat NAME KEY: a counter of NAME's tapbridge.
tap_stat() {
	kill -USR1 "$(cat "/tmp/$1.tappid")"
	sleep 0.3
	awk -v k="$2" '$1 == k { print $2 }' "/tmp/$1.tapstats"
}

# A LAN behind the uplink: namespace lan whose eth0 is the peer of uplink0.
lan() {
	local addr=$1
	ip netns add lan
	ip link add uplink0 type veth peer name eth0 netns lan
	ip -n lan link set lo up
	ip netns exec lan sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip -n lan addr add "$addr" dev eth0
	ip -n lan link set eth0 up
	ip link set uplink0 up
}

wait_for_link() {
	local i
	for i in $(seq 50); do
		ip link show "$1" > /dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

ping_ok() { ip netns exec "$1" ping -c 2 -w 6 "$2" > /dev/null; }
ping_host_ok() { ping -c 2 -w 6 "$1" > /dev/null; }

# pstat PORT JQPATH: a counter of a port, e.g. pstat g1 .rx_packets
pstat() {
	vmbr -j -s port show "${3:-vmbr0}" "$1" | jq -r ".[0].stats$2"
}

# Count frames to MAC arriving on DEV in namespace NS (tc flower).
count_dst() {
	local ns=$1 dev=$2 mac=$3
	tc -n "$ns" qdisc add dev "$dev" clsact
	tc -n "$ns" filter add dev "$dev" ingress protocol all pref 1 \
		flower dst_mac "$mac" action pass
}
counted() {
	tc -n "$1" -s -j filter show dev "$2" ingress |
		jq '[.[] | .options.actions[]?.stats.packets // empty] | add // 0'
}

# Remove everything a scenario made.
cleanup() {
	local p n
	for p in /tmp/*.tappid; do
		[ -e "$p" ] || continue
		kill "$(cat "$p")" 2>/dev/null
		rm -f "$p"
	done
	for p in /tmp/*.pid; do
		[ -e "$p" ] || continue
		kill "$(cat "$p")" 2>/dev/null
		rm -f "$p"
	done
	# Namespaces die asynchronously: delete the veths here first, so the
	# next scenario can reuse their names at once.
	for n in $(ip -o link show type veth | awk -F'[:@]' '{print $2}'); do
		ip link del "$n" 2>/dev/null
	done
	for n in $(ip netns list | awk '{print $1}'); do
		ip netns del "$n"
	done
	for n in $(ip -o link show type vmbridge 2>/dev/null | awk -F': ' '{print $2}'); do
		ip link del "$n"
	done
	ip link del uplink0 2>/dev/null
	sleep 0.5
	true
}
