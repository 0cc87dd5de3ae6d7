// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr: the guests' DHCP server, its ranges, configuration and leases.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp.h"
#include "json.h"
#include "vmbr.h"

const char *format_ipv4_host(uint32_t addr, char *buf)
{
	struct in_addr in = { .s_addr = htonl(addr) };

	if (!inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN))
		snprintf(buf, INET_ADDRSTRLEN, "?");
	return buf;
}

/* The @len characters at @s as a dotted-quad IPv4 address, quietly. */
static bool ipv4_of(const char *s, size_t len, uint32_t *addr)
{
	char buf[INET_ADDRSTRLEN];
	struct in_addr in;

	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET, buf, &in) != 1)
		return false;
	*addr = ntohl(in.s_addr);
	return true;
}

int parse_ipv4_range(const char *what, const char *s, uint32_t *low,
		     uint32_t *high)
{
	size_t len = strcspn(s, "-");
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	if (!s[len] || !ipv4_of(s, len, low) ||
	    !ipv4_of(s + len + 1, strlen(s + len + 1), high))
		return usage_err("invalid %s \"%s\": expected LOW-HIGH, two IPv4 addresses",
				 what, s);
	if (*low > *high)
		return usage_err("invalid %s \"%s\": %s is above %s", what, s,
				 format_ipv4_host(*low, a),
				 format_ipv4_host(*high, b));
	return 0;
}

/* The netmask of a prefix length. */
static uint32_t mask_of(unsigned int prefix)
{
	return prefix ? ~(uint32_t)0 << (32 - prefix) : 0;
}

int dhcp_default_range(const char *ifname, uint32_t addr,
		       unsigned int prefix, uint32_t *low, uint32_t *high)
{
	uint32_t net = addr & mask_of(prefix), bcast = net | ~mask_of(prefix);
	char a[INET_ADDRSTRLEN];

	/* Hosts net+1 .. bcast-1, but addr: below it or above it. */
	if (prefix > 30) {
		pr_err("%s: %s/%u leaves no address to lease", ifname,
		       format_ipv4_host(addr, a), prefix);
		return EXIT_FAIL;
	}
	if (addr - net > bcast - addr) {
		*low = net + 1;
		*high = addr - 1;
	} else {
		*low = addr + 1;
		*high = bcast - 1;
	}
	return 0;
}

int dhcp_check_range(const char *ifname, uint32_t addr, unsigned int prefix,
		     uint32_t low, uint32_t high)
{
	uint32_t mask = mask_of(prefix), net = addr & mask;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], c[INET_ADDRSTRLEN];

	format_ipv4_host(low, a);
	format_ipv4_host(high, b);
	if ((low & mask) != net || (high & mask) != net)
		return usage_err("range %s-%s is not in %s's subnet %s/%u", a,
				 b, ifname, format_ipv4_host(net, c), prefix);
	if (prefix <= 30 && (low == net || high == (net | ~mask)))
		return usage_err("range %s-%s holds the network or the broadcast address of %s/%u",
				 a, b, format_ipv4_host(net, c), prefix);
	if (low <= addr && addr <= high)
		return usage_err("range %s-%s holds %s's own address %s", a, b,
				 ifname, format_ipv4_host(addr, c));
	return 0;
}

/*
 * dnsmasq on the vmbridge alone: no other interface, not even lo, and no
 * file of the host's own dnsmasq.  The keys vmbr reads back come first.
 */
void dhcp_write_conf(FILE *f, const struct dhcp_conf *c, const char *rundir)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], m[INET_ADDRSTRLEN];

	fprintf(f, "# vmbr dhcp start %s: written by vmbr, read by dnsmasq\n",
		c->ifname);
	fprintf(f, "dhcp-range=%s,%s,%s,%u\n", format_ipv4_host(c->low, a),
		format_ipv4_host(c->high, b),
		format_ipv4_host(mask_of(c->prefix), m), c->lease);
	if (c->dns) {
		fputs("# DNS: forwarded to the resolvers of /etc/resolv.conf;"
		      " the gateway: this address\n", f);
	} else {
		fputs("# no DNS, no gateway\n"
		      "port=0\n"
		      "dhcp-option=option:router\n", f);
	}
	fprintf(f, "interface=%s\n"
		"bind-interfaces\n"
		"except-interface=lo\n"
		"dhcp-authoritative\n"
		"pid-file=%s/%s.pid\n"
		"dhcp-leasefile=%s/%s.leases\n",
		c->ifname, rundir, c->ifname, rundir, c->ifname);
}

int dhcp_read_conf(FILE *f, struct dhcp_conf *c)
{
	char line[256], lo[INET_ADDRSTRLEN], hi[INET_ADDRSTRLEN];
	char mask[INET_ADDRSTRLEN];
	bool range = false;
	unsigned int lease;
	uint32_t l, h;

	c->dns = true;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "dhcp-range=%15[0-9.],%15[0-9.],%15[0-9.],%u",
			   lo, hi, mask, &lease) == 4 &&
		    ipv4_of(lo, strlen(lo), &l) &&
		    ipv4_of(hi, strlen(hi), &h)) {
			c->low = l;
			c->high = h;
			c->lease = lease;
			range = true;
		} else if (!strcmp(line, "port=0\n")) {
			c->dns = false;
		}
	}
	return range ? 0 : -1;
}

json_t *dhcp_read_leases(FILE *f)
{
	char line[512], mac[64], addr[64], host[256];
	json_t *leases = jarr(), *lease;
	unsigned long long expires;
	struct in_addr in;

	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llu %63s %63s %255s", &expires, mac, addr,
			   host) != 4 ||
		    inet_pton(AF_INET, addr, &in) != 1)
			continue;	/* not IPv4, or malformed */
		lease = jobj();
		jset(lease, "address", jstr(addr));
		jset(lease, "mac", jstr(mac));
		jset(lease, "hostname", strcmp(host, "*") ? jstr(host) :
							    json_null());
		jset(lease, "expires", json_integer((json_int_t)expires));
		jpush(leases, lease);
	}
	return leases;
}
