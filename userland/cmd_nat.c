// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr nat show | set | forward add | forward del | forward show | flush:
 * the NAT of a vmbridge in nat mode, its settings, its sessions and its
 * port forwards.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/vmbridge.h>

#include "args.h"
#include "decode.h"
#include "endpoint.h"
#include "ifname.h"
#include "json.h"
#include "names.h"
#include "nl.h"
#include "output.h"
#include "cmd.h"
#include "vmbr.h"

/* "ports LOW-HIGH": VMBR_NAT_A_PORT_MIN and VMBR_NAT_A_PORT_MAX. */
static int put_ports(struct nlmsghdr *nlh, const struct opt *opt,
		     const char *arg)
{
	uint16_t low, high;
	int err;

	err = parse_port_range(opt->name, arg, &low, &high);
	if (err)
		return err;
	mnl_attr_put_u16(nlh, VMBR_NAT_A_PORT_MIN, low);
	mnl_attr_put_u16(nlh, VMBR_NAT_A_PORT_MAX, high);
	return 0;
}

/* "filtering MODE": u8 enum vmbr_nat_filtering. */
static int put_filtering(struct nlmsghdr *nlh, const struct opt *opt,
			 const char *arg)
{
	int filtering = name_lookup(&nat_filter_names, arg);

	if (filtering < 0) {
		char list[128];

		return usage_err("invalid %s \"%s\": expected %s", opt->name,
				 arg, name_list(&nat_filter_names, list,
						sizeof(list)));
	}
	mnl_attr_put_u8(nlh, opt->type, filtering);
	return 0;
}

/* A NAT timeout, seconds. */
#define NAT_TIMEOUT(opt_name, attr)					\
	{								\
		.name = opt_name, .metavar = "S",			\
		.put = opt_put_u32, .type = attr,			\
		.min = 1, .max = VMBR_NAT_TIMEOUT_MAX,			\
	}

/*
 * Options inside the VMBR_A_NAT nest.  The filtering modes are those of
 * nat_filter_names (names.c).
 */
const struct opt nat_set_opts[] = {
	{
		.name = "ports", .metavar = "LOW-HIGH",
		.put = put_ports,
	}, {
		.name = "max-sessions", .metavar = "N",
		.put = opt_put_u32, .type = VMBR_NAT_A_MAX_SESSIONS,
		.min = 1, .max = VMBR_NAT_MAX_SESSIONS_MAX,
	}, {
		.name = "max-sessions-per-guest", .metavar = "N",
		.put = opt_put_u32, .type = VMBR_NAT_A_MAX_SESSIONS_PER_GUEST,
		.min = 1, .max = VMBR_NAT_MAX_SESSIONS_MAX,
	},
	NAT_TIMEOUT("timeout-udp", VMBR_NAT_A_TIMEOUT_UDP),
	NAT_TIMEOUT("timeout-tcp-est", VMBR_NAT_A_TIMEOUT_TCP_EST),
	NAT_TIMEOUT("timeout-tcp-trans", VMBR_NAT_A_TIMEOUT_TCP_TRANS),
	NAT_TIMEOUT("timeout-icmp", VMBR_NAT_A_TIMEOUT_ICMP),
	{
		.name = "filtering",
		.metavar = "endpoint-independent|address-dependent|address-and-port-dependent",
		.put = put_filtering, .type = VMBR_NAT_A_FILTERING,
	},
	{ .name = NULL },
};

/*
 * "to ADDR[:PORT]": VMBR_NAT_FWD_A_INT_ADDR and, if a port is given,
 * VMBR_NAT_FWD_A_INT_PORT (the kernel's default: the external port).
 */
static int put_fwd_to(struct nlmsghdr *nlh, const struct opt *opt,
		      const char *arg)
{
	uint32_t addr;
	uint16_t port;
	int err;

	err = parse_guest_endpoint(opt->name, arg, &addr, &port);
	if (err)
		return err;
	mnl_attr_put(nlh, VMBR_NAT_FWD_A_INT_ADDR, sizeof(addr), &addr);
	if (port)
		mnl_attr_put_u16(nlh, VMBR_NAT_FWD_A_INT_PORT, port);
	return 0;
}

/* Options inside the VMBR_A_NAT_FWD nest, after PROTO and PORT. */
const struct opt nat_fwd_add_opts[] = {
	{
		.name = "to", .metavar = "ADDR[:PORT]", .required = true,
		.put = put_fwd_to,
	},
	{ .name = NULL },
};

/* NAME alone: its ifindex. */
static int name_only(const char *cmd, int argc, char **argv,
		     uint32_t *vmbr)
{
	int err;

	if (argc < 1)
		return usage_err("%s: NAME expected", cmd);
	err = check_no_args(argc - 1, argv + 1);
	if (!err)
		err = dev_index(argv[0], vmbr);
	return err;
}

int cmd_nat_set(const struct vmbr_opts *o, int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int given;
	uint32_t vmbr;
	union nl_req req;
	int err;

	(void)o;
	if (argc < 1)
		return usage_err("nat set: NAME expected");
	nlh = vmbr_msg(&req, VMBR_CMD_NAT_SET, NLM_F_ACK);
	nest = mnl_attr_nest_start(nlh, VMBR_A_NAT);
	err = opts_parse(nlh, nat_set_opts, argc - 1, argv + 1, &given);
	if (err)
		return err;
	if (!given)
		return usage_err("nat set: nothing to change");
	mnl_attr_nest_end(nlh, nest);
	err = dev_index(argv[0], &vmbr);
	if (err)
		return err;
	mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, vmbr);
	return vmbr_send(nlh);
}

int cmd_nat_flush(const struct vmbr_opts *o, int argc, char **argv)
{
	struct nlmsghdr *nlh;
	union nl_req req;
	uint32_t vmbr;
	int err;

	(void)o;
	err = name_only("nat flush", argc, argv, &vmbr);
	if (err)
		return err;
	nlh = vmbr_msg(&req, VMBR_CMD_NAT_FLUSH, NLM_F_ACK);
	mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, vmbr);
	return vmbr_send(nlh);
}

/* "tcp" or "udp": the protocols a port forward can have. */
static int parse_fwd_proto(const char *s, uint8_t *proto)
{
	int p = name_lookup(&proto_names, s);

	if (p != IPPROTO_TCP && p != IPPROTO_UDP)
		return usage_err("invalid protocol \"%s\": expected tcp or udp",
				 s);
	*proto = p;
	return 0;
}

/*
 * NAME tcp|udp PORT [OPTIONS from @opts] into a request for @cmd, then
 * sent.  The arguments are checked before NAME is looked up.
 */
static int fwd_change(uint8_t cmd, const struct opt *opts, int argc,
		      char **argv)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	union nl_req req;
	uint32_t vmbr;
	uint16_t port = 0;
	uint8_t proto = 0;
	int err;

	if (argc < 3)
		return usage_err("NAME, tcp|udp and PORT expected");
	err = parse_fwd_proto(argv[1], &proto);
	if (!err)
		err = parse_port("port", argv[2], &port);
	if (err)
		return err;

	nlh = vmbr_msg(&req, cmd, NLM_F_ACK);
	nest = mnl_attr_nest_start(nlh, VMBR_A_NAT_FWD);
	mnl_attr_put_u8(nlh, VMBR_NAT_FWD_A_PROTO, proto);
	mnl_attr_put_u16(nlh, VMBR_NAT_FWD_A_EXT_PORT, port);
	err = opts_parse(nlh, opts, argc - 3, argv + 3, NULL);
	if (err)
		return err;
	mnl_attr_nest_end(nlh, nest);
	err = dev_index(argv[0], &vmbr);
	if (err)
		return err;
	mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, vmbr);
	return vmbr_send(nlh);
}

int cmd_nat_fwd_add(const struct vmbr_opts *o, int argc, char **argv)
{
	(void)o;
	return fwd_change(VMBR_CMD_NAT_FWD_ADD, nat_fwd_add_opts, argc, argv);
}

int cmd_nat_fwd_del(const struct vmbr_opts *o, int argc, char **argv)
{
	(void)o;
	return fwd_change(VMBR_CMD_NAT_FWD_DEL, NULL, argc, argv);
}

/* Shows: a list streamed from a dump, after an object perhaps. */

struct nat_show_ctx {
	struct out_list out;
	json_t *nat;			/* VMBR_CMD_NAT_GET's answer */
	struct ifname_cache cache;
};

static int nat_get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nat_show_ctx *c = data;

	if (c->nat)
		return MNL_CB_OK;	/* a doit answers once */
	c->nat = decode_nat_msg(nlh, c->out.o->stats, &c->cache);
	return c->nat ? MNL_CB_OK : MNL_CB_ERROR;
}

static int nat_session_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nat_show_ctx *c = data;
	json_t *session;

	session = decode_nat_session_msg(nlh);
	if (!session)
		return MNL_CB_ERROR;
	out_list_add(&c->out, session);
	json_decref(session);
	return MNL_CB_OK;
}

static int nat_fwd_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nat_show_ctx *c = data;
	json_t *fwd;

	fwd = decode_nat_fwd_msg(nlh);
	if (!fwd)
		return MNL_CB_ERROR;
	out_list_add(&c->out, fwd);
	json_decref(fwd);
	return MNL_CB_OK;
}

/*
 * The settings (and counters) first, then the sessions, streamed: a large
 * session table is never held in memory.
 */
int cmd_nat_show(const struct vmbr_opts *o, int argc, char **argv)
{
	struct nat_show_ctx c = {
		.out = { .o = o, .print = print_nat_session },
	};
	struct nlmsghdr *nlh;
	union nl_req req;
	uint32_t vmbr;
	struct nl *nl;
	int err;

	err = name_only("nat show", argc, argv, &vmbr);
	if (err)
		return err;
	nl = nl_open(NETLINK_GENERIC);
	if (!nl)
		return EXIT_FAIL;

	nlh = vmbr_msg(&req, VMBR_CMD_NAT_GET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, vmbr);
	if (vmbr_request(nl, nlh, nat_get_cb, &c) < 0) {
		nl_perror(nl);
		err = EXIT_FAIL;
		goto out;
	}
	if (!c.nat) {
		pr_err("bad answer from the kernel: no NAT settings");
		err = EXIT_FAIL;
		goto out;
	}
	if (!json_is_string(json_object_get(c.nat, "ifname")))
		jset(c.nat, "ifname", jstr(argv[0]));
	out_list_start_in(&c.out, c.nat, "session_list", print_nat);

	nlh = vmbr_msg(&req, VMBR_CMD_NAT_SESSION_GET, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, vmbr);
	err = vmbr_request(nl, nlh, nat_session_cb, &c);
	if (err && nl->err == EPERM)
		pr_err("the sessions are CAP_NET_ADMIN's to read (the settings and counters are anyone's)");
	else if (err)
		nl_perror(nl);
	err = out_list_finish(&c.out, !err);
out:
	json_decref(c.nat);
	nl_close(nl);
	return err;
}

int cmd_nat_fwd_show(const struct vmbr_opts *o, int argc, char **argv)
{
	struct nat_show_ctx c = { .out = { .o = o, .print = print_nat_fwd } };
	struct nlmsghdr *nlh;
	union nl_req req;
	uint32_t vmbr;
	struct nl *nl;
	int err;

	err = name_only("nat forward show", argc, argv, &vmbr);
	if (err)
		return err;
	nlh = vmbr_msg(&req, VMBR_CMD_NAT_FWD_GET, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, vmbr);
	nl = nl_open(NETLINK_GENERIC);
	if (!nl)
		return EXIT_FAIL;
	err = vmbr_request(nl, nlh, nat_fwd_cb, &c);
	if (err)
		nl_perror(nl);
	nl_close(nl);
	return out_list_finish(&c.out, !err);
}
