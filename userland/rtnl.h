/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbr: creating and deleting vmbridge links over rtnetlink.
 */
#ifndef VMBR_RTNL_H
#define VMBR_RTNL_H

#include <stdint.h>

struct nl;

/* Creates vmbridge @name; fails if a device of that name exists. */
int rtnl_link_add(struct nl *nl, const char *name);

/* Deletes the link @ifindex. */
int rtnl_link_del(struct nl *nl, uint32_t ifindex);

#endif /* VMBR_RTNL_H */
