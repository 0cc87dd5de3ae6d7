# QEMU's -netdev bridge: vmbr-bridge-helper run by an unprivileged user
# (uid 1000) through bhclient, which speaks QEMU's side of the protocol, with
# the ACL of /etc/qemu/bridge.conf.  The helper is tried with a file
# capability (as make install gives it; where the kernel keeps xattrs on the
# guest's tmpfs) and setuid root.
#
#   bhclient (uid 1000) --helper--> tapN --+-- vmbr0 (allowed) -- g1 (192.0.2.1)
#   vmbr1: allowed, and denied (deny wins)   vmbr2: not in the ACL
#   br0 (Linux bridge), dm0 (dummy): allowed, but no vmbridge

helper=/usr/local/libexec/vmbr-bridge-helper
suid=/usr/local/libexec/vmbr-bridge-helper-suid
plain=/tmp/vmbr-bridge-helper-plain
user=1000:1000
as_user() { bhclient --as-uid "$user" "$@"; }

# refused NAME MESSAGE EXIT CMD...: CMD (a bhclient) must fail: no fd back,
# the helper's exit status EXIT, and MESSAGE in what it said.
refused() {
	local name=$1 msg=$2 code=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && grep -q '^fd none' <<< "$out" &&
	   grep -qx "helper exit $code" <<< "$out" &&
	   grep -qF -- "$msg" <<< "$out"; then
		pass "$name"
	else
		fail "$name" "status $rc: $(echo "$out" | tail -n 4 | tr '\n' ' ')"
	fi
}

check "the helper is installed" test -x "$helper"
# udev makes /dev/net/tun 0666 on a host; devtmpfs makes it 0600.
tun_mode=$(stat -c %a /dev/net/tun)
chmod 0666 /dev/net/tun

mkdir -p /etc/qemu
cat > /etc/qemu/bridge.conf <<'EOF'
# vmbridges for unprivileged QEMU
allow vmbr0
  deny vmbr1

include /etc/qemu/more.conf
EOF
printf 'allow vmbr1\nallow br0\nallow   dm0  \nallow vmbr9\n' > /etc/qemu/more.conf
chmod 0644 /etc/qemu/bridge.conf /etc/qemu/more.conf

ip link add vmbr0 type vmbridge
ip link set vmbr0 mtu 1400
ip link set vmbr0 up
ip link add vmbr1 type vmbridge
ip link add vmbr2 type vmbridge
ip link add br0 type bridge
ip link add dm0 type dummy
guest g1 192.0.2.1/24
g1mac=$(ip -n g1 -j link show eth0 | jq -r '.[0].address')

# The privileged copies: the file capability may not stick (a tmpfs without
# CONFIG_TMPFS_XATTR); setuid root always does.
modes=
if out=$(setcap cap_net_admin+ep "$helper" 2>&1); then
	expect "setcap gives the helper CAP_NET_ADMIN" \
		"$(getcap "$helper" | grep -c 'cap_net_admin[=+]ep')" -eq 1
	modes="filecap:$helper"
elif grep -qi "not supported" <<< "$out"; then
	echo "$SCEN: this kernel's tmpfs keeps no file capabilities ($out): setuid root only"
else
	fail "setcap gives the helper CAP_NET_ADMIN" "$out"
fi
cp "$helper" "$suid" && chmod 4755 "$suid"
modes="$modes setuid:$suid"
cp "$helper" "$plain" && chmod 0755 "$plain"

for m in $modes; do
	mode=${m%%:*} h=${m#*:}

	# As QEMU runs it: --use-vnet --fd=N --br=NAME.
	ip monitor link > /tmp/bh.mon 2>&1 &
	mon=$!
	sleep 0.3
	as_user --arp 192.0.2.50 192.0.2.1 \
		--then 'ip -j -d link show "$TAP" > /tmp/bh.link; vmbr -j port show vmbr0 > /tmp/bh.ports; ip -o link show master vmbr0 > /tmp/bh.master' \
		"$h" --use-vnet --fd=@FD@ --br=vmbr0 > /tmp/bh.out 2>&1
	rc=$?
	sleep 0.3
	kill $mon
	expect "$mode: an allowed vmbridge: a TAP comes back" "$rc" -eq 0
	check "$mode: the helper exits 0" grep -qx "helper exit 0" /tmp/bh.out
	tap=$(awk '$1 == "tap" { print $2 }' /tmp/bh.out)
	check "$mode: a TAP with a vnet header, named as QEMU's helper names it" \
		grep -Eqx "tap tap[0-9]+ vnet_hdr on" /tmp/bh.out
	expect "$mode: the TAP is a port of vmbr0" "$(jq -r '.[0].master' /tmp/bh.link 2>/dev/null)" = vmbr0
	expect "$mode: vmbr port show lists it" \
		"$(jq --arg t "$tap" '[.[] | select(.ifname == $t)] | length' /tmp/bh.ports 2>/dev/null)" -eq 1
	check "$mode: ip link show master vmbr0 shows it" grep -q ": $tap: .*master vmbr0" /tmp/bh.master
	expect "$mode: it has vmbr0's MTU" "$(jq -r '.[0].mtu' /tmp/bh.link 2>/dev/null)" -eq 1400
	expect "$mode: it is up" "$(jq -r '.[0].flags | index("UP") != null' /tmp/bh.link 2>/dev/null)" = true
	check "$mode: a frame crosses both ways (ARP to g1, its reply back)" \
		grep -qx "arp reply from $g1mac" /tmp/bh.out
	check "$mode: the TAP goes with its descriptor" \
		bash -c "for i in \$(seq 30); do ip link show $tap > /dev/null 2>&1 || exit 0; sleep 0.1; done; exit 1"
	check "$mode: ip monitor saw the TAP made" grep -q "$tap" /tmp/bh.mon
	check "$mode: without --use-vnet, no vnet header" \
		bash -c "bhclient --as-uid $user $h --br=vmbr0 --fd=@FD@ | grep -Eqx 'tap tap[0-9]+ vnet_hdr off'"

	# Refusals: no TAP is even made (ip monitor sees none).
	ip monitor link > /tmp/bh.mon 2>&1 &
	mon=$!
	sleep 0.3
	refused "$mode: a denied vmbridge is refused (deny wins over allow)" \
		"vmbr1: denied by the ACL /etc/qemu/bridge.conf" 1 \
		as_user "$h" --use-vnet --fd=@FD@ --br=vmbr1
	refused "$mode: a vmbridge not in the ACL is refused" \
		"vmbr2: not allowed by the ACL /etc/qemu/bridge.conf" 1 \
		as_user "$h" --use-vnet --fd=@FD@ --br=vmbr2
	refused "$mode: a Linux bridge the ACL allows is refused" \
		"br0: refused: not a vmbridge" 1 \
		as_user "$h" --use-vnet --fd=@FD@ --br=br0
	refused "$mode: a dummy device the ACL allows is refused" \
		"dm0: refused: not a vmbridge" 1 \
		as_user "$h" --use-vnet --fd=@FD@ --br=dm0
	refused "$mode: a missing device the ACL allows is refused" \
		"vmbr9: no such device" 1 \
		as_user "$h" --use-vnet --fd=@FD@ --br=vmbr9
	# The user names another ACL, one that allows all (root's, or it
	# would be refused for that): ignored.
	printf 'allow all\n' > /tmp/bh-all.conf
	chmod 0644 /tmp/bh-all.conf
	refused "$mode: the user cannot choose the ACL (\$VMBR_BRIDGE_ACL)" \
		"vmbr2: not allowed by the ACL /etc/qemu/bridge.conf" 1 \
		env VMBR_BRIDGE_ACL=/tmp/bh-all.conf bhclient --as-uid "$user" \
		"$h" --use-vnet --fd=@FD@ --br=vmbr2
	# Arguments.
	refused "$mode: no --br is refused" "--br=NAME expected" 2 \
		as_user "$h" --use-vnet --fd=@FD@
	refused "$mode: no --fd is refused" "--fd=N expected" 2 \
		as_user "$h" --use-vnet --br=vmbr0
	refused "$mode: --fd that is no number is refused" \
		'--fd: "3x" is not a descriptor number' 2 \
		as_user "$h" --br=vmbr0 --fd=3x
	refused "$mode: --fd that is no unix socket is refused" \
		"--fd=0: not a unix socket" 2 \
		as_user "$h" --br=vmbr0 --fd=0 < /dev/null
	refused "$mode: --fd that is not open is refused" \
		"--fd=77: Bad file descriptor" 2 \
		as_user "$h" --br=vmbr0 --fd=77
	refused "$mode: an unknown argument is refused" \
		'unknown argument "--bridge=vmbr0"' 2 \
		as_user "$h" --bridge=vmbr0 --fd=@FD@
	refused "$mode: a name of 16 characters is refused" \
		"is not a device name" 2 \
		as_user "$h" --br=vmbr0123456789ab --fd=@FD@
	refused "$mode: a name with a slash is refused" \
		"is not a device name" 2 \
		as_user "$h" --br=../vmbr0 --fd=@FD@
	refused "$mode: an empty name is refused" \
		"is not a device name" 2 \
		as_user "$h" --br= --fd=@FD@
	refused "$mode: --br twice is refused" \
		'"--br=vmbr1": given twice' 2 \
		as_user "$h" --br=vmbr0 --br=vmbr1 --fd=@FD@
	# It reads the ACL as the user, privileges dropped: an ACL that only
	# root may read cannot be read, even setuid root.
	chmod 0600 /etc/qemu/bridge.conf
	refused "$mode: the ACL is read as the user (privileges dropped first)" \
		"ACL /etc/qemu/bridge.conf: Permission denied" 1 \
		as_user "$h" --use-vnet --fd=@FD@ --br=vmbr0
	chmod 0644 /etc/qemu/bridge.conf
	sleep 0.3
	kill $mon
	expect "$mode: no TAP was made for any refusal" "$(grep -c ': tap[0-9]' /tmp/bh.mon)" -eq 0
done

# Without a privilege the helper says what it lacks, after the ACL check.
refused "an unprivileged copy says it has no CAP_NET_ADMIN" \
	"no CAP_NET_ADMIN" 1 as_user "$plain" --use-vnet --fd=@FD@ --br=vmbr0
# Root may name another ACL (for tests): it applies, whole, or not at all.
check "root may name another ACL" env VMBR_BRIDGE_ACL=/tmp/bh-all.conf \
	bhclient "$suid" --use-vnet --fd=@FD@ --br=vmbr2
refused "an ACL that does not exist allows nothing" \
	"ACL /tmp/none.conf: No such file or directory" 1 \
	env VMBR_BRIDGE_ACL=/tmp/none.conf bhclient "$suid" --fd=@FD@ --br=vmbr0
printf 'allow vmbr0\nallow vmbr2 # the lab\n' > /tmp/bh-bad.conf
refused "an ACL with a bad line allows nothing" \
	'/tmp/bh-bad.conf:2: "allow" takes one argument' 1 \
	env VMBR_BRIDGE_ACL=/tmp/bh-bad.conf bhclient "$suid" --fd=@FD@ --br=vmbr0
printf 'allow all\ninclude /tmp/none.conf\n' > /tmp/bh-inc.conf
refused "an ACL that includes a missing file allows nothing" \
	"ACL /tmp/none.conf: No such file or directory" 1 \
	env VMBR_BRIDGE_ACL=/tmp/bh-inc.conf bhclient "$suid" --fd=@FD@ --br=vmbr0
printf 'allow all\ninclude bh-all.conf\n' > /tmp/bh-rel.conf
refused "an ACL that includes a relative path allows nothing" \
	'include: "bh-all.conf" is not an absolute path' 1 \
	env VMBR_BRIDGE_ACL=/tmp/bh-rel.conf bhclient "$suid" --fd=@FD@ --br=vmbr0
cp /tmp/bh-all.conf /tmp/bh-user.conf
chown "$user" /tmp/bh-user.conf
refused "an ACL that a user owns allows nothing" \
	"must be owned by root" 1 \
	env VMBR_BRIDGE_ACL=/tmp/bh-user.conf bhclient "$suid" --fd=@FD@ --br=vmbr0
expect "no TAP left behind" "$(ip -o link show | grep -c ': tap[0-9]')" -eq 0

ip link del br0
ip link del dm0
rm -f "$suid" "$plain" /tmp/bh* /etc/qemu/more.conf /etc/qemu/bridge.conf
setcap -r "$helper" 2>/dev/null
chmod "$tun_mode" /dev/net/tun
