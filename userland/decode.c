// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr: vmbridge messages decoded into objects.  Every attribute is
 * validated against the policies below before it is read.
 */
#include <errno.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/vmbridge.h>

#include "decode.h"
#include "endpoint.h"
#include "ifname.h"
#include "ipaddr.h"
#include "json.h"
#include "mac.h"
#include "names.h"
#include "nl.h"
#include "vlan.h"
#include "vni.h"
#include "vmbr.h"

/* A VLAN bitmap (vlan.h). */
#define NLP_VLANS	NLP_LEN(MNL_TYPE_BINARY, VMBR_VLAN_BITMAP_LEN)

static const struct nl_policy vmbr_policy[VMBR_A_MAX + 1] = {
	[VMBR_A_IFINDEX]	= NLP(MNL_TYPE_U32),
	[VMBR_A_IFNAME]		= NLP(MNL_TYPE_NUL_STRING),
	[VMBR_A_MODE]		= NLP(MNL_TYPE_U8),
	[VMBR_A_UPLINK_IFINDEX]	= NLP(MNL_TYPE_U32),
	[VMBR_A_AGEING]		= NLP(MNL_TYPE_U32),
	[VMBR_A_MAX_FDB]	= NLP(MNL_TYPE_U32),
	[VMBR_A_FDB_COUNT]	= NLP(MNL_TYPE_U32),
	[VMBR_A_STATS]		= NLP(MNL_TYPE_NESTED),
	[VMBR_A_PORT]		= NLP(MNL_TYPE_NESTED),
	[VMBR_A_FDB]		= NLP(MNL_TYPE_NESTED),
	[VMBR_A_LIMIT]		= NLP(MNL_TYPE_U8),
	[VMBR_A_UPLINK_PVID]	= NLP(MNL_TYPE_U16),
	[VMBR_A_UPLINK_VLANS]	= NLP_VLANS,
	[VMBR_A_HOST_PVID]	= NLP(MNL_TYPE_U16),
	[VMBR_A_HOST_VLANS]	= NLP_VLANS,
	[VMBR_A_UPLINK_VNIS]	= NLP(MNL_TYPE_NESTED),
	[VMBR_A_NAT]		= NLP(MNL_TYPE_NESTED),
	[VMBR_A_NAT_SESSION]	= NLP(MNL_TYPE_NESTED),
	[VMBR_A_NAT_FWD]	= NLP(MNL_TYPE_NESTED),
};

static const struct nl_policy port_policy[VMBR_PORT_A_MAX + 1] = {
	[VMBR_PORT_A_IFINDEX]	= NLP(MNL_TYPE_U32),
	[VMBR_PORT_A_IFNAME]	= NLP(MNL_TYPE_NUL_STRING),
	[VMBR_PORT_A_ROLE]	= NLP(MNL_TYPE_U8),
	[VMBR_PORT_A_FDB_COUNT]	= NLP(MNL_TYPE_U32),
	[VMBR_PORT_A_STATS]	= NLP(MNL_TYPE_NESTED),
	[VMBR_PORT_A_PVID]	= NLP(MNL_TYPE_U16),
	[VMBR_PORT_A_VLANS]	= NLP_VLANS,
	[VMBR_PORT_A_ISOLATED]	= NLP(MNL_TYPE_U8),
	[VMBR_PORT_A_LOCK_MAC]	= NLP(MNL_TYPE_BINARY),	/* lock_mac_ok() */
	[VMBR_PORT_A_MAX_MACS]	= NLP(MNL_TYPE_U32),
	[VMBR_PORT_A_BUM_RATE]	= NLP(MNL_TYPE_U32),
	[VMBR_PORT_A_LOCK_IP]	= NLP(MNL_TYPE_BINARY),	/* lock_ip_ok() */
	[VMBR_PORT_A_LOCKS_HIDDEN] = NLP(MNL_TYPE_FLAG),
	[VMBR_PORT_A_RATE_IN]	= NLP(MNL_TYPE_NESTED),
	[VMBR_PORT_A_RATE_OUT]	= NLP(MNL_TYPE_NESTED),
};

static const struct nl_policy rate_policy[VMBR_RATE_A_MAX + 1] = {
	[VMBR_RATE_A_BYTES_PS]	= NLP(MNL_TYPE_U64),
	[VMBR_RATE_A_BURST]	= NLP(MNL_TYPE_U32),
};

static const struct nl_policy fdb_policy[VMBR_FDB_A_MAX + 1] = {
	[VMBR_FDB_A_MAC]	 = NLP_LEN(MNL_TYPE_BINARY, MAC_LEN),
	[VMBR_FDB_A_VID]	 = NLP(MNL_TYPE_U16),
	[VMBR_FDB_A_PORT_IFINDEX] = NLP(MNL_TYPE_U32),
	[VMBR_FDB_A_STATIC]	 = NLP(MNL_TYPE_FLAG),
	[VMBR_FDB_A_AGE]	 = NLP(MNL_TYPE_U32),
};

static const struct nl_policy stats_policy[VMBR_STATS_A_MAX + 1] = {
	[VMBR_STATS_A_RX_PACKETS] = NLP(MNL_TYPE_U64),
	[VMBR_STATS_A_RX_BYTES]	  = NLP(MNL_TYPE_U64),
	[VMBR_STATS_A_TX_PACKETS] = NLP(MNL_TYPE_U64),
	[VMBR_STATS_A_TX_BYTES]	  = NLP(MNL_TYPE_U64),
	[VMBR_STATS_A_DROPS]	  = NLP(MNL_TYPE_NESTED),
	[VMBR_STATS_A_FDB_FULL]	  = NLP(MNL_TYPE_U64),
	[VMBR_STATS_A_MAX_MACS]	  = NLP(MNL_TYPE_U64),
	[VMBR_STATS_A_NOT_SWITCHED] = NLP(MNL_TYPE_U64),
};

/* IPv4 addresses (be32) are validated as u32s: 4 bytes. */
static const struct nl_policy nat_policy[VMBR_NAT_A_MAX + 1] = {
	[VMBR_NAT_A_PORT_MIN]		= NLP(MNL_TYPE_U16),
	[VMBR_NAT_A_PORT_MAX]		= NLP(MNL_TYPE_U16),
	[VMBR_NAT_A_MAX_SESSIONS]	= NLP(MNL_TYPE_U32),
	[VMBR_NAT_A_MAX_SESSIONS_PER_GUEST] = NLP(MNL_TYPE_U32),
	[VMBR_NAT_A_TIMEOUT_UDP]	= NLP(MNL_TYPE_U32),
	[VMBR_NAT_A_TIMEOUT_TCP_EST]	= NLP(MNL_TYPE_U32),
	[VMBR_NAT_A_TIMEOUT_TCP_TRANS]	= NLP(MNL_TYPE_U32),
	[VMBR_NAT_A_TIMEOUT_ICMP]	= NLP(MNL_TYPE_U32),
	[VMBR_NAT_A_FILTERING]		= NLP(MNL_TYPE_U8),
	[VMBR_NAT_A_ADDRESS]		= NLP(MNL_TYPE_U32),
	[VMBR_NAT_A_SESSIONS]		= NLP(MNL_TYPE_U32),
	[VMBR_NAT_A_MAPPINGS]		= NLP(MNL_TYPE_U32),
	[VMBR_NAT_A_STATS]		= NLP(MNL_TYPE_NESTED),
};

static const struct nl_policy
	nat_session_policy[VMBR_NAT_SESSION_A_MAX + 1] = {
	[VMBR_NAT_SESSION_A_PROTO]	= NLP(MNL_TYPE_U8),
	[VMBR_NAT_SESSION_A_INT_ADDR]	= NLP(MNL_TYPE_U32),
	[VMBR_NAT_SESSION_A_INT_PORT]	= NLP(MNL_TYPE_U16),
	[VMBR_NAT_SESSION_A_EXT_ADDR]	= NLP(MNL_TYPE_U32),
	[VMBR_NAT_SESSION_A_EXT_PORT]	= NLP(MNL_TYPE_U16),
	[VMBR_NAT_SESSION_A_REM_ADDR]	= NLP(MNL_TYPE_U32),
	[VMBR_NAT_SESSION_A_REM_PORT]	= NLP(MNL_TYPE_U16),
	[VMBR_NAT_SESSION_A_TCP_STATE]	= NLP(MNL_TYPE_U8),
	[VMBR_NAT_SESSION_A_EXPIRES]	= NLP(MNL_TYPE_U32),
	[VMBR_NAT_SESSION_A_FORWARD]	= NLP(MNL_TYPE_FLAG),
	[VMBR_NAT_SESSION_A_PACKETS_OUT] = NLP(MNL_TYPE_U64),
	[VMBR_NAT_SESSION_A_PACKETS_IN]	= NLP(MNL_TYPE_U64),
};

static const struct nl_policy nat_fwd_policy[VMBR_NAT_FWD_A_MAX + 1] = {
	[VMBR_NAT_FWD_A_PROTO]		= NLP(MNL_TYPE_U8),
	[VMBR_NAT_FWD_A_EXT_PORT]	= NLP(MNL_TYPE_U16),
	[VMBR_NAT_FWD_A_INT_ADDR]	= NLP(MNL_TYPE_U32),
	[VMBR_NAT_FWD_A_INT_PORT]	= NLP(MNL_TYPE_U16),
};

static const struct nl_policy
	nat_stats_policy[VMBR_NAT_STATS_A_MAX + 1] = {
	[VMBR_NAT_STATS_A_OUT_PACKETS]	= NLP(MNL_TYPE_U64),
	[VMBR_NAT_STATS_A_OUT_BYTES]	= NLP(MNL_TYPE_U64),
	[VMBR_NAT_STATS_A_IN_PACKETS]	= NLP(MNL_TYPE_U64),
	[VMBR_NAT_STATS_A_IN_BYTES]	= NLP(MNL_TYPE_U64),
	[VMBR_NAT_STATS_A_HAIRPIN]	= NLP(MNL_TYPE_U64),
	[VMBR_NAT_STATS_A_ICMP_ERRORS]	= NLP(MNL_TYPE_U64),
	[VMBR_NAT_STATS_A_SESSIONS_CREATED] = NLP(MNL_TYPE_U64),
	[VMBR_NAT_STATS_A_SESSIONS_EXPIRED] = NLP(MNL_TYPE_U64),
	[VMBR_NAT_STATS_A_SENT_TIME_EXCEEDED] = NLP(MNL_TYPE_U64),
	[VMBR_NAT_STATS_A_SENT_FRAG_NEEDED] = NLP(MNL_TYPE_U64),
	[VMBR_NAT_STATS_A_DROPS]	= NLP(MNL_TYPE_NESTED),
};

/* Values of (validated) attributes, null when absent. */

static json_t *ju16(const struct nlattr *attr)
{
	return attr ? json_integer(mnl_attr_get_u16(attr)) : json_null();
}

static json_t *ju32(const struct nlattr *attr)
{
	return attr ? json_integer(mnl_attr_get_u32(attr)) : json_null();
}

/* JSON integers are signed 64-bit: counters beyond 2^63 wrap. */
static json_t *ju64(const struct nlattr *attr)
{
	return attr ? json_integer((json_int_t)mnl_attr_get_u64(attr)) :
		      json_null();
}

static json_t *jenum(const struct name_table *t, const struct nlattr *attr)
{
	char buf[NAME_BUFSIZ];

	return attr ? jstr(name_of(t, mnl_attr_get_u8(attr), buf)) :
		      json_null();
}

/* An IPv4 address (be32) as a.b.c.d. */
static json_t *jipv4(const struct nlattr *attr)
{
	char buf[IPV4_BUFSIZ];
	uint32_t addr;

	if (!attr)
		return json_null();
	memcpy(&addr, mnl_attr_get_payload(attr), sizeof(addr));
	return jstr(format_ipv4(addr, buf));
}

/* A device's name: the kernel's if given, else looked up. */
static json_t *jdev(const struct nlattr *name, const struct nlattr *ifindex,
		    struct ifname_cache *cache)
{
	if (name)
		return jstr(mnl_attr_get_str(name));
	if (ifindex) {
		char buf[IFNAME_BUFSIZ];

		return jstr(dev_name(cache, mnl_attr_get_u32(ifindex), buf));
	}
	return json_null();
}

/* VLANs. */

/* A PVID; null for 0, no VLAN. */
static json_t *jpvid(const struct nlattr *attr)
{
	uint16_t vid = mnl_attr_get_u16(attr);

	return vid ? json_integer(vid) : json_null();
}

/* A VLAN bitmap as a VIDLIST; "" for no VLAN. */
static json_t *jvlans(const struct nlattr *attr)
{
	char buf[VIDLIST_BUFSIZ];

	return jstr(format_vidlist(mnl_attr_get_payload(attr), buf));
}

/*
 * "@pvid_key" and "@vlans_key" of @obj, each only if the kernel sent its
 * attribute: a kernel without VLANs has neither.
 */
static void set_vlans(json_t *obj, const char *pvid_key,
		      const struct nlattr *pvid, const char *vlans_key,
		      const struct nlattr *vlans)
{
	if (pvid)
		jset(obj, pvid_key, jpvid(pvid));
	if (vlans)
		jset(obj, vlans_key, jvlans(vlans));
}

/* "@key" of @obj: the uplink-vni map as "10:1010,20:1020", "" for none. */
static int set_vni_map(json_t *obj, const char *key,
		       const struct nlattr *nest)
{
	static struct vni_map map;
	static char buf[VNI_MAP_BUFSIZ];

	if (vni_map_of_attr(nest, &map) < 0) {
		errno = EBADMSG;
		return -1;
	}
	jset(obj, key, jstr(format_vni_map(&map, buf)));
	return 0;
}

/* Guards. */

/*
 * A lock-mac list is MACs end to end, none for off.  How many is the
 * kernel's bound (VMBR_LOCK_MAC_MAX today), not checked here.
 */
static bool lock_mac_ok(const struct nlattr *attr)
{
	return !attr || mnl_attr_get_payload_len(attr) % MAC_LEN == 0;
}

/* A lock-mac list as an array of MACs; [] for off. */
static json_t *jmacs(const struct nlattr *attr)
{
	const uint8_t *mac = mnl_attr_get_payload(attr);
	uint16_t len = mnl_attr_get_payload_len(attr);
	char buf[MAC_BUFSIZ];
	json_t *macs = jarr();
	uint16_t i;

	for (i = 0; i < len; i += MAC_LEN)
		jpush(macs, jstr(format_mac(mac + i, buf)));
	return macs;
}

/*
 * A lock-ip list is 16-byte addresses end to end, none for off.  How many
 * is the kernel's bound (VMBR_LOCK_IP_MAX today), not checked here.
 */
static bool lock_ip_ok(const struct nlattr *attr)
{
	return !attr || mnl_attr_get_payload_len(attr) % IP_LEN == 0;
}

/* A lock-ip list as an array of addresses, IPv4 as a.b.c.d; [] for off. */
static json_t *jips(const struct nlattr *attr)
{
	const uint8_t *addr = mnl_attr_get_payload(attr);
	uint16_t len = mnl_attr_get_payload_len(attr);
	char buf[IP_BUFSIZ];
	json_t *addrs = jarr();
	uint16_t i;

	for (i = 0; i < len; i += IP_LEN)
		jpush(addrs, jstr(format_ip(addr + i, buf)));
	return addrs;
}

/*
 * "isolated", "lock_mac", "max_macs", "bum_rate" and "lock_ip" of @port,
 * each only if the kernel sent its attribute: a kernel without guards has
 * none, one without lock-ip no "lock_ip".  "locks_hidden": the port has
 * lock lists that only CAP_NET_ADMIN may read.
 */
static void set_guards(json_t *port, const struct nlattr **tb)
{
	if (tb[VMBR_PORT_A_ISOLATED])
		jset(port, "isolated",
		     json_boolean(mnl_attr_get_u8(tb[VMBR_PORT_A_ISOLATED])));
	if (tb[VMBR_PORT_A_LOCK_MAC])
		jset(port, "lock_mac", jmacs(tb[VMBR_PORT_A_LOCK_MAC]));
	if (tb[VMBR_PORT_A_MAX_MACS])
		jset(port, "max_macs", ju32(tb[VMBR_PORT_A_MAX_MACS]));
	if (tb[VMBR_PORT_A_BUM_RATE])
		jset(port, "bum_rate", ju32(tb[VMBR_PORT_A_BUM_RATE]));
	if (tb[VMBR_PORT_A_LOCK_IP])
		jset(port, "lock_ip", jips(tb[VMBR_PORT_A_LOCK_IP]));
	if (tb[VMBR_PORT_A_LOCKS_HIDDEN])
		jset(port, "locks_hidden", json_true());
}

/* Bandwidth. */

/*
 * "@rate_key" and "@burst_key" of @port from rate nest @nest, if the
 * kernel sent it (one without rate limits does not): the rate in bits a
 * second and the burst in use in bytes, 0 and 0 for no limit (an empty
 * nest).  -1 if malformed.
 */
static int set_rate(json_t *port, const char *rate_key,
		    const char *burst_key, const struct nlattr *nest)
{
	const struct nlattr *tb[VMBR_RATE_A_MAX + 1];
	uint64_t bytes_ps = 0;
	uint32_t burst = 0;

	if (!nest)
		return 0;
	if (nl_parse_nested(nest, rate_policy, VMBR_RATE_A_MAX, tb) < 0)
		return -1;
	if (tb[VMBR_RATE_A_BYTES_PS])
		bytes_ps = mnl_attr_get_u64(tb[VMBR_RATE_A_BYTES_PS]);
	if (bytes_ps && tb[VMBR_RATE_A_BURST])
		burst = mnl_attr_get_u32(tb[VMBR_RATE_A_BURST]);
	jset(port, rate_key, json_integer((json_int_t)(bytes_ps * 8)));
	jset(port, burst_key, json_integer(burst));
	return 0;
}

/* "rate_in", "burst_in", "rate_out" and "burst_out" of @port. */
static int set_rates(json_t *port, const struct nlattr **tb)
{
	if (set_rate(port, "rate_in", "burst_in", tb[VMBR_PORT_A_RATE_IN]) ||
	    set_rate(port, "rate_out", "burst_out",
		     tb[VMBR_PORT_A_RATE_OUT]))
		return -1;
	return 0;
}

/* Stats. */

struct drops_ctx {
	const struct name_table *names;
	unsigned int unspec;		/* the padding's type */
	json_t *drops;
};

static int drop_cb(const struct nlattr *attr, void *data)
{
	unsigned int reason = mnl_attr_get_type(attr);
	struct drops_ctx *c = data;
	char buf[NAME_BUFSIZ];

	/* The kernel pads u64s with the type of the UNSPEC reason. */
	if (reason == c->unspec)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
		return MNL_CB_ERROR;
	jset(c->drops, name_of(c->names, reason, buf), ju64(attr));
	return MNL_CB_OK;
}

/*
 * The drop counters of @nest (may be NULL) by reason: every reason of
 * @names, 0 unless the kernel counts it, and those a newer kernel counts
 * as "reason-N".  NULL if malformed.
 */
static json_t *decode_drops(const struct nlattr *nest,
			    const struct name_table *names, unsigned int unspec)
{
	struct drops_ctx c = { .names = names, .unspec = unspec };
	unsigned int reason;

	c.drops = jobj();
	for (reason = 0; reason < names->count; reason++)
		if (names->names[reason])
			jset(c.drops, names->names[reason], json_integer(0));
	if (nest && mnl_attr_parse_nested(nest, drop_cb, &c) < 0) {
		json_decref(c.drops);
		return NULL;
	}
	return c.drops;
}

/*
 * {"rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "drops", "fdb_full"}
 * and "max_macs" and "not_switched" if the kernel sent them (one with
 * guards, one that leaves refused uplink frames to the host).
 */
static json_t *decode_stats(const struct nlattr *nest)
{
	const struct nlattr *tb[VMBR_STATS_A_MAX + 1];
	json_t *stats, *drops;

	if (nl_parse_nested(nest, stats_policy, VMBR_STATS_A_MAX, tb) < 0)
		return NULL;
	drops = decode_drops(tb[VMBR_STATS_A_DROPS], &drop_names,
			     VMBR_DROP_UNSPEC);
	if (!drops)
		return NULL;

	stats = jobj();
	jset(stats, "rx_packets", ju64(tb[VMBR_STATS_A_RX_PACKETS]));
	jset(stats, "rx_bytes", ju64(tb[VMBR_STATS_A_RX_BYTES]));
	jset(stats, "tx_packets", ju64(tb[VMBR_STATS_A_TX_PACKETS]));
	jset(stats, "tx_bytes", ju64(tb[VMBR_STATS_A_TX_BYTES]));
	jset(stats, "drops", drops);
	jset(stats, "fdb_full", ju64(tb[VMBR_STATS_A_FDB_FULL]));
	if (tb[VMBR_STATS_A_MAX_MACS])
		jset(stats, "max_macs", ju64(tb[VMBR_STATS_A_MAX_MACS]));
	if (tb[VMBR_STATS_A_NOT_SWITCHED])
		jset(stats, "not_switched",
		     ju64(tb[VMBR_STATS_A_NOT_SWITCHED]));
	return stats;
}

/* "stats" of @obj from @nest (null if absent); -1 if malformed. */
static int set_stats(json_t *obj, const struct nlattr *nest)
{
	json_t *stats = json_null();

	if (nest) {
		stats = decode_stats(nest);
		if (!stats)
			return -1;
	}
	jset(obj, "stats", stats);
	return 0;
}

/* Objects. */

static json_t *decode_port(const struct nlattr *nest, bool stats,
			   struct ifname_cache *cache)
{
	const struct nlattr *tb[VMBR_PORT_A_MAX + 1];
	json_t *port;

	if (nl_parse_nested(nest, port_policy, VMBR_PORT_A_MAX, tb) < 0)
		return NULL;
	if (!tb[VMBR_PORT_A_IFINDEX]) {
		errno = EBADMSG;
		return NULL;
	}
	if (!lock_mac_ok(tb[VMBR_PORT_A_LOCK_MAC]) ||
	    !lock_ip_ok(tb[VMBR_PORT_A_LOCK_IP])) {
		errno = ERANGE;
		return NULL;
	}
	port = jobj();
	jset(port, "ifname", jdev(tb[VMBR_PORT_A_IFNAME],
				  tb[VMBR_PORT_A_IFINDEX], cache));
	jset(port, "ifindex", ju32(tb[VMBR_PORT_A_IFINDEX]));
	jset(port, "role", jenum(&role_names, tb[VMBR_PORT_A_ROLE]));
	jset(port, "fdb_count", ju32(tb[VMBR_PORT_A_FDB_COUNT]));
	set_vlans(port, "pvid", tb[VMBR_PORT_A_PVID],
		  "vlans", tb[VMBR_PORT_A_VLANS]);
	set_guards(port, tb);
	if (set_rates(port, tb) < 0 ||
	    (stats && set_stats(port, tb[VMBR_PORT_A_STATS]) < 0)) {
		json_decref(port);
		return NULL;
	}
	return port;
}

/* @full: as dumped ("static", "age_ms"); else as in events. */
static json_t *decode_fdb(const struct nlattr *nest, bool full,
			  struct ifname_cache *cache)
{
	const struct nlattr *tb[VMBR_FDB_A_MAX + 1];
	char mac[MAC_BUFSIZ];
	json_t *fdb;

	if (nl_parse_nested(nest, fdb_policy, VMBR_FDB_A_MAX, tb) < 0)
		return NULL;
	if (!tb[VMBR_FDB_A_MAC]) {
		errno = EBADMSG;
		return NULL;
	}
	format_mac(mnl_attr_get_payload(tb[VMBR_FDB_A_MAC]), mac);
	fdb = jobj();
	jset(fdb, "mac", jstr(mac));
	jset(fdb, "vlan", tb[VMBR_FDB_A_VID] ?
	     json_integer(mnl_attr_get_u16(tb[VMBR_FDB_A_VID])) : json_null());
	jset(fdb, "port", jdev(NULL, tb[VMBR_FDB_A_PORT_IFINDEX], cache));
	if (full) {
		jset(fdb, "static", json_boolean(tb[VMBR_FDB_A_STATIC]));
		jset(fdb, "age_ms", ju32(tb[VMBR_FDB_A_AGE]));
	}
	return fdb;
}

static int parse_msg(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	return nl_parse(nlh, GENL_HDRLEN, vmbr_policy, VMBR_A_MAX, tb);
}

json_t *decode_vmbr(const struct nlmsghdr *nlh, bool stats,
		    struct ifname_cache *cache)
{
	const struct nlattr *tb[VMBR_A_MAX + 1];
	const struct nlattr *uplink;
	json_t *vmbr;

	if (parse_msg(nlh, tb) < 0)
		return NULL;
	if (!tb[VMBR_A_IFINDEX]) {
		errno = EBADMSG;
		return NULL;
	}
	uplink = tb[VMBR_A_UPLINK_IFINDEX];
	if (uplink && !mnl_attr_get_u32(uplink))
		uplink = NULL;

	vmbr = jobj();
	jset(vmbr, "ifname", jdev(tb[VMBR_A_IFNAME], tb[VMBR_A_IFINDEX],
				  cache));
	jset(vmbr, "ifindex", ju32(tb[VMBR_A_IFINDEX]));
	jset(vmbr, "mode", jenum(&mode_names, tb[VMBR_A_MODE]));
	jset(vmbr, "uplink", jdev(NULL, uplink, cache));
	jset(vmbr, "ageing", ju32(tb[VMBR_A_AGEING]));
	jset(vmbr, "max_fdb", ju32(tb[VMBR_A_MAX_FDB]));
	jset(vmbr, "fdb_count", ju32(tb[VMBR_A_FDB_COUNT]));
	set_vlans(vmbr, "host_pvid", tb[VMBR_A_HOST_PVID],
		  "host_vlans", tb[VMBR_A_HOST_VLANS]);
	set_vlans(vmbr, "uplink_pvid", tb[VMBR_A_UPLINK_PVID],
		  "uplink_vlans", tb[VMBR_A_UPLINK_VLANS]);
	if (tb[VMBR_A_UPLINK_VNIS] &&
	    set_vni_map(vmbr, "uplink_vni", tb[VMBR_A_UPLINK_VNIS]) < 0) {
		json_decref(vmbr);
		return NULL;
	}
	jset(vmbr, "ports", jarr());
	if (stats && set_stats(vmbr, tb[VMBR_A_STATS]) < 0) {
		json_decref(vmbr);
		return NULL;
	}
	return vmbr;
}

/* The nest @type of a message, or NULL with errno set. */
static const struct nlattr *msg_nest(const struct nlmsghdr *nlh, int type)
{
	const struct nlattr *tb[VMBR_A_MAX + 1];

	if (parse_msg(nlh, tb) < 0)
		return NULL;
	if (!tb[type])
		errno = EBADMSG;
	return tb[type];
}

json_t *decode_port_msg(const struct nlmsghdr *nlh, bool stats,
			struct ifname_cache *cache)
{
	const struct nlattr *nest = msg_nest(nlh, VMBR_A_PORT);

	return nest ? decode_port(nest, stats, cache) : NULL;
}

json_t *decode_fdb_msg(const struct nlmsghdr *nlh,
		       struct ifname_cache *cache)
{
	const struct nlattr *nest = msg_nest(nlh, VMBR_A_FDB);

	return nest ? decode_fdb(nest, true, cache) : NULL;
}

/* NAT. */

/*
 * {"out_packets", "out_bytes", "in_packets", "in_bytes", "hairpin",
 * "icmp_errors", "sessions_created", "sessions_expired",
 * "sent_time_exceeded", "sent_frag_needed", "drops"}
 */
static json_t *decode_nat_stats(const struct nlattr *nest)
{
	const struct nlattr *tb[VMBR_NAT_STATS_A_MAX + 1];
	json_t *stats, *drops;

	if (nl_parse_nested(nest, nat_stats_policy, VMBR_NAT_STATS_A_MAX,
			    tb) < 0)
		return NULL;
	drops = decode_drops(tb[VMBR_NAT_STATS_A_DROPS], &nat_drop_names,
			     VMBR_NAT_DROP_UNSPEC);
	if (!drops)
		return NULL;

	stats = jobj();
	jset(stats, "out_packets", ju64(tb[VMBR_NAT_STATS_A_OUT_PACKETS]));
	jset(stats, "out_bytes", ju64(tb[VMBR_NAT_STATS_A_OUT_BYTES]));
	jset(stats, "in_packets", ju64(tb[VMBR_NAT_STATS_A_IN_PACKETS]));
	jset(stats, "in_bytes", ju64(tb[VMBR_NAT_STATS_A_IN_BYTES]));
	jset(stats, "hairpin", ju64(tb[VMBR_NAT_STATS_A_HAIRPIN]));
	jset(stats, "icmp_errors", ju64(tb[VMBR_NAT_STATS_A_ICMP_ERRORS]));
	jset(stats, "sessions_created",
	     ju64(tb[VMBR_NAT_STATS_A_SESSIONS_CREATED]));
	jset(stats, "sessions_expired",
	     ju64(tb[VMBR_NAT_STATS_A_SESSIONS_EXPIRED]));
	jset(stats, "sent_time_exceeded",
	     ju64(tb[VMBR_NAT_STATS_A_SENT_TIME_EXCEEDED]));
	jset(stats, "sent_frag_needed",
	     ju64(tb[VMBR_NAT_STATS_A_SENT_FRAG_NEEDED]));
	jset(stats, "drops", drops);
	return stats;
}

json_t *decode_nat_msg(const struct nlmsghdr *nlh, bool stats,
		       struct ifname_cache *cache)
{
	const struct nlattr *tb[VMBR_A_MAX + 1];
	const struct nlattr *nat[VMBR_NAT_A_MAX + 1];
	const struct nlattr *addr;
	json_t *obj, *st = json_null();

	if (parse_msg(nlh, tb) < 0)
		return NULL;
	if (!tb[VMBR_A_NAT]) {
		errno = EBADMSG;
		return NULL;
	}
	if (nl_parse_nested(tb[VMBR_A_NAT], nat_policy, VMBR_NAT_A_MAX,
			    nat) < 0)
		return NULL;
	if (stats && nat[VMBR_NAT_A_STATS]) {
		st = decode_nat_stats(nat[VMBR_NAT_A_STATS]);
		if (!st)
			return NULL;
	}
	/* 0.0.0.0: the uplink has no IPv4 address. */
	addr = nat[VMBR_NAT_A_ADDRESS];
	if (addr && !mnl_attr_get_u32(addr))
		addr = NULL;

	obj = jobj();
	jset(obj, "ifname", jdev(tb[VMBR_A_IFNAME], tb[VMBR_A_IFINDEX],
				 cache));
	jset(obj, "address", jipv4(addr));
	jset(obj, "port_min", ju16(nat[VMBR_NAT_A_PORT_MIN]));
	jset(obj, "port_max", ju16(nat[VMBR_NAT_A_PORT_MAX]));
	jset(obj, "max_sessions", ju32(nat[VMBR_NAT_A_MAX_SESSIONS]));
	jset(obj, "max_sessions_per_guest",
	     ju32(nat[VMBR_NAT_A_MAX_SESSIONS_PER_GUEST]));
	jset(obj, "timeout_udp", ju32(nat[VMBR_NAT_A_TIMEOUT_UDP]));
	jset(obj, "timeout_tcp_est", ju32(nat[VMBR_NAT_A_TIMEOUT_TCP_EST]));
	jset(obj, "timeout_tcp_trans",
	     ju32(nat[VMBR_NAT_A_TIMEOUT_TCP_TRANS]));
	jset(obj, "timeout_icmp", ju32(nat[VMBR_NAT_A_TIMEOUT_ICMP]));
	jset(obj, "filtering",
	     jenum(&nat_filter_names, nat[VMBR_NAT_A_FILTERING]));
	jset(obj, "sessions", ju32(nat[VMBR_NAT_A_SESSIONS]));
	jset(obj, "mappings", ju32(nat[VMBR_NAT_A_MAPPINGS]));
	if (stats)
		jset(obj, "stats", st);
	return obj;
}

json_t *decode_nat_session_msg(const struct nlmsghdr *nlh)
{
	const struct nlattr *nest = msg_nest(nlh, VMBR_A_NAT_SESSION);
	const struct nlattr *tb[VMBR_NAT_SESSION_A_MAX + 1];
	const struct nlattr *state;
	json_t *session;

	if (!nest || nl_parse_nested(nest, nat_session_policy,
				     VMBR_NAT_SESSION_A_MAX, tb) < 0)
		return NULL;
	if (!tb[VMBR_NAT_SESSION_A_PROTO]) {
		errno = EBADMSG;
		return NULL;
	}
	/* No state, VMBR_NAT_TCP_NONE, is null: a session that is not TCP. */
	state = tb[VMBR_NAT_SESSION_A_TCP_STATE];
	if (state && mnl_attr_get_u8(state) == VMBR_NAT_TCP_NONE)
		state = NULL;

	session = jobj();
	jset(session, "proto", jenum(&proto_names,
				     tb[VMBR_NAT_SESSION_A_PROTO]));
	jset(session, "int_addr", jipv4(tb[VMBR_NAT_SESSION_A_INT_ADDR]));
	jset(session, "int_port", ju16(tb[VMBR_NAT_SESSION_A_INT_PORT]));
	jset(session, "ext_addr", jipv4(tb[VMBR_NAT_SESSION_A_EXT_ADDR]));
	jset(session, "ext_port", ju16(tb[VMBR_NAT_SESSION_A_EXT_PORT]));
	jset(session, "rem_addr", jipv4(tb[VMBR_NAT_SESSION_A_REM_ADDR]));
	jset(session, "rem_port", ju16(tb[VMBR_NAT_SESSION_A_REM_PORT]));
	jset(session, "tcp_state", jenum(&nat_tcp_state_names, state));
	jset(session, "expires_ms", ju32(tb[VMBR_NAT_SESSION_A_EXPIRES]));
	jset(session, "forward",
	     json_boolean(tb[VMBR_NAT_SESSION_A_FORWARD]));
	jset(session, "packets_out",
	     ju64(tb[VMBR_NAT_SESSION_A_PACKETS_OUT]));
	jset(session, "packets_in", ju64(tb[VMBR_NAT_SESSION_A_PACKETS_IN]));
	return session;
}

json_t *decode_nat_fwd_msg(const struct nlmsghdr *nlh)
{
	const struct nlattr *nest = msg_nest(nlh, VMBR_A_NAT_FWD);
	const struct nlattr *tb[VMBR_NAT_FWD_A_MAX + 1];
	json_t *fwd;

	if (!nest || nl_parse_nested(nest, nat_fwd_policy,
				     VMBR_NAT_FWD_A_MAX, tb) < 0)
		return NULL;
	if (!tb[VMBR_NAT_FWD_A_PROTO] || !tb[VMBR_NAT_FWD_A_EXT_PORT]) {
		errno = EBADMSG;
		return NULL;
	}
	fwd = jobj();
	jset(fwd, "proto", jenum(&proto_names, tb[VMBR_NAT_FWD_A_PROTO]));
	jset(fwd, "ext_port", ju16(tb[VMBR_NAT_FWD_A_EXT_PORT]));
	jset(fwd, "int_addr", jipv4(tb[VMBR_NAT_FWD_A_INT_ADDR]));
	jset(fwd, "int_port", ju16(tb[VMBR_NAT_FWD_A_INT_PORT]));
	return fwd;
}

/* Events. */

/* The port's keys an event shows. */
static const char *const port_role[] = { "role", NULL };
static const char *const port_options[] = {
	"role", "pvid", "vlans", "isolated", "lock_mac", "max_macs",
	"bum_rate", "lock_ip", "rate_in", "burst_in", "rate_out",
	"burst_out", NULL
};

/* "port" and the port's @keys (may be NULL) of @event, from the nest. */
static int event_port(json_t *event, const struct nlattr *nest,
		      const char *const *keys, struct ifname_cache *cache)
{
	json_t *port, *val;

	if (!nest)
		return 0;
	port = decode_port(nest, false, cache);
	if (!port)
		return -1;
	if (json_object_set(event, "port", json_object_get(port, "ifname")))
		die_oom();
	for (; keys && *keys; keys++) {
		val = json_object_get(port, *keys);
		if (val && json_object_set(event, *keys, val))
			die_oom();
	}
	json_decref(port);
	return 0;
}

json_t *decode_event(const struct nlmsghdr *nlh, struct ifname_cache *cache)
{
	const struct nlattr *tb[VMBR_A_MAX + 1];
	char buf[NAME_BUFSIZ];
	json_t *event, *fdb;
	int cmd, err = 0;

	cmd = genl_cmd(nlh);
	if (cmd < 0 || parse_msg(nlh, tb) < 0)
		return NULL;
	event = jobj();
	jset(event, "event", jstr(name_of(&event_names, cmd, buf)));
	jset(event, "vmbridge", jdev(tb[VMBR_A_IFNAME], tb[VMBR_A_IFINDEX],
				     cache));
	switch (cmd) {
	case VMBR_CMD_PORT_ADD:
	case VMBR_CMD_PORT_SET:
		err = event_port(event, tb[VMBR_A_PORT], port_options,
				 cache);
		break;
	case VMBR_CMD_PORT_DEL:
		err = event_port(event, tb[VMBR_A_PORT], port_role, cache);
		break;
	case VMBR_CMD_FDB_ADD:
	case VMBR_CMD_FDB_DEL:
		if (!tb[VMBR_A_FDB])
			break;
		fdb = decode_fdb(tb[VMBR_A_FDB], false, cache);
		if (!fdb) {
			err = -1;
			break;
		}
		if (json_object_update(event, fdb))
			die_oom();
		json_decref(fdb);
		break;
	case VMBR_CMD_LIMIT:
		jset(event, "limit", jenum(&limit_names, tb[VMBR_A_LIMIT]));
		err = event_port(event, tb[VMBR_A_PORT], NULL, cache);
		break;
	}
	if (err) {
		json_decref(event);
		return NULL;
	}
	return event;
}
