/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbr: IP addresses.  On the command line IPv4 (192.0.2.1) or IPv6
 * (2001:db8::1) as inet_pton() reads them, and lists of them,
 * "192.0.2.1,2001:db8::1" (lock-ip); in messages 16 bytes each, an IPv4
 * address as ::ffff:a.b.c.d (v4-mapped), a list being the addresses one
 * after the other.
 */
#ifndef VMBR_IPADDR_H
#define VMBR_IPADDR_H

#include <stdbool.h>
#include <stdint.h>

#include <netinet/in.h>

#define IP_LEN		16
#define IP_BUFSIZ	INET6_ADDRSTRLEN

/* Whether @addr (IP_LEN bytes) is an IPv4 address, ::ffff:a.b.c.d. */
bool ip_is_v4(const uint8_t *addr);

/*
 * @addr (IP_LEN bytes) in @buf (IP_BUFSIZ bytes): an IPv4 address as
 * a.b.c.d, not ::ffff:a.b.c.d; an IPv6 one as inet_ntop() writes it.
 */
const char *format_ip(const uint8_t *addr, char *buf);

/*
 * @s as a list of host addresses: comma-separated IPv4 or IPv6 addresses,
 * each neither unspecified (0.0.0.0, ::), multicast nor the broadcast
 * address 255.255.255.255, and listed once (192.0.2.1 and ::ffff:192.0.2.1
 * are the same), at most @max of them.  Fills @addrs (@max * IP_LEN bytes)
 * and *@count and returns 0, or prints the bad item, "bad @what list ...",
 * and returns EXIT_USAGE.
 */
int parse_ip_list(const char *what, const char *s, uint8_t *addrs,
		  unsigned int max, unsigned int *count);

#endif /* VMBR_IPADDR_H */
