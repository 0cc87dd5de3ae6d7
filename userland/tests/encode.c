// SPDX-License-Identifier: GPL-2.0
/*
 * Offline test of the requests that "vmbr set", "vmbr port add|set" and
 * "vmbr nat set|forward add|forward del|flush" build: linked with
 * --wrap=vmbr_send, so that each request is printed instead of sent, and
 * with --wrap=qdisc_rate_out_install, so that what would put rate-out's
 * qdisc on the port once the kernel acked says so instead.  Devices are
 * "lo", which every network namespace has.  "make check" compares the
 * output with encode.expected.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/vmbridge.h>

#include "../cmd.h"
#include "../ipaddr.h"
#include "../mac.h"
#include "../nl.h"
#include "../vlan.h"
#include "../vmbr.h"

static void print_vlans(const char *name, const struct nlattr *attr)
{
	char buf[VIDLIST_BUFSIZ];

	if (mnl_attr_get_payload_len(attr) != VMBR_VLAN_BITMAP_LEN) {
		printf(" %s: %u bytes", name, mnl_attr_get_payload_len(attr));
		return;
	}
	printf(" %s \"%s\"", name,
	       format_vidlist(mnl_attr_get_payload(attr), buf));
}

/* The MACs of a lock-mac list, "off" if none. */
static void print_lock_mac(const struct nlattr *attr)
{
	const uint8_t *mac = mnl_attr_get_payload(attr);
	uint16_t len = mnl_attr_get_payload_len(attr);
	char buf[MAC_BUFSIZ];
	uint16_t i;

	if (len % MAC_LEN) {
		printf(" lock_mac: %u bytes", len);
		return;
	}
	printf(" lock_mac");
	if (!len)
		printf(" off");
	for (i = 0; i < len; i += MAC_LEN)
		printf("%c%s", i ? ',' : ' ', format_mac(mac + i, buf));
}

/*
 * The addresses of a lock-ip list, "off" if none; each as an IPv6 address,
 * as it goes to the kernel (IPv4 as ::ffff:a.b.c.d).
 */
static void print_lock_ip(const struct nlattr *attr)
{
	const uint8_t *addr = mnl_attr_get_payload(attr);
	uint16_t len = mnl_attr_get_payload_len(attr);
	char buf[IP_BUFSIZ];
	uint16_t i;

	if (len % IP_LEN) {
		printf(" lock_ip: %u bytes", len);
		return;
	}
	printf(" lock_ip");
	if (!len)
		printf(" off");
	for (i = 0; i < len; i += IP_LEN)
		printf("%c%s", i ? ',' : ' ',
		       inet_ntop(AF_INET6, addr + i, buf, sizeof(buf)));
}

/* A rate nest: "{ }" for off. */
static void print_rate(const char *name, const struct nlattr *nest)
{
	const struct nlattr *attr;

	printf(" %s {", name);
	mnl_attr_for_each_nested(attr, nest) {
		switch (mnl_attr_get_type(attr)) {
		case VMBR_RATE_A_BYTES_PS:
			printf(" bytes_ps %llu",
			       (unsigned long long)mnl_attr_get_u64(attr));
			break;
		case VMBR_RATE_A_BURST:
			printf(" burst %u", mnl_attr_get_u32(attr));
			break;
		default:
			printf(" attr-%u", mnl_attr_get_type(attr));
		}
	}
	printf(" }");
}

static void print_port(const struct nlattr *nest)
{
	const struct nlattr *attr;

	printf(" port {");
	mnl_attr_for_each_nested(attr, nest) {
		switch (mnl_attr_get_type(attr)) {
		case VMBR_PORT_A_IFINDEX:
			printf(" ifindex");	/* lo's: not always 1 */
			break;
		case VMBR_PORT_A_PVID:
			printf(" pvid %u", mnl_attr_get_u16(attr));
			break;
		case VMBR_PORT_A_VLANS:
			print_vlans("vlans", attr);
			break;
		case VMBR_PORT_A_ISOLATED:
			printf(" isolated %u", mnl_attr_get_u8(attr));
			break;
		case VMBR_PORT_A_LOCK_MAC:
			print_lock_mac(attr);
			break;
		case VMBR_PORT_A_MAX_MACS:
			printf(" max_macs %u", mnl_attr_get_u32(attr));
			break;
		case VMBR_PORT_A_BUM_RATE:
			printf(" bum_rate %u", mnl_attr_get_u32(attr));
			break;
		case VMBR_PORT_A_LOCK_IP:
			print_lock_ip(attr);
			break;
		case VMBR_PORT_A_RATE_IN:
			print_rate("rate_in", attr);
			break;
		case VMBR_PORT_A_RATE_OUT:
			print_rate("rate_out", attr);
			break;
		default:
			printf(" attr-%u", mnl_attr_get_type(attr));
		}
	}
	printf(" }");
}

static void print_nat(const struct nlattr *nest)
{
	const struct nlattr *attr;

	printf(" nat {");
	mnl_attr_for_each_nested(attr, nest) {
		switch (mnl_attr_get_type(attr)) {
		case VMBR_NAT_A_PORT_MIN:
			printf(" port_min %u", mnl_attr_get_u16(attr));
			break;
		case VMBR_NAT_A_PORT_MAX:
			printf(" port_max %u", mnl_attr_get_u16(attr));
			break;
		case VMBR_NAT_A_MAX_SESSIONS:
			printf(" max_sessions %u", mnl_attr_get_u32(attr));
			break;
		case VMBR_NAT_A_MAX_SESSIONS_PER_GUEST:
			printf(" max_sessions_per_guest %u",
			       mnl_attr_get_u32(attr));
			break;
		case VMBR_NAT_A_TIMEOUT_UDP:
			printf(" timeout_udp %u", mnl_attr_get_u32(attr));
			break;
		case VMBR_NAT_A_TIMEOUT_TCP_EST:
			printf(" timeout_tcp_est %u", mnl_attr_get_u32(attr));
			break;
		case VMBR_NAT_A_TIMEOUT_TCP_TRANS:
			printf(" timeout_tcp_trans %u",
			       mnl_attr_get_u32(attr));
			break;
		case VMBR_NAT_A_TIMEOUT_ICMP:
			printf(" timeout_icmp %u", mnl_attr_get_u32(attr));
			break;
		case VMBR_NAT_A_FILTERING:
			printf(" filtering %u", mnl_attr_get_u8(attr));
			break;
		default:
			printf(" attr-%u", mnl_attr_get_type(attr));
		}
	}
	printf(" }");
}

/* The address as its 4 bytes go: network byte order. */
static void print_be32(const char *name, const struct nlattr *attr)
{
	const uint8_t *b = mnl_attr_get_payload(attr);

	if (mnl_attr_get_payload_len(attr) != 4) {
		printf(" %s: %u bytes", name, mnl_attr_get_payload_len(attr));
		return;
	}
	printf(" %s %u.%u.%u.%u", name, b[0], b[1], b[2], b[3]);
}

static void print_nat_fwd(const struct nlattr *nest)
{
	const struct nlattr *attr;

	printf(" nat_fwd {");
	mnl_attr_for_each_nested(attr, nest) {
		switch (mnl_attr_get_type(attr)) {
		case VMBR_NAT_FWD_A_PROTO:
			printf(" proto %u", mnl_attr_get_u8(attr));
			break;
		case VMBR_NAT_FWD_A_EXT_PORT:
			printf(" ext_port %u", mnl_attr_get_u16(attr));
			break;
		case VMBR_NAT_FWD_A_INT_ADDR:
			print_be32("int_addr", attr);
			break;
		case VMBR_NAT_FWD_A_INT_PORT:
			printf(" int_port %u", mnl_attr_get_u16(attr));
			break;
		default:
			printf(" attr-%u", mnl_attr_get_type(attr));
		}
	}
	printf(" }");
}

/* " uplink_vnis [10 1010] [20 1020]", entry by entry as sent. */
static void print_vni_map(const struct nlattr *nest)
{
	const struct nlattr *entry, *attr;

	printf(" uplink_vnis");
	mnl_attr_for_each_nested(entry, nest) {
		printf(" [");
		if (mnl_attr_get_type(entry) != VMBR_VNI_A_ENTRY)
			printf("attr-%u", mnl_attr_get_type(entry));
		mnl_attr_for_each_nested(attr, entry) {
			if (mnl_attr_get_type(attr) == VMBR_VNI_A_VID)
				printf("vid %u", mnl_attr_get_u16(attr));
			else if (mnl_attr_get_type(attr) == VMBR_VNI_A_VNI)
				printf(" vni %u", mnl_attr_get_u32(attr));
			else
				printf(" attr-%u", mnl_attr_get_type(attr));
		}
		printf("]");
	}
}

static void print_attr(const struct nlattr *attr)
{
	switch (mnl_attr_get_type(attr)) {
	case VMBR_A_IFINDEX:
		printf(" ifindex");
		break;
	case VMBR_A_AGEING:
		printf(" ageing %u", mnl_attr_get_u32(attr));
		break;
	case VMBR_A_UPLINK_PVID:
		printf(" uplink_pvid %u", mnl_attr_get_u16(attr));
		break;
	case VMBR_A_UPLINK_VLANS:
		print_vlans("uplink_vlans", attr);
		break;
	case VMBR_A_HOST_PVID:
		printf(" host_pvid %u", mnl_attr_get_u16(attr));
		break;
	case VMBR_A_HOST_VLANS:
		print_vlans("host_vlans", attr);
		break;
	case VMBR_A_PORT:
		print_port(attr);
		break;
	case VMBR_A_UPLINK_VNIS:
		print_vni_map(attr);
		break;
	case VMBR_A_NAT:
		print_nat(attr);
		break;
	case VMBR_A_NAT_FWD:
		print_nat_fwd(attr);
		break;
	default:
		printf(" attr-%u", mnl_attr_get_type(attr));
	}
}

int __wrap_vmbr_send(struct nlmsghdr *nlh);

int __wrap_vmbr_send(struct nlmsghdr *nlh)
{
	const struct nlattr *attr;

	printf("  cmd %d:", genl_cmd(nlh));
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		print_attr(attr);
	putchar('\n');
	return EXIT_OK;
}

int __wrap_qdisc_rate_out_install(uint32_t vmbr, uint32_t port);

int __wrap_qdisc_rate_out_install(uint32_t vmbr, uint32_t port)
{
	(void)vmbr;
	(void)port;
	printf("  rate-out qdisc put on the port\n");
	return EXIT_OK;
}

static void run(int (*cmd)(const struct vmbr_opts *, int, char **),
		const char *what, int argc, char **argv)
{
	struct vmbr_opts o = { .json = false };
	int i, status;

	printf("$ vmbr %s", what);
	for (i = 0; i < argc; i++)
		printf(" %s", argv[i]);
	putchar('\n');
	status = cmd(&o, argc, argv);
	if (status)
		printf("  exit %d\n", status);
}

#define RUN(cmd, what, ...)						\
	do {								\
		char *argv[] = { __VA_ARGS__ };				\
									\
		run(cmd, what, ARRAY_SIZE(argv), argv);			\
	} while (0)

int main(void)
{
	/* The messages are part of the output, in order. */
	dup2(STDOUT_FILENO, STDERR_FILENO);

	printf("== port\n");
	RUN(cmd_port_add, "port add", "lo", "lo");
	RUN(cmd_port_add, "port add", "lo", "lo", "vlan", "10");
	RUN(cmd_port_add, "port add", "lo", "lo", "trunk", "10,20,100-199");
	RUN(cmd_port_add, "port add", "lo", "lo", "trunk", "10,20",
	    "native", "1");
	RUN(cmd_port_set, "port set", "lo", "lo", "native", "5",
	    "trunk", "30-32");
	RUN(cmd_port_set, "port set", "lo", "lo", "vlan", "4094");
	RUN(cmd_port_set, "port set", "lo", "lo");
	RUN(cmd_port_set, "port set", "lo", "lo", "vlan", "10",
	    "trunk", "20");
	RUN(cmd_port_set, "port set", "lo", "lo", "trunk", "20",
	    "vlan", "10");
	RUN(cmd_port_set, "port set", "lo", "lo", "native", "1");
	RUN(cmd_port_set, "port set", "lo", "lo", "vlan", "0");
	RUN(cmd_port_set, "port set", "lo", "lo", "trunk", "10,5000");
	RUN(cmd_port_set, "port set", "lo", "lo", "trunk", "none");
	RUN(cmd_port_set, "port set", "lo", "lo", "trunk", "10",
	    "trunk", "20");

	printf("== port guards\n");
	RUN(cmd_port_set, "port set", "lo", "lo", "isolated", "on",
	    "lock-mac", "52:54:00:12:34:56,52:54:00:AB:CD:EF",
	    "max-macs", "2", "bum-rate", "100");
	RUN(cmd_port_set, "port set", "lo", "lo", "lock-mac", "off",
	    "isolated", "off", "max-macs", "0", "bum-rate", "0");
	RUN(cmd_port_add, "port add", "lo", "lo", "trunk", "10,20",
	    "lock-mac", "02:00:00:00:00:01", "native", "1",
	    "max-macs", "1048576", "bum-rate", "10000000");
	RUN(cmd_port_set, "port set", "lo", "lo", "vlan", "10",
	    "isolated", "on");
	RUN(cmd_port_set, "port set", "lo", "lo", "lock-mac", "off");
	RUN(cmd_port_add, "port add", "lo", "lo", "bum-rate", "50",
	    "lock-mac", "off");
	RUN(cmd_port_set, "port set", "lo", "lo", "lock-mac",
	    "02:00:00:00:00:01,01:00:5e:00:00:01");
	RUN(cmd_port_set, "port set", "lo", "lo", "lock-mac",
	    "02:00:00:00:00:0a,02:00:00:00:00:0A");
	RUN(cmd_port_set, "port set", "lo", "lo", "lock-mac", "none");
	RUN(cmd_port_set, "port set", "lo", "lo", "isolated", "yes");
	RUN(cmd_port_set, "port set", "lo", "lo", "isolated", "1");
	RUN(cmd_port_set, "port set", "lo", "lo", "max-macs", "1048577");
	RUN(cmd_port_set, "port set", "lo", "lo", "max-macs", "-1");
	RUN(cmd_port_set, "port set", "lo", "lo", "bum-rate", "10000001");
	RUN(cmd_port_set, "port set", "lo", "lo", "bum-rate", "off");
	RUN(cmd_port_set, "port set", "lo", "lo", "isolated", "on",
	    "isolated", "off");
	RUN(cmd_port_set, "port set", "lo", "lo", "bum-rate");

	printf("== port lock-ip\n");
	RUN(cmd_port_set, "port set", "lo", "lo", "lock-ip",
	    "192.0.2.1,2001:db8::1");
	RUN(cmd_port_set, "port set", "lo", "lo", "lock-ip", "off");
	RUN(cmd_port_add, "port add", "lo", "lo", "vlan", "10",
	    "lock-mac", "52:54:00:12:34:56",
	    "lock-ip", "fe80::5054:ff:fe12:3456,192.0.2.1,::ffff:198.51.100.7",
	    "max-macs", "1");
	RUN(cmd_port_set, "port set", "lo", "lo", "lock-ip", "off",
	    "lock-mac", "off");
	RUN(cmd_port_set, "port set", "lo", "lo", "lock-ip", "224.0.0.1");
	RUN(cmd_port_set, "port set", "lo", "lo", "lock-ip",
	    "192.0.2.1,ff02::1");
	RUN(cmd_port_set, "port set", "lo", "lo", "lock-ip",
	    "255.255.255.255");
	RUN(cmd_port_set, "port set", "lo", "lo", "lock-ip", "0.0.0.0");
	RUN(cmd_port_set, "port set", "lo", "lo", "lock-ip", "::");
	RUN(cmd_port_set, "port set", "lo", "lo", "lock-ip",
	    "192.0.2.1,::ffff:192.0.2.1");
	RUN(cmd_port_set, "port set", "lo", "lo", "lock-ip", "192.0.2.1/24");
	RUN(cmd_port_set, "port set", "lo", "lo", "lock-ip", "none");
	RUN(cmd_port_set, "port set", "lo", "lo", "lock-ip", "");
	RUN(cmd_port_set, "port set", "lo", "lo", "lock-ip", "off",
	    "lock-ip", "192.0.2.1");
	RUN(cmd_port_set, "port set", "lo", "lo", "lock-ip");

	printf("== port rates\n");
	RUN(cmd_port_set, "port set", "lo", "lo", "rate-in", "20mbit");
	RUN(cmd_port_set, "port set", "lo", "lo", "rate-in", "20mbit",
	    "burst-in", "64k");
	RUN(cmd_port_set, "port set", "lo", "lo", "burst-in", "256k",
	    "isolated", "on", "rate-in", "1.5GBit");
	RUN(cmd_port_set, "port set", "lo", "lo", "rate-out", "100mbit");
	RUN(cmd_port_add, "port add", "lo", "lo", "vlan", "10",
	    "rate-out", "40gbit", "burst-out", "1m", "rate-in", "1tbit",
	    "burst-in", "1g");
	RUN(cmd_port_set, "port set", "lo", "lo", "rate-in", "off",
	    "rate-out", "off");
	RUN(cmd_port_set, "port set", "lo", "lo", "rate-out", "off");
	RUN(cmd_port_set, "port set", "lo", "lo", "rate-in", "0");
	RUN(cmd_port_set, "port set", "lo", "lo", "rate-out", "0",
	    "burst-out", "1500");
	RUN(cmd_port_set, "port set", "lo", "lo", "rate-in", "12bit");
	RUN(cmd_port_set, "port set", "lo", "lo", "rate-in", "3bit");
	RUN(cmd_port_set, "port set", "lo", "lo", "rate-in", "2tbit");
	RUN(cmd_port_set, "port set", "lo", "lo", "rate-in", "20m");
	RUN(cmd_port_set, "port set", "lo", "lo", "rate-in", "none");
	RUN(cmd_port_set, "port set", "lo", "lo", "rate-in", "20mbit",
	    "burst-in", "0");
	RUN(cmd_port_set, "port set", "lo", "lo", "rate-out", "20mbit",
	    "burst-out", "2g");
	RUN(cmd_port_set, "port set", "lo", "lo", "burst-in", "64k");
	RUN(cmd_port_set, "port set", "lo", "lo", "rate-in", "20mbit",
	    "burst-out", "64k");
	RUN(cmd_port_set, "port set", "lo", "lo", "rate-in", "off",
	    "burst-in", "64k");
	RUN(cmd_port_set, "port set", "lo", "lo", "burst-out", "64k",
	    "rate-out", "off");
	RUN(cmd_port_set, "port set", "lo", "lo", "rate-in", "1mbit",
	    "rate-in", "2mbit");
	RUN(cmd_port_set, "port set", "lo", "lo", "rate-out");
	RUN(cmd_port_add, "port add", "lo", "nosuchdev0", "rate-out",
	    "10mbit");

	printf("== set\n");
	RUN(cmd_set, "set", "lo", "uplink-vlans", "10,20", "uplink-native",
	    "none", "host-vlan", "1", "host-vlans", "100-102");
	RUN(cmd_set, "set", "lo", "uplink-vlans", "none", "uplink-native",
	    "4094", "host-vlans", "none", "ageing", "60");
	RUN(cmd_set, "set", "lo", "uplink-native", "0");
	RUN(cmd_set, "set", "lo", "host-vlan", "none");
	RUN(cmd_set, "set", "lo", "host-vlans", "1,,2");
	RUN(cmd_set, "set", "lo", "uplink-vni", "10:1010,20:16777215");
	RUN(cmd_set, "set", "lo", "uplink-vni", "none");
	RUN(cmd_set, "set", "lo", "uplink-vni", "10:0");
	RUN(cmd_set, "set", "lo", "uplink-vni", "10:16777216");
	RUN(cmd_set, "set", "lo", "uplink-vni", "4095:10");
	RUN(cmd_set, "set", "lo", "uplink-vni", "10");
	RUN(cmd_set, "set", "lo", "uplink-vni", "10:1010,");
	RUN(cmd_set, "set", "lo", "uplink-vni", "");

	printf("== nat set\n");
	RUN(cmd_nat_set, "nat set", "lo", "ports", "20000-29999");
	RUN(cmd_nat_set, "nat set", "lo", "max-sessions", "4194304",
	    "max-sessions-per-guest", "1", "filtering",
	    "address-and-port-dependent");
	RUN(cmd_nat_set, "nat set", "lo", "timeout-udp", "120",
	    "timeout-tcp-est", "7440", "timeout-tcp-trans", "240",
	    "timeout-icmp", "1000000", "filtering", "endpoint-independent",
	    "ports", "1-65535");
	RUN(cmd_nat_set, "nat set", "lo", "filtering", "address-dependent");
	RUN(cmd_nat_set, "nat set", "lo");
	RUN(cmd_nat_set, "nat set");
	RUN(cmd_nat_set, "nat set", "lo", "ports", "3000-2000");
	RUN(cmd_nat_set, "nat set", "lo", "ports", "0-1000");
	RUN(cmd_nat_set, "nat set", "lo", "ports", "1024");
	RUN(cmd_nat_set, "nat set", "lo", "max-sessions", "0");
	RUN(cmd_nat_set, "nat set", "lo", "max-sessions", "4194305");
	RUN(cmd_nat_set, "nat set", "lo", "max-sessions-per-guest", "0");
	RUN(cmd_nat_set, "nat set", "lo", "timeout-udp", "0");
	RUN(cmd_nat_set, "nat set", "lo", "timeout-tcp-est", "1000001");
	RUN(cmd_nat_set, "nat set", "lo", "timeout-icmp", "-1");
	RUN(cmd_nat_set, "nat set", "lo", "timeout-tcp-trans", "4m");
	RUN(cmd_nat_set, "nat set", "lo", "filtering", "full-cone");
	RUN(cmd_nat_set, "nat set", "lo", "ports", "1-2", "ports", "3-4");
	RUN(cmd_nat_set, "nat set", "lo", "filtering");
	RUN(cmd_nat_set, "nat set", "lo", "mode", "nat");

	printf("== nat forward\n");
	RUN(cmd_nat_fwd_add, "nat forward add", "lo", "tcp", "8080", "to",
	    "192.168.100.10:80");
	RUN(cmd_nat_fwd_add, "nat forward add", "lo", "udp", "5353", "to",
	    "192.168.100.11");
	RUN(cmd_nat_fwd_add, "nat forward add", "lo", "tcp", "65535", "to",
	    "10.0.0.2:1");
	RUN(cmd_nat_fwd_del, "nat forward del", "lo", "tcp", "8080");
	RUN(cmd_nat_fwd_del, "nat forward del", "lo", "udp", "1");
	RUN(cmd_nat_fwd_add, "nat forward add", "lo", "tcp", "8080");
	RUN(cmd_nat_fwd_add, "nat forward add", "lo", "tcp");
	RUN(cmd_nat_fwd_add, "nat forward add", "lo", "icmp", "8080", "to",
	    "192.168.100.10");
	RUN(cmd_nat_fwd_add, "nat forward add", "lo", "TCP", "8080", "to",
	    "192.168.100.10");
	RUN(cmd_nat_fwd_add, "nat forward add", "lo", "tcp", "0", "to",
	    "192.168.100.10");
	RUN(cmd_nat_fwd_add, "nat forward add", "lo", "tcp", "65536", "to",
	    "192.168.100.10");
	RUN(cmd_nat_fwd_add, "nat forward add", "lo", "tcp", "8080", "to",
	    "192.168.100.10:0");
	RUN(cmd_nat_fwd_add, "nat forward add", "lo", "tcp", "8080", "to",
	    "2001:db8::1");
	RUN(cmd_nat_fwd_add, "nat forward add", "lo", "tcp", "8080", "to",
	    "224.0.0.1");
	RUN(cmd_nat_fwd_add, "nat forward add", "lo", "tcp", "8080", "to",
	    "192.168.100.10", "to", "192.168.100.11");
	RUN(cmd_nat_fwd_add, "nat forward add", "lo", "tcp", "8080", "at",
	    "192.168.100.10");
	RUN(cmd_nat_fwd_add, "nat forward add", "lo", "tcp", "8080", "to");
	RUN(cmd_nat_fwd_del, "nat forward del", "lo", "tcp", "8080", "to",
	    "192.168.100.10");
	RUN(cmd_nat_fwd_add, "nat forward add", "nosuchdev0", "tcp", "8080",
	    "to", "192.168.100.10");

	printf("== nat flush\n");
	RUN(cmd_nat_flush, "nat flush", "lo");
	RUN(cmd_nat_flush, "nat flush", "lo", "port", "lo");
	RUN(cmd_nat_flush, "nat flush", "nosuchdev0");
	return 0;
}
