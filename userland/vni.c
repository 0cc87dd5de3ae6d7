// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr: uplink-vni maps, as VID:VNI lists and as netlink nests.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "vmbr.h"
#include "vni.h"

/* The number that the @len characters at @s spell in decimal, if <= @max. */
static int number_of(const char *s, size_t len, unsigned long max,
		     unsigned long *val)
{
	unsigned long v = 0;
	size_t i;

	if (!len)
		return -1;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
		if (v > max)
			return -1;
	}
	*val = v;
	return 0;
}

/* The item of @list that is the @len characters at @item: VID:VNI. */
static int parse_pair(const char *list, const char *item, size_t len,
		      struct vni_pair *pair)
{
	const char *colon = memchr(item, ':', len);
	size_t vid_len = colon ? (size_t)(colon - item) : len;
	unsigned long vid, vni;

	if (!colon || colon == item || colon == item + len - 1)
		return usage_err("bad uplink-vni \"%s\": %.*s is not VID:VNI",
				 list, (int)len, item);
	if (number_of(item, vid_len, VMBR_VID_MAX, &vid) || vid < VMBR_VID_MIN)
		return usage_err("bad uplink-vni \"%s\": %.*s is not a VLAN id (%u to %u)",
				 list, (int)vid_len, item, VMBR_VID_MIN,
				 VMBR_VID_MAX);
	if (number_of(colon + 1, len - vid_len - 1, VMBR_VNI_MAX, &vni) ||
	    !vni)
		return usage_err("bad uplink-vni \"%s\": %.*s is not a VNI (1 to %u)",
				 list, (int)(len - vid_len - 1), colon + 1,
				 VMBR_VNI_MAX);
	pair->vid = vid;
	pair->vni = vni;
	return 0;
}

int parse_vni_map(const char *s, struct vni_map *map)
{
	const char *item = s;
	size_t len;
	int err;

	map->count = 0;
	if (!strcmp(s, "none"))
		return 0;
	if (!*s)
		return usage_err("bad uplink-vni \"\": it is empty (none for no map)");
	for (;;) {
		len = strcspn(item, ",");
		if (!len)
			return usage_err("bad uplink-vni \"%s\": an empty item", s);
		if (map->count == VMBR_VNI_MAP_MAX)
			return usage_err("bad uplink-vni: more than %u VID:VNI pairs",
					 VMBR_VNI_MAP_MAX);
		err = parse_pair(s, item, len, &map->pairs[map->count]);
		if (err)
			return err;
		map->count++;
		if (!item[len])
			return 0;
		item += len + 1;
	}
}

int vni_map_of_attr(const struct nlattr *nest, struct vni_map *map)
{
	const struct nlattr *entry, *attr;
	struct vni_pair *pair;
	unsigned int seen;

	map->count = 0;
	mnl_attr_for_each_nested(entry, nest) {
		if (mnl_attr_get_type(entry) != VMBR_VNI_A_ENTRY)
			continue;
		if (map->count == VMBR_VNI_MAP_MAX)
			return -1;
		pair = &map->pairs[map->count];
		seen = 0;
		mnl_attr_for_each_nested(attr, entry) {
			switch (mnl_attr_get_type(attr)) {
			case VMBR_VNI_A_VID:
				if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
					return -1;
				pair->vid = mnl_attr_get_u16(attr);
				seen |= 1;
				break;
			case VMBR_VNI_A_VNI:
				if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
					return -1;
				pair->vni = mnl_attr_get_u32(attr);
				seen |= 2;
				break;
			}
		}
		if (seen != 3)
			return -1;
		map->count++;
	}
	return 0;
}

const char *format_vni_map(const struct vni_map *map, char *buf)
{
	size_t used = 0;
	unsigned int i;
	int n;

	*buf = '\0';
	for (i = 0; i < map->count; i++) {
		n = snprintf(buf + used, VNI_MAP_BUFSIZ - used, "%s%u:%u",
			     i ? "," : "", map->pairs[i].vid,
			     map->pairs[i].vni);
		if (n < 0 || (size_t)n >= VNI_MAP_BUFSIZ - used)
			break;	/* cannot happen: VNI_MAP_BUFSIZ is enough */
		used += n;
	}
	return buf;
}
