// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge: NAT mode's data path.  The vmbridge is the guests' IPv4
 * gateway: what a guest sends to vmbr0's MAC for a destination the host
 * routes via the uplink is translated here and sent out of the uplink; what
 * comes back to the uplink's address for a mapping is translated and sent
 * to the guest.  All in softirq, with no help from the host's IP stack:
 * no ip_forward, no netfilter hook, no conntrack.  The host's own traffic
 * on the uplink never matches a mapping (mappings never take the host's
 * ephemeral or reserved ports) and goes up its stack untouched.
 *
 * Read top-down: vmbr_nat_outbound() (parse, find the session and its
 * cached next hop or else route, TTL, reassemble, open the session if new,
 * MTU, rewrite, send), then vmbr_nat_inbound() (the same the other way),
 * then what both use: sending via a neighbour, fragmenting, ICMP errors
 * from the gateway.
 *
 * Guests reach the host's own addresses as they would through any router:
 * those packets are not translated but go up vmbr0 (DHCP, DNS, ssh to the
 * gateway), except a guest's packet to the uplink address for a port
 * forward, which hairpins to the forwarded guest (RFC 4787 REQ-9).
 */
#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/if_vlan.h>
#include <linux/inetdevice.h>
#include <net/arp.h>
#include <net/ip.h>
#include <net/ip_fib.h>
#include <net/neighbour.h>
#include <net/route.h>
#include <net/tcp.h>

#include "vmbr.h"
#include "vmbr_nat.h"

/*
 * Reassembly queues are keyed by their user: the kernel has no value for
 * modules, and this one's (macvlan's, an rx handler too) is never used on
 * the same device as a vmbridge port.
 */
#define VMBR_NAT_DEFRAG_USER	IP_DEFRAG_MACVLAN

/* The most of a packet an ICMP error quotes (RFC 1812 4.3.2.3). */
#define VMBR_NAT_ICMP_MAX_LEN	576

static const enum skb_drop_reason vmbr_nat_skb_drop_reason[__VMBR_NAT_DROP_MAX] = {
	[VMBR_NAT_DROP_MALFORMED]	= SKB_DROP_REASON_IP_INHDR,
	[VMBR_NAT_DROP_NO_ROUTE]	= SKB_DROP_REASON_IP_OUTNOROUTES,
	[VMBR_NAT_DROP_MTU]		= SKB_DROP_REASON_PKT_TOO_BIG,
	[VMBR_NAT_DROP_NOMEM]		= SKB_DROP_REASON_NOMEM,
};

static void vmbr_nat_drop(struct vmbr_nat *nat, struct sk_buff *skb,
			  enum vmbr_nat_drop_reason why)
{
	enum skb_drop_reason reason = vmbr_nat_skb_drop_reason[why];

	vmbr_nat_count_drop(nat, why);
	kfree_skb_reason(skb, reason ?: SKB_DROP_REASON_NOT_SPECIFIED);
}

/* A bound refused a new session: say so on "events" (rate-limited). */
static void vmbr_nat_refused(struct vmbr *vmbr, struct vmbr_port *guest,
			     enum vmbr_nat_drop_reason why)
{
	static const u8 limit[__VMBR_NAT_DROP_MAX] = {
		[VMBR_NAT_DROP_TABLE_FULL] = VMBR_LIMIT_NAT_SESSIONS + 1,
		[VMBR_NAT_DROP_GUEST_FULL] = VMBR_LIMIT_NAT_GUEST_SESSIONS + 1,
		[VMBR_NAT_DROP_NO_PORT]	   = VMBR_LIMIT_NAT_PORTS + 1,
	};

	if (limit[why])
		vmbr_notify_limit(vmbr, guest ?: &vmbr->host, limit[why] - 1);
}

static void vmbr_nat_neigh_xmit(struct net_device *dev, __be32 nexthop,
				struct sk_buff *skb);
static inline void vmbr_nat_send(struct vmbr_nat *nat, struct net_device *dev,
				 __be32 nexthop, struct sk_buff *skb,
				 unsigned int frag_max);
static void vmbr_nat_icmp_send(struct vmbr *vmbr, const struct sk_buff *in,
			       u8 type, u8 code, u32 mtu);
static void vmbr_nat_frag_needed_out(struct vmbr *vmbr,
				     struct net_device *uplink,
				     const struct sk_buff *in, u32 mtu);

/*
 * Is @skb (@pkt) bigger than @mtu and not to be cut (DF set, and no GSO
 * whose segments would fit)?  Then the sender is told, with @mtu.  One
 * reassembled here is cut again as it was sent (vmbr_nat_send()): too big
 * when a fragment of it was, with DF (ip_frag_reasm() sets DF then); its
 * fragments are no bigger than it, so what fits is never too big.
 */
static __always_inline bool vmbr_nat_too_big(const struct sk_buff *skb,
					     const struct vmbr_nat_pkt *pkt,
					     unsigned int mtu)
{
	if (likely(skb->len <= mtu) ||
	    !(ip_hdr(skb)->frag_off & htons(IP_DF)))
		return false;
	if (unlikely(pkt->frag_max))
		return pkt->frag_max > mtu;
	return !(skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu));
}

/*
 * Is @daddr, from @saddr (0: any), routed via @uplink?  Then *@nexthop is
 * the neighbour to send to (the gateway, or @daddr itself on the uplink's
 * subnet).  RCU.
 */
static bool vmbr_nat_route(struct net *net, __be32 saddr, __be32 daddr,
			   const struct net_device *uplink, __be32 *nexthop)
{
	struct flowi4 fl4 = {
		.saddr = saddr,
		.daddr = daddr,
		.flowi4_iif = LOOPBACK_IFINDEX,
		.flowi4_scope = RT_SCOPE_UNIVERSE,
	};
	struct fib_nh_common *nhc;
	struct fib_result res;

	if (fib_lookup(net, &fl4, &res, 0) || res.type != RTN_UNICAST)
		return false;
	nhc = FIB_RES_NHC(res);
	if (nhc->nhc_dev != uplink)
		return false;
	switch (nhc->nhc_gw_family) {
	case AF_INET:
		*nexthop = nhc->nhc_gw.ipv4;
		return true;
	case 0:
		*nexthop = daddr;
		return true;
	default:	/* an IPv6 next hop for IPv4 (RFC 5549): not here */
		return false;
	}
}

/* The session key of a guest's packet out. */
static void vmbr_nat_out_key(const struct vmbr_nat_pkt *pkt,
			     struct vmbr_nat_key *key)
{
	*key = (struct vmbr_nat_key) {
		.int_addr = pkt->saddr, .int_port = pkt->sport,
		.rem_addr = pkt->daddr,
		.rem_port = pkt->proto == IPPROTO_ICMP ? 0 : pkt->dport,
		.proto = pkt->proto,
	};
}

/* The guest's session of an outbound packet, opened: it is new. */
static struct vmbr_nat_sess *vmbr_nat_out_session(struct vmbr *vmbr,
						  struct vmbr_port *from,
						  const struct vmbr_nat_pkt *pkt,
						  enum vmbr_nat_drop_reason *why)
{
	struct vmbr_nat_sess *sess;
	struct vmbr_nat_key key;

	vmbr_nat_out_key(pkt, &key);
	sess = vmbr_nat_sess_add_out(&vmbr->nat, dev_net(vmbr->dev), from,
				     &key, why);
	if (!sess)
		vmbr_nat_refused(vmbr, from, *why);
	return sess;
}

/*
 * A guest reports an error about a packet that came in through its
 * mapping (say, port unreachable for a port forward): the error leaves
 * from the uplink address, about the external port.
 */
static bool vmbr_nat_out_icmp_error(struct vmbr *vmbr, struct sk_buff *skb,
				    const struct vmbr_nat_pkt *pkt,
				    struct net_device *uplink, __be32 nexthop)
{
	struct vmbr_nat_key key = {
		.int_addr = pkt->daddr, .int_port = pkt->dport,
		.rem_addr = pkt->saddr,
		.rem_port = pkt->proto == IPPROTO_ICMP ? 0 : pkt->sport,
		.proto = pkt->proto,
	};
	struct vmbr_nat *nat = &vmbr->nat;
	const struct iphdr *iph = ip_hdr(skb);
	struct vmbr_nat_sess *sess;

	/*
	 * Only from the guest the flow is of, to its peer: no guest reports
	 * errors on another's flow (under lock-ip its source is its own).
	 */
	sess = vmbr_nat_sess_find(nat, &key);
	if (!sess || iph->saddr != key.int_addr || iph->daddr != key.rem_addr) {
		vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_NO_SESSION);
		return true;
	}
	if (vmbr_nat_rewrite_icmp_error(skb, pkt, true,
					READ_ONCE(nat->ext_addr),
					sess->map->ek.port)) {
		vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_NOMEM);
		return true;
	}
	ip_decrease_ttl(ip_hdr(skb));
	vmbr_nat_count(nat, VMBR_NAT_EV_ICMP_ERRORS);
	vmbr_nat_count_add(nat, true, skb->len);
	skb_scrub_packet(skb, true);
	__vlan_hwaccel_clear_tag(skb);
	vmbr_nat_send(nat, uplink, nexthop, skb, pkt->frag_max);
	return true;
}

/*
 * A guest's packet, already translated to the uplink address, was for the
 * uplink address itself: deliver it through the mapping it names (a port
 * forward, or the caller's mapping when the forwarded guest answers), as
 * if it had come in from outside, filtering included.
 */
static void vmbr_nat_hairpin(struct vmbr *vmbr, struct vmbr_nat_map *fwd,
			     struct sk_buff *skb, struct vmbr_nat_pkt *pkt,
			     __be16 ext_port)
{
	struct vmbr_nat_key key = {
		.int_addr = fwd->ik.addr, .int_port = fwd->ik.port,
		.rem_addr = READ_ONCE(vmbr->nat.ext_addr), .rem_port = ext_port,
		.proto = fwd->ik.proto,
	};
	struct vmbr_nat *nat = &vmbr->nat;
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_sess *sess;

	sess = vmbr_nat_sess_find(nat, &key);
	if (!sess) {
		sess = vmbr_nat_sess_add_in(nat, fwd, key.rem_addr, ext_port,
					    &why);
		if (!sess) {
			vmbr_nat_refused(vmbr, fwd->guest, why);
			vmbr_nat_drop(nat, skb, why);
			return;
		}
	}
	vmbr_nat_sess_seen(sess, false, pkt);
	if (vmbr_nat_rewrite(skb, pkt, false, fwd->ik.addr, fwd->ik.port)) {
		vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_NOMEM);
		return;
	}
	vmbr_nat_count(nat, VMBR_NAT_EV_HAIRPIN);
	vmbr_nat_send(nat, vmbr->dev, fwd->ik.addr, skb, 0);
}

/*
 * A guest answers the host's own connection to a port forward (see
 * vmbr_nat_local.c): the host must see the answer come from the uplink
 * address and forwarded port it called, and from lo with a local route,
 * as the host's packets to itself come (anywhere else a packet from one of
 * the host's addresses is a martian).  Returns whether it took the packet.
 */
static bool vmbr_nat_reply_to_host(struct vmbr *vmbr, struct sk_buff *skb,
				   const struct vmbr_nat_pkt *pkt)
{
	struct net *net = dev_net(vmbr->dev);
	struct vmbr_nat *nat = &vmbr->nat;
	struct flowi4 fl4 = {
		.daddr = pkt->daddr,
		.saddr = pkt->daddr,
	};
	struct rtable *rt;
	struct vmbr_nat_key key = {
		.int_addr = pkt->saddr, .int_port = pkt->sport,
		.rem_addr = pkt->daddr, .rem_port = pkt->dport,
		.proto = pkt->proto,
	};
	struct vmbr_nat_sess *sess = vmbr_nat_sess_find(nat, &key);

	if (!sess || !sess->map->forward)
		return false;
	vmbr_nat_sess_seen(sess, true, pkt);
	if (vmbr_nat_rewrite(skb, pkt, true, pkt->daddr, sess->map->ek.port)) {
		vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_NOMEM);
		return true;
	}
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt)) {
		vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_NO_ROUTE);
		return true;
	}
	vmbr_nat_count(nat, VMBR_NAT_EV_HAIRPIN);
	skb_scrub_packet(skb, true);
	__vlan_hwaccel_clear_tag(skb);
	skb_dst_set(skb, &rt->dst);
	skb_reset_mac_header(skb);
	skb->mac_len = 0;
	skb->dev = net->loopback_dev;
	netif_receive_skb(skb);
	return true;
}

/*
 * A guest's frame for the gateway's MAC, with skb->data at its network
 * header.  Returns false if the NAT does not take it (it is for the host
 * itself: DHCP, DNS, ARP, a service on the gateway), else consumes it.
 */
bool vmbr_nat_outbound(struct vmbr *vmbr, struct vmbr_port *from,
		       struct sk_buff *skb)
{
	struct net *net = dev_net(vmbr->dev);
	struct vmbr_nat *nat = &vmbr->nat;
	struct vmbr_nat_sess *sess = NULL;
	struct vmbr_nat_map *fwd = NULL;
	__be32 daddr, ext_addr, nexthop;
	enum vmbr_nat_drop_reason why;
	bool new_route = false;
	struct vmbr_port *uplink;
	struct vmbr_nat_pkt pkt;
	struct vmbr_nat_key key;
	unsigned int mtu;
	u32 route_tag = 0;
	__be16 ext_port;

	/* Parse. */
	if (skb->protocol != htons(ETH_P_IP) ||
	    !pskb_may_pull(skb, sizeof(struct iphdr)))
		return false;
	skb_reset_network_header(skb);
	daddr = ip_hdr(skb)->daddr;
	uplink = rcu_dereference(vmbr->uplink);
	ext_addr = READ_ONCE(nat->ext_addr);
	if (!uplink || ipv4_is_multicast(daddr) || ipv4_is_lbcast(daddr) ||
	    ipv4_is_zeronet(ip_hdr(skb)->saddr))
		return false;
	why = vmbr_nat_parse(skb, &pkt);

	/*
	 * Classify: a hairpin, or a packet the host's routes send out of the
	 * uplink (an established session knows its next hop as long as the
	 * routes stay as they were), or the host's own.
	 */
	if (ext_addr && daddr == ext_addr) {
		if (why || pkt.fragment || pkt.icmp_error ||
		    pkt.proto == IPPROTO_ICMP)
			return false;
		/*
		 * A forward, or (the other way of a hairpin) another
		 * guest's mapping; else the host's own port.
		 */
		fwd = vmbr_nat_map_find_ext(nat, pkt.proto, pkt.dport);
		if (!fwd)
			return vmbr_nat_reply_to_host(vmbr, skb, &pkt);
	} else {
		route_tag = vmbr_nat_route_tag(nat, net);
		if (likely(!why && !pkt.fragment && !pkt.icmp_error)) {
			vmbr_nat_out_key(&pkt, &key);
			sess = vmbr_nat_sess_find(nat, &key);
		}
		if (!sess || !vmbr_nat_sess_nexthop(sess, route_tag, &nexthop)) {
			if (!vmbr_nat_route(net, 0, daddr, uplink->dev,
					    &nexthop))
				return false;
			new_route = true;
		}
	}

	/* From here on the packet is the NAT's. */
	if (unlikely(why)) {
		vmbr_nat_drop(nat, skb, why);
		return true;
	}
	if (unlikely(ip_hdr(skb)->ttl <= 1)) {
		vmbr_nat_icmp_send(vmbr, skb, ICMP_TIME_EXCEEDED,
				   ICMP_EXC_TTL, 0);
		vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_TTL);
		return true;
	}
	/*
	 * The uplink has a route but no IPv4 address (yet, or any more): no
	 * session, not even a forward's or one opened before, leaves from
	 * 0.0.0.0.
	 */
	if (unlikely(!ext_addr)) {
		vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_NO_ADDRESS);
		return true;
	}
	if (unlikely(pkt.fragment)) {
		memset(IPCB(skb), 0, sizeof(struct inet_skb_parm));
		if (ip_defrag(net, skb, VMBR_NAT_DEFRAG_USER))
			return true;	/* kept until the rest comes */
		why = vmbr_nat_parse(skb, &pkt);
		if (unlikely(why || pkt.fragment)) {
			vmbr_nat_drop(nat, skb, why ?: VMBR_NAT_DROP_MALFORMED);
			return true;
		}
		pkt.frag_max = IPCB(skb)->frag_max_size;
	}
	if (unlikely(pkt.icmp_error))
		return vmbr_nat_out_icmp_error(vmbr, skb, &pkt, uplink->dev,
					       nexthop);
	if (unlikely(pkt.proto == IPPROTO_ICMP && pkt.icmp_type != ICMP_ECHO)) {
		vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_UNSUPPORTED);
		return true;
	}

	/* Open the session if it is new; remember its next hop. */
	if (!sess) {
		sess = vmbr_nat_out_session(vmbr, from, &pkt, &why);
		if (unlikely(!sess)) {
			vmbr_nat_drop(nat, skb, why);
			return true;
		}
	}
	if (new_route)
		vmbr_nat_sess_set_nexthop(sess, route_tag, nexthop);
	ext_port = sess->map->ek.port;

	/* Too big for the uplink and not to be cut: tell the guest. */
	mtu = READ_ONCE(uplink->dev->mtu);
	if (!fwd && unlikely(vmbr_nat_too_big(skb, &pkt, mtu))) {
		vmbr_nat_icmp_send(vmbr, skb, ICMP_DEST_UNREACH,
				   ICMP_FRAG_NEEDED, mtu);
		vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_MTU);
		return true;
	}

	/* Translate. */
	vmbr_nat_sess_seen(sess, true, &pkt);
	if (unlikely(vmbr_nat_rewrite(skb, &pkt, true, ext_addr, ext_port))) {
		vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_NOMEM);
		return true;
	}
	ip_decrease_ttl(ip_hdr(skb));
	vmbr_nat_count_add(nat, true, skb->len);

	/* Deliver. */
	skb_scrub_packet(skb, true);
	__vlan_hwaccel_clear_tag(skb);
	if (fwd)
		vmbr_nat_hairpin(vmbr, fwd, skb, &pkt, ext_port);
	else
		vmbr_nat_send(nat, uplink->dev, nexthop, skb, pkt.frag_max);
	return true;
}

/*
 * An ICMP error from outside about a packet a guest sent: to the guest,
 * about the guest's own address and port.
 */
static void vmbr_nat_in_icmp_error(struct vmbr *vmbr, struct vmbr_nat_map *map,
				   struct sk_buff *skb,
				   const struct vmbr_nat_pkt *pkt)
{
	struct vmbr_nat_key key = {
		.int_addr = map->ik.addr, .int_port = map->ik.port,
		.rem_addr = pkt->daddr,
		.rem_port = pkt->proto == IPPROTO_ICMP ? 0 : pkt->dport,
		.proto = pkt->proto,
	};
	struct vmbr_nat *nat = &vmbr->nat;

	if (!vmbr_nat_sess_find(nat, &key)) {
		vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_NO_SESSION);
		return;
	}
	if (vmbr_nat_rewrite_icmp_error(skb, pkt, false, map->ik.addr,
					map->ik.port)) {
		vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_NOMEM);
		return;
	}
	ip_decrease_ttl(ip_hdr(skb));
	vmbr_nat_count(nat, VMBR_NAT_EV_ICMP_ERRORS);
	vmbr_nat_count_add(nat, false, skb->len);
	skb_scrub_packet(skb, true);
	__vlan_hwaccel_clear_tag(skb);
	vmbr_nat_send(nat, vmbr->dev, map->ik.addr, skb, pkt->frag_max);
}

/*
 * The uplink's rx handler in NAT mode, skb->data at the network header.
 * Everything that is not for a guest's mapping passes to the host's stack
 * as it came; the rest is translated and sent to its guest.
 */
rx_handler_result_t vmbr_nat_inbound(struct vmbr *vmbr,
				     struct vmbr_port *uplink,
				     struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct vmbr_nat *nat = &vmbr->nat;
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_sess *sess;
	struct vmbr_nat_map *map;
	const struct iphdr *iph;
	struct vmbr_nat_pkt pkt;
	struct iphdr _iph;
	unsigned int mtu;
	__be32 ext_addr;
	bool too_big;

	/*
	 * Look just far enough to see whether it may be a guest's: an
	 * untagged IPv4 packet to the uplink address from a source the
	 * host's stack would take.  A packet tap may share the skb: it is
	 * read, not pulled, before skb_share_check().
	 */
	ext_addr = READ_ONCE(nat->ext_addr);
	if (skb->protocol != htons(ETH_P_IP) ||
	    skb->pkt_type != PACKET_HOST || !ext_addr ||
	    skb_vlan_tag_present(skb))
		return RX_HANDLER_PASS;
	iph = skb_header_pointer(skb, 0, sizeof(_iph), &_iph);
	if (!iph || iph->daddr != ext_addr || iph->saddr == ext_addr ||
	    ipv4_is_multicast(iph->saddr) || ipv4_is_lbcast(iph->saddr) ||
	    ipv4_is_zeronet(iph->saddr) || ipv4_is_loopback(iph->saddr))
		return RX_HANDLER_PASS;

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (unlikely(!skb)) {
		vmbr_nat_count_drop(nat, VMBR_NAT_DROP_NOMEM);
		return RX_HANDLER_CONSUMED;
	}
	*pskb = skb;
	if (vmbr_nat_parse(skb, &pkt))
		return RX_HANDLER_PASS;	/* the host's stack judges it */
	if (unlikely(pkt.fragment)) {
		/* Whoever it is for, it goes on whole. */
		memset(IPCB(skb), 0, sizeof(struct inet_skb_parm));
		if (ip_defrag(dev_net(skb->dev), skb, VMBR_NAT_DEFRAG_USER))
			return RX_HANDLER_CONSUMED;
		if (vmbr_nat_parse(skb, &pkt) || pkt.fragment)
			return RX_HANDLER_PASS;
		pkt.frag_max = IPCB(skb)->frag_max_size;
	}

	/* Classify: a guest's mapping, or the host's. */
	if (pkt.icmp_error)
		map = pkt.saddr == ext_addr ?
		      vmbr_nat_map_find_ext(nat, pkt.proto, pkt.sport) : NULL;
	else if (pkt.proto != IPPROTO_ICMP || pkt.icmp_type == ICMP_ECHOREPLY)
		map = vmbr_nat_map_find_ext(nat, pkt.proto, pkt.dport);
	else
		map = NULL;	/* a ping of the host, say */
	if (!map)
		return RX_HANDLER_PASS;

	/* From here on the packet is the NAT's. */
	if (unlikely(ip_hdr(skb)->ttl <= 1)) {
		vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_TTL);
		return RX_HANDLER_CONSUMED;
	}
	if (unlikely(pkt.icmp_error)) {
		vmbr_nat_in_icmp_error(vmbr, map, skb, &pkt);
		return RX_HANDLER_CONSUMED;
	}

	/*
	 * Too big for the guests' side and not to be cut: the sender is told
	 * (below), and no session is opened for it.
	 */
	mtu = READ_ONCE(vmbr->dev->mtu);
	too_big = vmbr_nat_too_big(skb, &pkt, mtu);

	/* Find the session, or open one if filtering lets it in. */
	{
		struct vmbr_nat_key key = {
			.int_addr = map->ik.addr, .int_port = map->ik.port,
			.rem_addr = pkt.saddr,
			.rem_port = pkt.proto == IPPROTO_ICMP ? 0 : pkt.sport,
			.proto = pkt.proto,
		};

		sess = vmbr_nat_sess_find(nat, &key);
	}
	if (!sess) {
		/* An echo reply of no guest's: maybe the host's own ping. */
		if (pkt.proto == IPPROTO_ICMP)
			return RX_HANDLER_PASS;
		/* A connection of the host's from a port it chose itself. */
		if (!map->forward &&
		    vmbr_nat_host_owns(dev_net(skb->dev), &pkt,
				       skb->dev->ifindex))
			return RX_HANDLER_PASS;
		/* Only a TCP SYN or a UDP datagram opens a flow inbound. */
		if (pkt.proto == IPPROTO_TCP &&
		    (pkt.tcp_flags & (TCPHDR_SYN | TCPHDR_ACK)) != TCPHDR_SYN) {
			vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_NO_SESSION);
			return RX_HANDLER_CONSUMED;
		}
		if (!too_big || !vmbr_nat_filter_allows(nat, map, pkt.saddr)) {
			sess = vmbr_nat_sess_add_in(nat, map, pkt.saddr,
						    pkt.sport, &why);
			if (!sess) {
				vmbr_nat_refused(vmbr, map->guest, why);
				vmbr_nat_drop(nat, skb, why);
				return RX_HANDLER_CONSUMED;
			}
		}
	}
	if (unlikely(too_big)) {
		vmbr_nat_frag_needed_out(vmbr, uplink->dev, skb, mtu);
		vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_MTU);
		return RX_HANDLER_CONSUMED;
	}

	/* Translate and deliver. */
	vmbr_nat_sess_seen(sess, false, &pkt);
	if (unlikely(vmbr_nat_rewrite(skb, &pkt, false, map->ik.addr,
				      map->ik.port))) {
		vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_NOMEM);
		return RX_HANDLER_CONSUMED;
	}
	ip_decrease_ttl(ip_hdr(skb));
	vmbr_nat_count_add(nat, false, skb->len);
	skb_scrub_packet(skb, true);
	__vlan_hwaccel_clear_tag(skb);
	vmbr_nat_send(nat, vmbr->dev, map->ik.addr, skb, pkt.frag_max);
	return RX_HANDLER_CONSUMED;
}

/* Sending. */

/*
 * Hand @skb (at its IPv4 header) to the neighbour @nexthop on @dev, as the
 * IP stack's last step does (resolving it by ARP if need be), but with no
 * netfilter hook on the way.  Every caller is an rx handler, in softirq
 * and inside the read-side section __netif_receive_skb_core() holds for
 * it, which covers the neighbour table as ip_finish_output2()'s does.
 */
static void vmbr_nat_neigh_xmit(struct net_device *dev, __be32 nexthop,
				struct sk_buff *skb)
{
	struct neighbour *neigh;

	if (skb_cow_head(skb, LL_RESERVED_SPACE(dev))) {
		kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
		return;
	}
	skb->dev = dev;
	skb->protocol = htons(ETH_P_IP);
	neigh = __ipv4_neigh_lookup_noref(dev, (__force u32)nexthop);
	if (unlikely(!neigh))
		neigh = __neigh_create(&arp_tbl, &nexthop, dev, false);
	if (IS_ERR(neigh))
		kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_CREATEFAIL);
	else
		neigh_output(neigh, skb, false);
}

/* Cut a packet into fragments that fit @mtu (each DF if @df), send them. */
static void vmbr_nat_fragment(struct vmbr_nat *nat, struct net_device *dev,
			      __be32 nexthop, struct sk_buff *skb,
			      unsigned int mtu, bool df)
{
	unsigned int hlen = ip_hdrlen(skb);
	struct ip_frag_state state;
	struct sk_buff *frag;
	bool first = true;

	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_NOMEM);
		return;
	}
	ip_frag_init(skb, hlen, LL_RESERVED_SPACE(dev), mtu - hlen, df, &state);
	while (state.left > 0) {
		frag = ip_frag_next(skb, &state);
		if (IS_ERR(frag)) {
			vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_NOMEM);
			return;
		}
		/* The later ones carry only the options to be copied. */
		if (first && hlen > sizeof(struct iphdr))
			vmbr_nat_ip_options(ip_hdr(skb),
					    VMBR_NAT_OPTS_LATER_FRAGS);
		first = false;
		vmbr_nat_neigh_xmit(dev, nexthop, frag);
	}
	consume_skb(skb);
}

/*
 * vmbr_nat_send() for a packet bigger than @dev's MTU, or reassembled here
 * from fragments of at most @frag_max bytes: that one goes out cut again,
 * as the IP stack forwards one, in pieces no bigger than those it came in
 * (DF kept, so path-MTU discovery sees the sizes the sender chose).
 */
static void __vmbr_nat_send(struct vmbr_nat *nat, struct net_device *dev,
			    __be32 nexthop, struct sk_buff *skb,
			    unsigned int mtu, unsigned int frag_max)
{
	bool df = ip_hdr(skb)->frag_off & htons(IP_DF);

	if (frag_max) {
		if (df && frag_max > mtu) {
			vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_MTU);
			return;
		}
		mtu = min(mtu, frag_max);
	} else if (skb_is_gso(skb)) {
		if (skb_gso_validate_network_len(skb, mtu))
			vmbr_nat_neigh_xmit(dev, nexthop, skb);
		else
			vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_MTU);
		return;
	} else if (df) {
		vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_MTU);
		return;
	}
	if (mtu < ip_hdrlen(skb) + 8) {
		vmbr_nat_drop(nat, skb, VMBR_NAT_DROP_MTU);
		return;
	}
	vmbr_nat_fragment(nat, dev, nexthop, skb, mtu, df);
}

/*
 * Send a translated packet via @dev (the uplink, or vmbr0 towards a
 * guest) to @nexthop, in fragments if it is too big and may be cut, or
 * was reassembled here from fragments of at most @frag_max bytes (0: it
 * came whole).
 */
static inline void vmbr_nat_send(struct vmbr_nat *nat, struct net_device *dev,
				 __be32 nexthop, struct sk_buff *skb,
				 unsigned int frag_max)
{
	unsigned int mtu = READ_ONCE(dev->mtu);

	if (likely(skb->len <= mtu && !frag_max))
		vmbr_nat_neigh_xmit(dev, nexthop, skb);
	else
		__vmbr_nat_send(nat, dev, nexthop, skb, mtu, frag_max);
}

/* ICMP errors from the gateway itself. */

/* vmbr0's address on the subnet of @guest_addr, or its first.  RCU. */
static __be32 vmbr_nat_gateway_addr(struct net_device *dev, __be32 guest_addr)
{
	struct in_device *in_dev = __in_dev_get_rcu(dev);
	const struct in_ifaddr *ifa;
	__be32 first = 0;

	if (!in_dev)
		return 0;
	in_dev_for_each_ifa_rcu(ifa, in_dev) {
		if (ifa->ifa_flags & IFA_F_SECONDARY)
			continue;
		if (inet_ifa_match(guest_addr, ifa))
			return ifa->ifa_local;
		if (!first)
			first = ifa->ifa_local;
	}
	return first;
}

/* Does @in deserve no ICMP error (RFC 1122 3.2.2)? */
static bool vmbr_nat_icmp_unwanted(const struct sk_buff *in)
{
	const struct iphdr *iph = ip_hdr(in);
	u8 type, *tp;

	if ((iph->frag_off & htons(IP_OFFSET)) ||
	    ipv4_is_multicast(iph->saddr) || ipv4_is_lbcast(iph->saddr) ||
	    ipv4_is_zeronet(iph->saddr))
		return true;
	if (iph->protocol != IPPROTO_ICMP)
		return false;
	tp = skb_header_pointer(in, ip_hdrlen(in), sizeof(type), &type);
	return !tp || icmp_is_err(*tp);	/* no error about an error */
}

/*
 * Send @in's sender (@in at its IPv4 header, as it came) an ICMP error
 * from @saddr, via @dev to @nexthop: time exceeded, or fragmentation
 * needed with @mtu.
 */
static void vmbr_nat_icmp_xmit(struct vmbr_nat *nat, const struct sk_buff *in,
			       u8 type, u8 code, u32 mtu,
			       struct net_device *dev, __be32 saddr,
			       __be32 nexthop)
{
	const struct iphdr *iph = ip_hdr(in);
	unsigned int quoted, len;
	struct icmphdr *icmph;
	struct sk_buff *skb;
	struct iphdr *oiph;

	quoted = min_t(unsigned int, in->len,
		       VMBR_NAT_ICMP_MAX_LEN - sizeof(*oiph) - sizeof(*icmph));
	len = sizeof(*oiph) + sizeof(*icmph) + quoted;
	skb = alloc_skb(LL_RESERVED_SPACE(dev) + len, GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, LL_RESERVED_SPACE(dev));
	skb_reset_network_header(skb);

	oiph = skb_put(skb, sizeof(*oiph));
	oiph->version = 4;
	oiph->ihl = sizeof(*oiph) / 4;
	oiph->tos = (iph->tos & IPTOS_TOS_MASK) | IPTOS_PREC_INTERNETCONTROL;
	oiph->tot_len = htons(len);
	oiph->id = 0;
	oiph->frag_off = 0;
	oiph->ttl = IPDEFTTL;
	oiph->protocol = IPPROTO_ICMP;
	oiph->saddr = saddr;
	oiph->daddr = iph->saddr;
	ip_send_check(oiph);

	icmph = skb_put_zero(skb, sizeof(*icmph));
	icmph->type = type;
	icmph->code = code;
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		icmph->un.frag.mtu = htons(mtu);
	if (skb_copy_bits(in, 0, skb_put(skb, quoted), quoted)) {
		kfree_skb(skb);
		return;
	}
	icmph->checksum = ip_compute_csum(icmph, sizeof(*icmph) + quoted);

	if (type == ICMP_TIME_EXCEEDED)
		vmbr_nat_count(nat, VMBR_NAT_EV_SENT_TIME_EXCEEDED);
	else
		vmbr_nat_count(nat, VMBR_NAT_EV_SENT_FRAG_NEEDED);
	vmbr_nat_neigh_xmit(dev, nexthop, skb);
}

/*
 * Tell the guest that sent @in (at its IPv4 header, untranslated) that
 * the gateway could not forward it: time exceeded, or fragmentation
 * needed with the uplink's @mtu, so that traceroute shows the gateway and
 * path-MTU discovery works through the NAT.
 */
static void vmbr_nat_icmp_send(struct vmbr *vmbr, const struct sk_buff *in,
			       u8 type, u8 code, u32 mtu)
{
	__be32 guest = ip_hdr(in)->saddr, saddr;
	struct vmbr_nat *nat = &vmbr->nat;

	if (vmbr_nat_icmp_unwanted(in) || !__ratelimit(&nat->icmp_rs))
		return;
	saddr = vmbr_nat_gateway_addr(vmbr->dev, guest);
	if (saddr)
		vmbr_nat_icmp_xmit(nat, in, type, code, mtu, vmbr->dev, saddr,
				   guest);
}

/*
 * Tell what sent @in from outside (to a guest's mapping, untranslated)
 * that it is too big for the guests' side (vmbr0's @mtu): from the uplink
 * address it was sent to, as any router on the path would, so that path-MTU discovery
 * works towards the guests too.  Only where the host routes the sender
 * via the uplink.
 */
static void vmbr_nat_frag_needed_out(struct vmbr *vmbr,
				     struct net_device *uplink,
				     const struct sk_buff *in, u32 mtu)
{
	__be32 saddr = ip_hdr(in)->daddr, daddr = ip_hdr(in)->saddr;
	struct vmbr_nat *nat = &vmbr->nat;
	__be32 nexthop;

	if (vmbr_nat_icmp_unwanted(in) || !__ratelimit(&nat->icmp_out_rs) ||
	    !vmbr_nat_route(dev_net(uplink), saddr, daddr, uplink, &nexthop))
		return;
	vmbr_nat_icmp_xmit(nat, in, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, mtu,
			   uplink, saddr, nexthop);
}

/* Following the uplink's address. */

/* The uplink's primary IPv4 address, or 0.  RTNL. */
static __be32 vmbr_nat_uplink_addr(struct net_device *dev)
{
	struct in_device *in_dev = __in_dev_get_rtnl(dev);
	const struct in_ifaddr *ifa;

	if (!in_dev)
		return 0;
	in_dev_for_each_ifa_rtnl(ifa, in_dev)
		if (!(ifa->ifa_flags & IFA_F_SECONDARY) &&
		    ifa->ifa_scope < RT_SCOPE_HOST)
			return ifa->ifa_local;
	return 0;
}

/* The mode, the uplink or its addresses changed.  RTNL. */
void vmbr_nat_update_address(struct vmbr *vmbr)
{
	struct vmbr_port *uplink = rtnl_dereference(vmbr->uplink);
	__be32 addr = 0;

	ASSERT_RTNL();
	if (vmbr->mode == VMBR_MODE_NAT && uplink)
		addr = vmbr_nat_uplink_addr(uplink->dev);
	vmbr_nat_set_address(&vmbr->nat, addr);
	vmbr_nat_local_hook(&vmbr->nat, dev_net(vmbr->dev),
			    vmbr->mode == VMBR_MODE_NAT &&
			    vmbr->dev->reg_state == NETREG_REGISTERED);
}

static int vmbr_nat_inetaddr_event(struct notifier_block *nb,
				   unsigned long event, void *ptr)
{
	const struct in_ifaddr *ifa = ptr;
	struct vmbr_port *port;

	if (event != NETDEV_UP && event != NETDEV_DOWN)
		return NOTIFY_DONE;
	port = vmbr_port_get_rtnl(ifa->ifa_dev->dev);
	if (port && port->role == VMBR_ROLE_UPLINK)
		vmbr_nat_update_address(port->vmbr);
	return NOTIFY_DONE;
}

static struct notifier_block vmbr_nat_inetaddr_notifier = {
	.notifier_call = vmbr_nat_inetaddr_event,
};

int vmbr_nat_notifier_init(void)
{
	return register_inetaddr_notifier(&vmbr_nat_inetaddr_notifier);
}

void vmbr_nat_notifier_exit(void)
{
	unregister_inetaddr_notifier(&vmbr_nat_inetaddr_notifier);
}
