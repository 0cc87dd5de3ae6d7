// SPDX-License-Identifier: GPL-2.0
/*
 * Offline test of decode.c and output.c: messages built as the kernel
 * builds them (module/vmbr_netlink.c), decoded and printed in both
 * formats.  "make check" compares the output with decode.expected.
 * The first messages are those of a kernel without VLANs or guards: no
 * VLAN keys, no guard keys; then of one with guards but no lock-ip, and
 * of one with lock-ip; then of one with rate limits; then the NAT's
 * settings, counters, sessions, port forwards and limits.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/vmbridge.h>

#include "../decode.h"
#include "../ipaddr.h"
#include "../json.h"
#include "../mac.h"
#include "../nl.h"
#include "../output.h"
#include "../vlan.h"
#include "../vmbr.h"

static struct nlmsghdr *msg(union nl_req *req, uint8_t cmd)
{
	return vmbr_msg(req, cmd, 0);
}

static void put_stats(struct nlmsghdr *nlh, int type, uint64_t base)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	struct nlattr *drops;

	mnl_attr_put_u64(nlh, VMBR_STATS_A_RX_PACKETS, base + 10);
	mnl_attr_put_u64(nlh, VMBR_STATS_A_RX_BYTES, base + 840);
	mnl_attr_put_u64(nlh, VMBR_STATS_A_TX_PACKETS, base + 12);
	mnl_attr_put_u64(nlh, VMBR_STATS_A_TX_BYTES, base + 1008);
	mnl_attr_put_u64(nlh, VMBR_STATS_A_FDB_FULL, base ? 7 : 0);
	drops = mnl_attr_nest_start(nlh, VMBR_STATS_A_DROPS);
	if (base) {
		mnl_attr_put(nlh, VMBR_DROP_UNSPEC, 4, "pad");	/* padding */
		mnl_attr_put_u64(nlh, VMBR_DROP_MALFORMED, 0);
		mnl_attr_put_u64(nlh, VMBR_DROP_MTU, 1);
		mnl_attr_put_u64(nlh, VMBR_DROP_POLICY, 2);
		mnl_attr_put_u64(nlh, VMBR_DROP_VLAN, 3);
		mnl_attr_put_u64(nlh, 42, 5);			/* unknown */
	}
	mnl_attr_nest_end(nlh, drops);
	mnl_attr_nest_end(nlh, nest);
}

static void put_port(struct nlmsghdr *nlh, const char *name, uint8_t role,
		     bool stats)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, VMBR_A_PORT);

	mnl_attr_put_u32(nlh, VMBR_PORT_A_IFINDEX, 1);
	mnl_attr_put_strz(nlh, VMBR_PORT_A_IFNAME, name);
	mnl_attr_put_u8(nlh, VMBR_PORT_A_ROLE, role);
	mnl_attr_put_u32(nlh, VMBR_PORT_A_FDB_COUNT, 2);
	if (stats)
		put_stats(nlh, VMBR_PORT_A_STATS, 1000);
	mnl_attr_nest_end(nlh, nest);
}

/* A VLAN bitmap of @list ("" for none); @len bytes of it, one more at most. */
static void put_vlans(struct nlmsghdr *nlh, int type, const char *list,
		      size_t len)
{
	uint8_t map[VMBR_VLAN_BITMAP_LEN + 1] = { 0 };

	if (*list && parse_vidlist(list, map))
		printf("test error: bad VLAN list \"%s\"\n", list);
	mnl_attr_put(nlh, type, len, map);
}

/* A port with VLANs, as a kernel with VLANs sends it. */
static void put_vlan_port(struct nlmsghdr *nlh, const char *name,
			  uint16_t pvid, const char *vlans, size_t len)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, VMBR_A_PORT);

	mnl_attr_put_u32(nlh, VMBR_PORT_A_IFINDEX, 1);
	mnl_attr_put_strz(nlh, VMBR_PORT_A_IFNAME, name);
	mnl_attr_put_u8(nlh, VMBR_PORT_A_ROLE, VMBR_PORT_ROLE_GUEST);
	mnl_attr_put_u32(nlh, VMBR_PORT_A_FDB_COUNT, 0);
	mnl_attr_put_u16(nlh, VMBR_PORT_A_PVID, pvid);
	put_vlans(nlh, VMBR_PORT_A_VLANS, vlans, len);
	mnl_attr_nest_end(nlh, nest);
}

static void put_fdb(struct nlmsghdr *nlh, bool full, int maclen)
{
	static const uint8_t mac[] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };
	struct nlattr *nest = mnl_attr_nest_start(nlh, VMBR_A_FDB);

	mnl_attr_put(nlh, VMBR_FDB_A_MAC, maclen, mac);
	mnl_attr_put_u16(nlh, VMBR_FDB_A_VID, 1);
	mnl_attr_put_u32(nlh, VMBR_FDB_A_PORT_IFINDEX, 1);
	if (full) {
		mnl_attr_put(nlh, VMBR_FDB_A_STATIC, 0, NULL);
		mnl_attr_put_u32(nlh, VMBR_FDB_A_AGE, 12345);
	}
	mnl_attr_nest_end(nlh, nest);
}

static void put_vmbr(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, 1);
	mnl_attr_put_strz(nlh, VMBR_A_IFNAME, "vmbr0");
}

static void put_settings(struct nlmsghdr *nlh, uint8_t mode, uint32_t uplink)
{
	mnl_attr_put_u8(nlh, VMBR_A_MODE, mode);
	mnl_attr_put_u32(nlh, VMBR_A_UPLINK_IFINDEX, uplink);
	mnl_attr_put_u32(nlh, VMBR_A_AGEING, 300);
	mnl_attr_put_u32(nlh, VMBR_A_MAX_FDB, 16384);
	mnl_attr_put_u32(nlh, VMBR_A_FDB_COUNT, 3);
}

static void show(json_t *v, const struct vmbr_opts *o,
		 void (*print)(json_t *, const struct vmbr_opts *))
{
	struct out_list out = { .o = o, .print = print };

	if (!v) {
		printf("decode error: %s\n", strerror(errno));
		return;
	}
	out_list_add(&out, v);
	out_list_finish(&out, true);
	json_decref(v);
}

/* The vmbridge's own VLANs. */
static void put_vmbr_vlans(struct nlmsghdr *nlh, uint16_t host_pvid,
			   const char *host_vlans, uint16_t uplink_pvid,
			   const char *uplink_vlans)
{
	mnl_attr_put_u16(nlh, VMBR_A_HOST_PVID, host_pvid);
	put_vlans(nlh, VMBR_A_HOST_VLANS, host_vlans, VMBR_VLAN_BITMAP_LEN);
	mnl_attr_put_u16(nlh, VMBR_A_UPLINK_PVID, uplink_pvid);
	put_vlans(nlh, VMBR_A_UPLINK_VLANS, uplink_vlans,
		  VMBR_VLAN_BITMAP_LEN);
}

/* An uplink-vni map of @n pairs; an empty nest for none, as the kernel. */
static void put_vni_map(struct nlmsghdr *nlh, unsigned int n,
			const uint16_t *vids, const uint32_t *vnis)
{
	struct nlattr *nest, *entry;
	unsigned int i;

	nest = mnl_attr_nest_start(nlh, VMBR_A_UPLINK_VNIS);
	for (i = 0; i < n; i++) {
		entry = mnl_attr_nest_start(nlh, VMBR_VNI_A_ENTRY);
		mnl_attr_put_u16(nlh, VMBR_VNI_A_VID, vids[i]);
		mnl_attr_put_u32(nlh, VMBR_VNI_A_VNI, vnis[i]);
		mnl_attr_nest_end(nlh, entry);
	}
	mnl_attr_nest_end(nlh, nest);
}

/* Ports: access, trunk with and without native VLAN, in no VLAN. */
static const struct {
	const char *name;
	uint16_t pvid;
	const char *vlans;
} vlan_ports[] = {
	{ "access", 10, "" },
	{ "trunk", 1, "10,20,100-199" },
	{ "tagged", 0, "30,31" },
	{ "novlan", 0, "" },
};

/*
 * A vmbridge whose uplink is a trunk without a native VLAN and whose host
 * side has tagged VLANs too, and one with its defaults; with the ports
 * above.
 */
static void vlans(const struct vmbr_opts *o)
{
	union nl_req r1, r2, r3;
	struct nlmsghdr *vmbr, *port;
	unsigned int i;
	json_t *v;

	vmbr = msg(&r1, VMBR_CMD_GET);
	put_vmbr(vmbr);
	put_settings(vmbr, VMBR_MODE_BRIDGE, 1);
	put_vmbr_vlans(vmbr, 1, "100,200-202", 0, "10,20,100-199");
	put_vni_map(vmbr, 2, (const uint16_t[]){ 10, 20 },
		    (const uint32_t[]){ 1010, 16777215 });
	v = decode_vmbr(vmbr, false, NULL);
	for (i = 0; v && i < ARRAY_SIZE(vlan_ports); i++) {
		port = msg(&r2, VMBR_CMD_PORT_GET);
		put_vmbr(port);
		put_vlan_port(port, vlan_ports[i].name, vlan_ports[i].pvid,
			      vlan_ports[i].vlans, VMBR_VLAN_BITMAP_LEN);
		jpush(json_object_get(v, "ports"),
		      decode_port_msg(port, false, NULL));
	}
	show(v, o, print_vmbr);

	vmbr = msg(&r3, VMBR_CMD_GET);
	put_vmbr(vmbr);
	put_settings(vmbr, VMBR_MODE_HOSTONLY, 0);
	put_vmbr_vlans(vmbr, 1, "", 1, "");
	put_vni_map(vmbr, 0, NULL, NULL);
	show(decode_vmbr(vmbr, false, NULL), o, print_vmbr);

	port = msg(&r2, VMBR_CMD_PORT_GET);
	put_vmbr(port);
	put_vlan_port(port, "trunk", 1, "2-4094", VMBR_VLAN_BITMAP_LEN);
	show(decode_port_msg(port, false, NULL), o, print_port);
}

/*
 * Guards: a port with every guard on, one with none, from a kernel without
 * lock-ip; a port with every guard on, lock-ip too, and one with none,
 * from a kernel with lock-ip.
 */
static const struct guarded_port {
	const char *name;
	uint8_t isolated;
	const char *lock_mac;	/* "" for off */
	uint32_t max_macs;
	uint32_t bum_rate;
	const char *lock_ip;	/* "" for off, NULL: no attribute */
	uint64_t max_macs_hit;	/* stats */
	uint64_t lock_ip_drops;	/* stats */
} guarded_ports[] = {
	{ "guarded", 1, "52:54:00:12:34:56,52:54:00:AB:CD:EF", 2, 100, NULL,
	  4, 0 },
	{ "open", 0, "", 0, 0, NULL, 0, 0 },
	{ "iplocked", 1, "52:54:00:12:34:56", 1, 100,
	  "192.0.2.1,2001:DB8::1,::ffff:198.51.100.7,fe80::5054:ff:fe12:3456",
	  4, 6 },
	{ "ipopen", 0, "", 0, 0, "", 0, 0 },
};

/*
 * The counters of a kernel with guards: max-macs, the guards' drops, and
 * lock-ip's if @lock_ip_drops.
 */
static void put_guard_stats(struct nlmsghdr *nlh, int type,
			    uint64_t max_macs_hit, uint64_t lock_ip_drops)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	struct nlattr *drops;

	mnl_attr_put_u64(nlh, VMBR_STATS_A_RX_PACKETS, 10);
	mnl_attr_put_u64(nlh, VMBR_STATS_A_RX_BYTES, 840);
	mnl_attr_put_u64(nlh, VMBR_STATS_A_TX_PACKETS, 12);
	mnl_attr_put_u64(nlh, VMBR_STATS_A_TX_BYTES, 1008);
	mnl_attr_put_u64(nlh, VMBR_STATS_A_FDB_FULL, 0);
	mnl_attr_put_u64(nlh, VMBR_STATS_A_MAX_MACS, max_macs_hit);
	drops = mnl_attr_nest_start(nlh, VMBR_STATS_A_DROPS);
	if (max_macs_hit) {
		mnl_attr_put_u64(nlh, VMBR_DROP_ISOLATED, 1);
		mnl_attr_put_u64(nlh, VMBR_DROP_LOCKED_MAC, 3);
		mnl_attr_put_u64(nlh, VMBR_DROP_BUM_RATE, 5);
	}
	if (lock_ip_drops)
		mnl_attr_put_u64(nlh, VMBR_DROP_LOCKED_IP, lock_ip_drops);
	mnl_attr_nest_end(nlh, drops);
	mnl_attr_nest_end(nlh, nest);
}

/* A lock-mac list of @list ("" for off), @extra bytes too many. */
static void put_lock_mac(struct nlmsghdr *nlh, const char *list,
			 size_t extra)
{
	uint8_t macs[(VMBR_LOCK_MAC_MAX + 1) * MAC_LEN] = { 0 };
	unsigned int count = 0;

	if (*list && parse_mac_list("test", list, macs, VMBR_LOCK_MAC_MAX,
				    &count))
		printf("test error: bad MAC list \"%s\"\n", list);
	mnl_attr_put(nlh, VMBR_PORT_A_LOCK_MAC, count * MAC_LEN + extra, macs);
}

/* A lock-ip list of @list ("" for off), @extra bytes too many. */
static void put_lock_ip(struct nlmsghdr *nlh, const char *list, size_t extra)
{
	uint8_t addrs[(VMBR_LOCK_IP_MAX + 1) * IP_LEN] = { 0 };
	unsigned int count = 0;

	if (*list && parse_ip_list("test", list, addrs, VMBR_LOCK_IP_MAX,
				   &count))
		printf("test error: bad IP list \"%s\"\n", list);
	mnl_attr_put(nlh, VMBR_PORT_A_LOCK_IP, count * IP_LEN + extra, addrs);
}

/*
 * A port as a kernel with VLANs and guards sends it, with lock-ip if it
 * has lock-ip.
 */
static void put_guarded_port(struct nlmsghdr *nlh,
			     const struct guarded_port *g, bool stats)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, VMBR_A_PORT);

	mnl_attr_put_u32(nlh, VMBR_PORT_A_IFINDEX, 1);
	mnl_attr_put_strz(nlh, VMBR_PORT_A_IFNAME, g->name);
	mnl_attr_put_u8(nlh, VMBR_PORT_A_ROLE, VMBR_PORT_ROLE_GUEST);
	mnl_attr_put_u32(nlh, VMBR_PORT_A_FDB_COUNT, g->max_macs);
	mnl_attr_put_u16(nlh, VMBR_PORT_A_PVID, g->isolated ? 10 : 1);
	put_vlans(nlh, VMBR_PORT_A_VLANS, "", VMBR_VLAN_BITMAP_LEN);
	mnl_attr_put_u8(nlh, VMBR_PORT_A_ISOLATED, g->isolated);
	put_lock_mac(nlh, g->lock_mac, 0);
	mnl_attr_put_u32(nlh, VMBR_PORT_A_MAX_MACS, g->max_macs);
	mnl_attr_put_u32(nlh, VMBR_PORT_A_BUM_RATE, g->bum_rate);
	if (g->lock_ip)
		put_lock_ip(nlh, g->lock_ip, 0);
	if (stats)
		put_guard_stats(nlh, VMBR_PORT_A_STATS, g->max_macs_hit,
				g->lock_ip_drops);
	mnl_attr_nest_end(nlh, nest);
}

/* A vmbridge of a kernel with guards, with the ports above. */
static void guards(const struct vmbr_opts *o)
{
	struct nlmsghdr *vmbr, *port;
	union nl_req r1, r2;
	unsigned int i;
	json_t *v;

	vmbr = msg(&r1, VMBR_CMD_GET);
	put_vmbr(vmbr);
	put_settings(vmbr, VMBR_MODE_BRIDGE, 1);
	put_vmbr_vlans(vmbr, 1, "", 1, "");
	put_guard_stats(vmbr, VMBR_A_STATS, 4, 6);
	v = decode_vmbr(vmbr, o->stats, NULL);
	for (i = 0; v && i < ARRAY_SIZE(guarded_ports); i++) {
		port = msg(&r2, VMBR_CMD_PORT_GET);
		put_vmbr(port);
		put_guarded_port(port, &guarded_ports[i], o->stats);
		jpush(json_object_get(v, "ports"),
		      decode_port_msg(port, o->stats, NULL));
	}
	show(v, o, print_vmbr);
	for (i = 0; i < ARRAY_SIZE(guarded_ports); i++) {
		port = msg(&r2, VMBR_CMD_PORT_GET);
		put_vmbr(port);
		put_guarded_port(port, &guarded_ports[i], o->stats);
		show(decode_port_msg(port, o->stats, NULL), o, print_port);
	}
}

/*
 * Bandwidth: ports with rate-in and rate-out, with only rate-out (whose
 * qdisc somebody took off), with rates and bursts that fit no unit, and
 * with none (empty nests).
 */
static const struct rated_port {
	const char *name;
	uint64_t in_bytes_ps;	/* 0: an empty nest */
	uint32_t in_burst;
	uint64_t out_bytes_ps;
	uint32_t out_burst;
	int qdisc;		/* "rate_out_qdisc", as show sets it; -1: none */
} rated_ports[] = {
	{ "limited", 2500000, 65536, 125000000, 2500000, 1 },
	{ "noqdisc", 0, 0, 2500000, 65536, 0 },
	{ "odd", 187, 1500, 125000000000ULL, 1073741824, -1 },
	{ "unlimited", 0, 0, 0, 0, -1 },
};

static void put_rate(struct nlmsghdr *nlh, int type, uint64_t bytes_ps,
		     uint32_t burst)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	if (bytes_ps) {
		mnl_attr_put_u64(nlh, VMBR_RATE_A_BYTES_PS, bytes_ps);
		mnl_attr_put_u32(nlh, VMBR_RATE_A_BURST, burst);
	}
	mnl_attr_nest_end(nlh, nest);
}

/* A port as a kernel with rate limits sends it, drops over rate-in too. */
static void put_rated_port(struct nlmsghdr *nlh, const struct rated_port *r,
			   bool stats)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, VMBR_A_PORT);
	struct nlattr *st, *drops;

	mnl_attr_put_u32(nlh, VMBR_PORT_A_IFINDEX, 1);
	mnl_attr_put_strz(nlh, VMBR_PORT_A_IFNAME, r->name);
	mnl_attr_put_u8(nlh, VMBR_PORT_A_ROLE, VMBR_PORT_ROLE_GUEST);
	mnl_attr_put_u32(nlh, VMBR_PORT_A_FDB_COUNT, 1);
	mnl_attr_put_u16(nlh, VMBR_PORT_A_PVID, 1);
	put_vlans(nlh, VMBR_PORT_A_VLANS, "", VMBR_VLAN_BITMAP_LEN);
	mnl_attr_put_u8(nlh, VMBR_PORT_A_ISOLATED, 0);
	put_lock_mac(nlh, "", 0);
	mnl_attr_put_u32(nlh, VMBR_PORT_A_MAX_MACS, 0);
	mnl_attr_put_u32(nlh, VMBR_PORT_A_BUM_RATE, 0);
	put_lock_ip(nlh, "", 0);
	put_rate(nlh, VMBR_PORT_A_RATE_IN, r->in_bytes_ps, r->in_burst);
	put_rate(nlh, VMBR_PORT_A_RATE_OUT, r->out_bytes_ps, r->out_burst);
	if (stats) {
		st = mnl_attr_nest_start(nlh, VMBR_PORT_A_STATS);
		mnl_attr_put_u64(nlh, VMBR_STATS_A_RX_PACKETS, 10);
		mnl_attr_put_u64(nlh, VMBR_STATS_A_RX_BYTES, 840);
		mnl_attr_put_u64(nlh, VMBR_STATS_A_TX_PACKETS, 12);
		mnl_attr_put_u64(nlh, VMBR_STATS_A_TX_BYTES, 1008);
		mnl_attr_put_u64(nlh, VMBR_STATS_A_FDB_FULL, 0);
		mnl_attr_put_u64(nlh, VMBR_STATS_A_MAX_MACS, 0);
		drops = mnl_attr_nest_start(nlh, VMBR_STATS_A_DROPS);
		if (r->in_bytes_ps)
			mnl_attr_put_u64(nlh, VMBR_DROP_RATE, 7);
		mnl_attr_nest_end(nlh, drops);
		mnl_attr_nest_end(nlh, st);
	}
	mnl_attr_nest_end(nlh, nest);
}

/* The ports above, as vmbr port show prints them. */
static void rates(const struct vmbr_opts *o)
{
	struct nlmsghdr *port;
	union nl_req req;
	unsigned int i;
	json_t *v;

	for (i = 0; i < ARRAY_SIZE(rated_ports); i++) {
		port = msg(&req, VMBR_CMD_PORT_GET);
		put_vmbr(port);
		put_rated_port(port, &rated_ports[i], o->stats);
		v = decode_port_msg(port, o->stats, NULL);
		if (v && rated_ports[i].qdisc >= 0)
			jset(v, "rate_out_qdisc",
			     json_boolean(rated_ports[i].qdisc));
		show(v, o, print_port);
	}
}

/* NAT. */

static void put_be32(struct nlmsghdr *nlh, int type, const char *addr)
{
	struct in_addr in = { .s_addr = 0 };

	if (*addr && inet_pton(AF_INET, addr, &in) != 1)
		printf("test error: bad address \"%s\"\n", addr);
	mnl_attr_put(nlh, type, sizeof(in.s_addr), &in.s_addr);
}

/* The NAT counters; with @base, some drops, padding and an unknown one. */
static void put_nat_stats(struct nlmsghdr *nlh, uint64_t base)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, VMBR_NAT_A_STATS);
	struct nlattr *drops;

	mnl_attr_put_u64(nlh, VMBR_NAT_STATS_A_OUT_PACKETS, base + 10);
	mnl_attr_put_u64(nlh, VMBR_NAT_STATS_A_OUT_BYTES, base + 840);
	mnl_attr_put_u64(nlh, VMBR_NAT_STATS_A_IN_PACKETS, base + 12);
	mnl_attr_put_u64(nlh, VMBR_NAT_STATS_A_IN_BYTES, base + 1008);
	mnl_attr_put_u64(nlh, VMBR_NAT_STATS_A_HAIRPIN, base ? 2 : 0);
	mnl_attr_put_u64(nlh, VMBR_NAT_STATS_A_ICMP_ERRORS, base ? 3 : 0);
	mnl_attr_put_u64(nlh, VMBR_NAT_STATS_A_SESSIONS_CREATED, base + 5);
	mnl_attr_put_u64(nlh, VMBR_NAT_STATS_A_SESSIONS_EXPIRED, base + 4);
	mnl_attr_put_u64(nlh, VMBR_NAT_STATS_A_SENT_TIME_EXCEEDED,
			 base ? 6 : 0);
	mnl_attr_put_u64(nlh, VMBR_NAT_STATS_A_SENT_FRAG_NEEDED,
			 base ? 7 : 0);
	drops = mnl_attr_nest_start(nlh, VMBR_NAT_STATS_A_DROPS);
	if (base) {
		mnl_attr_put(nlh, VMBR_NAT_DROP_UNSPEC, 4, "pad");
		mnl_attr_put_u64(nlh, VMBR_NAT_DROP_MALFORMED, 0);
		mnl_attr_put_u64(nlh, VMBR_NAT_DROP_FILTERED, 8);
		mnl_attr_put_u64(nlh, VMBR_NAT_DROP_TABLE_FULL, 9);
		mnl_attr_put_u64(nlh, VMBR_NAT_DROP_GUEST_FULL, 10);
		mnl_attr_put_u64(nlh, VMBR_NAT_DROP_NO_PORT, 11);
		mnl_attr_put_u64(nlh, VMBR_NAT_DROP_TTL, 12);
		mnl_attr_put_u64(nlh, 99, 13);			/* unknown */
	}
	mnl_attr_nest_end(nlh, drops);
	mnl_attr_nest_end(nlh, nest);
}

/* VMBR_CMD_NAT_GET's answer: the defaults, @sessions of them in use. */
static void put_nat(struct nlmsghdr *nlh, const char *addr,
		    uint32_t sessions, bool stats, uint64_t base)
{
	struct nlattr *nest;

	put_vmbr(nlh);
	nest = mnl_attr_nest_start(nlh, VMBR_A_NAT);
	mnl_attr_put_u16(nlh, VMBR_NAT_A_PORT_MIN, VMBR_NAT_PORT_MIN_DEFAULT);
	mnl_attr_put_u16(nlh, VMBR_NAT_A_PORT_MAX, VMBR_NAT_PORT_MAX_DEFAULT);
	mnl_attr_put_u32(nlh, VMBR_NAT_A_MAX_SESSIONS, 65536);
	mnl_attr_put_u32(nlh, VMBR_NAT_A_MAX_SESSIONS_PER_GUEST, 4096);
	mnl_attr_put_u32(nlh, VMBR_NAT_A_TIMEOUT_UDP,
			 VMBR_NAT_TIMEOUT_UDP_DEFAULT);
	mnl_attr_put_u32(nlh, VMBR_NAT_A_TIMEOUT_TCP_EST,
			 VMBR_NAT_TIMEOUT_TCP_EST_DEFAULT);
	mnl_attr_put_u32(nlh, VMBR_NAT_A_TIMEOUT_TCP_TRANS,
			 VMBR_NAT_TIMEOUT_TCP_TRANS_DEFAULT);
	mnl_attr_put_u32(nlh, VMBR_NAT_A_TIMEOUT_ICMP,
			 VMBR_NAT_TIMEOUT_ICMP_DEFAULT);
	mnl_attr_put_u8(nlh, VMBR_NAT_A_FILTERING,
			sessions ? VMBR_NAT_FILTER_ENDPOINT_INDEPENDENT :
				   VMBR_NAT_FILTER_ADDRESS_PORT_DEPENDENT);
	put_be32(nlh, VMBR_NAT_A_ADDRESS, addr);
	mnl_attr_put_u32(nlh, VMBR_NAT_A_SESSIONS, sessions);
	mnl_attr_put_u32(nlh, VMBR_NAT_A_MAPPINGS, sessions ? sessions - 1 : 0);
	mnl_attr_put_u32(nlh, 999, 1);			/* from a newer kernel */
	if (stats)
		put_nat_stats(nlh, base);
	mnl_attr_nest_end(nlh, nest);
}

static const struct nat_session {
	uint8_t proto;
	const char *int_addr;
	uint16_t int_port;
	const char *rem_addr;
	uint16_t rem_port;
	uint16_t ext_port;
	int tcp_state;		/* -1: no attribute */
	uint32_t expires;
	bool forward;
} nat_sessions[] = {
	{ IPPROTO_TCP, "192.168.100.10", 40000, "198.51.100.1", 5201, 61000,
	  VMBR_NAT_TCP_ESTABLISHED, 7439123, false },
	{ IPPROTO_TCP, "192.168.100.10", 80, "203.0.113.9", 51234, 8080,
	  VMBR_NAT_TCP_ESTABLISHED, 7440000, true },
	{ IPPROTO_TCP, "192.168.100.11", 40001, "198.51.100.1", 443, 61001,
	  VMBR_NAT_TCP_SYN, 239999, false },
	{ IPPROTO_TCP, "192.168.100.11", 40002, "198.51.100.1", 443, 61002,
	  VMBR_NAT_TCP_CLOSING, 999, false },
	{ IPPROTO_UDP, "192.168.100.10", 5353, "198.51.100.53", 53, 61003,
	  VMBR_NAT_TCP_NONE, 300000, false },
	{ IPPROTO_ICMP, "192.168.100.12", 1234, "198.51.100.1", 0, 61004,
	  -1, 59000, false },
	{ IPPROTO_TCP, "192.168.100.13", 1, "198.51.100.1", 2, 3, 7, 0,
	  false },					/* unknown state */
	{ 47, "192.168.100.14", 0, "198.51.100.1", 0, 0, -1, 1000,
	  false },					/* unknown proto */
};

static void put_nat_session(struct nlmsghdr *nlh,
			    const struct nat_session *n, uint64_t packets)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, VMBR_A_NAT_SESSION);

	mnl_attr_put_u8(nlh, VMBR_NAT_SESSION_A_PROTO, n->proto);
	put_be32(nlh, VMBR_NAT_SESSION_A_INT_ADDR, n->int_addr);
	mnl_attr_put_u16(nlh, VMBR_NAT_SESSION_A_INT_PORT, n->int_port);
	put_be32(nlh, VMBR_NAT_SESSION_A_EXT_ADDR, "198.51.100.2");
	mnl_attr_put_u16(nlh, VMBR_NAT_SESSION_A_EXT_PORT, n->ext_port);
	put_be32(nlh, VMBR_NAT_SESSION_A_REM_ADDR, n->rem_addr);
	mnl_attr_put_u16(nlh, VMBR_NAT_SESSION_A_REM_PORT, n->rem_port);
	if (n->tcp_state >= 0)
		mnl_attr_put_u8(nlh, VMBR_NAT_SESSION_A_TCP_STATE,
				n->tcp_state);
	mnl_attr_put_u32(nlh, VMBR_NAT_SESSION_A_EXPIRES, n->expires);
	if (n->forward)
		mnl_attr_put(nlh, VMBR_NAT_SESSION_A_FORWARD, 0, NULL);
	mnl_attr_put_u64(nlh, VMBR_NAT_SESSION_A_PACKETS_OUT, packets + 1);
	mnl_attr_put_u64(nlh, VMBR_NAT_SESSION_A_PACKETS_IN, packets);
	mnl_attr_nest_end(nlh, nest);
}

static void put_nat_fwd(struct nlmsghdr *nlh, uint8_t proto,
			uint16_t ext_port, const char *int_addr,
			uint16_t int_port)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, VMBR_A_NAT_FWD);

	mnl_attr_put_u8(nlh, VMBR_NAT_FWD_A_PROTO, proto);
	mnl_attr_put_u16(nlh, VMBR_NAT_FWD_A_EXT_PORT, ext_port);
	put_be32(nlh, VMBR_NAT_FWD_A_INT_ADDR, int_addr);
	if (int_port)
		mnl_attr_put_u16(nlh, VMBR_NAT_FWD_A_INT_PORT, int_port);
	mnl_attr_nest_end(nlh, nest);
}

/*
 * vmbr nat show: the settings, then @count sessions, as cmd_nat_show()
 * prints them.
 */
static void nat_show(const struct vmbr_opts *o, const char *addr,
		     unsigned int count, bool stats_nest)
{
	struct out_list out = { .o = o, .print = print_nat_session };
	struct nlmsghdr *nlh;
	union nl_req req;
	unsigned int i;
	json_t *nat, *v;

	nlh = msg(&req, VMBR_CMD_NAT_GET);
	put_nat(nlh, addr, count, stats_nest, count ? 1000 : 0);
	nat = decode_nat_msg(nlh, o->stats, NULL);
	if (!nat) {
		printf("decode error: %s\n", strerror(errno));
		return;
	}
	out_list_start_in(&out, nat, "session_list", print_nat);
	json_decref(nat);
	for (i = 0; i < count; i++) {
		nlh = msg(&req, VMBR_CMD_NAT_SESSION_GET);
		put_vmbr(nlh);
		put_nat_session(nlh, &nat_sessions[i], 1000 * i);
		v = decode_nat_session_msg(nlh);
		if (!v) {
			printf("decode error: %s\n", strerror(errno));
			continue;
		}
		out_list_add(&out, v);
		json_decref(v);
	}
	out_list_finish(&out, true);
}

/* vmbr nat forward show */
static void nat_fwd_show(const struct vmbr_opts *o)
{
	struct out_list out = { .o = o, .print = print_nat_fwd };
	struct nlmsghdr *nlh;
	union nl_req req;
	json_t *v;

	nlh = msg(&req, VMBR_CMD_NAT_FWD_GET);
	put_vmbr(nlh);
	put_nat_fwd(nlh, IPPROTO_TCP, 8080, "192.168.100.10", 80);
	v = decode_nat_fwd_msg(nlh);
	out_list_add(&out, v);
	json_decref(v);
	nlh = msg(&req, VMBR_CMD_NAT_FWD_GET);
	put_vmbr(nlh);
	put_nat_fwd(nlh, IPPROTO_UDP, 5353, "192.168.100.11", 0);
	v = decode_nat_fwd_msg(nlh);
	out_list_add(&out, v);
	json_decref(v);
	out_list_finish(&out, true);

	/* None. */
	out.count = 0;
	out_list_finish(&out, true);
}

/* Messages a kernel must not send: each a decode error. */
static void nat_malformed(void)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	union nl_req req;
	json_t *v;

	/* No VMBR_A_NAT nest. */
	nlh = msg(&req, VMBR_CMD_NAT_GET);
	put_vmbr(nlh);
	v = decode_nat_msg(nlh, false, NULL);
	printf("no nat: %s\n", v ? "decoded" : strerror(errno));
	json_decref(v);

	/* A 3-byte address. */
	nlh = msg(&req, VMBR_CMD_NAT_GET);
	put_vmbr(nlh);
	nest = mnl_attr_nest_start(nlh, VMBR_A_NAT);
	mnl_attr_put(nlh, VMBR_NAT_A_ADDRESS, 3, "abc");
	mnl_attr_nest_end(nlh, nest);
	v = decode_nat_msg(nlh, false, NULL);
	printf("short address: %s\n", v ? "decoded" : strerror(errno));
	json_decref(v);

	/* A drop counter that is not a u64, read only with -s. */
	nlh = msg(&req, VMBR_CMD_NAT_GET);
	put_vmbr(nlh);
	nest = mnl_attr_nest_start(nlh, VMBR_A_NAT);
	{
		struct nlattr *stats, *drops;

		stats = mnl_attr_nest_start(nlh, VMBR_NAT_A_STATS);
		drops = mnl_attr_nest_start(nlh, VMBR_NAT_STATS_A_DROPS);
		mnl_attr_put_u32(nlh, VMBR_NAT_DROP_FILTERED, 1);
		mnl_attr_nest_end(nlh, drops);
		mnl_attr_nest_end(nlh, stats);
	}
	mnl_attr_nest_end(nlh, nest);
	v = decode_nat_msg(nlh, false, NULL);
	printf("u32 drop: %s", v ? "decoded" : strerror(errno));
	json_decref(v);
	v = decode_nat_msg(nlh, true, NULL);
	printf(", with stats: %s\n", v ? "decoded" : strerror(errno));
	json_decref(v);

	/* A session without its protocol. */
	nlh = msg(&req, VMBR_CMD_NAT_SESSION_GET);
	put_vmbr(nlh);
	nest = mnl_attr_nest_start(nlh, VMBR_A_NAT_SESSION);
	put_be32(nlh, VMBR_NAT_SESSION_A_INT_ADDR, "192.168.100.10");
	mnl_attr_nest_end(nlh, nest);
	v = decode_nat_session_msg(nlh);
	printf("no proto: %s\n", v ? "decoded" : strerror(errno));
	json_decref(v);

	/* A session whose port is a u32. */
	nlh = msg(&req, VMBR_CMD_NAT_SESSION_GET);
	put_vmbr(nlh);
	nest = mnl_attr_nest_start(nlh, VMBR_A_NAT_SESSION);
	mnl_attr_put_u8(nlh, VMBR_NAT_SESSION_A_PROTO, IPPROTO_UDP);
	mnl_attr_put_u32(nlh, VMBR_NAT_SESSION_A_EXT_PORT, 61000);
	mnl_attr_nest_end(nlh, nest);
	v = decode_nat_session_msg(nlh);
	printf("u32 port: %s\n", v ? "decoded" : strerror(errno));
	json_decref(v);

	/* A session message with a forward's nest. */
	nlh = msg(&req, VMBR_CMD_NAT_SESSION_GET);
	put_vmbr(nlh);
	put_nat_fwd(nlh, IPPROTO_TCP, 8080, "192.168.100.10", 80);
	v = decode_nat_session_msg(nlh);
	printf("no session: %s\n", v ? "decoded" : strerror(errno));
	json_decref(v);

	/* A forward without its external port. */
	nlh = msg(&req, VMBR_CMD_NAT_FWD_GET);
	put_vmbr(nlh);
	nest = mnl_attr_nest_start(nlh, VMBR_A_NAT_FWD);
	mnl_attr_put_u8(nlh, VMBR_NAT_FWD_A_PROTO, IPPROTO_TCP);
	put_be32(nlh, VMBR_NAT_FWD_A_INT_ADDR, "192.168.100.10");
	mnl_attr_nest_end(nlh, nest);
	v = decode_nat_fwd_msg(nlh);
	printf("no ext_port: %s\n", v ? "decoded" : strerror(errno));
	json_decref(v);
}

static void event(json_t *v, bool json)
{
	if (!v) {
		printf("decode error: %s\n", strerror(errno));
		return;
	}
	if (json)
		out_json_line(v);
	else
		print_event(v);
	json_decref(v);
}

int main(void)
{
	static const uint8_t events[] = {
		VMBR_CMD_PORT_ADD, VMBR_CMD_PORT_SET, VMBR_CMD_PORT_DEL,
		VMBR_CMD_FDB_ADD, VMBR_CMD_FDB_DEL, VMBR_CMD_LIMIT, 77,
	};
	struct vmbr_opts opts[] = {
		{ .json = false }, { .stats = true },
		{ .json = true }, { .json = true, .stats = true },
	};
	static const struct {
		uint8_t cmd;
		uint8_t limit;
		const struct guarded_port *port;
	} guard_events[] = {
		{ VMBR_CMD_PORT_ADD, 0, &guarded_ports[0] },
		{ VMBR_CMD_PORT_SET, 0, &guarded_ports[1] },
		{ VMBR_CMD_LIMIT, VMBR_LIMIT_PORT_MACS, &guarded_ports[0] },
		{ VMBR_CMD_LIMIT, VMBR_LIMIT_LOCKED_MAC, &guarded_ports[0] },
		{ VMBR_CMD_LIMIT, 9, &guarded_ports[1] },
		{ VMBR_CMD_PORT_ADD, 0, &guarded_ports[2] },
		{ VMBR_CMD_PORT_SET, 0, &guarded_ports[3] },
		{ VMBR_CMD_LIMIT, VMBR_LIMIT_LOCKED_IP, &guarded_ports[2] },
	};
	static const struct {
		uint8_t limit;
		const struct guarded_port *port;	/* may be NULL */
	} nat_limits[] = {
		{ VMBR_LIMIT_NAT_SESSIONS, NULL },
		{ VMBR_LIMIT_NAT_GUEST_SESSIONS, &guarded_ports[1] },
		{ VMBR_LIMIT_NAT_PORTS, NULL },
		{ VMBR_LIMIT_NAT_PORTS, &guarded_ports[1] },
	};
	struct nlmsghdr *vmbr, *port, *fdb, *bad, *ev;
	union nl_req r1, r2, r3, r4, r5;
	struct nlattr *nest;
	unsigned int i, j;

	vmbr = msg(&r1, VMBR_CMD_GET);
	put_vmbr(vmbr);
	put_settings(vmbr, VMBR_MODE_BRIDGE, 1);
	mnl_attr_put_u32(vmbr, 999, 1);		/* from a newer kernel */
	put_stats(vmbr, VMBR_A_STATS, 0);

	port = msg(&r2, VMBR_CMD_PORT_GET);
	put_vmbr(port);
	put_port(port, "tap0", VMBR_PORT_ROLE_GUEST, true);

	fdb = msg(&r3, VMBR_CMD_FDB_GET);
	put_vmbr(fdb);
	put_fdb(fdb, true, 6);

	bad = msg(&r4, VMBR_CMD_FDB_GET);
	put_vmbr(bad);
	put_fdb(bad, true, 5);

	for (i = 0; i < ARRAY_SIZE(opts); i++) {
		json_t *v;

		printf("== json %d stats %d\n", opts[i].json, opts[i].stats);
		v = decode_vmbr(vmbr, opts[i].stats, NULL);
		if (v) {
			jpush(json_object_get(v, "ports"),
			      decode_port_msg(port, opts[i].stats, NULL));
			jpush(json_object_get(v, "ports"),
			      decode_port_msg(port, opts[i].stats, NULL));
		}
		show(v, &opts[i], print_vmbr);
		show(decode_port_msg(port, opts[i].stats, NULL), &opts[i],
		     print_port);
		show(decode_fdb_msg(fdb, NULL), &opts[i], print_fdb);
	}
	for (i = 0; i < ARRAY_SIZE(opts); i += 2) {
		printf("== vlans json %d\n", opts[i].json);
		vlans(&opts[i]);
	}
	for (i = 0; i < ARRAY_SIZE(opts); i++) {
		printf("== guards json %d stats %d\n", opts[i].json,
		       opts[i].stats);
		guards(&opts[i]);
	}
	for (i = 0; i < ARRAY_SIZE(opts); i++) {
		printf("== rates json %d stats %d\n", opts[i].json,
		       opts[i].stats);
		rates(&opts[i]);
	}
	printf("== malformed\n");
	show(decode_fdb_msg(bad, NULL), &opts[0], print_fdb);
	show(decode_port_msg(fdb, false, NULL), &opts[0], print_port);
	bad = msg(&r4, VMBR_CMD_PORT_GET);
	put_vmbr(bad);
	put_vlan_port(bad, "short", 1, "10", VMBR_VLAN_BITMAP_LEN - 1);
	show(decode_port_msg(bad, false, NULL), &opts[0], print_port);
	bad = msg(&r4, VMBR_CMD_GET);
	put_vmbr(bad);
	put_vlans(bad, VMBR_A_UPLINK_VLANS, "10", VMBR_VLAN_BITMAP_LEN + 1);
	show(decode_vmbr(bad, false, NULL), &opts[0], print_vmbr);
	bad = msg(&r4, VMBR_CMD_PORT_GET);
	put_vmbr(bad);
	nest = mnl_attr_nest_start(bad, VMBR_A_PORT);
	mnl_attr_put_u32(bad, VMBR_PORT_A_IFINDEX, 1);
	put_lock_mac(bad, "52:54:00:12:34:56", 1);	/* 7 bytes */
	mnl_attr_nest_end(bad, nest);
	show(decode_port_msg(bad, false, NULL), &opts[0], print_port);
	bad = msg(&r4, VMBR_CMD_PORT_GET);
	put_vmbr(bad);
	nest = mnl_attr_nest_start(bad, VMBR_A_PORT);
	mnl_attr_put_u32(bad, VMBR_PORT_A_IFINDEX, 1);
	put_lock_ip(bad, "192.0.2.1", 1);		/* 17 bytes */
	mnl_attr_nest_end(bad, nest);
	show(decode_port_msg(bad, false, NULL), &opts[0], print_port);
	bad = msg(&r4, VMBR_CMD_PORT_GET);
	put_vmbr(bad);
	nest = mnl_attr_nest_start(bad, VMBR_A_PORT);
	mnl_attr_put_u32(bad, VMBR_PORT_A_IFINDEX, 1);
	{
		struct nlattr *rate;

		rate = mnl_attr_nest_start(bad, VMBR_PORT_A_RATE_IN);
		mnl_attr_put_u32(bad, VMBR_RATE_A_BYTES_PS, 2500000);
		mnl_attr_nest_end(bad, rate);
	}
	mnl_attr_nest_end(bad, nest);
	show(decode_port_msg(bad, false, NULL), &opts[0], print_port);

	for (j = 0; j < 2; j++) {
		printf("== events json %u\n", j);
		for (i = 0; i < ARRAY_SIZE(events); i++) {
			ev = msg(&r5, events[i]);
			put_vmbr(ev);
			if (events[i] == VMBR_CMD_LIMIT)
				mnl_attr_put_u8(ev, VMBR_A_LIMIT,
						VMBR_LIMIT_FDB);
			if (events[i] == VMBR_CMD_FDB_ADD ||
			    events[i] == VMBR_CMD_FDB_DEL)
				put_fdb(ev, false, 6);
			else if (events[i] == VMBR_CMD_PORT_SET)
				put_vlan_port(ev, "tap1", 1, "10,20",
					      VMBR_VLAN_BITMAP_LEN);
			else if (events[i] != 77)
				put_port(ev, "tap0", VMBR_PORT_ROLE_UPLINK,
					 false);
			event(decode_event(ev, NULL), j);
		}
	}
	for (j = 0; j < 2; j++) {
		printf("== guard events json %u\n", j);
		for (i = 0; i < ARRAY_SIZE(guard_events); i++) {
			ev = msg(&r5, guard_events[i].cmd);
			put_vmbr(ev);
			if (guard_events[i].cmd == VMBR_CMD_LIMIT)
				mnl_attr_put_u8(ev, VMBR_A_LIMIT,
						guard_events[i].limit);
			put_guarded_port(ev, guard_events[i].port, false);
			event(decode_event(ev, NULL), j);
		}
	}

	for (i = 0; i < ARRAY_SIZE(opts); i++) {
		printf("== nat json %d stats %d\n", opts[i].json,
		       opts[i].stats);
		nat_show(&opts[i], "198.51.100.2", ARRAY_SIZE(nat_sessions),
			 true);
		/* No uplink address, no session, no counters sent. */
		nat_show(&opts[i], "0.0.0.0", 0, false);
		/* No uplink address, no session, counters all 0. */
		nat_show(&opts[i], "", 0, true);
		nat_fwd_show(&opts[i]);
	}
	printf("== nat malformed\n");
	nat_malformed();
	for (j = 0; j < 2; j++) {
		printf("== rate events json %u\n", j);
		for (i = 0; i < ARRAY_SIZE(rated_ports); i++) {
			ev = msg(&r5, VMBR_CMD_PORT_SET);
			put_vmbr(ev);
			put_rated_port(ev, &rated_ports[i], false);
			event(decode_event(ev, NULL), j);
		}
	}
	for (j = 0; j < 2; j++) {
		printf("== nat limits json %u\n", j);
		for (i = 0; i < ARRAY_SIZE(nat_limits); i++) {
			ev = msg(&r5, VMBR_CMD_LIMIT);
			put_vmbr(ev);
			mnl_attr_put_u8(ev, VMBR_A_LIMIT, nat_limits[i].limit);
			if (nat_limits[i].port)
				put_guarded_port(ev, nat_limits[i].port,
						 false);
			event(decode_event(ev, NULL), j);
		}
	}
	return 0;
}
