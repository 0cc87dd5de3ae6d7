// SPDX-License-Identifier: GPL-2.0
/* vmbridge KUnit: frame parsing, the modes' reachability, flooding, MTU. */
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/tcp.h>

#include "vmbr_test.h"

static const u8 station[ETH_ALEN] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const u8 other[ETH_ALEN] = { 0x02, 0x66, 0x77, 0x88, 0x99, 0xaa };
static const u8 group[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const u8 zero[ETH_ALEN];

struct vmbr_parse_case {
	const char *name;
	const u8 *src;
	enum vmbr_drop_reason want;
};

static const struct vmbr_parse_case vmbr_parse_cases[] = {
	{ "unicast source", station, VMBR_DROP_UNSPEC },
	{ "multicast source", group, VMBR_DROP_BAD_SRC_MAC },
	{ "broadcast source", NULL, VMBR_DROP_BAD_SRC_MAC },
	{ "zero source", zero, VMBR_DROP_BAD_SRC_MAC },
};

static void vmbr_parse_case_desc(const struct vmbr_parse_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vmbr_parse, vmbr_parse_cases, vmbr_parse_case_desc);

static void vmbr_forward_test_parse(struct kunit *test)
{
	const struct vmbr_parse_case *c = test->param_value;
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_HOSTONLY);
	const u8 *src = c->src ? c->src : t->vmbr->dev->broadcast;
	struct sk_buff *skb;

	skb = vmbr_test_eth_skb(test, t->port[0]->dev, other, src, 46);
	KUNIT_EXPECT_EQ(test, vmbr_parse(skb), c->want);
	kfree_skb(skb);
}

static void vmbr_forward_test_parse_no_mac_header(struct kunit *test)
{
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put_zero(skb, 64);
	KUNIT_EXPECT_EQ(test, vmbr_parse(skb), VMBR_DROP_MALFORMED);
	/* A MAC header shorter than Ethernet's is malformed too. */
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, 8);
	KUNIT_EXPECT_EQ(test, vmbr_parse(skb), VMBR_DROP_MALFORMED);
	kfree_skb(skb);
}

/* Who reaches whom: INTERFACE.md's table of the modes. */
struct vmbr_reach_case {
	u8 mode;
	const char *name;
	bool guest_guest, guest_host, guest_uplink, host_guest, host_uplink,
	     uplink_guest, uplink_host;
};

static const struct vmbr_reach_case vmbr_reach_cases[] = {
	{ VMBR_MODE_HOSTONLY, "hostonly", true, true, false, true, false,
	  false, false },
	{ VMBR_MODE_BRIDGE, "bridge", true, true, true, true, true,
	  true, true },
	{ VMBR_MODE_PRIVATE, "private", true, false, false, false, false,
	  false, false },
};

static void vmbr_reach_case_desc(const struct vmbr_reach_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vmbr_reach, vmbr_reach_cases, vmbr_reach_case_desc);

static void vmbr_forward_test_reach(struct kunit *test)
{
	const struct vmbr_reach_case *c = test->param_value;
	struct vmbr_test *t = vmbr_test_create(test, c->mode);
	struct vmbr_port *g0 = t->port[0], *g1 = t->port[1];
	struct vmbr_port *up = t->port[2], *host = &t->vmbr->host;
	struct vmbr *vmbr = t->vmbr;

	KUNIT_EXPECT_EQ(test, vmbr_may_reach(vmbr, g0, g1), c->guest_guest);
	KUNIT_EXPECT_EQ(test, vmbr_may_reach(vmbr, g0, host), c->guest_host);
	KUNIT_EXPECT_EQ(test, vmbr_may_reach(vmbr, g0, up), c->guest_uplink);
	KUNIT_EXPECT_EQ(test, vmbr_may_reach(vmbr, host, g0), c->host_guest);
	KUNIT_EXPECT_EQ(test, vmbr_may_reach(vmbr, host, up), c->host_uplink);
	KUNIT_EXPECT_EQ(test, vmbr_may_reach(vmbr, up, g0), c->uplink_guest);
	KUNIT_EXPECT_EQ(test, vmbr_may_reach(vmbr, up, host), c->uplink_host);

	/* Flooding follows the same table, never back to the sender. */
	rcu_read_lock();	/* as in the data path */
	KUNIT_EXPECT_FALSE(test, vmbr_flood_to(vmbr, g0, g0, 1));
	KUNIT_EXPECT_EQ(test, vmbr_flood_to(vmbr, g0, g1, 1), c->guest_guest);
	KUNIT_EXPECT_EQ(test, vmbr_flood_to(vmbr, g0, up, 1), c->guest_uplink);
	KUNIT_EXPECT_EQ(test, vmbr_flood_to(vmbr, g0, host, 1), c->guest_host);
	KUNIT_EXPECT_EQ(test, vmbr_flood_to(vmbr, up, g1, 1), c->uplink_guest);
	rcu_read_unlock();
}

static void vmbr_forward_test_flood_down_port(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_BRIDGE);

	clear_bit(__LINK_STATE_START, &t->port[1]->dev->state);
	rcu_read_lock();
	KUNIT_EXPECT_FALSE(test, vmbr_flood_to(t->vmbr, t->port[0], t->port[1], 1));
	KUNIT_EXPECT_TRUE(test, vmbr_flood_to(t->vmbr, t->port[0], t->port[2], 1));
	rcu_read_unlock();
}

/* A TCP/IPv4 frame of @len bytes, Ethernet header included, at skb->data. */
static struct sk_buff *tcp_frame(struct kunit *test, unsigned int len,
				 unsigned int gso_size)
{
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);
	struct tcphdr *th;
	struct iphdr *iph;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put_zero(skb, len);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, ETH_HLEN);
	skb_set_transport_header(skb, ETH_HLEN + sizeof(*iph));
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = 5;
	th = tcp_hdr(skb);
	th->doff = 5;
	if (gso_size) {
		skb_shinfo(skb)->gso_size = gso_size;
		skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
		skb->ip_summed = CHECKSUM_PARTIAL;
	}
	return skb;
}

static void vmbr_forward_test_mtu(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_HOSTONLY);
	struct net_device *dev = t->port[0]->dev;	/* MTU 1500 */
	struct sk_buff *skb;

	skb = tcp_frame(test, ETH_HLEN + 1500, 0);
	KUNIT_EXPECT_TRUE(test, vmbr_fits_mtu(skb, dev));
	kfree_skb(skb);
	skb = tcp_frame(test, ETH_HLEN + 1501, 0);
	KUNIT_EXPECT_FALSE(test, vmbr_fits_mtu(skb, dev));
	kfree_skb(skb);

	/* A 30 kB GSO super-packet whose segments fit passes whole... */
	skb = tcp_frame(test, 30000, 1448);
	KUNIT_EXPECT_TRUE(test, vmbr_fits_mtu(skb, dev));
	/* ... and not once the segments no longer fit. */
	dev->mtu = 1400;
	KUNIT_EXPECT_FALSE(test, vmbr_fits_mtu(skb, dev));
	kfree_skb(skb);
}

static struct kunit_case vmbr_forward_test_cases[] = {
	KUNIT_CASE_PARAM(vmbr_forward_test_parse, vmbr_parse_gen_params),
	KUNIT_CASE(vmbr_forward_test_parse_no_mac_header),
	KUNIT_CASE_PARAM(vmbr_forward_test_reach, vmbr_reach_gen_params),
	KUNIT_CASE(vmbr_forward_test_flood_down_port),
	KUNIT_CASE(vmbr_forward_test_mtu),
	{}
};

static struct kunit_suite vmbr_forward_test_suite = {
	.name = "vmbr_forward",
	.test_cases = vmbr_forward_test_cases,
};

kunit_test_suite(vmbr_forward_test_suite);
