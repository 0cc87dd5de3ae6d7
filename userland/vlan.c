// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr: sets of VLANs, as VIDLISTs and as bitmaps.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "vlan.h"
#include "vmbr.h"

void vlan_bitmap_set(uint8_t *map, unsigned int vid)
{
	map[vid / 8] |= 1U << (vid % 8);
}

bool vlan_bitmap_test(const uint8_t *map, unsigned int vid)
{
	return map[vid / 8] & (1U << (vid % 8));
}

/* Parsing. */

/* The VLAN id that the @len characters at @s spell in decimal; 0 if none. */
static unsigned int vid_of(const char *s, size_t len)
{
	unsigned int vid = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		vid = vid * 10 + (s[i] - '0');
		if (vid > VMBR_VID_MAX)
			return 0;
	}
	return vid;
}

static int bad_vid(const char *list, const char *s, size_t len)
{
	return usage_err("bad VLAN list \"%s\": %.*s is not a VLAN id (%u to %u)",
			 list, (int)len, s, VMBR_VID_MIN, VMBR_VID_MAX);
}

/* The item of @list that is the @len characters at @item: VID or LOW-HIGH. */
static int parse_item(const char *list, const char *item, size_t len,
		      uint8_t *map)
{
	const char *dash = memchr(item, '-', len);
	const char *high = dash ? dash + 1 : item;
	size_t lo_len = dash ? (size_t)(dash - item) : len;
	size_t hi_len = len - (high - item);
	unsigned int lo, hi, vid;

	if (!len)
		return usage_err("bad VLAN list \"%s\": an empty item", list);
	if (dash && (!lo_len || !hi_len))
		return usage_err("bad VLAN list \"%s\": %.*s is not a range (LOW-HIGH)",
				 list, (int)len, item);
	lo = vid_of(item, lo_len);
	if (!lo)
		return bad_vid(list, item, lo_len);
	hi = vid_of(high, hi_len);
	if (!hi)
		return bad_vid(list, high, hi_len);
	if (lo > hi)
		return usage_err("bad VLAN list \"%s\": %.*s is not a range (%u is above %u)",
				 list, (int)len, item, lo, hi);
	for (vid = lo; vid <= hi; vid++)
		vlan_bitmap_set(map, vid);
	return 0;
}

int parse_vidlist(const char *s, uint8_t *map)
{
	const char *item = s;
	size_t len;
	int err;

	memset(map, 0, VMBR_VLAN_BITMAP_LEN);
	if (!*s)
		return usage_err("bad VLAN list \"\": it is empty");
	for (;;) {
		len = strcspn(item, ",");
		err = parse_item(s, item, len, map);
		if (err)
			return err;
		if (!item[len])
			return 0;
		item += len + 1;
	}
}

/* Formatting. */

/* Appends the run @lo..@hi to the list that ends at @p; the new end. */
static char *put_run(char *buf, char *p, unsigned int lo, unsigned int hi)
{
	size_t room = VIDLIST_BUFSIZ - (p - buf);
	const char *sep = p == buf ? "" : ",";
	int n;

	if (hi - lo >= 2)
		n = snprintf(p, room, "%s%u-%u", sep, lo, hi);
	else if (hi > lo)
		n = snprintf(p, room, "%s%u,%u", sep, lo, hi);
	else
		n = snprintf(p, room, "%s%u", sep, lo);
	if (n < 0 || (size_t)n >= room) {
		*p = '\0';	/* cannot happen: VIDLIST_BUFSIZ is enough */
		return p;
	}
	return p + n;
}

const char *format_vidlist(const uint8_t *map, char *buf)
{
	unsigned int vid, lo;
	char *p = buf;

	*p = '\0';
	for (vid = VMBR_VID_MIN; vid <= VMBR_VID_MAX; vid++) {
		if (!vlan_bitmap_test(map, vid))
			continue;
		lo = vid;
		while (vid < VMBR_VID_MAX && vlan_bitmap_test(map, vid + 1))
			vid++;
		p = put_run(buf, p, lo, vid);
	}
	return buf;
}
