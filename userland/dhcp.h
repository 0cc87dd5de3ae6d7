/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbr: the guests' DHCP (and DNS) server, a dnsmasq bound to the vmbridge
 * device alone.  vmbr writes its configuration to RUNDIR/NAME.conf, and
 * dnsmasq keeps its process id in RUNDIR/NAME.pid and its leases in
 * RUNDIR/NAME.leases (RUNDIR: /run/vmbr).
 *
 * These are the pure parts, tested offline (tests/dhcp.c): addresses and
 * ranges (IPv4 addresses in host byte order here), the configuration
 * file, and the lease file.
 */
#ifndef VMBR_DHCP_H
#define VMBR_DHCP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#define DHCP_RUNDIR		"/run/vmbr"
#define DHCP_LEASE_DEFAULT	3600		/* seconds */
#define DHCP_LEASE_MIN		120		/* dnsmasq's least */
#define DHCP_LEASE_MAX		31536000	/* a year */

/* What a DHCP server serves on a vmbridge. */
struct dhcp_conf {
	char ifname[16];
	uint32_t addr;		/* the vmbridge's address ... */
	unsigned int prefix;	/* ... and prefix length: the subnet */
	uint32_t low, high;	/* the range leased */
	unsigned int lease;	/* seconds */
	bool dns;		/* DNS forwarded to the host's resolvers, and
				 * the vmbridge the guests' gateway (nat) */
};

/*
 * @s as LOW-HIGH, two IPv4 addresses with LOW at most HIGH; or prints
 * "invalid @what ..." and returns EXIT_USAGE.
 */
int parse_ipv4_range(const char *what, const char *s, uint32_t *low,
		     uint32_t *high);

/*
 * The default range of the subnet of @addr/@prefix: the larger of the two
 * runs of host addresses on either side of @addr.  EXIT_FAIL, printed, if
 * the subnet has no other host address.
 */
int dhcp_default_range(const char *ifname, uint32_t addr,
		       unsigned int prefix, uint32_t *low, uint32_t *high);

/*
 * Whether @low-@high lies in the subnet of @addr/@prefix, holds neither
 * its network nor its broadcast address, nor @addr; EXIT_USAGE, printed,
 * if not.
 */
int dhcp_check_range(const char *ifname, uint32_t addr, unsigned int prefix,
		     uint32_t low, uint32_t high);

/* @c as dnsmasq's configuration file, its files in @rundir. */
void dhcp_write_conf(FILE *f, const struct dhcp_conf *c, const char *rundir);

/*
 * Reads back from a configuration file what vmbr wrote: its range, lease
 * and DNS into @c (the rest left as it is).  -1 if it is not one.
 */
int dhcp_read_conf(FILE *f, struct dhcp_conf *c);

/*
 * The leases of a dnsmasq lease file ("EXPIRY MAC ADDR HOSTNAME CLIENTID"
 * lines), as an array of {"address", "mac", "hostname", "expires"}:
 * "hostname" null for none ("*"), "expires" the time it expires (seconds
 * since the epoch), 0 for never.  Malformed lines are skipped.
 */
json_t *dhcp_read_leases(FILE *f);

/* @addr (host byte order) as a.b.c.d in @buf (16 bytes). */
const char *format_ipv4_host(uint32_t addr, char *buf);

#endif /* VMBR_DHCP_H */
