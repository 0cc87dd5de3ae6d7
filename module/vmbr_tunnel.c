// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge: VLANs carried as tunnel ids on a collect-metadata uplink.
 *
 * With uplink-vni, the uplink is a VXLAN or Geneve device in "external"
 * (collect-metadata) mode, and the kernel's tunnel is the data plane between
 * hosts: a frame the vmbridge sends it in VLAN V leaves untagged, with a
 * metadata dst that names VNI(V) (IP_TUNNEL_INFO_BRIDGE: the device's own
 * FDB picks the remote VTEPs, as for the Linux bridge's vlan_tunnel); a
 * frame it receives carries its VNI in skb_tunnel_info() and joins the VLAN
 * mapped to it.  A VNI with no VLAN is dropped and counted.
 *
 * The map is replaced whole, under RTNL, and read under RCU.  While it is
 * set, the uplink carries exactly its VLANs (vmbr_port_vlans()).
 */
#include <linux/bsearch.h>
#include <linux/if_link.h>
#include <linux/sort.h>
#include <linux/stringify.h>
#include <net/dst_metadata.h>
#include <net/geneve.h>
#include <net/vxlan.h>

#include "vmbr.h"

/* Not const: 6.1's nla_policy points to a mutable range. */
static struct netlink_range_validation vmbr_vni_range = {
	.min = 1,
	.max = VMBR_VNI_MAX,
};

/* One VMBR_VNI_A_ENTRY of VMBR_A_UPLINK_VNIS (a nested array). */
const struct nla_policy vmbr_vni_policy[VMBR_VNI_A_MAX + 1] = {
	[VMBR_VNI_A_VID]	= NLA_POLICY_RANGE(NLA_U16, VMBR_VID_MIN,
						   VMBR_VID_MAX),
	[VMBR_VNI_A_VNI]	= NLA_POLICY_FULL_RANGE(NLA_U32, &vmbr_vni_range),
};

/*
 * Is @dev a tunnel in collect-metadata mode?  Its kind's own netlink
 * answer says so (IFLA_INFO_DATA as "ip -d link" reads it): neither
 * device's private state is ours to read.  RTNL.
 */
static bool vmbr_tunnel_collects_metadata(struct net_device *dev)
{
	const struct rtnl_link_ops *ops = dev->rtnl_link_ops;
	const struct nlattr *attr;
	struct sk_buff *skb;
	int type;
	bool ret;

	if (netif_is_vxlan(dev))
		type = IFLA_VXLAN_COLLECT_METADATA;
	else if (netif_is_geneve(dev))
		type = IFLA_GENEVE_COLLECT_METADATA;
	else
		return false;
	if (!ops->fill_info || !ops->get_size)
		return false;
	skb = alloc_skb(nla_total_size(ops->get_size(dev)), GFP_KERNEL);
	if (!skb)
		return false;
	ret = false;
	if (!ops->fill_info(skb, dev)) {
		attr = nla_find((struct nlattr *)skb->data, skb->len, type);
		/* VXLAN's is a u8 always there, Geneve's a flag when set. */
		ret = attr && (nla_len(attr) < 1 || nla_get_u8(attr));
	}
	kfree_skb(skb);
	return ret;
}

static int vmbr_vni_cmp(const void *a, const void *b)
{
	const struct vmbr_vni_pair *x = a, *y = b;

	return x->vni < y->vni ? -1 : x->vni > y->vni;
}

void vmbr_vni_map_free(struct vmbr_vni_map *map)
{
	unsigned int i;

	if (!map)
		return;
	/* Frames in flight hold references of their own. */
	for (i = 0; i < map->count; i++)
		dst_release(&map->tx[map->pairs[i].vid]->dst);
	kvfree(map);
}

static void vmbr_vni_map_free_rcu(struct rcu_head *head)
{
	vmbr_vni_map_free(container_of(head, struct vmbr_vni_map, rcu));
}

/*
 * The map a VMBR_A_UPLINK_VNIS nest asks for: NULL when it is empty (no
 * map), an ERR_PTR with the reason in @extack when it is wrong.
 */
struct vmbr_vni_map *vmbr_vni_map_parse(const struct nlattr *nest,
					struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VMBR_VNI_A_MAX + 1];
	struct vmbr_vni_map *map;
	const struct nlattr *entry;
	struct metadata_dst *md;
	unsigned int count = 0, i;
	int rem, err;

	nla_for_each_nested(entry, nest, rem) {
		if (nla_type(entry) != VMBR_VNI_A_ENTRY) {
			NL_SET_ERR_MSG_ATTR(extack, entry,
					    "uplink-vni: not a VID:VNI entry");
			return ERR_PTR(-EINVAL);
		}
		count++;
	}
	if (!count)
		return NULL;
	if (count > VMBR_VNI_MAP_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "uplink-vni: at most "
				   __stringify(VMBR_VNI_MAP_MAX) " VID:VNI pairs");
		return ERR_PTR(-E2BIG);
	}
	map = kvzalloc(struct_size(map, pairs, count), GFP_KERNEL);
	if (!map)
		return ERR_PTR(-ENOMEM);

	err = 0;
	nla_for_each_nested(entry, nest, rem) {
		struct vmbr_vni_pair *pair = &map->pairs[map->count];

		err = nla_parse_nested(tb, VMBR_VNI_A_MAX, entry,
				       vmbr_vni_policy, extack);
		if (err)
			goto fail;
		if (!tb[VMBR_VNI_A_VID] || !tb[VMBR_VNI_A_VNI]) {
			NL_SET_ERR_MSG_ATTR(extack, entry,
					    "uplink-vni: an entry needs a VLAN and a VNI");
			err = -EINVAL;
			goto fail;
		}
		pair->vid = nla_get_u16(tb[VMBR_VNI_A_VID]);
		pair->vni = nla_get_u32(tb[VMBR_VNI_A_VNI]);
		if (map->tx[pair->vid]) {
			vmbr_extack_fmt(extack, "uplink-vni: a VLAN given twice",
					"uplink-vni: VLAN %u given twice",
					pair->vid);
			err = -EINVAL;
			goto fail;
		}
		md = vmbr_tun_key_dst(key32_to_tunnel_id(cpu_to_be32(pair->vni)));
		if (!md) {
			err = -ENOMEM;
			goto fail;
		}
		/* For transmit, through the device's own FDB. */
		md->u.tun_info.mode |= IP_TUNNEL_INFO_TX | IP_TUNNEL_INFO_BRIDGE;
		map->tx[pair->vid] = md;
		set_bit(pair->vid, map->vlans.tagged);
		map->count++;
	}

	sort(map->pairs, map->count, sizeof(map->pairs[0]), vmbr_vni_cmp, NULL);
	for (i = 1; i < map->count; i++) {
		if (map->pairs[i].vni == map->pairs[i - 1].vni) {
			vmbr_extack_fmt(extack, "uplink-vni: a VNI used twice",
					"uplink-vni: VNI %u used twice",
					map->pairs[i].vni);
			err = -EINVAL;
			goto fail;
		}
	}
	return map;

fail:
	vmbr_vni_map_free(map);
	return ERR_PTR(err);
}

/*
 * May a vmbridge in @mode with @uplink and @uplink_vlans carry @map (not
 * NULL)?  Checked against the settings a request leaves, whichever of
 * them it changes.  RTNL.
 */
int vmbr_vni_map_check(const struct vmbr_vni_map *map, u8 mode,
		       struct net_device *uplink,
		       const struct vmbr_vlans *uplink_vlans,
		       struct netlink_ext_ack *extack)
{
	unsigned int i;

	if (mode != VMBR_MODE_BRIDGE) {
		NL_SET_ERR_MSG_MOD(extack,
				   "uplink-vni is for bridge mode (set uplink-vni none first)");
		return -EINVAL;
	}
	if (!uplink || !vmbr_tunnel_collects_metadata(uplink)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "uplink-vni needs a VXLAN or Geneve uplink in external mode");
		return -EINVAL;
	}
	for (i = 0; i < map->count; i++) {
		u16 vid = map->pairs[i].vid;

		if (!vmbr_vlan_member(uplink_vlans, vid)) {
			vmbr_extack_fmt(extack,
					"uplink-vni: a VLAN not in uplink-vlans",
					"uplink-vni: VLAN %u is not in uplink-vlans",
					vid);
			return -EINVAL;
		}
	}
	return 0;
}

/* Put @map in place of the vmbridge's (either may be NULL).  RTNL. */
void vmbr_set_vni_map(struct vmbr *vmbr, struct vmbr_vni_map *map)
{
	struct vmbr_vni_map *old = rtnl_dereference(vmbr->vni_map);

	rcu_assign_pointer(vmbr->vni_map, map);
	if (old)
		call_rcu(&old->rcu, vmbr_vni_map_free_rcu);
}

/*
 * With an uplink-vni map the vmbridge takes the tunnel's MTU (1450 over a
 * 1500 underlay), on the map's arrival and whenever the tunnel's changes,
 * so that the host's side and the guests' TAPs (vmbr-ifup gives them the
 * vmbridge's) send nothing the tunnel must drop.  An administrator may
 * set another after.  RTNL.
 */
void vmbr_tunnel_follow_mtu(struct vmbr *vmbr)
{
	struct vmbr_port *uplink = rtnl_dereference(vmbr->uplink);
	unsigned int mtu;
	int err;

	if (!uplink || !rtnl_dereference(vmbr->vni_map))
		return;
	mtu = READ_ONCE(uplink->dev->mtu);
	if (vmbr->dev->mtu == mtu)
		return;
	err = dev_set_mtu(vmbr->dev, mtu);
	if (err)
		netdev_warn(vmbr->dev, "cannot take the tunnel's MTU %u: %d\n",
			    mtu, err);
}

/* The room VMBR_A_UPLINK_VNIS takes in a message (@map may be NULL). */
size_t vmbr_vni_map_nlsize(const struct vmbr_vni_map *map)
{
	size_t entry = nla_total_size(nla_total_size(sizeof(u16)) +
				      nla_total_size(sizeof(u32)));

	return nla_total_size((map ? map->count : 0) * entry);
}

/* VMBR_A_UPLINK_VNIS, sorted by VLAN; an empty nest without a map. */
int vmbr_put_vni_map(struct sk_buff *skb, const struct vmbr_vni_map *map)
{
	struct nlattr *nest, *entry;
	unsigned int vid;

	nest = nla_nest_start(skb, VMBR_A_UPLINK_VNIS);
	if (!nest)
		return -EMSGSIZE;
	if (map) {
		for_each_set_bit(vid, map->vlans.tagged, VLAN_N_VID) {
			const struct ip_tunnel_info *info =
				&map->tx[vid]->u.tun_info;

			entry = nla_nest_start(skb, VMBR_VNI_A_ENTRY);
			if (!entry ||
			    nla_put_u16(skb, VMBR_VNI_A_VID, vid) ||
			    nla_put_u32(skb, VMBR_VNI_A_VNI,
					be32_to_cpu(tunnel_id_to_key32(info->key.tun_id))))
				goto cancel;
			nla_nest_end(skb, entry);
		}
	}
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/*
 * The VLAN (*@vidp) of a frame from the metadata tunnel: the one its VNI is
 * mapped to.  The tunnel's dst goes: past here the frame is the VLAN's.
 * Data path, RCU.
 */
enum vmbr_drop_reason vmbr_tunnel_ingress(const struct vmbr_vni_map *map,
					  struct sk_buff *skb, u16 *vidp)
{
	const struct ip_tunnel_info *info = skb_tunnel_info(skb);
	const struct vmbr_vni_pair *pair;
	struct vmbr_vni_pair key;

	if (unlikely(!info))
		return VMBR_DROP_VNI;
	/* Frames between hosts are untagged: their VLAN is the VNI. */
	if (unlikely(skb_vlan_tag_present(skb)))
		return VMBR_DROP_VLAN;
	key.vni = be32_to_cpu(tunnel_id_to_key32(info->key.tun_id));
	pair = bsearch(&key, map->pairs, map->count, sizeof(*pair),
		       vmbr_vni_cmp);
	if (!pair)
		return VMBR_DROP_VNI;
	skb_dst_drop(skb);
	*vidp = pair->vid;
	return VMBR_DROP_UNSPEC;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_tunnel_ingress);

/*
 * Dress a frame of VLAN @vid for the metadata tunnel: untagged, with the
 * tunnel id of its VLAN.  False if no reference to the dst could be had.
 * Data path, RCU; the VLAN is one the map carries (vmbr_vlan_egress()).
 */
bool vmbr_tunnel_egress(const struct vmbr_vni_map *map, struct sk_buff *skb,
			u16 vid)
{
	struct metadata_dst *md = map->tx[vid];

	__vlan_hwaccel_clear_tag(skb);
	skb_dst_drop(skb);
	if (unlikely(!md || !dst_hold_safe(&md->dst)))
		return false;
	skb_dst_set(skb, &md->dst);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_tunnel_egress);
