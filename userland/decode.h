/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbr: vmbridge messages decoded into the objects that vmbr prints,
 * with the keys of its JSON output (vmbr(8), OUTPUT).
 *
 * Each returns a new reference, or NULL with errno set if the message is
 * malformed.  Attributes a kernel leaves out are null, but for the VLAN,
 * guard and bandwidth keys, which a kernel without them leaves out;
 * attributes a newer kernel adds are skipped.
 *
 * VLANs: a PVID is a number, or null for none (0); a set of VLANs is a
 * VIDLIST string (vlan.h), "" for none.
 *
 * Guards: "isolated" is true or false, "lock_mac" an array of MAC strings
 * ([] for off), "max_macs" and "bum_rate" numbers (0 for none), "lock_ip"
 * an array of address strings, IPv4 as a.b.c.d ([] for off; left out by a
 * kernel without lock-ip).
 *
 * Bandwidth: "rate_in" and "rate_out" are bits a second, "burst_in" and
 * "burst_out" the bursts in use in bytes (0 and 0 for no limit; left out
 * by a kernel without rate limits).
 */
#ifndef VMBR_DECODE_H
#define VMBR_DECODE_H

#include <stdbool.h>

#include <jansson.h>
#include <libmnl/libmnl.h>

struct ifname_cache;

/*
 * VMBR_CMD_GET: {"ifname", "ifindex", "mode", "uplink", "ageing",
 * "max_fdb", "fdb_count", "host_pvid", "host_vlans", "uplink_pvid",
 * "uplink_vlans", "ports": [] (for the caller to fill), and with @stats
 * "stats"}.
 */
json_t *decode_vmbr(const struct nlmsghdr *nlh, bool stats,
		    struct ifname_cache *cache);

/*
 * VMBR_CMD_PORT_GET: {"ifname", "ifindex", "role", "fdb_count", "pvid",
 * "vlans", "isolated", "lock_mac", "max_macs", "bum_rate", "lock_ip",
 * "rate_in", "burst_in", "rate_out", "burst_out"[, "stats"]}.
 * Stats: {"rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "drops",
 * "fdb_full"[, "max_macs"]}, "drops" an object of counters by reason.
 */
json_t *decode_port_msg(const struct nlmsghdr *nlh, bool stats,
			struct ifname_cache *cache);

/* VMBR_CMD_FDB_GET: {"mac", "vlan", "port", "static", "age_ms"}. */
json_t *decode_fdb_msg(const struct nlmsghdr *nlh,
		       struct ifname_cache *cache);

/*
 * VMBR_CMD_NAT_GET: {"ifname", "address", "port_min", "port_max",
 * "max_sessions", "max_sessions_per_guest", "timeout_udp",
 * "timeout_tcp_est", "timeout_tcp_trans", "timeout_icmp", "filtering",
 * "sessions", "mappings", and with @stats "stats"}; "address" is an IPv4
 * address string, null for none.
 * Stats: {"out_packets", "out_bytes", "in_packets", "in_bytes", "hairpin",
 * "icmp_errors", "sessions_created", "sessions_expired",
 * "sent_time_exceeded", "sent_frag_needed", "drops"}, "drops" an object
 * of counters by NAT drop reason.
 */
json_t *decode_nat_msg(const struct nlmsghdr *nlh, bool stats,
		       struct ifname_cache *cache);

/*
 * VMBR_CMD_NAT_SESSION_GET: {"proto", "int_addr", "int_port", "ext_addr",
 * "ext_port", "rem_addr", "rem_port", "tcp_state", "expires_ms",
 * "forward", "packets_out", "packets_in"}; "proto" is "tcp", "udp" or
 * "icmp" (ports: the echo identifier, rem_port 0), "tcp_state" null but
 * for TCP.
 */
json_t *decode_nat_session_msg(const struct nlmsghdr *nlh);

/* VMBR_CMD_NAT_FWD_GET: {"proto", "ext_port", "int_addr", "int_port"}. */
json_t *decode_nat_fwd_msg(const struct nlmsghdr *nlh);

/*
 * An event: {"event", "vmbridge"} and, by event, "port", "role" (port_add,
 * port_set, port_del), "pvid", "vlans", "isolated", "lock_mac",
 * "max_macs", "bum_rate", "lock_ip", "rate_in", "burst_in", "rate_out",
 * "burst_out" (port_add, port_set), "mac", "vlan", "port" (fdb_add,
 * fdb_del), "limit", "port" (limit).
 */
json_t *decode_event(const struct nlmsghdr *nlh, struct ifname_cache *cache);

#endif /* VMBR_DECODE_H */
