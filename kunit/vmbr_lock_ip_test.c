// SPDX-License-Identifier: GPL-2.0
/* vmbridge KUnit: lock-ip, the source guard, on the frames a guest sends. */
#include <linux/etherdevice.h>
#include <linux/icmpv6.h>
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/rtnetlink.h>
#include <linux/udp.h>
#include <net/ndisc.h>

#include "vmbr_test.h"

static const u8 own_mac[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const u8 other_mac[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

#define OWN_V4		0xc0000201	/* 192.0.2.1 */
#define OTHER_V4	0xc0000202	/* 192.0.2.2 */

static const struct in6_addr own_v6 = { { {
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } } };
static const struct in6_addr other_v6 = { { {
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 } } };

enum lock_ip_frame {
	V4_OWN, V4_OTHER, V4_DHCP, V4_ZERO_NOT_DHCP, V4_TRUNCATED,
	ARP_OWN, ARP_OTHER_IP, ARP_OTHER_MAC, ARP_PROBE, ARP_TRUNCATED,
	V6_OWN, V6_OTHER, V6_RA, V6_REDIRECT, V6_NA_OWN, V6_NA_OTHER,
	V6_DAD, V6_ANY_ECHO, V6_TRUNCATED, OTHER_PROTO,
};

/* A frame from @own_mac with skb->data at its network header. */
static struct sk_buff *lock_ip_frame(struct kunit *test,
				     enum lock_ip_frame kind)
{
	struct sk_buff *skb = alloc_skb(256, GFP_KERNEL);
	struct ethhdr *eth;
	__be16 proto;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 64);
	eth = skb_put_zero(skb, ETH_HLEN);
	ether_addr_copy(eth->h_dest, other_mac);
	ether_addr_copy(eth->h_source, own_mac);
	skb_reset_mac_header(skb);
	skb_pull(skb, ETH_HLEN);
	skb_reset_network_header(skb);

	if (kind <= V4_TRUNCATED) {
		struct iphdr *iph;
		struct udphdr *uh;

		proto = htons(ETH_P_IP);
		if (kind == V4_TRUNCATED) {
			skb_put_zero(skb, 10);
			*skb->data = 0x45;
			goto out;
		}
		iph = skb_put_zero(skb, sizeof(*iph));
		iph->version = 4;
		iph->ihl = 5;
		iph->protocol = IPPROTO_UDP;
		iph->saddr = kind == V4_OWN ? htonl(OWN_V4) :
			     kind == V4_OTHER ? htonl(OTHER_V4) : 0;
		iph->daddr = htonl(0xffffffff);
		uh = skb_put_zero(skb, sizeof(*uh));
		uh->source = htons(kind == V4_ZERO_NOT_DHCP ? 1234 : 68);
		uh->dest = htons(67);
	} else if (kind <= ARP_TRUNCATED) {
		struct arphdr *arp;
		__be32 spa;
		u8 *p;

		proto = htons(ETH_P_ARP);
		arp = skb_put_zero(skb, sizeof(*arp));
		arp->ar_hrd = htons(ARPHRD_ETHER);
		arp->ar_pro = htons(ETH_P_IP);
		arp->ar_hln = ETH_ALEN;
		arp->ar_pln = 4;
		arp->ar_op = htons(ARPOP_REQUEST);
		if (kind == ARP_TRUNCATED)
			goto out;
		p = skb_put_zero(skb, 2 * (ETH_ALEN + 4));
		ether_addr_copy(p, kind == ARP_OTHER_MAC ? other_mac : own_mac);
		spa = htonl(kind == ARP_OTHER_IP ? OTHER_V4 :
			    kind == ARP_PROBE ? 0 : OWN_V4);
		memcpy(p + ETH_ALEN, &spa, sizeof(spa));
	} else if (kind <= V6_TRUNCATED) {
		struct ipv6hdr *ip6h;
		u8 *icmp;

		proto = htons(ETH_P_IPV6);
		if (kind == V6_TRUNCATED) {
			skb_put_zero(skb, 20);
			*skb->data = 0x60;
			goto out;
		}
		ip6h = skb_put_zero(skb, sizeof(*ip6h));
		ip6h->version = 6;
		ip6h->nexthdr = IPPROTO_ICMPV6;
		ip6h->payload_len = htons(24);
		ip6h->saddr = kind == V6_OTHER ? other_v6 : own_v6;
		if (kind == V6_DAD || kind == V6_ANY_ECHO)
			memset(&ip6h->saddr, 0, sizeof(ip6h->saddr));
		icmp = skb_put_zero(skb, 24);
		icmp[0] = kind == V6_RA ? NDISC_ROUTER_ADVERTISEMENT :
			  kind == V6_REDIRECT ? NDISC_REDIRECT :
			  kind == V6_NA_OWN || kind == V6_NA_OTHER ?
			  NDISC_NEIGHBOUR_ADVERTISEMENT :
			  kind == V6_DAD ? NDISC_NEIGHBOUR_SOLICITATION :
			  ICMPV6_ECHO_REQUEST;
		memcpy(icmp + 8, kind == V6_NA_OTHER ? &other_v6 : &own_v6,
		       sizeof(struct in6_addr));
	} else {
		proto = htons(ETH_P_LLDP);
		skb_put_zero(skb, 46);
	}
out:
	skb->protocol = proto;
	eth->h_proto = proto;
	return skb;
}

struct lock_ip_case {
	const char *name;
	enum lock_ip_frame frame;
	enum vmbr_drop_reason want;
};

static const struct lock_ip_case lock_ip_cases[] = {
	{ "IPv4 from its address", V4_OWN, VMBR_DROP_UNSPEC },
	{ "IPv4 from another", V4_OTHER, VMBR_DROP_LOCKED_IP },
	{ "DHCP client from 0.0.0.0", V4_DHCP, VMBR_DROP_UNSPEC },
	{ "other UDP from 0.0.0.0", V4_ZERO_NOT_DHCP, VMBR_DROP_LOCKED_IP },
	{ "IPv4 header cut short", V4_TRUNCATED, VMBR_DROP_MALFORMED },
	{ "ARP for its address", ARP_OWN, VMBR_DROP_UNSPEC },
	{ "ARP claiming another address", ARP_OTHER_IP, VMBR_DROP_LOCKED_IP },
	{ "ARP with another sender MAC", ARP_OTHER_MAC, VMBR_DROP_LOCKED_IP },
	{ "ARP probe", ARP_PROBE, VMBR_DROP_UNSPEC },
	{ "ARP cut short", ARP_TRUNCATED, VMBR_DROP_MALFORMED },
	{ "IPv6 from its address", V6_OWN, VMBR_DROP_UNSPEC },
	{ "IPv6 from another", V6_OTHER, VMBR_DROP_LOCKED_IP },
	{ "router advertisement", V6_RA, VMBR_DROP_LOCKED_IP },
	{ "redirect", V6_REDIRECT, VMBR_DROP_LOCKED_IP },
	{ "NA for its address", V6_NA_OWN, VMBR_DROP_UNSPEC },
	{ "NA for another", V6_NA_OTHER, VMBR_DROP_LOCKED_IP },
	{ "DAD from ::", V6_DAD, VMBR_DROP_UNSPEC },
	{ "echo from ::", V6_ANY_ECHO, VMBR_DROP_LOCKED_IP },
	{ "IPv6 header cut short", V6_TRUNCATED, VMBR_DROP_MALFORMED },
	{ "another protocol", OTHER_PROTO, VMBR_DROP_UNSPEC },
};

static void lock_ip_case_desc(const struct lock_ip_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(lock_ip, lock_ip_cases, lock_ip_case_desc);

static void vmbr_lock_ip_test_check(struct kunit *test)
{
	const struct lock_ip_case *c = test->param_value;
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_HOSTONLY);
	struct vmbr_port *port = t->port[0];
	struct sk_buff *skb = lock_ip_frame(test, c->frame);
	struct {
		struct nlattr nla;
		struct in6_addr addr[2];
	} attr = {};
	struct vmbr_lock_ip *lock;

	/* Not locked: everything passes. */
	rcu_read_lock();
	KUNIT_EXPECT_EQ(test, vmbr_lock_ip_check(port, skb), VMBR_DROP_UNSPEC);
	rcu_read_unlock();

	attr.nla.nla_len = nla_attr_size(sizeof(attr.addr));
	ipv6_addr_set_v4mapped(htonl(OWN_V4), &attr.addr[0]);
	attr.addr[1] = own_v6;
	lock = vmbr_lock_ip_parse(&attr.nla, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(lock));
	rtnl_lock();
	vmbr_lock_ip_set(port, lock);
	rtnl_unlock();

	rcu_read_lock();
	KUNIT_EXPECT_EQ(test, vmbr_lock_ip_check(port, skb), c->want);
	rcu_read_unlock();
	kfree_skb(skb);
}

static void vmbr_lock_ip_test_parse(struct kunit *test)
{
	struct {
		struct nlattr nla;
		struct in6_addr addr[2];
	} attr = {};

	attr.nla.nla_len = nla_attr_size(sizeof(attr.addr));
	attr.addr[0] = own_v6;
	attr.addr[1] = own_v6;
	KUNIT_EXPECT_EQ(test, PTR_ERR(vmbr_lock_ip_parse(&attr.nla, NULL)),
			-EINVAL);	/* listed twice */
	ipv6_addr_set_v4mapped(0, &attr.addr[1]);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vmbr_lock_ip_parse(&attr.nla, NULL)),
			-EINVAL);	/* 0.0.0.0 */
	ipv6_addr_set_v4mapped(htonl(0xe0000001), &attr.addr[1]);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vmbr_lock_ip_parse(&attr.nla, NULL)),
			-EINVAL);	/* 224.0.0.1 */
	attr.nla.nla_len = nla_attr_size(sizeof(attr.addr) - 1);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vmbr_lock_ip_parse(&attr.nla, NULL)),
			-EINVAL);	/* not whole addresses */
	attr.nla.nla_len = nla_attr_size(0);
	KUNIT_EXPECT_NULL(test, vmbr_lock_ip_parse(&attr.nla, NULL));
}

static struct kunit_case vmbr_lock_ip_test_cases[] = {
	KUNIT_CASE_PARAM(vmbr_lock_ip_test_check, lock_ip_gen_params),
	KUNIT_CASE(vmbr_lock_ip_test_parse),
	{}
};

static struct kunit_suite vmbr_lock_ip_test_suite = {
	.name = "vmbr_lock_ip",
	.test_cases = vmbr_lock_ip_test_cases,
};

kunit_test_suite(vmbr_lock_ip_test_suite);
