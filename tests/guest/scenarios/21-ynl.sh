# The kernel's own YNL CLI (tools/net/ynl/cli.py) drives a vmbridge with
# our spec (Documentation/netlink/specs/vmbridge.yaml): do, dump, and the
# events group, as any YNL user would.
#
#   g1, g2 ---- vmbr0 [hostonly]

ynl() {
	python3 /usr/local/lib/ynl/cli.py --no-schema --output-json \
		--spec /usr/local/share/vmbridge/vmbridge.yaml "$@"
}
if ! [ -f /usr/local/lib/ynl/cli.py ]; then
	fail "the ynl CLI is in the guest" "no /usr/local/lib/ynl/cli.py"
	return 0 2>/dev/null || exit 0
fi

ip link add vmbr0 type vmbridge
ip link set vmbr0 up
guest g1 192.0.2.1/24 none
guest g2 192.0.2.2/24 none
vmbr port add vmbr0 g1

out=$(ynl --do get --json '{"ifname": "vmbr0"}' 2>&1)
expect "ynl --do get: the mode by its spec name" \
	"$(jq -r '.mode' <<< "$out" 2>&1)" = hostonly
expect "and the ageing" "$(jq -r '.ageing' <<< "$out" 2>&1)" = 300
check "ynl --do set" ynl --do set --json '{"ifname": "vmbr0", "ageing": 60}'
expect "the vmbridge has it" "$(vmbr -j show vmbr0 | jq '.[0].ageing')" -eq 60
out=$(ynl --dump get 2>&1)
expect "ynl --dump get lists vmbr0" \
	"$(jq -r '[.[].ifname] | join(",")' <<< "$out" 2>&1)" = vmbr0
out=$(ynl --dump port-get --json '{"ifname": "vmbr0"}' 2>&1)
expect "ynl --dump port-get: g1, a guest" \
	"$(jq -r '[.[].port | "\(.ifname) \(.role)"] | join(",")' <<< "$out" 2>&1)" = "g1 guest"
out=$(ynl --do get --json '{"ifname": "vmbr0", "ageing": 5}' 2>&1)
check "a set's attribute in a get is refused" grep -q "Unsupported attribute" <<< "$out"

# Events: a port joining, seen by a subscriber.
ynl --subscribe events --sleep 4 > /tmp/ynl-events 2>&1 &
sub=$!
sleep 2
vmbr port add vmbr0 g2
wait $sub
expect "ynl --subscribe events sees g2 join" \
	"$(jq -r '[.. | objects | select(.name? == "port-add") | .msg.port.ifname] | join(",")' /tmp/ynl-events 2>&1)" = g2
rm -f /tmp/ynl-events
