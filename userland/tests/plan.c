// SPDX-License-Identifier: GPL-2.0
/*
 * Offline test of plan.c: saved configurations checked (good ones and bad
 * ones with their messages), and the commands that restore one planned
 * against what a kernel has: creating what is missing, changing only what
 * differs, moving a port from another vmbridge, leaving out a device that
 * is not there, replacing a forward, a rate limit with its burst, and
 * nothing at all the second time.
 * "make check" compares the output with plan.expected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../json.h"
#include "../plan.h"
#include "../vmbr.h"

/* JSON written with ' for ", for the C strings' sake. */
static json_t *J(const char *text)
{
	char *s = strdup(text), *p;
	json_error_t e;
	json_t *v;

	if (!s)
		die_oom();
	for (p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	v = json_loads(s, 0, &e);
	if (!v) {
		printf("test bug: %s: %s\n", s, e.text);
		exit(1);
	}
	free(s);
	return v;
}

/* The devices of this "host": tapX is a VM not running. */
static bool dev_exists(const char *name)
{
	static const char *const devs[] = {
		"eth0", "eth1", "tap0", "tap1", "tap2", "tap3", "vmbr0",
		"vmbr1", "vmbr2",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(devs); i++)
		if (!strcmp(devs[i], name))
			return true;
	return false;
}

static void check(const char *what, const char *text)
{
	json_t *cfg = J(text);

	printf("$ check %s\n", what);
	fflush(stdout);
	if (!config_check(cfg, "FILE"))
		printf("  good\n");
	json_decref(cfg);
}

static void print_plan(json_t *want, json_t *plan)
{
	json_t *cmds, *cmd;
	size_t i, j;

	json_array_foreach(plan, i, cmds) {
		printf("  %s: %zu\n", json_string_value(json_object_get(
			json_array_get(json_object_get(want, "vmbridges"), i),
			"ifname")), json_array_size(cmds));
		json_array_foreach(cmds, j, cmd) {
			fputs("    ", stdout);
			plan_print(stdout, cmd);
		}
	}
	fflush(stdout);
}

/* What a kernel has: vmbr0 configured, vmbr2 new, with default settings. */
static const char have_text[] =
"{'vmbr_config': 1, 'vmbridges': ["
" {'ifname': 'vmbr0', 'mode': 'hostonly', 'uplink': null, 'ageing': 300,"
"  'max_fdb': 16384, 'host_pvid': 1, 'host_vlans': '', 'uplink_pvid': 1,"
"  'uplink_vlans': '',"
"  'ports': ["
"   {'ifname': 'tap0', 'pvid': 1, 'vlans': '', 'isolated': false,"
"    'lock_mac': [], 'lock_ip': [], 'max_macs': 0, 'bum_rate': 0,"
"    'rate_in': 0, 'burst_in': 0, 'rate_out': 0, 'burst_out': 0},"
"   {'ifname': 'tap1', 'pvid': 10, 'vlans': '', 'isolated': false,"
"    'lock_mac': [], 'lock_ip': [], 'max_macs': 0, 'bum_rate': 0,"
"    'rate_in': 1000000, 'burst_in': 65536, 'rate_out': 100000000,"
"    'burst_out': 250000}],"
"  'fdb': [{'mac': '52:54:00:00:00:01', 'vlan': 1, 'port': 'tap0'}],"
"  'nat': {'port_min': 1024, 'port_max': 65535, 'max_sessions': 65536,"
"   'max_sessions_per_guest': 4096, 'timeout_udp': 300,"
"   'timeout_tcp_est': 7440, 'timeout_tcp_trans': 240,"
"   'timeout_icmp': 60, 'filtering': 'endpoint-independent'},"
"  'forwards': ["
"   {'proto': 'tcp', 'ext_port': 8022, 'int_addr': '192.168.100.10',"
"    'int_port': 22},"
"   {'proto': 'udp', 'ext_port': 5353, 'int_addr': '192.168.100.10',"
"    'int_port': 53}]},"
" {'ifname': 'vmbr2', 'mode': 'hostonly', 'uplink': null, 'ageing': 300,"
"  'max_fdb': 16384, 'host_pvid': 1, 'host_vlans': '', 'uplink_pvid': 1,"
"  'uplink_vlans': '',"
"  'ports': ["
"   {'ifname': 'tap2', 'pvid': 1, 'vlans': '', 'isolated': false,"
"    'lock_mac': [], 'lock_ip': [], 'max_macs': 0, 'bum_rate': 0}],"
"  'fdb': [], 'nat': {'port_min': 1024, 'port_max': 65535,"
"   'max_sessions': 65536, 'max_sessions_per_guest': 4096,"
"   'timeout_udp': 300, 'timeout_tcp_est': 7440,"
"   'timeout_tcp_trans': 240, 'timeout_icmp': 60,"
"   'filtering': 'endpoint-independent'}, 'forwards': []}]}";

/*
 * What a file wants: vmbr0 changed, with tap2 that vmbr2 has, vmbr1 new,
 * vmbr2 as it is.  tap0 gets a rate-in, tap1 another burst for its
 * rate-in and no rate-out, tap2 a rate-out with the default burst.
 */
static const char want_text[] =
"{'vmbr_config': 1, 'vmbridges': ["
" {'ifname': 'vmbr0', 'mode': 'nat', 'uplink': 'eth0', 'ageing': 300,"
"  'max_fdb': 1024, 'host_pvid': 1, 'host_vlans': '', 'uplink_pvid': 1,"
"  'uplink_vlans': '',"
"  'ports': ["
"   {'ifname': 'tap0', 'pvid': 1, 'vlans': '', 'isolated': false,"
"    'lock_mac': [], 'lock_ip': [], 'max_macs': 0, 'bum_rate': 0,"
"    'rate_in': 20000000, 'burst_in': 65536, 'rate_out': 0,"
"    'burst_out': 0},"
"   {'ifname': 'tap1', 'pvid': 1, 'vlans': '10,20', 'isolated': true,"
"    'lock_mac': ['52:54:00:12:34:56'],"
"    'lock_ip': ['192.168.100.11', '2001:db8::11'], 'max_macs': 1,"
"    'bum_rate': 100, 'rate_in': 1000000, 'burst_in': 131072,"
"    'rate_out': 0, 'burst_out': 0},"
"   {'ifname': 'tap2', 'pvid': 20, 'vlans': '', 'isolated': false,"
"    'lock_mac': [], 'lock_ip': [], 'max_macs': 0, 'bum_rate': 0,"
"    'rate_out': 8000000},"
"   {'ifname': 'tapX', 'pvid': 1, 'vlans': ''}],"
"  'fdb': [{'mac': '52:54:00:00:00:01', 'vlan': 1, 'port': 'tap0'},"
"   {'mac': '52:54:00:00:00:02', 'vlan': 20, 'port': 'tap2'},"
"   {'mac': '52:54:00:00:00:03', 'vlan': null, 'port': 'vmbr0'},"
"   {'mac': '52:54:00:00:00:04', 'vlan': 1, 'port': 'tapX'}],"
"  'nat': {'port_min': 1024, 'port_max': 40000, 'max_sessions': 65536,"
"   'max_sessions_per_guest': 100, 'timeout_udp': 300,"
"   'timeout_tcp_est': 7440, 'timeout_tcp_trans': 240,"
"   'timeout_icmp': 60, 'filtering': 'address-dependent'},"
"  'forwards': ["
"   {'proto': 'tcp', 'ext_port': 8022, 'int_addr': '192.168.100.10',"
"    'int_port': 22},"
"   {'proto': 'udp', 'ext_port': 5353, 'int_addr': '192.168.100.11',"
"    'int_port': 53},"
"   {'proto': 'tcp', 'ext_port': 8080, 'int_addr': '192.168.100.12',"
"    'int_port': null}]},"
" {'ifname': 'vmbr1', 'mode': 'bridge', 'uplink': 'eth1',"
"  'uplink_vlans': '10,20,100-199', 'uplink_pvid': null,"
"  'ports': [{'ifname': 'tap3', 'vlans': '10', 'pvid': null}]},"
" {'ifname': 'vmbr2'}]}";

/* vmbr1 once created, as a kernel has a new vmbridge. */
static const char vmbr1_text[] =
"{'ifname': 'vmbr1', 'mode': 'hostonly', 'uplink': null, 'ageing': 300,"
" 'max_fdb': 16384, 'host_pvid': 1, 'host_vlans': '', 'uplink_pvid': 1,"
" 'uplink_vlans': '', 'ports': [], 'fdb': [], 'nat': {}, 'forwards': []}";

int main(void)
{
	json_t *want, *have, *plan;

	/* The messages are part of the output, in order. */
	dup2(STDOUT_FILENO, STDERR_FILENO);

	printf("== check\n");
	check("empty", "{'vmbr_config': 1, 'vmbridges': []}");
	check("saved", want_text);
	check("not an object", "[]");
	check("no format", "{'vmbridges': []}");
	check("no vmbridges", "{'vmbr_config': 1}");
	check("format 2", "{'vmbr_config': 2, 'vmbridges': []}");
	check("unknown key", "{'vmbr_config': 1, 'vmbridges': "
	      "[{'ifname': 'vmbr0', 'moode': 'nat'}]}");
	check("vmbridge not an object", "{'vmbr_config': 1, 'vmbridges': "
	      "['vmbr0']}");
	check("no ifname", "{'vmbr_config': 1, 'vmbridges': [{'mode': 'nat'}]}");
	check("a number as a string", "{'vmbr_config': 1, 'vmbridges': "
	      "[{'ifname': 'vmbr0', 'ports': [{'ifname': 'tap0', "
	      "'pvid': '10'}]}]}");
	check("null where no null goes", "{'vmbr_config': 1, 'vmbridges': "
	      "[{'ifname': 'vmbr0', 'ageing': null}]}");
	check("a MAC not a string", "{'vmbr_config': 1, 'vmbridges': "
	      "[{'ifname': 'vmbr0', 'ports': [{'ifname': 'tap0', "
	      "'lock_mac': ['52:54:00:12:34:56', 1]}]}]}");
	check("a real", "{'vmbr_config': 1, 'vmbridges': "
	      "[{'ifname': 'vmbr0', 'ageing': 300.5}]}");
	check("a rate as tc writes it", "{'vmbr_config': 1, 'vmbridges': "
	      "[{'ifname': 'vmbr0', 'ports': [{'ifname': 'tap0', "
	      "'rate_out': '20mbit'}]}]}");
	check("nat not an object", "{'vmbr_config': 1, 'vmbridges': "
	      "[{'ifname': 'vmbr0', 'nat': []}]}");
	check("nat key unknown", "{'vmbr_config': 1, 'vmbridges': "
	      "[{'ifname': 'vmbr0', 'nat': {'sessions': 3}}]}");
	check("a forward without its guest", "{'vmbr_config': 1, "
	      "'vmbridges': [{'ifname': 'vmbr0', 'forwards': "
	      "[{'proto': 'tcp', 'ext_port': 80}]}]}");
	check("a vmbridge twice", "{'vmbr_config': 1, 'vmbridges': "
	      "[{'ifname': 'vmbr0'}, {'ifname': 'vmbr1'}, "
	      "{'ifname': 'vmbr0'}]}");
	check("a port twice", "{'vmbr_config': 1, 'vmbridges': "
	      "[{'ifname': 'vmbr0', 'ports': [{'ifname': 'tap0'}, "
	      "{'ifname': 'tap0', 'pvid': 2}]}]}");
	check("a port in two vmbridges", "{'vmbr_config': 1, 'vmbridges': "
	      "[{'ifname': 'vmbr0', 'ports': [{'ifname': 'tap0'}]}, "
	      "{'ifname': 'vmbr1', 'ports': [{'ifname': 'tap1'}, "
	      "{'ifname': 'tap0'}]}]}");
	check("a port that is a vmbridge", "{'vmbr_config': 1, 'vmbridges': "
	      "[{'ifname': 'vmbr0', 'ports': [{'ifname': 'vmbr1'}]}, "
	      "{'ifname': 'vmbr1'}]}");

	want = J(want_text);
	have = J(have_text);
	printf("== plan\n");
	printf("$ create\n");
	plan = plan_create(want, have);
	print_plan(want, plan);
	json_decref(plan);

	/* vmbr1 created: then the rest. */
	json_array_append_new(json_object_get(have, "vmbridges"),
			      J(vmbr1_text));
	printf("$ change\n");
	fflush(stdout);
	plan = plan_change(want, have, dev_exists);
	print_plan(want, plan);
	json_decref(plan);

	/* Restored: the same again is nothing. */
	printf("$ change, restored already\n");
	fflush(stdout);
	plan = plan_change(want, want, dev_exists);
	print_plan(want, plan);
	json_decref(plan);
	printf("$ create, restored already\n");
	plan = plan_create(want, want);
	print_plan(want, plan);
	json_decref(plan);
	json_decref(have);
	json_decref(want);
	return 0;
}
