/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The differences between the kernels vmbridge supports (Debian's 6.1 and
 * 6.12), named by feature.  No other file tests a kernel version.
 */
#ifndef _VMBR_COMPAT_H
#define _VMBR_COMPAT_H

#include <linux/version.h>
#include <linux/netdevice.h>
#include <net/dst_metadata.h>
#include <net/genetlink.h>

/* 6.5 moved the GSO helpers out of skbuff.h. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#include <net/gso.h>
#endif

/* 6.2 split the ops that pre_doit and post_doit are given. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define vmbr_genl_op		genl_split_ops
#else
#define vmbr_genl_op		genl_ops
#endif

/* 6.2 put a struct genl_info into the dump context. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define vmbr_dump_attrs(cb)	(genl_dumpit_info(cb)->info.attrs)
#else
#define vmbr_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

/*
 * 6.3 can format extack messages (into a buffer inside the extack); before,
 * a message must be a string constant, so every call names a fixed
 * fallback that says the same without the names.
 */
#ifdef NL_SET_ERR_MSG_FMT_MOD
#define vmbr_extack_fmt(extack, fixed, fmt, args...) \
	NL_SET_ERR_MSG_FMT_MOD(extack, fmt, ##args)
#else
#define vmbr_extack_fmt(extack, fixed, fmt, args...) \
	NL_SET_ERR_MSG_MOD(extack, fixed)
#endif

/* 6.11 turned NETIF_F_LLTX into a device flag of its own. */
#ifdef NETIF_F_LLTX
#define vmbr_set_lltx(dev)	((dev)->features |= NETIF_F_LLTX)
#else
#define vmbr_set_lltx(dev)	((dev)->lltx = true)
#endif

/*
 * A device that never changes namespace: a feature bit until Debian's 6.12
 * made it a device flag of its own (upstream's netns_immutable).
 */
#ifdef NETIF_F_NETNS_LOCAL
#define vmbr_set_netns_local(dev)	((dev)->features |= NETIF_F_NETNS_LOCAL)
#else
#define vmbr_set_netns_local(dev)	((dev)->netns_immutable = true)
#endif

/* 6.8 gave an invalid source MAC a drop reason of its own. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define VMBR_SKB_DROP_BAD_SRC	SKB_DROP_REASON_MAC_INVALID_SOURCE
#else
#define VMBR_SKB_DROP_BAD_SRC	SKB_DROP_REASON_NOT_SPECIFIED
#endif

/* 6.10 gave a VNI nothing is configured for a drop reason of its own. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define VMBR_SKB_DROP_VNI	SKB_DROP_REASON_VXLAN_VNI_NOT_FOUND
#else
#define VMBR_SKB_DROP_VNI	SKB_DROP_REASON_NOT_SPECIFIED
#endif

/*
 * A tunnel metadata dst for transmit with only a key (tunnel id) set, as
 * the bridge's vlan_tunnel makes: 6.10 turned the tunnel flags into a
 * bitmap.
 */
#ifdef IP_TUNNEL_DECLARE_FLAGS
static inline struct metadata_dst *vmbr_tun_key_dst(__be64 tunnel_id)
{
	IP_TUNNEL_DECLARE_FLAGS(flags) = { };

	__set_bit(IP_TUNNEL_KEY_BIT, flags);
	return __ip_tun_set_dst(0, 0, 0, 0, 0, flags, tunnel_id, 0);
}
#else
static inline struct metadata_dst *vmbr_tun_key_dst(__be64 tunnel_id)
{
	return __ip_tun_set_dst(0, 0, 0, 0, 0, TUNNEL_KEY, tunnel_id, 0);
}
#endif

/* 6.2 gave each namespace a UDP hash table of its own (or the shared one). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define vmbr_udp_table(net)	((net)->ipv4.udp_table)
#else
#define vmbr_udp_table(net)	(&udp_table)
#endif

/* Exports for the KUnit suites (6.2+); without KUnit, nothing is exported. */
#if IS_ENABLED(CONFIG_KUNIT) && LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#include <kunit/visibility.h>
#else
#define EXPORT_SYMBOL_IF_KUNIT(symbol)
#endif

#endif /* _VMBR_COMPAT_H */
