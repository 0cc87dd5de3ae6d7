// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr: netlink sockets, requests, acks, dumps and extended acks, and the
 * resolution of the vmbridge generic netlink family.
 *
 * Every request asks for an ack (or is a dump), so the answer always ends
 * with an NLMSG_ERROR or NLMSG_DONE message; both may carry the kernel's
 * extended ack (NETLINK_EXT_ACK), whose message is what the user sees.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vmbridge.h>

#include "nl.h"
#include "vmbr.h"

/* The kernel's dump messages are at most 32 KiB (netlink_dump()). */
#define NL_RECV_SIZE	32768

/* Socket buffer for monitor: room for a burst of learning events. */
#define NL_EVENTS_RCVBUF (1 << 20)

/* One request in flight: where its messages go. */
struct talk {
	struct nl *nl;
	mnl_cb_t cb;
	void *data;
};

static void set_err(struct nl *nl, int err, const char *msg)
{
	nl->err = err;
	snprintf(nl->errmsg, sizeof(nl->errmsg), "%s",
		 msg && *msg ? msg : strerror(err));
}

struct nl *nl_open(int bus)
{
	struct nl *nl;
	int one = 1;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		die_oom();
	nl->buflen = NL_RECV_SIZE;
	nl->buf = malloc(nl->buflen);
	if (!nl->buf)
		die_oom();

	nl->sock = mnl_socket_open(bus);
	if (!nl->sock) {
		pr_err("cannot open a netlink socket: %s", strerror(errno));
		goto err;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		pr_err("cannot bind a netlink socket: %s", strerror(errno));
		goto err;
	}
	/* Kernels before 4.12 have neither: errno alone then. */
	if (mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one,
				  sizeof(one)) < 0 && errno != ENOPROTOOPT) {
		pr_err("cannot ask for extended acks: %s", strerror(errno));
		goto err;
	}
	if (mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one,
				  sizeof(one)) < 0 && errno != ENOPROTOOPT) {
		pr_err("cannot ask for capped acks: %s", strerror(errno));
		goto err;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = time(NULL);
	return nl;
err:
	nl_close(nl);
	return NULL;
}

void nl_close(struct nl *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	free(nl);
}

struct nlmsghdr *nl_msg(union nl_req *req, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	/* libmnl before 1.0.5 leaves attribute padding uninitialised. */
	memset(req, 0, sizeof(*req));
	nlh = mnl_nlmsg_put_header(req->buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}

static struct nlmsghdr *genl_msg(union nl_req *req, uint16_t type,
				 uint8_t cmd, uint8_t version,
				 uint16_t flags)
{
	struct nlmsghdr *nlh = nl_msg(req, type, flags);
	struct genlmsghdr *genl;

	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

struct nlmsghdr *vmbr_msg(union nl_req *req, uint8_t cmd, uint16_t flags)
{
	/* The type is the family id, known when the request is sent. */
	return genl_msg(req, 0, cmd, VMBR_GENL_VERSION, flags);
}

int genl_cmd(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN) {
		errno = EBADMSG;
		return -1;
	}
	return genl->cmd;
}

/* Attribute validation. */

struct parse_ctx {
	const struct nl_policy *policy;
	unsigned int max;
	const struct nlattr **tb;
};

static int parse_attr(const struct nlattr *attr, void *data)
{
	const struct parse_ctx *p = data;
	unsigned int type = mnl_attr_get_type(attr);
	const struct nl_policy *pol;
	int ret;

	if (type > p->max)
		return MNL_CB_OK;
	pol = &p->policy[type];
	if (pol->type == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (pol->len)
		ret = mnl_attr_validate2(attr, pol->type, pol->len);
	else
		ret = mnl_attr_validate(attr, pol->type);
	if (ret < 0)
		return MNL_CB_ERROR;
	p->tb[type] = attr;
	return MNL_CB_OK;
}

int nl_parse(const struct nlmsghdr *nlh, size_t offset,
	     const struct nl_policy *policy, unsigned int max,
	     const struct nlattr **tb)
{
	struct parse_ctx p = { .policy = policy, .max = max, .tb = tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_nlmsg_get_payload_len(nlh) < offset) {
		errno = EBADMSG;
		return -1;
	}
	return mnl_attr_parse(nlh, offset, parse_attr, &p) < 0 ? -1 : 0;
}

int nl_parse_nested(const struct nlattr *nest,
		    const struct nl_policy *policy, unsigned int max,
		    const struct nlattr **tb)
{
	struct parse_ctx p = { .policy = policy, .max = max, .tb = tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	return mnl_attr_parse_nested(nest, parse_attr, &p) < 0 ? -1 : 0;
}

/* Acks. */

/*
 * The end of an answer: @error (0 or -errno) and the extended ack TLVs
 * found @offset bytes into @nlh's payload.  A message on success is a
 * warning from the kernel.
 */
static int ack_status(struct nl *nl, const struct nlmsghdr *nlh, int error,
		      size_t offset)
{
	static const struct nl_policy policy[NLMSGERR_ATTR_MAX + 1] = {
		[NLMSGERR_ATTR_MSG]		= NLP(MNL_TYPE_NUL_STRING),
		[NLMSGERR_ATTR_MISS_TYPE]	= NLP(MNL_TYPE_U32),
	};
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };
	char buf[sizeof(nl->errmsg)];
	const char *msg = NULL;

	if (error > 0)
		error = -error;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    nl_parse(nlh, offset, policy, NLMSGERR_ATTR_MAX, tb) == 0) {
		if (tb[NLMSGERR_ATTR_MSG])
			msg = mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]);
		if ((!msg || !*msg) && error &&
		    tb[NLMSGERR_ATTR_MISS_TYPE]) {
			snprintf(buf, sizeof(buf), "%s (attribute %u missing)",
				 strerror(-error),
				 mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]));
			msg = buf;
		}
	}
	if (!error) {
		if (msg && *msg)
			pr_warn("%s", msg);
		return MNL_CB_STOP;
	}
	set_err(nl, -error, msg);
	return MNL_CB_ERROR;
}

static int talk_error(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct talk *t = data;
	size_t offset = sizeof(*e);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		set_err(t->nl, EBADMSG, "truncated netlink ack");
		return MNL_CB_ERROR;
	}
	/* Unless capped, the request's payload comes before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len > sizeof(struct nlmsghdr))
		offset += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	return ack_status(t->nl, nlh, e->error, offset);
}

static int talk_done(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	int error = 0;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		t->nl->dump_intr = true;
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(error))
		memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
	return ack_status(t->nl, nlh, error, sizeof(error));
}

static int talk_data(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		t->nl->dump_intr = true;
	return t->cb ? t->cb(nlh, t->data) : MNL_CB_OK;
}

/* mnl failed without an ack: a malformed answer or a callback's error. */
static void set_bad_answer(struct nl *nl, int err)
{
	char buf[sizeof(nl->errmsg)];

	snprintf(buf, sizeof(buf), "bad answer from the kernel: %s",
		 strerror(err));
	set_err(nl, err, buf);
}

/*
 * libmnl fails a whole batch that holds a dump part flagged
 * NLM_F_DUMP_INTR (the table changed during the dump), and the rest of the
 * dump would be lost.  The flag is taken off here and remembered: the dump
 * is read to its end and the user is told it may be inconsistent.
 */
static void take_dump_intr(struct nl *nl, void *buf, size_t len)
{
	struct nlmsghdr *nlh = buf;
	int left = len;

	while (mnl_nlmsg_ok(nlh, left)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
			nlh->nlmsg_flags &= ~NLM_F_DUMP_INTR;
			nl->dump_intr = true;
		}
		nlh = mnl_nlmsg_next(nlh, &left);
	}
}

int nl_request(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR]	= talk_error,
		[NLMSG_DONE]	= talk_done,
	};
	struct talk t = { .nl = nl, .cb = cb, .data = data };
	int ret;

	/* Without an ack a doit's end could not be seen. */
	if (!(nlh->nlmsg_flags & NLM_F_DUMP))
		nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	nl->err = 0;
	nl->errmsg[0] = '\0';
	nl->dump_intr = false;

	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0) {
		set_err(nl, errno, NULL);
		return -1;
	}
	do {
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->buf, nl->buflen);

		if (n < 0) {
			if (errno == EINTR) {
				ret = MNL_CB_OK;
				continue;
			}
			set_err(nl, errno, NULL);
			return -1;
		}
		take_dump_intr(nl, nl->buf, n);
		ret = mnl_cb_run2(nl->buf, n, nlh->nlmsg_seq, nl->portid,
				  talk_data, &t, ctl, ARRAY_SIZE(ctl));
	} while (ret > MNL_CB_STOP);

	if (ret < 0) {
		if (!nl->err)
			set_bad_answer(nl, errno);
		return -1;
	}
	if (nl->dump_intr)
		pr_warn("dump interrupted by a change, run again");
	return 0;
}

void nl_perror(const struct nl *nl)
{
	pr_err("%s", nl->errmsg[0] ? nl->errmsg : strerror(nl->err));
}

/* The vmbridge family. */

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	static const struct nl_policy policy[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID]		= NLP(MNL_TYPE_U16),
		[CTRL_ATTR_MCAST_GROUPS]	= NLP(MNL_TYPE_NESTED),
	};
	static const struct nl_policy
		grp_policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
		[CTRL_ATTR_MCAST_GRP_NAME]	= NLP(MNL_TYPE_NUL_STRING),
		[CTRL_ATTR_MCAST_GRP_ID]	= NLP(MNL_TYPE_U32),
	};
	const struct nlattr *gtb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	const struct nlattr *grp;
	struct nl *nl = data;

	if (nl_parse(nlh, GENL_HDRLEN, policy, CTRL_ATTR_MAX, tb) < 0)
		return MNL_CB_ERROR;
	if (!tb[CTRL_ATTR_FAMILY_ID]) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	nl->family = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return MNL_CB_OK;
	mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS]) {
		if (nl_parse_nested(grp, grp_policy, CTRL_ATTR_MCAST_GRP_MAX,
				    gtb) < 0)
			return MNL_CB_ERROR;
		if (gtb[CTRL_ATTR_MCAST_GRP_NAME] &&
		    gtb[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(mnl_attr_get_str(gtb[CTRL_ATTR_MCAST_GRP_NAME]),
			    VMBR_MCGRP_EVENTS))
			nl->events_group =
				mnl_attr_get_u32(gtb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return MNL_CB_OK;
}

/*
 * The controller loads the module when asked for its family
 * (MODULE_ALIAS_GENL_FAMILY), so a family still missing is a module that
 * cannot be loaded.
 */
static int vmbr_resolve(struct nl *nl)
{
	struct nlmsghdr *nlh;
	union nl_req req;

	nlh = genl_msg(&req, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VMBR_GENL_NAME);
	if (nl_request(nl, nlh, family_cb, nl) < 0) {
		nl->family = 0;
		if (nl->err == ENOENT)
			set_err(nl, ENOENT, "vmbridge module not loaded");
		return -1;
	}
	if (!nl->family) {
		set_bad_answer(nl, EBADMSG);
		return -1;
	}
	return 0;
}

int vmbr_request(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		 void *data)
{
	if (!nl->family && vmbr_resolve(nl) < 0)
		return -1;
	nlh->nlmsg_type = nl->family;
	return nl_request(nl, nlh, cb, data);
}

int vmbr_send(struct nlmsghdr *nlh)
{
	struct nl *nl = nl_open(NETLINK_GENERIC);
	int ret = EXIT_OK;

	if (!nl)
		return EXIT_FAIL;
	if (vmbr_request(nl, nlh, NULL, NULL) < 0) {
		nl_perror(nl);
		ret = EXIT_FAIL;
	}
	nl_close(nl);
	return ret;
}

int vmbr_join_events(struct nl *nl)
{
	int size = NL_EVENTS_RCVBUF;

	if (!nl->family && vmbr_resolve(nl) < 0)
		return -1;
	if (!nl->events_group) {
		set_err(nl, ENOENT, "the vmbridge family has no \"" \
			VMBR_MCGRP_EVENTS "\" group");
		return -1;
	}
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP,
				  &nl->events_group,
				  sizeof(nl->events_group)) < 0) {
		set_err(nl, errno, NULL);
		return -1;
	}
	/* Best effort: the default buffer works, it only loses more. */
	(void)setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUF,
			 &size, sizeof(size));
	return 0;
}

int nl_listen(struct nl *nl, mnl_cb_t cb, void *data)
{
	struct talk t = { .nl = nl, .cb = cb, .data = data };

	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->buf, nl->buflen);
		int ret;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				pr_warn("events lost: receive buffer overrun");
				continue;
			}
			set_err(nl, errno, NULL);
			return -1;
		}
		/* Multicast: sequence and port id are 0, not checked. */
		ret = mnl_cb_run(nl->buf, n, 0, 0, talk_data, &t);
		if (ret < 0) {
			set_bad_answer(nl, errno);
			return -1;
		}
		if (ret == MNL_CB_STOP)
			return 0;
	}
}
