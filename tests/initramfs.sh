#!/bin/bash
# Build the guest's initramfs: busybox, bash, iproute2, tcpdump, iperf3,
# dnsmasq, jq, socat, nft, the vmbr tool, the test helpers and scripts, and
# the modules of kernel release KREL (vmbridge.ko and, if given, the KUnit
# module, plus whatever stock modules the scenarios need when the kernel is
# modular).
#
# usage: initramfs.sh OUT.cpio.gz KREL VMBRIDGE_KO [TEST_KO] [STOCK_MODULES_DIR]
set -euo pipefail

out=$1 krel=$2 vmbr_ko=$3 test_ko=${4:-} stock=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
root=$(mktemp -d)
chmod 755 "$root"	# the guest's /: everyone must be able to walk it
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,proc,sys,dev,tmp,run,var/lib/misc,root}
mkdir -p "$root/lib/modules/$krel/extra"

# A binary and the shared libraries it needs, at the same paths.
copy_bin() {
	local bin=$1 dest=${2:-$1} lib
	install -D -m 755 "$bin" "$root$dest"
	for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] || install -D -m 755 "$lib" "$root$lib"
	done
}

for b in /bin/bash /sbin/ip /sbin/tc /sbin/bridge /usr/bin/tcpdump \
	 /usr/bin/iperf3 /usr/sbin/dnsmasq /usr/bin/jq /bin/kmod \
	 /usr/bin/socat /usr/sbin/nft; do
	real=$(readlink -f "$b")
	copy_bin "$real" "$b"
done
for m in modprobe insmod rmmod lsmod depmod modinfo; do
	ln -sf /bin/kmod "$root/sbin/$m"
done
copy_bin "${VMBR_BIN:-$top/userland/vmbr}" /usr/sbin/vmbr
# QEMU's network scripts, where and as "make install" puts them.
mkdir -p "$root/usr/local/libexec"
for s in vmbr-ifup vmbr-ifdown; do
	sed 's|^VMBR=.*|VMBR=${VMBR:-/usr/sbin/vmbr}|' "$top/userland/$s" \
		> "$root/usr/local/libexec/$s"
	chmod 755 "$root/usr/local/libexec/$s"
done
# QEMU's bridge helper where "make install" puts it, unprivileged: a cpio
# archive keeps no file capability, so 18-bridge-helper gives it one (setcap)
# where the guest's file systems keep them, and makes a setuid root copy.
copy_bin "$top/userland/vmbr-bridge-helper" /usr/local/libexec/vmbr-bridge-helper
copy_bin "$(readlink -f /sbin/setcap)" /sbin/setcap
copy_bin "$(readlink -f /sbin/getcap)" /sbin/getcap
copy_bin "$top/tests/tools/bhclient" /usr/bin/bhclient
# vmbr.service and vmbr-boot as "make install" writes them, for vmbr in
# /usr/sbin (19-boot runs the unit's commands).
make -s -C "$top/userland" install-unit DESTDIR="$root" SBINDIR=/usr/sbin \
	LIBEXECDIR=/usr/local/libexec SYSTEMDUNITDIR=/usr/local/lib/systemd/system
copy_bin "$top/tests/tools/tapbridge" /usr/bin/tapbridge
copy_bin "$top/tests/tools/framegen" /usr/bin/framegen
copy_bin "$top/tests/tools/badframes" /usr/bin/badframes
copy_bin "$top/tests/tools/nlfuzz" /usr/bin/nlfuzz
copy_bin "$top/tests/tools/nlstray" /usr/bin/nlstray
copy_bin "$top/tests/tools/udpprobe" /usr/bin/udpprobe

# busybox for everything else; never shadow a real binary.
install -m 755 /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
	for d in bin sbin usr/bin usr/sbin; do
		[ -e "$root/$d/$applet" ] && continue 2
	done
	ln -s /bin/busybox "$root/bin/$applet"
done
ln -sf bash "$root/bin/sh"

install -m 644 "$vmbr_ko" "$root/lib/modules/$krel/extra/vmbridge.ko"
[ -n "$test_ko" ] && install -m 644 "$test_ko" "$root/lib/modules/$krel/extra/vmbridge_test.ko"
if [ -n "$stock" ]; then
	# Only the modules the scenarios use, with their dependencies.
	# nf_*/nft_*: the host's own nftables ruleset in 12-nat (ct state,
	# reject, fib, a masquerade chain, named counters) next to the
	# vmbridge's NAT.
	for m in veth tun bridge 8021q bonding dummy sch_ingress sch_tbf sch_fq_codel \
		 cls_matchall cls_flower \
		 act_gact act_mirred af_packet pktgen vxlan \
		 nf_tables nf_conntrack nf_defrag_ipv4 nf_nat nft_ct nft_chain_nat \
		 nft_nat nft_masq nft_reject nft_reject_ipv4 nf_reject_ipv4 \
		 nft_reject_inet nft_fib nft_fib_ipv4 nft_fib_inet nft_objref; do
		# (a module built into this kernel has nothing to copy)
		{ modprobe -S "$krel" -d "$stock" --show-depends "$m" 2>/dev/null || true; } |
			awk '$1 == "insmod" { print $2 }'
	done | sort -u | while read -r ko; do
		rel=${ko#"$stock"}
		install -D -m 644 "$ko" "$root$rel"
	done
	cp "$stock/lib/modules/$krel/modules.builtin"* "$root/lib/modules/$krel/" 2>/dev/null || true
	cp "$stock/lib/modules/$krel/modules.order" "$root/lib/modules/$krel/" 2>/dev/null || true
fi
# A kernel with everything built in ships no module lists: give depmod empty ones.
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -e "$root/lib/modules/$krel/$f" ] || : > "$root/lib/modules/$krel/$f"
done
depmod -b "$root" "$krel"

printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\ntcpdump:x:104:104::/nonexistent:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\ntcpdump:x:104:\n' > "$root/etc/group"
printf 'hosts: files\n' > "$root/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n' > "$root/etc/hosts"

# The kernel's ynl CLI (tools/net/ynl) and our spec, for 21-ynl: Debian's
# python3 with its standard library (less what no script here imports)
# and PyYAML.
ksrc=$(ls -d "${VMBR_CACHE:-$HOME/.cache/vmbridge}"/src-* 2>/dev/null | head -n 1)
if [ -n "$ksrc" ] && [ -x /usr/bin/python3 ]; then
	py=$(readlink -f /usr/bin/python3)
	copy_bin "$py" /usr/bin/python3
	pylib=$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
	mkdir -p "$root$pylib"
	tar -C "$pylib" --exclude=test --exclude=tests --exclude=idlelib \
		--exclude=tkinter --exclude=turtledemo --exclude=ensurepip \
		--exclude=lib2to3 --exclude=pydoc_data --exclude='config-*' \
		--exclude=__pycache__ -cf - . | tar -C "$root$pylib" -xf -
	for so in "$pylib"/lib-dynload/*.so; do
		copy_bin "$so"
	done
	mkdir -p "$root/usr/lib/python3/dist-packages"
	cp -r /usr/lib/python3/dist-packages/yaml /usr/lib/python3/dist-packages/_yaml \
		"$root/usr/lib/python3/dist-packages/"
	for so in /usr/lib/python3/dist-packages/yaml/*.so; do
		[ -e "$so" ] && copy_bin "$so"
	done
	mkdir -p "$root/usr/local/lib/ynl"
	cp -r "$ksrc/tools/net/ynl/cli.py" "$ksrc/tools/net/ynl/lib" \
		"$root/usr/local/lib/ynl/"
	install -D -m 644 "$top/Documentation/netlink/specs/vmbridge.yaml" \
		"$root/usr/local/share/vmbridge/vmbridge.yaml"
fi

mkdir -p "$root/tests"
cp -r "$here/guest" "$root/tests/"
install -m 755 "$here/guest/init" "$root/init"

(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 > "$out"
