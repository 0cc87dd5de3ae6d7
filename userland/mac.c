// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr: MAC addresses and lists of them.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "mac.h"
#include "vmbr.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The MAC that the @len characters at @s spell, quietly. */
static bool mac_of(const char *s, size_t len, uint8_t mac[MAC_LEN])
{
	int i, hi, lo;

	if (len != MAC_BUFSIZ - 1)
		return false;
	for (i = 0; i < MAC_LEN; i++, s += 3) {
		hi = hexval(s[0]);
		lo = hexval(s[1]);
		if (hi < 0 || lo < 0 || (i < MAC_LEN - 1 && s[2] != ':'))
			return false;
		mac[i] = hi << 4 | lo;
	}
	return true;
}

int parse_mac(const char *s, uint8_t mac[MAC_LEN])
{
	if (mac_of(s, strlen(s), mac))
		return 0;
	return usage_err("invalid MAC address \"%s\": expected xx:xx:xx:xx:xx:xx",
			 s);
}

const char *format_mac(const uint8_t *mac, char *buf)
{
	snprintf(buf, MAC_BUFSIZ, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

/* Lists. */

static bool is_zero(const uint8_t *mac)
{
	static const uint8_t zero[MAC_LEN];

	return !memcmp(mac, zero, MAC_LEN);
}

/* Is @mac among the first @count of @macs? */
static bool is_listed(const uint8_t *mac, const uint8_t *macs,
		      unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		if (!memcmp(mac, macs + i * MAC_LEN, MAC_LEN))
			return true;
	return false;
}

/*
 * The item of @list that is the @len characters at @item, as the next of
 * the @count MACs at @macs.
 */
static int parse_item(const char *what, const char *list, const char *item,
		      size_t len, uint8_t *macs, unsigned int count)
{
	uint8_t *mac = macs + count * MAC_LEN;
	const char *why;

	if (!len)
		return usage_err("bad %s list \"%s\": an empty item", what,
				 list);
	if (!mac_of(item, len, mac))
		why = "is not a MAC address (xx:xx:xx:xx:xx:xx)";
	else if (mac[0] & 1)
		why = "is a group address";
	else if (is_zero(mac))
		why = "is all zeros";
	else if (is_listed(mac, macs, count))
		why = "is listed twice";
	else
		return 0;
	return usage_err("bad %s list \"%s\": %.*s %s", what, list, (int)len,
			 item, why);
}

int parse_mac_list(const char *what, const char *s, uint8_t *macs,
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
		err = parse_item(what, s, item, len, macs, n);
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
