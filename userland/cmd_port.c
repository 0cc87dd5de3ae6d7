// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr port add | set | del | show: the ports of a vmbridge.
 */
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/vmbridge.h>

#include "args.h"
#include "decode.h"
#include "ifname.h"
#include "ipaddr.h"
#include "json.h"
#include "mac.h"
#include "nl.h"
#include "output.h"
#include "qdisc.h"
#include "rate.h"
#include "cmd.h"
#include "vmbr.h"

/* "vlan VID": an access port, untagged in VLAN VID, nothing tagged. */
static int put_access(struct nlmsghdr *nlh, const struct opt *opt,
		      const char *arg)
{
	static const uint8_t none[VMBR_VLAN_BITMAP_LEN];
	int err;

	err = opt_put_u16(nlh, opt, arg);
	if (!err)
		mnl_attr_put(nlh, VMBR_PORT_A_VLANS, sizeof(none), none);
	return err;
}

/*
 * "lock-mac MAC[,MAC...]": the source MACs the port may use; "lock-mac off"
 * (an empty list) for any.
 */
static int put_lock_mac(struct nlmsghdr *nlh, const struct opt *opt,
			const char *arg)
{
	uint8_t macs[VMBR_LOCK_MAC_MAX * MAC_LEN];
	unsigned int count = 0;
	int err;

	if (strcmp(arg, "off")) {
		err = parse_mac_list(opt->name, arg, macs, VMBR_LOCK_MAC_MAX,
				     &count);
		if (err)
			return err;
	}
	mnl_attr_put(nlh, opt->type, count * MAC_LEN, macs);
	return 0;
}

/*
 * "lock-ip ADDR[,ADDR...]": the IPv4 and IPv6 addresses the port may use,
 * each 16 bytes (IPv4 as ::ffff:a.b.c.d); "lock-ip off" (an empty list)
 * for any.
 */
static int put_lock_ip(struct nlmsghdr *nlh, const struct opt *opt,
		       const char *arg)
{
	uint8_t addrs[VMBR_LOCK_IP_MAX * IP_LEN];
	unsigned int count = 0;
	int err;

	if (strcmp(arg, "off")) {
		err = parse_ip_list(opt->name, arg, addrs, VMBR_LOCK_IP_MAX,
				    &count);
		if (err)
			return err;
	}
	mnl_attr_put(nlh, opt->type, count * IP_LEN, addrs);
	return 0;
}

/*
 * Bandwidth.  A rate and its burst go to the kernel in one nest (enum
 * vmbr_rate_attr) but are two options, in either order: note_rate() and
 * note_burst() keep them in the command's struct port_rates, and
 * port_change() puts the nests once every option is parsed.
 */
struct port_rate {
	bool given;		/* the rate's option was: a nest to put */
	bool off;		/* "off": an empty nest, no limit */
	uint64_t bytes_ps;	/* else the rate; 0 is the kernel's to refuse */
	uint32_t burst;		/* 0: the kernel's default */
	const char *burst_name;	/* its option, if given */
};

struct port_rates {
	struct port_rate in;	/* VMBR_PORT_A_RATE_IN */
	struct port_rate out;	/* VMBR_PORT_A_RATE_OUT */
};

/* The rate of @ctx (a struct port_rates) that @opt's attribute names. */
static struct port_rate *rate_of(void *ctx, const struct opt *opt)
{
	struct port_rates *rates = ctx;

	return opt->type == VMBR_PORT_A_RATE_IN ? &rates->in : &rates->out;
}

/* "rate-in RATE|off", "rate-out RATE|off" */
static int note_rate(void *ctx, const struct opt *opt, const char *arg)
{
	struct port_rate *r = rate_of(ctx, opt);

	r->given = true;
	r->off = !strcmp(arg, "off");
	return r->off ? 0 : parse_rate(opt->name, arg, &r->bytes_ps);
}

/* "burst-in SIZE", "burst-out SIZE" */
static int note_burst(void *ctx, const struct opt *opt, const char *arg)
{
	struct port_rate *r = rate_of(ctx, opt);

	r->burst_name = opt->name;
	return parse_size(opt->name, arg, &r->burst);
}

/*
 * @r's nest, attribute @type, if its option was given.  opts_parse()
 * checked that a burst comes with its rate's option; it must also come
 * with a rate.
 */
static int put_rate(struct nlmsghdr *nlh, uint16_t type,
		    const struct port_rate *r)
{
	struct nlattr *nest;

	if (!r->given)
		return 0;
	if (r->off && r->burst_name)
		return usage_err("\"%s\" goes only with a rate, not with off",
				 r->burst_name);
	nest = mnl_attr_nest_start(nlh, type);
	if (!r->off) {
		mnl_attr_put_u64(nlh, VMBR_RATE_A_BYTES_PS, r->bytes_ps);
		if (r->burst)
			mnl_attr_put_u32(nlh, VMBR_RATE_A_BURST, r->burst);
	}
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

/*
 * Port options: put inside the VMBR_A_PORT nest, by "port add" and
 * "port set".  Each comes with its attribute in enum vmbr_port_attr.
 *
 * A port is an access port ("vlan VID": PVID VID, nothing tagged) or a
 * trunk ("trunk VIDLIST": those tagged, and "native VID" untagged; with
 * no native VLAN, PVID 0: see port_change()).
 *
 * The guards go with either, and with each other: "isolated on" (no
 * traffic to other isolated ports), "lock-mac" (the source MACs allowed),
 * "lock-ip" (the IPv4 and IPv6 addresses allowed, in IP, ARP and neighbour
 * discovery), "max-macs" (0: only the vmbridge's bound) and "bum-rate"
 * (0: no limit).
 *
 * So do the bandwidth limits, "rate-in" (what the guest sends, policed by
 * the vmbridge) and "rate-out" (what it receives, shaped by a qdisc on the
 * port device: qdisc.h), each with its burst; "off" for no limit.
 */
const struct opt port_opts[] = {
	{
		.name = "vlan", .metavar = "VID",
		.put = put_access, .type = VMBR_PORT_A_PVID,
		.min = VID_MIN, .max = VID_MAX,
	}, {
		.name = "trunk", .metavar = "VIDLIST", .alt = true,
		.put = opt_put_vidlist, .type = VMBR_PORT_A_VLANS,
	}, {
		.name = "native", .metavar = "VID", .sub = true,
		.put = opt_put_u16, .type = VMBR_PORT_A_PVID,
		.min = VID_MIN, .max = VID_MAX,
	}, {
		.name = "isolated", .metavar = "on|off",
		.put = opt_put_on_off, .type = VMBR_PORT_A_ISOLATED,
	}, {
		.name = "lock-mac", .metavar = "MAC[,MAC...]|off",
		.put = put_lock_mac, .type = VMBR_PORT_A_LOCK_MAC,
	}, {
		.name = "lock-ip", .metavar = "ADDR[,ADDR...]|off",
		.put = put_lock_ip, .type = VMBR_PORT_A_LOCK_IP,
	}, {
		.name = "max-macs", .metavar = "N",
		.put = opt_put_u32, .type = VMBR_PORT_A_MAX_MACS,
		.min = 0, .max = MAX_MACS_MAX,
	}, {
		.name = "bum-rate", .metavar = "PPS",
		.put = opt_put_u32, .type = VMBR_PORT_A_BUM_RATE,
		.min = 0, .max = BUM_RATE_MAX,
	}, {
		.name = "rate-in", .metavar = "RATE|off",
		.note = note_rate, .type = VMBR_PORT_A_RATE_IN,
	}, {
		.name = "burst-in", .metavar = "SIZE", .sub = true,
		.note = note_burst, .type = VMBR_PORT_A_RATE_IN,
	}, {
		.name = "rate-out", .metavar = "RATE|off",
		.note = note_rate, .type = VMBR_PORT_A_RATE_OUT,
	}, {
		.name = "burst-out", .metavar = "SIZE", .sub = true,
		.note = note_burst, .type = VMBR_PORT_A_RATE_OUT,
	},
	{ .name = NULL },
};

/*
 * NAME PORT [OPTIONS from @opts] into a request for @cmd, then sent.  The
 * options are checked before the devices are looked up.  A rate-out the
 * kernel took then gets its qdisc.
 */
static int port_change(uint8_t cmd, const struct opt *opts, int argc,
		       char **argv)
{
	struct port_rates rates = { .in.given = false, .out.given = false };
	uint32_t vmbr, port;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int given;
	union nl_req req;
	int err;

	if (argc < 2)
		return usage_err("NAME and PORT expected");

	nlh = vmbr_msg(&req, cmd, NLM_F_ACK);
	nest = mnl_attr_nest_start(nlh, VMBR_A_PORT);
	err = opts_parse_ctx(nlh, opts, argc - 2, argv + 2, &given, &rates);
	if (!err && cmd == VMBR_CMD_PORT_SET && !given)
		err = usage_err("port set: no port option given");
	/* A trunk without a native VLAN drops untagged frames. */
	if (!err && opts_given(argc - 2, argv + 2, "trunk") &&
	    !opts_given(argc - 2, argv + 2, "native"))
		mnl_attr_put_u16(nlh, VMBR_PORT_A_PVID, 0);
	if (!err)
		err = put_rate(nlh, VMBR_PORT_A_RATE_IN, &rates.in);
	if (!err)
		err = put_rate(nlh, VMBR_PORT_A_RATE_OUT, &rates.out);
	if (!err)
		err = dev_index(argv[0], &vmbr);
	if (!err)
		err = dev_index(argv[1], &port);
	if (err)
		return err;
	mnl_attr_put_u32(nlh, VMBR_PORT_A_IFINDEX, port);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, vmbr);
	err = vmbr_send(nlh);
	if (!err && rates.out.bytes_ps)
		err = qdisc_rate_out_install(vmbr, port);
	return err;
}

int cmd_port_add(const struct vmbr_opts *o, int argc, char **argv)
{
	(void)o;
	return port_change(VMBR_CMD_PORT_ADD, port_opts, argc, argv);
}

int cmd_port_set(const struct vmbr_opts *o, int argc, char **argv)
{
	(void)o;
	return port_change(VMBR_CMD_PORT_SET, port_opts, argc, argv);
}

int cmd_port_del(const struct vmbr_opts *o, int argc, char **argv)
{
	(void)o;
	return port_change(VMBR_CMD_PORT_DEL, NULL, argc, argv);
}

struct port_show_ctx {
	struct out_list out;
	struct ifname_cache cache;
	struct nl *rtnl;	/* for the qdiscs; opened if needed */
};

static int port_show_cb(const struct nlmsghdr *nlh, void *data)
{
	struct port_show_ctx *c = data;
	json_t *port;

	port = decode_port_msg(nlh, c->out.o->stats, &c->cache);
	if (!port)
		return MNL_CB_ERROR;
	qdisc_rate_out_check(port, &c->rtnl);
	out_list_add(&c->out, port);
	json_decref(port);
	return MNL_CB_OK;
}

int cmd_port_show(const struct vmbr_opts *o, int argc, char **argv)
{
	struct port_show_ctx c = { .out = { .o = o, .print = print_port } };
	uint32_t vmbr, port = 0;
	struct nlmsghdr *nlh;
	union nl_req req;
	struct nl *nl;
	int err;

	if (argc < 1)
		return usage_err("port show: NAME expected");
	err = check_no_args(argc - 2, argv + 2);
	if (!err)
		err = dev_index(argv[0], &vmbr);
	if (!err && argc > 1)
		err = dev_index(argv[1], &port);
	if (err)
		return err;

	nlh = vmbr_msg(&req, VMBR_CMD_PORT_GET, port ? NLM_F_ACK : NLM_F_DUMP);
	mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, vmbr);
	if (port) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, VMBR_A_PORT);

		mnl_attr_put_u32(nlh, VMBR_PORT_A_IFINDEX, port);
		mnl_attr_nest_end(nlh, nest);
	}
	nl = nl_open(NETLINK_GENERIC);
	if (!nl)
		return EXIT_FAIL;
	err = vmbr_request(nl, nlh, port_show_cb, &c);
	if (err)
		nl_perror(nl);
	nl_close(nl);
	nl_close(c.rtnl);
	return out_list_finish(&c.out, !err);
}
