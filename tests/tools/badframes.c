// SPDX-License-Identifier: GPL-2.0
/*
 * badframes: a corpus of malformed Ethernet frames, sent over AF_PACKET as
 * a hostile guest (or a hostile LAN) would: truncated and inconsistent
 * Ethernet, 802.1Q, IPv4, IPv6, ARP, TCP, UDP and ICMP headers, runts,
 * jumbo frames, bad source MACs, and a few valid frames as controls.
 *
 * usage: badframes IFACE DST-MAC SRC-MAC [CASE]
 *        badframes -l
 *   With no CASE every case is sent once, in the order of -l.  One line per
 *   case on stdout: "CASE-NAME LEN sent|failed" (LEN: the frame's length,
 *   Ethernet header included, no FCS).  A frame the socket refuses (a runt
 *   shorter than an Ethernet header: AF_PACKET wants dev->min_header_len,
 *   14 bytes on Ethernet) is "failed", with the reason on stderr.
 *   -l lists the case names, one a line.
 *
 * Every case is one frame built byte by byte; DST-MAC and SRC-MAC are
 * used unless the case is about them (src-*: the source; ctl-arp-request:
 * broadcast).  IP addresses are documentation addresses: 192.0.2.10 ->
 * 192.0.2.2, 2001:db8::10 -> 2001:db8::2.  Tagged cases use VLAN 10.
 * Exit status: 0 when every requested case was tried, 2 on a usage error,
 * 1 when the socket could not be had.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define JUMBO_PAYLOAD	9000
#define FRAME_MAX	(ETH_HLEN + JUMBO_PAYLOAD + 64)
#define TEST_VID	10
#define PORT_SRC	40000
#define PORT_DST	9	/* discard */

struct ctx {
	const uint8_t *dst;
	const uint8_t *src;
};

static const uint8_t ip4_src[4] = { 192, 0, 2, 10 };
static const uint8_t ip4_dst[4] = { 192, 0, 2, 2 };
static const uint8_t ip6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x10 };
static const uint8_t ip6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x02 };
static const uint8_t mac_bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mac_mcast[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const uint8_t mac_zero[ETH_ALEN];

/* Byte helpers: everything on the wire is big-endian. */

static void put16(uint8_t *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static unsigned int fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static void fill(uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = 0xa0 + (i & 0x1f);
}

/* Layer 2. */

static size_t eth_addrs(uint8_t *f, const uint8_t *dst, const uint8_t *src,
			unsigned int type)
{
	memcpy(f, dst, ETH_ALEN);
	memcpy(f + ETH_ALEN, src, ETH_ALEN);
	put16(f + 12, type);
	return ETH_HLEN;
}

static size_t eth(uint8_t *f, const struct ctx *c, unsigned int type)
{
	return eth_addrs(f, c->dst, c->src, type);
}

/* An 802.1Q/802.1ad tag (TPID already written as the ethertype): TCI, type. */
static size_t tag(uint8_t *p, unsigned int tci, unsigned int type)
{
	put16(p, tci);
	put16(p + 2, type);
	return 4;
}

/* IPv4: a 20-byte header, its checksum over the @hlen bytes given. */

static void ip4_csum(uint8_t *ip, size_t hlen)
{
	put16(ip + 10, 0);
	put16(ip + 10, fold(sum16(0, ip, hlen)));
}

static size_t ip4(uint8_t *ip, unsigned int ihl, unsigned int tot_len,
		  unsigned int id, unsigned int frag, unsigned int proto)
{
	memset(ip, 0, 20);
	ip[0] = 0x40 | (ihl & 0xf);
	put16(ip + 2, tot_len);
	put16(ip + 4, id);
	put16(ip + 6, frag);
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, ip4_src, 4);
	memcpy(ip + 16, ip4_dst, 4);
	ip4_csum(ip, 20);
	return 20;
}

#define IP_MF		0x2000
#define IP_DF		0x4000

/* A UDP header (checksum 0: none, valid over IPv4) and @plen payload bytes. */
static size_t udp(uint8_t *p, unsigned int len_field, size_t plen)
{
	put16(p, PORT_SRC);
	put16(p + 2, PORT_DST);
	put16(p + 4, len_field);
	put16(p + 6, 0);
	fill(p + 8, plen);
	return 8 + plen;
}

/* A valid IPv4/UDP datagram of @plen payload bytes at @ip. */
static size_t ip4_udp(uint8_t *ip, size_t plen)
{
	size_t n = ip4(ip, 5, 28 + plen, 0x1001, IP_DF, IPPROTO_UDP);

	return n + udp(ip + n, 8 + plen, plen);
}

/*
 * A TCP header with data offset @doff, of which only @present bytes are in
 * the frame (a SYN; checksum left 0: these frames are broken anyway).
 */
static size_t tcp(uint8_t *p, unsigned int doff, size_t present)
{
	uint8_t h[60] = { 0 };

	put16(h, PORT_SRC);
	put16(h + 2, 80);
	put32(h + 4, 0x01020304);
	h[12] = (doff & 0xf) << 4;
	h[13] = 0x02;		/* SYN */
	put16(h + 14, 65535);
	memcpy(p, h, present);
	return present;
}

/* An ICMP message: type, code, 4 bytes, @inner; checksum over it all. */
static size_t icmp(uint8_t *p, unsigned int type, unsigned int code,
		   uint32_t rest, const uint8_t *inner, size_t inner_len)
{
	p[0] = type;
	p[1] = code;
	put16(p + 2, 0);
	put32(p + 4, rest);
	memcpy(p + 8, inner, inner_len);
	put16(p + 2, fold(sum16(0, p, 8 + inner_len)));
	return 8 + inner_len;
}

/* The IPv4 header of a datagram the receiver would have sent (TCP). */
static size_t inner_ip4(uint8_t *p, unsigned int ihl)
{
	size_t n = ip4(p, ihl, 60, 0x2002, IP_DF, IPPROTO_TCP);

	/* It went from 192.0.2.2 to 198.51.100.1. */
	memcpy(p + 12, ip4_dst, 4);
	p[16] = 198, p[17] = 51, p[18] = 100, p[19] = 1;
	ip4_csum(p, 20);
	return n;
}

/* IPv6. */

static size_t ip6(uint8_t *ip, unsigned int plen, unsigned int nexthdr)
{
	memset(ip, 0, 40);
	ip[0] = 0x60;
	put16(ip + 4, plen);
	ip[6] = nexthdr;
	ip[7] = 64;
	memcpy(ip + 8, ip6_src, 16);
	memcpy(ip + 24, ip6_dst, 16);
	return 40;
}

/* ICMPv6 checksum: the pseudo-header, then the message. */
static void icmp6_csum(uint8_t *ip, uint8_t *msg, size_t len)
{
	uint32_t sum = 0;
	uint8_t tail[8] = { 0 };

	put32(tail, len);
	tail[7] = IPPROTO_ICMPV6;
	sum = sum16(sum, ip + 8, 32);
	sum = sum16(sum, tail, 8);
	put16(msg + 2, 0);
	put16(msg + 2, fold(sum16(sum, msg, len)));
}

/* ARP, Ethernet/IPv4, the fixed header. */
static size_t arp_hdr(uint8_t *p, unsigned int hln, unsigned int pln,
		      unsigned int op)
{
	put16(p, 1);		/* ARPHRD_ETHER */
	put16(p + 2, ETH_P_IP);
	p[4] = hln;
	p[5] = pln;
	put16(p + 6, op);
	return 8;
}

/*
 * The cases.  Each builds its frame in @f and returns its length.
 */

/* Runts: shorter than an Ethernet header. */
static size_t runt(uint8_t *f, const struct ctx *c, size_t len)
{
	uint8_t h[ETH_HLEN];

	eth(h, c, ETH_P_IP);
	memcpy(f, h, len);
	return len;
}

static size_t c_runt_1(uint8_t *f, const struct ctx *c) { return runt(f, c, 1); }
static size_t c_runt_6(uint8_t *f, const struct ctx *c) { return runt(f, c, 6); }
static size_t c_runt_13(uint8_t *f, const struct ctx *c) { return runt(f, c, 13); }

/* An Ethernet header saying IPv4, and nothing after it. */
static size_t c_eth_only(uint8_t *f, const struct ctx *c)
{
	return eth(f, c, ETH_P_IP);
}

/* Sources that are not a station's, on an otherwise valid frame. */
static size_t bad_src(uint8_t *f, const struct ctx *c, const uint8_t *src)
{
	size_t n = eth_addrs(f, c->dst, src, ETH_P_IP);

	return n + ip4_udp(f + n, 18);
}

static size_t c_src_multicast(uint8_t *f, const struct ctx *c)
{
	return bad_src(f, c, mac_mcast);
}

static size_t c_src_broadcast(uint8_t *f, const struct ctx *c)
{
	return bad_src(f, c, mac_bcast);
}

static size_t c_src_zero(uint8_t *f, const struct ctx *c)
{
	return bad_src(f, c, mac_zero);
}

/* 0x8100 and then 0 to 3 bytes, or the 4 bytes of a tag and nothing. */
static size_t vlan_trunc(uint8_t *f, const struct ctx *c, size_t after)
{
	uint8_t t[4];
	size_t n = eth(f, c, ETH_P_8021Q);

	tag(t, TEST_VID, ETH_P_IP);
	memcpy(f + n, t, after);
	return n + after;
}

static size_t c_vlan_trunc_0(uint8_t *f, const struct ctx *c) { return vlan_trunc(f, c, 0); }
static size_t c_vlan_trunc_1(uint8_t *f, const struct ctx *c) { return vlan_trunc(f, c, 1); }
static size_t c_vlan_trunc_2(uint8_t *f, const struct ctx *c) { return vlan_trunc(f, c, 2); }
static size_t c_vlan_trunc_3(uint8_t *f, const struct ctx *c) { return vlan_trunc(f, c, 3); }
static size_t c_vlan_tag_only(uint8_t *f, const struct ctx *c) { return vlan_trunc(f, c, 4); }

/* A whole outer tag (VLAN 10), then 0x8100 and 0 to 3 bytes of the inner. */
static size_t vlan2_trunc(uint8_t *f, const struct ctx *c, size_t after)
{
	uint8_t t[4];
	size_t n = eth(f, c, ETH_P_8021Q);

	n += tag(f + n, TEST_VID, ETH_P_8021Q);
	tag(t, 20, ETH_P_IP);
	memcpy(f + n, t, after);
	return n + after;
}

static size_t c_vlan2_trunc_0(uint8_t *f, const struct ctx *c) { return vlan2_trunc(f, c, 0); }
static size_t c_vlan2_trunc_1(uint8_t *f, const struct ctx *c) { return vlan2_trunc(f, c, 1); }
static size_t c_vlan2_trunc_2(uint8_t *f, const struct ctx *c) { return vlan2_trunc(f, c, 2); }
static size_t c_vlan2_trunc_3(uint8_t *f, const struct ctx *c) { return vlan2_trunc(f, c, 3); }

/* A valid tagged UDP datagram with the given TPID and TCI. */
static size_t tagged_udp(uint8_t *f, const struct ctx *c, unsigned int tpid,
			 unsigned int tci)
{
	size_t n = eth(f, c, tpid);

	n += tag(f + n, tci, ETH_P_IP);
	return n + ip4_udp(f + n, 18);
}

/* VLAN 4095 is reserved. */
static size_t c_vlan_vid_4095(uint8_t *f, const struct ctx *c)
{
	return tagged_udp(f, c, ETH_P_8021Q, 0x0fff);
}

/* A priority tag (VLAN 0, priority 5): the port's native VLAN. */
static size_t c_vlan_prio_tag(uint8_t *f, const struct ctx *c)
{
	return tagged_udp(f, c, ETH_P_8021Q, 5 << 13);
}

/* An 802.1ad service tag. */
static size_t c_qinq_88a8(uint8_t *f, const struct ctx *c)
{
	return tagged_udp(f, c, ETH_P_8021AD, TEST_VID);
}

/* IPv4. */

static size_t c_ipv4_trunc(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IP);

	ip4(f + n, 5, 28, 0x1001, 0, IPPROTO_UDP);
	return n + 10;		/* half a header */
}

static size_t c_ipv4_ihl_lt5(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IP);

	n += ip4(f + n, 4, 28, 0x1001, 0, IPPROTO_UDP);
	return n + udp(f + n, 8, 0);
}

static size_t c_ipv4_ihl_gt_len(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IP);

	/* IHL 15 says 60 bytes of header; 24 bytes of datagram follow. */
	n += ip4(f + n, 15, 24, 0x1001, 0, IPPROTO_UDP);
	put32(f + n, 0x01010101);	/* NOPs */
	return n + 4;
}

static size_t c_ipv4_totlen_gt_frame(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IP);

	n += ip4(f + n, 5, 1400, 0x1001, 0, IPPROTO_UDP);
	return n + udp(f + n, 1380, 18);
}

static size_t c_ipv4_totlen_lt_ihl(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IP);

	n += ip4(f + n, 5, 12, 0x1001, 0, IPPROTO_UDP);
	return n + udp(f + n, 26, 18);
}

static size_t c_ipv4_bad_version(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IP);
	size_t m = ip4_udp(f + n, 18);

	f[n] = 0x65;		/* version 6, IHL 5, under ethertype IPv4 */
	ip4_csum(f + n, 20);
	return n + m;
}

/* A first fragment of 8 bytes: the TCP ports and sequence number only. */
static size_t c_ipv4_frag_tiny(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IP);

	n += ip4(f + n, 5, 28, 0x3003, IP_MF, IPPROTO_TCP);
	return n + tcp(f + n, 5, 8);
}

/* Two fragments of one datagram: bytes 0-23, then 8-31 (8-23 twice). */
static size_t c_ipv4_frag_overlap_1(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IP);

	n += ip4(f + n, 5, 44, 0x4004, IP_MF, IPPROTO_UDP);
	return n + udp(f + n, 32, 16);
}

static size_t c_ipv4_frag_overlap_2(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IP);

	n += ip4(f + n, 5, 44, 0x4004, 1, IPPROTO_UDP);	/* offset 8 */
	fill(f + n, 24);
	return n + 24;
}

/* A last fragment at the largest offset: it would end past 65535. */
static size_t c_ipv4_frag_offset_max(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IP);

	n += ip4(f + n, 5, 20 + 32, 0x5005, 0x1fff, IPPROTO_UDP);
	fill(f + n, 32);
	return n + 32;
}

/* IHL 8: 12 bytes of options, every one of them wrong. */
static size_t c_ipv4_options_garbage(uint8_t *f, const struct ctx *c)
{
	static const uint8_t opts[12] = {
		0x07, 0x27, 0x02,	/* record route: longer than the header */
		0x44, 0x02,		/* timestamp: length 2 */
		0x83, 0x01,		/* loose source route: length 1 */
		0x89, 0xff, 0x00,	/* strict source route: length 255 */
		0x94, 0x00,		/* router alert: length 0 */
	};
	size_t n = eth(f, c, ETH_P_IP);
	uint8_t *ip = f + n;

	n += ip4(ip, 8, 32 + 26, 0x1001, 0, IPPROTO_UDP);
	memcpy(f + n, opts, sizeof(opts));
	n += sizeof(opts);
	ip4_csum(ip, 32);
	return n + udp(f + n, 26, 18);
}

/* IPv6. */

static size_t c_ipv6_trunc(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IPV6);

	ip6(f + n, 8, IPPROTO_UDP);
	return n + 30;
}

static size_t c_ipv6_plen_gt_frame(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IPV6);

	n += ip6(f + n, 1000, IPPROTO_UDP);
	return n + udp(f + n, 1000, 8);
}

/* Hop-by-hop, then a routing header that says 40 bytes and has 4. */
static size_t c_ipv6_exthdr_trunc(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IPV6);

	n += ip6(f + n, 12, IPPROTO_HOPOPTS);
	f[n] = IPPROTO_ROUTING;
	f[n + 1] = 0;
	f[n + 2] = 1;		/* PadN, 4 bytes */
	f[n + 3] = 4;
	memset(f + n + 4, 0, 4);
	n += 8;
	f[n] = IPPROTO_UDP;
	f[n + 1] = 4;		/* (4 + 1) * 8 bytes */
	f[n + 2] = 0;		/* type 0 */
	f[n + 3] = 1;
	return n + 4;
}

/* A chain of destination options ending in a fragment header cut short. */
static size_t c_ipv6_fraghdr_trunc(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IPV6);
	int i;

	n += ip6(f + n, 3 * 8 + 4, IPPROTO_DSTOPTS);
	for (i = 0; i < 3; i++) {
		f[n] = i < 2 ? IPPROTO_DSTOPTS : IPPROTO_FRAGMENT;
		f[n + 1] = 0;
		f[n + 2] = 1;
		f[n + 3] = 4;
		memset(f + n + 4, 0, 4);
		n += 8;
	}
	f[n] = IPPROTO_UDP;
	f[n + 1] = 0;
	put16(f + n + 2, 1);	/* offset 0, more fragments */
	return n + 4;
}

/* ARP. */

static size_t c_arp_trunc(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_ARP);

	return n + arp_hdr(f + n, ETH_ALEN, 4, 1);
}

static size_t c_arp_bad_len(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_ARP);

	n += arp_hdr(f + n, 255, 255, 1);
	fill(f + n, 20);
	return n + 20;
}

/* A valid broadcast who-has 192.0.2.2, from SRC-MAC. */
static size_t c_ctl_arp_request(uint8_t *f, const struct ctx *c)
{
	size_t n = eth_addrs(f, mac_bcast, c->src, ETH_P_ARP);

	n += arp_hdr(f + n, ETH_ALEN, 4, 1);
	memcpy(f + n, c->src, ETH_ALEN);
	memcpy(f + n + 6, ip4_src, 4);
	memset(f + n + 10, 0, ETH_ALEN);
	memcpy(f + n + 16, ip4_dst, 4);
	return n + 20;
}

/* TCP. */

static size_t c_tcp_trunc(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IP);

	n += ip4(f + n, 5, 30, 0x1001, 0, IPPROTO_TCP);
	return n + tcp(f + n, 5, 10);
}

static size_t c_tcp_doff_lt5(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IP);

	n += ip4(f + n, 5, 40, 0x1001, 0, IPPROTO_TCP);
	return n + tcp(f + n, 2, 20);
}

static size_t c_tcp_doff_gt_len(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IP);

	n += ip4(f + n, 5, 40, 0x1001, 0, IPPROTO_TCP);
	return n + tcp(f + n, 15, 20);
}

/* UDP. */

static size_t c_udp_len_gt(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IP);

	n += ip4(f + n, 5, 36, 0x1001, 0, IPPROTO_UDP);
	return n + udp(f + n, 500, 8);
}

static size_t c_udp_len_lt(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IP);

	n += ip4(f + n, 5, 36, 0x1001, 0, IPPROTO_UDP);
	return n + udp(f + n, 4, 8);
}

static size_t c_ctl_udp(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IP);

	return n + ip4_udp(f + n, 18);
}

/* A frame exactly 1500 bytes past its Ethernet header: fits MTU 1500. */
static size_t c_ctl_udp_1500(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IP);

	return n + ip4_udp(f + n, 1500 - 28);
}

static size_t c_ctl_vlan10_udp(uint8_t *f, const struct ctx *c)
{
	return tagged_udp(f, c, ETH_P_8021Q, TEST_VID);
}

/* ICMP. */

static size_t c_icmp_echo_trunc(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IP);
	uint8_t *p;

	n += ip4(f + n, 5, 24, 0x1001, 0, IPPROTO_ICMP);
	p = f + n;
	p[0] = 8;		/* echo request: type, code, checksum only */
	p[1] = 0;
	put16(p + 2, 0);
	put16(p + 2, fold(sum16(0, p, 4)));
	return n + 4;
}

/* An ICMPv4 error quoting @inner_len bytes of a header of IHL @ihl. */
static size_t icmp_err(uint8_t *f, const struct ctx *c, unsigned int code,
		       uint32_t rest, unsigned int ihl, size_t inner_len)
{
	uint8_t inner[60];
	size_t n = eth(f, c, ETH_P_IP);

	inner_ip4(inner, ihl);
	n += ip4(f + n, 5, 20 + 8 + inner_len, 0x1001, 0, IPPROTO_ICMP);
	return n + icmp(f + n, 3, code, rest, inner, inner_len);
}

static size_t c_icmp_unreach_inner_trunc(uint8_t *f, const struct ctx *c)
{
	return icmp_err(f, c, 3, 0, 5, 12);	/* port unreachable */
}

static size_t c_icmp_fragneeded_inner_trunc(uint8_t *f, const struct ctx *c)
{
	return icmp_err(f, c, 4, 1280, 5, 12);
}

static size_t c_icmp_fragneeded_inner_only(uint8_t *f, const struct ctx *c)
{
	return icmp_err(f, c, 4, 1280, 5, 20);	/* no transport bytes */
}

static size_t c_icmp_unreach_inner_bad_ihl(uint8_t *f, const struct ctx *c)
{
	return icmp_err(f, c, 1, 0, 15, 20);	/* says 60, has 20 */
}

/* An ICMPv6 error quoting @inner_len bytes of an IPv6 header. */
static size_t icmp6_err(uint8_t *f, const struct ctx *c, unsigned int type,
			unsigned int code, uint32_t rest, size_t inner_len)
{
	uint8_t inner[40];
	size_t n = eth(f, c, ETH_P_IPV6);
	uint8_t *ip = f + n, *msg;

	ip6(inner, 1000, IPPROTO_TCP);
	memcpy(inner + 8, ip6_dst, 16);		/* it went from ::2 */
	n += ip6(ip, 8 + inner_len, IPPROTO_ICMPV6);
	msg = f + n;
	msg[0] = type;
	msg[1] = code;
	put32(msg + 4, rest);
	memcpy(msg + 8, inner, inner_len);
	icmp6_csum(ip, msg, 8 + inner_len);
	return n + 8 + inner_len;
}

static size_t c_icmpv6_unreach_inner_trunc(uint8_t *f, const struct ctx *c)
{
	return icmp6_err(f, c, 1, 4, 0, 20);	/* port unreachable */
}

static size_t c_icmpv6_toobig_inner_trunc(uint8_t *f, const struct ctx *c)
{
	return icmp6_err(f, c, 2, 0, 1280, 8);
}

/* Too big: 9000 bytes past the Ethernet header, and MTU 1500 + 1. */
static size_t c_jumbo_9000(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IP);

	return n + ip4_udp(f + n, JUMBO_PAYLOAD - 28);
}

static size_t c_mtu_plus_1(uint8_t *f, const struct ctx *c)
{
	size_t n = eth(f, c, ETH_P_IP);

	return n + ip4_udp(f + n, 1501 - 28);
}

static const struct bcase {
	const char *name;
	size_t (*build)(uint8_t *f, const struct ctx *c);
} cases[] = {
	{ "runt-1", c_runt_1 },
	{ "runt-6", c_runt_6 },
	{ "runt-13", c_runt_13 },
	{ "eth-only", c_eth_only },
	{ "src-multicast", c_src_multicast },
	{ "src-broadcast", c_src_broadcast },
	{ "src-zero", c_src_zero },
	{ "vlan-trunc-0", c_vlan_trunc_0 },
	{ "vlan-trunc-1", c_vlan_trunc_1 },
	{ "vlan-trunc-2", c_vlan_trunc_2 },
	{ "vlan-trunc-3", c_vlan_trunc_3 },
	{ "vlan-tag-only", c_vlan_tag_only },
	{ "vlan2-trunc-0", c_vlan2_trunc_0 },
	{ "vlan2-trunc-1", c_vlan2_trunc_1 },
	{ "vlan2-trunc-2", c_vlan2_trunc_2 },
	{ "vlan2-trunc-3", c_vlan2_trunc_3 },
	{ "vlan-vid-4095", c_vlan_vid_4095 },
	{ "vlan-prio-tag", c_vlan_prio_tag },
	{ "qinq-88a8", c_qinq_88a8 },
	{ "ipv4-trunc", c_ipv4_trunc },
	{ "ipv4-ihl-lt5", c_ipv4_ihl_lt5 },
	{ "ipv4-ihl-gt-len", c_ipv4_ihl_gt_len },
	{ "ipv4-totlen-gt-frame", c_ipv4_totlen_gt_frame },
	{ "ipv4-totlen-lt-ihl", c_ipv4_totlen_lt_ihl },
	{ "ipv4-bad-version", c_ipv4_bad_version },
	{ "ipv4-frag-tiny", c_ipv4_frag_tiny },
	{ "ipv4-frag-overlap-1", c_ipv4_frag_overlap_1 },
	{ "ipv4-frag-overlap-2", c_ipv4_frag_overlap_2 },
	{ "ipv4-frag-offset-max", c_ipv4_frag_offset_max },
	{ "ipv4-options-garbage", c_ipv4_options_garbage },
	{ "ipv6-trunc", c_ipv6_trunc },
	{ "ipv6-plen-gt-frame", c_ipv6_plen_gt_frame },
	{ "ipv6-exthdr-trunc", c_ipv6_exthdr_trunc },
	{ "ipv6-fraghdr-trunc", c_ipv6_fraghdr_trunc },
	{ "arp-trunc", c_arp_trunc },
	{ "arp-bad-len", c_arp_bad_len },
	{ "tcp-trunc", c_tcp_trunc },
	{ "tcp-doff-lt5", c_tcp_doff_lt5 },
	{ "tcp-doff-gt-len", c_tcp_doff_gt_len },
	{ "udp-len-gt", c_udp_len_gt },
	{ "udp-len-lt", c_udp_len_lt },
	{ "icmp-echo-trunc", c_icmp_echo_trunc },
	{ "icmp-unreach-inner-trunc", c_icmp_unreach_inner_trunc },
	{ "icmp-fragneeded-inner-trunc", c_icmp_fragneeded_inner_trunc },
	{ "icmp-fragneeded-inner-only", c_icmp_fragneeded_inner_only },
	{ "icmp-unreach-inner-bad-ihl", c_icmp_unreach_inner_bad_ihl },
	{ "icmpv6-unreach-inner-trunc", c_icmpv6_unreach_inner_trunc },
	{ "icmpv6-toobig-inner-trunc", c_icmpv6_toobig_inner_trunc },
	{ "jumbo-9000", c_jumbo_9000 },
	{ "mtu-plus-1", c_mtu_plus_1 },
	{ "ctl-arp-request", c_ctl_arp_request },
	{ "ctl-udp", c_ctl_udp },
	{ "ctl-udp-1500", c_ctl_udp_1500 },
	{ "ctl-vlan10-udp", c_ctl_vlan10_udp },
};

#define NCASES	(sizeof(cases) / sizeof(cases[0]))

static int parse_mac(const char *s, uint8_t *mac)
{
	char end;

	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx%c", &mac[0], &mac[1],
		      &mac[2], &mac[3], &mac[4], &mac[5], &end) == 6 ? 0 : -1;
}

static void usage(void)
{
	fprintf(stderr, "usage: badframes IFACE DST-MAC SRC-MAC [CASE]\n"
			"       badframes -l\n");
}

static void send_case(int fd, const struct sockaddr_ll *sll,
		      const struct bcase *bc, const struct ctx *c)
{
	static uint8_t frame[FRAME_MAX];
	size_t len;
	ssize_t rc;

	memset(frame, 0, sizeof(frame));
	len = bc->build(frame, c);
	rc = sendto(fd, frame, len, 0, (const struct sockaddr *)sll,
		    sizeof(*sll));
	if (rc == (ssize_t)len) {
		printf("%s %zu sent\n", bc->name, len);
	} else {
		fprintf(stderr, "badframes: %s: %s\n", bc->name,
			rc < 0 ? strerror(errno) : "short send");
		printf("%s %zu failed\n", bc->name, len);
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	uint8_t dst[ETH_ALEN], src[ETH_ALEN];
	struct sockaddr_ll sll = { 0 };
	struct ctx c = { dst, src };
	const struct bcase *only = NULL;
	size_t i;
	int fd;

	if (argc == 2 && !strcmp(argv[1], "-l")) {
		for (i = 0; i < NCASES; i++)
			printf("%s\n", cases[i].name);
		return 0;
	}
	if (argc != 4 && argc != 5) {
		usage();
		return 2;
	}
	if (parse_mac(argv[2], dst) || parse_mac(argv[3], src)) {
		fprintf(stderr, "badframes: bad MAC address\n");
		return 2;
	}
	if (argc == 5) {
		for (i = 0; i < NCASES && !only; i++)
			if (!strcmp(argv[4], cases[i].name))
				only = &cases[i];
		if (!only) {
			fprintf(stderr, "badframes: no case '%s' (see -l)\n",
				argv[4]);
			return 2;
		}
	}

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("badframes: socket");
		return 1;
	}
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = if_nametoindex(argv[1]);
	sll.sll_halen = ETH_ALEN;
	if (!sll.sll_ifindex) {
		perror("badframes: interface");
		return 1;
	}
	if (only) {
		send_case(fd, &sll, only, &c);
	} else {
		for (i = 0; i < NCASES; i++)
			send_case(fd, &sll, &cases[i], &c);
	}
	close(fd);
	return 0;
}
