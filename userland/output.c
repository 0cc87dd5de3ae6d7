// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr: text and JSON output.
 *
 * Text formats (vmbr(8), OUTPUT):
 *   vmbr0: mode bridge uplink eth0 ageing 300 max-fdb 16384 fdb 3 \
 *          host-vlan 1 uplink-native 1 uplink-vlans 10,20
 *     port tap0 guest fdb 2 vlan 10
 *     port tap1 guest fdb 0 trunk 10,20,100-199 native 1
 *       rx 10 pkts 840 bytes  tx 12 pkts 1008 bytes  drops: mtu 1  fdb-full 0
 *     port tap2 guest fdb 1 vlan 1 isolated lock-mac 52:54:00:12:34:56 \
 *          max-macs 1 bum-rate 100 lock-ip 192.0.2.1,2001:db8::1
 *     port tap3 guest fdb 1 vlan 1 rate-in 20mbit burst-in 64k \
 *          rate-out 1gbit burst-out 2500000
 *       rx 10 pkts 840 bytes  tx 12 pkts 1008 bytes  drops: lock-mac 3 \
 *          fdb-full 0  max-macs 2
 *   52:54:00:12:34:56 vlan 1 port tap0 static age 12.3
 *   vmbr0: fdb add 52:54:00:12:34:56 vlan 1 port tap0
 *   vmbr0: address 198.51.100.2 ports 1024-65535 filtering \
 *          endpoint-independent sessions 1/65536 max-sessions-per-guest \
 *          4096 mappings 1 timeout-udp 300 timeout-tcp-est 7440 \
 *          timeout-tcp-trans 240 timeout-icmp 60
 *       out 10 pkts 840 bytes  in 12 pkts 1008 bytes  hairpin 0 \
 *          icmp-errors 0  sessions created 1 expired 0  sent \
 *          time-exceeded 0 frag-needed 0
 *       drops: filtered 3
 *   tcp 192.168.100.10:40000 -> 198.51.100.1:5201 via \
 *          198.51.100.2:61000 established expires 7439s [forward]
 *   tcp 8080 to 192.168.100.10:80
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "output.h"
#include "rate.h"
#include "vmbr.h"

#define NUM_BUFSIZ	24
#define COUNTERS_INDENT	"    "

/* An integer, as unsigned: u64 counters come back whole.  "?" if null. */
static const char *num(json_t *v, char *buf)
{
	if (!json_is_integer(v))
		return "?";
	snprintf(buf, NUM_BUFSIZ, "%llu",
		 (unsigned long long)json_integer_value(v));
	return buf;
}

static const char *str(json_t *v, const char *absent)
{
	return json_is_string(v) ? json_string_value(v) : absent;
}

static json_t *get(json_t *obj, const char *key)
{
	return json_object_get(obj, key);
}

/*
 * "rx N pkts N bytes  tx N pkts N bytes  drops: REASON N...  fdb-full N",
 * and "  max-macs N" from a kernel with guards.
 */
static void print_stats(json_t *stats)
{
	char a[NUM_BUFSIZ], b[NUM_BUFSIZ], c[NUM_BUFSIZ], d[NUM_BUFSIZ];
	unsigned int nonzero = 0;
	const char *reason;
	json_t *val;

	if (!json_is_object(stats))
		return;
	printf(COUNTERS_INDENT "rx %s pkts %s bytes  tx %s pkts %s bytes  drops:",
	       num(get(stats, "rx_packets"), a),
	       num(get(stats, "rx_bytes"), b),
	       num(get(stats, "tx_packets"), c),
	       num(get(stats, "tx_bytes"), d));
	json_object_foreach(get(stats, "drops"), reason, val) {
		if (json_is_integer(val) && json_integer_value(val)) {
			printf(" %s %s", reason, num(val, a));
			nonzero++;
		}
	}
	if (!nonzero)
		fputs(" 0", stdout);
	val = get(stats, "fdb_full");
	if (json_is_integer(val))
		printf("  fdb-full %s", num(val, a));
	val = get(stats, "max_macs");
	if (json_is_integer(val))
		printf("  max-macs %s", num(val, a));
	/* Only the uplink leaves frames to the host's stack. */
	val = get(stats, "not_switched");
	if (json_is_integer(val) && json_integer_value(val))
		printf("  not-switched %s", num(val, a));
	putchar('\n');
}

/* VLANs: nothing where the kernel sent none (one without VLANs). */

/* " KEYWORD VID" or " KEYWORD none" */
static void print_pvid(const char *keyword, json_t *pvid)
{
	char a[NUM_BUFSIZ];

	if (pvid)
		printf(" %s %s", keyword,
		       json_is_integer(pvid) ? num(pvid, a) : "none");
}

/* " KEYWORD VIDLIST", if there are VLANs */
static void print_vidlist(const char *keyword, json_t *vlans)
{
	const char *list = str(vlans, "");

	if (*list)
		printf(" %s %s", keyword, list);
}

/* " vlan 10", " trunk 10,20 native 1", " trunk 10,20", " vlan none" */
static void print_port_vlans(json_t *port)
{
	const char *list = str(get(port, "vlans"), "");
	json_t *pvid = get(port, "pvid");
	char a[NUM_BUFSIZ];

	if (*list) {
		printf(" trunk %s", list);
		if (json_is_integer(pvid))
			printf(" native %s", num(pvid, a));
	} else if (pvid || get(port, "vlans")) {
		printf(" vlan %s",
		       json_is_integer(pvid) ? num(pvid, a) : "none");
	}
}

/* Guards: only those that are on, to keep lines short. */

/* " KEYWORD N", if N is not 0 */
static void print_nonzero(const char *keyword, json_t *val)
{
	char a[NUM_BUFSIZ];

	if (json_is_integer(val) && json_integer_value(val))
		printf(" %s %s", keyword, num(val, a));
}

/*
 * " isolated lock-mac 52:54:00:12:34:56,52:54:00:ab:cd:ef max-macs 2 ...
 * lock-ip 192.0.2.1,2001:db8::1"
 */
static void print_port_guards(json_t *port)
{
	json_t *macs = get(port, "lock_mac");
	json_t *ips = get(port, "lock_ip");
	json_t *mac, *ip;
	size_t i;

	if (json_is_true(get(port, "isolated")))
		fputs(" isolated", stdout);
	json_array_foreach(macs, i, mac)
		printf("%s%s", i ? "," : " lock-mac ", str(mac, "?"));
	print_nonzero("max-macs", get(port, "max_macs"));
	print_nonzero("bum-rate", get(port, "bum_rate"));
	json_array_foreach(ips, i, ip)
		printf("%s%s", i ? "," : " lock-ip ", str(ip, "?"));
	/* The lists are CAP_NET_ADMIN's to read. */
	if (json_is_true(get(port, "locks_hidden")))
		fputs(" lock-mac/lock-ip hidden", stdout);
}

/* Bandwidth: only the limits that are on, as the options that set them. */

/* " KEYWORD RATE BURST-KEYWORD SIZE", if @rate (bits a second) is not 0 */
static void print_rate(const char *keyword, json_t *rate,
		       const char *burst_keyword, json_t *burst)
{
	char a[RATE_BUFSIZ];

	if (!json_is_integer(rate) || !json_integer_value(rate))
		return;
	printf(" %s %s", keyword, format_rate(json_integer_value(rate), a));
	if (json_is_integer(burst) && json_integer_value(burst))
		printf(" %s %s", burst_keyword,
		       format_size(json_integer_value(burst), a));
}

/*
 * " rate-in 20mbit burst-in 64k rate-out 1gbit burst-out 2500000", and
 * " (no qdisc)" after a rate-out whose qdisc somebody took off the port's
 * device: nothing shapes that port then.
 */
static void print_port_rates(json_t *port)
{
	print_rate("rate-in", get(port, "rate_in"),
		   "burst-in", get(port, "burst_in"));
	print_rate("rate-out", get(port, "rate_out"),
		   "burst-out", get(port, "burst_out"));
	if (json_is_false(get(port, "rate_out_qdisc")))
		fputs(" (no qdisc)", stdout);
}

/*
 * " host-vlan 1 host-vlans 100 uplink-native none uplink-vlans 10,20
 * uplink-vni 10:1010,20:1020"
 */
static void print_vmbr_vlans(json_t *vmbr)
{
	print_pvid("host-vlan", get(vmbr, "host_pvid"));
	print_vidlist("host-vlans", get(vmbr, "host_vlans"));
	print_pvid("uplink-native", get(vmbr, "uplink_pvid"));
	print_vidlist("uplink-vlans", get(vmbr, "uplink_vlans"));
	print_vidlist("uplink-vni", get(vmbr, "uplink_vni"));
}

/* "tap0 guest fdb 2 vlan 10 isolated" */
static void print_port_line(json_t *port, const char *prefix)
{
	char a[NUM_BUFSIZ];

	printf("%s%s %s fdb %s", prefix, str(get(port, "ifname"), "?"),
	       str(get(port, "role"), "?"), num(get(port, "fdb_count"), a));
	print_port_vlans(port);
	print_port_guards(port);
	print_port_rates(port);
	putchar('\n');
}

void print_port(json_t *port, const struct vmbr_opts *o)
{
	print_port_line(port, "");
	if (o->stats)
		print_stats(get(port, "stats"));
}

void print_vmbr(json_t *vmbr, const struct vmbr_opts *o)
{
	char a[NUM_BUFSIZ], b[NUM_BUFSIZ], c[NUM_BUFSIZ];
	json_t *port;
	size_t i;

	printf("%s: mode %s uplink %s ageing %s max-fdb %s fdb %s",
	       str(get(vmbr, "ifname"), "?"), str(get(vmbr, "mode"), "?"),
	       str(get(vmbr, "uplink"), "none"), num(get(vmbr, "ageing"), a),
	       num(get(vmbr, "max_fdb"), b), num(get(vmbr, "fdb_count"), c));
	print_vmbr_vlans(vmbr);
	putchar('\n');
	if (o->stats)
		print_stats(get(vmbr, "stats"));
	json_array_foreach(get(vmbr, "ports"), i, port) {
		print_port_line(port, "  port ");
		if (o->stats)
			print_stats(get(port, "stats"));
	}
}

/* "52:54:00:12:34:56 vlan 1 port tap0 static age 12.3" */
void print_fdb(json_t *fdb, const struct vmbr_opts *o)
{
	char a[NUM_BUFSIZ];
	json_int_t ms;
	json_t *age;

	(void)o;
	printf("%s vlan %s port %s", str(get(fdb, "mac"), "?"),
	       num(get(fdb, "vlan"), a), str(get(fdb, "port"), "?"));
	if (json_is_true(get(fdb, "static")))
		fputs(" static", stdout);
	age = get(fdb, "age_ms");
	if (json_is_integer(age)) {
		ms = json_integer_value(age);
		printf(" age %lld.%lld", (long long)ms / 1000,
		       (long long)ms % 1000 / 100);
	}
	putchar('\n');
}

/*
 * "vmbr0: port add tap0 guest vlan 1", "vmbr0: port set tap0 guest trunk
 * 10,20 isolated", "vmbr0: fdb del MAC vlan 1 port tap0", "vmbr0: limit
 * max-macs port tap0": the event's name with spaces for '_'.
 */
void print_event(json_t *event)
{
	const char *limit = str(get(event, "limit"), NULL);
	const char *port = str(get(event, "port"), NULL);
	const char *role = str(get(event, "role"), NULL);
	const char *mac = str(get(event, "mac"), NULL);
	char what[NAME_BUFSIZ];
	char *p;

	snprintf(what, sizeof(what), "%s", str(get(event, "event"), "?"));
	for (p = what; (p = strchr(p, '_')); )
		*p = ' ';
	printf("%s: %s", str(get(event, "vmbridge"), "?"), what);
	if (limit)
		printf(" %s", limit);
	if (mac) {
		char a[NUM_BUFSIZ];

		printf(" %s vlan %s", mac, num(get(event, "vlan"), a));
	}
	if (port)
		printf(limit || mac ? " port %s" : " %s", port);
	if (role)
		printf(" %s", role);
	print_port_vlans(event);
	print_port_guards(event);
	print_port_rates(event);
	putchar('\n');
}

/* NAT. */

/* "ADDR:PORT", or "ADDR" if @port is null or !@with_port. */
static void print_endpoint(json_t *addr, json_t *port, bool with_port)
{
	char a[NUM_BUFSIZ];

	fputs(str(addr, "?"), stdout);
	if (with_port && json_is_integer(port))
		printf(":%s", num(port, a));
}

/*
 * "out N pkts N bytes  in N pkts N bytes  hairpin N  icmp-errors N  sessions
 * created N expired N  sent time-exceeded N frag-needed N", then
 * "drops: REASON N..." on a line of its own.
 */
static void print_nat_stats(json_t *stats)
{
	char a[NUM_BUFSIZ], b[NUM_BUFSIZ], c[NUM_BUFSIZ], d[NUM_BUFSIZ];
	unsigned int nonzero = 0;
	const char *reason;
	json_t *val;

	if (!json_is_object(stats))
		return;
	printf(COUNTERS_INDENT "out %s pkts %s bytes  in %s pkts %s bytes",
	       num(get(stats, "out_packets"), a),
	       num(get(stats, "out_bytes"), b),
	       num(get(stats, "in_packets"), c),
	       num(get(stats, "in_bytes"), d));
	printf("  hairpin %s  icmp-errors %s",
	       num(get(stats, "hairpin"), a),
	       num(get(stats, "icmp_errors"), b));
	printf("  sessions created %s expired %s",
	       num(get(stats, "sessions_created"), a),
	       num(get(stats, "sessions_expired"), b));
	printf("  sent time-exceeded %s frag-needed %s\n",
	       num(get(stats, "sent_time_exceeded"), a),
	       num(get(stats, "sent_frag_needed"), b));
	fputs(COUNTERS_INDENT "drops:", stdout);
	json_object_foreach(get(stats, "drops"), reason, val) {
		if (json_is_integer(val) && json_integer_value(val)) {
			printf(" %s %s", reason, num(val, a));
			nonzero++;
		}
	}
	if (!nonzero)
		fputs(" 0", stdout);
	putchar('\n');
}

/*
 * "vmbr0: address 198.51.100.2 ports 1024-65535 filtering
 * endpoint-independent sessions 1/65536 max-sessions-per-guest 4096
 * mappings 1 timeout-udp 300 timeout-tcp-est 7440 timeout-tcp-trans 240
 * timeout-icmp 60", and the counters with -s.
 */
void print_nat(json_t *nat, const struct vmbr_opts *o)
{
	char a[NUM_BUFSIZ], b[NUM_BUFSIZ];

	printf("%s: address %s ports %s-%s filtering %s",
	       str(get(nat, "ifname"), "?"), str(get(nat, "address"), "none"),
	       num(get(nat, "port_min"), a), num(get(nat, "port_max"), b),
	       str(get(nat, "filtering"), "?"));
	printf(" sessions %s/%s", num(get(nat, "sessions"), a),
	       num(get(nat, "max_sessions"), b));
	printf(" max-sessions-per-guest %s mappings %s",
	       num(get(nat, "max_sessions_per_guest"), a),
	       num(get(nat, "mappings"), b));
	printf(" timeout-udp %s timeout-tcp-est %s",
	       num(get(nat, "timeout_udp"), a),
	       num(get(nat, "timeout_tcp_est"), b));
	printf(" timeout-tcp-trans %s timeout-icmp %s\n",
	       num(get(nat, "timeout_tcp_trans"), a),
	       num(get(nat, "timeout_icmp"), b));
	if (o->stats)
		print_nat_stats(get(nat, "stats"));
}

/*
 * "tcp 192.168.100.10:40000 -> 198.51.100.1:5201 via 198.51.100.2:61000
 * established expires 7439s [forward]"; with -s "out N pkts in N pkts"
 * before "[forward]".  ICMP echo: the identifiers as ports, the remote
 * end without.
 */
void print_nat_session(json_t *session, const struct vmbr_opts *o)
{
	const char *proto = str(get(session, "proto"), "?");
	const char *state = str(get(session, "tcp_state"), NULL);
	json_t *expires = get(session, "expires_ms");
	char a[NUM_BUFSIZ], b[NUM_BUFSIZ];

	printf("%s ", proto);
	print_endpoint(get(session, "int_addr"), get(session, "int_port"),
		       true);
	fputs(" -> ", stdout);
	print_endpoint(get(session, "rem_addr"), get(session, "rem_port"),
		       strcmp(proto, "icmp"));
	fputs(" via ", stdout);
	print_endpoint(get(session, "ext_addr"), get(session, "ext_port"),
		       true);
	if (state)
		printf(" %s", state);
	if (json_is_integer(expires))
		printf(" expires %llus",
		       (unsigned long long)json_integer_value(expires) / 1000);
	if (o->stats)
		printf(" out %s pkts in %s pkts",
		       num(get(session, "packets_out"), a),
		       num(get(session, "packets_in"), b));
	if (json_is_true(get(session, "forward")))
		fputs(" [forward]", stdout);
	putchar('\n');
}

/* "tcp 8080 to 192.168.100.10:80" */
void print_nat_fwd(json_t *fwd, const struct vmbr_opts *o)
{
	char a[NUM_BUFSIZ];

	(void)o;
	printf("%s %s to ", str(get(fwd, "proto"), "?"),
	       num(get(fwd, "ext_port"), a));
	print_endpoint(get(fwd, "int_addr"), get(fwd, "int_port"), true);
	putchar('\n');
}

/* JSON. */

int out_json_line(json_t *doc)
{
	if (json_dumpf(doc, stdout, JSON_COMPACT) < 0)
		return -1;
	return putchar('\n') == EOF ? -1 : 0;
}

void out_list_start_in(struct out_list *list, json_t *head, const char *key,
		       void (*print)(json_t *head, const struct vmbr_opts *o))
{
	char *doc;
	size_t len;

	if (!list->o->json) {
		print(head, list->o);
		return;
	}
	list->in_object = true;
	doc = json_dumps(head, JSON_COMPACT);
	if (!doc)
		die_oom();
	/* "{...}" less its "}", then the key. */
	len = strlen(doc);
	printf("%.*s%s\"%s\":", (int)(len - 1), doc, len > 2 ? "," : "", key);
	free(doc);
}

void out_list_add(struct out_list *list, json_t *item)
{
	if (!list->o->json) {
		list->print(item, list->o);
	} else {
		fputs(list->count ? "," : "[", stdout);
		if (json_dumpf(item, stdout, JSON_COMPACT) < 0)
			list->failed = true;
	}
	list->count++;
}

int out_list_finish(struct out_list *list, bool ok)
{
	/* In an object, the object is closed in any case. */
	if (list->o->json && (ok || list->count || list->in_object))
		printf("%s%s\n", list->count ? "]" : "[]",
		       list->in_object ? "}" : "");
	return ok && !list->failed ? EXIT_OK : EXIT_FAIL;
}
