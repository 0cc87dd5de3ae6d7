// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge: attaching a device (TAP, veth, NIC) as a guest port or as the
 * uplink, detaching it, and following it: a port whose device goes away
 * (QEMU exits and closes its TAP, a veth is deleted, the device moves to
 * another namespace) leaves the vmbridge by itself.
 *
 * DOC: Locking
 *
 * Attach and detach run under RTNL.  A port is on vmbr::ports (RCU) and is
 * the rx_handler_data of its device; both are undone before the FDB
 * forgets the port, and the port is freed after a grace period, so a
 * reader that found it through either keeps a valid pointer.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "vmbr.h"

struct vmbr_port *vmbr_port_get_rtnl(const struct net_device *dev)
{
	if (rcu_access_pointer(dev->rx_handler) != vmbr_handle_frame)
		return NULL;
	return rtnl_dereference(dev->rx_handler_data);
}

/*
 * The port of @vmbr that the u32 ifindex @attr names; with @host_ok, vmbr0
 * itself names the host's side.  An ERR_PTR, the reason in @extack, if it
 * names no port of @vmbr.  RTNL.
 */
struct vmbr_port *vmbr_port_by_ifindex(struct vmbr *vmbr,
				       const struct nlattr *attr, bool host_ok,
				       struct netlink_ext_ack *extack)
{
	struct vmbr_port *port;
	struct net_device *dev;

	dev = __dev_get_by_index(dev_net(vmbr->dev), nla_get_u32(attr));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such device");
		return ERR_PTR(-ENODEV);
	}
	port = host_ok && dev == vmbr->dev ? &vmbr->host :
	       vmbr_port_get_rtnl(dev);
	if (!port || port->vmbr != vmbr) {
		vmbr_extack_fmt(extack, "the device is not a port of this vmbridge",
				"%s is not a port of %s", dev->name,
				vmbr->dev->name);
		return ERR_PTR(-ENOENT);
	}
	return port;
}

int vmbr_port_stats_init(struct vmbr_port *port)
{
	port->stats = netdev_alloc_pcpu_stats(struct vmbr_pcpu_stats);
	return port->stats ? 0 : -ENOMEM;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_port_stats_init);

void vmbr_port_stats_read(const struct vmbr_port *port, struct vmbr_stats *sum)
{
	int cpu, reason;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct vmbr_pcpu_stats *s = per_cpu_ptr(port->stats, cpu);
		struct vmbr_stats one;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			one.rx_packets = u64_stats_read(&s->rx_packets);
			one.rx_bytes = u64_stats_read(&s->rx_bytes);
			one.tx_packets = u64_stats_read(&s->tx_packets);
			one.tx_bytes = u64_stats_read(&s->tx_bytes);
			for (reason = 0; reason < __VMBR_DROP_MAX; reason++)
				one.drops[reason] =
					u64_stats_read(&s->drops[reason]);
			one.fdb_full = u64_stats_read(&s->fdb_full);
			one.max_macs = u64_stats_read(&s->max_macs);
			one.not_switched = u64_stats_read(&s->not_switched);
		} while (u64_stats_fetch_retry(&s->syncp, start));

		sum->rx_packets += one.rx_packets;
		sum->rx_bytes += one.rx_bytes;
		sum->tx_packets += one.tx_packets;
		sum->tx_bytes += one.tx_bytes;
		for (reason = 0; reason < __VMBR_DROP_MAX; reason++)
			sum->drops[reason] += one.drops[reason];
		sum->fdb_full += one.fdb_full;
		sum->max_macs += one.max_macs;
		sum->not_switched += one.not_switched;
	}
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_port_stats_read);

bool vmbr_port_is_ethernet(const struct net_device *dev)
{
	return !(dev->flags & IFF_LOOPBACK) && dev->type == ARPHRD_ETHER &&
	       dev->addr_len == ETH_ALEN;
}

/*
 * Can @dev become a port of @vmbr?  Says why not.  Ports are Ethernet
 * devices, except a NAT uplink (@layer3_ok), which may be any device with
 * an IPv4 address (a tunnel, a point-to-point link).  RTNL.
 */
int vmbr_port_check(struct vmbr *vmbr, struct net_device *dev,
		    bool layer3_ok, struct netlink_ext_ack *extack)
{
	struct vmbr_port *other = vmbr_port_get_rtnl(dev);
	struct net_device *master;

	ASSERT_RTNL();
	if (dev == vmbr->dev) {
		NL_SET_ERR_MSG_MOD(extack, "a vmbridge cannot be its own port");
		return -ELOOP;
	}
	if (netif_is_vmbridge(dev)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "a vmbridge cannot be a port of another vmbridge");
		return -ELOOP;
	}
	if (dev->flags & IFF_LOOPBACK) {
		NL_SET_ERR_MSG_MOD(extack, "the loopback device cannot be a port");
		return -EOPNOTSUPP;
	}
	if (!layer3_ok && !vmbr_port_is_ethernet(dev)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "only Ethernet devices can be ports (a nat uplink may be any IPv4 device)");
		return -EOPNOTSUPP;
	}
	if (!net_eq(dev_net(dev), dev_net(vmbr->dev))) {
		NL_SET_ERR_MSG_MOD(extack,
				   "the device is in another network namespace");
		return -EXDEV;
	}
	if (other) {
		vmbr_extack_fmt(extack,
				"the device is already a port of a vmbridge",
				"%s is already a port of %s",
				dev->name, other->vmbr->dev->name);
		return -EBUSY;
	}
	master = netdev_master_upper_dev_get(dev);
	if (master) {
		vmbr_extack_fmt(extack,
				"the device already has a master: detach it first",
				"%s already has a master (%s): detach it first",
				dev->name, master->name);
		return -EBUSY;
	}
	if (rcu_access_pointer(dev->rx_handler)) {
		vmbr_extack_fmt(extack,
				"the device is in use by another driver (macvlan...)",
				"%s is in use by another driver (macvlan...)",
				dev->name);
		return -EBUSY;
	}
	if (netdev_has_upper_dev(vmbr->dev, dev)) {
		vmbr_extack_fmt(extack,
				"the device is stacked on this vmbridge: that would loop",
				"%s is stacked on %s: that would loop",
				dev->name, vmbr->dev->name);
		return -ELOOP;
	}
	return 0;
}

/* Raise or drop the uplink's promiscuity to what the mode needs. RTNL. */
int vmbr_uplink_promisc(struct vmbr_port *uplink, bool on)
{
	int err;

	if (uplink->promisc == on)
		return 0;
	err = dev_set_promiscuity(uplink->dev, on ? 1 : -1);
	if (!err)
		uplink->promisc = on;
	return err;
}

static void vmbr_port_free_rcu(struct rcu_head *head)
{
	struct vmbr_port *port = container_of(head, struct vmbr_port, rcu);

	free_percpu(port->stats);
	vmbr_vlans_free(&port->vlans);
	vmbr_guard_free(port);
	vmbr_lock_ip_free(port);
	vmbr_rate_in_free(port);
	netdev_put(port->dev, &port->dev_tracker);
	kfree(port);
}

/*
 * Attach @dev.  A guest port is linked as the vmbridge's slave ("master
 * vmbr0" in ip link) and made promiscuous, as on any switch; the uplink is
 * only an upper link and is promiscuous only in bridge mode.  A guest port
 * takes @vlans (NULL: an access port in VLAN 1); the uplink's VLANs are the
 * vmbridge's.  @vlans is consumed, whatever happens.  @setup (if not NULL)
 * is given the port before its first frame can arrive: a guest port
 * starts with its guards on.  RTNL.
 */
int vmbr_port_add_setup(struct vmbr *vmbr, struct net_device *dev,
			enum vmbr_role role, struct vmbr_vlans *vlans,
			void (*setup)(struct vmbr_port *port, void *arg),
			void *arg, struct netlink_ext_ack *extack)
{
	bool promisc = role == VMBR_ROLE_GUEST ||
		       READ_ONCE(vmbr->mode) == VMBR_MODE_BRIDGE;
	struct vmbr_port *port;
	int err;

	/* The caller checked the uplink against the mode it asks for. */
	err = vmbr_port_check(vmbr, dev, role == VMBR_ROLE_UPLINK, extack);
	if (err)
		goto err_vlans;

	err = -ENOMEM;
	if (!vlans && role == VMBR_ROLE_GUEST) {
		vlans = vmbr_vlans_alloc(VMBR_DEFAULT_VID);
		if (!vlans)
			goto err_vlans;
	}
	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		goto err_vlans;
	err = vmbr_port_stats_init(port);
	if (err)
		goto err_free;
	RCU_INIT_POINTER(port->vlans, role == VMBR_ROLE_GUEST ? vlans : NULL);
	if (role != VMBR_ROLE_GUEST)
		kfree(vlans);
	vlans = NULL;
	port->vmbr = vmbr;
	port->dev = dev;
	port->role = role;
	netdev_hold(dev, &port->dev_tracker, GFP_KERNEL);

	if (role == VMBR_ROLE_GUEST)
		err = netdev_master_upper_dev_link(dev, vmbr->dev, NULL, NULL,
						   extack);
	else
		err = netdev_upper_dev_link(dev, vmbr->dev, extack);
	if (err)
		goto err_put;
	err = vmbr_uplink_promisc(port, promisc);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot make the device promiscuous");
		goto err_unlink;
	}
	if (setup)
		setup(port, arg);
	err = netdev_rx_handler_register(dev, vmbr_handle_frame, port);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "the device is in use by another driver");
		goto err_promisc;
	}

	list_add_tail_rcu(&port->list, &vmbr->ports);
	if (role == VMBR_ROLE_UPLINK) {
		rcu_assign_pointer(vmbr->uplink, port);
		vmbr_nat_uplink_changed(&vmbr->nat);
	}
	vmbr->port_seq++;
	vmbr_notify_port(port, VMBR_CMD_PORT_ADD);
	return 0;

err_promisc:
	vmbr_guard_free(port);
	vmbr_lock_ip_free(port);
	vmbr_uplink_promisc(port, false);
err_unlink:
	netdev_upper_dev_unlink(dev, vmbr->dev);
err_put:
	netdev_put(dev, &port->dev_tracker);
	free_percpu(port->stats);
	vmbr_vlans_free(&port->vlans);
err_free:
	kfree(port);
err_vlans:
	kfree(vlans);
	return err;
}

int vmbr_port_add(struct vmbr *vmbr, struct net_device *dev,
		  enum vmbr_role role, struct vmbr_vlans *vlans,
		  struct netlink_ext_ack *extack)
{
	return vmbr_port_add_setup(vmbr, dev, role, vlans, NULL, NULL, extack);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_port_add);

/* Detach a port: no new frame reaches it, then the FDB forgets it. RTNL. */
void vmbr_port_del(struct vmbr_port *port)
{
	struct vmbr *vmbr = port->vmbr;
	struct net_device *dev = port->dev;

	ASSERT_RTNL();
	vmbr_notify_port(port, VMBR_CMD_PORT_DEL);
	list_del_rcu(&port->list);
	if (rtnl_dereference(vmbr->uplink) == port) {
		RCU_INIT_POINTER(vmbr->uplink, NULL);
		vmbr_nat_uplink_changed(&vmbr->nat);
	}
	vmbr->port_seq++;

	/* Waits for every rx handler still running on this port. */
	netdev_rx_handler_unregister(dev);
	vmbr_fdb_flush(vmbr, port, true);
	if (port->role == VMBR_ROLE_UPLINK)
		vmbr_nat_update_address(vmbr);
	else
		vmbr_nat_flush(&vmbr->nat, port, false);
	vmbr_uplink_promisc(port, false);
	vmbr_rate_out_release(port);
	netdev_upper_dev_unlink(dev, vmbr->dev);
	call_rcu(&port->rcu, vmbr_port_free_rcu);
}

void vmbr_port_del_all(struct vmbr *vmbr)
{
	struct vmbr_port *port, *tmp;

	list_for_each_entry_safe(port, tmp, &vmbr->ports, list)
		vmbr_port_del(port);
}

static int vmbr_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct vmbr_port *port;

	if (netif_is_vmbridge(dev)) {
		/*
		 * Going (a vmbridge never changes namespace): dellink took
		 * the ports already; this is for a failed registration.
		 */
		if (event == NETDEV_UNREGISTER)
			vmbr_port_del_all(netdev_priv(dev));
		return NOTIFY_DONE;
	}

	port = vmbr_port_get_rtnl(dev);
	if (!port)
		return NOTIFY_DONE;

	switch (event) {
	case NETDEV_UNREGISTER:
		vmbr_port_del(port);
		break;
	case NETDEV_PRE_TYPE_CHANGE:
		/* A port must stay Ethernet. */
		return notifier_from_errno(-EBUSY);
	case NETDEV_CHANGEMTU:
		if (port->role == VMBR_ROLE_UPLINK)
			vmbr_tunnel_follow_mtu(port->vmbr);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block vmbr_netdev_notifier = {
	.notifier_call = vmbr_netdev_event,
};

int vmbr_port_notifier_init(void)
{
	return register_netdevice_notifier(&vmbr_netdev_notifier);
}

void vmbr_port_notifier_exit(void)
{
	unregister_netdevice_notifier(&vmbr_netdev_notifier);
}
