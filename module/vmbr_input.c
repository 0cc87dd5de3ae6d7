// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge: the top of the data path, the rx handler of every port.
 *
 * Read top-down: take the frame, parse it, find its VLAN, apply the
 * port's guards, learn its source, classify its destination, then deliver
 * it (vmbr_forward.c applies the mode's policy, the VLANs of the way out
 * and the egress checks).  Runs in softirq under RCU; never sleeps.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>

#include "vmbr.h"

/*
 * Is the Ethernet header of a frame the core has already taken apart
 * (eth_type_trans() pulled it, skb_vlan_untag() moved an 802.1Q tag into
 * skb->vlan_tci) one to forward?  Returns the reason to drop it, or
 * VMBR_DROP_UNSPEC.
 */
inline enum vmbr_drop_reason vmbr_parse(const struct sk_buff *skb)
{
	if (unlikely(!skb_mac_header_was_set(skb) ||
		     skb_mac_header_len(skb) < ETH_HLEN))
		return VMBR_DROP_MALFORMED;
	/* A source must be a station: never a group address, never zero. */
	if (unlikely(!is_valid_ether_addr(eth_hdr(skb)->h_source)))
		return VMBR_DROP_BAD_SRC_MAC;
	return VMBR_DROP_UNSPEC;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_parse);

/*
 * A frame the core has untagged still carries a VLAN ethertype: a second
 * tag, behind a priority tag ([VID 0][VID 20]) or an outer one, or an
 * 802.1ad tag inside.  No port carries two tags, and nothing after
 * classification (lock-ip, the NAT, the way out) may meet one it would
 * take for the payload: the frame is the VLAN policy's to refuse.
 */
static inline bool vmbr_vlan_hidden_tag(const struct sk_buff *skb)
{
	return eth_type_vlan(skb->protocol);
}

/*
 * Refuse a frame: a guest's is dropped and counted with its reason; the
 * uplink's goes on up the uplink's own stack, as if the vmbridge were not
 * there (the host's address on that device must keep answering whatever
 * the vmbridge's VLANs are), counted as not switched.
 */
static rx_handler_result_t vmbr_refuse(struct vmbr_port *port,
				       struct sk_buff *skb,
				       enum vmbr_drop_reason reason)
{
	if (port->role == VMBR_ROLE_UPLINK) {
		vmbr_count_not_switched(port);
		return RX_HANDLER_PASS;
	}
	vmbr_count_rx(port, skb->len + skb->mac_len);
	vmbr_drop(port, skb, reason);
	return RX_HANDLER_CONSUMED;
}

/*
 * A frame the uplink carries for the host's own use of that device: its
 * unicast MAC.  The host keeps its address and traffic on the uplink.
 */
static bool vmbr_for_uplink_host(const struct vmbr_port *port, const u8 *dst)
{
	return port->role == VMBR_ROLE_UPLINK &&
	       ether_addr_equal(dst, port->dev->dev_addr);
}

/*
 * A guest's frame to the gateway in NAT mode: unicast to vmbr0's MAC, in
 * the VLAN vmbr0 sits in.
 */
static bool vmbr_to_nat_gateway(const struct vmbr *vmbr,
				const struct vmbr_port *port, const u8 *dst,
				u16 vid)
{
	return READ_ONCE(vmbr->mode) == VMBR_MODE_NAT &&
	       port->role == VMBR_ROLE_GUEST &&
	       ether_addr_equal(dst, vmbr->dev->dev_addr) &&
	       vid == vmbr_port_vlans(&vmbr->host)->pvid;
}

rx_handler_result_t vmbr_handle_frame(struct sk_buff **pskb)
{
	const struct vmbr_vni_map *map;
	struct sk_buff *skb = *pskb;
	enum vmbr_drop_reason reason;
	const struct ethhdr *eth;
	struct vmbr_port *port;
	struct vmbr *vmbr;
	u16 vid, prio;

	if (unlikely(skb->pkt_type == PACKET_LOOPBACK))
		return RX_HANDLER_PASS;
	port = vmbr_port_get_rcu(skb->dev);
	vmbr = port->vmbr;

	/*
	 * The uplink in NAT mode gives guests only what their mappings
	 * receive; in a mode without an uplink it is the host's device,
	 * untouched.
	 */
	if (port->role == VMBR_ROLE_UPLINK) {
		if (READ_ONCE(vmbr->mode) == VMBR_MODE_NAT)
			return vmbr_nat_inbound(vmbr, port, pskb);
		if (!READ_ONCE(vmbr->reach[VMBR_ROLE_UPLINK]))
			return RX_HANDLER_PASS;
	}

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (unlikely(!skb)) {
		vmbr_count_drop(port, VMBR_DROP_NOMEM);
		return RX_HANDLER_CONSUMED;
	}
	*pskb = skb;

	/* Parse. */
	reason = vmbr_parse(skb);
	if (unlikely(reason))
		return vmbr_refuse(port, skb, reason);
	eth = eth_hdr(skb);
	if (vmbr_for_uplink_host(port, eth->h_dest))
		return RX_HANDLER_PASS;

	/*
	 * Classify: the VLAN it belongs to (the core has moved its tag), or
	 * from a metadata tunnel, the VLAN of its VNI.
	 */
	if (unlikely(vmbr_vlan_hidden_tag(skb)))
		return vmbr_refuse(port, skb, VMBR_DROP_VLAN);
	map = NULL;
	if (unlikely(port->role == VMBR_ROLE_UPLINK))
		map = rcu_dereference(vmbr->vni_map);
	if (unlikely(map)) {
		reason = vmbr_tunnel_ingress(map, skb, &vid);
		prio = 0;
		/* A VNI not carried here is no one's on this host. */
		if (unlikely(reason)) {
			vmbr_count_rx(port, skb->len + skb->mac_len);
			vmbr_drop(port, skb, reason);
			return RX_HANDLER_CONSUMED;
		}
	} else {
		reason = vmbr_vlan_ingress(vmbr_port_vlans(port), skb, &vid,
					   &prio);
		if (unlikely(reason))
			return vmbr_refuse(port, skb, reason);
	}
	vmbr_count_rx(port, skb->len + skb->mac_len);

	/* Policy at the door: a locked port sends from its own MACs only... */
	if (unlikely(!vmbr_guard_src_ok(port, eth->h_source))) {
		vmbr_notify_limit(vmbr, port, VMBR_LIMIT_LOCKED_MAC);
		vmbr_drop(port, skb, VMBR_DROP_LOCKED_MAC);
		return RX_HANDLER_CONSUMED;
	}
	/* ... and, under lock-ip, its own addresses. */
	reason = vmbr_lock_ip_check(port, skb);
	if (unlikely(reason)) {
		if (reason == VMBR_DROP_LOCKED_IP)
			vmbr_notify_limit(vmbr, port, VMBR_LIMIT_LOCKED_IP);
		vmbr_drop(port, skb, reason);
		return RX_HANDLER_CONSUMED;
	}
	/* ... and, under rate-in, no more than its rate (to the host too). */
	if (unlikely(!vmbr_rate_in_ok(port, skb))) {
		vmbr_drop(port, skb, VMBR_DROP_RATE);
		return RX_HANDLER_CONSUMED;
	}

	/* Learn where the source lives. */
	vmbr_fdb_learn(vmbr, port, eth->h_source, vid);

	/* NAT mode: the gateway routes what guests send it to the outside. */
	if (vmbr_to_nat_gateway(vmbr, port, eth->h_dest, vid) &&
	    vmbr_nat_outbound(vmbr, port, skb))
		return RX_HANDLER_CONSUMED;

	/*
	 * From here on the frame is handled with its Ethernet header (read
	 * afresh: the NAT may have pulled the IPv4 header into a new head).
	 */
	__skb_push(skb, skb->mac_len);
	eth = eth_hdr(skb);

	/*
	 * Deliver.  Group frames from the uplink are also the host's on that
	 * device: copies go to the vmbridge, the frame itself goes on up the
	 * uplink's stack, as it came.
	 */
	if (is_multicast_ether_addr(eth->h_dest)) {
		if (port->role == VMBR_ROLE_UPLINK) {
			vmbr_flood(vmbr, port, skb, vid, prio, false);
			__skb_pull(skb, skb->mac_len);
			return RX_HANDLER_PASS;
		}
		vmbr_flood(vmbr, port, skb, vid, prio, true);
		return RX_HANDLER_CONSUMED;
	}
	vmbr_forward(vmbr, port, skb, vid, prio);
	return RX_HANDLER_CONSUMED;
}
