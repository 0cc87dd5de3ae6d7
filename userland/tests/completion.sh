#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Offline test of the bash completion (bash-completion/vmbr) against this
# vmbr's --help: what each partial command line completes to.  The
# devices are made up; the files are those of completion-files/.
# "make check" compares the output with completion.expected.
set -u
vmbr=$(realpath "${1:-./vmbr}")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../bash-completion/vmbr
. "$here/../bash-completion/vmbr"
_vmbr_devices() { printf '%s\n' eth0 lo tap0 tap1 vmbr0; }
_vmbr_vmbridges() { echo vmbr0; }
cd "$here/completion-files"

t() {
	COMP_WORDS=("$vmbr" "$@")
	COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
	_vmbr
	# Sorted: files come in the directory's order.
	echo "vmbr $* ->" $(printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort)
}
t ''
t p
t port ''
t port a
t port add ''
t port add vmbr0 ''
t port add vmbr0 tap0 ''
t port add vmbr0 tap0 isolated ''
t port add vmbr0 tap0 isolated on l
t port set vmbr0 tap0 vlan 10 ''
t port set vmbr0 tap0 trunk 10,20 ''
t port set vmbr0 tap0 rate-in ''
t port set vmbr0 tap0 rate-in 20mbit ''
t port set vmbr0 tap0 rate-in off rate-out 1gbit burst-out 1m ''
t port show vmbr0 ''
t -j show ''
t show -
t set vmbr0 mode ''
t set vmbr0 mode nat uplink ''
t add vmbr1 ''
t fdb add vmbr0 52:54:00:00:00:01 ''
t fdb add vmbr0 52:54:00:00:00:01 port ''
t nat ''
t nat forward ''
t nat forward add vmbr0 ''
t nat forward add vmbr0 tcp ''
t nat forward add vmbr0 tcp 8080 ''
t nat set vmbr0 filtering ''
t dhcp ''
t dhcp start ''
t dhcp start vmbr0 ''
t dhcp start vmbr0 range 192.168.100.2-192.168.100.99 ''
t save ''
t restore ''
t restore s
t monitor ''
