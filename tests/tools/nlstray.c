// SPDX-License-Identifier: GPL-2.0
/*
 * nlstray: every command of the "vmbridge" family refuses an attribute
 * that is not one of its own, with the extack naming it.
 *
 * usage: nlstray VMBRIDGE PORT
 *
 * For each command, a request that names VMBRIDGE (and, where the command
 * takes one, PORT in a VMBR_A_PORT nest) and carries one well-formed
 * attribute of another command: VMBR_A_MODE, which only VMBR_CMD_SET
 * takes, or VMBR_A_NAT for VMBR_CMD_SET.  And in the port nest of
 * PORT_GET, PORT_DEL and FDB_FLUSH, which name a port and configure none,
 * a port option (VMBR_PORT_A_ISOLATED).  Each must fail with EINVAL and an
 * extack whose offset points at the stray attribute.  Prints a line a
 * request; exits 0 only if every one was refused so.  Run as root: the
 * changes' permission check comes before the policy's.
 */
#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vmbridge.h>

static struct mnl_socket *nl;
static uint16_t family;
static uint32_t vmbr_ifindex, port_ifindex;

enum stray { STRAY_TOP, STRAY_IN_PORT };

static const struct {
	uint8_t cmd;
	const char *name;
	bool dump;
	bool port;		/* names PORT in a VMBR_A_PORT nest */
	enum stray where;
} cases[] = {
	{ VMBR_CMD_GET, "GET", false, false, STRAY_TOP },
	{ VMBR_CMD_GET, "GET (dump)", true, false, STRAY_TOP },
	{ VMBR_CMD_SET, "SET", false, false, STRAY_TOP },
	{ VMBR_CMD_PORT_GET, "PORT_GET", false, true, STRAY_TOP },
	{ VMBR_CMD_PORT_GET, "PORT_GET", false, true, STRAY_IN_PORT },
	{ VMBR_CMD_PORT_SET, "PORT_SET", false, true, STRAY_TOP },
	{ VMBR_CMD_PORT_DEL, "PORT_DEL", false, true, STRAY_TOP },
	{ VMBR_CMD_PORT_DEL, "PORT_DEL", false, true, STRAY_IN_PORT },
	{ VMBR_CMD_FDB_GET, "FDB_GET (dump)", true, false, STRAY_TOP },
	{ VMBR_CMD_FDB_FLUSH, "FDB_FLUSH", false, true, STRAY_TOP },
	{ VMBR_CMD_FDB_FLUSH, "FDB_FLUSH", false, true, STRAY_IN_PORT },
	{ VMBR_CMD_NAT_GET, "NAT_GET", false, false, STRAY_TOP },
	{ VMBR_CMD_NAT_SET, "NAT_SET", false, false, STRAY_TOP },
	{ VMBR_CMD_NAT_SESSION_GET, "NAT_SESSION_GET (dump)", true, false,
	  STRAY_TOP },
	{ VMBR_CMD_NAT_FLUSH, "NAT_FLUSH", false, false, STRAY_TOP },
	{ VMBR_CMD_NAT_FWD_GET, "NAT_FWD_GET (dump)", true, false, STRAY_TOP },
	{ VMBR_CMD_NAT_FWD_DEL, "NAT_FWD_DEL", false, false, STRAY_TOP },
};

static struct nlmsghdr *msg_start(char *buf, uint16_t type, uint16_t flags,
				  uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = time(NULL);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = VMBR_GENL_VERSION;
	return nlh;
}

struct answer {
	int error;		/* 0: acked or a dump's end without error */
	const char *msg;
	uint32_t offset;	/* of the attribute the extack names, or 0 */
	char msgbuf[256];
};

static int ext_attr_cb(const struct nlattr *attr, void *data)
{
	struct answer *a = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		snprintf(a->msgbuf, sizeof(a->msgbuf), "%s",
			 mnl_attr_get_str(attr));
		a->msg = a->msgbuf;
		break;
	case NLMSGERR_ATTR_OFFS:
		a->offset = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

/* The error (or ack) of a NLMSG_ERROR or NLMSG_DONE answer. */
static void read_error(const struct nlmsghdr *nlh, struct answer *a)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*err);

	if (nlh->nlmsg_type == NLMSG_DONE) {
		a->error = -*(const int *)mnl_nlmsg_get_payload(nlh);
		off = sizeof(int);
	} else {
		a->error = -err->error;
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	}
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, off, ext_attr_cb, a);
}

/* Sends @nlh and reads its answer into @a; -1 if nothing came. */
static int request(struct nlmsghdr *nlh, struct answer *a)
{
	static char buf[1 << 16];
	struct nlmsghdr *r;
	ssize_t got;
	int n;

	memset(a, 0, sizeof(*a));
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		got = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (got < 0)
			return -1;
		n = got;
		for (r = (struct nlmsghdr *)buf; mnl_nlmsg_ok(r, n);
		     r = mnl_nlmsg_next(r, &n)) {
			if (r->nlmsg_seq != nlh->nlmsg_seq)
				continue;
			if (r->nlmsg_type == NLMSG_ERROR ||
			    r->nlmsg_type == NLMSG_DONE) {
				read_error(r, a);
				return 0;
			}
		}
	}
}

static int resolve_family(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh, *r;
	struct nlattr *attr;
	ssize_t n;

	nlh = msg_start(buf, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY);
	nlh->nlmsg_flags &= ~NLM_F_ACK;
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VMBR_GENL_NAME);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	r = (struct nlmsghdr *)buf;
	if (n < 0 || !mnl_nlmsg_ok(r, n) || r->nlmsg_type == NLMSG_ERROR)
		return -1;
	mnl_attr_for_each(attr, r, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID)
			family = mnl_attr_get_u16(attr);
	return family ? 0 : -1;
}

/* One case: true if the stray attribute was refused and named. */
static bool run_case(unsigned int i)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlattr *nest, *stray = NULL;
	struct nlmsghdr *nlh;
	struct answer a;
	uint32_t want;
	bool ok;

	nlh = msg_start(buf, family, cases[i].dump ? NLM_F_DUMP : 0,
			cases[i].cmd);
	mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, vmbr_ifindex);
	if (cases[i].port) {
		nest = mnl_attr_nest_start(nlh, VMBR_A_PORT);
		mnl_attr_put_u32(nlh, VMBR_PORT_A_IFINDEX, port_ifindex);
		if (cases[i].where == STRAY_IN_PORT) {
			stray = (struct nlattr *)mnl_nlmsg_get_payload_tail(nlh);
			mnl_attr_put_u8(nlh, VMBR_PORT_A_ISOLATED, 1);
		}
		mnl_attr_nest_end(nlh, nest);
	}
	if (cases[i].where == STRAY_TOP) {
		stray = (struct nlattr *)mnl_nlmsg_get_payload_tail(nlh);
		if (cases[i].cmd == VMBR_CMD_SET) {
			nest = mnl_attr_nest_start(nlh, VMBR_A_NAT);
			mnl_attr_nest_end(nlh, nest);
		} else {
			mnl_attr_put_u8(nlh, VMBR_A_MODE, VMBR_MODE_BRIDGE);
		}
	}
	want = (char *)stray - (char *)nlh;

	if (request(nlh, &a) < 0) {
		printf("not ok %s, stray %s: no answer (%s)\n", cases[i].name,
		       cases[i].where == STRAY_TOP ? "attribute" : "in the port",
		       strerror(errno));
		return false;
	}
	ok = a.error == EINVAL && a.offset == want;
	printf("%s %s, stray %s: %s%s%s (offset %u, want %u)\n",
	       ok ? "ok" : "not ok", cases[i].name,
	       cases[i].where == STRAY_TOP ? "attribute" : "in the port",
	       a.error ? strerror(a.error) : "accepted",
	       a.msg ? ": " : "", a.msg ? a.msg : "", a.offset, want);
	return ok;
}

int main(int argc, char **argv)
{
	unsigned int i, failed = 0;
	int one = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: nlstray VMBRIDGE PORT\n");
		return 2;
	}
	vmbr_ifindex = if_nametoindex(argv[1]);
	port_ifindex = if_nametoindex(argv[2]);
	if (!vmbr_ifindex || !port_ifindex) {
		fprintf(stderr, "nlstray: no such device\n");
		return 2;
	}
	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one)) < 0 ||
	    resolve_family() < 0) {
		perror("nlstray: the vmbridge family");
		return 2;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		failed += !run_case(i);
	mnl_socket_close(nl);
	printf("nlstray: %u of %zu refused as they should be\n",
	       (unsigned int)(sizeof(cases) / sizeof(cases[0])) - failed,
	       sizeof(cases) / sizeof(cases[0]));
	return failed ? 1 : 0;
}
