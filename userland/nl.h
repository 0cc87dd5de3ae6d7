/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbr: netlink sockets, the vmbridge generic netlink family, requests
 * with their acks, dumps, extended acks, and attribute validation.
 */
#ifndef VMBR_NL_H
#define VMBR_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

/*
 * Room for one request.  Every request the tool builds is a few fixed
 * attributes plus keyword options, each accepted at most once, so it is
 * bounded below this: the largest are three VLAN bitmaps (512 bytes each)
 * and an uplink-vni map of VMBR_VNI_MAP_MAX pairs (20 bytes each).
 */
#define NL_REQ_SIZE	16384

/* A request buffer, aligned for struct nlmsghdr. */
union nl_req {
	struct nlmsghdr nlh;
	char buf[NL_REQ_SIZE];
};

struct nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;	/* vmbridge genl family id; 0: not resolved */
	uint32_t events_group;	/* its "events" multicast group; 0: none */
	bool dump_intr;		/* last dump saw NLM_F_DUMP_INTR */
	int err;		/* errno of the last failure */
	char errmsg[256];	/* its text: the kernel's extack or strerror */
	char *buf;		/* receive buffer */
	size_t buflen;
};

/* Opens a socket on @bus (NETLINK_ROUTE, NETLINK_GENERIC); NULL: printed. */
struct nl *nl_open(int bus);
void nl_close(struct nl *nl);

/* Starts a request of @type; NLM_F_REQUEST is added to @flags. */
struct nlmsghdr *nl_msg(union nl_req *req, uint16_t type, uint16_t flags);

/* Starts a vmbridge request for @cmd; its family id is set when sent. */
struct nlmsghdr *vmbr_msg(union nl_req *req, uint8_t cmd, uint16_t flags);

/*
 * Sends @nlh and reads the answer up to its ack (NLM_F_ACK) or the end of
 * the dump (NLM_F_DUMP), passing every message to @cb (may be NULL).
 * Returns 0, or -1 with nl->err and nl->errmsg set: print with nl_perror().
 * A dump interrupted by a change is reported as a warning.
 */
int nl_request(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/* The same for a vmbridge request; resolves the family on first use. */
int vmbr_request(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		 void *data);

/* Sends a vmbridge change on a socket of its own; an exit status. */
int vmbr_send(struct nlmsghdr *nlh);

/* Joins the vmbridge "events" group. */
int vmbr_join_events(struct nl *nl);

/* Passes every message received to @cb until @cb or the socket fails. */
int nl_listen(struct nl *nl, mnl_cb_t cb, void *data);

/* "vmbr: <why the last request failed>". */
void nl_perror(const struct nl *nl);

/*
 * Attribute validation: a policy entry per attribute type; MNL_TYPE_UNSPEC
 * entries and types beyond @max (a newer kernel's) are skipped.  @len is
 * the exact payload length of MNL_TYPE_BINARY attributes.
 */
struct nl_policy {
	enum mnl_attr_data_type type;
	uint16_t len;
};

#define NLP(t)		{ .type = (t) }
#define NLP_LEN(t, l)	{ .type = (t), .len = (l) }

/* Fills @tb[0..@max] from @nlh's attributes after @offset bytes of header. */
int nl_parse(const struct nlmsghdr *nlh, size_t offset,
	     const struct nl_policy *policy, unsigned int max,
	     const struct nlattr **tb);

/* The same for the attributes nested in @nest. */
int nl_parse_nested(const struct nlattr *nest,
		    const struct nl_policy *policy, unsigned int max,
		    const struct nlattr **tb);

/* The generic netlink command of @nlh; -1 (EBADMSG) without genl header. */
int genl_cmd(const struct nlmsghdr *nlh);

#endif /* VMBR_NL_H */
