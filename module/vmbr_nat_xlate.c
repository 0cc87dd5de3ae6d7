// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge: reading an IPv4 packet's NAT tuple and rewriting its address
 * and port, checksums included.
 *
 * Checksums are updated incrementally with the kernel's helpers, which
 * understand every state a packet can be in: CHECKSUM_PARTIAL (a TAP with
 * vnet headers, a GSO super-packet: only the pseudo-header sum in the
 * transport header is fixed, the port is summed later by whoever
 * finishes the checksum), CHECKSUM_COMPLETE (dropped to CHECKSUM_NONE: the
 * sum over the packet would be stale) and plain packets.  Nothing here
 * segments a GSO packet or copies more than the headers it writes.
 */
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/tcp.h>

#include "vmbr.h"
#include "vmbr_nat.h"

/* Ports (or the echo identifier) of a transport header at @off. */
static enum vmbr_nat_drop_reason vmbr_nat_parse_l4(struct sk_buff *skb,
						   unsigned int off, u8 proto,
						   unsigned int len,
						   struct vmbr_nat_pkt *pkt)
{
	const struct icmphdr *icmph;
	const struct tcphdr *th;
	const struct udphdr *uh;

	switch (proto) {
	case IPPROTO_TCP:
		if (len < sizeof(*th) || !pskb_may_pull(skb, off + sizeof(*th)))
			return VMBR_NAT_DROP_MALFORMED;
		th = (const struct tcphdr *)(skb->data + off);
		if (th->doff * 4 < sizeof(*th) || th->doff * 4 > len)
			return VMBR_NAT_DROP_MALFORMED;
		pkt->sport = th->source;
		pkt->dport = th->dest;
		pkt->tcp_flags = tcp_flag_byte(th);
		pkt->tcp_seq = ntohl(th->seq);
		pkt->tcp_ack = ntohl(th->ack_seq);
		return VMBR_NAT_DROP_UNSPEC;
	case IPPROTO_UDP:
		if (len < sizeof(*uh) || !pskb_may_pull(skb, off + sizeof(*uh)))
			return VMBR_NAT_DROP_MALFORMED;
		uh = (const struct udphdr *)(skb->data + off);
		if (ntohs(uh->len) < sizeof(*uh) || ntohs(uh->len) > len)
			return VMBR_NAT_DROP_MALFORMED;
		pkt->sport = uh->source;
		pkt->dport = uh->dest;
		return VMBR_NAT_DROP_UNSPEC;
	case IPPROTO_ICMP:
		if (len < sizeof(*icmph) ||
		    !pskb_may_pull(skb, off + sizeof(*icmph)))
			return VMBR_NAT_DROP_MALFORMED;
		icmph = (const struct icmphdr *)(skb->data + off);
		if (icmph->type != ICMP_ECHO && icmph->type != ICMP_ECHOREPLY)
			return VMBR_NAT_DROP_UNSUPPORTED;
		pkt->sport = icmph->un.echo.id;
		pkt->dport = icmph->un.echo.id;
		return VMBR_NAT_DROP_UNSPEC;
	default:
		return VMBR_NAT_DROP_UNSUPPORTED;
	}
}

/*
 * Walk the options of @iph (its checksum recomputed if any changed).
 * CHECK: source routes (LSRR, SSRR) are refused, as the host's own
 * forwarding refuses them by default.  XLATE: record route and timestamp
 * become no-ops: they would carry the guests' addresses out (a guest
 * answers a record route with its own in it) and the outside's in.
 * LATER_FRAGS: the options not to be copied into every fragment (RFC 791)
 * become no-ops, as ip_options_fragment() does from what ip_rcv() parsed.
 * An option running past the header, or shorter than 2, is malformed.
 */
enum vmbr_nat_drop_reason vmbr_nat_ip_options(struct iphdr *iph,
					      enum vmbr_nat_opts op)
{
	unsigned int left = iph->ihl * 4 - sizeof(*iph), len;
	u8 *opt = (u8 *)(iph + 1);
	bool nop, changed = false;

	while (left > 0 && *opt != IPOPT_END) {
		if (*opt == IPOPT_NOOP) {
			opt++;
			left--;
			continue;
		}
		len = left >= 2 ? opt[1] : 0;
		if (len < 2 || len > left)
			return VMBR_NAT_DROP_MALFORMED;
		switch (op) {
		case VMBR_NAT_OPTS_CHECK:
			if (*opt == IPOPT_LSRR || *opt == IPOPT_SSRR)
				return VMBR_NAT_DROP_UNSUPPORTED;
			nop = false;
			break;
		case VMBR_NAT_OPTS_XLATE:
			nop = *opt == IPOPT_RR || *opt == IPOPT_TIMESTAMP;
			break;
		default:
			nop = !IPOPT_COPIED(*opt);
			break;
		}
		if (nop) {
			memset(opt, IPOPT_NOOP, len);
			changed = true;
		}
		opt += len;
		left -= len;
	}
	if (changed)
		ip_send_check(iph);
	return VMBR_NAT_DROP_UNSPEC;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_ip_options);

/*
 * A sum still to be computed (a TAP's offload, in a packet with its
 * transport header at @off and @len bytes in all) must be that header's
 * own checksum: the NAT fixes it there, and skb_checksum_help() warns
 * about any other place, or a GSO packet of a protocol with no
 * segmentation.  A guest's fragment has none to compute.
 */
static bool vmbr_nat_partial_ok(const struct sk_buff *skb, u8 proto,
				unsigned int off, unsigned int len,
				bool fragment)
{
	unsigned int check;

	if (fragment || skb_checksum_start_offset(skb) != off)
		return false;
	switch (proto) {
	case IPPROTO_TCP:
		check = offsetof(struct tcphdr, check);
		break;
	case IPPROTO_UDP:
		check = offsetof(struct udphdr, check);
		break;
	case IPPROTO_ICMP:
		if (skb_is_gso(skb))
			return false;
		check = offsetof(struct icmphdr, checksum);
		break;
	default:
		return false;
	}
	return skb->csum_offset == check && off + check + sizeof(__sum16) <= len;
}

/*
 * The packet an ICMP error at @off carries: its IPv4 header and at least
 * the 8 bytes of transport header that hold the ports (RFC 792).  Its
 * tuple becomes @pkt's.  Out of line: errors are rare, and the registers
 * this takes would cost every other packet a save and a restore.
 */
static noinline enum vmbr_nat_drop_reason
vmbr_nat_parse_inner(struct sk_buff *skb, unsigned int off,
		     struct vmbr_nat_pkt *pkt)
{
	unsigned int ioff = off + sizeof(struct icmphdr), hl;
	const struct icmphdr *echo;
	const struct iphdr *inner;
	const __be16 *ports;

	if (!pskb_may_pull(skb, ioff + sizeof(*inner)))
		return VMBR_NAT_DROP_MALFORMED;
	inner = (const struct iphdr *)(skb->data + ioff);
	hl = inner->ihl * 4;
	if (inner->version != 4 || hl < sizeof(*inner) ||
	    !pskb_may_pull(skb, ioff + hl + 8))
		return VMBR_NAT_DROP_MALFORMED;
	inner = (const struct iphdr *)(skb->data + ioff);
	/* Only a first fragment says which ports it was about. */
	if (inner->frag_off & htons(IP_OFFSET))
		return VMBR_NAT_DROP_UNSUPPORTED;
	pkt->saddr = inner->saddr;
	pkt->daddr = inner->daddr;
	pkt->proto = inner->protocol;
	pkt->icmp_error = true;
	/*
	 * Only the first 8 bytes of the embedded transport header are sure
	 * to be there, and its length fields speak of the whole original
	 * packet: read the ports (the echo identifier) and nothing else.
	 */
	switch (inner->protocol) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		ports = (const __be16 *)(skb->data + ioff + hl);
		pkt->sport = ports[0];
		pkt->dport = ports[1];
		return VMBR_NAT_DROP_UNSPEC;
	case IPPROTO_ICMP:
		echo = (const struct icmphdr *)(skb->data + ioff + hl);
		if (echo->type != ICMP_ECHO && echo->type != ICMP_ECHOREPLY)
			return VMBR_NAT_DROP_UNSUPPORTED;
		pkt->sport = echo->un.echo.id;
		pkt->dport = echo->un.echo.id;
		return VMBR_NAT_DROP_UNSPEC;
	default:
		return VMBR_NAT_DROP_UNSUPPORTED;
	}
}

/*
 * Read what the NAT needs of the IPv4 packet at skb->data, which must be
 * its network header: its addresses and, unless it is a fragment (@pkt->fragment),
 * its protocol's ports or echo identifier, or those of the packet an ICMP
 * error embeds.  Checks the IPv4 header (version, length, checksum) and
 * trims link-layer padding.  Returns why the NAT cannot take it, or
 * VMBR_NAT_DROP_UNSPEC.
 */
enum vmbr_nat_drop_reason vmbr_nat_parse(struct sk_buff *skb,
					 struct vmbr_nat_pkt *pkt)
{
	const struct icmphdr *icmph;
	const struct iphdr *iph;
	unsigned int hl, len;

	memset(pkt, 0, sizeof(*pkt));
	if (!pskb_may_pull(skb, sizeof(*iph)))
		return VMBR_NAT_DROP_MALFORMED;
	iph = ip_hdr(skb);
	hl = iph->ihl * 4;
	if (iph->version != 4 || hl < sizeof(*iph) || !pskb_may_pull(skb, hl))
		return VMBR_NAT_DROP_MALFORMED;
	iph = ip_hdr(skb);
	len = ntohs(iph->tot_len);
	if (len < hl || len > skb->len || ip_fast_csum(iph, iph->ihl))
		return VMBR_NAT_DROP_MALFORMED;
	if (pskb_trim_rcsum(skb, len))
		return VMBR_NAT_DROP_MALFORMED;
	iph = ip_hdr(skb);

	pkt->saddr = iph->saddr;
	pkt->daddr = iph->daddr;
	pkt->proto = iph->protocol;
	pkt->l4_off = hl;
	if (unlikely(hl > sizeof(*iph))) {
		enum vmbr_nat_drop_reason why;

		why = vmbr_nat_ip_options((struct iphdr *)iph,
					  VMBR_NAT_OPTS_CHECK);
		if (why)
			return why;
	}
	if (unlikely(skb->ip_summed == CHECKSUM_PARTIAL) &&
	    !vmbr_nat_partial_ok(skb, pkt->proto, hl, len, ip_is_fragment(iph)))
		return VMBR_NAT_DROP_MALFORMED;
	if (ip_is_fragment(iph)) {
		pkt->fragment = true;
		return VMBR_NAT_DROP_UNSPEC;
	}
	/* From here on iph is not read: the pulls below may move the head. */
	if (pkt->proto == IPPROTO_ICMP) {
		if (len - hl < sizeof(*icmph) ||
		    !pskb_may_pull(skb, hl + sizeof(*icmph)))
			return VMBR_NAT_DROP_MALFORMED;
		icmph = (const struct icmphdr *)(skb->data + hl);
		pkt->icmp_type = icmph->type;
		switch (icmph->type) {
		case ICMP_DEST_UNREACH:
		case ICMP_TIME_EXCEEDED:
		case ICMP_PARAMETERPROB:
			return vmbr_nat_parse_inner(skb, hl, pkt);
		}
	}
	return vmbr_nat_parse_l4(skb, hl, pkt->proto, len - hl, pkt);
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_parse);

/* How much of the packet a rewrite of its transport header touches. */
static unsigned int vmbr_nat_l4_hdr_len(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return sizeof(struct tcphdr);
	case IPPROTO_UDP:
		return sizeof(struct udphdr);
	default:
		return sizeof(struct icmphdr);
	}
}

/*
 * A TCP or UDP checksum after its packet's address (in the pseudo-header)
 * went @from_addr -> @to_addr and its port @from_port -> @to_port: what
 * inet_proto_csum_replace4() and inet_proto_csum_replace2() do, but with
 * no call for the common case (a packet whose checksum is complete).
 * A CHECKSUM_PARTIAL field holds only the pseudo-header's sum, the port is
 * summed by whoever completes it; no packet here is CHECKSUM_COMPLETE.
 */
static __always_inline void vmbr_nat_l4_csum(__sum16 *check,
					     struct sk_buff *skb,
					     __be32 from_addr, __be32 to_addr,
					     __be16 from_port, __be16 to_port)
{
	if (unlikely(skb->ip_summed == CHECKSUM_PARTIAL)) {
		inet_proto_csum_replace4(check, skb, from_addr, to_addr, true);
		return;
	}
	csum_replace4(check, from_addr, to_addr);
	csum_replace2(check, from_port, to_port);
}

/*
 * Replace the source (@src) or destination address and port (echo
 * identifier) of the packet @pkt describes, which is no ICMP error.
 */
int vmbr_nat_rewrite(struct sk_buff *skb, const struct vmbr_nat_pkt *pkt,
		     bool src, __be32 addr, __be16 port)
{
	unsigned int off = pkt->l4_off;
	__be32 *addr_field;
	struct icmphdr *icmph;
	struct tcphdr *th;
	struct udphdr *uh;
	struct iphdr *iph;
	unsigned int len = off + vmbr_nat_l4_hdr_len(pkt->proto);
	__be16 *port_field;
	__be32 old_addr;

	/* skb_ensure_writable()'s own test, inline: most packets pass it. */
	if (unlikely(skb_cloned(skb) || skb_headlen(skb) < len) &&
	    skb_ensure_writable(skb, len))
		return -ENOMEM;
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;

	iph = ip_hdr(skb);
	if (unlikely(off > sizeof(*iph)))
		vmbr_nat_ip_options(iph, VMBR_NAT_OPTS_XLATE);
	addr_field = src ? &iph->saddr : &iph->daddr;
	old_addr = *addr_field;
	csum_replace4(&iph->check, old_addr, addr);
	*addr_field = addr;

	switch (pkt->proto) {
	case IPPROTO_TCP:
		th = (struct tcphdr *)(skb_network_header(skb) + off);
		port_field = src ? &th->source : &th->dest;
		vmbr_nat_l4_csum(&th->check, skb, old_addr, addr, *port_field,
				 port);
		*port_field = port;
		break;
	case IPPROTO_UDP:
		uh = (struct udphdr *)(skb_network_header(skb) + off);
		port_field = src ? &uh->source : &uh->dest;
		/* A zero UDP checksum means none: it stays none. */
		if (uh->check || skb->ip_summed == CHECKSUM_PARTIAL) {
			vmbr_nat_l4_csum(&uh->check, skb, old_addr, addr,
					 *port_field, port);
			if (!uh->check && skb->ip_summed != CHECKSUM_PARTIAL)
				uh->check = CSUM_MANGLED_0;
		}
		*port_field = port;
		break;
	case IPPROTO_ICMP:
		icmph = (struct icmphdr *)(skb_network_header(skb) + off);
		inet_proto_csum_replace2(&icmph->checksum, skb,
					 icmph->un.echo.id, port, false);
		icmph->un.echo.id = port;
		break;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_rewrite);

/*
 * An ICMP error crosses the NAT.  Outbound (a guest reports on a packet
 * that came in): the outer source and the embedded destination become
 * @addr, the embedded destination port @port.  Inbound (something outside
 * reports on a packet a guest sent): the outer destination and the
 * embedded source become @addr, the embedded source port @port.  The
 * embedded headers' checksums are fixed where the error carries them.
 * The ICMP checksum is updated for each field changed, not computed
 * afresh: an error that arrived corrupt stays corrupt, and its receiver
 * drops it, as it would have without the NAT.
 */
int vmbr_nat_rewrite_icmp_error(struct sk_buff *skb,
				const struct vmbr_nat_pkt *pkt, bool outbound,
				__be32 addr, __be16 port)
{
	unsigned int off = pkt->l4_off, ioff, i4;
	__sum16 *check = NULL, *icmp_check, *echo_check;
	struct iphdr *iph, *inner;
	__be16 *port_field, old;
	__be32 *addr_field;
	__be32 old_addr;
	u8 *l4;

	if (skb_ensure_writable(skb, skb->len))
		return -ENOMEM;
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;
	/*
	 * A sum still to be computed (a TAP's offload; vmbr_nat_parse() saw
	 * it is the ICMP header's): its seed is no sum.
	 */
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return -ENOMEM;

	iph = ip_hdr(skb);
	if (unlikely(off > sizeof(*iph)))
		vmbr_nat_ip_options(iph, VMBR_NAT_OPTS_XLATE);
	addr_field = outbound ? &iph->saddr : &iph->daddr;
	csum_replace4(&iph->check, *addr_field, addr);
	*addr_field = addr;

	icmp_check = &((struct icmphdr *)(skb_network_header(skb) + off))->checksum;
	ioff = off + sizeof(struct icmphdr);
	inner = (struct iphdr *)(skb_network_header(skb) + ioff);
	i4 = ioff + inner->ihl * 4;
	l4 = skb_network_header(skb) + i4;
	addr_field = outbound ? &inner->daddr : &inner->saddr;
	old_addr = *addr_field;
	csum_replace4(icmp_check, old_addr, addr);
	*addr_field = addr;
	old = (__force __be16)inner->check;
	csum_replace4(&inner->check, old_addr, addr);
	csum_replace2(icmp_check, old, (__force __be16)inner->check);

	switch (pkt->proto) {
	case IPPROTO_TCP:
		port_field = (__be16 *)(l4 + (outbound ? 2 : 0));
		if (skb->len >= i4 + offsetofend(struct tcphdr, check))
			check = &((struct tcphdr *)l4)->check;
		break;
	case IPPROTO_UDP:
		port_field = (__be16 *)(l4 + (outbound ? 2 : 0));
		if (((struct udphdr *)l4)->check)
			check = &((struct udphdr *)l4)->check;
		break;
	default:	/* an echo: the identifier is not in a pseudo-header */
		port_field = &((struct icmphdr *)l4)->un.echo.id;
		echo_check = &((struct icmphdr *)l4)->checksum;
		old = (__force __be16)*echo_check;
		csum_replace2(echo_check, *port_field, port);
		csum_replace2(icmp_check, old, (__force __be16)*echo_check);
		break;
	}
	if (check) {
		old = (__force __be16)*check;
		csum_replace4(check, old_addr, addr);
		csum_replace2(check, *port_field, port);
		if (!*check && pkt->proto == IPPROTO_UDP)
			*check = CSUM_MANGLED_0;
		csum_replace2(icmp_check, old, (__force __be16)*check);
	}
	csum_replace2(icmp_check, *port_field, port);
	*port_field = port;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmbr_nat_rewrite_icmp_error);
