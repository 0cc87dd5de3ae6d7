// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge: the FDB through rtnetlink, for iproute2's "bridge fdb" and the
 * tools that read neighbour tables (RTM_{NEW,DEL,GET}NEIGH, AF_BRIDGE).
 *
 * rtnetlink hands a "master" request, or a dump filtered by "br", only to a
 * Linux bridge (IFF_EBRIDGE) and its ports (IFF_BRIDGE_PORT); those flags
 * promise net/bridge's private structures to every reader of them (the
 * bridge module's own netdevice notifier takes a port's rx_handler_data
 * for its own), so a vmbridge cannot carry them.  What reaches it is what
 * rtnetlink gives any device for itself ("self"): its own dump, which
 * "bridge fdb show" and "bridge fdb show dev vmbr0" read, and its own add
 * and del.  The dump lists every entry as the Linux bridge would (the port
 * as the device, vmbr0 as NDA_MASTER, the VLAN); an add names the port with
 * NDA_IFINDEX ("via PORT"), or none for vmbr0 itself.
 *
 *   bridge fdb show dev vmbr0
 *   bridge fdb add 02:00:00:00:00:0a dev vmbr0 self vlan 10 via tap0
 *   bridge fdb del 02:00:00:00:00:0a dev vmbr0 self vlan 10
 */
#include <linux/etherdevice.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/netlink.h>

#include "vmbr.h"

struct vmbr_fdb_rtnl_dump {
	struct vmbr *vmbr;
	struct sk_buff *skb;
	struct netlink_callback *cb;
	int *idx;
};

/* An entry's neighbour state, as the Linux bridge reports its own. */
static u16 vmbr_fdb_nud(const struct vmbr *vmbr, bool is_static,
			unsigned long updated)
{
	if (is_static)
		return NUD_NOARP;
	if (time_after(jiffies, updated + READ_ONCE(vmbr->ageing)))
		return NUD_STALE;
	return NUD_REACHABLE;
}

static int vmbr_fdb_rtnl_fill(void *arg, const u8 *addr, u16 vid,
			      const struct vmbr_port *port, bool is_static,
			      unsigned long updated)
{
	struct vmbr_fdb_rtnl_dump *d = arg;
	struct nda_cacheinfo ci = {};
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;

	/* rtnetlink counts entries across devices to resume a dump. */
	if (*d->idx < d->cb->args[2])
		goto next;
	nlh = nlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid,
			d->cb->nlh->nlmsg_seq, RTM_NEWNEIGH, sizeof(*ndm),
			NLM_F_MULTI);
	if (!nlh)
		return -EMSGSIZE;
	ndm = nlmsg_data(nlh);
	memset(ndm, 0, sizeof(*ndm));
	ndm->ndm_family = AF_BRIDGE;
	ndm->ndm_ifindex = port->dev->ifindex;
	ndm->ndm_state = vmbr_fdb_nud(d->vmbr, is_static, updated);
	ci.ndm_updated = jiffies_to_clock_t(jiffies - updated);
	ci.ndm_used = ci.ndm_updated;
	if (nla_put(d->skb, NDA_LLADDR, ETH_ALEN, addr) ||
	    nla_put_u32(d->skb, NDA_MASTER, d->vmbr->dev->ifindex) ||
	    nla_put_u16(d->skb, NDA_VLAN, vid) ||
	    nla_put(d->skb, NDA_CACHEINFO, sizeof(ci), &ci)) {
		nlmsg_cancel(d->skb, nlh);
		return -EMSGSIZE;
	}
	nlmsg_end(d->skb, nlh);
next:
	(*d->idx)++;
	return 0;
}

/*
 * ndo_fdb_dump: vmbr0's own addresses (as every device's), then the FDB.
 * RTNL.
 */
int vmbr_ndo_fdb_dump(struct sk_buff *skb, struct netlink_callback *cb,
		      struct net_device *dev, struct net_device *filter_dev,
		      int *idx)
{
	struct vmbr_fdb_rtnl_dump d = {
		.vmbr = netdev_priv(dev), .skb = skb, .cb = cb, .idx = idx,
	};
	unsigned long pos = 0;
	int err;

	err = ndo_dflt_fdb_dump(skb, cb, dev, filter_dev, idx);
	if (err)
		return err;
	return vmbr_fdb_walk(d.vmbr, &pos, vmbr_fdb_rtnl_fill, &d);
}

/* The port an add names (NDA_IFINDEX), or the host.  RTNL. */
static struct vmbr_port *vmbr_fdb_rtnl_port(struct vmbr *vmbr,
					    struct nlattr *tb[],
					    struct netlink_ext_ack *extack)
{
	if (!tb[NDA_IFINDEX])
		return &vmbr->host;
	return vmbr_port_by_ifindex(vmbr, tb[NDA_IFINDEX], true, extack);
}

/* ndo_fdb_add: a static entry ("bridge fdb add ... self [via PORT]"). */
int vmbr_ndo_fdb_add(struct ndmsg *ndm, struct nlattr *tb[],
		     struct net_device *dev, const unsigned char *addr,
		     u16 vid, u16 flags, struct netlink_ext_ack *extack)
{
	struct vmbr *vmbr = netdev_priv(dev);
	struct vmbr_port *port;

	if (!(ndm->ndm_state & (NUD_NOARP | NUD_PERMANENT))) {
		NL_SET_ERR_MSG_MOD(extack,
				   "only static entries can be added (learning makes the others)");
		return -EINVAL;
	}
	if (!is_valid_ether_addr(addr)) {
		NL_SET_ERR_MSG_MOD(extack, "a FDB entry needs a unicast MAC address");
		return -EINVAL;
	}
	if (!vid)
		vid = VMBR_DEFAULT_VID;
	port = vmbr_fdb_rtnl_port(vmbr, tb, extack);
	if (IS_ERR(port))
		return PTR_ERR(port);
	if (!vmbr_vlan_member(vmbr_port_vlans(port), vid)) {
		vmbr_extack_fmt(extack, "the port is not in that VLAN",
				"%s is not in VLAN %u", port->dev->name, vid);
		return -EINVAL;
	}
	return vmbr_fdb_add_static(vmbr, port, addr, vid, extack);
}

/* ndo_fdb_del: any entry, learned or static. */
int vmbr_ndo_fdb_del(struct ndmsg *ndm, struct nlattr *tb[],
		     struct net_device *dev, const unsigned char *addr,
		     u16 vid, struct netlink_ext_ack *extack)
{
	int err;

	err = vmbr_fdb_del(netdev_priv(dev), addr, vid ?: VMBR_DEFAULT_VID);
	if (err == -ENOENT)
		NL_SET_ERR_MSG_MOD(extack, "no such FDB entry");
	return err;
}
