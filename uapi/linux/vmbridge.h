/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * vmbridge: generic netlink interface.
 *
 * The only definition of the family's commands, attributes and enums; the
 * kernel module and the vmbr tool both include this file.
 *
 * Family "vmbridge", version 1, multicast group "events".
 *
 * Every request names its vmbridge with VMBR_A_IFINDEX or VMBR_A_IFNAME.
 * Requests that change anything need CAP_NET_ADMIN in the vmbridge's network
 * namespace; requests that read do not.
 *
 * VMBR_CMD_GET      doit: one vmbridge; dump: every vmbridge of the netns.
 * VMBR_CMD_SET      change mode, uplink, ageing, max-fdb, the uplink's and
 *                   the host's VLANs.  All or nothing.
 * VMBR_CMD_PORT_GET doit: one port (VMBR_A_PORT nest with its ifindex);
 *                   dump: every port of the vmbridge, the uplink included.
 * VMBR_CMD_PORT_ADD attach a device as a guest port (with its VLANs).
 * VMBR_CMD_PORT_SET change a port's options (VLANs, guards).
 * VMBR_CMD_PORT_DEL detach a guest port.
 * VMBR_CMD_FDB_GET  dump the forwarding database (consistent: NLM_F_DUMP_INTR
 *                   is set if it changed during the dump).
 * VMBR_CMD_FDB_ADD  add or replace a static entry.
 * VMBR_CMD_FDB_DEL  delete an entry.
 * VMBR_CMD_FDB_FLUSH delete learned entries (of one port if VMBR_A_PORT).
 * VMBR_CMD_NAT_GET  doit: the NAT settings, the uplink address in use, the
 *                   session count and the NAT counters (VMBR_A_NAT nest).
 * VMBR_CMD_NAT_SET  change NAT settings (VMBR_A_NAT nest).  All or nothing.
 * VMBR_CMD_NAT_SESSION_GET dump: the live translation sessions, one
 *                   VMBR_A_NAT_SESSION nest each (consistent: NLM_F_DUMP_INTR
 *                   is set if the table changed during the dump).
 * VMBR_CMD_NAT_FLUSH delete every session (port forwards stay).
 * VMBR_CMD_NAT_FWD_GET dump: the port forwards, one VMBR_A_NAT_FWD each.
 * VMBR_CMD_NAT_FWD_ADD add a port forward (VMBR_A_NAT_FWD: proto, external
 *                   port, guest address, guest port).
 * VMBR_CMD_NAT_FWD_DEL delete the port forward of (proto, external port).
 *
 * Events on the "events" group reuse the command numbers:
 * VMBR_CMD_PORT_ADD / VMBR_CMD_PORT_DEL when a port joins or leaves,
 * VMBR_CMD_PORT_SET when a port's VLANs change,
 * VMBR_CMD_FDB_ADD / VMBR_CMD_FDB_DEL when a MAC is learned, moves or ages
 * out, and VMBR_CMD_LIMIT when a bounded table refuses an entry or a
 * guard stops a frame (at most one a second per vmbridge and kind), the NAT
 * session table included.
 */
#ifndef _UAPI_LINUX_VMBRIDGE_H
#define _UAPI_LINUX_VMBRIDGE_H

#define VMBR_GENL_NAME		"vmbridge"
#define VMBR_GENL_VERSION	1
#define VMBR_MCGRP_EVENTS	"events"

enum vmbr_cmd {
	VMBR_CMD_UNSPEC,
	VMBR_CMD_GET,
	VMBR_CMD_SET,
	VMBR_CMD_PORT_GET,
	VMBR_CMD_PORT_ADD,
	VMBR_CMD_PORT_SET,
	VMBR_CMD_PORT_DEL,
	VMBR_CMD_FDB_GET,
	VMBR_CMD_FDB_ADD,
	VMBR_CMD_FDB_DEL,
	VMBR_CMD_FDB_FLUSH,
	VMBR_CMD_LIMIT,		/* event only */
	VMBR_CMD_NAT_GET,
	VMBR_CMD_NAT_SET,
	VMBR_CMD_NAT_SESSION_GET,
	VMBR_CMD_NAT_FLUSH,
	VMBR_CMD_NAT_FWD_GET,
	VMBR_CMD_NAT_FWD_ADD,
	VMBR_CMD_NAT_FWD_DEL,

	__VMBR_CMD_MAX,
	VMBR_CMD_MAX = __VMBR_CMD_MAX - 1
};

/* The classic VM networking modes. */
enum vmbr_mode {
	VMBR_MODE_HOSTONLY,	/* guests <-> guests, host */
	VMBR_MODE_BRIDGE,	/* guests <-> guests, host, uplink's LAN */
	VMBR_MODE_NAT,		/* guests <-> guests, host; masqueraded out */
	VMBR_MODE_PRIVATE,	/* guests <-> guests only */

	__VMBR_MODE_MAX,
	VMBR_MODE_MAX = __VMBR_MODE_MAX - 1
};

enum vmbr_port_role {
	VMBR_PORT_ROLE_GUEST,
	VMBR_PORT_ROLE_UPLINK,

	__VMBR_PORT_ROLE_MAX,
	VMBR_PORT_ROLE_MAX = __VMBR_PORT_ROLE_MAX - 1
};

/* Top-level attributes. */
enum vmbr_attr {
	VMBR_A_UNSPEC,
	VMBR_A_PAD,
	VMBR_A_IFINDEX,		/* u32: the vmbridge device */
	VMBR_A_IFNAME,		/* string */
	VMBR_A_MODE,		/* u8: enum vmbr_mode */
	VMBR_A_UPLINK_IFINDEX,	/* u32: 0 = no uplink */
	VMBR_A_AGEING,		/* u32: FDB ageing time, seconds */
	VMBR_A_MAX_FDB,		/* u32: FDB bound (entries) */
	VMBR_A_FDB_COUNT,	/* u32: entries in the FDB now (read only) */
	VMBR_A_STATS,		/* nest: enum vmbr_stats_attr (read only) */
	VMBR_A_PORT,		/* nest: enum vmbr_port_attr */
	VMBR_A_FDB,		/* nest: enum vmbr_fdb_attr */
	VMBR_A_LIMIT,		/* u8: enum vmbr_limit (VMBR_CMD_LIMIT event) */
	VMBR_A_UPLINK_PVID,	/* u16: the uplink's native VLAN, 0 = none */
	VMBR_A_UPLINK_VLANS,	/* binary: VLAN bitmap, tagged on the uplink */
	VMBR_A_HOST_PVID,	/* u16: the VLAN vmbr0 itself sits in */
	VMBR_A_HOST_VLANS,	/* binary: VLAN bitmap, tagged to the host
				 * (for 8021q devices on top of vmbr0)
				 */
	VMBR_A_NAT,		/* nest: enum vmbr_nat_attr */
	VMBR_A_NAT_SESSION,	/* nest: enum vmbr_nat_session_attr */
	VMBR_A_NAT_FWD,		/* nest: enum vmbr_nat_fwd_attr */
	VMBR_A_UPLINK_VNIS,	/* nest: VMBR_A_VNI_MAP entries, the VLANs
				 * carried as tunnel ids on a collect-metadata
				 * (VXLAN/Geneve "external") uplink; empty =
				 * none
				 */

	__VMBR_A_MAX,
	VMBR_A_MAX = __VMBR_A_MAX - 1
};

enum vmbr_port_attr {
	VMBR_PORT_A_UNSPEC,
	VMBR_PORT_A_PAD,
	VMBR_PORT_A_IFINDEX,	/* u32 */
	VMBR_PORT_A_IFNAME,	/* string (read only) */
	VMBR_PORT_A_ROLE,	/* u8: enum vmbr_port_role (read only) */
	VMBR_PORT_A_FDB_COUNT,	/* u32: MACs learned on this port (read only) */
	VMBR_PORT_A_STATS,	/* nest: enum vmbr_stats_attr (read only) */
	VMBR_PORT_A_PVID,	/* u16: VLAN of untagged frames, 0 = none */
	VMBR_PORT_A_VLANS,	/* binary: VLAN bitmap, carried tagged */
	VMBR_PORT_A_ISOLATED,	/* u8: 1 = no traffic to other isolated ports */
	VMBR_PORT_A_LOCK_MAC,	/* binary: the source MACs allowed, 6 bytes
				 * each, at most VMBR_LOCK_MAC_MAX; empty = off
				 */
	VMBR_PORT_A_MAX_MACS,	/* u32: MACs the port may have learned, 0 = no
				 * bound but the vmbridge's
				 */
	VMBR_PORT_A_BUM_RATE,	/* u32: broadcast, unknown unicast and
				 * multicast frames a second, 0 = no limit
				 */
	VMBR_PORT_A_LOCK_IP,	/* binary: the IPv4 and IPv6 addresses the
				 * port may use, 16 bytes each (IPv4 as
				 * ::ffff:a.b.c.d), at most VMBR_LOCK_IP_MAX;
				 * empty = off
				 */
	VMBR_PORT_A_LOCKS_HIDDEN, /* flag (read only): the port has lock-mac
				   * or lock-ip lists, left out of the answer
				   * as the reader lacks CAP_NET_ADMIN
				   */
	VMBR_PORT_A_RATE_IN,	/* nest: enum vmbr_rate_attr, the limit on
				 * what the guest sends, policed by the
				 * vmbridge; empty = no limit
				 */
	VMBR_PORT_A_RATE_OUT,	/* nest: enum vmbr_rate_attr, the limit on
				 * what the guest receives, shaped by the
				 * port device's root qdisc (see
				 * VMBR_RATE_OUT_HANDLE); empty = no limit
				 */

	__VMBR_PORT_A_MAX,
	VMBR_PORT_A_MAX = __VMBR_PORT_A_MAX - 1
};

/*
 * A port's rate limit.  Dumps give the burst in use: the one asked for, or
 * the default (VMBR_RATE_BURST_DEFAULT_NS of the rate, at least
 * VMBR_RATE_BURST_DEFAULT_MIN bytes and one frame of the port's MTU).
 */
enum vmbr_rate_attr {
	VMBR_RATE_A_UNSPEC,
	VMBR_RATE_A_PAD,
	VMBR_RATE_A_BYTES_PS,	/* u64: bytes a second, 1..VMBR_RATE_MAX */
	VMBR_RATE_A_BURST,	/* u32: bytes that may pass at once; absent
				 * or 0 = the default
				 */

	__VMBR_RATE_A_MAX,
	VMBR_RATE_A_MAX = __VMBR_RATE_A_MAX - 1
};

/* Inside VMBR_A_UPLINK_VNIS: each entry is a VMBR_VNI_A_ENTRY nest. */
enum vmbr_vni_attr {
	VMBR_VNI_A_UNSPEC,
	VMBR_VNI_A_ENTRY,	/* nest: VMBR_VNI_A_VID and VMBR_VNI_A_VNI */
	VMBR_VNI_A_VID,		/* u16: 1..4094, a VLAN of uplink-vlans */
	VMBR_VNI_A_VNI,		/* u32: 1..VMBR_VNI_MAX, the tunnel id */

	__VMBR_VNI_A_MAX,
	VMBR_VNI_A_MAX = __VMBR_VNI_A_MAX - 1
};

#define VMBR_VNI_MAX	0xffffff	/* 24 bits, as VXLAN and Geneve */
/* VID:VNI pairs of one vmbridge: a reply must fit a dump's message. */
#define VMBR_VNI_MAP_MAX	256

enum vmbr_fdb_attr {
	VMBR_FDB_A_UNSPEC,
	VMBR_FDB_A_PAD,
	VMBR_FDB_A_MAC,		/* binary, 6 bytes */
	VMBR_FDB_A_VID,		/* u16: 1..4094; default 1 */
	VMBR_FDB_A_PORT_IFINDEX, /* u32: where the MAC lives */
	VMBR_FDB_A_STATIC,	/* flag: configured, never aged or moved */
	VMBR_FDB_A_AGE,		/* u32: ms since last seen (read only) */

	__VMBR_FDB_A_MAX,
	VMBR_FDB_A_MAX = __VMBR_FDB_A_MAX - 1
};

enum vmbr_stats_attr {
	VMBR_STATS_A_UNSPEC,
	VMBR_STATS_A_PAD,
	VMBR_STATS_A_RX_PACKETS,	/* u64: frames received from the port */
	VMBR_STATS_A_RX_BYTES,		/* u64 */
	VMBR_STATS_A_TX_PACKETS,	/* u64: frames sent out of the port */
	VMBR_STATS_A_TX_BYTES,		/* u64 */
	VMBR_STATS_A_DROPS,		/* nest: u64 per enum vmbr_drop_reason */
	VMBR_STATS_A_FDB_FULL,		/* u64: MACs not learned, FDB full */
	VMBR_STATS_A_MAX_MACS,		/* u64: MACs not learned, port's
					 * max-macs reached
					 */
	VMBR_STATS_A_NOT_SWITCHED,	/* u64: the uplink's frames the
					 * vmbridge refused (VLAN policy,
					 * malformed for it), left to the
					 * host's stack on that device
					 */

	__VMBR_STATS_A_MAX,
	VMBR_STATS_A_MAX = __VMBR_STATS_A_MAX - 1
};

/*
 * Why a frame was dropped.  Inside VMBR_STATS_A_DROPS each reason is an
 * attribute of its own, its type the reason's value, carrying a u64.
 */
enum vmbr_drop_reason {
	VMBR_DROP_UNSPEC,
	VMBR_DROP_MALFORMED,	/* header truncated or inconsistent */
	VMBR_DROP_BAD_SRC_MAC,	/* multicast or all-zero source MAC */
	VMBR_DROP_MTU,		/* larger than the egress port's MTU */
	VMBR_DROP_POLICY,	/* the mode forbids this path */
	VMBR_DROP_SAME_PORT,	/* destination is the port it came from */
	VMBR_DROP_NOMEM,	/* no memory to copy a flooded frame */
	VMBR_DROP_PORT_DOWN,	/* egress port not running */
	VMBR_DROP_VLAN,		/* not in a VLAN of the port: a tagged frame
				 * on an access port or with a VLAN the port
				 * does not carry, an untagged frame on a
				 * trunk without a native VLAN, a frame with
				 * a second tag (behind a priority or an
				 * outer tag), or a frame to a port outside
				 * its VLAN
				 */
	VMBR_DROP_ISOLATED,	/* between two isolated ports */
	VMBR_DROP_LOCKED_MAC,	/* source MAC not in the port's lock-mac */
	VMBR_DROP_BUM_RATE,	/* over the port's bum-rate */
	VMBR_DROP_LOCKED_IP,	/* lock-ip: a source address, ARP sender or
				 * neighbour advertisement not the port's, or
				 * a router advertisement or redirect
				 */
	VMBR_DROP_RATE,		/* over the port's rate-in */
	VMBR_DROP_VNI,		/* from a metadata tunnel uplink: no tunnel
				 * id, or one no VLAN is mapped to
				 */

	__VMBR_DROP_MAX,
	VMBR_DROP_MAX = __VMBR_DROP_MAX - 1
};

/*
 * NAT mode.  Guests live on the subnet of vmbr0's IPv4 address, their
 * gateway; what they send through it to a destination routed via the uplink
 * leaves masqueraded to the uplink's IPv4 address.  Mapping is
 * endpoint-independent (RFC 4787, RFC 5382): one external port per guest
 * address, protocol and port (for ICMP echo, identifier), whatever the
 * destination.  Inbound filtering is one of enum vmbr_nat_filtering.
 * Addresses are IPv4 in network byte order, ports in host byte order.
 */
enum vmbr_nat_attr {
	VMBR_NAT_A_UNSPEC,
	VMBR_NAT_A_PAD,
	VMBR_NAT_A_PORT_MIN,	/* u16: external ports used, low end */
	VMBR_NAT_A_PORT_MAX,	/* u16: high end; the host's ephemeral port
				 * range (ip_local_port_range) and its
				 * reserved ports are always skipped
				 */
	VMBR_NAT_A_MAX_SESSIONS,	/* u32: session bound, whole vmbridge */
	VMBR_NAT_A_MAX_SESSIONS_PER_GUEST, /* u32: bound per guest port */
	VMBR_NAT_A_TIMEOUT_UDP,	/* u32: seconds */
	VMBR_NAT_A_TIMEOUT_TCP_EST,	/* u32: seconds, established */
	VMBR_NAT_A_TIMEOUT_TCP_TRANS,	/* u32: seconds, opening or closing */
	VMBR_NAT_A_TIMEOUT_ICMP,	/* u32: seconds */
	VMBR_NAT_A_FILTERING,	/* u8: enum vmbr_nat_filtering */
	VMBR_NAT_A_ADDRESS,	/* be32: the uplink address in use, 0 = none
				 * (read only)
				 */
	VMBR_NAT_A_SESSIONS,	/* u32: sessions now (read only) */
	VMBR_NAT_A_MAPPINGS,	/* u32: external ports in use (read only) */
	VMBR_NAT_A_STATS,	/* nest: enum vmbr_nat_stats_attr (read only) */

	__VMBR_NAT_A_MAX,
	VMBR_NAT_A_MAX = __VMBR_NAT_A_MAX - 1
};

/* Which unsolicited inbound packets reach a guest through its mapping. */
enum vmbr_nat_filtering {
	VMBR_NAT_FILTER_ENDPOINT_INDEPENDENT,	/* from anyone */
	VMBR_NAT_FILTER_ADDRESS_DEPENDENT,	/* from addresses it sent to */
	VMBR_NAT_FILTER_ADDRESS_PORT_DEPENDENT,	/* from address and port it
						 * sent to
						 */

	__VMBR_NAT_FILTER_MAX,
	VMBR_NAT_FILTER_MAX = __VMBR_NAT_FILTER_MAX - 1
};

enum vmbr_nat_session_attr {
	VMBR_NAT_SESSION_A_UNSPEC,
	VMBR_NAT_SESSION_A_PAD,
	VMBR_NAT_SESSION_A_PROTO,	/* u8: IPPROTO_TCP, _UDP or _ICMP */
	VMBR_NAT_SESSION_A_INT_ADDR,	/* be32: the guest's address */
	VMBR_NAT_SESSION_A_INT_PORT,	/* u16: its port (ICMP: identifier) */
	VMBR_NAT_SESSION_A_EXT_ADDR,	/* be32: the uplink address */
	VMBR_NAT_SESSION_A_EXT_PORT,	/* u16: the port outside */
	VMBR_NAT_SESSION_A_REM_ADDR,	/* be32: the remote end */
	VMBR_NAT_SESSION_A_REM_PORT,	/* u16 (ICMP: 0) */
	VMBR_NAT_SESSION_A_TCP_STATE,	/* u8: enum vmbr_nat_tcp_state */
	VMBR_NAT_SESSION_A_EXPIRES,	/* u32: ms until it expires if idle */
	VMBR_NAT_SESSION_A_FORWARD,	/* flag: through a port forward */
	VMBR_NAT_SESSION_A_PACKETS_OUT,	/* u64: guest to remote */
	VMBR_NAT_SESSION_A_PACKETS_IN,	/* u64: remote to guest */

	__VMBR_NAT_SESSION_A_MAX,
	VMBR_NAT_SESSION_A_MAX = __VMBR_NAT_SESSION_A_MAX - 1
};

enum vmbr_nat_tcp_state {
	VMBR_NAT_TCP_NONE,		/* not TCP */
	VMBR_NAT_TCP_SYN,		/* opening: a SYN seen */
	VMBR_NAT_TCP_ESTABLISHED,	/* a SYN seen each way */
	VMBR_NAT_TCP_CLOSING,		/* a FIN or RST seen */

	__VMBR_NAT_TCP_MAX,
	VMBR_NAT_TCP_MAX = __VMBR_NAT_TCP_MAX - 1
};

enum vmbr_nat_fwd_attr {
	VMBR_NAT_FWD_A_UNSPEC,
	VMBR_NAT_FWD_A_PAD,
	VMBR_NAT_FWD_A_PROTO,		/* u8: IPPROTO_TCP or IPPROTO_UDP */
	VMBR_NAT_FWD_A_EXT_PORT,	/* u16: port on the uplink address */
	VMBR_NAT_FWD_A_INT_ADDR,	/* be32: the guest */
	VMBR_NAT_FWD_A_INT_PORT,	/* u16: the guest's port; default: the
					 * external port
					 */

	__VMBR_NAT_FWD_A_MAX,
	VMBR_NAT_FWD_A_MAX = __VMBR_NAT_FWD_A_MAX - 1
};

enum vmbr_nat_stats_attr {
	VMBR_NAT_STATS_A_UNSPEC,
	VMBR_NAT_STATS_A_PAD,
	VMBR_NAT_STATS_A_OUT_PACKETS,	/* u64: translated guest -> outside */
	VMBR_NAT_STATS_A_OUT_BYTES,	/* u64 */
	VMBR_NAT_STATS_A_IN_PACKETS,	/* u64: translated outside -> guest */
	VMBR_NAT_STATS_A_IN_BYTES,	/* u64 */
	VMBR_NAT_STATS_A_HAIRPIN,	/* u64: guest -> uplink address -> guest */
	VMBR_NAT_STATS_A_ICMP_ERRORS,	/* u64: ICMP errors translated */
	VMBR_NAT_STATS_A_SESSIONS_CREATED, /* u64 */
	VMBR_NAT_STATS_A_SESSIONS_EXPIRED, /* u64 */
	VMBR_NAT_STATS_A_SENT_TIME_EXCEEDED, /* u64: ICMP from the gateway */
	VMBR_NAT_STATS_A_SENT_FRAG_NEEDED, /* u64: ICMP from the gateway */
	VMBR_NAT_STATS_A_DROPS,		/* nest: u64 per enum
					 * vmbr_nat_drop_reason
					 */

	__VMBR_NAT_STATS_A_MAX,
	VMBR_NAT_STATS_A_MAX = __VMBR_NAT_STATS_A_MAX - 1
};

/* Why the NAT dropped a packet; nested like enum vmbr_drop_reason. */
enum vmbr_nat_drop_reason {
	VMBR_NAT_DROP_UNSPEC,
	VMBR_NAT_DROP_MALFORMED,	/* IPv4 or transport header bad */
	VMBR_NAT_DROP_UNSUPPORTED,	/* protocol not TCP, UDP or ICMP echo */
	VMBR_NAT_DROP_FILTERED,		/* unsolicited, refused by filtering */
	VMBR_NAT_DROP_NO_ADDRESS,	/* the uplink has no IPv4 address */
	VMBR_NAT_DROP_NO_ROUTE,		/* no route or neighbour outside */
	VMBR_NAT_DROP_TTL,		/* TTL ran out (time exceeded sent) */
	VMBR_NAT_DROP_MTU,		/* too big with DF (frag needed sent) */
	VMBR_NAT_DROP_TABLE_FULL,	/* max-sessions reached */
	VMBR_NAT_DROP_GUEST_FULL,	/* max-sessions-per-guest reached */
	VMBR_NAT_DROP_NO_PORT,		/* no free external port */
	VMBR_NAT_DROP_NOMEM,
	VMBR_NAT_DROP_NO_SESSION,	/* an ICMP error or non-SYN TCP segment
					 * that opens nothing
					 */

	__VMBR_NAT_DROP_MAX,
	VMBR_NAT_DROP_MAX = __VMBR_NAT_DROP_MAX - 1
};

#define VMBR_NAT_PORT_MIN_DEFAULT	1024
#define VMBR_NAT_PORT_MAX_DEFAULT	65535
#define VMBR_NAT_TIMEOUT_UDP_DEFAULT	300	/* RFC 4787: at least 120 */
#define VMBR_NAT_TIMEOUT_TCP_EST_DEFAULT 7440	/* RFC 5382: at least 7440 */
#define VMBR_NAT_TIMEOUT_TCP_TRANS_DEFAULT 240	/* RFC 5382: at least 240 */
#define VMBR_NAT_TIMEOUT_ICMP_DEFAULT	60	/* RFC 5508: at least 60 */
#define VMBR_NAT_TIMEOUT_MAX		1000000
#define VMBR_NAT_MAX_SESSIONS_MAX	(1U << 22)

/* VMBR_CMD_LIMIT event: which bound refused an entry. */
enum vmbr_limit {
	VMBR_LIMIT_FDB,		/* VMBR_A_MAX_FDB reached */
	VMBR_LIMIT_PORT_MACS,	/* a port's VMBR_PORT_A_MAX_MACS reached */
	VMBR_LIMIT_LOCKED_MAC,	/* a port sent from a MAC not in lock-mac */
	VMBR_LIMIT_LOCKED_IP,	/* a port's IP traffic broke its lock-ip */
	VMBR_LIMIT_NAT_SESSIONS,	/* VMBR_NAT_A_MAX_SESSIONS reached */
	VMBR_LIMIT_NAT_GUEST_SESSIONS,	/* a guest's max-sessions-per-guest */
	VMBR_LIMIT_NAT_PORTS,		/* no free external port */

	__VMBR_LIMIT_MAX,
	VMBR_LIMIT_MAX = __VMBR_LIMIT_MAX - 1
};

#define VMBR_AGEING_DEFAULT	300	/* seconds, as the Linux bridge */
#define VMBR_AGEING_MIN		1
#define VMBR_AGEING_MAX		1000000
#define VMBR_MAX_FDB_DEFAULT	16384
#define VMBR_MAX_FDB_MAX	(1U << 20)
#define VMBR_DEFAULT_VID	1

/*
 * 802.1Q.  Every port (the uplink and the host's side, vmbr0, included) has
 * a PVID, the VLAN of the untagged frames it sends and receives (0: none,
 * untagged frames are dropped), and a set of VLANs it carries tagged.  An
 * access port ("vlan 10") has PVID 10 and no tagged VLANs; a trunk
 * ("trunk 10,20 native 1") has PVID 1 and tagged VLANs 10 and 20.
 *
 * A set of VLANs travels as a bitmap of VMBR_VLAN_BITMAP_LEN bytes: VLAN v
 * is bit (v % 8) of byte (v / 8).  Bits 0 and 4095 must be clear.
 */
#define VMBR_VID_MIN		1
#define VMBR_VID_MAX		4094
#define VMBR_VLAN_BITMAP_LEN	(4096 / 8)

/* Guards: at most this many MACs in a port's lock-mac list. */
#define VMBR_LOCK_MAC_MAX	64
#define VMBR_BUM_RATE_MAX	10000000	/* frames a second */
#define VMBR_LOCK_IP_MAX	64

/*
 * Bandwidth: at most 1 Tbit/s; a burst of at most 1 GiB, by default 20 ms
 * of the rate and at least 64 KiB (a GSO super-packet).  rate-out's qdisc
 * is the port device's root, a tbf with handle VMBR_RATE_OUT_HANDLE
 * ("7662:", "vb") over an fq_codel; the vmbridge takes it off when the
 * limit or the port goes.
 */
#define VMBR_RATE_MAX			125000000000ULL	/* bytes a second */
#define VMBR_RATE_BURST_MAX		(1U << 30)
#define VMBR_RATE_BURST_DEFAULT_NS	20000000ULL
#define VMBR_RATE_BURST_DEFAULT_MIN	65536U
#define VMBR_RATE_OUT_HANDLE		0x76620000U

#endif /* _UAPI_LINUX_VMBRIDGE_H */
