// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr: the names of the uapi enums.  Every table is indexed by the
 * enum's values and checked against its __MAX at compile time, so a value
 * added to <linux/vmbridge.h> fails the build until it has a name here.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <linux/vmbridge.h>

#include "names.h"
#include "vmbr.h"

#define NAME_TABLE(var, arr, max, prefix)				\
	_Static_assert(ARRAY_SIZE(arr) == (max),			\
		       #arr " does not name every value");		\
	const struct name_table var = {					\
		.names = arr,						\
		.count = ARRAY_SIZE(arr),				\
		.unknown = prefix,					\
	}

static const char *const modes[] = {
	[VMBR_MODE_HOSTONLY]	= "hostonly",
	[VMBR_MODE_BRIDGE]	= "bridge",
	[VMBR_MODE_NAT]		= "nat",
	[VMBR_MODE_PRIVATE]	= "private",
};
NAME_TABLE(mode_names, modes, __VMBR_MODE_MAX, "mode");

static const char *const roles[] = {
	[VMBR_PORT_ROLE_GUEST]	= "guest",
	[VMBR_PORT_ROLE_UPLINK]	= "uplink",
};
NAME_TABLE(role_names, roles, __VMBR_PORT_ROLE_MAX, "role");

static const char *const drops[] = {
	[VMBR_DROP_UNSPEC]	= NULL,
	[VMBR_DROP_MALFORMED]	= "malformed",
	[VMBR_DROP_BAD_SRC_MAC]	= "bad-src-mac",
	[VMBR_DROP_MTU]		= "mtu",
	[VMBR_DROP_POLICY]	= "policy",
	[VMBR_DROP_SAME_PORT]	= "same-port",
	[VMBR_DROP_NOMEM]	= "nomem",
	[VMBR_DROP_PORT_DOWN]	= "port-down",
	[VMBR_DROP_VLAN]	= "vlan",
	[VMBR_DROP_ISOLATED]	= "isolated",
	[VMBR_DROP_LOCKED_MAC]	= "lock-mac",
	[VMBR_DROP_BUM_RATE]	= "bum-rate",
	[VMBR_DROP_LOCKED_IP]	= "lock-ip",
	[VMBR_DROP_RATE]	= "rate",
	[VMBR_DROP_VNI]		= "vni",
};
NAME_TABLE(drop_names, drops, __VMBR_DROP_MAX, "reason");

static const char *const limits[] = {
	[VMBR_LIMIT_FDB]	= "fdb",
	[VMBR_LIMIT_PORT_MACS]	= "max-macs",
	[VMBR_LIMIT_LOCKED_MAC]	= "lock-mac",
	[VMBR_LIMIT_LOCKED_IP]	= "lock-ip",
	[VMBR_LIMIT_NAT_SESSIONS]	= "nat-sessions",
	[VMBR_LIMIT_NAT_GUEST_SESSIONS]	= "nat-guest-sessions",
	[VMBR_LIMIT_NAT_PORTS]		= "nat-ports",
};
NAME_TABLE(limit_names, limits, __VMBR_LIMIT_MAX, "limit");

static const char *const nat_filters[] = {
	[VMBR_NAT_FILTER_ENDPOINT_INDEPENDENT]	= "endpoint-independent",
	[VMBR_NAT_FILTER_ADDRESS_DEPENDENT]	= "address-dependent",
	[VMBR_NAT_FILTER_ADDRESS_PORT_DEPENDENT] = "address-and-port-dependent",
};
NAME_TABLE(nat_filter_names, nat_filters, __VMBR_NAT_FILTER_MAX, "filtering");

/* VMBR_NAT_TCP_NONE is no state: a session that is not TCP. */
static const char *const nat_tcp_states[] = {
	[VMBR_NAT_TCP_NONE]		= NULL,
	[VMBR_NAT_TCP_SYN]		= "syn",
	[VMBR_NAT_TCP_ESTABLISHED]	= "established",
	[VMBR_NAT_TCP_CLOSING]		= "closing",
};
NAME_TABLE(nat_tcp_state_names, nat_tcp_states, __VMBR_NAT_TCP_MAX, "state");

static const char *const nat_drops[] = {
	[VMBR_NAT_DROP_UNSPEC]		= NULL,
	[VMBR_NAT_DROP_MALFORMED]	= "malformed",
	[VMBR_NAT_DROP_UNSUPPORTED]	= "unsupported",
	[VMBR_NAT_DROP_FILTERED]	= "filtered",
	[VMBR_NAT_DROP_NO_ADDRESS]	= "no-address",
	[VMBR_NAT_DROP_NO_ROUTE]	= "no-route",
	[VMBR_NAT_DROP_TTL]		= "ttl",
	[VMBR_NAT_DROP_MTU]		= "mtu",
	[VMBR_NAT_DROP_TABLE_FULL]	= "table-full",
	[VMBR_NAT_DROP_GUEST_FULL]	= "guest-full",
	[VMBR_NAT_DROP_NO_PORT]		= "no-port",
	[VMBR_NAT_DROP_NOMEM]		= "nomem",
	[VMBR_NAT_DROP_NO_SESSION]	= "no-session",
};
NAME_TABLE(nat_drop_names, nat_drops, __VMBR_NAT_DROP_MAX, "reason");

/* The protocols of NAT sessions and forwards: not a uapi enum. */
static const char *const protos[] = {
	[IPPROTO_ICMP]	= "icmp",
	[IPPROTO_TCP]	= "tcp",
	[IPPROTO_UDP]	= "udp",
};
const struct name_table proto_names = {
	.names = protos,
	.count = ARRAY_SIZE(protos),
	.unknown = "proto",
};

/* Events reuse the command numbers; only these are sent as events. */
static const char *const events[] = {
	[VMBR_CMD_PORT_ADD]	= "port_add",
	[VMBR_CMD_PORT_SET]	= "port_set",
	[VMBR_CMD_PORT_DEL]	= "port_del",
	[VMBR_CMD_FDB_ADD]	= "fdb_add",
	[VMBR_CMD_FDB_DEL]	= "fdb_del",
	[VMBR_CMD_LIMIT]	= "limit",
};
/* The NAT commands, after VMBR_CMD_LIMIT, are requests only. */
_Static_assert(VMBR_CMD_NAT_FWD_DEL == VMBR_CMD_MAX,
	       "a new command: is it an event?");
const struct name_table event_names = {
	.names = events,
	.count = ARRAY_SIZE(events),
	.unknown = "event",
};

const char *name_of(const struct name_table *t, unsigned int val, char *buf)
{
	if (val < t->count && t->names[val])
		return t->names[val];
	snprintf(buf, NAME_BUFSIZ, "%s-%u", t->unknown, val);
	return buf;
}

int name_lookup(const struct name_table *t, const char *name)
{
	unsigned int i;

	for (i = 0; i < t->count; i++)
		if (t->names[i] && !strcmp(t->names[i], name))
			return i;
	return -1;
}

const char *name_list(const struct name_table *t, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;
	int n;

	buf[0] = '\0';
	for (i = 0; i < t->count && used < len; i++) {
		if (!t->names[i])
			continue;
		n = snprintf(buf + used, len - used, "%s%s",
			     used ? " | " : "", t->names[i]);
		if (n < 0)
			break;
		used += n;
	}
	return buf;
}
