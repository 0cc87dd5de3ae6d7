/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbridge: the types every part of the module shares.
 *
 * DOC: Locking
 *
 * Configuration (creating and deleting vmbridges, attaching and detaching
 * ports, mode, uplink, settings) runs under RTNL and publishes with RCU.
 * The data path (rx handler, the vmbridge's ndo_start_xmit, the FDB lookup)
 * runs in softirq or with BH disabled under RCU and never sleeps.
 *
 * - struct vmbr::ports: written under RTNL, read under RCU.
 * - struct vmbr::uplink: written under RTNL, read with rcu_dereference().
 * - struct vmbr::mode, ::reach, ::ageing, ::max_fdb: written under RTNL
 *   with WRITE_ONCE(), read locklessly with READ_ONCE().
 * - The FDB: see vmbr_fdb.c.
 * - A port is freed only after an RCU grace period following its removal
 *   from the list and from every FDB entry.
 */
#ifndef _VMBR_H
#define _VMBR_H

#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/in6.h>
#include <linux/jhash.h>
#include <linux/netdevice.h>
#include <linux/ratelimit_types.h>
#include <linux/rhashtable-types.h>
#include <linux/rtnetlink.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/vmbridge.h>

#include "compat.h"
#include "vmbr_nat.h"

/*
 * Who a port is, for the mode's reachability table: a guest, the uplink, or
 * the host itself (the vmbridge device, vmbr0).
 */
enum vmbr_role {
	VMBR_ROLE_GUEST = VMBR_PORT_ROLE_GUEST,
	VMBR_ROLE_UPLINK = VMBR_PORT_ROLE_UPLINK,
	VMBR_ROLE_HOST,
	VMBR_ROLE_COUNT
};

/* Per-CPU counters of one port; "rx" is what the port gave the vmbridge. */
struct vmbr_pcpu_stats {
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
	u64_stats_t drops[__VMBR_DROP_MAX];
	u64_stats_t fdb_full;
	u64_stats_t max_macs;
	u64_stats_t not_switched;	/* the uplink's, refused: the host's */
	struct u64_stats_sync syncp;
};

/* A sum of the per-CPU counters, for netlink and ndo_get_stats64. */
struct vmbr_stats {
	u64 rx_packets;
	u64 rx_bytes;
	u64 tx_packets;
	u64 tx_bytes;
	u64 drops[__VMBR_DROP_MAX];
	u64 fdb_full;
	u64 max_macs;
	u64 not_switched;
};

struct vmbr;

/* A port's 802.1Q membership (vmbr_vlan.c).  Replaced whole, under RCU. */
struct vmbr_vlans {
	u16 pvid;			/* VLAN of untagged frames; 0: none */
	DECLARE_BITMAP(tagged, VLAN_N_VID);	/* VLANs carried tagged */
	struct rcu_head rcu;
};

/* A VLAN and the tunnel id it is carried as (vmbr_tunnel.c). */
struct vmbr_vni_pair {
	u32 vni;
	u16 vid;
};

/* uplink-vni: VLANs as tunnel ids (vmbr_tunnel.c).  Replaced whole, RCU. */
struct vmbr_vni_map {
	struct vmbr_vlans vlans;	/* the VLANs carried: tagged, no PVID */
	struct metadata_dst *tx[VLAN_N_VID];	/* per VLAN; NULL: not carried */
	struct rcu_head rcu;
	unsigned int count;
	struct vmbr_vni_pair pairs[];	/* sorted by VNI, for the way in */
};

/* The source MACs a locked port may use (vmbr_guard.c). */
struct vmbr_lock_mac {
	struct rcu_head rcu;
	unsigned int count;
	u8 addr[][ETH_ALEN];
};

/* The addresses a port may use under lock-ip (vmbr_lock_ip.c). */
struct vmbr_lock_ip {
	struct rcu_head rcu;
	unsigned int count;
	struct in6_addr addr[];		/* IPv4 as ::ffff:a.b.c.d */
};

/* A bandwidth limit as configured (vmbr_rate.c); bytes_ps 0: none. */
struct vmbr_rate_cfg {
	u64 bytes_ps;			/* bytes a second */
	u32 burst;			/* bytes that may pass at once */
};

/* rate-in's token bucket (vmbr_rate.c).  Replaced whole, under RCU. */
struct vmbr_rate {
	struct vmbr_rate_cfg cfg;
	u64 ns_per_byte;		/* 32.32 fixed point */
	u64 tau;			/* the burst's worth, ns */
	atomic64_t tat;			/* theoretical arrival, ns */
	struct rcu_head rcu;
};

struct vmbr_port {
	struct list_head list;		/* in vmbr::ports, RCU */
	struct vmbr *vmbr;
	struct net_device *dev;
	netdevice_tracker dev_tracker;
	enum vmbr_role role;
	bool promisc;			/* we raised dev's promiscuity */
	atomic_t fdb_count;		/* learned entries pointing here */
	/*
	 * The source the port's frames last confirmed in the FDB: its
	 * {MAC, VID} as one word, and the jiffy and vmbr::fdb_seq of then
	 * (vmbr_fdb_learn()).  Written racily, once a jiffy per source.
	 */
	u64 fdb_seen_key;
	u64 fdb_seen_stamp;
	struct vmbr_vlans __rcu *vlans;	/* guests and host; see vmbr_port_vlans() */
	/* Guards of a guest port (vmbr_guard.c). */
	bool isolated;
	u32 max_macs;			/* 0: only the vmbridge's bound */
	u32 bum_rate;			/* frames a second, 0: no limit */
	atomic64_t bum_tat;		/* rate limit: theoretical arrival, ns */
	struct vmbr_lock_mac __rcu *lock_mac;	/* NULL: any source MAC */
	struct vmbr_lock_ip __rcu *lock_ip;	/* NULL: any address */
	/* Bandwidth of a guest port (vmbr_rate.c, vmbr_rate_out.c). */
	struct vmbr_rate __rcu *rate_in;	/* NULL: no limit */
	struct vmbr_rate_cfg rate_out;	/* written under RTNL, WRITE_ONCE */
	unsigned int nat_sessions;	/* under vmbr_nat::lock */
	unsigned int nat_maps[VMBR_NAT_P_COUNT];	/* its mappings, same */
	struct vmbr_pcpu_stats __percpu *stats;
	struct rcu_head rcu;
};

struct vmbr {
	struct net_device *dev;
	struct list_head ports;		/* guest ports and the uplink */
	struct vmbr_port __rcu *uplink;
	struct vmbr_port host;		/* the host's side: dev itself */
	u32 port_seq;			/* bumped on port changes (dumps) */
	struct vmbr_vlans __rcu *uplink_vlans;	/* whichever device is the uplink */
	struct vmbr_vni_map __rcu *vni_map;	/* NULL: VLANs as 802.1Q tags */

	u8 mode;			/* enum vmbr_mode */
	/* reach[from role]: bitmap of roles the mode lets it reach */
	u8 reach[VMBR_ROLE_COUNT];

	/* The forwarding database (vmbr_fdb.c). */
	struct rhashtable fdb;
	struct hlist_head fdb_list;	/* every entry, for dumps and ageing */
	spinlock_t fdb_lock;		/* writers of fdb and fdb_list */
	unsigned int fdb_count;		/* under fdb_lock; READ_ONCE outside */
	/*
	 * Bumped on every FDB change: dumps see they were interrupted,
	 * learning and destination hints see what they knew is stale.
	 */
	unsigned long fdb_seq;
	struct vmbr_fdb_hint __percpu *fdb_hint;	/* vmbr_fdb_lookup_fast() */
	struct ratelimit_state fdb_events;	/* learned/moved announced */
	unsigned long ageing;		/* jiffies */
	u32 max_fdb;
	/* jiffies of the last limit event of each kind (vmbr_netlink.c) */
	unsigned long limit_event[__VMBR_LIMIT_MAX];
	struct delayed_work fdb_gc;

	struct vmbr_nat nat;		/* NAT mode (vmbr_nat*.c) */
};

/*
 * The hash of every vmbridge rhashtable: jhash over the key's words with
 * the table's random seed, as rhashtable's default, but inline: the key
 * length is a constant where the table's params are, so the lookup on the
 * data path makes no call to hash.  Keys are whole words, padding zeroed.
 */
static inline u32 vmbr_rht_hash(const void *key, u32 len, u32 seed)
{
	return jhash2(key, len / sizeof(u32), seed);
}

static inline struct vmbr_port *vmbr_port_get_rcu(const struct net_device *dev)
{
	return rcu_dereference(dev->rx_handler_data);
}

/* vmbr_device.c */
extern struct rtnl_link_ops vmbr_link_ops;
int vmbr_device_init(void);
void vmbr_device_exit(void);
bool netif_is_vmbridge(const struct net_device *dev);
void vmbr_set_mode(struct vmbr *vmbr, u8 mode);

/* vmbr_port.c */
bool vmbr_port_is_ethernet(const struct net_device *dev);
int vmbr_port_check(struct vmbr *vmbr, struct net_device *dev,
		    bool layer3_ok, struct netlink_ext_ack *extack);
int vmbr_port_add(struct vmbr *vmbr, struct net_device *dev,
		  enum vmbr_role role, struct vmbr_vlans *vlans,
		  struct netlink_ext_ack *extack);
int vmbr_port_add_setup(struct vmbr *vmbr, struct net_device *dev,
			enum vmbr_role role, struct vmbr_vlans *vlans,
			void (*setup)(struct vmbr_port *port, void *arg),
			void *arg, struct netlink_ext_ack *extack);
void vmbr_port_del(struct vmbr_port *port);
void vmbr_port_del_all(struct vmbr *vmbr);
struct vmbr_port *vmbr_port_get_rtnl(const struct net_device *dev);
struct vmbr_port *vmbr_port_by_ifindex(struct vmbr *vmbr,
				       const struct nlattr *attr, bool host_ok,
				       struct netlink_ext_ack *extack);
int vmbr_port_stats_init(struct vmbr_port *port);
void vmbr_port_stats_read(const struct vmbr_port *port,
			  struct vmbr_stats *sum);
int vmbr_uplink_promisc(struct vmbr_port *uplink, bool on);
int vmbr_port_notifier_init(void);
void vmbr_port_notifier_exit(void);

static inline void vmbr_count_rx(struct vmbr_port *port, unsigned int len)
{
	struct vmbr_pcpu_stats *s = this_cpu_ptr(port->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->rx_packets);
	u64_stats_add(&s->rx_bytes, len);
	u64_stats_update_end(&s->syncp);
}

static inline void vmbr_count_tx(struct vmbr_port *port, unsigned int len)
{
	struct vmbr_pcpu_stats *s = this_cpu_ptr(port->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->tx_packets);
	u64_stats_add(&s->tx_bytes, len);
	u64_stats_update_end(&s->syncp);
}

static inline void vmbr_count_not_switched(struct vmbr_port *port)
{
	struct vmbr_pcpu_stats *s = this_cpu_ptr(port->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->not_switched);
	u64_stats_update_end(&s->syncp);
}

static inline void vmbr_count_drop(struct vmbr_port *port,
				   enum vmbr_drop_reason reason)
{
	struct vmbr_pcpu_stats *s = this_cpu_ptr(port->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->drops[reason]);
	u64_stats_update_end(&s->syncp);
}

/* vmbr_input.c */
rx_handler_result_t vmbr_handle_frame(struct sk_buff **pskb);
enum vmbr_drop_reason vmbr_parse(const struct sk_buff *skb);

/* vmbr_forward.c */
/* Does the mode let @from's frames reach @to? */
static inline bool vmbr_may_reach(const struct vmbr *vmbr,
				  const struct vmbr_port *from,
				  const struct vmbr_port *to)
{
	return READ_ONCE(vmbr->reach[from->role]) & BIT(to->role);
}

bool vmbr_fits_mtu(const struct sk_buff *skb, const struct net_device *dev);
bool vmbr_flood_to(const struct vmbr *vmbr, const struct vmbr_port *from,
		   const struct vmbr_port *to, u16 vid);
void vmbr_forward(struct vmbr *vmbr, struct vmbr_port *from,
		  struct sk_buff *skb, u16 vid, u16 prio);
void vmbr_flood(struct vmbr *vmbr, struct vmbr_port *from,
		struct sk_buff *skb, u16 vid, u16 prio, bool consume);
void vmbr_drop(struct vmbr_port *port, struct sk_buff *skb,
	       enum vmbr_drop_reason reason);

/* vmbr_vlan.c */
/*
 * A port's VLANs, for the data path (RCU) or the config path (RTNL); the
 * uplink's are the vmbridge's, whichever device it is, and those of its
 * uplink-vni map while it has one (vmbr_tunnel.c).
 */
static inline const struct vmbr_vlans *
vmbr_port_vlans(const struct vmbr_port *port)
{
	if (port->role == VMBR_ROLE_UPLINK) {
		const struct vmbr_vni_map *map =
			rcu_dereference_rtnl(port->vmbr->vni_map);

		if (unlikely(map))
			return &map->vlans;
		return rcu_dereference_rtnl(port->vmbr->uplink_vlans);
	}
	return rcu_dereference_rtnl(port->vlans);
}

/* Is @vid one of the VLANs of a port with @vlans? */
static inline bool vmbr_vlan_member(const struct vmbr_vlans *vlans, u16 vid)
{
	return vid == vlans->pvid || test_bit(vid, vlans->tagged);
}

/*
 * Which VLAN (*@vidp) a frame from a port with @vlans belongs to: its tag's
 * VLAN if the port carries it, else (untagged or priority-tagged) the
 * port's PVID.  The tag's priority bits (*@priop) are kept for the way out.
 * The frame itself is not changed: the uplink's group frames also go up
 * the host's stack as they came.
 */
static inline enum vmbr_drop_reason
vmbr_vlan_ingress(const struct vmbr_vlans *vlans, const struct sk_buff *skb,
		  u16 *vidp, u16 *priop)
{
	u16 vid = 0;

	*priop = 0;
	if (skb_vlan_tag_present(skb)) {
		/* An 802.1ad service tag is not ours to take apart. */
		if (skb->vlan_proto != htons(ETH_P_8021Q))
			return VMBR_DROP_VLAN;
		vid = skb_vlan_tag_get_id(skb);
		*priop = skb_vlan_tag_get(skb) & VLAN_PRIO_MASK;
	}
	if (unlikely(vid == VLAN_N_VID - 1))
		return VMBR_DROP_MALFORMED;	/* 4095 is reserved */
	if (!vid) {
		if (!vlans->pvid)
			return VMBR_DROP_VLAN;
		*vidp = vlans->pvid;
	} else {
		if (!test_bit(vid, vlans->tagged))
			return VMBR_DROP_VLAN;
		*vidp = vid;
	}
	return VMBR_DROP_UNSPEC;
}

/*
 * Dress a frame for a port with @vlans: untagged in the port's PVID,
 * tagged (with the priority it came with) in its other VLANs.  False if the
 * port is not in @vid.
 */
static inline bool vmbr_vlan_egress(const struct vmbr_vlans *vlans,
				    struct sk_buff *skb, u16 vid, u16 prio)
{
	if (vid == vlans->pvid) {
		__vlan_hwaccel_clear_tag(skb);
		return true;
	}
	if (!test_bit(vid, vlans->tagged))
		return false;
	__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), vid | prio);
	return true;
}

int vmbr_vlan_untag_inband(struct sk_buff *skb);
struct vmbr_vlans *vmbr_vlans_alloc(u16 pvid);
int vmbr_vlans_from_bitmap(struct vmbr_vlans *vlans, const u8 *bits,
			   struct netlink_ext_ack *extack);
void vmbr_vlans_to_bitmap(const struct vmbr_vlans *vlans, u8 *bits);
void vmbr_port_set_vlans(struct vmbr_port *port, struct vmbr_vlans *vlans);
void vmbr_set_uplink_vlans(struct vmbr *vmbr, struct vmbr_vlans *vlans);
void vmbr_vlans_free(struct vmbr_vlans __rcu **vlans);

/* vmbr_tunnel.c */
extern const struct nla_policy vmbr_vni_policy[VMBR_VNI_A_MAX + 1];
struct vmbr_vni_map *vmbr_vni_map_parse(const struct nlattr *nest,
					struct netlink_ext_ack *extack);
int vmbr_vni_map_check(const struct vmbr_vni_map *map, u8 mode,
		       struct net_device *uplink,
		       const struct vmbr_vlans *uplink_vlans,
		       struct netlink_ext_ack *extack);
void vmbr_set_vni_map(struct vmbr *vmbr, struct vmbr_vni_map *map);
void vmbr_vni_map_free(struct vmbr_vni_map *map);
void vmbr_tunnel_follow_mtu(struct vmbr *vmbr);
size_t vmbr_vni_map_nlsize(const struct vmbr_vni_map *map);
int vmbr_put_vni_map(struct sk_buff *skb, const struct vmbr_vni_map *map);
enum vmbr_drop_reason vmbr_tunnel_ingress(const struct vmbr_vni_map *map,
					  struct sk_buff *skb, u16 *vidp);
bool vmbr_tunnel_egress(const struct vmbr_vni_map *map, struct sk_buff *skb,
			u16 vid);

/* vmbr_guard.c */
bool __vmbr_guard_src_ok(const struct vmbr_port *port, const u8 *src);

/* Is @src a MAC the port may send from?  Data path, RCU. */
static inline bool vmbr_guard_src_ok(const struct vmbr_port *port,
				     const u8 *src)
{
	return likely(!rcu_access_pointer(port->lock_mac)) ||
	       __vmbr_guard_src_ok(port, src);
}

bool vmbr_guard_may_learn(const struct vmbr_port *port);
/* Does the pair of ports keep apart, both being isolated? */
static inline bool vmbr_guard_isolated(const struct vmbr_port *from,
				       const struct vmbr_port *to)
{
	return READ_ONCE(from->isolated) && READ_ONCE(to->isolated);
}

bool vmbr_guard_bum_ok(struct vmbr_port *port, u64 now);
struct vmbr_lock_mac *vmbr_lock_mac_parse(const struct nlattr *attr,
					  struct netlink_ext_ack *extack);
void vmbr_guard_set_lock_mac(struct vmbr_port *port,
			     struct vmbr_lock_mac *lock);
void vmbr_guard_set_bum_rate(struct vmbr_port *port, u32 rate);
void vmbr_guard_free(struct vmbr_port *port);

/* vmbr_lock_ip.c */
enum vmbr_drop_reason __vmbr_lock_ip_check(const struct vmbr_port *port,
					   const struct sk_buff *skb);

/*
 * May this frame (skb->data at its network header, the VLAN tag taken
 * out) come from @port?  Data path, RCU.  Most ports have no lock-ip.
 */
static inline enum vmbr_drop_reason
vmbr_lock_ip_check(const struct vmbr_port *port, const struct sk_buff *skb)
{
	if (likely(!rcu_access_pointer(port->lock_ip)))
		return VMBR_DROP_UNSPEC;
	return __vmbr_lock_ip_check(port, skb);
}

struct vmbr_lock_ip *vmbr_lock_ip_parse(const struct nlattr *attr,
					struct netlink_ext_ack *extack);
void vmbr_lock_ip_set(struct vmbr_port *port, struct vmbr_lock_ip *lock);
void vmbr_lock_ip_free(struct vmbr_port *port);

/* vmbr_rate.c */
extern const struct nla_policy vmbr_rate_policy[VMBR_RATE_A_MAX + 1];
unsigned int vmbr_rate_wire_len(const struct sk_buff *skb);
bool vmbr_rate_conform(struct vmbr_rate *rate, unsigned int len, u64 now);
bool __vmbr_rate_in_ok(const struct vmbr_port *port,
		       const struct sk_buff *skb);

/*
 * May this frame (skb->data at its network header) come from @port now,
 * under its rate-in?  Data path, RCU.  Most ports have no limit: that
 * costs a pointer test.
 */
static inline bool vmbr_rate_in_ok(const struct vmbr_port *port,
				   const struct sk_buff *skb)
{
	return likely(!rcu_access_pointer(port->rate_in)) ||
	       __vmbr_rate_in_ok(port, skb);
}

int vmbr_rate_parse(struct net_device *dev, const struct nlattr *nest,
		    const char *name, struct vmbr_rate_cfg *cfg,
		    struct netlink_ext_ack *extack);
struct vmbr_rate *vmbr_rate_alloc(const struct vmbr_rate_cfg *cfg, gfp_t gfp);
void vmbr_rate_in_set(struct vmbr_port *port, struct vmbr_rate *rate);
void vmbr_rate_in_free(struct vmbr_port *port);
int vmbr_rate_put(struct sk_buff *skb, int type,
		  const struct vmbr_rate_cfg *cfg);

/* vmbr_rate_out.c */
void vmbr_rate_out_set(struct vmbr_port *port,
		       const struct vmbr_rate_cfg *cfg);
void vmbr_rate_out_get(const struct vmbr_port *port,
		       struct vmbr_rate_cfg *cfg);
void vmbr_rate_out_release(struct vmbr_port *port);

/* vmbr_fdb.c */
struct vmbr_fdb_entry;
int vmbr_fdb_module_init(void);
void vmbr_fdb_module_exit(void);
int vmbr_fdb_init(struct vmbr *vmbr);
void vmbr_fdb_uninit(struct vmbr *vmbr);
struct vmbr_port *vmbr_fdb_lookup(struct vmbr *vmbr, const u8 *addr, u16 vid);
struct vmbr_port *__vmbr_fdb_lookup_fast(struct vmbr *vmbr, const u8 *addr,
					 u16 vid, u64 key, unsigned long seq);
void __vmbr_fdb_learn(struct vmbr *vmbr, struct vmbr_port *port,
		      const u8 *addr, u16 vid, u64 seen_key, u64 seen_stamp);

/* {MAC, VID} as the one word a port remembers its last source by. */
static inline u64 vmbr_fdb_seen_key(const u8 *addr, u16 vid)
{
	u32 head;
	u16 tail;

	memcpy(&head, addr, sizeof(head));
	memcpy(&tail, addr + sizeof(head), sizeof(tail));
	return (u64)head << 32 | (u32)tail << 16 | vid;
}

/*
 * Learn that @addr in @vid lives behind @port.  Data path: softirq, RCU.
 * Most frames come from the source their port last confirmed, in the same
 * jiffy, with nothing in the table changed since (the jiffy and
 * vmbr::fdb_seq of then are in fdb_seen_stamp): learning it again would
 * change nothing, and costs no lookup.  Written racily: should a CPU see
 * the generation before the change it counts, a move back waits for the
 * next jiffy, and learning is a race between ports anyway.
 */
static inline void vmbr_fdb_learn(struct vmbr *vmbr, struct vmbr_port *port,
				  const u8 *addr, u16 vid)
{
	u64 key = vmbr_fdb_seen_key(addr, vid);
	u64 stamp = (u64)(u32)READ_ONCE(vmbr->fdb_seq) << 32 | (u32)jiffies;

	if (READ_ONCE(port->fdb_seen_key) != key ||
	    READ_ONCE(port->fdb_seen_stamp) != stamp)
		__vmbr_fdb_learn(vmbr, port, addr, vid, key, stamp);
}

/*
 * A CPU's last destination lookup: its answer stands while the table has
 * not changed (vmbr::fdb_seq).  Streams of frames to one destination are
 * the common case; any other costs a compare.
 */
struct vmbr_fdb_hint {
	u64 key;			/* vmbr_fdb_seen_key() */
	unsigned long seq;		/* vmbr::fdb_seq when it was looked up */
	struct vmbr_port *port;		/* NULL: unknown, flood */
};

/*
 * vmbr_fdb_lookup() for the data path (BH off, RCU): this CPU's last
 * answer if it was for the same {addr, vid} and nothing in the table has
 * changed since.  The generation is read before the table (and written
 * after each change): an answer is never remembered as newer than it is.
 * A port's entries all go before it does, so a remembered port is alive.
 */
static inline struct vmbr_port *
vmbr_fdb_lookup_fast(struct vmbr *vmbr, const u8 *addr, u16 vid)
{
	const struct vmbr_fdb_hint *hint = this_cpu_ptr(vmbr->fdb_hint);
	/* Pairs with vmbr_fdb_changed(): the generation, then the table. */
	unsigned long seq = smp_load_acquire(&vmbr->fdb_seq);
	u64 key = vmbr_fdb_seen_key(addr, vid);

	if (likely(hint->key == key && hint->seq == seq))
		return hint->port;
	return __vmbr_fdb_lookup_fast(vmbr, addr, vid, key, seq);
}

int vmbr_fdb_add_static(struct vmbr *vmbr, struct vmbr_port *port,
			const u8 *addr, u16 vid,
			struct netlink_ext_ack *extack);
int vmbr_fdb_del(struct vmbr *vmbr, const u8 *addr, u16 vid);
void vmbr_fdb_flush(struct vmbr *vmbr, const struct vmbr_port *port,
		    bool include_static);
void vmbr_fdb_set_ageing(struct vmbr *vmbr, unsigned long ageing);
unsigned int vmbr_fdb_expire(struct vmbr *vmbr, unsigned long now);
typedef int (*vmbr_fdb_fill_t)(void *arg, const u8 *addr, u16 vid,
			       const struct vmbr_port *port, bool is_static,
			       unsigned long updated);
int vmbr_fdb_walk(struct vmbr *vmbr, unsigned long *pos,
		  vmbr_fdb_fill_t fill, void *arg);
int vmbr_fdb_dump(struct vmbr *vmbr, struct sk_buff *skb,
		  struct netlink_callback *cb);

/* vmbr_fdb_rtnl.c */
int vmbr_ndo_fdb_dump(struct sk_buff *skb, struct netlink_callback *cb,
		      struct net_device *dev, struct net_device *filter_dev,
		      int *idx);
int vmbr_ndo_fdb_add(struct ndmsg *ndm, struct nlattr *tb[],
		     struct net_device *dev, const unsigned char *addr,
		     u16 vid, u16 flags, struct netlink_ext_ack *extack);
int vmbr_ndo_fdb_del(struct ndmsg *ndm, struct nlattr *tb[],
		     struct net_device *dev, const unsigned char *addr,
		     u16 vid, struct netlink_ext_ack *extack);

/* vmbr_netlink.c */
struct vmbr *vmbr_from_attrs(struct net *net, struct nlattr **attrs,
			     struct netlink_ext_ack *extack);
int vmbr_parse_nest(struct nlattr **tb, int maxtype,
		    const struct nlattr *nest,
		    const struct nla_policy *policy,
		    struct netlink_ext_ack *extack);
void *vmbr_genl_put(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		    u8 cmd);
int vmbr_put_vmbr(struct sk_buff *skb, struct vmbr *vmbr);
int vmbr_genl_init(void);
void vmbr_genl_exit(void);
void vmbr_notify_port(struct vmbr_port *port, u8 cmd);
void vmbr_notify_fdb(struct vmbr *vmbr, const u8 *addr, u16 vid,
		     const struct vmbr_port *port, u8 cmd);
int vmbr_fill_fdb(struct sk_buff *skb, struct netlink_callback *cb,
		  struct vmbr *vmbr, const u8 *addr, u16 vid,
		  const struct vmbr_port *port, bool is_static,
		  unsigned long updated);
void vmbr_notify_limit(struct vmbr *vmbr, struct vmbr_port *port,
		       enum vmbr_limit limit);

#endif /* _VMBR_H */
