#!/bin/bash
# Install what building and testing vmbridge needs on Debian 12 (run as root).
# Idempotent: packages already present are skipped by apt.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

# Newest Debian 6.12 header package in the archive (bookworm ships 6.12 as a
# second kernel line next to 6.1).
latest_612() {
	apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
		awk '{print $1}' | sort -V | tail -n 1
}

# libcap2-bin: setcap and getcap (vmbr-bridge-helper's file capability, in
# make install and in the guest); systemd: systemd-analyze verify of
# vmbr.service (make -C userland check); python3-yaml, python3-jsonschema:
# the kernel's ynl-gen-c.py and the YNL spec's validation.
pkgs=(
	build-essential bc flex bison libelf-dev libssl-dev dwarves sparse
	pkg-config libmnl-dev libjansson-dev python3 kmod cpio
	linux-source-6.12 linux-headers-amd64
	qemu-system-x86 busybox-static iproute2 tcpdump iperf3 dnsmasq-base jq
	socat nftables
	libcap2-bin systemd python3-yaml python3-jsonschema
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if ! ls -d /usr/src/linux-headers-6.12.*-amd64 >/dev/null 2>&1; then
	missing+=(__612__)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

apt-get update -qq
h612=$(latest_612)
[ -n "$h612" ] || { echo "deps: no linux-headers-6.12 package found" >&2; exit 1; }
list=()
for p in "${missing[@]}"; do
	[ "$p" = __612__ ] && p=$h612
	list+=("$p")
done
apt-get install -y -qq --no-install-recommends "${list[@]}" >/dev/null
