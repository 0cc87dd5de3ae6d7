// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge: lock-ip, the source guard of a guest port.  A locked port may
 * use only its listed IPv4 and IPv6 addresses:
 *
 * - IPv4: the source address is listed; a DHCP client's 0.0.0.0:68 -> :67
 *   still passes, so a guest can get its lease;
 * - ARP: the sender is the frame's own MAC and a listed address (or
 *   0.0.0.0, an address probe);
 * - IPv6: the source address is listed; from :: only duplicate address
 *   detection (neighbour solicitations) and MLD reports pass; a neighbour
 *   advertisement's target is listed; router advertisements and redirects
 *   never come from a guest.
 *
 * A frame with a VLAN tag still inside is dropped (the rx handler drops
 * it first); other protocols pass.  Headers are read with skb_header_pointer(): the
 * frame is not changed.  A header too short to check is malformed.
 *
 * DOC: Locking
 *
 * A port's list is replaced whole under RTNL and freed after a grace
 * period; the data path reads it under RCU.
 */
#include <linux/etherdevice.h>
#include <linux/icmpv6.h>
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ndisc.h>

#include "vmbr.h"

#define DHCP_CLIENT_PORT	68
#define DHCP_SERVER_PORT	67

static bool vmbr_lock_ip_has(const struct vmbr_lock_ip *lock,
			     const struct in6_addr *addr)
{
	unsigned int i;

	for (i = 0; i < lock->count; i++)
		if (ipv6_addr_equal(addr, &lock->addr[i]))
			return true;
	return false;
}

static bool vmbr_lock_ip_has_v4(const struct vmbr_lock_ip *lock, __be32 addr)
{
	struct in6_addr mapped;

	ipv6_addr_set_v4mapped(addr, &mapped);
	return vmbr_lock_ip_has(lock, &mapped);
}

static enum vmbr_drop_reason vmbr_lock_ip_v4(const struct vmbr_lock_ip *lock,
					     const struct sk_buff *skb)
{
	const struct udphdr *udph;
	const struct iphdr *iph;
	struct udphdr _udph;
	struct iphdr _iph;

	iph = skb_header_pointer(skb, 0, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return VMBR_DROP_MALFORMED;
	if (vmbr_lock_ip_has_v4(lock, iph->saddr))
		return VMBR_DROP_UNSPEC;
	/* A DHCP client before its lease: 0.0.0.0:68 -> :67, unfragmented. */
	if (iph->saddr || iph->protocol != IPPROTO_UDP || ip_is_fragment(iph))
		return VMBR_DROP_LOCKED_IP;
	udph = skb_header_pointer(skb, iph->ihl * 4, sizeof(_udph), &_udph);
	if (!udph)
		return VMBR_DROP_MALFORMED;
	if (udph->source == htons(DHCP_CLIENT_PORT) &&
	    udph->dest == htons(DHCP_SERVER_PORT))
		return VMBR_DROP_UNSPEC;
	return VMBR_DROP_LOCKED_IP;
}

/* An Ethernet/IPv4 ARP packet: its header, then sender MAC and address. */
struct vmbr_arp_sender {
	struct arphdr arp;
	u8 sha[ETH_ALEN];
	__be32 spa;
} __packed;

static enum vmbr_drop_reason vmbr_lock_ip_arp(const struct vmbr_lock_ip *lock,
					      const struct sk_buff *skb)
{
	const struct vmbr_arp_sender *s;
	struct vmbr_arp_sender _s;

	s = skb_header_pointer(skb, 0, sizeof(_s), &_s);
	if (!s)
		return VMBR_DROP_MALFORMED;
	if (s->arp.ar_hrd != htons(ARPHRD_ETHER) ||
	    s->arp.ar_pro != htons(ETH_P_IP) ||
	    s->arp.ar_hln != ETH_ALEN || s->arp.ar_pln != sizeof(__be32))
		return VMBR_DROP_LOCKED_IP;
	if (!ether_addr_equal(s->sha, eth_hdr(skb)->h_source))
		return VMBR_DROP_LOCKED_IP;
	if (!s->spa || vmbr_lock_ip_has_v4(lock, s->spa))
		return VMBR_DROP_UNSPEC;
	return VMBR_DROP_LOCKED_IP;
}

static enum vmbr_drop_reason vmbr_lock_ip_v6(const struct vmbr_lock_ip *lock,
					     const struct sk_buff *skb)
{
	const struct in6_addr *target;
	const struct ipv6hdr *ip6h;
	struct in6_addr _target;
	struct ipv6hdr _ip6h;
	u8 nexthdr, _type;
	const u8 *type;
	__be16 frag_off;
	int off;

	ip6h = skb_header_pointer(skb, 0, sizeof(_ip6h), &_ip6h);
	if (!ip6h || ip6h->version != 6)
		return VMBR_DROP_MALFORMED;
	nexthdr = ip6h->nexthdr;
	off = ipv6_skip_exthdr(skb, sizeof(*ip6h), &nexthdr, &frag_off);
	type = NULL;
	if (off >= 0 && nexthdr == IPPROTO_ICMPV6 &&
	    !(frag_off & htons(IP6_OFFSET))) {
		type = skb_header_pointer(skb, off, sizeof(_type), &_type);
		if (!type)
			return VMBR_DROP_MALFORMED;
	}

	if (type && (*type == NDISC_ROUTER_ADVERTISEMENT ||
		     *type == NDISC_REDIRECT))
		return VMBR_DROP_LOCKED_IP;
	if (type && *type == NDISC_NEIGHBOUR_ADVERTISEMENT) {
		/* The type, code, checksum and flags come first. */
		target = skb_header_pointer(skb, off + 8, sizeof(_target),
					    &_target);
		if (!target)
			return VMBR_DROP_MALFORMED;
		if (!vmbr_lock_ip_has(lock, target))
			return VMBR_DROP_LOCKED_IP;
	}
	if (ipv6_addr_any(&ip6h->saddr))
		return type && (*type == NDISC_NEIGHBOUR_SOLICITATION ||
				*type == ICMPV6_MGM_REPORT ||
				*type == ICMPV6_MLD2_REPORT) ?
		       VMBR_DROP_UNSPEC : VMBR_DROP_LOCKED_IP;
	return vmbr_lock_ip_has(lock, &ip6h->saddr) ?
	       VMBR_DROP_UNSPEC : VMBR_DROP_LOCKED_IP;
}

/* vmbr_lock_ip_check() for a port that has (or just had) a lock-ip list. */
enum vmbr_drop_reason __vmbr_lock_ip_check(const struct vmbr_port *port,
					   const struct sk_buff *skb)
{
	const struct vmbr_lock_ip *lock = rcu_dereference(port->lock_ip);

	if (likely(!lock))
		return VMBR_DROP_UNSPEC;
	switch (skb->protocol) {
	case htons(ETH_P_IP):
		return vmbr_lock_ip_v4(lock, skb);
	case htons(ETH_P_ARP):
		return vmbr_lock_ip_arp(lock, skb);
	case htons(ETH_P_IPV6):
		return vmbr_lock_ip_v6(lock, skb);
	case htons(ETH_P_8021Q):
	case htons(ETH_P_8021AD):
		/* A tag inside: what it carries is out of sight, never passed. */
		return VMBR_DROP_VLAN;
	default:
		return VMBR_DROP_UNSPEC;
	}
}
EXPORT_SYMBOL_IF_KUNIT(__vmbr_lock_ip_check);

/* Config path. */

static bool vmbr_lock_ip_usable(const struct in6_addr *addr)
{
	if (ipv6_addr_v4mapped(addr)) {
		__be32 v4 = addr->s6_addr32[3];

		return v4 && !ipv4_is_multicast(v4) && !ipv4_is_lbcast(v4);
	}
	return !ipv6_addr_any(addr) && !ipv6_addr_is_multicast(addr);
}

/*
 * A lock-ip list from a netlink attribute of 16-byte addresses (IPv4 as
 * ::ffff:a.b.c.d); an empty one means no lock (NULL).
 */
struct vmbr_lock_ip *vmbr_lock_ip_parse(const struct nlattr *attr,
					struct netlink_ext_ack *extack)
{
	unsigned int size = sizeof(struct in6_addr);
	unsigned int count = nla_len(attr) / size, i, j;
	const struct in6_addr *addr = nla_data(attr);
	struct vmbr_lock_ip *lock;

	if (nla_len(attr) % size || count > VMBR_LOCK_IP_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "lock-ip is a list of at most 64 addresses");
		return ERR_PTR(-EINVAL);
	}
	if (!count)
		return NULL;
	for (i = 0; i < count; i++) {
		if (!vmbr_lock_ip_usable(&addr[i])) {
			vmbr_extack_fmt(extack,
					"lock-ip: an address is not a host's",
					"lock-ip: %pI6c is not a host's address",
					&addr[i]);
			NL_SET_BAD_ATTR(extack, attr);
			return ERR_PTR(-EINVAL);
		}
		for (j = 0; j < i; j++) {
			if (ipv6_addr_equal(&addr[i], &addr[j])) {
				vmbr_extack_fmt(extack,
						"lock-ip: an address is listed twice",
						"lock-ip: %pI6c is listed twice",
						&addr[i]);
				NL_SET_BAD_ATTR(extack, attr);
				return ERR_PTR(-EINVAL);
			}
		}
	}
	lock = kmalloc(struct_size(lock, addr, count), GFP_KERNEL);
	if (!lock)
		return ERR_PTR(-ENOMEM);
	lock->count = count;
	memcpy(lock->addr, addr, count * size);
	return lock;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_lock_ip_parse);

/* Install @lock (NULL: none) on @port.  RTNL. */
void vmbr_lock_ip_set(struct vmbr_port *port, struct vmbr_lock_ip *lock)
{
	struct vmbr_lock_ip *old;

	ASSERT_RTNL();
	old = rcu_replace_pointer(port->lock_ip, lock, lockdep_rtnl_is_held());
	if (old)
		kfree_rcu(old, rcu);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_lock_ip_set);

/* When the port goes: no reader is left. */
void vmbr_lock_ip_free(struct vmbr_port *port)
{
	kfree(rcu_dereference_protected(port->lock_ip, true));
	RCU_INIT_POINTER(port->lock_ip, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_lock_ip_free);
