// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge: 802.1Q.  Which VLAN a frame belongs to when it comes in, and
 * how it leaves each port: the semantics of the Linux bridge with
 * vlan_filtering 1.
 *
 * Every port (guests, the uplink, the host's side) has a struct vmbr_vlans:
 * a PVID, the VLAN of the untagged frames it sends and receives (0: none),
 * and the VLANs it carries tagged.  An access port has a PVID and nothing
 * tagged; a trunk has tagged VLANs and perhaps a native one (its PVID).
 *
 * The per-frame steps, vmbr_vlan_ingress() and vmbr_vlan_egress(), are
 * inline in vmbr.h.  In the data path the tag is always in skb->vlan_tci: the core moves an
 * in-band tag there before the rx handler runs, and the host's frames are
 * normalised by vmbr_vlan_untag_inband().  Egress sets or clears the
 * accelerated tag per destination; a device that cannot insert tags gets
 * them inserted by the core (validate_xmit_vlan()), so a tagged frame is
 * never counted against the MTU.
 *
 * DOC: Locking
 *
 * A port's struct vmbr_vlans is replaced whole under RTNL and freed after a
 * grace period; the data path reads it under RCU.  The uplink's lives in
 * struct vmbr (it outlives any one uplink device).
 */
#include <linux/if_vlan.h>
#include <linux/slab.h>

#include "vmbr.h"

/*
 * A frame the host sends (skb->data at its Ethernet header) may carry its
 * 802.1Q tag in-band (a packet socket, a VLAN device that was not offered
 * tag offload): move it into skb->vlan_tci, as the core does on receive.
 * Returns 0 or a negative errno (the frame is then the caller's to drop).
 */
int vmbr_vlan_untag_inband(struct sk_buff *skb)
{
	u16 tci;
	int err;

	if (skb_vlan_tag_present(skb) ||
	    eth_hdr(skb)->h_proto != htons(ETH_P_8021Q))
		return 0;
	if (unlikely(!pskb_may_pull(skb, VLAN_ETH_HLEN)))
		return -EINVAL;
	err = __skb_vlan_pop(skb, &tci);
	if (err)
		return err;
	__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), tci);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_vlan_untag_inband);

/* Config path. */

struct vmbr_vlans *vmbr_vlans_alloc(u16 pvid)
{
	struct vmbr_vlans *vlans = kzalloc(sizeof(*vlans), GFP_KERNEL);

	if (vlans)
		vlans->pvid = pvid;
	return vlans;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_vlans_alloc);

/*
 * Fill @vlans->tagged from a netlink bitmap (VLAN v is bit v % 8 of byte
 * v / 8; its length was checked by the policy).  VLANs 0 and 4095 cannot be
 * carried.
 */
int vmbr_vlans_from_bitmap(struct vmbr_vlans *vlans, const u8 *bits,
			   struct netlink_ext_ack *extack)
{
	unsigned int vid;

	bitmap_zero(vlans->tagged, VLAN_N_VID);
	for (vid = 0; vid < VLAN_N_VID; vid++) {
		if (!(bits[vid / BITS_PER_BYTE] & BIT(vid % BITS_PER_BYTE)))
			continue;
		if (vid < VMBR_VID_MIN || vid > VMBR_VID_MAX) {
			vmbr_extack_fmt(extack,
					"VLAN 0 and 4095 cannot be carried tagged",
					"VLAN %u cannot be carried tagged", vid);
			return -EINVAL;
		}
		__set_bit(vid, vlans->tagged);
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_vlans_from_bitmap);

void vmbr_vlans_to_bitmap(const struct vmbr_vlans *vlans, u8 *bits)
{
	unsigned int vid;

	memset(bits, 0, VMBR_VLAN_BITMAP_LEN);
	for_each_set_bit(vid, vlans->tagged, VLAN_N_VID)
		bits[vid / BITS_PER_BYTE] |= BIT(vid % BITS_PER_BYTE);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_vlans_to_bitmap);

/* Install @vlans on a guest port or the host's side.  RTNL. */
void vmbr_port_set_vlans(struct vmbr_port *port, struct vmbr_vlans *vlans)
{
	struct vmbr_vlans *old;

	ASSERT_RTNL();
	old = rcu_replace_pointer(port->vlans, vlans, lockdep_rtnl_is_held());
	if (old)
		kfree_rcu(old, rcu);
	/* What it learned may be in VLANs it no longer has. */
	if (port->role != VMBR_ROLE_HOST)
		vmbr_fdb_flush(port->vmbr, port, false);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_port_set_vlans);

/* Install the uplink's VLANs (the vmbridge keeps them).  RTNL. */
void vmbr_set_uplink_vlans(struct vmbr *vmbr, struct vmbr_vlans *vlans)
{
	struct vmbr_port *uplink = rtnl_dereference(vmbr->uplink);
	struct vmbr_vlans *old;

	ASSERT_RTNL();
	old = rcu_replace_pointer(vmbr->uplink_vlans, vlans,
				  lockdep_rtnl_is_held());
	if (old)
		kfree_rcu(old, rcu);
	if (uplink)
		vmbr_fdb_flush(vmbr, uplink, false);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_set_uplink_vlans);

/* When the port or vmbridge goes: its readers are gone (RTNL, after sync). */
void vmbr_vlans_free(struct vmbr_vlans __rcu **vlans)
{
	kfree(rcu_dereference_protected(*vlans, true));
	RCU_INIT_POINTER(*vlans, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_vlans_free);
