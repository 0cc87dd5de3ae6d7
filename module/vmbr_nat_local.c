// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge: the host's own connections to a port forward.  The host reaches
 * the uplink's address through lo, never through the uplink, so the NAT
 * meets those packets at the host's LOCAL_OUT hook, after conntrack and
 * the host's own DNAT have seen them: a packet to the uplink address and a
 * forwarded port is readdressed to the guest and routed again (via vmbr0).
 * The guest's replies come to the gateway, and vmbr_nat_outbound() gives
 * them back the uplink address and forwarded port before the host's stack
 * sees them, so the host's socket and conntrack see the conversation they
 * started.  The hook also sees the host's own flows out of the uplink
 * address: one from a port a guest's mapping holds, to a remote end a
 * session of that guest's has, is dropped (vmbr_nat_host_collides()).
 * The hook is there only while the vmbridge is in NAT mode.
 */
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <net/ip.h>

#include "vmbr.h"
#include "vmbr_nat.h"

/* A packet of the host's to the forward @map: to its guest. */
static unsigned int vmbr_nat_local_to_guest(struct vmbr_nat *nat,
					    struct vmbr_nat_map *map,
					    struct sk_buff *skb,
					    const struct vmbr_nat_pkt *pkt,
					    const struct nf_hook_state *state)
{
	struct vmbr_nat_key key = {
		.int_addr = map->ik.addr, .int_port = map->ik.port,
		.rem_addr = pkt->saddr, .rem_port = pkt->sport,
		.proto = pkt->proto,
	};
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_sess *sess;

	sess = vmbr_nat_sess_find(nat, &key);
	if (!sess) {
		sess = vmbr_nat_sess_add_in(nat, map, pkt->saddr, pkt->sport,
					    &why);
		if (!sess) {
			vmbr_nat_count_drop(nat, why);
			return NF_DROP;
		}
	}
	vmbr_nat_sess_seen(sess, false, pkt);
	if (vmbr_nat_rewrite(skb, pkt, false, map->ik.addr, map->ik.port)) {
		vmbr_nat_count_drop(nat, VMBR_NAT_DROP_NOMEM);
		return NF_DROP;
	}
	vmbr_nat_count(nat, VMBR_NAT_EV_HAIRPIN);
	if (ip_route_me_harder(state->net, state->sk, skb, RTN_UNSPEC)) {
		vmbr_nat_count_drop(nat, VMBR_NAT_DROP_NO_ROUTE);
		return NF_DROP;
	}
	return NF_ACCEPT;
}

static unsigned int vmbr_nat_local_out(void *priv, struct sk_buff *skb,
				       const struct nf_hook_state *state)
{
	struct vmbr_nat *nat = priv;
	__be32 ext_addr = READ_ONCE(nat->ext_addr);
	const struct iphdr *iph;
	struct vmbr_nat_map *map;
	struct vmbr_nat_pkt pkt;
	unsigned int verdict;
	__be16 _ports[2];
	const __be16 *ports;

	iph = ip_hdr(skb);
	if (!ext_addr || ip_is_fragment(iph) ||
	    (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP))
		return NF_ACCEPT;
	if (iph->daddr != ext_addr) {
		if (iph->saddr != ext_addr)
			return NF_ACCEPT;
		/* The host's own flow out: from a guest's port? */
		ports = skb_header_pointer(skb, ip_hdrlen(skb),
					   sizeof(_ports), _ports);
		if (!ports || !vmbr_nat_host_collides(nat, iph, ports))
			return NF_ACCEPT;
		local_bh_disable();
		vmbr_nat_count_drop(nat, VMBR_NAT_DROP_NO_PORT);
		local_bh_enable();
		return NF_DROP;
	}
	ports = skb_header_pointer(skb, ip_hdrlen(skb), sizeof(_ports),
				   _ports);
	if (!ports)
		return NF_ACCEPT;
	map = vmbr_nat_map_find_ext(nat, iph->protocol, ports[1]);
	if (!map || !map->forward || vmbr_nat_parse(skb, &pkt))
		return NF_ACCEPT;

	/*
	 * The hook runs in the sender's context, preemptible: the NAT's
	 * per-CPU counters and sessions are written with BH off, as the
	 * data path writes them.
	 */
	local_bh_disable();
	verdict = vmbr_nat_local_to_guest(nat, map, skb, &pkt, state);
	local_bh_enable();
	return verdict;
}

/*
 * Hook into @net's LOCAL_OUT (@on) or out of it.  RTNL.  Without the hook
 * (memory ran out) only the host's own connections to forwards fail.
 */
void vmbr_nat_local_hook(struct vmbr_nat *nat, struct net *net, bool on)
{
	struct nf_hook_ops *ops = &nat->local_out;

	ASSERT_RTNL();
	if (on == !!nat->local_net)
		return;
	if (!on) {
		nf_unregister_net_hook(nat->local_net, ops);
		nat->local_net = NULL;
		return;
	}
	ops->hook = vmbr_nat_local_out;
	ops->priv = nat;
	ops->pf = NFPROTO_IPV4;
	ops->hooknum = NF_INET_LOCAL_OUT;
	/* After conntrack and the host's own DNAT. */
	ops->priority = NF_IP_PRI_NAT_DST + 1;
	if (nf_register_net_hook(net, ops))
		pr_warn_ratelimited("vmbridge: no LOCAL_OUT hook: the host cannot reach its own port forwards\n");
	else
		nat->local_net = net;
}
