// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge: the "vmbridge" generic netlink family (uapi/linux/vmbridge.h).
 *
 * Strict policies, one for each operation, validate every attribute before
 * a handler runs, and refuse one that is not the operation's; pre_doit
 * takes RTNL and finds the vmbridge (and port) a doit's request names.  A
 * handler then checks everything a request asks for before it changes
 * anything, so a refused request changes nothing, and every refusal says
 * why in the extack.  Changes need CAP_NET_ADMIN in the vmbridge's
 * namespace (GENL_UNS_ADMIN_PERM); reads of settings and counters do not.
 * What tells of the guests' own traffic and addresses needs it as a
 * read, as conntrack's dumps do: the NAT's sessions, the ports' lock-mac
 * and lock-ip lists (left out, flagged VMBR_PORT_A_LOCKS_HIDDEN, for a
 * reader without it) and the events group (learned MACs, limits hit).
 *
 * DOC: Locking
 *
 * Handlers that change or read configuration take RTNL, like the rest of
 * the configuration path.  The FDB dump reads under RCU.  Events are sent
 * from RTNL context (ports) and from softirq (FDB learning, limits), only
 * when somebody listens.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "vmbr.h"

enum vmbr_mcgrp {
	VMBR_MCGRP_EVENTS_ID,
};

static const struct genl_multicast_group vmbr_mcgrps[] = {
	[VMBR_MCGRP_EVENTS_ID] = {
		.name = VMBR_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

/* Not const: 6.1's nla_policy points to a mutable range. */
static struct netlink_range_validation vmbr_ageing_range = {
	.min = VMBR_AGEING_MIN,
	.max = VMBR_AGEING_MAX,
};

static struct netlink_range_validation vmbr_max_fdb_range = {
	.min = 1,
	.max = VMBR_MAX_FDB_MAX,
};

static struct netlink_range_validation vmbr_max_macs_range = {
	.max = VMBR_MAX_FDB_MAX,
};

static struct netlink_range_validation vmbr_bum_rate_range = {
	.max = VMBR_BUM_RATE_MAX,
};

static const struct nla_policy vmbr_port_policy[VMBR_PORT_A_MAX + 1] = {
	[VMBR_PORT_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VMBR_PORT_A_PVID]	= NLA_POLICY_MAX(NLA_U16, VMBR_VID_MAX),
	[VMBR_PORT_A_VLANS]	= NLA_POLICY_EXACT_LEN(VMBR_VLAN_BITMAP_LEN),
	[VMBR_PORT_A_ISOLATED]	= NLA_POLICY_MAX(NLA_U8, 1),
	[VMBR_PORT_A_LOCK_MAC]	= { .type = NLA_BINARY,
				    .len = VMBR_LOCK_MAC_MAX * ETH_ALEN },
	[VMBR_PORT_A_MAX_MACS]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&vmbr_max_macs_range),
	[VMBR_PORT_A_BUM_RATE]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&vmbr_bum_rate_range),
	[VMBR_PORT_A_LOCK_IP]	= { .type = NLA_BINARY,
				    .len = VMBR_LOCK_IP_MAX *
					   sizeof(struct in6_addr) },
	[VMBR_PORT_A_RATE_IN]	= NLA_POLICY_NESTED(vmbr_rate_policy),
	[VMBR_PORT_A_RATE_OUT]	= NLA_POLICY_NESTED(vmbr_rate_policy),
};

static const struct nla_policy vmbr_fdb_policy[VMBR_FDB_A_MAX + 1] = {
	[VMBR_FDB_A_MAC]		= NLA_POLICY_ETH_ADDR,
	[VMBR_FDB_A_VID]		= NLA_POLICY_RANGE(NLA_U16, 1, VLAN_N_VID - 2),
	[VMBR_FDB_A_PORT_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VMBR_FDB_A_STATIC]		= { .type = NLA_FLAG },
};

/*
 * One policy per operation, as the specs generate them: an attribute an
 * operation does not take is refused ("Unsupported attribute", strict
 * validation), not ignored.  Every request names its vmbridge.  All are
 * VMBR_A_MAX long: the handlers index info->attrs by any VMBR_A_*.
 */
static const struct nla_policy vmbr_dev_policy[VMBR_A_MAX + 1] = {
	[VMBR_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VMBR_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
};

static const struct nla_policy vmbr_set_policy[VMBR_A_MAX + 1] = {
	[VMBR_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VMBR_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[VMBR_A_MODE]		= NLA_POLICY_MAX(NLA_U8, VMBR_MODE_MAX),
	[VMBR_A_UPLINK_IFINDEX]	= { .type = NLA_U32 },
	[VMBR_A_AGEING]		= NLA_POLICY_FULL_RANGE(NLA_U32, &vmbr_ageing_range),
	[VMBR_A_MAX_FDB]	= NLA_POLICY_FULL_RANGE(NLA_U32, &vmbr_max_fdb_range),
	[VMBR_A_UPLINK_PVID]	= NLA_POLICY_MAX(NLA_U16, VMBR_VID_MAX),
	[VMBR_A_UPLINK_VLANS]	= NLA_POLICY_EXACT_LEN(VMBR_VLAN_BITMAP_LEN),
	[VMBR_A_HOST_PVID]	= NLA_POLICY_RANGE(NLA_U16, VMBR_VID_MIN,
						   VMBR_VID_MAX),
	[VMBR_A_HOST_VLANS]	= NLA_POLICY_EXACT_LEN(VMBR_VLAN_BITMAP_LEN),
	[VMBR_A_UPLINK_VNIS]	= NLA_POLICY_NESTED_ARRAY(vmbr_vni_policy),
};

/* A port named, not configured: PORT_GET, PORT_DEL, FDB_FLUSH. */
static const struct nla_policy vmbr_port_ref_policy[VMBR_PORT_A_MAX + 1] = {
	[VMBR_PORT_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
};

/* PORT_ADD, PORT_SET. */
static const struct nla_policy vmbr_port_op_policy[VMBR_A_MAX + 1] = {
	[VMBR_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VMBR_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[VMBR_A_PORT]		= NLA_POLICY_NESTED(vmbr_port_policy),
};

/* PORT_GET, PORT_DEL. */
static const struct nla_policy vmbr_port_ref_op_policy[VMBR_A_MAX + 1] = {
	[VMBR_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VMBR_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[VMBR_A_PORT]		= NLA_POLICY_NESTED(vmbr_port_ref_policy),
};

/* FDB_GET, FDB_ADD, FDB_DEL, FDB_FLUSH (a flush may name a port). */
static const struct nla_policy vmbr_fdb_op_policy[VMBR_A_MAX + 1] = {
	[VMBR_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VMBR_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[VMBR_A_PORT]		= NLA_POLICY_NESTED(vmbr_port_ref_policy),
	[VMBR_A_FDB]		= NLA_POLICY_NESTED(vmbr_fdb_policy),
};

static const struct nla_policy vmbr_nat_set_policy[VMBR_A_MAX + 1] = {
	[VMBR_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VMBR_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[VMBR_A_NAT]		= NLA_POLICY_NESTED(vmbr_nat_policy),
};

/* NAT_FWD_GET, NAT_FWD_ADD, NAT_FWD_DEL. */
static const struct nla_policy vmbr_nat_fwd_op_policy[VMBR_A_MAX + 1] = {
	[VMBR_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VMBR_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[VMBR_A_NAT_FWD]	= NLA_POLICY_NESTED(vmbr_nat_fwd_policy),
};

static struct genl_family vmbr_genl_family;

/* The vmbridge a request names, by index or name.  RTNL or RCU. */
struct vmbr *vmbr_from_attrs(struct net *net, struct nlattr **attrs,
			     struct netlink_ext_ack *extack)
{
	struct net_device *dev = NULL;

	if (!attrs[VMBR_A_IFINDEX] && !attrs[VMBR_A_IFNAME]) {
		NL_SET_ERR_MSG_MOD(extack, "no vmbridge given (ifindex or name)");
		return ERR_PTR(-EINVAL);
	}
	/* The caller's RTNL or RCU keeps the device once found. */
	rcu_read_lock();
	if (attrs[VMBR_A_IFINDEX])
		dev = dev_get_by_index_rcu(net, nla_get_u32(attrs[VMBR_A_IFINDEX]));
	else
		dev = dev_get_by_name_rcu(net, nla_data(attrs[VMBR_A_IFNAME]));
	rcu_read_unlock();
	if (!dev) {
		NL_SET_ERR_MSG_MOD(extack, "no such device");
		return ERR_PTR(-ENODEV);
	}
	if (!netif_is_vmbridge(dev)) {
		vmbr_extack_fmt(extack, "the device is not a vmbridge",
				"%s is not a vmbridge", dev->name);
		return ERR_PTR(-EINVAL);
	}
	return netdev_priv(dev);
}

/* A device of the vmbridge's namespace, by index.  RTNL. */
static struct net_device *vmbr_dev_from_attr(struct vmbr *vmbr,
					     const struct nlattr *attr,
					     struct netlink_ext_ack *extack)
{
	struct net_device *dev;

	dev = __dev_get_by_index(dev_net(vmbr->dev), nla_get_u32(attr));
	if (!dev)
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such device");
	return dev;
}

/* The port a request's VMBR_A_PORT names.  RTNL. */
static struct vmbr_port *vmbr_port_from_attrs(struct vmbr *vmbr,
					      struct nlattr **attrs,
					      struct nlattr **port_attrs,
					      struct netlink_ext_ack *extack)
{
	if (!port_attrs[VMBR_PORT_A_IFINDEX]) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[VMBR_A_PORT],
				    "no port given (ifindex)");
		return ERR_PTR(-EINVAL);
	}
	return vmbr_port_by_ifindex(vmbr, port_attrs[VMBR_PORT_A_IFINDEX],
				    false, extack);
}

int vmbr_parse_nest(struct nlattr **tb, int maxtype, const struct nlattr *nest,
		    const struct nla_policy *policy,
		    struct netlink_ext_ack *extack)
{
	return nla_parse_nested(tb, maxtype, nest, policy, extack);
}

/* Message building. */

static int vmbr_put_stats(struct sk_buff *skb, int type,
			  const struct vmbr_stats *s)
{
	struct nlattr *nest, *drops;
	int reason;

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, VMBR_STATS_A_RX_PACKETS, s->rx_packets,
			      VMBR_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VMBR_STATS_A_RX_BYTES, s->rx_bytes,
			      VMBR_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VMBR_STATS_A_TX_PACKETS, s->tx_packets,
			      VMBR_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VMBR_STATS_A_TX_BYTES, s->tx_bytes,
			      VMBR_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VMBR_STATS_A_FDB_FULL, s->fdb_full,
			      VMBR_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VMBR_STATS_A_MAX_MACS, s->max_macs,
			      VMBR_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VMBR_STATS_A_NOT_SWITCHED, s->not_switched,
			      VMBR_STATS_A_PAD))
		goto cancel;
	drops = nla_nest_start(skb, VMBR_STATS_A_DROPS);
	if (!drops)
		goto cancel;
	for (reason = VMBR_DROP_UNSPEC + 1; reason < __VMBR_DROP_MAX; reason++)
		if (nla_put_u64_64bit(skb, reason, s->drops[reason],
				      VMBR_DROP_UNSPEC))
			goto cancel;
	nla_nest_end(skb, drops);
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* A VLAN membership as a PVID and a bitmap attribute. */
static int vmbr_put_vlans(struct sk_buff *skb, int pvid_type, int bits_type,
			  const struct vmbr_vlans *vlans)
{
	struct nlattr *bits;

	if (nla_put_u16(skb, pvid_type, vlans->pvid))
		return -EMSGSIZE;
	bits = nla_reserve(skb, bits_type, VMBR_VLAN_BITMAP_LEN);
	if (!bits)
		return -EMSGSIZE;
	vmbr_vlans_to_bitmap(vlans, nla_data(bits));
	return 0;
}

/*
 * A new VLAN membership: @base with what @pvid and @bits ask for (either
 * may be NULL).  NULL if neither is given; the caller owns the result.
 */
static struct vmbr_vlans *vmbr_vlans_from_attrs(const struct vmbr_vlans *base,
						const struct nlattr *pvid,
						const struct nlattr *bits,
						struct netlink_ext_ack *extack)
{
	struct vmbr_vlans *vlans;
	int err;

	if (!pvid && !bits)
		return NULL;
	vlans = vmbr_vlans_alloc(pvid ? nla_get_u16(pvid) : base->pvid);
	if (!vlans)
		return ERR_PTR(-ENOMEM);
	if (bits) {
		err = vmbr_vlans_from_bitmap(vlans, nla_data(bits), extack);
		if (err) {
			NL_SET_BAD_ATTR(extack, bits);
			kfree(vlans);
			return ERR_PTR(err);
		}
	} else {
		bitmap_copy(vlans->tagged, base->tagged, VLAN_N_VID);
	}
	return vlans;
}

/*
 * A port's guards; its lock-mac list is empty when off.  The lists only
 * for a reader with CAP_NET_ADMIN (@locks); another learns that there are
 * some.
 */
static int vmbr_put_guards(struct sk_buff *skb, const struct vmbr_port *port,
			   bool locks)
{
	const struct vmbr_lock_mac *lock;
	const struct vmbr_lock_ip *ips;
	int err;

	if (nla_put_u8(skb, VMBR_PORT_A_ISOLATED, READ_ONCE(port->isolated)) ||
	    nla_put_u32(skb, VMBR_PORT_A_MAX_MACS, READ_ONCE(port->max_macs)) ||
	    nla_put_u32(skb, VMBR_PORT_A_BUM_RATE, READ_ONCE(port->bum_rate)))
		return -EMSGSIZE;
	if (!locks) {
		if ((rcu_access_pointer(port->lock_mac) ||
		     rcu_access_pointer(port->lock_ip)) &&
		    nla_put_flag(skb, VMBR_PORT_A_LOCKS_HIDDEN))
			return -EMSGSIZE;
		return 0;
	}
	rcu_read_lock();
	lock = rcu_dereference(port->lock_mac);
	err = nla_put(skb, VMBR_PORT_A_LOCK_MAC,
		      lock ? lock->count * ETH_ALEN : 0,
		      lock ? lock->addr : NULL);
	ips = rcu_dereference(port->lock_ip);
	err = err ?: nla_put(skb, VMBR_PORT_A_LOCK_IP,
			     ips ? ips->count * sizeof(*ips->addr) : 0,
			     ips ? ips->addr : NULL);
	rcu_read_unlock();
	return err;
}

/*
 * A port's bandwidth limits (empty nests for none).  Under RTNL or, for a
 * limit event, in softirq: read as the data path reads them.
 */
static int vmbr_put_rates(struct sk_buff *skb, const struct vmbr_port *port)
{
	struct vmbr_rate_cfg rate_in = {}, rate_out;
	const struct vmbr_rate *rate;

	rcu_read_lock();
	rate = rcu_dereference(port->rate_in);
	if (rate)
		rate_in = rate->cfg;
	rcu_read_unlock();
	vmbr_rate_out_get(port, &rate_out);
	if (vmbr_rate_put(skb, VMBR_PORT_A_RATE_IN, &rate_in) ||
	    vmbr_rate_put(skb, VMBR_PORT_A_RATE_OUT, &rate_out))
		return -EMSGSIZE;
	return 0;
}

static int vmbr_put_port(struct sk_buff *skb, const struct vmbr_port *port,
			 bool stats, bool locks)
{
	struct vmbr_stats s;
	struct nlattr *nest;

	nest = nla_nest_start(skb, VMBR_A_PORT);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VMBR_PORT_A_IFINDEX, port->dev->ifindex) ||
	    nla_put_string(skb, VMBR_PORT_A_IFNAME, port->dev->name) ||
	    nla_put_u8(skb, VMBR_PORT_A_ROLE, port->role) ||
	    nla_put_u32(skb, VMBR_PORT_A_FDB_COUNT,
			atomic_read(&port->fdb_count)) ||
	    vmbr_put_vlans(skb, VMBR_PORT_A_PVID, VMBR_PORT_A_VLANS,
			   vmbr_port_vlans(port)) ||
	    vmbr_put_guards(skb, port, locks) ||
	    vmbr_put_rates(skb, port))
		goto cancel;
	if (stats) {
		vmbr_port_stats_read(port, &s);
		if (vmbr_put_stats(skb, VMBR_PORT_A_STATS, &s))
			goto cancel;
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* A message of the family, for the NAT's commands (vmbr_nat_netlink.c). */
void *vmbr_genl_put(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		    u8 cmd)
{
	return genlmsg_put(skb, portid, seq, &vmbr_genl_family, flags, cmd);
}

int vmbr_put_vmbr(struct sk_buff *skb, struct vmbr *vmbr)
{
	return nla_put_u32(skb, VMBR_A_IFINDEX, vmbr->dev->ifindex) ||
	       nla_put_string(skb, VMBR_A_IFNAME, vmbr->dev->name) ?
	       -EMSGSIZE : 0;
}

/* A vmbridge: its settings and, as its stats, the host side's counters. */
static int vmbr_fill_vmbr(struct sk_buff *skb, struct vmbr *vmbr,
			  u32 portid, u32 seq, int flags,
			  struct netlink_callback *cb)
{
	struct vmbr_port *uplink = rtnl_dereference(vmbr->uplink);
	struct vmbr_stats s, one;
	struct vmbr_port *port;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vmbr_genl_family, flags,
			  VMBR_CMD_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	vmbr_port_stats_read(&vmbr->host, &s);
	list_for_each_entry(port, &vmbr->ports, list) {
		vmbr_port_stats_read(port, &one);
		s.fdb_full += one.fdb_full;
	}
	if (vmbr_put_vmbr(skb, vmbr) ||
	    nla_put_u8(skb, VMBR_A_MODE, vmbr->mode) ||
	    nla_put_u32(skb, VMBR_A_UPLINK_IFINDEX,
			uplink ? uplink->dev->ifindex : 0) ||
	    nla_put_u32(skb, VMBR_A_AGEING,
			jiffies_to_msecs(vmbr->ageing) / MSEC_PER_SEC) ||
	    nla_put_u32(skb, VMBR_A_MAX_FDB, vmbr->max_fdb) ||
	    nla_put_u32(skb, VMBR_A_FDB_COUNT, READ_ONCE(vmbr->fdb_count)) ||
	    vmbr_put_vlans(skb, VMBR_A_HOST_PVID, VMBR_A_HOST_VLANS,
			   rtnl_dereference(vmbr->host.vlans)) ||
	    vmbr_put_vlans(skb, VMBR_A_UPLINK_PVID, VMBR_A_UPLINK_VLANS,
			   rtnl_dereference(vmbr->uplink_vlans)) ||
	    vmbr_put_vni_map(skb, rtnl_dereference(vmbr->vni_map)) ||
	    vmbr_put_stats(skb, VMBR_A_STATS, &s)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* @locks: the reader may see lock lists (vmbr_put_guards()). */
static int vmbr_fill_port(struct sk_buff *skb, const struct vmbr_port *port,
			  u32 portid, u32 seq, int flags, u8 cmd, bool locks,
			  struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vmbr_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (vmbr_put_vmbr(skb, port->vmbr) ||
	    vmbr_put_port(skb, port, cmd == VMBR_CMD_PORT_GET, locks)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int vmbr_put_fdb(struct sk_buff *skb, const u8 *addr, u16 vid,
			const struct vmbr_port *port, bool is_static,
			unsigned long updated, bool age)
{
	struct nlattr *nest = nla_nest_start(skb, VMBR_A_FDB);

	if (!nest ||
	    nla_put(skb, VMBR_FDB_A_MAC, ETH_ALEN, addr) ||
	    nla_put_u16(skb, VMBR_FDB_A_VID, vid) ||
	    nla_put_u32(skb, VMBR_FDB_A_PORT_IFINDEX, port->dev->ifindex) ||
	    (is_static && nla_put_flag(skb, VMBR_FDB_A_STATIC)) ||
	    (age && nla_put_u32(skb, VMBR_FDB_A_AGE,
				jiffies_to_msecs(jiffies - updated))))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int vmbr_fill_fdb(struct sk_buff *skb, struct netlink_callback *cb,
		  struct vmbr *vmbr, const u8 *addr, u16 vid,
		  const struct vmbr_port *port, bool is_static,
		  unsigned long updated)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &vmbr_genl_family, NLM_F_MULTI, VMBR_CMD_FDB_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (vmbr_put_vmbr(skb, vmbr) ||
	    vmbr_put_fdb(skb, addr, vid, port, is_static, updated, true)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Events. */

static bool vmbr_has_listeners(struct vmbr *vmbr)
{
	return genl_has_listeners(&vmbr_genl_family, dev_net(vmbr->dev),
				  VMBR_MCGRP_EVENTS_ID);
}

static void vmbr_multicast(struct vmbr *vmbr, struct sk_buff *skb, gfp_t gfp)
{
	genlmsg_multicast_netns(&vmbr_genl_family, dev_net(vmbr->dev), skb, 0,
				VMBR_MCGRP_EVENTS_ID, gfp);
}

/* A port joined (VMBR_CMD_PORT_ADD) or left (VMBR_CMD_PORT_DEL).  RTNL. */
void vmbr_notify_port(struct vmbr_port *port, u8 cmd)
{
	struct sk_buff *skb;

	if (!vmbr_has_listeners(port->vmbr))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	/* The events group is CAP_NET_ADMIN's only. */
	if (vmbr_fill_port(skb, port, 0, 0, 0, cmd, true, NULL)) {
		nlmsg_free(skb);
		return;
	}
	vmbr_multicast(port->vmbr, skb, GFP_KERNEL);
}

/* A MAC was learned or moved (FDB_ADD) or aged out (FDB_DEL).  Atomic. */
void vmbr_notify_fdb(struct vmbr *vmbr, const u8 *addr, u16 vid,
		     const struct vmbr_port *port, u8 cmd)
{
	struct sk_buff *skb;
	void *hdr;

	if (!vmbr_has_listeners(vmbr))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &vmbr_genl_family, 0, cmd);
	if (!hdr || vmbr_put_vmbr(skb, vmbr) ||
	    vmbr_put_fdb(skb, addr, vid, port, false, 0, false)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	vmbr_multicast(vmbr, skb, GFP_ATOMIC);
}

/*
 * A bound or a guard stopped something from @port.  At most one event a
 * second of each kind: a flood must not become an event flood.  Atomic.
 */
void vmbr_notify_limit(struct vmbr *vmbr, struct vmbr_port *port,
		       enum vmbr_limit limit)
{
	unsigned long last = READ_ONCE(vmbr->limit_event[limit]);
	struct sk_buff *skb;
	void *hdr;

	if (!time_after(jiffies, last + HZ) ||
	    cmpxchg(&vmbr->limit_event[limit], last, jiffies) != last)
		return;
	if (!vmbr_has_listeners(vmbr))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &vmbr_genl_family, 0, VMBR_CMD_LIMIT);
	if (!hdr || vmbr_put_vmbr(skb, vmbr) ||
	    nla_put_u8(skb, VMBR_A_LIMIT, limit) ||
	    vmbr_put_port(skb, port, false, true)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	vmbr_multicast(vmbr, skb, GFP_ATOMIC);
}

/* Commands on the vmbridge. */

static int vmbr_nl_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmbr *vmbr = info->user_ptr[0];
	struct sk_buff *msg;
	int err;

	/* All but the uplink-vni map fits in a page. */
	msg = genlmsg_new(NLMSG_GOODSIZE +
			  vmbr_vni_map_nlsize(rtnl_dereference(vmbr->vni_map)),
			  GFP_KERNEL);
	err = msg ? vmbr_fill_vmbr(msg, vmbr, info->snd_portid, info->snd_seq,
				   0, NULL) : -ENOMEM;
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int vmbr_nl_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	unsigned long idx = 0;
	struct net_device *dev;
	int err = 0;

	rtnl_lock();
	cb->seq = net->dev_base_seq;
	for_each_netdev(net, dev) {
		if (!netif_is_vmbridge(dev))
			continue;
		if (idx++ < cb->args[0])
			continue;
		err = vmbr_fill_vmbr(skb, netdev_priv(dev),
				     NETLINK_CB(cb->skb).portid,
				     cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err) {
			idx--;
			break;
		}
	}
	rtnl_unlock();
	cb->args[0] = idx;
	return err == -EMSGSIZE ? skb->len : err;
}

/* Everything a SET asks for, checked before anything changes. */
struct vmbr_set_req {
	u8 mode;
	struct net_device *uplink;	/* new uplink, if changing */
	bool uplink_change;
	struct vmbr_vlans *uplink_vlans;	/* new, or NULL: unchanged */
	struct vmbr_vlans *host_vlans;
	bool vni_change;
	struct vmbr_vni_map *vni_map;	/* new, if vni_change (NULL: none) */
};

/* The uplink-vni map a SET leaves, checked against what else it leaves. */
static int vmbr_set_check_vnis(struct vmbr *vmbr, struct genl_info *info,
			       struct vmbr_set_req *req)
{
	const struct nlattr *attr = info->attrs[VMBR_A_UPLINK_VNIS];
	const struct vmbr_vni_map *map;

	if (attr) {
		req->vni_map = vmbr_vni_map_parse(attr, info->extack);
		if (IS_ERR(req->vni_map)) {
			int err = PTR_ERR(req->vni_map);

			req->vni_map = NULL;
			return err;
		}
		req->vni_change = true;
	}
	map = req->vni_change ? req->vni_map : rtnl_dereference(vmbr->vni_map);
	if (!map)
		return 0;
	return vmbr_vni_map_check(map, req->mode, req->uplink,
				  req->uplink_vlans ?:
				  rtnl_dereference(vmbr->uplink_vlans),
				  info->extack);
}

static int vmbr_set_check(struct vmbr *vmbr, struct genl_info *info,
			  struct vmbr_set_req *req)
{
	struct vmbr_port *uplink = rtnl_dereference(vmbr->uplink);
	struct nlattr **attrs = info->attrs;
	struct netlink_ext_ack *extack = info->extack;
	u32 ifindex;
	int err;

	req->mode = vmbr->mode;
	req->uplink = uplink ? uplink->dev : NULL;
	req->uplink_change = false;
	req->uplink_vlans = NULL;
	req->host_vlans = NULL;

	if (attrs[VMBR_A_MODE])
		req->mode = nla_get_u8(attrs[VMBR_A_MODE]);
	if (attrs[VMBR_A_UPLINK_IFINDEX]) {
		ifindex = nla_get_u32(attrs[VMBR_A_UPLINK_IFINDEX]);
		if (!ifindex) {
			req->uplink_change = !!uplink;
			req->uplink = NULL;
		} else if (!uplink || uplink->dev->ifindex != ifindex) {
			req->uplink = vmbr_dev_from_attr(vmbr,
							 attrs[VMBR_A_UPLINK_IFINDEX],
							 extack);
			if (!req->uplink)
				return -ENODEV;
			err = vmbr_port_check(vmbr, req->uplink,
					      req->mode == VMBR_MODE_NAT,
					      extack);
			if (err)
				return err;
			req->uplink_change = true;
		}
	}
	if (req->mode == VMBR_MODE_BRIDGE && req->uplink &&
	    !vmbr_port_is_ethernet(req->uplink)) {
		NL_SET_ERR_MSG_MOD(extack, "bridge mode needs an Ethernet uplink");
		return -EINVAL;
	}
	if ((req->mode == VMBR_MODE_BRIDGE || req->mode == VMBR_MODE_NAT) &&
	    !req->uplink && (attrs[VMBR_A_MODE] || req->uplink_change)) {
		if (req->mode == VMBR_MODE_NAT)
			NL_SET_ERR_MSG_MOD(extack, "nat mode needs an uplink");
		else
			NL_SET_ERR_MSG_MOD(extack, "bridge mode needs an uplink");
		return -EINVAL;
	}

	/* Last, as they allocate: the caller frees them on a later error. */
	req->uplink_vlans =
		vmbr_vlans_from_attrs(rtnl_dereference(vmbr->uplink_vlans),
				      attrs[VMBR_A_UPLINK_PVID],
				      attrs[VMBR_A_UPLINK_VLANS], extack);
	if (IS_ERR(req->uplink_vlans)) {
		err = PTR_ERR(req->uplink_vlans);
		req->uplink_vlans = NULL;
		return err;
	}
	req->host_vlans =
		vmbr_vlans_from_attrs(rtnl_dereference(vmbr->host.vlans),
				      attrs[VMBR_A_HOST_PVID],
				      attrs[VMBR_A_HOST_VLANS], extack);
	if (IS_ERR(req->host_vlans)) {
		err = PTR_ERR(req->host_vlans);
		req->host_vlans = NULL;
		return err;
	}
	return vmbr_set_check_vnis(vmbr, info, req);
}

static int vmbr_nl_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct vmbr_port *old_uplink;
	/* Zeroed: the exit path frees its lists whatever failed first. */
	struct vmbr_set_req req = {};
	struct vmbr *vmbr = info->user_ptr[0];
	int err;

	err = vmbr_set_check(vmbr, info, &req);
	if (err)
		goto out;

	/* The steps that can fail come first; the rest cannot. */
	old_uplink = rtnl_dereference(vmbr->uplink);
	if (req.uplink_change && req.uplink) {
		err = vmbr_port_add(vmbr, req.uplink, VMBR_ROLE_UPLINK, NULL,
				    info->extack);
		if (err)
			goto out;
		err = vmbr_uplink_promisc(rtnl_dereference(vmbr->uplink),
					  req.mode == VMBR_MODE_BRIDGE);
	} else if (old_uplink) {
		err = vmbr_uplink_promisc(old_uplink,
					  req.mode == VMBR_MODE_BRIDGE);
	}
	if (err) {
		if (req.uplink_change && req.uplink)
			vmbr_port_del(rtnl_dereference(vmbr->uplink));
		NL_SET_ERR_MSG_MOD(info->extack,
				   "cannot change the uplink's promiscuity");
		goto out;
	}

	if (req.uplink_change && old_uplink)
		vmbr_port_del(old_uplink);
	if (attrs[VMBR_A_MODE])
		vmbr_set_mode(vmbr, req.mode);
	if (attrs[VMBR_A_AGEING])
		vmbr_fdb_set_ageing(vmbr, nla_get_u32(attrs[VMBR_A_AGEING]) * HZ);
	if (attrs[VMBR_A_MAX_FDB])
		WRITE_ONCE(vmbr->max_fdb, nla_get_u32(attrs[VMBR_A_MAX_FDB]));
	if (req.uplink_vlans)
		vmbr_set_uplink_vlans(vmbr, req.uplink_vlans);
	if (req.host_vlans)
		vmbr_port_set_vlans(&vmbr->host, req.host_vlans);
	if (req.vni_change)
		vmbr_set_vni_map(vmbr, req.vni_map);
	vmbr_tunnel_follow_mtu(vmbr);
	vmbr_nat_update_address(vmbr);
	req.uplink_vlans = NULL;
	req.host_vlans = NULL;
	req.vni_map = NULL;
out:
	kfree(req.uplink_vlans);
	kfree(req.host_vlans);
	vmbr_vni_map_free(req.vni_map);
	return err;
}

/* Commands on ports. */

static int vmbr_nl_port_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmbr_port *port = info->user_ptr[1];
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = vmbr_fill_port(msg, port, info->snd_portid, info->snd_seq, 0,
			     VMBR_CMD_PORT_GET,
			     netlink_net_capable(skb, CAP_NET_ADMIN), NULL);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int vmbr_nl_port_get_dumpit(struct sk_buff *skb,
				   struct netlink_callback *cb)
{
	struct vmbr_port *port;
	bool locks;
	unsigned long idx = 0;
	struct vmbr *vmbr;
	int err = 0;

	rtnl_lock();
	vmbr = vmbr_from_attrs(sock_net(skb->sk), vmbr_dump_attrs(cb),
			       cb->extack);
	if (IS_ERR(vmbr)) {
		err = PTR_ERR(vmbr);
		goto out;
	}
	cb->seq = vmbr->port_seq;
	locks = netlink_net_capable(cb->skb, CAP_NET_ADMIN);
	list_for_each_entry(port, &vmbr->ports, list) {
		if (idx++ < cb->args[0])
			continue;
		err = vmbr_fill_port(skb, port, NETLINK_CB(cb->skb).portid,
				     cb->nlh->nlmsg_seq, NLM_F_MULTI,
				     VMBR_CMD_PORT_GET, locks, cb);
		if (err) {
			idx--;
			break;
		}
	}
	cb->args[0] = idx;
out:
	rtnl_unlock();
	return err == -EMSGSIZE ? skb->len : err;
}

/*
 * Everything a port add or set asks for, checked and allocated before
 * anything changes, so that applying it cannot fail.
 */
struct vmbr_port_req {
	struct vmbr_vlans *vlans;	/* NULL: unchanged */
	struct vmbr_lock_mac *lock_mac;
	bool set_lock_mac;
	struct vmbr_lock_ip *lock_ip;
	bool set_lock_ip;
	struct vmbr_rate *rate_in;	/* NULL with set_rate_in: none */
	bool set_rate_in;
	struct vmbr_rate_cfg rate_out;
	bool set_rate_out;
	bool any;			/* any option at all */
};

/* Free what a request still holds; safe to call more than once. */
static void vmbr_port_req_free(struct vmbr_port_req *req)
{
	kfree(req->vlans);
	kfree(req->lock_mac);
	kfree(req->lock_ip);
	kfree(req->rate_in);
	req->vlans = NULL;
	req->lock_mac = NULL;
	req->lock_ip = NULL;
	req->rate_in = NULL;
}

/* The rate-in and rate-out a request asks of a port on @dev. */
static int vmbr_port_req_parse_rates(struct net_device *dev,
				     struct nlattr **pattrs,
				     struct vmbr_port_req *req,
				     struct netlink_ext_ack *extack)
{
	struct vmbr_rate_cfg cfg;
	int err;

	if (pattrs[VMBR_PORT_A_RATE_IN]) {
		err = vmbr_rate_parse(dev, pattrs[VMBR_PORT_A_RATE_IN],
				      "rate-in", &cfg, extack);
		if (err)
			return err;
		if (cfg.bytes_ps) {
			req->rate_in = vmbr_rate_alloc(&cfg, GFP_KERNEL);
			if (!req->rate_in)
				return -ENOMEM;
		}
		req->set_rate_in = true;
	}
	if (pattrs[VMBR_PORT_A_RATE_OUT]) {
		err = vmbr_rate_parse(dev, pattrs[VMBR_PORT_A_RATE_OUT],
				      "rate-out", &req->rate_out, extack);
		if (err)
			return err;
		req->set_rate_out = true;
	}
	return 0;
}

/*
 * From @port's current settings, or a new port's (access, VLAN 1), on
 * @dev.
 */
static int vmbr_port_req_parse(const struct vmbr_port *port,
			       struct net_device *dev, struct nlattr **pattrs,
			       struct vmbr_port_req *req,
			       struct netlink_ext_ack *extack)
{
	static const struct vmbr_vlans access_1 = { .pvid = VMBR_DEFAULT_VID };
	static const int options[] = {
		VMBR_PORT_A_PVID, VMBR_PORT_A_VLANS, VMBR_PORT_A_ISOLATED,
		VMBR_PORT_A_LOCK_MAC, VMBR_PORT_A_MAX_MACS,
		VMBR_PORT_A_BUM_RATE, VMBR_PORT_A_LOCK_IP,
		VMBR_PORT_A_RATE_IN, VMBR_PORT_A_RATE_OUT,
	};
	int err;
	unsigned int i;

	memset(req, 0, sizeof(*req));
	for (i = 0; i < ARRAY_SIZE(options); i++)
		req->any |= !!pattrs[options[i]];

	req->vlans = vmbr_vlans_from_attrs(port ? vmbr_port_vlans(port) :
					   &access_1,
					   pattrs[VMBR_PORT_A_PVID],
					   pattrs[VMBR_PORT_A_VLANS], extack);
	if (IS_ERR(req->vlans)) {
		int err = PTR_ERR(req->vlans);

		req->vlans = NULL;
		return err;
	}
	if (pattrs[VMBR_PORT_A_LOCK_MAC]) {
		req->lock_mac = vmbr_lock_mac_parse(pattrs[VMBR_PORT_A_LOCK_MAC],
						    extack);
		if (IS_ERR(req->lock_mac)) {
			int err = PTR_ERR(req->lock_mac);

			req->lock_mac = NULL;
			vmbr_port_req_free(req);
			return err;
		}
		req->set_lock_mac = true;
	}
	if (pattrs[VMBR_PORT_A_LOCK_IP]) {
		req->lock_ip = vmbr_lock_ip_parse(pattrs[VMBR_PORT_A_LOCK_IP],
						  extack);
		if (IS_ERR(req->lock_ip)) {
			int err = PTR_ERR(req->lock_ip);

			req->lock_ip = NULL;
			vmbr_port_req_free(req);
			return err;
		}
		req->set_lock_ip = true;
	}
	err = vmbr_port_req_parse_rates(dev, pattrs, req, extack);
	if (err)
		vmbr_port_req_free(req);
	return err;
}

/* Apply what vmbr_port_req_parse() checked; consumes @req.  RTNL. */
static void vmbr_port_req_apply(struct vmbr_port *port,
				struct vmbr_port_req *req,
				struct nlattr **pattrs)
{
	if (req->vlans)
		vmbr_port_set_vlans(port, req->vlans);
	if (req->set_lock_mac)
		vmbr_guard_set_lock_mac(port, req->lock_mac);
	if (req->set_lock_ip)
		vmbr_lock_ip_set(port, req->lock_ip);
	if (pattrs[VMBR_PORT_A_ISOLATED])
		WRITE_ONCE(port->isolated,
			   nla_get_u8(pattrs[VMBR_PORT_A_ISOLATED]));
	if (pattrs[VMBR_PORT_A_MAX_MACS])
		WRITE_ONCE(port->max_macs,
			   nla_get_u32(pattrs[VMBR_PORT_A_MAX_MACS]));
	if (pattrs[VMBR_PORT_A_BUM_RATE])
		vmbr_guard_set_bum_rate(port,
					nla_get_u32(pattrs[VMBR_PORT_A_BUM_RATE]));
	if (req->set_rate_in)
		vmbr_rate_in_set(port, req->rate_in);
	if (req->set_rate_out)
		vmbr_rate_out_set(port, &req->rate_out);
	req->vlans = NULL;
	req->lock_mac = NULL;
	req->lock_ip = NULL;
	req->rate_in = NULL;
}

/* What a port add asks for, applied before the port's first frame. */
struct vmbr_port_add_ctx {
	struct vmbr_port_req *req;
	struct nlattr **pattrs;
};

static void vmbr_port_add_setup_req(struct vmbr_port *port, void *arg)
{
	struct vmbr_port_add_ctx *ctx = arg;

	vmbr_port_req_apply(port, ctx->req, ctx->pattrs);
}

static int vmbr_nl_port_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmbr_port_add_ctx ctx;
	struct nlattr *pattrs[VMBR_PORT_A_MAX + 1];
	struct vmbr_vlans *vlans;
	struct vmbr_port_req req = {};
	struct vmbr *vmbr = info->user_ptr[0];
	struct net_device *dev;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, VMBR_A_PORT))
		return -EINVAL;
	err = vmbr_parse_nest(pattrs, VMBR_PORT_A_MAX, info->attrs[VMBR_A_PORT],
			      vmbr_port_policy, info->extack);
	if (err)
		return err;
	if (!pattrs[VMBR_PORT_A_IFINDEX]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VMBR_A_PORT],
				    "no port given (ifindex)");
		return -EINVAL;
	}
	dev = vmbr_dev_from_attr(vmbr, pattrs[VMBR_PORT_A_IFINDEX],
				 info->extack);
	if (!dev) {
		err = -ENODEV;
		goto out;
	}
	err = vmbr_port_req_parse(NULL, dev, pattrs, &req, info->extack);
	if (err)
		goto out;
	/*
	 * The port takes the VLANs, and the guards before its first frame;
	 * neither can fail once the port is there.
	 */
	vlans = req.vlans;
	req.vlans = NULL;
	ctx.req = &req;
	ctx.pattrs = pattrs;
	err = vmbr_port_add_setup(vmbr, dev, VMBR_ROLE_GUEST, vlans,
				  vmbr_port_add_setup_req, &ctx, info->extack);
	if (!err && req.any)
		vmbr_notify_port(vmbr_port_get_rtnl(dev), VMBR_CMD_PORT_SET);
out:
	vmbr_port_req_free(&req);
	return err;
}

/* Change a port's options (VLANs, guards).  RTNL. */
static int vmbr_port_set(struct vmbr_port *port, struct nlattr **pattrs,
			 struct genl_info *info)
{
	struct vmbr_port_req req;
	int err;

	if (port->role == VMBR_ROLE_UPLINK) {
		if (pattrs[VMBR_PORT_A_RATE_OUT]) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    pattrs[VMBR_PORT_A_RATE_OUT],
					    "rate-out: not on the uplink, whose qdisc the host's own traffic shares: limit each guest (rate-in, rate-out), or shape the uplink device with tc");
			return -EOPNOTSUPP;
		}
		if (pattrs[VMBR_PORT_A_RATE_IN]) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    pattrs[VMBR_PORT_A_RATE_IN],
					    "rate-in: not on the uplink: limit what each guest receives with its rate-out, or police the uplink device with tc");
			return -EOPNOTSUPP;
		}
		NL_SET_ERR_MSG_MOD(info->extack,
				   "this is the uplink: use \"vmbr set NAME uplink-vlans ...\"");
		return -EINVAL;
	}
	err = vmbr_port_req_parse(port, port->dev, pattrs, &req, info->extack);
	if (err)
		return err;
	if (!req.any) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VMBR_A_PORT],
				    "no port option given");
		return -EINVAL;
	}
	vmbr_port_req_apply(port, &req, pattrs);
	vmbr_notify_port(port, VMBR_CMD_PORT_SET);
	return 0;
}

static int vmbr_nl_port_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *pattrs[VMBR_PORT_A_MAX + 1];
	int err;

	err = vmbr_parse_nest(pattrs, VMBR_PORT_A_MAX, info->attrs[VMBR_A_PORT],
			      vmbr_port_policy, info->extack);
	if (err)
		return err;
	return vmbr_port_set(info->user_ptr[1], pattrs, info);
}

static int vmbr_nl_port_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmbr_port *port = info->user_ptr[1];

	if (port->role == VMBR_ROLE_UPLINK) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "this is the uplink: use \"vmbr set NAME uplink none\"");
		return -EINVAL;
	}
	vmbr_port_del(port);
	return 0;
}

/* Commands on the FDB. */

static int vmbr_nl_fdb_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct vmbr *vmbr;
	int err;

	rcu_read_lock();
	vmbr = vmbr_from_attrs(sock_net(skb->sk), vmbr_dump_attrs(cb),
			       cb->extack);
	err = IS_ERR(vmbr) ? PTR_ERR(vmbr) : vmbr_fdb_dump(vmbr, skb, cb);
	rcu_read_unlock();
	return err == -EMSGSIZE ? skb->len : err;
}

/* The {MAC, VID} and, for an add, the port a FDB request names.  RTNL. */
static int vmbr_fdb_req(struct vmbr *vmbr, struct genl_info *info,
			struct nlattr **fattrs, u16 *vid,
			struct vmbr_port **port)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *fdb = info->attrs[VMBR_A_FDB];

	if (!fattrs[VMBR_FDB_A_MAC]) {
		NL_SET_ERR_MSG_ATTR(extack, fdb, "no MAC address given");
		return -EINVAL;
	}
	*vid = fattrs[VMBR_FDB_A_VID] ? nla_get_u16(fattrs[VMBR_FDB_A_VID]) :
					VMBR_DEFAULT_VID;
	if (!port)
		return 0;

	if (!is_valid_ether_addr(nla_data(fattrs[VMBR_FDB_A_MAC]))) {
		NL_SET_ERR_MSG_ATTR(extack, fattrs[VMBR_FDB_A_MAC],
				    "a FDB entry needs a unicast MAC address");
		return -EINVAL;
	}
	if (!fattrs[VMBR_FDB_A_PORT_IFINDEX]) {
		NL_SET_ERR_MSG_ATTR(extack, fdb, "no port given");
		return -EINVAL;
	}
	*port = vmbr_port_by_ifindex(vmbr, fattrs[VMBR_FDB_A_PORT_IFINDEX],
				     true, extack);
	if (IS_ERR(*port))
		return PTR_ERR(*port);
	if (!vmbr_vlan_member(vmbr_port_vlans(*port), *vid)) {
		vmbr_extack_fmt(extack, "the port is not in that VLAN",
				"%s is not in VLAN %u", (*port)->dev->name, *vid);
		return -EINVAL;
	}
	return 0;
}

static int vmbr_nl_fdb_change(struct genl_info *info, u8 cmd)
{
	struct nlattr *fattrs[VMBR_FDB_A_MAX + 1] = {};
	struct vmbr *vmbr = info->user_ptr[0];
	struct vmbr_port *port = NULL;
	u16 vid;
	int err;

	if (info->attrs[VMBR_A_FDB]) {
		err = vmbr_parse_nest(fattrs, VMBR_FDB_A_MAX,
				      info->attrs[VMBR_A_FDB], vmbr_fdb_policy,
				      info->extack);
		if (err)
			return err;
	} else if (cmd != VMBR_CMD_FDB_FLUSH) {
		GENL_REQ_ATTR_CHECK(info, VMBR_A_FDB);
		return -EINVAL;
	}

	switch (cmd) {
	case VMBR_CMD_FDB_ADD:
		err = vmbr_fdb_req(vmbr, info, fattrs, &vid, &port);
		if (!err)
			err = vmbr_fdb_add_static(vmbr, port,
						  nla_data(fattrs[VMBR_FDB_A_MAC]),
						  vid, info->extack);
		break;
	case VMBR_CMD_FDB_DEL:
		err = vmbr_fdb_req(vmbr, info, fattrs, &vid, NULL);
		if (!err)
			err = vmbr_fdb_del(vmbr, nla_data(fattrs[VMBR_FDB_A_MAC]),
					   vid);
		if (err == -ENOENT)
			NL_SET_ERR_MSG_MOD(info->extack, "no such FDB entry");
		break;
	case VMBR_CMD_FDB_FLUSH:
		if (info->attrs[VMBR_A_PORT]) {
			struct nlattr *pattrs[VMBR_PORT_A_MAX + 1];

			err = vmbr_parse_nest(pattrs, VMBR_PORT_A_MAX,
					      info->attrs[VMBR_A_PORT],
					      vmbr_port_policy, info->extack);
			if (err)
				break;
			port = vmbr_port_from_attrs(vmbr, info->attrs, pattrs,
						    info->extack);
			if (IS_ERR(port)) {
				err = PTR_ERR(port);
				break;
			}
		}
		vmbr_fdb_flush(vmbr, port, false);
		break;
	}
	return err;
}

static int vmbr_nl_fdb_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vmbr_nl_fdb_change(info, VMBR_CMD_FDB_ADD);
}

static int vmbr_nl_fdb_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vmbr_nl_fdb_change(info, VMBR_CMD_FDB_DEL);
}

static int vmbr_nl_fdb_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vmbr_nl_fdb_change(info, VMBR_CMD_FDB_FLUSH);
}

/*
 * The prologue of every doit but the dumps', as nl80211's and devlink's:
 * VMBR_NL_NEED_VMBR takes RTNL and finds the vmbridge the request names
 * (info->user_ptr[0]); VMBR_NL_NEED_PORT also the port its VMBR_A_PORT
 * names (info->user_ptr[1]), the nest's policy already checked.
 * post_doit lets RTNL go; it runs only if pre_doit succeeded.
 */
#define VMBR_NL_NEED_VMBR	BIT(0)
#define VMBR_NL_NEED_PORT	(VMBR_NL_NEED_VMBR | BIT(1))

static int vmbr_nl_pre_doit(const struct vmbr_genl_op *ops,
			    struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *ifindex;
	struct vmbr_port *port;
	struct vmbr *vmbr;
	int err;

	if (!(ops->internal_flags & VMBR_NL_NEED_VMBR))
		return 0;
	rtnl_lock();
	vmbr = vmbr_from_attrs(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(vmbr)) {
		err = PTR_ERR(vmbr);
		goto fail;
	}
	info->user_ptr[0] = vmbr;
	if ((ops->internal_flags & VMBR_NL_NEED_PORT) != VMBR_NL_NEED_PORT)
		return 0;

	err = -EINVAL;
	if (GENL_REQ_ATTR_CHECK(info, VMBR_A_PORT))
		goto fail;
	ifindex = nla_find_nested(info->attrs[VMBR_A_PORT],
				  VMBR_PORT_A_IFINDEX);
	if (!ifindex) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VMBR_A_PORT],
				    "no port given (ifindex)");
		goto fail;
	}
	port = vmbr_port_by_ifindex(vmbr, ifindex, false, info->extack);
	if (IS_ERR(port)) {
		err = PTR_ERR(port);
		goto fail;
	}
	info->user_ptr[1] = port;
	return 0;

fail:
	rtnl_unlock();
	return err;
}

static void vmbr_nl_post_doit(const struct vmbr_genl_op *ops,
			      struct sk_buff *skb, struct genl_info *info)
{
	if (ops->internal_flags & VMBR_NL_NEED_VMBR)
		rtnl_unlock();
}

static const struct genl_ops vmbr_genl_ops[] = {
	{
		.cmd = VMBR_CMD_GET,
		.internal_flags = VMBR_NL_NEED_VMBR,
		.policy = vmbr_dev_policy,
		.maxattr = VMBR_A_MAX,
		.doit = vmbr_nl_get_doit,
		.dumpit = vmbr_nl_get_dumpit,
	},
	{
		.cmd = VMBR_CMD_SET,
		.internal_flags = VMBR_NL_NEED_VMBR,
		.policy = vmbr_set_policy,
		.maxattr = VMBR_A_MAX,
		.doit = vmbr_nl_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VMBR_CMD_PORT_GET,
		.internal_flags = VMBR_NL_NEED_PORT,
		.policy = vmbr_port_ref_op_policy,
		.maxattr = VMBR_A_MAX,
		.doit = vmbr_nl_port_get_doit,
		.dumpit = vmbr_nl_port_get_dumpit,
	},
	{
		.cmd = VMBR_CMD_PORT_ADD,
		.internal_flags = VMBR_NL_NEED_VMBR,
		.policy = vmbr_port_op_policy,
		.maxattr = VMBR_A_MAX,
		.doit = vmbr_nl_port_add_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VMBR_CMD_PORT_SET,
		.internal_flags = VMBR_NL_NEED_PORT,
		.policy = vmbr_port_op_policy,
		.maxattr = VMBR_A_MAX,
		.doit = vmbr_nl_port_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VMBR_CMD_PORT_DEL,
		.internal_flags = VMBR_NL_NEED_PORT,
		.policy = vmbr_port_ref_op_policy,
		.maxattr = VMBR_A_MAX,
		.doit = vmbr_nl_port_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VMBR_CMD_FDB_GET,
		.policy = vmbr_fdb_op_policy,
		.maxattr = VMBR_A_MAX,
		.dumpit = vmbr_nl_fdb_get_dumpit,
	},
	{
		.cmd = VMBR_CMD_FDB_ADD,
		.internal_flags = VMBR_NL_NEED_VMBR,
		.policy = vmbr_fdb_op_policy,
		.maxattr = VMBR_A_MAX,
		.doit = vmbr_nl_fdb_add_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VMBR_CMD_FDB_DEL,
		.internal_flags = VMBR_NL_NEED_VMBR,
		.policy = vmbr_fdb_op_policy,
		.maxattr = VMBR_A_MAX,
		.doit = vmbr_nl_fdb_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VMBR_CMD_FDB_FLUSH,
		.internal_flags = VMBR_NL_NEED_VMBR,
		.policy = vmbr_fdb_op_policy,
		.maxattr = VMBR_A_MAX,
		.doit = vmbr_nl_fdb_flush_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VMBR_CMD_NAT_GET,
		.internal_flags = VMBR_NL_NEED_VMBR,
		.policy = vmbr_dev_policy,
		.maxattr = VMBR_A_MAX,
		.doit = vmbr_nl_nat_get_doit,
	},
	{
		.cmd = VMBR_CMD_NAT_SET,
		.internal_flags = VMBR_NL_NEED_VMBR,
		.policy = vmbr_nat_set_policy,
		.maxattr = VMBR_A_MAX,
		.doit = vmbr_nl_nat_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VMBR_CMD_NAT_SESSION_GET,
		.policy = vmbr_dev_policy,
		.maxattr = VMBR_A_MAX,
		.dumpit = vmbr_nl_nat_session_dumpit,
		/* Who talks to whom: as conntrack's dumps, CAP_NET_ADMIN's. */
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VMBR_CMD_NAT_FLUSH,
		.internal_flags = VMBR_NL_NEED_VMBR,
		.policy = vmbr_dev_policy,
		.maxattr = VMBR_A_MAX,
		.doit = vmbr_nl_nat_flush_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VMBR_CMD_NAT_FWD_GET,
		.policy = vmbr_nat_fwd_op_policy,
		.maxattr = VMBR_A_MAX,
		.dumpit = vmbr_nl_nat_fwd_dumpit,
	},
	{
		.cmd = VMBR_CMD_NAT_FWD_ADD,
		.internal_flags = VMBR_NL_NEED_VMBR,
		.policy = vmbr_nat_fwd_op_policy,
		.maxattr = VMBR_A_MAX,
		.doit = vmbr_nl_nat_fwd_add_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VMBR_CMD_NAT_FWD_DEL,
		.internal_flags = VMBR_NL_NEED_VMBR,
		.policy = vmbr_nat_fwd_op_policy,
		.maxattr = VMBR_A_MAX,
		.doit = vmbr_nl_nat_fwd_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family vmbr_genl_family __ro_after_init = {
	.name		= VMBR_GENL_NAME,
	.version	= VMBR_GENL_VERSION,
	.netnsok	= true,
	.pre_doit	= vmbr_nl_pre_doit,
	.post_doit	= vmbr_nl_post_doit,
	.module		= THIS_MODULE,
	.ops		= vmbr_genl_ops,
	.n_ops		= ARRAY_SIZE(vmbr_genl_ops),
	.resv_start_op	= VMBR_CMD_GET,
	.mcgrps		= vmbr_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(vmbr_mcgrps),
};

int vmbr_genl_init(void)
{
	return genl_register_family(&vmbr_genl_family);
}

void vmbr_genl_exit(void)
{
	genl_unregister_family(&vmbr_genl_family);
}
