// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge KUnit suites: the fixture they share.  The vmbridge and its
 * ports are real structures on unregistered net_devices, so the code under
 * test runs unchanged; the KUnit resource API tears them down.
 */
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>

#include "vmbr_test.h"

static void vmbr_test_free_port(void *data)
{
	struct vmbr_port *port = data;

	free_percpu(port->stats);
	vmbr_vlans_free(&port->vlans);
	vmbr_guard_free(port);
	vmbr_lock_ip_free(port);
	vmbr_rate_in_free(port);
	free_netdev(port->dev);
	kfree(port);
}

static void vmbr_test_free_vmbr(void *data)
{
	struct vmbr *vmbr = data;

	vmbr_fdb_uninit(vmbr);
	rcu_barrier();	/* FDB entries are freed by RCU callbacks */
	free_percpu(vmbr->host.stats);
	vmbr_vlans_free(&vmbr->host.vlans);
	vmbr_vlans_free(&vmbr->uplink_vlans);
	free_netdev(vmbr->dev);
}

static struct vmbr_port *vmbr_test_port(struct kunit *test, struct vmbr *vmbr,
					enum vmbr_role role)
{
	struct vmbr_port *port = kzalloc(sizeof(*port), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, port);
	port->dev = alloc_etherdev(0);
	KUNIT_ASSERT_NOT_NULL(test, port->dev);
	KUNIT_ASSERT_EQ(test, vmbr_port_stats_init(port), 0);
	port->vmbr = vmbr;
	port->role = role;
	if (role == VMBR_ROLE_GUEST) {
		RCU_INIT_POINTER(port->vlans, vmbr_vlans_alloc(VMBR_DEFAULT_VID));
		KUNIT_ASSERT_NOT_NULL(test, rcu_access_pointer(port->vlans));
	}
	/* "Up", as far as netif_running() can tell. */
	set_bit(__LINK_STATE_START, &port->dev->state);
	list_add_tail(&port->list, &vmbr->ports);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							vmbr_test_free_port,
							port), 0);
	return port;
}

struct vmbr_test *vmbr_test_create(struct kunit *test, u8 mode)
{
	struct vmbr_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct net_device *dev;
	struct vmbr *vmbr;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	dev = alloc_etherdev(sizeof(struct vmbr));
	KUNIT_ASSERT_NOT_NULL(test, dev);
	vmbr = netdev_priv(dev);
	vmbr->dev = dev;
	INIT_LIST_HEAD(&vmbr->ports);
	vmbr->host.vmbr = vmbr;
	vmbr->host.dev = dev;
	vmbr->host.role = VMBR_ROLE_HOST;
	set_bit(__LINK_STATE_START, &dev->state);
	RCU_INIT_POINTER(vmbr->host.vlans, vmbr_vlans_alloc(VMBR_DEFAULT_VID));
	RCU_INIT_POINTER(vmbr->uplink_vlans, vmbr_vlans_alloc(VMBR_DEFAULT_VID));
	KUNIT_ASSERT_NOT_NULL(test, rcu_access_pointer(vmbr->host.vlans));
	KUNIT_ASSERT_NOT_NULL(test, rcu_access_pointer(vmbr->uplink_vlans));
	KUNIT_ASSERT_EQ(test, vmbr_port_stats_init(&vmbr->host), 0);
	KUNIT_ASSERT_EQ(test, vmbr_fdb_init(vmbr), 0);
	rtnl_lock();
	vmbr_set_mode(vmbr, mode);
	rtnl_unlock();

	t->vmbr = vmbr;
	for (i = 0; i < VMBR_TEST_PORTS; i++)
		t->port[i] = vmbr_test_port(test, vmbr,
					    i == VMBR_TEST_PORTS - 1 ?
					    VMBR_ROLE_UPLINK : VMBR_ROLE_GUEST);
	/* Actions run last-in first-out: the FDB goes before its ports. */
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							vmbr_test_free_vmbr,
							vmbr), 0);
	return t;
}
EXPORT_SYMBOL_GPL(vmbr_test_create);

/* A frame as a port's driver hands it up: eth_type_trans() done. */
struct sk_buff *vmbr_test_eth_skb(struct kunit *test, struct net_device *dev,
				  const u8 *dst, const u8 *src,
				  unsigned int payload)
{
	struct sk_buff *skb = alloc_skb(ETH_HLEN + payload, GFP_KERNEL);
	struct ethhdr *eth;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	eth = skb_put(skb, ETH_HLEN);
	ether_addr_copy(eth->h_dest, dst);
	ether_addr_copy(eth->h_source, src);
	eth->h_proto = htons(ETH_P_IP);
	skb_put_zero(skb, payload);
	skb->protocol = eth_type_trans(skb, dev);
	skb_reset_network_header(skb);
	skb_reset_mac_len(skb);
	return skb;
}
EXPORT_SYMBOL_GPL(vmbr_test_eth_skb);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit suites for vmbridge");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
