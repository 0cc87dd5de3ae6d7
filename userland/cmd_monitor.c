// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr monitor: the vmbridge events, one line each, until killed.
 */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/socket.h>

#include <linux/netlink.h>

#include "decode.h"
#include "json.h"
#include "nl.h"
#include "output.h"
#include "cmd.h"
#include "vmbr.h"

struct monitor_ctx {
	const struct vmbr_opts *o;
	bool write_failed;
};

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	struct monitor_ctx *c = data;
	json_t *event;
	int err = 0;

	/* No name cache: devices come and go while monitoring. */
	event = decode_event(nlh, NULL);
	if (!event)
		return MNL_CB_ERROR;
	if (c->o->json)
		err = out_json_line(event);
	else
		print_event(event);
	json_decref(event);
	if (err || fflush(stdout) == EOF || ferror(stdout)) {
		pr_err("cannot write events: %s", strerror(errno));
		c->write_failed = true;
		return MNL_CB_STOP;
	}
	return MNL_CB_OK;
}

int cmd_monitor(const struct vmbr_opts *o, int argc, char **argv)
{
	struct monitor_ctx c = { .o = o };
	struct nl *nl;
	int err;

	err = check_no_args(argc, argv);
	if (err)
		return err;
	nl = nl_open(NETLINK_GENERIC);
	if (!nl)
		return EXIT_FAIL;
	err = vmbr_join_events(nl);
	if (err && nl->err == EPERM)
		pr_err("the events are CAP_NET_ADMIN's to read");
	else if (!err)
		err = nl_listen(nl, monitor_cb, &c);
	if (err && nl->err != EPERM)
		nl_perror(nl);
	nl_close(nl);
	return err || c.write_failed ? EXIT_FAIL : EXIT_OK;
}
