/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbridge: NAT mode, the types its files share.
 *
 * vmbr_nat_table.c  mappings, sessions, expiry, bounds
 * vmbr_nat_port.c   external ports: choosing them, sharing them between
 *                   guests, staying clear of the host's sockets
 * vmbr_nat_xlate.c  reading and rewriting packets (checksums included)
 * vmbr_nat.c        the data path: guest -> outside, outside -> guest,
 *                   hairpin, fragments, ICMP from the gateway
 * vmbr_nat_netlink.c the VMBR_CMD_NAT_* commands
 *
 * A mapping (RFC 4787's "mapping") ties a guest's {protocol, address, port}
 * to one external port on the uplink's address, whatever the remote end:
 * endpoint-independent mapping.  A session is one remote end talking to a
 * mapping; it carries the TCP state and the idle timer, and is what inbound
 * filtering looks for.  A port forward is a mapping that never expires.
 */
#ifndef _VMBR_NAT_H
#define _VMBR_NAT_H

#include <linux/list.h>
#include <linux/netfilter.h>
#include <linux/netdevice.h>
#include <linux/ratelimit.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/tcp.h>
#include <linux/vmbridge.h>

struct vmbr;
struct vmbr_port;
struct sk_buff;
struct netlink_ext_ack;
struct netlink_callback;
struct genl_info;

/* The protocols the NAT maps, each with its own external ports. */
enum vmbr_nat_proto {
	VMBR_NAT_P_TCP,
	VMBR_NAT_P_UDP,
	VMBR_NAT_P_ICMP,
	VMBR_NAT_P_COUNT
};

static inline enum vmbr_nat_proto vmbr_nat_proto_of(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return VMBR_NAT_P_TCP;
	case IPPROTO_UDP:
		return VMBR_NAT_P_UDP;
	default:
		return VMBR_NAT_P_ICMP;
	}
}

/* Which of the timeouts a session lives by. */
enum vmbr_nat_timeout {
	VMBR_NAT_T_UDP,
	VMBR_NAT_T_TCP_EST,
	VMBR_NAT_T_TCP_TRANS,
	VMBR_NAT_T_ICMP,
	VMBR_NAT_T_COUNT
};

/* A guest endpoint: the key of vmbr_nat::maps_int. */
struct vmbr_nat_int_key {
	__be32 addr;
	__be16 port;			/* ICMP: echo identifier */
	u8 proto;
	u8 pad;
};

/* An external port: the key of vmbr_nat::maps_ext. */
struct vmbr_nat_ext_key {
	__be16 port;
	u8 proto;
	u8 pad;
};

/* A session, guest side first: the key of vmbr_nat::sessions. */
struct vmbr_nat_key {
	__be32 int_addr;
	__be32 rem_addr;
	__be16 int_port;
	__be16 rem_port;		/* ICMP: 0 */
	u8 proto;
	u8 pad[3];
};

/* A remote address and a mapping (its external port): the key of vmbr_nat::peers. */
struct vmbr_nat_peer_key {
	__be32 rem_addr;
	__be16 ext_port;
	u8 proto;
	u8 pad;
};

/*
 * The external ports of one protocol (vmbr_nat_port.c), under
 * vmbr_nat::lock.  @used has a bit for every port a mapping or a forward
 * holds; @host one for every port a search found one of the host's sockets
 * on: a cache that only skips, refreshed lazily (a host's socket is looked
 * up again before any port is taken).  Both cover ports 0-65535.
 */
struct vmbr_nat_portmap {
	unsigned long *used;
	unsigned long *host;		/* NULL for ICMP: no host sockets */
	unsigned long host_since;	/* jiffies: @host cleared */
	unsigned int nused;		/* bits in @used */
	unsigned int nhost;		/* bits in @host */
	unsigned int nguests;		/* guest ports with a mapping */
};

struct vmbr_nat_map {
	struct rhash_head int_node;
	struct rhash_head ext_node;
	struct vmbr_nat_int_key ik;
	struct vmbr_nat_ext_key ek;
	bool forward;			/* a port forward: never expires */
	unsigned int nsessions;		/* under vmbr_nat::lock */
	struct vmbr_port *guest;	/* counts against it; NULL: forward */
	struct list_head list;		/* in vmbr_nat::maps, RCU */
	struct hlist_head sessions;	/* RCU */
	struct rcu_head rcu;
};

struct vmbr_nat_sess {
	struct rhash_head node;
	struct vmbr_nat_key key;
	struct vmbr_nat_map *map;
	u32 last_seen;			/* jiffies (low 32 bits); READ_ONCE */
	u8 state;			/* enum vmbr_nat_tcp_state */
	u8 tcp_seen;			/* VMBR_NAT_SYN_* | VMBR_NAT_FIN_* */
	u32 packets_out;		/* racy on purpose: a hint, not a count */
	u32 packets_in;
	/*
	 * The acknowledgment number of the guest's last TCP segment: the
	 * remote's next sequence number, what a reset from outside must be
	 * near (0: none seen yet).  READ_ONCE / WRITE_ONCE.
	 */
	u32 guest_ack;
	u64 route;			/* next hop out: vmbr_nat_sess_nexthop() */
	struct hlist_node map_node;	/* in vmbr_nat_map::sessions */
	struct rcu_head rcu;
};

/*
 * How many sessions of one mapping have one remote address: what
 * address-dependent filtering asks of an unsolicited packet, answered by
 * one lookup however many sessions the mapping has.
 */
struct vmbr_nat_peer {
	struct rhash_head node;
	struct vmbr_nat_peer_key key;
	unsigned int nsessions;		/* under vmbr_nat::lock */
	struct rcu_head rcu;
};

#define VMBR_NAT_SYN_OUT	BIT(0)
#define VMBR_NAT_SYN_IN		BIT(1)
#define VMBR_NAT_FIN_OUT	BIT(2)
#define VMBR_NAT_FIN_IN		BIT(3)

/*
 * How far past the guest's last acknowledgment a reset from outside may
 * be and still end the session: about the data a remote may have in
 * flight.  An off-path sender that knows the 4-tuple must hit a window
 * of 1 in 4096 of the sequence space; a reset outside it still reaches
 * the guest, whose own TCP judges it (RFC 5961), but moves no timeout.
 */
#define VMBR_NAT_TCP_RST_WINDOW	BIT(20)

/* What the NAT counts besides packets, bytes and drops. */
enum vmbr_nat_event {
	VMBR_NAT_EV_HAIRPIN,
	VMBR_NAT_EV_ICMP_ERRORS,	/* ICMP errors translated */
	VMBR_NAT_EV_CREATED,		/* sessions */
	VMBR_NAT_EV_EXPIRED,
	VMBR_NAT_EV_SENT_TIME_EXCEEDED,	/* ICMP from the gateway */
	VMBR_NAT_EV_SENT_FRAG_NEEDED,
	VMBR_NAT_EV_COUNT
};

struct vmbr_nat_pcpu_stats {
	u64_stats_t out_packets;
	u64_stats_t out_bytes;
	u64_stats_t in_packets;
	u64_stats_t in_bytes;
	u64_stats_t events[VMBR_NAT_EV_COUNT];
	u64_stats_t drops[__VMBR_NAT_DROP_MAX];
	struct u64_stats_sync syncp;
};

struct vmbr_nat_stats {
	u64 out_packets;
	u64 out_bytes;
	u64 in_packets;
	u64 in_bytes;
	u64 events[VMBR_NAT_EV_COUNT];
	u64 drops[__VMBR_NAT_DROP_MAX];
};

/*
 * DOC: Locking
 *
 * The four tables are rhashtables read under RCU with no lock.  Every
 * insertion and removal of a mapping, session or peer takes vmbr_nat::lock
 * (a BH spinlock: sessions are made in softirq) and bumps vmbr_nat::seq
 * for dumps.  A session's last_seen, state and cached next hop (route) are
 * written locklessly with WRITE_ONCE().  Settings are written under RTNL
 * with WRITE_ONCE() and read with READ_ONCE().  Mappings, sessions and
 * peers are freed after a grace period.  The periodic expiry walk and the
 * filtering read under RCU and lock only to change something: the data
 * path never waits for a walk.
 */
struct vmbr_nat {
	struct rhashtable maps_int;
	struct rhashtable maps_ext;
	struct rhashtable sessions;
	struct rhashtable peers;
	struct list_head maps;		/* every mapping, forwards first */
	spinlock_t lock;
	unsigned int nsessions;		/* under lock */
	unsigned int fwd_sessions;	/* of all port forwards, under lock */
	unsigned int nmaps;		/* under lock */
	u32 seq;			/* bumped on every change (dumps) */
	u32 secret;			/* port choice: a guest's start point */
	u32 uplink_epoch;		/* bumped when the uplink changes (RTNL) */

	struct vmbr_nat_portmap ports[VMBR_NAT_P_COUNT];	/* under lock */

	__be32 ext_addr;		/* the uplink's address, 0: none */
	u16 port_min, port_max;
	u32 max_sessions;
	u32 max_sessions_per_guest;
	unsigned long timeout[VMBR_NAT_T_COUNT];	/* jiffies */
	u8 filtering;			/* enum vmbr_nat_filtering */

	struct ratelimit_state icmp_rs;	/* ICMP errors to the guests */
	struct ratelimit_state icmp_out_rs;	/* and to the outside */
	struct nf_hook_ops local_out;	/* the host to its forwards */
	struct net *local_net;		/* where local_out is, or NULL */
	struct vmbr_nat_pcpu_stats __percpu *stats;
	struct delayed_work gc;
};

/* What the NAT needs to know about an IPv4 packet (vmbr_nat_xlate.c). */
struct vmbr_nat_pkt {
	__be32 saddr, daddr;
	__be16 sport, dport;		/* ICMP echo: the identifier, twice */
	u8 proto;
	u8 tcp_flags;			/* TCPHDR_* of a TCP segment */
	u32 tcp_seq, tcp_ack;		/* its numbers, host order */
	u8 icmp_type;			/* of an ICMP packet (outer) */
	bool fragment;			/* no transport header read */
	bool icmp_error;		/* the tuple is the embedded packet's */
	u16 frag_max;			/* reassembled: its biggest fragment */
	unsigned int l4_off;		/* from the network header */
};

/*
 * What a cached next hop is valid for: the routes of the vmbridge's
 * namespace as they were (any change to routes, rules, addresses or
 * devices bumps rt_genid) and the same uplink.  Both only grow, so their
 * sum changes whenever either does.
 */
static inline u32 vmbr_nat_route_tag(const struct vmbr_nat *nat,
				     const struct net *net)
{
	return (u32)rt_genid_ipv4(net) + READ_ONCE(nat->uplink_epoch);
}

/* The uplink came or went: next hops found through the old one are stale. */
static inline void vmbr_nat_uplink_changed(struct vmbr_nat *nat)
{
	WRITE_ONCE(nat->uplink_epoch, nat->uplink_epoch + 1);
}

/*
 * An established session's packets out skip the route lookup: the session
 * keeps the next hop and the route tag it was found under, in one word
 * so that no reader sees half of an update (0: none yet).
 */
static inline bool vmbr_nat_sess_nexthop(const struct vmbr_nat_sess *sess,
					 u32 tag, __be32 *nexthop)
{
	u64 route = READ_ONCE(sess->route);

	if ((u32)(route >> 32) != tag || !(u32)route)
		return false;
	*nexthop = (__force __be32)(u32)route;
	return true;
}

static inline void vmbr_nat_sess_set_nexthop(struct vmbr_nat_sess *sess,
					     u32 tag, __be32 nexthop)
{
	WRITE_ONCE(sess->route, (u64)tag << 32 | (__force u32)nexthop);
}

/* vmbr_nat_table.c */
int vmbr_nat_module_init(void);
void vmbr_nat_module_exit(void);
int vmbr_nat_init(struct vmbr_nat *nat);
void vmbr_nat_uninit(struct vmbr_nat *nat);
void vmbr_nat_count(struct vmbr_nat *nat, enum vmbr_nat_event event);
void vmbr_nat_count_drop(struct vmbr_nat *nat,
			 enum vmbr_nat_drop_reason reason);

/* A packet of @len bytes translated: guest to outside (@out) or back. */
static inline void vmbr_nat_count_add(struct vmbr_nat *nat, bool out,
				      unsigned int len)
{
	struct vmbr_nat_pcpu_stats *s = this_cpu_ptr(nat->stats);

	u64_stats_update_begin(&s->syncp);
	if (out) {
		u64_stats_inc(&s->out_packets);
		u64_stats_add(&s->out_bytes, len);
	} else {
		u64_stats_inc(&s->in_packets);
		u64_stats_add(&s->in_bytes, len);
	}
	u64_stats_update_end(&s->syncp);
}

void vmbr_nat_stats_read(const struct vmbr_nat *nat, struct vmbr_nat_stats *sum);
unsigned long vmbr_nat_timeout_of(const struct vmbr_nat *nat,
				  const struct vmbr_nat_sess *sess);
struct vmbr_nat_sess *vmbr_nat_sess_find(struct vmbr_nat *nat,
					 const struct vmbr_nat_key *key);
struct vmbr_nat_map *vmbr_nat_map_find_ext(struct vmbr_nat *nat, u8 proto,
					   __be16 port);
struct vmbr_nat_sess *vmbr_nat_sess_add_out(struct vmbr_nat *nat,
					    struct net *net,
					    struct vmbr_port *guest,
					    const struct vmbr_nat_key *key,
					    enum vmbr_nat_drop_reason *why);
bool vmbr_nat_filter_allows(struct vmbr_nat *nat,
			    const struct vmbr_nat_map *map, __be32 rem_addr);
struct vmbr_nat_sess *vmbr_nat_sess_add_in(struct vmbr_nat *nat,
					   struct vmbr_nat_map *map,
					   __be32 rem_addr, __be16 rem_port,
					   enum vmbr_nat_drop_reason *why);
void __vmbr_nat_tcp_seen(struct vmbr_nat_sess *sess, bool out,
			 const struct vmbr_nat_pkt *pkt);

/*
 * A packet @pkt of the session went by (@out: from the guest).  Lockless:
 * the fields are hints that a racing CPU may overwrite with an equally
 * good value.  A guest's TCP segment leaves its acknowledgment number;
 * only a SYN, FIN or RST, or the first segment after a SYN, can move a
 * TCP session's state (__vmbr_nat_tcp_seen()).
 */
static inline void vmbr_nat_sess_seen(struct vmbr_nat_sess *sess, bool out,
				      const struct vmbr_nat_pkt *pkt)
{
	u8 tcp_flags = pkt->tcp_flags;
	u32 now = jiffies;

	if (READ_ONCE(sess->last_seen) != now)
		WRITE_ONCE(sess->last_seen, now);
	if (out)
		WRITE_ONCE(sess->packets_out, READ_ONCE(sess->packets_out) + 1);
	else
		WRITE_ONCE(sess->packets_in, READ_ONCE(sess->packets_in) + 1);
	if (sess->key.proto != IPPROTO_TCP)
		return;
	if (out && (tcp_flags & TCPHDR_ACK) &&
	    READ_ONCE(sess->guest_ack) != pkt->tcp_ack)
		WRITE_ONCE(sess->guest_ack, pkt->tcp_ack);
	if ((tcp_flags & (TCPHDR_SYN | TCPHDR_FIN | TCPHDR_RST)) ||
	    READ_ONCE(sess->state) == VMBR_NAT_TCP_SYN)
		__vmbr_nat_tcp_seen(sess, out, pkt);
}

void vmbr_nat_set_port_range(struct vmbr_nat *nat, u16 lo, u16 hi);
int vmbr_nat_fwd_add(struct vmbr_nat *nat, u8 proto, __be16 ext_port,
		     __be32 int_addr, __be16 int_port,
		     struct netlink_ext_ack *extack);
int vmbr_nat_fwd_del(struct vmbr_nat *nat, u8 proto, __be16 ext_port);
void vmbr_nat_flush(struct vmbr_nat *nat, const struct vmbr_port *guest,
		    bool forwards);
unsigned int vmbr_nat_expire(struct vmbr_nat *nat, unsigned long now);
void vmbr_nat_set_address(struct vmbr_nat *nat, __be32 addr);

/* vmbr_nat_xlate.c */
/* What vmbr_nat_ip_options() does with the options of an IPv4 header. */
enum vmbr_nat_opts {
	VMBR_NAT_OPTS_CHECK,		/* nothing: are they sound, supported? */
	VMBR_NAT_OPTS_XLATE,		/* record route, timestamp: no-ops */
	VMBR_NAT_OPTS_LATER_FRAGS,	/* those not copied into fragments */
};

enum vmbr_nat_drop_reason vmbr_nat_ip_options(struct iphdr *iph,
					      enum vmbr_nat_opts op);
enum vmbr_nat_drop_reason vmbr_nat_parse(struct sk_buff *skb,
					 struct vmbr_nat_pkt *pkt);
int vmbr_nat_rewrite(struct sk_buff *skb, const struct vmbr_nat_pkt *pkt,
		     bool src, __be32 addr, __be16 port);
int vmbr_nat_rewrite_icmp_error(struct sk_buff *skb,
				const struct vmbr_nat_pkt *pkt, bool outbound,
				__be32 addr, __be16 port);

/* vmbr_nat.c */
bool vmbr_nat_outbound(struct vmbr *vmbr, struct vmbr_port *from,
		       struct sk_buff *skb);
rx_handler_result_t vmbr_nat_inbound(struct vmbr *vmbr,
				     struct vmbr_port *uplink,
				     struct sk_buff **pskb);
void vmbr_nat_update_address(struct vmbr *vmbr);
int vmbr_nat_notifier_init(void);
void vmbr_nat_notifier_exit(void);

/* vmbr_nat_port.c: external ports */
int vmbr_nat_ports_init(struct vmbr_nat *nat);
void vmbr_nat_ports_uninit(struct vmbr_nat *nat);
void vmbr_nat_port_take(struct vmbr_nat *nat, struct vmbr_nat_map *map);
void vmbr_nat_port_release(struct vmbr_nat *nat, struct vmbr_nat_map *map);
bool vmbr_nat_port_fair(const struct vmbr_nat *nat,
			const struct vmbr_port *guest, u8 proto);
int vmbr_nat_port_alloc(struct vmbr_nat *nat, struct net *net, u8 proto,
			__be32 int_addr, __be16 int_port, __be16 *port);
bool vmbr_nat_host_owns(struct net *net, const struct vmbr_nat_pkt *pkt,
			int dif);
bool vmbr_nat_host_collides(struct vmbr_nat *nat, const struct iphdr *iph,
			    const __be16 *ports);

/* vmbr_nat_local.c */
void vmbr_nat_local_hook(struct vmbr_nat *nat, struct net *net, bool on);

/* vmbr_nat_netlink.c: policies and handlers of the NAT commands */
extern const struct nla_policy vmbr_nat_policy[VMBR_NAT_A_MAX + 1];
extern const struct nla_policy vmbr_nat_fwd_policy[VMBR_NAT_FWD_A_MAX + 1];
int vmbr_nl_nat_get_doit(struct sk_buff *skb, struct genl_info *info);
int vmbr_nl_nat_set_doit(struct sk_buff *skb, struct genl_info *info);
int vmbr_nl_nat_session_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int vmbr_nl_nat_flush_doit(struct sk_buff *skb, struct genl_info *info);
int vmbr_nl_nat_fwd_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vmbr_nl_nat_fwd_add_doit(struct sk_buff *skb, struct genl_info *info);
int vmbr_nl_nat_fwd_del_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _VMBR_NAT_H */
