// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge: the NAT's tables.  Mappings tie a guest's {protocol, address,
 * port} to an external port (endpoint-independent mapping); sessions tie a
 * mapping to one remote end (they hold the TCP state, the idle timer, and
 * are what inbound filtering looks for); peers count a mapping's sessions
 * with each remote address (what address-dependent filtering asks); port
 * forwards are mappings that never expire.  Also: bounds, expiry,
 * flushing.  External ports are chosen in vmbr_nat_port.c.
 *
 * Names follow _find (RCU, no lock), _add / _del (take vmbr_nat::lock),
 * _flush and _expire.  See "DOC: Locking" in vmbr_nat.h.
 */
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/inet_hashtables.h>
#include <net/ip.h>
#include <net/tcp.h>
#include <net/udp.h>

#include "vmbr.h"
#include "vmbr_nat.h"

/* How often idle sessions are looked for. */
#define VMBR_NAT_GC_INTERVAL	(5 * HZ)
/* The default bound: one session per this much RAM. */
#define VMBR_NAT_RAM_PER_SESSION	(16 * 1024)
#define VMBR_NAT_MIN_SESSIONS	4096

static struct kmem_cache *vmbr_nat_map_cache __read_mostly;
static struct kmem_cache *vmbr_nat_sess_cache __read_mostly;
static struct kmem_cache *vmbr_nat_peer_cache __read_mostly;

static int vmbr_nat_int_cmp(struct rhashtable_compare_arg *arg,
			    const void *obj)
{
	const struct vmbr_nat_int_key *key = arg->key;
	const struct vmbr_nat_map *map = obj;

	return !(key->addr == map->ik.addr && key->port == map->ik.port &&
		 key->proto == map->ik.proto);
}

static int vmbr_nat_ext_cmp(struct rhashtable_compare_arg *arg,
			    const void *obj)
{
	const struct vmbr_nat_ext_key *key = arg->key;
	const struct vmbr_nat_map *map = obj;

	return !(key->port == map->ek.port && key->proto == map->ek.proto);
}

static int vmbr_nat_sess_cmp(struct rhashtable_compare_arg *arg,
			     const void *obj)
{
	const struct vmbr_nat_key *key = arg->key;
	const struct vmbr_nat_sess *sess = obj;

	return !(key->int_addr == sess->key.int_addr &&
		 key->rem_addr == sess->key.rem_addr &&
		 key->int_port == sess->key.int_port &&
		 key->rem_port == sess->key.rem_port &&
		 key->proto == sess->key.proto);
}

static int vmbr_nat_peer_cmp(struct rhashtable_compare_arg *arg,
			     const void *obj)
{
	const struct vmbr_nat_peer_key *key = arg->key;
	const struct vmbr_nat_peer *peer = obj;

	return !(key->rem_addr == peer->key.rem_addr &&
		 key->ext_port == peer->key.ext_port &&
		 key->proto == peer->key.proto);
}

static const struct rhashtable_params vmbr_nat_int_params = {
	.head_offset = offsetof(struct vmbr_nat_map, int_node),
	.key_offset = offsetof(struct vmbr_nat_map, ik),
	.key_len = sizeof(struct vmbr_nat_int_key),
	.hashfn = vmbr_rht_hash,
	.obj_cmpfn = vmbr_nat_int_cmp,
	.automatic_shrinking = true,
};

static const struct rhashtable_params vmbr_nat_ext_params = {
	.head_offset = offsetof(struct vmbr_nat_map, ext_node),
	.key_offset = offsetof(struct vmbr_nat_map, ek),
	.key_len = sizeof(struct vmbr_nat_ext_key),
	.hashfn = vmbr_rht_hash,
	.obj_cmpfn = vmbr_nat_ext_cmp,
	.automatic_shrinking = true,
};

/*
 * Every packet through the NAT hashes its session key: three words of
 * jhash (addresses, ports) with the protocol in the seed cost half of
 * jhash2() over the four words of the key, and spread as well.
 */
static inline u32 vmbr_nat_sess_hash(const void *data, u32 len, u32 seed)
{
	const struct vmbr_nat_key *key = data;

	return jhash_3words((__force u32)key->int_addr,
			    (__force u32)key->rem_addr,
			    (__force u32)key->int_port << 16 |
			    (__force u32)key->rem_port,
			    seed + key->proto);
}

static const struct rhashtable_params vmbr_nat_sess_params = {
	.head_offset = offsetof(struct vmbr_nat_sess, node),
	.key_offset = offsetof(struct vmbr_nat_sess, key),
	.key_len = sizeof(struct vmbr_nat_key),
	.hashfn = vmbr_nat_sess_hash,
	.obj_cmpfn = vmbr_nat_sess_cmp,
	.automatic_shrinking = true,
};

static const struct rhashtable_params vmbr_nat_peer_params = {
	.head_offset = offsetof(struct vmbr_nat_peer, node),
	.key_offset = offsetof(struct vmbr_nat_peer, key),
	.key_len = sizeof(struct vmbr_nat_peer_key),
	.hashfn = vmbr_rht_hash,
	.obj_cmpfn = vmbr_nat_peer_cmp,
	.automatic_shrinking = true,
};

/* Counters. */

void vmbr_nat_count(struct vmbr_nat *nat, enum vmbr_nat_event event)
{
	struct vmbr_nat_pcpu_stats *s = this_cpu_ptr(nat->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->events[event]);
	u64_stats_update_end(&s->syncp);
}

void vmbr_nat_count_drop(struct vmbr_nat *nat,
			 enum vmbr_nat_drop_reason reason)
{
	struct vmbr_nat_pcpu_stats *s = this_cpu_ptr(nat->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->drops[reason]);
	u64_stats_update_end(&s->syncp);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_count_drop);

void vmbr_nat_stats_read(const struct vmbr_nat *nat, struct vmbr_nat_stats *sum)
{
	int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct vmbr_nat_pcpu_stats *s = per_cpu_ptr(nat->stats, cpu);
		struct vmbr_nat_stats one;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			one.out_packets = u64_stats_read(&s->out_packets);
			one.out_bytes = u64_stats_read(&s->out_bytes);
			one.in_packets = u64_stats_read(&s->in_packets);
			one.in_bytes = u64_stats_read(&s->in_bytes);
			for (i = 0; i < VMBR_NAT_EV_COUNT; i++)
				one.events[i] = u64_stats_read(&s->events[i]);
			for (i = 0; i < __VMBR_NAT_DROP_MAX; i++)
				one.drops[i] = u64_stats_read(&s->drops[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));

		sum->out_packets += one.out_packets;
		sum->out_bytes += one.out_bytes;
		sum->in_packets += one.in_packets;
		sum->in_bytes += one.in_bytes;
		for (i = 0; i < VMBR_NAT_EV_COUNT; i++)
			sum->events[i] += one.events[i];
		for (i = 0; i < __VMBR_NAT_DROP_MAX; i++)
			sum->drops[i] += one.drops[i];
	}
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_stats_read);

/* Lookups, under RCU. */

struct vmbr_nat_sess *vmbr_nat_sess_find(struct vmbr_nat *nat,
					 const struct vmbr_nat_key *key)
{
	return rhashtable_lookup(&nat->sessions, key, vmbr_nat_sess_params);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_sess_find);

static struct vmbr_nat_map *vmbr_nat_map_find_int(struct vmbr_nat *nat,
						  u8 proto, __be32 addr,
						  __be16 port)
{
	struct vmbr_nat_int_key key = {
		.addr = addr, .port = port, .proto = proto,
	};

	return rhashtable_lookup(&nat->maps_int, &key, vmbr_nat_int_params);
}

struct vmbr_nat_map *vmbr_nat_map_find_ext(struct vmbr_nat *nat, u8 proto,
					   __be16 port)
{
	struct vmbr_nat_ext_key key = { .port = port, .proto = proto };

	return rhashtable_lookup(&nat->maps_ext, &key, vmbr_nat_ext_params);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_map_find_ext);

/* Timers and TCP state. */

unsigned long vmbr_nat_timeout_of(const struct vmbr_nat *nat,
				  const struct vmbr_nat_sess *sess)
{
	enum vmbr_nat_timeout t;

	switch (sess->key.proto) {
	case IPPROTO_TCP:
		t = READ_ONCE(sess->state) == VMBR_NAT_TCP_ESTABLISHED ?
		    VMBR_NAT_T_TCP_EST : VMBR_NAT_T_TCP_TRANS;
		break;
	case IPPROTO_UDP:
		t = VMBR_NAT_T_UDP;
		break;
	default:
		t = VMBR_NAT_T_ICMP;
		break;
	}
	return READ_ONCE(nat->timeout[t]);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_timeout_of);

/*
 * May a reset from outside end @sess?  Only near the sequence number the
 * guest expects next (its last acknowledgment), or if the guest has
 * acknowledged nothing yet (a reset answering its SYN).
 */
static bool vmbr_nat_tcp_rst_ok(const struct vmbr_nat_sess *sess, u32 seq)
{
	u32 expected = READ_ONCE(sess->guest_ack);

	return !expected || seq - expected < VMBR_NAT_TCP_RST_WINDOW;
}

/*
 * A TCP segment moves its session's state: established once a SYN went
 * each way; closing (the transitory timeout) after a FIN each way, or a
 * RST from the guest, or a RST from outside with a sequence number the
 * guest would take (vmbr_nat_tcp_rst_ok()): a sender off the path who
 * knows the 4-tuple cannot cut an idle long flow's timeout to minutes.  A
 * SYN on a closing session starts over (the 4-tuple is being reused).  A
 * session whose first segment was no SYN was picked up mid-connection:
 * established.
 */
void __vmbr_nat_tcp_seen(struct vmbr_nat_sess *sess, bool out,
			 const struct vmbr_nat_pkt *pkt)
{
	const u8 both_fins = VMBR_NAT_FIN_OUT | VMBR_NAT_FIN_IN;
	const u8 both_syns = VMBR_NAT_SYN_OUT | VMBR_NAT_SYN_IN;
	u8 tcp_flags = pkt->tcp_flags;
	u8 state, seen, next;

	state = READ_ONCE(sess->state);
	seen = READ_ONCE(sess->tcp_seen);
	next = state;
	if (tcp_flags & TCPHDR_RST) {
		if (out || vmbr_nat_tcp_rst_ok(sess, pkt->tcp_seq))
			next = VMBR_NAT_TCP_CLOSING;
	} else if (tcp_flags & TCPHDR_FIN) {
		seen |= out ? VMBR_NAT_FIN_OUT : VMBR_NAT_FIN_IN;
		WRITE_ONCE(sess->tcp_seen, seen);
		if ((seen & both_fins) == both_fins)
			next = VMBR_NAT_TCP_CLOSING;
		else if (state == VMBR_NAT_TCP_SYN && !(seen & both_syns))
			next = VMBR_NAT_TCP_ESTABLISHED;
	} else if (tcp_flags & TCPHDR_SYN) {
		if (state == VMBR_NAT_TCP_CLOSING)
			seen = 0;
		seen |= out ? VMBR_NAT_SYN_OUT : VMBR_NAT_SYN_IN;
		WRITE_ONCE(sess->tcp_seen, seen);
		next = (seen & both_syns) == both_syns ?
		       VMBR_NAT_TCP_ESTABLISHED : VMBR_NAT_TCP_SYN;
	} else if (state == VMBR_NAT_TCP_SYN && !(seen & both_syns)) {
		next = VMBR_NAT_TCP_ESTABLISHED;
	}
	if (next != state)
		WRITE_ONCE(sess->state, next);
}
EXPORT_SYMBOL_IF_KUNIT(__vmbr_nat_tcp_seen);

/* External ports: vmbr_nat_port.c. */

/* Creating and deleting, under vmbr_nat::lock. */

static void vmbr_nat_map_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(vmbr_nat_map_cache,
			container_of(head, struct vmbr_nat_map, rcu));
}

static void vmbr_nat_sess_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(vmbr_nat_sess_cache,
			container_of(head, struct vmbr_nat_sess, rcu));
}

static void vmbr_nat_peer_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(vmbr_nat_peer_cache,
			container_of(head, struct vmbr_nat_peer, rcu));
}

static struct vmbr_nat_peer_key vmbr_nat_peer_key(const struct vmbr_nat_map *map,
						  __be32 rem_addr)
{
	return (struct vmbr_nat_peer_key) {
		.rem_addr = rem_addr, .ext_port = map->ek.port,
		.proto = map->ek.proto,
	};
}

/* One more session of @map has @rem_addr.  Under vmbr_nat::lock. */
static int vmbr_nat_peer_get(struct vmbr_nat *nat,
			     const struct vmbr_nat_map *map, __be32 rem_addr)
{
	struct vmbr_nat_peer_key key = vmbr_nat_peer_key(map, rem_addr);
	struct vmbr_nat_peer *peer;

	lockdep_assert_held(&nat->lock);
	peer = rhashtable_lookup_fast(&nat->peers, &key, vmbr_nat_peer_params);
	if (peer) {
		peer->nsessions++;
		return 0;
	}
	peer = kmem_cache_zalloc(vmbr_nat_peer_cache, GFP_ATOMIC);
	if (!peer)
		return -ENOMEM;
	peer->key = key;
	peer->nsessions = 1;
	if (rhashtable_insert_fast(&nat->peers, &peer->node,
				   vmbr_nat_peer_params)) {
		kmem_cache_free(vmbr_nat_peer_cache, peer);
		return -ENOMEM;
	}
	return 0;
}

/* One session fewer of @map has @rem_addr.  Under vmbr_nat::lock. */
static void vmbr_nat_peer_put(struct vmbr_nat *nat,
			      const struct vmbr_nat_map *map, __be32 rem_addr)
{
	struct vmbr_nat_peer_key key = vmbr_nat_peer_key(map, rem_addr);
	struct vmbr_nat_peer *peer;

	lockdep_assert_held(&nat->lock);
	peer = rhashtable_lookup_fast(&nat->peers, &key, vmbr_nat_peer_params);
	if (WARN_ON_ONCE(!peer) || --peer->nsessions)
		return;
	rhashtable_remove_fast(&nat->peers, &peer->node, vmbr_nat_peer_params);
	call_rcu(&peer->rcu, vmbr_nat_peer_free_rcu);
}

static struct vmbr_nat_map *vmbr_nat_map_add(struct vmbr_nat *nat,
					     struct vmbr_port *guest, u8 proto,
					     __be32 int_addr, __be16 int_port,
					     __be16 ext_port, bool forward)
{
	struct vmbr_nat_map *map;
	int err;

	lockdep_assert_held(&nat->lock);
	map = kmem_cache_zalloc(vmbr_nat_map_cache, GFP_ATOMIC);
	if (!map)
		return ERR_PTR(-ENOMEM);
	map->ik.addr = int_addr;
	map->ik.port = int_port;
	map->ik.proto = proto;
	map->ek.port = ext_port;
	map->ek.proto = proto;
	map->forward = forward;
	map->guest = guest;
	INIT_HLIST_HEAD(&map->sessions);

	err = rhashtable_lookup_insert_fast(&nat->maps_int, &map->int_node,
					    vmbr_nat_int_params);
	if (err)
		goto err_free;
	err = rhashtable_lookup_insert_fast(&nat->maps_ext, &map->ext_node,
					    vmbr_nat_ext_params);
	if (err)
		goto err_int;
	/* Forwards first: their dump stops early. */
	if (forward)
		list_add_rcu(&map->list, &nat->maps);
	else
		list_add_tail_rcu(&map->list, &nat->maps);
	vmbr_nat_port_take(nat, map);
	nat->nmaps++;
	nat->seq++;
	return map;

err_int:
	rhashtable_remove_fast(&nat->maps_int, &map->int_node,
			       vmbr_nat_int_params);
err_free:
	kmem_cache_free(vmbr_nat_map_cache, map);
	return ERR_PTR(err);
}

static void vmbr_nat_sess_del(struct vmbr_nat *nat, struct vmbr_nat_sess *sess)
{
	struct vmbr_nat_map *map = sess->map;

	lockdep_assert_held(&nat->lock);
	rhashtable_remove_fast(&nat->sessions, &sess->node,
			       vmbr_nat_sess_params);
	vmbr_nat_peer_put(nat, map, sess->key.rem_addr);
	hlist_del_rcu(&sess->map_node);
	map->nsessions--;
	nat->nsessions--;
	if (map->guest)
		map->guest->nat_sessions--;
	if (map->forward)
		nat->fwd_sessions--;
	nat->seq++;
	call_rcu(&sess->rcu, vmbr_nat_sess_free_rcu);
}

static void vmbr_nat_map_del(struct vmbr_nat *nat, struct vmbr_nat_map *map)
{
	struct vmbr_nat_sess *sess;
	struct hlist_node *tmp;

	lockdep_assert_held(&nat->lock);
	hlist_for_each_entry_safe(sess, tmp, &map->sessions, map_node)
		vmbr_nat_sess_del(nat, sess);
	rhashtable_remove_fast(&nat->maps_int, &map->int_node,
			       vmbr_nat_int_params);
	rhashtable_remove_fast(&nat->maps_ext, &map->ext_node,
			       vmbr_nat_ext_params);
	list_del_rcu(&map->list);
	vmbr_nat_port_release(nat, map);
	map->guest = NULL;
	nat->nmaps--;
	nat->seq++;
	call_rcu(&map->rcu, vmbr_nat_map_free_rcu);
}

/* Is @map still in the tables?  Under vmbr_nat::lock (else a hint). */
static bool vmbr_nat_map_live(struct vmbr_nat *nat, struct vmbr_nat_map *map)
{
	return vmbr_nat_map_find_ext(nat, map->ek.proto, map->ek.port) == map;
}

/*
 * The bounds a new session of @map (NULL: a new mapping) for @guest must
 * stay within.  A port forward's sessions are charged to no guest (they
 * come from the wire, from a hairpin, or from the forwarded endpoint), so
 * the forwards together are bounded as one guest: forged SYNs at any
 * number of forwards fill no more of the table than one guest could.
 */
static enum vmbr_nat_drop_reason vmbr_nat_bounds(struct vmbr_nat *nat,
						 const struct vmbr_port *guest,
						 const struct vmbr_nat_map *map)
{
	u32 per_guest = READ_ONCE(nat->max_sessions_per_guest);

	if (nat->nsessions >= READ_ONCE(nat->max_sessions))
		return VMBR_NAT_DROP_TABLE_FULL;
	if (guest && guest->nat_sessions >= per_guest)
		return VMBR_NAT_DROP_GUEST_FULL;
	if (map && map->forward && nat->fwd_sessions >= per_guest)
		return VMBR_NAT_DROP_GUEST_FULL;
	return VMBR_NAT_DROP_UNSPEC;
}

static struct vmbr_nat_sess *vmbr_nat_sess_add(struct vmbr_nat *nat,
					       struct vmbr_nat_map *map,
					       __be32 rem_addr, __be16 rem_port)
{
	struct vmbr_nat_sess *sess;

	lockdep_assert_held(&nat->lock);
	sess = kmem_cache_zalloc(vmbr_nat_sess_cache, GFP_ATOMIC);
	if (!sess)
		return NULL;
	sess->key.int_addr = map->ik.addr;
	sess->key.int_port = map->ik.port;
	sess->key.rem_addr = rem_addr;
	sess->key.rem_port = rem_port;
	sess->key.proto = map->ik.proto;
	sess->map = map;
	sess->last_seen = jiffies;
	sess->state = map->ik.proto == IPPROTO_TCP ? VMBR_NAT_TCP_SYN :
						     VMBR_NAT_TCP_NONE;
	if (vmbr_nat_peer_get(nat, map, rem_addr)) {
		kmem_cache_free(vmbr_nat_sess_cache, sess);
		return NULL;
	}
	if (rhashtable_lookup_insert_fast(&nat->sessions, &sess->node,
					  vmbr_nat_sess_params)) {
		vmbr_nat_peer_put(nat, map, rem_addr);
		kmem_cache_free(vmbr_nat_sess_cache, sess);
		return NULL;
	}
	hlist_add_head_rcu(&sess->map_node, &map->sessions);
	map->nsessions++;
	nat->nsessions++;
	if (map->guest)
		map->guest->nat_sessions++;
	if (map->forward)
		nat->fwd_sessions++;
	nat->seq++;
	vmbr_nat_count(nat, VMBR_NAT_EV_CREATED);
	return sess;
}

/*
 * A new mapping for the guest endpoint of @key, on a free external port.
 * Refused (no-port) when none of the range is free, or when ports are
 * scarce and @guest (NULL: none) holds its share already: see
 * vmbr_nat_port_fair().  Under vmbr_nat::lock.
 */
static struct vmbr_nat_map *vmbr_nat_map_new(struct vmbr_nat *nat,
					     struct net *net,
					     struct vmbr_port *guest,
					     const struct vmbr_nat_key *key,
					     enum vmbr_nat_drop_reason *why)
{
	struct vmbr_nat_map *map;
	__be16 ext_port;

	lockdep_assert_held(&nat->lock);
	*why = VMBR_NAT_DROP_NO_PORT;
	if (!vmbr_nat_port_fair(nat, guest, key->proto) ||
	    vmbr_nat_port_alloc(nat, net, key->proto, key->int_addr,
				key->int_port, &ext_port))
		return NULL;
	map = vmbr_nat_map_add(nat, guest, key->proto, key->int_addr,
			       key->int_port, ext_port, false);
	if (IS_ERR(map)) {
		*why = VMBR_NAT_DROP_NOMEM;
		return NULL;
	}
	*why = VMBR_NAT_DROP_UNSPEC;
	return map;
}

/*
 * A guest (@guest, whose bound it counts against; NULL: none) of @net opens
 * a flow: the session of @key, and its mapping if the guest endpoint has
 * none yet.  NULL with the reason in @why when a bound, the
 * port range or memory refuses it.  RCU, BH off.
 */
struct vmbr_nat_sess *vmbr_nat_sess_add_out(struct vmbr_nat *nat,
					    struct net *net,
					    struct vmbr_port *guest,
					    const struct vmbr_nat_key *key,
					    enum vmbr_nat_drop_reason *why)
{
	struct vmbr_nat_sess *sess;
	struct vmbr_nat_map *map;
	bool new_map = false;

	spin_lock_bh(&nat->lock);
	sess = vmbr_nat_sess_find(nat, key);	/* another CPU was quicker */
	if (sess)
		goto out;
	map = vmbr_nat_map_find_int(nat, key->proto, key->int_addr,
				    key->int_port);
	*why = vmbr_nat_bounds(nat, map ? map->guest : guest, map);
	if (*why)
		goto out;
	if (!map) {
		if (!READ_ONCE(nat->ext_addr)) {
			*why = VMBR_NAT_DROP_NO_ADDRESS;
			goto out;
		}
		map = vmbr_nat_map_new(nat, net, guest, key, why);
		if (!map)
			goto out;
		new_map = true;
	}
	sess = vmbr_nat_sess_add(nat, map, key->rem_addr, key->rem_port);
	if (!sess) {
		*why = VMBR_NAT_DROP_NOMEM;
		if (new_map)
			vmbr_nat_map_del(nat, map);
	}
out:
	spin_unlock_bh(&nat->lock);
	return sess;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_sess_add_out);

/*
 * Has @map a session with @rem_addr?  One lookup, not a walk of the
 * mapping's sessions: unsolicited packets from the wire ask it.  RCU.
 */
static bool vmbr_nat_map_knows(struct vmbr_nat *nat,
			       const struct vmbr_nat_map *map,
			       __be32 rem_addr)
{
	struct vmbr_nat_peer_key key = vmbr_nat_peer_key(map, rem_addr);

	return rhashtable_lookup(&nat->peers, &key, vmbr_nat_peer_params);
}

/* May @rem_addr open a flow to @map, as the filtering says?  RCU. */
bool vmbr_nat_filter_allows(struct vmbr_nat *nat,
			    const struct vmbr_nat_map *map, __be32 rem_addr)
{
	if (map->forward)
		return true;
	switch (READ_ONCE(nat->filtering)) {
	case VMBR_NAT_FILTER_ENDPOINT_INDEPENDENT:
		return true;
	case VMBR_NAT_FILTER_ADDRESS_DEPENDENT:
		return vmbr_nat_map_knows(nat, map, rem_addr);
	default:
		return false;
	}
}

/*
 * Something outside opens a flow to @map: allowed through a port forward,
 * and otherwise as the filtering says (RFC 4787 section 5).  What the
 * filtering refuses is refused without the lock: unsolicited traffic from
 * the wire costs the tables nothing.  RCU, BH off.
 */
struct vmbr_nat_sess *vmbr_nat_sess_add_in(struct vmbr_nat *nat,
					   struct vmbr_nat_map *map,
					   __be32 rem_addr, __be16 rem_port,
					   enum vmbr_nat_drop_reason *why)
{
	struct vmbr_nat_key key = {
		.int_addr = map->ik.addr, .int_port = map->ik.port,
		.rem_addr = rem_addr, .rem_port = rem_port,
		.proto = map->ik.proto,
	};
	struct vmbr_nat_sess *sess;

	if (!vmbr_nat_filter_allows(nat, map, rem_addr)) {
		/* Unless the guest has just opened it meanwhile. */
		sess = vmbr_nat_sess_find(nat, &key);
		if (!sess)
			*why = vmbr_nat_map_live(nat, map) ?
			       VMBR_NAT_DROP_FILTERED : VMBR_NAT_DROP_NO_SESSION;
		return sess;
	}

	spin_lock_bh(&nat->lock);
	if (!vmbr_nat_map_live(nat, map)) {
		*why = VMBR_NAT_DROP_NO_SESSION;
		sess = NULL;
		goto out;
	}
	sess = vmbr_nat_sess_find(nat, &key);	/* another CPU was quicker */
	if (sess)
		goto out;
	*why = vmbr_nat_bounds(nat, map->guest, map);
	if (*why)
		goto out;
	sess = vmbr_nat_sess_add(nat, map, rem_addr, rem_port);
	if (!sess)
		*why = VMBR_NAT_DROP_NOMEM;
out:
	spin_unlock_bh(&nat->lock);
	return sess;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_sess_add_in);

/* Port forwards.  RTNL. */

int vmbr_nat_fwd_add(struct vmbr_nat *nat, u8 proto, __be16 ext_port,
		     __be32 int_addr, __be16 int_port,
		     struct netlink_ext_ack *extack)
{
	struct vmbr_nat_map *map, *by_ext, *by_int;
	int err = 0;

	rcu_read_lock();
	spin_lock_bh(&nat->lock);
	/* Everything checked before anything goes. */
	by_ext = vmbr_nat_map_find_ext(nat, proto, ext_port);
	by_int = vmbr_nat_map_find_int(nat, proto, int_addr, int_port);
	if (by_ext && by_ext->forward) {
		NL_SET_ERR_MSG_MOD(extack, "that port is already forwarded");
		err = -EEXIST;
		goto out;
	}
	if (by_int && by_int->forward) {
		vmbr_extack_fmt(extack,
				"that guest port is already forwarded from another port",
				"that guest port is already forwarded from port %u",
				ntohs(by_int->ek.port));
		err = -EEXIST;
		goto out;
	}
	/*
	 * A guest's mapping on the port gives way to the forward, and so
	 * does a mapping of the guest endpoint forwarded to.
	 */
	if (by_ext)
		vmbr_nat_map_del(nat, by_ext);
	if (by_int && by_int != by_ext)
		vmbr_nat_map_del(nat, by_int);
	map = vmbr_nat_map_add(nat, NULL, proto, int_addr, int_port, ext_port,
			       true);
	if (IS_ERR(map))
		err = PTR_ERR(map);
out:
	spin_unlock_bh(&nat->lock);
	rcu_read_unlock();
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_fwd_add);

int vmbr_nat_fwd_del(struct vmbr_nat *nat, u8 proto, __be16 ext_port)
{
	struct vmbr_nat_map *map;
	int err = -ENOENT;

	rcu_read_lock();
	spin_lock_bh(&nat->lock);
	map = vmbr_nat_map_find_ext(nat, proto, ext_port);
	if (map && map->forward) {
		vmbr_nat_map_del(nat, map);
		err = 0;
	}
	spin_unlock_bh(&nat->lock);
	rcu_read_unlock();
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_fwd_del);

/*
 * Delete sessions and the mappings left without one: all of them, or only
 * those of @guest (a port leaving).  Port forwards stay (with no session)
 * unless @forwards.
 */
void vmbr_nat_flush(struct vmbr_nat *nat, const struct vmbr_port *guest,
		    bool forwards)
{
	struct vmbr_nat_map *map, *tmp;
	struct vmbr_nat_sess *sess;
	struct hlist_node *stmp;

	spin_lock_bh(&nat->lock);
	list_for_each_entry_safe(map, tmp, &nat->maps, list) {
		if (guest && map->guest != guest)
			continue;
		if (map->forward && !forwards) {
			hlist_for_each_entry_safe(sess, stmp, &map->sessions,
						  map_node)
				vmbr_nat_sess_del(nat, sess);
			continue;
		}
		vmbr_nat_map_del(nat, map);
	}
	spin_unlock_bh(&nat->lock);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_flush);

static bool vmbr_nat_sess_expired(const struct vmbr_nat *nat,
				  const struct vmbr_nat_sess *sess,
				  unsigned long now)
{
	/* Timeouts (VMBR_NAT_TIMEOUT_MAX s at most) fit in 2^31 jiffies. */
	return time_after32((u32)now, READ_ONCE(sess->last_seen) +
				      (u32)vmbr_nat_timeout_of(nat, sess));
}

/* Has @map anything to delete at @now?  RCU, no lock: a hint. */
static bool vmbr_nat_map_stale(const struct vmbr_nat *nat,
			       const struct vmbr_nat_map *map,
			       unsigned long now)
{
	const struct vmbr_nat_sess *sess;

	if (hlist_empty(&map->sessions))
		return !map->forward;
	hlist_for_each_entry_rcu(sess, &map->sessions, map_node)
		if (vmbr_nat_sess_expired(nat, sess, now))
			return true;
	return false;
}

/*
 * Delete the sessions idle for longer than their timeout at @now, and the
 * mappings left with none.  The walk reads the tables under RCU and takes
 * the lock only for a mapping that has something to delete, so that the
 * data path never waits for a walk over the whole table.
 */
unsigned int vmbr_nat_expire(struct vmbr_nat *nat, unsigned long now)
{
	struct vmbr_nat_sess *sess;
	struct vmbr_nat_map *map;
	struct hlist_node *stmp;
	unsigned int expired = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(map, &nat->maps, list) {
		if (!vmbr_nat_map_stale(nat, map, now))
			continue;
		spin_lock_bh(&nat->lock);
		if (!vmbr_nat_map_live(nat, map))	/* flushed meanwhile */
			goto next;
		hlist_for_each_entry_safe(sess, stmp, &map->sessions,
					  map_node) {
			if (!vmbr_nat_sess_expired(nat, sess, now))
				continue;
			vmbr_nat_sess_del(nat, sess);
			vmbr_nat_count(nat, VMBR_NAT_EV_EXPIRED);
			expired++;
		}
		if (!map->nsessions && !map->forward)
			vmbr_nat_map_del(nat, map);
next:
		spin_unlock_bh(&nat->lock);
	}
	rcu_read_unlock();
	return expired;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_expire);

static void vmbr_nat_gc(struct work_struct *work)
{
	struct vmbr_nat *nat = container_of(to_delayed_work(work),
					    struct vmbr_nat, gc);

	vmbr_nat_expire(nat, jiffies);
	queue_delayed_work(system_power_efficient_wq, &nat->gc,
			   VMBR_NAT_GC_INTERVAL);
}

/*
 * The uplink's address changed (or went): mappings made on the old one
 * mean nothing now.  Forwards stay.  RTNL.
 */
void vmbr_nat_set_address(struct vmbr_nat *nat, __be32 addr)
{
	if (nat->ext_addr == addr)
		return;
	WRITE_ONCE(nat->ext_addr, addr);
	vmbr_nat_flush(nat, NULL, false);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_set_address);

/* Life of one vmbridge's NAT. */

static u32 vmbr_nat_default_max_sessions(void)
{
	u64 n = ((u64)totalram_pages() << PAGE_SHIFT) /
		VMBR_NAT_RAM_PER_SESSION;

	return clamp_t(u64, n, VMBR_NAT_MIN_SESSIONS,
		       VMBR_NAT_MAX_SESSIONS_MAX);
}

int vmbr_nat_init(struct vmbr_nat *nat)
{
	int err;

	INIT_LIST_HEAD(&nat->maps);
	spin_lock_init(&nat->lock);
	nat->secret = get_random_u32();
	nat->port_min = VMBR_NAT_PORT_MIN_DEFAULT;
	nat->port_max = VMBR_NAT_PORT_MAX_DEFAULT;
	nat->max_sessions = vmbr_nat_default_max_sessions();
	/* One guest alone cannot fill the table. */
	nat->max_sessions_per_guest = nat->max_sessions / 2;
	nat->timeout[VMBR_NAT_T_UDP] = VMBR_NAT_TIMEOUT_UDP_DEFAULT * HZ;
	nat->timeout[VMBR_NAT_T_TCP_EST] = VMBR_NAT_TIMEOUT_TCP_EST_DEFAULT * HZ;
	nat->timeout[VMBR_NAT_T_TCP_TRANS] =
		VMBR_NAT_TIMEOUT_TCP_TRANS_DEFAULT * HZ;
	nat->timeout[VMBR_NAT_T_ICMP] = VMBR_NAT_TIMEOUT_ICMP_DEFAULT * HZ;
	nat->filtering = VMBR_NAT_FILTER_ADDRESS_DEPENDENT;
	/* As the kernel's own ICMP: a burst, then a steady trickle. */
	ratelimit_state_init(&nat->icmp_rs, HZ, 100);
	ratelimit_set_flags(&nat->icmp_rs, RATELIMIT_MSG_ON_RELEASE);
	/* Its own budget: the outside cannot spend the guests'. */
	ratelimit_state_init(&nat->icmp_out_rs, HZ, 100);
	ratelimit_set_flags(&nat->icmp_out_rs, RATELIMIT_MSG_ON_RELEASE);

	nat->stats = netdev_alloc_pcpu_stats(struct vmbr_nat_pcpu_stats);
	if (!nat->stats)
		return -ENOMEM;
	err = vmbr_nat_ports_init(nat);
	if (err)
		goto err_stats;
	err = rhashtable_init(&nat->maps_int, &vmbr_nat_int_params);
	if (err)
		goto err_ports;
	err = rhashtable_init(&nat->maps_ext, &vmbr_nat_ext_params);
	if (err)
		goto err_int;
	err = rhashtable_init(&nat->sessions, &vmbr_nat_sess_params);
	if (err)
		goto err_ext;
	err = rhashtable_init(&nat->peers, &vmbr_nat_peer_params);
	if (err)
		goto err_sess;
	INIT_DELAYED_WORK(&nat->gc, vmbr_nat_gc);
	queue_delayed_work(system_power_efficient_wq, &nat->gc,
			   VMBR_NAT_GC_INTERVAL);
	return 0;

err_sess:
	rhashtable_destroy(&nat->sessions);
err_ext:
	rhashtable_destroy(&nat->maps_ext);
err_int:
	rhashtable_destroy(&nat->maps_int);
err_ports:
	vmbr_nat_ports_uninit(nat);
err_stats:
	free_percpu(nat->stats);
	nat->stats = NULL;
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_init);

/* Nothing may translate any more (the ports are gone).  May sleep. */
void vmbr_nat_uninit(struct vmbr_nat *nat)
{
	cancel_delayed_work_sync(&nat->gc);
	vmbr_nat_flush(nat, NULL, true);
	rhashtable_destroy(&nat->peers);
	rhashtable_destroy(&nat->sessions);
	rhashtable_destroy(&nat->maps_ext);
	rhashtable_destroy(&nat->maps_int);
	vmbr_nat_ports_uninit(nat);
	free_percpu(nat->stats);
	nat->stats = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_uninit);

int vmbr_nat_module_init(void)
{
	vmbr_nat_map_cache = KMEM_CACHE(vmbr_nat_map, 0);
	if (!vmbr_nat_map_cache)
		return -ENOMEM;
	vmbr_nat_sess_cache = KMEM_CACHE(vmbr_nat_sess, 0);
	if (!vmbr_nat_sess_cache)
		goto err_map;
	vmbr_nat_peer_cache = KMEM_CACHE(vmbr_nat_peer, 0);
	if (!vmbr_nat_peer_cache)
		goto err_sess;
	return 0;

err_sess:
	kmem_cache_destroy(vmbr_nat_sess_cache);
err_map:
	kmem_cache_destroy(vmbr_nat_map_cache);
	return -ENOMEM;
}

void vmbr_nat_module_exit(void)
{
	rcu_barrier();	/* every free callback has run */
	kmem_cache_destroy(vmbr_nat_peer_cache);
	kmem_cache_destroy(vmbr_nat_sess_cache);
	kmem_cache_destroy(vmbr_nat_map_cache);
}
