#!/bin/sh
# udhcpc's script: put the leased address on the interface.
case $1 in
bound|renew)
	ip addr flush dev "$interface"
	ip addr add "$ip/${mask:-24}" dev "$interface"
	;;
esac
