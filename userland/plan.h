/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbr: saved configurations, and the plan that restores one.
 *
 * A saved configuration (vmbr save) is a JSON object
 *   {"vmbr_config": 1, "vmbridges": [VMBRIDGE...]}
 * each VMBRIDGE with the settings among the keys of "vmbr -j show"
 * ("ifname", "mode", "uplink", "ageing", "max_fdb", "host_pvid",
 * "host_vlans", "uplink_pvid", "uplink_vlans", "uplink_vni"), and
 *   "ports":    its guest ports, the keys of "vmbr -j port show" that are
 *               options ("ifname", "pvid", "vlans", "isolated",
 *               "lock_mac", "lock_ip", "max_macs", "bum_rate", "rate_in",
 *               "burst_in", "rate_out", "burst_out");
 *   "fdb":      its static FDB entries, {"mac", "vlan", "port"};
 *   "nat":      its NAT settings, the keys of "vmbr -j nat show" that are
 *               settings ("port_min", "port_max", "max_sessions",
 *               "max_sessions_per_guest", "timeout_udp",
 *               "timeout_tcp_est", "timeout_tcp_trans", "timeout_icmp",
 *               "filtering");
 *   "forwards": its port forwards, as "vmbr -j nat forward show" has them.
 * Only "ifname" is required (and "mac" and "port" of an FDB entry,
 * "proto", "ext_port" and "int_addr" of a forward): a key left out is a
 * setting left as it is.
 *
 * Restoring compares the configuration a file wants with the one the
 * kernel has, read as vmbr save reads it, and plans the vmbr commands that
 * make the second the first; what is so already needs none, so restoring
 * twice plans nothing the second time.  Nothing the file does not name is
 * removed, but a port forward of the same port to another guest.  These
 * are pure functions, tested offline (tests/plan.c).
 */
#ifndef VMBR_PLAN_H
#define VMBR_PLAN_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

/* The value of "vmbr_config": the format's version. */
#define CONFIG_FORMAT	1

/*
 * Whether @cfg is a saved configuration: every key known, every value of
 * its type, every vmbridge, port and forward named once.  If not, prints
 * "vmbr: @file: WHERE: WHAT" and returns EXIT_FAIL.
 */
int config_check(json_t *cfg, const char *file);

/*
 * A plan is an array with an array of commands per vmbridge of @want, in
 * its order; a command is an array of strings, the arguments of vmbr, as
 * ["port", "add", "vmbr0", "tap0", "vlan", "10"].  If one fails, the rest
 * of its vmbridge's commands cannot succeed: the others can.
 */

/* The plan that creates the vmbridges of @want that @have lacks. */
json_t *plan_create(json_t *want, json_t *have);

/*
 * The plan that makes the vmbridges of @want, all of which @have has, as
 * @want has them.  A port, or an FDB entry's port, whose device does not
 * exist (@dev_exists: a VM not running) is left out, with a warning.
 */
json_t *plan_change(json_t *want, json_t *have,
		    bool (*dev_exists)(const char *name));

/* @cmd as a line: "vmbr port add vmbr0 tap0 vlan 10". */
void plan_print(FILE *f, json_t *cmd);

#endif /* VMBR_PLAN_H */
