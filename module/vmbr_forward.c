// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge: delivering a frame, to one port, to every port it may reach
 * (flooding), or up the host's stack through the vmbridge device.
 *
 * Every function here takes the frame with skb->data at its Ethernet header
 * and consumes it.  The mode's policy is one table lookup (vmbr::reach,
 * built when the mode is set); VLAN membership, MTU and the egress device's
 * state are checked per destination, and each copy leaves tagged or not as
 * its port wants (vmbr_vlan.c).  Drops are counted on the port the frame came
 * from, with their reason, and freed with a kernel drop reason.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>

#include "vmbr.h"

static const enum skb_drop_reason vmbr_skb_drop_reason[__VMBR_DROP_MAX] = {
	[VMBR_DROP_UNSPEC]	= SKB_DROP_REASON_NOT_SPECIFIED,
	[VMBR_DROP_MALFORMED]	= SKB_DROP_REASON_PKT_TOO_SMALL,
	[VMBR_DROP_BAD_SRC_MAC]	= VMBR_SKB_DROP_BAD_SRC,
	[VMBR_DROP_MTU]		= SKB_DROP_REASON_PKT_TOO_BIG,
	[VMBR_DROP_POLICY]	= SKB_DROP_REASON_NOT_SPECIFIED,
	[VMBR_DROP_SAME_PORT]	= SKB_DROP_REASON_NOT_SPECIFIED,
	[VMBR_DROP_NOMEM]	= SKB_DROP_REASON_NOMEM,
	[VMBR_DROP_PORT_DOWN]	= SKB_DROP_REASON_DEV_READY,
	[VMBR_DROP_VLAN]	= SKB_DROP_REASON_NOT_SPECIFIED,
	[VMBR_DROP_ISOLATED]	= SKB_DROP_REASON_NOT_SPECIFIED,
	[VMBR_DROP_LOCKED_MAC]	= VMBR_SKB_DROP_BAD_SRC,
	[VMBR_DROP_BUM_RATE]	= SKB_DROP_REASON_NOT_SPECIFIED,
	[VMBR_DROP_LOCKED_IP]	= SKB_DROP_REASON_NOT_SPECIFIED,
	/* where tc's ingress policer, rate-in's alternative, drops */
	[VMBR_DROP_RATE]	= SKB_DROP_REASON_TC_INGRESS,
	[VMBR_DROP_VNI]		= VMBR_SKB_DROP_VNI,
};

void vmbr_drop(struct vmbr_port *port, struct sk_buff *skb,
	       enum vmbr_drop_reason reason)
{
	vmbr_count_drop(port, reason);
	kfree_skb_reason(skb, vmbr_skb_drop_reason[reason]);
}

/*
 * Does a frame (skb->data at its Ethernet header) fit @dev's MTU?  A GSO
 * super-packet fits if each of its segments will.
 */
bool vmbr_fits_mtu(const struct sk_buff *skb, const struct net_device *dev)
{
	unsigned int max_len = READ_ONCE(dev->mtu) + ETH_HLEN;

	if (skb->len <= max_len)
		return true;
	return skb_is_gso(skb) && skb_gso_validate_mac_len(skb, max_len);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_fits_mtu);

/* Up the host's stack, as if received on the vmbridge device. */
static void vmbr_deliver_host(struct vmbr *vmbr, struct sk_buff *skb)
{
	struct net_device *dev = vmbr->dev;

	vmbr_count_tx(&vmbr->host, skb->len);
	skb->dev = dev;
	/*
	 * The port may have classed the frame as another host's (it is
	 * promiscuous); eth_type_trans() only ever demotes, so start over.
	 */
	skb->pkt_type = PACKET_HOST;
	skb->protocol = eth_type_trans(skb, dev);
	netif_receive_skb(skb);
}

static __always_inline void vmbr_deliver_port(struct vmbr_port *from,
					      struct vmbr_port *to,
					      struct sk_buff *skb)
{
	if (unlikely(!netif_running(to->dev))) {
		vmbr_drop(from, skb, VMBR_DROP_PORT_DOWN);
		return;
	}
	if (unlikely(!vmbr_fits_mtu(skb, to->dev))) {
		vmbr_drop(from, skb, VMBR_DROP_MTU);
		return;
	}
	skb_forward_csum(skb);
	skb_clear_tstamp(skb);
	skb->dev = to->dev;
	vmbr_count_tx(to, skb->len);
	dev_queue_xmit(skb);
}

/*
 * Inline (with vmbr_deliver_port()) in each of its three callers: a unicast
 * frame's way from the rx handler to dev_queue_xmit() is then one call.
 */
static __always_inline void vmbr_deliver(struct vmbr *vmbr,
					 struct vmbr_port *from,
					 struct vmbr_port *to,
					 struct sk_buff *skb, u16 vid, u16 prio)
{
	if (unlikely(!vmbr_vlan_egress(vmbr_port_vlans(to), skb, vid, prio))) {
		vmbr_drop(from, skb, VMBR_DROP_VLAN);
		return;
	}
	if (to->role == VMBR_ROLE_HOST) {
		vmbr_deliver_host(vmbr, skb);
		return;
	}
	if (unlikely(to->role == VMBR_ROLE_UPLINK)) {
		const struct vmbr_vni_map *map = rcu_dereference(vmbr->vni_map);

		/* To a metadata tunnel, the VLAN is the tunnel id. */
		if (unlikely(map) && !vmbr_tunnel_egress(map, skb, vid)) {
			vmbr_drop(from, skb, VMBR_DROP_NOMEM);
			return;
		}
	}
	vmbr_deliver_port(from, to, skb);
}

static void vmbr_deliver_clone(struct vmbr *vmbr, struct vmbr_port *from,
			       struct vmbr_port *to, struct sk_buff *skb,
			       u16 vid, u16 prio)
{
	struct sk_buff *copy = skb_clone(skb, GFP_ATOMIC);

	if (unlikely(!copy)) {
		vmbr_count_drop(from, VMBR_DROP_NOMEM);
		return;
	}
	vmbr_deliver(vmbr, from, to, copy, vid, prio);
}

/* Does a frame of VLAN @vid flooded from @from go to @to? */
bool vmbr_flood_to(const struct vmbr *vmbr, const struct vmbr_port *from,
		   const struct vmbr_port *to, u16 vid)
{
	return to != from && vmbr_may_reach(vmbr, from, to) &&
	       !vmbr_guard_isolated(from, to) && netif_running(to->dev) &&
	       vmbr_vlan_member(vmbr_port_vlans(to), vid);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_flood_to);

/*
 * Send a frame of VLAN @vid (with the 802.1Q priority bits @prio, kept on
 * tagged ports) to every port of that VLAN that @from may reach, and to the
 * host if it may.  Every destination but the last gets a clone; the last
 * gets @skb itself when @consume, else a clone too and @skb stays the
 * caller's.
 */
void vmbr_flood(struct vmbr *vmbr, struct vmbr_port *from,
		struct sk_buff *skb, u16 vid, u16 prio, bool consume)
{
	struct vmbr_port *to, *prev = NULL;

	/* A port's storm of broadcast, multicast and unknown unicast ends here. */
	if (unlikely(READ_ONCE(from->bum_rate)) &&
	    !vmbr_guard_bum_ok(from, ktime_get_ns())) {
		if (consume)
			vmbr_drop(from, skb, VMBR_DROP_BUM_RATE);
		return;
	}
	list_for_each_entry_rcu(to, &vmbr->ports, list) {
		if (!vmbr_flood_to(vmbr, from, to, vid))
			continue;
		if (prev)
			vmbr_deliver_clone(vmbr, from, prev, skb, vid, prio);
		prev = to;
	}
	if (vmbr_flood_to(vmbr, from, &vmbr->host, vid)) {
		if (prev)
			vmbr_deliver_clone(vmbr, from, prev, skb, vid, prio);
		prev = &vmbr->host;
	}

	if (!prev) {
		if (consume)
			consume_skb(skb);
		return;
	}
	if (consume)
		vmbr_deliver(vmbr, from, prev, skb, vid, prio);
	else
		vmbr_deliver_clone(vmbr, from, prev, skb, vid, prio);
}

/*
 * A unicast frame of VLAN @vid: to the host, to the port the FDB knows, or
 * flooded.
 */
void vmbr_forward(struct vmbr *vmbr, struct vmbr_port *from,
		  struct sk_buff *skb, u16 vid, u16 prio)
{
	const u8 *dst = eth_hdr(skb)->h_dest;
	struct vmbr_port *to;

	if (ether_addr_equal(dst, vmbr->dev->dev_addr))
		to = &vmbr->host;	/* in another VLAN, vmbr_deliver() drops it */
	else
		to = vmbr_fdb_lookup_fast(vmbr, dst, vid);
	if (!to) {
		vmbr_flood(vmbr, from, skb, vid, prio, true);
		return;
	}
	if (unlikely(to == from)) {
		vmbr_drop(from, skb, VMBR_DROP_SAME_PORT);
		return;
	}
	if (unlikely(!vmbr_may_reach(vmbr, from, to))) {
		vmbr_drop(from, skb, VMBR_DROP_POLICY);
		return;
	}
	if (unlikely(vmbr_guard_isolated(from, to))) {
		vmbr_drop(from, skb, VMBR_DROP_ISOLATED);
		return;
	}
	vmbr_deliver(vmbr, from, to, skb, vid, prio);
}
