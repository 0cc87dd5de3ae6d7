#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vmbr.service as "make install" writes it passes systemd-analyze verify
# without a word: installed (make install-unit) into a temporary prefix
# where its commands exist, as verify wants them to.
set -eu
command -v systemd-analyze > /dev/null ||
	{ echo "unit: no systemd-analyze (Debian: apt install systemd)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

make -s --no-print-directory install-unit DESTDIR= SBINDIR="$tmp/sbin" LIBEXECDIR="$tmp/libexec" \
	SYSTEMDUNITDIR="$tmp/unit"
install -D -m 0755 ./vmbr "$tmp/sbin/vmbr"
unit=$tmp/unit/vmbr.service
# The paths are those of the installed vmbr and vmbr-boot.
grep -q "^ExecStart=$tmp/sbin/vmbr restore /etc/vmbr/vmbridges.json\$" "$unit"
grep -q "^ExecStartPost=$tmp/libexec/vmbr-boot start\$" "$unit"
grep -q "^ExecStop=$tmp/libexec/vmbr-boot stop\$" "$unit"
grep -q "^VMBR=\${VMBR:-$tmp/sbin/vmbr}\$" "$tmp/libexec/vmbr-boot"
out=$(systemd-analyze verify --man=no "$unit" 2>&1) || { echo "$out" >&2; exit 1; }
[ -z "$out" ] || { echo "$out" >&2; exit 1; }
