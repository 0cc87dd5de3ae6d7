/* SPDX-License-Identifier: GPL-2.0 */
/* vmbridge KUnit suites: a vmbridge with ports, outside any namespace. */
#ifndef _VMBR_TEST_H
#define _VMBR_TEST_H

#include <kunit/test.h>

#include "vmbr.h"

#define VMBR_TEST_PORTS	3

struct vmbr_test {
	struct vmbr *vmbr;
	struct vmbr_port *port[VMBR_TEST_PORTS];
};

/* A vmbridge in @mode with guest ports 0 and 1 and the uplink as port 2. */
struct vmbr_test *vmbr_test_create(struct kunit *test, u8 mode);
struct sk_buff *vmbr_test_eth_skb(struct kunit *test, struct net_device *dev,
				  const u8 *dst, const u8 *src,
				  unsigned int payload);

#endif /* _VMBR_TEST_H */
