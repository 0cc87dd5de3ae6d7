// SPDX-License-Identifier: GPL-2.0
/* vmbridge KUnit: the forwarding database. */
#include <linux/etherdevice.h>

#include "vmbr_test.h"

static const u8 mac1[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x01 };
static const u8 mac2[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x02 };
static const u8 mac3[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x03 };

/* The data path learns in softirq under RCU. */
static void learn(struct vmbr_test *t, int port, const u8 *mac, u16 vid)
{
	rcu_read_lock();
	local_bh_disable();
	vmbr_fdb_learn(t->vmbr, t->port[port], mac, vid);
	local_bh_enable();
	rcu_read_unlock();
}

static struct vmbr_port *lookup(struct vmbr_test *t, const u8 *mac, u16 vid)
{
	struct vmbr_port *port;

	rcu_read_lock();
	port = vmbr_fdb_lookup(t->vmbr, mac, vid);
	rcu_read_unlock();
	return port;
}

/* The data path's lookup: BH off, RCU. */
static struct vmbr_port *lookup_fast(struct vmbr_test *t, const u8 *mac,
				     u16 vid)
{
	struct vmbr_port *port;

	rcu_read_lock();
	local_bh_disable();
	port = vmbr_fdb_lookup_fast(t->vmbr, mac, vid);
	local_bh_enable();
	rcu_read_unlock();
	return port;
}

static u64 fdb_full(struct vmbr_port *port)
{
	struct vmbr_stats s;

	vmbr_port_stats_read(port, &s);
	return s.fdb_full;
}

static void vmbr_fdb_test_learn(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_HOSTONLY);

	KUNIT_EXPECT_NULL(test, lookup(t, mac1, 1));
	learn(t, 0, mac1, 1);
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac1, 1), t->port[0]);
	KUNIT_EXPECT_NULL(test, lookup(t, mac2, 1));
	KUNIT_EXPECT_EQ(test, t->vmbr->fdb_count, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->port[0]->fdb_count), 1);
	/* Seeing it again changes nothing. */
	learn(t, 0, mac1, 1);
	KUNIT_EXPECT_EQ(test, t->vmbr->fdb_count, 1);
}

static void vmbr_fdb_test_move(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_HOSTONLY);

	learn(t, 0, mac1, 1);
	learn(t, 1, mac1, 1);
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac1, 1), t->port[1]);
	KUNIT_EXPECT_EQ(test, t->vmbr->fdb_count, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->port[0]->fdb_count), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->port[1]->fdb_count), 1);
}

/*
 * A port skips the lookup for its last source within the jiffy it was
 * confirmed in; any change to the table in between must still be seen.
 */
static void vmbr_fdb_test_seen_again(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_HOSTONLY);

	learn(t, 0, mac1, 1);
	learn(t, 0, mac1, 1);
	learn(t, 1, mac1, 1);
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac1, 1), t->port[1]);
	/* Back to the first port at once: it moves back. */
	learn(t, 0, mac1, 1);
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac1, 1), t->port[0]);
	learn(t, 0, mac1, 1);
	/* Gone, then seen again: learned again. */
	KUNIT_EXPECT_EQ(test, vmbr_fdb_del(t->vmbr, mac1, 1), 0);
	learn(t, 0, mac1, 1);
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac1, 1), t->port[0]);
	vmbr_fdb_flush(t->vmbr, t->port[0], false);
	learn(t, 0, mac1, 1);
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac1, 1), t->port[0]);
	/* Another source of the same port in between. */
	learn(t, 0, mac2, 1);
	learn(t, 1, mac1, 1);
	learn(t, 0, mac1, 1);
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac1, 1), t->port[0]);
	/* The same MAC in another VLAN is another source. */
	learn(t, 0, mac1, 2);
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac1, 2), t->port[0]);
	KUNIT_EXPECT_EQ(test, t->vmbr->fdb_count, 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->port[0]->fdb_count), 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->port[1]->fdb_count), 0);
}

/*
 * The data path's lookup remembers its last answer on each CPU: every
 * change to the table must still be seen at once.  The test's thread may
 * move between CPUs; each CPU's hint must be right anyway.
 */
static void vmbr_fdb_test_lookup_fast(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_HOSTONLY);

	KUNIT_EXPECT_NULL(test, lookup_fast(t, mac1, 1));
	KUNIT_EXPECT_NULL(test, lookup_fast(t, mac1, 1));
	learn(t, 0, mac1, 1);
	KUNIT_EXPECT_PTR_EQ(test, lookup_fast(t, mac1, 1), t->port[0]);
	KUNIT_EXPECT_PTR_EQ(test, lookup_fast(t, mac1, 1), t->port[0]);
	KUNIT_EXPECT_NULL(test, lookup_fast(t, mac1, 2));
	KUNIT_EXPECT_NULL(test, lookup_fast(t, mac2, 1));
	learn(t, 1, mac1, 1);
	KUNIT_EXPECT_PTR_EQ(test, lookup_fast(t, mac1, 1), t->port[1]);
	KUNIT_ASSERT_EQ(test, vmbr_fdb_add_static(t->vmbr, t->port[0], mac1, 1,
						  NULL), 0);
	KUNIT_EXPECT_PTR_EQ(test, lookup_fast(t, mac1, 1), t->port[0]);
	KUNIT_EXPECT_EQ(test, vmbr_fdb_del(t->vmbr, mac1, 1), 0);
	KUNIT_EXPECT_NULL(test, lookup_fast(t, mac1, 1));
	learn(t, 1, mac1, 1);
	KUNIT_EXPECT_PTR_EQ(test, lookup_fast(t, mac1, 1), t->port[1]);
	vmbr_fdb_flush(t->vmbr, t->port[1], false);
	KUNIT_EXPECT_NULL(test, lookup_fast(t, mac1, 1));
	/* Ageing takes an entry away as surely. */
	learn(t, 0, mac2, 1);
	KUNIT_EXPECT_PTR_EQ(test, lookup_fast(t, mac2, 1), t->port[0]);
	KUNIT_EXPECT_EQ(test, vmbr_fdb_expire(t->vmbr,
					      jiffies + t->vmbr->ageing + HZ), 1);
	KUNIT_EXPECT_NULL(test, lookup_fast(t, mac2, 1));
}

static void vmbr_fdb_test_static_stays(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_HOSTONLY);

	KUNIT_ASSERT_EQ(test, vmbr_fdb_add_static(t->vmbr, t->port[0], mac1, 1,
						  NULL), 0);
	learn(t, 1, mac1, 1);
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac1, 1), t->port[0]);
	/* A static entry replaces a learned one. */
	learn(t, 1, mac2, 1);
	KUNIT_ASSERT_EQ(test, vmbr_fdb_add_static(t->vmbr, t->port[0], mac2, 1,
						  NULL), 0);
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac2, 1), t->port[0]);
	KUNIT_EXPECT_EQ(test, t->vmbr->fdb_count, 2);
}

static void vmbr_fdb_test_ageing(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_HOSTONLY);
	unsigned long now = jiffies;

	learn(t, 0, mac1, 1);
	KUNIT_ASSERT_EQ(test, vmbr_fdb_add_static(t->vmbr, t->port[0], mac2, 1,
						  NULL), 0);
	KUNIT_EXPECT_EQ(test, vmbr_fdb_expire(t->vmbr, now), 0);
	KUNIT_EXPECT_EQ(test, vmbr_fdb_expire(t->vmbr,
					      now + t->vmbr->ageing + HZ), 1);
	KUNIT_EXPECT_NULL(test, lookup(t, mac1, 1));
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac2, 1), t->port[0]);
	KUNIT_EXPECT_EQ(test, t->vmbr->fdb_count, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->port[0]->fdb_count), 1);
}

static void vmbr_fdb_test_limit(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_HOSTONLY);

	t->vmbr->max_fdb = 2;
	learn(t, 0, mac1, 1);
	learn(t, 0, mac2, 1);
	learn(t, 1, mac3, 1);
	KUNIT_EXPECT_EQ(test, t->vmbr->fdb_count, 2);
	KUNIT_EXPECT_NULL(test, lookup(t, mac3, 1));
	KUNIT_EXPECT_EQ(test, fdb_full(t->port[1]), 1);
	KUNIT_EXPECT_EQ(test, fdb_full(t->port[0]), 0);
	/* Known entries still refresh and move when the table is full. */
	learn(t, 1, mac1, 1);
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac1, 1), t->port[1]);
	KUNIT_EXPECT_EQ(test, vmbr_fdb_add_static(t->vmbr, t->port[0], mac3, 1,
						  NULL), -ENOSPC);
}

static u64 max_macs_hit(struct vmbr_port *port)
{
	struct vmbr_stats s;

	vmbr_port_stats_read(port, &s);
	return s.max_macs;
}

/* A move is a MAC more for its new port: max-macs bounds it too. */
static void vmbr_fdb_test_move_bounded(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_HOSTONLY);

	WRITE_ONCE(t->port[1]->max_macs, 1);
	learn(t, 1, mac2, 1);
	learn(t, 0, mac1, 1);
	learn(t, 1, mac1, 1);
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac1, 1), t->port[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->port[1]->fdb_count), 1);
	KUNIT_EXPECT_EQ(test, max_macs_hit(t->port[1]), 1);
	/* Once it has room, the move goes through. */
	WRITE_ONCE(t->port[1]->max_macs, 2);
	learn(t, 1, mac1, 1);
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac1, 1), t->port[1]);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->port[1]->fdb_count), 2);
}

/*
 * The uplink (forged sources from the wire) fills at most three quarters
 * of max-fdb; the guests keep the rest.
 */
static void vmbr_fdb_test_uplink_share(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_BRIDGE);
	u8 mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0x10, 0 };
	int i;

	t->vmbr->max_fdb = 8;
	for (i = 0; i < 8; i++) {
		mac[ETH_ALEN - 1] = i;
		learn(t, 2, mac, 1);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&t->port[2]->fdb_count), 6);
	KUNIT_EXPECT_EQ(test, max_macs_hit(t->port[2]), 2);
	learn(t, 0, mac1, 1);
	learn(t, 1, mac2, 1);
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac1, 1), t->port[0]);
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac2, 1), t->port[1]);
	KUNIT_EXPECT_EQ(test, t->vmbr->fdb_count, 8);
	/* A guest's MAC seen on the uplink: not moved past its share. */
	learn(t, 2, mac1, 1);
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac1, 1), t->port[0]);
}

static void vmbr_fdb_test_vlans(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_HOSTONLY);

	learn(t, 0, mac1, 10);
	learn(t, 1, mac1, 20);
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac1, 10), t->port[0]);
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac1, 20), t->port[1]);
	KUNIT_EXPECT_NULL(test, lookup(t, mac1, 1));
	KUNIT_EXPECT_EQ(test, t->vmbr->fdb_count, 2);
}

static void vmbr_fdb_test_flush_del(struct kunit *test)
{
	struct vmbr_test *t = vmbr_test_create(test, VMBR_MODE_HOSTONLY);

	learn(t, 0, mac1, 1);
	learn(t, 1, mac2, 1);
	KUNIT_ASSERT_EQ(test, vmbr_fdb_add_static(t->vmbr, t->port[0], mac3, 1,
						  NULL), 0);
	vmbr_fdb_flush(t->vmbr, t->port[0], false);
	KUNIT_EXPECT_NULL(test, lookup(t, mac1, 1));
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac2, 1), t->port[1]);
	KUNIT_EXPECT_PTR_EQ(test, lookup(t, mac3, 1), t->port[0]);
	KUNIT_EXPECT_EQ(test, vmbr_fdb_del(t->vmbr, mac3, 1), 0);
	KUNIT_EXPECT_EQ(test, vmbr_fdb_del(t->vmbr, mac3, 1), -ENOENT);
	vmbr_fdb_flush(t->vmbr, NULL, true);
	KUNIT_EXPECT_EQ(test, t->vmbr->fdb_count, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->port[1]->fdb_count), 0);
}

static struct kunit_case vmbr_fdb_test_cases[] = {
	KUNIT_CASE(vmbr_fdb_test_learn),
	KUNIT_CASE(vmbr_fdb_test_move),
	KUNIT_CASE(vmbr_fdb_test_seen_again),
	KUNIT_CASE(vmbr_fdb_test_lookup_fast),
	KUNIT_CASE(vmbr_fdb_test_static_stays),
	KUNIT_CASE(vmbr_fdb_test_ageing),
	KUNIT_CASE(vmbr_fdb_test_limit),
	KUNIT_CASE(vmbr_fdb_test_move_bounded),
	KUNIT_CASE(vmbr_fdb_test_uplink_share),
	KUNIT_CASE(vmbr_fdb_test_vlans),
	KUNIT_CASE(vmbr_fdb_test_flush_del),
	{}
};

static struct kunit_suite vmbr_fdb_test_suite = {
	.name = "vmbr_fdb",
	.test_cases = vmbr_fdb_test_cases,
};

kunit_test_suite(vmbr_fdb_test_suite);
