// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr: ports, port ranges and guests' IPv4 endpoints.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "endpoint.h"
#include "vmbr.h"

/*
 * The @len characters at @s as a port, quietly: decimal digits only (no
 * sign, no blank), 1 to 65535.
 */
static bool port_of(const char *s, size_t len, uint16_t *port)
{
	unsigned long v = 0;
	size_t i;

	if (!len)
		return false;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
		if (v > NAT_PORT_MAX)
			return false;
	}
	if (v < NAT_PORT_MIN)
		return false;
	*port = v;
	return true;
}

int parse_port(const char *what, const char *s, uint16_t *port)
{
	if (port_of(s, strlen(s), port))
		return 0;
	return usage_err("invalid %s \"%s\": expected a number from %u to %u",
			 what, s, NAT_PORT_MIN, NAT_PORT_MAX);
}

int parse_port_range(const char *what, const char *s, uint16_t *low,
		     uint16_t *high)
{
	size_t len = strcspn(s, "-");

	if (!s[len] || !port_of(s, len, low) ||
	    !port_of(s + len + 1, strlen(s + len + 1), high))
		return usage_err("invalid %s \"%s\": expected LOW-HIGH, ports from %u to %u",
				 what, s, NAT_PORT_MIN, NAT_PORT_MAX);
	if (*low > *high)
		return usage_err("invalid %s \"%s\": %u is above %u", what, s,
				 *low, *high);
	return 0;
}

int parse_guest_endpoint(const char *what, const char *s, uint32_t *addr,
			 uint16_t *port)
{
	size_t len = strcspn(s, ":");
	char str[IPV4_BUFSIZ];
	struct in_addr in;
	const char *why;
	uint32_t host;

	*port = 0;
	/* Nothing before the ':', or more than one (IPv6, "[ADDR]:PORT"). */
	if (!len || (s[len] && strchr(s + len + 1, ':')))
		return usage_err("invalid %s \"%s\": expected ADDR[:PORT], an IPv4 address and perhaps a port",
				 what, s);
	if (len < sizeof(str)) {
		memcpy(str, s, len);
		str[len] = '\0';
	}
	if (len >= sizeof(str) || inet_pton(AF_INET, str, &in) != 1)
		return usage_err("invalid %s \"%s\": %.*s is not an IPv4 address",
				 what, s, (int)len, s);
	if (s[len] && !port_of(s + len + 1, strlen(s + len + 1), port))
		return usage_err("invalid %s \"%s\": expected a port from %u to %u after the ':'",
				 what, s, NAT_PORT_MIN, NAT_PORT_MAX);

	host = ntohl(in.s_addr);
	if (!host)
		why = "is the unspecified address";
	else if ((host >> 24) == 127)
		why = "is a loopback address";
	else if ((host >> 28) == 0xe)
		why = "is a multicast address";
	else if (host == 0xffffffff)
		why = "is the broadcast address";
	else {
		*addr = in.s_addr;
		return 0;
	}
	*port = 0;
	return usage_err("invalid %s \"%s\": %s %s", what, s, str, why);
}

const char *format_ipv4(uint32_t addr, char *buf)
{
	struct in_addr in = { .s_addr = addr };

	if (!inet_ntop(AF_INET, &in, buf, IPV4_BUFSIZ))
		snprintf(buf, IPV4_BUFSIZ, "?");	/* cannot happen */
	return buf;
}
