// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr dhcp start | stop | show: the guests' DHCP server (and, in nat
 * mode, their DNS forwarder), a dnsmasq bound to the vmbridge device
 * alone (dhcp.h).  vmbr starts it, finds it again by its pid file, stops
 * it and reads its leases; dnsmasq does the rest.
 */
#include <errno.h>
#include <ifaddrs.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/vmbridge.h>

#include "args.h"
#include "decode.h"
#include "dhcp.h"
#include "ifname.h"
#include "json.h"
#include "nl.h"
#include "output.h"
#include "cmd.h"
#include "vmbr.h"

/*
 * The options are parsed as every command's are (args.h), into a request
 * that is never sent: these are its attribute types.
 */
enum {
	DHCP_OPT_UNSPEC,
	DHCP_OPT_LOW,		/* u32, host byte order */
	DHCP_OPT_HIGH,
	DHCP_OPT_LEASE,		/* u32, seconds */
};

/* "range LOW-HIGH" */
static int put_range(struct nlmsghdr *nlh, const struct opt *opt,
		     const char *arg)
{
	uint32_t low, high;
	int err;

	err = parse_ipv4_range(opt->name, arg, &low, &high);
	if (err)
		return err;
	mnl_attr_put_u32(nlh, DHCP_OPT_LOW, low);
	mnl_attr_put_u32(nlh, DHCP_OPT_HIGH, high);
	return 0;
}

const struct opt dhcp_start_opts[] = {
	{
		.name = "range", .metavar = "LOW-HIGH",
		.put = put_range,
	}, {
		.name = "lease", .metavar = "SECONDS",
		.put = opt_put_u32, .type = DHCP_OPT_LEASE,
		.min = DHCP_LEASE_MIN, .max = DHCP_LEASE_MAX,
	},
	{ .name = NULL },
};

/* Files: RUNDIR/NAME.pid, .conf, .leases. */
static void run_path(char *buf, size_t len, const char *ifname,
		     const char *ext)
{
	snprintf(buf, len, "%s/%s.%s", DHCP_RUNDIR, ifname, ext);
}

/* The dnsmasq serving @ifname, from its pid file; 0 if none runs. */
static pid_t running_pid(const char *ifname)
{
	char path[128], comm[32] = "";
	long pid = 0;
	FILE *f;

	run_path(path, sizeof(path), ifname, "pid");
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1 || pid <= 0)
		pid = 0;
	fclose(f);
	if (!pid)
		return 0;
	/* A process of that number, and a dnsmasq: not a stale file. */
	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	return strcmp(comm, "dnsmasq\n") ? 0 : (pid_t)pid;
}

/* Stops @pid, waiting for it a while; 0, or EXIT_FAIL printed. */
static int stop_pid(const char *ifname, pid_t pid)
{
	struct timespec tick = { .tv_nsec = 50 * 1000 * 1000 };
	int i;

	if (kill(pid, SIGTERM) < 0 && errno != ESRCH) {
		pr_err("%s: cannot stop dnsmasq (pid %d): %s", ifname,
		       (int)pid, strerror(errno));
		return EXIT_FAIL;
	}
	for (i = 0; i < 100 && !kill(pid, 0); i++)
		nanosleep(&tick, NULL);
	if (!kill(pid, 0)) {
		pr_err("%s: dnsmasq (pid %d) did not stop", ifname, (int)pid);
		return EXIT_FAIL;
	}
	return 0;
}

static void remove_files(const char *ifname)
{
	char path[128];

	run_path(path, sizeof(path), ifname, "pid");
	unlink(path);
	run_path(path, sizeof(path), ifname, "conf");
	unlink(path);
}

/* The first IPv4 address of @ifname and its prefix length. */
static int dev_ipv4(const char *ifname, uint32_t *addr, unsigned int *prefix)
{
	struct ifaddrs *ifas, *ifa;
	uint32_t mask;
	int found = 0;

	if (getifaddrs(&ifas) < 0) {
		pr_err("cannot read the addresses: %s", strerror(errno));
		return EXIT_FAIL;
	}
	for (ifa = ifas; ifa && !found; ifa = ifa->ifa_next) {
		if (!ifa->ifa_addr || ifa->ifa_addr->sa_family != AF_INET ||
		    strcmp(ifa->ifa_name, ifname))
			continue;
		*addr = ntohl(((struct sockaddr_in *)ifa->ifa_addr)->
			      sin_addr.s_addr);
		mask = ntohl(((struct sockaddr_in *)ifa->ifa_netmask)->
			     sin_addr.s_addr);
		*prefix = __builtin_popcount(mask);
		found = 1;
	}
	freeifaddrs(ifas);
	if (!found) {
		pr_err("%s has no IPv4 address: give it one first (ip addr add 192.168.100.1/24 dev %s)",
		       ifname, ifname);
		return EXIT_FAIL;
	}
	return 0;
}

static int vmbr_cb(const struct nlmsghdr *nlh, void *data)
{
	json_t **vmbr = data;

	if (*vmbr)
		return MNL_CB_OK;	/* a doit answers once */
	*vmbr = decode_vmbr(nlh, false, NULL);
	return *vmbr ? MNL_CB_OK : MNL_CB_ERROR;
}

/* The mode of vmbridge @ifindex ("nat", ...) in @mode; EXIT_FAIL if none. */
static int vmbr_mode(uint32_t ifindex, char *mode, size_t len)
{
	struct nlmsghdr *nlh;
	json_t *vmbr = NULL;
	union nl_req req;
	struct nl *nl;
	int err = EXIT_FAIL;

	nl = nl_open(NETLINK_GENERIC);
	if (!nl)
		return EXIT_FAIL;
	nlh = vmbr_msg(&req, VMBR_CMD_GET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, ifindex);
	if (vmbr_request(nl, nlh, vmbr_cb, &vmbr) < 0) {
		nl_perror(nl);
	} else if (json_is_string(json_object_get(vmbr, "mode"))) {
		snprintf(mode, len, "%s",
			 json_string_value(json_object_get(vmbr, "mode")));
		err = 0;
	} else {
		pr_err("bad answer from the kernel: no mode");
	}
	json_decref(vmbr);
	nl_close(nl);
	return err;
}

/* Runs dnsmasq on @conf; it forks and returns once it serves, or fails. */
static int run_dnsmasq(const char *ifname, const char *conf)
{
	static const char *const bins[] = {
		"dnsmasq", "/usr/sbin/dnsmasq", "/usr/local/sbin/dnsmasq",
	};
	char arg[160];
	unsigned int i;
	pid_t pid;
	int status;

	snprintf(arg, sizeof(arg), "--conf-file=%s", conf);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		pr_err("cannot fork: %s", strerror(errno));
		return EXIT_FAIL;
	}
	if (!pid) {
		char *const args[] = { "dnsmasq", arg, NULL };

		for (i = 0; i < ARRAY_SIZE(bins); i++)
			execvp(bins[i], args);
		pr_err("cannot run dnsmasq: %s (Debian, Ubuntu: apt install dnsmasq-base)",
		       strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		pr_err("cannot wait for dnsmasq: %s", strerror(errno));
		return EXIT_FAIL;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return EXIT_FAIL;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		pr_err("%s: dnsmasq failed (%s %d)", ifname,
		       WIFEXITED(status) ? "exit status" : "signal",
		       WIFEXITED(status) ? WEXITSTATUS(status) :
					   WTERMSIG(status));
		return EXIT_FAIL;
	}
	return 0;
}

/* Writes @c to RUNDIR/NAME.conf, whole or not at all. */
static int write_conf(const struct dhcp_conf *c, const char *path)
{
	char tmp[160];
	FILE *f;

	if (mkdir(DHCP_RUNDIR, 0755) < 0 && errno != EEXIST) {
		pr_err("%s: %s", DHCP_RUNDIR, strerror(errno));
		return EXIT_FAIL;
	}
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	f = fopen(tmp, "w");
	if (!f) {
		pr_err("%s: %s", tmp, strerror(errno));
		return EXIT_FAIL;
	}
	dhcp_write_conf(f, c, DHCP_RUNDIR);
	if (fclose(f) == EOF || rename(tmp, path) < 0) {
		pr_err("%s: %s", path, strerror(errno));
		unlink(tmp);
		return EXIT_FAIL;
	}
	return 0;
}

/*
 * Checks everything (the options, the vmbridge, its mode and its address)
 * before it stops a dnsmasq already there and starts the new one.
 */
int cmd_dhcp_start(const struct vmbr_opts *o, int argc, char **argv)
{
	struct dhcp_conf c = { .lease = DHCP_LEASE_DEFAULT };
	const struct nlattr *attr;
	char mode[16], conf[128];
	struct nlmsghdr *opts;
	uint32_t ifindex;
	union nl_req req;
	pid_t pid;
	int err;

	(void)o;
	if (argc < 1)
		return usage_err("dhcp start: NAME expected");
	opts = nl_msg(&req, 0, 0);
	err = opts_parse(opts, dhcp_start_opts, argc - 1, argv + 1, NULL);
	if (!err)
		err = dev_index(argv[0], &ifindex);
	if (!err)
		err = vmbr_mode(ifindex, mode, sizeof(mode));
	if (err)
		return err;
	if (strcmp(mode, "nat") && strcmp(mode, "hostonly")) {
		pr_err("%s is in %s mode: %s", argv[0], mode,
		       strcmp(mode, "bridge") ?
		       "its guests cannot reach the host" :
		       "its guests are on the uplink's LAN, whose DHCP server serves them");
		return EXIT_FAIL;
	}
	snprintf(c.ifname, sizeof(c.ifname), "%s", argv[0]);
	c.dns = !strcmp(mode, "nat");
	err = dev_ipv4(c.ifname, &c.addr, &c.prefix);
	if (err)
		return err;
	err = dhcp_default_range(c.ifname, c.addr, c.prefix, &c.low, &c.high);
	mnl_attr_for_each(attr, opts, 0) {
		switch (mnl_attr_get_type(attr)) {
		case DHCP_OPT_LOW:
			c.low = mnl_attr_get_u32(attr);
			err = 0;
			break;
		case DHCP_OPT_HIGH:
			c.high = mnl_attr_get_u32(attr);
			break;
		case DHCP_OPT_LEASE:
			c.lease = mnl_attr_get_u32(attr);
			break;
		}
	}
	if (err)
		return err;
	err = dhcp_check_range(c.ifname, c.addr, c.prefix, c.low, c.high);
	if (err)
		return err;

	pid = running_pid(c.ifname);
	if (pid && stop_pid(c.ifname, pid))
		return EXIT_FAIL;
	run_path(conf, sizeof(conf), c.ifname, "conf");
	err = write_conf(&c, conf);
	if (!err)
		err = run_dnsmasq(c.ifname, conf);
	if (!err && !running_pid(c.ifname)) {
		pr_err("%s: dnsmasq started but is not running", c.ifname);
		err = EXIT_FAIL;
	}
	if (err)
		remove_files(c.ifname);
	return err;
}

void dhcp_stop_if_running(const char *ifname)
{
	pid_t pid = running_pid(ifname);

	if (pid && !stop_pid(ifname, pid))
		remove_files(ifname);
}

int cmd_dhcp_stop(const struct vmbr_opts *o, int argc, char **argv)
{
	pid_t pid;
	int err;

	(void)o;
	if (argc < 1)
		return usage_err("dhcp stop: NAME expected");
	err = check_no_args(argc - 1, argv + 1);
	if (err)
		return err;
	pid = running_pid(argv[0]);
	if (!pid) {
		pr_err("%s: no DHCP server running", argv[0]);
		remove_files(argv[0]);
		return EXIT_FAIL;
	}
	err = stop_pid(argv[0], pid);
	if (!err)
		remove_files(argv[0]);
	return err;
}

/*
 * "vmbr0: dhcp on pid 123 range 192.168.100.2-192.168.100.254 lease 3600
 * dns on", then a line per lease:
 * "192.168.100.57 52:54:00:12:34:56 guest1 expires 3540s".
 */
static void print_dhcp(json_t *dhcp)
{
	json_t *leases = json_object_get(dhcp, "leases"), *lease;
	time_t now = time(NULL);
	json_int_t expires;
	size_t i;

	printf("%s: dhcp", json_string_value(json_object_get(dhcp, "ifname")));
	if (json_is_true(json_object_get(dhcp, "running")))
		printf(" on pid %" JSON_INTEGER_FORMAT,
		       json_integer_value(json_object_get(dhcp, "pid")));
	else
		fputs(" off", stdout);
	if (json_is_string(json_object_get(dhcp, "range")))
		printf(" range %s lease %" JSON_INTEGER_FORMAT " dns %s",
		       json_string_value(json_object_get(dhcp, "range")),
		       json_integer_value(json_object_get(dhcp, "lease")),
		       json_is_true(json_object_get(dhcp, "dns")) ? "on" :
								     "off");
	putchar('\n');
	json_array_foreach(leases, i, lease) {
		printf("%s %s %s",
		       json_string_value(json_object_get(lease, "address")),
		       json_string_value(json_object_get(lease, "mac")),
		       json_is_string(json_object_get(lease, "hostname")) ?
		       json_string_value(json_object_get(lease, "hostname")) :
		       "*");
		expires = json_integer_value(json_object_get(lease, "expires"));
		if (!expires)
			puts(" expires never");
		else if (expires <= now)
			puts(" expired");
		else
			printf(" expires %llds\n", (long long)(expires - now));
	}
}

int cmd_dhcp_show(const struct vmbr_opts *o, int argc, char **argv)
{
	struct dhcp_conf c = { .lease = 0 };
	json_t *dhcp, *leases = NULL;
	char path[128], a[16], b[16];
	pid_t pid;
	FILE *f;
	int err;

	if (argc < 1)
		return usage_err("dhcp show: NAME expected");
	err = check_no_args(argc - 1, argv + 1);
	if (err)
		return err;
	pid = running_pid(argv[0]);
	dhcp = jobj();
	jset(dhcp, "ifname", jstr(argv[0]));
	jset(dhcp, "running", json_boolean(pid));
	jset(dhcp, "pid", pid ? json_integer(pid) : json_null());
	run_path(path, sizeof(path), argv[0], "conf");
	f = fopen(path, "r");
	if (f && !dhcp_read_conf(f, &c)) {
		snprintf(path, sizeof(path), "%s-%s",
			 format_ipv4_host(c.low, a),
			 format_ipv4_host(c.high, b));
		jset(dhcp, "range", jstr(path));
		jset(dhcp, "lease", json_integer(c.lease));
		jset(dhcp, "dns", json_boolean(c.dns));
	} else {
		jset(dhcp, "range", json_null());
		jset(dhcp, "lease", json_null());
		jset(dhcp, "dns", json_null());
	}
	if (f)
		fclose(f);
	run_path(path, sizeof(path), argv[0], "leases");
	f = fopen(path, "r");
	if (f) {
		leases = dhcp_read_leases(f);
		fclose(f);
	}
	jset(dhcp, "leases", leases ?: jarr());
	if (o->json)
		err = out_json_line(dhcp) < 0 ? EXIT_FAIL : EXIT_OK;
	else
		print_dhcp(dhcp);
	json_decref(dhcp);
	return err;
}
