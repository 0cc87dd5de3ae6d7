/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbr: interface names and indexes.  Requests name every device by its
 * ifindex; output names them again.
 */
#ifndef VMBR_IFNAME_H
#define VMBR_IFNAME_H

#include <net/if.h>
#include <stdint.h>

/* Room for a device name or for "if4294967295". */
#define IFNAME_BUFSIZ IF_NAMESIZE

/* Small cache for output that names the same few ports many times. */
#define IFNAME_CACHE_SIZE 32

struct ifname_cache {
	unsigned int count;
	struct {
		uint32_t ifindex;
		char name[IFNAME_BUFSIZ];
	} entry[IFNAME_CACHE_SIZE];
};

/* @name's ifindex; "NAME: no such device" and EXIT_FAIL if none. */
int dev_index(const char *name, uint32_t *ifindex);

/* @ifindex's name, or "if<N>", in @buf; @cache may be NULL. */
const char *dev_name(struct ifname_cache *cache, uint32_t ifindex,
		     char *buf);

/* Whether @name can name a new device; a usage error if not. */
int check_new_name(const char *name);

#endif /* VMBR_IFNAME_H */
