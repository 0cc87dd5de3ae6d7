// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge: a port's bandwidth limits, rate-in and rate-out.
 *
 * rate-in polices what a guest sends, here in the data path: a token
 * bucket per port, kept as a generic cell rate algorithm.  The bucket is
 * one theoretical arrival time (tat, in ns); a frame of len bytes costs
 * len / rate seconds of it.  The frame passes if the bucket holds its
 * cost, that is if tat + cost <= now + tau, tau being the burst's cost,
 * and then moves tat on to max(tat, now) + cost with a compare and
 * exchange: one atomic per frame, no lock.
 *
 * A frame is charged the bytes it puts on the wire: a GSO super-packet as
 * its segments, each with its headers.  One may be larger than the burst;
 * it passes when the bucket is full and leaves the bucket in debt, so
 * that over any time T at most rate * T + max(burst, largest frame) bytes
 * pass.
 *
 * rate-out shapes what a guest receives, with the kernel's own queueing:
 * vmbr (userland) puts a tbf over an fq_codel on the port device; see
 * vmbr_rate_out.c.  Both are checked here, the same way.
 *
 * DOC: Locking
 *
 * A port's rate-in is replaced whole under RTNL (a new limit starts with
 * a full bucket) and freed after a grace period; the data path and the
 * limit events read it under RCU.  rate-out is configuration only: see
 * vmbr_rate_out.c.
 */
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/netlink.h>

#include "vmbr.h"

/* The nanoseconds @len bytes take at @rate's rate. */
static u64 vmbr_rate_ns(const struct vmbr_rate *rate, u64 len)
{
	return mul_u64_u64_shr(rate->ns_per_byte, len, 32);
}

/*
 * The bytes @skb puts on the wire: with its Ethernet header (skb->data is
 * at the network header, a VLAN tag may be out of band), and a GSO
 * super-packet as the segments it becomes, each with the headers up to
 * its payload.  Data path.
 */
unsigned int vmbr_rate_wire_len(const struct sk_buff *skb)
{
	const struct skb_shared_info *shinfo = skb_shinfo(skb);
	unsigned int len = skb->len + skb->mac_len, segs;
	int hdr_len = 0;

	if (skb_vlan_tag_present(skb))
		len += VLAN_HLEN;
	if (!skb_is_gso(skb) || !shinfo->gso_size)
		return len;

	/*
	 * The headers each segment repeats: the link's, and up to the
	 * payload where the transport header is known (a TAP's and the
	 * stack's GSO frames have it; else the core left it at the network
	 * header).
	 */
	if (skb_transport_header_was_set(skb))
		hdr_len = skb_transport_offset(skb);
	if (hdr_len > 0 && shinfo->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)) {
		const struct tcphdr *th;
		struct tcphdr _th;

		th = skb_header_pointer(skb, hdr_len, sizeof(_th), &_th);
		hdr_len = th ? hdr_len + __tcp_hdrlen(th) : 0;
	} else if (hdr_len > 0 && shinfo->gso_type & SKB_GSO_UDP_L4) {
		hdr_len += sizeof(struct udphdr);
	}
	if (hdr_len < 0 || hdr_len >= skb->len)
		hdr_len = 0;

	segs = shinfo->gso_segs ?:
	       DIV_ROUND_UP(skb->len - hdr_len, shinfo->gso_size);
	return len + (segs - 1) * (len - skb->len + hdr_len);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_rate_wire_len);

/* May @len bytes pass @rate at @now (ns)?  Data path, lockless. */
bool vmbr_rate_conform(struct vmbr_rate *rate, unsigned int len, u64 now)
{
	u64 cost = vmbr_rate_ns(rate, len);
	/* A frame larger than the burst needs a full bucket, no more. */
	u64 need = min(cost, rate->tau);
	s64 tat = atomic64_read(&rate->tat);
	s64 next;

	do {
		if ((u64)tat + need > now + rate->tau)
			return false;
		next = max_t(u64, tat, now) + cost;
	} while (!atomic64_try_cmpxchg(&rate->tat, &tat, next));
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_rate_conform);

bool __vmbr_rate_in_ok(const struct vmbr_port *port, const struct sk_buff *skb)
{
	struct vmbr_rate *rate = rcu_dereference(port->rate_in);

	return !rate ||
	       vmbr_rate_conform(rate, vmbr_rate_wire_len(skb), ktime_get_ns());
}
EXPORT_SYMBOL_IF_KUNIT(__vmbr_rate_in_ok);

/* Config path. */

/* Not const: 6.1's nla_policy points to a mutable range. */
static struct netlink_range_validation vmbr_rate_burst_range = {
	.max = VMBR_RATE_BURST_MAX,
};

/* The rate's 0 and its bound are refused in words: vmbr_rate_parse(). */
const struct nla_policy vmbr_rate_policy[VMBR_RATE_A_MAX + 1] = {
	[VMBR_RATE_A_BYTES_PS]	= { .type = NLA_U64 },
	[VMBR_RATE_A_BURST]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&vmbr_rate_burst_range),
};

/* One frame of @dev's MTU, with its Ethernet header and a VLAN tag. */
static unsigned int vmbr_rate_frame_max(const struct net_device *dev)
{
	return READ_ONCE(dev->mtu) + ETH_HLEN + VLAN_HLEN;
}

/*
 * The bytes a second @dev carries, or 0 if it does not say.  A TAP's
 * link speed is a number userspace may set (10 Mbit/s unless told), not
 * what it carries: a TAP carries what the host can copy.  RTNL.
 */
static u64 vmbr_rate_dev_max(struct net_device *dev)
{
	struct ethtool_link_ksettings ks;

	if (dev->rtnl_link_ops && !strcmp(dev->rtnl_link_ops->kind, "tun"))
		return 0;
	if (__ethtool_get_link_ksettings(dev, &ks) ||
	    ks.base.speed == 0 || ks.base.speed == (u32)SPEED_UNKNOWN)
		return 0;
	return (u64)ks.base.speed * 1000000 / BITS_PER_BYTE;
}

/*
 * The default burst for @bytes_ps on @dev: 20 ms of the rate, at least a
 * GSO super-packet and a frame of the MTU.
 */
static u32 vmbr_rate_default_burst(struct net_device *dev, u64 bytes_ps)
{
	u64 burst = div_u64(bytes_ps * VMBR_RATE_BURST_DEFAULT_NS,
			    NSEC_PER_SEC);

	burst = max_t(u64, burst, VMBR_RATE_BURST_DEFAULT_MIN);
	burst = max_t(u64, burst, vmbr_rate_frame_max(dev));
	return min_t(u64, burst, VMBR_RATE_BURST_MAX);
}

/*
 * A rate-in or rate-out nest (@name) for a port on @dev into @cfg (rate
 * 0: none, the nest was empty).  Says why it refuses, in at most the 79
 * characters a formatted extack message holds.  RTNL.
 */
int vmbr_rate_parse(struct net_device *dev, const struct nlattr *nest,
		    const char *name, struct vmbr_rate_cfg *cfg,
		    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VMBR_RATE_A_MAX + 1];
	u64 dev_max;
	int err;

	memset(cfg, 0, sizeof(*cfg));
	err = vmbr_parse_nest(tb, VMBR_RATE_A_MAX, nest, vmbr_rate_policy,
			      extack);
	if (err)
		return err;
	if (!tb[VMBR_RATE_A_BYTES_PS]) {
		if (tb[VMBR_RATE_A_BURST]) {
			vmbr_extack_fmt(extack, "a burst needs a rate",
					"%s: a burst needs a rate", name);
			NL_SET_BAD_ATTR(extack, tb[VMBR_RATE_A_BURST]);
			return -EINVAL;
		}
		return 0;	/* no limit */
	}
	cfg->bytes_ps = nla_get_u64(tb[VMBR_RATE_A_BYTES_PS]);
	if (!cfg->bytes_ps) {
		vmbr_extack_fmt(extack,
				"a rate of 0 passes nothing; off removes the limit",
				"%s 0 passes nothing; %s off removes the limit",
				name, name);
		NL_SET_BAD_ATTR(extack, tb[VMBR_RATE_A_BYTES_PS]);
		return -EINVAL;
	}
	dev_max = vmbr_rate_dev_max(dev);
	if (cfg->bytes_ps > VMBR_RATE_MAX ||
	    (dev_max && cfg->bytes_ps > dev_max)) {
		vmbr_extack_fmt(extack,
				"the rate is more than the device carries",
				"%s: more than %s carries (%llu Mbit/s)",
				name, dev->name,
				div_u64((dev_max ?: VMBR_RATE_MAX) * BITS_PER_BYTE,
					1000000));
		NL_SET_BAD_ATTR(extack, tb[VMBR_RATE_A_BYTES_PS]);
		return -ERANGE;
	}
	if (tb[VMBR_RATE_A_BURST])
		cfg->burst = nla_get_u32(tb[VMBR_RATE_A_BURST]);
	if (!cfg->burst) {
		cfg->burst = vmbr_rate_default_burst(dev, cfg->bytes_ps);
	} else if (cfg->burst < vmbr_rate_frame_max(dev)) {
		vmbr_extack_fmt(extack,
				"the burst is smaller than one frame of the port's MTU",
				"%s: burst %u is under one MTU-sized frame (%u)",
				name, cfg->burst, vmbr_rate_frame_max(dev));
		NL_SET_BAD_ATTR(extack, tb[VMBR_RATE_A_BURST]);
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_rate_parse);

/* A policer for @cfg (not none), its bucket full. */
struct vmbr_rate *vmbr_rate_alloc(const struct vmbr_rate_cfg *cfg, gfp_t gfp)
{
	struct vmbr_rate *rate = kzalloc(sizeof(*rate), gfp);

	if (!rate)
		return NULL;
	rate->cfg = *cfg;
	/* ns a byte, 32.32 fixed point: 1 byte/s gives 10^9 << 32 < 2^62. */
	rate->ns_per_byte = div64_u64((u64)NSEC_PER_SEC << 32, cfg->bytes_ps);
	rate->tau = vmbr_rate_ns(rate, cfg->burst);
	atomic64_set(&rate->tat, 0);
	return rate;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_rate_alloc);

/* Install @rate (NULL: no limit) as @port's rate-in.  RTNL. */
void vmbr_rate_in_set(struct vmbr_port *port, struct vmbr_rate *rate)
{
	struct vmbr_rate *old;

	old = rcu_replace_pointer(port->rate_in, rate, lockdep_rtnl_is_held());
	if (old)
		kfree_rcu(old, rcu);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_rate_in_set);

/* When the port goes: no reader is left (its RCU callback). */
void vmbr_rate_in_free(struct vmbr_port *port)
{
	kfree(rcu_dereference_protected(port->rate_in, true));
	RCU_INIT_POINTER(port->rate_in, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_rate_in_free);

/* @cfg as nest @type: empty for none. */
int vmbr_rate_put(struct sk_buff *skb, int type,
		  const struct vmbr_rate_cfg *cfg)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest)
		return -EMSGSIZE;
	if (cfg->bytes_ps &&
	    (nla_put_u64_64bit(skb, VMBR_RATE_A_BYTES_PS, cfg->bytes_ps,
			       VMBR_RATE_A_PAD) ||
	     nla_put_u32(skb, VMBR_RATE_A_BURST, cfg->burst))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}
