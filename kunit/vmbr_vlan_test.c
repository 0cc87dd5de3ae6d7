// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge KUnit: 802.1Q.  Ingress classification over every skb shape a
 * port or the host can hand over, egress tagging, the netlink bitmap, and
 * flooding that stays inside a VLAN.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>

#include "vmbr_test.h"

static const u8 station[ETH_ALEN] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const u8 other[ETH_ALEN] = { 0x02, 0x66, 0x77, 0x88, 0x99, 0xaa };

#define PAYLOAD	46

enum frame_shape {
	UNTAGGED,
	HWACCEL,	/* tag in skb->vlan_tci, as the core leaves it */
	INBAND,		/* tag in the frame, as a packet socket sends it */
	INBAND_CLONED,	/* the same, on a clone of a frame others still see */
	INBAND_PAGED,	/* the same, the tag in a page fragment */
	DOUBLE,		/* outer tag in-band, inner tag behind it */
	HWACCEL_8021AD,	/* a service tag */
};

/* A frame from @station, tagged as @shape says with @tci (and 20 inside). */
static struct sk_buff *vlan_frame(struct kunit *test, enum frame_shape shape,
				  u16 tci)
{
	unsigned int len = VLAN_ETH_HLEN + VLAN_HLEN + PAYLOAD;
	struct sk_buff *skb = alloc_skb(64 + len, GFP_KERNEL);
	u8 frame[VLAN_ETH_HLEN + VLAN_HLEN + PAYLOAD] = {};
	struct vlan_ethhdr *veth = (struct vlan_ethhdr *)frame;
	unsigned int flen;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 64);
	ether_addr_copy(veth->h_dest, other);
	ether_addr_copy(veth->h_source, station);
	if (shape == INBAND || shape == INBAND_CLONED ||
	    shape == INBAND_PAGED || shape == DOUBLE) {
		veth->h_vlan_proto = htons(ETH_P_8021Q);
		veth->h_vlan_TCI = htons(tci);
		if (shape == DOUBLE) {
			veth->h_vlan_encapsulated_proto = htons(ETH_P_8021Q);
			struct vlan_hdr inner = {
				.h_vlan_TCI = htons(20),
				.h_vlan_encapsulated_proto = htons(ETH_P_IP),
			};

			memcpy(frame + VLAN_ETH_HLEN, &inner, sizeof(inner));
			flen = VLAN_ETH_HLEN + VLAN_HLEN + PAYLOAD;
		} else {
			veth->h_vlan_encapsulated_proto = htons(ETH_P_IP);
			flen = VLAN_ETH_HLEN + PAYLOAD;
		}
	} else {
		veth->h_vlan_proto = htons(ETH_P_IP);
		flen = ETH_HLEN + PAYLOAD;
	}

	if (shape == INBAND_PAGED) {
		/* Only the MAC addresses and the TPID are in the head. */
		struct page *page = alloc_page(GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, page);
		skb_put_data(skb, frame, ETH_HLEN);
		memcpy(page_address(page), frame + ETH_HLEN, flen - ETH_HLEN);
		skb_add_rx_frag(skb, 0, page, 0, flen - ETH_HLEN, PAGE_SIZE);
	} else {
		skb_put_data(skb, frame, flen);
	}
	skb_reset_mac_header(skb);
	skb->protocol = veth->h_vlan_proto;
	if (shape == HWACCEL)
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), tci);
	if (shape == HWACCEL_8021AD)
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021AD), tci);
	return skb;
}

enum port_kind { ACCESS_10, TRUNK_10_20_NATIVE_1, TRUNK_10_20 };

static struct vmbr_vlans *port_vlans(struct kunit *test, enum port_kind kind)
{
	struct vmbr_vlans *vlans;

	vlans = vmbr_vlans_alloc(kind == ACCESS_10 ? 10 :
				 kind == TRUNK_10_20_NATIVE_1 ? 1 : 0);
	KUNIT_ASSERT_NOT_NULL(test, vlans);
	if (kind != ACCESS_10) {
		__set_bit(10, vlans->tagged);
		__set_bit(20, vlans->tagged);
	}
	return vlans;
}

struct vmbr_ingress_case {
	const char *name;
	enum frame_shape shape;
	u16 tci;
	enum port_kind port;
	enum vmbr_drop_reason want;
	u16 want_vid;
	u16 want_prio;
};

#define PRIO(p)	((p) << VLAN_PRIO_SHIFT)

static const struct vmbr_ingress_case vmbr_ingress_cases[] = {
	{ "access: untagged joins its VLAN", UNTAGGED, 0, ACCESS_10,
	  VMBR_DROP_UNSPEC, 10, 0 },
	{ "access: tagged is dropped", HWACCEL, 10, ACCESS_10,
	  VMBR_DROP_VLAN, 0, 0 },
	{ "access: in-band tagged is dropped", INBAND, 10, ACCESS_10,
	  VMBR_DROP_VLAN, 0, 0 },
	{ "access: priority-tagged is untagged", HWACCEL, PRIO(3), ACCESS_10,
	  VMBR_DROP_UNSPEC, 10, PRIO(3) },
	{ "trunk: tagged 20 kept, priority too", HWACCEL, PRIO(5) | 20,
	  TRUNK_10_20_NATIVE_1, VMBR_DROP_UNSPEC, 20, PRIO(5) },
	{ "trunk: in-band tag taken", INBAND, 10, TRUNK_10_20_NATIVE_1,
	  VMBR_DROP_UNSPEC, 10, 0 },
	{ "trunk: in-band tag on a clone", INBAND_CLONED, 20,
	  TRUNK_10_20_NATIVE_1, VMBR_DROP_UNSPEC, 20, 0 },
	{ "trunk: in-band tag in a page", INBAND_PAGED, PRIO(1) | 10,
	  TRUNK_10_20_NATIVE_1, VMBR_DROP_UNSPEC, 10, PRIO(1) },
	{ "trunk: double tag, outer counts", DOUBLE, 10,
	  TRUNK_10_20_NATIVE_1, VMBR_DROP_UNSPEC, 10, 0 },
	{ "trunk: untagged goes native", UNTAGGED, 0, TRUNK_10_20_NATIVE_1,
	  VMBR_DROP_UNSPEC, 1, 0 },
	{ "trunk: VLAN not carried", HWACCEL, 30, TRUNK_10_20_NATIVE_1,
	  VMBR_DROP_VLAN, 0, 0 },
	{ "trunk: VLAN 4095 is malformed", HWACCEL, 4095, TRUNK_10_20_NATIVE_1,
	  VMBR_DROP_MALFORMED, 0, 0 },
	{ "trunk: service tag dropped", HWACCEL_8021AD, 10,
	  TRUNK_10_20_NATIVE_1, VMBR_DROP_VLAN, 0, 0 },
	{ "trunk without native: untagged dropped", UNTAGGED, 0, TRUNK_10_20,
	  VMBR_DROP_VLAN, 0, 0 },
	{ "trunk without native: priority-tagged dropped", HWACCEL, PRIO(2),
	  TRUNK_10_20, VMBR_DROP_VLAN, 0, 0 },
};

static void vmbr_ingress_case_desc(const struct vmbr_ingress_case *c,
				   char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vmbr_ingress, vmbr_ingress_cases, vmbr_ingress_case_desc);

static void vmbr_vlan_test_ingress(struct kunit *test)
{
	const struct vmbr_ingress_case *c = test->param_value;
	struct vmbr_vlans *vlans = port_vlans(test, c->port);
	struct sk_buff *skb = vlan_frame(test, c->shape, c->tci);
	struct sk_buff *orig = NULL;
	enum vmbr_drop_reason got;
	u16 vid = 0, prio = 0;

	if (c->shape == INBAND_CLONED) {
		orig = skb;
		skb = skb_clone(orig, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, skb);
	}
	/* The host's path; a no-op on what a port's driver hands over. */
	KUNIT_ASSERT_EQ(test, vmbr_vlan_untag_inband(skb), 0);
	if (c->shape != UNTAGGED)
		KUNIT_EXPECT_TRUE(test, skb_vlan_tag_present(skb));
	/* What is left at the Ethernet header is never a tag we took. */
	if (c->shape == DOUBLE)
		KUNIT_EXPECT_EQ(test, ntohs(eth_hdr(skb)->h_proto), ETH_P_8021Q);
	else
		KUNIT_EXPECT_EQ(test, ntohs(eth_hdr(skb)->h_proto), ETH_P_IP);
	KUNIT_EXPECT_MEMEQ(test, eth_hdr(skb)->h_source, station, ETH_ALEN);

	got = vmbr_vlan_ingress(vlans, skb, &vid, &prio);
	KUNIT_EXPECT_EQ(test, got, c->want);
	if (got == VMBR_DROP_UNSPEC) {
		KUNIT_EXPECT_EQ(test, vid, c->want_vid);
		KUNIT_EXPECT_EQ(test, prio, c->want_prio);
	}
	if (orig) {
		/* Whoever else holds the frame still sees it tagged. */
		KUNIT_EXPECT_FALSE(test, skb_vlan_tag_present(orig));
		KUNIT_EXPECT_EQ(test, ntohs(eth_hdr(orig)->h_proto),
				ETH_P_8021Q);
		kfree_skb(orig);
	}
	kfree_skb(skb);
	kfree(vlans);
}

static void vmbr_vlan_test_egress(struct kunit *test)
{
	struct vmbr_vlans *access = port_vlans(test, ACCESS_10);
	struct vmbr_vlans *trunk = port_vlans(test, TRUNK_10_20_NATIVE_1);
	struct sk_buff *skb = vlan_frame(test, HWACCEL, 10);

	/* An access port gets its VLAN's frames untagged, no others. */
	KUNIT_EXPECT_TRUE(test, vmbr_vlan_egress(access, skb, 10, PRIO(4)));
	KUNIT_EXPECT_FALSE(test, skb_vlan_tag_present(skb));
	KUNIT_EXPECT_FALSE(test, vmbr_vlan_egress(access, skb, 20, 0));

	/* A trunk tags all but its native VLAN, keeping the priority. */
	KUNIT_EXPECT_TRUE(test, vmbr_vlan_egress(trunk, skb, 20, PRIO(4)));
	KUNIT_EXPECT_TRUE(test, skb_vlan_tag_present(skb));
	KUNIT_EXPECT_EQ(test, ntohs(skb->vlan_proto), ETH_P_8021Q);
	KUNIT_EXPECT_EQ(test, skb_vlan_tag_get_id(skb), 20);
	KUNIT_EXPECT_EQ(test, skb_vlan_tag_get_prio(skb), 4);
	KUNIT_EXPECT_TRUE(test, vmbr_vlan_egress(trunk, skb, 1, 0));
	KUNIT_EXPECT_FALSE(test, skb_vlan_tag_present(skb));
	KUNIT_EXPECT_FALSE(test, vmbr_vlan_egress(trunk, skb, 30, 0));

	/* The tag never counts against the MTU: the frame's length is 1514. */
	KUNIT_EXPECT_EQ(test, skb->len, ETH_HLEN + PAYLOAD);
	kfree_skb(skb);
	kfree(access);
	kfree(trunk);
}

static void vmbr_vlan_test_bitmap(struct kunit *test)
{
	struct vmbr_vlans *vlans = vmbr_vlans_alloc(0);
	u8 *bits = kunit_kzalloc(test, VMBR_VLAN_BITMAP_LEN, GFP_KERNEL);
	u8 *back = kunit_kzalloc(test, VMBR_VLAN_BITMAP_LEN, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, vlans);
	KUNIT_ASSERT_NOT_NULL(test, bits);
	KUNIT_ASSERT_NOT_NULL(test, back);
	/* VLANs 1, 10 and 4094: bit v % 8 of byte v / 8. */
	bits[0] = BIT(1);
	bits[1] = BIT(2);
	bits[511] = BIT(6);
	KUNIT_EXPECT_EQ(test, vmbr_vlans_from_bitmap(vlans, bits, NULL), 0);
	KUNIT_EXPECT_TRUE(test, test_bit(1, vlans->tagged));
	KUNIT_EXPECT_TRUE(test, test_bit(10, vlans->tagged));
	KUNIT_EXPECT_TRUE(test, test_bit(4094, vlans->tagged));
	KUNIT_EXPECT_EQ(test, bitmap_weight(vlans->tagged, VLAN_N_VID), 3);
	vmbr_vlans_to_bitmap(vlans, back);
	KUNIT_EXPECT_MEMEQ(test, back, bits, VMBR_VLAN_BITMAP_LEN);

	/* VLANs 0 and 4095 cannot be carried. */
	bits[0] |= BIT(0);
	KUNIT_EXPECT_EQ(test, vmbr_vlans_from_bitmap(vlans, bits, NULL),
			-EINVAL);
	bits[0] = 0;
	bits[511] = BIT(7);
	KUNIT_EXPECT_EQ(test, vmbr_vlans_from_bitmap(vlans, bits, NULL),
			-EINVAL);
	kfree(vlans);
}

/* Port 0 in VLAN 10, port 1 in VLAN 20, the uplink a trunk of both. */
static void vmbr_vlan_test_flood_stays_in_vlan(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_BRIDGE);
	struct vmbr_port *p10 = t->port[0], *p20 = t->port[1];
	struct vmbr_port *up = t->port[2], *host = &t->vmbr->host;
	struct vmbr *vmbr = t->vmbr;

	rtnl_lock();
	vmbr_port_set_vlans(p10, port_vlans(test, ACCESS_10));
	vmbr_port_set_vlans(p20, vmbr_vlans_alloc(20));
	vmbr_set_uplink_vlans(vmbr, port_vlans(test, TRUNK_10_20));
	rtnl_unlock();

	rcu_read_lock();	/* as in the data path */
	KUNIT_EXPECT_FALSE(test, vmbr_flood_to(vmbr, p10, p20, 10));
	KUNIT_EXPECT_TRUE(test, vmbr_flood_to(vmbr, p10, up, 10));
	KUNIT_EXPECT_FALSE(test, vmbr_flood_to(vmbr, p10, host, 10));
	KUNIT_EXPECT_TRUE(test, vmbr_flood_to(vmbr, up, p20, 20));
	KUNIT_EXPECT_FALSE(test, vmbr_flood_to(vmbr, up, p10, 20));
	KUNIT_EXPECT_FALSE(test, vmbr_flood_to(vmbr, p20, host, 20));
	/* The host sits in VLAN 1, which no port here carries. */
	KUNIT_EXPECT_FALSE(test, vmbr_flood_to(vmbr, host, p10, 1));
	KUNIT_EXPECT_FALSE(test, vmbr_flood_to(vmbr, host, up, 1));
	rcu_read_unlock();
}

static struct kunit_case vmbr_vlan_test_cases[] = {
	KUNIT_CASE_PARAM(vmbr_vlan_test_ingress, vmbr_ingress_gen_params),
	KUNIT_CASE(vmbr_vlan_test_egress),
	KUNIT_CASE(vmbr_vlan_test_bitmap),
	KUNIT_CASE(vmbr_vlan_test_flood_stays_in_vlan),
	{}
};

static struct kunit_suite vmbr_vlan_test_suite = {
	.name = "vmbr_vlan",
	.test_cases = vmbr_vlan_test_cases,
};

kunit_test_suite(vmbr_vlan_test_suite);
