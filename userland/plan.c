// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr: checking a saved configuration, and planning its restoration.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <linux/vmbridge.h>

#include "json.h"
#include "plan.h"
#include "vmbr.h"

/* The structure of a saved configuration. */

enum {
	T_STR	= 1 << 0,
	T_INT	= 1 << 1,
	T_BOOL	= 1 << 2,
	T_NULL	= 1 << 3,
	T_ARR	= 1 << 4,	/* of @items objects, or of @item_types */
	T_OBJ	= 1 << 5,	/* with @items keys */
};

struct field {
	const char *key;
	unsigned int types;
	bool required;
	const struct field *items;
	unsigned int item_types;
	const char *unique;	/* the key naming each object of an array */
};

/* A key of type(s) @t; one that must be there; a list of @it values. */
#define F(k, t)		{ .key = (k), .types = (t) }
#define REQ(k, t)	{ .key = (k), .types = (t), .required = true }
#define LIST(k, it)	{ .key = (k), .types = T_ARR, .item_types = (it) }
/* An array of objects with keys @f, each named by a different @u. */
#define OBJS(k, f, u)	{ .key = (k), .types = T_ARR, .items = (f), \
			  .unique = (u) }
#define END		{ .key = NULL }

static const struct field port_fields[] = {
	REQ("ifname", T_STR),
	F("pvid", T_INT | T_NULL),
	F("vlans", T_STR),
	F("isolated", T_BOOL),
	LIST("lock_mac", T_STR),
	LIST("lock_ip", T_STR),
	F("max_macs", T_INT),
	F("bum_rate", T_INT),
	F("rate_in", T_INT),
	F("burst_in", T_INT),
	F("rate_out", T_INT),
	F("burst_out", T_INT),
	END
};

static const struct field fdb_fields[] = {
	REQ("mac", T_STR),
	F("vlan", T_INT | T_NULL),
	REQ("port", T_STR),
	END
};

static const struct field nat_fields[] = {
	F("port_min", T_INT),
	F("port_max", T_INT),
	F("max_sessions", T_INT),
	F("max_sessions_per_guest", T_INT),
	F("timeout_udp", T_INT),
	F("timeout_tcp_est", T_INT),
	F("timeout_tcp_trans", T_INT),
	F("timeout_icmp", T_INT),
	F("filtering", T_STR),
	END
};

static const struct field fwd_fields[] = {
	REQ("proto", T_STR),
	REQ("ext_port", T_INT),
	REQ("int_addr", T_STR),
	F("int_port", T_INT | T_NULL),
	END
};

static const struct field vmbr_fields[] = {
	REQ("ifname", T_STR),
	F("mode", T_STR),
	F("uplink", T_STR | T_NULL),
	F("ageing", T_INT),
	F("max_fdb", T_INT),
	F("host_pvid", T_INT | T_NULL),
	F("host_vlans", T_STR),
	F("uplink_pvid", T_INT | T_NULL),
	F("uplink_vlans", T_STR),
	F("uplink_vni", T_STR),
	OBJS("ports", port_fields, "ifname"),
	OBJS("fdb", fdb_fields, NULL),
	{ .key = "nat", .types = T_OBJ, .items = nat_fields },
	OBJS("forwards", fwd_fields, NULL),
	END
};

static const struct field config_fields[] = {
	REQ("vmbr_config", T_INT),
	{ .key = "vmbridges", .types = T_ARR, .required = true,
	  .items = vmbr_fields, .unique = "ifname" },
	END
};

static unsigned int type_of(json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		return T_STR;
	case JSON_INTEGER:
		return T_INT;
	case JSON_TRUE:
	case JSON_FALSE:
		return T_BOOL;
	case JSON_NULL:
		return T_NULL;
	case JSON_ARRAY:
		return T_ARR;
	case JSON_OBJECT:
		return T_OBJ;
	default:
		return 0;	/* a real: no key has one */
	}
}

/* "a string or null" */
static const char *types_name(unsigned int types, char *buf, size_t len)
{
	static const char *const names[] = {
		"a string", "a number", "true or false", "null", "an array",
		"an object",
	};
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (types & (1U << i))
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
				 buf[0] ? " or " : "", names[i]);
	return buf;
}

/* Where in the file: @where then @key (a name) or [@i]; cut if long. */
#define AT_BUFSIZ	256

static void at(char *buf, const char *where, const char *key, size_t i)
{
	int n;

	if (key)
		n = snprintf(buf, AT_BUFSIZ, "%s%s%s", where,
			     *where ? "." : "", key);
	else
		n = snprintf(buf, AT_BUFSIZ, "%s[%zu]", where, i);
	if (n >= AT_BUFSIZ)
		strcpy(buf + AT_BUFSIZ - 4, "...");
}

static int bad(const char *file, const char *where, const char *what)
{
	pr_err("%s: %s: %s", file, where, what);
	return EXIT_FAIL;
}

static int check_object(json_t *obj, const struct field *fields,
			const char *file, const char *where);

/* The array @arr of @f's items. */
static int check_array(json_t *arr, const struct field *f, const char *file,
		       const char *where)
{
	char here[AT_BUFSIZ], msg[128];
	json_t *item, *other;
	size_t i, j;
	int err;

	json_array_foreach(arr, i, item) {
		at(here, where, NULL, i);
		if (!f->items) {
			if (!(type_of(item) & f->item_types)) {
				char types[96];

				snprintf(msg, sizeof(msg), "%s expected",
					 types_name(f->item_types, types,
						    sizeof(types)));
				return bad(file, here, msg);
			}
			continue;
		}
		if (!json_is_object(item))
			return bad(file, here, "an object expected");
		err = check_object(item, f->items, file, here);
		if (err)
			return err;
		if (!f->unique)
			continue;
		for (j = 0; j < i; j++) {
			other = json_array_get(arr, j);
			if (json_equal(json_object_get(item, f->unique),
				       json_object_get(other, f->unique))) {
				snprintf(msg, sizeof(msg), "\"%s\" listed twice",
					 json_string_value(json_object_get(item,
								f->unique)));
				return bad(file, here, msg);
			}
		}
	}
	return 0;
}

static int check_object(json_t *obj, const struct field *fields,
			const char *file, const char *where)
{
	const struct field *f;
	char here[AT_BUFSIZ], msg[160];
	const char *key;
	json_t *val;
	int err;

	json_object_foreach(obj, key, val) {
		for (f = fields; f->key; f++)
			if (!strcmp(f->key, key))
				break;
		at(here, where, key, 0);
		if (!f->key)
			return bad(file, here, "unknown key");
		if (!(type_of(val) & f->types)) {
			char types[96];

			snprintf(msg, sizeof(msg), "%s expected",
				 types_name(f->types, types, sizeof(types)));
			return bad(file, here, msg);
		}
		if (json_is_array(val))
			err = check_array(val, f, file, here);
		else if (json_is_object(val))
			err = check_object(val, f->items, file, here);
		else
			err = 0;
		if (err)
			return err;
	}
	for (f = fields; f->key; f++) {
		if (f->required && !json_object_get(obj, f->key)) {
			snprintf(msg, sizeof(msg), "no \"%s\"", f->key);
			return bad(file, *where ? where : "top", msg);
		}
	}
	return 0;
}

static json_t *get(json_t *obj, const char *key)
{
	return json_object_get(obj, key);
}

/* The item of array @arr whose @key equals @val, or NULL. */
static json_t *find(json_t *arr, const char *key, json_t *val)
{
	json_t *item;
	size_t i;

	json_array_foreach(arr, i, item)
		if (json_equal(json_object_get(item, key), val))
			return item;
	return NULL;
}

/* No device is a port of two vmbridges, or a port and a vmbridge. */
static int check_ports(json_t *cfg, const char *file)
{
	json_t *vmbrs = json_object_get(cfg, "vmbridges");
	char where[AT_BUFSIZ], here[AT_BUFSIZ], msg[128];
	json_t *vmbr, *port, *other, *name;
	const char *what = NULL;
	size_t i, j, k;

	json_array_foreach(vmbrs, i, vmbr) {
		json_array_foreach(json_object_get(vmbr, "ports"), j, port) {
			name = json_object_get(port, "ifname");
			json_array_foreach(vmbrs, k, other) {
				if (json_equal(name, get(other, "ifname")))
					what = "a vmbridge";
				else if (k < i &&
					 find(json_object_get(other, "ports"),
					      "ifname", name))
					what = "a port of another vmbridge too";
				if (what)
					goto bad;
			}
		}
	}
	return 0;
bad:
	at(where, "vmbridges", NULL, i);
	at(here, where, "ports", 0);
	at(where, here, NULL, j);
	snprintf(msg, sizeof(msg), "%s is %s", json_string_value(name), what);
	return bad(file, where, msg);
}

int config_check(json_t *cfg, const char *file)
{
	char msg[64];

	if (!json_is_object(cfg))
		return bad(file, "top", "an object expected");
	if (check_object(cfg, config_fields, file, "") ||
	    check_ports(cfg, file))
		return EXIT_FAIL;
	if (json_integer_value(json_object_get(cfg, "vmbr_config")) !=
	    CONFIG_FORMAT) {
		snprintf(msg, sizeof(msg),
			 "format %" JSON_INTEGER_FORMAT ", this vmbr reads %d",
			 json_integer_value(json_object_get(cfg,
							     "vmbr_config")),
			 CONFIG_FORMAT);
		return bad(file, "vmbr_config", msg);
	}
	return 0;
}

/* Commands. */

/* The vmbridge of @cfg named @name. */
static json_t *find_vmbr(json_t *cfg, json_t *name)
{
	return find(get(cfg, "vmbridges"), "ifname", name);
}

/* A new command, its first words @words ("port add"), then @vmbr. */
static json_t *cmd_new(const char *words, json_t *vmbr)
{
	char buf[32], *w, *save;
	json_t *cmd = jarr();

	snprintf(buf, sizeof(buf), "%s", words);
	for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		jpush(cmd, jstr(w));
	jpush(cmd, jstr(json_string_value(get(vmbr, "ifname"))));
	return cmd;
}

static void arg(json_t *cmd, const char *s)
{
	jpush(cmd, jstr(s));
}

static void arg_num(json_t *cmd, json_t *num)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
		 json_integer_value(num));
	arg(cmd, buf);
}

/* A string, or @none for "" and null. */
static void arg_str(json_t *cmd, json_t *s, const char *none)
{
	const char *v = json_string_value(s);

	arg(cmd, v && *v ? v : none);
}

/* A number, or @none for null. */
static void arg_num_or(json_t *cmd, json_t *num, const char *none)
{
	if (json_is_integer(num))
		arg_num(cmd, num);
	else
		arg(cmd, none);
}

/* "a,b,c" of an array of strings, or @none if empty. */
static void arg_list(json_t *cmd, json_t *arr, const char *none)
{
	char buf[64 * 48] = "";
	json_t *item;
	size_t i;

	json_array_foreach(arr, i, item)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
			 i ? "," : "", json_string_value(item));
	arg(cmd, buf[0] ? buf : none);
}

/* Whether @key of @want is there and differs from @key of @have. */
static bool changed(json_t *want, json_t *have, const char *key)
{
	json_t *w = get(want, key);

	return w && !json_equal(w, get(have, key));
}

/* Settings that are "KEYWORD VALUE" of a command. */
enum kind { K_NUM, K_STR, K_STR_NONE, K_NUM_NONE, K_ON_OFF, K_LIST_OFF };

struct setting {
	const char *key;
	const char *keyword;
	enum kind kind;
};

static void put_setting(json_t *cmd, const struct setting *s, json_t *val)
{
	arg(cmd, s->keyword);
	switch (s->kind) {
	case K_NUM:
		arg_num(cmd, val);
		break;
	case K_STR:
		arg_str(cmd, val, "");
		break;
	case K_STR_NONE:
		arg_str(cmd, val, "none");
		break;
	case K_NUM_NONE:
		arg_num_or(cmd, val, "none");
		break;
	case K_ON_OFF:
		arg(cmd, json_is_true(val) ? "on" : "off");
		break;
	case K_LIST_OFF:
		arg_list(cmd, val, "off");
		break;
	}
}

/* The settings of @table that differ; how many. */
static unsigned int put_changed(json_t *cmd, const struct setting *table,
				json_t *want, json_t *have)
{
	unsigned int n = 0;

	for (; table->key; table++) {
		if (changed(want, have, table->key)) {
			put_setting(cmd, table, get(want, table->key));
			n++;
		}
	}
	return n;
}

/* A command with arguments beyond its @base ones goes in @cmds. */
static void add_if_args(json_t *cmds, json_t *cmd, size_t base)
{
	if (json_array_size(cmd) > base)
		jpush(cmds, cmd);
	else
		json_decref(cmd);
}

/* vmbr set: host-vlan has no "none" (a host in no VLAN is not restored). */
static const struct setting vmbr_settings[] = {
	{ "mode", "mode", K_STR },
	{ "uplink", "uplink", K_STR_NONE },
	{ "ageing", "ageing", K_NUM },
	{ "max_fdb", "max-fdb", K_NUM },
	{ "uplink_vlans", "uplink-vlans", K_STR_NONE },
	{ "uplink_vni", "uplink-vni", K_STR_NONE },
	{ "uplink_pvid", "uplink-native", K_NUM_NONE },
	{ "host_pvid", "host-vlan", K_NUM },
	{ "host_vlans", "host-vlans", K_STR_NONE },
	{ .key = NULL }
};

static void plan_vmbr(json_t *cmds, json_t *want, json_t *have)
{
	json_t *cmd = cmd_new("set", want);
	const struct setting *s;

	for (s = vmbr_settings; s->key; s++) {
		if (!changed(want, have, s->key))
			continue;
		if (s->kind == K_NUM && !json_is_integer(get(want, s->key))) {
			pr_warn("%s: %s null cannot be restored, left as it is",
				json_string_value(get(want, "ifname")),
				s->key);
			continue;
		}
		put_setting(cmd, s, get(want, s->key));
	}
	add_if_args(cmds, cmd, 2);
}

/* vmbr nat set: "ports LOW-HIGH" is two settings. */
static const struct setting nat_settings[] = {
	{ "max_sessions", "max-sessions", K_NUM },
	{ "max_sessions_per_guest", "max-sessions-per-guest", K_NUM },
	{ "timeout_udp", "timeout-udp", K_NUM },
	{ "timeout_tcp_est", "timeout-tcp-est", K_NUM },
	{ "timeout_tcp_trans", "timeout-tcp-trans", K_NUM },
	{ "timeout_icmp", "timeout-icmp", K_NUM },
	{ "filtering", "filtering", K_STR },
	{ .key = NULL }
};

static void plan_nat(json_t *cmds, json_t *vmbr, json_t *want, json_t *have)
{
	json_t *cmd, *lo, *hi;
	char buf[48];

	if (!want)
		return;
	cmd = cmd_new("nat set", vmbr);
	if (changed(want, have, "port_min") ||
	    changed(want, have, "port_max")) {
		lo = get(want, "port_min") ?: get(have, "port_min");
		hi = get(want, "port_max") ?: get(have, "port_max");
		snprintf(buf, sizeof(buf),
			 "%" JSON_INTEGER_FORMAT "-%" JSON_INTEGER_FORMAT,
			 json_integer_value(lo), json_integer_value(hi));
		arg(cmd, "ports");
		arg(cmd, buf);
	}
	put_changed(cmd, nat_settings, want, have);
	add_if_args(cmds, cmd, 3);
}

/* A port's options but its VLANs and its bandwidth limits (port_rates). */
static const struct setting port_settings[] = {
	{ "isolated", "isolated", K_ON_OFF },
	{ "lock_mac", "lock-mac", K_LIST_OFF },
	{ "lock_ip", "lock-ip", K_LIST_OFF },
	{ "max_macs", "max-macs", K_NUM },
	{ "bum_rate", "bum-rate", K_NUM },
	{ .key = NULL }
};

/* A port's bandwidth limits: a rate (bits a second) and its burst. */
struct rate_setting {
	const char *rate_key;
	const char *burst_key;
	const char *keyword;
	const char *burst_keyword;
};

static const struct rate_setting port_rates[] = {
	{ "rate_in", "burst_in", "rate-in", "burst-in" },
	{ "rate_out", "burst_out", "rate-out", "burst-out" },
	{ .rate_key = NULL }
};

/*
 * "KEYWORD RATEbit [BURST-KEYWORD BYTES]" if the rate or its burst differ:
 * a burst goes only with its rate, and a rate without its burst gets the
 * kernel's default burst, so the two go together.  A rate left out of
 * @want is @have's; a burst left out, or 0, the default.  "KEYWORD off"
 * for a rate of 0 where @have has one.
 */
static void put_rate(json_t *cmd, const struct rate_setting *r,
		     json_t *want, json_t *have)
{
	json_t *rate = get(want, r->rate_key) ?: get(have, r->rate_key);
	json_t *burst = get(want, r->burst_key);
	char buf[32];

	if (!changed(want, have, r->rate_key) &&
	    !changed(want, have, r->burst_key))
		return;
	if (!json_integer_value(rate)) {
		if (json_integer_value(get(have, r->rate_key))) {
			arg(cmd, r->keyword);
			arg(cmd, "off");
		}
		return;
	}
	snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT "bit",
		 json_integer_value(rate));
	arg(cmd, r->keyword);
	arg(cmd, buf);
	if (json_integer_value(burst)) {
		arg(cmd, r->burst_keyword);
		arg_num(cmd, burst);
	}
}

/*
 * The options of @want that differ from @have: "vlan PVID" for an access
 * port, "trunk VLANS [native PVID]" for a trunk, then the guards and the
 * bandwidth limits.
 */
static void port_options(json_t *cmd, json_t *want, json_t *have)
{
	const struct rate_setting *r;
	json_t *pvid = get(want, "pvid"), *vlans = get(want, "vlans");

	if (changed(want, have, "pvid") || changed(want, have, "vlans")) {
		if (!pvid)
			pvid = get(have, "pvid");
		if (!vlans)
			vlans = get(have, "vlans");
		if (json_string_length(vlans)) {
			arg(cmd, "trunk");
			arg_str(cmd, vlans, "");
			if (json_is_integer(pvid)) {
				arg(cmd, "native");
				arg_num(cmd, pvid);
			}
		} else if (json_is_integer(pvid)) {
			arg(cmd, "vlan");
			arg_num(cmd, pvid);
		} else {
			pr_warn("port %s: no VLAN at all cannot be restored, VLANs left as they are",
				json_string_value(get(want, "ifname")));
		}
	}
	put_changed(cmd, port_settings, want, have);
	for (r = port_rates; r->rate_key; r++)
		put_rate(cmd, r, want, have);
}

/* The options of a port vmbr port add makes: VLAN 1, no guard, no limit. */
static json_t *port_defaults(void)
{
	json_t *port = jobj();

	jset(port, "pvid", json_integer(VMBR_DEFAULT_VID));
	jset(port, "vlans", jstr(""));
	jset(port, "isolated", json_false());
	jset(port, "lock_mac", jarr());
	jset(port, "lock_ip", jarr());
	jset(port, "max_macs", json_integer(0));
	jset(port, "bum_rate", json_integer(0));
	jset(port, "rate_in", json_integer(0));
	jset(port, "burst_in", json_integer(0));
	jset(port, "rate_out", json_integer(0));
	jset(port, "burst_out", json_integer(0));
	return port;
}

/* The vmbridge of @have, other than @vmbr, that has port @name. */
static json_t *port_owner(json_t *have, json_t *vmbr, json_t *name)
{
	json_t *other;
	size_t i;

	json_array_foreach(get(have, "vmbridges"), i, other) {
		if (json_equal(get(other, "ifname"), get(vmbr, "ifname")))
			continue;
		if (find(get(other, "ports"), "ifname", name))
			return other;
	}
	return NULL;
}

static void plan_ports(json_t *cmds, json_t *vmbr, json_t *have_all,
		       json_t *have, bool (*dev_exists)(const char *))
{
	json_t *want, *cur, *cmd, *owner, *defaults = port_defaults();
	const char *name;
	size_t i;

	json_array_foreach(get(vmbr, "ports"), i, want) {
		name = json_string_value(get(want, "ifname"));
		cur = find(get(have, "ports"), "ifname", get(want, "ifname"));
		if (cur) {
			cmd = cmd_new("port set", vmbr);
			arg(cmd, name);
			port_options(cmd, want, cur);
			add_if_args(cmds, cmd, 4);
			continue;
		}
		if (!dev_exists(name)) {
			pr_warn("%s: port %s: no such device, left out",
				json_string_value(get(vmbr, "ifname")), name);
			continue;
		}
		owner = port_owner(have_all, vmbr, get(want, "ifname"));
		if (owner) {
			cmd = cmd_new("port del", owner);
			arg(cmd, name);
			jpush(cmds, cmd);
		}
		cmd = cmd_new("port add", vmbr);
		arg(cmd, name);
		port_options(cmd, want, defaults);
		jpush(cmds, cmd);
	}
	json_decref(defaults);
}

/* An FDB entry's VLAN: null or none is the default VLAN. */
static json_int_t fdb_vid(json_t *fdb)
{
	json_t *vid = get(fdb, "vlan");

	return json_is_integer(vid) ? json_integer_value(vid) :
				      VMBR_DEFAULT_VID;
}

/* Whether @a and @b are the same entry: MAC (either case), VLAN, port. */
static bool fdb_same(json_t *a, json_t *b)
{
	return !strcasecmp(json_string_value(get(a, "mac")) ?: "",
			   json_string_value(get(b, "mac")) ?: "-") &&
	       fdb_vid(a) == fdb_vid(b) &&
	       json_equal(get(a, "port"), get(b, "port"));
}

/* The static entries: one of the same MAC, VLAN and port is there. */
static void plan_fdb(json_t *cmds, json_t *vmbr, json_t *have,
		     bool (*dev_exists)(const char *))
{
	json_t *want, *cur, *cmd;
	const char *port;
	size_t i, j;

	json_array_foreach(get(vmbr, "fdb"), i, want) {
		json_array_foreach(get(have, "fdb"), j, cur)
			if (fdb_same(want, cur))
				break;
		if (j < json_array_size(get(have, "fdb")))
			continue;
		port = json_string_value(get(want, "port"));
		if (!dev_exists(port)) {
			pr_warn("%s: fdb %s: port %s: no such device, left out",
				json_string_value(get(vmbr, "ifname")),
				json_string_value(get(want, "mac")), port);
			continue;
		}
		cmd = cmd_new("fdb add", vmbr);
		arg_str(cmd, get(want, "mac"), "");
		arg(cmd, "port");
		arg(cmd, port);
		if (json_is_integer(get(want, "vlan"))) {
			arg(cmd, "vlan");
			arg_num(cmd, get(want, "vlan"));
		}
		jpush(cmds, cmd);
	}
}

/* A forward of the same protocol and port elsewhere goes first. */
static void plan_forwards(json_t *cmds, json_t *vmbr, json_t *have)
{
	json_t *want, *cur, *cmd;
	char to[64];
	size_t i, j;

	json_array_foreach(get(vmbr, "forwards"), i, want) {
		json_array_foreach(get(have, "forwards"), j, cur)
			if (json_equal(get(want, "proto"), get(cur, "proto")) &&
			    json_equal(get(want, "ext_port"),
				       get(cur, "ext_port")))
				break;
		cur = json_array_get(get(have, "forwards"), j);
		if (cur && json_equal(get(want, "int_addr"),
				      get(cur, "int_addr")) &&
		    (!json_is_integer(get(want, "int_port")) ||
		     json_equal(get(want, "int_port"), get(cur, "int_port"))))
			continue;
		if (cur) {
			cmd = cmd_new("nat forward del", vmbr);
			arg_str(cmd, get(want, "proto"), "");
			arg_num(cmd, get(want, "ext_port"));
			jpush(cmds, cmd);
		}
		cmd = cmd_new("nat forward add", vmbr);
		arg_str(cmd, get(want, "proto"), "");
		arg_num(cmd, get(want, "ext_port"));
		arg(cmd, "to");
		snprintf(to, sizeof(to), "%s",
			 json_string_value(get(want, "int_addr")));
		if (json_is_integer(get(want, "int_port")))
			snprintf(to + strlen(to), sizeof(to) - strlen(to),
				 ":%" JSON_INTEGER_FORMAT,
				 json_integer_value(get(want, "int_port")));
		arg(cmd, to);
		jpush(cmds, cmd);
	}
}

json_t *plan_create(json_t *want, json_t *have)
{
	json_t *plan = jarr(), *vmbr, *cmds;
	size_t i;

	json_array_foreach(get(want, "vmbridges"), i, vmbr) {
		cmds = jarr();
		if (!find_vmbr(have, get(vmbr, "ifname")))
			jpush(cmds, cmd_new("add", vmbr));
		jpush(plan, cmds);
	}
	return plan;
}

json_t *plan_change(json_t *want, json_t *have,
		    bool (*dev_exists)(const char *name))
{
	json_t *plan = jarr(), *vmbr, *cur, *cmds;
	size_t i;

	json_array_foreach(get(want, "vmbridges"), i, vmbr) {
		cmds = jarr();
		cur = find_vmbr(have, get(vmbr, "ifname"));
		if (cur) {
			plan_vmbr(cmds, vmbr, cur);
			plan_nat(cmds, vmbr, get(vmbr, "nat"), get(cur, "nat"));
			plan_ports(cmds, vmbr, have, cur, dev_exists);
			plan_fdb(cmds, vmbr, cur, dev_exists);
			plan_forwards(cmds, vmbr, cur);
		}
		jpush(plan, cmds);
	}
	return plan;
}

void plan_print(FILE *f, json_t *cmd)
{
	json_t *word;
	size_t i;

	fputs("vmbr", f);
	json_array_foreach(cmd, i, word)
		fprintf(f, " %s", json_string_value(word));
	fputc('\n', f);
}
