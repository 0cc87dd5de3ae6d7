/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbr: IPv4 transport endpoints, for NAT.  On the command line a TCP or
 * UDP port (1 to 65535), a range of them, "1024-65535" (nat set ports),
 * and a guest's address with an optional port, "192.168.100.10:80" (nat
 * forward add ... to); in messages an IPv4 address is 4 bytes in network
 * byte order (be32), a port a u16 in host byte order.
 */
#ifndef VMBR_ENDPOINT_H
#define VMBR_ENDPOINT_H

#include <stdint.h>

#include <netinet/in.h>

#define NAT_PORT_MIN	1
#define NAT_PORT_MAX	65535

/* Room for a.b.c.d. */
#define IPV4_BUFSIZ	INET_ADDRSTRLEN

/*
 * @s as a port, 1 to 65535, in *@port; or prints "invalid @what ..." and
 * returns EXIT_USAGE.
 */
int parse_port(const char *what, const char *s, uint16_t *port);

/*
 * @s as LOW-HIGH, two ports with LOW at most HIGH, in *@low and *@high;
 * or prints "invalid @what ..." and returns EXIT_USAGE.
 */
int parse_port_range(const char *what, const char *s, uint16_t *low,
		     uint16_t *high);

/*
 * @s as ADDR[:PORT]: a guest's IPv4 address in dotted-quad form (neither
 * unspecified, loopback, multicast nor the broadcast address), and a
 * port.  Sets *@addr (network byte order) and *@port, 0 if there is
 * none; or prints "invalid @what ..." and returns EXIT_USAGE.
 */
int parse_guest_endpoint(const char *what, const char *s, uint32_t *addr,
			 uint16_t *port);

/* @addr (network byte order) as a.b.c.d in @buf (IPV4_BUFSIZ bytes). */
const char *format_ipv4(uint32_t addr, char *buf);

#endif /* VMBR_ENDPOINT_H */
