// SPDX-License-Identifier: GPL-2.0
/* vmbridge KUnit: rate-in's token bucket, a frame's wire length, the limits' checks. */
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/rtnetlink.h>
#include <linux/tcp.h>
#include <net/netlink.h>

#include "vmbr_test.h"

/* A fake clock: far from 0, as ktime_get_ns() is on a host up a while. */
#define T0	(1000 * NSEC_PER_SEC)

static void free_rate(void *rate)
{
	kfree(rate);
}

static void free_skb(void *skb)
{
	kfree_skb(skb);
}

static struct vmbr_rate *rate_new(struct kunit *test, u64 bytes_ps, u32 burst)
{
	struct vmbr_rate_cfg cfg = { .bytes_ps = bytes_ps, .burst = burst };
	struct vmbr_rate *rate = vmbr_rate_alloc(&cfg, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, rate);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							free_rate, rate), 0);
	return rate;
}

/* A full bucket passes the burst at once, then the rate. */
static void vmbr_rate_test_burst(struct kunit *test)
{
	struct vmbr_rate *rate = rate_new(test, 125000, 10000);	/* 1 Mbit/s */
	int i, passed = 0;

	for (i = 0; i < 100; i++)
		passed += vmbr_rate_conform(rate, 1000, T0);
	KUNIT_EXPECT_EQ(test, passed, 10);
	/* 1000 bytes take 8 ms at 1 Mbit/s: not before, and then one. */
	KUNIT_EXPECT_FALSE(test, vmbr_rate_conform(rate, 1000, T0 + 7900000));
	KUNIT_EXPECT_TRUE(test, vmbr_rate_conform(rate, 1000, T0 + 8000000));
	KUNIT_EXPECT_FALSE(test, vmbr_rate_conform(rate, 1000, T0 + 8000000));
	/* A small frame fits where a large one does not. */
	KUNIT_EXPECT_FALSE(test, vmbr_rate_conform(rate, 1000, T0 + 12000000));
	KUNIT_EXPECT_TRUE(test, vmbr_rate_conform(rate, 500, T0 + 12000000));

	/* A quiet port gets its burst back, and no more. */
	passed = 0;
	for (i = 0; i < 100; i++)
		passed += vmbr_rate_conform(rate, 1000, T0 + 60 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, passed, 10);
}

/*
 * Offered three times the rate for ten seconds, it passes the rate and
 * the burst, give or take a frame; a slower sender passes whole.
 */
static void vmbr_rate_test_refill(struct kunit *test)
{
	const u64 bytes_ps = 1250000, burst = 65536;	/* 10 Mbit/s */
	struct vmbr_rate *rate = rate_new(test, bytes_ps, burst);
	struct vmbr_rate *slow = rate_new(test, bytes_ps, burst);
	u64 passed = 0, slow_passed = 0, t;

	/* 1500 bytes every 400 us: 3.75 MB/s; the slow one every 2 ms. */
	for (t = 0; t < 10 * NSEC_PER_SEC; t += 400000) {
		if (vmbr_rate_conform(rate, 1500, T0 + t))
			passed += 1500;
		if (!(t % 2000000) && vmbr_rate_conform(slow, 1500, T0 + t))
			slow_passed += 1500;
	}
	KUNIT_EXPECT_LE(test, passed, 10 * bytes_ps + burst);
	KUNIT_EXPECT_GE(test, passed, 10 * bytes_ps + burst - 2 * 1500);
	KUNIT_EXPECT_EQ(test, slow_passed, 5000ULL * 1500);
}

/*
 * A GSO super-packet larger than the burst passes on a full bucket and
 * leaves a debt the next frames wait out.
 */
static void vmbr_rate_test_debt(struct kunit *test)
{
	/* 1 MB/s: a byte is 1 us; the burst is 16384 us, 65536 bytes 65536 us. */
	struct vmbr_rate *rate = rate_new(test, 1000000, 16384);

	KUNIT_EXPECT_TRUE(test, vmbr_rate_conform(rate, 65536, T0));
	/* Debt: 65536 - 16384 us, less the 100 us of the next frame. */
	KUNIT_EXPECT_FALSE(test, vmbr_rate_conform(rate, 100, T0 + 49000000));
	KUNIT_EXPECT_TRUE(test, vmbr_rate_conform(rate, 100, T0 + 49300000));
	/* Another super-packet needs the bucket full again. */
	KUNIT_EXPECT_FALSE(test, vmbr_rate_conform(rate, 65536, T0 + 65000000));
	KUNIT_EXPECT_TRUE(test, vmbr_rate_conform(rate, 65536, T0 + 65700000));
}

/* A TCP frame of @segs segments of @mss, as a TAP hands a GSO frame up. */
static struct sk_buff *tcp_skb(struct kunit *test, struct net_device *dev,
			       unsigned int segs, unsigned int mss)
{
	static const u8 dst[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x0a };
	static const u8 src[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x0b };
	unsigned int hdrs = sizeof(struct iphdr) + sizeof(struct tcphdr);
	struct sk_buff *skb;
	struct tcphdr *th;

	skb = vmbr_test_eth_skb(test, dev, dst, src, hdrs + segs * mss);
	skb_set_transport_header(skb, sizeof(struct iphdr));
	th = tcp_hdr(skb);
	th->doff = sizeof(struct tcphdr) / 4;
	if (segs > 1) {
		skb_shinfo(skb)->gso_size = mss;
		skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	}
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							free_skb, skb), 0);
	return skb;
}

static void vmbr_rate_test_wire_len(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_BRIDGE);
	struct net_device *dev = t->port[0]->dev;
	const unsigned int hdrs = ETH_HLEN + 20 + 20;
	struct sk_buff *skb;

	/* One frame: its bytes with the Ethernet header. */
	skb = tcp_skb(test, dev, 1, 1000);
	KUNIT_EXPECT_EQ(test, vmbr_rate_wire_len(skb), hdrs + 1000);

	/* GSO, gso_segs not counted yet (a TAP's): each segment's headers. */
	skb = tcp_skb(test, dev, 10, 1448);
	KUNIT_EXPECT_EQ(test, vmbr_rate_wire_len(skb), 10 * hdrs + 10 * 1448);
	/* The last segment short; gso_segs as the stack counted it. */
	skb = tcp_skb(test, dev, 3, 1000);
	skb_shinfo(skb)->gso_size = 1200;
	KUNIT_EXPECT_EQ(test, vmbr_rate_wire_len(skb), 3 * hdrs + 3000);
	skb_shinfo(skb)->gso_segs = 3;
	KUNIT_EXPECT_EQ(test, vmbr_rate_wire_len(skb), 3 * hdrs + 3000);

	/* A tag out of band is on every segment's wire too. */
	skb = tcp_skb(test, dev, 4, 1448);
	__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), 10);
	KUNIT_EXPECT_EQ(test, vmbr_rate_wire_len(skb),
			4 * (hdrs + VLAN_HLEN) + 4 * 1448);
}

/* A rate nest of @bytes_ps (0: none) and @burst (0: none) for the parser. */
static struct nlattr *rate_nest(struct kunit *test, u64 bytes_ps, u32 burst)
{
	struct sk_buff *skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	struct nlattr *nest;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							free_skb, skb), 0);
	nest = nla_nest_start(skb, VMBR_PORT_A_RATE_IN);
	KUNIT_ASSERT_NOT_NULL(test, nest);
	if (bytes_ps)
		KUNIT_ASSERT_EQ(test, nla_put_u64_64bit(skb, VMBR_RATE_A_BYTES_PS,
							bytes_ps,
							VMBR_RATE_A_PAD), 0);
	if (burst)
		KUNIT_ASSERT_EQ(test, nla_put_u32(skb, VMBR_RATE_A_BURST, burst),
				0);
	nla_nest_end(skb, nest);
	return nest;
}

static int rate_parse(struct kunit *test, struct net_device *dev,
		      u64 bytes_ps, u32 burst, struct vmbr_rate_cfg *cfg)
{
	struct nlattr *nest = rate_nest(test, bytes_ps, burst);
	struct netlink_ext_ack extack = {};
	int err;

	rtnl_lock();
	err = vmbr_rate_parse(dev, nest, "rate-in", cfg, &extack);
	rtnl_unlock();
	if (err)
		KUNIT_EXPECT_NOT_NULL(test, extack._msg);	/* says why */
	return err;
}

static void vmbr_rate_test_parse(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_BRIDGE);
	struct net_device *dev = t->port[0]->dev;	/* MTU 1500 */
	struct vmbr_rate_cfg cfg;

	/* An empty nest: no limit. */
	KUNIT_EXPECT_EQ(test, rate_parse(test, dev, 0, 0, &cfg), 0);
	KUNIT_EXPECT_EQ(test, cfg.bytes_ps, 0ULL);
	/* 20 Mbit/s: 20 ms is 50000 bytes, less than the 64 KiB floor. */
	KUNIT_EXPECT_EQ(test, rate_parse(test, dev, 2500000, 0, &cfg), 0);
	KUNIT_EXPECT_EQ(test, cfg.bytes_ps, 2500000ULL);
	KUNIT_EXPECT_EQ(test, cfg.burst, 65536U);
	/* 1 Gbit/s: 20 ms. */
	KUNIT_EXPECT_EQ(test, rate_parse(test, dev, 125000000, 0, &cfg), 0);
	KUNIT_EXPECT_EQ(test, cfg.burst, 2500000U);
	/* A burst as asked, if one frame of the MTU fits. */
	KUNIT_EXPECT_EQ(test, rate_parse(test, dev, 2500000, 1518, &cfg), 0);
	KUNIT_EXPECT_EQ(test, cfg.burst, 1518U);
	KUNIT_EXPECT_EQ(test, rate_parse(test, dev, 2500000, 1517, &cfg),
			-EINVAL);
	/* 0, no rate with a burst, and beyond any device: refused. */
	KUNIT_EXPECT_EQ(test, rate_parse(test, dev, 0, 32768, &cfg), -EINVAL);
	KUNIT_EXPECT_EQ(test, rate_parse(test, dev, VMBR_RATE_MAX + 1, 0, &cfg),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, rate_parse(test, dev, VMBR_RATE_MAX, 0, &cfg), 0);
}

/* The port's data-path check: free without a limit, the bucket with one. */
static void vmbr_rate_test_port(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_BRIDGE);
	struct vmbr_port *port = t->port[0];
	struct vmbr_rate_cfg cfg = { .bytes_ps = 1000, .burst = 3000 };
	struct sk_buff *skb = tcp_skb(test, port->dev, 1, 1000 - 54);
	int i, passed = 0;

	rcu_read_lock();
	for (i = 0; i < 10; i++)
		passed += vmbr_rate_in_ok(port, skb);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, passed, 10);

	rtnl_lock();
	vmbr_rate_in_set(port, vmbr_rate_alloc(&cfg, GFP_KERNEL));
	rtnl_unlock();
	passed = 0;
	rcu_read_lock();
	for (i = 0; i < 10; i++)
		passed += vmbr_rate_in_ok(port, skb);
	/* The other guest has no limit. */
	KUNIT_EXPECT_TRUE(test, vmbr_rate_in_ok(t->port[1], skb));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, passed, 3);

	rtnl_lock();
	vmbr_rate_in_set(port, NULL);
	rtnl_unlock();
	rcu_read_lock();
	KUNIT_EXPECT_TRUE(test, vmbr_rate_in_ok(port, skb));
	rcu_read_unlock();
}

static struct kunit_case vmbr_rate_test_cases[] = {
	KUNIT_CASE(vmbr_rate_test_burst),
	KUNIT_CASE(vmbr_rate_test_refill),
	KUNIT_CASE(vmbr_rate_test_debt),
	KUNIT_CASE(vmbr_rate_test_wire_len),
	KUNIT_CASE(vmbr_rate_test_parse),
	KUNIT_CASE(vmbr_rate_test_port),
	{}
};

static struct kunit_suite vmbr_rate_test_suite = {
	.name = "vmbr_rate",
	.test_cases = vmbr_rate_test_cases,
};

kunit_test_suite(vmbr_rate_test_suite);
