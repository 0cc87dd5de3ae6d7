// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge: the forwarding database, MAC address and VLAN to port.
 *
 * DOC: Locking
 *
 * Entries live in an rhashtable keyed by {MAC, VID} for lookups and on a
 * list for dumps and ageing.  Lookups run under RCU with no lock.  Every
 * insertion, removal and move takes vmbr::fdb_lock (a BH spinlock: the data
 * path learns in softirq) and then bumps vmbr::fdb_seq, the table's
 * generation: a dump can tell it was interrupted, and what was learned or
 * looked up under an older generation is stale.  An entry's port and
 * timestamp are read with READ_ONCE() and written with WRITE_ONCE();
 * entries are freed after an RCU grace period.  The ageing work never
 * sleeps while holding the lock.
 *
 * Learning refreshes a known entry without the lock and takes the lock
 * only to create or move one; a full table (vmbr::max_fdb) refuses new
 * entries, counts the refusal on the port and announces it on "events"
 * at most once a second; what learning and moves announce is rate
 * limited too (vmbr_fdb_event_ok()).  Two lookups are skipped while the
 * generation holds: a port's last confirmed source seen again in the same
 * jiffy (vmbr_fdb_learn()) and a CPU's last destination
 * (vmbr_fdb_lookup_fast()).
 */
#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/ratelimit.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>

#include "vmbr.h"

/* Learn and move events the data path may announce a second. */
#define VMBR_FDB_EVENT_BURST	1000

struct vmbr_fdb_key {
	u8 addr[ETH_ALEN];
	u16 vid;
};

struct vmbr_fdb_entry {
	struct rhash_head node;
	struct vmbr_fdb_key key;
	struct hlist_node list;		/* in vmbr::fdb_list */
	struct vmbr_port *port;		/* READ_ONCE / WRITE_ONCE */
	unsigned long updated;		/* jiffies the source was last seen */
	bool is_static;
	struct rcu_head rcu;
};

static struct kmem_cache *vmbr_fdb_cache __read_mostly;

static int vmbr_fdb_cmp(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct vmbr_fdb_entry *e = obj;
	const struct vmbr_fdb_key *key = arg->key;

	return !(ether_addr_equal(key->addr, e->key.addr) &&
		 key->vid == e->key.vid);
}

static const struct rhashtable_params vmbr_fdb_params = {
	.head_offset = offsetof(struct vmbr_fdb_entry, node),
	.key_offset = offsetof(struct vmbr_fdb_entry, key),
	.key_len = sizeof(struct vmbr_fdb_key),
	.hashfn = vmbr_rht_hash,
	.obj_cmpfn = vmbr_fdb_cmp,
	.automatic_shrinking = true,
};

static inline void vmbr_fdb_key_set(struct vmbr_fdb_key *key,
				    const u8 *addr, u16 vid)
{
	memset(key, 0, sizeof(*key));
	ether_addr_copy(key->addr, addr);
	key->vid = vid;
}

static struct vmbr_fdb_entry *vmbr_fdb_find_rcu(struct vmbr *vmbr,
						const u8 *addr, u16 vid)
{
	struct vmbr_fdb_key key;

	vmbr_fdb_key_set(&key, addr, vid);
	return rhashtable_lookup(&vmbr->fdb, &key, vmbr_fdb_params);
}

/* The port frames to {addr, vid} go to, or NULL to flood. RCU. */
struct vmbr_port *vmbr_fdb_lookup(struct vmbr *vmbr, const u8 *addr, u16 vid)
{
	struct vmbr_fdb_entry *e = vmbr_fdb_find_rcu(vmbr, addr, vid);

	return e ? READ_ONCE(e->port) : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_fdb_lookup);

/*
 * vmbr_fdb_lookup_fast() for a destination this CPU did not just look up,
 * or looked up in an older generation (@seq, read before the table).
 */
struct vmbr_port *__vmbr_fdb_lookup_fast(struct vmbr *vmbr, const u8 *addr,
					 u16 vid, u64 key, unsigned long seq)
{
	struct vmbr_fdb_hint *hint = this_cpu_ptr(vmbr->fdb_hint);

	hint->port = vmbr_fdb_lookup(vmbr, addr, vid);
	hint->key = key;
	hint->seq = seq;
	return hint->port;
}
EXPORT_SYMBOL_IF_KUNIT(__vmbr_fdb_lookup_fast);

static void vmbr_fdb_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(vmbr_fdb_cache,
			container_of(head, struct vmbr_fdb_entry, rcu));
}

static struct vmbr_fdb_entry *vmbr_fdb_alloc(const u8 *addr, u16 vid,
					     struct vmbr_port *port,
					     bool is_static, gfp_t gfp)
{
	struct vmbr_fdb_entry *e = kmem_cache_alloc(vmbr_fdb_cache, gfp);

	if (!e)
		return NULL;
	vmbr_fdb_key_set(&e->key, addr, vid);
	e->port = port;
	e->updated = jiffies;
	e->is_static = is_static;
	return e;
}

/*
 * After every change to the table, under fdb_lock: dumps see they were
 * interrupted, ports forget the source they last confirmed and CPUs the
 * destination they last looked up.
 */
static void vmbr_fdb_changed(struct vmbr *vmbr)
{
	lockdep_assert_held(&vmbr->fdb_lock);
	/* Pairs with vmbr_fdb_lookup_fast(): the change, then the generation. */
	smp_store_release(&vmbr->fdb_seq, vmbr->fdb_seq + 1);
}

/* Link a new entry in; fdb_lock held. -EEXIST if another CPU was first. */
static int vmbr_fdb_insert(struct vmbr *vmbr, struct vmbr_fdb_entry *e)
{
	int err;

	lockdep_assert_held(&vmbr->fdb_lock);
	err = rhashtable_lookup_insert_fast(&vmbr->fdb, &e->node,
					    vmbr_fdb_params);
	if (err)
		return err;
	hlist_add_head_rcu(&e->list, &vmbr->fdb_list);
	/* Read locklessly by learning, before it takes the lock. */
	WRITE_ONCE(vmbr->fdb_count, vmbr->fdb_count + 1);
	atomic_inc(&e->port->fdb_count);
	vmbr_fdb_changed(vmbr);
	return 0;
}

/* Unlink and free an entry; fdb_lock held. */
static void vmbr_fdb_remove(struct vmbr *vmbr, struct vmbr_fdb_entry *e)
{
	lockdep_assert_held(&vmbr->fdb_lock);
	rhashtable_remove_fast(&vmbr->fdb, &e->node, vmbr_fdb_params);
	/*
	 * _init: the ageing walk and a move recheck hlist_unhashed() under
	 * the lock to see that an entry went meanwhile; hlist_del_rcu()
	 * alone would leave it looking linked.
	 */
	hlist_del_init_rcu(&e->list);
	WRITE_ONCE(vmbr->fdb_count, vmbr->fdb_count - 1);
	atomic_dec(&e->port->fdb_count);
	vmbr_fdb_changed(vmbr);
	call_rcu(&e->rcu, vmbr_fdb_free_rcu);
}

/* Point an entry at another port; fdb_lock held. */
static void vmbr_fdb_move(struct vmbr *vmbr, struct vmbr_fdb_entry *e,
			  struct vmbr_port *port)
{
	lockdep_assert_held(&vmbr->fdb_lock);
	atomic_dec(&e->port->fdb_count);
	atomic_inc(&port->fdb_count);
	WRITE_ONCE(e->port, port);
	vmbr_fdb_changed(vmbr);
}

/* A MAC not learned: the vmbridge's FDB or the port's max-macs is full. */
static void vmbr_fdb_full(struct vmbr *vmbr, struct vmbr_port *port,
			  enum vmbr_limit limit)
{
	struct vmbr_pcpu_stats *s = this_cpu_ptr(port->stats);

	u64_stats_update_begin(&s->syncp);
	if (limit == VMBR_LIMIT_FDB)
		u64_stats_inc(&s->fdb_full);
	else
		u64_stats_inc(&s->max_macs);
	u64_stats_update_end(&s->syncp);
	vmbr_notify_limit(vmbr, port, limit);
}

/*
 * May the data path announce one more entry learned or moved?  A guest
 * that flaps a MAC between two ports, or the wire that sends from forged
 * sources, moves or makes an entry a frame: at most
 * VMBR_FDB_EVENT_BURST such events a second reach "events" (the table
 * itself, "vmbr fdb show", stays exact).
 */
static bool vmbr_fdb_event_ok(struct vmbr *vmbr)
{
	return __ratelimit(&vmbr->fdb_events);
}

/*
 * A known source is seen on another port: move its entry there, unless
 * the entry was made static or moved or removed meanwhile (rechecked
 * under the lock), or the new port may learn no more (a move is a MAC
 * more for that port: max-macs, and the uplink's share, bound moves as
 * they bound new entries).  False if the port is full: the frame's source
 * is not confirmed, so the next frame asks again.
 */
static bool vmbr_fdb_learn_move(struct vmbr *vmbr, struct vmbr_fdb_entry *e,
				struct vmbr_port *port)
{
	bool moved = false;

	if (unlikely(!vmbr_guard_may_learn(port))) {
		vmbr_fdb_full(vmbr, port, VMBR_LIMIT_PORT_MACS);
		return false;
	}
	spin_lock(&vmbr->fdb_lock);
	if (!hlist_unhashed(&e->list) && !e->is_static && e->port != port) {
		vmbr_fdb_move(vmbr, e, port);
		moved = true;
	}
	spin_unlock(&vmbr->fdb_lock);
	if (moved && vmbr_fdb_event_ok(vmbr))
		vmbr_notify_fdb(vmbr, e->key.addr, e->key.vid, port,
				VMBR_CMD_FDB_ADD);
	return true;
}

/*
 * vmbr_fdb_learn() for a source its port has not confirmed in this jiffy:
 * look it up, refresh, move or add it, and remember it as confirmed
 * (@seen_key and @seen_stamp: what vmbr_fdb_learn() compared).
 */
void __vmbr_fdb_learn(struct vmbr *vmbr, struct vmbr_port *port,
		      const u8 *addr, u16 vid, u64 seen_key, u64 seen_stamp)
{
	unsigned long now = jiffies;
	struct vmbr_fdb_entry *e;
	struct vmbr_fdb_key key;

	vmbr_fdb_key_set(&key, addr, vid);
	e = rhashtable_lookup(&vmbr->fdb, &key, vmbr_fdb_params);
	if (likely(e)) {
		if (likely(!READ_ONCE(e->is_static))) {
			if (unlikely(READ_ONCE(e->port) != port) &&
			    !vmbr_fdb_learn_move(vmbr, e, port))
				return;
			if (READ_ONCE(e->updated) != now)
				WRITE_ONCE(e->updated, now);
		}
		if (READ_ONCE(port->fdb_seen_key) != seen_key)
			WRITE_ONCE(port->fdb_seen_key, seen_key);
		WRITE_ONCE(port->fdb_seen_stamp, seen_stamp);
		return;
	}

	if (unlikely(!vmbr_guard_may_learn(port))) {
		vmbr_fdb_full(vmbr, port, VMBR_LIMIT_PORT_MACS);
		return;
	}
	if (READ_ONCE(vmbr->fdb_count) >= READ_ONCE(vmbr->max_fdb)) {
		vmbr_fdb_full(vmbr, port, VMBR_LIMIT_FDB);
		return;
	}
	e = vmbr_fdb_alloc(addr, vid, port, false, GFP_ATOMIC);
	if (!e)
		return;

	spin_lock(&vmbr->fdb_lock);
	if (vmbr->fdb_count >= vmbr->max_fdb) {
		spin_unlock(&vmbr->fdb_lock);
		kmem_cache_free(vmbr_fdb_cache, e);
		vmbr_fdb_full(vmbr, port, VMBR_LIMIT_FDB);
		return;
	}
	if (vmbr_fdb_insert(vmbr, e)) {
		/* Another CPU learned it first (or no memory): theirs stands. */
		spin_unlock(&vmbr->fdb_lock);
		kmem_cache_free(vmbr_fdb_cache, e);
		return;
	}
	spin_unlock(&vmbr->fdb_lock);
	if (vmbr_fdb_event_ok(vmbr))
		vmbr_notify_fdb(vmbr, addr, vid, port, VMBR_CMD_FDB_ADD);
}
EXPORT_SYMBOL_IF_KUNIT(__vmbr_fdb_learn);

/* Add or replace a static entry. RTNL (config path). */
int vmbr_fdb_add_static(struct vmbr *vmbr, struct vmbr_port *port,
			const u8 *addr, u16 vid, struct netlink_ext_ack *extack)
{
	struct vmbr_fdb_entry *e, *new;
	int err = 0;

	new = vmbr_fdb_alloc(addr, vid, port, true, GFP_KERNEL);
	if (!new)
		return -ENOMEM;

	spin_lock_bh(&vmbr->fdb_lock);
	e = rhashtable_lookup_fast(&vmbr->fdb, &new->key, vmbr_fdb_params);
	if (e) {
		if (e->port != port)
			vmbr_fdb_move(vmbr, e, port);
		/* Learning reads it without the lock, then again with it. */
		WRITE_ONCE(e->is_static, true);
		vmbr_fdb_changed(vmbr);
		spin_unlock_bh(&vmbr->fdb_lock);
		kmem_cache_free(vmbr_fdb_cache, new);
		return 0;
	}
	if (vmbr->fdb_count >= vmbr->max_fdb) {
		NL_SET_ERR_MSG_MOD(extack, "FDB is full (max-fdb reached)");
		err = -ENOSPC;
	} else {
		err = vmbr_fdb_insert(vmbr, new);
	}
	spin_unlock_bh(&vmbr->fdb_lock);
	if (err)
		kmem_cache_free(vmbr_fdb_cache, new);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_fdb_add_static);

/* Delete one entry, learned or static. RTNL. */
int vmbr_fdb_del(struct vmbr *vmbr, const u8 *addr, u16 vid)
{
	struct vmbr_fdb_entry *e;
	struct vmbr_fdb_key key;
	int err = -ENOENT;

	vmbr_fdb_key_set(&key, addr, vid);
	spin_lock_bh(&vmbr->fdb_lock);
	e = rhashtable_lookup_fast(&vmbr->fdb, &key, vmbr_fdb_params);
	if (e) {
		vmbr_fdb_remove(vmbr, e);
		err = 0;
	}
	spin_unlock_bh(&vmbr->fdb_lock);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_fdb_del);

/* Delete the entries of @port (every port if NULL). Process context. */
void vmbr_fdb_flush(struct vmbr *vmbr, const struct vmbr_port *port,
		    bool include_static)
{
	struct vmbr_fdb_entry *e;
	struct hlist_node *tmp;

	spin_lock_bh(&vmbr->fdb_lock);
	hlist_for_each_entry_safe(e, tmp, &vmbr->fdb_list, list) {
		if (port && e->port != port)
			continue;
		if (e->is_static && !include_static)
			continue;
		vmbr_fdb_remove(vmbr, e);
	}
	spin_unlock_bh(&vmbr->fdb_lock);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_fdb_flush);

/*
 * Remove the learned entries not seen since @now - ageing; returns how
 * many.  Walks under RCU and takes the lock only for an entry to remove.
 */
unsigned int vmbr_fdb_expire(struct vmbr *vmbr, unsigned long now)
{
	unsigned long ageing = READ_ONCE(vmbr->ageing);
	struct vmbr_fdb_entry *e;
	unsigned int removed = 0;

	rcu_read_lock();
	hlist_for_each_entry_rcu(e, &vmbr->fdb_list, list) {
		if (READ_ONCE(e->is_static) ||
		    !time_after(now, READ_ONCE(e->updated) + ageing))
			continue;
		spin_lock_bh(&vmbr->fdb_lock);
		/* Seen again or removed while we were not holding the lock? */
		if (!hlist_unhashed(&e->list) && !e->is_static &&
		    time_after(now, READ_ONCE(e->updated) + ageing)) {
			vmbr_notify_fdb(vmbr, e->key.addr, e->key.vid, e->port,
					VMBR_CMD_FDB_DEL);
			vmbr_fdb_remove(vmbr, e);
			removed++;
		}
		spin_unlock_bh(&vmbr->fdb_lock);
	}
	rcu_read_unlock();
	return removed;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_fdb_expire);

static unsigned long vmbr_fdb_gc_period(const struct vmbr *vmbr)
{
	/* Often enough that nothing outlives ageing by more than a quarter. */
	return clamp(READ_ONCE(vmbr->ageing) / 4, 1UL, 10UL * HZ);
}

static void vmbr_fdb_gc(struct work_struct *work)
{
	struct vmbr *vmbr = container_of(to_delayed_work(work), struct vmbr,
					 fdb_gc);

	vmbr_fdb_expire(vmbr, jiffies);
	queue_delayed_work(system_power_efficient_wq, &vmbr->fdb_gc,
			   vmbr_fdb_gc_period(vmbr));
}

void vmbr_fdb_set_ageing(struct vmbr *vmbr, unsigned long ageing)
{
	WRITE_ONCE(vmbr->ageing, ageing);
	mod_delayed_work(system_power_efficient_wq, &vmbr->fdb_gc,
			 vmbr_fdb_gc_period(vmbr));
}

/*
 * Fill a dump with entries, resuming at cb->args[1].  The dump is marked
 * interrupted (NLM_F_DUMP_INTR) if the table changed between two calls.
 */
/*
 * Call @fill for every entry from the *@pos'th on, under RCU, until it
 * fails: *@pos is then the entry it failed on (a dump's next start).
 */
int vmbr_fdb_walk(struct vmbr *vmbr, unsigned long *pos,
		  vmbr_fdb_fill_t fill, void *arg)
{
	unsigned long skip = *pos, idx = 0;
	struct vmbr_fdb_entry *e;
	int err = 0;

	rcu_read_lock();
	hlist_for_each_entry_rcu(e, &vmbr->fdb_list, list) {
		if (idx++ < skip)
			continue;
		err = fill(arg, e->key.addr, e->key.vid, READ_ONCE(e->port),
			   READ_ONCE(e->is_static), READ_ONCE(e->updated));
		if (err) {
			idx--;
			break;
		}
	}
	rcu_read_unlock();
	*pos = idx;
	return err;
}

struct vmbr_fdb_genl_dump {
	struct vmbr *vmbr;
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

static int vmbr_fdb_genl_fill(void *arg, const u8 *addr, u16 vid,
			      const struct vmbr_port *port, bool is_static,
			      unsigned long updated)
{
	struct vmbr_fdb_genl_dump *d = arg;

	return vmbr_fill_fdb(d->skb, d->cb, d->vmbr, addr, vid, port,
			     is_static, updated);
}

/* The FDB for VMBR_CMD_FDB_GET dumps, resumed at cb->args[1]. */
int vmbr_fdb_dump(struct vmbr *vmbr, struct sk_buff *skb,
		  struct netlink_callback *cb)
{
	struct vmbr_fdb_genl_dump d = { .vmbr = vmbr, .skb = skb, .cb = cb };
	unsigned long pos = cb->args[1];
	int err;

	cb->seq = (u32)READ_ONCE(vmbr->fdb_seq);
	err = vmbr_fdb_walk(vmbr, &pos, vmbr_fdb_genl_fill, &d);
	cb->args[1] = pos;
	return err;
}

int vmbr_fdb_init(struct vmbr *vmbr)
{
	int err;

	vmbr->fdb_hint = alloc_percpu(struct vmbr_fdb_hint);
	if (!vmbr->fdb_hint)
		return -ENOMEM;
	vmbr->fdb_seq = 1;	/* the hints, all zero, are stale */
	err = rhashtable_init(&vmbr->fdb, &vmbr_fdb_params);
	if (err) {
		free_percpu(vmbr->fdb_hint);
		return err;
	}
	INIT_HLIST_HEAD(&vmbr->fdb_list);
	spin_lock_init(&vmbr->fdb_lock);
	ratelimit_state_init(&vmbr->fdb_events, HZ, VMBR_FDB_EVENT_BURST);
	/* Events left out are not worth a line in the kernel log. */
	ratelimit_set_flags(&vmbr->fdb_events, RATELIMIT_MSG_ON_RELEASE);
	vmbr->ageing = VMBR_AGEING_DEFAULT * HZ;
	vmbr->max_fdb = VMBR_MAX_FDB_DEFAULT;
	INIT_DELAYED_WORK(&vmbr->fdb_gc, vmbr_fdb_gc);
	queue_delayed_work(system_power_efficient_wq, &vmbr->fdb_gc,
			   vmbr_fdb_gc_period(vmbr));
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_fdb_init);

/* After every port is gone: no lookup can start any more. */
void vmbr_fdb_uninit(struct vmbr *vmbr)
{
	cancel_delayed_work_sync(&vmbr->fdb_gc);
	vmbr_fdb_flush(vmbr, NULL, true);
	rhashtable_destroy(&vmbr->fdb);
	free_percpu(vmbr->fdb_hint);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_fdb_uninit);

int vmbr_fdb_module_init(void)
{
	vmbr_fdb_cache = KMEM_CACHE(vmbr_fdb_entry, SLAB_HWCACHE_ALIGN);
	return vmbr_fdb_cache ? 0 : -ENOMEM;
}

void vmbr_fdb_module_exit(void)
{
	rcu_barrier();	/* every vmbr_fdb_free_rcu() has run */
	kmem_cache_destroy(vmbr_fdb_cache);
}
