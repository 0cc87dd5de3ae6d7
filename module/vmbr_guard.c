// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge: the guards of a guest port, for guests the host does not trust.
 *
 * - isolated: no traffic between two isolated ports (vmbr_forward.c asks
 *   vmbr_guard_isolated());
 * - lock-mac: only the listed source MACs come in;
 * - max-macs: the port learns at most so many MACs (vmbr_fdb.c asks
 *   vmbr_guard_may_learn()); the uplink at most three quarters of max-fdb;
 * - bum-rate: broadcast, unknown unicast and multicast frames from the port
 *   are limited to so many a second.
 *
 * The rate limit is a generic cell rate algorithm: one theoretical arrival
 * time per port, moved on by one interval per frame with a compare and
 * exchange, no lock.  A burst of a tenth of a second's worth (at least 5
 * frames) passes at once.
 *
 * DOC: Locking
 *
 * The settings are written under RTNL: the flags and numbers with
 * WRITE_ONCE(), the lock-mac list replaced whole and freed after a grace
 * period.  The data path reads them under RCU without a lock.
 */
#include <linux/etherdevice.h>
#include <linux/ktime.h>
#include <linux/slab.h>

#include "vmbr.h"

/* Is @src one of the port's lock-mac list (or has it none)? */
bool __vmbr_guard_src_ok(const struct vmbr_port *port, const u8 *src)
{
	const struct vmbr_lock_mac *lock = rcu_dereference(port->lock_mac);
	unsigned int i;

	if (likely(!lock))
		return true;
	for (i = 0; i < lock->count; i++)
		if (ether_addr_equal(src, lock->addr[i]))
			return true;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(__vmbr_guard_src_ok);

/*
 * May @port learn one more MAC?  Data path.  The uplink, whose sources are
 * the LAN's (anyone's), may fill at most three quarters of the FDB: a
 * flood of forged sources from the wire leaves room for the guests'.
 */
bool vmbr_guard_may_learn(const struct vmbr_port *port)
{
	u32 max_macs = READ_ONCE(port->max_macs);
	u32 max_fdb;

	if (port->role == VMBR_ROLE_UPLINK) {
		max_fdb = READ_ONCE(port->vmbr->max_fdb);
		max_macs = max(max_fdb - max_fdb / 4, 1U);
	}
	return !max_macs || atomic_read(&port->fdb_count) < max_macs;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_guard_may_learn);

/* May @port flood one more frame at @now (ns)?  Data path, lockless. */
bool vmbr_guard_bum_ok(struct vmbr_port *port, u64 now)
{
	u32 rate = READ_ONCE(port->bum_rate);
	u64 interval, tolerance;
	s64 tat, next;

	if (likely(!rate))
		return true;
	interval = div_u64(NSEC_PER_SEC, rate);
	tolerance = max_t(u64, NSEC_PER_SEC / 10, 5 * interval);
	tat = atomic64_read(&port->bum_tat);
	do {
		if (tat > (s64)(now + tolerance))
			return false;
		next = max_t(s64, tat, now) + interval;
	} while (!atomic64_try_cmpxchg(&port->bum_tat, &tat, next));
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_guard_bum_ok);

/* Config path. */

/*
 * A lock-mac list from a netlink attribute of 6-byte MACs; an empty one
 * means no lock (NULL).  Every MAC must be a station's, and appear once.
 */
struct vmbr_lock_mac *vmbr_lock_mac_parse(const struct nlattr *attr,
					  struct netlink_ext_ack *extack)
{
	unsigned int count = nla_len(attr) / ETH_ALEN, i, j;
	const u8 (*addr)[ETH_ALEN] = nla_data(attr);
	struct vmbr_lock_mac *lock;

	if (nla_len(attr) % ETH_ALEN || count > VMBR_LOCK_MAC_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "lock-mac is a list of at most 64 MAC addresses");
		return ERR_PTR(-EINVAL);
	}
	if (!count)
		return NULL;
	for (i = 0; i < count; i++) {
		if (!is_valid_ether_addr(addr[i])) {
			vmbr_extack_fmt(extack,
					"lock-mac: a MAC is not a station's",
					"lock-mac: %pM is not a station's MAC",
					addr[i]);
			NL_SET_BAD_ATTR(extack, attr);
			return ERR_PTR(-EINVAL);
		}
		for (j = 0; j < i; j++) {
			if (ether_addr_equal(addr[i], addr[j])) {
				vmbr_extack_fmt(extack,
						"lock-mac: a MAC is listed twice",
						"lock-mac: %pM is listed twice",
						addr[i]);
				NL_SET_BAD_ATTR(extack, attr);
				return ERR_PTR(-EINVAL);
			}
		}
	}
	lock = kmalloc(struct_size(lock, addr, count), GFP_KERNEL);
	if (!lock)
		return ERR_PTR(-ENOMEM);
	lock->count = count;
	memcpy(lock->addr, addr, count * ETH_ALEN);
	return lock;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_lock_mac_parse);

/* Install @lock (NULL: none) on @port.  RTNL. */
void vmbr_guard_set_lock_mac(struct vmbr_port *port,
			     struct vmbr_lock_mac *lock)
{
	struct vmbr_lock_mac *old;

	ASSERT_RTNL();
	old = rcu_replace_pointer(port->lock_mac, lock, lockdep_rtnl_is_held());
	if (old)
		kfree_rcu(old, rcu);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_guard_set_lock_mac);

void vmbr_guard_set_bum_rate(struct vmbr_port *port, u32 rate)
{
	/* A new rate starts with a full burst. */
	atomic64_set(&port->bum_tat, 0);
	WRITE_ONCE(port->bum_rate, rate);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_guard_set_bum_rate);

/* When the port goes: no reader is left (its RCU callback). */
void vmbr_guard_free(struct vmbr_port *port)
{
	kfree(rcu_dereference_protected(port->lock_mac, true));
	RCU_INIT_POINTER(port->lock_mac, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_guard_free);
