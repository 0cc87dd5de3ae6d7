// SPDX-License-Identifier: GPL-2.0
/*
 * Offline test of dhcp.c: address ranges (dhcp start range), the default
 * range of a subnet, ranges checked against the vmbridge's subnet, the
 * dnsmasq configuration written and read back, and lease files.
 * "make check" compares the output with dhcp.expected.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../dhcp.h"
#include "../vmbr.h"

static uint32_t ip(const char *s)
{
	struct in_addr in;

	if (inet_pton(AF_INET, s, &in) != 1)
		return 0;
	return ntohl(in.s_addr);
}

static const char *const ranges[] = {
	"192.168.100.2-192.168.100.254", "10.0.0.5-10.0.0.5",
	"192.168.100.10-192.168.101.10",
	/* bad */
	"", "-", "192.168.100.2", "192.168.100.2-", "-192.168.100.2",
	"192.168.100.20-192.168.100.10", "192.168.100.2-192.168.100.256",
	"192.168.100.2--192.168.100.3", "192.168.100.2 - 192.168.100.3",
	"2001:db8::1-2001:db8::2", "192.168.100.2-192.168.100.3-4",
};

static const struct {
	const char *addr;
	unsigned int prefix;
} subnets[] = {
	{ "192.168.100.1", 24 }, { "192.168.100.254", 24 },
	{ "192.168.100.100", 24 }, { "192.168.100.200", 24 },
	{ "10.0.0.1", 8 }, { "172.16.5.1", 16 }, { "192.0.2.1", 30 },
	{ "192.0.2.2", 30 }, { "192.0.2.0", 24 },
	/* none to lease */
	{ "192.0.2.1", 31 }, { "192.0.2.1", 32 },
};

static const struct {
	const char *low, *high;
} checks[] = {
	{ "192.168.100.2", "192.168.100.254" },
	{ "192.168.100.100", "192.168.100.199" },
	/* bad against 192.168.100.1/24 */
	{ "192.168.100.0", "192.168.100.10" },
	{ "192.168.100.10", "192.168.100.255" },
	{ "192.168.100.1", "192.168.100.10" },
	{ "192.168.99.2", "192.168.100.10" },
	{ "192.168.100.2", "192.168.101.10" },
	{ "10.0.0.2", "10.0.0.3" },
};

static const char leases[] =
	"1700000000 52:54:00:12:34:56 192.168.100.57 guest1 01:52:54:00:12:34:56\n"
	"0 52:54:00:ab:cd:ef 192.168.100.58 * *\n"
	"1700000100 00:01:02:03:04:05 2001:db8::5 * 00:01:00:01\n"
	"duid 00:01:00:01:2c:4d:5e:6f:52:54:00:12:34:56\n"
	"garbage\n"
	"1700000200 52:54:00:00:00:01 192.168.100.59 guest-3\n";

int main(void)
{
	char a[16], b[16], line[256];
	struct dhcp_conf c, back;
	uint32_t low, high;
	unsigned int i;
	json_t *l;
	FILE *f;

	/* The messages are part of the output, in order. */
	dup2(STDOUT_FILENO, STDERR_FILENO);
	setvbuf(stdout, NULL, _IONBF, 0);

	printf("== ranges\n");
	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		printf("\"%s\":\n", ranges[i]);
		if (!parse_ipv4_range("range", ranges[i], &low, &high))
			printf("  %s-%s\n", format_ipv4_host(low, a),
			       format_ipv4_host(high, b));
	}

	printf("== default ranges\n");
	for (i = 0; i < ARRAY_SIZE(subnets); i++) {
		printf("%s/%u:\n", subnets[i].addr, subnets[i].prefix);
		if (!dhcp_default_range("vmbr0", ip(subnets[i].addr),
					subnets[i].prefix, &low, &high))
			printf("  %s-%s\n", format_ipv4_host(low, a),
			       format_ipv4_host(high, b));
	}

	printf("== ranges in 192.168.100.1/24\n");
	for (i = 0; i < ARRAY_SIZE(checks); i++) {
		printf("%s-%s:\n", checks[i].low, checks[i].high);
		if (!dhcp_check_range("vmbr0", ip("192.168.100.1"), 24,
				      ip(checks[i].low), ip(checks[i].high)))
			printf("  good\n");
	}

	printf("== configuration\n");
	for (i = 0; i < 2; i++) {
		memset(&c, 0, sizeof(c));
		snprintf(c.ifname, sizeof(c.ifname), "vmbr%u", i);
		c.addr = ip("192.168.100.1");
		c.prefix = 24;
		c.low = ip("192.168.100.2");
		c.high = ip("192.168.100.254");
		c.lease = 3600 * (i + 1);
		c.dns = !i;
		f = tmpfile();
		dhcp_write_conf(f, &c, "/run/vmbr");
		rewind(f);
		while (fgets(line, sizeof(line), f))
			printf("  %s", line);
		rewind(f);
		memset(&back, 0, sizeof(back));
		if (dhcp_read_conf(f, &back))
			printf("  read back: not a configuration\n");
		else
			printf("  read back: %s-%s lease %u dns %s\n",
			       format_ipv4_host(back.low, a),
			       format_ipv4_host(back.high, b), back.lease,
			       back.dns ? "on" : "off");
		fclose(f);
	}
	f = tmpfile();
	fputs("interface=vmbr0\n", f);
	rewind(f);
	printf("  a file of no range: %s\n",
	       dhcp_read_conf(f, &back) ? "not a configuration" : "read");
	fclose(f);

	printf("== leases\n");
	f = tmpfile();
	fputs(leases, f);
	rewind(f);
	l = dhcp_read_leases(f);
	fclose(f);
	json_dumpf(l, stdout, JSON_INDENT(1));
	putchar('\n');
	json_decref(l);
	return 0;
}
