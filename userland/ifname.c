// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr: interface names and indexes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ifname.h"
#include "vmbr.h"

int dev_index(const char *name, uint32_t *ifindex)
{
	unsigned int idx = 0;

	errno = ENODEV;
	if (strlen(name) < IF_NAMESIZE)
		idx = if_nametoindex(name);
	if (!idx) {
		if (errno == ENODEV || errno == ENXIO)
			pr_err("%s: no such device", name);
		else
			pr_err("%s: %s", name, strerror(errno));
		return EXIT_FAIL;
	}
	*ifindex = idx;
	return 0;
}

const char *dev_name(struct ifname_cache *cache, uint32_t ifindex,
		     char *buf)
{
	unsigned int i;

	if (cache) {
		for (i = 0; i < cache->count; i++) {
			if (cache->entry[i].ifindex == ifindex) {
				memcpy(buf, cache->entry[i].name,
				       IFNAME_BUFSIZ);
				return buf;
			}
		}
	}
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IFNAME_BUFSIZ, "if%u", ifindex);
	if (cache && cache->count < IFNAME_CACHE_SIZE) {
		i = cache->count++;
		cache->entry[i].ifindex = ifindex;
		memcpy(cache->entry[i].name, buf, IFNAME_BUFSIZ);
	}
	return buf;
}

/* The kernel's rules (dev_valid_name()), checked early for a clear message. */
int check_new_name(const char *name)
{
	size_t len = strlen(name);

	if (!len || len >= IF_NAMESIZE)
		return usage_err("\"%s\": a device name has 1 to %d characters",
				 name, IF_NAMESIZE - 1);
	if (!strcmp(name, ".") || !strcmp(name, "..") ||
	    strpbrk(name, "/: \t\n\v\f\r"))
		return usage_err("\"%s\" is not a valid device name", name);
	return 0;
}
