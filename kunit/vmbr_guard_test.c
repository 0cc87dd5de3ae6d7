// SPDX-License-Identifier: GPL-2.0
/* vmbridge KUnit: the guards of a guest port. */
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>

#include "vmbr_test.h"

static const u8 mac_a[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const u8 mac_b[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b };
static const u8 mac_c[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0c };

/* A netlink attribute holding @len bytes of @data, for the parsers. */
static struct nlattr *attr_of(struct kunit *test, const void *data, int len)
{
	struct nlattr *nla = kunit_kzalloc(test, nla_total_size(len),
					   GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, nla);
	nla->nla_len = nla_attr_size(len);
	nla->nla_type = VMBR_PORT_A_LOCK_MAC;
	memcpy(nla_data(nla), data, len);
	return nla;
}

static void vmbr_guard_test_lock_mac(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_HOSTONLY);
	struct vmbr_port *port = t->port[0];
	u8 two[2][ETH_ALEN], bad[2][ETH_ALEN];
	struct vmbr_lock_mac *lock;

	rcu_read_lock();
	KUNIT_EXPECT_TRUE(test, vmbr_guard_src_ok(port, mac_c));
	rcu_read_unlock();

	ether_addr_copy(two[0], mac_a);
	ether_addr_copy(two[1], mac_b);
	lock = vmbr_lock_mac_parse(attr_of(test, two, sizeof(two)), NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(lock));
	rtnl_lock();
	vmbr_guard_set_lock_mac(port, lock);
	rtnl_unlock();
	rcu_read_lock();
	KUNIT_EXPECT_TRUE(test, vmbr_guard_src_ok(port, mac_a));
	KUNIT_EXPECT_TRUE(test, vmbr_guard_src_ok(port, mac_b));
	KUNIT_EXPECT_FALSE(test, vmbr_guard_src_ok(port, mac_c));
	/* Other ports are not locked by it. */
	KUNIT_EXPECT_TRUE(test, vmbr_guard_src_ok(t->port[1], mac_c));
	rcu_read_unlock();

	/* An empty list is no lock; bad lists are refused whole. */
	KUNIT_EXPECT_NULL(test, vmbr_lock_mac_parse(attr_of(test, two, 0),
						    NULL));
	KUNIT_EXPECT_EQ(test, PTR_ERR(vmbr_lock_mac_parse(attr_of(test, two, 7),
							  NULL)), -EINVAL);
	ether_addr_copy(bad[0], mac_a);
	ether_addr_copy(bad[1], mac_a);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vmbr_lock_mac_parse(attr_of(test, bad,
								  sizeof(bad)),
							  NULL)), -EINVAL);
	eth_broadcast_addr(bad[1]);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vmbr_lock_mac_parse(attr_of(test, bad,
								  sizeof(bad)),
							  NULL)), -EINVAL);

	rtnl_lock();
	vmbr_guard_set_lock_mac(port, NULL);
	rtnl_unlock();
	rcu_read_lock();
	KUNIT_EXPECT_TRUE(test, vmbr_guard_src_ok(port, mac_c));
	rcu_read_unlock();
	synchronize_rcu();	/* the old list's kfree_rcu() before teardown */
}

static void vmbr_guard_test_max_macs(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_HOSTONLY);
	struct vmbr_port *port = t->port[0];
	struct vmbr_stats s;

	WRITE_ONCE(port->max_macs, 2);
	rcu_read_lock();
	vmbr_fdb_learn(t->vmbr, port, mac_a, 1);
	vmbr_fdb_learn(t->vmbr, port, mac_b, 1);
	vmbr_fdb_learn(t->vmbr, port, mac_c, 1);
	KUNIT_EXPECT_PTR_EQ(test, vmbr_fdb_lookup(t->vmbr, mac_b, 1), port);
	KUNIT_EXPECT_NULL(test, vmbr_fdb_lookup(t->vmbr, mac_c, 1));
	/* Another port is not bound by it. */
	vmbr_fdb_learn(t->vmbr, t->port[1], mac_c, 1);
	KUNIT_EXPECT_PTR_EQ(test, vmbr_fdb_lookup(t->vmbr, mac_c, 1),
			    t->port[1]);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, atomic_read(&port->fdb_count), 2);
	vmbr_port_stats_read(port, &s);
	KUNIT_EXPECT_EQ(test, s.max_macs, 1);
	KUNIT_EXPECT_EQ(test, s.fdb_full, 0);
}

static void vmbr_guard_test_isolated(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_BRIDGE);
	struct vmbr_port *g0 = t->port[0], *g1 = t->port[1], *up = t->port[2];

	WRITE_ONCE(g0->isolated, true);
	rcu_read_lock();
	KUNIT_EXPECT_TRUE(test, vmbr_flood_to(t->vmbr, g0, g1, 1));
	WRITE_ONCE(g1->isolated, true);
	/* Two isolated guests: apart; each still reaches the rest. */
	KUNIT_EXPECT_FALSE(test, vmbr_flood_to(t->vmbr, g0, g1, 1));
	KUNIT_EXPECT_FALSE(test, vmbr_flood_to(t->vmbr, g1, g0, 1));
	KUNIT_EXPECT_TRUE(test, vmbr_flood_to(t->vmbr, g0, up, 1));
	KUNIT_EXPECT_TRUE(test, vmbr_flood_to(t->vmbr, g0, &t->vmbr->host, 1));
	KUNIT_EXPECT_TRUE(test, vmbr_flood_to(t->vmbr, up, g1, 1));
	rcu_read_unlock();
}

/* 100 frames a second: a burst of 10 (a tenth of a second), then 1 per 10 ms. */
static void vmbr_guard_test_bum_rate(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_HOSTONLY);
	struct vmbr_port *port = t->port[0];
	u64 now = 1000 * NSEC_PER_SEC;
	int i, passed = 0;

	KUNIT_EXPECT_TRUE(test, vmbr_guard_bum_ok(port, now));	/* no limit */
	vmbr_guard_set_bum_rate(port, 100);
	for (i = 0; i < 1000; i++)
		passed += vmbr_guard_bum_ok(port, now);
	KUNIT_EXPECT_GE(test, passed, 10);
	KUNIT_EXPECT_LE(test, passed, 12);

	/* One second on: about 100 more, however many are tried. */
	passed = 0;
	for (i = 0; i < 10000; i++)
		passed += vmbr_guard_bum_ok(port, now + NSEC_PER_SEC * i / 10000);
	KUNIT_EXPECT_GE(test, passed, 95);
	KUNIT_EXPECT_LE(test, passed, 112);

	/* A quiet port gets its burst back, and no more. */
	passed = 0;
	for (i = 0; i < 1000; i++)
		passed += vmbr_guard_bum_ok(port, now + 60 * NSEC_PER_SEC);
	KUNIT_EXPECT_GE(test, passed, 10);
	KUNIT_EXPECT_LE(test, passed, 12);
}

static struct kunit_case vmbr_guard_test_cases[] = {
	KUNIT_CASE(vmbr_guard_test_lock_mac),
	KUNIT_CASE(vmbr_guard_test_max_macs),
	KUNIT_CASE(vmbr_guard_test_isolated),
	KUNIT_CASE(vmbr_guard_test_bum_rate),
	{}
};

static struct kunit_suite vmbr_guard_test_suite = {
	.name = "vmbr_guard",
	.test_cases = vmbr_guard_test_cases,
};

kunit_test_suite(vmbr_guard_test_suite);
