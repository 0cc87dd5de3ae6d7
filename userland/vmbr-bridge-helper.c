// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr-bridge-helper: QEMU's bridge helper for vmbridges.
 *
 *   qemu-system-x86_64 ... \
 *     -netdev bridge,id=n0,br=vmbr0,helper=/usr/local/libexec/vmbr-bridge-helper
 *
 * QEMU runs it as "vmbr-bridge-helper --use-vnet --br=NAME --fd=N" (in
 * any order; --use-vnet may be missing) and expects one file descriptor
 * back over the unix socket N: a TAP device already on bridge NAME, sent
 * with SCM_RIGHTS and a 1-byte payload, then exit status 0.  That is how
 * QEMU run by an unprivileged user (qemu:///session, GNOME Boxes) gets a
 * network, and why the helper is privileged.
 *
 * What it does, in this order:
 *   1. keeps CAP_NET_ADMIN and nothing else, not effective yet, and no
 *      other identity than the caller's (below); forgets the environment;
 *   2. checks every argument (vmbr-bridge-helper --help for the usage);
 *   3. closes every descriptor but stdin, stdout, stderr and the socket,
 *      and checks that the socket is a unix socket;
 *   4. reads the ACL, /etc/qemu/bridge.conf (the file qemu-bridge-helper
 *      reads, with its rules: see acl_check()), and refuses NAME unless it
 *      allows NAME;
 *   5. refuses NAME unless it is a vmbridge (rtnetlink link kind
 *      "vmbridge"); a Linux bridge is qemu-bridge-helper's;
 *   6. then, with CAP_NET_ADMIN effective: opens /dev/net/tun, creates a
 *      TAP (IFF_TAP | IFF_NO_PI, IFF_VNET_HDR with --use-vnet if the
 *      kernel has it) named as QEMU's own helper names it, tapN; gives it
 *      NAME's MTU, attaches it to NAME as a guest port (IFLA_MASTER, as
 *      "ip link set TAP master NAME"; the vmbridge takes it as "vmbr port
 *      add" would, with the default port options) and sets it up;
 *   7. drops CAP_NET_ADMIN for good, sends the TAP's descriptor and exits.
 * Any failure exits non-zero saying why on stderr, which QEMU shows; the
 * TAP, if made, goes with the descriptor when the helper exits, and leaves
 * the vmbridge by itself.
 *
 * Privilege.  Everything in step 6 needs CAP_NET_ADMIN and nothing else:
 * TUNSETIFF of a new device, and the rtnetlink changes.  So "make install"
 * gives the helper that capability alone as a file capability
 * (setcap cap_net_admin+ep) rather than making it setuid root: it then runs
 * as the caller from exec on, can read and write nothing the caller cannot,
 * and the kernel treats it as a secure exec (not dumpable, no LD_PRELOAD),
 * as for setuid.  Where the file system keeps no file capabilities (some
 * tmpfs, NFS, or a package built without them), it may be installed
 * setuid root instead ("make install HELPER_PRIV=setuid"): it then drops
 * at once to the caller's real uid and gid, keeping CAP_NET_ADMIN alone and
 * an empty bounding set but for it, and is from there the same as with
 * the file capability.  The capability is effective only in step 6.
 *
 * In both cases the caller's own rights apply to the rest: /dev/net/tun
 * must be readable and writable by the caller (udev makes it 0666), and the
 * ACL readable.  The ACL is the file compiled in (-DVMBR_BRIDGE_ACL, make
 * BRIDGE_ACL=...), or $VMBR_BRIDGE_ACL only when the real uid is 0 (for
 * tests): an unprivileged caller cannot choose it.  Nothing else is read
 * from the environment, and nothing is executed.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <net/if.h>

#include <linux/capability.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>

#include "nl.h"

#ifndef VMBR_BRIDGE_ACL
#define VMBR_BRIDGE_ACL "/etc/qemu/bridge.conf"
#endif

#define PROG		"vmbr-bridge-helper"
#define ACL_ENV		"VMBR_BRIDGE_ACL"
#define VMBR_KIND	"vmbridge"
#define TAP_NAME	"tap%d"		/* qemu-bridge-helper's */
#define ACL_DEPTH_MAX	8		/* nested includes */
#define ACL_LINE_MAX	4096

enum {
	EXIT_REFUSED = 1,	/* refused, or the system failed */
	EXIT_USAGE = 2,		/* the command line is wrong */
};

/*
 * Messages: one line on stderr each.  nl.o reports with pr_err() and
 * pr_warn() and calls die_oom(): these are the helper's.
 */
static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void pr_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(PROG ": ", fmt, ap);
	va_end(ap);
}

void pr_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(PROG ": warning: ", fmt, ap);
	va_end(ap);
}

void die_oom(void)
{
	pr_err("out of memory");
	exit(EXIT_REFUSED);
}

#define USAGE "usage: " PROG " [--use-vnet] --br=NAME --fd=N\n"

static void help(void)
{
	printf(USAGE
	       "QEMU's bridge helper for a vmbridge: creates a TAP, attaches it to\n"
	       "the vmbridge NAME if the ACL %s allows NAME, and\n"
	       "sends it over the unix socket N.\n", VMBR_BRIDGE_ACL);
}

/* Privilege: raw capget/capset (no libcap), CAP_NET_ADMIN alone. */

#define NET_ADMIN_BIT	(1U << CAP_NET_ADMIN)	/* in the first u32 */

static int caps_get(struct __user_cap_data_struct data[2])
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};

	return syscall(SYS_capget, &hdr, data);
}

/* Permitted: CAP_NET_ADMIN if @keep and we have it; effective if @raise. */
static int caps_set(bool keep, bool raise)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	uint32_t net_admin;

	if (caps_get(data))
		return -1;
	net_admin = keep ? data[0].permitted & NET_ADMIN_BIT : 0;
	memset(data, 0, sizeof(data));
	data[0].permitted = net_admin;
	data[0].effective = raise ? net_admin : 0;
	return syscall(SYS_capset, &hdr, data);
}

static bool have_net_admin(void)
{
	struct __user_cap_data_struct data[2];

	return !caps_get(data) && (data[0].permitted & NET_ADMIN_BIT);
}

/*
 * Step 1.  Setuid root (or run by root): the bounding set loses all but
 * CAP_NET_ADMIN, and a setuid root helper becomes the caller, keeping the
 * capabilities across the change of uid (PR_SET_KEEPCAPS).  Then in every
 * case only CAP_NET_ADMIN stays permitted, nothing effective, nothing
 * inheritable or ambient.
 */
static int drop_privileges(void)
{
	uid_t ruid = getuid(), euid = geteuid(), r, e, s;
	gid_t rgid = getgid(), egid = getegid();
	int cap;

	if (euid == 0) {
		for (cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
			if (cap != CAP_NET_ADMIN &&
			    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
				return -1;
	}
	if (egid != rgid && setresgid(rgid, rgid, rgid) < 0)
		return -1;
	if (euid != ruid) {
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 ||
		    setresuid(ruid, ruid, ruid) < 0 ||
		    prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
			return -1;
	}
	if (getresuid(&r, &e, &s) < 0 || r != ruid || e != ruid || s != ruid)
		return -1;
	if (ruid != 0 && setuid(0) == 0)
		return -1;		/* cannot happen: must not */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		return -1;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return -1;
	return caps_set(true, false);
}

/* Step 2. */

struct args {
	const char *br;		/* --br=NAME */
	int fd;			/* --fd=N; -1: not given */
	bool use_vnet;		/* --use-vnet */
};

/* The kernel's rules for a device name (dev_valid_name()). */
static bool valid_ifname(const char *name)
{
	size_t len = strlen(name);

	if (!len || len >= IFNAMSIZ)
		return false;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (; *name; name++)
		if (*name == '/' || *name == ':' || isspace((unsigned char)*name) ||
		    !isprint((unsigned char)*name))
			return false;
	return true;
}

/* A descriptor number: decimal digits only, no sign, at most INT_MAX. */
static int parse_fd(const char *s)
{
	long v = 0;

	if (!*s || strlen(s) > 10)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v > INT_MAX ? -1 : (int)v;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	const char *arg;
	int i;

	a->br = NULL;
	a->fd = -1;
	a->use_vnet = false;
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (!strcmp(arg, "--use-vnet")) {
			if (a->use_vnet)
				goto twice;
			a->use_vnet = true;
		} else if (!strncmp(arg, "--br=", 5)) {
			if (a->br)
				goto twice;
			a->br = arg + 5;
			if (!valid_ifname(a->br)) {
				pr_err("--br: \"%.64s\" is not a device name (1 to %d characters, no '/', ':' or spaces)",
				       a->br, IFNAMSIZ - 1);
				return EXIT_USAGE;
			}
		} else if (!strncmp(arg, "--fd=", 5)) {
			if (a->fd >= 0)
				goto twice;
			a->fd = parse_fd(arg + 5);
			if (a->fd < 0) {
				pr_err("--fd: \"%.64s\" is not a descriptor number",
				       arg + 5);
				return EXIT_USAGE;
			}
		} else {
			pr_err("unknown argument \"%.64s\"", arg);
			fputs(USAGE, stderr);
			return EXIT_USAGE;
		}
	}
	if (!a->br || a->fd < 0) {
		pr_err("%s expected", !a->br ? "--br=NAME" : "--fd=N");
		fputs(USAGE, stderr);
		return EXIT_USAGE;
	}
	return 0;
twice:
	pr_err("\"%.64s\": given twice", arg);
	return EXIT_USAGE;
}

/* Step 3. */

static void close_range_slow(unsigned int first, unsigned int last)
{
	struct rlimit rl;
	unsigned int fd;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur > (1U << 20))
		rl.rlim_cur = 1U << 20;
	for (fd = first; fd <= last && fd < rl.rlim_cur; fd++)
		close(fd);
}

static void close_fds(unsigned int first, unsigned int last)
{
	if (first > last)
		return;
	if (close_range(first, last, 0) < 0)
		close_range_slow(first, last);
}

/*
 * Every descriptor but 0, 1, 2 and @keep closed; 0, 1 and 2 open (on
 * /dev/null if they were not), so that nothing opened later takes their
 * place.  Then @keep must be a unix socket.
 */
static int sanitize_fds(int keep)
{
	struct stat st;
	int fd, domain;
	socklen_t len = sizeof(domain);

	if (keep < 3) {
		close_fds(3, ~0U);
	} else {
		close_fds(3, (unsigned int)keep - 1);
		close_fds((unsigned int)keep + 1, ~0U);
	}
	for (fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open("/dev/null", O_RDWR) != fd)
			return -1;	/* nowhere to say so, perhaps */
	}
	if (fstat(keep, &st) < 0) {
		pr_err("--fd=%d: %s", keep, strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(st.st_mode) ||
	    getsockopt(keep, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0 ||
	    domain != AF_UNIX) {
		pr_err("--fd=%d: not a unix socket", keep);
		return -1;
	}
	return 0;
}

/*
 * Step 4: the ACL, as qemu-bridge-helper reads it.  A line is a comment
 * ("#" first), empty, or a rule:
 *	allow NAME | allow all | deny NAME | deny all | include FILE
 * NAME is allowed if a rule allows it (or all) and none denies it (or
 * all): deny wins, and the default is to deny.  Where qemu-bridge-helper
 * is lenient this is strict, failing closed: the file must exist, a file
 * included too; an included file's path must be absolute (not relative to
 * the caller's directory); an unknown rule, a name that is not a device
 * name (qemu-bridge-helper cuts it at 15 characters) or a line with more
 * than one word after the keyword makes the whole file invalid, so nothing
 * is allowed; a file (or included file) that a user other than root owns
 * or that group or others may write is refused, and so is an include
 * deeper than 8 files.
 */
struct acl {
	bool allowed;
	bool denied;
};

static int acl_file(const char *path, const char *name, struct acl *acl,
		    int depth);

/* One rule of @path at line @lineno; @line is modified. */
static int acl_line(const char *path, unsigned int lineno, char *line,
		    const char *name, struct acl *acl, int depth)
{
	char *cmd, *arg, *end;

	while (isspace((unsigned char)*line))
		line++;
	if (!*line || *line == '#')
		return 0;
	cmd = line;
	while (*line && !isspace((unsigned char)*line))
		line++;
	if (*line)
		*line++ = '\0';
	while (isspace((unsigned char)*line))
		line++;
	arg = line;
	end = arg + strlen(arg);
	while (end > arg && isspace((unsigned char)end[-1]))
		*--end = '\0';
	if (!*arg || strpbrk(arg, " \t\v\f\r")) {
		pr_err("%s:%u: \"%s\" takes one argument", path, lineno, cmd);
		return -1;
	}

	if (!strcmp(cmd, "include")) {
		if (arg[0] != '/') {
			pr_err("%s:%u: include: \"%s\" is not an absolute path",
			       path, lineno, arg);
			return -1;
		}
		return acl_file(arg, name, acl, depth + 1);
	}
	if (strcmp(cmd, "allow") && strcmp(cmd, "deny")) {
		pr_err("%s:%u: unknown rule \"%s\"", path, lineno, cmd);
		return -1;
	}
	if (strcmp(arg, "all") && !valid_ifname(arg)) {
		pr_err("%s:%u: \"%s\" is not a device name", path, lineno, arg);
		return -1;
	}
	if (!strcmp(arg, "all") || !strcmp(arg, name)) {
		if (cmd[0] == 'a')
			acl->allowed = true;
		else
			acl->denied = true;
	}
	return 0;
}

static int acl_file(const char *path, const char *name, struct acl *acl,
		    int depth)
{
	unsigned int lineno = 0;
	char *line = NULL;
	size_t size = 0;
	struct stat st;
	ssize_t len;
	int err = 0, fd;
	FILE *f;

	if (depth > ACL_DEPTH_MAX) {
		pr_err("%s: included more than %d deep", path, ACL_DEPTH_MAX);
		return -1;
	}
	/* O_NONBLOCK: a FIFO must not hang the helper; it is refused below. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		pr_err("ACL %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		pr_err("ACL %s: not a regular file", path);
		close(fd);
		return -1;
	}
	f = fdopen(fd, "r");
	if (!f) {
		pr_err("ACL %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		pr_err("ACL %s: must be owned by root and writable by root only",
		       path);
		fclose(f);
		return -1;
	}
	while (!err && (len = getline(&line, &size, f)) >= 0) {
		lineno++;
		if (len > ACL_LINE_MAX || strlen(line) != (size_t)len) {
			pr_err("%s:%u: line too long or not text", path, lineno);
			err = -1;
			break;
		}
		err = acl_line(path, lineno, line, name, acl, depth);
	}
	if (!err && ferror(f)) {
		pr_err("ACL %s: %s", path, strerror(errno));
		err = -1;
	}
	free(line);
	fclose(f);
	return err;
}

/* 0 if the ACL at @path allows @name; printed if not. */
static int acl_check(const char *path, const char *name)
{
	struct acl acl = { .allowed = false, .denied = false };

	if (acl_file(path, name, &acl, 0)) {
		pr_err("%s: refused: the ACL %s cannot be used", name, path);
		return -1;
	}
	if (acl.denied) {
		pr_err("%s: denied by the ACL %s", name, path);
		return -1;
	}
	if (!acl.allowed) {
		pr_err("%s: not allowed by the ACL %s", name, path);
		return -1;
	}
	return 0;
}

/* Step 5: what rtnetlink says of the device @name. */

struct link {
	uint32_t ifindex;
	uint32_t mtu;
	bool vmbridge;
};

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	static const struct nl_policy policy[IFLA_MAX + 1] = {
		[IFLA_MTU]	= NLP(MNL_TYPE_U32),
		[IFLA_LINKINFO]	= NLP(MNL_TYPE_NESTED),
	};
	static const struct nl_policy info_policy[IFLA_INFO_MAX + 1] = {
		[IFLA_INFO_KIND] = NLP(MNL_TYPE_NUL_STRING),
	};
	const struct nlattr *tb[IFLA_MAX + 1], *info[IFLA_INFO_MAX + 1];
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct link *link = data;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nl_parse(nlh, sizeof(*ifi), policy, IFLA_MAX, tb) ||
	    !tb[IFLA_MTU])
		return MNL_CB_ERROR;
	link->ifindex = ifi->ifi_index;
	link->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	link->vmbridge = tb[IFLA_LINKINFO] &&
		!nl_parse_nested(tb[IFLA_LINKINFO], info_policy,
				 IFLA_INFO_MAX, info) &&
		info[IFLA_INFO_KIND] &&
		!strcmp(mnl_attr_get_str(info[IFLA_INFO_KIND]), VMBR_KIND);
	return MNL_CB_OK;
}

static struct nlmsghdr *link_msg(union nl_req *req, uint16_t type,
				 uint32_t ifindex)
{
	struct nlmsghdr *nlh = nl_msg(req, type, NLM_F_ACK);
	struct ifinfomsg *ifi;

	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nlh;
}

static int vmbridge_lookup(const char *name, struct link *link)
{
	struct nlmsghdr *nlh;
	union nl_req req;
	struct nl *nl;
	int err;

	nl = nl_open(NETLINK_ROUTE);
	if (!nl)
		return -1;
	nlh = link_msg(&req, RTM_GETLINK, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	link->ifindex = 0;
	err = nl_request(nl, nlh, link_cb, link);
	if (err || !link->ifindex) {
		if (nl->err == ENODEV)
			pr_err("%s: no such device", name);
		else
			pr_err("%s: %s", name,
			       nl->err ? nl->errmsg : "no answer from the kernel");
		err = -1;
	} else if (!link->vmbridge) {
		pr_err("%s: refused: not a vmbridge", name);
		err = -1;
	}
	nl_close(nl);
	return err;
}

/* Step 6. */

static int tap_open(bool use_vnet, char *name)
{
	unsigned int features = 0;
	struct ifreq ifr;
	int fd;

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		pr_err("/dev/net/tun: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", TAP_NAME);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (use_vnet && ioctl(fd, TUNGETFEATURES, &features) == 0 &&
	    (features & IFF_VNET_HDR))
		ifr.ifr_flags |= IFF_VNET_HDR;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		pr_err("cannot create a TAP device: %s", strerror(errno));
		close(fd);
		return -1;
	}
	memcpy(name, ifr.ifr_name, IFNAMSIZ);
	name[IFNAMSIZ - 1] = '\0';
	return fd;
}

/* One change of @ifindex: what; its attribute or flags; an ack awaited. */
static int link_change(struct nl *nl, const char *what, const char *tap,
		       uint32_t ifindex, uint16_t attr, uint32_t value)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	union nl_req req;

	nlh = link_msg(&req, RTM_NEWLINK, ifindex);
	ifi = mnl_nlmsg_get_payload(nlh);
	if (attr) {
		mnl_attr_put_u32(nlh, attr, value);
	} else {
		ifi->ifi_flags = value;
		ifi->ifi_change = value;
	}
	if (nl_request(nl, nlh, NULL, NULL)) {
		pr_err("%s: %s: %s", tap, what, nl->errmsg);
		return -1;
	}
	return 0;
}

/* The TAP @fd (device @tap) on the vmbridge @br, up. */
static int tap_attach(const char *tap, const char *br, const struct link *vmbr)
{
	uint32_t ifindex = if_nametoindex(tap);
	char what[64];
	struct nl *nl;
	int err;

	if (!ifindex) {
		pr_err("%s: %s", tap, strerror(errno));
		return -1;
	}
	/* Opened with CAP_NET_ADMIN effective: rtnetlink checks the opener. */
	nl = nl_open(NETLINK_ROUTE);
	if (!nl)
		return -1;
	err = link_change(nl, "cannot set the vmbridge's MTU", tap, ifindex,
			  IFLA_MTU, vmbr->mtu);
	if (!err) {
		snprintf(what, sizeof(what), "cannot attach to %s", br);
		err = link_change(nl, what, tap, ifindex, IFLA_MASTER,
				  vmbr->ifindex);
	}
	if (!err)
		err = link_change(nl, "cannot set up", tap, ifindex, 0, IFF_UP);
	nl_close(nl);
	return err;
}

/* Step 7: @fd over @sock, with QEMU's 1-byte payload. */
static int send_fd(int sock, int fd)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(fd))];
	} cbuf;
	char byte = 0;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf.buf,
		.msg_controllen = sizeof(cbuf.buf),
	};
	struct cmsghdr *cmsg;
	ssize_t n;

	memset(&cbuf, 0, sizeof(cbuf));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(fd));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(fd));
	do {
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n != 1) {
		pr_err("cannot send the TAP over the socket: %s",
		       n < 0 ? strerror(errno) : "short write");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char acl_path[PATH_MAX];
	char tap[IFNAMSIZ];
	const char *env;
	struct link vmbr;
	struct args a;
	int err, fd;

	if (drop_privileges()) {
		pr_err("cannot drop privileges: %s", strerror(errno));
		return EXIT_REFUSED;
	}
	/* Only root may name another ACL; then the environment goes. */
	env = getuid() == 0 ? getenv(ACL_ENV) : NULL;
	if (env && (!*env || strlen(env) >= sizeof(acl_path))) {
		pr_err("$" ACL_ENV ": not a path");
		return EXIT_USAGE;
	}
	snprintf(acl_path, sizeof(acl_path), "%s", env ? env : VMBR_BRIDGE_ACL);
	if (clearenv()) {
		pr_err("cannot clear the environment");
		return EXIT_REFUSED;
	}

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		help();
		return 0;
	}
	err = parse_args(argc, argv, &a);
	if (err)
		return err;
	if (sanitize_fds(a.fd))
		return EXIT_USAGE;

	if (acl_check(acl_path, a.br) || vmbridge_lookup(a.br, &vmbr))
		return EXIT_REFUSED;
	if (!have_net_admin()) {
		pr_err("no CAP_NET_ADMIN: install it with \"setcap cap_net_admin+ep\" or setuid root (see vmbr(8))");
		return EXIT_REFUSED;
	}

	if (caps_set(true, true)) {
		pr_err("cannot raise CAP_NET_ADMIN: %s", strerror(errno));
		return EXIT_REFUSED;
	}
	fd = tap_open(a.use_vnet, tap);
	err = fd < 0 || tap_attach(tap, a.br, &vmbr);
	if (caps_set(false, false)) {
		pr_err("cannot drop CAP_NET_ADMIN: %s", strerror(errno));
		return EXIT_REFUSED;
	}
	if (err || send_fd(a.fd, fd))
		return EXIT_REFUSED;
	return 0;
}
