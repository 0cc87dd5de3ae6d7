/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbr: sets of 802.1Q VLANs.  On the command line a VIDLIST of VLAN ids
 * and ranges, "10,20,100-199"; in messages a bitmap of VMBR_VLAN_BITMAP_LEN
 * bytes, VLAN v being bit v % 8 of byte v / 8 (<linux/vmbridge.h>).
 */
#ifndef VMBR_VLAN_H
#define VMBR_VLAN_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/vmbridge.h>

/* Room for any VIDLIST: at most four digits and a separator per VLAN. */
#define VIDLIST_BUFSIZ	(VMBR_VID_MAX * 5 + 1)

void vlan_bitmap_set(uint8_t *map, unsigned int vid);
bool vlan_bitmap_test(const uint8_t *map, unsigned int vid);

/*
 * @s as a VIDLIST: comma-separated VLAN ids (1 to 4094) and ranges LOW-HIGH
 * (LOW <= HIGH), nothing else.  Fills @map (VMBR_VLAN_BITMAP_LEN bytes) and
 * returns 0, or prints the bad item and returns EXIT_USAGE.
 */
int parse_vidlist(const char *s, uint8_t *map);

/*
 * The VLANs of @map as the shortest VIDLIST, in @buf (VIDLIST_BUFSIZ
 * bytes): ascending, runs of three or more as LOW-HIGH, "" if none.
 * Bits 0 and 4095, which are no VLAN, are ignored.
 */
const char *format_vidlist(const uint8_t *map, char *buf);

#endif /* VMBR_VLAN_H */
