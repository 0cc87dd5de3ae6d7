// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr: IP addresses and lists of them.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "ipaddr.h"
#include "vmbr.h"

/* ::ffff:0:0/96, the IPv4 addresses; the IPv4 address is the last 4 bytes. */
static const uint8_t v4_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};
#define V4_OFF	sizeof(v4_prefix)

bool ip_is_v4(const uint8_t *addr)
{
	return !memcmp(addr, v4_prefix, sizeof(v4_prefix));
}

const char *format_ip(const uint8_t *addr, char *buf)
{
	const char *s;

	if (ip_is_v4(addr))
		s = inet_ntop(AF_INET, addr + V4_OFF, buf, IP_BUFSIZ);
	else
		s = inet_ntop(AF_INET6, addr, buf, IP_BUFSIZ);
	if (!s)				/* cannot happen: the buffer fits */
		snprintf(buf, IP_BUFSIZ, "?");
	return buf;
}

/*
 * The address that the @len characters at @s spell, quietly: IPv4 as
 * ::ffff:a.b.c.d.
 */
static bool ip_of(const char *s, size_t len, uint8_t addr[IP_LEN])
{
	char str[IP_BUFSIZ];

	if (len >= sizeof(str))
		return false;
	memcpy(str, s, len);
	str[len] = '\0';
	if (inet_pton(AF_INET, str, addr + V4_OFF) == 1) {
		memcpy(addr, v4_prefix, sizeof(v4_prefix));
		return true;
	}
	return inet_pton(AF_INET6, str, addr) == 1;
}

/* Lists. */

static bool is_zero(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

static bool is_unspecified(const uint8_t *addr)
{
	return ip_is_v4(addr) ? is_zero(addr + V4_OFF, 4) :
				is_zero(addr, IP_LEN);
}

/* IPv4 224.0.0.0/4, IPv6 ff00::/8 */
static bool is_multicast(const uint8_t *addr)
{
	return ip_is_v4(addr) ? (addr[V4_OFF] & 0xf0) == 0xe0 :
				addr[0] == 0xff;
}

/* 255.255.255.255 */
static bool is_broadcast(const uint8_t *addr)
{
	static const uint8_t all_ones[4] = { 0xff, 0xff, 0xff, 0xff };

	return ip_is_v4(addr) && !memcmp(addr + V4_OFF, all_ones, 4);
}

/* Is @addr among the first @count of @addrs? */
static bool is_listed(const uint8_t *addr, const uint8_t *addrs,
		      unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		if (!memcmp(addr, addrs + i * IP_LEN, IP_LEN))
			return true;
	return false;
}

/*
 * The item of @list that is the @len characters at @item, as the next of
 * the @count addresses at @addrs.
 */
static int parse_item(const char *what, const char *list, const char *item,
		      size_t len, uint8_t *addrs, unsigned int count)
{
	uint8_t *addr = addrs + count * IP_LEN;
	const char *why;

	if (!len)
		return usage_err("bad %s list \"%s\": an empty item", what,
				 list);
	if (!ip_of(item, len, addr))
		why = "is not an IPv4 or IPv6 address";
	else if (is_unspecified(addr))
		why = "is the unspecified address";
	else if (is_multicast(addr))
		why = "is a multicast address";
	else if (is_broadcast(addr))
		why = "is the broadcast address";
	else if (is_listed(addr, addrs, count))
		why = "is listed twice";
	else
		return 0;
	return usage_err("bad %s list \"%s\": %.*s %s", what, list, (int)len,
			 item, why);
}

int parse_ip_list(const char *what, const char *s, uint8_t *addrs,
		  unsigned int max, unsigned int *count)
{
	const char *item = s;
	unsigned int n = 0;
	size_t len;
	int err;

	if (!*s)
		return usage_err("bad %s list \"\": it is empty", what);
	for (;;) {
		len = strcspn(item, ",");
		if (n == max)
			return usage_err("bad %s list \"%s\": %.*s is one too many (at most %u)",
					 what, s, (int)len, item, max);
		err = parse_item(what, s, item, len, addrs, n);
		if (err)
			return err;
		n++;
		if (!item[len])
			break;
		item += len + 1;
	}
	*count = n;
	return 0;
}
