// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr: creating and deleting vmbridge links over rtnetlink, as
 * "ip link add NAME type vmbridge" and "ip link del NAME" do.
 */
#include <sys/socket.h>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "nl.h"
#include "rtnl.h"

/* The link kind (INTERFACE.md); the rtnetlink alias loads the module. */
#define VMBR_LINK_KIND	"vmbridge"

static struct nlmsghdr *link_msg(union nl_req *req, uint16_t type,
				 uint16_t flags, uint32_t ifindex)
{
	struct nlmsghdr *nlh = nl_msg(req, type, flags | NLM_F_ACK);
	struct ifinfomsg *ifi;

	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nlh;
}

int rtnl_link_add(struct nl *nl, const char *name)
{
	struct nlmsghdr *nlh;
	struct nlattr *info;
	union nl_req req;

	nlh = link_msg(&req, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, VMBR_LINK_KIND);
	mnl_attr_nest_end(nlh, info);
	return nl_request(nl, nlh, NULL, NULL);
}

int rtnl_link_del(struct nl *nl, uint32_t ifindex)
{
	union nl_req req;

	return nl_request(nl, link_msg(&req, RTM_DELLINK, 0, ifindex),
			  NULL, NULL);
}
