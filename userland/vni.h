/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbr: uplink-vni maps, the VLANs a vmbridge carries as tunnel ids (VXLAN
 * or Geneve VNIs) on a metadata tunnel uplink.  On the command line
 * "VID:VNI[,VID:VNI...]" ("10:1010,20:1020"); in messages a
 * VMBR_A_UPLINK_VNIS nest of VMBR_VNI_A_ENTRY nests (<linux/vmbridge.h>).
 */
#ifndef VMBR_VNI_H
#define VMBR_VNI_H

#include <stdint.h>

#include <linux/vmbridge.h>

struct nlattr;

struct vni_pair {
	uint16_t vid;
	uint32_t vni;
};

struct vni_map {
	unsigned int count;
	struct vni_pair pairs[VMBR_VNI_MAP_MAX];
};

/* Room for any map: "4094:16777215," per pair. */
#define VNI_MAP_BUFSIZ	(VMBR_VNI_MAP_MAX * 14 + 1)

/*
 * @s as a map: comma-separated VID:VNI pairs, VID 1 to 4094 and VNI 1 to
 * 16777215 in decimal, at most VMBR_VNI_MAP_MAX of them, in @map in the
 * order given; "none" is the empty map.  A VLAN or VNI given twice is the
 * kernel's to refuse.  Returns 0, or prints the bad item and returns
 * EXIT_USAGE.
 */
int parse_vni_map(const char *s, struct vni_map *map);

/*
 * The map a VMBR_A_UPLINK_VNIS nest holds, in @map; -1 if it is malformed
 * (an entry without its VLAN or VNI, or more than VMBR_VNI_MAP_MAX).
 */
int vni_map_of_attr(const struct nlattr *nest, struct vni_map *map);

/* @map as "10:1010,20:1020" in @buf (VNI_MAP_BUFSIZ bytes), "" if empty. */
const char *format_vni_map(const struct vni_map *map, char *buf);

#endif /* VMBR_VNI_H */
