// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge: rate-out, the shaping of what a guest receives, by the root
 * qdisc of its port device.
 *
 * The limit is the port's configuration, kept here; the qdisc that makes
 * it so is the kernel's own: vmbr (userland) puts a tbf with the handle
 * VMBR_RATE_OUT_HANDLE and an fq_codel under it on the port device, over
 * rtnetlink, once the vmbridge has taken the limit (a module cannot make a
 * tbf: net/sched exports no way to look a qdisc kind up).  The vmbridge
 * takes it off again when the limit is set off and when the port leaves,
 * by whatever way (vmbr port del, ip link set nomaster, the vmbridge
 * deleted), so that no port keeps a stale shaper: the device goes back to
 * its default qdisc.  A root qdisc somebody else put there since is not
 * ours and stays.
 *
 * DOC: Locking
 *
 * The limit is written under RTNL, as the qdiscs themselves are, with
 * WRITE_ONCE(): a limit event reads it from softirq.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/sch_generic.h>

#include "vmbr.h"

/* Is @dev's root qdisc the one rate-out's configuration asked for? */
static bool vmbr_rate_out_is_ours(const struct net_device *dev)
{
	const struct Qdisc *root = rtnl_dereference(dev->qdisc);

	return root && root->handle == VMBR_RATE_OUT_HANDLE &&
	       !strcmp(root->ops->id, "tbf");
}

/*
 * Take rate-out's qdisc off @dev, if it is still there: what
 * "tc qdisc del dev DEV root" does (qdisc_graft() in sch_api.c), from the
 * functions net/sched exports, as the request itself has no entry point
 * for a module.  The qdisc goes off every transmit queue and the device's
 * root; dev_activate() then gives a running device its default qdiscs (a
 * device that is down gets them when it comes up).  A device on its way
 * out has had its qdiscs taken already (dev_shutdown()).
 */
static void vmbr_rate_out_remove_qdisc(struct net_device *dev)
{
	struct Qdisc *root;
	unsigned int i;

	ASSERT_RTNL();
	if (dev->reg_state != NETREG_REGISTERED || !vmbr_rate_out_is_ours(dev))
		return;
	root = rtnl_dereference(dev->qdisc);
	if (dev->flags & IFF_UP)
		dev_deactivate(dev);
	for (i = 0; i < dev->num_tx_queues; i++)
		qdisc_put(dev_graft_qdisc(netdev_get_tx_queue(dev, i), NULL));
	rcu_assign_pointer(dev->qdisc, &noop_qdisc);
	qdisc_put(root);
	if (dev->flags & IFF_UP)
		dev_activate(dev);
}

/*
 * Make @cfg @port's rate-out (rate 0: none).  A port whose limit goes
 * loses its qdisc; one whose limit comes or changes gets it from vmbr,
 * which reads the limit (and the burst in use) back.  RTNL.
 */
void vmbr_rate_out_set(struct vmbr_port *port, const struct vmbr_rate_cfg *cfg)
{
	ASSERT_RTNL();
	if (!cfg->bytes_ps && port->rate_out.bytes_ps)
		vmbr_rate_out_remove_qdisc(port->dev);
	WRITE_ONCE(port->rate_out.bytes_ps, cfg->bytes_ps);
	WRITE_ONCE(port->rate_out.burst, cfg->burst);
}

/*
 * @port's rate-out, for a message: under RTNL, or for a limit event sent
 * from softirq (a change meanwhile may pair the old rate with the new
 * burst, in that one event).
 */
void vmbr_rate_out_get(const struct vmbr_port *port, struct vmbr_rate_cfg *cfg)
{
	cfg->bytes_ps = READ_ONCE(port->rate_out.bytes_ps);
	cfg->burst = READ_ONCE(port->rate_out.burst);
}

/* @port is leaving: its device keeps no shaper of ours.  RTNL. */
void vmbr_rate_out_release(struct vmbr_port *port)
{
	ASSERT_RTNL();
	if (port->rate_out.bytes_ps)
		vmbr_rate_out_remove_qdisc(port->dev);
	WRITE_ONCE(port->rate_out.bytes_ps, 0);
}
