// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge: the NAT's generic netlink commands (VMBR_CMD_NAT_*): settings,
 * counters, sessions, port forwards.  Registered with the rest of the
 * family in vmbr_netlink.c, under the same rules: strict policies, every
 * refusal explained in the extack, nothing half-applied.
 *
 * DOC: Locking
 *
 * Settings are read and written under RTNL; the session and forward dumps
 * walk the tables under RCU and flag a dump the tables changed under.
 */
#include <linux/jiffies.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "vmbr.h"
#include "vmbr_nat.h"

/* Not const: 6.1's nla_policy points to a mutable range. */
static struct netlink_range_validation vmbr_nat_sessions_range = {
	.min = 1,
	.max = VMBR_NAT_MAX_SESSIONS_MAX,
};

static struct netlink_range_validation vmbr_nat_timeout_range = {
	.min = 1,
	.max = VMBR_NAT_TIMEOUT_MAX,
};

#define VMBR_NAT_SESSIONS_POLICY \
	NLA_POLICY_FULL_RANGE(NLA_U32, &vmbr_nat_sessions_range)
#define VMBR_NAT_TIMEOUT_POLICY \
	NLA_POLICY_FULL_RANGE(NLA_U32, &vmbr_nat_timeout_range)

const struct nla_policy vmbr_nat_policy[VMBR_NAT_A_MAX + 1] = {
	[VMBR_NAT_A_PORT_MIN]		= NLA_POLICY_MIN(NLA_U16, 1),
	[VMBR_NAT_A_PORT_MAX]		= NLA_POLICY_MIN(NLA_U16, 1),
	[VMBR_NAT_A_MAX_SESSIONS]	= VMBR_NAT_SESSIONS_POLICY,
	[VMBR_NAT_A_MAX_SESSIONS_PER_GUEST] = VMBR_NAT_SESSIONS_POLICY,
	[VMBR_NAT_A_TIMEOUT_UDP]	= VMBR_NAT_TIMEOUT_POLICY,
	[VMBR_NAT_A_TIMEOUT_TCP_EST]	= VMBR_NAT_TIMEOUT_POLICY,
	[VMBR_NAT_A_TIMEOUT_TCP_TRANS]	= VMBR_NAT_TIMEOUT_POLICY,
	[VMBR_NAT_A_TIMEOUT_ICMP]	= VMBR_NAT_TIMEOUT_POLICY,
	[VMBR_NAT_A_FILTERING]		= NLA_POLICY_MAX(NLA_U8,
							 VMBR_NAT_FILTER_MAX),
};

const struct nla_policy vmbr_nat_fwd_policy[VMBR_NAT_FWD_A_MAX + 1] = {
	[VMBR_NAT_FWD_A_PROTO]		= { .type = NLA_U8 },
	[VMBR_NAT_FWD_A_EXT_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
	[VMBR_NAT_FWD_A_INT_ADDR]	= { .type = NLA_BE32 },
	[VMBR_NAT_FWD_A_INT_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
};

/* Which settings attribute holds which timeout. */
static const u8 vmbr_nat_timeout_attr[VMBR_NAT_T_COUNT] = {
	[VMBR_NAT_T_UDP]	= VMBR_NAT_A_TIMEOUT_UDP,
	[VMBR_NAT_T_TCP_EST]	= VMBR_NAT_A_TIMEOUT_TCP_EST,
	[VMBR_NAT_T_TCP_TRANS]	= VMBR_NAT_A_TIMEOUT_TCP_TRANS,
	[VMBR_NAT_T_ICMP]	= VMBR_NAT_A_TIMEOUT_ICMP,
};

/* Message building. */

static int vmbr_nat_put_stats(struct sk_buff *skb, const struct vmbr_nat *nat)
{
	static const u8 event_attr[VMBR_NAT_EV_COUNT] = {
		[VMBR_NAT_EV_HAIRPIN]	= VMBR_NAT_STATS_A_HAIRPIN,
		[VMBR_NAT_EV_ICMP_ERRORS] = VMBR_NAT_STATS_A_ICMP_ERRORS,
		[VMBR_NAT_EV_CREATED]	= VMBR_NAT_STATS_A_SESSIONS_CREATED,
		[VMBR_NAT_EV_EXPIRED]	= VMBR_NAT_STATS_A_SESSIONS_EXPIRED,
		[VMBR_NAT_EV_SENT_TIME_EXCEEDED] =
			VMBR_NAT_STATS_A_SENT_TIME_EXCEEDED,
		[VMBR_NAT_EV_SENT_FRAG_NEEDED] =
			VMBR_NAT_STATS_A_SENT_FRAG_NEEDED,
	};
	struct vmbr_nat_stats s;
	struct nlattr *nest, *drops;
	unsigned int i;

	vmbr_nat_stats_read(nat, &s);
	nest = nla_nest_start(skb, VMBR_NAT_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, VMBR_NAT_STATS_A_OUT_PACKETS, s.out_packets,
			      VMBR_NAT_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VMBR_NAT_STATS_A_OUT_BYTES, s.out_bytes,
			      VMBR_NAT_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VMBR_NAT_STATS_A_IN_PACKETS, s.in_packets,
			      VMBR_NAT_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VMBR_NAT_STATS_A_IN_BYTES, s.in_bytes,
			      VMBR_NAT_STATS_A_PAD))
		goto cancel;
	for (i = 0; i < VMBR_NAT_EV_COUNT; i++)
		if (nla_put_u64_64bit(skb, event_attr[i], s.events[i],
				      VMBR_NAT_STATS_A_PAD))
			goto cancel;
	drops = nla_nest_start(skb, VMBR_NAT_STATS_A_DROPS);
	if (!drops)
		goto cancel;
	for (i = VMBR_NAT_DROP_UNSPEC + 1; i < __VMBR_NAT_DROP_MAX; i++)
		if (nla_put_u64_64bit(skb, i, s.drops[i], VMBR_NAT_DROP_UNSPEC))
			goto cancel;
	nla_nest_end(skb, drops);
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* The settings, what is in use, and the counters.  RTNL. */
static int vmbr_nat_put(struct sk_buff *skb, struct vmbr *vmbr)
{
	const struct vmbr_nat *nat = &vmbr->nat;
	struct nlattr *nest;
	int t;

	nest = nla_nest_start(skb, VMBR_A_NAT);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u16(skb, VMBR_NAT_A_PORT_MIN, nat->port_min) ||
	    nla_put_u16(skb, VMBR_NAT_A_PORT_MAX, nat->port_max) ||
	    nla_put_u32(skb, VMBR_NAT_A_MAX_SESSIONS, nat->max_sessions) ||
	    nla_put_u32(skb, VMBR_NAT_A_MAX_SESSIONS_PER_GUEST,
			nat->max_sessions_per_guest) ||
	    nla_put_u8(skb, VMBR_NAT_A_FILTERING, nat->filtering) ||
	    nla_put_in_addr(skb, VMBR_NAT_A_ADDRESS, nat->ext_addr) ||
	    nla_put_u32(skb, VMBR_NAT_A_SESSIONS, READ_ONCE(nat->nsessions)) ||
	    nla_put_u32(skb, VMBR_NAT_A_MAPPINGS, READ_ONCE(nat->nmaps)))
		goto cancel;
	for (t = 0; t < VMBR_NAT_T_COUNT; t++)
		if (nla_put_u32(skb, vmbr_nat_timeout_attr[t],
				nat->timeout[t] / HZ))
			goto cancel;
	if (vmbr_nat_put_stats(skb, nat))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

int vmbr_nl_nat_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmbr *vmbr = info->user_ptr[0];
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = vmbr_genl_put(msg, info->snd_portid, info->snd_seq, 0,
			    VMBR_CMD_NAT_GET);
	if (!hdr || vmbr_put_vmbr(msg, vmbr) || vmbr_nat_put(msg, vmbr)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* The port range a SET asks for, checked whole. */
static int vmbr_nat_set_ports(struct vmbr_nat *nat, struct nlattr **tb,
			      struct netlink_ext_ack *extack, u16 *lo, u16 *hi)
{
	*lo = tb[VMBR_NAT_A_PORT_MIN] ? nla_get_u16(tb[VMBR_NAT_A_PORT_MIN]) :
					nat->port_min;
	*hi = tb[VMBR_NAT_A_PORT_MAX] ? nla_get_u16(tb[VMBR_NAT_A_PORT_MAX]) :
					nat->port_max;
	if (*lo > *hi) {
		NL_SET_ERR_MSG_MOD(extack,
				   "the port range's low end is above its high end");
		return -EINVAL;
	}
	return 0;
}

int vmbr_nl_nat_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmbr *vmbr = info->user_ptr[0];
	struct nlattr *tb[VMBR_NAT_A_MAX + 1];
	struct vmbr_nat *nat = &vmbr->nat;
	u16 lo, hi;
	int err, t;

	if (GENL_REQ_ATTR_CHECK(info, VMBR_A_NAT))
		return -EINVAL;
	err = vmbr_parse_nest(tb, VMBR_NAT_A_MAX, info->attrs[VMBR_A_NAT],
			      vmbr_nat_policy, info->extack);
	if (err)
		return err;
	err = vmbr_nat_set_ports(nat, tb, info->extack, &lo, &hi);
	if (err)
		return err;

	/* Checked: now every change, none of which can fail. */
	vmbr_nat_set_port_range(nat, lo, hi);
	if (tb[VMBR_NAT_A_MAX_SESSIONS])
		WRITE_ONCE(nat->max_sessions,
			   nla_get_u32(tb[VMBR_NAT_A_MAX_SESSIONS]));
	if (tb[VMBR_NAT_A_MAX_SESSIONS_PER_GUEST])
		WRITE_ONCE(nat->max_sessions_per_guest,
			   nla_get_u32(tb[VMBR_NAT_A_MAX_SESSIONS_PER_GUEST]));
	for (t = 0; t < VMBR_NAT_T_COUNT; t++)
		if (tb[vmbr_nat_timeout_attr[t]])
			WRITE_ONCE(nat->timeout[t],
				   nla_get_u32(tb[vmbr_nat_timeout_attr[t]]) *
				   HZ);
	if (tb[VMBR_NAT_A_FILTERING])
		WRITE_ONCE(nat->filtering,
			   nla_get_u8(tb[VMBR_NAT_A_FILTERING]));
	return 0;
}

int vmbr_nl_nat_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmbr *vmbr = info->user_ptr[0];

	vmbr_nat_flush(&vmbr->nat, NULL, false);
	return 0;
}

/* Sessions. */

static int vmbr_nat_put_session(struct sk_buff *skb, const struct vmbr_nat *nat,
				const struct vmbr_nat_sess *sess,
				unsigned long now)
{
	const struct vmbr_nat_map *map = sess->map;
	unsigned long idle = (u32)now - READ_ONCE(sess->last_seen);
	unsigned long timeout = vmbr_nat_timeout_of(nat, sess);
	struct nlattr *nest;

	nest = nla_nest_start(skb, VMBR_A_NAT_SESSION);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, VMBR_NAT_SESSION_A_PROTO, sess->key.proto) ||
	    nla_put_in_addr(skb, VMBR_NAT_SESSION_A_INT_ADDR,
			    sess->key.int_addr) ||
	    nla_put_u16(skb, VMBR_NAT_SESSION_A_INT_PORT,
			ntohs(sess->key.int_port)) ||
	    nla_put_in_addr(skb, VMBR_NAT_SESSION_A_EXT_ADDR,
			    READ_ONCE(nat->ext_addr)) ||
	    nla_put_u16(skb, VMBR_NAT_SESSION_A_EXT_PORT, ntohs(map->ek.port)) ||
	    nla_put_in_addr(skb, VMBR_NAT_SESSION_A_REM_ADDR,
			    sess->key.rem_addr) ||
	    nla_put_u16(skb, VMBR_NAT_SESSION_A_REM_PORT,
			ntohs(sess->key.rem_port)) ||
	    nla_put_u8(skb, VMBR_NAT_SESSION_A_TCP_STATE,
		       READ_ONCE(sess->state)) ||
	    nla_put_u32(skb, VMBR_NAT_SESSION_A_EXPIRES,
			idle < timeout ? jiffies_to_msecs(timeout - idle) : 0) ||
	    (map->forward && nla_put_flag(skb, VMBR_NAT_SESSION_A_FORWARD)) ||
	    nla_put_u64_64bit(skb, VMBR_NAT_SESSION_A_PACKETS_OUT,
			      READ_ONCE(sess->packets_out),
			      VMBR_NAT_SESSION_A_PAD) ||
	    nla_put_u64_64bit(skb, VMBR_NAT_SESSION_A_PACKETS_IN,
			      READ_ONCE(sess->packets_in),
			      VMBR_NAT_SESSION_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* One dump message per item: its vmbridge and the item's nest. */
static int vmbr_nat_dump_one(struct sk_buff *skb, struct netlink_callback *cb,
			     struct vmbr *vmbr, u8 cmd,
			     const struct vmbr_nat_sess *sess,
			     const struct vmbr_nat_map *fwd, unsigned long now)
{
	void *hdr;
	int err;

	hdr = vmbr_genl_put(skb, NETLINK_CB(cb->skb).portid,
			    cb->nlh->nlmsg_seq, NLM_F_MULTI, cmd);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	err = vmbr_put_vmbr(skb, vmbr);
	if (!err && sess)
		err = vmbr_nat_put_session(skb, &vmbr->nat, sess, now);
	if (!err && fwd) {
		struct nlattr *nest = nla_nest_start(skb, VMBR_A_NAT_FWD);

		if (!nest ||
		    nla_put_u8(skb, VMBR_NAT_FWD_A_PROTO, fwd->ek.proto) ||
		    nla_put_u16(skb, VMBR_NAT_FWD_A_EXT_PORT,
				ntohs(fwd->ek.port)) ||
		    nla_put_in_addr(skb, VMBR_NAT_FWD_A_INT_ADDR,
				    fwd->ik.addr) ||
		    nla_put_u16(skb, VMBR_NAT_FWD_A_INT_PORT,
				ntohs(fwd->ik.port)))
			err = -EMSGSIZE;
		else
			nla_nest_end(skb, nest);
	}
	if (err) {
		genlmsg_cancel(skb, hdr);
		return err;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * Walk the mappings (forwards first) and, for a session dump, their
 * sessions, from where the last message stopped (cb->args[0]).  RCU.
 */
static int vmbr_nat_dump(struct sk_buff *skb, struct netlink_callback *cb,
			 struct vmbr *vmbr, bool sessions)
{
	unsigned long skip = cb->args[0], idx = 0, now = jiffies;
	struct vmbr_nat *nat = &vmbr->nat;
	const struct vmbr_nat_sess *sess;
	const struct vmbr_nat_map *map;
	int err = 0;

	cb->seq = READ_ONCE(nat->seq);
	list_for_each_entry_rcu(map, &nat->maps, list) {
		if (!sessions) {
			if (!map->forward)
				break;	/* forwards come first */
			if (idx++ < skip)
				continue;
			err = vmbr_nat_dump_one(skb, cb, vmbr,
						VMBR_CMD_NAT_FWD_GET, NULL,
						map, now);
			if (err)
				goto stop;
			continue;
		}
		hlist_for_each_entry_rcu(sess, &map->sessions, map_node) {
			if (idx++ < skip)
				continue;
			err = vmbr_nat_dump_one(skb, cb, vmbr,
						VMBR_CMD_NAT_SESSION_GET, sess,
						NULL, now);
			if (err)
				goto stop;
		}
	}
	cb->args[0] = idx;
	return 0;
stop:
	cb->args[0] = idx - 1;
	return err;
}

static int vmbr_nl_nat_dump(struct sk_buff *skb, struct netlink_callback *cb,
			    bool sessions)
{
	struct vmbr *vmbr;
	int err;

	rcu_read_lock();
	vmbr = vmbr_from_attrs(sock_net(skb->sk), vmbr_dump_attrs(cb),
			       cb->extack);
	err = IS_ERR(vmbr) ? PTR_ERR(vmbr) : vmbr_nat_dump(skb, cb, vmbr,
							   sessions);
	rcu_read_unlock();
	return err == -EMSGSIZE ? skb->len : err;
}

int vmbr_nl_nat_session_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return vmbr_nl_nat_dump(skb, cb, true);
}

int vmbr_nl_nat_fwd_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return vmbr_nl_nat_dump(skb, cb, false);
}

/* Port forwards. */

/* The protocol and external port a forward request names. */
static int vmbr_nat_fwd_req(struct genl_info *info, struct nlattr **tb,
			    u8 *proto, __be16 *ext_port)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *nest = info->attrs[VMBR_A_NAT_FWD];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, VMBR_A_NAT_FWD))
		return -EINVAL;
	err = vmbr_parse_nest(tb, VMBR_NAT_FWD_A_MAX, nest,
			      vmbr_nat_fwd_policy, extack);
	if (err)
		return err;
	if (!tb[VMBR_NAT_FWD_A_PROTO] || !tb[VMBR_NAT_FWD_A_EXT_PORT]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a forward needs a protocol and a port");
		return -EINVAL;
	}
	*proto = nla_get_u8(tb[VMBR_NAT_FWD_A_PROTO]);
	if (*proto != IPPROTO_TCP && *proto != IPPROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VMBR_NAT_FWD_A_PROTO],
				    "only TCP and UDP ports can be forwarded");
		return -EINVAL;
	}
	*ext_port = htons(nla_get_u16(tb[VMBR_NAT_FWD_A_EXT_PORT]));
	return 0;
}

int vmbr_nl_nat_fwd_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[VMBR_NAT_FWD_A_MAX + 1];
	struct vmbr *vmbr = info->user_ptr[0];
	__be16 ext_port, int_port;
	__be32 int_addr;
	u8 proto;
	int err;

	err = vmbr_nat_fwd_req(info, tb, &proto, &ext_port);
	if (err)
		return err;
	if (!tb[VMBR_NAT_FWD_A_INT_ADDR]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VMBR_A_NAT_FWD],
				    "a forward needs the guest's address");
		return -EINVAL;
	}
	int_addr = nla_get_in_addr(tb[VMBR_NAT_FWD_A_INT_ADDR]);
	if (ipv4_is_zeronet(int_addr) || ipv4_is_multicast(int_addr) ||
	    ipv4_is_lbcast(int_addr) || ipv4_is_loopback(int_addr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[VMBR_NAT_FWD_A_INT_ADDR],
				    "a forward needs a unicast guest address");
		return -EINVAL;
	}
	int_port = tb[VMBR_NAT_FWD_A_INT_PORT] ?
		   htons(nla_get_u16(tb[VMBR_NAT_FWD_A_INT_PORT])) : ext_port;

	return vmbr_nat_fwd_add(&vmbr->nat, proto, ext_port, int_addr,
				int_port, info->extack);
}

int vmbr_nl_nat_fwd_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[VMBR_NAT_FWD_A_MAX + 1];
	struct vmbr *vmbr = info->user_ptr[0];
	__be16 ext_port;
	u8 proto;
	int err;

	err = vmbr_nat_fwd_req(info, tb, &proto, &ext_port);
	if (err)
		return err;
	err = vmbr_nat_fwd_del(&vmbr->nat, proto, ext_port);
	if (err)
		NL_SET_ERR_MSG_MOD(info->extack, "no such forward");
	return err;
}
