// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge: the vmbridge net_device itself (vmbr0), the host's side of the
 * switch.  Its transmit path is the host sending to guests; its receive
 * side is fed by vmbr_forward.c.  Created and deleted through rtnetlink
 * ("ip link add vmbr0 type vmbridge"); ports attach with ndo_add_slave.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <net/rtnetlink.h>

#include "vmbr.h"

/* Who may reach whom in each mode, by role (bitmaps of enum vmbr_role). */
#define R(role)	BIT(VMBR_ROLE_##role)
static const u8 vmbr_mode_reach[__VMBR_MODE_MAX][VMBR_ROLE_COUNT] = {
	[VMBR_MODE_HOSTONLY] = {
		[VMBR_ROLE_GUEST]	= R(GUEST) | R(HOST),
		[VMBR_ROLE_HOST]	= R(GUEST),
	},
	[VMBR_MODE_BRIDGE] = {
		[VMBR_ROLE_GUEST]	= R(GUEST) | R(HOST) | R(UPLINK),
		[VMBR_ROLE_HOST]	= R(GUEST) | R(UPLINK),
		[VMBR_ROLE_UPLINK]	= R(GUEST) | R(HOST),
	},
	/* The uplink is reached at layer 3, through the NAT (vmbr_nat.c). */
	[VMBR_MODE_NAT] = {
		[VMBR_ROLE_GUEST]	= R(GUEST) | R(HOST),
		[VMBR_ROLE_HOST]	= R(GUEST),
	},
	[VMBR_MODE_PRIVATE] = {
		[VMBR_ROLE_GUEST]	= R(GUEST),
	},
};

#undef R

bool netif_is_vmbridge(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &vmbr_link_ops;
}

/* RTNL.  The caller has made the uplink's promiscuity fit the new mode. */
void vmbr_set_mode(struct vmbr *vmbr, u8 mode)
{
	int role;

	ASSERT_RTNL();
	WRITE_ONCE(vmbr->mode, mode);
	for (role = 0; role < VMBR_ROLE_COUNT; role++)
		WRITE_ONCE(vmbr->reach[role], vmbr_mode_reach[mode][role]);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_set_mode);

/* The host sends: forward to the guests (and, in bridge mode, the LAN). */
static netdev_tx_t vmbr_dev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct vmbr *vmbr = netdev_priv(dev);
	struct vmbr_port *host = &vmbr->host;
	enum vmbr_drop_reason reason;
	u16 vid, prio;

	rcu_read_lock();
	if (unlikely(!pskb_may_pull(skb, ETH_HLEN))) {
		vmbr_drop(host, skb, VMBR_DROP_MALFORMED);
		goto out;
	}
	skb_reset_mac_header(skb);
	vmbr_count_rx(host, skb->len);
	if (unlikely(vmbr_vlan_untag_inband(skb))) {
		vmbr_drop(host, skb, VMBR_DROP_MALFORMED);
		goto out;
	}
	reason = vmbr_vlan_ingress(vmbr_port_vlans(host), skb, &vid, &prio);
	if (unlikely(reason)) {
		vmbr_drop(host, skb, reason);
		goto out;
	}

	if (is_multicast_ether_addr(eth_hdr(skb)->h_dest))
		vmbr_flood(vmbr, host, skb, vid, prio, true);
	else
		vmbr_forward(vmbr, host, skb, vid, prio);
out:
	rcu_read_unlock();
	return NETDEV_TX_OK;
}

static int vmbr_dev_init(struct net_device *dev)
{
	struct vmbr *vmbr = netdev_priv(dev);
	int err;

	vmbr->dev = dev;
	INIT_LIST_HEAD(&vmbr->ports);
	vmbr->host.vmbr = vmbr;
	vmbr->host.dev = dev;
	vmbr->host.role = VMBR_ROLE_HOST;
	INIT_LIST_HEAD(&vmbr->host.list);
	/* The host and the uplink start untagged in VLAN 1, like guests. */
	RCU_INIT_POINTER(vmbr->host.vlans, vmbr_vlans_alloc(VMBR_DEFAULT_VID));
	RCU_INIT_POINTER(vmbr->uplink_vlans, vmbr_vlans_alloc(VMBR_DEFAULT_VID));
	err = -ENOMEM;
	if (!rcu_access_pointer(vmbr->host.vlans) ||
	    !rcu_access_pointer(vmbr->uplink_vlans))
		goto err_vlans;
	err = vmbr_port_stats_init(&vmbr->host);
	if (err)
		goto err_vlans;
	err = vmbr_fdb_init(vmbr);
	if (err)
		goto err_stats;
	err = vmbr_nat_init(&vmbr->nat);
	if (err)
		goto err_fdb;
	vmbr_set_mode(vmbr, VMBR_MODE_HOSTONLY);
	return 0;

err_fdb:
	vmbr_fdb_uninit(vmbr);
err_stats:
	free_percpu(vmbr->host.stats);
err_vlans:
	vmbr_vlans_free(&vmbr->host.vlans);
	vmbr_vlans_free(&vmbr->uplink_vlans);
	return err;
}

/*
 * After the core's grace period (unregister_netdevice_many()): no rx
 * handler, transmit or LOCAL_OUT hook of this vmbridge runs any more, as
 * vmbr_dellink() took the ports and the hook away before it.
 */
static void vmbr_dev_uninit(struct net_device *dev)
{
	struct vmbr *vmbr = netdev_priv(dev);

	vmbr_port_del_all(vmbr);
	if (WARN_ON_ONCE(vmbr->nat.local_net)) {
		vmbr_nat_local_hook(&vmbr->nat, NULL, false);
		synchronize_net();
	}
	vmbr_nat_uninit(&vmbr->nat);
	vmbr_fdb_uninit(vmbr);
}

static void vmbr_dev_free(struct net_device *dev)
{
	struct vmbr *vmbr = netdev_priv(dev);

	free_percpu(vmbr->host.stats);
	vmbr_vlans_free(&vmbr->host.vlans);
	vmbr_vlans_free(&vmbr->uplink_vlans);
	vmbr_vni_map_free(rcu_dereference_protected(vmbr->vni_map, true));
}

static int vmbr_dev_open(struct net_device *dev)
{
	netif_carrier_on(dev);
	return 0;
}

static int vmbr_dev_stop(struct net_device *dev)
{
	netif_carrier_off(dev);
	return 0;
}

/* The host's view: what the vmbridge delivered to it is its rx. */
static void vmbr_dev_get_stats64(struct net_device *dev,
				 struct rtnl_link_stats64 *stats)
{
	struct vmbr *vmbr = netdev_priv(dev);
	struct vmbr_stats sum;
	int reason;

	vmbr_port_stats_read(&vmbr->host, &sum);
	stats->rx_packets = sum.tx_packets;
	stats->rx_bytes = sum.tx_bytes;
	stats->tx_packets = sum.rx_packets;
	stats->tx_bytes = sum.rx_bytes;
	for (reason = 0; reason < __VMBR_DROP_MAX; reason++)
		stats->tx_dropped += sum.drops[reason];
}

static int vmbr_dev_add_slave(struct net_device *dev,
			      struct net_device *slave_dev,
			      struct netlink_ext_ack *extack)
{
	return vmbr_port_add(netdev_priv(dev), slave_dev, VMBR_ROLE_GUEST,
			     NULL, extack);
}

static int vmbr_dev_del_slave(struct net_device *dev,
			      struct net_device *slave_dev)
{
	struct vmbr_port *port = vmbr_port_get_rtnl(slave_dev);

	if (!port || port->vmbr != netdev_priv(dev) ||
	    port->role != VMBR_ROLE_GUEST)
		return -EINVAL;
	vmbr_port_del(port);
	return 0;
}

static const struct net_device_ops vmbr_netdev_ops = {
	.ndo_init		= vmbr_dev_init,
	.ndo_uninit		= vmbr_dev_uninit,
	.ndo_open		= vmbr_dev_open,
	.ndo_stop		= vmbr_dev_stop,
	.ndo_start_xmit		= vmbr_dev_xmit,
	.ndo_get_stats64	= vmbr_dev_get_stats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_add_slave		= vmbr_dev_add_slave,
	.ndo_del_slave		= vmbr_dev_del_slave,
	.ndo_fdb_dump		= vmbr_ndo_fdb_dump,
	.ndo_fdb_add		= vmbr_ndo_fdb_add,
	.ndo_fdb_del		= vmbr_ndo_fdb_del,
};

#define VMBR_FEATURES (NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_HW_CSUM | \
		       NETIF_F_HIGHDMA | NETIF_F_GSO_SOFTWARE |		\
		       NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_STAG_TX)

static void vmbr_dev_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &vmbr_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = vmbr_dev_free;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	vmbr_set_lltx(dev);
	/*
	 * As the Linux bridge: a vmbridge stays in its namespace.  Its ports,
	 * its uplink and the NAT's hook on the host's stack are all of that
	 * namespace; a port that moves away leaves the vmbridge.
	 */
	vmbr_set_netns_local(dev);
	/* GSO frames from the host stay whole until a port needs them cut. */
	dev->features |= VMBR_FEATURES;
	dev->hw_features |= VMBR_FEATURES;
	dev->vlan_features = VMBR_FEATURES & ~(NETIF_F_HW_VLAN_CTAG_TX |
					       NETIF_F_HW_VLAN_STAG_TX);
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU;
	eth_hw_addr_random(dev);
}

static int vmbr_validate(struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "MAC address must be 6 bytes");
			return -EINVAL;
		}
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS]))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "MAC address must be unicast and not zero");
			return -EADDRNOTAVAIL;
		}
	}
	return 0;
}

/*
 * Every way a vmbridge goes (ip link del, its namespace's end, the
 * module's unload) comes here first, under RTNL.  The NAT's LOCAL_OUT hook
 * leaves now, not in ndo_uninit: nf_unregister_net_hook() does not wait
 * for a host's packet already in the hook, and the core's grace period in
 * unregister_netdevice_many() is what lets ndo_uninit free the NAT's
 * tables after it.
 */
static void vmbr_dellink(struct net_device *dev, struct list_head *head)
{
	struct vmbr *vmbr = netdev_priv(dev);

	vmbr_port_del_all(vmbr);
	vmbr_nat_local_hook(&vmbr->nat, NULL, false);
	unregister_netdevice_queue(dev, head);
}

struct rtnl_link_ops vmbr_link_ops __read_mostly = {
	.kind		= "vmbridge",
	.priv_size	= sizeof(struct vmbr),
	.setup		= vmbr_dev_setup,
	.validate	= vmbr_validate,
	.dellink	= vmbr_dellink,
};

int vmbr_device_init(void)
{
	return rtnl_link_register(&vmbr_link_ops);
}

void vmbr_device_exit(void)
{
	rtnl_link_unregister(&vmbr_link_ops);
}
