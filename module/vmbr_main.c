// SPDX-License-Identifier: GPL-2.0
/*
 * vmbridge: a link type that gives virtual machines their network.
 *
 * Module init and exit: the pieces start in dependency order, the link type
 * last so that nothing can create a vmbridge before everything it needs is
 * there, and stop in the reverse order.
 */
#include <linux/module.h>
#include <net/rtnetlink.h>

#include "vmbr.h"

static int __init vmbr_init(void)
{
	int err;

	err = vmbr_fdb_module_init();
	if (err)
		return err;
	err = vmbr_nat_module_init();
	if (err)
		goto err_fdb;
	err = vmbr_port_notifier_init();
	if (err)
		goto err_nat;
	err = vmbr_nat_notifier_init();
	if (err)
		goto err_notifier;
	err = vmbr_genl_init();
	if (err)
		goto err_nat_notifier;
	err = vmbr_device_init();
	if (err)
		goto err_genl;
	return 0;

err_genl:
	vmbr_genl_exit();
err_nat_notifier:
	vmbr_nat_notifier_exit();
err_notifier:
	vmbr_port_notifier_exit();
err_nat:
	vmbr_nat_module_exit();
err_fdb:
	vmbr_fdb_module_exit();
	return err;
}

static void __exit vmbr_exit(void)
{
	/* Deletes every vmbridge in every namespace, with its ports. */
	vmbr_device_exit();
	vmbr_genl_exit();
	vmbr_nat_notifier_exit();
	vmbr_port_notifier_exit();
	/* Ports, FDB entries and sessions are freed by RCU callbacks. */
	rcu_barrier();
	vmbr_nat_module_exit();
	vmbr_fdb_module_exit();
}

module_init(vmbr_init);
module_exit(vmbr_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmbridge: virtual machine networking (bridge, NAT, host-only, private)");
MODULE_AUTHOR("The vmbridge developers");
MODULE_ALIAS_RTNL_LINK("vmbridge");
MODULE_ALIAS_GENL_FAMILY(VMBR_GENL_NAME);
