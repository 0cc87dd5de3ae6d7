// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge: the NAT's external ports.  A mapping (endpoint-independent)
 * holds one external port of its protocol for every destination, so the
 * ports of the range are what bounds how many guest endpoints the NAT
 * can map.  Here: which port a new mapping gets, how guests share the
 * ports, and how they stay clear of the host's own sockets on the uplink
 * address.
 *
 * Each protocol has a bitmap of the ports 0-65535 that mappings and port
 * forwards hold (8 KiB), so a search for a free port is a scan of words,
 * O(range / BITS_PER_LONG) whatever the pattern of held ports, as the
 * kernel's own allocators do; there is no limit on tries, and a refusal
 * means the range is full.  Ports are searched in two tiers: first the
 * range less the host's ephemeral range (ip_local_port_range), where the
 * host's stack picks no port by itself; then the ephemeral range, where
 * the host's connect() and autobind may later pick a port a guest holds
 * (they know nothing of the NAT): vmbr_nat_host_owns() and
 * vmbr_nat_host_collides() keep the host's traffic the host's then.
 *
 * A port is free when no mapping or forward holds it, it is not one of
 * the host's reserved ports (ip_local_reserved_ports), and no socket of
 * the host's has it as its local port (any address: a listener, a bound
 * or connected UDP socket, a connected or TIME_WAIT TCP socket), which is
 * looked up before the port is taken.  Ports found held by the host are
 * marked in a second bitmap and skipped by later searches without a
 * lookup; that bitmap is only a cache: it is cleared every
 * VMBR_NAT_HOST_REFRESH, and whenever a search found nothing free with
 * it, before the search is done once more.  A search thus looks each port
 * up at most twice, and a dense run of the host's ports costs one search
 * its lookups, not every search.
 *
 * DOC: Locking
 *
 * struct vmbr_nat_portmap (bitmaps and counts) and the guests' nat_maps
 * counts are read and written under vmbr_nat::lock only.  The host's
 * socket tables are read under RCU (UDP, established TCP) or under their
 * bind bucket's lock (TCP), taken inside vmbr_nat::lock; the host's stack
 * never takes vmbr_nat::lock, and vmbr_nat_host_owns() and
 * vmbr_nat_host_collides() take no lock at all.
 */
#include <linux/bitmap.h>
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <net/inet_hashtables.h>
#include <net/ip.h>
#include <net/tcp.h>
#include <net/udp.h>

#include "vmbr.h"
#include "vmbr_nat.h"

#define VMBR_NAT_PORTS		65536
/*
 * Beyond its fair share a guest may borrow a port only while more than
 * this part of the range (1/64: 1008 ports of 1024-65535) stays free for
 * the others: a guest that comes later gets its first flows at once.
 */
#define VMBR_NAT_RESERVE_SHIFT	6
/* How long a port found held by the host is skipped without a lookup. */
#define VMBR_NAT_HOST_REFRESH	(10 * HZ)

/* Ports [lo, hi), in search order. */
struct vmbr_nat_span {
	u32 lo, hi;
};

/* A tier of the range: at most two spans. */
struct vmbr_nat_tier {
	struct vmbr_nat_span span[2];
	unsigned int nspan;
	u32 len;
};

static void vmbr_nat_tier_add(struct vmbr_nat_tier *t, u32 lo, u32 hi)
{
	if (lo >= hi)
		return;
	t->span[t->nspan].lo = lo;
	t->span[t->nspan].hi = hi;
	t->nspan++;
	t->len += hi - lo;
}

/*
 * The range [@lo, @hi] in two tiers: outside the host's ephemeral range,
 * and inside it.
 */
static void vmbr_nat_tiers(struct net *net, u32 lo, u32 hi,
			   struct vmbr_nat_tier tier[2])
{
	int eph_lo, eph_hi;

	memset(tier, 0, 2 * sizeof(*tier));
	inet_get_local_port_range(net, &eph_lo, &eph_hi);
	if (eph_lo < 1 || eph_lo > eph_hi) {
		vmbr_nat_tier_add(&tier[0], lo, hi + 1);
		return;
	}
	vmbr_nat_tier_add(&tier[0], lo, min_t(u32, hi + 1, eph_lo));
	vmbr_nat_tier_add(&tier[0], max_t(u32, lo, eph_hi + 1), hi + 1);
	vmbr_nat_tier_add(&tier[1], max_t(u32, lo, eph_lo),
			  min_t(u32, hi + 1, eph_hi + 1));
}

static bool vmbr_nat_tier_has(const struct vmbr_nat_tier *t, u32 port)
{
	unsigned int i;

	for (i = 0; i < t->nspan; i++)
		if (port >= t->span[i].lo && port < t->span[i].hi)
			return true;
	return false;
}

/* The ports of the configured range.  Under vmbr_nat::lock. */
static u32 vmbr_nat_range_len(const struct vmbr_nat *nat)
{
	u32 lo = READ_ONCE(nat->port_min), hi = READ_ONCE(nat->port_max);

	return lo <= hi ? hi - lo + 1 : 0;
}

/*
 * Does a socket of the host's have @port as its local port, on any
 * address?  TCP: a bind bucket (listeners, connected and TIME_WAIT
 * sockets each hold one); UDP: a socket in the table by local port.
 * Wider than a lookup of the uplink's address, on purpose: a port that
 * may be the host's is never taken.  RCU, BH off.
 */
static bool vmbr_nat_host_uses(struct net *net, u8 proto, u16 port)
{
	struct inet_hashinfo *hinfo;
	struct inet_bind_hashbucket *head;
	struct inet_bind_bucket *tb;
	struct udp_hslot *hslot;
	struct sock *sk;
	bool found = false;

	switch (proto) {
	case IPPROTO_TCP:
		hinfo = net->ipv4.tcp_death_row.hashinfo;
		head = &hinfo->bhash[inet_bhashfn(net, port, hinfo->bhash_size)];
		spin_lock(&head->lock);
		inet_bind_bucket_for_each(tb, &head->chain) {
			if (net_eq(ib_net(tb), net) && tb->port == port) {
				found = true;
				break;
			}
		}
		spin_unlock(&head->lock);
		return found;
	case IPPROTO_UDP:
		hslot = udp_hashslot(vmbr_udp_table(net), net, port);
		sk_for_each_rcu(sk, &hslot->head)
			if (net_eq(sock_net(sk), net) &&
			    udp_sk(sk)->udp_port_hash == port)
				return true;
		return false;
	default:
		return false;	/* ICMP echo identifiers: no sockets' */
	}
}

/*
 * The first port of [@from, @to) that none of @used, @reserved, @host
 * (either may be NULL) has set, or @to.  A scan of words.
 */
static u32 vmbr_nat_next_clear(const unsigned long *used,
			       const unsigned long *reserved,
			       const unsigned long *host, u32 from, u32 to)
{
	while (from < to) {
		unsigned int i = BIT_WORD(from);
		unsigned long w = used[i];

		if (reserved)
			w |= reserved[i];
		if (host)
			w |= host[i];
		w = ~w & BITMAP_FIRST_WORD_MASK(from);
		if (w)
			return min_t(u32, i * BITS_PER_LONG + __ffs(w), to);
		from = (i + 1) * BITS_PER_LONG;
	}
	return to;
}

/* What a search needs at hand. */
struct vmbr_nat_search {
	struct vmbr_nat_portmap *pm;
	struct net *net;
	const unsigned long *reserved;	/* NULL: none */
	u8 proto;
};

static void vmbr_nat_host_mark(struct vmbr_nat_portmap *pm, u32 port)
{
	if (!__test_and_set_bit(port, pm->host))
		pm->nhost++;
}

static void vmbr_nat_host_clear(struct vmbr_nat_portmap *pm)
{
	if (pm->nhost)
		bitmap_zero(pm->host, VMBR_NAT_PORTS);
	pm->nhost = 0;
	pm->host_since = jiffies;
}

/* The first free port of [@from, @to), or @to. */
static u32 vmbr_nat_search_span(const struct vmbr_nat_search *s, u32 from,
				u32 to)
{
	struct vmbr_nat_portmap *pm = s->pm;
	u32 p;

	for (;;) {
		p = vmbr_nat_next_clear(pm->used, s->reserved, pm->host, from,
					to);
		if (p >= to || !vmbr_nat_host_uses(s->net, s->proto, p))
			return p;
		vmbr_nat_host_mark(pm, p);
		from = p + 1;
	}
}

/*
 * A free port of @t, the first from the point @start (any number: taken
 * modulo the tier's length), wrapping once; 0 if none.
 */
static u32 vmbr_nat_search_tier(const struct vmbr_nat_search *s,
				const struct vmbr_nat_tier *t, u32 start)
{
	unsigned int i, j, k;
	u32 off, first, p;

	if (!t->len)
		return 0;
	off = start % t->len;
	for (j = 0; off >= t->span[j].hi - t->span[j].lo; j++)
		off -= t->span[j].hi - t->span[j].lo;
	first = t->span[j].lo + off;
	/* From the start point to the end of its span, then the others. */
	for (i = 0; i < t->nspan; i++) {
		k = (j + i) % t->nspan;
		p = vmbr_nat_search_span(s, i ? t->span[k].lo : first,
					 t->span[k].hi);
		if (p < t->span[k].hi)
			return p;
	}
	/* And the start of the first span, up to the start point. */
	p = vmbr_nat_search_span(s, t->span[j].lo, first);
	return p < first ? p : 0;
}

/* Is @port free, looked up now?  For the guest's own port. */
static bool vmbr_nat_port_is_free(const struct vmbr_nat_search *s, u32 port)
{
	return vmbr_nat_search_span(s, port, port + 1) == port;
}

/*
 * Choose the external port of a new mapping of the guest endpoint
 * {@proto, @int_addr, @int_port} (RCU and vmbr_nat::lock): the guest's
 * own port when it is free and outside the host's ephemeral range (port
 * preservation), else the first free port from a point hashed from the
 * guest's address and port with a secret (RFC 6056's third algorithm: an
 * off-path sender cannot guess it), outside the ephemeral range first,
 * inside it then.  -EADDRNOTAVAIL only when no port of the range is free.
 */
int vmbr_nat_port_alloc(struct vmbr_nat *nat, struct net *net, u8 proto,
			__be32 int_addr, __be16 int_port, __be16 *port)
{
	struct vmbr_nat_search s = {
		.pm = &nat->ports[vmbr_nat_proto_of(proto)], .net = net,
		.proto = proto,
	};
	u32 lo = READ_ONCE(nat->port_min), hi = READ_ONCE(nat->port_max);
	struct vmbr_nat_tier tier[2];
	u32 start, p = 0;
	int pass, t;

	lockdep_assert_held(&nat->lock);
	lo = max(lo, 1U);
	if (lo > hi)
		return -EADDRNOTAVAIL;
	if (s.pm->host)		/* TCP, UDP: the host's reserved ports too */
		s.reserved = net->ipv4.sysctl_local_reserved_ports;
	if (s.pm->nhost &&
	    time_after(jiffies, s.pm->host_since + VMBR_NAT_HOST_REFRESH))
		vmbr_nat_host_clear(s.pm);
	vmbr_nat_tiers(net, lo, hi, tier);

	p = ntohs(int_port);
	if (vmbr_nat_tier_has(&tier[0], p) && vmbr_nat_port_is_free(&s, p))
		goto found;
	start = jhash_3words((__force u32)int_addr, (__force u32)int_port,
			     proto, nat->secret);
	for (pass = 0; pass < 2; pass++) {
		for (t = 0; t < 2; t++) {
			p = vmbr_nat_search_tier(&s, &tier[t], start);
			if (p)
				goto found;
		}
		if (!s.pm->nhost)
			break;
		/* The host may have let some go: look them up again. */
		vmbr_nat_host_clear(s.pm);
	}
	return -EADDRNOTAVAIL;

found:
	*port = htons(p);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_port_alloc);

/*
 * May @guest (NULL: no guest's, not shared) have one more mapping of
 * @proto?  The ports are shared when they are scarce, and only then.  A
 * guest's fair share is the range divided by the guests that have a
 * mapping of the protocol (the asker among them) plus one: room for a
 * guest that has none yet, so a guest alone has half, as many as it
 * likes below its share while a port is free.  Beyond its share it
 * borrows free ports while more than a reserve (1/64 of the range) would
 * stay free, counting the ports mappings, forwards and the host are known
 * to hold.  So a guest below its share, and every guest that comes, gets
 * a port whenever one is free: the reserve is theirs, and a borrower is
 * stopped at it.  Nothing is taken back: borrowed ports come back as the
 * borrower's flows end, and while ports are scarce a guest over its share
 * gets no more.  Under vmbr_nat::lock.
 */
bool vmbr_nat_port_fair(const struct vmbr_nat *nat,
			const struct vmbr_port *guest, u8 proto)
{
	enum vmbr_nat_proto p = vmbr_nat_proto_of(proto);
	const struct vmbr_nat_portmap *pm = &nat->ports[p];
	u32 n = vmbr_nat_range_len(nat), held, guests, share, taken, reserve;

	lockdep_assert_held(&nat->lock);
	if (!guest)
		return true;
	held = guest->nat_maps[p];
	guests = pm->nguests + !held;
	share = max(n / (guests + 1), 1U);
	if (held < share)
		return true;
	taken = pm->nused + pm->nhost;
	reserve = max(n >> VMBR_NAT_RESERVE_SHIFT, 1U);
	return taken < n && n - taken > reserve;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_port_fair);

/* @map, new, holds its port.  Under vmbr_nat::lock. */
void vmbr_nat_port_take(struct vmbr_nat *nat, struct vmbr_nat_map *map)
{
	enum vmbr_nat_proto p = vmbr_nat_proto_of(map->ek.proto);
	struct vmbr_nat_portmap *pm = &nat->ports[p];
	u16 port = ntohs(map->ek.port);

	lockdep_assert_held(&nat->lock);
	if (!WARN_ON_ONCE(__test_and_set_bit(port, pm->used)))
		pm->nused++;
	if (pm->host && __test_and_clear_bit(port, pm->host))
		pm->nhost--;
	if (map->guest && !map->guest->nat_maps[p]++)
		pm->nguests++;
}

/* @map, going, lets its port go.  Under vmbr_nat::lock. */
void vmbr_nat_port_release(struct vmbr_nat *nat, struct vmbr_nat_map *map)
{
	enum vmbr_nat_proto p = vmbr_nat_proto_of(map->ek.proto);
	struct vmbr_nat_portmap *pm = &nat->ports[p];
	u16 port = ntohs(map->ek.port);

	lockdep_assert_held(&nat->lock);
	if (!WARN_ON_ONCE(!__test_and_clear_bit(port, pm->used)))
		pm->nused--;
	if (map->guest && !--map->guest->nat_maps[p])
		pm->nguests--;
}

/*
 * A new range.  Mappings outside it keep their ports until they go; the
 * ports the host was found to hold are looked up again.
 */
void vmbr_nat_set_port_range(struct vmbr_nat *nat, u16 lo, u16 hi)
{
	int i;

	spin_lock_bh(&nat->lock);
	WRITE_ONCE(nat->port_min, lo);
	WRITE_ONCE(nat->port_max, hi);
	for (i = 0; i < VMBR_NAT_P_COUNT; i++)
		if (nat->ports[i].host)
			vmbr_nat_host_clear(&nat->ports[i]);
	spin_unlock_bh(&nat->lock);
}

/*
 * A packet from outside, @pkt, for a guest's mapping that has no session
 * for it: is it the host's?  The host's stack picks the local ports of
 * its own connections without knowing the NAT's (in the ephemeral range,
 * where mappings may be too), so a reply to a connection of the host's,
 * or a datagram for a socket of its, may reach a port a guest maps; the
 * exact socket lookup the host's stack will do says (an established or
 * TIME_WAIT TCP socket for the 4-tuple, a TCP listener for a SYN, or the
 * UDP socket that would get it).  A service that binds the port after the
 * mapping took it thus gets its new peers.  Then the packet is the
 * host's, not the guest's.  RCU, BH off; on
 * the path of unsolicited packets only, never of a session's.
 */
bool vmbr_nat_host_owns(struct net *net, const struct vmbr_nat_pkt *pkt,
			int dif)
{
	struct inet_hashinfo *hinfo;
	struct sock *sk;

	switch (pkt->proto) {
	case IPPROTO_TCP:
		hinfo = net->ipv4.tcp_death_row.hashinfo;
		sk = __inet_lookup_established(net, hinfo, pkt->saddr,
					       pkt->sport, pkt->daddr,
					       ntohs(pkt->dport), dif, 0);
		if (sk) {
			sock_gen_put(sk);
			return true;
		}
		/*
		 * A SYN for a service of the host's that listens there
		 * since a guest's mapping took the port: a new peer is the
		 * service's, the guest keeps the sessions it has.
		 * Listeners are RCU-freed: no reference is taken.
		 */
		return (pkt->tcp_flags & TCPHDR_SYN) &&
		       __inet_lookup_listener(net, hinfo, NULL, 0, pkt->saddr,
					      pkt->sport, pkt->daddr,
					      ntohs(pkt->dport), dif, 0);
	case IPPROTO_UDP:
		return __udp4_lib_lookup(net, pkt->saddr, pkt->sport,
					 pkt->daddr, pkt->dport, dif, 0,
					 vmbr_udp_table(net), NULL);
	default:
		return false;
	}
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_host_owns);

/*
 * The host sends @skb (LOCAL_OUT) from the uplink's address and a port a
 * guest's mapping holds (its stack picked it, knowing nothing of the
 * mapping): does it meet a session of the guest's, the same remote
 * address and port?  Then the two flows would be one 5-tuple outside;
 * the guest's, there first, keeps it, and the host's packet is dropped
 * (counted as no-port).  A host's flow to any other remote end is left
 * alone: its replies are the host's (vmbr_nat_host_owns()).  RCU.
 */
bool vmbr_nat_host_collides(struct vmbr_nat *nat, const struct iphdr *iph,
			    const __be16 *ports)
{
	struct vmbr_nat_key key = {
		.rem_addr = iph->daddr, .rem_port = ports[1],
		.proto = iph->protocol,
	};
	const struct vmbr_nat_map *map;

	map = vmbr_nat_map_find_ext(nat, iph->protocol, ports[0]);
	if (!map || map->forward)
		return false;
	key.int_addr = map->ik.addr;
	key.int_port = map->ik.port;
	return vmbr_nat_sess_find(nat, &key);
}

int vmbr_nat_ports_init(struct vmbr_nat *nat)
{
	int i;

	for (i = 0; i < VMBR_NAT_P_COUNT; i++) {
		struct vmbr_nat_portmap *pm = &nat->ports[i];

		pm->used = bitmap_zalloc(VMBR_NAT_PORTS, GFP_KERNEL);
		if (!pm->used)
			goto err;
		if (i == VMBR_NAT_P_ICMP)
			continue;
		pm->host = bitmap_zalloc(VMBR_NAT_PORTS, GFP_KERNEL);
		if (!pm->host)
			goto err;
		pm->host_since = jiffies;
	}
	return 0;

err:
	vmbr_nat_ports_uninit(nat);
	return -ENOMEM;
}

void vmbr_nat_ports_uninit(struct vmbr_nat *nat)
{
	int i;

	for (i = 0; i < VMBR_NAT_P_COUNT; i++) {
		bitmap_free(nat->ports[i].used);
		bitmap_free(nat->ports[i].host);
		nat->ports[i].used = NULL;
		nat->ports[i].host = NULL;
	}
}
