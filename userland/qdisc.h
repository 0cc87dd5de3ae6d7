/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbr: the root qdisc rate-out puts on a port device.
 *
 * rate-out is the vmbridge's configuration, but what shapes a guest's
 * traffic is a qdisc on its port device, which a module cannot make: vmbr
 * puts it there over rtnetlink once the vmbridge has taken the limit.  It
 * is a tbf with handle VMBR_RATE_OUT_HANDLE ("7662:") at the root, with
 * the rate and burst the vmbridge has, and an fq_codel under it, so that
 * one flow's queue does not hold up the others'.  The vmbridge takes it
 * off itself when the limit goes or the port leaves.
 */
#ifndef VMBR_QDISC_H
#define VMBR_QDISC_H

#include <stdint.h>

#include <jansson.h>

struct nl;

/*
 * Puts rate-out's qdisc on port @port of vmbridge @vmbr, whose rate-out the
 * kernel just took: reads the rate and the burst in use back, then makes
 * or changes the tbf and its fq_codel.  If that fails, it says why and
 * sets the port's rate-out off again, so that no limit stays that nothing
 * enforces.  An exit status.
 */
int qdisc_rate_out_install(uint32_t vmbr, uint32_t port);

/*
 * For show: "rate_out_qdisc" of @port (decode.h) if it has a rate-out,
 * true if its device's root qdisc is still rate-out's tbf, false if
 * somebody took it off or put another in its place (tc qdisc del,
 * replace): nothing shapes the port then.  Left out, with a warning, if
 * the qdiscs cannot be read.  *@rtnl is a NETLINK_ROUTE socket opened on
 * first use, for the caller to close.
 */
void qdisc_rate_out_check(json_t *port, struct nl **rtnl);

#endif /* VMBR_QDISC_H */
