// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge KUnit: NAT mode.  Translation of each protocol both ways, over
 * the skb shapes and checksum states a guest or the uplink hands over, each
 * checksum verified by computing it afresh; ICMP errors and the packets
 * they quote; what the parser refuses; external ports; sessions, filtering,
 * bounds, expiry and TCP state; port forwards.
 *
 * The tables are tested on a struct vmbr_nat of their own in &init_net; the
 * guests are bare struct vmbr_port (the tables only count their sessions).
 * Lookups run under rcu_read_lock() as in the data path; nothing else frees
 * a session or mapping while a test holds it (the idle timeouts are long).
 */
#include <linux/icmp.h>
#include <linux/jhash.h>
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/gso.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/tcp.h>

#include "vmbr_test.h"

/* The guests' subnet, then documentation addresses. */
#define GUEST_N(n)	cpu_to_be32(0x0a000002 + (n))	/* 10.0.0.2 + n */
#define GUEST		GUEST_N(0)
#define GUEST2		GUEST_N(1)
#define EXT		cpu_to_be32(0xc0000201)		/* 192.0.2.1 */
#define REMOTE		cpu_to_be32(0xc6336407)		/* 198.51.100.7 */
#define REMOTE2		cpu_to_be32(0xc6336408)		/* 198.51.100.8 */
#define ROUTER		cpu_to_be32(0xcb007101)		/* 203.0.113.1 */

#define GPORT		5000	/* a guest's port */
#define EPORT		1234	/* its external port */
#define RPORT		53	/* the remote end's */

#define PKT_MAX		4096
#define GSO_SIZE	1000
#define GSO_PAYLOAD	2900	/* three segments */

KUNIT_DEFINE_ACTION_WRAPPER(kfree_skb_action, kfree_skb, struct sk_buff *);

/* Both ends of a packet.  ICMP echo: sport is the identifier. */
struct nat_tuple {
	__be32 saddr, daddr;
	__be16 sport, dport;
};

/*
 * A test packet: an IPv4 header, a transport header and a payload, every
 * checksum right.  The fields below "wrong" make it malformed.
 */
struct pkt_def {
	u8 proto;
	u8 type, code;		/* ICMP */
	u8 tcp_flags;
	bool no_csum;		/* UDP: no checksum (zero) */
	unsigned int payload;	/* bytes after the transport header */
	/* wrong */
	u8 version, ihl, doff;	/* header fields, 0: right */
	const u8 *opts;		/* IPv4 options, (ihl - 5) * 4 bytes */
	u16 udp_len;		/* 0: right */
	u16 frag;		/* frag_off, host order */
	int len_delta;		/* added to tot_len */
	bool bad_csum;		/* of the IPv4 header */
	unsigned int cut;	/* keep only this much after the IPv4 header */
	unsigned int pad;	/* link-layer padding after tot_len */
};

static unsigned int l4_hdr_len(const u8 *l4, u8 proto)
{
	unsigned int doff = ((const struct tcphdr *)l4)->doff;

	switch (proto) {
	case IPPROTO_TCP:
		return max(doff, 5U) * 4;
	case IPPROTO_UDP:
	case IPPROTO_ICMP:
		return 8;
	default:
		return 0;
	}
}

/*
 * Write the packet @d from @t into @buf (zeroed, PKT_MAX bytes): after the
 * transport header @dlen bytes of @data, or @d->payload bytes of a pattern.
 * Returns its length.
 */
static unsigned int pkt_put(u8 *buf, const struct pkt_def *d,
			    const struct nat_tuple *t, const u8 *data,
			    unsigned int dlen)
{
	unsigned int hl = max(d->ihl, 5) * 4, l4hl, plen, l4len, i;
	struct iphdr *iph = (struct iphdr *)buf;
	struct icmphdr *icmph;
	u8 *l4 = buf + hl;
	struct tcphdr *th;
	struct udphdr *uh;

	plen = data ? dlen : d->payload;
	switch (d->proto) {
	case IPPROTO_TCP:
		l4hl = max(d->doff, 5) * 4;
		memset(l4 + sizeof(*th), TCPOPT_NOP, l4hl - sizeof(*th));
		break;
	case IPPROTO_UDP:
	case IPPROTO_ICMP:
		l4hl = 8;
		break;
	default:
		l4hl = 0;
		break;
	}
	for (i = 0; i < plen; i++)
		l4[l4hl + i] = data ? data[i] : i * 7 + 1;
	l4len = l4hl + plen;

	switch (d->proto) {
	case IPPROTO_TCP:
		th = (struct tcphdr *)l4;
		th->source = t->sport;
		th->dest = t->dport;
		th->seq = htonl(1000);
		th->ack_seq = htonl(2000);
		th->doff = d->doff ?: 5;
		tcp_flag_byte(th) = d->tcp_flags;
		th->window = htons(65535);
		th->check = csum_tcpudp_magic(t->saddr, t->daddr, l4len,
					      IPPROTO_TCP,
					      csum_partial(l4, l4len, 0));
		break;
	case IPPROTO_UDP:
		uh = (struct udphdr *)l4;
		uh->source = t->sport;
		uh->dest = t->dport;
		uh->len = htons(d->udp_len ?: l4len);
		if (d->no_csum)
			break;
		uh->check = csum_tcpudp_magic(t->saddr, t->daddr, l4len,
					      IPPROTO_UDP,
					      csum_partial(l4, l4len, 0));
		if (!uh->check)
			uh->check = CSUM_MANGLED_0;
		break;
	case IPPROTO_ICMP:
		icmph = (struct icmphdr *)l4;
		icmph->type = d->type;
		icmph->code = d->code;
		if (d->type == ICMP_ECHO || d->type == ICMP_ECHOREPLY) {
			icmph->un.echo.id = t->sport;
			icmph->un.echo.sequence = htons(1);
		} else if (d->type == ICMP_DEST_UNREACH &&
			   d->code == ICMP_FRAG_NEEDED) {
			icmph->un.frag.mtu = htons(1400);
		}
		icmph->checksum = csum_fold(csum_partial(l4, l4len, 0));
		break;
	}
	if (d->cut)
		l4len = d->cut;

	if (d->opts)
		memcpy(buf + sizeof(*iph), d->opts, hl - sizeof(*iph));
	iph->version = d->version ?: 4;
	iph->ihl = d->ihl ?: 5;
	iph->tot_len = htons(hl + l4len + d->len_delta);
	iph->id = htons(0x1234);
	iph->frag_off = htons(d->frag);
	iph->ttl = 64;
	iph->protocol = d->proto;
	iph->saddr = t->saddr;
	iph->daddr = t->daddr;
	iph->check = ip_compute_csum(iph, hl);
	if (d->bad_csum)
		iph->check = (__force __sum16)((__force u16)iph->check ^ 1);
	return hl + l4len + d->pad;
}

/* The skb shapes a packet comes in. */
enum pkt_shape {
	LINEAR,
	PAGED,		/* the payload in a page fragment */
	PAGED_L4,	/* the transport header too */
	PAGED_L4_FULL,	/* and no tailroom: a pull moves the head */
	CLONED,		/* a clone of a packet others still see */
};

/* Checksum states, as a TAP with vnet headers or a NIC hands them over. */
enum pkt_csum {
	C_NONE,
	C_PARTIAL,	/* pseudo-header sum in the check field */
	C_COMPLETE,	/* skb->csum over the packet */
	C_GSO,		/* a TCP super-packet, CHECKSUM_PARTIAL */
};

/* What a CHECKSUM_PARTIAL packet carries in its check field. */
static u16 pseudo_sum(__be32 saddr, __be32 daddr, unsigned int len, u8 proto)
{
	return (__force u16)~csum_tcpudp_magic(saddr, daddr, len, proto, 0);
}

static unsigned int check_offset(u8 proto)
{
	return proto == IPPROTO_TCP ? offsetof(struct tcphdr, check) :
				      offsetof(struct udphdr, check);
}

/*
 * The @len bytes at @buf as an skb of @shape in state @cs, skb->data and the
 * network header at the IPv4 header; freed when the test ends.  A CLONED
 * packet is the clone; its original is *@orig.
 */
static struct sk_buff *pkt_skb(struct kunit *test, const u8 *buf,
			       unsigned int len, enum pkt_shape shape,
			       enum pkt_csum cs, struct sk_buff **orig)
{
	const struct iphdr *iph = (const struct iphdr *)buf;
	unsigned int hl = iph->ihl * 4, head = len, l4len = len - hl, off;
	struct sk_buff *skb, *clone;
	struct page *page;
	__sum16 *check;

	if (shape == PAGED)
		head = min(len, hl + l4_hdr_len(buf + hl, iph->protocol));
	else if (shape == PAGED_L4 || shape == PAGED_L4_FULL)
		head = hl;
	skb = alloc_skb(NET_SKB_PAD + head, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kfree_skb_action,
							skb), 0);
	if (shape == PAGED_L4_FULL)
		skb_reserve(skb, skb_tailroom(skb) - head);
	else
		skb_reserve(skb, NET_SKB_PAD);
	skb_put_data(skb, buf, head);
	if (head < len) {
		page = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, page);
		memcpy(page_address(page), buf + head, len - head);
		skb_add_rx_frag(skb, 0, page, 0, len - head, PAGE_SIZE);
	}
	skb_reset_network_header(skb);
	skb->protocol = htons(ETH_P_IP);

	switch (cs) {
	case C_NONE:
		break;
	case C_PARTIAL:
	case C_GSO:
		off = check_offset(iph->protocol);
		check = (__sum16 *)(skb->data + hl + off);
		*check = (__force __sum16)pseudo_sum(iph->saddr, iph->daddr,
						     l4len, iph->protocol);
		KUNIT_ASSERT_TRUE(test, skb_partial_csum_set(skb, hl, off));
		if (cs == C_GSO) {
			skb_shinfo(skb)->gso_size = GSO_SIZE;
			skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
			skb_shinfo(skb)->gso_segs = DIV_ROUND_UP(GSO_PAYLOAD,
								 GSO_SIZE);
		}
		break;
	case C_COMPLETE:
		skb->csum = skb_checksum(skb, 0, len, 0);
		skb->ip_summed = CHECKSUM_COMPLETE;
		break;
	}

	if (shape == CLONED) {
		clone = skb_clone(skb, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, clone);
		KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
								kfree_skb_action,
								clone), 0);
		*orig = skb;
		return clone;
	}
	return skb;
}

/* The packet at the network header of @skb, copied to a buffer. */
static u8 *pkt_bytes(struct kunit *test, const struct sk_buff *skb)
{
	u8 *p = kunit_kzalloc(test, PKT_MAX, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_LE(test, skb->len - skb_network_offset(skb), PKT_MAX);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, skb_network_offset(skb), p,
					    skb->len - skb_network_offset(skb)),
			0);
	return p;
}

/* The ports of the transport header at @l4 (ICMP: the identifier, twice). */
static void l4_ports(const u8 *l4, u8 proto, __be16 *sport, __be16 *dport)
{
	const __be16 *p = (const __be16 *)l4;

	*sport = proto == IPPROTO_ICMP ? p[2] : p[0];
	*dport = proto == IPPROTO_ICMP ? p[2] : p[1];
}

/*
 * The transport checksum of the @len bytes at @l4, computed afresh, is
 * right (a UDP checksum of zero: none, nothing to check).
 */
static void expect_l4_csum(struct kunit *test, const u8 *l4, unsigned int len,
			   u8 proto, __be32 saddr, __be32 daddr)
{
	__wsum sum = csum_partial(l4, len, 0);
	__sum16 check;

	switch (proto) {
	case IPPROTO_UDP:
		if (!((const struct udphdr *)l4)->check)
			break;
		fallthrough;
	case IPPROTO_TCP:
		check = csum_tcpudp_magic(saddr, daddr, len, proto, sum);
		KUNIT_EXPECT_EQ_MSG(test, (__force u16)check, 0,
				    "transport checksum");
		break;
	default:
		KUNIT_EXPECT_EQ_MSG(test, (__force u16)csum_fold(sum), 0,
				    "ICMP checksum");
		break;
	}
}

/*
 * @skb is a whole, sound packet from @want (addresses and ports): its IPv4
 * and transport checksums, computed afresh, are right.
 */
static void expect_sound(struct kunit *test, const struct sk_buff *skb,
			 u8 proto, const struct nat_tuple *want)
{
	const u8 *p = pkt_bytes(test, skb);
	const struct iphdr *iph = (const struct iphdr *)p;
	unsigned int hl = iph->ihl * 4;
	__be16 sport, dport;

	KUNIT_EXPECT_EQ(test, ntohs(iph->tot_len),
			skb->len - skb_network_offset(skb));
	KUNIT_EXPECT_EQ_MSG(test, (__force u16)ip_fast_csum(iph, iph->ihl), 0,
			    "IPv4 header checksum");
	KUNIT_EXPECT_EQ(test, iph->saddr, want->saddr);
	KUNIT_EXPECT_EQ(test, iph->daddr, want->daddr);
	l4_ports(p + hl, proto, &sport, &dport);
	KUNIT_EXPECT_EQ(test, ntohs(sport), ntohs(want->sport));
	KUNIT_EXPECT_EQ(test, ntohs(dport), ntohs(want->dport));
	expect_l4_csum(test, p + hl, ntohs(iph->tot_len) - hl, proto,
		       iph->saddr, iph->daddr);
}

/* Translation, both ways. */

struct xlate_case {
	const char *name;
	u8 proto;
	bool no_csum;
	enum pkt_shape shape;
	enum pkt_csum cs;
};

static const struct xlate_case xlate_cases[] = {
	{ "TCP", IPPROTO_TCP, false, LINEAR, C_NONE },
	{ "TCP, payload in a page", IPPROTO_TCP, false, PAGED, C_NONE },
	{ "TCP, headers in a page", IPPROTO_TCP, false, PAGED_L4, C_NONE },
	{ "TCP, headers in a page, head full", IPPROTO_TCP, false,
	  PAGED_L4_FULL, C_NONE },
	{ "TCP, cloned", IPPROTO_TCP, false, CLONED, C_NONE },
	{ "TCP, CHECKSUM_PARTIAL", IPPROTO_TCP, false, LINEAR, C_PARTIAL },
	{ "TCP, CHECKSUM_PARTIAL, paged", IPPROTO_TCP, false, PAGED,
	  C_PARTIAL },
	{ "TCP, CHECKSUM_COMPLETE", IPPROTO_TCP, false, LINEAR, C_COMPLETE },
	{ "TCP GSO", IPPROTO_TCP, false, LINEAR, C_GSO },
	{ "TCP GSO, paged", IPPROTO_TCP, false, PAGED, C_GSO },
	{ "UDP", IPPROTO_UDP, false, LINEAR, C_NONE },
	{ "UDP, payload in a page", IPPROTO_UDP, false, PAGED, C_NONE },
	{ "UDP, headers in a page", IPPROTO_UDP, false, PAGED_L4, C_NONE },
	{ "UDP, headers in a page, head full", IPPROTO_UDP, false,
	  PAGED_L4_FULL, C_NONE },
	{ "UDP, cloned", IPPROTO_UDP, false, CLONED, C_NONE },
	{ "UDP, CHECKSUM_PARTIAL", IPPROTO_UDP, false, LINEAR, C_PARTIAL },
	{ "UDP, CHECKSUM_COMPLETE", IPPROTO_UDP, false, LINEAR, C_COMPLETE },
	{ "UDP without checksum", IPPROTO_UDP, true, LINEAR, C_NONE },
	{ "UDP without checksum, paged", IPPROTO_UDP, true, PAGED, C_NONE },
	{ "UDP without checksum, CHECKSUM_COMPLETE", IPPROTO_UDP, true,
	  LINEAR, C_COMPLETE },
	{ "ICMP echo", IPPROTO_ICMP, false, LINEAR, C_NONE },
	{ "ICMP echo, headers in a page", IPPROTO_ICMP, false, PAGED_L4,
	  C_NONE },
	{ "ICMP echo, headers in a page, head full", IPPROTO_ICMP, false,
	  PAGED_L4_FULL, C_NONE },
	{ "ICMP echo, cloned", IPPROTO_ICMP, false, CLONED, C_NONE },
	{ "ICMP echo, CHECKSUM_COMPLETE", IPPROTO_ICMP, false, LINEAR,
	  C_COMPLETE },
};

static void xlate_case_desc(const struct xlate_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(xlate, xlate_cases, xlate_case_desc);

/* A GSO packet's segments, made in software, are each sound. */
static void expect_segments_sound(struct kunit *test, struct sk_buff *skb,
				  const struct nat_tuple *want)
{
	struct sk_buff *segs, *seg, *next;
	unsigned int n = 0;

	segs = skb_gso_segment(skb, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(segs));
	skb_list_walk_safe(segs, seg, next) {
		expect_sound(test, seg, IPPROTO_TCP, want);
		n++;
	}
	kfree_skb_list(segs);
	KUNIT_EXPECT_EQ(test, n, DIV_ROUND_UP(GSO_PAYLOAD, GSO_SIZE));
}

/*
 * Parse the packet @d from @t and rewrite its source (@src) or destination
 * to @addr and @port; check every checksum it then carries.
 */
static void xlate_one(struct kunit *test, const struct xlate_case *c,
		      const struct pkt_def *d, const struct nat_tuple *t,
		      bool src, __be32 addr, __be16 port)
{
	const u8 *p, *l4, *head;
	struct sk_buff *skb, *orig = NULL;
	struct nat_tuple want = *t;
	struct vmbr_nat_pkt pkt;
	unsigned int len, l4len;
	u8 *buf;

	buf = kunit_kzalloc(test, PKT_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = pkt_put(buf, d, t, NULL, 0);
	l4len = len - sizeof(struct iphdr);
	skb = pkt_skb(test, buf, len, c->shape, c->cs, &orig);
	head = skb->head;

	KUNIT_ASSERT_EQ(test, vmbr_nat_parse(skb, &pkt), VMBR_NAT_DROP_UNSPEC);
	/* The old head is freed: compared, never read. */
	if (c->shape == PAGED_L4_FULL)
		KUNIT_EXPECT_PTR_NE_MSG(test, skb->head, head,
					"pulling the transport header moved the head");
	KUNIT_EXPECT_EQ(test, pkt.saddr, t->saddr);
	KUNIT_EXPECT_EQ(test, pkt.daddr, t->daddr);
	KUNIT_EXPECT_EQ(test, pkt.proto, d->proto);
	KUNIT_EXPECT_EQ(test, pkt.l4_off, sizeof(struct iphdr));
	KUNIT_EXPECT_EQ(test, ntohs(pkt.sport), ntohs(t->sport));
	KUNIT_EXPECT_EQ(test, ntohs(pkt.dport), ntohs(t->dport));
	KUNIT_EXPECT_FALSE(test, pkt.fragment);
	KUNIT_EXPECT_FALSE(test, pkt.icmp_error);

	KUNIT_ASSERT_EQ(test, vmbr_nat_rewrite(skb, &pkt, src, addr, port), 0);
	if (src) {
		want.saddr = addr;
		want.sport = port;
	} else {
		want.daddr = addr;
		want.dport = port;
	}
	if (d->proto == IPPROTO_ICMP) {
		want.sport = port;
		want.dport = port;
	}

	p = pkt_bytes(test, skb);
	l4 = p + sizeof(struct iphdr);
	switch (c->cs) {
	case C_NONE:
		KUNIT_EXPECT_EQ(test, (int)skb->ip_summed, CHECKSUM_NONE);
		break;
	case C_COMPLETE:
		/* The sum over the packet is stale: no longer claimed. */
		KUNIT_EXPECT_NE(test, (int)skb->ip_summed, CHECKSUM_COMPLETE);
		break;
	case C_PARTIAL:
	case C_GSO:
		KUNIT_EXPECT_EQ(test, (int)skb->ip_summed, CHECKSUM_PARTIAL);
		KUNIT_EXPECT_EQ(test, skb_checksum_start_offset(skb),
				skb_network_offset(skb) + sizeof(struct iphdr));
		KUNIT_EXPECT_EQ(test, skb->csum_offset, check_offset(d->proto));
		KUNIT_EXPECT_EQ_MSG(test, (__force u16)*(const __sum16 *)
				    (l4 + check_offset(d->proto)),
				    pseudo_sum(want.saddr, want.daddr, l4len,
					       d->proto),
				    "the pseudo-header sum");
		break;
	}
	if (c->cs == C_GSO) {
		KUNIT_EXPECT_TRUE(test, skb_is_gso(skb));
		KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_size, GSO_SIZE);
		KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_type, SKB_GSO_TCPV4);
		expect_segments_sound(test, skb, &want);
	} else {
		if (c->cs == C_PARTIAL)
			KUNIT_ASSERT_EQ(test, skb_checksum_help(skb), 0);
		expect_sound(test, skb, d->proto, &want);
	}
	if (d->no_csum)
		KUNIT_EXPECT_EQ_MSG(test, ((const struct udphdr *)l4)->check, 0,
				    "no UDP checksum stays none");
	/* Whoever else sees the original sees it unchanged. */
	if (orig)
		KUNIT_EXPECT_MEMEQ(test, pkt_bytes(test, orig), buf, len);
}

static void vmbr_nat_test_xlate(struct kunit *test)
{
	const struct xlate_case *c = test->param_value;
	const bool echo = c->proto == IPPROTO_ICMP;
	/* An echo's identifier is both its "ports". */
	const struct nat_tuple out = {
		GUEST, REMOTE, htons(GPORT), htons(echo ? GPORT : RPORT),
	};
	const struct nat_tuple in = {
		REMOTE, EXT, htons(echo ? EPORT : RPORT), htons(EPORT),
	};
	struct pkt_def d = {
		.proto = c->proto, .no_csum = c->no_csum,
		.payload = c->cs == C_GSO ? GSO_PAYLOAD : 100,
		.type = ICMP_ECHO, .tcp_flags = TCPHDR_ACK | TCPHDR_PSH,
	};

	/* The guest's packet leaves from the uplink's address... */
	xlate_one(test, c, &d, &out, true, EXT, htons(EPORT));
	/* ... and the answer reaches the guest. */
	d.type = ICMP_ECHOREPLY;
	xlate_one(test, c, &d, &in, false, GUEST, htons(GPORT));
}

/*
 * A UDP datagram whose checksum becomes zero once translated is sent with
 * 0xffff: zero would say it has none.
 */
static void vmbr_nat_test_udp_csum_zero(struct kunit *test)
{
	const struct nat_tuple before = {
		GUEST, REMOTE, htons(GPORT), htons(RPORT),
	};
	const struct nat_tuple after = {
		EXT, REMOTE, htons(EPORT), htons(RPORT),
	};
	const struct pkt_def d = { .proto = IPPROTO_UDP };
	u8 *buf = kunit_kzalloc(test, PKT_MAX, GFP_KERNEL);
	u8 data[16] = { 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };
	unsigned int len, l4len = sizeof(struct udphdr) + sizeof(data);
	struct vmbr_nat_pkt pkt;
	struct udphdr *uh;
	struct sk_buff *skb;
	__sum16 fix;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* The first payload word makes the translated sum 0xffff. */
	pkt_put(buf, &d, &after, data, sizeof(data));
	uh = (struct udphdr *)(buf + sizeof(struct iphdr));
	uh->check = 0;
	fix = csum_tcpudp_magic(EXT, REMOTE, l4len, IPPROTO_UDP,
				csum_partial(uh, l4len, 0));
	memcpy(data, &fix, sizeof(fix));

	memset(buf, 0, PKT_MAX);
	len = pkt_put(buf, &d, &before, data, sizeof(data));
	KUNIT_ASSERT_NE(test, uh->check, 0);
	skb = pkt_skb(test, buf, len, LINEAR, C_NONE, NULL);
	KUNIT_ASSERT_EQ(test, vmbr_nat_parse(skb, &pkt), VMBR_NAT_DROP_UNSPEC);
	KUNIT_ASSERT_EQ(test, vmbr_nat_rewrite(skb, &pkt, true, EXT,
					       htons(EPORT)), 0);
	uh = (struct udphdr *)(pkt_bytes(test, skb) + sizeof(struct iphdr));
	KUNIT_EXPECT_EQ(test, uh->check, CSUM_MANGLED_0);
	expect_sound(test, skb, IPPROTO_UDP, &after);
}

/* ICMP errors: the outer header and the packet quoted. */

struct icmp_err_case {
	const char *name;
	u8 type, code;
	struct pkt_def inner;	/* the packet the error is about */
	unsigned int quote;	/* bytes of it quoted, 0: all */
	enum pkt_shape shape;
};

static const struct icmp_err_case icmp_err_cases[] = {
	{ "time exceeded, UDP", ICMP_TIME_EXCEEDED, ICMP_EXC_TTL,
	  { .proto = IPPROTO_UDP, .payload = 32 } },
	{ "time exceeded, UDP without payload", ICMP_TIME_EXCEEDED,
	  ICMP_EXC_TTL, { .proto = IPPROTO_UDP } },
	{ "port unreachable, UDP", ICMP_DEST_UNREACH, ICMP_PORT_UNREACH,
	  { .proto = IPPROTO_UDP, .payload = 12 } },
	{ "port unreachable, UDP without checksum", ICMP_DEST_UNREACH,
	  ICMP_PORT_UNREACH, { .proto = IPPROTO_UDP, .no_csum = true } },
	{ "port unreachable, UDP, quoted in a page", ICMP_DEST_UNREACH,
	  ICMP_PORT_UNREACH, { .proto = IPPROTO_UDP }, 0, PAGED_L4 },
	{ "frag needed, TCP header", ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
	  { .proto = IPPROTO_TCP, .tcp_flags = TCPHDR_ACK } },
	{ "frag needed, TCP with options", ICMP_DEST_UNREACH,
	  ICMP_FRAG_NEEDED, { .proto = IPPROTO_TCP, .doff = 8,
			      .tcp_flags = TCPHDR_ACK } },
	{ "frag needed, 8 bytes of TCP", ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
	  { .proto = IPPROTO_TCP, .tcp_flags = TCPHDR_ACK, .payload = 100 },
	  sizeof(struct iphdr) + 8 },
	{ "time exceeded, 8 bytes of TCP", ICMP_TIME_EXCEEDED, ICMP_EXC_TTL,
	  { .proto = IPPROTO_TCP, .tcp_flags = TCPHDR_SYN },
	  sizeof(struct iphdr) + 8 },
	{ "time exceeded, ICMP echo", ICMP_TIME_EXCEEDED, ICMP_EXC_TTL,
	  { .proto = IPPROTO_ICMP, .type = ICMP_ECHO, .payload = 24 } },
	{ "host unreachable, ICMP echo", ICMP_DEST_UNREACH,
	  ICMP_HOST_UNREACH, { .proto = IPPROTO_ICMP, .type = ICMP_ECHO } },
};

static void icmp_err_case_desc(const struct icmp_err_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(icmp_err, icmp_err_cases, icmp_err_case_desc);

/*
 * Inbound: something outside (a router) reports on a packet the guest
 * sent, as translated; the outer destination and the quoted source become
 * the guest's.  Outbound: the guest reports on a packet that came in; the
 * outer source and the quoted destination become the uplink's.
 */
/* How the ICMP error to translate arrives. */
enum icmp_err_as {
	ERR_GOOD,
	ERR_CORRUPT,	/* a bit flipped on the way, past the ICMP checksum */
	ERR_PARTIAL,	/* its sum still to be computed (a TAP's offload) */
};

static void icmp_err_one(struct kunit *test, const struct icmp_err_case *c,
			 bool outbound, enum icmp_err_as as)
{
	const struct nat_tuple in_outer = { ROUTER, EXT };
	const struct nat_tuple in_inner = {
		EXT, REMOTE, htons(EPORT), htons(RPORT),
	};
	const struct nat_tuple out_outer = { GUEST, REMOTE };
	const struct nat_tuple out_inner = {
		REMOTE, GUEST, htons(RPORT), htons(GPORT),
	};
	const struct nat_tuple *it = outbound ? &out_inner : &in_inner;
	const struct nat_tuple *ot = outbound ? &out_outer : &in_outer;
	const struct pkt_def outer = {
		.proto = IPPROTO_ICMP, .type = c->type, .code = c->code,
	};
	__be32 addr = outbound ? EXT : GUEST;
	__be16 port = htons(outbound ? EPORT : GPORT), sport, dport;
	const struct iphdr *iph, *inner;
	unsigned int len, ilen, quoted;
	struct nat_tuple want = *it;
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_pkt pkt;
	struct sk_buff *skb;
	__sum16 icmp_sum;
	u8 *ibuf, *buf;
	const u8 *p;
	bool partial;

	ibuf = kunit_kzalloc(test, PKT_MAX, GFP_KERNEL);
	buf = kunit_kzalloc(test, PKT_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ibuf);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	ilen = pkt_put(ibuf, &c->inner, it, NULL, 0);
	quoted = c->quote ?: ilen;
	len = pkt_put(buf, &outer, ot, ibuf, quoted);
	if (as == ERR_CORRUPT)
		buf[len - 1] ^= 0x10;
	if (as == ERR_PARTIAL)	/* ICMP has no pseudo-header: the seed is 0 */
		memset(buf + sizeof(*iph) + offsetof(struct icmphdr, checksum),
		       0, sizeof(icmp_sum));
	skb = pkt_skb(test, buf, len, c->shape, C_NONE, NULL);
	if (as == ERR_PARTIAL) {
		partial = skb_partial_csum_set(skb, sizeof(*iph),
					       offsetof(struct icmphdr, checksum));
		KUNIT_ASSERT_TRUE(test, partial);
	}

	why = vmbr_nat_parse(skb, &pkt);
	KUNIT_EXPECT_EQ_MSG(test, why, VMBR_NAT_DROP_UNSPEC,
			    "vmbr_nat_parse() refuses the error");
	if (why == VMBR_NAT_DROP_UNSPEC) {
		KUNIT_EXPECT_TRUE(test, pkt.icmp_error);
		KUNIT_EXPECT_EQ(test, pkt.icmp_type, c->type);
		KUNIT_EXPECT_EQ(test, pkt.proto, c->inner.proto);
		KUNIT_EXPECT_EQ(test, pkt.saddr, it->saddr);
		KUNIT_EXPECT_EQ(test, pkt.daddr, it->daddr);
		l4_ports(ibuf + sizeof(struct iphdr), c->inner.proto, &sport,
			 &dport);
		KUNIT_EXPECT_EQ(test, ntohs(pkt.sport), ntohs(sport));
		KUNIT_EXPECT_EQ(test, ntohs(pkt.dport), ntohs(dport));
		KUNIT_EXPECT_EQ(test, pkt.l4_off, sizeof(struct iphdr));
	} else {
		/* Rewrite it all the same, as if parsed. */
		pkt = (struct vmbr_nat_pkt){
			.proto = c->inner.proto, .icmp_error = true,
			.l4_off = sizeof(struct iphdr),
		};
	}
	KUNIT_ASSERT_EQ(test, vmbr_nat_rewrite_icmp_error(skb, &pkt, outbound,
							  addr, port), 0);

	p = pkt_bytes(test, skb);
	iph = (const struct iphdr *)p;
	KUNIT_EXPECT_EQ(test, skb->len - skb_network_offset(skb), len);
	KUNIT_EXPECT_EQ_MSG(test, (__force u16)ip_fast_csum(iph, iph->ihl), 0,
			    "outer IPv4 header checksum");
	KUNIT_EXPECT_EQ(test, iph->saddr, outbound ? addr : ot->saddr);
	KUNIT_EXPECT_EQ(test, iph->daddr, outbound ? ot->daddr : addr);
	if (as == ERR_PARTIAL)	/* summed before the rewrite, then kept */
		KUNIT_EXPECT_NE(test, (int)skb->ip_summed, CHECKSUM_PARTIAL);
	if (as == ERR_CORRUPT) {
		/* Still wrong: the NAT does not make it good. */
		icmp_sum = ip_compute_csum(p + sizeof(*iph), len - sizeof(*iph));
		KUNIT_EXPECT_NE_MSG(test, (__force u16)icmp_sum, 0,
				    "a corrupt ICMP error got a good checksum");
		return;
	}
	expect_l4_csum(test, p + sizeof(*iph), len - sizeof(*iph),
		       IPPROTO_ICMP, 0, 0);

	inner = (const struct iphdr *)(p + sizeof(*iph) + sizeof(struct icmphdr));
	KUNIT_EXPECT_EQ_MSG(test, (__force u16)ip_fast_csum(inner, inner->ihl),
			    0, "quoted IPv4 header checksum");
	if (outbound) {
		want.daddr = addr;
		want.dport = port;
	} else {
		want.saddr = addr;
		want.sport = port;
	}
	if (c->inner.proto == IPPROTO_ICMP) {
		want.sport = port;
		want.dport = port;
	}
	KUNIT_EXPECT_EQ(test, inner->saddr, want.saddr);
	KUNIT_EXPECT_EQ(test, inner->daddr, want.daddr);
	l4_ports((const u8 *)inner + sizeof(*inner), c->inner.proto, &sport,
		 &dport);
	KUNIT_EXPECT_EQ(test, ntohs(sport), ntohs(want.sport));
	KUNIT_EXPECT_EQ(test, ntohs(dport), ntohs(want.dport));
	if (!c->quote)	/* the whole packet: its checksum can be checked */
		expect_l4_csum(test, (const u8 *)inner + sizeof(*inner),
			       ilen - sizeof(*inner), c->inner.proto,
			       inner->saddr, inner->daddr);
	else		/* the rest of what is quoted is left alone */
		KUNIT_EXPECT_MEMEQ(test, (const u8 *)inner + sizeof(*inner) + 4,
				   ibuf + sizeof(*inner) + 4,
				   quoted - sizeof(*inner) - 4);
	if (c->inner.no_csum)
		KUNIT_EXPECT_EQ(test, ((const struct udphdr *)(inner + 1))->check,
				0);
}

static void vmbr_nat_test_icmp_error(struct kunit *test)
{
	const struct icmp_err_case *c = test->param_value;

	icmp_err_one(test, c, false, ERR_GOOD);
	icmp_err_one(test, c, true, ERR_GOOD);
	icmp_err_one(test, c, false, ERR_CORRUPT);
	icmp_err_one(test, c, true, ERR_CORRUPT);
	if (c->shape == LINEAR)	/* skb_partial_csum_set() needs the head */
		icmp_err_one(test, c, true, ERR_PARTIAL);
}

/* What vmbr_nat_parse() refuses, and what it reads. */

struct parse_case {
	const char *name;
	struct pkt_def d;
	struct pkt_def inner;	/* an ICMP error's quoted packet, if .proto */
	unsigned int quote;	/* bytes of it quoted, 0: all */
	enum vmbr_nat_drop_reason want;
	/* A sum to compute (CHECKSUM_PARTIAL): where, from the L4 header. */
	struct {
		bool on;
		u8 start, offset;
	} partial;
};

#define PARTIAL(s, o)	.partial = { true, (s), (o) }
#define ERR_TTL		.proto = IPPROTO_ICMP, .type = ICMP_TIME_EXCEEDED
#define ERR_PORT	.proto = IPPROTO_ICMP, .type = ICMP_DEST_UNREACH, \
			.code = ICMP_PORT_UNREACH

/* IPv4 options: record route (one slot), router alert, a no-op. */
static const u8 opts_rr[12] = {
	IPOPT_RR, 7, 4, 0, 0, 0, 0, IPOPT_RA, 4, 0, 0, IPOPT_NOOP,
};

/* A loose source route through one address, then the end. */
static const u8 opts_lsrr[8] = { IPOPT_LSRR, 7, 4, 192, 0, 2, 9, IPOPT_END };

/* A record route whose length runs past the header. */
static const u8 opts_long[4] = { IPOPT_RR, 8, 4, 0 };

static const struct parse_case parse_cases[] = {
	{ "TCP", { .proto = IPPROTO_TCP, .tcp_flags = TCPHDR_SYN,
		   .payload = 10 } },
	{ "TCP with options", { .proto = IPPROTO_TCP, .doff = 10,
				.tcp_flags = TCPHDR_SYN } },
	{ "UDP", { .proto = IPPROTO_UDP, .payload = 30 } },
	{ "UDP without checksum", { .proto = IPPROTO_UDP, .no_csum = true } },
	{ "ICMP echo", { .proto = IPPROTO_ICMP, .type = ICMP_ECHO } },
	{ "ICMP echo reply", { .proto = IPPROTO_ICMP,
			       .type = ICMP_ECHOREPLY } },
	{ "IPv4 options", { .proto = IPPROTO_UDP, .ihl = 6 } },
	{ "IPv4 options, record route", { .proto = IPPROTO_UDP, .ihl = 8,
					  .opts = opts_rr } },
	{ "IPv4 options, loose source route",
	  { .proto = IPPROTO_UDP, .ihl = 7, .opts = opts_lsrr },
	  .want = VMBR_NAT_DROP_UNSUPPORTED },
	{ "IPv4 options, one past the header",
	  { .proto = IPPROTO_UDP, .ihl = 6, .opts = opts_long },
	  .want = VMBR_NAT_DROP_MALFORMED },
	{ "link-layer padding is trimmed", { .proto = IPPROTO_UDP,
					     .pad = 6 } },
	{ "first fragment", { .proto = IPPROTO_UDP, .payload = 100,
			      .frag = IP_MF } },
	{ "later fragment, too short for UDP", { .proto = IPPROTO_UDP,
						.frag = 100, .cut = 4 } },
	{ "bad version", { .proto = IPPROTO_UDP, .version = 6 },
	  .want = VMBR_NAT_DROP_MALFORMED },
	{ "IHL 4", { .proto = IPPROTO_UDP, .ihl = 4 },
	  .want = VMBR_NAT_DROP_MALFORMED },
	{ "tot_len beyond the packet", { .proto = IPPROTO_UDP,
					 .len_delta = 1 },
	  .want = VMBR_NAT_DROP_MALFORMED },
	{ "tot_len within the header", { .proto = IPPROTO_UDP,
					 .len_delta = -9 },
	  .want = VMBR_NAT_DROP_MALFORMED },
	{ "bad header checksum", { .proto = IPPROTO_UDP, .bad_csum = true },
	  .want = VMBR_NAT_DROP_MALFORMED },
	{ "truncated TCP", { .proto = IPPROTO_TCP, .cut = 19 },
	  .want = VMBR_NAT_DROP_MALFORMED },
	{ "TCP doff 4", { .proto = IPPROTO_TCP, .doff = 4 },
	  .want = VMBR_NAT_DROP_MALFORMED },
	{ "TCP doff beyond the packet", { .proto = IPPROTO_TCP, .doff = 8,
					  .cut = 28 },
	  .want = VMBR_NAT_DROP_MALFORMED },
	{ "truncated UDP", { .proto = IPPROTO_UDP, .cut = 7 },
	  .want = VMBR_NAT_DROP_MALFORMED },
	{ "UDP length 7", { .proto = IPPROTO_UDP, .payload = 4,
			    .udp_len = 7 },
	  .want = VMBR_NAT_DROP_MALFORMED },
	{ "UDP length beyond the packet", { .proto = IPPROTO_UDP,
					    .payload = 4, .udp_len = 13 },
	  .want = VMBR_NAT_DROP_MALFORMED },
	{ "truncated ICMP", { .proto = IPPROTO_ICMP, .type = ICMP_ECHO,
			      .cut = 4 },
	  .want = VMBR_NAT_DROP_MALFORMED },
	{ "GRE", { .proto = IPPROTO_GRE, .payload = 8 },
	  .want = VMBR_NAT_DROP_UNSUPPORTED },
	{ "ICMP timestamp", { .proto = IPPROTO_ICMP, .type = ICMP_TIMESTAMP,
			      .payload = 12 },
	  .want = VMBR_NAT_DROP_UNSUPPORTED },
	{ "ICMP error, UDP", { ERR_PORT }, { .proto = IPPROTO_UDP } },
	{ "ICMP error, UDP with payload", { ERR_PORT },
	  { .proto = IPPROTO_UDP, .payload = 20 } },
	{ "ICMP error, TCP header", { ERR_TTL },
	  { .proto = IPPROTO_TCP, .tcp_flags = TCPHDR_SYN } },
	{ "ICMP error, TCP with options", { ERR_TTL },
	  { .proto = IPPROTO_TCP, .doff = 8, .tcp_flags = TCPHDR_ACK } },
	{ "ICMP error, 8 bytes of TCP", { ERR_TTL },
	  { .proto = IPPROTO_TCP, .tcp_flags = TCPHDR_ACK },
	  sizeof(struct iphdr) + 8 },
	{ "ICMP error, echo", { ERR_TTL },
	  { .proto = IPPROTO_ICMP, .type = ICMP_ECHO } },
	{ "ICMP error, truncated quoted header", { ERR_TTL },
	  { .proto = IPPROTO_UDP }, 12, VMBR_NAT_DROP_MALFORMED },
	{ "ICMP error, quoted IHL 4", { ERR_TTL },
	  { .proto = IPPROTO_UDP, .ihl = 4 }, 0, VMBR_NAT_DROP_MALFORMED },
	{ "ICMP error, quoted version 6", { ERR_TTL },
	  { .proto = IPPROTO_UDP, .version = 6 }, 0,
	  VMBR_NAT_DROP_MALFORMED },
	{ "ICMP error, 4 bytes of UDP", { ERR_PORT },
	  { .proto = IPPROTO_UDP }, sizeof(struct iphdr) + 4,
	  VMBR_NAT_DROP_MALFORMED },
	{ "ICMP error, quoted later fragment", { ERR_TTL },
	  { .proto = IPPROTO_UDP, .frag = 100 }, 0,
	  VMBR_NAT_DROP_UNSUPPORTED },
	{ "ICMP error, quoted GRE", { ERR_PORT },
	  { .proto = IPPROTO_GRE, .payload = 8 }, 0,
	  VMBR_NAT_DROP_UNSUPPORTED },
	{ "ICMP error, quoted ICMP error", { ERR_TTL },
	  { .proto = IPPROTO_ICMP, .type = ICMP_DEST_UNREACH }, 0,
	  VMBR_NAT_DROP_UNSUPPORTED },
	{ "TCP, sum to compute", { .proto = IPPROTO_TCP, .payload = 10 },
	  PARTIAL(0, 16) },
	{ "UDP, sum to compute", { .proto = IPPROTO_UDP, .payload = 30 },
	  PARTIAL(0, 6) },
	{ "ICMP error, sum to compute", { ERR_PORT },
	  { .proto = IPPROTO_UDP }, PARTIAL(0, 2) },
	{ "UDP, sum to compute in the payload",
	  { .proto = IPPROTO_UDP, .payload = 30 },
	  .want = VMBR_NAT_DROP_MALFORMED, PARTIAL(0, 16) },
	{ "TCP, sum to compute from past its header",
	  { .proto = IPPROTO_TCP, .payload = 30 },
	  .want = VMBR_NAT_DROP_MALFORMED, PARTIAL(4, 16) },
	{ "UDP, sum to compute in the link-layer padding",
	  { .proto = IPPROTO_UDP, .pad = 32 },
	  .want = VMBR_NAT_DROP_MALFORMED, PARTIAL(0, 30) },
	{ "first fragment, sum to compute",
	  { .proto = IPPROTO_UDP, .payload = 100, .frag = IP_MF },
	  .want = VMBR_NAT_DROP_MALFORMED, PARTIAL(0, 6) },
	{ "GRE, sum to compute", { .proto = IPPROTO_GRE, .payload = 8 },
	  .want = VMBR_NAT_DROP_MALFORMED, PARTIAL(0, 4) },
};

/*
 * Options through the NAT: record route and timestamp become no-ops (they
 * would carry addresses across), the rest stays; and when a packet is cut,
 * the fragments after the first carry only those to be copied.
 */
static void vmbr_nat_test_ip_options(struct kunit *test)
{
	static const u8 xlated[12] = {
		IPOPT_NOOP, IPOPT_NOOP, IPOPT_NOOP, IPOPT_NOOP, IPOPT_NOOP,
		IPOPT_NOOP, IPOPT_NOOP, IPOPT_RA, 4, 0, 0, IPOPT_NOOP,
	};
	static const u8 opts_ts[12] = {
		IPOPT_TIMESTAMP, 8, 5, 0, 0, 0, 0, 0, IPOPT_RA, 4, 0, 0,
	};
	static const u8 later[12] = {
		IPOPT_NOOP, IPOPT_NOOP, IPOPT_NOOP, IPOPT_NOOP, IPOPT_NOOP,
		IPOPT_NOOP, IPOPT_NOOP, IPOPT_NOOP, IPOPT_RA, 4, 0, 0,
	};
	const struct nat_tuple t = { GUEST, REMOTE, htons(GPORT), htons(RPORT) };
	const struct nat_tuple want = {
		EXT, REMOTE, htons(EPORT), htons(RPORT),
	};
	struct pkt_def d = {
		.proto = IPPROTO_UDP, .payload = 20, .ihl = 8, .opts = opts_rr,
	};
	struct vmbr_nat_pkt pkt;
	struct sk_buff *skb;
	struct iphdr *iph;
	unsigned int len;
	u8 *buf;

	buf = kunit_kzalloc(test, PKT_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = pkt_put(buf, &d, &t, NULL, 0);
	skb = pkt_skb(test, buf, len, LINEAR, C_NONE, NULL);
	KUNIT_ASSERT_EQ(test, vmbr_nat_parse(skb, &pkt), VMBR_NAT_DROP_UNSPEC);
	KUNIT_ASSERT_EQ(test, vmbr_nat_rewrite(skb, &pkt, true, EXT,
					       htons(EPORT)), 0);
	expect_sound(test, skb, IPPROTO_UDP, &want);
	KUNIT_EXPECT_MEMEQ(test, pkt_bytes(test, skb) + sizeof(*iph), xlated,
			   sizeof(xlated));

	d.opts = opts_ts;
	pkt_put(buf, &d, &t, NULL, 0);
	iph = (struct iphdr *)buf;
	KUNIT_EXPECT_EQ(test, vmbr_nat_ip_options(iph,
						  VMBR_NAT_OPTS_LATER_FRAGS),
			VMBR_NAT_DROP_UNSPEC);
	KUNIT_EXPECT_MEMEQ(test, buf + sizeof(*iph), later, sizeof(later));
	KUNIT_EXPECT_EQ_MSG(test, (__force u16)ip_fast_csum(iph, iph->ihl), 0,
			    "IPv4 header checksum");
}

static void parse_case_desc(const struct parse_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(parse, parse_cases, parse_case_desc);

static void vmbr_nat_test_parse(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	const struct nat_tuple t = {
		GUEST, REMOTE, htons(GPORT), htons(RPORT),
	};
	const struct nat_tuple it = {
		REMOTE, GUEST, htons(RPORT), htons(GPORT),
	};
	const struct pkt_def *wd = c->inner.proto ? &c->inner : &c->d;
	const struct nat_tuple *want = c->inner.proto ? &it : &t;
	unsigned int len, ilen = 0;
	struct vmbr_nat_pkt pkt;
	__be16 sport, dport;
	struct sk_buff *skb;
	u8 *buf, *ibuf;
	bool partial;

	buf = kunit_kzalloc(test, PKT_MAX, GFP_KERNEL);
	ibuf = kunit_kzalloc(test, PKT_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, ibuf);
	if (c->inner.proto) {
		ilen = pkt_put(ibuf, &c->inner, &it, NULL, 0);
		if (c->quote)
			ilen = c->quote;
	}
	len = pkt_put(buf, &c->d, &t, c->inner.proto ? ibuf : NULL, ilen);
	skb = pkt_skb(test, buf, len, LINEAR, C_NONE, NULL);
	if (c->partial.on) {
		partial = skb_partial_csum_set(skb, max(c->d.ihl, 5) * 4 +
					       c->partial.start,
					       c->partial.offset);
		KUNIT_ASSERT_TRUE(test, partial);
	}

	KUNIT_ASSERT_EQ(test, vmbr_nat_parse(skb, &pkt), c->want);
	if (c->want != VMBR_NAT_DROP_UNSPEC)
		return;
	KUNIT_EXPECT_EQ(test, skb->len, len - c->d.pad);
	KUNIT_EXPECT_EQ(test, pkt.l4_off, max(c->d.ihl, 5) * 4);
	KUNIT_EXPECT_EQ(test, pkt.fragment, !!c->d.frag);
	KUNIT_EXPECT_EQ(test, pkt.icmp_error, !!c->inner.proto);
	KUNIT_EXPECT_EQ(test, pkt.proto, wd->proto);
	KUNIT_EXPECT_EQ(test, pkt.saddr, want->saddr);
	KUNIT_EXPECT_EQ(test, pkt.daddr, want->daddr);
	if (c->d.proto == IPPROTO_ICMP && !c->d.frag)
		KUNIT_EXPECT_EQ(test, pkt.icmp_type, c->d.type);
	if (c->d.frag) {
		KUNIT_EXPECT_EQ(test, pkt.sport, 0);
		KUNIT_EXPECT_EQ(test, pkt.dport, 0);
		return;
	}
	l4_ports(c->inner.proto ? ibuf + sizeof(struct iphdr) :
		 buf + pkt.l4_off, wd->proto, &sport, &dport);
	KUNIT_EXPECT_EQ(test, ntohs(pkt.sport), ntohs(sport));
	KUNIT_EXPECT_EQ(test, ntohs(pkt.dport), ntohs(dport));
	KUNIT_EXPECT_EQ(test, pkt.tcp_flags,
			c->inner.proto ? 0 : c->d.tcp_flags);
}

/* The tables: a NAT of its own, two guests. */

struct nat_fix {
	struct vmbr_nat *nat;
	struct vmbr_port *guest[2];
};

static void nat_free(void *data)
{
	struct vmbr_nat *nat = data;

	vmbr_nat_uninit(nat);
	kfree(nat);
}

/* A NAT on the uplink address EXT, with its defaults. */
static struct nat_fix *nat_fix(struct kunit *test)
{
	struct nat_fix *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	int i, err;

	KUNIT_ASSERT_NOT_NULL(test, f);
	/* Before the NAT: freed after it (actions run in reverse). */
	for (i = 0; i < ARRAY_SIZE(f->guest); i++) {
		f->guest[i] = kunit_kzalloc(test, sizeof(*f->guest[i]),
					    GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, f->guest[i]);
	}
	f->nat = kzalloc(sizeof(*f->nat), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->nat);
	err = vmbr_nat_init(f->nat);
	if (err)
		kfree(f->nat);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, nat_free,
							f->nat), 0);
	vmbr_nat_set_address(f->nat, EXT);
	return f;
}

static struct vmbr_nat_key nat_key(u8 proto, __be32 int_addr, u16 int_port,
				   __be32 rem_addr, u16 rem_port)
{
	return (struct vmbr_nat_key){
		.int_addr = int_addr, .int_port = htons(int_port),
		.rem_addr = rem_addr, .rem_port = htons(rem_port),
		.proto = proto,
	};
}

static struct vmbr_nat_sess *sess_out(struct vmbr_nat *nat,
				      struct vmbr_port *guest,
				      const struct vmbr_nat_key *key,
				      enum vmbr_nat_drop_reason *why)
{
	struct vmbr_nat_sess *sess;

	*why = VMBR_NAT_DROP_UNSPEC;
	rcu_read_lock();
	sess = vmbr_nat_sess_add_out(nat, &init_net, guest, key, why);
	rcu_read_unlock();
	return sess;
}

static struct vmbr_nat_sess *sess_in(struct vmbr_nat *nat,
				     struct vmbr_nat_map *map, __be32 rem_addr,
				     u16 rem_port,
				     enum vmbr_nat_drop_reason *why)
{
	struct vmbr_nat_sess *sess;

	*why = VMBR_NAT_DROP_UNSPEC;
	rcu_read_lock();
	sess = vmbr_nat_sess_add_in(nat, map, rem_addr, htons(rem_port), why);
	rcu_read_unlock();
	return sess;
}

static struct vmbr_nat_sess *sess_find(struct vmbr_nat *nat,
				       const struct vmbr_nat_key *key)
{
	struct vmbr_nat_sess *sess;

	rcu_read_lock();
	sess = vmbr_nat_sess_find(nat, key);
	rcu_read_unlock();
	return sess;
}

static struct vmbr_nat_map *map_ext(struct vmbr_nat *nat, u8 proto, u16 port)
{
	struct vmbr_nat_map *map;

	rcu_read_lock();
	map = vmbr_nat_map_find_ext(nat, proto, htons(port));
	rcu_read_unlock();
	return map;
}

/* A new session from @guest's @key: its external port, 0 if refused. */
static u16 open_out(struct kunit *test, struct vmbr_nat *nat,
		    struct vmbr_port *guest, const struct vmbr_nat_key *key,
		    enum vmbr_nat_drop_reason *why)
{
	struct vmbr_nat_sess *sess = sess_out(nat, guest, key, why);

	if (!sess)
		return 0;
	KUNIT_EXPECT_EQ(test, *why, VMBR_NAT_DROP_UNSPEC);
	return ntohs(sess->map->ek.port);
}

/* Age @sess past its timeout: the next vmbr_nat_expire() takes it. */
static void age(struct vmbr_nat *nat, struct vmbr_nat_sess *sess)
{
	WRITE_ONCE(sess->last_seen,
		   (u32)jiffies - 2 * (u32)vmbr_nat_timeout_of(nat, sess));
}

static bool port_in(int port, int lo, int hi)
{
	return port >= lo && port <= hi;
}

/* External ports. */

struct port_case {
	const char *name;
	u16 port_min, port_max;
	u16 guest_port;
	bool kept;
};

/* The host's ephemeral range is its default, 32768-60999. */
static const struct port_case port_cases[] = {
	{ "free port outside the ephemeral range kept", 1024, 65535, 5000,
	  true },
	{ "port of the ephemeral range not kept", 1024, 65535, 40000,
	  false },
	{ "port in a small range kept", 2000, 2009, 2005, true },
	{ "port below the range not kept", 2000, 2009, 1500, false },
	{ "port above the range not kept", 2000, 2009, 5000, false },
	{ "range across the ephemeral range: its port not kept", 32000,
	  62000, 40000, false },
	{ "range across the ephemeral range: a port past it kept", 32000,
	  62000, 61500, true },
};

static void port_case_desc(const struct port_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(port, port_cases, port_case_desc);

static void vmbr_nat_test_port(struct kunit *test)
{
	const struct port_case *c = test->param_value;
	struct nat_fix *f = nat_fix(test);
	struct vmbr_nat_key key = nat_key(IPPROTO_UDP, GUEST, c->guest_port,
					  REMOTE, RPORT);
	enum vmbr_nat_drop_reason why;
	int eph_lo, eph_hi;
	u16 port;

	inet_get_local_port_range(&init_net, &eph_lo, &eph_hi);
	KUNIT_ASSERT_EQ_MSG(test, port_in(c->guest_port, eph_lo, eph_hi) ||
			    !port_in(c->guest_port, c->port_min, c->port_max),
			    !c->kept, "ephemeral range %d-%d", eph_lo, eph_hi);
	f->nat->port_min = c->port_min;
	f->nat->port_max = c->port_max;
	port = open_out(test, f->nat, f->guest[0], &key, &why);
	KUNIT_ASSERT_NE(test, port, 0);
	if (c->kept)
		KUNIT_EXPECT_EQ(test, port, c->guest_port);
	else
		KUNIT_EXPECT_NE(test, port, c->guest_port);
	KUNIT_EXPECT_TRUE(test, port_in(port, c->port_min, c->port_max));
	KUNIT_EXPECT_FALSE(test, port_in(port, eph_lo, eph_hi));
}

/* Two guests asking for one port get one each; so does a forward. */
static void vmbr_nat_test_port_collision(struct kunit *test)
{
	struct nat_fix *f = nat_fix(test);
	struct vmbr_nat_key a = nat_key(IPPROTO_UDP, GUEST, GPORT, REMOTE,
					RPORT);
	struct vmbr_nat_key b = nat_key(IPPROTO_UDP, GUEST2, GPORT, REMOTE,
					RPORT);
	struct vmbr_nat_key c = nat_key(IPPROTO_UDP, GUEST2, GPORT + 1,
					REMOTE, RPORT);
	struct vmbr_nat_key tcp = nat_key(IPPROTO_TCP, GUEST2, GPORT, REMOTE,
					  RPORT);
	enum vmbr_nat_drop_reason why;
	u16 pa, pb;

	pa = open_out(test, f->nat, f->guest[0], &a, &why);
	pb = open_out(test, f->nat, f->guest[1], &b, &why);
	KUNIT_EXPECT_EQ(test, pa, GPORT);
	KUNIT_EXPECT_NE(test, pb, 0);
	KUNIT_EXPECT_NE(test, pb, GPORT);
	/* Each protocol has its ports. */
	KUNIT_EXPECT_EQ(test, open_out(test, f->nat, f->guest[1], &tcp, &why),
			GPORT);
	/* A forwarded port is taken too. */
	KUNIT_ASSERT_EQ(test, vmbr_nat_fwd_add(f->nat, IPPROTO_UDP,
					       htons(GPORT + 1), GUEST,
					       htons(80), NULL), 0);
	pb = open_out(test, f->nat, f->guest[1], &c, &why);
	KUNIT_EXPECT_NE(test, pb, 0);
	KUNIT_EXPECT_NE(test, pb, GPORT + 1);
}

/* Ten ports: ten mappings, each its own port; the eleventh is refused. */
static void vmbr_nat_test_port_exhaustion(struct kunit *test)
{
	struct nat_fix *f = nat_fix(test);
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_key key;
	int eph_lo, eph_hi, i, j;
	u16 port[10];

	inet_get_local_port_range(&init_net, &eph_lo, &eph_hi);
	KUNIT_ASSERT_GT(test, eph_lo, 2009);
	f->nat->port_min = 2000;
	f->nat->port_max = 2009;
	for (i = 0; i < ARRAY_SIZE(port); i++) {
		key = nat_key(IPPROTO_UDP, GUEST_N(i), GPORT, REMOTE, RPORT);
		port[i] = open_out(test, f->nat, NULL, &key, &why);
		KUNIT_ASSERT_NE_MSG(test, port[i], 0, "mapping %d", i);
		KUNIT_EXPECT_TRUE(test, port_in(port[i], 2000, 2009));
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, port[i], port[j]);
	}
	key = nat_key(IPPROTO_UDP, GUEST_N(10), GPORT, REMOTE, RPORT);
	KUNIT_EXPECT_NULL(test, sess_out(f->nat, NULL, &key, &why));
	KUNIT_EXPECT_EQ(test, why, VMBR_NAT_DROP_NO_PORT);
	KUNIT_EXPECT_EQ(test, f->nat->nmaps, 10);
	KUNIT_EXPECT_NULL(test, sess_out(f->nat, NULL, &key, &why));
	KUNIT_EXPECT_EQ(test, why, VMBR_NAT_DROP_NO_PORT);
	/* TCP has its own ports. */
	key = nat_key(IPPROTO_TCP, GUEST_N(10), GPORT, REMOTE, RPORT);
	KUNIT_EXPECT_NE(test, open_out(test, f->nat, NULL, &key, &why), 0);
	/* A mapping that is there still opens sessions. */
	key = nat_key(IPPROTO_UDP, GUEST_N(3), GPORT, REMOTE2, RPORT);
	KUNIT_EXPECT_EQ(test, open_out(test, f->nat, NULL, &key, &why),
			port[3]);
	/* A mapping that goes frees its port for the next, at once. */
	key = nat_key(IPPROTO_UDP, GUEST_N(0), GPORT, REMOTE, RPORT);
	age(f->nat, sess_find(f->nat, &key));
	KUNIT_EXPECT_EQ(test, vmbr_nat_expire(f->nat, jiffies), 1);
	key = nat_key(IPPROTO_UDP, GUEST_N(10), GPORT, REMOTE, RPORT);
	KUNIT_EXPECT_EQ(test, open_out(test, f->nat, NULL, &key, &why),
			port[0]);
}

/*
 * A range across the host's ephemeral range: the ports outside it go
 * first, then those inside it; a guest's own port there is not kept.
 */
static void vmbr_nat_test_port_tiers(struct kunit *test)
{
	struct nat_fix *f = nat_fix(test);
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_key key;
	int eph_lo, eph_hi, i;
	u16 port;

	inet_get_local_port_range(&init_net, &eph_lo, &eph_hi);
	KUNIT_ASSERT_TRUE(test, eph_lo > 1024 + 5 && eph_hi < 65535 - 5);
	f->nat->port_min = eph_lo - 5;
	f->nat->port_max = eph_hi + 5;
	for (i = 0; i < 10; i++) {
		key = nat_key(IPPROTO_UDP, GUEST_N(i), eph_lo + 100, REMOTE,
			      RPORT);
		port = open_out(test, f->nat, NULL, &key, &why);
		KUNIT_ASSERT_NE_MSG(test, port, 0, "mapping %d", i);
		KUNIT_EXPECT_FALSE_MSG(test, port_in(port, eph_lo, eph_hi),
				       "mapping %d on %u", i, port);
	}
	for (i = 10; i < 20; i++) {
		key = nat_key(IPPROTO_UDP, GUEST_N(i), eph_lo + 100, REMOTE,
			      RPORT);
		port = open_out(test, f->nat, NULL, &key, &why);
		KUNIT_ASSERT_NE_MSG(test, port, 0, "mapping %d", i);
		KUNIT_EXPECT_TRUE_MSG(test, port_in(port, eph_lo, eph_hi),
				      "mapping %d on %u", i, port);
		KUNIT_EXPECT_NE(test, port, eph_lo + 100);
	}
	KUNIT_EXPECT_EQ(test, f->nat->nmaps, 20);
}

/* Patterns of held ports in a range of 8192: every free one is found. */
enum fill_pattern {
	FILL_RUNS,	/* runs of guests' own ports, gaps between */
	FILL_ODD,	/* every other port */
	FILL_HASHED,	/* three ports in four, hashed */
	FILL_ALL_BUT_FIRST,
	FILL_ALL_BUT_LAST,
	FILL_ONE_WORD,	/* all but 64 ports, one word of the bitmap */
	FILL_RESERVED,	/* every third port the host's reserved one */
	FILL_FORWARDS,	/* every fifth port forwarded */
};

struct fill_case {
	const char *name;
	enum fill_pattern pattern;
	u8 proto;
};

static const struct fill_case fill_cases[] = {
	{ "udp, runs of held ports", FILL_RUNS, IPPROTO_UDP },
	{ "udp, every other port held", FILL_ODD, IPPROTO_UDP },
	{ "udp, hashed ports held", FILL_HASHED, IPPROTO_UDP },
	{ "udp, all held but the first", FILL_ALL_BUT_FIRST, IPPROTO_UDP },
	{ "udp, all held but the last", FILL_ALL_BUT_LAST, IPPROTO_UDP },
	{ "udp, all held but one word", FILL_ONE_WORD, IPPROTO_UDP },
	{ "udp, the host's reserved ports", FILL_RESERVED, IPPROTO_UDP },
	{ "udp, forwards", FILL_FORWARDS, IPPROTO_UDP },
	{ "tcp, runs of held ports", FILL_RUNS, IPPROTO_TCP },
	{ "tcp, hashed ports held", FILL_HASHED, IPPROTO_TCP },
	{ "tcp, the host's reserved ports", FILL_RESERVED, IPPROTO_TCP },
	{ "icmp, runs of held identifiers", FILL_RUNS, IPPROTO_ICMP },
	{ "icmp, all held but the last", FILL_ALL_BUT_LAST, IPPROTO_ICMP },
};

static void fill_case_desc(const struct fill_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fill, fill_cases, fill_case_desc);

#define FILL_LO		10000
#define FILL_N		8192

/* Is port FILL_LO + @i held before the test's flows come, in @p? */
static bool fill_held(enum fill_pattern p, u32 i)
{
	switch (p) {
	case FILL_RUNS:
		return i % 700 < 640;
	case FILL_ODD:
		return i & 1;
	case FILL_HASHED:
		return jhash_1word(i, 0x5eed) & 3;
	case FILL_ALL_BUT_FIRST:
		return i;
	case FILL_ALL_BUT_LAST:
		return i != FILL_N - 1;
	case FILL_ONE_WORD:
		return i / 64 != 37;
	case FILL_RESERVED:
	case FILL_FORWARDS:
		return false;
	}
	return false;
}

/* The host's reserved ports the test set, cleared when it ends. */
static void fill_unreserve(void *data)
{
	unsigned long *reserved = init_net.ipv4.sysctl_local_reserved_ports;
	u32 i;

	for (i = 0; i < FILL_N; i += 3)
		clear_bit(FILL_LO + i, reserved);
}

static void vmbr_nat_test_port_fill(struct kunit *test)
{
	const struct fill_case *c = test->param_value;
	unsigned long *reserved = init_net.ipv4.sysctl_local_reserved_ports;
	struct nat_fix *f = nat_fix(test);
	struct vmbr_nat *nat = f->nat;
	enum vmbr_nat_drop_reason why;
	unsigned long *want;
	struct vmbr_nat_key key;
	u32 i, nfree = 0, got = 0;
	int eph_lo, eph_hi;
	u16 port;

	inet_get_local_port_range(&init_net, &eph_lo, &eph_hi);
	KUNIT_ASSERT_GT(test, eph_lo, FILL_LO + FILL_N + 1000);
	nat->max_sessions = 1 << 20;
	want = kunit_kzalloc(test, BITS_TO_LONGS(FILL_N) * sizeof(long),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, want);
	nat->port_min = FILL_LO;
	nat->port_max = FILL_LO + FILL_N - 1;
	if (c->pattern == FILL_RESERVED) {
		for (i = 0; i < FILL_N; i += 3)
			KUNIT_ASSERT_FALSE(test, test_bit(FILL_LO + i, reserved));
		KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
								fill_unreserve,
								NULL), 0);
		for (i = 0; i < FILL_N; i += 3)
			set_bit(FILL_LO + i, reserved);
	}
	for (i = 0; i < FILL_N; i++) {
		if (c->pattern == FILL_RESERVED && c->proto != IPPROTO_ICMP &&
		    i % 3 == 0)
			continue;
		if (c->pattern == FILL_FORWARDS && i % 5 == 0) {
			KUNIT_ASSERT_EQ(test,
					vmbr_nat_fwd_add(nat, c->proto,
							 htons(FILL_LO + i),
							 GUEST_N(100),
							 htons(FILL_LO + i),
							 NULL), 0);
			continue;
		}
		if (!fill_held(c->pattern, i)) {
			__set_bit(i, want);
			nfree++;
			continue;
		}
		/* Held by a guest's mapping on its own port. */
		key = nat_key(c->proto, GUEST_N(i % 64), FILL_LO + i, REMOTE,
			      c->proto == IPPROTO_ICMP ? 0 : RPORT);
		KUNIT_ASSERT_EQ_MSG(test, open_out(test, nat, NULL, &key, &why),
				    FILL_LO + i, "port %u", FILL_LO + i);
	}
	/* Flows from ports outside the range: each takes a free one. */
	for (i = 0; i < nfree; i++) {
		key = nat_key(c->proto, GUEST_N(65 + i % 64), 20000 + i, REMOTE,
			      c->proto == IPPROTO_ICMP ? 0 : RPORT);
		port = open_out(test, nat, NULL, &key, &why);
		KUNIT_ASSERT_NE_MSG(test, port, 0, "flow %u of %u free: %d",
				    i, nfree, why);
		KUNIT_ASSERT_TRUE(test, port_in(port, FILL_LO,
						FILL_LO + FILL_N - 1));
		KUNIT_ASSERT_TRUE_MSG(test, __test_and_clear_bit(port - FILL_LO,
								 want),
				      "port %u was not free", port);
		got++;
	}
	KUNIT_EXPECT_EQ(test, got, nfree);
	KUNIT_EXPECT_EQ(test, bitmap_weight(want, FILL_N), 0);
	/* Full: refused, counted as no-port. */
	key = nat_key(c->proto, GUEST, 30000, REMOTE, 7);
	KUNIT_EXPECT_NULL(test, sess_out(nat, NULL, &key, &why));
	KUNIT_EXPECT_EQ(test, why, VMBR_NAT_DROP_NO_PORT);
	/* A port let go is found at once by the next flow. */
	key = nat_key(c->proto, GUEST_N(65), 20000, REMOTE,
		      c->proto == IPPROTO_ICMP ? 0 : RPORT);
	port = ntohs(sess_find(nat, &key)->map->ek.port);
	age(nat, sess_find(nat, &key));
	KUNIT_EXPECT_EQ(test, vmbr_nat_expire(nat, jiffies), 1);
	key = nat_key(c->proto, GUEST, 30000, REMOTE, 7);
	KUNIT_EXPECT_EQ(test, open_out(test, nat, NULL, &key, &why), port);
}

/* The host's own sockets: their ports are never a guest's. */
static void sock_release_action(void *data)
{
	sock_release(data);
}

static struct socket *host_sock(struct kunit *test, int type, u16 port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET, .sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct socket *sock;

	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, AF_INET, type,
					       type == SOCK_STREAM ?
					       IPPROTO_TCP : IPPROTO_UDP,
					       &sock), 0);
	KUNIT_ASSERT_EQ(test, kernel_bind(sock, (struct sockaddr *)&sin,
					  sizeof(sin)), 0);
	if (type == SOCK_STREAM)
		KUNIT_ASSERT_EQ(test, kernel_listen(sock, 1), 0);
	return sock;
}

static u16 sock_port(struct kunit *test, struct socket *sock)
{
	struct sockaddr_in sin;

	KUNIT_ASSERT_GE(test, kernel_getsockname(sock,
						 (struct sockaddr *)&sin), 0);
	return ntohs(sin.sin_port);
}

static void vmbr_nat_test_port_host(struct kunit *test)
{
	struct nat_fix *f = nat_fix(test);
	struct vmbr_nat *nat = f->nat;
	struct socket *udp, *tcp, *eph;
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_key key;
	int eph_lo, eph_hi, i;
	u16 port, e;

	inet_get_local_port_range(&init_net, &eph_lo, &eph_hi);
	KUNIT_ASSERT_GT(test, eph_lo, 3009);
	udp = host_sock(test, SOCK_DGRAM, 3002);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							sock_release_action,
							udp), 0);
	tcp = host_sock(test, SOCK_STREAM, 3003);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							sock_release_action,
							tcp), 0);
	nat->port_min = 3000;
	nat->port_max = 3004;
	/* UDP: four ports of five, never the host's bound one. */
	for (i = 0; i < 4; i++) {
		key = nat_key(IPPROTO_UDP, GUEST_N(i), 3002, REMOTE, RPORT);
		port = open_out(test, nat, NULL, &key, &why);
		KUNIT_ASSERT_NE_MSG(test, port, 0, "mapping %d", i);
		KUNIT_EXPECT_NE(test, port, 3002);
	}
	key = nat_key(IPPROTO_UDP, GUEST_N(4), 3002, REMOTE, RPORT);
	KUNIT_EXPECT_NULL(test, sess_out(nat, NULL, &key, &why));
	KUNIT_EXPECT_EQ(test, why, VMBR_NAT_DROP_NO_PORT);
	/* TCP: never the host's listener's. */
	for (i = 0; i < 4; i++) {
		key = nat_key(IPPROTO_TCP, GUEST_N(i), 3003, REMOTE, RPORT);
		port = open_out(test, nat, NULL, &key, &why);
		KUNIT_ASSERT_NE_MSG(test, port, 0, "mapping %d", i);
		KUNIT_EXPECT_NE(test, port, 3003);
	}
	key = nat_key(IPPROTO_TCP, GUEST_N(4), 3003, REMOTE, RPORT);
	KUNIT_EXPECT_NULL(test, sess_out(nat, NULL, &key, &why));
	KUNIT_EXPECT_EQ(test, why, VMBR_NAT_DROP_NO_PORT);
	/* The host lets its port go: the next flow finds it at once. */
	kunit_release_action(test, sock_release_action, udp);
	KUNIT_EXPECT_EQ(test, open_out(test, nat, NULL, &key, &why), 0);
	key = nat_key(IPPROTO_UDP, GUEST_N(4), 3002, REMOTE, RPORT);
	KUNIT_EXPECT_EQ(test, open_out(test, nat, NULL, &key, &why), 3002);

	/* A port the host's stack chose itself, in its ephemeral range. */
	eph = host_sock(test, SOCK_DGRAM, 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							sock_release_action,
							eph), 0);
	e = sock_port(test, eph);
	KUNIT_ASSERT_TRUE(test, port_in(e, eph_lo, eph_hi));
	nat->port_min = e;
	nat->port_max = e;
	key = nat_key(IPPROTO_UDP, GUEST_N(5), e, REMOTE, RPORT);
	KUNIT_EXPECT_NULL(test, sess_out(nat, NULL, &key, &why));
	KUNIT_EXPECT_EQ(test, why, VMBR_NAT_DROP_NO_PORT);
	kunit_release_action(test, sock_release_action, eph);
	KUNIT_EXPECT_EQ(test, open_out(test, nat, NULL, &key, &why), e);
}

/*
 * Sharing: @n flows of @g from its ports @first..., one remote end each;
 * how many got a mapping.
 */
static int share_open(struct kunit *test, struct vmbr_nat *nat,
		      struct vmbr_port *g, __be32 addr, u16 first, int n)
{
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_key key;
	int i, got = 0;

	for (i = 0; i < n; i++) {
		key = nat_key(IPPROTO_UDP, addr, first + i, REMOTE, RPORT);
		if (open_out(test, nat, g, &key, &why))
			got++;
		else
			KUNIT_EXPECT_EQ(test, why, VMBR_NAT_DROP_NO_PORT);
	}
	return got;
}

/* End @n of the flows share_open() made. */
static void share_close(struct kunit *test, struct vmbr_nat *nat,
			__be32 addr, u16 first, int n)
{
	struct vmbr_nat_key key;
	int i;

	for (i = 0; i < n; i++) {
		key = nat_key(IPPROTO_UDP, addr, first + i, REMOTE, RPORT);
		age(nat, sess_find(nat, &key));
	}
	KUNIT_EXPECT_EQ(test, vmbr_nat_expire(nat, jiffies), n);
}

/*
 * Two guests, 100 ports.  Alone, a guest takes free ports beyond its
 * share (half) up to the reserve (1/64 of the range, at least one port);
 * the other still gets a port at once.  When ports come back, one below
 * its share takes them while the one above is stopped at the reserve.
 */
static void vmbr_nat_test_port_share(struct kunit *test)
{
	struct nat_fix *f = nat_fix(test);
	struct vmbr_port *g0 = f->guest[0], *g1 = f->guest[1];
	struct vmbr_nat *nat = f->nat;
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_key key;

	nat->port_min = 2000;
	nat->port_max = 2099;
	KUNIT_EXPECT_EQ(test, share_open(test, nat, g0, GUEST, 10000, 100), 99);
	KUNIT_EXPECT_EQ(test, g0->nat_maps[VMBR_NAT_P_UDP], 99);
	/* Its mappings still open sessions; TCP has its own ports. */
	key = nat_key(IPPROTO_UDP, GUEST, 10000, REMOTE2, RPORT);
	KUNIT_EXPECT_NE(test, open_out(test, nat, g0, &key, &why), 0);
	key = nat_key(IPPROTO_TCP, GUEST, 10000, REMOTE, RPORT);
	KUNIT_EXPECT_NE(test, open_out(test, nat, g0, &key, &why), 0);
	/* The other guest: the reserved port, then the range is full. */
	KUNIT_EXPECT_EQ(test, share_open(test, nat, g1, GUEST2, 10000, 2), 1);
	KUNIT_EXPECT_EQ(test, nat->nmaps, 101);
	/* Twenty come back: g1 (below its third) takes 19, g0 none. */
	share_close(test, nat, GUEST, 10001, 20);
	KUNIT_EXPECT_EQ(test, share_open(test, nat, g1, GUEST2, 20000, 19), 19);
	KUNIT_EXPECT_EQ(test, share_open(test, nat, g0, GUEST, 20000, 5), 0);
	KUNIT_EXPECT_EQ(test, share_open(test, nat, g1, GUEST2, 30000, 5), 1);
	KUNIT_EXPECT_EQ(test, g0->nat_maps[VMBR_NAT_P_UDP], 79);
	KUNIT_EXPECT_EQ(test, g1->nat_maps[VMBR_NAT_P_UDP], 21);
	/* Counted down as they go. */
	vmbr_nat_flush(nat, g0, false);
	KUNIT_EXPECT_EQ(test, g0->nat_maps[VMBR_NAT_P_UDP], 0);
	KUNIT_EXPECT_EQ(test, g0->nat_maps[VMBR_NAT_P_TCP], 0);
	KUNIT_EXPECT_EQ(test, g1->nat_maps[VMBR_NAT_P_UDP], 21);
	/* Alone again, g1 borrows all but the reserve. */
	KUNIT_EXPECT_EQ(test, share_open(test, nat, g1, GUEST2, 40000, 100),
			78);
}

/*
 * Three guests, 100 ports: a third guest that comes while one holds
 * nearly all gets its share (a quarter) of what came back and more,
 * and the second still gets the last port.
 */
static void vmbr_nat_test_port_share3(struct kunit *test)
{
	struct nat_fix *f = nat_fix(test);
	struct vmbr_port *g0 = f->guest[0], *g1 = f->guest[1], *g2;
	struct vmbr_nat *nat = f->nat;

	g2 = kunit_kzalloc(test, sizeof(*g2), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, g2);
	nat->port_min = 2000;
	nat->port_max = 2099;
	KUNIT_EXPECT_EQ(test, share_open(test, nat, g0, GUEST, 10000, 100), 99);
	KUNIT_EXPECT_EQ(test, share_open(test, nat, g1, GUEST2, 10000, 1), 1);
	share_close(test, nat, GUEST, 10000, 30);
	/* Its share, 25, and 4 borrowed while more than one port is free. */
	KUNIT_EXPECT_EQ(test, share_open(test, nat, g2, GUEST_N(2), 10000, 40),
			29);
	/* g0, far over its share, gets none of the last; g1 gets it. */
	KUNIT_EXPECT_EQ(test, share_open(test, nat, g0, GUEST, 20000, 5), 0);
	KUNIT_EXPECT_EQ(test, share_open(test, nat, g1, GUEST2, 20000, 5), 1);
	KUNIT_EXPECT_EQ(test, g0->nat_maps[VMBR_NAT_P_UDP], 69);
	KUNIT_EXPECT_EQ(test, g1->nat_maps[VMBR_NAT_P_UDP], 2);
	KUNIT_EXPECT_EQ(test, g2->nat_maps[VMBR_NAT_P_UDP], 29);
	vmbr_nat_flush(nat, g2, false);
	KUNIT_EXPECT_EQ(test, g2->nat_maps[VMBR_NAT_P_UDP], 0);
}

/*
 * One guest, 60,000 flows to one server port from as many source ports,
 * on the default range: every one mapped (the host's ephemeral range
 * taken in, no half-of-the-range rule while nobody else asks), and a
 * second guest still gets a port at once.  TCP, UDP and ICMP echo.
 */
struct many_case {
	const char *name;
	u8 proto;
};

static const struct many_case many_cases[] = {
	{ "tcp, 60000 connections to one server port", IPPROTO_TCP },
	{ "udp, 60000 source ports to one server port", IPPROTO_UDP },
	{ "icmp, 60000 echo identifiers to one server", IPPROTO_ICMP },
};

static void many_case_desc(const struct many_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(many, many_cases, many_case_desc);

static void vmbr_nat_test_port_many(struct kunit *test)
{
	const struct many_case *c = test->param_value;
	struct nat_fix *f = nat_fix(test);
	struct vmbr_nat *nat = f->nat;
	u16 rport = c->proto == IPPROTO_ICMP ? 0 : 80;
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_key key;
	int i, got = 0;

	nat->max_sessions = 1 << 20;
	nat->max_sessions_per_guest = 1 << 20;
	for (i = 0; i < 60000; i++) {
		key = nat_key(c->proto, GUEST, 1 + i, REMOTE, rport);
		if (open_out(test, nat, f->guest[0], &key, &why))
			got++;
	}
	KUNIT_EXPECT_EQ(test, got, 60000);
	KUNIT_EXPECT_EQ(test, f->guest[0]->nat_maps[vmbr_nat_proto_of(c->proto)],
			60000);
	key = nat_key(c->proto, GUEST2, 1, REMOTE, rport);
	KUNIT_EXPECT_NE(test, open_out(test, nat, f->guest[1], &key, &why), 0);
}

/* An unsolicited packet for a guest's port that a host's socket has. */
static void vmbr_nat_test_host_owns(struct kunit *test)
{
	struct vmbr_nat_pkt pkt = {
		.saddr = REMOTE, .daddr = EXT, .sport = htons(RPORT),
		.dport = htons(3005), .proto = IPPROTO_UDP,
	};
	struct socket *udp, *tcp;

	rcu_read_lock();
	KUNIT_EXPECT_FALSE(test, vmbr_nat_host_owns(&init_net, &pkt, 0));
	rcu_read_unlock();
	udp = host_sock(test, SOCK_DGRAM, 3005);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							sock_release_action,
							udp), 0);
	rcu_read_lock();
	KUNIT_EXPECT_TRUE(test, vmbr_nat_host_owns(&init_net, &pkt, 0));
	pkt.dport = htons(3006);
	KUNIT_EXPECT_FALSE(test, vmbr_nat_host_owns(&init_net, &pkt, 0));
	pkt.proto = IPPROTO_TCP;
	pkt.dport = htons(3005);
	pkt.tcp_flags = TCPHDR_SYN;
	KUNIT_EXPECT_FALSE(test, vmbr_nat_host_owns(&init_net, &pkt, 0));
	rcu_read_unlock();
	/* A listener that came after the mapping: new peers' SYNs are its. */
	tcp = host_sock(test, SOCK_STREAM, 3005);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							sock_release_action,
							tcp), 0);
	rcu_read_lock();
	KUNIT_EXPECT_TRUE(test, vmbr_nat_host_owns(&init_net, &pkt, 0));
	/* Not a segment of a flow it never had. */
	pkt.tcp_flags = TCPHDR_ACK;
	KUNIT_EXPECT_FALSE(test, vmbr_nat_host_owns(&init_net, &pkt, 0));
	rcu_read_unlock();
}

/* Sessions. */

static void vmbr_nat_test_session(struct kunit *test)
{
	struct nat_fix *f = nat_fix(test);
	struct vmbr_nat_key k1 = nat_key(IPPROTO_UDP, GUEST, GPORT, REMOTE,
					 RPORT);
	struct vmbr_nat_key k2 = nat_key(IPPROTO_UDP, GUEST, GPORT, REMOTE2,
					 123);
	struct vmbr_port *g = f->guest[0];
	struct vmbr_nat *nat = f->nat;
	struct vmbr_nat_sess *s1, *s2;
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_stats stats;
	struct vmbr_nat_map *map;

	s1 = sess_out(nat, g, &k1, &why);
	KUNIT_ASSERT_NOT_NULL(test, s1);
	KUNIT_EXPECT_EQ(test, why, VMBR_NAT_DROP_UNSPEC);
	KUNIT_EXPECT_PTR_EQ(test, sess_find(nat, &k1), s1);
	KUNIT_EXPECT_EQ(test, s1->state, VMBR_NAT_TCP_NONE);
	map = s1->map;
	KUNIT_EXPECT_PTR_EQ(test, map_ext(nat, IPPROTO_UDP, GPORT), map);
	KUNIT_EXPECT_NULL(test, map_ext(nat, IPPROTO_TCP, GPORT));
	KUNIT_EXPECT_EQ(test, map->ik.addr, GUEST);
	KUNIT_EXPECT_EQ(test, ntohs(map->ik.port), GPORT);
	KUNIT_EXPECT_FALSE(test, map->forward);
	KUNIT_EXPECT_PTR_EQ(test, map->guest, g);

	/* Another remote end: the same mapping (endpoint-independent). */
	s2 = sess_out(nat, g, &k2, &why);
	KUNIT_ASSERT_NOT_NULL(test, s2);
	KUNIT_EXPECT_PTR_NE(test, s2, s1);
	KUNIT_EXPECT_PTR_EQ(test, s2->map, map);
	KUNIT_EXPECT_PTR_EQ(test, sess_find(nat, &k2), s2);
	/* Asking again finds it. */
	KUNIT_EXPECT_PTR_EQ(test, sess_out(nat, g, &k2, &why), s2);

	KUNIT_EXPECT_EQ(test, map->nsessions, 2);
	KUNIT_EXPECT_EQ(test, g->nat_sessions, 2);
	KUNIT_EXPECT_EQ(test, nat->nsessions, 2);
	KUNIT_EXPECT_EQ(test, nat->nmaps, 1);
	vmbr_nat_stats_read(nat, &stats);
	KUNIT_EXPECT_EQ(test, stats.events[VMBR_NAT_EV_CREATED], 2);

	/* A mapping gone opens nothing. */
	rcu_read_lock();
	vmbr_nat_flush(nat, NULL, false);
	KUNIT_EXPECT_NULL(test, vmbr_nat_sess_add_in(nat, map, REMOTE,
						     htons(RPORT), &why));
	KUNIT_EXPECT_EQ(test, why, VMBR_NAT_DROP_NO_SESSION);
	rcu_read_unlock();
	KUNIT_EXPECT_NULL(test, sess_find(nat, &k1));
	KUNIT_EXPECT_EQ(test, g->nat_sessions, 0);
	KUNIT_EXPECT_EQ(test, nat->nmaps, 0);

	/* No address on the uplink: nothing goes out. */
	vmbr_nat_set_address(nat, 0);
	KUNIT_EXPECT_NULL(test, sess_out(nat, g, &k1, &why));
	KUNIT_EXPECT_EQ(test, why, VMBR_NAT_DROP_NO_ADDRESS);
}

/*
 * A session's next hop holds while the routes and the uplink stay as they
 * were when it was found.
 */
static void vmbr_nat_test_nexthop(struct kunit *test)
{
	struct nat_fix *f = nat_fix(test);
	struct vmbr_nat_key k = nat_key(IPPROTO_UDP, GUEST, GPORT, REMOTE,
					RPORT);
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_sess *s;
	__be32 nexthop = 0;
	u32 tag;

	s = sess_out(f->nat, f->guest[0], &k, &why);
	KUNIT_ASSERT_NOT_NULL(test, s);
	tag = vmbr_nat_route_tag(f->nat, &init_net);
	KUNIT_EXPECT_FALSE(test, vmbr_nat_sess_nexthop(s, tag, &nexthop));

	vmbr_nat_sess_set_nexthop(s, tag, ROUTER);
	KUNIT_EXPECT_TRUE(test, vmbr_nat_sess_nexthop(s, tag, &nexthop));
	KUNIT_EXPECT_EQ(test, nexthop, ROUTER);

	/* A route changed (what rt_cache_flush() does): found again. */
	rt_genid_bump_ipv4(&init_net);
	tag = vmbr_nat_route_tag(f->nat, &init_net);
	KUNIT_EXPECT_FALSE(test, vmbr_nat_sess_nexthop(s, tag, &nexthop));

	/* Another uplink: the same. */
	vmbr_nat_sess_set_nexthop(s, tag, REMOTE);
	KUNIT_EXPECT_TRUE(test, vmbr_nat_sess_nexthop(s, tag, &nexthop));
	KUNIT_EXPECT_EQ(test, nexthop, REMOTE);
	vmbr_nat_uplink_changed(f->nat);
	tag = vmbr_nat_route_tag(f->nat, &init_net);
	KUNIT_EXPECT_FALSE(test, vmbr_nat_sess_nexthop(s, tag, &nexthop));
}

struct filter_case {
	const char *name;
	u8 filtering;
	bool forward;		/* to the guest endpoint, which sent nothing */
	__be32 rem_addr;
	u16 rem_port;
	enum vmbr_nat_drop_reason want;
};

/* The guest endpoint sent to REMOTE:RPORT. */
static const struct filter_case filter_cases[] = {
	{ "endpoint-independent: new port", VMBR_NAT_FILTER_ENDPOINT_INDEPENDENT,
	  false, REMOTE, 999, VMBR_NAT_DROP_UNSPEC },
	{ "endpoint-independent: new address",
	  VMBR_NAT_FILTER_ENDPOINT_INDEPENDENT, false, REMOTE2, RPORT,
	  VMBR_NAT_DROP_UNSPEC },
	{ "address-dependent: new port", VMBR_NAT_FILTER_ADDRESS_DEPENDENT,
	  false, REMOTE, 999, VMBR_NAT_DROP_UNSPEC },
	{ "address-dependent: new address", VMBR_NAT_FILTER_ADDRESS_DEPENDENT,
	  false, REMOTE2, RPORT, VMBR_NAT_DROP_FILTERED },
	{ "address-and-port-dependent: new port",
	  VMBR_NAT_FILTER_ADDRESS_PORT_DEPENDENT, false, REMOTE, 999,
	  VMBR_NAT_DROP_FILTERED },
	{ "address-and-port-dependent: new address",
	  VMBR_NAT_FILTER_ADDRESS_PORT_DEPENDENT, false, REMOTE2, RPORT,
	  VMBR_NAT_DROP_FILTERED },
	{ "address-and-port-dependent: the end it sent to",
	  VMBR_NAT_FILTER_ADDRESS_PORT_DEPENDENT, false, REMOTE, RPORT,
	  VMBR_NAT_DROP_UNSPEC },
	{ "forward, address-and-port-dependent",
	  VMBR_NAT_FILTER_ADDRESS_PORT_DEPENDENT, true, REMOTE2, RPORT,
	  VMBR_NAT_DROP_UNSPEC },
	{ "forward, address-dependent", VMBR_NAT_FILTER_ADDRESS_DEPENDENT,
	  true, REMOTE2, RPORT, VMBR_NAT_DROP_UNSPEC },
};

static void filter_case_desc(const struct filter_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(filter, filter_cases, filter_case_desc);

static void vmbr_nat_test_filtering(struct kunit *test)
{
	const struct filter_case *c = test->param_value;
	struct nat_fix *f = nat_fix(test);
	struct vmbr_nat_key key = nat_key(IPPROTO_UDP, GUEST, GPORT, REMOTE,
					  RPORT);
	struct vmbr_nat *nat = f->nat;
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_sess *sess;
	struct vmbr_nat_map *map;
	unsigned int before;

	WRITE_ONCE(nat->filtering, c->filtering);
	sess = sess_out(nat, f->guest[0], &key, &why);
	KUNIT_ASSERT_NOT_NULL(test, sess);
	map = sess->map;
	if (c->forward) {
		KUNIT_ASSERT_EQ(test, vmbr_nat_fwd_add(nat, IPPROTO_UDP,
						       htons(7000), GUEST2,
						       htons(7000), NULL), 0);
		map = map_ext(nat, IPPROTO_UDP, 7000);
		KUNIT_ASSERT_NOT_NULL(test, map);
	}
	before = map->nsessions;
	sess = sess_in(nat, map, c->rem_addr, c->rem_port, &why);
	KUNIT_EXPECT_EQ(test, why, c->want);
	if (c->want) {
		KUNIT_EXPECT_NULL(test, sess);
		KUNIT_EXPECT_EQ(test, map->nsessions, before);
		return;
	}
	KUNIT_ASSERT_NOT_NULL(test, sess);
	KUNIT_EXPECT_PTR_EQ(test, sess->map, map);
	KUNIT_EXPECT_EQ(test, sess->key.int_addr, map->ik.addr);
	KUNIT_EXPECT_EQ(test, sess->key.int_port, map->ik.port);
	KUNIT_EXPECT_EQ(test, sess->key.rem_addr, c->rem_addr);
	KUNIT_EXPECT_EQ(test, ntohs(sess->key.rem_port), c->rem_port);
	key = sess->key;
	KUNIT_EXPECT_PTR_EQ(test, sess_find(nat, &key), sess);
}

/*
 * Address-dependent filtering follows a mapping's sessions as they come
 * and go: a remote address may open a flow while any session of the
 * mapping has it, and not once the last one is gone.
 */
static void vmbr_nat_test_filtering_peers(struct kunit *test)
{
	struct nat_fix *f = nat_fix(test);
	struct vmbr_nat_key k[] = {
		nat_key(IPPROTO_UDP, GUEST, GPORT, REMOTE, RPORT),
		nat_key(IPPROTO_UDP, GUEST, GPORT, REMOTE, RPORT + 1),
		nat_key(IPPROTO_UDP, GUEST, GPORT, REMOTE2, RPORT),
	};
	struct vmbr_nat_sess *s[ARRAY_SIZE(k)], *in;
	struct vmbr_nat *nat = f->nat;
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_map *map;
	int i;

	WRITE_ONCE(nat->filtering, VMBR_NAT_FILTER_ADDRESS_DEPENDENT);
	for (i = 0; i < ARRAY_SIZE(k); i++) {
		s[i] = sess_out(nat, f->guest[0], &k[i], &why);
		KUNIT_ASSERT_NOT_NULL(test, s[i]);
	}
	map = s[0]->map;
	KUNIT_ASSERT_PTR_EQ(test, s[1]->map, map);
	KUNIT_ASSERT_PTR_EQ(test, s[2]->map, map);
	KUNIT_EXPECT_EQ(test, atomic_read(&nat->peers.nelems), 2);

	/* One of REMOTE's two sessions goes: the other still lets it in. */
	age(nat, s[0]);
	KUNIT_EXPECT_EQ(test, vmbr_nat_expire(nat, jiffies), 1);
	in = sess_in(nat, map, REMOTE, 999, &why);
	KUNIT_EXPECT_EQ(test, why, VMBR_NAT_DROP_UNSPEC);
	KUNIT_ASSERT_NOT_NULL(test, in);

	/* Its last ones go: REMOTE is a stranger again, REMOTE2 is not. */
	age(nat, s[1]);
	age(nat, in);
	KUNIT_EXPECT_EQ(test, vmbr_nat_expire(nat, jiffies), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&nat->peers.nelems), 1);
	KUNIT_EXPECT_NULL(test, sess_in(nat, map, REMOTE, 998, &why));
	KUNIT_EXPECT_EQ(test, why, VMBR_NAT_DROP_FILTERED);
	KUNIT_EXPECT_NOT_NULL(test, sess_in(nat, map, REMOTE2, 999, &why));
	KUNIT_EXPECT_EQ(test, map->nsessions, 2);

	/* A flush leaves no peer behind. */
	vmbr_nat_flush(nat, NULL, false);
	KUNIT_EXPECT_EQ(test, nat->nsessions, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&nat->peers.nelems), 0);
}

/* max_sessions and max_sessions_per_guest refuse; what is there stays. */
static void vmbr_nat_test_bounds(struct kunit *test)
{
	struct nat_fix *f = nat_fix(test);
	struct vmbr_nat_key k[] = {
		nat_key(IPPROTO_UDP, GUEST, GPORT, REMOTE, RPORT),
		nat_key(IPPROTO_UDP, GUEST, GPORT, REMOTE2, RPORT),
		nat_key(IPPROTO_TCP, GUEST2, GPORT, REMOTE, 80),
		/* refused */
		nat_key(IPPROTO_UDP, GUEST, GPORT + 1, REMOTE, RPORT),
		nat_key(IPPROTO_UDP, GUEST2, GPORT, REMOTE, RPORT),
	};
	struct vmbr_port *g0 = f->guest[0], *g1 = f->guest[1];
	struct vmbr_nat *nat = f->nat;
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_sess *sess;
	int i;

	WRITE_ONCE(nat->max_sessions, 3);
	WRITE_ONCE(nat->max_sessions_per_guest, 2);
	WRITE_ONCE(nat->filtering, VMBR_NAT_FILTER_ENDPOINT_INDEPENDENT);
	KUNIT_ASSERT_NOT_NULL(test, sess_out(nat, g0, &k[0], &why));
	KUNIT_ASSERT_NOT_NULL(test, sess_out(nat, g0, &k[1], &why));
	/* Guest 0 has its two: no third, out or in. */
	KUNIT_EXPECT_NULL(test, sess_out(nat, g0, &k[3], &why));
	KUNIT_EXPECT_EQ(test, why, VMBR_NAT_DROP_GUEST_FULL);
	sess = sess_find(nat, &k[0]);
	KUNIT_ASSERT_NOT_NULL(test, sess);
	KUNIT_EXPECT_NULL(test, sess_in(nat, sess->map, ROUTER, 1, &why));
	KUNIT_EXPECT_EQ(test, why, VMBR_NAT_DROP_GUEST_FULL);
	/* Guest 1 has room, until the table is full. */
	KUNIT_ASSERT_NOT_NULL(test, sess_out(nat, g1, &k[2], &why));
	KUNIT_EXPECT_NULL(test, sess_out(nat, g1, &k[4], &why));
	KUNIT_EXPECT_EQ(test, why, VMBR_NAT_DROP_TABLE_FULL);

	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_NOT_NULL(test, sess_find(nat, &k[i]));
	for (i = 3; i < ARRAY_SIZE(k); i++)
		KUNIT_EXPECT_NULL(test, sess_find(nat, &k[i]));
	KUNIT_EXPECT_EQ(test, nat->nsessions, 3);
	KUNIT_EXPECT_EQ(test, g0->nat_sessions, 2);
	KUNIT_EXPECT_EQ(test, g1->nat_sessions, 1);

	/* Room again once guest 0's go. */
	vmbr_nat_flush(nat, g0, false);
	KUNIT_EXPECT_EQ(test, g0->nat_sessions, 0);
	KUNIT_EXPECT_NOT_NULL(test, sess_out(nat, g1, &k[4], &why));
	KUNIT_EXPECT_NOT_NULL(test, sess_find(nat, &k[2]));
}

/*
 * A port forward's sessions are no guest's: the forwards together are
 * bounded as one guest, whoever opens them (the wire, or the guest
 * forwarded to, from the forwarded port), however many forwards there are.
 */
static void vmbr_nat_test_forward_bound(struct kunit *test)
{
	struct nat_fix *f = nat_fix(test);
	struct vmbr_nat_key out = nat_key(IPPROTO_TCP, GUEST, GPORT, REMOTE2,
					  443);
	struct vmbr_nat_key k = nat_key(IPPROTO_TCP, GUEST, GPORT + 1, REMOTE,
					RPORT);
	struct vmbr_port *g0 = f->guest[0];
	struct vmbr_nat *nat = f->nat;
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_map *fwd, *fwd2;

	WRITE_ONCE(nat->max_sessions_per_guest, 2);
	KUNIT_ASSERT_EQ(test, vmbr_nat_fwd_add(nat, IPPROTO_TCP, htons(8080),
					       GUEST, htons(GPORT), NULL), 0);
	fwd = map_ext(nat, IPPROTO_TCP, 8080);
	KUNIT_ASSERT_NOT_NULL(test, fwd);
	KUNIT_EXPECT_NOT_NULL(test, sess_in(nat, fwd, REMOTE, 1000, &why));
	KUNIT_EXPECT_NOT_NULL(test, sess_out(nat, g0, &out, &why));
	KUNIT_EXPECT_NULL(test, sess_in(nat, fwd, REMOTE, 1001, &why));
	KUNIT_EXPECT_EQ(test, why, VMBR_NAT_DROP_GUEST_FULL);
	out.rem_port = htons(444);
	KUNIT_EXPECT_NULL(test, sess_out(nat, g0, &out, &why));
	KUNIT_EXPECT_EQ(test, why, VMBR_NAT_DROP_GUEST_FULL);
	KUNIT_EXPECT_EQ(test, fwd->nsessions, 2);
	KUNIT_EXPECT_EQ(test, g0->nat_sessions, 0);
	/* A second forward adds no room: the forwards share one bound. */
	KUNIT_ASSERT_EQ(test, vmbr_nat_fwd_add(nat, IPPROTO_TCP, htons(8081),
					       GUEST2, htons(GPORT), NULL), 0);
	fwd2 = map_ext(nat, IPPROTO_TCP, 8081);
	KUNIT_ASSERT_NOT_NULL(test, fwd2);
	KUNIT_EXPECT_NULL(test, sess_in(nat, fwd2, REMOTE, 1002, &why));
	KUNIT_EXPECT_EQ(test, why, VMBR_NAT_DROP_GUEST_FULL);
	KUNIT_EXPECT_EQ(test, nat->fwd_sessions, 2);
	/* The guests keep their own room. */
	KUNIT_EXPECT_NOT_NULL(test, sess_out(nat, g0, &k, &why));
	KUNIT_EXPECT_EQ(test, nat->nsessions, 3);
	/* A forward's session that goes gives its room to any forward. */
	vmbr_nat_fwd_del(nat, IPPROTO_TCP, htons(8080));
	KUNIT_EXPECT_EQ(test, nat->fwd_sessions, 0);
	KUNIT_EXPECT_NOT_NULL(test, sess_in(nat, fwd2, REMOTE, 1002, &why));
}

struct expire_case {
	const char *name;
	u8 proto;
	bool established;
	bool forward;
	enum vmbr_nat_timeout timeout;
};

static const struct expire_case expire_cases[] = {
	{ "UDP", IPPROTO_UDP, false, false, VMBR_NAT_T_UDP },
	{ "ICMP", IPPROTO_ICMP, false, false, VMBR_NAT_T_ICMP },
	{ "TCP opening", IPPROTO_TCP, false, false, VMBR_NAT_T_TCP_TRANS },
	{ "TCP established", IPPROTO_TCP, true, false, VMBR_NAT_T_TCP_EST },
	{ "UDP through a forward", IPPROTO_UDP, false, true, VMBR_NAT_T_UDP },
};

static void expire_case_desc(const struct expire_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(expire, expire_cases, expire_case_desc);

static void vmbr_nat_test_expire(struct kunit *test)
{
	const struct expire_case *c = test->param_value;
	struct nat_fix *f = nat_fix(test);
	struct vmbr_nat_key key = nat_key(c->proto, GUEST, GPORT, REMOTE,
					  c->proto == IPPROTO_ICMP ? 0 : RPORT);
	struct vmbr_nat *nat = f->nat;
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_stats stats;
	struct vmbr_nat_sess *sess;
	struct vmbr_nat_map *map;
	unsigned long timeout;
	u16 port;

	if (c->forward) {
		KUNIT_ASSERT_EQ(test, vmbr_nat_fwd_add(nat, c->proto,
						       htons(GPORT), GUEST,
						       htons(GPORT), NULL), 0);
		map = map_ext(nat, c->proto, GPORT);
		KUNIT_ASSERT_NOT_NULL(test, map);
		sess = sess_in(nat, map, REMOTE, RPORT, &why);
	} else {
		sess = sess_out(nat, f->guest[0], &key, &why);
	}
	KUNIT_ASSERT_NOT_NULL(test, sess);
	key = sess->key;
	port = ntohs(sess->map->ek.port);
	if (c->established) {
		struct vmbr_nat_pkt syn = { .tcp_flags = TCPHDR_SYN };
		struct vmbr_nat_pkt synack = {
			.tcp_flags = TCPHDR_SYN | TCPHDR_ACK,
		};

		vmbr_nat_sess_seen(sess, true, &syn);
		vmbr_nat_sess_seen(sess, false, &synack);
	}
	timeout = vmbr_nat_timeout_of(nat, sess);
	KUNIT_EXPECT_EQ(test, timeout, nat->timeout[c->timeout]);

	/* Idle for exactly its timeout: still there. */
	KUNIT_EXPECT_EQ(test, vmbr_nat_expire(nat, READ_ONCE(sess->last_seen) +
					      timeout), 0);
	KUNIT_EXPECT_PTR_EQ(test, sess_find(nat, &key), sess);
	KUNIT_EXPECT_NOT_NULL(test, map_ext(nat, c->proto, port));

	/* A tick more: gone, and its mapping unless a forward. */
	KUNIT_EXPECT_EQ(test, vmbr_nat_expire(nat, jiffies + timeout + 1), 1);
	KUNIT_EXPECT_NULL(test, sess_find(nat, &key));
	KUNIT_EXPECT_EQ(test, !!map_ext(nat, c->proto, port), c->forward);
	KUNIT_EXPECT_EQ(test, nat->nsessions, 0);
	KUNIT_EXPECT_EQ(test, f->guest[0]->nat_sessions, 0);
	vmbr_nat_stats_read(nat, &stats);
	KUNIT_EXPECT_EQ(test, stats.events[VMBR_NAT_EV_EXPIRED], 1);
}

/* TCP state, segment by segment. */

struct tcp_step {
	bool out;		/* from the guest */
	u8 flags;
	u8 state;		/* after it */
	u32 seq, ack;		/* the segment's numbers */
};

struct tcp_case {
	const char *name;
	struct tcp_step step[7];	/* up to a state of 0 */
};

/* The remote's next sequence number, as the guest acknowledges it. */
#define RNXT	0x80000000U

#define SYN	TCPHDR_SYN
#define ACK	TCPHDR_ACK
#define FIN	TCPHDR_FIN
#define RST	TCPHDR_RST
#define T_SYN	VMBR_NAT_TCP_SYN
#define T_EST	VMBR_NAT_TCP_ESTABLISHED
#define T_CLOSE	VMBR_NAT_TCP_CLOSING

static const struct tcp_case tcp_cases[] = {
	{ "handshake, then a FIN each way", {
		{ true, SYN, T_SYN }, { false, SYN | ACK, T_EST },
		{ true, ACK, T_EST }, { false, FIN | ACK, T_EST },
		{ true, ACK, T_EST }, { true, FIN | ACK, T_CLOSE },
		{ false, ACK, T_CLOSE } } },
	{ "no answer yet", {
		{ true, SYN, T_SYN }, { true, SYN, T_SYN },
		{ true, ACK, T_SYN } } },
	{ "RST closes", {
		{ true, SYN, T_SYN }, { false, RST | ACK, T_CLOSE } } },
	{ "RST from outside at the guest's acknowledgment closes", {
		{ true, SYN, T_SYN }, { false, SYN | ACK, T_EST },
		{ true, ACK, T_EST, 1, RNXT },
		{ false, RST, T_CLOSE, RNXT } } },
	{ "RST from outside within the window closes", {
		{ true, ACK, T_EST, 1, RNXT },
		{ false, RST, T_CLOSE, RNXT + VMBR_NAT_TCP_RST_WINDOW - 1 } } },
	{ "RST from outside, out of window: still established", {
		{ true, SYN, T_SYN }, { false, SYN | ACK, T_EST },
		{ true, ACK, T_EST, 1, RNXT },
		{ false, RST, T_EST, RNXT + VMBR_NAT_TCP_RST_WINDOW },
		{ false, RST | ACK, T_EST, RNXT - 1 },
		{ false, RST, T_EST, RNXT ^ 0x40000000U },
		{ true, RST | ACK, T_CLOSE, 1, RNXT } } },
	{ "one FIN from outside: still established", {
		{ true, ACK, T_EST, 1, RNXT }, { false, FIN | ACK, T_EST },
		{ false, ACK, T_EST }, { false, FIN | ACK, T_EST },
		{ true, FIN | ACK, T_CLOSE, 1, RNXT + 1 } } },
	{ "picked up mid-connection", {
		{ true, ACK, T_EST }, { false, ACK, T_EST },
		{ true, FIN | ACK, T_EST }, { false, FIN | ACK, T_CLOSE } } },
	{ "opened from outside", {
		{ false, SYN, T_SYN }, { true, SYN | ACK, T_EST } } },
	{ "a SYN on a closing session starts over", {
		{ true, SYN, T_SYN }, { false, SYN | ACK, T_EST },
		{ true, FIN, T_EST }, { false, FIN, T_CLOSE },
		{ true, SYN, T_SYN }, { false, SYN | ACK, T_EST },
		{ false, FIN, T_EST } } },
};

static void tcp_case_desc(const struct tcp_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tcp, tcp_cases, tcp_case_desc);

static void vmbr_nat_test_tcp_state(struct kunit *test)
{
	const struct tcp_case *c = test->param_value;
	struct nat_fix *f = nat_fix(test);
	struct vmbr_nat_key key = nat_key(IPPROTO_TCP, GUEST, GPORT, REMOTE,
					  443);
	const unsigned long *timeout = f->nat->timeout;
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_sess *sess;
	int i;

	sess = sess_out(f->nat, f->guest[0], &key, &why);
	KUNIT_ASSERT_NOT_NULL(test, sess);
	KUNIT_EXPECT_EQ(test, vmbr_nat_timeout_of(f->nat, sess),
			timeout[VMBR_NAT_T_TCP_TRANS]);
	for (i = 0; i < ARRAY_SIZE(c->step) && c->step[i].state; i++) {
		const struct tcp_step *s = &c->step[i];
		struct vmbr_nat_pkt seg = {
			.tcp_flags = s->flags, .tcp_seq = s->seq,
			.tcp_ack = s->ack,
		};

		vmbr_nat_sess_seen(sess, s->out, &seg);
		KUNIT_EXPECT_EQ_MSG(test, sess->state, s->state, "step %d", i);
		KUNIT_EXPECT_EQ_MSG(test, vmbr_nat_timeout_of(f->nat, sess),
				    timeout[s->state == T_EST ?
					    VMBR_NAT_T_TCP_EST :
					    VMBR_NAT_T_TCP_TRANS],
				    "step %d", i);
	}
}

/* Flushing: a guest's, all dynamic, everything. */
static void vmbr_nat_test_flush(struct kunit *test)
{
	struct nat_fix *f = nat_fix(test);
	struct vmbr_nat_key ka = nat_key(IPPROTO_UDP, GUEST, GPORT, REMOTE,
					 RPORT);
	struct vmbr_nat_key kb = nat_key(IPPROTO_UDP, GUEST2, GPORT + 1,
					 REMOTE, RPORT);
	struct vmbr_nat *nat = f->nat;
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_map *fwd;
	struct vmbr_nat_key kf;
	struct vmbr_nat_sess *sess;

	KUNIT_ASSERT_NOT_NULL(test, sess_out(nat, f->guest[0], &ka, &why));
	KUNIT_ASSERT_NOT_NULL(test, sess_out(nat, f->guest[1], &kb, &why));
	KUNIT_ASSERT_EQ(test, vmbr_nat_fwd_add(nat, IPPROTO_TCP, htons(8080),
					       GUEST, htons(80), NULL), 0);
	fwd = map_ext(nat, IPPROTO_TCP, 8080);
	KUNIT_ASSERT_NOT_NULL(test, fwd);
	sess = sess_in(nat, fwd, REMOTE2, 40000, &why);
	KUNIT_ASSERT_NOT_NULL(test, sess);
	kf = sess->key;
	KUNIT_EXPECT_EQ(test, nat->nmaps, 3);

	/* A guest's: only its own. */
	vmbr_nat_flush(nat, f->guest[0], false);
	KUNIT_EXPECT_NULL(test, sess_find(nat, &ka));
	KUNIT_EXPECT_NULL(test, map_ext(nat, IPPROTO_UDP, GPORT));
	KUNIT_EXPECT_NOT_NULL(test, sess_find(nat, &kb));
	KUNIT_EXPECT_NOT_NULL(test, sess_find(nat, &kf));
	KUNIT_EXPECT_EQ(test, f->guest[0]->nat_sessions, 0);
	KUNIT_EXPECT_EQ(test, f->guest[1]->nat_sessions, 1);

	/* All: the forward stays, without its session. */
	vmbr_nat_flush(nat, NULL, false);
	KUNIT_EXPECT_NULL(test, sess_find(nat, &kb));
	KUNIT_EXPECT_NULL(test, sess_find(nat, &kf));
	KUNIT_EXPECT_PTR_EQ(test, map_ext(nat, IPPROTO_TCP, 8080), fwd);
	KUNIT_EXPECT_EQ(test, fwd->nsessions, 0);
	KUNIT_EXPECT_EQ(test, nat->nsessions, 0);
	KUNIT_EXPECT_EQ(test, nat->nmaps, 1);

	/* Forwards too. */
	vmbr_nat_flush(nat, NULL, true);
	KUNIT_EXPECT_NULL(test, map_ext(nat, IPPROTO_TCP, 8080));
	KUNIT_EXPECT_EQ(test, nat->nmaps, 0);
}

/* Port forwards. */

static void vmbr_nat_test_fwd(struct kunit *test)
{
	struct nat_fix *f = nat_fix(test);
	struct vmbr_nat_key key = nat_key(IPPROTO_UDP, GUEST2, GPORT, REMOTE,
					  RPORT);
	struct vmbr_nat *nat = f->nat;
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_map *map;

	KUNIT_ASSERT_EQ(test, vmbr_nat_fwd_add(nat, IPPROTO_TCP, htons(8080),
					       GUEST, htons(80), NULL), 0);
	map = map_ext(nat, IPPROTO_TCP, 8080);
	KUNIT_ASSERT_NOT_NULL(test, map);
	KUNIT_EXPECT_TRUE(test, map->forward);
	KUNIT_EXPECT_NULL(test, map->guest);
	KUNIT_EXPECT_EQ(test, map->ik.addr, GUEST);
	KUNIT_EXPECT_EQ(test, ntohs(map->ik.port), 80);
	KUNIT_EXPECT_EQ(test, map->ik.proto, IPPROTO_TCP);

	/* The port is taken; the guest port is taken; UDP's is free. */
	KUNIT_EXPECT_EQ(test, vmbr_nat_fwd_add(nat, IPPROTO_TCP, htons(8080),
					       GUEST2, htons(81), NULL),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, vmbr_nat_fwd_add(nat, IPPROTO_TCP, htons(8081),
					       GUEST, htons(80), NULL),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, vmbr_nat_fwd_add(nat, IPPROTO_UDP, htons(8080),
					       GUEST, htons(80), NULL), 0);
	KUNIT_EXPECT_PTR_EQ(test, map_ext(nat, IPPROTO_TCP, 8080), map);
	KUNIT_EXPECT_NULL(test, map_ext(nat, IPPROTO_TCP, 8081));

	KUNIT_EXPECT_EQ(test, vmbr_nat_fwd_del(nat, IPPROTO_TCP, htons(8080)),
			0);
	KUNIT_EXPECT_NULL(test, map_ext(nat, IPPROTO_TCP, 8080));
	KUNIT_EXPECT_NOT_NULL(test, map_ext(nat, IPPROTO_UDP, 8080));
	KUNIT_EXPECT_EQ(test, vmbr_nat_fwd_del(nat, IPPROTO_TCP, htons(8080)),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, vmbr_nat_fwd_del(nat, IPPROTO_TCP, htons(9)),
			-ENOENT);

	/* A guest's mapping is no forward to delete. */
	KUNIT_ASSERT_EQ(test, open_out(test, nat, f->guest[1], &key, &why),
			GPORT);
	KUNIT_EXPECT_EQ(test, vmbr_nat_fwd_del(nat, IPPROTO_UDP, htons(GPORT)),
			-ENOENT);
	KUNIT_EXPECT_NOT_NULL(test, sess_find(nat, &key));
}

/* A forward takes the port of a guest's mapping, and the guest endpoint's. */
static void vmbr_nat_test_fwd_takeover(struct kunit *test)
{
	struct nat_fix *f = nat_fix(test);
	struct vmbr_nat_key ka = nat_key(IPPROTO_UDP, GUEST, GPORT, REMOTE,
					 RPORT);
	struct vmbr_nat_key kb = nat_key(IPPROTO_UDP, GUEST2, 6000, REMOTE,
					 RPORT);
	struct vmbr_nat *nat = f->nat;
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_map *map;

	KUNIT_ASSERT_EQ(test, open_out(test, nat, f->guest[0], &ka, &why),
			GPORT);
	KUNIT_ASSERT_EQ(test, open_out(test, nat, f->guest[1], &kb, &why),
			6000);
	/* Port GPORT now goes to guest 2's port 6000. */
	KUNIT_ASSERT_EQ(test, vmbr_nat_fwd_add(nat, IPPROTO_UDP, htons(GPORT),
					       GUEST2, htons(6000), NULL), 0);
	map = map_ext(nat, IPPROTO_UDP, GPORT);
	KUNIT_ASSERT_NOT_NULL(test, map);
	KUNIT_EXPECT_TRUE(test, map->forward);
	KUNIT_EXPECT_EQ(test, map->ik.addr, GUEST2);
	KUNIT_EXPECT_EQ(test, ntohs(map->ik.port), 6000);
	KUNIT_EXPECT_NULL(test, sess_find(nat, &ka));
	KUNIT_EXPECT_NULL(test, sess_find(nat, &kb));
	KUNIT_EXPECT_NULL(test, map_ext(nat, IPPROTO_UDP, 6000));
	KUNIT_EXPECT_EQ(test, f->guest[0]->nat_sessions, 0);
	KUNIT_EXPECT_EQ(test, f->guest[1]->nat_sessions, 0);
	KUNIT_EXPECT_EQ(test, nat->nmaps, 1);

	/* Guest 0's endpoint gets another port now. */
	KUNIT_EXPECT_NE(test, open_out(test, nat, f->guest[0], &ka, &why),
			GPORT);
}

/* A forward refused leaves what was there. */
static void vmbr_nat_test_fwd_refused(struct kunit *test)
{
	struct nat_fix *f = nat_fix(test);
	struct vmbr_nat_key key = nat_key(IPPROTO_UDP, GUEST, GPORT, REMOTE,
					  RPORT);
	struct vmbr_nat *nat = f->nat;
	enum vmbr_nat_drop_reason why;
	struct vmbr_nat_sess *sess;

	KUNIT_ASSERT_EQ(test, vmbr_nat_fwd_add(nat, IPPROTO_UDP, htons(9000),
					       GUEST2, htons(80), NULL), 0);
	sess = sess_out(nat, f->guest[0], &key, &why);
	KUNIT_ASSERT_NOT_NULL(test, sess);
	KUNIT_ASSERT_EQ(test, ntohs(sess->map->ek.port), GPORT);
	/* GUEST2:80 is forwarded from 9000 already. */
	KUNIT_EXPECT_EQ(test, vmbr_nat_fwd_add(nat, IPPROTO_UDP, htons(GPORT),
					       GUEST2, htons(80), NULL),
			-EEXIST);
	KUNIT_EXPECT_PTR_EQ_MSG(test, sess_find(nat, &key), sess,
				"a refused forward deleted guest 0's mapping");
	KUNIT_EXPECT_NOT_NULL(test, map_ext(nat, IPPROTO_UDP, GPORT));
	KUNIT_EXPECT_EQ(test, f->guest[0]->nat_sessions, 1);
}

static struct kunit_case vmbr_nat_test_cases[] = {
	KUNIT_CASE_PARAM(vmbr_nat_test_xlate, xlate_gen_params),
	KUNIT_CASE(vmbr_nat_test_udp_csum_zero),
	KUNIT_CASE_PARAM(vmbr_nat_test_icmp_error, icmp_err_gen_params),
	KUNIT_CASE_PARAM(vmbr_nat_test_parse, parse_gen_params),
	KUNIT_CASE(vmbr_nat_test_ip_options),
	KUNIT_CASE_PARAM(vmbr_nat_test_port, port_gen_params),
	KUNIT_CASE(vmbr_nat_test_port_collision),
	KUNIT_CASE(vmbr_nat_test_port_exhaustion),
	KUNIT_CASE(vmbr_nat_test_port_tiers),
	KUNIT_CASE_PARAM(vmbr_nat_test_port_fill, fill_gen_params),
	KUNIT_CASE(vmbr_nat_test_port_host),
	KUNIT_CASE(vmbr_nat_test_port_share),
	KUNIT_CASE(vmbr_nat_test_port_share3),
	KUNIT_CASE_PARAM(vmbr_nat_test_port_many, many_gen_params),
	KUNIT_CASE(vmbr_nat_test_host_owns),
	KUNIT_CASE(vmbr_nat_test_session),
	KUNIT_CASE(vmbr_nat_test_nexthop),
	KUNIT_CASE_PARAM(vmbr_nat_test_filtering, filter_gen_params),
	KUNIT_CASE(vmbr_nat_test_filtering_peers),
	KUNIT_CASE(vmbr_nat_test_bounds),
	KUNIT_CASE(vmbr_nat_test_forward_bound),
	KUNIT_CASE_PARAM(vmbr_nat_test_expire, expire_gen_params),
	KUNIT_CASE_PARAM(vmbr_nat_test_tcp_state, tcp_gen_params),
	KUNIT_CASE(vmbr_nat_test_flush),
	KUNIT_CASE(vmbr_nat_test_fwd),
	KUNIT_CASE(vmbr_nat_test_fwd_takeover),
	KUNIT_CASE(vmbr_nat_test_fwd_refused),
	{}
};

static struct kunit_suite vmbr_nat_test_suite = {
	.name = "vmbr_nat",
	.test_cases = vmbr_nat_test_cases,
};

kunit_test_suite(vmbr_nat_test_suite);
