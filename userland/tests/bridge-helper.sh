#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vmbr-bridge-helper offline: its arguments and, as root, its ACL, up to
# the point where it asks the kernel for the device (a name that does not
# exist: "no such device" means the ACL let it through).  No TAP is made.
# The guest scenario 18-bridge-helper tests the rest.
#
# usage: bridge-helper.sh HELPER
set -uo pipefail

helper=$(readlink -f "${1:?usage: bridge-helper.sh HELPER}")
dev=vmbrtst$$			# no such device, 15 characters at most
dev=${dev:0:15}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
failed=0 passed=0

# QEMU's side: a unix socket for each "@FD@" in the arguments, a pipe for
# "@PIPE@"; prints what the helper says and "exit N".  --as UID runs the
# helper as UID (the driver stays root, as bhclient does).
cat > "$tmp/drive.py" <<'EOF'
import os, socket, subprocess, sys
args = sys.argv[1:]
user = None
if args[0] == "--as":
    user, args = int(args[1]), args[2:]
a, b = socket.socketpair()
r, w = os.pipe()
args = [x.replace("@FD@", str(b.fileno())).replace("@PIPE@", str(r))
        for x in args]
kw = {"user": user, "group": user, "extra_groups": []} if user else {}
p = subprocess.run(args, pass_fds=[b.fileno(), r], stdin=subprocess.DEVNULL,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kw)
sys.stdout.write(p.stdout.decode(errors="replace"))
print("exit", p.returncode)
EOF

# t NAME EXIT TEXT ARG...: the helper run with ARGs exits EXIT, saying TEXT.
t() {
	local name=$1 code=$2 text=$3 out
	shift 3
	out=$(python3 "$tmp/drive.py" "$@" 2>&1)
	if grep -qx "exit $code" <<< "$out" && grep -qF -- "$text" <<< "$out"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "bridge-helper: FAILED: $name (want exit $code and \"$text\"):" >&2
		sed 's/^/    /' <<< "$out" >&2
	fi
}

out=$("$helper" --help)
[ $? -eq 0 ] && grep -q -- '--br=NAME --fd=N' <<< "$out" &&
	grep -qF /etc/qemu/bridge.conf <<< "$out" && passed=$((passed + 1)) ||
	{ failed=$((failed + 1)); echo "bridge-helper: FAILED: --help" >&2; }

h=$helper
t "no argument" 2 "--br=NAME expected" "$h"
t "no --br" 2 "--br=NAME expected" "$h" --use-vnet --fd=@FD@
t "no --fd" 2 "--fd=N expected" "$h" --use-vnet --br=vmbr0
t "an unknown argument" 2 'unknown argument "--bridge=vmbr0"' "$h" --bridge=vmbr0 --fd=@FD@
t "an argument that is no option" 2 'unknown argument "vmbr0"' "$h" --br=vmbr0 --fd=@FD@ vmbr0
t "--use-vnet twice" 2 '"--use-vnet": given twice' "$h" --use-vnet --use-vnet --br=vmbr0 --fd=@FD@
t "--br twice" 2 '"--br=vmbr1": given twice' "$h" --br=vmbr0 --br=vmbr1 --fd=@FD@
t "--fd twice" 2 'given twice' "$h" --br=vmbr0 --fd=@FD@ --fd=@FD@
for n in "" . .. ../vmbr0 a/b a:b "a b" vmbr0123456789ab "$(printf 'a\tb')"; do
	t "--br=\"$n\"" 2 "is not a device name" "$h" --br="$n" --fd=@FD@
done
for n in "" 3x -1 +3 " 3" 0x3 2147483648 99999999999; do
	t "--fd=\"$n\"" 2 "is not a descriptor number" "$h" --br=vmbr0 --fd="$n"
done
t "--fd not open" 2 "--fd=77: Bad file descriptor" "$h" --br=vmbr0 --fd=77
t "--fd a pipe" 2 "not a unix socket" "$h" --br=vmbr0 --fd=@PIPE@
t "--fd stdin, not a socket" 2 "--fd=0: not a unix socket" "$h" --br=vmbr0 --fd=0

if [ "$(id -u)" -ne 0 ]; then
	echo "userland: bridge helper: $passed argument tests passed; ACL tests need root (skipped)"
	[ $failed -eq 0 ]
	exit
fi

# acl NAME EXIT TEXT FILE: FILE as the ACL, --br=$dev.
acl() {
	local name=$1 code=$2 text=$3 file=$4
	VMBR_BRIDGE_ACL=$file t "$name" "$code" "$text" \
		"$h" --use-vnet --br="$dev" --fd=@FD@
}
ok="$dev: no such device"
a=$tmp/acl
w() { local f=$1; shift; printf '%s\n' "$@" > "$f"; chmod 0644 "$f"; }

w "$a" "allow $dev"
acl "allow NAME" 1 "$ok" "$a"
w "$a" "# comment" "" "   allow	$dev   " "  # another"
acl "comments, blank lines, spaces and tabs" 1 "$ok" "$a"
w "$a" "allow all"
acl "allow all" 1 "$ok" "$a"
w "$a" "allow vmbr0" "allow ${dev}x"
acl "another name only" 1 "$dev: not allowed by the ACL $a" "$a"
w "$a" ""
acl "an empty file" 1 "$dev: not allowed by the ACL $a" "$a"
w "$a" "allow $dev" "deny $dev"
acl "deny NAME wins" 1 "$dev: denied by the ACL $a" "$a"
w "$a" "deny $dev" "allow $dev"
acl "deny NAME wins, whatever the order" 1 "$dev: denied by the ACL $a" "$a"
w "$a" "allow $dev" "deny all"
acl "deny all wins" 1 "$dev: denied by the ACL $a" "$a"
w "$a" "allow all" "deny vmbr0"
acl "deny of another name" 1 "$ok" "$a"
w "$tmp/inc" "allow $dev"
w "$a" "allow vmbr0" "include $tmp/inc"
acl "include FILE" 1 "$ok" "$a"
w "$tmp/inc" "deny all"
w "$a" "allow $dev" "include $tmp/inc"
acl "a deny in an included file" 1 "$dev: denied by the ACL $a" "$a"
acl "an ACL that does not exist" 1 "ACL $tmp/none: No such file or directory" "$tmp/none"
w "$a" "allow all" "include $tmp/none"
acl "an include that does not exist" 1 "ACL $tmp/none: No such file or directory" "$a"
w "$a" "allow all" "include inc"
acl "an include by a relative path" 1 'include: "inc" is not an absolute path' "$a"
w "$a" "allow all" "include $a"
acl "an include loop" 1 "included more than 8 deep" "$a"
w "$a" "allow all" "permit $dev"
acl "an unknown rule" 1 "unknown rule \"permit\"" "$a"
w "$a" "allow all" "allow"
acl "a rule without a name" 1 '"allow" takes one argument' "$a"
w "$a" "allow $dev # mine"
acl "a comment after a name" 1 '"allow" takes one argument' "$a"
w "$a" "allow all" "deny vmbr0123456789ab"
acl "a name of 16 characters" 1 "is not a device name" "$a"
w "$a" "allow all"
chmod 0664 "$a"
acl "a group-writable ACL" 1 "must be owned by root and writable by root only" "$a"
chmod 0646 "$a"
acl "a world-writable ACL" 1 "must be owned by root and writable by root only" "$a"
chmod 0644 "$a"
chown 65534 "$a"
acl "an ACL a user owns" 1 "must be owned by root and writable by root only" "$a"
chown 0 "$a"
w "$tmp/inc" "allow $dev"
chown 65534 "$tmp/inc"
w "$a" "include $tmp/inc"
acl "an included file a user owns" 1 "must be owned by root" "$a"
mkfifo "$tmp/fifo"
acl "a FIFO (does not hang)" 1 "ACL $tmp/fifo: not a regular file" "$tmp/fifo"
acl "a directory" 1 "not a regular file" "$tmp"
# A user cannot choose the ACL: the compiled-in one applies (here, where
# it does not exist).  The helper is copied where that user may run it.
w "$a" "allow all"
if [ -e /etc/qemu/bridge.conf ]; then
	echo "userland: bridge helper: /etc/qemu/bridge.conf exists: \$VMBR_BRIDGE_ACL test as a user skipped"
else
	install -m 0755 "$h" "$tmp/helper"
	VMBR_BRIDGE_ACL=$a t "\$VMBR_BRIDGE_ACL ignored for a user" 1 \
		"ACL /etc/qemu/bridge.conf: No such file or directory" \
		--as 65534 "$tmp/helper" --br="$dev" --fd=@FD@
fi

echo "userland: bridge helper: $passed tests passed, $failed failed"
[ $failed -eq 0 ]
