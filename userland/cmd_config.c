// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr save | restore: the whole configuration as JSON, and back.
 *
 * save reads every vmbridge as vmbr show, port show, fdb show, nat show
 * and nat forward show read them, and keeps what is configuration
 * (plan.h).  restore reads the same from the kernel, plans the commands
 * that make it what the file says (plan.c) and runs them: first those
 * that create the missing vmbridges, then, having read again, the rest.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/vmbridge.h>

#include "decode.h"
#include "ifname.h"
#include "json.h"
#include "nl.h"
#include "output.h"
#include "plan.h"
#include "cmd.h"
#include "vmbr.h"

/* The keys of each object that are configuration (plan.h). */
static const char *const vmbr_keys[] = {
	"ifname", "mode", "uplink", "ageing", "max_fdb", "host_pvid",
	"host_vlans", "uplink_pvid", "uplink_vlans", "uplink_vni", NULL
};
static const char *const port_keys[] = {
	"ifname", "pvid", "vlans", "isolated", "lock_mac", "lock_ip",
	"max_macs", "bum_rate", "rate_in", "burst_in", "rate_out",
	"burst_out", NULL
};
static const char *const fdb_keys[] = { "mac", "vlan", "port", NULL };
static const char *const nat_keys[] = {
	"port_min", "port_max", "max_sessions", "max_sessions_per_guest",
	"timeout_udp", "timeout_tcp_est", "timeout_tcp_trans",
	"timeout_icmp", "filtering", NULL
};
static const char *const fwd_keys[] = {
	"proto", "ext_port", "int_addr", "int_port", NULL
};

/* A new object with the @keys of @obj that it has, in that order. */
static json_t *pick(json_t *obj, const char *const *keys)
{
	json_t *out = jobj(), *val;

	for (; *keys; keys++) {
		val = json_object_get(obj, *keys);
		if (val && json_object_set(out, *keys, val))
			die_oom();
	}
	return out;
}

/* Sorting, so that the same configuration is always saved the same. */

static int cmp_json(json_t *a, json_t *b)
{
	if (json_is_string(a) && json_is_string(b))
		return strcmp(json_string_value(a), json_string_value(b));
	if (json_is_integer(a) && json_is_integer(b))
		return (json_integer_value(a) > json_integer_value(b)) -
		       (json_integer_value(a) < json_integer_value(b));
	return json_is_null(b) - json_is_null(a);
}

static const char *sort_keys[3];

static int cmp_items(const void *pa, const void *pb)
{
	json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
	unsigned int i;
	int c = 0;

	for (i = 0; !c && i < ARRAY_SIZE(sort_keys) && sort_keys[i]; i++)
		c = cmp_json(json_object_get(a, sort_keys[i]),
			     json_object_get(b, sort_keys[i]));
	return c;
}

/* Sorts the objects of @arr by @k1, then @k2 (may be NULL). */
static void sort_by(json_t *arr, const char *k1, const char *k2)
{
	size_t i, n = json_array_size(arr);
	json_t **items;

	if (n < 2)
		return;
	items = calloc(n, sizeof(*items));
	if (!items)
		die_oom();
	for (i = 0; i < n; i++)
		items[i] = json_incref(json_array_get(arr, i));
	sort_keys[0] = k1;
	sort_keys[1] = k2;
	sort_keys[2] = NULL;
	qsort(items, n, sizeof(*items), cmp_items);
	json_array_clear(arr);
	for (i = 0; i < n; i++)
		jpush(arr, items[i]);
	free(items);
}

/* Reading. */

struct read_ctx {
	json_t *list;
	struct ifname_cache cache;
};

static int vmbr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct read_ctx *c = data;
	json_t *vmbr = decode_vmbr(nlh, false, &c->cache);

	if (!vmbr)
		return MNL_CB_ERROR;
	jpush(c->list, vmbr);
	return MNL_CB_OK;
}

static int port_cb(const struct nlmsghdr *nlh, void *data)
{
	struct read_ctx *c = data;
	json_t *port = decode_port_msg(nlh, false, &c->cache);
	const char *role;

	if (!port)
		return MNL_CB_ERROR;
	role = json_string_value(json_object_get(port, "role"));
	/* A save without the lock lists would restore unlocked ports. */
	if (json_is_true(json_object_get(port, "locks_hidden"))) {
		pr_err("%s: its lock-mac/lock-ip lists are CAP_NET_ADMIN's to read",
		       json_string_value(json_object_get(port, "ifname")));
		json_decref(port);
		return MNL_CB_ERROR;
	}
	if (role && !strcmp(role, "guest"))
		jpush(c->list, pick(port, port_keys));
	json_decref(port);
	return MNL_CB_OK;
}

static int fdb_cb(const struct nlmsghdr *nlh, void *data)
{
	struct read_ctx *c = data;
	json_t *fdb = decode_fdb_msg(nlh, &c->cache);

	if (!fdb)
		return MNL_CB_ERROR;
	if (json_is_true(json_object_get(fdb, "static")))
		jpush(c->list, pick(fdb, fdb_keys));
	json_decref(fdb);
	return MNL_CB_OK;
}

static int nat_cb(const struct nlmsghdr *nlh, void *data)
{
	struct read_ctx *c = data;
	json_t *nat;

	if (json_array_size(c->list))
		return MNL_CB_OK;	/* a doit answers once */
	nat = decode_nat_msg(nlh, false, &c->cache);
	if (!nat)
		return MNL_CB_ERROR;
	jpush(c->list, pick(nat, nat_keys));
	json_decref(nat);
	return MNL_CB_OK;
}

static int fwd_cb(const struct nlmsghdr *nlh, void *data)
{
	struct read_ctx *c = data;
	json_t *fwd = decode_nat_fwd_msg(nlh);

	if (!fwd)
		return MNL_CB_ERROR;
	jpush(c->list, pick(fwd, fwd_keys));
	json_decref(fwd);
	return MNL_CB_OK;
}

/*
 * The objects @cmd answers for vmbridge @ifindex, a dump unless @doit,
 * in a new array; NULL if it failed (nl->err set).
 */
static json_t *read_list(struct nl *nl, uint8_t cmd, bool doit,
			 uint32_t ifindex, mnl_cb_t cb)
{
	struct read_ctx c = { .list = jarr() };
	struct nlmsghdr *nlh;
	union nl_req req;

	nlh = vmbr_msg(&req, cmd, doit ? NLM_F_ACK : NLM_F_DUMP);
	if (ifindex)
		mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, ifindex);
	if (vmbr_request(nl, nlh, cb, &c) < 0) {
		json_decref(c.list);
		return NULL;
	}
	return c.list;
}

/* The configuration of one vmbridge, in place; -1 if it failed. */
static int read_vmbr(struct nl *nl, json_t *vmbr)
{
	uint32_t ifindex = json_integer_value(json_object_get(vmbr,
							       "ifindex"));
	json_t *ports, *fdb, *nat, *fwds;

	ports = read_list(nl, VMBR_CMD_PORT_GET, false, ifindex, port_cb);
	fdb = ports ? read_list(nl, VMBR_CMD_FDB_GET, false, ifindex,
				fdb_cb) : NULL;
	nat = fdb ? read_list(nl, VMBR_CMD_NAT_GET, true, ifindex,
			      nat_cb) : NULL;
	fwds = nat ? read_list(nl, VMBR_CMD_NAT_FWD_GET, false, ifindex,
			       fwd_cb) : NULL;
	if (!fwds || json_array_size(nat) != 1) {
		json_decref(ports);
		json_decref(fdb);
		json_decref(nat);
		return -1;
	}
	sort_by(ports, "ifname", NULL);
	sort_by(fdb, "mac", "vlan");
	sort_by(fwds, "proto", "ext_port");
	jset(vmbr, "ports", ports);
	jset(vmbr, "fdb", fdb);
	if (json_object_set(vmbr, "nat", json_array_get(nat, 0)))
		die_oom();
	json_decref(nat);
	jset(vmbr, "forwards", fwds);
	return 0;
}

/*
 * The configuration of every vmbridge, or of @ifindex only, as vmbr save
 * writes it; NULL if it could not be read (printed).  A vmbridge deleted
 * meanwhile is left out.
 */
static json_t *config_read(struct nl *nl, uint32_t ifindex)
{
	json_t *all, *vmbrs, *vmbr, *saved, *cfg;
	size_t i;

	all = read_list(nl, VMBR_CMD_GET, ifindex != 0, ifindex, vmbr_cb);
	if (!all) {
		nl_perror(nl);
		return NULL;
	}
	vmbrs = jarr();
	json_array_foreach(all, i, vmbr) {
		if (read_vmbr(nl, vmbr) < 0) {
			if (!ifindex && nl->err == ENODEV)
				continue;
			nl_perror(nl);
			json_decref(vmbrs);
			json_decref(all);
			return NULL;
		}
		saved = pick(vmbr, vmbr_keys);
		jset(saved, "ports", json_incref(json_object_get(vmbr,
								  "ports")));
		jset(saved, "fdb", json_incref(json_object_get(vmbr, "fdb")));
		jset(saved, "nat", json_incref(json_object_get(vmbr, "nat")));
		jset(saved, "forwards",
		     json_incref(json_object_get(vmbr, "forwards")));
		jpush(vmbrs, saved);
	}
	json_decref(all);
	sort_by(vmbrs, "ifname", NULL);
	cfg = jobj();
	jset(cfg, "vmbr_config", json_integer(CONFIG_FORMAT));
	jset(cfg, "vmbridges", vmbrs);
	return cfg;
}

int cmd_save(const struct vmbr_opts *o, int argc, char **argv)
{
	uint32_t ifindex = 0;
	struct nl *nl;
	json_t *cfg;
	int err;

	err = argc > 0 ? check_no_args(argc - 1, argv + 1) : 0;
	if (!err && argc > 0)
		err = dev_index(argv[0], &ifindex);
	if (err)
		return err;
	nl = nl_open(NETLINK_GENERIC);
	if (!nl)
		return EXIT_FAIL;
	cfg = config_read(nl, ifindex);
	nl_close(nl);
	if (!cfg)
		return EXIT_FAIL;
	err = json_dumpf(cfg, stdout, o->json ? JSON_COMPACT :
					  JSON_INDENT(2)) < 0 ||
	      putchar('\n') == EOF ? EXIT_FAIL : EXIT_OK;
	json_decref(cfg);
	return err;
}

/* Restoring. */

static bool dev_exists(const char *name)
{
	return strlen(name) < IF_NAMESIZE && if_nametoindex(name);
}

/*
 * Runs the commands of @plan, each vmbridge's until one fails (those of
 * @want, in order); with -j adds them to @done, else prints each before
 * it runs.  How many ran; *@failed is set if one failed.
 */
static unsigned int run_plan(const struct vmbr_opts *o, json_t *want,
			     json_t *plan, json_t *done, bool *failed)
{
	struct vmbr_opts run_o = { .json = false };
	char *argv[64];
	json_t *cmds, *cmd;
	unsigned int ran = 0;
	size_t i, j, k, argc;
	int status;

	json_array_foreach(plan, i, cmds) {
		json_array_foreach(cmds, j, cmd) {
			argc = json_array_size(cmd);
			if (argc > ARRAY_SIZE(argv))
				argc = ARRAY_SIZE(argv);
			for (k = 0; k < argc; k++) {
				argv[k] = strdup(json_string_value(
						json_array_get(cmd, k)));
				if (!argv[k])
					die_oom();
			}
			if (o->json) {
				jpush(done, json_incref(cmd));
			} else {
				plan_print(stdout, cmd);
				fflush(stdout);
			}
			/* A device of the name that is no vmbridge: say so. */
			if (!strcmp(argv[0], "add") && dev_exists(argv[1])) {
				pr_err("%s exists and is not a vmbridge",
				       argv[1]);
				status = EXIT_FAIL;
			} else {
				status = vmbr_run(&run_o, argc, argv);
			}
			for (k = 0; k < argc; k++)
				free(argv[k]);
			ran++;
			if (status) {
				*failed = true;
				pr_err("%s: not restored further",
				       json_string_value(json_object_get(
					       json_array_get(json_object_get(
						       want, "vmbridges"), i),
					       "ifname")));
				break;
			}
		}
	}
	return ran;
}

/* @file as JSON: "-" is standard input; NULL if unreadable (printed). */
static json_t *load(const char *file)
{
	json_error_t e;
	json_t *cfg;

	if (!strcmp(file, "-"))
		cfg = json_loadf(stdin, 0, &e);
	else
		cfg = json_load_file(file, 0, &e);
	if (!cfg) {
		if (e.line > 0)
			pr_err("%s: line %d column %d: %s", file, e.line,
			       e.column, e.text);
		else
			pr_err("%s: %s", file, e.text);
	}
	return cfg;
}

int cmd_restore(const struct vmbr_opts *o, int argc, char **argv)
{
	json_t *want, *have, *plan, *done = jarr();
	bool failed = false;
	unsigned int ran;
	struct nl *nl;
	int err;

	if (argc < 1)
		return usage_err("restore: FILE expected");
	err = check_no_args(argc - 1, argv + 1);
	if (err)
		return err;
	want = load(argv[0]);
	if (!want)
		return EXIT_FAIL;
	err = config_check(want, argv[0]);
	nl = err ? NULL : nl_open(NETLINK_GENERIC);
	if (!nl) {
		json_decref(want);
		return EXIT_FAIL;
	}

	have = config_read(nl, 0);
	if (!have)
		goto fail;
	plan = plan_create(want, have);
	ran = run_plan(o, want, plan, done, &failed);
	json_decref(plan);
	if (ran) {
		json_decref(have);
		have = config_read(nl, 0);
		if (!have)
			goto fail;
	}
	plan = plan_change(want, have, dev_exists);
	run_plan(o, want, plan, done, &failed);
	json_decref(plan);
	json_decref(have);
	if (o->json && out_json_line(done) < 0)
		failed = true;
	goto out;
fail:
	failed = true;
out:
	json_decref(done);
	json_decref(want);
	nl_close(nl);
	return failed ? EXIT_FAIL : EXIT_OK;
}
