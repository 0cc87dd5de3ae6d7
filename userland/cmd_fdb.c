// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr fdb show | add | del | flush: the forwarding database.
 */
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/vmbridge.h>

#include "args.h"
#include "decode.h"
#include "ifname.h"
#include "json.h"
#include "mac.h"
#include "nl.h"
#include "output.h"
#include "cmd.h"
#include "vmbr.h"

/* Options inside the VMBR_A_FDB nest. */
const struct opt fdb_add_opts[] = {
	{
		.name = "port", .metavar = "PORT", .required = true,
		.put = opt_put_dev, .type = VMBR_FDB_A_PORT_IFINDEX,
	}, {
		.name = "vlan", .metavar = "VID",
		.put = opt_put_u16, .type = VMBR_FDB_A_VID,
		.min = VID_MIN, .max = VID_MAX,
	},
	{ .name = NULL },
};

const struct opt fdb_del_opts[] = {
	{
		.name = "vlan", .metavar = "VID",
		.put = opt_put_u16, .type = VMBR_FDB_A_VID,
		.min = VID_MIN, .max = VID_MAX,
	},
	{ .name = NULL },
};

/* Options at the top level of the request. */
const struct opt fdb_flush_opts[] = {
	{
		.name = "port", .metavar = "PORT",
		.put = opt_put_port,
	},
	{ .name = NULL },
};

struct fdb_show_ctx {
	struct out_list out;
	struct ifname_cache cache;
};

static int fdb_show_cb(const struct nlmsghdr *nlh, void *data)
{
	struct fdb_show_ctx *c = data;
	json_t *fdb;

	fdb = decode_fdb_msg(nlh, &c->cache);
	if (!fdb)
		return MNL_CB_ERROR;
	out_list_add(&c->out, fdb);
	json_decref(fdb);
	return MNL_CB_OK;
}

/* Streams the dump: a large FDB is never held in memory. */
int cmd_fdb_show(const struct vmbr_opts *o, int argc, char **argv)
{
	struct fdb_show_ctx c = { .out = { .o = o, .print = print_fdb } };
	struct nlmsghdr *nlh;
	union nl_req req;
	uint32_t vmbr;
	struct nl *nl;
	int err;

	if (argc < 1)
		return usage_err("fdb show: NAME expected");
	err = check_no_args(argc - 1, argv + 1);
	if (!err)
		err = dev_index(argv[0], &vmbr);
	if (err)
		return err;

	nlh = vmbr_msg(&req, VMBR_CMD_FDB_GET, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, vmbr);
	nl = nl_open(NETLINK_GENERIC);
	if (!nl)
		return EXIT_FAIL;
	err = vmbr_request(nl, nlh, fdb_show_cb, &c);
	if (err)
		nl_perror(nl);
	nl_close(nl);
	return out_list_finish(&c.out, !err);
}

/*
 * NAME MAC [OPTIONS] into a request for @cmd, then sent.  Attributes may
 * come in any order: the arguments are checked before NAME is looked up.
 */
static int fdb_change(uint8_t cmd, const struct opt *opts, bool is_static,
		      int argc, char **argv)
{
	uint8_t mac[MAC_LEN];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	union nl_req req;
	uint32_t vmbr;
	int err;

	if (argc < 2)
		return usage_err("NAME and MAC expected");
	err = parse_mac(argv[1], mac);
	if (err)
		return err;

	nlh = vmbr_msg(&req, cmd, NLM_F_ACK);
	nest = mnl_attr_nest_start(nlh, VMBR_A_FDB);
	mnl_attr_put(nlh, VMBR_FDB_A_MAC, sizeof(mac), mac);
	if (is_static)
		mnl_attr_put(nlh, VMBR_FDB_A_STATIC, 0, NULL);
	err = opts_parse(nlh, opts, argc - 2, argv + 2, NULL);
	if (err)
		return err;
	mnl_attr_nest_end(nlh, nest);
	err = dev_index(argv[0], &vmbr);
	if (err)
		return err;
	mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, vmbr);
	return vmbr_send(nlh);
}

int cmd_fdb_add(const struct vmbr_opts *o, int argc, char **argv)
{
	(void)o;
	return fdb_change(VMBR_CMD_FDB_ADD, fdb_add_opts, true, argc, argv);
}

int cmd_fdb_del(const struct vmbr_opts *o, int argc, char **argv)
{
	(void)o;
	return fdb_change(VMBR_CMD_FDB_DEL, fdb_del_opts, false, argc, argv);
}

int cmd_fdb_flush(const struct vmbr_opts *o, int argc, char **argv)
{
	struct nlmsghdr *nlh;
	union nl_req req;
	uint32_t vmbr;
	int err;

	(void)o;
	if (argc < 1)
		return usage_err("fdb flush: NAME expected");
	nlh = vmbr_msg(&req, VMBR_CMD_FDB_FLUSH, NLM_F_ACK);
	err = opts_parse(nlh, fdb_flush_opts, argc - 1, argv + 1, NULL);
	if (!err)
		err = dev_index(argv[0], &vmbr);
	if (err)
		return err;
	mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, vmbr);
	return vmbr_send(nlh);
}
