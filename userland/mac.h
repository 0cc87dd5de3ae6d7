/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbr: MAC addresses.  On the command line xx:xx:xx:xx:xx:xx, and lists
 * of them, "52:54:00:12:34:56,52:54:00:ab:cd:ef" (lock-mac); in messages
 * 6 bytes each, a list being the addresses one after the other.
 */
#ifndef VMBR_MAC_H
#define VMBR_MAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAC_LEN		6
#define MAC_BUFSIZ	sizeof("xx:xx:xx:xx:xx:xx")

/* @s as xx:xx:xx:xx:xx:xx (hex digits, either case). */
int parse_mac(const char *s, uint8_t mac[MAC_LEN]);

/* @mac as xx:xx:xx:xx:xx:xx in @buf (MAC_BUFSIZ bytes). */
const char *format_mac(const uint8_t *mac, char *buf);

/*
 * @s as a list of station addresses: comma-separated MACs, each unicast,
 * not all zeros, and listed once, at most @max of them.  Fills @macs
 * (@max * MAC_LEN bytes) and *@count and returns 0, or prints the bad
 * item, "bad @what list ...", and returns EXIT_USAGE.
 */
int parse_mac_list(const char *what, const char *s, uint8_t *macs,
		   unsigned int max, unsigned int *count);

#endif /* VMBR_MAC_H */
