// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr: the root qdisc rate-out puts on a port device, over rtnetlink, as
 *   tc qdisc replace dev PORT root handle 7662: tbf rate RATE burst BURST \
 *      limit LIMIT
 *   tc qdisc replace dev PORT parent 7662:1 fq_codel
 * would.  Replacing makes the qdisc the first time and changes its rate
 * and burst the next; the fq_codel is then there already and stays.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/vmbridge.h>

#include "decode.h"
#include "ifname.h"
#include "json.h"
#include "nl.h"
#include "qdisc.h"
#include "vmbr.h"

/* rate-out's qdisc, the class its fq_codel hangs from, and that. */
#define TBF_KIND	"tbf"
#define TBF_CLASS	TC_H_MAKE(VMBR_RATE_OUT_HANDLE, 1)
#define FQ_CODEL_KIND	"fq_codel"

/* What tbf queues before the fq_codel is there: 100 ms past the burst. */
#define TBF_QUEUE_DIV	10

static struct nlmsghdr *qdisc_msg(union nl_req *req, uint16_t type,
				  uint16_t flags, uint32_t ifindex,
				  uint32_t parent, uint32_t handle)
{
	struct nlmsghdr *nlh = nl_msg(req, type, flags);
	struct tcmsg *tcm;

	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = ifindex;
	tcm->tcm_parent = parent;
	tcm->tcm_handle = handle;
	return nlh;
}

/*
 * The tbf at the root of @ifindex.  Its rate is in bytes a second, in 32
 * bits and, beyond them, in 64; the kernel computes its own rate table
 * for an Ethernet link layer.  The burst is given in bytes (no buffer in
 * ticks), and there is no peak rate.
 */
static int put_tbf(struct nl *rtnl, uint32_t ifindex, uint64_t bytes_ps,
		   uint32_t burst)
{
	uint64_t limit = burst + bytes_ps / TBF_QUEUE_DIV;
	struct tc_tbf_qopt qopt;
	struct nlmsghdr *nlh;
	struct nlattr *opts;
	union nl_req req;

	memset(&qopt, 0, sizeof(qopt));
	qopt.rate.rate = bytes_ps < UINT32_MAX ? bytes_ps : UINT32_MAX;
	qopt.rate.linklayer = TC_LINKLAYER_ETHERNET;
	qopt.limit = limit < UINT32_MAX ? limit : UINT32_MAX;

	nlh = qdisc_msg(&req, RTM_NEWQDISC,
			NLM_F_CREATE | NLM_F_REPLACE | NLM_F_ACK, ifindex,
			TC_H_ROOT, VMBR_RATE_OUT_HANDLE);
	mnl_attr_put_strz(nlh, TCA_KIND, TBF_KIND);
	opts = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	mnl_attr_put(nlh, TCA_TBF_PARMS, sizeof(qopt), &qopt);
	if (bytes_ps > UINT32_MAX)
		mnl_attr_put_u64(nlh, TCA_TBF_RATE64, bytes_ps);
	mnl_attr_put_u32(nlh, TCA_TBF_BURST, burst);
	mnl_attr_nest_end(nlh, opts);
	return nl_request(rtnl, nlh, NULL, NULL);
}

/*
 * The fq_codel under the tbf, in place of the bfifo tbf starts with; the
 * kernel picks its handle.  With its defaults: it only sorts and paces
 * what the tbf lets through.
 */
static int put_fq_codel(struct nl *rtnl, uint32_t ifindex)
{
	struct nlmsghdr *nlh;
	union nl_req req;

	nlh = qdisc_msg(&req, RTM_NEWQDISC,
			NLM_F_CREATE | NLM_F_REPLACE | NLM_F_ACK, ifindex,
			TBF_CLASS, 0);
	mnl_attr_put_strz(nlh, TCA_KIND, FQ_CODEL_KIND);
	return nl_request(rtnl, nlh, NULL, NULL);
}

/* Installing. */

/* A port's rate-out as the vmbridge has it. */
struct rate_out {
	bool known;		/* the kernel sent it */
	uint64_t bytes_ps;	/* 0: none */
	uint32_t burst;		/* the burst in use, the default resolved */
};

static int rate_out_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rate_out *r = data;
	json_t *port, *rate;

	port = decode_port_msg(nlh, false, NULL);
	if (!port)
		return MNL_CB_ERROR;
	rate = json_object_get(port, "rate_out");
	r->known = rate != NULL;
	r->bytes_ps = json_integer_value(rate) / 8;
	r->burst = json_integer_value(json_object_get(port, "burst_out"));
	json_decref(port);
	return MNL_CB_OK;
}

/* Port @port's rate-out, read back from vmbridge @vmbr. */
static int rate_out_read(struct nl *nl, uint32_t vmbr, uint32_t port,
			 struct rate_out *r)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	union nl_req req;

	nlh = vmbr_msg(&req, VMBR_CMD_PORT_GET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, vmbr);
	nest = mnl_attr_nest_start(nlh, VMBR_A_PORT);
	mnl_attr_put_u32(nlh, VMBR_PORT_A_IFINDEX, port);
	mnl_attr_nest_end(nlh, nest);
	return vmbr_request(nl, nlh, rate_out_cb, r);
}

/*
 * "rate-out off" for port @port: an empty nest.  The vmbridge takes off
 * the part of the qdisc that may be there, if it is still its own.
 */
static int rate_out_off(struct nl *nl, uint32_t vmbr, uint32_t port)
{
	struct nlattr *nest, *rate;
	struct nlmsghdr *nlh;
	union nl_req req;

	nlh = vmbr_msg(&req, VMBR_CMD_PORT_SET, NLM_F_ACK);
	nest = mnl_attr_nest_start(nlh, VMBR_A_PORT);
	mnl_attr_put_u32(nlh, VMBR_PORT_A_IFINDEX, port);
	rate = mnl_attr_nest_start(nlh, VMBR_PORT_A_RATE_OUT);
	mnl_attr_nest_end(nlh, rate);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, vmbr);
	return vmbr_request(nl, nlh, NULL, NULL);
}

/* The qdisc for @r on @port; -1 after saying why not. */
static int rate_out_shape(uint32_t port, const char *name,
			  const struct rate_out *r)
{
	struct nl *rtnl = nl_open(NETLINK_ROUTE);
	const char *kind = TBF_KIND;
	int err = -1;

	if (!rtnl)
		return -1;
	if (put_tbf(rtnl, port, r->bytes_ps, r->burst) == 0) {
		kind = FQ_CODEL_KIND;
		err = put_fq_codel(rtnl, port);
	}
	if (err)
		pr_err("rate-out: no %s qdisc on %s: %s", kind, name,
		       rtnl->errmsg);
	nl_close(rtnl);
	return err;
}

int qdisc_rate_out_install(uint32_t vmbr, uint32_t port)
{
	struct nl *nl = nl_open(NETLINK_GENERIC);
	char name[IFNAME_BUFSIZ];
	struct rate_out r = { .known = false };
	int ret = EXIT_FAIL;

	if (!nl)
		return EXIT_FAIL;
	dev_name(NULL, port, name);
	if (rate_out_read(nl, vmbr, port, &r) < 0) {
		pr_err("rate-out: cannot read %s's limit back: %s", name,
		       nl->errmsg);
	} else if (!r.known) {
		/* A module that ignored it kept nothing to take back. */
		pr_err("rate-out: this vmbridge module has no rate limits");
		goto out;
	} else if (!r.bytes_ps || rate_out_shape(port, name, &r) == 0) {
		ret = EXIT_OK;	/* shaped, or set off again meanwhile */
		goto out;
	}
	/* Nothing shapes the port: no limit may stay that says it does. */
	if (rate_out_off(nl, vmbr, port) < 0)
		pr_err("rate-out of %s is set but shapes nothing, and could not be set off: %s",
		       name, nl->errmsg);
	else
		pr_err("rate-out of %s set off again", name);
out:
	nl_close(nl);
	return ret;
}

/* Checking. */

struct root_ctx {
	uint32_t ifindex;
	int ours;
};

static int root_cb(const struct nlmsghdr *nlh, void *data)
{
	static const struct nl_policy policy[TCA_MAX + 1] = {
		[TCA_KIND]	= NLP(MNL_TYPE_NUL_STRING),
	};
	const struct tcmsg *tcm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[TCA_MAX + 1];
	struct root_ctx *c = data;

	if (nl_parse(nlh, sizeof(*tcm), policy, TCA_MAX, tb) < 0)
		return MNL_CB_ERROR;
	if ((uint32_t)tcm->tcm_ifindex != c->ifindex ||
	    tcm->tcm_parent != TC_H_ROOT)
		return MNL_CB_OK;
	c->ours = tcm->tcm_handle == VMBR_RATE_OUT_HANDLE && tb[TCA_KIND] &&
		  !strcmp(mnl_attr_get_str(tb[TCA_KIND]), TBF_KIND);
	return MNL_CB_OK;
}

/*
 * Whether @ifindex's root qdisc is rate-out's tbf: 1 or 0, or -1 if the
 * qdiscs could not be read.  A dump, filtered here: older kernels answer
 * a get of one qdisc only to the multicast group.  A device whose root is
 * a built-in qdisc (noqueue) has no root in the dump.
 */
static int rate_out_present(struct nl *rtnl, uint32_t ifindex)
{
	struct root_ctx c = { .ifindex = ifindex, .ours = 0 };
	struct nlmsghdr *nlh;
	union nl_req req;

	nlh = qdisc_msg(&req, RTM_GETQDISC, NLM_F_DUMP, ifindex, 0, 0);
	if (nl_request(rtnl, nlh, root_cb, &c) < 0)
		return -1;
	return c.ours;
}

void qdisc_rate_out_check(json_t *port, struct nl **rtnl)
{
	json_t *ifindex = json_object_get(port, "ifindex");
	int present;

	if (!json_integer_value(json_object_get(port, "rate_out")) ||
	    !json_is_integer(ifindex))
		return;
	if (!*rtnl)
		*rtnl = nl_open(NETLINK_ROUTE);
	if (!*rtnl)
		return;
	present = rate_out_present(*rtnl, json_integer_value(ifindex));
	if (present < 0)
		pr_warn("%s: cannot read its qdiscs: %s",
			json_string_value(json_object_get(port, "ifname")) ?:
			"?", (*rtnl)->errmsg);
	else
		jset(port, "rate_out_qdisc", json_boolean(present));
}
