// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr add | del | show | set: the vmbridge itself.
 */
#include <errno.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/vmbridge.h>

#include "args.h"
#include "decode.h"
#include "ifname.h"
#include "json.h"
#include "nl.h"
#include "output.h"
#include "qdisc.h"
#include "rtnl.h"
#include "cmd.h"
#include "vmbr.h"

/* What "vmbr add" may set right away: a subset of "vmbr set". */
const struct opt link_add_opts[] = {
	{
		.name = "mode", .metavar = "MODE",
		.put = opt_put_mode, .type = VMBR_A_MODE,
	}, {
		.name = "uplink", .metavar = "DEV",
		.put = opt_put_dev, .type = VMBR_A_UPLINK_IFINDEX,
	}, {
		.name = "uplink-vlans", .metavar = "VIDLIST|none",
		.put = opt_put_vidlist_or_none, .type = VMBR_A_UPLINK_VLANS,
	}, {
		.name = "uplink-native", .metavar = "VID|none",
		.put = opt_put_u16_or_none, .type = VMBR_A_UPLINK_PVID,
		.min = VID_MIN, .max = VID_MAX,
	}, {
		.name = "host-vlan", .metavar = "VID",
		.put = opt_put_u16, .type = VMBR_A_HOST_PVID,
		.min = VID_MIN, .max = VID_MAX,
	}, {
		.name = "host-vlans", .metavar = "VIDLIST|none",
		.put = opt_put_vidlist_or_none, .type = VMBR_A_HOST_VLANS,
	}, {
		.name = "uplink-vni", .metavar = "VID:VNI[,VID:VNI...]|none",
		.put = opt_put_vni_map, .type = VMBR_A_UPLINK_VNIS,
	},
	{ .name = NULL },
};

/*
 * uplink-vlans, uplink-native: what the uplink carries tagged and its
 * native VLAN (untagged); host-vlan, host-vlans: the same for the host's
 * side, vmbr0 itself (its tagged VLANs are for 8021q devices on top of it).
 * "none": no VLAN.  uplink-vni: the VLANs of uplink-vlans that a metadata
 * tunnel uplink (VXLAN, Geneve) carries as tunnel ids, untagged.
 */
const struct opt link_set_opts[] = {
	{
		.name = "mode", .metavar = "MODE",
		.put = opt_put_mode, .type = VMBR_A_MODE,
	}, {
		.name = "uplink", .metavar = "DEV|none",
		.put = opt_put_dev_or_none, .type = VMBR_A_UPLINK_IFINDEX,
	}, {
		.name = "ageing", .metavar = "SECONDS",
		.put = opt_put_u32, .type = VMBR_A_AGEING,
		.min = VMBR_AGEING_MIN, .max = VMBR_AGEING_MAX,
	}, {
		.name = "max-fdb", .metavar = "N",
		.put = opt_put_u32, .type = VMBR_A_MAX_FDB,
		.min = 1, .max = VMBR_MAX_FDB_MAX,
	}, {
		.name = "uplink-vlans", .metavar = "VIDLIST|none",
		.put = opt_put_vidlist_or_none, .type = VMBR_A_UPLINK_VLANS,
	}, {
		.name = "uplink-native", .metavar = "VID|none",
		.put = opt_put_u16_or_none, .type = VMBR_A_UPLINK_PVID,
		.min = VID_MIN, .max = VID_MAX,
	}, {
		.name = "host-vlan", .metavar = "VID",
		.put = opt_put_u16, .type = VMBR_A_HOST_PVID,
		.min = VID_MIN, .max = VID_MAX,
	}, {
		.name = "host-vlans", .metavar = "VIDLIST|none",
		.put = opt_put_vidlist_or_none, .type = VMBR_A_HOST_VLANS,
	}, {
		.name = "uplink-vni", .metavar = "VID:VNI[,VID:VNI...]|none",
		.put = opt_put_vni_map, .type = VMBR_A_UPLINK_VNIS,
	},
	{ .name = NULL },
};

/*
 * Creates the link, then applies the options with one VMBR_CMD_SET.  If
 * that fails the link goes again: nothing is half-applied.
 */
int cmd_add(const struct vmbr_opts *o, int argc, char **argv)
{
	struct nl *rtnl, *genl = NULL;
	struct nlmsghdr *set;
	const char *name;
	unsigned int given;
	uint32_t ifindex;
	union nl_req req;
	int err;

	(void)o;
	if (argc < 1)
		return usage_err("add: NAME expected");
	name = argv[0];
	err = check_new_name(name);
	if (err)
		return err;
	set = vmbr_msg(&req, VMBR_CMD_SET, NLM_F_ACK);
	err = opts_parse(set, link_add_opts, argc - 1, argv + 1, &given);
	if (err)
		return err;

	rtnl = nl_open(NETLINK_ROUTE);
	if (!rtnl)
		return EXIT_FAIL;
	if (rtnl_link_add(rtnl, name) < 0) {
		if (rtnl->err == EOPNOTSUPP)
			pr_err("%s (is the vmbridge module available?)",
			       rtnl->errmsg);
		else
			nl_perror(rtnl);
		err = EXIT_FAIL;
		goto out;
	}
	if (!given)
		goto out;

	err = dev_index(name, &ifindex);
	if (err)
		goto out;
	mnl_attr_put_u32(set, VMBR_A_IFINDEX, ifindex);
	genl = nl_open(NETLINK_GENERIC);
	if (!genl || vmbr_request(genl, set, NULL, NULL) < 0) {
		if (genl)
			nl_perror(genl);
		err = EXIT_FAIL;
		/* Nothing half-applied: the new vmbridge goes again. */
		if (rtnl_link_del(rtnl, ifindex) < 0)
			pr_err("%s was created but not configured, and cannot be deleted: %s",
			       name, rtnl->errmsg);
	}
out:
	nl_close(genl);
	nl_close(rtnl);
	return err;
}

/*
 * Checks that NAME is a vmbridge (the kernel says why not), then deletes
 * it, and stops its DHCP server.
 */
int cmd_del(const struct vmbr_opts *o, int argc, char **argv)
{
	struct nl *genl, *rtnl;
	struct nlmsghdr *nlh;
	uint32_t ifindex;
	union nl_req req;
	int err;

	(void)o;
	if (argc < 1)
		return usage_err("del: NAME expected");
	err = check_no_args(argc - 1, argv + 1);
	if (!err)
		err = dev_index(argv[0], &ifindex);
	if (err)
		return err;

	genl = nl_open(NETLINK_GENERIC);
	if (!genl)
		return EXIT_FAIL;
	nlh = vmbr_msg(&req, VMBR_CMD_GET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, ifindex);
	err = vmbr_request(genl, nlh, NULL, NULL);
	if (err)
		nl_perror(genl);
	nl_close(genl);
	if (err)
		return EXIT_FAIL;

	rtnl = nl_open(NETLINK_ROUTE);
	if (!rtnl)
		return EXIT_FAIL;
	err = rtnl_link_del(rtnl, ifindex);
	if (err)
		nl_perror(rtnl);
	nl_close(rtnl);
	if (err)
		return EXIT_FAIL;
	/* Its DHCP server would serve nothing any more. */
	dhcp_stop_if_running(argv[0]);
	return EXIT_OK;
}

int cmd_set(const struct vmbr_opts *o, int argc, char **argv)
{
	struct nlmsghdr *nlh;
	unsigned int given;
	uint32_t ifindex;
	union nl_req req;
	int err;

	(void)o;
	if (argc < 1)
		return usage_err("set: NAME expected");
	nlh = vmbr_msg(&req, VMBR_CMD_SET, NLM_F_ACK);
	err = opts_parse(nlh, link_set_opts, argc - 1, argv + 1, &given);
	if (err)
		return err;
	if (!given)
		return usage_err("set: nothing to change");
	err = dev_index(argv[0], &ifindex);
	if (err)
		return err;
	mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, ifindex);
	return vmbr_send(nlh);
}

/* show: the vmbridges first, then each one's ports. */

struct show_ctx {
	const struct vmbr_opts *o;
	json_t *vmbrs;
	json_t *ports;		/* of the vmbridge being filled */
	struct ifname_cache cache;
	struct nl *rtnl;	/* for the ports' qdiscs; opened if needed */
};

static int show_vmbr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct show_ctx *c = data;
	json_t *vmbr;

	vmbr = decode_vmbr(nlh, c->o->stats, &c->cache);
	if (!vmbr)
		return MNL_CB_ERROR;
	jpush(c->vmbrs, vmbr);
	return MNL_CB_OK;
}

static int show_port_cb(const struct nlmsghdr *nlh, void *data)
{
	struct show_ctx *c = data;
	json_t *port;

	port = decode_port_msg(nlh, c->o->stats, &c->cache);
	if (!port)
		return MNL_CB_ERROR;
	qdisc_rate_out_check(port, &c->rtnl);
	jpush(c->ports, port);
	return MNL_CB_OK;
}

/* 0, or -1 after printing why; 1 if @vmbr went away meanwhile. */
static int show_ports(struct nl *nl, struct show_ctx *c, json_t *vmbr,
		      bool listing)
{
	struct nlmsghdr *nlh;
	union nl_req req;

	c->ports = json_object_get(vmbr, "ports");
	nlh = vmbr_msg(&req, VMBR_CMD_PORT_GET, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, VMBR_A_IFINDEX,
			 json_integer_value(json_object_get(vmbr, "ifindex")));
	if (vmbr_request(nl, nlh, show_port_cb, c) == 0)
		return 0;
	if (listing && nl->err == ENODEV)
		return 1;
	nl_perror(nl);
	return -1;
}

int cmd_show(const struct vmbr_opts *o, int argc, char **argv)
{
	struct show_ctx c = { .o = o };
	struct out_list out = { .o = o, .print = print_vmbr };
	uint32_t ifindex = 0;
	struct nlmsghdr *nlh;
	int err = 0, ret = EXIT_FAIL;
	union nl_req req;
	struct nl *nl;
	json_t *vmbr;
	size_t i;

	err = argc > 0 ? check_no_args(argc - 1, argv + 1) : 0;
	if (!err && argc > 0)
		err = dev_index(argv[0], &ifindex);
	if (err)
		return err;
	nl = nl_open(NETLINK_GENERIC);
	if (!nl)
		return EXIT_FAIL;

	c.vmbrs = jarr();
	nlh = vmbr_msg(&req, VMBR_CMD_GET, ifindex ? NLM_F_ACK : NLM_F_DUMP);
	if (ifindex)
		mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, ifindex);
	if (vmbr_request(nl, nlh, show_vmbr_cb, &c) < 0) {
		nl_perror(nl);
		goto out;
	}
	json_array_foreach(c.vmbrs, i, vmbr) {
		err = show_ports(nl, &c, vmbr, !ifindex);
		if (err < 0)
			break;
		if (!err)
			out_list_add(&out, vmbr);
	}
	ret = out_list_finish(&out, err >= 0);
out:
	json_decref(c.vmbrs);
	nl_close(nl);
	nl_close(c.rtnl);
	return ret;
}
